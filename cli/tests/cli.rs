//! The `phase7` binary driven as a user drives it: exit codes, stderr lines, files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use phase7_core::read::json::{self, Json};

const BIN: &str = env!("CARGO_BIN_EXE_phase7");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn sample() -> PathBuf {
    fixtures().join("p06_sample.json")
}

/// A fresh, empty directory under the target dir.
fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn phase7(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn run_on_the_sample_prints_and_writes_the_expected_result() {
    let out = temp_dir("sample");
    let o = phase7(&[
        "run",
        sample().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(
        stdout.contains("score          1.6970916666666667"),
        "{stdout}"
    );
    assert!(stdout.contains("quality_level  ACEPTABLE"), "{stdout}");
    assert!(
        stdout.contains(
            "\nband margin    +0.04709166666666642 on the score scale, +141388008301503 ulps: \
             at or above the ACEPTABLE threshold 0.55 (analysis, not certified)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("systemic_gaps  PA05 (MODERATE), PA07 (CRITICAL)"),
        "{stdout}"
    );

    let written = fs::read(out.join("macro_score.json")).unwrap();
    let m = json::parse(&written).unwrap().value;
    assert_eq!(m.get("score"), Some(&Json::Number(1.6970916666666667)));
    assert_eq!(
        m.get("quality_level"),
        Some(&Json::String("ACEPTABLE".into()))
    );
    assert_eq!(
        m.get("systemic_gaps").map(ToString::to_string),
        Some(r#"["PA05", "PA07"]"#.to_string())
    );
    assert_eq!(m.get("evaluation_timestamp"), Some(&Json::Null));

    // A second run is byte-identical.
    let again = temp_dir("sample-again");
    let o2 = phase7(&[
        "run",
        sample().to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(o2.status.code(), Some(0));
    assert_eq!(fs::read(again.join("macro_score.json")).unwrap(), written);
}

#[test]
fn evaluated_at_comes_from_the_caller_and_is_checked() {
    let out = temp_dir("time");
    let o = phase7(&[
        "run",
        sample().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--evaluated-at",
        "2026-11-26T10:00:00Z",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let m = json::parse(&fs::read(out.join("macro_score.json")).unwrap())
        .unwrap()
        .value;
    assert_eq!(
        m.get("evaluation_timestamp"),
        Some(&Json::String("2026-11-26T10:00:00Z".into()))
    );
    let bad = phase7(&[
        "run",
        sample().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--evaluated-at",
        "yesterday",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("RFC 3339"));
}

/// Every file in tests/fixtures/invalid is named CODE__what.json: exit 2, the coded
/// line on stderr, no panic; its refusal record (and the input rules that ran, as an
/// audit trail marked not certified) written, never a MacroScore or a certificate; and
/// `phase7 verify --refusal` confirms the record by rerunning. With `--no-record`,
/// nothing is written.
#[test]
fn every_invalid_fixture_exits_2_with_a_refusal_record_that_verify_confirms() {
    let mut seen = std::collections::BTreeSet::new();
    let mut entries: Vec<_> = fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    assert!(entries.len() >= 30, "fixtures missing");
    for path in entries {
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let code = name.split("__").next().unwrap().to_string();
        let out = temp_dir("invalid");
        let o = phase7(&[
            "run",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("error[{code}]: ")),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        for line in stderr.lines() {
            assert!(
                line.starts_with("error[") || line.starts_with("warning["),
                "{name}: {line}"
            );
        }
        let mut written: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        written.sort();
        assert_eq!(
            written,
            ["audit_trail.json", "refusal.json"],
            "{name}: no MacroScore, no certificate"
        );
        let stdout = text(&o.stdout);
        assert!(
            stdout.contains(&format!(
                "wrote          {}/refusal.json (refusal record)",
                out.display()
            )),
            "{name}: {stdout}"
        );
        let record = json::parse(&fs::read(out.join("refusal.json")).unwrap())
            .unwrap()
            .value;
        assert_eq!(
            record.get("format"),
            Some(&Json::String("phase7-refusal/1".into()))
        );
        assert_eq!(record.get("certificate_id"), None, "{name}");
        let Some(Json::Array(violations)) = record.get("violations") else {
            panic!("{name}: no violations")
        };
        assert!(
            violations
                .iter()
                .any(|v| v.get("code") == Some(&Json::String(code.clone()))),
            "{name}: {code} not recorded"
        );

        // Confirmed by rerunning.
        let refusal = out.join("refusal.json");
        let v = phase7(&[
            "verify",
            path.to_str().unwrap(),
            "--refusal",
            refusal.to_str().unwrap(),
        ]);
        let report = text(&v.stdout);
        assert_eq!(v.status.code(), Some(0), "{name}: {report}");
        assert!(
            report.starts_with(
                "phase7 verify --refusal: CONFIRMED: a rerun refuses this input exactly as \
                 recorded\n"
            ),
            "{name}: {report}"
        );
        assert!(!report.contains("\nFAIL"), "{name}: {report}");

        // --no-record: nothing written, as before.
        let bare = temp_dir("invalid-bare");
        let o = phase7(&[
            "run",
            path.to_str().unwrap(),
            "--no-record",
            "--out",
            bare.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert_eq!(
            fs::read_dir(&bare).unwrap().count(),
            0,
            "{name}: --no-record wrote something"
        );
        seen.insert(code);
    }
    for code in [
        "MALFORMED_JSON",
        "DUPLICATE_KEY",
        "NON_FINITE",
        "WRONG_TYPE",
        "MISSING_FIELD",
        "MISSING_COHERENCE",
        "MISSING_VARIANCE",
        "INVALID_CLUSTER_COUNT",
        "CLUSTER_COVERAGE_MISMATCH",
        "DUPLICATE_CLUSTER",
        "SCORE_OUT_OF_BOUNDS",
        "COHERENCE_OUT_OF_BOUNDS",
        "VALUE_OUT_OF_BOUNDS",
        "CLUSTER_COMPOSITION_MISMATCH",
        "WEAKEST_AREA_INVALID",
    ] {
        assert!(seen.contains(code), "no fixture for {code}");
    }
}

#[test]
fn input_too_large_is_rejected_before_parsing() {
    let dir = temp_dir("large");
    let big = dir.join("big.json");
    // 16 MiB + 1 byte of spaces around a valid document: only the size is wrong.
    let mut bytes = fs::read(sample()).unwrap();
    bytes.resize(16 * 1024 * 1024 + 1, b' ');
    fs::write(&big, &bytes).unwrap();
    let o = phase7(&[
        "run",
        big.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains(
        "error[INPUT_TOO_LARGE]: input is 16777217 bytes, over the limit of 16777216 bytes"
    ));

    let o = phase7(&[
        "run",
        sample().to_str().unwrap(),
        "--max-input-bytes",
        "100",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("error[INPUT_TOO_LARGE]"));
    assert!(!dir.join("out").exists());
}

fn sample_without_provenance() -> PathBuf {
    let dir = temp_dir("noprov");
    let text = fs::read_to_string(sample()).unwrap();
    let edited = text.replace("\"provenance_node_id\": \"PROV_MESO_2_5c2e7b14\",", "");
    assert_ne!(text, edited);
    let path = dir.join("p06.json");
    fs::write(&path, edited).unwrap();
    path
}

#[test]
fn missing_provenance_warns_and_strict_mode_fails_the_gate() {
    let input = sample_without_provenance();
    let out = temp_dir("warn");
    let o = phase7(&[
        "run",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains("warning[MISSING_PROVENANCE]: cluster CLUSTER_MESO_2"));

    let strict_out = temp_dir("strict");
    let o = phase7(&[
        "run",
        input.to_str().unwrap(),
        "--strict",
        "--out",
        strict_out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("error[GATE_FAILED]: GATE-4 failed"));
    // The audit trail, marked not certified and naming the failed gate, and the refusal
    // record; no MacroScore, no certificate.
    let mut names: Vec<String> = fs::read_dir(&strict_out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["audit_trail.json", "refusal.json"]);
    let record = fs::read_to_string(strict_out.join("refusal.json")).unwrap();
    assert!(record.contains("\"code\": \"GATE_FAILED\""), "{record}");
    // Confirmed by a rerun in the mode it records (strict), with or without --format json.
    let refusal = strict_out.join("refusal.json");
    let v = phase7(&[
        "verify",
        input.to_str().unwrap(),
        "--refusal",
        refusal.to_str().unwrap(),
    ]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v.stdout));
    let v = phase7(&[
        "verify",
        input.to_str().unwrap(),
        "--refusal",
        refusal.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(v.status.code(), Some(0));
    let report = json::parse(&v.stdout).unwrap().value;
    assert_eq!(report.get("confirmed"), Some(&Json::Bool(true)));
    // Against an input a rerun accepts: not confirmed, exit 4, the input named.
    let v = phase7(&[
        "verify",
        sample().to_str().unwrap(),
        "--refusal",
        refusal.to_str().unwrap(),
    ]);
    assert_eq!(v.status.code(), Some(4), "{}", text(&v.stdout));
    assert!(text(&v.stdout).contains("FAIL  a rerun refuses the input  [input]"));
    // Given as a certificate, it never verifies, and the report says to use --refusal.
    let v = phase7(&[
        "verify",
        input.to_str().unwrap(),
        "--certificate",
        refusal.to_str().unwrap(),
    ]);
    assert_eq!(v.status.code(), Some(4));
    let report = text(&v.stdout);
    assert!(report.contains("[certificate.kind]"), "{report}");
    assert!(report.contains("phase7 verify --refusal"), "{report}");
    // --no-record: only the trail.
    let bare = temp_dir("strict-bare");
    let o = phase7(&[
        "run",
        input.to_str().unwrap(),
        "--strict",
        "--no-record",
        "--out",
        bare.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let names: Vec<String> = fs::read_dir(&bare)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["audit_trail.json"]);
    let trail = fs::read_to_string(strict_out.join("audit_trail.json")).unwrap();
    assert!(trail.contains("\"not_certified\""), "{trail}");
    assert!(
        trail.contains("\"failed_checks\": [\n      \"GATE-4\"\n    ]"),
        "{trail}"
    );
}

#[test]
fn unreadable_input_is_exit_1() {
    let o = phase7(&["run", "/nonexistent/p06.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("cannot read /nonexistent/p06.json"));
}

#[test]
fn batch_over_the_public_vectors_reproduces_every_expected_field() {
    let dir = temp_dir("batch");
    let out = dir.join("out.jsonl");
    let vectors = fixtures().join("phase7_public.jsonl");
    let o = phase7(&[
        "batch",
        "--jsonl",
        vectors.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let inputs = fs::read_to_string(&vectors).unwrap();
    let outputs = fs::read_to_string(&out).unwrap();
    assert_eq!(inputs.lines().count(), 1000);
    assert_eq!(outputs.lines().count(), 1000);
    for (n, (i, o)) in inputs.lines().zip(outputs.lines()).enumerate() {
        let expected = json::parse(i.as_bytes()).unwrap().value;
        let expected = expected.get("expected").unwrap();
        let line = json::parse(o.as_bytes()).unwrap().value;
        let m = line
            .get("macro_score")
            .unwrap_or_else(|| panic!("line {n}: {o}"));
        let Json::Object(fields) = expected else {
            panic!()
        };
        assert!(fields.len() >= 11);
        for (k, v) in fields {
            assert!(
                phase7_core::diff::bit_differences(v, m.get(k).unwrap()).is_empty(),
                "line {n}, field {k}: expected {v}, got {:?}",
                m.get(k)
            );
        }
    }
}

#[test]
fn batch_lines_keep_order_and_report_errors_per_line() {
    let dir = temp_dir("batch-mixed");
    let input = dir.join("in.jsonl");
    let sample_line = json::parse(&fs::read(sample()).unwrap())
        .unwrap()
        .value
        .to_string();
    let lines = [
        sample_line.clone(),
        format!("{{\"cluster_scores\": {sample_line}, \"plan\": \"x\"}}"),
        "{\"phase6\": [1, 2]}".to_string(),
        "not json".to_string(),
        format!("{{\"phase6\": {sample_line}}}"),
        sample_line.replace("2.1266666666666665", "NaN"),
    ];
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let o = phase7(&["batch", "--jsonl", input.to_str().unwrap()]);
    // Every line is answered; the exit code says some were rejected.
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    let out: Vec<Json> = stdout
        .lines()
        .map(|l| json::parse(l.as_bytes()).unwrap().value)
        .collect();
    assert_eq!(out.len(), 6);
    for i in [0, 1, 4] {
        assert_eq!(
            out[i].get("macro_score").and_then(|m| m.get("score")),
            Some(&Json::Number(1.6970916666666667)),
            "line {i}"
        );
    }
    let codes = |j: &Json| -> Vec<String> {
        match j.get("errors") {
            Some(Json::Array(es)) => es
                .iter()
                .map(|e| match e.get("code") {
                    Some(Json::String(c)) => c.clone(),
                    _ => String::new(),
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    assert!(codes(&out[2]).contains(&"INVALID_CLUSTER_COUNT".to_string()));
    assert!(codes(&out[2]).contains(&"WRONG_TYPE".to_string()));
    assert_eq!(codes(&out[3]), vec!["MALFORMED_JSON"]);
    assert_eq!(codes(&out[5]), vec!["NON_FINITE"]);
}

#[test]
fn batch_jsonl_out_dash_is_stdout() {
    let dir = temp_dir("batch-out-dash");
    let input = dir.join("in.jsonl");
    fs::write(&input, "[1]\n[2]\n").unwrap();
    let plain = phase7(&["batch", "--jsonl", input.to_str().unwrap()]);
    let o = Command::new(BIN)
        .args(["batch", "--jsonl", input.to_str().unwrap(), "--out", "-"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), plain.status.code(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).lines().count(), 2);
    assert_eq!(o.stdout, plain.stdout);
    assert!(!dir.join("-").exists(), "a file named - was written");
}

#[test]
fn a_batch_line_keeps_the_count_of_the_errors_it_does_not_list() {
    let dir = temp_dir("batch-omitted");
    let input = dir.join("in.jsonl");
    let nans = vec!["NaN"; 150].join(",");
    fs::write(&input, format!("[{nans}]\n")).unwrap();
    let o = phase7(&["batch", "--jsonl", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let line: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let errors = line["errors"].as_array().unwrap();
    let nan: Vec<&serde_json::Value> = errors
        .iter()
        .filter(|e| e["code"] == "NON_FINITE")
        .collect();
    // 100 listed, then one entry for the other 50.
    assert_eq!(nan.len(), 101);
    assert!(nan[..100].iter().all(|e| e.get("omitted").is_none()));
    let more = nan[100];
    assert_eq!(more["omitted"], 50, "{more}");
    assert!(
        more["message"].as_str().unwrap().contains("50 more"),
        "{more}"
    );
}

/// `--jsonl` lines carry every error and every warning, each with its code, message,
/// cluster, field and value.
#[test]
fn batch_lines_carry_every_error_and_warning() {
    let dir = temp_dir("batch-diagnostics");
    let input = dir.join("in.jsonl");
    let sample_line = json::parse(&fs::read(sample()).unwrap())
        .unwrap()
        .value
        .to_string();
    let no_provenance = sample_line.replacen("\"PROV_MESO_2_5c2e7b14\"", "\"\"", 1);
    assert_ne!(no_provenance, sample_line);
    let lines = [
        sample_line.clone(),
        no_provenance.clone(),
        // Two violations and the warning.
        no_provenance
            .replacen("\"score\": 1.4712", "\"score\": 3.5", 1)
            .replacen("\"score_std\": 0.061", "\"score_std\": -1", 1),
    ];
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let o = phase7(&["batch", "--jsonl", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let out: Vec<Json> = text(&o.stdout)
        .lines()
        .map(|l| json::parse(l.as_bytes()).unwrap().value)
        .collect();
    let list = |j: &Json, key: &str| -> Vec<Json> {
        match j.get(key) {
            Some(Json::Array(a)) => a.clone(),
            other => panic!("{key}: {other:?}"),
        }
    };
    let s = |v: &Json, k: &str| match v.get(k) {
        Some(Json::String(x)) => Some(x.clone()),
        Some(Json::Null) => None,
        other => panic!("{k}: {other:?}"),
    };
    // A clean plan: its MacroScore and no warnings.
    assert!(out[0].get("macro_score").is_some());
    assert!(list(&out[0], "warnings").is_empty());
    assert_eq!(out[0].get("errors"), None);
    // A certified plan with a warning: the warning rides along.
    assert!(out[1].get("macro_score").is_some());
    let w = list(&out[1], "warnings");
    assert_eq!(w.len(), 1);
    assert_eq!(s(&w[0], "code").as_deref(), Some("MISSING_PROVENANCE"));
    assert_eq!(s(&w[0], "cluster").as_deref(), Some("CLUSTER_MESO_2"));
    assert_eq!(s(&w[0], "field").as_deref(), Some("provenance_node_id"));
    assert!(s(&w[0], "message").is_some());
    // A rejected plan: every error, with where and what, and its warning.
    assert_eq!(out[2].get("macro_score"), None);
    let e = list(&out[2], "errors");
    // (code, cluster, field, value) of each error.
    type Found = [Option<String>; 4];
    let found: Vec<Found> = e
        .iter()
        .map(|d| [s(d, "code"), s(d, "cluster"), s(d, "field"), s(d, "value")])
        .collect();
    let some = |x: &str| Some(x.to_string());
    assert_eq!(
        found,
        [
            [
                some("VALUE_OUT_OF_BOUNDS"),
                some("CLUSTER_MESO_1"),
                some("score_std"),
                some("-1.0")
            ],
            [
                some("SCORE_OUT_OF_BOUNDS"),
                some("CLUSTER_MESO_2"),
                some("score"),
                some("3.5")
            ],
        ]
    );
    assert_eq!(list(&out[2], "warnings").len(), 1);

    // Strict: the warning fails the gate; the line has the error and the warning, exit 3.
    let o = phase7(&["batch", "--jsonl", input.to_str().unwrap(), "--strict"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    let second = json::parse(text(&o.stdout).lines().nth(1).unwrap().as_bytes())
        .unwrap()
        .value;
    let e = list(&second, "errors");
    assert_eq!(s(&e[0], "code").as_deref(), Some("GATE_FAILED"));
    assert_eq!(list(&second, "warnings").len(), 1);
}

/// Each plan's folder holds its full diagnostics: a refused plan (rejected, or its checks
/// failed) its refusal record and trail, confirmed by `verify --refusal`; summary.csv
/// counts errors and warnings; the exit code is the worst (3 for a failed plan); a rerun
/// replaces a plan's previous folder whatever its outcome was.
#[test]
fn batch_folders_hold_every_diagnostic_of_a_refused_plan() {
    let dir = temp_dir("batch-refused");
    let plans = dir.join("plans");
    fs::create_dir_all(&plans).unwrap();
    let sample_text = fs::read_to_string(sample()).unwrap();
    let warned = sample_text.replacen("PROV_MESO_2_5c2e7b14", "", 1);
    fs::write(plans.join("a_good.json"), &sample_text).unwrap();
    fs::write(plans.join("b_warned.json"), &warned).unwrap();
    fs::write(
        plans.join("c_rejected.json"),
        warned
            .replacen("\"score\": 1.4712", "\"score\": 3.5", 1)
            .replacen("\"score_std\": 0.061", "\"score_std\": -1", 1),
    )
    .unwrap();
    let out = dir.join("out");
    let o = phase7(&[
        "batch",
        plans.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--strict",
    ]);
    // b_warned fails the gate under --strict (3), c_rejected is rejected (2): 3 wins.
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("plan,score,band,gaps,verified,error_code,errors,warnings,"));
    assert!(
        rows[1].starts_with("a_good,1.6970916666666667,ACEPTABLE,"),
        "{csv}"
    );
    assert!(rows[1].contains(",true,,0,0,"), "{csv}");
    assert!(rows[2].contains(",false,GATE_FAILED,1,1,"), "{csv}");
    assert!(
        rows[3].starts_with("c_rejected,,,,false,VALUE_OUT_OF_BOUNDS,2,1,"),
        "{csv}"
    );
    let listing = |p: &Path| {
        let mut n: Vec<String> = fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        listing(&out.join("a_good")),
        ["audit_trail.json", "certificate.json", "macro_score.json"]
    );
    for plan in ["b_warned", "c_rejected"] {
        assert_eq!(
            listing(&out.join(plan)),
            ["audit_trail.json", "refusal.json"],
            "{plan}"
        );
        let record = fs::read_to_string(out.join(plan).join("refusal.json")).unwrap();
        assert!(record.contains("\"strict\": true"), "{plan}: {record}");
        let v = phase7(&[
            "verify",
            plans.join(format!("{plan}.json")).to_str().unwrap(),
            "--refusal",
            out.join(plan).join("refusal.json").to_str().unwrap(),
        ]);
        assert_eq!(v.status.code(), Some(0), "{plan}: {}", text(&v.stdout));
    }
    let record = fs::read_to_string(out.join("c_rejected/refusal.json")).unwrap();
    for code in [
        "VALUE_OUT_OF_BOUNDS",
        "SCORE_OUT_OF_BOUNDS",
        "MISSING_PROVENANCE",
    ] {
        assert!(record.contains(&format!("\"code\": \"{code}\"")), "{code}");
    }

    // Rerun without --strict: b_warned passes now, and its refused folder is replaced by
    // a certified one; a_good turned rejected gets its refusal folder in place of its
    // certified one.
    fs::write(plans.join("a_good.json"), "[1, 2]").unwrap();
    let o = phase7(&[
        "batch",
        plans.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(
        listing(&out.join("a_good")),
        ["audit_trail.json", "refusal.json"]
    );
    assert_eq!(
        listing(&out.join("b_warned")),
        ["audit_trail.json", "certificate.json", "macro_score.json"]
    );
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.contains("\nb_warned,1.6970916666666667,"), "{csv}");
    assert!(csv.contains(",true,,0,1,"), "{csv}");
}
