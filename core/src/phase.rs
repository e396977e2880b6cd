//! The whole phase: read, the stages in order, then contracts, invariants and exit gate.
//!
//! [`run`] is what the CLI, the batch and the browser call; [`evaluate`] continues from a
//! [`Progress`] record (a checkpoint) with the same bits as an uninterrupted run. A run
//! always comes back with every check it made and a [`Verdict`]: a failed output
//! contract, invariant or gate is a result to show and record, not an error. Only a
//! rejected input, a resource limit, a failed computation or an interruption is a
//! [`Phase7Error`].

use serde::{Deserialize, Serialize};

use crate::attest::digest;
use crate::checks::{contract, gate, invariant, Check, Verdict};
use crate::config::Config;
use crate::error::{ComputationError, Diagnostic, InputWarning, Phase7Error};
use crate::read::bridge::{self, ReadLimits, ValidatedPhase6};
use crate::stages::macro_score::MacroScore;
use crate::stages::{self, NoObserver, Progress, Stage, StageObserver};

/// How a run is carried out. Recorded in the [`Run`], so the certificate and the audit
/// trail can say how it was made.
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

/// The raw input file of a run: what identifies it even to someone who cannot parse it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// `hex(SHA-256(bytes))`.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

impl InputFile {
    /// The identity of `bytes`.
    pub fn of(bytes: &[u8]) -> InputFile {
        InputFile {
            sha256: digest::sha256_hex(bytes),
            bytes: bytes.len() as u64,
        }
    }
}

/// A completed Phase 7 run: the MacroScore, every check and the verdict on them.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The validated input.
    pub input: ValidatedPhase6,
    /// The configuration used.
    pub config: Config,
    /// The options the run was made with (strictness, evaluation time).
    pub options: RunOptions,
    /// The result.
    pub macro_score: MacroScore,
    /// Every check in order: input contract, output contract, invariants, exit gate.
    pub checks: Vec<Check>,
    /// Passed, or the stage that failed and which checks.
    pub verdict: Verdict,
    /// The results of stages 2–7 (what the last checkpoint holds).
    pub stages: Progress,
    /// Input, configuration and output digests.
    pub digests: Digests,
    /// The raw input file, which a refusal record of a failed run needs: [`run`] sets it
    /// when the run failed its checks (a run that passed is not hashed again); a run
    /// evaluated from an already-read input has it once the caller adds it with
    /// [`Run::with_input_file`].
    pub input_file: Option<InputFile>,
    /// The MacroScore's compact JSON without its `evaluation_timestamp`, as INV-7.5
    /// hashed it (see [`Run::macro_score_compact`]).
    exact_text: String,
}

impl Run {
    /// The run with its raw input file recorded (for a run evaluated from a checkpoint or
    /// an already-read input).
    pub fn with_input_file(mut self, bytes: &[u8]) -> Run {
        self.input_file = Some(InputFile::of(bytes));
        self
    }

    /// [`Run::with_input_file`] for a run that failed its checks (the one a refusal
    /// record is made of); a run that passed is returned as it is.
    pub fn with_input_file_if_failed(self, bytes: &[u8]) -> Run {
        if self.passed() {
            self
        } else {
            self.with_input_file(bytes)
        }
    }

    /// The MacroScore's compact JSON (serde_json's, what `serde_json::to_writer` writes
    /// for it) as the run evaluated it, when it has no `evaluation_timestamp`: the text
    /// INV-7.5 hashed, kept so that a batch line does not format every number again.
    /// `None` for a run with an evaluation time. It is the text of the MacroScore as
    /// evaluated: a caller that edits `macro_score` afterwards serializes it itself.
    pub fn macro_score_compact(&self) -> Option<&str> {
        self.macro_score
            .evaluation_timestamp
            .is_none()
            .then_some(self.exact_text.as_str())
    }

    /// Input warnings (PRE-7.4 and DUPLICATE_AREA).
    pub fn warnings(&self) -> &[InputWarning] {
        self.input.warnings()
    }

    /// True when every check held: the run may be certified and handed to Phase 8.
    pub fn passed(&self) -> bool {
        self.verdict.passed()
    }

