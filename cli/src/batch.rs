//! `phase7 batch --jsonl IN [--out OUT]`: one Phase 6 value per line in, one result per
//! line out, in the same order. Streams: one line in memory at a time.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};

use phase7_core::read::bridge;
use std::path::Path;

use phase7_core::error::{Diagnostic, Phase7Error, ResourceError};
use phase7_core::phase::{self, RunOptions};
use phase7_core::stages::macro_score::MacroScore;
use serde::Serialize;

use crate::args::Args;
use crate::run::time_option;

/// One output line.
#[derive(Serialize)]
#[serde(untagged)]
enum Line<'a> {
    Ok { macro_score: &'a MacroScore },
    Err { errors: Vec<ErrorLine> },
}

#[derive(Serialize)]
struct ErrorLine {
    code: &'static str,
    message: String,
}

impl From<Diagnostic> for ErrorLine {
    fn from(d: Diagnostic) -> Self {
        ErrorLine {
            code: d.code,
            message: d.message,
        }
    }
}

/// What reading one line gave.
enum Read {
    Line,
    TooLong(u64),
    Eof,
}

/// Reads one line (without its newline) into `buf`, never holding more than `limit`
/// bytes: a longer line is skipped to its end and reported with its length.
fn read_line(reader: &mut impl BufRead, limit: u64, buf: &mut Vec<u8>) -> io::Result<Read> {
    buf.clear();
    let mut total = 0u64;
    let mut any = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(if !any {
                Read::Eof
            } else if total > limit {
                Read::TooLong(total)
            } else {
                Read::Line
            });
        }
        any = true;
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        total += part.len() as u64;
        if total <= limit {
            buf.extend_from_slice(part);
        } else {
            buf.clear();
        }
        let used = done.unwrap_or(part.len());
        reader.consume(used);
        if done.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(if total > limit {
                Read::TooLong(total)
            } else {
                Read::Line
            });
        }
    }
}

/// Evaluates one line.
fn evaluate_line(line: &[u8], options: &RunOptions) -> Result<phase::Run, Phase7Error> {
    let input = bridge::read_batch_line(line, &options.limits)?;
    phase::evaluate(
        input,
        options,
        Default::default(),
        &mut phase7_core::stages::NoObserver,
    )
}

/// Why a stream stopped early.
#[derive(Debug)]
pub enum Outcome {
    /// Reading or writing failed.
    Io(io::Error),
    /// More lines than allowed (the lines before were processed).
    TooManyLines(Phase7Error),
}

impl From<io::Error> for Outcome {
    fn from(e: io::Error) -> Self {
        Outcome::Io(e)
    }
}

