//! The input contract (spec §2, §7): one test per error code, each checking the code,
//! the cluster, the field and the value; plus the edge cases the spec names.

use phase7_core::error::{Diagnostic, InputRejected};
use phase7_core::phase::{run, RunOptions};
use phase7_core::read::bridge::{self, ReadLimits};
use phase7_core::read::json::Json;

const SAMPLE: &str = include_str!("../../tests/fixtures/p06_sample.json");

fn rejected(text: &str) -> InputRejected {
    match bridge::read(text.as_bytes(), &ReadLimits::default()) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e,
    }
}

fn diags(text: &str) -> Vec<Diagnostic> {
    rejected(text).errors.iter().map(|e| e.report()).collect()
}

fn has(
    ds: &[Diagnostic],
    code: &str,
    cluster: Option<&str>,
    field: Option<&str>,
    value: Option<&str>,
) {
    assert!(
        ds.iter().any(|d| d.code == code
            && d.cluster.as_deref() == cluster
            && d.field.as_deref() == field
            && d.value.as_deref() == value),
        "no {code} at {cluster:?}/{field:?} = {value:?} in {ds:#?}"
    );
}

fn edit(from: &str, to: &str) -> String {
    assert!(SAMPLE.contains(from), "{from}");
    SAMPLE.replacen(from, to, 1)
}

#[test]
fn input_too_large() {
    let limits = ReadLimits {
        max_input_bytes: 10,
    };
    let e = bridge::read(SAMPLE.as_bytes(), &limits).unwrap_err();
    has(
        &e.errors.iter().map(|e| e.report()).collect::<Vec<_>>(),
        "INPUT_TOO_LARGE",
        None,
        None,
        Some(&SAMPLE.len().to_string()),
    );
}

#[test]
fn malformed_json_stops_there() {
    let ds = diags(&SAMPLE[..100]);
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].code, "MALFORMED_JSON");
    assert!(ds[0].message.contains("line"), "{}", ds[0].message);
}

#[test]
fn duplicate_key() {
    let ds = diags(&edit(
        "\"score\": 1.4712,",
        "\"score\": 1.4712, \"score\": 1.5,",
    ));
    has(
        &ds,
        "DUPLICATE_KEY",
        Some("CLUSTER_MESO_2"),
        None,
        Some("score"),
    );
}

#[test]
fn findings_in_a_replaced_cluster_array_name_no_cluster_of_the_one_read() {
    // The first `cluster_scores` holds a NaN and a duplicate key; the sample's clusters
    // replace it. Index 0 was not CLUSTER_MESO_1.
    let envelope = format!(
        "{{\"cluster_scores\": [[NaN, {{\"a\": 1, \"a\": 2}}]], \"cluster_scores\": {SAMPLE}}}"
    );
    let ds = diags(&envelope);
    has(
        &ds,
        "NON_FINITE",
        None,
        Some("cluster_scores[0][0]"),
        Some("NaN"),
    );
    has(
        &ds,
        "DUPLICATE_KEY",
        None,
        Some("cluster_scores[0][1]"),
        Some("a"),
    );
    assert!(ds.iter().all(|d| d.cluster.is_none()), "{ds:#?}");
    assert_eq!(
        ds[0].message,
        "field cluster_scores[0][0]: value NaN is not a finite number"
    );
    // A batch line reads the last of its `phase6` values only (as it does not read
    // `expected`): the first one's NaN is not reported, the duplicate key is.
    let line = format!("{{\"phase6\": [NaN], \"phase6\": {SAMPLE}}}");
    let ds = match bridge::read_batch_line(line.as_bytes(), &ReadLimits::default()) {
        Ok(_) => panic!("accepted: {line}"),
        Err(e) => e.errors.iter().map(|e| e.report()).collect::<Vec<_>>(),
    };
    has(&ds, "DUPLICATE_KEY", None, None, Some("phase6"));
    assert_eq!(ds.len(), 1, "{ds:#?}");
    // A value replaced inside a cluster keeps its cluster: that object is the one read.
    let ds = diags(&edit(
        "\"score\": 1.4712,",
        "\"score\": [NaN], \"score\": 1.4712,",
    ));
    has(
        &ds,
        "NON_FINITE",
        Some("CLUSTER_MESO_2"),
        Some("score[0]"),
        Some("NaN"),
    );
}

