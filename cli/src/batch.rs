//! `phase7 batch --jsonl IN [--out OUT]`: one Phase 6 value per line in, one result per
//! line out, in the same order. Streams: one line in memory at a time.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};

use phase7_core::bridge;
use phase7_core::error::{Diagnostic, InputError, InputRejected, Phase7Error};
use phase7_core::macro_score::MacroScore;
use phase7_core::phase::{self, RunOptions};
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
    TooLong(usize),
    Eof,
}

/// Reads one line (without its newline) into `buf`, never holding more than `limit`
/// bytes: a longer line is skipped to its end and reported with its length.
fn read_line(reader: &mut impl BufRead, limit: usize, buf: &mut Vec<u8>) -> io::Result<Read> {
    buf.clear();
    let mut total = 0usize;
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
        total += part.len();
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
    phase::evaluate(input, options, Default::default(), &mut phase::NoObserver)
}

/// Processes a whole JSON-lines stream.
///
/// # Errors
///
/// I/O errors only: a bad line becomes an `{"errors": [...]}` line.
pub fn process(
    input: impl BufRead,
    mut out: impl Write,
    options: &RunOptions,
) -> io::Result<usize> {
    let mut reader = input;
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        let result = match read_line(&mut reader, options.limits.max_input_bytes, &mut buf)? {
            Read::Eof => break,
            Read::TooLong(actual) => Err(Phase7Error::Input(InputRejected {
                errors: vec![InputError::InputTooLarge {
                    limit: options.limits.max_input_bytes,
                    actual,
                }],
                warnings: Vec::new(),
            })),
            Read::Line => evaluate_line(&buf, options),
        };
        let text = match &result {
            Ok(run) => serde_json::to_string(&Line::Ok {
                macro_score: &run.macro_score,
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
    let args = match Args::parse(
        argv,
        &["jsonl", "out", "evaluated-at", "max-input-bytes"],
        &["strict"],
    ) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let Some(input_path) = args.value("jsonl") else {
        eprintln!(
            "error: usage: phase7 batch --jsonl IN [--out OUT] [--strict] [--evaluated-at RFC3339]"
        );
        return 1;
    };
    let evaluated_at = match time_option(&args, "evaluated-at") {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let options = match crate::run::options(&args, evaluated_at) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let reader: Box<dyn BufRead> = if input_path == "-" {
        Box::new(BufReader::new(io::stdin().lock()))
    } else {
        match File::open(input_path) {
            Ok(f) => Box::new(BufReader::new(f)),
            Err(e) => {
                eprintln!("error: cannot read {input_path}: {e}");
                return 1;
            }
        }
    };
    let result = match args.value("out") {
        Some(path) => match File::create(path) {
            Ok(f) => process(reader, BufWriter::new(f), &options),
            Err(e) => {
                eprintln!("error: cannot write {path}: {e}");
                return 1;
            }
        },
        None => process(reader, BufWriter::new(io::stdout().lock()), &options),
    };
    match result {
        Ok(n) => {
            eprintln!("phase7 batch: {n} line(s) processed");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
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
