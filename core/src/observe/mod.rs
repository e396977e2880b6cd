//! Observability: an observed run with [`signal`]s, [`metrics`], [`checkpoint`]s with
//! resume, a time budget and a stop-after-stage hook, around the same
//! [`crate::phase::evaluate`] every caller uses.
//!
//! The core still reads no clock and touches no file: the caller passes a [`Probe`]
//! (clock and memory), a [`SignalSink`] and a [`CheckpointStore`].

pub mod checkpoint;
pub mod metrics;
pub mod signal;

use crate::attest::digest;
use crate::checks::{Check, CheckStage};
use crate::config::Config;
use crate::error::{Phase7Error, ResourceError};
use crate::phase::{self, Run, RunOptions};
use crate::read::bridge;
use crate::stages::{Progress, Stage, StageObserver};
use checkpoint::Checkpoint;
use metrics::{Phase7Metrics, StageMetrics};
use signal::{Payload, SignalFactory, SignalSink, SignalType};

/// The caller's clock and memory gauge.
pub trait Probe {
    /// Monotonic milliseconds (any origin).
    fn now_ms(&mut self) -> f64;
    /// Memory in use, in bytes, if known.
    fn memory_bytes(&mut self) -> Option<u64> {
        None
    }
    /// Wall-clock time for signal provenance (RFC 3339), if the caller has a clock.
    fn timestamp(&mut self) -> Option<String> {
        None
    }
}

/// A probe without a clock: every duration is 0 (deterministic tests).
pub struct NoClock;

impl Probe for NoClock {
    fn now_ms(&mut self) -> f64 {
        0.0
    }
}

/// Where checkpoints go and come back from. Implementations must write atomically.
pub trait CheckpointStore {
    /// Stores the checkpoint of one stage.
    ///
    /// # Errors
    ///
    /// A message when it could not be stored durably.
    fn save(&mut self, checkpoint: &Checkpoint) -> Result<(), String>;
    /// Removes this run's checkpoints (after success).
    fn clear(&mut self);
    /// The checkpoint to resume from, for the input and configuration with these
    /// digests (the run computes them once and passes them here); `None` to start over.
    /// Implementations decode with [`Checkpoint::decode`] (or
    /// [`checkpoint::latest_valid`]), which checks both digests; the run checks them again.
    fn load(&mut self, _input_digest: &str, _config_digest: &str) -> Option<Checkpoint> {
        None
    }
}

/// What an observed run may do besides computing.
#[derive(Default)]
pub struct Controls {
    /// Stop with [`Phase7Error::Interrupted`] right after this stage's checkpoint.
    pub fail_after: Option<Stage>,
    /// Wall-time budget in milliseconds, checked after each stage.
    pub time_budget_ms: Option<f64>,
    /// Continue from the latest checkpoint the store holds for this input
    /// ([`CheckpointStore::load`]).
    pub resume: bool,
}

/// Everything an observed run produced.
pub struct Observed {
    /// The run's result.
    pub result: Result<Run, Phase7Error>,
    /// Its metrics.
    pub metrics: Phase7Metrics,
}

struct Observer<'a> {
    probe: &'a mut dyn Probe,
    sink: &'a mut dyn SignalSink,
    store: Option<&'a mut dyn CheckpointStore>,
    signals: SignalFactory,
    controls: &'a Controls,
    start_ms: f64,
    last_ms: f64,
    last_memory: Option<u64>,
    input_digest: String,
    config_digest: String,
    stages: Vec<StageMetrics>,
}

impl Observer<'_> {
    fn emit(&mut self, t: SignalType, slot: &str, payload: Payload) {
        let at = self.probe.timestamp();
        let s = self.signals.make(t, slot, payload, at);
        self.sink.emit(&s);
    }

    fn record(&mut self, stage: Stage, restored: bool) {
        let now = self.probe.now_ms();
        let memory = self.probe.memory_bytes();
        let delta = match (memory, self.last_memory) {
            (Some(m), Some(l)) => Some(m as i64 - l as i64),
            _ => None,
        };
        self.stages.push(StageMetrics {
            stage: stage.name().into(),
            stage_index: stage.number(),
            duration_ms: if restored { 0.0 } else { now - self.last_ms },
            memory_bytes: memory,
            memory_delta_bytes: delta,
            restored,
        });
        self.last_ms = now;
        if memory.is_some() {
            self.last_memory = memory;
        }
        self.emit(
            SignalType::StageCompleted,
            stage.name(),
            Payload {
                stage: Some(stage.name().into()),
                stage_index: Some(stage.number()),
                restored: Some(restored),
                ..Payload::default()
            },
        );
    }
}

