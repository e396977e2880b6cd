//! Stage 1 (STAGE_INPUT_VALIDATION): the Phase 6 → 7 bridge.
//!
//! Reads the pipeline's Phase 6 file as it is (spec §1), checks the input contract
//! (spec §2, §7) reporting every violation at once, and returns a [`ValidatedPhase6`],
//! the only type the aggregation accepts ("parse, don't validate").

use std::collections::BTreeMap;

use crate::error::{InputError, InputRejected, InputWarning, Location};
use crate::json::{self, Finding, Json, Step};
use crate::model::{Cluster, ClusterId};

/// Default cap on the input size: 16 MiB (a real Phase 6 file is a few KiB).
pub const DEFAULT_MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Limits applied while reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest accepted input, in bytes (checked before parsing).
    pub max_input_bytes: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
        }
    }
}

/// A Phase 6 input that passed the input contract: exactly the four clusters, each id
/// once, every field in its domain. Only [`read`] and [`validate`] make one.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidatedPhase6 {
    clusters: Vec<Cluster>,
    warnings: Vec<InputWarning>,
    document: Json,
}

impl ValidatedPhase6 {
    /// The four clusters, in input order.
    pub fn clusters(&self) -> &[Cluster] {
        &self.clusters
    }

    /// The cluster with the given id (always present).
    pub fn cluster(&self, id: ClusterId) -> &Cluster {
        // Validation guarantees each id exactly once; fall back to the first cluster
        // rather than panic should that ever be broken.
        self.clusters
            .iter()
            .find(|c| c.id == id)
            .unwrap_or(&self.clusters[0])
    }

    /// Warnings found while validating (PRE-7.4, DUPLICATE_AREA).
    pub fn warnings(&self) -> &[InputWarning] {
        &self.warnings
    }

    /// The whole document as parsed (envelope metadata and unknown keys included).
    pub fn document(&self) -> &Json {
        &self.document
    }
}

/// Reads and validates a Phase 6 file.
///
/// # Errors
///
/// [`InputRejected`] with every violation found: INPUT_TOO_LARGE (before parsing),
/// MALFORMED_JSON (stops there), otherwise all contract violations of spec §2.
///
/// # Example
///
/// ```
/// let bytes = include_bytes!("../../tests/fixtures/p06_sample.json");
/// let input = phase7_core::bridge::read(bytes, &Default::default()).unwrap();
/// assert_eq!(input.clusters().len(), 4);
/// ```
pub fn read(bytes: &[u8], limits: &ReadLimits) -> Result<ValidatedPhase6, InputRejected> {
    let doc = parse_limited(bytes, limits)?;
    validate_document(doc.value, &doc.findings)
}

/// The size check (before parsing) and the parse.
fn parse_limited(bytes: &[u8], limits: &ReadLimits) -> Result<json::Document, InputRejected> {
    let reject = |e: InputError| InputRejected {
        errors: vec![e],
        warnings: Vec::new(),
    };
    if bytes.len() > limits.max_input_bytes {
        return Err(reject(InputError::InputTooLarge {
            limit: limits.max_input_bytes,
            actual: bytes.len(),
        }));
    }
    json::parse(bytes).map_err(|e| {
        reject(InputError::MalformedJson {
            line: e.line,
            column: e.column,
            reason: e.reason,
        })
    })
}

/// Validates an already parsed value (used for JSON-lines batches and the WASM API).
///
/// # Errors
///
/// As [`read`], without the size and syntax checks.
pub fn validate(value: Json) -> Result<ValidatedPhase6, InputRejected> {
    let mut findings = Vec::new();
    collect_non_finite(&value, &mut Vec::new(), &mut findings);
    validate_document(value, &findings)
}

/// Reads one line of a JSON-lines batch: a Phase 6 value (array or envelope), or an
/// object with the key `"phase6"` holding one (other keys, such as a vector's
/// `"expected"`, are ignored and their findings too).
///
/// # Errors
///
/// As [`read`].
pub fn read_batch_line(
    bytes: &[u8],
    limits: &ReadLimits,
) -> Result<ValidatedPhase6, InputRejected> {
    let doc = parse_limited(bytes, limits)?;
    let Json::Object(entries) = doc.value else {
        return validate_document(doc.value, &doc.findings);
    };
    let Some(pos) = entries.iter().position(|(k, _)| k == "phase6") else {
        return validate_document(Json::Object(entries), &doc.findings);
    };
    let prefix = [Step::Key("phase6".into())];
    let findings: Vec<Finding> = doc
        .findings
        .into_iter()
        .filter_map(|f| match f {
            Finding::NonFinite { path, token } if path.starts_with(&prefix) => {
                Some(Finding::NonFinite {
                    path: path[1..].to_vec(),
                    token,
                })
            }
            Finding::DuplicateKey { path, key } if path.starts_with(&prefix) => {
                Some(Finding::DuplicateKey {
                    path: path[1..].to_vec(),
                    key,
                })
            }
            // A duplicate "phase6" key itself makes the line ambiguous.
            Finding::DuplicateKey { path, key } if path.is_empty() && key == "phase6" => {
                Some(Finding::DuplicateKey { path, key })
            }
            _ => None,
        })
        .collect();
    let value = entries.into_iter().nth(pos).map_or(Json::Null, |(_, v)| v);
    validate_document(value, &findings)
}

