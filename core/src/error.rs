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
//!
//! Findings are bounded, whatever the input: at most [`MAX_LISTED_PER_CODE`] errors (and
//! as many warnings) of one code are listed, then one entry says how many more there are
//! ([`InputError::Omitted`], [`InputWarning::Omitted`], [`Diagnostic::omitted`]), so
//! every consumer gets the same short list and the exact total ([`total`]). Text taken
//! from the input (keys, ids, values) is cut to [`crate::read::json::SHOWN_CHARS`]
//! characters with its length.

use std::fmt;

use serde::Serialize;

use crate::read::json::{Json, Shown};

/// How many findings of one code are listed; the rest are counted in one
/// "…and N more" entry.
pub const MAX_LISTED_PER_CODE: usize = 100;

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
    #[error("{at}: duplicate key {}", key.quoted())]
    DuplicateKey {
        /// The object holding the key.
        at: Location,
        /// The repeated key (cut when long).
        key: Shown,
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
    #[error("cluster {cluster} appears more than once (positions {})", positions_text(positions, *count))]
    DuplicateCluster {
        /// The repeated id (cut when long).
        cluster: String,
        /// 0-based positions in the input: the first [`MAX_LISTED_PER_CODE`].
        positions: Vec<usize>,
        /// How many times it appears.
        count: usize,
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
    #[error("{at}: weakest_area {} is not one of [{}]", value.quoted(), allowed.join(", "))]
    WeakestAreaInvalid {
        /// Where.
        at: Location,
        /// The value given (cut when long).
        value: Shown,
        /// The cluster's areas.
        allowed: Vec<String>,
    },
    /// More violations of one code than are listed: the first [`MAX_LISTED_PER_CODE`]
    /// are, this entry counts the rest.
    #[error(
        "...and {count} more {code} violation(s), not listed (the first {MAX_LISTED_PER_CODE} are)"
    )]
    Omitted {
        /// The code of the violations not listed.
        code: &'static str,
        /// How many.
        count: u64,
    },
}

/// `0, 4, 7`, or `0, 1, … (2000000 in all)` when only the first are listed.
fn positions_text(positions: &[usize], count: usize) -> String {
    let listed: Vec<String> = positions.iter().map(|p| p.to_string()).collect();
    if count > positions.len() {
        format!("{}, … ({count} in all)", listed.join(", "))
    } else {
        listed.join(", ")
    }
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
            InputError::Omitted { code, .. } => code,
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
            | InputError::ClusterCoverageMismatch { .. }
            | InputError::Omitted { .. } => Location::document(),
        }
    }

    /// The offending value, as text, when there is one.
    pub fn value(&self) -> Option<String> {
        match self {
            InputError::InputTooLarge { actual, .. } => Some(actual.to_string()),
            InputError::InvalidClusterCount { actual } => Some(actual.to_string()),
            InputError::DuplicateKey { key, .. } => Some(key.to_string()),
            InputError::WeakestAreaInvalid { value, .. } => Some(value.to_string()),
            InputError::NonFinite { value, .. }
            | InputError::WrongType { value, .. }
            | InputError::ScoreOutOfBounds { value, .. }
            | InputError::CoherenceOutOfBounds { value, .. }
            | InputError::ValueOutOfBounds { value, .. } => Some(value.clone()),
            InputError::Omitted { count, .. } => Some(count.to_string()),
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
            omitted: match self {
                InputError::Omitted { count, .. } => Some(*count),
                _ => None,
            },
        }
    }
}

impl Coded for InputError {
    fn code(&self) -> &'static str {
        InputError::code(self)
    }
    fn omitted(code: &'static str, count: u64) -> Self {
        InputError::Omitted { code, count }
    }
    fn omitted_count(&self) -> Option<u64> {
        match self {
            InputError::Omitted { count, .. } => Some(*count),
            _ => None,
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
        /// The repeated area (cut when long).
        area: String,
    },
    /// More warnings of one code than are listed: the first [`MAX_LISTED_PER_CODE`] are,
    /// this entry counts the rest.
    #[error(
        "...and {count} more {code} warning(s), not listed (the first {MAX_LISTED_PER_CODE} are)"
    )]
    Omitted {
        /// The code of the warnings not listed.
        code: &'static str,
        /// How many.
        count: u64,
    },
}

