//! Every check fails when it should: for each check id of the spec (PRE-7.1..7.6,
//! HERMETICITY, POST-7.1..7.7, INV-7.1..7.5, GATE-1..5) and each input rule of the trail,
//! a scenario that makes it fail — a rejected input, a strict run with a warning, a
//! changed configuration (`phase::evaluate_with`) or an injected fault
//! (`phase::evaluate_with_faults`, feature `fault-injection`, enabled for these tests
//! only). Each time the verdict (or the refusal) names the check and nothing is
//! certified. Portable: the same scenarios run on wasm32 in headless Chromium.

use phase7_core::attest::Artifacts;
use phase7_core::checks::contract::RULES;
use phase7_core::checks::{CheckSeverity, Verdict};
use phase7_core::config::Config;
use phase7_core::error::Phase7Error;
use phase7_core::phase::fault::Faults;
use phase7_core::phase::{self, Run, RunOptions};
use phase7_core::read::bridge::{self, ReadLimits};
use phase7_core::read::json::{self, Json};
use phase7_core::stages::aggregate::QualityLevel;
use phase7_core::stages::macro_score::MacroScore;
use phase7_core::stages::NoObserver;
use phase7_core::verify::refusal::verify_refusal;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SAMPLE: &str = include_str!("../../tests/fixtures/p06_sample.json");

/// The check ids of spec §2 and §5.
const SPEC_IDS: [&str; 24] = [
    "PRE-7.1",
    "PRE-7.2",
    "PRE-7.3",
    "PRE-7.4",
    "PRE-7.5",
    "PRE-7.6",
    "HERMETICITY",
    "POST-7.1",
    "POST-7.2",
    "POST-7.3",
    "POST-7.4",
    "POST-7.5",
    "POST-7.6",
    "POST-7.7",
    "INV-7.1",
    "INV-7.2",
    "INV-7.3",
    "INV-7.4",
    "INV-7.5",
    "GATE-1",
    "GATE-2",
    "GATE-3",
    "GATE-4",
    "GATE-5",
];

