//! `phase7 verify --claimed` on the pipeline's own claimed outputs
//! (`tests/fixtures/claims/`, made by its real Phase 7 code under Python 3.11 and 3.12;
//! see that folder's README): exit code by cause, the cause named per field in the text
//! and the JSON report, every band/gap/severity flip on its own line, the ambiguity note.
//! Native build: the `pow()` hypothesis is recomputed through this platform's `pow()`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use phase7_core::read::json::{self, Json};

const BIN: &str = env!("CARGO_BIN_EXE_phase7");

fn claims(set: &str) -> Vec<Json> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/claims")
        .join(set);
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| json::parse(l.as_bytes()).unwrap().value)
        .collect()
}

fn string(v: Option<&Json>) -> Option<&str> {
    match v {
        Some(Json::String(s)) => Some(s.as_str()),
        _ => None,
    }
}

/// One case through the binary: its text report and its JSON report.
struct Checked {
    plan: String,
    code: Option<i32>,
    text: String,
    report: Json,
}

fn check(case: &Json, dir: &Path) -> Checked {
    let plan = string(case.get("plan")).unwrap().to_string();
    let p6 = dir.join(format!("{plan}.p06.json"));
    let p7 = dir.join(format!("{plan}.p07.json"));
    fs::write(&p6, case.get("phase6").unwrap().to_string()).unwrap();
    fs::write(&p7, case.get("claimed").unwrap().to_string()).unwrap();
    let run = |extra: &[&str]| -> Output {
        Command::new(BIN)
            .arg("verify")
            .arg(&p6)
            .arg("--claimed")
            .arg(&p7)
            .args(extra)
            .output()
            .unwrap()
    };
    let t = run(&[]);
    let j = run(&["--format", "json"]);
    assert_eq!(t.status.code(), j.status.code(), "{plan}");
    Checked {
        plan,
        code: t.status.code(),
        text: String::from_utf8_lossy(&t.stdout).into_owned(),
        report: json::parse(&j.stdout).unwrap().value,
    }
}

fn temp(tag: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("claims-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn array(v: Option<&Json>) -> &[Json] {
    match v {
        Some(Json::Array(a)) => a,
        _ => &[],
    }
}

/// The fields of the JSON report that carry a cause: (path, cause, evidence).
fn differing(report: &Json) -> Vec<(String, String, Option<String>)> {
    array(report.get("fields"))
        .iter()
        .filter_map(|f| {
            let cause = string(f.get("cause"))?;
            Some((
                string(f.get("path")).unwrap().to_string(),
                cause.to_string(),
                string(f.get("evidence")).map(str::to_string),
            ))
        })
        .collect()
}

/// The text block of one field: its `STATUS  path` line and the indented lines below.
fn block<'a>(text: &'a str, status: &str, path: &str) -> Option<Vec<&'a str>> {
    let head = format!("{status}  {path}");
    let mut lines = text.lines().skip_while(|l| *l != head);
    let first = lines.next()?;
    let mut out = vec![first];
    out.extend(lines.take_while(|l| l.starts_with("        ")));
    Some(out)
}

/// Each flip of the JSON report is a line of the text: `because [CAUSE]`.
fn flips_on_their_own_lines(c: &Checked) -> Vec<(String, String)> {
    array(c.report.get("flips"))
        .iter()
        .map(|f| {
            let because = string(f.get("because")).unwrap();
            let cause = string(f.get("cause")).unwrap();
            let line = format!("{because} [{cause}]");
            assert!(
                c.text.lines().any(|l| l == line),
                "{}: no line {line:?}\n{}",
                c.plan,
                c.text
            );
            (
                string(f.get("kind")).unwrap().to_string(),
                because.to_string(),
            )
        })
        .collect()
}

