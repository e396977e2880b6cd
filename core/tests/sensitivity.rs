//! The sensitivity analysis end to end (natively): the sample's result pinned in a golden
//! file, the Monte Carlo digest reproducible and seed-dependent, the analysis kept out of
//! the run, and what-if texts that never panic.
//!
//! The golden file `tests/fixtures/golden/sample_sensitivity.json` is rewritten with
//! `PHASE7_BLESS=1 cargo test -p phase7-core --test sensitivity` (a deliberate act:
//! review the diff). `core/tests/sensitivity_wasm.rs` recomputes it in headless Chromium
//! and compares the bytes: native and wasm32 give the same bits.
#![cfg(not(target_arch = "wasm32"))]

use phase7_core::{
    attest::{digest, Artifacts},
    config::Config,
    phase::{self, RunOptions},
    read::{bridge, json},
    sensitivity::{analyse, monte_carlo, what_if, Model, Params, WhatIfWeights},
};

mod golden;

const SAMPLE: &str = include_str!("../../tests/fixtures/p06_sample.json");
const GOLDEN: &str = include_str!("../../tests/fixtures/golden/sample_sensitivity.json");

/// The golden document: the sample's band analysis, its Monte Carlo for seed 1 with
/// 10,000 draws and r = 0.25, and one what-if (`w=0.4,0.1,0.1,0.4`).
fn sample_report() -> String {
    let input = bridge::read(SAMPLE.as_bytes(), &Default::default()).unwrap();
    let config = Config::published();
    let model = Model::from_input(&input, &config).unwrap();
    let mc = monte_carlo(&model, &Params::default()).unwrap();
    let w = WhatIfWeights::parse("w=0.4,0.1,0.1,0.4").unwrap();
    let doc = serde_json::json!({
        "analysis": analyse(&model),
        "monte_carlo": mc,
        "what_if": what_if(&input, &config, &w).unwrap(),
    });
    serde_json::to_string_pretty(&doc).unwrap() + "\n"
}

fn sample_model() -> Model {
    let input = bridge::read(SAMPLE.as_bytes(), &Default::default()).unwrap();
    Model::from_input(&input, &Config::published()).unwrap()
}

#[test]
fn the_sample_report_is_reproduced_byte_for_byte() {
    golden::check("sample_sensitivity.json", &sample_report());
}

#[test]
fn the_golden_digest_is_the_digest_of_the_golden_body() {
    let doc: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    let mut mc = doc["monte_carlo"].clone();
    let digest = mc
        .as_object_mut()
        .unwrap()
        .remove("digest")
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    // Read back from the file (serde_json's float_roundtrip keeps every bit).
    assert_eq!(digest::of(&mc).unwrap(), digest);
    assert_eq!(mc["certified"], false);
    assert_eq!(mc["parameters"]["seed"], 1);
    assert_eq!(mc["parameters"]["draws"], 10_000);
    assert_eq!(mc["parameters"]["weight_range"], 0.25);
}

#[test]
fn same_seed_same_bits_different_seed_different_draws() {
    let model = sample_model();
    let p = Params {
        draws: 2000,
        seed: 42,
        weight_range: 0.25,
    };
    let a = monte_carlo(&model, &p).unwrap();
    let b = monte_carlo(&model, &p).unwrap();
    assert_eq!(a.digest, b.digest);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let c = monte_carlo(&model, &Params { seed: 43, ..p }).unwrap();
    assert_ne!(a.digest, c.digest);
    assert_ne!(a.body.mean.to_bits(), c.body.mean.to_bits());
    assert_ne!(a.body.histogram.counts, c.body.histogram.counts);
    // The deterministic parts do not depend on the seed.
    assert_eq!(a.body.one_at_a_time, c.body.one_at_a_time);
    assert_eq!(a.body.nominal, c.body.nominal);
    // Another weight range or number of draws is another result.
    let d = monte_carlo(
        &model,
        &Params {
            weight_range: 0.1,
            ..p
        },
    )
    .unwrap();
    assert_ne!(a.digest, d.digest);
    let e = monte_carlo(&model, &Params { draws: 2001, ..p }).unwrap();
    assert_ne!(a.digest, e.digest);
}

