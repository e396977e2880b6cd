//! Hostile probes of `phase7 batch` that found defects: a batch stopped by SIGINT or
//! SIGTERM, a CRLF line exactly at `--max-input-bytes`, stdin that never ends a line,
//! and messages that named a random temporary file. Each asserts what is on disk
//! afterwards and what was printed, with `--jobs 1`, 2 and 8.

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{os, phase7, sample, text, BIN};

/// The sample plan as one line (no newline).
fn sample_line() -> Vec<u8> {
    fs::read(sample())
        .unwrap()
        .into_iter()
        .filter(|&b| b != b'\n')
        .collect()
}

fn tmp() -> tempfile::TempDir {
    common::tmp("attack-")
}

fn spawn(args: &[&OsStr]) -> Child {
    Command::new(BIN)
        .args(args)
        .env_remove("PHASE7_FAIL_AFTER_STAGE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The names in `dir` that start with a dot (temporary files and folders).
fn hidden(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// Waits (up to a minute) until `ready` holds, polling.
fn wait_until(mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < Duration::from_secs(60), "never ready");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn kill(child: &Child, signal: &str) {
    let pid = child.id().to_string();
    let status = Command::new("kill").args([signal, &pid]).status().unwrap();
    assert!(status.success());
}

/// Waits for the child (up to a minute; killed after that so the test fails, not hangs).
fn finish(mut child: Child) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("phase7 did not stop after the signal");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_batch_of_files_stopped_by_a_signal_leaves_no_temporary_files() {
    let t = tmp();
    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    let line = sample_line();
    for i in 0..3000 {
        fs::write(plans.join(format!("p{i:04}.json")), &line).unwrap();
    }
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        for jobs in ["1", "2", "8"] {
            let out = t.path().join(format!("out{signal}{jobs}"));
            let child = spawn(&[
                os("batch"),
                plans.as_os_str(),
                os("--out"),
                out.as_os_str(),
                os("--jobs"),
                os(jobs),
            ]);
            // Some plans written, more to come.
            wait_until(|| out.join("p0003").is_dir());
            kill(&child, signal);
            let o = finish(child);
            let err = text(&o.stderr);
            assert_eq!(o.status.code(), Some(code), "{signal} {jobs}: {err}");
            assert!(err.contains("error[INTERRUPTED]"), "{signal} {jobs}: {err}");
            assert_eq!(hidden(&out), Vec::<String>::new(), "{signal} {jobs}");
            // No summary of a batch that did not finish; every folder there is whole.
            assert!(!out.join("summary.csv").exists(), "{signal} {jobs}");
            let folders: Vec<_> = fs::read_dir(&out).unwrap().map(|e| e.unwrap()).collect();
            assert!(folders.len() < 3000, "{signal} {jobs}: it was not stopped");
            for f in folders {
                let mut names: Vec<_> = fs::read_dir(f.path())
                    .unwrap()
                    .map(|e| e.unwrap().file_name())
                    .collect();
                names.sort();
                assert_eq!(
                    names,
                    ["audit_trail.json", "certificate.json", "macro_score.json"],
                    "{signal} {jobs}: {:?}",
                    f.path()
                );
            }
        }
    }
}

#[test]
fn a_jsonl_batch_stopped_by_a_signal_writes_nothing_and_leaves_no_temporary_file() {
    let t = tmp();
    let mut line = sample_line();
    line.push(b'\n');
    let input = t.path().join("in.jsonl");
    fs::write(&input, line.repeat(20_000)).unwrap();
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        for jobs in ["1", "2", "8"] {
            let dir = t.path().join(format!("out{signal}{jobs}"));
            fs::create_dir(&dir).unwrap();
            let out = dir.join("o.jsonl");
            let child = spawn(&[
                os("batch"),
                os("--jsonl"),
                input.as_os_str(),
                os("--out"),
                out.as_os_str(),
                os("--jobs"),
                os(jobs),
            ]);
            // The staged output exists once the run is under way.
            wait_until(|| !hidden(&dir).is_empty());
            std::thread::sleep(Duration::from_millis(100));
            kill(&child, signal);
            let o = finish(child);
            let err = text(&o.stderr);
            assert_eq!(o.status.code(), Some(code), "{signal} {jobs}: {err}");
            assert!(err.contains("error[INTERRUPTED]"), "{signal} {jobs}: {err}");
            assert_eq!(fs::read_dir(&dir).unwrap().count(), 0, "{signal} {jobs}");
        }
    }
}

#[test]
fn a_crlf_line_exactly_at_the_limit_is_read_like_an_lf_line() {
    let t = tmp();
    let line = sample_line();
    let limit = line.len().to_string();
    let lf = t.path().join("lf.jsonl");
    let crlf = t.path().join("crlf.jsonl");
    fs::write(&lf, [&line[..], b"\n", &line[..], b"\n"].concat()).unwrap();
    fs::write(&crlf, [&line[..], b"\r\n", &line[..], b"\r\n"].concat()).unwrap();
    for jobs in ["1", "2", "8"] {
        let args = |f: &Path| {
            phase7(&[
                os("batch"),
                os("--jsonl"),
                f.as_os_str(),
                os("--max-input-bytes"),
                os(&limit),
                os("--jobs"),
                os(jobs),
            ])
        };
        let (a, b) = (args(&lf), args(&crlf));
        assert_eq!(a.status.code(), Some(0), "{}", text(&a.stdout));
        assert_eq!(b.status.code(), Some(0), "{jobs}: {}", text(&b.stdout));
        assert_eq!(a.stdout, b.stdout, "{jobs}");
    }
    // One byte more than the limit before the CR is still too large, and says its length
    // without the line ending.
    let over = t.path().join("over.jsonl");
    fs::write(&over, [&line[..], b" \r\n"].concat()).unwrap();
    let o = phase7(&[
        os("batch"),
        os("--jsonl"),
        over.as_os_str(),
        os("--max-input-bytes"),
        os(&limit),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let expected = format!("\"value\":\"{}\"", line.len() + 1);
    assert!(text(&o.stdout).contains(&expected), "{}", text(&o.stdout));
}

#[test]
fn stdin_that_is_a_device_is_refused_at_once() {
    for jobs in ["1", "2", "8"] {
        let start = Instant::now();
        let child = Command::new(BIN)
            .args(["batch", "--jsonl", "-", "--jobs", jobs])
            .stdin(fs::File::open("/dev/zero").unwrap())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let o = finish(child);
        assert!(start.elapsed() < Duration::from_secs(30));
        assert_eq!(o.status.code(), Some(1), "{jobs}");
        assert!(
            text(&o.stderr).starts_with("error[NOT_REGULAR_FILE]: cannot read stdin"),
            "{}",
            text(&o.stderr)
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn an_output_in_a_missing_folder_names_no_temporary_file() {
    let t = tmp();
    let out = t.path().join("missing/o.jsonl");
    let mut messages = Vec::new();
    for jobs in ["1", "2", "8"] {
        let o = phase7(&[
            os("batch"),
            os("--jsonl"),
            sample().as_os_str(),
            os("--out"),
            out.as_os_str(),
            os("--jobs"),
            os(jobs),
        ]);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(err.starts_with("error[IO_ERROR]: cannot write"), "{err}");
        assert!(!err.contains(".phase7-"), "{err}");
        messages.push(err);
    }
    assert!(messages.windows(2).all(|w| w[0] == w[1]), "{messages:?}");
    assert!(!t.path().join("missing").exists());
}

/// The peak resident memory `phase7 batch` prints on stderr, in bytes.
fn printed_peak_rss(stderr: &[u8]) -> u64 {
    let err = text(stderr);
    err.rsplit_once("peak RSS ")
        .and_then(|(_, rest)| rest.split_once('(')?.1.split_once(" bytes)"))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS in {err}"))
}

/// The peak resident memory of `phase7 batch --jsonl --jobs 1` over a file of `line`,
/// which it rejects (exit 2: these lines are not Phase 6 files).
fn one_line_peak_rss(t: &tempfile::TempDir, line: &str, name: &str) -> u64 {
    let f = t.path().join("line.jsonl");
    fs::write(&f, line).unwrap();
    let o = phase7(&[
        os("batch"),
        os("--jsonl"),
        f.as_os_str(),
        os("--jobs"),
        os("1"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{name}: {}", text(&o.stderr));
    printed_peak_rss(&o.stderr)
}

#[test]
fn a_line_of_millions_of_numbers_stays_near_its_counted_peak_in_resident_memory() {
    // A parsed array grows by a quarter at a time; mimalloc copied each large block into
    // a new one and kept the old one's pages, so a 4 MB line of two million numbers took
    // 210 MB resident (52 x; 726 MB for 16.5 MB) for a counted peak of about 18 x. Large
    // blocks now go to the system allocator (`cli/src/alloc.rs`).
    let t = tmp();
    let n = 2_000_000;
    let line = format!("[{}0]\n", "0,".repeat(n - 1));
    let rss = one_line_peak_rss(&t, &line, "numbers");
    // The documented counted bound (24 x the input plus 8 MiB) and 24 MiB for the
    // program itself.
    let bound = 24 * line.len() as u64 + (32 << 20);
    assert!(rss <= bound, "peak RSS {rss} B over {bound} B");
}

#[test]
fn large_lines_on_two_threads_cost_what_one_does() {
    // Three 9 MB lines of numbers, --jobs 2: the lines being worked on hold at most
    // 16 MiB of input together (`parallel::IN_FLIGHT_BYTES`), so they run one at a time
    // and the peak stays within one line's bound. Two ran at once before: 352 MB here.
    let t = tmp();
    let n = 4_500_000;
    let line = format!("[{}0]\n", "0,".repeat(n - 1));
    let f = t.path().join("numbers.jsonl");
    fs::write(&f, line.repeat(3)).unwrap();
    let o = phase7(&[
        os("batch"),
        os("--jsonl"),
        f.as_os_str(),
        os("--jobs"),
        os("2"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout).lines().count(),
        3,
        "one result line per input line"
    );
    let rss = printed_peak_rss(&o.stderr);
    let bound = 24 * line.len() as u64 + (32 << 20);
    assert!(rss <= bound, "peak RSS {rss} B over {bound} B");
}

#[test]
fn many_small_containers_hold_what_they_parse_in_resident_memory() {
    // Each closed array or object gets a vector of exactly its length (`read::json`,
    // `Open`). Before, 4 MB lines of `[0,0]` arrays (vectors of four), of arrays of 65
    // and 129 zeros (vectors of 128 and 256, which `shrink_to_fit` left in mimalloc's
    // block) and of objects of 33 one-character keys (64 members) took 114, 132, 134 and
    // 90 MiB resident; now 74, 92, 100 and 64 MiB.
    let t = tmp();
    let size = 4_000_000;
    let list = |item: String| {
        let n = size / (item.len() + 1);
        format!("[{}]\n", vec![item; n].join(","))
    };
    let zeros = |n: usize| format!("[{}]", vec!["0"; n].join(","));
    let keys: Vec<String> = (b'#'..)
        .take(33)
        .map(|c| format!("\"{}\":0", c as char))
        .collect();
    for (name, line) in [
        ("arrays of two zeros", list(zeros(2))),
        ("arrays of 65 zeros", list(zeros(65))),
        ("arrays of 129 zeros", list(zeros(129))),
        (
            "objects of 33 one-character keys",
            list(format!("{{{}}}", keys.join(","))),
        ),
    ] {
        let rss = one_line_peak_rss(&t, &line, name);
        // 20 x the line (the parsed tree is up to 16 x these lines, in mimalloc's size
        // classes) and 32 MiB for the program itself.
        let bound = 20 * line.len() as u64 + (32 << 20);
        assert!(rss <= bound, "{name}: peak RSS {rss} B over {bound} B");
    }
}

/// A 2 KB line whose answer is over 300 KB: every finding list full (100 duplicate keys
/// and 100 NaNs under a path of four keys of escaped controls, 100 clusters that are not
/// objects), in a cluster whose id is 64 escaped controls.
fn amplifying_line() -> String {
    let e = "\\u0001";
    let key = format!("\"{}\"", e.repeat(9));
    let open: String = (0..4).map(|_| format!("{key}:{{")).collect();
    let dups = vec!["\"a\":0"; 101].join(",");
    let nans = vec!["NaN"; 101].join(",");
    let first = format!(
        "{{\"cluster_id\":\"{}\",\"x\":{{{open}{dups},\"n\":[{nans}]{}}}}}",
        e.repeat(64),
        "}".repeat(4)
    );
    let rest: Vec<&str> = [vec!["{}"; 26], vec!["0"; 101]].concat();
    format!("[{first},{}]\n", rest.join(","))
}

/// `phase7 batch --jsonl FILE --jobs JOBS`, its stdout read only after `seconds`: the
/// answers made meanwhile wait to be written.
fn read_after_a_pause(file: &Path, jobs: &str, seconds: u64) -> Output {
    let child = Command::new(BIN)
        .args([
            os("batch"),
            os("--jsonl"),
            file.as_os_str(),
            os("--jobs"),
            os(jobs),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(seconds));
    child.wait_with_output().unwrap()
}

#[test]
fn answers_waiting_for_a_slow_reader_stay_bounded() {
    // 400 such lines on 4 threads, stdout read only after a pause: the chunks finished
    // meanwhile hold at most 1 MiB of answers each (`batch::CHUNK_ANSWER_BYTES`), the
    // rest of a chunk answered by the writing thread as it writes. Every answer of the
    // 780 KB file (133 MB) was held before.
    let line = amplifying_line();
    let t = tmp();
    let f = t.path().join("amplify.jsonl");
    fs::write(&f, line.repeat(400)).unwrap();
    let o = read_after_a_pause(&f, "4", 2);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let answers = text(&o.stdout);
    assert_eq!(answers.lines().count(), 400);
    let one = answers.len() / 400;
    assert!(one > 300_000, "an answer of {one} B");
    assert!(answers.lines().all(|l| l.len() + 1 == one));
    let rss = printed_peak_rss(&o.stderr);
    // 16 chunks in flight of 1 MiB and one answer each, and 32 MiB for the program.
    let bound = 16 * ((1 << 20) + one as u64) + (32 << 20);
    assert!(rss <= bound, "peak RSS {rss} B over {bound} B");
}

#[test]
fn a_line_whose_answer_is_escaped_holds_that_answer_once() {
    // An accepted plan whose `dispersion_scenario` is 4 MB of raw DEL characters (JSON
    // allows them unescaped): its answer carries the text twice, each DEL written as the
    // 6 bytes `\u007f` (`term::json_tail`, so that no control reaches a terminal), 48 MB.
    // The answer was escaped into a copy beside the line being built, and the line grown
    // to take it: 110 MiB resident for the 48 MB answer here, 396 MiB for 16 MB. Now it
    // is escaped in place.
    let mut plan: serde_json::Value = serde_json::from_slice(&sample_line()).unwrap();
    plan[0]["dispersion_scenario"] = "\u{7f}".repeat(4_000_000).into();
    let line = serde_json::to_string(&plan).unwrap() + "\n";
    let t = tmp();
    let f = t.path().join("del.jsonl");
    fs::write(&f, &line).unwrap();
    for jobs in ["1", "2"] {
        let o = phase7(&[
            os("batch"),
            os("--jsonl"),
            f.as_os_str(),
            os("--jobs"),
            os(jobs),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let answer = o.stdout.len() as u64;
        assert!(answer > 48_000_000, "an answer of {answer} B");
        assert!(!o.stdout.contains(&0x7f), "a raw DEL on stdout");
        let rss = printed_peak_rss(&o.stderr);
        // The answer once, the line and what the run holds (4 x the line), and 24 MiB
        // for the program itself.
        let bound = answer + 4 * line.len() as u64 + (24 << 20);
        assert!(
            rss <= bound,
            "--jobs {jobs}: peak RSS {rss} B over {bound} B"
        );
    }
}

#[test]
fn answers_and_threads_beyond_the_cores_hold_little_memory() {
    // 20,000 lines of eight empty objects (26 bytes each), each rejected with an 8 KB
    // answer, on 64 threads: a worker stops answering while 32 MiB of answers wait to be
    // written (`batch::ANSWERS_IN_FLIGHT`). The window is counted in lines' bytes, so the
    // chunks in flight held about 1 MiB of answers each, 4 per thread: 196 MiB resident
    // for this 520 KB file (about 5 GB at the size limit with `--jobs 1024`).
    // stdout is read only after a pause, so every chunk the window lets through is
    // answered and waits.
    let t = tmp();
    let f = t.path().join("tiny.jsonl");
    fs::write(&f, "[{},{},{},{},{},{},{},{}]\n".repeat(20_000)).unwrap();
    let o = read_after_a_pause(&f, "64", 3);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(o.stdout.iter().filter(|&&b| b == b'\n').count(), 20_000);
    let one = o.stdout.len() / 20_000;
    assert!(one > 8_000, "an answer of {one} B");
    // Lines the workers left were answered by the writing thread: still the bytes of
    // one thread.
    let alone = phase7(&[
        os("batch"),
        os("--jsonl"),
        f.as_os_str(),
        os("--jobs"),
        os("1"),
    ]);
    assert!(
        alone.stdout == o.stdout,
        "--jobs 64 wrote other bytes than --jobs 1"
    );
    let rss = printed_peak_rss(&o.stderr);
    // The answers waiting, one more for each thread, and 32 MiB for the program and its
    // threads.
    let bound = (32 << 20) + 64 * one as u64 + (32 << 20);
    assert!(rss <= bound, "jsonl: peak RSS {rss} B over {bound} B");

    // 500 empty plan files on 64 threads: each worker's allocator (mimalloc) asked the
    // kernel for transparent huge pages, so each thread that ran a plan kept about 2 MB
    // resident: 118 MiB here (426 MiB with `--jobs 256` for 3,000) where now 13.5 MiB
    // (`no_thp`, cli/Cargo.toml; a kernel that gives no huge pages sees no difference).
    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    for i in 0..500 {
        fs::write(plans.join(format!("p{i}.json")), "").unwrap();
    }
    let o = phase7(&[
        os("batch"),
        plans.as_os_str(),
        os("--out"),
        t.path().join("folders").as_os_str(),
        os("--jobs"),
        os("64"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let rss = printed_peak_rss(&o.stderr);
    let bound = 48 << 20;
    assert!(rss <= bound, "files: peak RSS {rss} B over {bound} B");
}
