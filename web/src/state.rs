//! The dashboard's shared state: one typed context per mounted dashboard, created by
//! [`provide_dashboard`] in the root and read by every panel through [`use_dashboard`].
//! Domain work is done by `phase7_core`; this module only holds its results.

use std::sync::Arc;

use leptos::prelude::*;
use phase7_core::attest::Artifacts;
use phase7_core::error::Phase7Error;
use phase7_core::observe::metrics::Phase7Metrics;
use phase7_core::observe::signal::{Signal, SignalSink};
use phase7_core::observe::{self as orchestrate, Controls, NoClock, Probe};
use phase7_core::phase::{Outcome, Run, RunOptions};
use phase7_core::read::bridge::DEFAULT_MAX_INPUT_BYTES;

use crate::documents::DocKind;
use crate::i18n::Lang;
use crate::observe::SignalHooks;

/// The sample Phase 6 file bundled into the page and shown on first load.
pub const SAMPLE_PHASE6: &str = include_str!("../../tests/fixtures/p06_sample.json");

/// The file name the sample is shown under.
pub const SAMPLE_NAME: &str = "p06_sample.json";

/// Where a file came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The sample bundled into the page.
    Sample,
    /// Chosen with a file picker or dropped on the page.
    File,
    /// Fetched from a query-parameter or mount-option URL.
    Url,
}

/// A file as loaded (its bytes are only held when they were read).
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// File name or URL.
    pub name: String,
    /// Where it came from.
    pub origin: Origin,
    /// Its size in bytes (known before reading).
    pub size: u64,
    /// Its content; empty when it was refused before reading.
    pub bytes: Arc<[u8]>,
}

/// One evaluation of a Phase 6 file: the core's result and its serializable record.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// The file evaluated.
    pub file: Loaded,
    /// The run, or why there is none.
    pub result: Result<Run, Phase7Error>,
    /// The same result as the record the CLI and the WASM API print.
    pub outcome: Outcome,
    /// The files of the run (issued without a time; the download adds the issue time,
    /// which no id covers): the certificate and its audit trail for a run that passed,
    /// the audit trail marked not certified for a run whose checks failed.
    pub artifacts: Option<Artifacts>,
    /// The run's lifecycle signals, in order.
    pub signals: Vec<Signal>,
    /// Its per-stage metrics (none for a file refused before reading). Never hashed.
    pub metrics: Option<Phase7Metrics>,
}

/// Keeps a copy of every signal and passes it on.
struct Tee<'a> {
    all: Vec<Signal>,
    next: &'a mut dyn SignalSink,
}

impl SignalSink for Tee<'_> {
    fn emit(&mut self, signal: &Signal) {
        self.all.push(signal.clone());
        self.next.emit(signal);
    }
}

impl Evaluation {
    /// Runs Phase 7 on the file's bytes with the default options (16 MiB cap, not
    /// strict, no evaluation time: everything shown is reproducible).
    pub fn compute(file: Loaded) -> Evaluation {
        Evaluation::observe(file, &mut NoClock, &mut Vec::new())
    }

    /// [`Self::compute`] through `phase7_core::observe::run_observed`: the same run,
    /// with its signals (kept, and passed to `sink` as they happen) and metrics.
    pub fn observe(file: Loaded, probe: &mut dyn Probe, sink: &mut dyn SignalSink) -> Evaluation {
        let mut tee = Tee {
            all: Vec::new(),
            next: sink,
        };
        let observed = orchestrate::run_observed(
            &file.bytes,
            &RunOptions::default(),
            probe,
            &mut tee,
            None,
            &Controls::default(),
        );
        let result = observed.result;
        let outcome = Outcome::of(&result);
        let artifacts = result
            .as_ref()
            .ok()
            .and_then(|run| Artifacts::issue(run, None).ok());
        Evaluation {
            file,
            result,
            outcome,
            artifacts,
            signals: tee.all,
            metrics: Some(observed.metrics),
        }
    }

