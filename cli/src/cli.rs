//! The command line, declared with clap: subcommands, options, conflicts and value
//! checks. `phase7 --help`, `phase7 <command> --help` and the usage lines of errors are
//! generated from these declarations. Paths are `PathBuf`s read from `OsString`
//! arguments, so a file name need not be UTF-8.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{ArgGroup, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use phase7_core::phase::RunOptions;
use phase7_core::read::bridge::DEFAULT_MAX_INPUT_BYTES;
use phase7_core::sensitivity;

use crate::exit;
use crate::term;

/// phase7: rerun, certify and verify Phase 7 (macro aggregation) of the F.A.R.F.A.N
/// pipeline, bit for bit.
#[derive(Debug, Parser)]
#[command(
    name = "phase7",
    bin_name = "phase7",
    version,
    subcommand_required = true,
    arg_required_else_help = true,
    args_override_self = true,
    after_help = exit::TABLE
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rerun Phase 7 on one Phase 6 file; write macro_score.json, audit_trail.json and
    /// certificate.json into --out.
    ///
    /// Without --evaluated-at, evaluation_timestamp is null, so reruns are
    /// byte-identical. The three files appear together or not at all; an existing
    /// directory, symlink, FIFO or device where one would go is refused and left
    /// untouched. A refused plan — a rejected input (exit 2) or a run whose checks failed
    /// (exit 3) — gets no macro_score.json and no certificate.json, but its audit trail
    /// (marked not certified) and refusal.json, the refusal record (unless --no-record),
    /// written the same way; `phase7 verify --refusal` confirms it. --metrics and
    /// --signals are side outputs: if one cannot be written the results are still
    /// written, a warning names it and the exit code is 5.
    #[command(after_help = exit::TABLE)]
    Run(RunArgs),
    /// Many plans: `--jsonl IN` (one Phase 6 value per line in, one result per line out,
    /// streamed) or files and folders of `*.json` (one folder per plan under --out, and
    /// summary.csv).
    ///
    /// Every candidate file gets a row in summary.csv, those that cannot be read too.
    /// The exit code is the most serious among the plans (1, then 3, 4, 2; 0 when every
    /// plan was written and verified).
    #[command(after_help = exit::TABLE)]
    Batch(BatchArgs),
    /// Rerun Phase 7 from the Phase 6 file and check a certificate (with, optionally,
    /// macro_score.json and audit_trail.json), a refusal record (refusal.json), or the
    /// pipeline's own claimed Phase 7 output.
    ///
    /// Exit 0 verified (a refusal: confirmed; a claim: every difference explained by the
    /// math library's pow(), LIBM_POW), 4 not verified (not confirmed; a claimed
    /// difference with any other cause; a file that does not parse counts), 2 the Phase
    /// 6 input is rejected (--certificate, --claimed), 1 anything else. The report goes
    /// to stdout: text by default, --format json for the same report as JSON.
    #[command(after_help = exit::TABLE)]
    Verify(VerifyArgs),
    /// How firm is the band? Band margin, band probabilities, a seeded Monte Carlo and
    /// (with --what-if) the run under edited weights. NOT CERTIFIED: analysis only.
    ///
    /// Nothing is written and nothing enters a run, its audit trail or a certificate. The
    /// report goes to stdout: text by default, --format json for the core's JSON. The same
    /// input, --draws, --seed and --weight-range give the same bits on every platform (the
    /// Monte Carlo digest says so). Exit 0 report printed, 1 a parameter out of range
    /// (one `error[CODE]` line) or a file that cannot be read, 2 the Phase 6 input is
    /// rejected (the same lines as `phase7 run`), 3 the run's own checks failed (the report
    /// is printed all the same).
    #[command(after_help = exit::TABLE)]
    Sensitivity(SensitivityArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Options every rerun takes.
#[derive(Debug, Args)]
pub struct Limits {
    /// Largest Phase 6 input (and batch line, checkpoint) read, in bytes; larger is
    /// INPUT_TOO_LARGE.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_INPUT_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_input_bytes: u64,
}

impl Limits {
    /// The limit as the core takes it.
    pub fn bytes(&self) -> u64 {
        self.max_input_bytes
    }
}

/// `phase7 run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The Phase 6 file (p06_output.json).
    #[arg(value_name = "P06_OUTPUT.json")]
    pub input: PathBuf,
    /// Folder for macro_score.json, audit_trail.json and certificate.json (created if
    /// missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// The evaluation time written into macro_score.json (RFC 3339).
    #[arg(long, value_name = "RFC3339", value_parser = rfc3339)]
    pub evaluated_at: Option<String>,
    /// The certificate's issue time, or a refusal record's recorded_at (RFC 3339); not
    /// part of what a rerun reproduces.
    #[arg(long, value_name = "RFC3339", value_parser = rfc3339)]
    pub issued_at: Option<String>,
    /// Warnings fail the exit gate.
    #[arg(long)]
    pub strict: bool,
    /// Keep no refusal record: a rejected input writes nothing, a run whose checks failed
    /// only its audit trail.
    #[arg(long)]
    pub no_record: bool,
    #[command(flatten)]
    pub limits: Limits,
    /// Write the run's signals here (JSON lines; a side output).
    #[arg(long, value_name = "FILE")]
    pub signals: Option<PathBuf>,
    /// Write the run's metrics here (JSON; a side output).
    #[arg(long, value_name = "FILE")]
    pub metrics: Option<PathBuf>,
    /// Write a checkpoint after each stage into this folder.
    #[arg(long, value_name = "DIR")]
    pub checkpoint_dir: Option<PathBuf>,
    /// Continue after the latest valid checkpoint of this input in --checkpoint-dir.
    #[arg(long, requires = "checkpoint_dir")]
    pub resume: bool,
    /// Stop with RESOURCE_EXHAUSTED past this wall time.
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    pub time_budget: Option<f64>,
}

