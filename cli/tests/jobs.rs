//! `phase7 batch --jobs N`: plans on several threads give the same bytes as one thread —
//! the output lines, summary.csv, every plan folder, the table, the messages in order
//! and the exit code — over the public vectors and generated sets that hold rejected,
//! failing, too large and unreadable plans.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{os, phase7, text};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn tmp() -> tempfile::TempDir {
    common::tmp("jobs-")
}

/// stderr without the closing note (it names the thread count and the peak memory).
fn messages(o: &Output) -> String {
    text(&o.stderr)
        .lines()
        .filter(|l| !l.contains("peak RSS"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The public vectors' Phase 6 values, one JSON text each.
fn vectors() -> Vec<String> {
    fs::read_to_string(fixtures().join("phase7_public.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let start = l.find('[').unwrap();
            let end = l.find(", \"expected\"").unwrap();
            l[start..end].to_string()
        })
        .collect()
}

/// Removes every cluster's provenance: a warning, which `--strict` turns into a GATE-4
/// failure (exit 3).
fn without_provenance(plan: &str) -> String {
    let mut out = String::new();
    let mut rest = plan;
    let key = "\"provenance_node_id\": \"";
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        rest = &rest[rest.find('"').unwrap()..];
    }
    out.push_str(rest);
    out
}

/// The first score in a plan replaced by `NaN` (NON_FINITE).
fn with_nan(plan: &str) -> String {
    let key = "\"score\": ";
    let start = plan.find(key).unwrap() + key.len();
    let end = start + plan[start..].find(',').unwrap();
    format!("{}NaN{}", &plan[..start], &plan[end..])
}

/// Asserts two runs gave the same exit code, stdout and messages.
fn same(a: &Output, b: &Output, what: &str) {
    assert_eq!(a.status.code(), b.status.code(), "{what}: exit code");
    assert!(a.stdout == b.stdout, "{what}: stdout differs");
    assert_eq!(messages(a), messages(b), "{what}: messages");
}

#[test]
fn jsonl_over_the_public_vectors_is_the_same_bytes_on_one_thread_and_on_four() {
    let t = tmp();
    let vectors = fixtures().join("phase7_public.jsonl");
    let mut outputs = Vec::new();
    for jobs in ["1", "4"] {
        let out = t.path().join(format!("out-{jobs}.jsonl"));
        let o = phase7(&[
            os("batch"),
            os("--jsonl"),
            vectors.as_os_str(),
            os("--out"),
            out.as_os_str(),
            os("--jobs"),
            os(jobs),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert!(text(&o.stderr).contains(&format!("1000 line(s) processed on {jobs} thread(s)")));
        outputs.push(fs::read(&out).unwrap());
    }
    assert_eq!(outputs[0].iter().filter(|&&b| b == b'\n').count(), 1000);
    assert!(outputs[0] == outputs[1], "--jobs 4 wrote other bytes");
}

#[test]
fn jsonl_with_rejected_failing_and_oversized_lines_is_the_same_on_any_number_of_threads() {
    let t = tmp();
    let mut lines = Vec::new();
    for (i, plan) in vectors().into_iter().take(400).enumerate() {
        lines.push(match i % 50 {
            3 | 13 | 23 => without_provenance(&plan),
            7 => "not json".to_string(),
            17 => with_nan(&plan),
            27 => format!("{plan}{}", " ".repeat(9_000)),
            37 => String::new(),
            47 => "{\"phase6\": [1, 2]}".to_string(),
            _ => format!("{{\"phase6\": {plan}}}"),
        });
    }
    let input = t.path().join("mixed.jsonl");
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    for (strict, max, code, count) in [
        (false, None, 2, 400),
        (true, None, 3, 400),
        (false, Some("277"), 1, 277),
        (true, Some("1"), 1, 1),
    ] {
        let runs: Vec<Output> = ["1", "4"]
            .iter()
            .map(|jobs| {
                let mut args: Vec<&OsStr> = vec![
                    os("batch"),
                    os("--jsonl"),
                    input.as_os_str(),
                    os("--max-input-bytes"),
                    os("8000"),
                    os("--jobs"),
                    os(jobs),
                ];
                if strict {
                    args.push(os("--strict"));
                }
                if let Some(m) = max {
                    args.extend([os("--max-lines"), os(m)]);
                }
                phase7(&args)
            })
            .collect();
        let what = format!("strict {strict}, max-lines {max:?}");
        assert_eq!(
            runs[0].status.code(),
            Some(code),
            "{what}: {}",
            text(&runs[0].stderr)
        );
        let out = text(&runs[0].stdout);
        assert_eq!(out.lines().count(), count, "{what}");
        if count == 400 {
            for (i, line) in out.lines().enumerate() {
                let expect = match i % 50 {
                    3 | 13 | 23 if strict => "\"code\":\"GATE_FAILED\"",
                    7 | 37 => "\"code\":\"MALFORMED_JSON\"",
                    17 => "\"code\":\"NON_FINITE\"",
                    27 => "\"code\":\"INPUT_TOO_LARGE\"",
                    47 => "\"code\":\"INVALID_CLUSTER_COUNT\"",
                    _ => "{\"macro_score\":",
                };
                assert!(line.contains(expect), "{what}, line {i}: {line}");
            }
        }
        if max.is_some() {
            assert!(messages(&runs[0]).starts_with("error[RESOURCE_EXHAUSTED]: "));
        }
        same(&runs[0], &runs[1], &format!("{what}, --jobs 4"));
    }
}

/// Every file and folder under `dir`: relative path, kind, and the bytes of files.
fn tree(dir: &Path) -> Vec<(PathBuf, &'static str, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, &'static str, Vec<u8>)>) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                out.push((rel, "dir", Vec::new()));
                walk(root, &p, out);
            } else if t.is_file() {
                out.push((rel, "file", fs::read(&p).unwrap()));
            } else {
                out.push((rel, "other", Vec::new()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// A folder of plan files: the first 60 vectors, some without provenance; colliding
/// names; rejected, oversized and empty files; a FIFO, a folder and a dangling symlink
/// named `*.json`.
fn plan_folder(dir: &Path) {
    fs::create_dir(dir).unwrap();
    let vectors = vectors();
    for (i, plan) in vectors.iter().take(60).enumerate() {
        let plan = if i % 10 == 3 {
            without_provenance(plan)
        } else {
            plan.clone()
        };
        fs::write(dir.join(format!("plan_{i:03}.json")), plan).unwrap();
    }
    for (name, body) in [
        ("a b.json", vectors[200].clone()),
        ("a_b.json", vectors[201].clone()),
        ("A_B.json", vectors[202].clone()),
        ("nan.json", with_nan(&vectors[203])),
        ("bad.json", "not json".to_string()),
        ("big.json", format!("{}{}", vectors[204], " ".repeat(9_000))),
        ("empty.json", String::new()),
        ("three.json", "[1, 2, 3]".to_string()),
    ] {
        fs::write(dir.join(name), body).unwrap();
    }
    let ok = Command::new("mkfifo")
        .arg(dir.join("fifo.json"))
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo");
    fs::create_dir(dir.join("folder.json")).unwrap();
    symlink(dir.join("gone"), dir.join("dangling.json")).unwrap();
}

/// What is in `out` before each run: a previous result to replace, someone's folder to
/// leave alone, and a folder holding a plan file of the batch (named on the command
/// line), which plan `x` must not replace.
fn prepare_out(out: &Path, x_input: &str) {
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out.join("plan_001")).unwrap();
    for f in ["macro_score.json", "certificate.json", "audit_trail.json"] {
        fs::write(out.join("plan_001").join(f), "old").unwrap();
    }
    fs::create_dir_all(out.join("plan_002")).unwrap();
    fs::write(out.join("plan_002/notes.txt"), "mine").unwrap();
    fs::create_dir_all(out.join("x")).unwrap();
    fs::write(out.join("x/certificate.json"), x_input).unwrap();
}

#[test]
fn file_batches_write_the_same_bytes_on_one_thread_and_on_four() {
    let t = tmp();
    let plans = t.path().join("plans");
    plan_folder(&plans);
    let vectors = vectors();
    fs::write(plans.join("x.json"), &vectors[300]).unwrap();
    let out = t.path().join("out");
    let inside = out.join("x/certificate.json");
    for strict in [false, true] {
        let mut results = Vec::new();
        for jobs in ["1", "4"] {
            prepare_out(&out, &vectors[301]);
            let mut args: Vec<&OsStr> = vec![
                os("batch"),
                plans.as_os_str(),
                inside.as_os_str(),
                os("--out"),
                out.as_os_str(),
                os("--max-input-bytes"),
                os("8000"),
                os("--jobs"),
                os(jobs),
            ];
            if strict {
                args.push(os("--strict"));
            }
            let o = phase7(&args);
            results.push((o, tree(&out)));
        }
        let what = format!("strict {strict}");
        let (one, one_tree) = &results[0];
        let (four, four_tree) = &results[1];
        assert_eq!(one.status.code(), Some(1), "{what}: {}", text(&one.stderr));
        same(one, four, &what);
        assert_eq!(one_tree.len(), four_tree.len(), "{what}");
        for (a, b) in one_tree.iter().zip(four_tree) {
            assert!(a == b, "{what}: {} differs", a.0.display());
        }

        let csv = text(&fs::read(out.join("summary.csv")).unwrap());
        let rows: Vec<&str> = csv.lines().skip(1).collect();
        assert_eq!(rows.len(), 60 + 8 + 3 + 2, "{csv}");
        let row = |plan: &str| {
            *rows
                .iter()
                .find(|r| r.starts_with(&format!("{plan},")))
                .unwrap_or_else(|| panic!("{plan}: {csv}"))
        };
        assert!(row("plan_000").contains(",true,,"), "{csv}");
        assert!(
            row("plan_001").contains(",true,,"),
            "previous result replaced"
        );
        assert!(row("plan_002").contains(",false,OUTPUT_NOT_REPLACEABLE,"));
        let gate = if strict {
            ",false,GATE_FAILED,"
        } else {
            ",true,,"
        };
        assert!(row("plan_013").contains(gate), "{what}: {csv}");
        // Named in plan order (sorted file names: `A_B`, `a b`, `a_b`).
        for plan in ["A_B", "a_b-2", "a_b-3"] {
            assert!(row(plan).contains(",true,,"), "{plan}: {csv}");
        }
        assert!(row("nan").contains(",NON_FINITE,"));
        assert!(row("big").contains(",INPUT_TOO_LARGE,"));
        assert!(row("bad").contains(",MALFORMED_JSON,"));
        assert!(row("fifo").contains(",NOT_REGULAR_FILE,"));
        assert!(row("dangling").contains(",IO_ERROR,"));
        // The plan file inside out/x is read as given, and out/x is not replaced.
        assert!(row("certificate").contains(",true,,"), "{csv}");
        assert!(row("x").contains(",false,OUTPUT_NOT_REPLACEABLE,"), "{csv}");
        assert_eq!(
            fs::read_to_string(&inside).unwrap(),
            vectors[301],
            "the input in out/x is untouched"
        );
        assert_eq!(
            fs::read_to_string(out.join("plan_002/notes.txt")).unwrap(),
            "mine"
        );
        // Messages in plan order: the unreadable candidates, then the refused folders.
        let m = messages(one);
        let order: Vec<usize> = [
            "dangling.json",
            "fifo.json",
            "folder.json",
            "plan_002",
            "/x is",
        ]
        .iter()
        .map(|s| m.find(s).unwrap_or_else(|| panic!("{s}: {m}")))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{m}");
    }
}