    /// The failed error-severity checks as coded diagnostics (`GATE_FAILED`,
    /// `INVARIANT_VIOLATION`, `OUTPUT_CONTRACT_VIOLATION`), one per check.
    pub fn failures(&self) -> Vec<Diagnostic> {
        self.checks
            .iter()
            .filter(|c| c.fails_run())
            .map(|c| Diagnostic {
                code: failure_code(c),
                severity: "error",
                message: format!("{} failed: expected {}, got {}", c.id, c.expected, c.actual),
                cluster: None,
                field: None,
                value: Some(c.actual.clone()),
                omitted: None,
            })
            .collect()
    }
}

fn failure_code(c: &Check) -> &'static str {
    Verdict::Failed {
        stage: c.stage,
        failed: Vec::new(),
    }
    .code()
    .unwrap_or("CHECK_FAILED")
}

/// Reads, validates and evaluates a Phase 6 file under the published configuration.
///
/// # Errors
///
/// [`Phase7Error::Input`] when the input contract rejects the file;
/// [`Phase7Error::Computation`] when the arithmetic cannot be carried out. Failed checks
/// after the computation are in the run's [`Run::verdict`].
///
/// # Example
///
/// ```
/// use phase7_core::phase::{run, RunOptions};
/// let bytes = include_bytes!("../../tests/fixtures/p06_sample.json");
/// let run = run(bytes, &RunOptions::default()).unwrap();
/// assert_eq!(run.macro_score.score, 1.6970916666666667);
/// assert_eq!(run.macro_score.quality_level.as_str(), "ACEPTABLE");
/// assert!(run.passed());
/// ```
pub fn run(bytes: &[u8], options: &RunOptions) -> Result<Run, Phase7Error> {
    let input = bridge::read(bytes, &options.limits)?;
    evaluate(input, options, Progress::default(), &mut NoObserver)
        .map(|r| r.with_input_file_if_failed(bytes))
}

/// Evaluates a validated input under the published configuration from the given progress
/// (empty for a fresh run), telling `observer` about stages 1–7 as they complete. The
/// final stage (the MacroScore and its checks) completes with the returned [`Run`]; an
/// observing caller records its checks, then completes it (see [`crate::observe`]).
///
/// # Errors
///
/// As [`run`], plus whatever `observer` stops the run with. A progress record that belongs
/// to another input is ignored (the run starts over), never trusted.
pub fn evaluate(
    input: ValidatedPhase6,
    options: &RunOptions,
    progress: Progress,
    observer: &mut dyn StageObserver,
) -> Result<Run, Phase7Error> {
    evaluate_with(Config::published(), input, options, progress, observer)
}

/// [`evaluate`] under any configuration: the published one in production; a changed one
/// is how the tests show that INV-7.1..7.4 (and the checks that depend on a configuration)
/// fail when they should.
///
/// # Errors
///
/// As [`evaluate`].
pub fn evaluate_with(
    config: Config,
    input: ValidatedPhase6,
    options: &RunOptions,
    progress: Progress,
    observer: &mut dyn StageObserver,
) -> Result<Run, Phase7Error> {
    // Without the `fault-injection` feature `Faults` is a unit struct; with it, a struct of
    // empty hooks: `default()` is the one spelling for both.
    #[allow(clippy::default_constructed_unit_structs)]
    let none = Faults::default();
    evaluate_faulty(config, input, options, progress, observer, &none)
}

/// [`evaluate_with`] from scratch with injected faults ([`fault::Faults`]): how the tests
/// show that every output-contract, invariant and gate check fails when it should.
/// Compiled only for the crate's own tests and with the `fault-injection` feature.
///
/// # Errors
///
/// As [`evaluate`].
#[cfg(any(test, feature = "fault-injection"))]
pub fn evaluate_with_faults(
    config: Config,
    input: ValidatedPhase6,
    options: &RunOptions,
    faults: &fault::Faults,
) -> Result<Run, Phase7Error> {
    evaluate_faulty(
        config,
        input,
        options,
        Progress::default(),
        &mut NoObserver,
        faults,
    )
}

/// Faults a test injects into a run (feature `fault-injection`; never in a release
/// build of the tools, which do not enable it).
#[cfg(any(test, feature = "fault-injection"))]
pub mod fault {
    use super::Digests;
    use crate::stages::aggregate::QualityLevel;
    use crate::stages::macro_score::MacroScore;

