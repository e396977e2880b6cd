//! `phase7 verify`: rerun Phase 7 from the Phase 6 input and check a certificate (with,
//! optionally, `macro_score.json` and `audit_trail.json`), a refusal record
//! (`--refusal refusal.json`, confirmed by rerunning), or the pipeline's own claimed
//! Phase 7 output (`--claimed`).
//!
//! Exit codes: 0 verified (a refusal: confirmed; a claim: every difference's cause is
//! `LIBM_POW`) · 4 not verified (a refusal: not confirmed; a claim: a difference with any
//! other cause; a certificate, macro_score.json, audit_trail.json or refusal record that
//! does not parse counts: an unreadable claim is evidence of tampering, and the report
//! says so) · 2 the Phase 6 input is rejected (`--certificate`, `--claimed`;
//! `error[CODE]: message` lines on stderr) · 1 anything else (usage, a file that cannot
//! be read, a file over the size limit, a rerun that fails after the input contract).
//! A `--macro-score` file may be larger than the limit, up to 4 × the input + 16 KiB (what
//! a run writes for an input that repeats long strings), and is then read only when it
//! is the rerun's own file byte for byte.
//!
//! A refusal record is confirmed with `--refusal`, and only there: given to
//! `--certificate` it never verifies (the report names `certificate.kind` and says to use
//! `--refusal`).
//!
//! The report goes to stdout: text by default (each check that ran, PASS/FAIL, and for a
//! failure the field path, expected and actual values; then what a pass vouches for;
//! rendered by [`crate::report`], every line escaped), `--format json` for the same
//! report as JSON, exactly the same values ([`term::out_json`]: the characters a
//! terminal must not get are JSON escapes). Every file is read as a regular file under a size cap
//! ([`files::read_regular`]): a FIFO or device is refused at once, never waited on.

use std::path::Path;

use phase7_core::read::bridge::DEFAULT_MAX_INPUT_BYTES;
use phase7_core::verify::claim::{self, ClaimOutcome};
use phase7_core::verify::refusal::{self, RefusalOutcome};
use phase7_core::verify::{self, Supplied, VerificationOutcome};

use crate::cli::{Format, VerifyArgs};
use crate::exit::{self, Fail, FILE_TOO_LARGE};
use crate::{files, report, term};

/// Runs `phase7 verify`; returns the exit code.
pub fn main(args: &VerifyArgs) -> u8 {
    verify(args).unwrap_or_else(|f| f.report())
}

fn verify(args: &VerifyArgs) -> Result<u8, Fail> {
    let mut options = phase7_core::phase::RunOptions {
        strict: args.strict,
        ..Default::default()
    };
    let limit = args.limits.bytes();
    options.limits.max_input_bytes = limit;
    let phase6 = match files::read_regular(&args.input, limit)? {
        Ok(loaded) => loaded.bytes,
        Err(actual) => {
            let e = phase7_core::error::Phase7Error::too_large(limit, actual);
            crate::run::report_errors(&e);
            return Ok(exit::INPUT_REJECTED);
        }
    };
    // A claim is read up to the larger of the input limit and the default; a certificate
    // and an audit trail up to 1 MiB, a refusal record up to 4 MiB (genuine ones are far
    // smaller whatever the input: `verify::ARTIFACT_MAX_BYTES`,
    // `refusal::RECORD_MAX_BYTES`); macro_score.json up to what a run writes for this
    // input (4 × the input + 16 KiB, docs/formats.md "Cost"), which the core reads past
    // the limit only when it is the rerun's own file byte for byte (`verify::verify`).
    let claim_cap = limit.max(DEFAULT_MAX_INPUT_BYTES);
    let macro_score_cap = claim_cap.max((phase6.len() as u64).saturating_mul(4) + (16 << 10));
    let read_up_to = |path: &Path, cap: u64| -> Result<Vec<u8>, Fail> {
        files::read_regular(path, cap)?
            .map(|loaded| loaded.bytes)
            .map_err(|size| {
                Fail::new(
                    FILE_TOO_LARGE,
                    format!(
                        "{}: {size} bytes is over the {cap}-byte limit",
                        term::path(path)
                    ),
                )
            })
    };
    // A claim is the pipeline's MacroScore, which can be larger than its input (it
    // repeats the areas and the `dispersion_scenario`): say how to read one anyway.
    let read_claim = |path: &Path| {
        read_up_to(path, claim_cap).map_err(|mut f| {
            if f.code == FILE_TOO_LARGE {
                f.message.push_str(
                    " (a claim is read up to --max-input-bytes: raise it to read this one)",
                );
            }
            f
        })
    };

    if let Some(claimed) = &args.claimed {
        let claimed = read_claim(claimed)?;
        let report = claim::verify_claimed_with(&phase6, &claimed, &options);
        print(args.format, || report::claim(&report), &report)?;
        return Ok(match &report.outcome {
            ClaimOutcome::Identical | ClaimOutcome::Explained => exit::OK,
            ClaimOutcome::Different => exit::NOT_VERIFIED,
            ClaimOutcome::InputRejected { errors } => {
                term::diagnostics(errors);
                exit::INPUT_REJECTED
            }
            ClaimOutcome::RerunFailed { errors } => {
                term::diagnostics(errors);
                exit::FAILURE
            }
        });
    }
    if let Some(record) = &args.refusal {
        let record = read_up_to(record, refusal::RECORD_MAX_BYTES)?;
        let report = refusal::verify_refusal(&phase6, &record);
        print(args.format, || report::refusal(&report), &report)?;
        return Ok(match report.outcome {
            RefusalOutcome::Confirmed => exit::OK,
            RefusalOutcome::NotConfirmed => exit::NOT_VERIFIED,
        });
    }
    // clap requires one of --certificate, --claimed and --refusal.
    let Some(cert) = &args.certificate else {
        return Err(Fail::usage(
            "give --certificate FILE, --refusal FILE or --claimed FILE",
        ));
    };
    let read_artifact = |path: &Path| read_up_to(path, verify::ARTIFACT_MAX_BYTES);
    let certificate = read_artifact(cert)?;
    let macro_score = args
        .macro_score
        .as_deref()
        .map(|path| read_up_to(path, macro_score_cap))
        .transpose()?;
    let audit_trail = args.audit_trail.as_deref().map(read_artifact).transpose()?;
    let supplied = Supplied {
        certificate: &certificate,
        macro_score: macro_score.as_deref(),
        audit_trail: audit_trail.as_deref(),
    };
    let report = verify::verify(&phase6, &supplied, &options);
    print(args.format, || report::verification(&report), &report)?;
    Ok(match &report.outcome {
        VerificationOutcome::Verified => exit::OK,
        VerificationOutcome::NotVerified => exit::NOT_VERIFIED,
        VerificationOutcome::InputRejected { errors } => {
            term::diagnostics(errors);
            exit::INPUT_REJECTED
        }
    })
}

/// Prints the report: its text lines, escaped, or its JSON ([`term::out_json`]).
fn print<T: serde::Serialize>(
    format: Format,
    text: impl FnOnce() -> Vec<String>,
    report: &T,
) -> Result<(), Fail> {
    match format {
        Format::Text => term::out_lines(&text()),
        Format::Json => term::out_json(report)?,
    }
    Ok(())
}