/// Processes a whole JSON-lines stream.
///
/// # Errors
///
/// I/O errors, and RESOURCE_EXHAUSTED past `max_lines` (the lines before it are
/// processed). A bad line is not an error: it becomes an `{"errors": [...]}` line.
pub fn process(
    input: impl BufRead,
    mut out: impl Write,
    options: &RunOptions,
    max_lines: usize,
) -> Result<usize, Outcome> {
    let mut reader = input;
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        let read = read_line(&mut reader, options.limits.max_input_bytes, &mut buf)?;
        if !matches!(read, Read::Eof) && n == max_lines {
            out.flush()?;
            return Err(Outcome::TooManyLines(Phase7Error::Resource(
                ResourceError {
                    resource: "batch lines",
                    limit: max_lines.to_string(),
                    observed: format!("more than {max_lines}"),
                },
            )));
        }
        let result = match read {
            Read::Eof => break,
            Read::TooLong(actual) => Err(Phase7Error::too_large(
                options.limits.max_input_bytes,
                actual,
            )),
            Read::Line => evaluate_line(&buf, options),
        };
        let text = match &result {
            Ok(run) if run.passed() => serde_json::to_string(&Line::Ok {
                macro_score: &run.macro_score,
            }),
            Ok(run) => serde_json::to_string(&Line::Err {
                errors: run.failures().into_iter().map(ErrorLine::from).collect(),
            }),
            Err(e) => serde_json::to_string(&Line::Err {
                errors: e.diagnostics().into_iter().map(ErrorLine::from).collect(),
            }),
        }
        .map_err(io::Error::other)?;
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

/// Runs the subcommand; returns the exit code.
pub fn main(argv: &[String]) -> u8 {
    match run(argv) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

const USAGE: &str = "usage: phase7 batch --jsonl IN [--out OUT] | phase7 batch DIR_OR_FILES... --out DIR \
                     [--strict] [--evaluated-at RFC3339] [--issued-at RFC3339] [--max-input-bytes N] [--max-lines N]";

/// Default cap on the number of plans (lines or files) in one batch.
pub const DEFAULT_MAX_LINES: usize = 1_000_000;

fn run(argv: &[String]) -> Result<u8, String> {
    let args = Args::parse(
        argv,
        &[
            "jsonl",
            "out",
            "evaluated-at",
            "issued-at",
            "max-input-bytes",
            "max-lines",
        ],
        &["strict"],
    )?;
    let evaluated_at = time_option(&args, "evaluated-at")?;
    let issued_at = time_option(&args, "issued-at")?;
    let options = crate::run::options(&args, evaluated_at)?;
    let max_lines = match args.value("max-lines") {
        None => DEFAULT_MAX_LINES,
        Some(v) => v
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("--max-lines: {v:?} is not a positive number"))?,
    };
    if let Some(input_path) = args.value("jsonl") {
        if !args.positional.is_empty() {
            return Err(USAGE.into());
        }
        return jsonl(input_path, args.value("out"), &options, max_lines);
    }
    if args.positional.is_empty() {
        return Err(USAGE.into());
    }
    let Some(out) = args.value("out") else {
        return Err(format!(
            "--out DIR is required with files or directories\n{USAGE}"
        ));
    };
    crate::plans::run(
        &args.positional,
        Path::new(out),
        &options,
        issued_at.as_deref(),
        max_lines,
    )
}

fn jsonl(
    input_path: &str,
    out: Option<&str>,
    options: &RunOptions,
    max_lines: usize,
) -> Result<u8, String> {
    let reader: Box<dyn BufRead> = if input_path == "-" {
        Box::new(BufReader::new(io::stdin().lock()))
    } else {
        let f = File::open(input_path).map_err(|e| format!("cannot read {input_path}: {e}"))?;
        Box::new(BufReader::new(f))
    };
    let result = match out {
        Some(path) => {
            let f = File::create(path).map_err(|e| format!("cannot write {path}: {e}"))?;
            process(reader, BufWriter::new(f), options, max_lines)
        }
        None => process(
            reader,
            BufWriter::new(io::stdout().lock()),
            options,
            max_lines,
        ),
    };
    match result {
        Ok(n) => {
            eprintln!(
                "phase7 batch: {n} line(s) processed; peak RSS {}",
                crate::plans::peak_rss_text()
            );
            Ok(0)
        }
        Err(Outcome::Io(e)) => Err(e.to_string()),
        Err(Outcome::TooManyLines(e)) => {
            eprintln!("error[{}]: {e}", e.code());
            Ok(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_skipped_not_loaded() {
        let data = b"short\nthis line is too long\r\nok\n".to_vec();
        let mut r = io::Cursor::new(data);
        let mut buf = Vec::new();
        assert!(matches!(
            read_line(&mut r, 10, &mut buf).unwrap(),
            Read::Line
        ));
        assert_eq!(buf, b"short");
        assert!(matches!(
            read_line(&mut r, 10, &mut buf).unwrap(),
            Read::TooLong(22)
        ));
        assert!(matches!(
            read_line(&mut r, 10, &mut buf).unwrap(),
            Read::Line
        ));
        assert_eq!(buf, b"ok");
        assert!(matches!(
            read_line(&mut r, 10, &mut buf).unwrap(),
            Read::Eof
        ));
    }
}