impl InputWarning {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            InputWarning::MissingProvenance { .. } => "MISSING_PROVENANCE",
            InputWarning::DuplicateArea { .. } => "DUPLICATE_AREA",
            InputWarning::Omitted { code, .. } => code,
        }
    }

    /// A serializable view.
    pub fn report(&self) -> Diagnostic {
        let (at, value, omitted) = match self {
            InputWarning::MissingProvenance { at } => (at.clone(), None, None),
            InputWarning::DuplicateArea { at, area } => (at.clone(), Some(area.clone()), None),
            InputWarning::Omitted { count, .. } => {
                (Location::document(), Some(count.to_string()), Some(*count))
            }
        };
        Diagnostic {
            code: self.code(),
            severity: "warning",
            message: self.to_string(),
            cluster: at.cluster,
            field: at.field,
            value,
            omitted,
        }
    }
}

impl Coded for InputWarning {
    fn code(&self) -> &'static str {
        InputWarning::code(self)
    }
    fn omitted(code: &'static str, count: u64) -> Self {
        InputWarning::Omitted { code, count }
    }
    fn omitted_count(&self) -> Option<u64> {
        match self {
            InputWarning::Omitted { count, .. } => Some(*count),
            _ => None,
        }
    }
}

/// A finding with a stable code, which a [`Capped`] list can stand in for.
pub trait Coded: Sized {
    /// The stable machine code.
    fn code(&self) -> &'static str;
    /// The entry that stands for `count` more findings of `code`.
    fn omitted(code: &'static str, count: u64) -> Self;
    /// `Some(n)` for an entry that stands for `n` findings not listed.
    fn omitted_count(&self) -> Option<u64>;
}

/// A list of coded findings that keeps the first [`MAX_LISTED_PER_CODE`] of each code
/// and counts the rest; [`Capped::finish`] puts one "…and N more" entry right after the
/// last listed finding of each code that had more. Pushing is O(1) amortised, and the
/// memory is bounded whatever is pushed.
#[derive(Clone, Debug)]
pub struct Capped<T> {
    listed: Vec<T>,
    /// Per code: how many listed, how many more, and the index of the last listed.
    codes: Vec<(&'static str, usize, u64, usize)>,
    total: u64,
}

impl<T> Default for Capped<T> {
    fn default() -> Self {
        Capped {
            listed: Vec::new(),
            codes: Vec::new(),
            total: 0,
        }
    }
}

impl<T: Coded> Capped<T> {
    /// Records a finding: listed while its code has room, counted otherwise.
    pub fn push(&mut self, item: T) {
        let code = item.code();
        let extra = item.omitted_count();
        let slot = match self.codes.iter().position(|(c, ..)| *c == code) {
            Some(i) => i,
            None => {
                self.codes.push((code, 0, 0, 0));
                self.codes.len() - 1
            }
        };
        let entry = &mut self.codes[slot];
        if let Some(n) = extra {
            // An entry that already stands for others only adds to the count.
            entry.2 += n;
            self.total += n;
            return;
        }
        self.total += 1;
        if entry.1 < MAX_LISTED_PER_CODE {
            entry.1 += 1;
            entry.3 = self.listed.len();
            self.listed.push(item);
        } else {
            entry.2 += 1;
        }
    }

    /// True while findings of `code` are still listed (so a caller can skip building
    /// one that would only be counted).
    pub fn has_room(&self, code: &str) -> bool {
        self.codes
            .iter()
            .find(|(c, ..)| *c == code)
            .is_none_or(|(_, listed, ..)| *listed < MAX_LISTED_PER_CODE)
    }

    /// Counts one finding of `code` without listing it (when [`Capped::has_room`] said
    /// there is none).
    pub fn count(&mut self, code: &'static str) {
        match self.codes.iter_mut().find(|(c, ..)| *c == code) {
            Some(entry) => entry.2 += 1,
            None => self.codes.push((code, 0, 1, 0)),
        }
        self.total += 1;
    }

    /// Records `count` more findings of `code` that are not listed.
    pub fn add_omitted(&mut self, code: &'static str, count: u64) {
        if count > 0 {
            self.push(T::omitted(code, count));
        }
    }

