//! The dashboard's shared state: one typed context per mounted dashboard, created by
//! [`provide_dashboard`] in the root and read by every panel through [`use_dashboard`].
//! Domain work is done by `phase7_core`; this module only holds its results.

use std::sync::Arc;

use leptos::prelude::*;
use phase7_core::attest::audit::AuditTrail;
use phase7_core::attest::certificate::{self, Phase7To8Certificate};
use phase7_core::attest::refusal::Refusal;
use phase7_core::attest::Artifacts;
use phase7_core::error::Phase7Error;
use phase7_core::observe::metrics::Phase7Metrics;
use phase7_core::observe::signal::{Signal, SignalSink};
use phase7_core::observe::{self as orchestrate, Controls, NoClock, Probe};
use phase7_core::phase::{Outcome, Run, RunOptions};
use phase7_core::read::bridge::DEFAULT_MAX_INPUT_BYTES;
use phase7_core::sensitivity::WhatIfWeights;
use phase7_core::verify::claim::{verify_claimed, ClaimReport};
use phase7_core::verify::refusal::{verify_refusal, RefusalReport};
use phase7_core::verify::{self, Supplied, VerificationReport};

use crate::documents::DocKind;
use crate::i18n::{self, Lang};
use crate::load::Loads;
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

impl Loaded {
    /// The bundled sample.
    pub fn sample() -> Loaded {
        Loaded {
            name: SAMPLE_NAME.into(),
            origin: Origin::Sample,
            size: SAMPLE_PHASE6.len() as u64,
            bytes: Arc::from(SAMPLE_PHASE6.as_bytes()),
        }
    }
}

/// One evaluation of a Phase 6 file: the core's result and its serializable record.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// The file evaluated.
    pub file: Loaded,
    /// The options it was run with (strict mode, evaluation time).
    pub options: RunOptions,
    /// The run, or why there is none.
    pub result: Result<Run, Phase7Error>,
    /// The same result as the record the CLI and the WASM API print, without its
    /// MacroScore, which is the run's ([`Evaluation::run`]): the copy `Outcome::of`
    /// makes repeats the input's long strings, and the page held it beside the run
    /// (30 MB for a 15 MB `dispersion_scenario`; issue 9). The outcome event serializes
    /// both together (`observe::OutcomeRecord`), byte for byte `Outcome::of`'s record.
    pub outcome: Outcome,
    /// The files of the evaluation, made without a time (a download adds its time, which
    /// no id covers): the certificates and the audit trail of a run that passed; the
    /// audit trail marked not certified and the refusal record of a run whose checks
    /// failed; the refusal record (and the input-contract checks as a trail) of a
    /// rejected input. None for a file refused from its size alone (never read).
    pub artifacts: Option<Files>,
    /// The run's lifecycle signals, in order.
    pub signals: Vec<Signal>,
    /// Its per-stage metrics (none for a file refused before reading). Never hashed.
    pub metrics: Option<Phase7Metrics>,
}

/// What the page keeps of an evaluation's files: the records its panels show, not their
/// texts. A download writes its file again with the time of the click
/// (`panels::certificate`, `panels::refusal`), so the texts made at evaluation were never
/// read: for a run that passed they are not made at all (the `macro_score.json` of a
/// 15 MB `dispersion_scenario`, which the MacroScore repeats, is 30 MB of pretty JSON,
/// and the page held it beside the run; issue 9).
#[derive(Clone, Debug, PartialEq)]
pub struct Files {
    /// The Phase 7 → 8 certificate, for a run that passed.
    pub certificate: Option<Phase7To8Certificate>,
    /// The audit trail (marked not certified for a refused plan).
    pub audit_trail: AuditTrail,
    /// The refusal record of a refused plan (a run whose checks failed, or a rejected
    /// input).
    pub refusal: Option<Refusal>,
}

impl Files {
    /// The files of a result, as [`Artifacts`] makes them without a time, less their
    /// texts.
    pub fn of(
        result: &Result<Run, Phase7Error>,
        bytes: &[u8],
        options: &RunOptions,
    ) -> Option<Files> {
        let made = match result {
            // What `Artifacts::issue` makes of a run that passed, without its three texts.
            Ok(run) if run.passed() => {
                return certificate::issue(run, None).ok().map(|b| Files {
                    certificate: Some(b.certificate),
                    audit_trail: b.audit_trail,
                    refusal: None,
                })
            }
            // A refused plan's texts are small (a record is at most 1 MiB).
            Ok(run) => Artifacts::issue(run, None),
            Err(Phase7Error::Input(rejected)) => {
                Artifacts::rejected(bytes, rejected, options, None)
            }
            Err(_) => return None,
        };
        made.ok().map(|a| Files {
            certificate: a.certificate,
            audit_trail: a.audit_trail,
            refusal: a.refusal,
        })
    }

