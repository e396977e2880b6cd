//! Issue 5 from the outside: signals, metrics, checkpoints with resume (including the
//! PHASE7_FAIL_AFTER_STAGE hook for every stage), corrupted and foreign checkpoints,
//! the time budget, and batches over files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use phase7_core::read::json::{self, Json};

const BIN: &str = env!("CARGO_BIN_EXE_phase7");
const STAGES: [&str; 8] = [
    "STAGE_INPUT_VALIDATION",
    "STAGE_WEIGHTED_SCORE",
    "STAGE_QUALITY_CLASSIFICATION",
    "STAGE_COHERENCE_ANALYSIS",
    "STAGE_GAP_DETECTION",
    "STAGE_ALIGNMENT_SCORING",
    "STAGE_UNCERTAINTY_PROPAGATION",
    "STAGE_AGGREGATION_FINAL",
];
const OUTPUTS: [&str; 3] = ["macro_score.json", "certificate.json", "audit_trail.json"];

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/p06_sample.json")
}

fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "observe-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of the sample with `from` replaced by `to`, written as `dir/name`.
fn edited_sample(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = fs::read_to_string(sample()).unwrap();
    assert!(text.contains(from), "{from}");
    let path = dir.join(name);
    fs::write(&path, text.replace(from, to)).unwrap();
    path
}

fn phase7(args: &[&str], fail_after: Option<&str>) -> Output {
    let mut c = Command::new(BIN);
    c.args(args).env_remove("PHASE7_FAIL_AFTER_STAGE");
    if let Some(stage) = fail_after {
        c.env("PHASE7_FAIL_AFTER_STAGE", stage);
    }
    c.output().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn signals(path: &Path) -> Vec<Json> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| json::parse(l.as_bytes()).unwrap().value)
        .collect()
}

fn field<'a>(v: &'a Json, path: &[&str]) -> Option<&'a Json> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn string(v: Option<&Json>) -> String {
    match v {
        Some(Json::String(s)) => s.clone(),
        other => format!("{other:?}"),
    }
}

const ISSUED: &str = "2026-11-26T12:00:00Z";

/// The input digest of the sample.
fn sample_digest() -> String {
    let bytes = fs::read(sample()).unwrap();
    phase7_core::phase::run(&bytes, &Default::default())
        .unwrap()
        .digests
        .input
}

/// The checkpoint file of the sample after stage `n`.
fn checkpoint(n: usize, stage: &str) -> String {
    format!("checkpoint-{}-{n:02}-{stage}.json", sample_digest())
}