    /// [`Self::too_large`] with the signals of a run that failed before reading
    /// (PHASE_STARTED, PHASE_FAILED with `INPUT_TOO_LARGE`); like the CLI, the run id is
    /// the SHA-256 of the file's name, as its bytes are never read.
    pub fn too_large_observed(
        name: String,
        origin: Origin,
        size: u64,
        probe: &mut dyn Probe,
        sink: &mut dyn SignalSink,
    ) -> Evaluation {
        let mut ev = Evaluation::too_large(name, origin, size);
        if let Err(e) = &ev.result {
            let mut tee = Tee {
                all: Vec::new(),
                next: sink,
            };
            let run_id = phase7_core::attest::digest::sha256_hex(ev.file.name.as_bytes());
            orchestrate::failed_before_reading(e, &run_id, probe, &mut tee);
            ev.signals = tee.all;
        }
        ev
    }

    /// The coded rejection of a file over the size cap, made from its size alone (the
    /// file is never read).
    pub fn too_large(name: String, origin: Origin, size: u64) -> Evaluation {
        let result = Err(Phase7Error::too_large(DEFAULT_MAX_INPUT_BYTES, size));
        let outcome = Outcome::of(&result);
        Evaluation {
            file: Loaded {
                name,
                origin,
                size,
                bytes: Arc::from(Vec::new()),
            },
            result,
            outcome,
            artifacts: None,
            signals: Vec::new(),
            metrics: None,
        }
    }

    /// The run, when the file was accepted and every check passed.
    pub fn run(&self) -> Option<&Run> {
        self.result.as_ref().ok()
    }
}

/// Whether `size` bytes are over the input cap (checked before any file is read).
pub fn over_cap(size: u64) -> bool {
    size > DEFAULT_MAX_INPUT_BYTES
}

/// A problem loading a file that is not about its content: a failed fetch or read, or a
/// claim/certificate over the size cap. Shown with a stable code like the core's errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// `FETCH_FAILED`, `READ_FAILED` or `INPUT_TOO_LARGE`.
    pub code: &'static str,
    /// Which slot the file was meant for.
    pub kind: DocKind,
    /// File name or URL.
    pub target: String,
    /// What happened.
    pub message: String,
}

/// The shared state of one dashboard.
#[derive(Clone, Copy, Debug)]
pub struct Dashboard {
    /// Interface language.
    pub lang: RwSignal<Lang>,
    /// The current Phase 6 evaluation.
    pub evaluation: RwSignal<Option<Arc<Evaluation>>>,
    /// The pipeline's claimed p07 output, when loaded.
    pub claimed: RwSignal<Option<Arc<Loaded>>>,
    /// A certificate to verify, when loaded.
    pub certificate: RwSignal<Option<Arc<Loaded>>>,
    /// An audit trail to verify with the certificate, when loaded.
    pub audit_trail: RwSignal<Option<Arc<Loaded>>>,
    /// Files being read, fetched or evaluated right now.
    pub busy: RwSignal<u32>,
    /// Loading problems, newest last.
    pub notices: RwSignal<Vec<Notice>>,
    /// Where the signals of each evaluation go (the host's callback and element).
    pub hooks: StoredValue<SignalHooks, LocalStorage>,
}

impl Dashboard {
    /// Marks the start of a load; the returned guard value is passed to [`Self::done`].
    pub fn begin(&self) {
        self.busy.update(|n| *n += 1);
    }

    /// Marks the end of a load.
    pub fn done(&self) {
        self.busy.update(|n| *n = n.saturating_sub(1));
    }

    /// Records a loading problem.
    pub fn notify(&self, notice: Notice) {
        self.notices.update(|v| v.push(notice));
    }

    /// Clears the loading problems of one slot (a new file for it arrived).
    pub fn clear_notices(&self, kind: DocKind) {
        self.notices.update(|v| v.retain(|n| n.kind != kind));
    }
}

