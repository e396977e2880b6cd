//! The Phase 6 → 7 bridge: reads the pipeline's Phase 6 file as it is (spec §1), checks
//! the input contract of the document (spec §2, §7: envelope, count, coverage,
//! duplicates; each cluster through `read::cluster`) reporting every violation at once,
//! and returns a [`ValidatedPhase6`], the only type the aggregation accepts ("parse,
//! don't validate").

use std::sync::OnceLock;

use crate::attest::digest;

use crate::error::{
    Capped, ComputationError, InputError, InputRejected, InputWarning, Location,
    MAX_LISTED_PER_CODE,
};
use crate::model::{Cluster, ClusterId};
use crate::read::cluster;
use crate::read::json::{self, Finding, Json, More, Step, StrIndex};

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

    /// Frees the parsed document once its digest is computed and nothing reads it any
    /// more: a verification drops it after reissuing the certificates from the rerun,
    /// before it parses the supplied `macro_score.json` and audit trail, so that three
    /// parsed files are never held at once (a 15 MB input of nests given also as the
    /// certificate, macro_score.json and audit trail held 789 MB). Afterwards
    /// [`ValidatedPhase6::document`] is `null`; the digest and the clusters stay.
    pub(crate) fn release_document(&mut self) {
        if self.digest.get().is_some() {
            self.document = Json::Null;
        }
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
        let d = digest::of_json(&self.document)?;
        Ok(self.digest.get_or_init(|| d))
    }
}

/// Reads and validates a Phase 6 file.
///
/// # Errors
///
/// [`InputRejected`] with every violation found: INPUT_TOO_LARGE (before parsing),
/// MALFORMED_JSON (stops there), otherwise all contract violations of spec §2 (each
/// code's list capped at [`crate::error::MAX_LISTED_PER_CODE`], then one "…and N more").
///
/// # Example
///
/// ```
/// let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
/// let input = phase7_core::read::bridge::read(bytes, &Default::default()).unwrap();
/// assert_eq!(input.clusters().len(), 4);
/// ```
pub fn read(bytes: &[u8], limits: &ReadLimits) -> Result<ValidatedPhase6, InputRejected> {
    check_size(bytes, limits)?;
    let doc = json::parse(bytes).map_err(malformed)?;
    validate_document(doc.value, &doc.findings, doc.more)
}

/// The size check, before anything is parsed.
fn check_size(bytes: &[u8], limits: &ReadLimits) -> Result<(), InputRejected> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(InputRejected::too_large(
            limits.max_input_bytes,
            bytes.len() as u64,
        ));
    }
    Ok(())
}

fn malformed(e: json::SyntaxError) -> InputRejected {
    InputRejected::one(InputError::MalformedJson {
        line: e.line,
        column: e.column,
        reason: e.reason,
    })
}

/// Validates an already parsed value (used for JSON-lines batches and the WASM API).
///
/// # Errors
///
/// As [`read`], without the size and syntax checks (duplicate keys cannot be seen in a
/// value: they were resolved when it was parsed).
pub fn validate(value: Json) -> Result<ValidatedPhase6, InputRejected> {
    let mut found = NonFinite::default();
    found.walk(&value, &mut Vec::new());
    validate_document(value, &found.listed, found.more)
}

/// Non-finite numbers of a value, the first of them listed, the rest counted.
#[derive(Default)]
struct NonFinite {
    listed: Vec<Finding>,
    more: More,
}

/// A step of a path that borrows its key.
#[derive(Clone, Copy)]
enum At<'a> {
    Key(&'a str),
    Index(usize),
}

