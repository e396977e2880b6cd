//! `phase7 sensitivity` driven as a user drives it: the sample's text and JSON reports
//! pinned in golden files (`PHASE7_BLESS=1 cargo test -p phase7-cli --test sensitivity`
//! rewrites them: review the diff), the JSON's parts equal to the core's golden report,
//! reproducible bytes for a seed, coded errors for bad parameters and hostile files, and
//! BAND_MARGIN kept out of strict mode and the certificates.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{fixtures, phase7, sample, text};

const WHAT_IF: &str = "w=0.4,0.1,0.1,0.4";

fn golden(name: &str) -> PathBuf {
    fixtures().join("golden").join(name)
}

fn tmp() -> tempfile::TempDir {
    common::tmp("sensitivity-")
}

/// The sample with every cluster score replaced by `score`.
fn all_scores(dir: &Path, score: f64) -> PathBuf {
    let mut doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(sample()).unwrap()).unwrap();
    let clusters = match doc.as_array_mut() {
        Some(a) => a,
        None => doc["cluster_scores"].as_array_mut().unwrap(),
    };
    for c in clusters.iter_mut() {
        c["score"] = serde_json::json!(score);
    }
    let path = dir.join(format!("all_{score}.json"));
    fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    path
}

/// Compares with a golden file, or rewrites it under `PHASE7_BLESS=1`.
fn pinned(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var_os("PHASE7_BLESS").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap();
    assert!(
        expected == actual,
        "{name} differs (PHASE7_BLESS=1 rewrites it):\n{actual}"
    );
}

fn sample_report(format: &str) -> Output {
    phase7(&[
        OsStr::new("sensitivity"),
        sample().as_os_str(),
        OsStr::new("--what-if"),
        OsStr::new(WHAT_IF),
        OsStr::new("--format"),
        OsStr::new(format),
    ])
}

#[test]
fn the_sample_text_and_json_reports_are_pinned() {
    for (format, name) in [
        ("text", "sample_sensitivity_cli.txt"),
        ("json", "sample_sensitivity_cli.json"),
    ] {
        let o = sample_report(format);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert_eq!(text(&o.stderr), "", "{format}: nothing on stderr");
        pinned(name, &text(&o.stdout));
    }
    let t = text(&sample_report("text").stdout);
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[0].starts_with("phase7 sensitivity: NOT CERTIFIED — analysis only"));
    assert!(lines
        .last()
        .unwrap()
        .starts_with("NOT CERTIFIED — analysis only"));
    for part in [
        "band           ACEPTABLE (score_normalized 0.5656972222222222)",
        "band margin    +0.04709166666666642 on the score scale, +141388008301503 ulps: \
         at or above the ACEPTABLE threshold 0.55",
        "  ACEPTABLE     0.8269   (the run's band)",
        "    ACEPTABLE        7759  0.7759",
        "97.5 % 1.8134",
        "  CLUSTER_MESO_3  dropped         0.0   1.9360  ACEPTABLE      +0.2389",
        "what-if w=0.4,0.1,0.1,0.4: not the published configuration — not certifiable",
        "digest         eaa75dbe13e31fa866c3b5c410e1e65a6eb15a79531880786c00f9a5cdab0327",
    ] {
        assert!(t.contains(part), "missing {part:?} in\n{t}");
    }
    assert!(
        !t.contains("BAND_MARGIN"),
        "the sample is far from its threshold"
    );
}