impl RunArgs {
    /// The core's run options.
    pub fn options(&self) -> RunOptions {
        options(self.strict, self.evaluated_at.clone(), &self.limits)
    }
}

/// `phase7 batch`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["jsonl", "inputs"])))]
pub struct BatchArgs {
    /// JSON lines in (`-` for stdin): one Phase 6 value, `{"cluster_scores": …}` envelope
    /// or `{"phase6": …}` per line.
    #[arg(long, value_name = "IN")]
    pub jsonl: Option<PathBuf>,
    /// Phase 6 files, and folders whose `*.json` files are taken (sorted by name).
    #[arg(value_name = "DIR_OR_FILE")]
    pub inputs: Vec<PathBuf>,
    /// With --jsonl: the output file (`-`, or none, for stdout). With files: the output
    /// folder.
    #[arg(long, value_name = "OUT", required_unless_present = "jsonl")]
    pub out: Option<PathBuf>,
    /// Warnings fail the exit gate.
    #[arg(long)]
    pub strict: bool,
    /// The evaluation time written into each MacroScore (RFC 3339).
    #[arg(long, value_name = "RFC3339", value_parser = rfc3339)]
    pub evaluated_at: Option<String>,
    /// The certificates' issue time (RFC 3339; files mode only).
    #[arg(long, value_name = "RFC3339", value_parser = rfc3339, conflicts_with = "jsonl")]
    pub issued_at: Option<String>,
    #[command(flatten)]
    pub limits: Limits,
    /// Most plans (lines or files) in one batch; more is RESOURCE_EXHAUSTED.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_LINES,
          value_parser = clap::value_parser!(u64).range(1..).map(|n| usize::try_from(n).unwrap_or(usize::MAX)))]
    pub max_lines: usize,
    /// Worker threads: plans run in parallel, output stays in input order and
    /// byte-identical to one thread's (default: the cores available; 1 runs the plans one
    /// after the other on the main thread).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=MAX_JOBS as u64).map(|n| usize::try_from(n).unwrap_or(1)))]
    pub jobs: Option<usize>,
}

/// Default cap on the number of plans (lines or files) in one batch.
pub const DEFAULT_MAX_LINES: usize = 1_000_000;

/// Most worker threads `--jobs` accepts.
pub const MAX_JOBS: usize = 1024;

impl BatchArgs {
    /// The core's run options.
    pub fn options(&self) -> RunOptions {
        options(self.strict, self.evaluated_at.clone(), &self.limits)
    }

    /// The number of worker threads: `--jobs`, or the cores this process may use.
    pub fn jobs(&self) -> usize {
        self.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(1, std::num::NonZeroUsize::get)
                .min(MAX_JOBS)
        })
    }
}

/// Report format of `verify` and `sensitivity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable lines.
    Text,
    /// The report as JSON.
    Json,
}

