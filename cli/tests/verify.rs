//! `phase7 verify` driven as a user drives it: exit codes 0 / 4 / 2 / 1, stdout reports,
//! stderr `error[CODE]` lines.
//!
//! The certificates under test are issued with the core library (the same
//! `certificate::artifacts` that `phase7 run` calls), so these tests need only
//! `phase7 verify`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use phase7_core::attest::Artifacts;
use phase7_core::phase::{self, RunOptions};
use phase7_core::read::json::{self, Json};
use phase7_core::stages::aggregate;

const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/p06_sample.json");

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_phase7"))
}

struct Files {
    temp: tempfile::TempDir,
}

impl Files {
    /// The sample, its certificate, audit trail and MacroScore, issued by the library.
    fn sample(tag: &str) -> Files {
        let temp = tempfile::Builder::new()
            .prefix(&format!("verify-{tag}-"))
            .tempdir()
            .unwrap();
        let dir = temp.path();
        let run = phase::run(
            SAMPLE,
            &RunOptions {
                evaluated_at: Some("2026-01-01T00:00:00Z".into()),
                ..RunOptions::default()
            },
        )
        .unwrap();
        let (c, a) = Artifacts::issue(&run, Some("2026-01-01T00:00:05Z"))
            .map(|a| (a.certificate_json.unwrap_or_default(), a.audit_trail_json))
            .unwrap();
        fs::write(dir.join("p06_output.json"), SAMPLE).unwrap();
        fs::write(dir.join("certificate.json"), c).unwrap();
        fs::write(dir.join("audit_trail.json"), a).unwrap();
        fs::write(
            dir.join("macro_score.json"),
            run.macro_score.to_json_pretty().unwrap(),
        )
        .unwrap();
        Files { temp }
    }

    fn dir(&self) -> &Path {
        self.temp.path()
    }