fn collect_non_finite(v: &Json, path: &mut Vec<Step>, out: &mut Vec<Finding>) {
    match v {
        Json::Number(x) if !x.is_finite() => out.push(Finding::NonFinite {
            path: path.clone(),
            token: json::number_text(*x),
        }),
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                collect_non_finite(item, path, out);
                path.pop();
            }
        }
        Json::Object(entries) => {
            for (k, item) in entries {
                path.push(Step::Key(k.clone()));
                collect_non_finite(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The Phase 6 value with the envelope resolved: the cluster array and the path prefix
/// (`[]` or `["cluster_scores"]`).
fn cluster_array(doc: &Json) -> Result<(&[Json], Vec<Step>), InputError> {
    match doc {
        Json::Array(items) => Ok((items, Vec::new())),
        Json::Object(_) => match doc.get("cluster_scores") {
            None => Err(InputError::MissingField {
                at: Location {
                    cluster: None,
                    field: Some("cluster_scores".into()),
                },
            }),
            Some(Json::Array(items)) => Ok((items, vec![Step::Key("cluster_scores".into())])),
            Some(other) => Err(InputError::WrongType {
                at: Location {
                    cluster: None,
                    field: Some("cluster_scores".into()),
                },
                expected: "array of clusters",
                found: other.type_name(),
                value: other.excerpt(),
            }),
        },
        other => Err(InputError::WrongType {
            at: Location::document(),
            expected: "array of clusters or an object with cluster_scores",
            found: other.type_name(),
            value: other.excerpt(),
        }),
    }
}

/// How a cluster is named in messages: its id when it has a string one, else `#index`.
fn cluster_label(item: &Json, index: usize) -> String {
    match item.get("cluster_id") {
        Some(Json::String(s)) if !s.is_empty() => s.clone(),
        _ => format!("#{index}"),
    }
}

/// Maps a document path to (cluster label, field path inside the cluster).
fn locate(path: &[Step], prefix: &[Step], clusters: &[Json]) -> Location {
    if path.len() > prefix.len() && path.starts_with(prefix) {
        if let Step::Index(i) = path[prefix.len()] {
            let label = clusters
                .get(i)
                .map_or_else(|| format!("#{i}"), |c| cluster_label(c, i));
            let rest = &path[prefix.len() + 1..];
            return Location {
                cluster: Some(label),
                field: (!rest.is_empty()).then(|| json::path_text(rest)),
            };
        }
    }
    Location {
        cluster: None,
        field: (!path.is_empty()).then(|| json::path_text(path)),
    }
}

fn validate_document(doc: Json, findings: &[Finding]) -> Result<ValidatedPhase6, InputRejected> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();

    let (items, prefix) = match cluster_array(&doc) {
        Ok(found) => found,
        Err(e) => {
            let empty: &[Json] = &[];
            for f in findings {
                errors.push(finding_error(f, &[], empty));
            }
            errors.push(e);
            return Err(InputRejected { errors, warnings });
        }
    };

    for f in findings {
        errors.push(finding_error(f, &prefix, items));
    }

    if items.len() != 4 {
        errors.push(InputError::InvalidClusterCount {
            actual: items.len(),
        });
    }

    // Coverage and duplicates (PRE-7.2, PRE-7.5) over the string ids present.
    let mut positions: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(Json::String(id)) = item.get("cluster_id") {
            let entry = positions.entry(id.as_str()).or_default();
            if entry.is_empty() {
                order.push(id.as_str());
            }
            entry.push(i);
        }
    }
    let missing: Vec<String> = ClusterId::ALL
        .iter()
        .filter(|c| !positions.contains_key(c.as_str()))
        .map(|c| c.as_str().to_string())
        .collect();
    let extra: Vec<String> = order
        .iter()
        .filter(|id| ClusterId::parse(id).is_none())
        .map(|id| id.to_string())
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        errors.push(InputError::ClusterCoverageMismatch { missing, extra });
    }
    for id in &order {
        let at = &positions[id];
        if at.len() > 1 {
            errors.push(InputError::DuplicateCluster {
                cluster: id.to_string(),
                positions: at.clone(),
            });
        }
    }

    let mut clusters = Vec::with_capacity(4);
    for (i, item) in items.iter().enumerate() {
        if let Some(c) = check_cluster(item, i, &mut errors, &mut warnings) {
            clusters.push(c);
        }
    }

    if errors.is_empty() && clusters.len() == 4 {
        Ok(ValidatedPhase6 {
            clusters,
            warnings,
            document: doc,
        })
    } else {
        if errors.is_empty() {
            // Unreachable in practice (a cluster that failed always reports why), kept so
            // that a gap in the checks rejects rather than computes on partial input.
            errors.push(InputError::InvalidClusterCount {
                actual: clusters.len(),
            });
        }
        Err(InputRejected { errors, warnings })
    }
}

