//! `phase7 batch --jsonl IN [--out OUT]`: one Phase 6 value per line in, one result per
//! line out, in the same order: `{"macro_score": {…}, "warnings": [...]}` for a run that
//! passed, `{"errors": [...], "warnings": [...]}` for a rejected line or a run whose
//! checks failed, every error and warning with its code, message, cluster, field and
//! value ([`line()`]), the characters a terminal must not get written as JSON escapes
//! ([`term::json_tail`]), whether the lines go to stdout or a file. Streams on `--jobs`
//! threads ([`process`]): a bounded window of lines in memory, output byte-identical to
//! one thread's. The output file is written as a staged file (see [`crate::files`]) and
//! renamed into place at the end;
//! it can never be the input (`OUTPUT_IS_INPUT`, checked on device and inode before
//! anything is written). The exit code is the most serious among the lines
//! ([`exit::Worst`]).

use std::cell::RefCell;
use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use phase7_core::error::{Diagnostic, InputWarning, Phase7Error, ResourceError};
use phase7_core::phase::{self, RunOptions};
use phase7_core::read::bridge;
use phase7_core::stages::macro_score::MacroScore;
use serde::Serialize;

use crate::cli::BatchArgs;
use crate::exit::{self, Fail, Worst, NOT_REGULAR_FILE, OUTPUT_IS_INPUT};
use crate::files::{self, FileId, Staged};
use crate::parallel::{self, Next, Window};
use crate::stop::Stop;
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
/// three `null` when the finding is not about one), and `omitted` on the entry that
/// stands for the findings of its code not listed: how many.
#[derive(Serialize)]
struct ErrorLine {
    code: &'static str,
    message: String,
    cluster: Option<String>,
    field: Option<String>,
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    omitted: Option<u64>,
}

