//! The Phase 6 → 7 bridge: reads the pipeline's Phase 6 file as it is (spec §1), checks
//! the input contract of the document (spec §2, §7: envelope, count, coverage,
//! duplicates; each cluster through `read::cluster`) reporting every violation at once,
//! and returns a [`ValidatedPhase6`], the only type the aggregation accepts ("parse,
//! don't validate").

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::attest::digest;

use crate::error::{ComputationError, InputError, InputRejected, InputWarning, Location};
use crate::model::{Cluster, ClusterId};
use crate::read::cluster;
use crate::read::json::{self, Finding, Json, Step};

/// Default cap on the input size: 16 MiB (a real Phase 6 file is a few KiB).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Limits applied while reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest accepted input, in bytes (checked before parsing).
    pub max_input_bytes: u64,
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
#[derive(Clone, Debug)]
pub struct ValidatedPhase6 {
    clusters: Vec<Cluster>,
    warnings: Vec<InputWarning>,
    document: Json,
    /// The input digest, computed once on first use (every run, certificate and
    /// checkpoint of this input needs it).
    digest: OnceLock<String>,
}

impl PartialEq for ValidatedPhase6 {
    /// Equal inputs are equal documents (the rest is derived from the document).
    fn eq(&self, other: &Self) -> bool {
        self.document == other.document
    }
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

    /// The input digest: `hex(SHA-256(JCS(document)))`, computed once.
    ///
    /// # Errors
    ///
    /// A [`ComputationError`] if the document cannot be canonically encoded (a validated
    /// document holds no non-finite number, so it can).
    pub fn digest(&self) -> Result<&str, ComputationError> {
        if let Some(d) = self.digest.get() {
            return Ok(d);
        }
        let d = digest::of(&self.document)?;
        Ok(self.digest.get_or_init(|| d))
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
/// let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
/// let input = phase7_core::read::bridge::read(bytes, &Default::default()).unwrap();
/// assert_eq!(input.clusters().len(), 4);
/// ```
pub fn read(bytes: &[u8], limits: &ReadLimits) -> Result<ValidatedPhase6, InputRejected> {
    let doc = parse_limited(bytes, limits)?;
    validate_document(doc.value, &doc.findings)
}

/// The size check (before parsing) and the parse.
fn parse_limited(bytes: &[u8], limits: &ReadLimits) -> Result<json::Document, InputRejected> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(InputRejected::too_large(
            limits.max_input_bytes,
            bytes.len() as u64,
        ));
    }
    json::parse(bytes).map_err(|e| {
        InputRejected::one(InputError::MalformedJson {
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

/// Maps a document path to (cluster label, field path inside the cluster).
fn locate(path: &[Step], prefix: &[Step], clusters: &[Json]) -> Location {
    if path.len() > prefix.len() && path.starts_with(prefix) {
        if let Step::Index(i) = path[prefix.len()] {
            let label = clusters
                .get(i)
                .map_or_else(|| format!("#{i}"), |c| cluster::label(c, i));
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
        if let Some(c) = cluster::read(item, i, &mut errors, &mut warnings) {
            clusters.push(c);
        }
    }

    if errors.is_empty() && clusters.len() == 4 {
        Ok(ValidatedPhase6 {
            clusters,
            warnings,
            document: doc,
            digest: OnceLock::new(),
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
