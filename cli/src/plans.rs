//! `phase7 batch DIR_OR_FILES… --out DIR`: many Phase 6 files, one output folder each
//! (macro_score.json, certificate.json, audit_trail.json; for a refused plan — rejected,
//! or its checks failed — its full diagnostics: refusal.json and the audit trail marked
//! not certified), a progress bar on a terminal (plain lines otherwise), a summary table
//! and `summary.csv`.
//!
//! * Plans run on `--jobs` threads ([`parallel::map_in_order`]): each worker reads a
//!   plan, runs, issues, verifies and writes its folder; the main thread names the plans
//!   and, in plan order, prints their messages and progress and writes their rows. At
//!   most [`PLANS_PER_THREAD`] plans per thread are in flight, and none is started
//!   unless those in flight and it hold at most [`parallel::IN_FLIGHT_BYTES`] of plan
//!   files (or it goes alone), so memory stays flat
//!   in the number of plans (one plan's file and results per thread, plus the list of
//!   candidate paths) and, for large plans, in the number of threads. summary.csv, the
//!   table and the exit code are the same bytes whatever `--jobs` is; so are the
//!   folders, since no two plans share one and no plan's folder replaces a folder
//!   holding a candidate of the batch.
//!
//! * Candidates: the files named, and in each folder named every entry whose name ends
//!   in `.json`, whatever it is. Each gets a row in summary.csv: one that is not a
//!   regular file (a directory, FIFO, device, dangling symlink) or cannot be read gets
//!   its error code (`NOT_REGULAR_FILE`, `IO_ERROR`, `INPUT_TOO_LARGE`).
//! * Folders: named by [`PlanNames`] (cannot leave `--out`, cannot collide); written
//!   all together or not at all ([`files::write_folder`]); summary.csv maps each plan
//!   file to its folder.
//! * A row says `verified=true` only when the plan's folder was written and the
//!   certificate in it verified by an independent rerun.
//! * Exit code: the most serious among the rows ([`exit::Worst`]); 0 when every plan was
//!   written and verified.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use phase7_core::batch::{defuse, quote, PlanNames, PlanSummary, CSV_HEADER};
use phase7_core::error::{Phase7Error, ResourceError};
use phase7_core::phase::RunOptions;

use crate::exit::{self, Fail, Worst};
use crate::files::{self, FileId, Staged};
use crate::observe::proc_status_bytes;
use crate::parallel::{self, Next, Window};
use crate::stop::Stop;
use crate::term;

/// The header of the CLI's summary.csv: the dashboard's columns, then `file`, the plan
/// file the row is about (its folder is `plan`).
pub fn csv_header() -> String {
    format!("{CSV_HEADER},file")
}

/// A summary.csv line: the row, then the plan file ([`term::path`]: control characters
/// and bytes that are not UTF-8 written as escapes; defused and quoted).
pub fn csv_line(row: &PlanSummary, file: &Path) -> String {
    format!("{},{}", row.csv_line(), quote(&defuse(&term::path(file))))
}

/// Peak resident memory of this process, as text (Linux; "unknown" elsewhere).
pub fn peak_rss_text() -> String {
    proc_status_bytes("VmHWM:").map_or_else(
        || "unknown".to_string(),
        |b| format!("{:.1} MiB ({b} bytes)", b as f64 / 1_048_576.0),
    )
}

fn is_candidate(name: &OsStr) -> bool {
    let b = name.as_bytes();
    b.len() > b".json".len() && b.ends_with(b".json")
}

/// The candidates named by the arguments: arguments as given, folders' `*.json` entries
/// sorted by name. `Ok(Err(RESOURCE_EXHAUSTED))` past `max` plans.
///
/// # Errors
///
/// `IO_ERROR` for a folder that cannot be listed.
fn collect(inputs: &[PathBuf], max: usize) -> Result<Result<Vec<PathBuf>, Phase7Error>, Fail> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            for entry in fs::read_dir(input)
                .map_err(|e| Fail::io(format!("cannot read {}: {e}", term::path(input))))?
            {
                let entry = entry
                    .map_err(|e| Fail::io(format!("cannot read {}: {e}", term::path(input))))?;
                if is_candidate(&entry.file_name()) {
                    found.push(entry.path());
                }
                if found.len() > max {
                    break;
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(input.clone());
        }
        if out.len() > max {
            let e = Phase7Error::Resource(ResourceError {
                resource: "batch plans",
                limit: max.to_string(),
                observed: format!("more than {max}"),
            });
            return Ok(Err(e));
        }
    }
    Ok(Ok(out))
}

