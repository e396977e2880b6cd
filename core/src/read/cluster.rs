//! Reads one cluster object of the Phase 6 file, field by field (spec §1, §2, §7).
//!
//! A [`ClusterReader`] holds the object, its label for messages and the lists the
//! violations and warnings go to; each field has one small method that reads it, checks
//! its domain and records what is wrong. [`read`] calls them in the order of the spec's
//! table, so the violations come out in a stable order, and returns a [`Cluster`] only when
//! the object had none.

use std::collections::HashSet;

use crate::error::{Capped, InputError, InputWarning, Location, MAX_LISTED_PER_CODE};
use crate::model::{Cluster, ClusterId};
use crate::read::json::{number_text, shown, Json, Shown};

/// How a cluster is named in messages: its id when it has a non-empty string one (cut
/// when long), else `#index`.
pub(super) fn label(item: &Json, index: usize) -> String {
    match item.get("cluster_id") {
        Some(Json::String(s)) if !s.is_empty() => shown(s),
        _ => format!("#{index}"),
    }
}

/// Reads the cluster at `index`, recording every violation in `errors` and every warning
/// in `warnings`. `None` when the object is not a usable cluster (its violations say why).
pub(super) fn read(
    item: &Json,
    index: usize,
    errors: &mut Capped<InputError>,
    warnings: &mut Capped<InputWarning>,
) -> Option<Cluster> {
    let mut r = ClusterReader {
        item,
        label: label(item, index),
        errors,
        warnings,
    };
    if !matches!(item, Json::Object(_)) {
        let at = Location {
            cluster: Some(r.label.clone()),
            field: None,
        };
        r.errors
            .push(InputError::wrong_type(at, "cluster object", item));
        return None;
    }
    let before = r.errors.total();
    let id = r.id();
    let name = r.optional_string("cluster_name").ok().flatten();
    let areas = r.areas();
    let areas = match (id, areas) {
        (Some(id), Some(areas)) => r.composition(id, &areas),
        _ => None,
    };
    let score = r.required_number("score", InputError::missing_field, |at, v| {
        (!(0.0..=3.0).contains(&v)).then(|| InputError::ScoreOutOfBounds {
            at,
            value: number_text(v),
        })
    });
    let coherence = r.required_number(
        "coherence",
        |at| InputError::MissingCoherence { at },
        |at, v| {
            (!(0.0..=1.0).contains(&v)).then(|| InputError::CoherenceOutOfBounds {
                at,
                value: number_text(v),
            })
        },
    );
    let variance = r.required_number(
        "variance",
        |at| InputError::MissingVariance { at },
        non_negative,
    );
    let score_std = r.optional_number("score_std", non_negative);
    let penalty = r.optional_number("penalty_applied", |at, v| {
        (!(0.0..=1.0).contains(&v)).then(|| InputError::ValueOutOfBounds {
            at,
            value: number_text(v),
            domain: "[0.0, 1.0]",
        })
    });
    let weakest = r.weakest_area(id);
    let provenance = r.provenance();
    let dispersion = r.optional_string("dispersion_scenario");
    let method = r.optional_string("aggregation_method");
    let validation_passed = r.validation_passed();
    let area_scores = r.area_scores();

    if r.errors.total() != before {
        return None;
    }
    Some(Cluster {
        id: id?,
        name,
        areas: areas?,
        score: score?,
        coherence: coherence?,
        variance: variance?,
        weakest_area: weakest.ok()?,
        score_std: score_std?,
        penalty_applied: penalty?,
        dispersion_scenario: dispersion.ok()?.unwrap_or_else(|| "moderate".into()),
        aggregation_method: method.ok()?.unwrap_or_else(|| "weighted_average".into()),
        provenance_node_id: provenance.ok()?.unwrap_or_default(),
        validation_passed: validation_passed?,
        has_area_scores: area_scores.ok()?,
    })
}

/// `variance` and `score_std` must not be negative.
fn non_negative(at: Location, v: f64) -> Option<InputError> {
    (v < 0.0).then(|| InputError::ValueOutOfBounds {
        at,
        value: number_text(v),
        domain: ">= 0.0",
    })
}

/// One cluster object being read.
struct ClusterReader<'a> {
    item: &'a Json,
    label: String,
    errors: &'a mut Capped<InputError>,
    warnings: &'a mut Capped<InputWarning>,
}

/// A field that is present but unusable (its violation is recorded, or, for a non-finite
/// number, the parser already reported it).
struct Unusable;

impl<'a> ClusterReader<'a> {
    fn at(&self, field: &str) -> Location {
        Location::field(&self.label, field)
    }