fn finding_error(f: &Finding, prefix: &[Step], items: &[Json]) -> InputError {
    match f {
        Finding::NonFinite { path, token } => InputError::NonFinite {
            at: locate(path, prefix, items),
            value: token.clone(),
        },
        Finding::DuplicateKey { path, key } => InputError::DuplicateKey {
            at: locate(path, prefix, items),
            key: key.clone(),
        },
    }
}

/// Reads one number field: `Ok(None)` when absent or null, `Err(())` when unusable (an
/// error was recorded, or it is non-finite and the parser already reported it).
fn number(
    item: &Json,
    label: &str,
    key: &str,
    errors: &mut Vec<InputError>,
) -> Result<Option<f64>, ()> {
    match item.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(x)) if x.is_finite() => Ok(Some(*x)),
        Some(Json::Number(_)) => Err(()),
        Some(other) => {
            errors.push(InputError::WrongType {
                at: Location::field(label, key),
                expected: "number",
                found: other.type_name(),
                value: other.excerpt(),
            });
            Err(())
        }
    }
}

fn optional_string(
    item: &Json,
    label: &str,
    key: &str,
    errors: &mut Vec<InputError>,
) -> Result<Option<String>, ()> {
    match item.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(other) => {
            errors.push(InputError::WrongType {
                at: Location::field(label, key),
                expected: "string",
                found: other.type_name(),
                value: other.excerpt(),
            });
            Err(())
        }
    }
}

