//! The same vectors and digests inside headless Chromium (wasm32), compared with
//! `f64::to_bits` and against the digests the native build commits as golden data.
//!
//! Run: `wasm-pack test --headless --chrome core --features wasm` (the README's test
//! command does it).
#![cfg(target_arch = "wasm32")]

use phase7_core::phase::{run, RunOptions};
use phase7_core::read::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const VECTORS: &str = include_str!("../../tests/fixtures/phase7_public.jsonl");
const DIGESTS: &str = include_str!("../../tests/fixtures/golden/vector_output_digests.txt");
const SAMPLE: &str = include_str!("../../tests/fixtures/p06_sample.json");

#[wasm_bindgen_test]
fn public_vectors_give_the_expected_bits_in_the_browser() {
    let mut checked = 0;
    for (n, (line, digest)) in VECTORS.lines().zip(DIGESTS.lines()).enumerate() {
        let case = json::parse(line.as_bytes()).unwrap().value;
        let input = case.get("phase6").unwrap().to_string();
        let r = run(input.as_bytes(), &RunOptions::default()).unwrap();
        let ours = json::parse(serde_json::to_string(&r.macro_score).unwrap().as_bytes())
            .unwrap()
            .value;
        assert!(
            phase7_core::diff::bit_differences(case.get("expected").unwrap(), &ours).is_empty(),
            "vector {n}"
        );
        // Native wrote these digests: identical bits on both targets.
        assert_eq!(r.digests.output, digest, "vector {n}");
        checked += 1;
    }
    assert_eq!(checked, 1000);
}

#[wasm_bindgen_test]
fn sample_in_the_browser() {
    let r = run(SAMPLE.as_bytes(), &RunOptions::default()).unwrap();
    assert_eq!(
        r.macro_score.score.to_bits(),
        1.6970916666666667f64.to_bits()
    );
    assert_eq!(r.macro_score.quality_level.as_str(), "ACEPTABLE");
    assert_eq!(r.macro_score.systemic_gaps, vec!["PA05", "PA07"]);
}

#[cfg(feature = "wasm")]
mod js_api {
    use super::*;
    use wasm_bindgen::{JsCast, JsValue};

    fn get(v: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
    }

    #[wasm_bindgen_test]
    fn run_returns_a_plain_object_with_exact_numbers() {
        let out = phase7_core::wasm::run_js(JsValue::from_str(SAMPLE), JsValue::UNDEFINED).unwrap();
        assert_eq!(get(&out, "ok").as_bool(), Some(true));
        let m = get(&out, "macro_score");
        assert_eq!(
            get(&m, "score").as_f64().map(f64::to_bits),
            Some(1.6970916666666667f64.to_bits())
        );
        assert_eq!(
            get(&m, "quality_level").as_string().as_deref(),
            Some("ACEPTABLE")
        );
        let bytes = js_sys::Uint8Array::from(SAMPLE.as_bytes());
        let again = phase7_core::wasm::run_js(bytes.into(), JsValue::UNDEFINED).unwrap();
        assert_eq!(
            get(&get(&again, "digests"), "output").as_string(),
            get(&get(&out, "digests"), "output").as_string()
        );
    }

