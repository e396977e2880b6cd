//! Errors, one enum per boundary, each variant with a stable machine code.
//!
//! * [`InputError`] — the input contract (spec §2): the Phase 6 file is rejected.
//! * [`InputWarning`] — input findings that do not reject (they fail the strict gate).
//! * [`ResourceError`] — a resource limit was exceeded.
//! * [`ComputationError`] — the arithmetic could not be carried out.
//!
//! [`Phase7Error`] wraps them for callers that run the whole phase. A failed output
//! contract, invariant or exit gate is *not* an error: the run carries its checks and a
//! [`crate::checks::Verdict`] that says which stage failed.

use std::fmt;

use serde::Serialize;

use crate::read::json::Json;

/// Where in the input a violation is: the cluster (its id, or `#index` when it has no
/// usable id) and the field path inside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// `CLUSTER_MESO_2`, `#3`, or `None` for the document as a whole.
    pub cluster: Option<String>,
    /// `score`, `areas[2]`, or `None` for the whole cluster.
    pub field: Option<String>,
}

impl Location {
    /// The whole document.
    pub fn document() -> Self {
        Location {
            cluster: None,
            field: None,
        }
    }

    /// A field of a cluster.
    pub fn field(cluster: &str, field: &str) -> Self {
        Location {
            cluster: Some(cluster.to_string()),
            field: Some(field.to_string()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.cluster, &self.field) {
            (Some(c), Some(field)) => write!(f, "cluster {c}, field {field}"),
            (Some(c), None) => write!(f, "cluster {c}"),
            (None, Some(field)) => write!(f, "field {field}"),
            (None, None) => f.write_str("document"),
        }
    }
}

/// A violation of the input contract (spec §2). The file is rejected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InputError {
    /// The input is larger than the byte limit (checked before parsing).
    #[error("input is {actual} bytes, over the limit of {limit} bytes")]
    InputTooLarge {
        /// The limit in bytes.
        limit: u64,
        /// The input's size in bytes.
        actual: u64,
    },
    /// The bytes are not JSON (or not UTF-8, or nested too deeply).
    #[error("malformed JSON at line {line}, column {column}: {reason}")]
    MalformedJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        reason: String,
    },
    /// The same key twice in one object.
    #[error("{at}: duplicate key {key:?}")]
    DuplicateKey {
        /// The object holding the key.
        at: Location,
        /// The repeated key.
        key: String,
    },
    /// `NaN`, `Infinity`, `-Infinity` or a number too large for f64.
    #[error("{at}: value {value} is not a finite number")]
    NonFinite {
        /// Where.
        at: Location,
        /// The token as written.
        value: String,
    },
    /// A value of the wrong JSON type.
    #[error("{at}: expected {expected}, found {found} {value}")]
    WrongType {
        /// Where.
        at: Location,
        /// The expected type.
        expected: &'static str,
        /// The JSON type found.
        found: &'static str,
        /// The value found.
        value: String,
    },
    /// A required key is absent.
    #[error("{at}: required field is missing")]
    MissingField {
        /// Where.
        at: Location,
    },
    /// `coherence` is absent or null.
    #[error("{at}: coherence is missing (it must be a number in [0.0, 1.0])")]
    MissingCoherence {
        /// Where.
        at: Location,
    },
    /// `variance` is absent or null.
    #[error("{at}: variance is missing (it must be a finite number >= 0)")]
    MissingVariance {
        /// Where.
        at: Location,
    },
    /// Not exactly four clusters (PRE-7.1).
    #[error("expected exactly 4 clusters, found {actual}")]
    InvalidClusterCount {
        /// How many there are.
        actual: usize,
    },
    /// The set of cluster ids is not MESO_1..4 (PRE-7.2).
    #[error("cluster ids must be exactly CLUSTER_MESO_1..4; missing [{}], unexpected [{}]", missing.join(", "), extra.join(", "))]
    ClusterCoverageMismatch {
        /// Expected ids that are absent.
        missing: Vec<String>,
        /// Ids present that are not expected.
        extra: Vec<String>,
    },
    /// The same cluster id twice (PRE-7.5).
    #[error("cluster {cluster} appears more than once (positions {})", positions.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "))]
    DuplicateCluster {
        /// The repeated id.
        cluster: String,
        /// 0-based positions in the input.
        positions: Vec<usize>,
    },
    /// A score outside [0.0, 3.0] (PRE-7.3).
    #[error("{at}: score {value} is outside [0.0, 3.0]")]
    ScoreOutOfBounds {
        /// Where.
        at: Location,
        /// The score.
        value: String,
    },
    /// A coherence outside [0.0, 1.0] (PRE-7.6).
    #[error("{at}: coherence {value} is outside [0.0, 1.0]")]
    CoherenceOutOfBounds {
        /// Where.
        at: Location,
        /// The coherence.
        value: String,
    },
    /// Negative variance or score_std, penalty outside [0, 1].
    #[error("{at}: value {value} is outside {domain}")]
    ValueOutOfBounds {
        /// Where.
        at: Location,
        /// The value.
        value: String,
        /// The allowed domain, e.g. `[0.0, 1.0]` or `>= 0.0`.
        domain: &'static str,
    },
    /// `areas` is not the fixed composition of the cluster (hermeticity).
    #[error("{at}: areas must be [{}]; missing [{}], unexpected [{}]", expected.join(", "), missing.join(", "), extra.join(", "))]
    ClusterCompositionMismatch {
        /// Where.
        at: Location,
        /// The fixed composition.
        expected: Vec<String>,
        /// Areas of the composition that are absent.
        missing: Vec<String>,
        /// Areas present that do not belong.
        extra: Vec<String>,
    },
    /// `weakest_area` is not one of the cluster's areas.
    #[error("{at}: weakest_area {value:?} is not one of [{}]", allowed.join(", "))]
    WeakestAreaInvalid {
        /// Where.
        at: Location,
        /// The value given.
        value: String,
        /// The cluster's areas.
        allowed: Vec<String>,
    },
}

