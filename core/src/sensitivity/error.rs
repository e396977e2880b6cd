//! The coded errors of the sensitivity analysis.

use crate::{error::ComputationError, error::Diagnostic, read::json::number_text};

/// Longest piece of untrusted text quoted back in an error message (characters).
const QUOTE_LIMIT: usize = 64;

/// Why a sensitivity analysis, a Monte Carlo run or a what-if could not be made.
///
/// Every variant has a stable machine code ([`SensitivityError::code`]) and names the
/// cluster, the field and the offending value where there is one.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    /// A value of the model is outside its domain (only possible through
    /// [`super::Model::from_parts`]; a validated input always makes a valid model).
    #[error("{}{field} = {}: {reason}", cluster.map(|c| format!("{c}: ")).unwrap_or_default(), number_text(*value))]
    InvalidModel {
        /// The cluster, when the value belongs to one.
        cluster: Option<&'static str>,
        /// The field (`score`, `score_std`, `weight`, `cluster_id`, `score_normalized`).
        field: &'static str,
        /// The offending value.
        value: f64,
        /// What the value must be.
        reason: &'static str,
    },
    /// The number of Monte Carlo draws is 0 or above the limit.
    #[error("draws = {draws}: must be between 1 and {max}")]
    DrawsOutOfRange {
        /// The requested number of draws.
        draws: u64,
        /// The largest accepted number.
        max: u64,
    },
    /// The seed is not an integer a JavaScript number holds exactly.
    #[error("seed = {seed}: must be between 0 and {max} (2^53 − 1, so that a browser and a URL carry it exactly)")]
    SeedOutOfRange {
        /// The requested seed.
        seed: u64,
        /// The largest accepted seed.
        max: u64,
    },
    /// The weight range is not a finite number in [0, 1).
    #[error("weight_range = {}: must be a finite number with 0 ≤ r < 1", number_text(*value))]
    WeightRangeInvalid {
        /// The requested range.
        value: f64,
    },
    /// An edited cluster weight is not finite or is negative.
    #[error("{cluster}: weight = {}: {reason}", number_text(*value))]
    WeightInvalid {
        /// The cluster.
        cluster: &'static str,
        /// The offending weight.
        value: f64,
        /// What a weight must be.
        reason: &'static str,
    },
    /// The edited cluster weights add up to zero: nothing to normalise.
    #[error("the four weights add up to {}: the sum must be finite and > 0", number_text(*sum))]
    WeightsSumZero {
        /// Their sum.
        sum: f64,
    },
    /// A what-if text (`w=0.3,0.2,0.25,0.25`) does not follow the grammar.
    #[error("what-if weights {text}: {reason}")]
    WhatIfSyntax {
        /// The text as given, quoted with control characters escaped and cut to 64
        /// characters.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The arithmetic could not be carried out (a propagated variance that overflows).
    #[error(transparent)]
    Computation(#[from] ComputationError),
}

impl SensitivityError {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            SensitivityError::InvalidModel { .. } => "SENSITIVITY_MODEL_INVALID",
            SensitivityError::DrawsOutOfRange { .. } => "DRAWS_OUT_OF_RANGE",
            SensitivityError::SeedOutOfRange { .. } => "SEED_OUT_OF_RANGE",
            SensitivityError::WeightRangeInvalid { .. } => "WEIGHT_RANGE_INVALID",
            SensitivityError::WeightInvalid { .. } => "WHAT_IF_WEIGHT_INVALID",
            SensitivityError::WeightsSumZero { .. } => "WHAT_IF_WEIGHTS_SUM_ZERO",
            SensitivityError::WhatIfSyntax { .. } => "WHAT_IF_SYNTAX",
            SensitivityError::Computation(_) => "COMPUTATION_FAILED",
        }
    }

    /// A serializable view (severity `error`).
    pub fn report(&self) -> Diagnostic {
        let (cluster, field, value) = match self {
            SensitivityError::InvalidModel {
                cluster,
                field,
                value,
                ..
            } => (
                cluster.map(str::to_string),
                Some(field.to_string()),
                Some(number_text(*value)),
            ),
            SensitivityError::DrawsOutOfRange { draws, .. } => {
                (None, Some("draws".into()), Some(draws.to_string()))
            }
            SensitivityError::SeedOutOfRange { seed, .. } => {
                (None, Some("seed".into()), Some(seed.to_string()))
            }
            SensitivityError::WeightRangeInvalid { value } => {
                (None, Some("weight_range".into()), Some(number_text(*value)))
            }
            SensitivityError::WeightInvalid { cluster, value, .. } => (
                Some(cluster.to_string()),
                Some("weight".into()),
                Some(number_text(*value)),
            ),
            SensitivityError::WeightsSumZero { sum } => {
                (None, Some("weights".into()), Some(number_text(*sum)))
            }
            SensitivityError::WhatIfSyntax { text, .. } => {
                (None, Some("weights".into()), Some(text.clone()))
            }
            SensitivityError::Computation(_) => (None, None, None),
        };
        Diagnostic {
            code: self.code(),
            severity: "error",
            message: self.to_string(),
            cluster,
            field,
            value,
            omitted: None,
        }
    }
}

/// Untrusted text made safe to quote ([`crate::quote::string`]: control characters,
/// bidi controls and quotes escaped), cut to [`QUOTE_LIMIT`] characters with `…` after a cut.
pub(crate) fn quote(text: &str) -> String {
    let mut cut: String = text.chars().take(QUOTE_LIMIT).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    crate::quote::string(&cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_control_characters_and_cuts_long_text() {
        assert_eq!(quote("w=\u{1b}[31m"), "\"w=\\u{1b}[31m\"");
        let long = "x".repeat(1000);
        let q = quote(&long);
        assert_eq!(q.chars().count(), QUOTE_LIMIT + 3);
        assert!(q.ends_with("…\""));
    }

    #[test]
    fn every_error_has_its_code_and_names_the_value() {
        let e = SensitivityError::WeightInvalid {
            cluster: "CLUSTER_MESO_2",
            value: -0.5,
            reason: "must be ≥ 0",
        };
        assert_eq!(e.code(), "WHAT_IF_WEIGHT_INVALID");
        assert_eq!(e.to_string(), "CLUSTER_MESO_2: weight = -0.5: must be ≥ 0");
        let d = e.report();
        assert_eq!(d.cluster.as_deref(), Some("CLUSTER_MESO_2"));
        assert_eq!(d.value.as_deref(), Some("-0.5"));
        let e = SensitivityError::DrawsOutOfRange { draws: 0, max: 7 };
        assert_eq!(e.to_string(), "draws = 0: must be between 1 and 7");
        assert_eq!(e.report().code, "DRAWS_OUT_OF_RANGE");
    }
}