fn check_cluster(
    item: &Json,
    index: usize,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<InputWarning>,
) -> Option<Cluster> {
    let label = cluster_label(item, index);
    if !matches!(item, Json::Object(_)) {
        errors.push(InputError::WrongType {
            at: Location {
                cluster: Some(label),
                field: None,
            },
            expected: "cluster object",
            found: item.type_name(),
            value: item.excerpt(),
        });
        return None;
    }
    let before = errors.len();
    let at = |field: &str| Location::field(&label, field);

    let id = match item.get("cluster_id") {
        None | Some(Json::Null) => {
            errors.push(InputError::MissingField {
                at: at("cluster_id"),
            });
            None
        }
        Some(Json::String(s)) => ClusterId::parse(s),
        Some(other) => {
            errors.push(InputError::WrongType {
                at: at("cluster_id"),
                expected: "string",
                found: other.type_name(),
                value: other.excerpt(),
            });
            None
        }
    };

    let name = optional_string(item, &label, "cluster_name", errors)
        .ok()
        .flatten();

    let areas: Option<Vec<String>> = match item.get("areas") {
        None | Some(Json::Null) => {
            errors.push(InputError::MissingField { at: at("areas") });
            None
        }
        Some(Json::Array(list)) => {
            let mut out = Vec::with_capacity(list.len());
            let mut ok = true;
            for (j, a) in list.iter().enumerate() {
                match a {
                    Json::String(s) => out.push(s.clone()),
                    other => {
                        ok = false;
                        errors.push(InputError::WrongType {
                            at: at(&format!("areas[{j}]")),
                            expected: "string",
                            found: other.type_name(),
                            value: other.excerpt(),
                        });
                    }
                }
            }
            ok.then_some(out)
        }
        Some(other) => {
            errors.push(InputError::WrongType {
                at: at("areas"),
                expected: "array of strings",
                found: other.type_name(),
                value: other.excerpt(),
            });
            None
        }
    };

    if let (Some(id), Some(areas)) = (id, &areas) {
        let expected = id.areas();
        let missing: Vec<String> = expected
            .iter()
            .filter(|a| !areas.iter().any(|x| x == *a))
            .map(|a| a.to_string())
            .collect();
        let mut extra: Vec<String> = Vec::new();
        for a in areas {
            if !expected.contains(&a.as_str()) && !extra.contains(a) {
                extra.push(a.clone());
            }
        }
        if !missing.is_empty() || !extra.is_empty() {
            errors.push(InputError::ClusterCompositionMismatch {
                at: at("areas"),
                expected: expected.iter().map(|a| a.to_string()).collect(),
                missing,
                extra,
            });
        }
        let mut seen: Vec<&str> = Vec::new();
        for a in areas {
            if seen.contains(&a.as_str()) {
                warnings.push(InputWarning::DuplicateArea {
                    at: at("areas"),
                    area: a.clone(),
                });
            } else {
                seen.push(a);
            }
        }
    }

    let score = match number(item, &label, "score", errors) {
        Ok(None) => {
            errors.push(InputError::MissingField { at: at("score") });
            None
        }
        Ok(Some(s)) if !(0.0..=3.0).contains(&s) => {
            errors.push(InputError::ScoreOutOfBounds {
                at: at("score"),
                value: json::number_text(s),
            });
            None
        }
        Ok(s) => s,
        Err(()) => None,
    };

    let coherence = match number(item, &label, "coherence", errors) {
        Ok(None) => {
            errors.push(InputError::MissingCoherence {
                at: at("coherence"),
            });
            None
        }
        Ok(Some(c)) if !(0.0..=1.0).contains(&c) => {
            errors.push(InputError::CoherenceOutOfBounds {
                at: at("coherence"),
                value: json::number_text(c),
            });
            None
        }
        Ok(c) => c,
        Err(()) => None,
    };

    let variance = match number(item, &label, "variance", errors) {
        Ok(None) => {
            errors.push(InputError::MissingVariance { at: at("variance") });
            None
        }
        Ok(Some(v)) if v < 0.0 => {
            errors.push(InputError::ValueOutOfBounds {
                at: at("variance"),
                value: json::number_text(v),
                domain: ">= 0.0",
            });
            None
        }
        Ok(v) => v,
        Err(()) => None,
    };

    let score_std = match number(item, &label, "score_std", errors) {
        Ok(Some(v)) if v < 0.0 => {
            errors.push(InputError::ValueOutOfBounds {
                at: at("score_std"),
                value: json::number_text(v),
                domain: ">= 0.0",
            });
            None
        }
        Ok(v) => Some(v.unwrap_or(0.0)),
        Err(()) => None,
    };

    let penalty = match number(item, &label, "penalty_applied", errors) {
        Ok(Some(v)) if !(0.0..=1.0).contains(&v) => {
            errors.push(InputError::ValueOutOfBounds {
                at: at("penalty_applied"),
                value: json::number_text(v),
                domain: "[0.0, 1.0]",
            });
            None
        }
        Ok(v) => Some(v.unwrap_or(0.0)),
        Err(()) => None,
    };

    let weakest = optional_string(item, &label, "weakest_area", errors);
    if let (Ok(Some(w)), Some(id)) = (&weakest, id) {
        if !id.areas().contains(&w.as_str()) {
            errors.push(InputError::WeakestAreaInvalid {
                at: at("weakest_area"),
                value: w.clone(),
                allowed: id.areas().iter().map(|a| a.to_string()).collect(),
            });
        }
    }

    let provenance = optional_string(item, &label, "provenance_node_id", errors);
    if let Ok(None) = provenance {
        warnings.push(InputWarning::MissingProvenance {
            at: at("provenance_node_id"),
        });
    } else if let Ok(Some(p)) = &provenance {
        if p.is_empty() {
            warnings.push(InputWarning::MissingProvenance {
                at: at("provenance_node_id"),
            });
        }
    }
    let dispersion = optional_string(item, &label, "dispersion_scenario", errors);
    let method = optional_string(item, &label, "aggregation_method", errors);

    let validation_passed = match item.get("validation_passed") {
        None | Some(Json::Null) => Some(true),
        Some(Json::Bool(b)) => Some(*b),
        Some(other) => {
            errors.push(InputError::WrongType {
                at: at("validation_passed"),
                expected: "boolean",
                found: other.type_name(),
                value: other.excerpt(),
            });
            None
        }
    };

    let area_scores = match item.get("area_scores") {
        None | Some(Json::Null) => None,
        Some(v @ Json::Array(_)) => Some(v.clone()),
        Some(other) => {
            errors.push(InputError::WrongType {
                at: at("area_scores"),
                expected: "array",
                found: other.type_name(),
                value: other.excerpt(),
            });
            None
        }
    };

    if errors.len() != before {
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
        area_scores,
    })
}