impl InputError {
    /// A value of the wrong JSON type at `at` (its type and an excerpt are recorded).
    pub fn wrong_type(at: Location, expected: &'static str, found: &Json) -> InputError {
        InputError::WrongType {
            at,
            expected,
            found: found.type_name(),
            value: found.excerpt(),
        }
    }

    /// A required key is absent (or null) at `at`.
    pub fn missing_field(at: Location) -> InputError {
        InputError::MissingField { at }
    }

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::InputTooLarge { .. } => "INPUT_TOO_LARGE",
            InputError::MalformedJson { .. } => "MALFORMED_JSON",
            InputError::DuplicateKey { .. } => "DUPLICATE_KEY",
            InputError::NonFinite { .. } => "NON_FINITE",
            InputError::WrongType { .. } => "WRONG_TYPE",
            InputError::MissingField { .. } => "MISSING_FIELD",
            InputError::MissingCoherence { .. } => "MISSING_COHERENCE",
            InputError::MissingVariance { .. } => "MISSING_VARIANCE",
            InputError::InvalidClusterCount { .. } => "INVALID_CLUSTER_COUNT",
            InputError::ClusterCoverageMismatch { .. } => "CLUSTER_COVERAGE_MISMATCH",
            InputError::DuplicateCluster { .. } => "DUPLICATE_CLUSTER",
            InputError::ScoreOutOfBounds { .. } => "SCORE_OUT_OF_BOUNDS",
            InputError::CoherenceOutOfBounds { .. } => "COHERENCE_OUT_OF_BOUNDS",
            InputError::ValueOutOfBounds { .. } => "VALUE_OUT_OF_BOUNDS",
            InputError::ClusterCompositionMismatch { .. } => "CLUSTER_COMPOSITION_MISMATCH",
            InputError::WeakestAreaInvalid { .. } => "WEAKEST_AREA_INVALID",
        }
    }

    /// Where the violation is (document-level errors give an empty location).
    pub fn location(&self) -> Location {
        match self {
            InputError::DuplicateKey { at, .. }
            | InputError::NonFinite { at, .. }
            | InputError::WrongType { at, .. }
            | InputError::MissingField { at }
            | InputError::MissingCoherence { at }
            | InputError::MissingVariance { at }
            | InputError::ScoreOutOfBounds { at, .. }
            | InputError::CoherenceOutOfBounds { at, .. }
            | InputError::ValueOutOfBounds { at, .. }
            | InputError::ClusterCompositionMismatch { at, .. }
            | InputError::WeakestAreaInvalid { at, .. } => at.clone(),
            InputError::DuplicateCluster { cluster, .. } => Location {
                cluster: Some(cluster.clone()),
                field: Some("cluster_id".into()),
            },
            InputError::InputTooLarge { .. }
            | InputError::MalformedJson { .. }
            | InputError::InvalidClusterCount { .. }
            | InputError::ClusterCoverageMismatch { .. } => Location::document(),
        }
    }

    /// The offending value, as text, when there is one.
    pub fn value(&self) -> Option<String> {
        match self {
            InputError::InputTooLarge { actual, .. } => Some(actual.to_string()),
            InputError::InvalidClusterCount { actual } => Some(actual.to_string()),
            InputError::DuplicateKey { key, .. } => Some(key.clone()),
            InputError::NonFinite { value, .. }
            | InputError::WrongType { value, .. }
            | InputError::ScoreOutOfBounds { value, .. }
            | InputError::CoherenceOutOfBounds { value, .. }
            | InputError::ValueOutOfBounds { value, .. }
            | InputError::WeakestAreaInvalid { value, .. } => Some(value.clone()),
            InputError::DuplicateCluster { cluster, .. } => Some(cluster.clone()),
            InputError::ClusterCoverageMismatch { extra, .. } => Some(extra.join(", ")),
            InputError::ClusterCompositionMismatch { extra, missing, .. } => Some(format!(
                "missing [{}], unexpected [{}]",
                missing.join(", "),
                extra.join(", ")
            )),
            InputError::MissingField { .. }
            | InputError::MissingCoherence { .. }
            | InputError::MissingVariance { .. }
            | InputError::MalformedJson { .. } => None,
        }
    }

    /// A serializable view: code, message, cluster, field, value.
    pub fn report(&self) -> Diagnostic {
        let at = self.location();
        Diagnostic {
            code: self.code(),
            severity: "error",
            message: self.to_string(),
            cluster: at.cluster,
            field: at.field,
            value: self.value(),
        }
    }
}

