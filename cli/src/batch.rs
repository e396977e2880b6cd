//! `phase7 batch --jsonl IN [--out OUT]`: one Phase 6 value per line in, one result per
//! line out, in the same order: `{"macro_score": {…}, "warnings": [...]}` for a run that
//! passed, `{"errors": [...], "warnings": [...]}` for a rejected line or a run whose
//! checks failed, every error and warning with its code, message, cluster, field and
//! value ([`line`]). Streams: one line in memory at a time. The output file
//! is written as a staged file (see [`crate::files`]) and renamed into place at the end;
//! it can never be the input (`OUTPUT_IS_INPUT`, checked on device and inode before
//! anything is written). The exit code is the most serious among the lines
//! ([`exit::Worst`]).

use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use phase7_core::error::{Diagnostic, InputWarning, Phase7Error, ResourceError};
use phase7_core::phase::{self, RunOptions};
use phase7_core::read::bridge;
use phase7_core::stages::macro_score::MacroScore;
use serde::Serialize;

use crate::cli::BatchArgs;
use crate::exit::{self, Fail, Worst, OUTPUT_IS_INPUT};
use crate::files::{self, FileId, Staged};
use crate::term;

/// One output line.
#[derive(Serialize)]
#[serde(untagged)]
enum Line<'a> {
    Ok {
        macro_score: &'a MacroScore,
        warnings: Vec<ErrorLine>,
    },
    Err {
        errors: Vec<ErrorLine>,
        warnings: Vec<ErrorLine>,
    },
}

/// One error or warning of a line: `{code, message, cluster, field, value}` (the last
/// three `null` when the finding is not about one).
#[derive(Serialize)]
struct ErrorLine {
    code: &'static str,
    message: String,
    cluster: Option<String>,
    field: Option<String>,
    value: Option<String>,
}

impl From<Diagnostic> for ErrorLine {
    fn from(d: Diagnostic) -> Self {
        ErrorLine {
            code: d.code,
            message: d.message,
            cluster: d.cluster,
            field: d.field,
            value: d.value,
        }
    }
}

fn lines_of(ds: Vec<Diagnostic>) -> Vec<ErrorLine> {
    ds.into_iter().map(ErrorLine::from).collect()
}

fn warnings_of(ws: &[InputWarning]) -> Vec<ErrorLine> {
    ws.iter().map(|w| ErrorLine::from(w.report())).collect()
}

/// The output line for one input line's result, and the exit code it stands for: every
/// error and every warning, not only the first.
fn line(result: &Result<phase::Run, Phase7Error>) -> (Line<'_>, u8) {
    match result {
        Ok(run) if run.passed() => (
            Line::Ok {
                macro_score: &run.macro_score,
                warnings: warnings_of(run.warnings()),
            },
            exit::OK,
        ),
        Ok(run) => (
            Line::Err {
                errors: lines_of(run.failures()),
                warnings: warnings_of(run.warnings()),
            },
            exit::CHECK_FAILED,
        ),
        Err(e) => (
            Line::Err {
                errors: lines_of(e.diagnostics()),
                warnings: match e {
                    Phase7Error::Input(r) => warnings_of(&r.warnings),
                    _ => Vec::new(),
                },
            },
            exit::of_error(e),
        ),
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

/// Processes a whole JSON-lines stream; returns the number of lines and the most
/// serious exit code among them.
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
) -> Result<(usize, Worst), Outcome> {
    let mut reader = input;
    let mut buf = Vec::new();
    let mut n = 0;
    let mut worst = Worst::default();
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
        let (answer, code) = line(&result);
        worst.add(code);
        let text = serde_json::to_string(&answer).map_err(io::Error::other)?;
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
        n += 1;
    }
    out.flush()?;
    Ok((n, worst))
}

/// Runs the subcommand; returns the exit code.
pub fn main(args: &BatchArgs) -> u8 {
    let options = args.options();
    let result = match (&args.jsonl, &args.out) {
        (Some(input), out) => jsonl(input, out.as_deref(), &options, args.max_lines),
        (None, Some(out)) => crate::plans::run(
            &args.inputs,
            out,
            &options,
            args.issued_at.as_deref(),
            args.max_lines,
        ),
        // clap requires --out without --jsonl.
        (None, None) => Err(Fail::usage("--out DIR is required with files or folders")),
    };
    result.unwrap_or_else(|f| f.report())
}

fn jsonl(
    input_path: &Path,
    out: Option<&Path>,
    options: &RunOptions,
    max_lines: usize,
) -> Result<u8, Fail> {
    let (reader, input): (Box<dyn BufRead>, Option<FileId>) = if input_path == Path::new("-") {
        (Box::new(BufReader::new(io::stdin().lock())), None)
    } else {
        let (f, meta) = files::open_regular(input_path)?;
        (Box::new(BufReader::new(f)), Some(FileId::of(&meta)))
    };
    let inputs: Vec<FileId> = input.into_iter().collect();
    let result = match out {
        Some(path) => {
            // The same file under another name (a hard link, `./x`, a symlink): refused
            // before anything is written.
            if let Ok(m) = fs::metadata(path) {
                if inputs.contains(&FileId::of(&m)) {
                    return Err(Fail::new(
                        OUTPUT_IS_INPUT,
                        format!(
                            "--out {} is the --jsonl input; refusing to write over it",
                            term::path(path)
                        ),
                    ));
                }
            }
            files::check_replaceable(path, &inputs)?;
            let mut staged = Staged::new(path)?;
            let result = process(reader, BufWriter::new(&mut staged), options, max_lines);
            match &result {
                Ok(_) | Err(Outcome::TooManyLines(_)) => {
                    files::commit(vec![staged], &inputs)?;
                }
                Err(Outcome::Io(_)) => {}
            }
            result
        }
        None => process(
            reader,
            BufWriter::new(io::stdout().lock()),
            options,
            max_lines,
        ),
    };
    match result {
        Ok((n, worst)) => {
            term::note(&format!(
                "phase7 batch: {n} line(s) processed; peak RSS {}",
                crate::plans::peak_rss_text()
            ));
            Ok(worst.0)
        }
        Err(Outcome::Io(e)) => Err(Fail::io(format!(
            "cannot process {} into {}: {e}{}",
            term::path(input_path),
            out.map_or_else(|| "stdout".to_string(), term::path),
            if out.is_some() {
                " (nothing written)"
            } else {
                ""
            }
        ))),
        Err(Outcome::TooManyLines(e)) => {
            term::error(e.code(), &e.to_string());
            Ok(exit::FAILURE)
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
