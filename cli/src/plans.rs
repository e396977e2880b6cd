//! `phase7 batch DIR_OR_FILES… --out DIR`: many Phase 6 files, one output folder each
//! (macro_score.json, certificate.json, audit_trail.json), a progress bar on a terminal
//! (plain lines otherwise), a summary table and `summary.csv`. One plan in memory at a
//! time: memory stays flat in the number of plans.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use phase7_core::batch::{PlanNames, PlanSummary, CSV_HEADER};
use phase7_core::error::{Phase7Error, ResourceError};
use phase7_core::phase::RunOptions;

use crate::files;
use crate::observe::proc_status_bytes;
use crate::run::read_input;

/// Peak resident memory of this process, as text (Linux; "unknown" elsewhere).
pub fn peak_rss_text() -> String {
    proc_status_bytes("VmHWM:").map_or_else(
        || "unknown".to_string(),
        |b| format!("{:.1} MiB ({b} bytes)", b as f64 / 1_048_576.0),
    )
}

/// The Phase 6 files named by the arguments: files as given, directories' `*.json`
/// files sorted by name. `Ok(Err(RESOURCE_EXHAUSTED))` past `max` plans; `Err` for
/// arguments that cannot be read.
fn collect(inputs: &[String], max: usize) -> Result<Result<Vec<PathBuf>, Phase7Error>, String> {
    let mut out = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if path.is_dir() {
            let mut found: Vec<PathBuf> = fs::read_dir(path)
                .map_err(|e| format!("cannot read {input}: {e}"))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            out.extend(found);
        } else if path.is_file() {
            out.push(path.to_path_buf());
        } else {
            return Err(format!("{input}: no such file or directory"));
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

/// Runs one plan and writes its folder; the row for summary.csv.
fn one(
    path: &Path,
    plan: String,
    out: &Path,
    options: &RunOptions,
    issued_at: Option<&str>,
) -> PlanSummary {
    let bytes = match read_input(&path.to_string_lossy(), options) {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => return PlanSummary::failed(plan, e.code()),
        Err(_) => return PlanSummary::failed(plan, "IO_ERROR"),
    };
    let (mut row, files) = PlanSummary::compute(plan, &bytes, options, issued_at);
    if let Some(f) = files {
        let written = files::write_all(&out.join(&row.plan), &f.files());
        if written.is_err() {
            row.error_code = "IO_ERROR".into();
        }
    }
    row
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
        if self.tty {
            let width = 30;
            let filled = (done * width).checked_div(self.total).unwrap_or(width);
            eprint!(
                "\r[{}{}] {done}/{} {plan:<30.30}",
                "#".repeat(filled),
                "-".repeat(width - filled),
                self.total
            );
            if done == self.total {
                eprintln!();
            }
        } else if done.is_multiple_of(self.step) || done == self.total {
            eprintln!("phase7 batch: {done}/{} {plan}", self.total);
        }
    }
}

/// Runs a batch over files and directories; returns the exit code.
///
/// # Errors
///
/// A message for unreadable arguments or an unwritable output folder.
pub fn run(
    inputs: &[String],
    out: &Path,
    options: &RunOptions,
    issued_at: Option<&str>,
    max_plans: usize,
) -> Result<u8, String> {
    let paths = match collect(inputs, max_plans)? {
        Ok(paths) => paths,
        Err(e) => {
            eprintln!("error[{}]: {e}", e.code());
            return Ok(1);
        }
    };
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let csv_tmp = out.join(".summary.csv.tmp");
    let mut summary = BufWriter::new(
        File::create(&csv_tmp).map_err(|e| format!("cannot write {}: {e}", csv_tmp.display()))?,
    );
    let io = |e: io::Error| format!("cannot write summary.csv: {e}");
    writeln!(summary, "{CSV_HEADER}").map_err(io)?;
    let progress = Progress::new(paths.len());
    let mut names = PlanNames::default();
    let mut bands: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let (mut verified, mut shown) = (0usize, Vec::new());
    for (i, path) in paths.iter().enumerate() {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let row = one(path, names.name(&file_name), out, options, issued_at);
        let plan = row.plan.clone();
        writeln!(summary, "{}", row.csv_line()).map_err(io)?;
        if row.error_code.is_empty() {
            *bands.entry(row.band.clone()).or_default() += 1;
        } else {
            *errors.entry(row.error_code.clone()).or_default() += 1;
        }
        verified += usize::from(row.verified);
        if shown.len() < 20 {
            shown.push(row);
        }
        progress.show(i + 1, &plan);
    }
    summary.flush().map_err(io)?;
    drop(summary);
    fs::rename(&csv_tmp, out.join("summary.csv")).map_err(io)?;

    println!(
        "{:<32} {:>20} {:<13} {:<8} {:<22} gaps",
        "plan", "score", "band", "verified", "error"
    );
    for r in &shown {
        println!(
            "{:<32.32} {:>20} {:<13} {:<8} {:<22} {}",
            r.plan, r.score, r.band, r.verified, r.error_code, r.gaps
        );
    }
    if paths.len() > shown.len() {
        println!("… {} more rows in summary.csv", paths.len() - shown.len());
    }
    println!();
    println!("plans     {}", paths.len());
    for (band, n) in &bands {
        println!("  {band:<13} {n}");
    }
    for (code, n) in &errors {
        println!("  error {code:<22} {n}");
    }
    println!("verified  {verified}");
    println!("summary   {}", out.join("summary.csv").display());
    eprintln!("phase7 batch: peak RSS {}", peak_rss_text());
    Ok(0)
}