/// Four clusters at exactly 1.65: INSUFICIENTE by rounding, warned as BAND_MARGIN by the
/// analysis — and the run, its strict mode, its warnings and its certificate are the same
/// as ever.
#[test]
fn band_margin_is_analysis_not_an_input_warning() {
    let mut doc: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    let clusters = match doc.as_array_mut() {
        Some(a) => a,
        None => doc["cluster_scores"].as_array_mut().unwrap(),
    };
    for c in clusters.iter_mut() {
        c["score"] = serde_json::json!(1.65);
    }
    let bytes = serde_json::to_vec(&doc).unwrap();
    let strict = RunOptions {
        strict: true,
        ..RunOptions::default()
    };
    let run = phase::run(&bytes, &strict).unwrap();
    assert_eq!(run.macro_score.score_normalized, 0.5499999999999999);
    assert_eq!(run.macro_score.quality_level.as_str(), "INSUFICIENTE");
    assert!(run.warnings().is_empty());
    let before = Artifacts::issue(&run, Some("2026-01-01T00:00:05Z")).unwrap();

    let model = Model::from_input(&run.input, &run.config).unwrap();
    let a = analyse(&model);
    assert_eq!(a.warnings.len(), 1);
    assert_eq!(a.warnings[0].code(), "BAND_MARGIN");
    assert_eq!(a.margin.distance_ulps, -1);
    assert_eq!(
        a.warnings[0].to_string(),
        "band INSUFICIENTE decided 1 ulp(s) below the ACEPTABLE threshold 0.55 \
         (score_normalized 0.5499999999999999): a difference in the last bits of the \
         arithmetic would change it"
    );
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["certified"], false);
    assert_eq!(json["warnings"][0]["code"], "BAND_MARGIN");
    assert_eq!(json["warnings"][0]["severity"], "warning");

    let again = phase::run(&bytes, &strict).unwrap();
    assert!(again.warnings().is_empty());
    assert_eq!(
        Artifacts::issue(&again, Some("2026-01-01T00:00:05Z")).unwrap(),
        before
    );
}

#[test]
fn the_sample_analysis_numbers() {
    let doc: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    let a = &doc["analysis"];
    assert_eq!(a["nominal"]["band"], "ACEPTABLE");
    assert_eq!(a["margin"]["threshold"], 0.55);
    assert!(a["margin"]["warning"].is_null());
    let p = &a["probabilities"]["probabilities"];
    let ins = p["INSUFICIENTE"].as_f64().unwrap();
    assert!((ins - 0.17312090144941936).abs() < 1e-13);
    let mc = &doc["monte_carlo"];
    let counts = &mc["band_counts"];
    let total: u64 = ["EXCELENTE", "BUENO", "ACEPTABLE", "INSUFICIENTE"]
        .iter()
        .map(|b| counts[b].as_u64().unwrap())
        .sum();
    assert_eq!(total, 10_000);
    assert_eq!(mc["one_at_a_time"].as_array().unwrap().len(), 12);
    assert_eq!(mc["indices"].as_array().unwrap().len(), 8);
    assert_eq!(doc["what_if"]["is_published_configuration"], false);
}

/// xorshift64*: a fixed seed, so every run mutates the same way.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Mutated what-if texts: each parses to valid weights that round-trip, or fails with a
/// coded error whose message holds no control character; none panics.
#[test]
fn mutated_what_if_texts_never_panic() {
    const ALPHABET: &[u8] = b"w=0123456789.,-+eE \x1b\n\xff\xc3\xa9NaInf";
    let base = b"w=0.3,0.2,0.25,0.25";
    let mut rng = Rng(0x5eed_5eed);
    let (mut ok, mut rejected) = (0, 0);
    for _ in 0..20_000 {
        let mut v = base.to_vec();
        for _ in 0..1 + rng.next() % 4 {
            let i = (rng.next() % (v.len() as u64 + 1)) as usize;
            let b = ALPHABET[(rng.next() % ALPHABET.len() as u64) as usize];
            match rng.next() % 3 {
                0 if i < v.len() => v[i] = b,
                1 if i < v.len() => {
                    v.remove(i);
                }
                _ => v.insert(i, b),
            }
        }
        let text = String::from_utf8_lossy(&v);
        match WhatIfWeights::parse(&text) {
            Ok(w) => {
                ok += 1;
                let back = WhatIfWeights::parse(&w.to_text()).unwrap();
                assert_eq!(back.given().map(f64::to_bits), w.given().map(f64::to_bits));
                let sum: f64 = w.normalised().iter().sum();
                assert!((sum - 1.0).abs() < 1e-9, "{text}");
            }
            Err(e) => {
                rejected += 1;
                assert!(e.code().starts_with("WHAT_IF_"), "{text}: {}", e.code());
                assert!(!e.to_string().chars().any(char::is_control), "{text}");
            }
        }
    }
    assert!(ok > 1000 && rejected > 1000, "{ok} {rejected}");
}

#[test]
fn what_if_json_is_parseable_by_the_core_reader() {
    let input = bridge::read(SAMPLE.as_bytes(), &Default::default()).unwrap();
    let w = WhatIfWeights::new([0.1, 0.2, 0.3, 0.4]).unwrap();
    let r = what_if(&input, &Config::published(), &w).unwrap();
    let text = serde_json::to_string(&r).unwrap();
    let back = json::parse(text.as_bytes()).unwrap().value;
    assert_eq!(
        back.get("text"),
        Some(&json::Json::String("w=0.1,0.2,0.3,0.4".into()))
    );
    assert_eq!(back.get("certified"), Some(&json::Json::Bool(false)));
}
