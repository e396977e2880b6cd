//! Refusal records end to end: every invalid fixture is rejected with a record that names
//! each violation and that a rerun confirms; a failed gate gets one too; nothing is
//! certified. The embedded cases also run on wasm32 in headless Chromium.

use phase7_core::attest::refusal::{self, Refusal};
use phase7_core::attest::Artifacts;
use phase7_core::error::Phase7Error;
use phase7_core::phase::{self, RunOptions};
use phase7_core::read::json;
use phase7_core::verify::refusal::verify_refusal;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SAMPLE: &str = include_str!("../../tests/fixtures/p06_sample.json");

macro_rules! portable_test {
    ($(#[$m:meta])* fn $name:ident() $body:block) => {
        $(#[$m])*
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        fn $name() $body
    };
}

/// The files of `bytes`: issued for a run, refused for a rejected input.
fn files(bytes: &[u8], options: &RunOptions) -> Artifacts {
    match phase::run(bytes, options) {
        Ok(run) => Artifacts::issue(&run, Some("2026-01-01T00:00:05Z")).unwrap(),
        Err(Phase7Error::Input(r)) => {
            Artifacts::rejected(bytes, &r, options, Some("2026-01-01T00:00:05Z")).unwrap()
        }
        Err(e) => panic!("{e}"),
    }
}

/// A rejected input's record: every violation there, nothing certified, confirmed by a
/// rerun, its id the digest of its body, never shaped like a certificate.
fn check_rejected(name: &str, bytes: &[u8]) -> Refusal {
    let options = RunOptions::default();
    let Err(Phase7Error::Input(rejected)) = phase::run(bytes, &options) else {
        panic!("{name}: not rejected");
    };
    let a = files(bytes, &options);
    assert!(!a.certified(), "{name}");
    assert!(a.certificate_json.is_none() && a.macro_score_json.is_none());
    let record = a.refusal.clone().unwrap();
    assert_eq!(record.violation_count, rejected.errors.len(), "{name}");
    for (v, e) in record.violations.iter().zip(&rejected.errors) {
        assert_eq!(v.code, e.code(), "{name}");
        assert_eq!(v.cluster, e.location().cluster, "{name}");
        assert_eq!(v.field, e.location().field, "{name}");
        assert_eq!(v.value, e.value(), "{name}");
        assert!(
            record.refused.failed_checks.contains(&v.check),
            "{name}: {} not failed",
            v.check
        );
    }
    let (file, text) = a.record().unwrap();
    assert_eq!(file, "refusal.json");
    let doc = json::parse(text.as_bytes()).unwrap().value;
    assert!(refusal::is_refusal(&doc));
    assert!(doc.get("certificate_id").is_none() && doc.get("ready_for_phase8").is_none());
    assert_eq!(refusal::id_of(&doc).unwrap(), record.refusal_id);
    let r = verify_refusal(bytes, text.as_bytes());
    assert!(
        r.confirmed,
        "{name}: {:#?}",
        r.failures().collect::<Vec<_>>()
    );
    record
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_invalid_fixture_gets_a_confirmed_refusal() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/invalid");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let code = name.split("__").next().unwrap();
        let record = check_rejected(&name, &std::fs::read(&path).unwrap());
        assert!(
            record.violations.iter().any(|v| v.code == code),
            "{name}: {:?}",
            record.violations
        );
        seen += 1;
    }
    assert!(seen >= 30, "{seen}");
}

portable_test! {
    /// Embedded rejections: out-of-range values, a duplicated key, a file that is not
    /// JSON; the same record natively and in the browser.
    fn rejections_are_recorded_and_confirmed() {
        let out_of_range = SAMPLE.replacen("\"score\": 1.4712", "\"score\": 3.5", 1);
        let r = check_rejected("out of range", out_of_range.as_bytes());
        assert_eq!(r.refused.failed_checks, ["PRE-7.3"]);
        let dup = SAMPLE.replacen("\"score\": 1.4712,", "\"score\": 1.4712, \"score\": 1,", 1);
        let r = check_rejected("duplicate key", dup.as_bytes());
        assert_eq!(r.refused.failed_checks, ["JSON-DUPLICATE-KEYS"]);
        let r = check_rejected("not json", b"[{");
        assert_eq!(r.input.digest, None);
        assert_eq!(r.checks.entries.len(), 1);
    }
}

portable_test! {
    /// A failed gate: the run's checks, its failed gate, its warnings; confirmed in the
    /// recorded (strict) mode.
    fn a_failed_gate_gets_a_confirmed_refusal() {
        let strict = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        let input = SAMPLE.replace("PROV_MESO_2_5c2e7b14", "");
        let a = files(input.as_bytes(), &strict);
        assert!(!a.certified());
        let record = a.refusal.as_ref().unwrap();
        assert_eq!(record.refused.failed_checks, ["GATE-4"]);
        assert_eq!(record.checks.entries.len(), 31);
        assert_eq!(record.checks.root, a.audit_trail.root);
        let r = verify_refusal(input.as_bytes(), a.refusal_json.as_deref().unwrap().as_bytes());
        assert!(r.confirmed, "{:#?}", r.failures().collect::<Vec<_>>());
        // The same record for the sample itself, which passes, is not confirmed.
        let r = verify_refusal(SAMPLE.as_bytes(), a.refusal_json.as_deref().unwrap().as_bytes());
        assert!(!r.confirmed);
    }
}

portable_test! {
    /// 150 non-finite numbers: 100 listed and one "…and 50 more" entry, counted as the
    /// 150 they are everywhere a count is given (the record, its JSON-FINITE check, the
    /// batch row).
    fn capped_violations_are_counted_exactly() {
        let text = format!("[{}]", vec!["NaN"; 150].join(","));
        let options = RunOptions::default();
        let files = files(text.as_bytes(), &options);
        let record = files.refusal.expect("a refusal record");
        let nan: Vec<_> = record
            .violations
            .iter()
            .filter(|v| v.check == "JSON-FINITE")
            .collect();
        assert_eq!(nan.len(), 101);
        assert_eq!(nan[100].omitted, Some(50));
        assert!(nan[..100].iter().all(|v| v.omitted.is_none()));
        // The rejection's own count: 150 NON_FINITE, 150 clusters of the wrong type, the
        // cluster count and the coverage.
        let Err(Phase7Error::Input(rejected)) = phase::run(text.as_bytes(), &options) else {
            panic!("not rejected");
        };
        assert_eq!(rejected.total(), 302);
        assert_eq!(record.violation_count as u64, rejected.total());
        assert!(record.violations.len() < 210, "{}", record.violations.len());
        let finite = record
            .checks
            .entries
            .iter()
            .find(|e| e.id == "JSON-FINITE")
            .expect("the JSON-FINITE check");
        assert!(finite.actual.starts_with("150 violation(s): "), "{}", finite.actual);
        let (row, _) = phase7_core::batch::PlanSummary::compute(
            "nans".into(),
            text.as_bytes(),
            &options,
            None,
        );
        assert_eq!(row.errors, record.violation_count);
        // The record still confirms by rerunning.
        let json = files.refusal_json.expect("refusal.json");
        let report = verify_refusal(text.as_bytes(), json.as_bytes());
        assert!(report.confirmed, "{report:?}");
    }
}