fn uninterrupted() -> PathBuf {
    let out = temp_dir("whole");
    let o = phase7(
        &["run", s(&sample()), "--out", s(&out), "--issued-at", ISSUED],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    out
}

#[test]
fn signals_start_complete_eight_stages_in_order_and_end() {
    let dir = temp_dir("signals");
    let sig = dir.join("signals.jsonl");
    let o = phase7(
        &["run", s(&sample()), "--out", s(&dir), "--signals", s(&sig)],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let all = signals(&sig);
    let types: Vec<String> = all.iter().map(|x| string(x.get("signal_type"))).collect();
    assert_eq!(types.first().map(String::as_str), Some("PHASE_STARTED"));
    assert_eq!(types.last().map(String::as_str), Some("PHASE_COMPLETED"));
    let stages: Vec<String> = all
        .iter()
        .filter(|x| string(x.get("signal_type")) == "STAGE_COMPLETED")
        .map(|x| string(field(x, &["payload", "stage"])))
        .collect();
    assert_eq!(stages, STAGES);
    assert!(types.contains(&"INVARIANT_VALIDATED".to_string()));
    assert!(types.contains(&"GATE_PASSED".to_string()));
    for x in &all {
        assert_eq!(string(field(x, &["scope", "phase"])), "phase_7");
        assert_eq!(string(field(x, &["payload", "phase_id"])), "P07");
    }
}

#[test]
fn rejected_input_ends_with_phase_failed_carrying_the_code() {
    let dir = temp_dir("signals-bad");
    let bad = edited_sample(&dir, "bad.json", "1.4712", "NaN");
    let sig = dir.join("signals.jsonl");
    let o = phase7(
        &[
            "run",
            s(&bad),
            "--out",
            s(&dir.join("out")),
            "--signals",
            s(&sig),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let all = signals(&sig);
    let last = all.last().unwrap();
    assert_eq!(string(last.get("signal_type")), "PHASE_FAILED");
    assert_eq!(
        string(field(last, &["payload", "error_code"])),
        "NON_FINITE"
    );
}

#[test]
fn metrics_have_eight_stages_and_never_enter_the_outputs() {
    let dir = temp_dir("metrics");
    let m = dir.join("metrics.json");
    let o = phase7(
        &[
            "run",
            s(&sample()),
            "--out",
            s(&dir),
            "--metrics",
            s(&m),
            "--issued-at",
            ISSUED,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let metrics = json::parse(&fs::read(&m).unwrap()).unwrap().value;
    assert_eq!(string(metrics.get("outcome")), "completed");
    let Some(Json::Array(stages)) = metrics.get("stages") else {
        panic!()
    };
    assert_eq!(stages.len(), 8);
    // Timings differ run to run; the outputs must not.
    let whole = uninterrupted();
    for f in OUTPUTS {
        assert_eq!(
            fs::read(dir.join(f)).unwrap(),
            fs::read(whole.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn fail_after_each_stage_then_resume_gives_byte_identical_outputs() {
    let whole = uninterrupted();
    for stage in STAGES {
        let dir = temp_dir("resume");
        let (cps, out) = (dir.join("cp"), dir.join("out"));
        let input = sample();
        let args = [
            "run",
            s(&input),
            "--out",
            s(&out),
            "--checkpoint-dir",
            s(&cps),
            "--issued-at",
            ISSUED,
        ];
        let o = phase7(&args, Some(stage));
        assert_eq!(o.status.code(), Some(75), "{stage}: {}", text(&o.stderr));
        assert!(!out.exists(), "{stage}: outputs written before the end");
        let n = STAGES.iter().position(|x| *x == stage).unwrap() + 1;
        assert!(cps.join(checkpoint(n, stage)).exists(), "{stage}");

        let mut resume = args.to_vec();
        resume.push("--resume");
        let sig = dir.join("signals.jsonl");
        resume.extend(["--signals", s(&sig)]);
        let o = phase7(&resume, None);
        assert_eq!(o.status.code(), Some(0), "{stage}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains(&format!("resuming after {stage}")),
            "{stage}"
        );
        for f in OUTPUTS {
            assert_eq!(
                fs::read(out.join(f)).unwrap(),
                fs::read(whole.join(f)).unwrap(),
                "{stage}: {f}"
            );
        }
        assert_eq!(
            fs::read_dir(&cps).unwrap().count(),
            0,
            "{stage}: checkpoints left after success"
        );
        let completed = signals(&sig)
            .iter()
            .filter(|x| string(x.get("signal_type")) == "STAGE_COMPLETED")
            .count();
        assert_eq!(completed, 8, "{stage}");
    }
}

#[test]
fn corrupted_and_foreign_checkpoints_are_reported_and_skipped() {
    let whole = uninterrupted();
    let dir = temp_dir("corrupt");
    let (cps, out) = (dir.join("cp"), dir.join("out"));
    let input = sample();
    let args = [
        "run",
        s(&input),
        "--out",
        s(&out),
        "--checkpoint-dir",
        s(&cps),
        "--issued-at",
        ISSUED,
    ];
    assert_eq!(
        phase7(&args, Some("STAGE_GAP_DETECTION")).status.code(),
        Some(75)
    );
    // Corrupt the last checkpoint: change one digit of a stored result.
    let last = cps.join(checkpoint(5, "STAGE_GAP_DETECTION"));
    let t = fs::read_to_string(&last).unwrap();
    let i = t.find("\"raw\": ").unwrap() + 8;
    let mut bytes = t.into_bytes();
    bytes[i] = if bytes[i] == b'1' { b'2' } else { b'1' };
    fs::write(&last, bytes).unwrap();
    // And put another input's checkpoint under one of this input's names.
    let other = edited_sample(&dir, "other.json", "0.9805", "0.9806");
    let foreign_cps = dir.join("foreign");
    let o = phase7(
        &[
            "run",
            s(&other),
            "--out",
            s(&dir.join("o2")),
            "--checkpoint-dir",
            s(&foreign_cps),
        ],
        Some("STAGE_WEIGHTED_SCORE"),
    );
    assert_eq!(o.status.code(), Some(75));
    let foreign: Vec<PathBuf> = fs::read_dir(&foreign_cps)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| s(p).ends_with("-02-STAGE_WEIGHTED_SCORE.json"))
        .collect();
    assert_eq!(foreign.len(), 1);
    let planted = checkpoint(6, "STAGE_ALIGNMENT_SCORING");
    fs::copy(&foreign[0], cps.join(&planted)).unwrap();

    let mut resume = args.to_vec();
    resume.push("--resume");
    let o = phase7(&resume, None);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "warning[CHECKPOINT_CORRUPTED]: {}",
            checkpoint(5, "STAGE_GAP_DETECTION")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("warning[CHECKPOINT_FOREIGN]: {planted}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("resuming after STAGE_COHERENCE_ANALYSIS"),
        "{stderr}"
    );
    for f in OUTPUTS {
        assert_eq!(
            fs::read(out.join(f)).unwrap(),
            fs::read(whole.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn time_budget_exceeded_is_resource_exhausted() {
    let dir = temp_dir("budget");
    let o = phase7(
        &[
            "run",
            s(&sample()),
            "--out",
            s(&dir),
            "--time-budget",
            "0.0000001",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains("error[RESOURCE_EXHAUSTED]: wall time: limit "),
        "{stderr}"
    );
    assert!(stderr.contains(" ms, observed "), "{stderr}");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn batch_over_files_writes_folders_and_a_summary() {
    let dir = temp_dir("batch-files");
    let plans = dir.join("plans");
    fs::create_dir_all(&plans).unwrap();
    fs::copy(sample(), plans.join("municipio_a.json")).unwrap();
    fs::write(plans.join("municipio_b.json"), "[1, 2]").unwrap();
    let out = dir.join("out");
    let o = phase7(
        &["batch", s(&plans), "--out", s(&out), "--issued-at", ISSUED],
        None,
    );
    // municipio_b is rejected: exit 2 (input rejected), after writing every row.
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "plan,score,band,gaps,verified,error_code,errors,warnings,nearest_threshold,margin,\
         margin_ulps,p_band,p_excelente,p_bueno,p_aceptable,p_insuficiente,file"
    );
    assert_eq!(
        lines[1],
        format!(
            "municipio_a,1.6970916666666667,ACEPTABLE,PA05:MODERATE PA07:CRITICAL,true,,0,0,\
             0.55,0.04709166666666642,141388008301503,0.8268790985505803,\
             1.4868049093151386e-65,3.853262612155098e-16,0.8268790985505803,\
             0.17312090144941936,{}",
            s(&plans.join("municipio_a.json"))
        )
    );
    assert_eq!(
        lines[2],
        format!(
            "municipio_b,,,,false,INVALID_CLUSTER_COUNT,4,0,,,,,,,,,{}",
            s(&plans.join("municipio_b.json"))
        )
    );
    // The rejected plan's folder holds its full diagnostics: the refusal record and the
    // input rules that ran; no MacroScore, no certificate.
    let mut held: Vec<String> = fs::read_dir(out.join("municipio_b"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    held.sort();
    assert_eq!(held, ["audit_trail.json", "refusal.json"]);
    let whole = uninterrupted();
    for f in OUTPUTS {
        assert_eq!(
            fs::read(out.join("municipio_a").join(f)).unwrap(),
            fs::read(whole.join(f)).unwrap(),
            "{f}"
        );
    }
    assert!(text(&o.stderr).contains("peak RSS"));
    assert!(text(&o.stdout).contains("verified  1"));
}

#[test]
fn batch_over_more_files_than_allowed_is_resource_exhausted() {
    let dir = temp_dir("batch-limit");
    let plans = dir.join("plans");
    fs::create_dir_all(&plans).unwrap();
    for name in ["a.json", "b.json"] {
        fs::copy(sample(), plans.join(name)).unwrap();
    }
    let out = dir.join("out");
    let o = phase7(
        &["batch", s(&plans), "--out", s(&out), "--max-lines", "1"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = text(&o.stderr);
    assert!(
        stderr.starts_with("error[RESOURCE_EXHAUSTED]: batch plans: limit 1, observed more than 1"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written past the limit");
}