macro_rules! portable_test {
    ($(#[$m:meta])* fn $name:ident() $body:block) => {
        $(#[$m])*
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        fn $name() $body
    };
}

/// How a scenario makes its check fail.
enum Scenario {
    /// A Phase 6 file the input contract rejects.
    Rejected(String),
    /// A strict run of a file with an input warning.
    Strict(String),
    /// The sample under another configuration.
    Config(fn(&mut Config)),
    /// The sample with a fault injected.
    Fault(Faults),
}

fn edit(old: &str, new: &str) -> String {
    assert!(SAMPLE.contains(old), "{old}");
    SAMPLE.replacen(old, new, 1)
}

/// The sample's cluster array with `f` applied.
fn clusters(f: impl FnOnce(&mut Vec<Json>)) -> String {
    let Json::Array(mut items) = json::parse(SAMPLE.as_bytes()).unwrap().value else {
        panic!("the sample is an array");
    };
    f(&mut items);
    Json::Array(items).to_string()
}

fn on_macro(f: fn(&mut MacroScore)) -> Scenario {
    Scenario::Fault(Faults {
        macro_score: Some(f),
        ..Faults::default()
    })
}

/// The scenario that makes `id` fail.
fn scenario(id: &str) -> Scenario {
    use Scenario::*;
    match id {
        "JSON-SYNTAX" => Rejected("[{".into()),
        "JSON-DUPLICATE-KEYS" => Rejected(edit(
            "\"score\": 1.4712,",
            "\"score\": 1.4712, \"score\": 1,",
        )),
        "JSON-FINITE" => Rejected(edit("\"score\": 1.4712", "\"score\": NaN")),
        "PRE-7.1" => Rejected(clusters(|c| {
            c.pop();
        })),
        "PRE-7.2" => Rejected(edit("CLUSTER_MESO_4", "CLUSTER_MESO_5")),
        "PRE-7.3" => Rejected(edit("\"score\": 1.4712", "\"score\": 3.5")),
        "PRE-7.4" => Strict(edit("PROV_MESO_2_5c2e7b14", "")),
        "PRE-7.5" => Rejected(clusters(|c| {
            let first = c[0].clone();
            c[3] = first;
        })),
        "PRE-7.6" => Rejected(edit("\"coherence\": 0.8712", "\"coherence\": 1.5")),
        "HERMETICITY" => Rejected(edit("\"PA01\",", "\"PA04\",")),
        "FIELD-TYPES" => Rejected(edit("\"score\": 1.4712", "\"score\": \"1.4712\"")),
        "WEAKEST-AREA" => Rejected(edit(
            "\"weakest_area\": \"PA02\"",
            "\"weakest_area\": \"PA09\"",
        )),
        "VALUE-BOUNDS" => Rejected(edit("\"score_std\": 0.061", "\"score_std\": -0.061")),
        "DUPLICATE-AREAS" => Strict(edit("\"PA01\",", "\"PA01\", \"PA01\",")),
        "POST-7.1" => on_macro(|m| m.evaluation_id.clear()),
        "POST-7.2" => on_macro(|m| m.score = 3.5),
        "POST-7.3" => Fault(Faults {
            band_name: Some(|_| "MUY_BUENO"),
            ..Faults::default()
        }),
        "POST-7.4" => on_macro(|m| m.coherence_breakdown.operational_coherence = 1.5),
        "POST-7.5" => on_macro(|m| m.alignment_breakdown.vertical_alignment = -0.25),
        "POST-7.6" => on_macro(|m| m.cluster_scores.reverse()),
        "POST-7.7" | "GATE-1" => on_macro(|m| m.systemic_gaps.push("PA11".into())),
        "INV-7.1" => Config(|c| {
            c.cluster_weights.0 = [0.3; 4];
        }),
        "INV-7.2" => Config(|c| c.quality_thresholds.bueno = 0.71),
        "INV-7.3" => Config(|c| c.score_max = 4.0),
        "INV-7.4" => Config(|c| c.coherence_weights.strategic = 0.5),
        "INV-7.5" => Fault(Faults {
            second_evaluation: Some(|m| m.score = m.score.next_up()),
            ..Faults::default()
        }),
        "GATE-2" => on_macro(|m| {
            m.quality_level = match m.quality_level {
                QualityLevel::Excelente => QualityLevel::Bueno,
                _ => QualityLevel::Excelente,
            }
        }),
        "GATE-3" => on_macro(|m| m.cross_cutting_coherence = 1.5),
        "GATE-4" => on_macro(|m| {
            m.cluster_details.0.pop();
        }),
        "GATE-5" => Fault(Faults {
            digests: Some(|d| d.output = "not a digest".into()),
            ..Faults::default()
        }),
        other => panic!("no scenario for {other}"),
    }
}

fn sample_input() -> bridge::ValidatedPhase6 {
    bridge::read(SAMPLE.as_bytes(), &ReadLimits::default()).unwrap()
}

/// A run that failed: not certified, its trail marked, its refusal record naming the
/// failed checks and confirmed by a rerun when the run can be remade from its bytes.
fn check_failed_run(id: &str, run: &Run, bytes: Option<&[u8]>) {
    assert!(!run.passed(), "{id}: the run passed");
    let check = run.checks.iter().find(|c| c.id == id).unwrap();
    assert!(!check.passed, "{id}: {check:?}");
    let Verdict::Failed { failed, .. } = &run.verdict else {
        panic!("{id}")
    };
    if check.severity == CheckSeverity::Error {
        assert!(failed.iter().any(|f| f == id), "{id}: {failed:?}");
    } else {
        // A warning fails the run through the strict gate.
        assert!(failed.iter().any(|f| f == "GATE-4"), "{id}: {failed:?}");
    }
    let run = match bytes {
        Some(b) => run.clone().with_input_file(b),
        None => run.clone().with_input_file(SAMPLE.as_bytes()),
    };
    let a = Artifacts::issue(&run, None).unwrap();
    assert!(!a.certified(), "{id}: certified");
    assert!(a.certificate_json.is_none() && a.macro_score_json.is_none());
    let marked = a.audit_trail.not_certified.as_ref().unwrap();
    assert_eq!(&marked.failed_checks, failed, "{id}");
    assert!(a.audit_trail.verify_chain().is_empty());
    let record = a.refusal.as_ref().unwrap();
    assert_eq!(&record.refused.failed_checks, failed, "{id}");
    if let Some(b) = bytes {
        let text = a.refusal_json.as_deref().unwrap();
        let r = verify_refusal(b, text.as_bytes());
        assert!(r.confirmed, "{id}: {r:#?}");
    }
}

/// Runs the scenario of `id` and checks that `id` fails and nothing is certified.
fn fails(id: &str) {
    match scenario(id) {
        Scenario::Rejected(text) => {
            let options = RunOptions::default();
            let Err(Phase7Error::Input(rejected)) = phase::run(text.as_bytes(), &options) else {
                panic!("{id}: not rejected");
            };
            let a = Artifacts::rejected(text.as_bytes(), &rejected, &options, None).unwrap();
            assert!(!a.certified());
            let record = a.refusal.as_ref().unwrap();
            assert!(
                record.refused.failed_checks.iter().any(|f| f == id),
                "{id}: {:?}",
                record.refused.failed_checks
            );
            let entry = record.checks.entries.iter().find(|e| e.id == id).unwrap();
            assert!(!entry.passed);
            let r = verify_refusal(
                text.as_bytes(),
                a.refusal_json.as_deref().unwrap().as_bytes(),
            );
            assert!(r.confirmed, "{id}: {r:#?}");
        }
        Scenario::Strict(text) => {
            let strict = RunOptions {
                strict: true,
                ..RunOptions::default()
            };
            let run = phase::run(text.as_bytes(), &strict).unwrap();
            check_failed_run(id, &run, Some(text.as_bytes()));
        }
        Scenario::Config(change) => {
            let mut config = Config::published();
            change(&mut config);
            let run = phase::evaluate_with(
                config,
                sample_input(),
                &RunOptions::default(),
                Default::default(),
                &mut NoObserver,
            )
            .unwrap();
            check_failed_run(id, &run, None);
        }
        Scenario::Fault(faults) => {
            let run = phase::evaluate_with_faults(
                Config::published(),
                sample_input(),
                &RunOptions::default(),
                &faults,
            )
            .unwrap();
            check_failed_run(id, &run, None);
        }
    }
}

/// Every check a run records, and every spec id.
fn all_ids() -> Vec<String> {
    let run = phase::run(SAMPLE.as_bytes(), &RunOptions::default()).unwrap();
    let mut ids: Vec<String> = run.checks.iter().map(|c| c.id.clone()).collect();
    for id in SPEC_IDS {
        if !ids.iter().any(|i| i == id) {
            ids.push(id.to_string());
        }
    }
    ids
}

portable_test! {
    /// The list of checks: every spec id is a check of every run, and so is every input
    /// rule; none is left without a failing scenario below.
    fn the_checks_are_the_spec_ids_and_the_input_rules() {
        let run = phase::run(SAMPLE.as_bytes(), &RunOptions::default()).unwrap();
        assert!(run.passed());
        let ids: Vec<&str> = run.checks.iter().map(|c| c.id.as_str()).collect();
        for id in SPEC_IDS.iter().chain(RULES.iter().map(|r| &r.id)) {
            assert!(ids.contains(id), "{id} is not a check of a run");
        }
        assert_eq!(ids.len(), SPEC_IDS.len() + RULES.len() - 7);
    }
}

portable_test! {
    /// Each check id fails in its scenario: the verdict (or the refusal) names it and
    /// nothing is certified.
    fn every_check_id_fails_in_its_scenario() {
        let ids = all_ids();
        assert_eq!(ids.len(), 31);
        for id in &ids {
            fails(id);
        }
    }
}

portable_test! {
    /// Without a fault the hooks change nothing: the same run, bit for bit.
    fn no_fault_is_the_published_run() {
        let plain = phase::run(SAMPLE.as_bytes(), &RunOptions::default()).unwrap();
        let hooked = phase::evaluate_with_faults(
            Config::published(),
            sample_input(),
            &RunOptions::default(),
            &Faults::default(),
        )
        .unwrap();
        assert_eq!(hooked.checks, plain.checks);
        assert_eq!(hooked.digests, plain.digests);
        assert!(hooked.passed());
    }
}