    /// `{ key: value }` as a JS object.
    fn options(key: &str, value: &str) -> JsValue {
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &JsValue::from_str(key), &JsValue::from_str(value)).unwrap();
        o.into()
    }

    #[wasm_bindgen_test]
    fn times_are_checked_as_the_cli_checks_them() {
        use phase7_core::wasm::{issue_js, run_js};
        let at = "2026-11-27T10:43:00.123+01:00";
        let out = run_js(JsValue::from_str(SAMPLE), options("evaluatedAt", at)).unwrap();
        assert_eq!(
            get(&get(&out, "macro_score"), "evaluation_timestamp")
                .as_string()
                .as_deref(),
            Some(at)
        );
        let issued = issue_js(JsValue::from_str(SAMPLE), options("issuedAt", at)).unwrap();
        assert_eq!(
            get(&get(&issued, "certificate"), "issued_at")
                .as_string()
                .as_deref(),
            Some(at)
        );
        // Not a date-time, a fraction of more than 9 digits, 10 MB: thrown, named, short,
        // the text not quoted.
        let long = format!("2026-11-27T10:43:00.{}Z", "1".repeat(10_000_000));
        for bad in [
            "yesterday",
            "2026-11-27T10:43:00.1234567890Z",
            "<b>2026</b>",
            &long,
        ] {
            let e = run_js(JsValue::from_str(SAMPLE), options("evaluatedAt", bad)).unwrap_err();
            let e = e.as_string().unwrap();
            assert!(
                e.starts_with("evaluatedAt is not an RFC 3339 date-time: "),
                "{e}"
            );
            assert!(e.len() < 120 && !e.contains("<b>"), "{e}");
            let e = issue_js(JsValue::from_str(SAMPLE), options("issuedAt", bad)).unwrap_err();
            assert!(
                e.as_string().unwrap().starts_with("issuedAt is not"),
                "{e:?}"
            );
        }
    }

    /// `issue` puts the three files' texts into the parsed object as strings of their own
    /// (not escaped into its JSON): the same bytes as the native issuing, under the keys
    /// in the documented order, and `null` when nothing was issued.
    #[wasm_bindgen_test]
    fn issue_returns_the_files_byte_for_byte_with_its_keys_in_order() {
        let at = "2026-11-27T10:43:00Z";
        let issued = phase7_core::wasm::issue_js(
            js_sys::Uint8Array::from(SAMPLE.as_bytes()).into(),
            options("issuedAt", at),
        )
        .unwrap();
        let r = run(SAMPLE.as_bytes(), &RunOptions::default()).unwrap();
        let files = phase7_core::attest::Artifacts::issue(&r, Some(at)).unwrap();
        let text = |key| get(&issued, key).as_string();
        assert_eq!(text("certificate_json"), files.certificate_json);
        assert_eq!(text("audit_trail_json"), Some(files.audit_trail_json));
        assert_eq!(text("macro_score_json"), files.macro_score_json);
        let keys: Vec<String> = js_sys::Object::keys(issued.unchecked_ref::<js_sys::Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        assert_eq!(
            keys,
            [
                "ok",
                "failure",
                "certificate",
                "certificate_json",
                "audit_trail_json",
                "macro_score_json",
                "errors"
            ]
        );
        let refused =
            phase7_core::wasm::issue_js(JsValue::from_str("[NaN]"), JsValue::UNDEFINED).unwrap();
        for key in ["certificate_json", "audit_trail_json", "macro_score_json"] {
            assert!(get(&refused, key).is_null(), "{key}");
        }
    }

    #[wasm_bindgen_test]
    fn run_reports_coded_errors() {
        let out =
            phase7_core::wasm::run_js(JsValue::from_str("[NaN]"), JsValue::UNDEFINED).unwrap();
        assert_eq!(get(&out, "ok").as_bool(), Some(false));
        let errors: js_sys::Array = get(&out, "errors").into();
        let codes: Vec<String> = errors
            .iter()
            .map(|e| get(&e, "code").as_string().unwrap())
            .collect();
        assert!(codes.contains(&"NON_FINITE".to_string()), "{codes:?}");
        assert!(
            codes.contains(&"INVALID_CLUSTER_COUNT".to_string()),
            "{codes:?}"
        );
    }

    #[wasm_bindgen_test]
    fn run_observed_calls_back_with_each_signal_in_order() {
        let collected = js_sys::Array::new();
        let push = js_sys::Function::new_with_args("s", "this.push(s.signal_type)");
        let callback = push.bind0(&collected);
        let out = phase7_core::wasm::run_observed_js(
            JsValue::from_str(SAMPLE),
            JsValue::UNDEFINED,
            callback.into(),
        )
        .unwrap();
        let types: Vec<String> = collected.iter().map(|v| v.as_string().unwrap()).collect();
        assert_eq!(types.first().map(String::as_str), Some("PHASE_STARTED"));
        assert_eq!(types.last().map(String::as_str), Some("PHASE_COMPLETED"));
        assert_eq!(types.iter().filter(|t| *t == "STAGE_COMPLETED").count(), 8);
        let metrics = get(&out, "metrics");
        let stages: js_sys::Array = get(&metrics, "stages").into();
        assert_eq!(stages.length(), 8);
        assert_eq!(get(&get(&out, "outcome"), "ok").as_bool(), Some(true));
    }
}