    fn get(&self, key: &str) -> Option<&'a Json> {
        let item: &'a Json = self.item;
        match item.get(key) {
            None | Some(Json::Null) => None,
            Some(v) => Some(v),
        }
    }

    fn wrong_type(&mut self, field: &str, expected: &'static str, found: &Json) {
        let at = self.at(field);
        self.errors
            .push(InputError::wrong_type(at, expected, found));
    }

    /// A number field: `Ok(None)` when absent or null.
    fn number(&mut self, key: &str) -> Result<Option<f64>, Unusable> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Number(x)) if x.is_finite() => Ok(Some(*x)),
            Some(Json::Number(_)) => Err(Unusable),
            Some(other) => {
                self.wrong_type(key, "number", other);
                Err(Unusable)
            }
        }
    }

    /// A required number: `missing` when absent or null, `domain` when out of bounds.
    fn required_number(
        &mut self,
        key: &str,
        missing: impl FnOnce(Location) -> InputError,
        domain: impl FnOnce(Location, f64) -> Option<InputError>,
    ) -> Option<f64> {
        match self.number(key) {
            Ok(None) => {
                let at = self.at(key);
                self.errors.push(missing(at));
                None
            }
            Ok(Some(v)) => self.in_domain(key, v, domain),
            Err(Unusable) => None,
        }
    }

    /// An optional number defaulting to 0.0, checked against `domain` when given.
    fn optional_number(
        &mut self,
        key: &str,
        domain: impl FnOnce(Location, f64) -> Option<InputError>,
    ) -> Option<f64> {
        match self.number(key) {
            Ok(None) => Some(0.0),
            Ok(Some(v)) => self.in_domain(key, v, domain),
            Err(Unusable) => None,
        }
    }

    fn in_domain(
        &mut self,
        key: &str,
        v: f64,
        domain: impl FnOnce(Location, f64) -> Option<InputError>,
    ) -> Option<f64> {
        match domain(self.at(key), v) {
            Some(e) => {
                self.errors.push(e);
                None
            }
            None => Some(v),
        }
    }

    fn optional_string(&mut self, key: &str) -> Result<Option<String>, Unusable> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(other) => {
                self.wrong_type(key, "string", other);
                Err(Unusable)
            }
        }
    }

    /// `cluster_id`: required; a string that is not a known id is left to the coverage
    /// check (PRE-7.2), which names it.
    fn id(&mut self) -> Option<ClusterId> {
        match self.get("cluster_id") {
            None => {
                let at = self.at("cluster_id");
                self.errors.push(InputError::MissingField { at });
                None
            }
            Some(Json::String(s)) => ClusterId::parse(s),
            Some(other) => {
                self.wrong_type("cluster_id", "string", other);
                None
            }
        }
    }

    /// `areas`: a required array of strings (borrowed from the document).
    fn areas(&mut self) -> Option<Vec<&'a str>> {
        let list = match self.get("areas") {
            None => {
                let at = self.at("areas");
                self.errors.push(InputError::MissingField { at });
                return None;
            }
            Some(Json::Array(list)) => list,
            Some(other) => {
                self.wrong_type("areas", "array of strings", other);
                return None;
            }
        };
        let mut out = Vec::with_capacity(list.len());
        let mut ok = true;
        for (j, a) in list.iter().enumerate() {
            match a {
                Json::String(s) => out.push(s.as_str()),
                other => {
                    ok = false;
                    self.wrong_type(&format!("areas[{j}]"), "string", other);
                }
            }
        }
        ok.then_some(out)
    }

    /// Hermeticity: `areas` equals the fixed composition as a set (an error otherwise);
    /// a repeated area is a DUPLICATE_AREA warning. Linear in the number of areas (one
    /// hash set of the areas seen); at most [`MAX_LISTED_PER_CODE`] unexpected areas are
    /// named. The areas of an accepted cluster are its composition's own names.
    fn composition(&mut self, id: ClusterId, areas: &[&'a str]) -> Option<Vec<&'static str>> {
        let expected = id.areas();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut extra: Vec<String> = Vec::new();
        let mut extra_count = 0usize;
        let mut ours: Vec<&'static str> = Vec::with_capacity(areas.len());
        for &a in areas {
            let first = seen.insert(a);
            match expected.iter().find(|e| **e == a) {
                Some(e) => ours.push(e),
                None if first => {
                    extra_count += 1;
                    if extra.len() < MAX_LISTED_PER_CODE {
                        extra.push(shown(a));
                    }
                }
                None => {}
            }
            if !first {
                let at = self.at("areas");
                self.warnings
                    .push(InputWarning::DuplicateArea { at, area: shown(a) });
            }
        }
        if extra_count > extra.len() {
            extra.push(format!("...and {} more", extra_count - extra.len()));
        }
        let missing: Vec<String> = expected
            .iter()
            .filter(|a| !seen.contains(*a))
            .map(|a| a.to_string())
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            let at = self.at("areas");
            self.errors.push(InputError::ClusterCompositionMismatch {
                at,
                expected: expected.iter().map(|a| a.to_string()).collect(),
                missing,
                extra,
            });
            return None;
        }
        Some(ours)
    }

    /// `weakest_area`: null, or one of the cluster's fixed areas.
    fn weakest_area(&mut self, id: Option<ClusterId>) -> Result<Option<String>, Unusable> {
        let weakest = self.optional_string("weakest_area");
        if let (Ok(Some(w)), Some(id)) = (&weakest, id) {
            if !id.areas().contains(&w.as_str()) {
                let at = self.at("weakest_area");
                self.errors.push(InputError::WeakestAreaInvalid {
                    at,
                    value: Shown::of(w),
                    allowed: id.areas().iter().map(|a| a.to_string()).collect(),
                });
            }
        }
        weakest
    }

    /// `provenance_node_id`: absent, null or empty is the PRE-7.4 warning.
    fn provenance(&mut self) -> Result<Option<String>, Unusable> {
        let provenance = self.optional_string("provenance_node_id");
        if matches!(&provenance, Ok(None)) || matches!(&provenance, Ok(Some(p)) if p.is_empty()) {
            let at = self.at("provenance_node_id");
            self.warnings.push(InputWarning::MissingProvenance { at });
        }
        provenance
    }

    fn validation_passed(&mut self) -> Option<bool> {
        match self.get("validation_passed") {
            None => Some(true),
            Some(Json::Bool(b)) => Some(*b),
            Some(other) => {
                self.wrong_type("validation_passed", "boolean", other);
                None
            }
        }
    }

    /// `area_scores`: absent, null or an array (carried through in the document, which
    /// the digests bind; not copied).
    fn area_scores(&mut self) -> Result<bool, Unusable> {
        match self.get("area_scores") {
            None => Ok(false),
            Some(Json::Array(_)) => Ok(true),
            Some(other) => {
                self.wrong_type("area_scores", "array", other);
                Err(Unusable)
            }
        }
    }
}
