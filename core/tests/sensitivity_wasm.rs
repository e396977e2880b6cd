//! The sensitivity analysis inside headless Chromium (wasm32): the sample's report —
//! band analysis, Monte Carlo for seed 1 with 10,000 draws, a what-if — is recomputed and
//! compared byte for byte with the golden file the native build wrote, and the Monte
//! Carlo digest with the golden digest. Same bits natively and in the browser.
//!
//! Run: `wasm-pack test --headless --chrome core --features wasm`.
#![cfg(target_arch = "wasm32")]

use phase7_core::{
    config::Config,
    read::bridge,
    sensitivity::{analyse, monte_carlo, what_if, Model, Params, Sampler, WhatIfWeights},
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SAMPLE: &str = include_str!("../../tests/fixtures/p06_sample.json");
const GOLDEN: &str = include_str!("../../tests/fixtures/golden/sample_sensitivity.json");

fn model() -> Model {
    let input = bridge::read(SAMPLE.as_bytes(), &Default::default()).unwrap();
    Model::from_input(&input, &Config::published()).unwrap()
}

fn golden_digest() -> String {
    let doc: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    doc["monte_carlo"]["digest"].as_str().unwrap().to_string()
}

/// Also logs how long the 10,000 draws took (a measurement printed with the test output,
/// not a condition of the test).
#[wasm_bindgen_test]
fn monte_carlo_digest_in_the_browser_equals_the_native_golden_digest() {
    let model = model();
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = now_ms();
        let mc = monte_carlo(&model, &Params::default()).unwrap();
        times.push(now_ms() - start);
        assert_eq!(mc.digest, golden_digest());
    }
    console_log!(
        "sensitivity: 10,000 draws in the browser took {times:?} ms (Date.now resolution)"
    );
}

#[cfg(feature = "wasm")]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(not(feature = "wasm"))]
fn now_ms() -> f64 {
    f64::NAN
}

#[wasm_bindgen_test]
fn the_whole_sample_report_is_the_native_bytes() {
    // As core/tests/sensitivity.rs builds it natively.
    let input = bridge::read(SAMPLE.as_bytes(), &Default::default()).unwrap();
    let config = Config::published();
    let model = Model::from_input(&input, &config).unwrap();
    let w = WhatIfWeights::parse("w=0.4,0.1,0.1,0.4").unwrap();
    let doc = serde_json::json!({
        "analysis": analyse(&model),
        "monte_carlo": monte_carlo(&model, &Params::default()).unwrap(),
        "what_if": what_if(&input, &config, &w).unwrap(),
    });
    assert_eq!(serde_json::to_string_pretty(&doc).unwrap() + "\n", GOLDEN);
}

#[wasm_bindgen_test]
fn chunked_sampling_in_the_browser_gives_the_same_digest() {
    let mut s = Sampler::new(&model(), &Params::default()).unwrap();
    while s.done() < s.draws() {
        s.advance(997);
    }
    assert_eq!(s.finish().unwrap().digest, golden_digest());
}

/// The npm package's functions (`sensitivity`, `whatIf`) called through the wasm
/// module's Rust API, their results read back as JSON: the same values and digest as
/// the native golden files.
#[cfg(feature = "wasm")]
mod js_api {
    use super::*;
    use wasm_bindgen::JsValue;

    const CLI_GOLDEN: &str =
        include_str!("../../tests/fixtures/golden/sample_sensitivity_cli.json");

