//! The whole phase: eight stages in order, then contracts, invariants and exit gate.
//!
//! [`run`] is what the CLI and the browser call. The stage results are kept in a
//! [`Progress`] record, which is what a checkpoint stores: [`resume`] continues from any
//! stage with the same bits as an uninterrupted run.

use serde::{Deserialize, Serialize};

use crate::aggregate::{
    self, Alignment, Coherence, Gaps, QualityLevel, Uncertainty, WeightedScore,
};
use crate::bridge::{self, ReadLimits, ValidatedPhase6};
use crate::check::{self, Check};
use crate::config::Config;
use crate::digest;
use crate::error::{
    ComputationError, GateError, InputWarning, InvariantError, OutputError, Phase7Error,
};
use crate::macro_score::{self, MacroScore, Parts};

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

/// How a run is carried out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// Input limits.
    pub limits: ReadLimits,
    /// Warnings fail the gate.
    pub strict: bool,
    /// The caller's evaluation time (RFC 3339). The core reads no clock.
    pub evaluated_at: Option<String>,
}

/// The digests a run binds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digests {
    /// JCS/SHA-256 of the Phase 6 document as parsed.
    pub input: String,
    /// JCS/SHA-256 of the configuration.
    pub config: String,
    /// JCS/SHA-256 of the MacroScore without its timestamp.
    pub output: String,
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

/// A completed, verified Phase 7 run.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The validated input.
    pub input: ValidatedPhase6,
    /// The configuration used.
    pub config: Config,
    /// The result.
    pub macro_score: MacroScore,
    /// Every check in order: input contract, output contract, invariants, exit gate.
    pub checks: Vec<Check>,
    /// Input, configuration and output digests.
    pub digests: Digests,
}

impl Run {
    /// Input warnings (PRE-7.4 and DUPLICATE_AREA).
    pub fn warnings(&self) -> &[InputWarning] {
        self.input.warnings()
    }
}

/// Receives each stage as it completes (signals, metrics, checkpoints). Returning an
/// error stops the run there (used by the CLI's crash-test hook).
pub trait StageObserver {
    /// Called after `stage` with the progress so far.
    ///
    /// # Errors
    ///
    /// Whatever the observer wants to stop the run with.
    fn stage_completed(&mut self, stage: Stage, progress: &Progress) -> Result<(), Phase7Error>;

    /// Called once with every check (input contract, output contract, invariants, exit
    /// gate) before the run succeeds or fails on them.
    fn checks_done(&mut self, _checks: &[Check]) {}
}

/// An observer that does nothing.
pub struct NoObserver;

impl StageObserver for NoObserver {
    fn stage_completed(&mut self, _: Stage, _: &Progress) -> Result<(), Phase7Error> {
        Ok(())
    }
}

/// Reads, validates and evaluates a Phase 6 file.
///
/// # Errors
///
/// [`Phase7Error::Input`] when the input contract rejects the file; `Output`,
/// `Invariant` or `Gate` when a check after the computation fails.
///
/// # Example
///
/// ```
/// use phase7_core::phase::{run, RunOptions};
/// let bytes = include_bytes!("../../tests/fixtures/p06_sample.json");
/// let run = run(bytes, &RunOptions::default()).unwrap();
/// assert_eq!(run.macro_score.score, 1.6970916666666667);
/// assert_eq!(run.macro_score.quality_level.as_str(), "ACEPTABLE");
/// ```
pub fn run(bytes: &[u8], options: &RunOptions) -> Result<Run, Phase7Error> {
    let input = bridge::read(bytes, &options.limits)?;
    evaluate(input, options, Progress::default(), &mut NoObserver)
}

