//! `phase7 run`: one Phase 6 file → macro_score.json, audit_trail.json and
//! certificate.json in `--out`, all together or none (see [`crate::files`]), plus the
//! side outputs `--signals` and `--metrics`, whose failure is reported (a
//! `warning[SIDE_OUTPUT_FAILED]` line and exit 5) without touching the results. The
//! summary has a band margin line, and a band decided within 4 ulps of a threshold a
//! `warning[BAND_MARGIN]` line on stderr: analysis, never in strict mode, the audit trail
//! or a certificate.
//!
//! A refused plan — a rejected input (exit 2) or a run whose output contract, invariants
//! or exit gate failed (exit 3) — gets no macro_score.json and no certificate.json: its
//! audit trail, marked not certified, and its refusal record `refusal.json`
//! ([`Artifacts::record`]), all together or none like every output; `--no-record` keeps
//! no record (a rejected input then writes nothing). An input over the size limit is
//! never read, so it gets no record (its identity would need its bytes).

use std::path::{Path, PathBuf};

use phase7_core::attest::Artifacts;
use phase7_core::error::Phase7Error;
use phase7_core::observe::signal::{Signal, SignalSink};
use phase7_core::observe::{self as orchestrate, CheckpointStore, Controls};
use phase7_core::phase::Run;
use phase7_core::read::json::shown;
use phase7_core::sensitivity::{band_margin, BandMargin};
use phase7_core::stages::Stage;

use crate::cli::RunArgs;
use crate::exit::{self, Fail, SIDE_OUTPUT_FAILED_CODE};
use crate::files::{self, FileId, Staged};
use crate::observe::{CheckpointDir, JsonLines, ProcessProbe};
use crate::term;

/// The result files a run may write: the first three for a run that passed; the audit
/// trail, marked not certified, and the refusal record for a refused plan.
pub const OUTPUTS: [&str; 4] = [
    phase7_core::attest::MACRO_SCORE_FILE,
    phase7_core::attest::AUDIT_TRAIL_FILE,
    phase7_core::attest::CERTIFICATE_FILE,
    phase7_core::attest::REFUSAL_FILE,
];

/// Prints every coded error of a failed run on stderr, one line each.
pub fn report_errors(e: &Phase7Error) {
    term::diagnostics(&e.diagnostics());
    if let Phase7Error::Input(r) = e {
        for w in &r.warnings {
            term::warning(w.code(), &w.to_string());
        }
    }
}

/// Runs the subcommand; returns the exit code.
pub fn main(args: &RunArgs) -> u8 {
    run(args).unwrap_or_else(|f| f.report())
}

/// The `PHASE7_FAIL_AFTER_STAGE` test hook.
fn fail_after() -> Result<Option<Stage>, Fail> {
    let Some(value) = std::env::var_os("PHASE7_FAIL_AFTER_STAGE") else {
        return Ok(None);
    };
    if value.is_empty() {
        return Ok(None);
    }
    // Cut with its length when long, like any text from outside (up to 128 KiB here).
    let name = value.to_str().ok_or_else(|| {
        Fail::usage(format!(
            "PHASE7_FAIL_AFTER_STAGE: {} is not UTF-8, so not a stage name",
            term::arg(&value)
        ))
    })?;
    Stage::parse(name).map(Some).ok_or_else(|| {
        Fail::usage(format!(
            "PHASE7_FAIL_AFTER_STAGE: unknown stage {:?}",
            shown(name)
        ))
    })
}

/// The side outputs of a run: signals (streamed into a staged file) and metrics.
struct Side {
    signals: Option<JsonLines<Staged>>,
    discard: Vec<Signal>,
    failed: bool,
}

impl Side {
    /// Opens the signals file, refusing a path that is one of `inputs`.
    fn new(args: &RunArgs, inputs: &[FileId]) -> Side {
        let mut side = Side {
            signals: None,
            discard: Vec::new(),
            failed: false,
        };
        if let Some(path) = &args.signals {
            // Refused before anything is created next to it.
            match files::check_replaceable(path, inputs).and_then(|_| Staged::new(path)) {
                Ok(s) => side.signals = Some(JsonLines::new(s)),
                Err(f) => side.warn("signals", path, &f.message),
            }
        }
        side
    }

    fn sink(&mut self) -> &mut dyn SignalSink {
        match &mut self.signals {
            Some(s) => s,
            None => &mut self.discard,
        }
    }

    fn warn(&mut self, what: &str, path: &Path, why: &str) {
        self.failed = true;
        term::warning(
            SIDE_OUTPUT_FAILED_CODE,
            &format!("{what} not written to {}: {why}", term::path(path)),
        );
    }