#[test]
fn non_finite_every_token_with_its_path() {
    let text = edit("\"score\": 1.4712", "\"score\": NaN")
        .replacen("\"coherence\": 0.6118", "\"coherence\": -Infinity", 1)
        .replacen("\"variance\": 0.0256", "\"variance\": 1e400", 1);
    let ds = diags(&text);
    has(
        &ds,
        "NON_FINITE",
        Some("CLUSTER_MESO_2"),
        Some("score"),
        Some("NaN"),
    );
    has(
        &ds,
        "NON_FINITE",
        Some("CLUSTER_MESO_3"),
        Some("coherence"),
        Some("-Infinity"),
    );
    has(
        &ds,
        "NON_FINITE",
        Some("CLUSTER_MESO_4"),
        Some("variance"),
        Some("1e400"),
    );
    assert!(ds.iter().all(|d| d.code == "NON_FINITE"), "{ds:#?}");
}

#[test]
fn wrong_type() {
    let ds = diags(&edit("\"score\": 1.4712", "\"score\": \"1.4712\""));
    has(
        &ds,
        "WRONG_TYPE",
        Some("CLUSTER_MESO_2"),
        Some("score"),
        Some("\"1.4712\""),
    );
    let ds = diags(&edit("\"coherence\": 0.8712", "\"coherence\": true"));
    has(
        &ds,
        "WRONG_TYPE",
        Some("CLUSTER_MESO_1"),
        Some("coherence"),
        Some("true"),
    );
    let ds = diags("[1, 2, 3, 4]");
    has(&ds, "WRONG_TYPE", Some("#0"), None, Some("1.0"));
    let ds = diags("{\"cluster_scores\": 7}");
    has(&ds, "WRONG_TYPE", None, Some("cluster_scores"), Some("7.0"));
}

#[test]
fn missing_field_coherence_variance() {
    let ds = diags(&edit("\"score\": 0.9805,", ""));
    has(
        &ds,
        "MISSING_FIELD",
        Some("CLUSTER_MESO_3"),
        Some("score"),
        None,
    );
    let ds = diags(&edit("\"coherence\": 0.7421,", ""));
    has(
        &ds,
        "MISSING_COHERENCE",
        Some("CLUSTER_MESO_2"),
        Some("coherence"),
        None,
    );
    let ds = diags(&edit("\"coherence\": 0.7421,", "\"coherence\": null,"));
    has(
        &ds,
        "MISSING_COHERENCE",
        Some("CLUSTER_MESO_2"),
        Some("coherence"),
        None,
    );
    let ds = diags(&edit("\"variance\": 0.0506,", "\"variance\": null,"));
    has(
        &ds,
        "MISSING_VARIANCE",
        Some("CLUSTER_MESO_3"),
        Some("variance"),
        None,
    );
    let ds = diags("{\"meta\": 1}");
    has(&ds, "MISSING_FIELD", None, Some("cluster_scores"), None);
}

#[test]
fn count_coverage_and_duplicates_are_all_reported() {
    // Five clusters with MESO_1 twice and MESO_4 renamed: count, coverage, duplicate.
    let v = phase7_core::read::json::parse(SAMPLE.as_bytes())
        .unwrap()
        .value;
    let Json::Array(mut items) = v else { panic!() };
    items.push(items[0].clone());
    if let Json::Object(entries) = &mut items[3] {
        entries[0].1 = Json::String("CLUSTER_MESO_9".into());
    }
    let ds = diags(&Json::Array(items).to_string());
    has(&ds, "INVALID_CLUSTER_COUNT", None, None, Some("5"));
    has(
        &ds,
        "CLUSTER_COVERAGE_MISMATCH",
        None,
        None,
        Some("CLUSTER_MESO_9"),
    );
    has(
        &ds,
        "DUPLICATE_CLUSTER",
        Some("CLUSTER_MESO_1"),
        Some("cluster_id"),
        Some("CLUSTER_MESO_1"),
    );
    let msg = &ds
        .iter()
        .find(|d| d.code == "CLUSTER_COVERAGE_MISMATCH")
        .unwrap()
        .message;
    assert!(
        msg.contains("missing [CLUSTER_MESO_4]") && msg.contains("unexpected [CLUSTER_MESO_9]"),
        "{msg}"
    );
}

