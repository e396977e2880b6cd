//! `phase7`: rerun, certify and verify Phase 7 of the F.A.R.F.A.N pipeline.
//!
//! Exit codes (stable, used by acceptance checks):
//! 0 success · 1 other failure (I/O, usage) · 2 input rejected · 3 output contract,
//! invariant or gate failure · 4 verification failed · 75 stopped by the
//! `PHASE7_FAIL_AFTER_STAGE` test hook.
#![forbid(unsafe_code)]

mod args;
mod batch;
mod files;
mod observe;
mod plans;
mod run;
mod verify;

use std::process::ExitCode;

const USAGE: &str = "\
phase7 — rerun and verify Phase 7 (macro aggregation) of the F.A.R.F.A.N pipeline

USAGE:
  phase7 run <p06_output.json> [--out DIR] [--evaluated-at RFC3339] [--issued-at RFC3339]
             [--strict] [--max-input-bytes N] [--signals FILE] [--metrics FILE]
             [--checkpoint-dir D [--resume]] [--time-budget SECONDS]
  phase7 batch --jsonl IN [--out OUT] [--strict] [--evaluated-at RFC3339] [--max-input-bytes N]
               [--max-lines N]
  phase7 batch DIR_OR_FILES... --out DIR [--issued-at RFC3339] [same options]
  phase7 verify <p06_output.json> --certificate certificate.json
               [--macro-score macro_score.json] [--audit-trail audit_trail.json]
               [--strict] [--max-input-bytes N] [--format text|json]
  phase7 verify <p06_output.json> --claimed p07_output.json [--max-input-bytes N]
               [--format text|json]
  phase7 --version | --help

Without --evaluated-at, evaluation_timestamp is null, so reruns are byte-identical.
The default input limit is 16 MiB (16777216 bytes).

EXIT CODES:
  0 ok · 1 I/O, usage or resource error · 2 input rejected
  3 contract/invariant/gate failure · 4 verification failed
  75 stopped by the PHASE7_FAIL_AFTER_STAGE=<STAGE_NAME> test hook
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let code: u8 = match args.get(1).map(String::as_str) {
        Some("run") => run::main(&args[2..]),
        Some("batch") => batch::main(&args[2..]),
        Some("verify") => verify::main(&args[2..]),
        Some("--version" | "-V") => {
            println!("phase7 {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some("--help" | "-h" | "help") => {
            print!("{USAGE}");
            0
        }
        Some(other) => {
            eprintln!("error: unknown command {other:?}\n\n{USAGE}");
            1
        }
        None => {
            eprint!("{USAGE}");
            1
        }
    };
    ExitCode::from(code)
}