    /// Puts the signals and the metrics in place, refusing a path that is one of the
    /// results or the input. Returns whether every side output asked for was written.
    fn finish(
        mut self,
        args: &RunArgs,
        metrics: Option<String>,
        taken: &mut Vec<(PathBuf, std::ffi::OsString)>,
        inputs: &[FileId],
    ) -> bool {
        if let (Some(path), Some(lines)) = (&args.signals, self.signals.take()) {
            let done = lines
                .finish()
                .map_err(|e| format!("cannot write: {e}"))
                .and_then(|staged| commit_side(staged, taken, inputs));
            if let Err(why) = done {
                self.warn("signals", path, &why);
            }
        }
        if let (Some(path), Some(text)) = (&args.metrics, metrics) {
            let done = files::check_replaceable(path, inputs)
                .and_then(|_| Staged::with_bytes(path, text.as_bytes()))
                .map_err(|f| f.message)
                .and_then(|staged| commit_side(staged, taken, inputs));
            if let Err(why) = done {
                self.warn("metrics", path, &why);
            }
        }
        !self.failed
    }
}

fn commit_side(
    staged: Staged,
    taken: &mut Vec<(PathBuf, std::ffi::OsString)>,
    inputs: &[FileId],
) -> Result<(), String> {
    if let Some(place) = files::place(staged.target()) {
        if taken.contains(&place) {
            return Err("that path is another output of this run; refusing to replace it".into());
        }
        taken.push(place);
    }
    files::commit(vec![staged], inputs)
        .map(drop)
        .map_err(|f| f.message)
}

fn run(args: &RunArgs) -> Result<u8, Fail> {
    let options = args.options();
    let fail_after = fail_after()?;
    let mut store = match &args.checkpoint_dir {
        Some(dir) => Some(CheckpointDir::open(dir, options.limits.max_input_bytes)?),
        None => None,
    };
    // The input's identity before it is read (following a symlink, as reading does):
    // no side output may replace it, even when it is too large or cannot be read.
    let mut inputs: Vec<FileId> = std::fs::metadata(&args.input)
        .ok()
        .map(|m| FileId::of(&m))
        .into_iter()
        .collect();
    let mut side = Side::new(args, &inputs);
    let mut probe = ProcessProbe::new();
    let limit = options.limits.max_input_bytes;

    let input = match files::read_regular(&args.input, limit) {
        Ok(Ok(l)) => l,
        Ok(Err(actual)) => {
            // Too large to read: still a run that started and failed, for the signals.
            use std::os::unix::ffi::OsStrExt;
            let e = Phase7Error::too_large(limit, actual);
            let run_id = phase7_core::attest::digest::sha256_hex(args.input.as_os_str().as_bytes());
            orchestrate::failed_before_reading(&e, &run_id, &mut probe, side.sink());
            report_errors(&e);
            side.finish(args, None, &mut Vec::new(), &inputs);
            return Ok(exit::of_error(&e));
        }
        Err(f) => {
            side.finish(args, None, &mut Vec::new(), &inputs);
            return Err(f);
        }
    };
    // The file read (the same one, unless the path changed meanwhile).
    if !inputs.contains(&input.id) {
        inputs.push(input.id);
    }

    let controls = Controls {
        fail_after,
        time_budget_ms: args.time_budget,
        resume: args.resume,
    };

    let observed = orchestrate::run_observed(
        &input.bytes,
        &options,
        &mut probe,
        side.sink(),
        store.as_mut().map(|s| s as &mut dyn CheckpointStore),
        &controls,
    );
    let metrics = args.metrics.as_ref().and_then(|_| {
        serde_json::to_string_pretty(&observed.metrics)
            .map(|t| t + "\n")
            .ok()
    });
    let code = match observed.result {
        Ok(run) => write_results(&run, args, input.id).unwrap_or_else(|f| f.report()),
        Err(e) => {
            report_errors(&e);
            if let Phase7Error::Interrupted { stage } = &e {
                term::note(&format!(
                    "phase7: stopped after {stage} by PHASE7_FAIL_AFTER_STAGE; rerun with --resume"
                ));
            }
            match &e {
                Phase7Error::Input(rejected) if !args.no_record => {
                    write_rejection(&input.bytes, rejected, args, input.id)
                        .unwrap_or_else(|f| f.report())
                }
                _ => exit::of_error(&e),
            }
        }
    };
    let mut taken: Vec<_> = OUTPUTS
        .iter()
        .filter_map(|name| files::place(&args.out.join(name)))
        .collect();
    let side_ok = side.finish(args, metrics, &mut taken, &inputs);
    Ok(if code == exit::OK && !side_ok {
        exit::SIDE_OUTPUT_FAILED
    } else {
        code
    })
}