/// What one plan gave: its row, and the error to print (in plan order, by the main
/// thread) when its file could not be read or its folder written.
struct Done {
    row: PlanSummary,
    error: Option<Fail>,
}

/// Runs one plan and writes its folder (on a worker thread); `candidates` are the
/// batch's plan files, which no folder may replace.
fn one(
    path: &Path,
    plan: String,
    out: &Path,
    options: &RunOptions,
    issued_at: Option<&str>,
    candidates: &BTreeSet<FileId>,
) -> Done {
    let limit = options.limits.max_input_bytes;
    let failed = |plan, code, error| Done {
        row: PlanSummary::failed(plan, code),
        error,
    };
    let (bytes, id) = match files::read_regular(path, limit) {
        Ok(Ok(l)) => (l.bytes, l.id),
        Ok(Err(actual)) => {
            return failed(plan, Phase7Error::too_large(limit, actual).code(), None);
        }
        Err(f) => return failed(plan, f.code, Some(f)),
    };
    let result = PlanSummary::evaluate(plan, &bytes, options, issued_at);
    let row = result.row;
    let Some(f) = result.artifacts else {
        return Done { row, error: None };
    };
    // The run's files, and a refused plan's refusal record with every diagnostic.
    let texts: Vec<(&str, &[u8])> = f
        .files()
        .into_iter()
        .chain(f.record())
        .map(|(name, text)| (name, text.as_bytes()))
        .collect();
    let is_input = |f: FileId| f == id || candidates.contains(&f);
    match files::write_folder(out, &row.plan, &texts, &FOLDER_FILES, &is_input) {
        Ok(_) => Done { row, error: None },
        Err(fail) => failed(row.plan, fail.code, Some(fail)),
    }
}

/// Every file a plan's folder may hold: a folder holding only these (a previous batch's,
/// whatever that plan's outcome was) may be replaced.
const FOLDER_FILES: [&str; 4] = crate::run::OUTPUTS;

/// Plans in flight per worker thread (queued, in work, or done and waiting for an
/// earlier one). A plan's result in flight is its row: the files are written by then.
pub const PLANS_PER_THREAD: usize = 4;

/// A plan's weight in the window: its file's size, as far as it will be read (a file
/// over `limit` is refused unread; one that cannot be stat'ed weighs nothing and fails
/// on its worker).
fn weight(path: &Path, limit: u64) -> usize {
    fs::metadata(path)
        .map(|m| m.len())
        .ok()
        .filter(|&len| len <= limit)
        .map_or(0, |len| usize::try_from(len).unwrap_or(usize::MAX))
}

/// How many rows were written: those counted by band and by error code.
fn rows_done(errors: &BTreeMap<String, usize>, bands: &BTreeMap<String, usize>) -> usize {
    errors.values().chain(bands.values()).sum()
}

/// The exit code a row stands for.
fn row_code(row: &PlanSummary) -> u8 {
    match exit::of_code(&row.error_code) {
        exit::OK if !row.verified => exit::NOT_VERIFIED,
        code => code,
    }
}

/// Draws progress: a bar on a terminal, a plain line every 1 % otherwise.
struct Progress {
    total: usize,
    tty: bool,
    step: usize,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress {
            total,
            tty: io::stderr().is_terminal(),
            step: (total / 100).max(1),
        }
    }

    fn show(&self, done: usize, plan: &str) {
        let plan = term::escape(plan);
        if self.tty {
            let width = 30;
            let filled = (done * width).checked_div(self.total).unwrap_or(width);
            let mut e = io::stderr().lock();
            let _ = write!(
                e,
                "\r[{}{}] {done}/{} {plan:<30.30}",
                "#".repeat(filled),
                "-".repeat(width - filled),
                self.total
            );
            if done == self.total {
                let _ = writeln!(e);
            }
        } else if done.is_multiple_of(self.step) || done == self.total {
            term::note(&format!("phase7 batch: {done}/{} {plan}", self.total));
        }
    }
}

