//! Fuzzing support (feature `fuzzing`; not part of the library's API).
//!
//! One place for what the cargo-fuzz targets in `fuzz/` run and what the regression test
//! `core/tests/fuzz_regressions.rs` replays: [`Target::check`] turns fuzzer bytes into a
//! property check, so an input found by the fuzzer is replayed through exactly the code
//! that found it. [`node`] is the generator's JSON tree and its oracle of meaning,
//! [`plan`] the structure-aware generator (`arbitrary` plan model → large JSON text),
//! [`props`] the properties. See `docs/fuzzing.md`.

use arbitrary::{Arbitrary, Unstructured};

pub mod node;
pub mod plan;
pub mod props;

pub use props::Violation;

/// The fuzz targets, by the name of their `fuzz/fuzz_targets/<name>.rs` and of their
/// folders under `fuzz/corpus/` and `tests/fixtures/fuzz/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Raw bytes as a Phase 6 file: [`props::read_run`].
    ReadRun,
    /// A generated (large) Phase 6 input as a file and as batch lines: [`props::plan_run`].
    ReadRunPlan,
    /// Raw bytes as one `batch --jsonl` line: [`props::jsonl_line`].
    JsonlLine,
    /// A certificate for A against an edited B: [`props::certificate_pair`].
    VerifyCertificate,
    /// Raw certificate bytes against the sample: [`props::certificate_raw`].
    VerifyCertificateRaw,
    /// An edited real claim: [`props::claim_case`].
    Claim,
    /// Raw claim bytes against the sample: [`props::claim_raw`].
    ClaimRaw,
    /// Raw (and re-sealed) checkpoint bytes, decoded and resumed:
    /// [`props::checkpoint_resume`].
    CheckpointResume,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 8] = [
        Target::ReadRun,
        Target::ReadRunPlan,
        Target::JsonlLine,
        Target::VerifyCertificate,
        Target::VerifyCertificateRaw,
        Target::Claim,
        Target::ClaimRaw,
        Target::CheckpointResume,
    ];

    /// The target's name.
    pub fn name(self) -> &'static str {
        match self {
            Target::ReadRun => "read_run",
            Target::ReadRunPlan => "read_run_plan",
            Target::JsonlLine => "jsonl_line",
            Target::VerifyCertificate => "verify_certificate",
            Target::VerifyCertificateRaw => "verify_certificate_raw",
            Target::Claim => "claim",
            Target::ClaimRaw => "claim_raw",
            Target::CheckpointResume => "checkpoint_resume",
        }
    }

    /// The target with this name.
    pub fn parse(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// True for the targets that read their bytes through `arbitrary` (their corpus files
    /// are not JSON).
    pub fn structured(self) -> bool {
        matches!(
            self,
            Target::ReadRunPlan | Target::VerifyCertificate | Target::Claim
        )
    }

    /// Checks the target's property on fuzzer bytes. Bytes that `arbitrary` cannot turn
    /// into a case pass.
    ///
    /// # Errors
    ///
    /// The [`Violation`] found.
    pub fn check(self, data: &[u8]) -> Result<(), Violation> {
        match self {
            Target::ReadRun => props::read_run(data),
            Target::ReadRunPlan => with_case(data, |p: plan::Plan| props::plan_run(&p)),
            Target::JsonlLine => props::jsonl_line(data),
            Target::VerifyCertificate => with_case(data, |c: props::CertificateCase| {
                props::certificate_pair(&c)
            }),
            Target::VerifyCertificateRaw => props::certificate_raw(data),
            Target::Claim => with_case(data, |c: props::ClaimCase| props::claim_case(&c)),
            Target::ClaimRaw => props::claim_raw(data),
            Target::CheckpointResume => props::checkpoint_resume(data),
        }
    }

    /// A human-readable account of what the bytes generate (the case, and for a plan its
    /// size), for triaging a structured crash.
    pub fn describe(self, data: &[u8]) -> String {
        let u = Unstructured::new(data);
        match self {
            Target::ReadRunPlan => case_text::<plan::Plan>(u, |p| {
                let text = node::render(&p.build(), &p.style);
                format!(
                    "bulk: {}\nedits: {}\nenvelope: {}\nbase: {}\nstyle: {:?}\n-- {} bytes generated",
                    shorten(&format!("{:?}", p.bulk)),
                    shorten(&format!("{:?}", p.edits)),
                    shorten(&format!("{:?}", p.envelope)),
                    shorten(&format!("{:?}", p.base)),
                    p.style,
                    text.len()
                )
            }),
            Target::VerifyCertificate => {
                case_text::<props::CertificateCase>(u, |c| shorten(&format!("{c:?}")))
            }
            Target::Claim => case_text::<props::ClaimCase>(u, |c| shorten(&format!("{c:?}"))),
            _ => format!("{} raw bytes", data.len()),
        }
    }
}

/// Long cases cut to 1,000 characters (keys and strings can be megabytes).
fn shorten(text: &str) -> String {
    if text.chars().count() > 1000 {
        format!("{}…", text.chars().take(1000).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The texts a structured case generates, `(file name, bytes)`: `input.json` for a plan;
/// `a.json` and `b.json` for a certificate case; `input.json` and `claim.json` for a
/// claim case. Empty for the raw targets (their bytes are the input) and for bytes that
/// are not a case. A structured regression found by the fuzzer is bound to the
/// generator's model; rendered, it is a plain input that outlives model changes.
pub fn render_case(target: Target, data: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let u = Unstructured::new(data);
    match target {
        Target::ReadRunPlan => plan::Plan::arbitrary_take_rest(u)
            .map(|p| vec![("input.json", node::render(&p.build(), &p.style))])
            .unwrap_or_default(),
        Target::VerifyCertificate => props::CertificateCase::arbitrary_take_rest(u)
            .map(|c| {
                let (a, b) = c.texts();
                vec![("a.json", a), ("b.json", b)]
            })
            .unwrap_or_default(),
        Target::Claim => props::ClaimCase::arbitrary_take_rest(u)
            .ok()
            .and_then(|c| c.texts())
            .map(|(i, c)| vec![("input.json", i), ("claim.json", c)])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn case_text<'a, T: Arbitrary<'a>>(u: Unstructured<'a>, show: impl Fn(&T) -> String) -> String {
    match T::arbitrary_take_rest(u) {
        Ok(case) => show(&case),
        Err(e) => format!("not a case: {e}"),
    }
}

fn with_case<'a, T: Arbitrary<'a>>(
    data: &'a [u8],
    check: impl FnOnce(T) -> Result<(), Violation>,
) -> Result<(), Violation> {
    match T::arbitrary_take_rest(Unstructured::new(data)) {
        Ok(case) => check(case),
        Err(_) => Ok(()),
    }
}