/// `phase7 verify`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("against").required(true).args(["certificate", "claimed", "refusal"])))]
pub struct VerifyArgs {
    /// The Phase 6 file (p06_output.json).
    #[arg(value_name = "P06_OUTPUT.json")]
    pub input: PathBuf,
    /// The certificate to check.
    #[arg(long, value_name = "FILE")]
    pub certificate: Option<PathBuf>,
    /// The pipeline's claimed Phase 7 output (p07_output.json) to compare.
    #[arg(long, value_name = "FILE")]
    pub claimed: Option<PathBuf>,
    /// A refusal record (refusal.json) to confirm by rerunning: exit 0 confirmed, 4 not.
    /// (A refusal record given to --certificate never verifies; the report says to use
    /// this.)
    #[arg(long, value_name = "FILE")]
    pub refusal: Option<PathBuf>,
    /// macro_score.json to check against the certificate.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["claimed", "refusal"])]
    pub macro_score: Option<PathBuf>,
    /// audit_trail.json to check against the certificate.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["claimed", "refusal"])]
    pub audit_trail: Option<PathBuf>,
    /// The certificate was issued in strict mode (a refusal record states its own mode).
    #[arg(long, conflicts_with_all = ["claimed", "refusal"])]
    pub strict: bool,
    #[command(flatten)]
    pub limits: Limits,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `phase7 sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The Phase 6 file (p06_output.json).
    #[arg(value_name = "P06_OUTPUT.json")]
    pub input: PathBuf,
    /// Monte Carlo draws N: two samples of N perturbed inputs, 10·N model evaluations
    /// (1 to 1,000,000; else DRAWS_OUT_OF_RANGE).
    #[arg(long, value_name = "N", default_value_t = sensitivity::monte_carlo::DEFAULT_DRAWS)]
    pub draws: u64,
    /// Seed of the random stream (0 to 2^53 − 1; else SEED_OUT_OF_RANGE).
    #[arg(long, value_name = "S", default_value_t = sensitivity::monte_carlo::DEFAULT_SEED)]
    pub seed: u64,
    /// Each cluster weight is multiplied by a uniform factor in [1 − R, 1 + R), then the
    /// weights are renormalised (0 ≤ R < 1; else WEIGHT_RANGE_INVALID).
    #[arg(long, value_name = "R",
          default_value_t = sensitivity::monte_carlo::DEFAULT_WEIGHT_RANGE)]
    pub weight_range: f64,
    /// Also recompute the run under these cluster weights (MESO_1..MESO_4, normalised to
    /// add up to 1), e.g. `w=0.4,0.1,0.1,0.4`; never certifiable.
    #[arg(long, value_name = "w=A,B,C,D")]
    pub what_if: Option<String>,
    #[command(flatten)]
    pub limits: Limits,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl SensitivityArgs {
    /// The Monte Carlo parameters as given (checked by the core).
    pub fn params(&self) -> sensitivity::Params {
        sensitivity::Params {
            draws: self.draws,
            seed: self.seed,
            weight_range: self.weight_range,
        }
    }
}

fn options(strict: bool, evaluated_at: Option<String>, limits: &Limits) -> RunOptions {
    let mut options = RunOptions {
        strict,
        evaluated_at,
        ..RunOptions::default()
    };
    options.limits.max_input_bytes = limits.bytes();
    options
}

/// An RFC 3339 date-time, checked by the core.
fn rfc3339(s: &str) -> Result<String, String> {
    phase7_core::time::check_rfc3339(s).map(|()| s.to_string())
}

/// A positive, finite number of seconds, in milliseconds.
fn seconds(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .map(|v| v * 1000.0)
        .ok_or_else(|| format!("{s:?} is not a positive number of seconds"))
}

/// Parses the arguments. On an error or `--help`/`--version`, prints what clap says and
/// returns the exit code: 0 for help and version, 1 for every usage error (2 is kept for
/// rejected input). Text from the arguments in the message is escaped: the message is
/// rendered from a copy of the arguments with every control character, bidi control and
/// non-UTF-8 byte written as an escape, so an argument cannot forge lines or move the
/// cursor, and each cut as the core cuts a long value it quotes
/// ([`phase7_core::read::json::shown`]: its first characters and its length).
pub fn parse(args: &[OsString]) -> Result<Cli, u8> {
    let e = match Cli::try_parse_from(args) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            term::out_lines(&lines(&e.render().to_string()));
            return Err(exit::OK);
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            print_err(&e.render().to_string());
            return Err(exit::FAILURE);
        }
        _ => {}
    }
    // Each argument escaped, then cut when long: clap repeats an invalid value whole, and
    // one argument may be 128 KiB of control characters (655 KB escaped) on one line.
    let escaped: Vec<OsString> = args.iter().map(|a| OsString::from(term::arg(a))).collect();
    let text = match Cli::try_parse_from(&escaped) {
        Err(e2) if e2.kind() == e.kind() => e2.render().to_string(),
        _ => format!("error: invalid arguments ({}); see phase7 --help", e.kind()),
    };
    print_err(&text);
    Err(exit::FAILURE)
}

fn lines(text: &str) -> Vec<String> {
    text.trim_end_matches('\n')
        .split('\n')
        .map(str::to_string)
        .collect()
}

fn print_err(text: &str) {
    for line in lines(text) {
        term::note(&line);
    }
}

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> u8 {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "phase7", &mut std::io::stdout());
    exit::OK
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(xs: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("phase7").chain(xs.iter().copied()))
    }

    #[test]
    fn declarations_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn conflicts_and_requirements() {
        assert!(parse_strs(&["verify", "x.json", "--certificate", "a", "--claimed", "b"]).is_err());
        assert!(parse_strs(&["verify", "x.json"]).is_err());
        assert!(parse_strs(&["verify", "x.json", "--claimed", "b", "--strict"]).is_err());
        assert!(parse_strs(&["verify", "x.json", "--claimed", "b", "--macro-score", "m"]).is_err());
        assert!(parse_strs(&["verify", "x.json", "--refusal", "r"]).is_ok());
        assert!(parse_strs(&["verify", "x.json", "--refusal", "r", "--certificate", "c"]).is_err());
        assert!(parse_strs(&["verify", "x.json", "--refusal", "r", "--strict"]).is_err());
        assert!(parse_strs(&["verify", "x.json", "--refusal", "r", "--audit-trail", "a"]).is_err());
        assert!(parse_strs(&["run", "x.json", "--no-record"]).is_ok());
        assert!(
            parse_strs(&["verify", "x.json", "--certificate", "a", "--format", "xml"]).is_err()
        );
        assert!(parse_strs(&["run", "x.json", "--resume"]).is_err());
        assert!(parse_strs(&["run", "x.json", "--resume", "--checkpoint-dir", "d"]).is_ok());
        assert!(parse_strs(&["batch", "--jsonl", "a", "b.json"]).is_err());
        assert!(
            parse_strs(&["batch", "plans/"]).is_err(),
            "--out required with files"
        );
        assert!(parse_strs(&[
            "batch",
            "--jsonl",
            "a",
            "--issued-at",
            "2026-01-01T00:00:00Z"
        ])
        .is_err());
        assert!(parse_strs(&["batch"]).is_err());
        for bad in ["0", "-1", "1025", "two"] {
            assert!(
                parse_strs(&["batch", "--jsonl", "a", "--jobs", bad]).is_err(),
                "{bad}"
            );
        }
        let Command::Batch(b) = parse_strs(&["batch", "--jsonl", "a", "--jobs", "3"])
            .unwrap()
            .command
        else {
            panic!()
        };
        assert_eq!(b.jobs(), 3);
        let Command::Batch(b) = parse_strs(&["batch", "--jsonl", "a"]).unwrap().command else {
            panic!()
        };
        assert!(b.jobs() >= 1 && b.jobs() <= MAX_JOBS);
    }

    #[test]
    fn values_are_checked() {
        let Command::Run(r) = parse_strs(&[
            "run",
            "x.json",
            "--max-input-bytes",
            "18446744073709551615",
            "--time-budget=2.5",
            "--evaluated-at",
            "2026-11-26T10:00:00Z",
        ])
        .unwrap()
        .command
        else {
            panic!()
        };
        assert_eq!(r.limits.max_input_bytes, u64::MAX);
        assert_eq!(r.limits.bytes(), u64::MAX);
        assert_eq!(r.time_budget, Some(2500.0));
        for bad in [
            ["--max-input-bytes", "18446744073709551616"],
            ["--max-input-bytes", "0"],
            ["--max-input-bytes", "-1"],
            ["--time-budget", "NaN"],
            ["--time-budget", "0"],
            ["--evaluated-at", "yesterday"],
        ] {
            let mut args = vec!["run", "x.json"];
            args.extend(bad);
            assert!(parse_strs(&args).is_err(), "{bad:?}");
        }
        // The last value of a repeated option wins, as before.
        let Command::Run(r) = parse_strs(&["run", "x.json", "--out", "a", "--out", "b"])
            .unwrap()
            .command
        else {
            panic!()
        };
        assert_eq!(r.out, PathBuf::from("b"));
    }

    #[test]
    fn non_utf8_paths_are_taken_as_they_are() {
        use std::os::unix::ffi::OsStringExt;
        let name = OsString::from_vec(b"p\xff.json".to_vec());
        let cli =
            Cli::try_parse_from([OsString::from("phase7"), "run".into(), name.clone()]).unwrap();
        let Command::Run(r) = cli.command else {
            panic!()
        };
        assert_eq!(r.input.as_os_str(), name);
    }
}