#[test]
fn bounds() {
    let ds = diags(&edit("\"score\": 2.21,", "\"score\": 3.0000000000000004,"));
    has(
        &ds,
        "SCORE_OUT_OF_BOUNDS",
        Some("CLUSTER_MESO_4"),
        Some("score"),
        Some("3.0000000000000004"),
    );
    let ds = diags(&edit("\"coherence\": 0.9213,", "\"coherence\": -0.5,"));
    has(
        &ds,
        "COHERENCE_OUT_OF_BOUNDS",
        Some("CLUSTER_MESO_4"),
        Some("coherence"),
        Some("-0.5"),
    );
    let ds = diags(&edit("\"variance\": 0.0443,", "\"variance\": -1e-9,"));
    has(
        &ds,
        "VALUE_OUT_OF_BOUNDS",
        Some("CLUSTER_MESO_1"),
        Some("variance"),
        Some("-1e-9"),
    );
    let ds = diags(&edit("\"score_std\": 0.112,", "\"score_std\": -0.1,"));
    has(
        &ds,
        "VALUE_OUT_OF_BOUNDS",
        Some("CLUSTER_MESO_2"),
        Some("score_std"),
        Some("-0.1"),
    );
    let ds = diags(&edit(
        "\"penalty_applied\": 0.1045",
        "\"penalty_applied\": 1.01",
    ));
    has(
        &ds,
        "VALUE_OUT_OF_BOUNDS",
        Some("CLUSTER_MESO_3"),
        Some("penalty_applied"),
        Some("1.01"),
    );
}

#[test]
fn hermeticity_and_weakest_area() {
    let ds = diags(&edit(
        "\"PA07\",\n      \"PA08\"",
        "\"PA07\",\n      \"PA01\"",
    ));
    has(
        &ds,
        "CLUSTER_COMPOSITION_MISMATCH",
        Some("CLUSTER_MESO_3"),
        Some("areas"),
        Some("missing [PA08], unexpected [PA01]"),
    );
    let ds = diags(&edit(
        "\"weakest_area\": \"PA09\"",
        "\"weakest_area\": \"PA07\"",
    ));
    has(
        &ds,
        "WEAKEST_AREA_INVALID",
        Some("CLUSTER_MESO_4"),
        Some("weakest_area"),
        Some("PA07"),
    );
}

#[test]
fn warnings_do_not_reject() {
    let text = edit(
        "\"provenance_node_id\": \"PROV_MESO_1_a1f3c09e\"",
        "\"provenance_node_id\": \"\"",
    )
    .replacen(
        "\"PA09\",\n      \"PA10\"",
        "\"PA09\",\n      \"PA10\",\n      \"PA10\"",
        1,
    );
    let input = bridge::read(text.as_bytes(), &ReadLimits::default()).unwrap();
    let codes: Vec<&str> = input.warnings().iter().map(|w| w.code()).collect();
    assert_eq!(codes, vec!["MISSING_PROVENANCE", "DUPLICATE_AREA"]);
}

#[test]
fn envelope_bom_crlf_integers_and_unknown_keys() {
    let plain = run(SAMPLE.as_bytes(), &RunOptions::default()).unwrap();
    let envelope = format!(
        "\u{feff}{{\"cluster_scores\": {}, \"plan\": \"Municipio\"}}",
        SAMPLE.replace('\n', "\r\n")
    );
    let wrapped = run(envelope.as_bytes(), &RunOptions::default()).unwrap();
    assert_eq!(
        wrapped.macro_score.score.to_bits(),
        plain.macro_score.score.to_bits()
    );
    // Metadata is part of the input digest, so the ids differ; the numbers do not.
    assert_ne!(wrapped.digests.input, plain.digests.input);
    let ints = edit("\"score\": 2.21,", "\"score\": 2,");
    let r = run(ints.as_bytes(), &RunOptions::default()).unwrap();
    assert_eq!(r.macro_score.cluster_scores[3].score, 2.0);
}