impl StageObserver for Observer<'_> {
    fn stage_completed(&mut self, stage: Stage, progress: &Progress) -> Result<(), Phase7Error> {
        if let Some(store) = self.store.as_deref_mut() {
            let cp = Checkpoint::new(stage, &self.input_digest, &self.config_digest, progress);
            store.save(&cp).map_err(|reason| {
                Phase7Error::Resource(ResourceError {
                    resource: "checkpoint storage",
                    limit: "a durable write".into(),
                    observed: reason,
                })
            })?;
        }
        self.record(stage, false);
        if self.controls.fail_after == Some(stage) {
            return Err(Phase7Error::Interrupted {
                stage: stage.name().into(),
            });
        }
        if let Some(budget) = self.controls.time_budget_ms {
            let elapsed = self.last_ms - self.start_ms;
            if elapsed > budget && stage != Stage::AggregationFinal {
                return Err(Phase7Error::Resource(ResourceError {
                    resource: "wall time",
                    limit: format!("{} ms", ms_text(budget)),
                    observed: format!("{} ms after {}", ms_text(elapsed), stage.name()),
                }));
            }
        }
        Ok(())
    }
}

impl Observer<'_> {
    /// INVARIANT_VALIDATED for each invariant, then GATE_PASSED or GATE_FAILED: what the
    /// final stage checked, before it completes.
    fn checks(&mut self, checks: &[Check]) {
        for c in checks.iter().filter(|c| c.stage == CheckStage::Invariants) {
            self.emit(
                SignalType::InvariantValidated,
                Stage::AggregationFinal.name(),
                Payload {
                    check_id: Some(c.id.clone()),
                    passed: Some(c.passed),
                    message: Some(format!("expected {}, actual {}", c.expected, c.actual)),
                    ..Payload::default()
                },
            );
        }
        let gate: Vec<&Check> = checks
            .iter()
            .filter(|c| c.stage == CheckStage::ExitGate)
            .collect();
        let failed: Vec<&str> = gate
            .iter()
            .filter(|c| c.fails_run())
            .map(|c| c.id.as_str())
            .collect();
        let (t, error_code, message) = if failed.is_empty() {
            (
                SignalType::GatePassed,
                None,
                format!("{} gate checks passed", gate.len()),
            )
        } else {
            (
                SignalType::GateFailed,
                Some("GATE_FAILED".to_string()),
                format!("failed: {}", failed.join(", ")),
            )
        };
        self.emit(
            t,
            Stage::AggregationFinal.name(),
            Payload {
                passed: Some(failed.is_empty()),
                error_code,
                message: Some(message),
                ..Payload::default()
            },
        );
    }

    /// PHASE_COMPLETED for a run that passed; PHASE_FAILED with the code otherwise.
    fn ended(&mut self, result: &Result<Run, Phase7Error>) {
        let (t, error_code, message) = match result {
            Ok(run) if run.passed() => (
                SignalType::PhaseCompleted,
                None,
                format!(
                    "score {} ({})",
                    crate::read::json::number_text(run.macro_score.score),
                    run.macro_score.quality_level.as_str()
                ),
            ),
            Ok(run) => (
                SignalType::PhaseFailed,
                run.verdict.code().map(str::to_string),
                run.failures()
                    .iter()
                    .map(|d| d.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Err(e) => (
                SignalType::PhaseFailed,
                Some(e.code().to_string()),
                e.to_string(),
            ),
        };
        self.emit(
            t,
            "phase",
            Payload {
                error_code,
                message: Some(message),
                ..Payload::default()
            },
        );
    }

    /// Restores a checkpoint when it belongs to this input and configuration: its stages
    /// complete at once (marked restored), in order. Returns the progress to continue from.
    fn resume(&mut self, from: Option<&Checkpoint>) -> (Progress, Option<String>) {
        let Some(cp) = from else {
            return (Progress::default(), None);
        };
        if cp.input_digest != self.input_digest || cp.config_digest != self.config_digest {
            return (Progress::default(), None);
        }
        let held = cp.progress.last_stage();
        for stage in Stage::ALL
            .into_iter()
            .take_while(|s| held.is_some_and(|h| *s <= h))
        {
            self.record(stage, true);
        }
        (cp.progress.clone(), Some(cp.stage.name().to_string()))
    }
}

/// Milliseconds for a message: rounded to three decimals, without a trailing `.0`, and
/// printed as JSON prints numbers (no second float formatter in the wasm package).
fn ms_text(ms: f64) -> String {
    let r = (ms * 1000.0).round() / 1000.0;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        (r as i64).to_string()
    } else {
        crate::read::json::number_text(r)
    }
}