/// Issues the run's files and writes them all together; prints the summary. A run whose
/// checks failed gets only its audit trail, marked not certified, and exit 3.
fn write_results(run: &Run, args: &RunArgs, input: FileId) -> Result<u8, Fail> {
    for w in run.warnings() {
        term::warning(w.code(), &w.to_string());
    }
    // Analysis, never part of the run: not in strict mode, the audit trail or a
    // certificate.
    let margin = band_margin(run.macro_score.score_normalized, &run.config);
    if let Some(w) = &margin.warning {
        term::warning(w.code(), &w.to_string());
    }
    let artifacts = Artifacts::issue(run, args.issued_at.as_deref()).map_err(|e| {
        Fail::new(
            "COMPUTATION_FAILED",
            format!("cannot issue the certificate: {e}"),
        )
    })?;
    if !run.passed() {
        term::diagnostics(&run.failures());
    }
    let written = write_artifacts(&artifacts, args, input)?;
    if !run.passed() {
        return Ok(exit::CHECK_FAILED);
    }
    print_summary(run, &margin, &written);
    Ok(exit::OK)
}

/// Writes a rejected input's audit trail (the input rules that ran, marked not
/// certified) and refusal record, all together; exit 2.
fn write_rejection(
    bytes: &[u8],
    rejected: &phase7_core::error::InputRejected,
    args: &RunArgs,
    input: FileId,
) -> Result<u8, Fail> {
    let artifacts =
        Artifacts::rejected(bytes, rejected, &args.options(), args.issued_at.as_deref()).map_err(
            |e| {
                Fail::new(
                    "COMPUTATION_FAILED",
                    format!("cannot make the refusal record: {e}"),
                )
            },
        )?;
    write_artifacts(&artifacts, args, input)?;
    Ok(exit::INPUT_REJECTED)
}

/// Writes a run's files, with the refusal record of a refused plan unless --no-record,
/// all together or none (a refused plan's paths are printed here, a certified run's in
/// its summary).
fn write_artifacts(
    artifacts: &Artifacts,
    args: &RunArgs,
    input: FileId,
) -> Result<Vec<PathBuf>, Fail> {
    let record = artifacts.record().filter(|_| !args.no_record);
    let files: Vec<(&str, &[u8])> = artifacts
        .files()
        .into_iter()
        .chain(record)
        .map(|(name, text)| (name, text.as_bytes()))
        .collect();
    // The other outputs of `run` that an earlier run may have left in --out go in the same
    // step: a refusal never sits beside an old certificate, nor a certificate beside an
    // old refusal.
    let written = files::write_set(&args.out, &files, &OUTPUTS, &[input])?;
    if !artifacts.certified() {
        let lines: Vec<String> = written
            .iter()
            .map(|p| {
                let what = if p.ends_with(phase7_core::attest::REFUSAL_FILE) {
                    "refusal record"
                } else {
                    "not certified"
                };
                format!("wrote          {} ({what})", term::path(p))
            })
            .collect();
        term::out_lines(&lines);
    }
    Ok(written)
}

fn print_summary(run: &Run, margin: &BandMargin, written: &[PathBuf]) {
    let m = &run.macro_score;
    let gaps: Vec<String> = m
        .gap_severity
        .0
        .iter()
        .map(|(a, s)| format!("{a} ({s})"))
        .collect();
    let failed = run.checks.iter().filter(|c| !c.passed).count();
    let mut lines = vec![
        format!("score          {:?}", m.score),
        format!("quality_level  {}", m.quality_level.as_str()),
        format!(
            "band margin    {} (analysis, not certified)",
            crate::sensitivity::margin_text(margin)
        ),
        format!(
            "systemic_gaps  {}",
            if gaps.is_empty() {
                "none".to_string()
            } else {
                gaps.join(", ")
            }
        ),
        format!("input digest   {}", run.digests.input),
        format!("config digest  {}", run.digests.config),
        format!("output digest  {}", run.digests.output),
        format!(
            "checks         {} run, {} not passed (warnings)",
            run.checks.len(),
            failed
        ),
    ];
    for path in written {
        lines.push(format!("wrote          {}", term::path(path)));
    }
    term::out_lines(&lines);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn a_side_output_is_synced_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signals.jsonl");
        let mut staged = Staged::new(&path).unwrap();
        staged.write_all(b"{}\n").unwrap();
        let before = files::syncs();
        commit_side(staged, &mut Vec::new(), &[]).unwrap();
        assert_eq!(files::syncs() - before, 1);
        assert_eq!(std::fs::read(&path).unwrap(), b"{}\n");
    }
}