/// A finding that does not reject the input (it fails the gate in strict mode).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputWarning {
    /// PRE-7.4: the cluster carries no Phase 6 provenance id.
    #[error("{at}: provenance_node_id is missing or empty (Phase 6 provenance cannot be traced)")]
    MissingProvenance {
        /// Where.
        at: Location,
    },
    /// An area listed more than once in `areas`.
    #[error("{at}: area {area} is listed more than once")]
    DuplicateArea {
        /// Where.
        at: Location,
        /// The repeated area.
        area: String,
    },
}

impl InputWarning {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            InputWarning::MissingProvenance { .. } => "MISSING_PROVENANCE",
            InputWarning::DuplicateArea { .. } => "DUPLICATE_AREA",
        }
    }

    /// A serializable view.
    pub fn report(&self) -> Diagnostic {
        let (at, value) = match self {
            InputWarning::MissingProvenance { at } => (at.clone(), None),
            InputWarning::DuplicateArea { at, area } => (at.clone(), Some(area.clone())),
        };
        Diagnostic {
            code: self.code(),
            severity: "warning",
            message: self.to_string(),
            cluster: at.cluster,
            field: at.field,
            value,
        }
    }
}

/// The serializable form of any coded error or warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable machine code, e.g. `SCORE_OUT_OF_BOUNDS`.
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// A sentence a person can act on.
    pub message: String,
    /// The cluster, when the finding is about one.
    pub cluster: Option<String>,
    /// The field, when the finding is about one.
    pub field: Option<String>,
    /// The offending value as text.
    pub value: Option<String>,
}

