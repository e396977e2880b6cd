//! The reports' words, pinned: every check name and note of a certificate verification
//! (an intact certificate and a tampered one) and of claim checks (a Python 3.11 output
//! with a band flip, an edited claim). A change of wording shows up as a diff against
//! `tests/fixtures/golden/reports.json` and is made deliberate by re-blessing:
//! `PHASE7_BLESS=1 cargo test -p phase7-core --test reports`. Native only: the claim
//! causes are recomputed through this platform's `pow()` (the browser has the rule, with
//! other notes; `core/tests/claims.rs` covers both).

#![cfg(not(target_arch = "wasm32"))]

use phase7_core::attest::Artifacts;
use phase7_core::phase::{self, RunOptions};
use phase7_core::read::json::{self, Json};
use phase7_core::verify::claim::{verify_claimed, verify_claimed_with, FieldStatus};
use phase7_core::verify::{self, Supplied};

mod golden;

const SAMPLE: &str = include_str!("../../tests/fixtures/p06_sample.json");
const PY311: &str = include_str!("../../tests/fixtures/claims/py311.jsonl");
const EDITED: &str = include_str!("../../tests/fixtures/claims/edited.jsonl");

fn certificate() -> String {
    let run = phase::run(SAMPLE.as_bytes(), &RunOptions::default()).unwrap();
    Artifacts::issue(&run, Some("2026-01-01T00:00:05Z"))
        .unwrap()
        .certificate_json
        .unwrap()
}

/// The first case of a claims file that satisfies `pick`: its Phase 6 text and claim.
fn case(set: &str, pick: impl Fn(&Json) -> bool) -> (String, String) {
    set.lines()
        .map(|l| json::parse(l.as_bytes()).unwrap().value)
        .find(|c| pick(c))
        .map(|c| {
            (
                c.get("phase6").unwrap().to_string(),
                c.get("claimed").unwrap().to_string(),
            )
        })
        .unwrap()
}

fn reports() -> String {
    let cert = certificate();
    let intact =
        verify::verify_certificate(SAMPLE.as_bytes(), cert.as_bytes(), &Default::default());
    let tampered_cert = cert.replacen("\"ACEPTABLE\"", "\"BUENO\"", 1);
    assert_ne!(tampered_cert, cert);
    let tampered = verify::verify(
        SAMPLE.as_bytes(),
        &Supplied {
            certificate: tampered_cert.as_bytes(),
            macro_score: None,
            audit_trail: None,
        },
        &Default::default(),
    );
    let flipped = |c: &Json| {
        c.get("kind").and_then(|k| match k {
            Json::String(s) => Some(s.contains("edge")),
            _ => None,
        }) == Some(true)
    };
    let (p6, claimed) = case(PY311, flipped);
    let py311 = verify_claimed(p6.as_bytes(), claimed.as_bytes());
    let (p6e, claimed_e) = case(EDITED, |_| true);
    let edited = verify_claimed(p6e.as_bytes(), claimed_e.as_bytes());
    let all = serde_json::json!({
        "certificate_intact": intact,
        "certificate_tampered": tampered,
        "claim_python_311_band_edge": py311,
        "claim_edited": edited,
    });
    serde_json::to_string_pretty(&all).unwrap() + "\n"
}

#[test]
fn every_report_is_worded_as_pinned() {
    golden::check("reports.json", &reports());
}

/// Every differing field's cause and note, for every claim of a set: one line each.
fn notes(set: &str) -> String {
    let mut out = String::new();
    for line in set.lines() {
        let c = json::parse(line.as_bytes()).unwrap().value;
        let plan = c.get("plan").unwrap().to_string();
        let p6 = c.get("phase6").unwrap().to_string();
        let claimed = c.get("claimed").unwrap().to_string();
        let r = verify_claimed(p6.as_bytes(), claimed.as_bytes());
        for f in &r.flips {
            out.push_str(&format!(
                "{plan} flip {:?} {} {} -> {} {:?}: {}\n",
                f.kind, f.path, f.ours, f.claimed, f.cause, f.because
            ));
        }
        for f in r.fields.iter().filter(|f| f.status != FieldStatus::Equal) {
            out.push_str(&format!(
                "{plan} {} {:?} {:?}: {}\n",
                f.path, f.status, f.cause, f.note
            ));
        }
    }
    out
}

#[test]
fn every_claim_note_is_worded_as_pinned() {
    let all = format!("{}{}", notes(PY311), notes(EDITED));
    golden::check("claim_notes.txt", &all);
}

#[test]
fn a_claim_exactly_at_the_size_limit_is_read() {
    let (p6, claimed) = case(PY311, |_| true);
    // Padded (JSON allows the spaces) so that the claim is the larger file.
    let claimed = format!("{claimed}{}", " ".repeat(p6.len()));
    let mut at = RunOptions::default();
    at.limits.max_input_bytes = claimed.len() as u64;
    let read = verify_claimed_with(p6.as_bytes(), claimed.as_bytes(), &at);
    assert!(
        read.fields
            .iter()
            .all(|f| !f.note.contains("over the size limit")),
        "{read:?}"
    );
    at.limits.max_input_bytes -= 1;
    let refused = verify_claimed_with(p6.as_bytes(), claimed.as_bytes(), &at);
    assert!(refused.fields[0].note.contains("over the size limit"));
}

#[test]
fn a_claim_check_reruns_under_the_callers_limits_and_counts_duplicate_keys_past_the_list() {
    use phase7_core::verify::claim::ClaimOutcome;
    let (p6, claimed) = case(PY311, |_| true);
    // The Phase 6 file over the caller's limit: rejected, never compared.
    let mut small = RunOptions::default();
    small.limits.max_input_bytes = 100;
    let r = verify_claimed_with(p6.as_bytes(), claimed.as_bytes(), &small);
    assert!(
        matches!(r.outcome, ClaimOutcome::InputRejected { .. }),
        "{:?}",
        r.outcome
    );
    // A claim with 150 duplicates of one key: the first listed, the rest counted once.
    let dup = format!("{{{}\"x\": 1}}", "\"x\": 1, ".repeat(150));
    let r = verify_claimed(p6.as_bytes(), dup.as_bytes());
    let last = r.fields.last().unwrap();
    assert!(
        last.note.contains("more duplicated key(s), not listed"),
        "{}",
        last.note
    );
    let listed = r
        .fields
        .iter()
        .filter(|f| f.note.contains("duplicate") && f.omitted.is_none())
        .count() as u64;
    assert_eq!(listed + last.omitted.unwrap(), 150, "{listed}");
}

#[test]
fn the_reproducible_macro_score_has_no_timestamp() {
    let run = phase::run(
        SAMPLE.as_bytes(),
        &RunOptions {
            evaluated_at: Some("2026-01-01T00:00:00Z".into()),
            ..RunOptions::default()
        },
    )
    .unwrap();
    assert!(run.macro_score.evaluation_timestamp.is_some());
    let r = run.macro_score.reproducible();
    assert_eq!(r.evaluation_timestamp, None);
    assert_eq!(r.score.to_bits(), run.macro_score.score.to_bits());
}