fn four(scores: [f64; 4]) -> String {
    let v = phase7_core::read::json::parse(SAMPLE.as_bytes())
        .unwrap()
        .value;
    let Json::Array(mut items) = v else { panic!() };
    for (item, s) in items.iter_mut().zip(scores) {
        if let Json::Object(entries) = item {
            for (k, v) in entries.iter_mut() {
                if k == "score" {
                    *v = Json::Number(s);
                }
            }
        }
    }
    Json::Array(items).to_string()
}

#[test]
fn spec_edges_decided_by_the_last_bit() {
    // A cluster at exactly 1.65 is a gap (0.55 × 3.0 = 1.6500000000000001).
    let r = run(
        four([1.65, 2.0, 2.0, 2.0]).as_bytes(),
        &RunOptions::default(),
    )
    .unwrap();
    assert_eq!(r.macro_score.systemic_gaps, vec!["PA02"]);
    // Four clusters at 1.65: normalised 0.5499999999999999 → INSUFICIENTE.
    let r = run(four([1.65; 4]).as_bytes(), &RunOptions::default()).unwrap();
    assert_eq!(r.macro_score.score_normalized, 0.5499999999999999);
    assert_eq!(r.macro_score.quality_level.as_str(), "INSUFICIENTE");
    // 2.55 / 3 is exactly 0.85 → EXCELENTE; 2.1 / 3 → BUENO.
    let r = run(four([2.55; 4]).as_bytes(), &RunOptions::default()).unwrap();
    assert_eq!(r.macro_score.quality_level.as_str(), "EXCELENTE");
    let r = run(four([2.1; 4]).as_bytes(), &RunOptions::default()).unwrap();
    assert_eq!(r.macro_score.score_normalized, 0.7000000000000001);
    assert_eq!(r.macro_score.quality_level.as_str(), "BUENO");
    // Equal scores: variance exactly 0, strategic coherence 1.
    assert_eq!(
        r.macro_score
            .coherence_breakdown
            .inter_cluster_variance
            .to_bits(),
        0
    );
    assert_eq!(r.macro_score.coherence_breakdown.strategic_coherence, 1.0);
}

#[test]
fn negative_zero_follows_python() {
    // min over coherences keeps the first of equal values: -0.0 before 0.0 gives -0.0.
    let text = edit("\"coherence\": 0.8712", "\"coherence\": -0.0").replacen(
        "\"coherence\": 0.7421",
        "\"coherence\": 0.0",
        1,
    );
    let r = run(text.as_bytes(), &RunOptions::default()).unwrap();
    assert_eq!(
        r.macro_score
            .coherence_breakdown
            .institutional_coherence
            .to_bits(),
        (-0.0f64).to_bits()
    );
    // All scores 0: score is max(0.0, 0.0) = +0.0, CI lower bound +0.0.
    let r = run(
        four([0.0, -0.0, 0.0, 0.0]).as_bytes(),
        &RunOptions::default(),
    )
    .unwrap();
    assert_eq!(r.macro_score.score.to_bits(), 0);
}

#[test]
fn overflowing_uncertainty_is_a_coded_computation_failure() {
    let text = edit("\"score_std\": 0.061", "\"score_std\": 1e200");
    match run(text.as_bytes(), &RunOptions::default()) {
        Err(e) => {
            assert_eq!(e.code(), "COMPUTATION_FAILED");
            assert!(e.to_string().contains("CLUSTER_MESO_1 1e+200"), "{e}");
        }
        Ok(_) => panic!("an infinite score_std cannot be written"),
    }
}