    /// Every finding recorded, listed or not.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The listed findings, each code's "…and N more" entry after its last listed one
    /// (or in order of first appearance for a code with none listed).
    pub fn finish(self) -> Vec<T> {
        let mut after: Vec<(usize, &'static str, u64)> = self
            .codes
            .iter()
            .filter(|(_, _, more, _)| *more > 0)
            .map(|&(code, listed, more, last)| {
                let at = if listed > 0 { last } else { usize::MAX };
                (at, code, more)
            })
            .collect();
        if after.is_empty() {
            return self.listed;
        }
        order_by_position(&mut after);
        let mut out = Vec::with_capacity(self.listed.len() + after.len());
        let mut pending = after.into_iter().peekable();
        for (i, item) in self.listed.into_iter().enumerate() {
            out.push(item);
            while let Some((_, code, more)) = pending.next_if(|(at, ..)| *at == i) {
                out.push(T::omitted(code, more));
            }
        }
        for (_, code, more) in pending {
            out.push(T::omitted(code, more));
        }
        out
    }
}

/// Sorts "…and N more" entries by the position they follow (a few codes: an insertion
/// sort, which keeps the package free of another sort instantiation).
pub(crate) fn order_by_position<C>(after: &mut [(usize, C, u64)]) {
    for i in 1..after.len() {
        let mut j = i;
        while j > 0 && after[j - 1].0 > after[j].0 {
            after.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The exact number of findings a capped list of diagnostics stands for: the listed
/// ones plus each "…and N more" entry's N.
pub fn total(diagnostics: &[Diagnostic]) -> u64 {
    diagnostics.iter().map(|d| d.omitted.unwrap_or(1)).sum()
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
    /// Present only on the entry that stands for findings of this code that are not
    /// listed (after the first [`MAX_LISTED_PER_CODE`]): how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<u64>,
}

/// The input was rejected: every violation found, in document order, plus the warnings
/// (each code's list capped at [`MAX_LISTED_PER_CODE`], then one "…and N more" entry).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("input rejected with {} violation(s): {}", self.total(), codes_text(errors))]
pub struct InputRejected {
    /// The violations (never empty).
    pub errors: Vec<InputError>,
    /// Warnings found on the way.
    pub warnings: Vec<InputWarning>,
}

/// The codes of a list, in order, each once: `NON_FINITE, WRONG_TYPE`.
fn codes_text(errors: &[InputError]) -> String {
    let mut codes: Vec<&str> = Vec::new();
    for e in errors {
        if !codes.contains(&e.code()) {
            codes.push(e.code());
        }
    }
    codes.join(", ")
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
    /// The exact number of violations (listed or counted).
    pub fn total(&self) -> u64 {
        self.errors
            .iter()
            .map(|e| e.omitted_count().unwrap_or(1))
            .sum()
    }

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
            omitted: None,
        };
        match self {
            Phase7Error::Input(r) => r.errors.iter().map(InputError::report).collect(),
            Phase7Error::Resource(e) => vec![simple(self.code(), e.to_string())],
            Phase7Error::Computation(e) => vec![simple(self.code(), e.to_string())],
            Phase7Error::Interrupted { .. } => vec![simple(self.code(), self.to_string())],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duplicate(i: usize) -> InputWarning {
        InputWarning::DuplicateArea {
            at: Location::document(),
            area: format!("PA{i}"),
        }
    }

    #[test]
    fn capped_lists_the_first_of_each_code_and_counts_every_finding() {
        let mut c = Capped::default();
        for i in 0..MAX_LISTED_PER_CODE + 3 {
            assert_eq!(c.has_room("DUPLICATE_AREA"), i < MAX_LISTED_PER_CODE);
            c.push(duplicate(i));
        }
        c.push(InputWarning::MissingProvenance {
            at: Location::document(),
        });
        // A stand-in for others adds its count; it is not one more finding.
        c.add_omitted("DUPLICATE_AREA", 7);
        c.add_omitted("MISSING_PROVENANCE", 0);
        assert_eq!(c.total(), MAX_LISTED_PER_CODE as u64 + 3 + 1 + 7);
        let out = c.finish();
        assert_eq!(out.len(), MAX_LISTED_PER_CODE + 2);
        // The stand-in follows the last listed DUPLICATE_AREA.
        assert_eq!(out[MAX_LISTED_PER_CODE].code(), "DUPLICATE_AREA");
        assert_eq!(out[MAX_LISTED_PER_CODE].omitted_count(), Some(10));
        assert_eq!(out[MAX_LISTED_PER_CODE + 1].code(), "MISSING_PROVENANCE");
        assert_eq!(out[MAX_LISTED_PER_CODE + 1].omitted_count(), None);
    }

    #[test]
    fn stand_ins_are_ordered_by_the_position_they_follow_stably() {
        let mut after = [
            (5, "c", 1),
            (usize::MAX, "d", 1),
            (0, "a", 2),
            (3, "b", 3),
            (0, "e", 4),
        ];
        order_by_position(&mut after);
        let order: Vec<&str> = after.iter().map(|a| a.1).collect();
        assert_eq!(order, ["a", "e", "b", "c", "d"]);
    }
}