    /// True when the run passed and its certificate was issued.
    pub fn certified(&self) -> bool {
        self.certificate.is_some()
    }
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
        Evaluation::observe(file, RunOptions::default(), &mut NoClock, &mut Vec::new())
    }

    /// [`Self::compute`] with `options`, through `phase7_core::observe::run_observed`:
    /// the run with its signals (kept, and passed to `sink` as they happen) and metrics,
    /// then its files ([`Self::run_observed`], then [`Self::issue`]).
    pub fn observe(
        file: Loaded,
        options: RunOptions,
        probe: &mut dyn Probe,
        sink: &mut dyn SignalSink,
    ) -> Evaluation {
        let mut ev = Evaluation::run_observed(file, options, probe, sink);
        ev.issue();
        ev
    }

    /// [`Self::observe`] without the files: the page delivers the outcome between the two
    /// (its JSON text, as long as the MacroScore, is then made and dropped before the
    /// files are).
    pub fn run_observed(
        file: Loaded,
        options: RunOptions,
        probe: &mut dyn Probe,
        sink: &mut dyn SignalSink,
    ) -> Evaluation {
        let mut tee = Tee {
            all: Vec::new(),
            next: sink,
        };
        let observed = orchestrate::run_observed(
            &file.bytes,
            &options,
            probe,
            &mut tee,
            None,
            &Controls::default(),
        );
        let result = observed.result;
        let mut outcome = Outcome::of(&result);
        outcome.macro_score = None;
        Evaluation {
            file,
            options,
            result,
            outcome,
            artifacts: None,
            signals: tee.all,
            metrics: Some(observed.metrics),
        }
    }

    /// Makes the evaluation's files ([`Files::of`]).
    pub fn issue(&mut self) {
        self.artifacts = Files::of(&self.result, &self.file.bytes, &self.options);
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
            options: RunOptions::default(),
            result,
            outcome,
            artifacts: None,
            signals: Vec::new(),
            metrics: None,
        }
    }

    /// The run, when the file was accepted (its checks passed or failed).
    pub fn run(&self) -> Option<&Run> {
        self.result.as_ref().ok()
    }

    /// Whether the plan was refused with a record: a rejected input or a run whose checks
    /// failed (the record is in [`Evaluation::artifacts`]).
    pub fn refused(&self) -> bool {
        self.artifacts.as_ref().is_some_and(|a| a.refusal.is_some())
    }
}

/// Whether `size` bytes are over the input cap (checked before any file is read).
pub fn over_cap(size: u64) -> bool {
    size > DEFAULT_MAX_INPUT_BYTES
}

/// What went wrong loading a file (not about its content); rendered in the page's
/// language by [`Notice::message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// HTTP or network error.
    FetchFailed(String),
    /// No answer within the timeout (milliseconds).
    Timeout(u32),
    /// Cancelled with the page's Cancel button.
    Cancelled,
    /// A URL the dashboard does not fetch (scheme or origin).
    Refused(String),
    /// The browser could not read the file.
    ReadFailed(String),
    /// Over the size cap (bytes).
    TooLarge(u64),
    /// The file is recognisably another kind than the picker's.
    WrongKind(DocKind),
}

/// A problem loading a file that is not about its content: a failed, timed-out,
/// cancelled or refused fetch, an unreadable file, a claim/certificate over the size cap,
/// or a file of the wrong kind. Shown with a stable code like the core's errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Which slot the file was meant for.
    pub kind: DocKind,
    /// File name or URL.
    pub target: String,
    /// What happened.
    pub problem: Problem,
}