/// The first cluster of the sample with its `areas` replaced.
fn with_areas(areas: Vec<Json>) -> String {
    let v = phase7_core::read::json::parse(SAMPLE.as_bytes())
        .unwrap()
        .value;
    let Json::Array(mut items) = v else { panic!() };
    if let Json::Object(entries) = &mut items[0] {
        let slot = entries.iter_mut().find(|(k, _)| k == "areas").unwrap();
        slot.1 = Json::Array(areas);
    }
    Json::Array(items).to_string()
}

#[test]
fn many_foreign_areas_and_clusters_are_listed_then_counted_exactly() {
    // The three areas of CLUSTER_MESO_1 and 150 distinct others.
    let mut areas: Vec<Json> = ["PA01", "PA02", "PA03"]
        .iter()
        .map(|a| Json::String((*a).into()))
        .collect();
    areas.extend((0..150).map(|i| Json::String(format!("X{i:03}"))));
    let ds = diags(&with_areas(areas));
    let d = ds
        .iter()
        .find(|d| d.code == "CLUSTER_COMPOSITION_MISMATCH")
        .unwrap_or_else(|| panic!("{ds:#?}"));
    assert!(
        d.message.contains("X000") && d.message.contains("X099"),
        "{}",
        d.message
    );
    assert!(!d.message.contains("X100"), "{}", d.message);
    assert!(d.message.contains("...and 50 more"), "{}", d.message);

    // 150 unexpected cluster ids: the first 100 named, the rest counted.
    let v = phase7_core::read::json::parse(SAMPLE.as_bytes())
        .unwrap()
        .value;
    let Json::Array(mut items) = v else { panic!() };
    let template = items[0].clone();
    for i in 0..150 {
        let mut c = template.clone();
        if let Json::Object(entries) = &mut c {
            entries[0].1 = Json::String(format!("CLUSTER_X{i:03}"));
        }
        items.push(c);
    }
    let ds = diags(&Json::Array(items).to_string());
    let d = ds
        .iter()
        .find(|d| d.code == "CLUSTER_COVERAGE_MISMATCH")
        .unwrap_or_else(|| panic!("{ds:#?}"));
    assert!(d.message.contains("CLUSTER_X099"), "{}", d.message);
    assert!(!d.message.contains("CLUSTER_X100"), "{}", d.message);
    assert!(d.message.contains("...and 50 more"), "{}", d.message);
}

#[test]
fn a_parsed_value_with_non_finite_numbers_is_rejected_each_listed_then_counted() {
    // As the JSON-lines batch and the WASM API hand values over: already parsed, with
    // numbers that no JSON text can hold.
    let v = phase7_core::read::json::parse(SAMPLE.as_bytes())
        .unwrap()
        .value;
    let Json::Array(mut items) = v else { panic!() };
    if let Json::Object(entries) = &mut items[1] {
        let slot = entries.iter_mut().find(|(k, _)| k == "score").unwrap();
        slot.1 = Json::Number(f64::INFINITY);
    }
    let e = bridge::validate(Json::Array(items)).unwrap_err();
    let ds: Vec<Diagnostic> = e.errors.iter().map(|e| e.report()).collect();
    has(
        &ds,
        "NON_FINITE",
        Some("CLUSTER_MESO_2"),
        Some("score"),
        Some("Infinity"),
    );

    let many = Json::Array(vec![Json::Number(f64::NAN); 150]);
    let e = bridge::validate(many).unwrap_err();
    let ds: Vec<Diagnostic> = e.errors.iter().map(|e| e.report()).collect();
    let nan: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "NON_FINITE").collect();
    assert_eq!(nan.len(), 101, "{ds:#?}");
    assert_eq!(nan[100].omitted, Some(50));
    assert_eq!(e.total(), phase7_core::error::total(&ds));
}

#[test]
fn malformed_json_names_the_line_and_column() {
    let ds = diags("[\n  {\"a\": 1},\n  {\"b\" 2}\n]");
    assert_eq!(ds.len(), 1);
    assert!(
        ds[0].message.contains("line 3, column 8"),
        "{}",
        ds[0].message
    );
}