/// Evaluates a validated input from the given progress (empty for a fresh run), telling
/// `observer` about every stage it completes.
///
/// # Errors
///
/// As [`run`]; a progress record that belongs to another input is ignored (the run starts
/// over), never trusted.
pub fn evaluate(
    input: ValidatedPhase6,
    options: &RunOptions,
    progress: Progress,
    observer: &mut dyn StageObserver,
) -> Result<Run, Phase7Error> {
    let config = Config::published();
    let input_digest = digest::of(input.document())?;
    let config_digest = config.digest()?;
    let mut progress = if progress.input_digest == input_digest {
        progress
    } else {
        Progress::default()
    };
    if progress.input_digest.is_empty() {
        progress.input_digest = input_digest.clone();
        observer.stage_completed(Stage::InputValidation, &progress)?;
    }
    compute_stages(&input, &config, &mut progress, observer)?;

    let macro_score = finish(
        &input,
        &config,
        &progress,
        &config_digest,
        options.evaluated_at.as_deref(),
    )?;

    // INV-7.5: a second evaluation from scratch, compared bit for bit.
    let mut fresh = Progress {
        input_digest: input_digest.clone(),
        ..Progress::default()
    };
    compute_stages(&input, &config, &mut fresh, &mut NoObserver)?;
    let second = finish(
        &input,
        &config,
        &fresh,
        &config_digest,
        options.evaluated_at.as_deref(),
    )?;
    // Without the caller's timestamp: the audit trail records these digests, and it must
    // be reproducible by a rerun that does not know the original evaluation time.
    let first_bits = exact_digest(&macro_score.reproducible())?;
    let second_bits = exact_digest(&second.reproducible())?;

    let output_digest = digest::of(&macro_score.reproducible())?;
    let mut checks = check::input_contract(&input);
    let post = check::output_contract(&input, &macro_score);
    let inv = check::invariants(&config, &config_digest, &first_bits, &second_bits);
    let gate = check::exit_gate(
        &input,
        &config,
        &macro_score,
        &post,
        [&input_digest, &config_digest, &output_digest],
        options.strict,
    );
    checks.extend(post.iter().cloned());
    checks.extend(inv.iter().cloned());
    checks.extend(gate.iter().cloned());
    observer.checks_done(&checks);

    let failed = |cs: &[Check]| -> Vec<(String, String, String)> {
        cs.iter()
            .filter(|c| !c.passed && c.severity == check::CheckSeverity::Error)
            .map(|c| (c.id.clone(), c.expected.clone(), c.actual.clone()))
            .collect()
    };
    let post_failed = failed(&post);
    if !post_failed.is_empty() {
        return Err(Phase7Error::Output(
            post_failed
                .into_iter()
                .map(|(check, expected, actual)| OutputError {
                    check,
                    expected,
                    actual,
                })
                .collect(),
        ));
    }
    let inv_failed = failed(&inv);
    if !inv_failed.is_empty() {
        return Err(Phase7Error::Invariant(
            inv_failed
                .into_iter()
                .map(|(check, expected, actual)| InvariantError {
                    check,
                    expected,
                    actual,
                })
                .collect(),
        ));
    }
    let gate_failed = failed(&gate);
    if !gate_failed.is_empty() {
        return Err(Phase7Error::Gate(
            gate_failed
                .into_iter()
                .map(|(check, expected, actual)| GateError {
                    check,
                    expected,
                    actual,
                })
                .collect(),
        ));
    }
    observer.stage_completed(Stage::AggregationFinal, &progress)?;

    Ok(Run {
        input,
        config,
        macro_score,
        checks,
        digests: Digests {
            input: input_digest,
            config: config_digest,
            output: output_digest,
        },
    })
}

/// SHA-256 of the plain (non-canonical) JSON text, which keeps the sign of zero: INV-7.5
/// compares every bit, including those JCS folds. Public so that other reruns (the
/// dashboard's determinism panel) compare exactly the same digest.
///
/// # Errors
///
/// When the MacroScore cannot be encoded (it always can).
pub fn exact_digest(m: &MacroScore) -> Result<String, ComputationError> {
    serde_json::to_vec(m)
        .map(|v| digest::sha256_hex(&v))
        .map_err(|e| ComputationError {
            stage: Stage::AggregationFinal.name(),
            reason: e.to_string(),
        })
}

/// Runs stages 2–7 that `progress` does not hold yet.
fn compute_stages(
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

fn finish(
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

/// A run's result in one serializable record (what the WASM API returns and the CLI's
/// JSON output prints): either the MacroScore with its checks and digests, or the coded
/// errors.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// True when the run produced a MacroScore that passed every check.
    pub ok: bool,
    /// The failure class code (`INPUT_CONTRACT`, `OUTPUT_CONTRACT`, …) when not ok.
    pub failure: Option<&'static str>,
    /// The MacroScore.
    pub macro_score: Option<MacroScore>,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The digests.
    pub digests: Option<Digests>,
    /// Coded errors.
    pub errors: Vec<crate::error::Diagnostic>,
    /// Coded warnings.
    pub warnings: Vec<crate::error::Diagnostic>,
}

impl Outcome {
    /// Builds the record from a run's result.
    pub fn of(result: &Result<Run, Phase7Error>) -> Outcome {
        match result {
            Ok(run) => Outcome {
                ok: true,
                failure: None,
                macro_score: Some(run.macro_score.clone()),
                checks: run.checks.clone(),
                digests: Some(run.digests.clone()),
                errors: Vec::new(),
                warnings: run.warnings().iter().map(InputWarning::report).collect(),
            },
            Err(e) => Outcome {
                ok: false,
                failure: Some(e.class()),
                macro_score: None,
                checks: Vec::new(),
                digests: None,
                errors: e.diagnostics(),
                warnings: match e {
                    Phase7Error::Input(r) => r.warnings.iter().map(InputWarning::report).collect(),
                    _ => Vec::new(),
                },
            },
        }
    }
}

#[cfg(test)]
mod exact_digest_tests {
    use super::*;

    #[test]
    fn the_exact_digest_keeps_the_sign_of_zero() {
        let sample = include_bytes!("../../tests/fixtures/p06_sample.json");
        let run = run(sample, &RunOptions::default()).expect("sample runs");
        let d = exact_digest(&run.macro_score).expect("encodes");
        assert_eq!(d.len(), 64);
        assert_eq!(exact_digest(&run.macro_score).expect("encodes"), d);
        let mut m = run.macro_score.clone();
        m.score_std = -m.score_std * 0.0; // -0.0 when score_std > 0, else 0.0
        let mut p = run.macro_score;
        p.score_std = 0.0;
        assert_ne!(m.score_std.to_bits(), p.score_std.to_bits());
        assert_ne!(exact_digest(&m).ok(), exact_digest(&p).ok());
    }
}