    /// What to change in a run, each before any check sees it.
    #[derive(Clone, Copy, Default)]
    pub struct Faults {
        /// Applied to the MacroScore of both evaluations: a computation that goes wrong
        /// the same way twice (POST-7.x, GATE-1..4).
        pub macro_score: Option<fn(&mut MacroScore)>,
        /// Applied to the second, independent evaluation only (INV-7.5).
        pub second_evaluation: Option<fn(&mut MacroScore)>,
        /// Applied to the digests the exit gate binds and the run records (GATE-5).
        pub digests: Option<fn(&mut Digests)>,
        /// The band name the output contract reads in place of the MacroScore's
        /// (POST-7.3: a typed MacroScore cannot hold another name).
        pub band_name: Option<fn(QualityLevel) -> &'static str>,
    }

    impl Faults {
        pub(super) fn on_macro_score(&self, m: &mut MacroScore) {
            if let Some(f) = self.macro_score {
                f(m);
            }
        }

        pub(super) fn on_second_evaluation(&self, m: &mut MacroScore) {
            if let Some(f) = self.second_evaluation {
                f(m);
            }
        }

        pub(super) fn on_digests(&self, d: &mut Digests) {
            if let Some(f) = self.digests {
                f(d);
            }
        }

        pub(super) fn band_name(&self, q: QualityLevel) -> &'static str {
            self.band_name.map_or_else(|| q.as_str(), |f| f(q))
        }
    }
}

#[cfg(any(test, feature = "fault-injection"))]
use fault::Faults;

/// Without the `fault-injection` feature nothing can be injected: every hook is the
/// identity.
#[cfg(not(any(test, feature = "fault-injection")))]
#[derive(Default)]
struct Faults;

#[cfg(not(any(test, feature = "fault-injection")))]
impl Faults {
    fn on_macro_score(&self, _: &mut MacroScore) {}

    fn on_second_evaluation(&self, _: &mut MacroScore) {}

    fn on_digests(&self, _: &mut Digests) {}

    fn band_name(&self, q: crate::stages::aggregate::QualityLevel) -> &'static str {
        q.as_str()
    }
}

/// [`evaluate_with`], with the test hooks (identities outside the tests).
fn evaluate_faulty(
    config: Config,
    input: ValidatedPhase6,
    options: &RunOptions,
    progress: Progress,
    observer: &mut dyn StageObserver,
    faults: &Faults,
) -> Result<Run, Phase7Error> {
    let input_digest = input.digest()?.to_string();
    let config_digest = config.digest()?;
    let resumed = progress.input_digest == input_digest;
    let mut progress = if resumed {
        progress
    } else {
        Progress::started(&input_digest)
    };
    if !resumed {
        observer.stage_completed(Stage::InputValidation, &progress)?;
    }
    stages::compute(&input, &config, &mut progress, observer)?;
    let evaluated_at = options.evaluated_at.as_deref();
    let mut macro_score = stages::finish(&input, &config, &progress, &config_digest, evaluated_at)?;
    faults.on_macro_score(&mut macro_score);

    // INV-7.5: a second evaluation from scratch, compared bit for bit. Without the
    // caller's timestamp: the audit trail records these digests, and a rerun that does not
    // know the original evaluation time must reproduce them (the timestamp is set aside
    // while the digests are taken, rather than the MacroScore copied).
    let mut fresh = Progress::started(&input_digest);
    stages::compute(&input, &config, &mut fresh, &mut NoObserver)?;
    let mut second = stages::finish(&input, &config, &fresh, &config_digest, None)?;
    faults.on_macro_score(&mut second);
    faults.on_second_evaluation(&mut second);
    let timestamp = macro_score.evaluation_timestamp.take();
    let bits = exact_bits(&macro_score, &second);
    // Not held while the output is canonicalised: a MacroScore repeats the input's long
    // strings (a 15 MB `dispersion_scenario` twice), so that peak is two copies lower.
    drop(second);
    let output_digest = digest::of(&macro_score);
    macro_score.evaluation_timestamp = timestamp;
    let (exact_text, first_bits, second_bits) = bits?;
    let mut digests = Digests {
        input: input_digest,
        config: config_digest,
        output: output_digest?,
    };
    faults.on_digests(&mut digests);

    let checks = all_checks(
        &input,
        &config,
        &macro_score,
        Bound {
            input: &digests.input,
            config: &digests.config,
            output: &digests.output,
            first_bits: &first_bits,
            second_bits: &second_bits,
        },
        options.strict,
        faults.band_name(macro_score.quality_level),
    );
    let verdict = Verdict::of(&checks);
    Ok(Run {
        input,
        config,
        options: options.clone(),
        macro_score,
        checks,
        verdict,
        stages: progress,
        digests,
        input_file: None,
        exact_text,
    })
}