#[test]
fn python_311_claims_exit_4_with_the_old_sum_named_on_every_field() {
    let dir = temp("py311");
    let mut band_flips = 0;
    for case in claims("py311.jsonl") {
        let c = check(&case, &dir);
        assert_eq!(c.code, Some(4), "{}: {}", c.plan, c.text);
        let first = c.text.lines().next().unwrap();
        assert!(
            first.starts_with("phase7 verify --claimed: NOT CONSISTENT: ")
                && first.ends_with(
                    "difference(s) not explained by the math library (PY_SUM_BEFORE_3_12)"
                ),
            "{}: {first}",
            c.plan
        );
        assert!(c
            .text
            .contains("\ncause PY_SUM_BEFORE_3_12: Python < 3.12's sum()"));
        assert!(c.text.contains(
            "\nhypothesis: Python < 3.12's plain sum(); 0 field(s) it does not reproduce\n"
        ));
        let fields = differing(&c.report);
        assert!(!fields.is_empty());
        for (path, cause, evidence) in &fields {
            assert_eq!(cause, "PY_SUM_BEFORE_3_12", "{}: {path}", c.plan);
            assert_eq!(
                evidence.as_deref(),
                Some("REPRODUCED"),
                "{}: {path}",
                c.plan
            );
            let b = block(&c.text, "DIFFERENT", path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!(
                b[1], "        cause:   PY_SUM_BEFORE_3_12 (reproduced)",
                "{b:?}"
            );
        }
        for (kind, because) in flips_on_their_own_lines(&c) {
            assert_eq!(kind, "BAND", "{}", c.plan);
            assert!(
                because.starts_with(
                    "the band differs because Python < 3.12's plain sum() gives score_normalized "
                ),
                "{because}"
            );
            band_flips += 1;
        }
    }
    assert_eq!(band_flips, 6, "the set holds six band flips");
}

#[test]
fn python_312_libm_pow_claims_exit_0_with_libm_pow_reproduced() {
    let dir = temp("py312");
    let mut ambiguous = 0;
    for case in claims("py312_libm_pow.jsonl") {
        let c = check(&case, &dir);
        assert_eq!(c.code, Some(0), "{}: {}", c.plan, c.text);
        assert!(
            c.text.starts_with(
                "phase7 verify --claimed: CONSISTENT: every difference is explained by the \
                 pipeline's math library (LIBM_POW)\n"
            ),
            "{}: {}",
            c.plan,
            c.text
        );
        assert!(c.text.contains(
            "\nhypothesis: the published sum() (Python >= 3.12), with w ** 2, s ** 2 and var ** 0.5 \
             through this platform's pow() (reproduced bit for bit); 0 field(s) it does not \
             reproduce\n"
        ));
        let fields = differing(&c.report);
        assert!(
            fields.iter().any(|(p, _, _)| p == "score_std"),
            "{}",
            c.plan
        );
        for (path, cause, evidence) in &fields {
            assert_eq!(
                (cause.as_str(), evidence.as_deref()),
                ("LIBM_POW", Some("REPRODUCED")),
                "{}: {path}",
                c.plan
            );
            let b = block(&c.text, "EXPLAINED", path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!(b[1], "        cause:   LIBM_POW (reproduced)");
        }
        assert!(array(c.report.get("flips")).is_empty());
        let marked = c
            .report
            .get("hypothesis")
            .and_then(|h| h.get("also_py_sum_before_3_12"))
            == Some(&Json::Bool(true));
        assert_eq!(
            marked,
            c.text
                .contains("\nambiguous: Python < 3.12's plain sum() alone also gives these bits"),
            "{}",
            c.plan
        );
        ambiguous += usize::from(marked);
    }
    assert_eq!(ambiguous, 4);
}

#[test]
fn python_311_libm_pow_claims_exit_4_with_every_cause_reproduced() {
    let dir = temp("py311pow");
    for case in claims("py311_libm_pow.jsonl") {
        let c = check(&case, &dir);
        assert_eq!(c.code, Some(4), "{}: {}", c.plan, c.text);
        let fields = differing(&c.report);
        assert!(fields
            .iter()
            .all(|(_, cause, evidence)| cause != "UNEXPLAINED"
                && evidence.as_deref() == Some("REPRODUCED")));
        assert!(fields
            .iter()
            .any(|(_, cause, _)| cause.contains("LIBM_POW")));
        for (path, cause, _) in &fields {
            let status = if cause == "LIBM_POW" {
                "EXPLAINED"
            } else {
                "DIFFERENT"
            };
            let b = block(&c.text, status, path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!(b[1], format!("        cause:   {cause} (reproduced)"));
        }
    }
}

#[test]
fn edited_claims_exit_4_naming_the_edited_field() {
    let dir = temp("edited");
    let mut flips = 0;
    for case in claims("edited.jsonl") {
        let edited = string(case.get("edited")).unwrap().to_string();
        let c = check(&case, &dir);
        assert_eq!(c.code, Some(4), "{}: {}", c.plan, c.text);
        let named: Vec<String> = differing(&c.report)
            .into_iter()
            .filter(|(_, cause, _)| cause == "UNEXPLAINED")
            .map(|(p, _, _)| p)
            .collect();
        let path = named
            .iter()
            .find(|p| p.starts_with(&edited))
            .unwrap_or_else(|| panic!("{}: {edited} not in {named:?}", c.plan));
        let b = block(&c.text, "DIFFERENT", path).unwrap_or_else(|| panic!("{path}\n{}", c.text));
        assert_eq!(b[1], "        cause:   UNEXPLAINED", "{}", c.plan);
        assert!(
            c.text.lines().next().unwrap().ends_with("UNEXPLAINED)"),
            "{}",
            c.text
        );
        let kinds: Vec<(String, String)> = flips_on_their_own_lines(&c);
        let expected = match edited.as_str() {
            "quality_level" => Some(("BAND", "the band differs because of an unexplained")),
            "systemic_gaps" => Some(("GAPS", "the systemic gaps differ because of an unexplained")),
            p if p.starts_with("gap_severity") => Some(("SEVERITY", "the severity of ")),
            _ => None,
        };
        if let Some((kind, start)) = expected {
            assert!(
                kinds.iter().any(|(k, b)| k == kind && b.starts_with(start)),
                "{}: {kinds:?}",
                c.plan
            );
            flips += 1;
        }
    }
    assert_eq!(
        flips, 6,
        "band, gap and severity edits on each of the two kinds"
    );
}