/// The CLI prints the core's structures: its analysis, Monte Carlo and what-if are the
/// core's golden report (written by core/tests/sensitivity.rs) value for value.
#[test]
fn the_json_report_holds_the_cores_golden_parts() {
    let o = sample_report("json");
    let cli: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let core: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(golden("sample_sensitivity.json")).unwrap())
            .unwrap();
    for part in ["analysis", "monte_carlo", "what_if"] {
        assert_eq!(cli[part], core[part], "{part}");
    }
    assert_eq!(cli["kind"], "phase7/sensitivity/report");
    assert_eq!(cli["certified"], false);
    assert!(cli["note"].as_str().unwrap().contains("not certified"));
    assert_eq!(
        cli["input_digest"],
        "cb523823f8e14efc3937a98a784721c7023d448128329a197a116decfd99d80c"
    );
    // The top-level keys in their order (two-space indent in the pretty text).
    let printed = text(&o.stdout);
    let keys: Vec<&str> = printed
        .lines()
        .filter_map(|l| l.strip_prefix("  \""))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert_eq!(
        keys,
        [
            "kind",
            "certified",
            "note",
            "input_digest",
            "analysis",
            "monte_carlo",
            "what_if"
        ]
    );
    // Without --what-if: null.
    let o = phase7(&[
        OsStr::new("sensitivity"),
        sample().as_os_str(),
        OsStr::new("--format=json"),
        OsStr::new("--draws=50"),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["what_if"].is_null());
    assert_eq!(v["monte_carlo"]["parameters"]["draws"], 50);
}

fn digest_of(o: &Output) -> String {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["monte_carlo"]["digest"].as_str().unwrap().to_string()
}

