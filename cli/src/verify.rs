//! `phase7 verify`: rerun Phase 7 from the Phase 6 input and check a certificate (with,
//! optionally, `macro_score.json` and `audit_trail.json`), or the pipeline's own claimed
//! Phase 7 output.
//!
//! ```text
//! phase7 verify <p06_output.json> --certificate certificate.json
//!               [--macro-score macro_score.json] [--audit-trail audit_trail.json]
//!               [--strict] [--max-input-bytes N] [--format text|json]
//! phase7 verify <p06_output.json> --claimed p07_output.json [--max-input-bytes N]
//!               [--format text|json]
//! ```
//!
//! Exit codes: 0 verified (or every claimed difference explained) · 4 not verified
//! (a certificate, macro_score.json or audit_trail.json that does not parse counts: an
//! unreadable claim is evidence of tampering, and the report says so) · 2 the Phase 6
//! input is rejected (`error[CODE]: message` lines on stderr) · 1 anything else (usage,
//! a file that cannot be read, a file over the size limit, a rerun that fails after the
//! input contract).
//!
//! The report goes to stdout: text by default (each check that ran, PASS/FAIL, and for a
//! failure the field path, expected and actual values; then what a pass vouches for),
//! `--format json` for the same report as JSON.

use phase7_core::error::{Diagnostic, InputError};
use phase7_core::phase::RunOptions;
use phase7_core::read::bridge::DEFAULT_MAX_INPUT_BYTES;
use phase7_core::verify::claim::{self, ClaimOutcome, ClaimReport};
use phase7_core::verify::{self, Supplied, VerificationOutcome, VerificationReport};

use crate::args::Args;
use crate::files;

const USAGE: &str = "\
usage: phase7 verify <p06_output.json> --certificate certificate.json
                     [--macro-score macro_score.json] [--audit-trail audit_trail.json]
                     [--strict] [--max-input-bytes N] [--format text|json]
       phase7 verify <p06_output.json> --claimed p07_output.json
                     [--max-input-bytes N] [--format text|json]";

/// Exit code: verified, or every claimed difference explained.
pub const EXIT_OK: u8 = 0;
/// Exit code: usage, I/O or another failure.
pub const EXIT_OTHER: u8 = 1;
/// Exit code: the Phase 6 input is rejected.
pub const EXIT_INPUT_REJECTED: u8 = 2;
/// Exit code: not verified / unexplained difference.
pub const EXIT_NOT_VERIFIED: u8 = 4;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// Runs `phase7 verify` with the arguments after the subcommand; returns the exit code.
pub fn main(argv: &[String]) -> u8 {
    match verify(argv) {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}\n{USAGE}");
            EXIT_OTHER
        }
        Err(Failure::Io(message)) => {
            eprintln!("error: {message}");
            EXIT_OTHER
        }
    }
}

