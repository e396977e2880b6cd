//! Stages 2–8 of spec §5: the bit-exact computation and the MacroScore.
//!
//! [`pymath`] reproduces Python's arithmetic, [`aggregate`] computes each stage as a pure
//! function of the validated input, [`macro_score`] assembles the result in the
//! pipeline's shape. The results of the stages done so far are a [`Progress`] record —
//! what a checkpoint stores — so [`compute`] can continue from any stage with the same
//! bits as an uninterrupted run.

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{ComputationError, Phase7Error};
use crate::read::bridge::ValidatedPhase6;

pub mod aggregate;
pub mod macro_score;
pub mod pymath;

use aggregate::{Alignment, Coherence, Gaps, QualityLevel, Uncertainty, WeightedScore};
use macro_score::{MacroScore, Parts};

/// The eight stages of spec §5, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    /// Reading and the input contract.
    #[serde(rename = "STAGE_INPUT_VALIDATION")]
    InputValidation,
    /// Weighted score.
    #[serde(rename = "STAGE_WEIGHTED_SCORE")]
    WeightedScore,
    /// Quality band.
    #[serde(rename = "STAGE_QUALITY_CLASSIFICATION")]
    QualityClassification,
    /// Coherence.
    #[serde(rename = "STAGE_COHERENCE_ANALYSIS")]
    CoherenceAnalysis,
    /// Systemic gaps.
    #[serde(rename = "STAGE_GAP_DETECTION")]
    GapDetection,
    /// Alignment.
    #[serde(rename = "STAGE_ALIGNMENT_SCORING")]
    AlignmentScoring,
    /// Uncertainty.
    #[serde(rename = "STAGE_UNCERTAINTY_PROPAGATION")]
    UncertaintyPropagation,
    /// MacroScore, contracts, invariants, gate.
    #[serde(rename = "STAGE_AGGREGATION_FINAL")]
    AggregationFinal,
}

impl Stage {
    /// All stages in order.
    pub const ALL: [Stage; 8] = [
        Stage::InputValidation,
        Stage::WeightedScore,
        Stage::QualityClassification,
        Stage::CoherenceAnalysis,
        Stage::GapDetection,
        Stage::AlignmentScoring,
        Stage::UncertaintyPropagation,
        Stage::AggregationFinal,
    ];

    /// The spec's name, e.g. `STAGE_GAP_DETECTION`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::InputValidation => "STAGE_INPUT_VALIDATION",
            Stage::WeightedScore => "STAGE_WEIGHTED_SCORE",
            Stage::QualityClassification => "STAGE_QUALITY_CLASSIFICATION",
            Stage::CoherenceAnalysis => "STAGE_COHERENCE_ANALYSIS",
            Stage::GapDetection => "STAGE_GAP_DETECTION",
            Stage::AlignmentScoring => "STAGE_ALIGNMENT_SCORING",
            Stage::UncertaintyPropagation => "STAGE_UNCERTAINTY_PROPAGATION",
            Stage::AggregationFinal => "STAGE_AGGREGATION_FINAL",
        }
    }

    /// Parses a stage name.
    pub fn parse(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.name() == name)
    }

    /// 1-based position (k of 8).
    pub fn number(self) -> usize {
        Stage::ALL
            .iter()
            .position(|s| *s == self)
            .map_or(0, |i| i + 1)
    }
}

/// The results of the stages completed so far; what a checkpoint stores.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Digest of the input these results belong to.
    pub input_digest: String,
    /// Stage 2.
    pub weighted: Option<WeightedScore>,
    /// Stage 3.
    pub quality: Option<QualityLevel>,
    /// Stage 4.
    pub coherence: Option<Coherence>,
    /// Stage 5.
    pub gaps: Option<Gaps>,
    /// Stage 6.
    pub alignment: Option<Alignment>,
    /// Stage 7.
    pub uncertainty: Option<Uncertainty>,
}

impl Progress {
    /// A fresh record for the input with this digest (stage 1 done).
    pub fn started(input_digest: &str) -> Progress {
        Progress {
            input_digest: input_digest.to_string(),
            ..Progress::default()
        }
    }

    /// The last stage whose result is present (stage 1 once the input digest is set).
    pub fn last_stage(&self) -> Option<Stage> {
        let done = [
            !self.input_digest.is_empty(),
            self.weighted.is_some(),
            self.quality.is_some(),
            self.coherence.is_some(),
            self.gaps.is_some(),
            self.alignment.is_some(),
            self.uncertainty.is_some(),
        ];
        let n = done.iter().take_while(|d| **d).count();
        n.checked_sub(1).map(|i| Stage::ALL[i])
    }
}

/// Receives each stage as it completes (signals, metrics, checkpoints). Returning an
/// error stops the run there (used by the CLI's crash-test hook and the time budget).
pub trait StageObserver {
    /// Called after `stage` with the progress so far.
    ///
    /// # Errors
    ///
    /// Whatever the observer wants to stop the run with.
    fn stage_completed(&mut self, stage: Stage, progress: &Progress) -> Result<(), Phase7Error>;
}

