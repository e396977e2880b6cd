//! The dashboard's shared state: one typed context per mounted dashboard, created by
//! [`provide_dashboard`] in the root and read by every panel through [`use_dashboard`].
//! Domain work is done by `phase7_core`; this module only holds its results.

use std::sync::Arc;

use leptos::prelude::*;
use phase7_core::bridge::DEFAULT_MAX_INPUT_BYTES;
use phase7_core::certificate::{self, CertificateBundle};
use phase7_core::error::{InputError, InputRejected, Phase7Error};
use phase7_core::phase::{self, Outcome, Run, RunOptions};

use crate::documents::DocKind;
use crate::i18n::Lang;

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
    /// The certificates and the hash-chained audit trail of a successful run (issued
    /// without a time; the download adds the issue time, which no id covers).
    pub bundle: Option<CertificateBundle>,
}

impl Evaluation {
    /// Runs Phase 7 on the file's bytes with the default options (16 MiB cap, not
    /// strict, no evaluation time: everything shown is reproducible).
    pub fn compute(file: Loaded) -> Evaluation {
        let result = phase::run(&file.bytes, &RunOptions::default());
        let outcome = Outcome::of(&result);
        let bundle = result
            .as_ref()
            .ok()
            .and_then(|run| certificate::issue(run, None).ok());
        Evaluation {
            file,
            result,
            outcome,
            bundle,
        }
    }

    /// The coded rejection of a file over the size cap, made from its size alone (the
    /// file is never read).
    pub fn too_large(name: String, origin: Origin, size: u64) -> Evaluation {
        let result = Err(Phase7Error::Input(InputRejected {
            errors: vec![InputError::InputTooLarge {
                limit: DEFAULT_MAX_INPUT_BYTES,
                actual: usize::try_from(size).unwrap_or(usize::MAX),
            }],
            warnings: Vec::new(),
        }));
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
            bundle: None,
        }
    }

    /// The run, when the file was accepted and every check passed.
    pub fn run(&self) -> Option<&Run> {
        self.result.as_ref().ok()
    }
}

/// Whether `size` bytes are over the input cap (checked before any file is read).
pub fn over_cap(size: u64) -> bool {
    size > DEFAULT_MAX_INPUT_BYTES as u64
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
pub fn provide_dashboard(lang: Lang) -> Dashboard {
    let dashboard = Dashboard {
        lang: RwSignal::new(lang),
        evaluation: RwSignal::new(None),
        claimed: RwSignal::new(None),
        certificate: RwSignal::new(None),
        audit_trail: RwSignal::new(None),
        busy: RwSignal::new(0),
        notices: RwSignal::new(Vec::new()),
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
        let bundle = ev.bundle.as_ref().expect("certificates issued");
        assert!(bundle.certificate.ready_for_phase8);
        assert!(bundle.audit_trail.verify_chain().is_empty());
    }

    #[test]
    fn oversized_files_are_refused_from_their_size() {
        let size = DEFAULT_MAX_INPUT_BYTES as u64 + 1;
        assert!(over_cap(size));
        assert!(!over_cap(DEFAULT_MAX_INPUT_BYTES as u64));
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