impl Notice {
    /// `FETCH_FAILED`, `FETCH_TIMEOUT`, `FETCH_CANCELLED`, `FETCH_REFUSED`, `READ_FAILED`,
    /// `INPUT_TOO_LARGE` or `WRONG_FILE_KIND`.
    pub fn code(&self) -> &'static str {
        match self.problem {
            Problem::FetchFailed(_) => "FETCH_FAILED",
            Problem::Timeout(_) => "FETCH_TIMEOUT",
            Problem::Cancelled => "FETCH_CANCELLED",
            Problem::Refused(_) => "FETCH_REFUSED",
            Problem::ReadFailed(_) => "READ_FAILED",
            Problem::TooLarge(_) => "INPUT_TOO_LARGE",
            Problem::WrongKind(_) => "WRONG_FILE_KIND",
        }
    }

    /// The message in `lang`, naming the file or URL.
    ///
    /// The file name or URL and the browser's reason are shown as
    /// [`crate::format::untrusted`] shows them (cut, control and bidi characters escaped).
    pub fn message(&self, lang: Lang) -> String {
        use crate::format::untrusted;
        let t = &untrusted(&self.target);
        match &self.problem {
            Problem::FetchFailed(why) => i18n::fetch_failed(lang, t, &untrusted(why)),
            Problem::Timeout(ms) => i18n::fetch_timeout(lang, t, *ms),
            Problem::Cancelled => i18n::fetch_cancelled(lang, t),
            Problem::Refused(why) => i18n::fetch_refused(lang, t, &untrusted(why)),
            Problem::ReadFailed(why) => format!("{t}: {}", untrusted(why)),
            Problem::TooLarge(size) => match lang {
                Lang::Es => format!(
                    "{t}: {size} bytes, más que el límite de {DEFAULT_MAX_INPUT_BYTES} bytes"
                ),
                Lang::En => format!(
                    "{t}: input is {size} bytes, over the limit of {DEFAULT_MAX_INPUT_BYTES} bytes"
                ),
            },
            Problem::WrongKind(got) => format!("{t}: {}", i18n::wrong_kind(lang, *got, self.kind)),
        }
    }
}

/// A report shared by the verdict bar, its panel and the host's events, compared by
/// identity (a new computation is a new report).
#[derive(Clone, Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A claim check with the claim's file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimResult {
    /// The claimed file's name or URL.
    pub name: String,
    /// The core's report.
    pub report: ClaimReport,
}

/// A refusal record checked by rerunning, with the record's file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusalResult {
    /// The record's file name or URL.
    pub name: String,
    /// The core's report.
    pub report: RefusalReport,
}

/// How the dashboard was started (fixed for its lifetime).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// Embedded layout (no landmarks of its own).
    pub embedded: bool,
    /// Fetch timeout in milliseconds.
    pub fetch_timeout_ms: u32,
    /// Other origins URLs may be fetched from.
    pub allowed_origins: Vec<String>,
    /// A prefix that makes this dashboard's element ids unique on the page.
    pub id_prefix: String,
    /// The page's own dashboard (reads the query string; its links carry a what-if).
    pub standalone: bool,
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
    /// A refusal record to confirm, when loaded.
    pub refusal: RwSignal<Option<Arc<Loaded>>>,
    /// Strict mode for the next evaluations (`phase7 run --strict`).
    pub strict: RwSignal<bool>,
    /// The evaluation time for the next evaluations (`--evaluated-at`).
    pub evaluated_at: RwSignal<Option<String>>,
    /// The certificate verified against the current Phase 6 file.
    pub verification: Memo<Option<Shared<VerificationReport>>>,
    /// The claim checked against the current Phase 6 file.
    pub claim: Memo<Option<Shared<ClaimResult>>>,
    /// The loaded refusal record confirmed (or not) by rerunning the current Phase 6 file.
    pub refusal_check: Memo<Option<Shared<RefusalResult>>>,
    /// Edited cluster weights (the sensitivity panel's what-if, never certified); `None`:
    /// the published ones.
    pub what_if: RwSignal<Option<WhatIfWeights>>,
    /// Files being read, fetched or evaluated right now.
    pub busy: RwSignal<u32>,
    /// Loading problems, newest last.
    pub notices: RwSignal<Vec<Notice>>,
    /// Where the signals and results go (the host's callbacks and element).
    pub hooks: StoredValue<SignalHooks, LocalStorage>,
    /// How the dashboard was started.
    pub settings: StoredValue<Settings>,
    /// The loads in progress (one generation per slot).
    pub loads: StoredValue<Loads, LocalStorage>,
}

impl Dashboard {
    /// Marks the start of a load.
    pub fn begin(&self) {
        self.busy.try_update(|n| *n += 1);
    }