/// An observer that does nothing.
pub struct NoObserver;

impl StageObserver for NoObserver {
    fn stage_completed(&mut self, _: Stage, _: &Progress) -> Result<(), Phase7Error> {
        Ok(())
    }
}

/// Runs stages 2–7 that `progress` does not hold yet, telling `observer` about each.
///
/// # Errors
///
/// A [`ComputationError`] from a stage, or whatever the observer stops the run with.
pub fn compute(
    input: &ValidatedPhase6,
    config: &Config,
    progress: &mut Progress,
    observer: &mut dyn StageObserver,
) -> Result<(), Phase7Error> {
    if progress.weighted.is_none() {
        progress.weighted = Some(aggregate::weighted_score(input, config));
        observer.stage_completed(Stage::WeightedScore, progress)?;
    }
    if progress.quality.is_none() {
        let normalized = progress
            .weighted
            .as_ref()
            .map_or(0.0, |w| w.score_normalized);
        progress.quality = Some(aggregate::quality(normalized, config));
        observer.stage_completed(Stage::QualityClassification, progress)?;
    }
    if progress.coherence.is_none() {
        progress.coherence = Some(aggregate::coherence(input, config)?);
        observer.stage_completed(Stage::CoherenceAnalysis, progress)?;
    }
    if progress.gaps.is_none() {
        progress.gaps = Some(aggregate::gaps(input, config));
        observer.stage_completed(Stage::GapDetection, progress)?;
    }
    if progress.alignment.is_none() {
        progress.alignment = Some(aggregate::alignment(input, config)?);
        observer.stage_completed(Stage::AlignmentScoring, progress)?;
    }
    if progress.uncertainty.is_none() {
        progress.uncertainty = Some(aggregate::uncertainty(input, config)?);
        observer.stage_completed(Stage::UncertaintyPropagation, progress)?;
    }
    Ok(())
}

/// Stages 2–7 from scratch with the given `sum()`, without observers: with
/// [`pymath::Summation::Compensated`] the same results as [`compute`]; with
/// [`pymath::Summation::Plain`] what Python ≤ 3.11 gives, which the claim check
/// ([`crate::verify::claim`]) compares a claimed output with. The published path
/// ([`compute`]) never calls this.
///
/// # Errors
///
/// A [`ComputationError`] from a stage.
pub fn recompute(
    input: &ValidatedPhase6,
    config: &Config,
    input_digest: &str,
    summation: pymath::Summation,
) -> Result<Progress, ComputationError> {
    let weighted = aggregate::weighted_score_with(input, config, summation);
    let quality = aggregate::quality(weighted.score_normalized, config);
    Ok(Progress {
        input_digest: input_digest.to_string(),
        weighted: Some(weighted),
        quality: Some(quality),
        coherence: Some(aggregate::coherence(input, config)?),
        gaps: Some(aggregate::gaps(input, config)),
        alignment: Some(aggregate::alignment(input, config)?),
        uncertainty: Some(aggregate::uncertainty_with(input, config, summation)?),
    })
}

/// Stage 8: the MacroScore from a complete [`Progress`].
///
/// # Errors
///
/// A [`ComputationError`] when a stage result is missing.
pub fn finish(
    input: &ValidatedPhase6,
    config: &Config,
    progress: &Progress,
    config_digest: &str,
    evaluated_at: Option<&str>,
) -> Result<MacroScore, ComputationError> {
    let incomplete = || ComputationError {
        stage: Stage::AggregationFinal.name(),
        reason: "a stage result is missing".into(),
    };
    let parts = Parts {
        input,
        config,
        input_digest: &progress.input_digest,
        weighted: progress.weighted.as_ref().ok_or_else(incomplete)?,
        quality: progress.quality.ok_or_else(incomplete)?,
        coherence: progress.coherence.as_ref().ok_or_else(incomplete)?,
        gaps: progress.gaps.as_ref().ok_or_else(incomplete)?,
        alignment: progress.alignment.as_ref().ok_or_else(incomplete)?,
        uncertainty: progress.uncertainty.as_ref().ok_or_else(incomplete)?,
        evaluated_at,
    };
    Ok(macro_score::assemble(&parts, config_digest))
}

#[cfg(test)]
mod stage_name_tests {
    use super::Stage;

    /// The names the spec gives the stages: checkpoints, signals and the audit trail carry
    /// them, so a change must be deliberate.
    #[test]
    fn stage_names_are_the_spec_s_in_order() {
        let names: Vec<&str> = Stage::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(
            names,
            [
                "STAGE_INPUT_VALIDATION",
                "STAGE_WEIGHTED_SCORE",
                "STAGE_QUALITY_CLASSIFICATION",
                "STAGE_COHERENCE_ANALYSIS",
                "STAGE_GAP_DETECTION",
                "STAGE_ALIGNMENT_SCORING",
                "STAGE_UNCERTAINTY_PROPAGATION",
                "STAGE_AGGREGATION_FINAL",
            ]
        );
    }
}