/// Why the command could not produce a report.
enum Failure {
    /// Bad arguments: the usage is printed.
    Usage(String),
    /// A file could not be read, or the report not encoded.
    Io(String),
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

fn verify(argv: &[String]) -> Result<u8, Failure> {
    let args = Args::parse(
        argv,
        &[
            "certificate",
            "claimed",
            "macro-score",
            "audit-trail",
            "format",
            "max-input-bytes",
        ],
        &["strict"],
    )
    .map_err(Failure::Usage)?;
    let format = match args.value("format").unwrap_or("text") {
        "text" => Format::Text,
        "json" => Format::Json,
        other => {
            return Err(usage(format!(
                "--format: {other:?} is neither text nor json"
            )))
        }
    };
    let input = match args.positional.as_slice() {
        [one] => one.as_str(),
        [] => return Err(usage("missing the Phase 6 file (p06_output.json)")),
        more => {
            return Err(usage(format!(
                "expected one Phase 6 file, got {}",
                more.len()
            )))
        }
    };
    let mut options = RunOptions {
        strict: args.switch("strict"),
        ..RunOptions::default()
    };
    if let Some(v) = args.value("max-input-bytes") {
        options.limits.max_input_bytes = v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            usage(format!(
                "--max-input-bytes: {v:?} is not a positive number of bytes"
            ))
        })?;
    }
    let limit = options.limits.max_input_bytes;
    let phase6 = match files::read_limited(input, limit).map_err(Failure::Io)? {
        Ok(bytes) => bytes,
        Err(actual) => {
            let e = InputError::InputTooLarge { limit, actual };
            eprintln!("error[{}]: {e}", e.code());
            return Ok(EXIT_INPUT_REJECTED);
        }
    };
    // Claimed files are read up to the larger of the input limit and the default.
    let read_claim = |path: &str| -> Result<Vec<u8>, Failure> {
        let cap = limit.max(DEFAULT_MAX_INPUT_BYTES);
        files::read_limited(path, cap)
            .map_err(Failure::Io)?
            .map_err(|size| {
                Failure::Io(format!("{path}: {size} bytes is over the {cap}-byte limit"))
            })
    };

    match (args.value("certificate"), args.value("claimed")) {
        (Some(cert), None) => {
            let certificate = read_claim(cert)?;
            let macro_score = args.value("macro-score").map(read_claim).transpose()?;
            let audit_trail = args.value("audit-trail").map(read_claim).transpose()?;
            let supplied = Supplied {
                certificate: &certificate,
                macro_score: macro_score.as_deref(),
                audit_trail: audit_trail.as_deref(),
            };
            let report = verify::verify(&phase6, &supplied, &options);
            print_report(&report, format)?;
            Ok(match &report.outcome {
                VerificationOutcome::Verified => EXIT_OK,
                VerificationOutcome::NotVerified => EXIT_NOT_VERIFIED,
                VerificationOutcome::InputRejected { errors } => {
                    print_errors(errors);
                    EXIT_INPUT_REJECTED
                }
            })
        }
        (None, Some(claimed)) => {
            if args.value("macro-score").is_some() || args.value("audit-trail").is_some() {
                return Err(usage(
                    "--macro-score and --audit-trail go with --certificate",
                ));
            }
            if args.switch("strict") {
                return Err(usage("--strict goes with --certificate"));
            }
            let claimed = read_claim(claimed)?;
            let report = claim::verify_claimed_with(&phase6, &claimed, &options);
            print_claim(&report, format)?;
            Ok(match &report.outcome {
                ClaimOutcome::Identical | ClaimOutcome::Explained => EXIT_OK,
                ClaimOutcome::Different => EXIT_NOT_VERIFIED,
                ClaimOutcome::InputRejected { errors } => {
                    print_errors(errors);
                    EXIT_INPUT_REJECTED
                }
                ClaimOutcome::RerunFailed { errors } => {
                    print_errors(errors);
                    EXIT_OTHER
                }
            })
        }
        (Some(_), Some(_)) => Err(usage("give either --certificate or --claimed, not both")),
        (None, None) => Err(usage("give --certificate FILE or --claimed FILE")),
    }
}

fn print_errors(errors: &[Diagnostic]) {
    for e in errors {
        eprintln!("error[{}]: {}", e.code, e.message);
    }
}

fn print_report(report: &VerificationReport, format: Format) -> Result<(), Failure> {
    match format {
        Format::Text => print!("{}", report.text()),
        Format::Json => println!("{}", to_json(report)?),
    }
    Ok(())
}

fn print_claim(report: &ClaimReport, format: Format) -> Result<(), Failure> {
    match format {
        Format::Text => print!("{}", report.text()),
        Format::Json => println!("{}", to_json(report)?),
    }
    Ok(())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Io(format!("cannot encode the report: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn usage_errors_exit_1() {
        assert_eq!(main(&args(&[])), EXIT_OTHER);
        assert_eq!(main(&args(&["x.json"])), EXIT_OTHER);
        assert_eq!(
            main(&args(&["x.json", "--certificate", "a", "--claimed", "b"])),
            EXIT_OTHER
        );
        assert_eq!(
            main(&args(&["x.json", "--certificate", "a", "--format", "xml"])),
            EXIT_OTHER
        );
        assert_eq!(
            main(&args(&["/nonexistent/p06.json", "--certificate", "a"])),
            EXIT_OTHER
        );
    }
}