    fn path(&self, name: &str) -> String {
        self.dir().join(name).to_string_lossy().into_owned()
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.dir().join(name)).unwrap()
    }

    fn write(&self, name: &str, text: &str) {
        fs::write(self.dir().join(name), text).unwrap();
    }

    fn verify(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "verify".to_string(),
            self.path("p06_output.json"),
            "--certificate".into(),
            self.path("certificate.json"),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        Command::new(binary()).args(&args).output().unwrap()
    }

    fn verify_all(&self) -> Output {
        self.verify(&[
            "--macro-score",
            &self.path("macro_score.json"),
            "--audit-trail",
            &self.path("audit_trail.json"),
        ])
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn code(o: &Output) -> Option<i32> {
    o.status.code()
}

#[test]
fn genuine_files_verify_with_exit_0_and_say_what_a_pass_vouches_for() {
    let f = Files::sample("genuine");
    let o = f.verify_all();
    let out = text(&o.stdout);
    assert_eq!(code(&o), Some(0), "{out}{}", text(&o.stderr));
    assert!(out.starts_with("phase7 verify: VERIFIED"), "{out}");
    assert!(out.contains("PASS  output digest (MacroScore)  [certificate.digests.output]"));
    assert!(out.contains("PASS  audit trail hash chain intact"));
    assert!(out.contains("This pass vouches for:"));
    assert!(out.contains("It does not vouch for:") && out.contains("no signatures"));
    assert!(!out.contains("FAIL"));
}

#[test]
fn json_format_is_the_same_report() {
    let f = Files::sample("json");
    let o = f.verify(&["--format", "json"]);
    assert_eq!(code(&o), Some(0), "{}", text(&o.stderr));
    let v = json::parse(&o.stdout).unwrap().value;
    assert_eq!(v.get("verified"), Some(&Json::Bool(true)));
    assert_eq!(
        v.get("outcome").and_then(|o| o.get("kind")),
        Some(&Json::String("VERIFIED".into()))
    );
    let Some(Json::Array(checks)) = v.get("checks") else {
        panic!("checks")
    };
    assert!(checks.len() > 20);
    for c in checks {
        for k in ["name", "passed", "path", "expected", "actual", "note"] {
            assert!(c.get(k).is_some(), "{k} in {c}");
        }
    }
}

#[test]
fn a_changed_digest_in_the_certificate_exits_4_naming_it() {
    let f = Files::sample("digest");
    let cert = f.read("certificate.json");
    let run = phase::run(SAMPLE, &RunOptions::default()).unwrap();
    let mut flipped = run.digests.config.clone();
    flipped.replace_range(0..1, if flipped.starts_with('0') { "1" } else { "0" });
    f.write(
        "certificate.json",
        &cert.replacen(&run.digests.config, &flipped, 1),
    );
    let o = f.verify(&[]);
    let out = text(&o.stdout);
    assert_eq!(code(&o), Some(4), "{out}");
    assert!(out.starts_with("phase7 verify: NOT VERIFIED"), "{out}");
    assert!(
        out.contains("FAIL  configuration digest  [certificate.digests.config]"),
        "{out}"
    );
    assert!(out.contains(&format!("expected: \"{}\"", run.digests.config)));
    assert!(out.contains(&format!("actual:   \"{flipped}\"")));
}

#[test]
fn a_changed_input_number_exits_4_naming_the_cluster() {
    let f = Files::sample("input");
    let p06 = text(SAMPLE).replacen(
        "\"coherence\": 0.7421",
        "\"coherence\": 0.7421000000000001",
        1,
    );
    assert_ne!(p06.as_bytes(), SAMPLE);
    f.write("p06_output.json", &p06);
    let o = f.verify(&[]);
    let out = text(&o.stdout);
    assert_eq!(code(&o), Some(4), "{out}");
    assert!(
        out.contains("[certificate.phase6_to_phase7.clusters[1].coherence]"),
        "{out}"
    );
    assert!(out.contains("1 ulp apart"), "{out}");
}

#[test]
fn a_changed_macro_score_field_exits_4_naming_it() {
    let f = Files::sample("macro");
    let m = f.read("macro_score.json");
    let changed = m.replacen("\"PA07\": \"CRITICAL\"", "\"PA07\": \"SEVERE\"", 1);
    assert_ne!(changed, m);
    f.write("macro_score.json", &changed);
    let o = f.verify_all();
    let out = text(&o.stdout);
    assert_eq!(code(&o), Some(4), "{out}");
    assert!(out.contains("[macro_score.gap_severity.PA07]"), "{out}");
    assert!(out.contains("FAIL  macro_score.json is the output the certificate names"));
}

#[test]
fn a_changed_audit_entry_exits_4_naming_it() {
    let f = Files::sample("audit");
    let a = f.read("audit_trail.json");
    let changed = a.replacen("\"passed\": true", "\"passed\": false", 1);
    f.write("audit_trail.json", &changed);
    let o = f.verify_all();
    let out = text(&o.stdout);
    assert_eq!(code(&o), Some(4), "{out}");
    assert!(out.contains("[audit_trail.entries[0].passed]"), "{out}");
    assert!(out.contains("[audit_trail.entries[0].hash]"), "{out}");
}

#[test]
fn an_unparseable_certificate_exits_4_with_a_report() {
    let f = Files::sample("garbled");
    let cert = f.read("certificate.json");
    f.write("certificate.json", &cert[..cert.len() / 2]);
    let o = f.verify(&[]);
    let out = text(&o.stdout);
    assert_eq!(code(&o), Some(4), "{out}");
    assert!(
        out.contains("FAIL  certificate parses as JSON  [certificate]"),
        "{out}"
    );
}

#[test]
fn a_rejected_input_exits_2_with_coded_errors() {
    let f = Files::sample("rejected");
    f.write(
        "p06_output.json",
        &text(SAMPLE).replacen("\"score\": 2.1266666666666665", "\"score\": 3.5", 1),
    );
    let o = f.verify(&[]);
    assert_eq!(code(&o), Some(2), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(err.contains("error[SCORE_OUT_OF_BOUNDS]:"), "{err}");
    assert!(text(&o.stdout).contains("INPUT REJECTED"));
}

#[test]
fn usage_and_io_errors_exit_1() {
    let f = Files::sample("usage");
    let o = Command::new(binary()).args(["verify"]).output().unwrap();
    assert_eq!(code(&o), Some(1));
    let o = Command::new(binary())
        .args(["verify", &f.path("p06_output.json")])
        .output()
        .unwrap();
    assert_eq!(code(&o), Some(1));
    let o = f.verify(&["--format", "yaml"]);
    assert_eq!(code(&o), Some(1));
    let o = Command::new(binary())
        .args([
            "verify",
            &f.path("p06_output.json"),
            "--certificate",
            &f.path("missing.json"),
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), Some(1));
    assert!(text(&o.stderr).contains("missing.json"));
}

/// Our MacroScore as the pipeline writes it: random-looking ids and a timestamp.
fn pipeline_claim() -> (phase::Run, Json) {
    let run = phase::run(SAMPLE, &RunOptions::default()).unwrap();
    let mut v = json::parse(run.macro_score.to_json_pretty().unwrap().as_bytes())
        .unwrap()
        .value;
    set(
        &mut v,
        "evaluation_id",
        Json::String("MACRO_3f9e2a7c1b44".into()),
    );
    set(
        &mut v,
        "provenance_node_id",
        Json::String("9b1d4e6a-0c3f-4a8e-b2d7-5e1f9c0a3b6d".into()),
    );
    set(
        &mut v,
        "evaluation_timestamp",
        Json::String("2026-03-14T09:26:53.589793".into()),
    );
    (run, v)
}

fn set(v: &mut Json, key: &str, new: Json) {
    if let Json::Object(fields) = v {
        for (k, val) in fields.iter_mut() {
            if k == key {
                *val = new.clone();
            }
        }
    }
}

fn verify_claimed(f: &Files, claim: &Json, extra: &[&str]) -> Output {
    f.write("p07_output.json", &claim.to_string());
    let mut args = vec![
        "verify".to_string(),
        f.path("p06_output.json"),
        "--claimed".into(),
        f.path("p07_output.json"),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Command::new(binary()).args(&args).output().unwrap()
}

#[test]
fn claimed_identical_exits_0() {
    let f = Files::sample("claim-same");
    let (_, claim) = pipeline_claim();
    let o = verify_claimed(&f, &claim, &[]);
    let out = text(&o.stdout);
    assert_eq!(code(&o), Some(0), "{out}");
    assert!(
        out.contains("CONSISTENT: every compared field is bit-identical"),
        "{out}"
    );
    assert!(out.contains("NOT COMPARED  evaluation_id"), "{out}");
}

#[test]
fn claimed_one_ulp_score_std_with_consistent_bounds_exits_0_explained() {
    let f = Files::sample("claim-ulp");
    let (run, mut claim) = pipeline_claim();
    let std = f64::from_bits(run.macro_score.score_std.to_bits() + 1);
    let center = aggregate::weighted_score(&run.input, &run.config).raw;
    let ci = aggregate::interval(center, std, &run.config);
    set(&mut claim, "score_std", Json::Number(std));
    set(
        &mut claim,
        "confidence_interval_95",
        Json::Array(vec![Json::Number(ci[0]), Json::Number(ci[1])]),
    );
    let o = verify_claimed(&f, &claim, &[]);
    let out = text(&o.stdout);
    assert_eq!(code(&o), Some(0), "{out}");
    assert!(out.contains("EXPLAINED  score_std"), "{out}");
    assert!(out.contains("pipeline's math library"), "{out}");

    let o = verify_claimed(&f, &claim, &["--format", "json"]);
    let v = json::parse(&o.stdout).unwrap().value;
    assert_eq!(v.get("ok"), Some(&Json::Bool(true)));
}

#[test]
fn claimed_changed_field_exits_4_naming_it() {
    let f = Files::sample("claim-diff");
    let (run, mut claim) = pipeline_claim();
    let bumped = f64::from_bits(run.macro_score.strategic_alignment.to_bits() + 1);
    set(&mut claim, "strategic_alignment", Json::Number(bumped));
    let o = verify_claimed(&f, &claim, &[]);
    let out = text(&o.stdout);
    assert_eq!(code(&o), Some(4), "{out}");
    assert!(out.contains("DIFFERENT  strategic_alignment"), "{out}");
    assert!(out.contains("ulps:    1"), "{out}");
}

#[test]
fn claimed_with_a_rejected_input_exits_2() {
    let f = Files::sample("claim-rejected");
    f.write("p06_output.json", "[]");
    let (_, claim) = pipeline_claim();
    let o = verify_claimed(&f, &claim, &[]);
    assert_eq!(code(&o), Some(2));
    assert!(text(&o.stderr).contains("error[INVALID_CLUSTER_COUNT]"));
}

/// End to end with `phase7 run` once it writes the certificate and the trail.
#[test]
fn files_written_by_phase7_run_verify() {
    let f = Files::sample("run");
    let out = f.dir().join("out");
    let o = Command::new(binary())
        .args([
            "run",
            &f.path("p06_output.json"),
            "--out",
            &out.to_string_lossy(),
            "--issued-at",
            "2026-01-01T00:00:00Z",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), Some(0), "{}", text(&o.stderr));
    let cert = out.join("certificate.json");
    assert!(cert.exists(), "phase7 run must write certificate.json");
    let o = Command::new(binary())
        .args([
            "verify",
            &f.path("p06_output.json"),
            "--certificate",
            &cert.to_string_lossy(),
            "--macro-score",
            &out.join("macro_score.json").to_string_lossy(),
            "--audit-trail",
            &out.join("audit_trail.json").to_string_lossy(),
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), Some(0), "{}", text(&o.stdout));
}

/// `macro_score.json` repeats a cluster's `dispersion_scenario`, so the file `phase7 run`
/// writes for an accepted input of 9 MB is over the 16 MiB limit: `verify` reads it (up
/// to 4 × the input + 16 KiB) because it is the rerun's own file byte for byte, and
/// refuses any other over the limit unread.
#[test]
fn a_macro_score_json_over_the_limit_verifies_when_it_is_the_reruns_own() {
    let sample = std::str::from_utf8(SAMPLE).unwrap();
    let at = sample.find("\"dispersion_scenario\": \"").unwrap() + 24;
    let end = at + sample[at..].find('"').unwrap();
    let input = format!("{}{}{}", &sample[..at], "x".repeat(9 << 20), &sample[end..]);
    let temp = tempfile::Builder::new()
        .prefix("verify-large-")
        .tempdir()
        .unwrap();
    let dir = temp.path();
    let p06 = dir.join("p06_output.json");
    fs::write(&p06, &input).unwrap();
    let out = dir.join("out");
    let o = Command::new(binary())
        .arg("run")
        .arg(&p06)
        .arg("--out")
        .arg(&out)
        .args(["--evaluated-at", "2026-01-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(code(&o), Some(0), "{}", text(&o.stderr));
    let macro_score = out.join("macro_score.json");
    assert!(fs::metadata(&macro_score).unwrap().len() > 16 << 20);
    let verify = |m: &Path| {
        Command::new(binary())
            .arg("verify")
            .arg(&p06)
            .arg("--certificate")
            .arg(out.join("certificate.json"))
            .arg("--macro-score")
            .arg(m)
            .output()
            .unwrap()
    };
    let o = verify(&macro_score);
    assert_eq!(code(&o), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).contains("PASS  macro_score parses as JSON"));
    // As a claim (the pipeline's MacroScore, parsed whatever its bytes) it is read only up
    // to --max-input-bytes, and the refusal says how to read it.
    let claim = |extra: &[&str]| {
        Command::new(binary())
            .arg("verify")
            .arg(&p06)
            .arg("--claimed")
            .arg(&macro_score)
            .args(extra)
            .output()
            .unwrap()
    };
    let o = claim(&[]);
    assert_eq!(code(&o), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(err.contains("FILE_TOO_LARGE"), "{err}");
    assert!(err.contains("raise it to read this one"), "{err}");
    let o = claim(&["--max-input-bytes", "20000000"]);
    assert_eq!(code(&o), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    // One byte changed: not the rerun's file, so not read (not verified, exit 4).
    let mut changed = fs::read(&macro_score).unwrap();
    let i = changed.len() / 2;
    changed[i] = b'y';
    let tampered = dir.join("tampered.json");
    fs::write(&tampered, &changed).unwrap();
    let o = verify(&tampered);
    assert_eq!(code(&o), Some(4), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("not the rerun's macro_score.json byte for byte"));
    // Larger than any run writes for this input: refused before it is read (exit 1).
    let sample_dir = Files::sample("large-other");
    let o = sample_dir.verify(&["--macro-score", tampered.to_str().unwrap()]);
    assert_eq!(code(&o), Some(1), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("FILE_TOO_LARGE"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn certificates_and_audit_trails_over_one_mib_are_refused_unread() {
    // Genuine ones are under 64 KiB whatever the input: padded with whitespace to 1 MiB
    // they verify; one byte more is FILE_TOO_LARGE (exit 1), before the file is read.
    for name in ["certificate.json", "audit_trail.json"] {
        let f = Files::sample("artifact-cap");
        let genuine = f.read(name);
        let pad = |len: usize| format!("{genuine}{}", " ".repeat(len - genuine.len()));
        f.write(name, &pad(1 << 20));
        let o = f.verify_all();
        assert_eq!(code(&o), Some(0), "{name}: {}", text(&o.stdout));
        f.write(name, &pad((1 << 20) + 1));
        let o = f.verify_all();
        assert_eq!(code(&o), Some(1), "{name}: {}", text(&o.stdout));
        let err = text(&o.stderr);
        assert!(err.contains("FILE_TOO_LARGE"), "{err}");
        assert!(
            err.contains("1048577 bytes is over the 1048576-byte limit"),
            "{err}"
        );
    }
}