#[test]
fn same_seed_same_bytes_different_seed_different_digest() {
    let run = |seed: &str, draws: &str, range: &str, format: &str| {
        let o = phase7(&[
            OsStr::new("sensitivity"),
            sample().as_os_str(),
            OsStr::new("--seed"),
            OsStr::new(seed),
            OsStr::new("--draws"),
            OsStr::new(draws),
            OsStr::new("--weight-range"),
            OsStr::new(range),
            OsStr::new("--format"),
            OsStr::new(format),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        o
    };
    for format in ["text", "json"] {
        let a = run("7", "2000", "0.25", format);
        let b = run("7", "2000", "0.25", format);
        assert_eq!(a.stdout, b.stdout, "{format}: same seed, same bytes");
    }
    let a = digest_of(&run("7", "2000", "0.25", "json"));
    for (seed, draws, range) in [
        ("8", "2000", "0.25"),
        ("7", "2001", "0.25"),
        ("7", "2000", "0.1"),
    ] {
        assert_ne!(
            digest_of(&run(seed, draws, range, "json")),
            a,
            "{seed} {draws} {range}"
        );
    }
    // The largest seed is accepted (2^53 − 1) and recorded as given.
    let o = run("9007199254740991", "10", "0", "json");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["monte_carlo"]["parameters"]["seed"].as_u64(),
        Some(9007199254740991)
    );
}

/// Each bad parameter: exit 1, nothing on stdout, one `error[CODE]: …` line naming the
/// value — before the file is even read (the file named does not exist).
#[test]
fn bad_parameters_are_one_coded_line_and_exit_1() {
    let missing = fixtures().join("no_such_file.json");
    let cases: &[(&[&str], &str, &str)] = &[
        (&["--draws", "0"], "DRAWS_OUT_OF_RANGE", "draws = 0"),
        (
            &["--draws", "1000001"],
            "DRAWS_OUT_OF_RANGE",
            "must be between 1 and 1000000",
        ),
        (
            &["--seed", "9007199254740992"],
            "SEED_OUT_OF_RANGE",
            "seed = 9007199254740992",
        ),
        (
            &["--weight-range", "1"],
            "WEIGHT_RANGE_INVALID",
            "weight_range = 1",
        ),
        (
            &["--weight-range=-0.5"],
            "WEIGHT_RANGE_INVALID",
            "weight_range = -0.5",
        ),
        (
            &["--weight-range", "NaN"],
            "WEIGHT_RANGE_INVALID",
            "weight_range = NaN",
        ),
        (
            &["--weight-range", "inf"],
            "WEIGHT_RANGE_INVALID",
            "weight_range = Infinity",
        ),
        (
            &["--what-if", "w=1,2,3"],
            "WHAT_IF_SYNTAX",
            "has 3 weights, not 4",
        ),
        (
            &["--what-if", "w=0,0,0,0"],
            "WHAT_IF_WEIGHTS_SUM_ZERO",
            "add up to 0",
        ),
        (
            &["--what-if", "0.25,0.25,0.25,0.25"],
            "WHAT_IF_SYNTAX",
            "must start with \"w=\"",
        ),
        (
            &["--what-if", "w=\u{1b}[2J\n,1,1,1"],
            "WHAT_IF_SYNTAX",
            "\\u{1b}[2J\\n",
        ),
    ];
    for (extra, code, part) in cases {
        let mut args = vec![OsStr::new("sensitivity"), missing.as_os_str()];
        args.extend(extra.iter().map(OsStr::new));
        let o = phase7(&args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {err}");
        assert!(o.stdout.is_empty(), "{extra:?}");
        assert_eq!(err.lines().count(), 1, "{extra:?}: {err}");
        assert!(
            err.starts_with(&format!("error[{code}]: ")),
            "{extra:?}: {err}"
        );
        assert!(err.contains(part), "{extra:?}: {err}");
        assert!(!err.contains('\u{1b}'), "{extra:?}: raw ESC");
    }
    // Not a number at all: clap's usage error, exit 1 as well.
    for bad in [["--draws", "ten"], ["--seed", "-1"], ["--format", "xml"]] {
        let mut args: Vec<OsString> = vec!["sensitivity".into(), sample().into_os_string()];
        args.extend(bad.iter().map(OsString::from));
        let o = phase7(&args);
        assert_eq!(o.status.code(), Some(1), "{bad:?}");
        assert!(o.stdout.is_empty());
    }
}

/// Every malformed fixture: exit 2 and exactly the `error[CODE]` lines `phase7 run`
/// prints, nothing on stdout.
#[test]
fn rejected_input_prints_the_same_lines_as_run() {
    let out = tmp();
    let mut n = 0;
    for entry in fs::read_dir(fixtures().join("invalid")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let s = phase7(&[OsStr::new("sensitivity"), path.as_os_str()]);
        let r = phase7(&[
            OsStr::new("run"),
            path.as_os_str(),
            OsStr::new("--out"),
            out.path().as_os_str(),
        ]);
        assert_eq!(s.status.code(), Some(2), "{path:?}");
        assert_eq!(r.status.code(), Some(2), "{path:?}");
        assert_eq!(text(&s.stderr), text(&r.stderr), "{path:?}");
        assert!(text(&s.stderr).starts_with("error["), "{path:?}");
        assert!(s.stdout.is_empty(), "{path:?}");
        n += 1;
    }
    assert!(n >= 30);
}

#[test]
fn hostile_files_get_coded_errors_and_never_a_panic() {
    let t = tmp();
    let check = |args: &[&OsStr], code: i32, expected: &str| {
        let mut all = vec![OsStr::new("sensitivity")];
        all.extend_from_slice(args);
        let o = phase7(&all);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!o.stderr.contains(&0x1b) && !o.stdout.contains(&0x1b));
        assert!(o.stdout.is_empty(), "{args:?}");
    };
    // A FIFO is refused at once (never opened, so never waited on); a folder too.
    let fifo = t.path().join("p06.json");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    check(&[fifo.as_os_str()], 1, "error[NOT_REGULAR_FILE]: ");
    check(&[t.path().as_os_str()], 1, "error[NOT_REGULAR_FILE]: ");
    check(&[OsStr::new("/dev/zero")], 1, "error[NOT_REGULAR_FILE]: ");
    // Over the size limit: not read, the same line as `phase7 run`.
    check(
        &[
            sample().as_os_str(),
            OsStr::new("--max-input-bytes"),
            OsStr::new("100"),
        ],
        2,
        "error[INPUT_TOO_LARGE]: ",
    );
    // Terminal escapes and a forged line in a cluster id: escaped in the message.
    let forged = fs::read_to_string(sample()).unwrap().replacen(
        "\"CLUSTER_MESO_1\"",
        "\"\\u001b[2J\\nerror[FAKE]: all good\\u001b[8m\"",
        1,
    );
    let path = t.path().join("forged.json");
    fs::write(&path, forged).unwrap();
    let o = phase7(&[OsStr::new("sensitivity"), path.as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.lines().all(|l| !l.starts_with("error[FAKE]")), "{err}");
    assert!(err.contains("\\u{1b}[2J\\nerror[FAKE]"), "{err}");
    // Binary garbage and a deep nest.
    let garbage = t.path().join("garbage.json");
    fs::write(&garbage, [0xff, 0x1b, b'[', 0, 0x9b, b'{']).unwrap();
    check(&[garbage.as_os_str()], 2, "error[MALFORMED_JSON]: ");
    let deep = t.path().join("deep.json");
    fs::write(&deep, "[".repeat(100_000)).unwrap();
    check(&[deep.as_os_str()], 2, "error[MALFORMED_JSON]: ");
}

/// Four clusters at exactly 1.65: INSUFICIENTE by one ulp. The analysis warns; the run,
/// strict mode and the certificate know nothing of it.
#[test]
fn band_margin_is_a_warning_of_the_analysis_never_of_the_run() {
    let t = tmp();
    let input = all_scores(t.path(), 1.65);
    let o = phase7(&[
        OsStr::new("sensitivity"),
        input.as_os_str(),
        OsStr::new("--draws"),
        OsStr::new("100"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let report = text(&o.stdout);
    assert!(
        report.contains(
            "\nband margin    -3.3306690738754696e-16 on the score scale, -1 ulps: below the \
             ACEPTABLE threshold 0.55\nwarning[BAND_MARGIN]: band INSUFICIENTE decided 1 \
             ulp(s) below the ACEPTABLE threshold 0.55 (score_normalized \
             0.5499999999999999): a difference in the last bits of the arithmetic would \
             change it\n"
        ),
        "{report}"
    );
    assert_eq!(text(&o.stderr), "", "text: the warning is in the report");
    let o = phase7(&[
        OsStr::new("sensitivity"),
        input.as_os_str(),
        OsStr::new("--draws"),
        OsStr::new("100"),
        OsStr::new("--format"),
        OsStr::new("json"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stderr).starts_with("warning[BAND_MARGIN]: band INSUFICIENTE"));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["analysis"]["warnings"][0]["code"], "BAND_MARGIN");
    assert_eq!(v["analysis"]["margin"]["distance_ulps"], -1);

    // phase7 run --strict: passes, prints the warning and the margin line, and nothing
    // of it is in the files.
    let out = t.path().join("out");
    let o = phase7(&[
        OsStr::new("run"),
        input.as_os_str(),
        OsStr::new("--strict"),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stderr).lines().collect::<Vec<_>>(),
        [
            "warning[BAND_MARGIN]: band INSUFICIENTE decided 1 ulp(s) below the ACEPTABLE \
          threshold 0.55 (score_normalized 0.5499999999999999): a difference in the last \
          bits of the arithmetic would change it"
        ]
    );
    assert!(text(&o.stdout).contains(
        "\nband margin    -3.3306690738754696e-16 on the score scale, -1 ulps: below the \
         ACEPTABLE threshold 0.55 (analysis, not certified)\n"
    ));
    for name in ["macro_score.json", "audit_trail.json", "certificate.json"] {
        let written = fs::read_to_string(out.join(name)).unwrap();
        assert!(!written.contains("BAND_MARGIN"), "{name}");
        assert!(!written.contains("margin"), "{name}");
    }
    // The sample itself is not warned.
    let o = phase7(&[
        OsStr::new("run"),
        sample().as_os_str(),
        OsStr::new("--strict"),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o.stderr), "");
}