/// The digests the checks look at.
struct Bound<'a> {
    input: &'a str,
    config: &'a str,
    output: &'a str,
    first_bits: &'a str,
    second_bits: &'a str,
}

/// Every check in run order: input contract, output contract, invariants, exit gate.
fn all_checks(
    input: &ValidatedPhase6,
    config: &Config,
    m: &MacroScore,
    d: Bound<'_>,
    strict: bool,
    band: &str,
) -> Vec<Check> {
    let mut checks = contract::input(input);
    let post = contract::output(input, m, band);
    let inv = invariant::check_all(config, d.config, d.first_bits, d.second_bits);
    let gate = gate::check_all(
        input,
        config,
        m,
        &post,
        [d.input, d.config, d.output],
        strict,
    );
    checks.extend(post);
    checks.extend(inv);
    checks.extend(gate);
    checks
}

/// SHA-256 of the plain (non-canonical) JSON text, which keeps the sign of zero: INV-7.5
/// compares every bit, including those JCS folds. Public so that other reruns (the
/// dashboard's determinism panel) compare exactly the same digest.
///
/// # Errors
///
/// When the MacroScore cannot be encoded (it always can).
pub fn exact_digest(m: &MacroScore) -> Result<String, ComputationError> {
    digest::exact(m).map_err(|e| ComputationError {
        stage: Stage::AggregationFinal.name(),
        reason: e.reason,
    })
}

/// The INV-7.5 digests of two evaluations: SHA-256 of each one's plain (non-canonical)
/// JSON text, which keeps every bit, the sign of zero included (JCS folds it). The
/// second's text is compared byte for byte with the first's; only when they differ is it
/// hashed on its own (identical bytes have the same digest). Returns the first's text
/// too (a batch line reuses it).
fn exact_bits(
    first: &MacroScore,
    second: &MacroScore,
) -> Result<(String, String, String), ComputationError> {
    let failed = |e: crate::attest::jcs::Error| ComputationError {
        stage: Stage::AggregationFinal.name(),
        reason: e.to_string(),
    };
    let mut text = Vec::with_capacity(4096);
    digest::compact(first, &mut text).map_err(failed)?;
    let first_bits = digest::sha256_hex(&text);
    // Natively the second is not written when it is the same bits as the first
    // (`exact::same_bits`: about 4 % of a batch line); in wasm that walk would cost the npm
    // package bytes its budget does not have (issue 9, "Sizes"), so its text is compared.
    #[cfg(not(target_arch = "wasm32"))]
    let same = crate::exact::same_bits(first, second);
    #[cfg(target_arch = "wasm32")]
    let same = false;
    let second_bits = if same {
        first_bits.clone()
    } else {
        let mut again = Vec::with_capacity(text.len());
        digest::compact(second, &mut again).map_err(failed)?;
        if again == text {
            first_bits.clone()
        } else {
            digest::exact(second).map_err(|e| ComputationError {
                stage: Stage::AggregationFinal.name(),
                reason: e.reason,
            })?
        }
    };
    // serde_json writes UTF-8 only.
    let text = String::from_utf8(text).map_err(|e| ComputationError {
        stage: Stage::AggregationFinal.name(),
        reason: e.to_string(),
    })?;
    Ok((text, first_bits, second_bits))
}

/// A run's result in one serializable record (what the WASM API returns and the CLI's
/// JSON output prints): the MacroScore with every check, the verdict and the digests, or
/// the coded errors of a run that could not be made.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// True when the run produced a MacroScore that passed every check.
    pub ok: bool,
    /// Why not: the failure class (`INPUT_CONTRACT`, `RESOURCE`, `COMPUTATION`,
    /// `INTERRUPTED`) or the failed check family (`OUTPUT_CONTRACT`, `INVARIANTS`,
    /// `EXIT_GATE`).
    pub failure: Option<&'static str>,
    /// The verdict on the checks (absent when there is no run).
    pub verdict: Option<Verdict>,
    /// The MacroScore (also of a run whose checks failed: it is shown, never certified).
    pub macro_score: Option<MacroScore>,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The digests.
    pub digests: Option<Digests>,
    /// Coded errors.
    pub errors: Vec<Diagnostic>,
    /// Coded warnings.
    pub warnings: Vec<Diagnostic>,
}

