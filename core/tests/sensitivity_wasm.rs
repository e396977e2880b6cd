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
