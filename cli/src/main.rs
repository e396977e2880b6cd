//! `phase7`: rerun, certify and verify Phase 7 of the F.A.R.F.A.N pipeline.
//!
//! The command line is declared in [`cli`] (clap), the exit codes in [`exit`]. Every
//! human-readable line goes through [`term`] (escaped), every file through [`files`]
//! (regular files only, under a size cap; outputs written to new temporary files and
//! renamed, all together or not at all).
#![deny(unsafe_code)]

mod alloc;
mod batch;
mod cli;
mod exit;
mod files;
mod observe;
mod parallel;
mod plans;
mod report;
mod run;
mod sensitivity;
mod stop;
mod term;
mod verify;

use std::ffi::OsString;
use std::process::ExitCode;

/// mimalloc instead of the system allocator for small blocks: a run makes many small
/// allocations (parsed values, strings, canonical bytes), and glibc's malloc was about a
/// fifth of a `batch --jsonl` profile; blocks of 1 MiB and more go to the system
/// allocator ([`alloc::Split`]). Output is the same bytes with either (the allocator
/// never touches a number); `scripts/bench.sh` measures the difference.
#[global_allocator]
static ALLOCATOR: alloc::Split = alloc::Split;

fn main() -> ExitCode {
    alloc::init();
    let args: Vec<OsString> = std::env::args_os().collect();
    let code = match cli::parse(&args) {
        Ok(parsed) => match &parsed.command {
            cli::Command::Run(a) => run::main(a),
            cli::Command::Batch(a) => batch::main(a),
            cli::Command::Verify(a) => verify::main(a),
            cli::Command::Sensitivity(a) => sensitivity::main(a),
            cli::Command::Completions { shell } => cli::completions(*shell),
        },
        Err(code) => code,
    };
    ExitCode::from(code)
}