/// Signals for a run that failed before its input could be read (e.g. a file over the
/// size limit, which is never loaded): PHASE_STARTED then PHASE_FAILED with the code.
pub fn failed_before_reading(
    error: &Phase7Error,
    run_id: &str,
    probe: &mut dyn Probe,
    sink: &mut dyn SignalSink,
) {
    let mut signals = SignalFactory::new(run_id);
    let started = signals.make(
        SignalType::PhaseStarted,
        "phase",
        Payload::default(),
        probe.timestamp(),
    );
    sink.emit(&started);
    let failed = signals.make(
        SignalType::PhaseFailed,
        "phase",
        Payload {
            error_code: Some(error.code().to_string()),
            message: Some(error.to_string()),
            ..Payload::default()
        },
        probe.timestamp(),
    );
    sink.emit(&failed);
}

/// Runs Phase 7 on `bytes` with signals, metrics, checkpoints and controls.
pub fn run_observed<'a>(
    bytes: &[u8],
    options: &RunOptions,
    probe: &'a mut dyn Probe,
    sink: &'a mut dyn SignalSink,
    store: Option<&'a mut dyn CheckpointStore>,
    controls: &'a Controls,
) -> Observed {
    let run_id = digest::sha256_hex(bytes);
    let start = probe.now_ms();
    let memory = probe.memory_bytes();
    let mut obs = Observer {
        probe,
        sink,
        store,
        signals: SignalFactory::new(&run_id),
        controls,
        start_ms: start,
        last_ms: start,
        last_memory: memory,
        input_digest: String::new(),
        config_digest: String::new(),
        stages: Vec::new(),
    };
    obs.emit(
        SignalType::PhaseStarted,
        "phase",
        Payload {
            message: Some(format!("{} input bytes", bytes.len())),
            ..Payload::default()
        },
    );

    let mut resumed_after = None;
    let result = (|| {
        let input = bridge::read(bytes, &options.limits)?;
        let config = Config::published();
        obs.input_digest = input.digest()?.to_string();
        obs.config_digest = config.digest()?;
        let from = match (controls.resume, obs.store.as_deref_mut()) {
            (true, Some(store)) => store.load(&obs.input_digest, &obs.config_digest),
            _ => None,
        };
        let (progress, after) = obs.resume(from.as_ref());
        resumed_after = after;
        let run = phase::evaluate_with(config, input, options, progress, &mut obs)?
            .with_input_file_if_failed(bytes);
        obs.checks(&run.checks);
        if run.passed() {
            // The final stage completes once its checks are recorded.
            obs.stage_completed(Stage::AggregationFinal, &run.stages)?;
        }
        Ok(run)
    })();

    let passed = matches!(&result, Ok(run) if run.passed());
    if let (true, Some(store)) = (passed, obs.store.as_deref_mut()) {
        store.clear();
    }
    obs.ended(&result);
    let end = obs.probe.now_ms();
    let metrics = Phase7Metrics::of(
        &result,
        run_id,
        obs.stages,
        end - start,
        resumed_after,
        bytes.len(),
    );
    Observed { result, metrics }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::signal::Signal;

    const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");

    struct Memory(Vec<Checkpoint>);

    impl CheckpointStore for Memory {
        fn save(&mut self, cp: &Checkpoint) -> Result<(), String> {
            self.0.push(cp.clone());
            Ok(())
        }
        fn clear(&mut self) {
            self.0.clear();
        }
        fn load(&mut self, input: &str, config: &str) -> Option<Checkpoint> {
            // Through the encoded text, as a file store does.
            let files: Vec<(String, Vec<u8>)> = self
                .0
                .iter()
                .map(|c| (c.stage.name().to_string(), c.encode().into_bytes()))
                .collect();
            checkpoint::latest_valid(&files, input, config).0
        }
    }

    fn names(signals: &[Signal]) -> Vec<&'static str> {
        signals.iter().map(|s| s.signal_type.name()).collect()
    }

    #[test]
    fn lifecycle_signals_in_order() {
        let mut signals: Vec<Signal> = Vec::new();
        let o = run_observed(
            SAMPLE,
            &RunOptions::default(),
            &mut NoClock,
            &mut signals,
            None,
            &Controls::default(),
        );
        assert!(o.result.is_ok());
        let n = names(&signals);
        assert_eq!(n.first(), Some(&"PHASE_STARTED"));
        assert_eq!(n.last(), Some(&"PHASE_COMPLETED"));
        let stages: Vec<String> = signals
            .iter()
            .filter(|s| s.signal_type == SignalType::StageCompleted)
            .map(|s| s.scope.slot.clone())
            .collect();
        assert_eq!(
            stages,
            Stage::ALL
                .iter()
                .map(|s| s.name().to_string())
                .collect::<Vec<_>>()
        );
        assert_eq!(n.iter().filter(|t| **t == "INVARIANT_VALIDATED").count(), 5);
        // Each invariant's signal names its check.
        let ids: Vec<Option<&str>> = signals
            .iter()
            .filter(|s| s.signal_type == SignalType::InvariantValidated)
            .map(|s| s.payload.check_id.as_deref())
            .collect();
        assert_eq!(
            ids,
            ["INV-7.1", "INV-7.2", "INV-7.3", "INV-7.4", "INV-7.5"].map(Some)
        );
        assert!(n.contains(&"GATE_PASSED"));
        assert_eq!(o.metrics.stages.len(), 8);
        assert_eq!(o.metrics.outcome, "completed");
    }

    #[test]
    fn rejected_input_ends_with_phase_failed_and_its_code() {
        let mut signals: Vec<Signal> = Vec::new();
        let o = run_observed(
            b"[NaN]",
            &RunOptions::default(),
            &mut NoClock,
            &mut signals,
            None,
            &Controls::default(),
        );
        assert!(o.result.is_err());
        let last = signals.last().unwrap();
        assert_eq!(last.signal_type, SignalType::PhaseFailed);
        assert_eq!(last.payload.error_code.as_deref(), Some("NON_FINITE"));
        assert_eq!(o.metrics.error_code.as_deref(), Some("NON_FINITE"));
    }

    /// A probe whose clock advances 2 ms and whose memory grows 100 bytes per reading.
    struct Ticking {
        ms: f64,
        bytes: u64,
    }

    impl Probe for Ticking {
        fn now_ms(&mut self) -> f64 {
            self.ms += 2.0;
            self.ms
        }
        fn memory_bytes(&mut self) -> Option<u64> {
            self.bytes += 100;
            Some(self.bytes)
        }
    }

    #[test]
    fn stage_metrics_carry_the_probe_s_durations_and_memory_deltas() {
        let mut probe = Ticking {
            ms: 0.0,
            bytes: 1000,
        };
        let o = run_observed(
            SAMPLE,
            &RunOptions::default(),
            &mut probe,
            &mut Vec::<Signal>::new(),
            None,
            &Controls::default(),
        );
        assert!(o.result.is_ok());
        let stages = &o.metrics.stages;
        assert_eq!(stages.len(), 8);
        // Each stage: one clock reading and one memory reading after the previous.
        for s in &stages[1..] {
            assert_eq!(s.duration_ms, 2.0, "{}", s.stage);
            assert_eq!(s.memory_delta_bytes, Some(100), "{}", s.stage);
        }
        assert!(stages.iter().all(|s| s.memory_bytes.is_some()));
        assert_eq!(
            o.metrics.peak_memory_bytes,
            stages.last().unwrap().memory_bytes
        );
    }

    #[test]
    fn metrics_count_the_checks_run_and_failed() {
        let run = |bytes: &[u8], options: &RunOptions| {
            run_observed(
                bytes,
                options,
                &mut NoClock,
                &mut Vec::<Signal>::new(),
                None,
                &Controls::default(),
            )
        };
        let passed = run(SAMPLE, &RunOptions::default());
        let n = passed.result.as_ref().unwrap().checks.len();
        assert_eq!(
            (passed.metrics.checks_run, passed.metrics.checks_failed),
            (n, 0)
        );
        // Strict with a warning: the exit gate fails, one check of the same number.
        let warned = String::from_utf8_lossy(SAMPLE).replacen("PROV_MESO_2_5c2e7b14", "", 1);
        let strict = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        let failed = run(warned.as_bytes(), &strict);
        assert_eq!(failed.metrics.outcome, "failed");
        assert_eq!(failed.metrics.error_code.as_deref(), Some("GATE_FAILED"));
        let failed_ids: Vec<&str> = failed
            .result
            .as_ref()
            .unwrap()
            .checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(failed_ids, ["PRE-7.4", "GATE-4"]);
        assert_eq!(
            (failed.metrics.checks_run, failed.metrics.checks_failed),
            (n, 2)
        );
    }

    #[test]
    fn the_latest_usable_checkpoint_is_picked_and_every_other_reported() {
        let mut store = Memory(Vec::new());
        let controls = Controls {
            fail_after: Some(Stage::GapDetection),
            ..Controls::default()
        };
        let o = run_observed(
            SAMPLE,
            &RunOptions::default(),
            &mut NoClock,
            &mut Vec::<Signal>::new(),
            Some(&mut store),
            &controls,
        );
        assert!(o.result.is_err());
        let mut files: Vec<(String, Vec<u8>)> = store
            .0
            .iter()
            .rev()
            .map(|c| (c.stage.name().to_string(), c.encode().into_bytes()))
            .collect();
        assert!(files.len() > 2);
        files.insert(1, ("broken".to_string(), b"{".to_vec()));
        let cp = &store.0[0];
        let (input, config) = (cp.input_digest.clone(), cp.config_digest.clone());
        let (best, skipped) = checkpoint::latest_valid(&files, &input, &config);
        assert_eq!(best.map(|c| c.stage), Some(Stage::GapDetection));
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].0, "broken");
        assert_eq!(skipped[0].1.code(), "CHECKPOINT_UNREADABLE");
        // Another input's checkpoints are all skipped, each reported.
        let (none, skipped) = checkpoint::latest_valid(&files, &"b".repeat(64), &config);
        assert!(none.is_none());
        assert_eq!(skipped.len(), files.len());
    }

    #[test]
    fn a_run_that_failed_before_reading_says_started_then_failed_with_its_code() {
        let mut signals: Vec<Signal> = Vec::new();
        let e = Phase7Error::too_large(10, 11);
        failed_before_reading(&e, "run-1", &mut NoClock, &mut signals);
        assert_eq!(names(&signals), ["PHASE_STARTED", "PHASE_FAILED"]);
        assert_eq!(
            signals[1].payload.error_code.as_deref(),
            Some("INPUT_TOO_LARGE")
        );
        assert_eq!(signals[1].payload.message, Some(e.to_string()));
    }

    #[test]
    fn interrupt_after_every_stage_and_resume_gives_identical_bits() {
        let whole = phase::run(SAMPLE, &RunOptions::default()).unwrap();
        let whole_json = whole.macro_score.to_json_pretty().unwrap();
        for stage in Stage::ALL {
            let mut store = Memory(Vec::new());
            let controls = Controls {
                fail_after: Some(stage),
                ..Controls::default()
            };
            let mut signals: Vec<Signal> = Vec::new();
            let o = run_observed(
                SAMPLE,
                &RunOptions::default(),
                &mut NoClock,
                &mut signals,
                Some(&mut store),
                &controls,
            );
            assert!(
                matches!(o.result, Err(Phase7Error::Interrupted { .. })),
                "{stage:?}"
            );
            assert_eq!(store.0.last().map(|c| c.stage), Some(stage));
            // Resume from what the store holds (decoded from its text, as the CLI does).
            let mut signals2: Vec<Signal> = Vec::new();
            let resumed = run_observed(
                SAMPLE,
                &RunOptions::default(),
                &mut NoClock,
                &mut signals2,
                Some(&mut store),
                &Controls {
                    resume: true,
                    ..Controls::default()
                },
            );
            let run = resumed.result.unwrap();
            assert_eq!(
                run.macro_score.to_json_pretty().unwrap(),
                whole_json,
                "{stage:?}"
            );
            assert_eq!(run.digests, whole.digests);
            assert_eq!(run.checks, whole.checks);
            assert!(store.0.is_empty(), "checkpoints are cleared after success");
            let stages = signals2
                .iter()
                .filter(|s| s.signal_type == SignalType::StageCompleted)
                .count();
            assert_eq!(stages, 8, "{stage:?}");
        }
    }

    #[test]
    fn time_budget_is_a_resource_error() {
        struct Slow(f64);
        impl Probe for Slow {
            fn now_ms(&mut self) -> f64 {
                self.0 += 10.0;
                self.0
            }
        }
        let mut signals: Vec<Signal> = Vec::new();
        let o = run_observed(
            SAMPLE,
            &RunOptions::default(),
            &mut Slow(0.0),
            &mut signals,
            None,
            &Controls {
                time_budget_ms: Some(25.0),
                ..Controls::default()
            },
        );
        match o.result {
            Err(Phase7Error::Resource(e)) => {
                assert_eq!(e.resource, "wall time");
                assert_eq!(e.limit, "25 ms");
            }
            _ => panic!("expected RESOURCE_EXHAUSTED"),
        }
    }
}