    /// A returned object as serde_json reads it, for reading fields (JSON.stringify
    /// writes 0.0 as `0`, so exact comparisons go through [`same`]).
    fn json(v: &JsValue) -> serde_json::Value {
        let text = js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// The JS value holds exactly the golden value: the same keys, and every number the
    /// same f64 bits (a JS number is an f64, so −0.0 and 0.0 stay apart).
    fn same(js: &JsValue, golden: &serde_json::Value, path: &str) {
        use serde_json::Value;
        match golden {
            Value::Null => assert!(js.is_null(), "{path}: {js:?}"),
            Value::Bool(b) => assert_eq!(js.as_bool(), Some(*b), "{path}"),
            Value::Number(n) => assert_eq!(
                js.as_f64().map(f64::to_bits),
                n.as_f64().map(f64::to_bits),
                "{path}"
            ),
            Value::String(t) => assert_eq!(js.as_string().as_deref(), Some(t.as_str()), "{path}"),
            Value::Array(items) => {
                let a = js_sys::Array::from(js);
                assert!(js_sys::Array::is_array(js), "{path}");
                assert_eq!(a.length() as usize, items.len(), "{path}");
                for (i, item) in items.iter().enumerate() {
                    same(&a.get(i as u32), item, &format!("{path}[{i}]"));
                }
            }
            Value::Object(map) => {
                let obj = js_sys::Object::from(js.clone());
                assert_eq!(
                    js_sys::Object::keys(&obj).length() as usize,
                    map.len(),
                    "{path}: keys"
                );
                for (k, v) in map {
                    let field = js_sys::Reflect::get(js, &JsValue::from_str(k)).unwrap();
                    same(&field, v, &format!("{path}.{k}"));
                }
            }
        }
    }

    fn get(v: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
    }

    fn options(pairs: &[(&str, JsValue)]) -> JsValue {
        let o = js_sys::Object::new();
        for (k, v) in pairs {
            js_sys::Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
        }
        o.into()
    }

    fn sensitivity_raw(options: JsValue) -> JsValue {
        phase7_core::wasm::sensitivity_js(JsValue::from_str(SAMPLE), options).unwrap()
    }

    fn sensitivity(options: JsValue) -> serde_json::Value {
        json(&sensitivity_raw(options))
    }

    fn what_if_raw(weights: JsValue) -> JsValue {
        phase7_core::wasm::what_if_js(JsValue::from_str(SAMPLE), weights).unwrap()
    }

    fn what_if(weights: JsValue) -> serde_json::Value {
        json(&what_if_raw(weights))
    }

    #[wasm_bindgen_test]
    fn sensitivity_gives_the_native_report_and_digest() {
        let golden: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
        let cli: serde_json::Value = serde_json::from_str(CLI_GOLDEN).unwrap();
        // Defaults: seed 1, 10,000 draws, r = 0.25 — the golden files' parameters.
        for opts in [
            JsValue::UNDEFINED,
            options(&[
                ("seed", 1.into()),
                ("draws", 10_000.into()),
                ("weightRange", 0.25.into()),
            ]),
        ] {
            let raw = sensitivity_raw(opts);
            let out = json(&raw);
            assert_eq!(out["ok"], true);
            assert_eq!(out["errors"], serde_json::json!([]));
            let r = &out["report"];
            assert_eq!(r["monte_carlo"]["digest"], golden_digest().as_str());
            let report = get(&raw, "report");
            same(
                &get(&report, "monte_carlo"),
                &golden["monte_carlo"],
                "monte_carlo",
            );
            same(&get(&report, "analysis"), &golden["analysis"], "analysis");
            for key in ["kind", "certified", "note", "input_digest", "monte_carlo"] {
                same(&get(&report, key), &cli[key], key);
            }
            assert!(r["what_if"].is_null());
        }
        // Another seed, another digest; the same seed twice, the same.
        let seven = || sensitivity(options(&[("seed", 7.into()), ("draws", 500.into())]));
        let a = seven();
        assert_eq!(a, seven());
        assert_ne!(
            a["report"]["monte_carlo"]["digest"],
            golden_digest().as_str()
        );
        assert_eq!(a["report"]["monte_carlo"]["parameters"]["seed"], 7);
    }

    #[wasm_bindgen_test]
    fn bad_parameters_and_inputs_are_coded_errors() {
        for (opts, code) in [
            (options(&[("draws", 0.into())]), "DRAWS_OUT_OF_RANGE"),
            (options(&[("draws", 1.5.into())]), "DRAWS_OUT_OF_RANGE"),
            (options(&[("draws", "many".into())]), "DRAWS_OUT_OF_RANGE"),
            (options(&[("draws", 2e6.into())]), "DRAWS_OUT_OF_RANGE"),
            (options(&[("seed", (-1).into())]), "SEED_OUT_OF_RANGE"),
            (
                options(&[("seed", 9_007_199_254_740_992f64.into())]),
                "SEED_OUT_OF_RANGE",
            ),
            (
                options(&[("weightRange", 1.into())]),
                "WEIGHT_RANGE_INVALID",
            ),
            (
                options(&[("weightRange", f64::NAN.into())]),
                "WEIGHT_RANGE_INVALID",
            ),
            (
                options(&[("weightRange", "wide".into())]),
                "WEIGHT_RANGE_INVALID",
            ),
        ] {
            let out = sensitivity(opts);
            assert_eq!(out["ok"], false, "{code}");
            assert!(out["report"].is_null());
            assert_eq!(out["errors"][0]["code"], code, "{out}");
            assert_eq!(out["errors"][0]["severity"], "error");
        }
        let out = json(
            &phase7_core::wasm::sensitivity_js(JsValue::from_str("[{"), JsValue::UNDEFINED)
                .unwrap(),
        );
        assert_eq!(out["ok"], false);
        assert_eq!(out["errors"][0]["code"], "MALFORMED_JSON");
        assert!(
            phase7_core::wasm::sensitivity_js(JsValue::from_f64(1.0), JsValue::UNDEFINED).is_err()
        );
    }

    #[wasm_bindgen_test]
    fn what_if_takes_text_or_four_numbers() {
        let golden: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
        let raw = what_if_raw(JsValue::from_str("w=0.4,0.1,0.1,0.4"));
        let text = json(&raw);
        assert_eq!(text["ok"], true);
        same(&get(&raw, "what_if"), &golden["what_if"], "what_if");
        let array = js_sys::Array::of4(&0.4.into(), &0.1.into(), &0.1.into(), &0.4.into());
        same(
            &get(&what_if_raw(array.into()), "what_if"),
            &golden["what_if"],
            "what_if",
        );
        for (weights, code) in [
            (JsValue::from_str("w=1,2,3"), "WHAT_IF_SYNTAX"),
            (JsValue::from_str("w=0,0,0,0"), "WHAT_IF_WEIGHTS_SUM_ZERO"),
            (
                js_sys::Array::of3(&1.into(), &2.into(), &3.into()).into(),
                "WHAT_IF_SYNTAX",
            ),
            (
                js_sys::Array::of4(&1.into(), &"x".into(), &1.into(), &1.into()).into(),
                "WHAT_IF_SYNTAX",
            ),
            (
                js_sys::Array::of4(&1.into(), &(-1).into(), &1.into(), &1.into()).into(),
                "WHAT_IF_WEIGHT_INVALID",
            ),
            (JsValue::from_f64(42.0), "WHAT_IF_SYNTAX"),
        ] {
            let out = what_if(weights);
            assert_eq!(out["ok"], false, "{code}");
            assert!(out["what_if"].is_null());
            assert_eq!(out["errors"][0]["code"], code, "{out}");
        }
    }
}