/// Runs a batch over files and folders; returns the exit code.
///
/// # Errors
///
/// `IO_ERROR` for a folder that cannot be listed or an output folder or summary.csv that
/// cannot be written; `OUTPUT_NOT_REPLACEABLE` when summary.csv's place holds something
/// other than a regular file.
pub fn run(
    inputs: &[PathBuf],
    out: &Path,
    options: &RunOptions,
    issued_at: Option<&str>,
    max_plans: usize,
    jobs: usize,
    stop: &Stop,
) -> Result<u8, Fail> {
    let paths = match collect(inputs, max_plans)? {
        Ok(paths) => paths,
        Err(e) => {
            term::error(e.code(), &e.to_string());
            return Ok(exit::FAILURE);
        }
    };
    fs::create_dir_all(out)
        .map_err(|e| Fail::io(format!("cannot create {}: {e}", term::path(out))))?;
    let csv_path = out.join("summary.csv");
    // Files named as arguments may be anything, summary.csv too: never replaced.
    let named: Vec<FileId> = inputs
        .iter()
        .filter_map(|p| fs::metadata(p).ok())
        .filter(|m| m.is_file())
        .map(|m| FileId::of(&m))
        .collect();
    files::check_replaceable(&csv_path, &named)?;
    let mut summary = io::BufWriter::new(Staged::new(&csv_path)?);
    let csv_error = |e: io::Error| Fail::io(format!("cannot write {}: {e}", term::path(&csv_path)));
    writeln!(summary, "{}", csv_header()).map_err(csv_error)?;
    // Every plan file of the batch (those that are regular files now): no plan's folder
    // may replace one, so that the plans cannot affect each other in any order.
    let candidates: BTreeSet<FileId> = paths
        .iter()
        .filter_map(|p| fs::metadata(p).ok())
        .filter(|m| m.is_file())
        .map(|m| FileId::of(&m))
        .collect();
    let progress = Progress::new(paths.len());
    let mut names = PlanNames::default();
    let mut bands: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut worst = Worst::default();
    let (mut verified, mut shown) = (0usize, Vec::new());
    let limit = options.limits.max_input_bytes;
    // Plans are named here, in order (a name depends on those given before).
    let mut queue = paths.iter().enumerate();
    let produce = || -> Result<Next<(usize, String)>, Fail> {
        if stop.signal().is_some() {
            return Ok(None);
        }
        Ok(queue.next().map(|(i, path)| {
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ((i, names.name(&file_name)), weight(path, limit))
        }))
    };
    let work = |(i, plan): (usize, String)| {
        let done = one(&paths[i], plan, out, options, issued_at, &candidates);
        (i, done)
    };
    let consume = |(i, Done { row, error }): (usize, Done)| -> Result<(), Fail> {
        let path = &paths[i];
        if let Some(f) = error {
            term::error(f.code, &f.message);
        }
        writeln!(summary, "{}", csv_line(&row, path)).map_err(csv_error)?;
        if row.error_code.is_empty() {
            *bands.entry(row.band.clone()).or_default() += 1;
        } else {
            *errors.entry(row.error_code.clone()).or_default() += 1;
        }
        worst.add(row_code(&row));
        verified += usize::from(row.verified);
        progress.show(i + 1, &row.plan);
        if shown.len() < 20 {
            shown.push((row, path));
        }
        Ok(())
    };
    parallel::map_in_order(
        jobs,
        Window::new(jobs, PLANS_PER_THREAD, parallel::IN_FLIGHT_BYTES),
        produce,
        work,
        consume,
    )?;
    // Stopped by a signal: the plans in flight finished; summary.csv's staged file is
    // removed (a summary of part of the batch is not written).
    let rows = rows_done(&errors, &bands);
    if let Some(f) = stop.failure(&format!(
        "{rows} of {} plans done, their folders complete; summary.csv not written",
        paths.len()
    )) {
        return Err(f);
    }
    let staged = summary
        .into_inner()
        .map_err(|e| csv_error(io::Error::other(e.error().to_string())))?;
    files::commit(vec![staged], &named)?;

    let mut lines = vec![format!(
        "{:<32} {:>20} {:<13} {:<8} {:<22} {:<20} file",
        "plan", "score", "band", "verified", "error", "gaps"
    )];
    for (r, path) in &shown {
        lines.push(format!(
            "{:<32.32} {:>20} {:<13} {:<8} {:<22} {:<20} {}",
            r.plan,
            r.score,
            r.band,
            r.verified,
            r.error_code,
            r.gaps,
            term::path(path)
        ));
    }
    if paths.len() > shown.len() {
        lines.push(format!(
            "… {} more rows in summary.csv",
            paths.len() - shown.len()
        ));
    }
    lines.push(String::new());
    lines.push(format!("plans     {}", paths.len()));
    for (band, n) in &bands {
        lines.push(format!("  {band:<13} {n}"));
    }
    for (code, n) in &errors {
        lines.push(format!("  error {code:<22} {n}"));
    }
    lines.push(format!("verified  {verified}"));
    lines.push(format!("summary   {}", term::path(&csv_path)));
    term::out_lines(&lines);
    term::note(&format!("phase7 batch: peak RSS {}", peak_rss_text()));
    Ok(worst.0)
}
