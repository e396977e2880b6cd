//! `phase7 run`: one Phase 6 file → macro_score.json (and its certificate and audit trail).

use std::path::PathBuf;

use std::path::Path;

use phase7_core::attest::Artifacts;
use phase7_core::error::Phase7Error;
use phase7_core::observe::checkpoint::{self, Checkpoint};
use phase7_core::observe::signal::{Signal, SignalSink};
use phase7_core::observe::{self as orchestrate, CheckpointStore, Controls};
use phase7_core::phase::{Run, RunOptions};
use phase7_core::read::bridge;
use phase7_core::stages::Stage;
use phase7_core::time;

use crate::args::Args;
use crate::files;
use crate::observe::{CheckpointDir, JsonLines, ProcessProbe};

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
        Phase7Error::Resource(_) | Phase7Error::Computation(_) => 1,
        Phase7Error::Interrupted { .. } => 75,
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
            v.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
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
    Ok(files::read_limited(path, limit)?.map_err(|actual| Phase7Error::too_large(limit, actual)))
}

/// Runs the subcommand; returns the exit code.
pub fn main(argv: &[String]) -> u8 {
    match run(argv) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

/// Parses `--time-budget SECONDS` into milliseconds.
fn time_budget(args: &Args) -> Result<Option<f64>, String> {
    args.value("time-budget")
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0)
                .map(|s| s * 1000.0)
                .ok_or_else(|| format!("--time-budget: {v:?} is not a positive number of seconds"))
        })
        .transpose()
}

/// The `PHASE7_FAIL_AFTER_STAGE` test hook.
fn fail_after() -> Result<Option<Stage>, String> {
    match std::env::var("PHASE7_FAIL_AFTER_STAGE") {
        Ok(name) if !name.is_empty() => Stage::parse(&name)
            .map(Some)
            .ok_or_else(|| format!("PHASE7_FAIL_AFTER_STAGE: unknown stage {name:?}")),
        _ => Ok(None),
    }
}

fn run(argv: &[String]) -> Result<u8, String> {
    let args = Args::parse(
        argv,
        &[
            "out",
            "evaluated-at",
            "issued-at",
            "max-input-bytes",
            "signals",
            "metrics",
            "checkpoint-dir",
            "time-budget",
        ],
        &["strict", "resume"],
    )?;
    let [input_path] = args.positional.as_slice() else {
        return Err(
            "usage: phase7 run <p06_output.json> [--out DIR] [options] (see phase7 --help)".into(),
        );
    };
    let evaluated_at = time_option(&args, "evaluated-at")?;
    let issued_at = time_option(&args, "issued-at")?;
    let options = options(&args, evaluated_at)?;
    let controls_budget = time_budget(&args)?;
    let fail_after = fail_after()?;
    let out_dir = PathBuf::from(args.value("out").unwrap_or("."));
    if args.switch("resume") && args.value("checkpoint-dir").is_none() {
        return Err("--resume needs --checkpoint-dir".into());
    }

    let mut sink: Box<dyn SignalSink> = match args.value("signals") {
        Some(path) => Box::new(JsonLines::create(Path::new(path))?),
        None => Box::new(Vec::<Signal>::new()),
    };
    let mut store = match args.value("checkpoint-dir") {
        Some(dir) => Some(CheckpointDir::open(Path::new(dir))?),
        None => None,
    };
    let mut probe = ProcessProbe::new();

    let bytes = match read_input(input_path, &options)? {
        Ok(b) => b,
        Err(e) => {
            // Too large to read: still a run that started and failed, for the signals.
            let run_id = phase7_core::attest::digest::sha256_hex(input_path.as_bytes());
            orchestrate::failed_before_reading(&e, &run_id, &mut probe, sink.as_mut());
            report_errors(&e);
            return Ok(exit_code(&e));
        }
    };

    let mut controls = Controls {
        fail_after,
        time_budget_ms: controls_budget,
        resume_from: None,
    };
    if let (true, Some(dir)) = (args.switch("resume"), store.as_mut()) {
        resume_point(&bytes, &options, dir, &mut controls);
    }

    let observed = orchestrate::run_observed(
        &bytes,
        &options,
        &mut probe,
        sink.as_mut(),
        store.as_mut().map(|s| s as &mut dyn CheckpointStore),
        &controls,
    );
    if let Some(path) = args.value("metrics") {
        let text =
            serde_json::to_string_pretty(&observed.metrics).map_err(|e| e.to_string())? + "\n";
        files::write_all(
            Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
            &[(file_name(path)?, &text)],
        )
        .map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    let run = match observed.result {
        Ok(r) => r,
        Err(e) => {
            report_errors(&e);
            if let Phase7Error::Interrupted { stage } = &e {
                eprintln!(
                    "phase7: stopped after {stage} by PHASE7_FAIL_AFTER_STAGE; rerun with --resume"
                );
            }
            return Ok(exit_code(&e));
        }
    };
    for w in run.warnings() {
        eprintln!("warning[{}]: {}", w.code(), w);
    }
    let artifacts = Artifacts::issue(&run, issued_at.as_deref())
        .map_err(|e| format!("cannot issue the certificate: {e}"))?;
    let written = files::write_all(&out_dir, &artifacts.files())
        .map_err(|e| format!("cannot write to {}: {e}", out_dir.display()))?;
    if !run.passed() {
        // Failed checks: no MacroScore or certificate, only the trail marked not certified.
        for d in run.failures() {
            eprintln!("error[{}]: {}", d.code, d.message);
        }
        for path in &written {
            eprintln!("wrote          {} (not certified)", path.display());
        }
        return Ok(3);
    }
    print_summary(&run, &written);
    Ok(0)
}

fn file_name(path: &str) -> Result<&str, String> {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{path:?} is not a file path"))
}

/// Finds the checkpoint to resume from, reporting the ones skipped.
fn resume_point(
    bytes: &[u8],
    options: &RunOptions,
    dir: &mut CheckpointDir,
    controls: &mut Controls,
) {
    let Ok(input) = bridge::read(bytes, &options.limits) else {
        return; // The run itself will report why the input is rejected.
    };
    let (Ok(input_digest), Ok(config_digest)) = (
        input.digest().map(str::to_string),
        phase7_core::config::Config::published().digest(),
    ) else {
        return;
    };
    let files = dir.load();
    let (best, skipped) = checkpoint::latest_valid(&files, &input_digest, &config_digest);
    for (name, why) in &skipped {
        eprintln!("warning[{}]: {name}: {why}; skipped", why.code());
    }
    match &best {
        Some(cp) => {
            eprintln!(
                "phase7: resuming after {} ({})",
                cp.stage.name(),
                Checkpoint::file_name(cp.stage)
            );
            dir.also_clear = files
                .iter()
                .filter(|(name, _)| !skipped.iter().any(|(s, _)| s == name))
                .map(|(name, _)| dir.path(name))
                .collect();
        }
        None => eprintln!("phase7: no usable checkpoint; starting from the beginning"),
    }
    controls.resume_from = best;
}

fn print_summary(run: &Run, written: &[PathBuf]) {
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
}