impl Outcome {
    /// Builds the record from a run's result.
    pub fn of(result: &Result<Run, Phase7Error>) -> Outcome {
        match result {
            Ok(run) => Outcome {
                ok: run.passed(),
                failure: match &run.verdict {
                    Verdict::Passed => None,
                    Verdict::Failed { stage, .. } => Some(stage.name()),
                },
                verdict: Some(run.verdict.clone()),
                macro_score: Some(run.macro_score.clone()),
                checks: run.checks.clone(),
                digests: Some(run.digests.clone()),
                errors: run.failures(),
                warnings: run.warnings().iter().map(InputWarning::report).collect(),
            },
            Err(e) => Outcome {
                ok: false,
                failure: Some(e.class()),
                verdict: None,
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
mod tests {
    use super::*;
    use crate::checks::CheckStage;

    const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/p06_sample.json");

    #[test]
    fn only_a_failed_run_records_its_input_file() {
        let r = run(SAMPLE, &RunOptions::default()).unwrap();
        assert!(r.passed());
        assert_eq!(r.input_file, None);
        // The sample with an empty provenance id fails GATE-4 in strict mode.
        let text = String::from_utf8_lossy(SAMPLE).replacen(
            "\"provenance_node_id\": \"PROV_MESO_1_a1f3c09e\"",
            "\"provenance_node_id\": \"\"",
            1,
        );
        let strict = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        let r = run(text.as_bytes(), &strict).unwrap();
        assert!(!r.passed());
        assert_eq!(r.input_file, Some(InputFile::of(text.as_bytes())));
    }

    #[test]
    fn the_compact_text_is_the_macro_scores_unless_it_has_a_time() {
        let r = run(SAMPLE, &RunOptions::default()).unwrap();
        assert_eq!(
            r.macro_score_compact(),
            Some(serde_json::to_string(&r.macro_score).unwrap().as_str())
        );
        let timed = RunOptions {
            evaluated_at: Some("2026-01-01T00:00:00Z".into()),
            ..RunOptions::default()
        };
        let r = run(SAMPLE, &timed).unwrap();
        assert!(r.macro_score.evaluation_timestamp.is_some());
        assert_eq!(r.macro_score_compact(), None);
    }

    #[test]
    fn inv_7_5_digests_each_evaluation_and_sees_one_ulp() {
        let r = run(SAMPLE, &RunOptions::default()).unwrap();
        let first = r.macro_score.clone();
        let (text, a, b) = exact_bits(&first, &first.clone()).unwrap();
        assert_eq!(a, b);
        assert_eq!(text, serde_json::to_string(&first).unwrap());
        assert_eq!(a, digest::exact(&first).unwrap());
        let mut second = first.clone();
        second.score = f64::from_bits(second.score.to_bits() + 1);
        let (_, a, b) = exact_bits(&first, &second).unwrap();
        assert_ne!(a, b);
        assert_eq!(b, digest::exact(&second).unwrap());
        // A longer or shorter text differs too.
        second = first.clone();
        second.aggregation_method.push('x');
        let (_, a, b) = exact_bits(&first, &second).unwrap();
        assert_ne!(a, b);
        // So does a zero of the other sign, which `==` does not see.
        let mut zero = first.clone();
        zero.score_std = 0.0;
        second = zero.clone();
        second.score_std = -0.0;
        assert!(zero == second);
        let (_, a, b) = exact_bits(&zero, &second).unwrap();
        assert_ne!(a, b);
        assert_eq!(b, digest::exact(&second).unwrap());
    }

    #[test]
    fn a_failed_gate_is_a_run_with_its_checks() {
        // A cluster without provenance is a warning, which strict mode turns into a GATE-4
        // failure.
        let strict = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        let input = String::from_utf8_lossy(SAMPLE).replace("PROV_MESO_2_5c2e7b14", "");
        let run = run(input.as_bytes(), &strict).unwrap();
        assert!(!run.passed());
        assert_eq!(
            run.verdict,
            Verdict::Failed {
                stage: CheckStage::ExitGate,
                failed: vec!["GATE-4".into()]
            }
        );
        assert_eq!(run.checks.len(), 31);
        assert!(run.options.strict);
        let outcome = Outcome::of(&Ok(run));
        assert!(!outcome.ok);
        assert_eq!(outcome.failure, Some("EXIT_GATE"));
        assert_eq!(outcome.errors[0].code, "GATE_FAILED");
        assert_eq!(outcome.checks.len(), 31);
    }

    #[test]
    fn the_exact_digest_keeps_the_sign_of_zero() {
        let run = run(SAMPLE, &RunOptions::default()).expect("sample runs");
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