impl From<Diagnostic> for ErrorLine {
    fn from(d: Diagnostic) -> Self {
        ErrorLine {
            code: d.code,
            message: d.message,
            cluster: d.cluster,
            field: d.field,
            value: d.value,
            omitted: d.omitted,
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

/// Reads one line (without its newline, or its CRLF) onto the end of `buf`, never
/// holding more than `limit` bytes of it (plus a CR that may end it): a longer line is
/// skipped to its end (`buf` as before) and reported with its length (without the line
/// ending), so that a line of `limit` bytes is read whether it ends in LF or CRLF.
fn read_line(reader: &mut impl BufRead, limit: u64, buf: &mut Vec<u8>) -> io::Result<Read> {
    let start = buf.len();
    let mut total = 0u64;
    let mut any = false;
    // The last byte of the line so far: a CR just before the LF is not part of the line.
    let mut last = None;
    loop {
        let chunk = reader.fill_buf()?;
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        if chunk.is_empty() || done.is_some() {
            any |= done.is_some();
            total += part.len() as u64;
            last = part.last().copied().or(last);
            if done.is_some() && last == Some(b'\r') {
                total -= 1;
            }
            if total > limit {
                buf.truncate(start);
            } else {
                buf.extend_from_slice(part);
                if done.is_some() && last == Some(b'\r') {
                    buf.pop();
                }
            }
            reader.consume(done.unwrap_or(0));
            return Ok(if !any {
                Read::Eof
            } else if total > limit {
                Read::TooLong(total)
            } else {
                Read::Line
            });
        }
        any = true;
        total += part.len() as u64;
        last = part.last().copied().or(last);
        // Room for the line and a CR that may end it.
        if total <= limit.saturating_add(1) {
            buf.extend_from_slice(part);
        } else {
            buf.truncate(start);
        }
        let used = part.len();
        reader.consume(used);
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

/// A line as read: its bytes in [`Lines::data`], or the length of a line too long to
/// hold.
enum LineIn {
    Bytes(Range<usize>),
    TooLong(u64),
}

/// Consecutive input lines, handed to a worker together: one channel hand-off per
/// chunk, not per line, keeps the cost of the threads small against plans that take
/// microseconds.
#[derive(Default)]
struct Lines {
    data: Vec<u8>,
    lines: Vec<LineIn>,
}

/// A chunk closes at this many lines (with more than one thread; one line otherwise)…
/// (128 lines, 256 KiB: on 50,000 plans of about 3 KB, 4 % less wall time on two cores
/// than 32 lines and 64 KiB, the medians of six alternating runs 0.93 s against 0.97 s.)
const CHUNK_LINES: usize = 128;
/// …or once its lines hold this many bytes.
const CHUNK_BYTES: usize = 256 << 10;
/// Chunks in flight per worker thread (queued, in work, or waiting for an earlier one).
const CHUNKS_PER_THREAD: usize = 4;
/// A worker stops answering a chunk once its answers hold this many bytes; the writing
/// thread answers the rest of the chunk itself, one line at a time, each written at
/// once. An answer can be a few hundred times its line (a 2 KB line whose every finding
/// list is full: 333 KB), so without it a chunk's answers reached 43 MB, and the chunks
/// finished and waiting for a slow reader of the output held 357 MB on two threads and
/// 2.8 GB with `--jobs 32` (1,942-byte lines). Now the answers held are at most this
/// plus one answer per chunk in flight. Ordinary answers (a few KB) never reach it.
const CHUNK_ANSWER_BYTES: usize = 1 << 20;
/// The workers stop answering, whatever their chunks hold, while the answers they made
/// and the writing thread has not yet written hold this many bytes (the writing thread
/// answers the rest, as above). The window is counted in lines' bytes, at most
/// [`CHUNKS_PER_THREAD`] chunks per thread, so without it the answers held grew with
/// `--jobs`: 200,000 lines of 26 bytes (`[{},{},{},{},{},{},{},{}]`, rejected with an
/// 8 KB answer each) held about 4 MB per thread: 344 MiB resident with `--jobs 64`,
/// about 5 GB with `--jobs 1024` for a 16 MiB file of them (115 MiB now). Up to 8
/// threads the chunks' own limit is the lower one; ordinary answers, smaller than their
/// lines, never reach it (the lines in flight hold at most
/// [`parallel::IN_FLIGHT_BYTES`]). The price: with threads far beyond the cores the
/// limit is reached at once and the writing thread answers most lines itself (that
/// 16 MiB file on 2 cores: 48 s with `--jobs 1024`, 26 s with `--jobs 2`).
const ANSWERS_IN_FLIGHT: usize = 32 << 20;

/// The answers to a chunk of lines: the output lines, each ending in a newline, the most
/// serious exit code among them, how many there are, and the error that stopped them;
/// and the chunk itself, with the index of its first line left unanswered (when the
/// answers reached [`CHUNK_ANSWER_BYTES`] first), its buffer to be used again.
struct Answers {
    text: Vec<u8>,
    worst: Worst,
    lines: usize,
    error: Option<io::Error>,
    chunk: Lines,
    rest: usize,
    /// The bytes of `text` counted in the answers held ([`ANSWERS_IN_FLIGHT`]).
    held: usize,
}

impl Answers {
    /// Appends the answer to line `i` of the chunk; false once an answer could not be
    /// written (the error kept).
    fn answer(&mut self, i: usize, options: &RunOptions) -> bool {
        let start = self.text.len();
        match answer(
            &self.chunk.lines[i],
            &self.chunk.data,
            options,
            &mut self.text,
        ) {
            Ok(code) => {
                term::json_tail(&mut self.text, start);
                self.text.push(b'\n');
                self.worst.add(code);
                self.lines += 1;
                true
            }
            Err(e) => {
                self.text.truncate(start);
                self.error = Some(io::Error::other(e));
                false
            }
        }
    }
}

/// Writes the output line for one input line (without its newline) onto `text`; returns
/// its exit code.
fn answer(
    line: &LineIn,
    data: &[u8],
    options: &RunOptions,
    text: &mut Vec<u8>,
) -> serde_json::Result<u8> {
    let result = match line {
        LineIn::TooLong(actual) => Err(Phase7Error::too_large(
            options.limits.max_input_bytes,
            *actual,
        )),
        LineIn::Bytes(range) => evaluate_line(&data[range.clone()], options),
    };
    write_line(&result, text)
}

/// Appends the output line for one result ([`line()`], serialized) and returns its exit
/// code. A passed run without an evaluation time reuses the MacroScore text the run
/// already made for INV-7.5 ([`phase::Run::macro_score_compact`]): the same bytes
/// serde_json would write for `Line::Ok` (a unit test holds the two paths equal),
/// without formatting every number again.
fn write_line(
    result: &Result<phase::Run, Phase7Error>,
    text: &mut Vec<u8>,
) -> serde_json::Result<u8> {
    if let Ok(run) = result {
        if let (true, Some(macro_score)) = (run.passed(), run.macro_score_compact()) {
            text.extend_from_slice(b"{\"macro_score\":");
            text.extend_from_slice(macro_score.as_bytes());
            text.extend_from_slice(b",\"warnings\":");
            serde_json::to_writer(&mut *text, &warnings_of(run.warnings()))?;
            text.push(b'}');
            return Ok(exit::OK);
        }
    }
    let (answer, code) = self::line(result);
    serde_json::to_writer(text, &answer).map(|()| code)
}

/// Answers the lines of a chunk (on a worker thread) until their answers hold
/// [`CHUNK_ANSWER_BYTES`], or until the answers of every chunk not yet written (`held`,
/// which it adds its own to) hold [`ANSWERS_IN_FLIGHT`]; [`Answers::rest`] is where it
/// stopped, [`Answers::held`] what it added.
fn answer_all(chunk: Lines, options: &RunOptions, held: &AtomicUsize) -> Answers {
    let mut a = Answers {
        // A block of 1 MiB comes from the system allocator (`crate::alloc`), mapped, so
        // the writing thread that frees it gives its pages back at once; blocks of a few
        // hundred KB from mimalloc, allocated here and freed there, were kept a while:
        // 98 MB resident for the file of the test against 66 MB, and 23 MB instead of
        // 27-31 MB for 10,000 ordinary plans on two threads (only the pages written
        // count). One line (`--jobs 1`, where each answer is written at once) gets room
        // for its own size instead: a block mapped and unmapped per line made 10,000
        // plans 35 % slower.
        text: Vec::with_capacity(if chunk.lines.len() > 1 {
            CHUNK_ANSWER_BYTES
        } else {
            chunk.data.len()
        }),
        worst: Worst::default(),
        lines: 0,
        error: None,
        rest: chunk.lines.len(),
        held: 0,
        chunk,
    };
    for i in 0..a.chunk.lines.len() {
        if a.text.len() >= CHUNK_ANSWER_BYTES || held.load(Ordering::Relaxed) >= ANSWERS_IN_FLIGHT {
            a.rest = i;
            break;
        }
        let before = a.text.len();
        if !a.answer(i, options) {
            break;
        }
        held.fetch_add(a.text.len() - before, Ordering::Relaxed);
    }
    a.held = a.text.len();
    a
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

/// Processes a whole JSON-lines stream on `jobs` threads ([`parallel::map_in_order`]);
/// returns the number of lines and the most serious exit code among them. The output is
/// the same bytes whatever `jobs` is: line `i` out answers line `i` in.
///
/// With one thread, one line is in memory at a time. With more, lines go to the workers
/// in chunks (up to [`CHUNK_LINES`] lines or [`CHUNK_BYTES`] bytes), at most
/// [`CHUNKS_PER_THREAD`] chunks per thread in flight, and a chunk handed over only while
/// those in flight and it hold at most [`parallel::IN_FLIGHT_BYTES`] of input (or alone);
/// a worker answers a chunk's lines until the answers hold [`CHUNK_ANSWER_BYTES`], or the
/// answers of every chunk not yet written [`ANSWERS_IN_FLIGHT`], the writing thread the
/// rest.
///
/// # Errors
///
/// I/O errors (a read error after every line before it is written), and
/// RESOURCE_EXHAUSTED past `max_lines` (the lines before it are processed and written).
/// A bad line is not an error: it becomes an `{"errors": [...]}` line.
pub fn process(
    input: impl BufRead,
    mut out: impl Write,
    options: &RunOptions,
    max_lines: usize,
    jobs: usize,
    stop: &Stop,
) -> Result<(usize, Worst), Outcome> {
    let mut reader = input;
    let limit = options.limits.max_input_bytes;
    let per_chunk = if jobs > 1 { CHUNK_LINES } else { 1 };
    let mut read = 0;
    // An error met while filling a chunk: returned once the chunk is through.
    let mut pending: Option<Outcome> = None;
    // Never read again after the end (a terminal would wait for a second end).
    let mut ended = false;
    // Chunk buffers back from the workers, used again (at most one per chunk in flight;
    // one that grew for a long line is dropped instead).
    let spares: RefCell<Vec<Vec<u8>>> = RefCell::new(Vec::new());
    // The bytes of the answers the workers made that are not written yet.
    let held = AtomicUsize::new(0);
    let produce = || -> Result<Next<Lines>, Outcome> {
        if let Some(e) = pending.take() {
            return Err(e);
        }
        if ended || stop.signal().is_some() {
            return Ok(None);
        }
        let mut chunk = Lines {
            data: spares.borrow_mut().pop().unwrap_or_default(),
            lines: Vec::new(),
        };
        while chunk.lines.len() < per_chunk && chunk.data.len() < CHUNK_BYTES {
            let start = chunk.data.len();
            let line = match read_line(&mut reader, limit, &mut chunk.data) {
                Ok(line) => line,
                Err(e) => {
                    pending = Some(e.into());
                    break;
                }
            };
            if !matches!(line, Read::Eof) && read == max_lines {
                chunk.data.truncate(start);
                pending = Some(Outcome::TooManyLines(Phase7Error::Resource(
                    ResourceError {
                        resource: "batch lines",
                        limit: max_lines.to_string(),
                        observed: format!("more than {max_lines}"),
                    },
                )));
                break;
            }
            chunk.lines.push(match line {
                Read::Eof => {
                    ended = true;
                    break;
                }
                Read::TooLong(actual) => LineIn::TooLong(actual),
                Read::Line => LineIn::Bytes(start..chunk.data.len()),
            });
            read += 1;
        }
        if chunk.lines.is_empty() {
            return pending.take().map_or(Ok(None), Err);
        }
        let weight = chunk.data.len();
        Ok(Some((chunk, weight)))
    };
    let mut n = 0;
    let mut worst = Worst::default();
    let consume = |mut a: Answers| -> Result<(), Outcome> {
        let written = out.write_all(&a.text);
        held.fetch_sub(a.held, Ordering::Relaxed);
        written?;
        // The lines a worker left: answered here, each written before the next.
        for i in a.rest..a.chunk.lines.len() {
            a.text.clear();
            if a.error.is_some() || !a.answer(i, options) {
                break;
            }
            out.write_all(&a.text)?;
        }
        let mut spare = a.chunk.data;
        if spare.capacity() <= 4 * CHUNK_BYTES {
            spare.clear();
            spares.borrow_mut().push(spare);
        }
        n += a.lines;
        worst.add(a.worst.0);
        match a.error {
            Some(e) => Err(Outcome::Io(e)),
            None => Ok(()),
        }
    };
    let result = parallel::map_in_order(
        jobs,
        Window::new(jobs, CHUNKS_PER_THREAD, parallel::IN_FLIGHT_BYTES),
        produce,
        |chunk| answer_all(chunk, options, &held),
        consume,
    );
    match result {
        Ok(()) => {
            out.flush()?;
            Ok((n, worst))
        }
        Err(Outcome::TooManyLines(e)) => {
            out.flush()?;
            Err(Outcome::TooManyLines(e))
        }
        Err(e) => Err(e),
    }
}

/// Runs the subcommand; returns the exit code.
pub fn main(args: &BatchArgs) -> u8 {
    let options = args.options();
    let stop = Stop::install();
    let result = match (&args.jsonl, &args.out) {
        // `--out -` is stdout, as `--jsonl -` is stdin (not a file named `-`).
        (Some(input), out) => jsonl(
            input,
            out.as_deref().filter(|p| *p != Path::new("-")),
            &options,
            args.max_lines,
            args.jobs(),
            &stop,
        ),
        (None, Some(out)) => crate::plans::run(
            &args.inputs,
            out,
            &options,
            args.issued_at.as_deref(),
            args.max_lines,
            args.jobs(),
            &stop,
        ),
        // clap requires --out without --jsonl.
        (None, None) => Err(Fail::usage("--out DIR is required with files or folders")),
    };
    result.unwrap_or_else(|f| f.report())
}

/// Refuses stdin when it is a device other than a terminal (`< /dev/zero`, a disk): such
/// a stream may never end a line, so reading it would never end. A regular file, a pipe,
/// a socket or a terminal is read.
///
/// # Errors
///
/// `NOT_REGULAR_FILE`, or `IO_ERROR` when stdin cannot be examined.
fn check_stdin() -> Result<(), Fail> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;
    let stdin = io::stdin();
    let meta = stdin
        .as_fd()
        .try_clone_to_owned()
        .map(fs::File::from)
        .and_then(|f| f.metadata())
        .map_err(|e| Fail::io(format!("cannot read stdin: {e}")))?;
    let t = meta.file_type();
    if (t.is_char_device() || t.is_block_device() || t.is_dir()) && !stdin.is_terminal() {
        return Err(Fail::new(
            NOT_REGULAR_FILE,
            format!(
                "cannot read stdin: it is {}, not a regular file, pipe or terminal",
                files::kind(&meta)
            ),
        ));
    }
    Ok(())
}

fn jsonl(
    input_path: &Path,
    out: Option<&Path>,
    options: &RunOptions,
    max_lines: usize,
    jobs: usize,
    stop: &Stop,
) -> Result<u8, Fail> {
    let (reader, input): (Box<dyn BufRead>, Option<FileId>) = if input_path == Path::new("-") {
        check_stdin()?;
        (Box::new(BufReader::new(io::stdin().lock())), None)
    } else {
        let (f, meta) = files::open_regular(input_path)?;
        (Box::new(BufReader::new(f)), Some(FileId::of(&meta)))
    };
    let inputs: Vec<FileId> = input.into_iter().collect();
    let result = match out {
        Some(path) => {
            // The same file under another name (a hard link, `./x`, a symlink): refused
            // before anything is written. Not left to check_replaceable below: it does
            // not follow a symlink, so a symlink to the input would be refused there as
            // OUTPUT_NOT_REPLACEABLE rather than OUTPUT_IS_INPUT.
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
            let result = process(
                reader,
                BufWriter::new(&mut staged),
                options,
                max_lines,
                jobs,
                stop,
            );
            // Stopped by a signal: the staged output is removed, nothing written.
            if let Some(f) = stop.failure(&format!(
                "{} not written (nothing of it was)",
                term::path(path)
            )) {
                return Err(f);
            }
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
            jobs,
            stop,
        ),
    };
    if let Some(f) = stop.failure("the output lines before it were written") {
        return Err(f);
    }
    match result {
        Ok((n, worst)) => {
            term::note(&format!(
                "phase7 batch: {n} line(s) processed on {jobs} thread(s); peak RSS {}",
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
    fn long_lines_are_skipped_not_loaded_and_lines_append() {
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
            Read::TooLong(21)
        ));
        assert_eq!(buf, b"short", "a long line leaves the buffer as it was");
        assert!(matches!(
            read_line(&mut r, 10, &mut buf).unwrap(),
            Read::Line
        ));
        assert_eq!(buf, b"shortok", "lines are appended");
        assert!(matches!(
            read_line(&mut r, 10, &mut buf).unwrap(),
            Read::Eof
        ));
    }

    #[test]
    fn a_passed_line_reuses_the_runs_text_and_writes_what_serde_json_would() {
        // The sample, and the sample with a PRE-7.4 warning.
        let plain = sample_line();
        let warned = blank_provenance(std::str::from_utf8(&plain).unwrap());
        for (input, warnings) in [(plain, 0), (warned.into_bytes(), 1)] {
            let result = evaluate_line(&input, &RunOptions::default());
            let run = result.as_ref().unwrap();
            assert!(run.passed());
            assert!(run.macro_score_compact().is_some());
            let mut fast = Vec::new();
            assert_eq!(write_line(&result, &mut fast).unwrap(), exit::OK);
            let (answer, code) = line(&result);
            assert_eq!(code, exit::OK);
            assert_eq!(run.warnings().len(), warnings);
            let fast = String::from_utf8(fast).unwrap();
            assert_eq!(fast, serde_json::to_string(&answer).unwrap());
            assert_eq!(fast.matches("\"code\":").count(), warnings, "{fast}");
        }
        // With an evaluation time the MacroScore is serialized (it carries the time).
        let timed = RunOptions {
            evaluated_at: Some("2026-01-01T00:00:00Z".into()),
            ..RunOptions::default()
        };
        let result = evaluate_line(&sample_line(), &timed);
        let mut out = Vec::new();
        write_line(&result, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("\"evaluation_timestamp\":\"2026-01-01T00:00:00Z\""),
            "{text}"
        );
        assert_eq!(text, serde_json::to_string(&line(&result).0).unwrap());
    }

    /// The sample with its first `provenance_node_id` emptied (a PRE-7.4 warning).
    fn blank_provenance(text: &str) -> String {
        let key = "\"provenance_node_id\": \"";
        let start = text.find(key).unwrap() + key.len();
        let end = start + text[start..].find('"').unwrap();
        format!("{}{}", &text[..start], &text[end..])
    }

    /// The sample plan as one line.
    fn sample_line() -> Vec<u8> {
        include_bytes!("../../tests/fixtures/p06_sample.json")
            .iter()
            .copied()
            .filter(|&b| b != b'\n')
            .collect()
    }

    /// Lines without end: `line` again and again (then `error`, after `lines` lines, if
    /// given); counts the bytes handed out.
    struct Endless {
        line: Vec<u8>,
        at: usize,
        given: usize,
        error_after: Option<usize>,
    }

    impl Endless {
        fn new(line: Vec<u8>, error_after: Option<usize>) -> Self {
            let mut line = line;
            line.push(b'\n');
            Endless {
                line,
                at: 0,
                given: 0,
                error_after,
            }
        }
    }

    impl io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self
                .error_after
                .is_some_and(|n| self.given >= n * self.line.len())
            {
                return Err(io::Error::other("the disk went away"));
            }
            let n = buf.len().min(self.line.len() - self.at);
            buf[..n].copy_from_slice(&self.line[self.at..self.at + n]);
            self.at = (self.at + n) % self.line.len();
            self.given += n;
            Ok(n)
        }
    }

    /// A writer that takes `room` bytes, then fails.
    struct Full {
        room: usize,
        taken: Vec<u8>,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.taken.len() + buf.len() > self.room {
                return Err(io::Error::other("no space left"));
            }
            self.taken.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn endless_input_stops_exactly_at_max_lines_on_any_number_of_threads() {
        let options = RunOptions::default();
        let mut first: Option<Vec<u8>> = None;
        for jobs in [1, 2, 4] {
            let input = BufReader::new(Endless::new(sample_line(), None));
            let mut out = Vec::new();
            let r = process(input, &mut out, &options, 70, jobs, &Stop::never());
            assert!(matches!(r, Err(Outcome::TooManyLines(_))), "{jobs}: {r:?}");
            assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 70, "{jobs}");
            match &first {
                None => first = Some(out),
                Some(f) => assert!(f == &out, "{jobs} threads: other bytes"),
            }
        }
    }

    #[test]
    fn a_read_error_comes_after_every_line_before_it() {
        let options = RunOptions::default();
        for jobs in [1, 3] {
            let input = BufReader::new(Endless::new(sample_line(), Some(45)));
            let mut out = Vec::new();
            let r = process(input, &mut out, &options, usize::MAX, jobs, &Stop::never());
            assert!(
                matches!(&r, Err(Outcome::Io(e)) if e.to_string() == "the disk went away"),
                "{jobs}: {r:?}"
            );
            // Every line before the failing read is answered and written.
            let n = out.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(n, 45, "{jobs}");
        }
    }

    #[test]
    fn a_write_error_stops_the_reading_within_the_window() {
        let options = RunOptions::default();
        for jobs in [1, 4] {
            let line = sample_line();
            let len = line.len() + 1;
            let mut endless = Endless::new(line, None);
            let mut out = Full {
                room: 0,
                taken: Vec::new(),
            };
            let r = process(
                BufReader::new(&mut endless),
                &mut out,
                &options,
                usize::MAX,
                jobs,
                &Stop::never(),
            );
            assert!(matches!(r, Err(Outcome::Io(_))), "{jobs}: {r:?}");
            // The first write failed; what was read of the endless input is bounded by
            // the window (plus BufReader's 8 KiB block).
            let lines_read = endless.given / len;
            let window = if jobs == 1 {
                1
            } else {
                jobs * CHUNKS_PER_THREAD * CHUNK_LINES
            };
            assert!(
                lines_read <= window + 8192 / len + 1,
                "{jobs}: {lines_read}"
            );
            assert!(out.taken.is_empty());
        }
    }
}