    /// Marks the end of a load (nothing once the dashboard is gone).
    pub fn done(&self) {
        self.busy.try_update(|n| *n = n.saturating_sub(1));
    }

    /// Records a loading problem (nothing once the dashboard is gone).
    pub fn notify(&self, notice: Notice) {
        self.notices.try_update(|v| v.push(notice));
    }

    /// Clears the loading problems of one slot (a new file for it arrived).
    pub fn clear_notices(&self, kind: DocKind) {
        self.notices.try_update(|v| v.retain(|n| n.kind != kind));
    }

    /// The run options the next evaluation uses.
    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            strict: self.strict.try_get_untracked().unwrap_or(false),
            evaluated_at: self.evaluated_at.try_get_untracked().flatten(),
            ..RunOptions::default()
        }
    }

    /// A page-unique element id for this dashboard (`p7-3-result`).
    pub fn element_id(&self, name: &str) -> String {
        let prefix = self
            .settings
            .try_with_value(|s| s.id_prefix.clone())
            .unwrap_or_default();
        format!("{prefix}{name}")
    }
}

/// Creates the dashboard state and provides it to the component tree.
pub fn provide_dashboard(
    lang: Lang,
    hooks: SignalHooks,
    settings: Settings,
    loads: Loads,
) -> Dashboard {
    let evaluation = RwSignal::new(None::<Arc<Evaluation>>);
    let certificate = RwSignal::new(None::<Arc<Loaded>>);
    let audit_trail = RwSignal::new(None::<Arc<Loaded>>);
    let claimed = RwSignal::new(None::<Arc<Loaded>>);
    let refusal = RwSignal::new(None::<Arc<Loaded>>);
    let verification = Memo::new(move |_| {
        let ev = evaluation.get()?;
        let cert = certificate.get()?;
        let trail = audit_trail.get();
        if ev.file.bytes.is_empty() {
            return None;
        }
        Some(Shared(Arc::new(verify::verify(
            &ev.file.bytes,
            &Supplied {
                certificate: &cert.bytes,
                macro_score: None,
                audit_trail: trail.as_ref().map(|t| &t.bytes[..]),
            },
            &RunOptions::default(),
        ))))
    });
    let claim = Memo::new(move |_| {
        let ev = evaluation.get()?;
        let file = claimed.get()?;
        if ev.file.bytes.is_empty() {
            return None;
        }
        Some(Shared(Arc::new(ClaimResult {
            name: file.name.clone(),
            report: verify_claimed(&ev.file.bytes, &file.bytes),
        })))
    });
    let refusal_check = Memo::new(move |_| {
        let ev = evaluation.get()?;
        let file = refusal.get()?;
        if ev.file.bytes.is_empty() {
            return None;
        }
        Some(Shared(Arc::new(RefusalResult {
            name: file.name.clone(),
            report: verify_refusal(&ev.file.bytes, &file.bytes),
        })))
    });
    let dashboard = Dashboard {
        lang: RwSignal::new(lang),
        evaluation,
        claimed,
        certificate,
        audit_trail,
        refusal,
        refusal_check,
        what_if: RwSignal::new(None),
        strict: RwSignal::new(false),
        evaluated_at: RwSignal::new(None),
        verification,
        claim,
        busy: RwSignal::new(0),
        notices: RwSignal::new(Vec::new()),
        hooks: StoredValue::new_local(hooks),
        settings: StoredValue::new(settings),
        loads: StoredValue::new_local(loads),
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
        Loaded::sample()
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
        let ev = Evaluation::observe(
            sample(),
            RunOptions::default(),
            &mut NoClock,
            &mut forwarded,
        );
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
    fn strict_mode_fails_the_gate_of_a_warned_input() {
        // The sample has no provenance warnings: drop one cluster's provenance.
        let mut doc: serde_json::Value = serde_json::from_str(SAMPLE_PHASE6).expect("json");
        doc[0]["provenance_node_id"] = serde_json::Value::String(String::new());
        let bytes: Arc<[u8]> = Arc::from(serde_json::to_vec(&doc).expect("json"));
        let file = Loaded { bytes, ..sample() };
        let relaxed = Evaluation::compute(file.clone());
        assert!(relaxed.outcome.ok);
        let strict = Evaluation::observe(
            file,
            RunOptions {
                strict: true,
                ..RunOptions::default()
            },
            &mut NoClock,
            &mut Vec::new(),
        );
        assert!(!strict.outcome.ok);
        assert!(strict.options.strict);
    }

    #[test]
    fn notices_name_their_target_in_both_languages() {
        let n = Notice {
            kind: DocKind::Phase6,
            target: "http://h/p06.json".into(),
            problem: Problem::Timeout(1500),
        };
        assert_eq!(n.code(), "FETCH_TIMEOUT");
        assert!(n
            .message(Lang::En)
            .contains("http://h/p06.json within 1.5 s"));
        assert!(n
            .message(Lang::Es)
            .contains("http://h/p06.json no respondió en 1.5 s"));
        let w = Notice {
            problem: Problem::WrongKind(DocKind::Certificate),
            ..n
        };
        assert!(w
            .message(Lang::En)
            .contains("this is a certificate, not a Phase 6 file"));
    }

    #[test]
    fn refused_plans_carry_their_record() {
        // A rejected input: the record of the input contract, nothing certified.
        let ev = Evaluation::compute(Loaded {
            bytes: Arc::from(&b"[{"[..]),
            ..sample()
        });
        assert!(ev.refused());
        let files = ev.artifacts.as_ref().expect("record");
        assert!(!files.certified());
        let text = files
            .refusal
            .as_ref()
            .expect("record")
            .to_json_pretty()
            .expect("text");
        let report = verify_refusal(&ev.file.bytes, text.as_bytes());
        assert!(report.confirmed, "{report:?}");
        // A strict-mode gate failure: the run's record names GATE-4.
        let mut doc: serde_json::Value = serde_json::from_str(SAMPLE_PHASE6).expect("json");
        doc[0]["provenance_node_id"] = serde_json::Value::String(String::new());
        let bytes: Arc<[u8]> = Arc::from(serde_json::to_vec(&doc).expect("json"));
        let strict = Evaluation::observe(
            Loaded { bytes, ..sample() },
            RunOptions {
                strict: true,
                ..RunOptions::default()
            },
            &mut NoClock,
            &mut Vec::new(),
        );
        assert!(strict.refused());
        let refusal = strict.artifacts.as_ref().and_then(|a| a.refusal.as_ref());
        assert_eq!(
            refusal.map(|r| r.refused.failed_checks.clone()),
            Some(vec!["GATE-4".to_string()])
        );
        // The sample is not refused; an oversized file was never read, so it has no record.
        assert!(!Evaluation::compute(sample()).refused());
        assert!(
            !Evaluation::too_large("big".into(), Origin::File, DEFAULT_MAX_INPUT_BYTES + 1)
                .refused()
        );
    }

    /// The page keeps the outcome without its copy of the MacroScore; the event writes
    /// the run's in its place, byte for byte the record `Outcome::of` makes.
    #[test]
    fn the_outcome_event_is_the_cores_record_byte_for_byte() {
        use crate::observe::OutcomeRecord;
        use phase7_core::attest::digest::compact_string;
        let mut doc: serde_json::Value = serde_json::from_str(SAMPLE_PHASE6).expect("json");
        doc[0]["provenance_node_id"] = serde_json::Value::String(String::new());
        let warned: Arc<[u8]> = Arc::from(serde_json::to_vec(&doc).expect("json"));
        let strict = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        let cases = [
            (sample(), RunOptions::default()),
            (
                Loaded {
                    bytes: warned,
                    ..sample()
                },
                strict,
            ),
            (
                Loaded {
                    bytes: Arc::from(&b"[{"[..]),
                    ..sample()
                },
                RunOptions::default(),
            ),
        ];
        for (file, options) in cases {
            let ev = Evaluation::observe(file, options, &mut NoClock, &mut Vec::new());
            assert_eq!(ev.outcome.macro_score, None);
            assert_eq!(
                compact_string(&OutcomeRecord::of(&ev)).expect("json"),
                compact_string(&Outcome::of(&ev.result)).expect("json")
            );
        }
        let big = Evaluation::too_large("big".into(), Origin::File, DEFAULT_MAX_INPUT_BYTES + 1);
        assert_eq!(
            compact_string(&OutcomeRecord::of(&big)).expect("json"),
            compact_string(&Outcome::of(&big.result)).expect("json")
        );
    }

    #[test]
    fn malformed_files_give_coded_errors() {
        let mut file = sample();
        file.bytes = Arc::from(&b"[{"[..]);
        let ev = Evaluation::compute(file);
        assert_eq!(ev.outcome.errors[0].code, "MALFORMED_JSON");
    }
}