impl NonFinite {
    fn walk<'a>(&mut self, v: &'a Json, path: &mut Vec<At<'a>>) {
        match v {
            Json::Number(x) if !x.is_finite() => {
                if self.listed.len() < crate::error::MAX_LISTED_PER_CODE {
                    let path = path
                        .iter()
                        .map(|s| match s {
                            At::Key(k) => Step::key_recorded(k),
                            At::Index(i) => Step::Index(*i),
                        })
                        .collect();
                    self.listed.push(Finding::NonFinite {
                        path,
                        token: json::number_text(*x),
                        replaced: None,
                    });
                } else {
                    self.more.non_finite += 1;
                }
            }
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(At::Index(i));
                    self.walk(item, path);
                    path.pop();
                }
            }
            Json::Object(entries) => {
                for (k, item) in entries {
                    path.push(At::Key(k));
                    self.walk(item, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }
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
    check_size(bytes, limits)?;
    let (doc, scoped) = json::parse_scoped(bytes, "phase6").map_err(malformed)?;
    let Json::Object(entries) = doc.value else {
        return validate_document(doc.value, &doc.findings, doc.more);
    };
    let Some(pos) = entries.iter().position(|(k, _)| k == "phase6") else {
        return validate_document(Json::Object(entries), &doc.findings, doc.more);
    };
    let scoped = scoped.unwrap_or_default();
    let value = entries.into_iter().nth(pos).map_or(Json::Null, |(_, v)| v);
    validate_document(value, &scoped.listed, scoped.more)
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

/// Where a cluster id appears: its first position, the next ones (up to
/// [`MAX_LISTED_PER_CODE`] in all) and how many times.
struct Positions<'a> {
    id: &'a str,
    first: usize,
    more: Vec<usize>,
    count: usize,
}

/// Coverage and duplicates (PRE-7.2, PRE-7.5) over the string ids present, in one pass:
/// the distinct ids in order of appearance, found by a scan while there are few and
/// through a hash index past 16 — linear in the number of clusters, whatever their ids.
fn coverage(items: &[Json], errors: &mut Capped<InputError>) {
    let mut ids: Vec<Positions> = Vec::new();
    let mut index = StrIndex::default();
    for (i, item) in items.iter().enumerate() {
        let Some(Json::String(id)) = item.get("cluster_id") else {
            continue;
        };
        let found = if ids.len() <= 16 {
            ids.iter().position(|p| p.id == id)
        } else {
            if index.is_empty() {
                for (j, p) in ids.iter().enumerate() {
                    index.insert(p.id, j);
                }
            }
            index.find(id, &|j| ids[j].id)
        };
        match found {
            Some(j) => {
                let p = &mut ids[j];
                p.count += 1;
                if p.more.len() + 1 < MAX_LISTED_PER_CODE {
                    p.more.push(i);
                }
            }
            None => {
                if !index.is_empty() {
                    index.insert(id, ids.len());
                }
                ids.push(Positions {
                    id,
                    first: i,
                    more: Vec::new(),
                    count: 1,
                });
            }
        }
    }
    let missing: Vec<String> = ClusterId::ALL
        .iter()
        .filter(|c| !ids.iter().any(|p| p.id == c.as_str()))
        .map(|c| c.as_str().to_string())
        .collect();
    let unexpected: Vec<&str> = ids
        .iter()
        .map(|p| p.id)
        .filter(|id| ClusterId::parse(id).is_none())
        .collect();
    let mut extra: Vec<String> = unexpected
        .iter()
        .take(MAX_LISTED_PER_CODE)
        .map(|id| json::shown(id))
        .collect();
    if unexpected.len() > extra.len() {
        extra.push(format!("...and {} more", unexpected.len() - extra.len()));
    }
    if !missing.is_empty() || !extra.is_empty() {
        errors.push(InputError::ClusterCoverageMismatch { missing, extra });
    }
    for p in ids.iter().filter(|p| p.count > 1) {
        if errors.has_room("DUPLICATE_CLUSTER") {
            let mut positions = vec![p.first];
            positions.extend_from_slice(&p.more);
            errors.push(InputError::DuplicateCluster {
                cluster: json::shown(p.id),
                positions,
                count: p.count,
            });
        } else {
            errors.count("DUPLICATE_CLUSTER");
        }
    }
}

fn validate_document(
    doc: Json,
    findings: &[Finding],
    more: More,
) -> Result<ValidatedPhase6, InputRejected> {
    let mut errors: Capped<InputError> = Capped::default();
    let mut warnings: Capped<InputWarning> = Capped::default();

    let (items, prefix) = match cluster_array(&doc) {
        Ok(found) => found,
        Err(e) => {
            let empty: &[Json] = &[];
            record_findings(&mut errors, findings, more, &[], empty);
            errors.push(e);
            return Err(InputRejected {
                errors: errors.finish(),
                warnings: warnings.finish(),
            });
        }
    };

    record_findings(&mut errors, findings, more, &prefix, items);

    if items.len() != 4 {
        errors.push(InputError::InvalidClusterCount {
            actual: items.len(),
        });
    }
    coverage(items, &mut errors);

    let mut clusters = Vec::with_capacity(4);
    for (i, item) in items.iter().enumerate() {
        if let Some(c) = cluster::read(item, i, &mut errors, &mut warnings) {
            if clusters.len() < 4 {
                clusters.push(c);
            }
        }
    }

    if errors.is_empty() && clusters.len() == 4 {
        Ok(ValidatedPhase6 {
            clusters,
            warnings: warnings.finish(),
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
        Err(InputRejected {
            errors: errors.finish(),
            warnings: warnings.finish(),
        })
    }
}

/// The parser's findings as input errors, then the counts of those it did not list.
fn record_findings(
    errors: &mut Capped<InputError>,
    findings: &[Finding],
    more: More,
    prefix: &[Step],
    items: &[Json],
) {
    for f in findings {
        errors.push(finding_error(f, prefix, items));
    }
    errors.add_omitted("NON_FINITE", more.non_finite);
    errors.add_omitted("DUPLICATE_KEY", more.duplicate_keys);
}

fn finding_error(f: &Finding, prefix: &[Step], items: &[Json]) -> InputError {
    let at = |path: &[Step]| match f.replaced() {
        // Inside a value replaced at or above the cluster array, an index names a cluster
        // of the array that was replaced, not of the one read: the path as written.
        Some(n) if n <= prefix.len() => Location {
            cluster: None,
            field: Some(json::path_text(path)),
        },
        _ => locate(path, prefix, items),
    };
    match f {
        Finding::NonFinite { path, token, .. } => InputError::NonFinite {
            at: at(path),
            value: token.clone(),
        },
        Finding::DuplicateKey { path, key, .. } => InputError::DuplicateKey {
            at: at(path),
            key: key.clone(),
        },
    }
}
