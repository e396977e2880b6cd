//! Reads one cluster object of the Phase 6 file, field by field (spec §1, §2, §7).
//!
//! A [`ClusterReader`] holds the object, its label for messages and the lists the
//! violations and warnings go to; each field has one small method that reads it, checks
//! its domain and records what is wrong. [`read`] calls them in the order of the spec's
//! table, so the violations come out in a stable order, and returns a [`Cluster`] only when
//! the object had none.

use crate::error::{Capped, InputError, InputWarning, Location, MAX_LISTED_PER_CODE};
use crate::model::{Cluster, ClusterId};
use crate::read::json::{number_text, shown, Json, Shown, StrIndex};

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
///
/// A violation is only built (its location and value rendered) when its code still has
/// room in the capped list; past that it is only counted, so a file of millions of bad
/// clusters costs no allocation per cluster.
pub(super) fn read(
    item: &Json,
    index: usize,
    errors: &mut Capped<InputError>,
    warnings: &mut Capped<InputWarning>,
) -> Option<Cluster> {
    let mut r = ClusterReader {
        item,
        index,
        errors,
        warnings,
    };
    if !matches!(item, Json::Object(_)) {
        r.error("WRONG_TYPE", |r| {
            let at = Location {
                cluster: Some(r.label()),
                field: None,
            };
            InputError::wrong_type(at, "cluster object", item)
        });
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
    let score = r.required_number("score", MISSING_FIELD, SCORE);
    let coherence = r.required_number("coherence", MISSING_COHERENCE, COHERENCE);
    let variance = r.required_number("variance", MISSING_VARIANCE, NON_NEGATIVE);
    let score_std = r.optional_number("score_std", NON_NEGATIVE);
    let penalty = r.optional_number("penalty_applied", UNIT);
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

/// How a missing required number is reported.
struct Missing {
    code: &'static str,
    error: fn(Location) -> InputError,
}

const MISSING_FIELD: Missing = Missing {
    code: "MISSING_FIELD",
    error: InputError::missing_field,
};
const MISSING_COHERENCE: Missing = Missing {
    code: "MISSING_COHERENCE",
    error: |at| InputError::MissingCoherence { at },
};
const MISSING_VARIANCE: Missing = Missing {
    code: "MISSING_VARIANCE",
    error: |at| InputError::MissingVariance { at },
};

/// The domain of a number and how a value outside it is reported.
struct Domain {
    code: &'static str,
    holds: fn(f64) -> bool,
    error: fn(Location, f64) -> InputError,
}

/// `score` in [0, 3] (PRE-7.3).
const SCORE: Domain = Domain {
    code: "SCORE_OUT_OF_BOUNDS",
    holds: |v| (0.0..=3.0).contains(&v),
    error: |at, v| InputError::ScoreOutOfBounds {
        at,
        value: number_text(v),
    },
};
/// `coherence` in [0, 1] (PRE-7.6).
const COHERENCE: Domain = Domain {
    code: "COHERENCE_OUT_OF_BOUNDS",
    holds: |v| (0.0..=1.0).contains(&v),
    error: |at, v| InputError::CoherenceOutOfBounds {
        at,
        value: number_text(v),
    },
};
/// `variance` and `score_std` must not be negative.
const NON_NEGATIVE: Domain = Domain {
    code: "VALUE_OUT_OF_BOUNDS",
    holds: |v| v >= 0.0,
    error: |at, v| InputError::ValueOutOfBounds {
        at,
        value: number_text(v),
        domain: ">= 0.0",
    },
};
/// `penalty_applied` in [0, 1].
const UNIT: Domain = Domain {
    code: "VALUE_OUT_OF_BOUNDS",
    holds: |v| (0.0..=1.0).contains(&v),
    error: |at, v| InputError::ValueOutOfBounds {
        at,
        value: number_text(v),
        domain: "[0.0, 1.0]",
    },
};

/// One cluster object being read.
struct ClusterReader<'a> {
    item: &'a Json,
    index: usize,
    errors: &'a mut Capped<InputError>,
    warnings: &'a mut Capped<InputWarning>,
}

/// A field that is present but unusable (its violation is recorded, or, for a non-finite
/// number, the parser already reported it).
struct Unusable;

impl<'a> ClusterReader<'a> {
    /// The cluster's name in messages (made only for a violation that is listed).
    fn label(&self) -> String {
        label(self.item, self.index)
    }

    fn at(&self, field: &str) -> Location {
        Location::field(&self.label(), field)
    }

    /// Records a violation of `code`: built by `make` while the code has room in the
    /// list, only counted after.
    fn error(&mut self, code: &'static str, make: impl FnOnce(&Self) -> InputError) {
        if self.errors.has_room(code) {
            let e = make(self);
            self.errors.push(e);
        } else {
            self.errors.count(code);
        }
    }

    /// [`ClusterReader::error`] for warnings.
    fn warning(&mut self, code: &'static str, make: impl FnOnce(&Self) -> InputWarning) {
        if self.warnings.has_room(code) {
            let w = make(self);
            self.warnings.push(w);
        } else {
            self.warnings.count(code);
        }
    }

    fn get(&self, key: &str) -> Option<&'a Json> {
        let item: &'a Json = self.item;
        match item.get(key) {
            None | Some(Json::Null) => None,
            Some(v) => Some(v),
        }
    }

    fn wrong_type(&mut self, field: &str, expected: &'static str, found: &Json) {
        self.error("WRONG_TYPE", |r| {
            InputError::wrong_type(r.at(field), expected, found)
        });
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
    fn required_number(&mut self, key: &str, missing: Missing, domain: Domain) -> Option<f64> {
        match self.number(key) {
            Ok(None) => {
                self.error(missing.code, |r| (missing.error)(r.at(key)));
                None
            }
            Ok(Some(v)) => self.in_domain(key, v, domain),
            Err(Unusable) => None,
        }
    }

    /// An optional number defaulting to 0.0, checked against `domain` when given.
    fn optional_number(&mut self, key: &str, domain: Domain) -> Option<f64> {
        match self.number(key) {
            Ok(None) => Some(0.0),
            Ok(Some(v)) => self.in_domain(key, v, domain),
            Err(Unusable) => None,
        }
    }

    fn in_domain(&mut self, key: &str, v: f64, domain: Domain) -> Option<f64> {
        if (domain.holds)(v) {
            return Some(v);
        }
        self.error(domain.code, |r| (domain.error)(r.at(key), v));
        None
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
                self.error("MISSING_FIELD", |r| InputError::MissingField {
                    at: r.at("cluster_id"),
                });
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
                self.error("MISSING_FIELD", |r| InputError::MissingField {
                    at: r.at("areas"),
                });
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
                    self.error("WRONG_TYPE", |r| {
                        InputError::wrong_type(r.at(&format!("areas[{j}]")), "string", other)
                    });
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
        // Members of the composition are marked in place; only other areas are hashed.
        let mut member_seen = [false; 3];
        let mut others: Vec<&str> = Vec::new();
        let mut others_index = StrIndex::default();
        let mut extra: Vec<String> = Vec::new();
        let mut extra_count = 0usize;
        let mut ours: Vec<&'static str> = Vec::with_capacity(areas.len());
        for &a in areas {
            let first = match expected.iter().position(|e| *e == a) {
                Some(i) => {
                    ours.push(expected[i]);
                    !std::mem::replace(&mut member_seen[i], true)
                }
                None => {
                    let first = others_index.find(a, &|i| others[i]).is_none();
                    if first {
                        others_index.insert(a, others.len());
                        others.push(a);
                        extra_count += 1;
                        if extra.len() < MAX_LISTED_PER_CODE {
                            extra.push(shown(a));
                        }
                    }
                    first
                }
            };
            if !first {
                self.warning("DUPLICATE_AREA", |r| InputWarning::DuplicateArea {
                    at: r.at("areas"),
                    area: shown(a),
                });
            }
        }
        if extra_count > extra.len() {
            extra.push(format!("...and {} more", extra_count - extra.len()));
        }
        let missing: Vec<String> = expected
            .iter()
            .zip(member_seen)
            .filter(|(_, seen)| !seen)
            .map(|(a, _)| a.to_string())
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            self.error("CLUSTER_COMPOSITION_MISMATCH", |r| {
                InputError::ClusterCompositionMismatch {
                    at: r.at("areas"),
                    expected: expected.iter().map(|a| a.to_string()).collect(),
                    missing,
                    extra,
                }
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
                self.error("WEAKEST_AREA_INVALID", |r| InputError::WeakestAreaInvalid {
                    at: r.at("weakest_area"),
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
            self.warning("MISSING_PROVENANCE", |r| InputWarning::MissingProvenance {
                at: r.at("provenance_node_id"),
            });
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