/// The input was rejected: every violation found, in document order, plus the warnings.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("input rejected with {} violation(s): {}", errors.len(), errors.iter().map(|e| e.code()).collect::<Vec<_>>().join(", "))]
pub struct InputRejected {
    /// The violations (never empty).
    pub errors: Vec<InputError>,
    /// Warnings found on the way.
    pub warnings: Vec<InputWarning>,
}

/// A resource limit was exceeded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{resource}: limit {limit}, observed {observed}")]
pub struct ResourceError {
    /// What ran out, e.g. `input bytes`.
    pub resource: &'static str,
    /// The limit.
    pub limit: String,
    /// What was observed.
    pub observed: String,
}

/// The arithmetic could not be carried out (should not happen on validated input).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("computation failed in {stage}: {reason}")]
pub struct ComputationError {
    /// The stage.
    pub stage: &'static str,
    /// What went wrong.
    pub reason: String,
}

/// Any failure of a Phase 7 run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Phase7Error {
    /// Input contract.
    #[error(transparent)]
    Input(#[from] InputRejected),
    /// Resource limit.
    #[error(transparent)]
    Resource(#[from] ResourceError),
    /// Arithmetic.
    #[error(transparent)]
    Computation(#[from] ComputationError),
    /// The run was stopped on purpose after a stage (its checkpoint is written).
    #[error("run interrupted after {stage}")]
    Interrupted {
        /// The last completed stage.
        stage: String,
    },
}

impl InputRejected {
    /// A rejection with one violation and no warnings.
    pub fn one(error: InputError) -> InputRejected {
        InputRejected {
            errors: vec![error],
            warnings: Vec::new(),
        }
    }

    /// An input over the byte limit (checked before it is read or parsed).
    pub fn too_large(limit: u64, actual: u64) -> InputRejected {
        InputRejected::one(InputError::InputTooLarge { limit, actual })
    }
}

impl Phase7Error {
    /// An input over the byte limit (checked before it is read or parsed).
    pub fn too_large(limit: u64, actual: u64) -> Phase7Error {
        Phase7Error::Input(InputRejected::too_large(limit, actual))
    }

    /// Which boundary failed: `INPUT_CONTRACT`, `RESOURCE`, `COMPUTATION` or
    /// `INTERRUPTED`.
    pub fn class(&self) -> &'static str {
        match self {
            Phase7Error::Input(_) => "INPUT_CONTRACT",
            Phase7Error::Resource(_) => "RESOURCE",
            Phase7Error::Computation(_) => "COMPUTATION",
            Phase7Error::Interrupted { .. } => "INTERRUPTED",
        }
    }

    /// The stable machine code of the failure class.
    pub fn code(&self) -> &'static str {
        match self {
            Phase7Error::Input(r) => r
                .errors
                .first()
                .map_or("INPUT_CONTRACT_VIOLATION", InputError::code),
            Phase7Error::Resource(_) => "RESOURCE_EXHAUSTED",
            Phase7Error::Computation(_) => "COMPUTATION_FAILED",
            Phase7Error::Interrupted { .. } => "INTERRUPTED",
        }
    }

    /// Every finding as a coded diagnostic (one per line in the CLI).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let simple = |code: &'static str, message: String| Diagnostic {
            code,
            severity: "error",
            message,
            cluster: None,
            field: None,
            value: None,
        };
        match self {
            Phase7Error::Input(r) => r.errors.iter().map(InputError::report).collect(),
            Phase7Error::Resource(e) => vec![simple(self.code(), e.to_string())],
            Phase7Error::Computation(e) => vec![simple(self.code(), e.to_string())],
            Phase7Error::Interrupted { .. } => vec![simple(self.code(), self.to_string())],
        }
    }
}
