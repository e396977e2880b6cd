//! `phase7 run`: one Phase 6 file → macro_score.json (and its certificate and audit trail).

use std::path::PathBuf;

use phase7_core::error::{InputError, InputRejected, Phase7Error};
use phase7_core::phase::{self, RunOptions};
use phase7_core::{bridge, time};

use crate::args::Args;
use crate::files;

/// Prints every coded error of a failed run on stderr, one line each.
pub fn report_errors(e: &Phase7Error) {
    for d in e.diagnostics() {
        eprintln!("error[{}]: {}", d.code, d.message);
    }
    if let Phase7Error::Input(r) = e {
        for w in &r.warnings {
            eprintln!("warning[{}]: {}", w.code(), w);
        }
    }
}

/// The exit code of a failed run.
pub fn exit_code(e: &Phase7Error) -> u8 {
    match e {
        Phase7Error::Input(_) => 2,
        Phase7Error::Output(_) | Phase7Error::Invariant(_) | Phase7Error::Gate(_) => 3,
        Phase7Error::Resource(_) | Phase7Error::Computation(_) => 1,
    }
}

/// Parses `--evaluated-at`-style options.
///
/// # Errors
///
/// A message naming the option when the time is not RFC 3339.
pub fn time_option(args: &Args, name: &str) -> Result<Option<String>, String> {
    match args.value(name) {
        None => Ok(None),
        Some(t) => time::check_rfc3339(t)
            .map(|()| Some(t.to_string()))
            .map_err(|e| format!("--{name}: {e}")),
    }
}

/// Builds the run options shared by `run` and `batch`.
///
/// # Errors
///
/// A message when `--max-input-bytes` is not a positive integer.
pub fn options(args: &Args, evaluated_at: Option<String>) -> Result<RunOptions, String> {
    let mut options = RunOptions {
        strict: args.switch("strict"),
        evaluated_at,
        ..RunOptions::default()
    };
    if let Some(v) = args.value("max-input-bytes") {
        options.limits.max_input_bytes =
            v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                format!("--max-input-bytes: {v:?} is not a positive number of bytes")
            })?;
    }
    Ok(options)
}

/// Reads a Phase 6 file under the size limit, turning an oversized file into the coded
/// INPUT_TOO_LARGE rejection without loading it.
///
/// # Errors
///
/// `Ok(Err(rejection))` for an oversized file; `Err(message)` for I/O errors.
pub fn read_input(
    path: &str,
    options: &RunOptions,
) -> Result<Result<Vec<u8>, Phase7Error>, String> {
    let limit = options.limits.max_input_bytes;
    Ok(files::read_limited(path, limit)?.map_err(|actual| {
        Phase7Error::Input(InputRejected {
            errors: vec![InputError::InputTooLarge { limit, actual }],
            warnings: Vec::new(),
        })
    }))
}

/// Runs the subcommand; returns the exit code.
pub fn main(argv: &[String]) -> u8 {
    let args = match Args::parse(
        argv,
        &["out", "evaluated-at", "issued-at", "max-input-bytes"],
        &["strict"],
    ) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let [input_path] = args.positional.as_slice() else {
        eprintln!("error: usage: phase7 run <p06_output.json> [--out DIR] [--evaluated-at RFC3339] [--strict]");
        return 1;
    };
    let (evaluated_at, _issued_at) = match (
        time_option(&args, "evaluated-at"),
        time_option(&args, "issued-at"),
    ) {
        (Ok(e), Ok(i)) => (e, i),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let options = match options(&args, evaluated_at) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let out_dir = PathBuf::from(args.value("out").unwrap_or("."));

    let bytes = match read_input(input_path, &options) {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            report_errors(&e);
            return exit_code(&e);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let result = bridge::read(&bytes, &options.limits)
        .map_err(Phase7Error::from)
        .and_then(|input| {
            phase::evaluate(input, &options, Default::default(), &mut phase::NoObserver)
        });
    let run = match result {
        Ok(r) => r,
        Err(e) => {
            report_errors(&e);
            return exit_code(&e);
        }
    };
    for w in run.warnings() {
        eprintln!("warning[{}]: {}", w.code(), w);
    }
    let macro_json = match run.macro_score.to_json_pretty() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error[COMPUTATION_FAILED]: cannot encode the MacroScore: {e}");
            return 1;
        }
    };
    let written = match files::write_all(&out_dir, &[("macro_score.json", &macro_json)]) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot write to {}: {e}", out_dir.display());
            return 1;
        }
    };
    let m = &run.macro_score;
    println!("score          {:?}", m.score);
    println!("quality_level  {}", m.quality_level.as_str());
    let gaps: Vec<String> = m
        .gap_severity
        .0
        .iter()
        .map(|(a, s)| format!("{a} ({s})"))
        .collect();
    println!(
        "systemic_gaps  {}",
        if gaps.is_empty() {
            "none".to_string()
        } else {
            gaps.join(", ")
        }
    );
    println!("input digest   {}", run.digests.input);
    println!("config digest  {}", run.digests.config);
    println!("output digest  {}", run.digests.output);
    let failed = run.checks.iter().filter(|c| !c.passed).count();
    println!(
        "checks         {} run, {} not passed (warnings)",
        run.checks.len(),
        failed
    );
    for path in written {
        println!("wrote          {}", path.display());
    }
    0
}