/// Creates the dashboard state and provides it to the component tree.
pub fn provide_dashboard(lang: Lang, hooks: SignalHooks) -> Dashboard {
    let dashboard = Dashboard {
        lang: RwSignal::new(lang),
        evaluation: RwSignal::new(None),
        claimed: RwSignal::new(None),
        certificate: RwSignal::new(None),
        audit_trail: RwSignal::new(None),
        busy: RwSignal::new(0),
        notices: RwSignal::new(Vec::new()),
        hooks: StoredValue::new_local(hooks),
    };
    provide_context(dashboard);
    dashboard
}

/// The dashboard state of the enclosing [`crate::app::App`].
///
/// # Panics
///
/// When called outside the tree of an `App` (a programming error, not an input one).
pub fn use_dashboard() -> Dashboard {
    expect_context::<Dashboard>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Loaded {
        Loaded {
            name: SAMPLE_NAME.into(),
            origin: Origin::Sample,
            size: SAMPLE_PHASE6.len() as u64,
            bytes: Arc::from(SAMPLE_PHASE6.as_bytes()),
        }
    }

    #[test]
    fn the_sample_evaluates_to_its_known_band() {
        let ev = Evaluation::compute(sample());
        let run = ev.run().expect("sample accepted");
        assert_eq!(
            run.macro_score.score.to_bits(),
            1.6970916666666667f64.to_bits()
        );
        assert_eq!(run.macro_score.quality_level.as_str(), "ACEPTABLE");
        assert!(ev.outcome.ok);
        let files = ev.artifacts.as_ref().expect("certificates issued");
        assert!(files
            .certificate
            .as_ref()
            .is_some_and(|c| c.ready_for_phase8));
        assert!(files.audit_trail.verify_chain().is_empty());
    }

    #[test]
    fn the_sample_signals_its_lifecycle_and_metrics() {
        let mut forwarded: Vec<Signal> = Vec::new();
        let ev = Evaluation::observe(sample(), &mut NoClock, &mut forwarded);
        assert_eq!(ev.signals, forwarded);
        let names: Vec<&str> = ev.signals.iter().map(|s| s.signal_type.name()).collect();
        assert_eq!(names.first(), Some(&"PHASE_STARTED"));
        assert_eq!(names.last(), Some(&"PHASE_COMPLETED"));
        assert_eq!(names.iter().filter(|n| **n == "STAGE_COMPLETED").count(), 8);
        let metrics = ev.metrics.as_ref().expect("metrics");
        assert_eq!(metrics.stages.len(), 8);
        assert_eq!(metrics.outcome, "completed");
        // Observing changes nothing in the result.
        assert_eq!(ev.result, Evaluation::compute(sample()).result);
    }

    #[test]
    fn oversized_files_signal_a_failed_phase() {
        let ev = Evaluation::too_large_observed(
            "big.json".into(),
            Origin::File,
            DEFAULT_MAX_INPUT_BYTES + 1,
            &mut NoClock,
            &mut Vec::new(),
        );
        let last = ev.signals.last().expect("signals");
        assert_eq!(last.signal_type.name(), "PHASE_FAILED");
        assert_eq!(last.payload.error_code.as_deref(), Some("INPUT_TOO_LARGE"));
    }

    #[test]
    fn oversized_files_are_refused_from_their_size() {
        let size = DEFAULT_MAX_INPUT_BYTES + 1;
        assert!(over_cap(size));
        assert!(!over_cap(DEFAULT_MAX_INPUT_BYTES));
        let ev = Evaluation::too_large("big.json".into(), Origin::File, size);
        assert!(!ev.outcome.ok);
        assert_eq!(ev.outcome.errors[0].code, "INPUT_TOO_LARGE");
        assert_eq!(ev.outcome.errors[0].value.as_deref(), Some("16777217"));
    }

    #[test]
    fn malformed_files_give_coded_errors() {
        let mut file = sample();
        file.bytes = Arc::from(&b"[{"[..]);
        let ev = Evaluation::compute(file);
        assert_eq!(ev.outcome.errors[0].code, "MALFORMED_JSON");
    }
}
