//! The pathological shapes of `bounds.rs` inside headless Chromium (wasm32), through the
//! library and through the wasm-bindgen API the dashboard and the npm package call:
//! every shape ends in a run or coded errors, and every report, certificate and audit
//! trail stays within the same size bounds as natively. (No allocator counting here:
//! the native test measures memory; sizes are smaller so the browser test stays quick.)
//!
//! Run: `wasm-pack test --headless --chrome core --features wasm`.
#![cfg(target_arch = "wasm32")]

use phase7_core::attest::Artifacts;
use phase7_core::phase::{self, Outcome, RunOptions};
use phase7_core::read::bridge::{self, ReadLimits};
use phase7_core::verify::{self, claim, Supplied};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod shapes;

/// Size of each generated input.
const SIZE: usize = 192 << 10;
/// A report on a hostile input (as the native test bounds it).
const REPORT_MAX: usize = 1 << 20;
/// A certificate or an audit trail.
const ARTIFACT_MAX: usize = 64 << 10;

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

fn small(what: &str, text: &str, max: usize) {
    assert!(
        text.len() <= max,
        "{what}: {} bytes, over {max}",
        text.len()
    );
}

#[wasm_bindgen_test]
fn every_shape_is_bounded_in_the_browser() {
    for s in shapes::all(SIZE) {
        let result = phase::run(&s.bytes, &RunOptions::default());
        assert_eq!(result.is_ok(), s.accepted, "{}", s.name);
        let o = Outcome::of(&result);
        small(
            s.name,
            &json(&(&o.errors, &o.warnings, &o.checks)),
            REPORT_MAX,
        );
        if let Ok(run) = &result {
            let files = Artifacts::issue(run, None).unwrap();
            let cert = files.certificate_json.clone().unwrap();
            small(s.name, &cert, ARTIFACT_MAX);
            small(s.name, &files.audit_trail_json, ARTIFACT_MAX);
            let m = files.macro_score_json.clone().unwrap();
            let report = verify::verify(
                &s.bytes,
                &Supplied {
                    certificate: cert.as_bytes(),
                    macro_score: Some(m.as_bytes()),
                    audit_trail: Some(files.audit_trail_json.as_bytes()),
                },
                &RunOptions::default(),
            );
            assert!(report.verified, "{}", s.name);
            small(s.name, &json(&report), REPORT_MAX);
            let c = claim::verify_claimed(&s.bytes, m.as_bytes());
            assert!(c.ok, "{}", s.name);
            small(s.name, &json(&c), REPORT_MAX);
        }
        let line = [b"{\"phase6\": ".as_slice(), &s.bytes, b"}"].concat();
        let read = bridge::read_batch_line(&line, &ReadLimits::default());
        assert_eq!(read.is_ok(), s.accepted, "{}", s.name);
    }
}

#[wasm_bindgen_test]
fn hostile_files_are_bounded_in_the_browser() {
    let input = shapes::SAMPLE.as_bytes();
    let run = phase::run(input, &RunOptions::default()).unwrap();
    let files = Artifacts::issue(&run, None).unwrap();
    let genuine = (
        files.certificate_json.clone().unwrap(),
        files.macro_score_json.clone().unwrap(),
        files.audit_trail_json.clone(),
    );
    for (name, c, m, a) in shapes::hostile_files(SIZE, &genuine) {
        let report = verify::verify(
            input,
            &Supplied {
                certificate: c.as_bytes(),
                macro_score: Some(m.as_bytes()),
                audit_trail: Some(a.as_bytes()),
            },
            &RunOptions::default(),
        );
        assert!(!report.verified, "{name}");
        small(name, &json(&report), REPORT_MAX);
    }
    for (name, claimed) in shapes::hostile_claims(SIZE, &genuine.1) {
        let report = claim::verify_claimed(input, claimed.as_bytes());
        assert!(!report.ok, "{name}");
        small(name, &json(&report), REPORT_MAX);
    }
}

#[cfg(feature = "wasm")]
mod js_api {
    use super::*;
    use wasm_bindgen::JsValue;

    fn get(v: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
    }

    /// The size of what the API hands to JavaScript, as JSON text.
    fn js_len(v: &JsValue) -> usize {
        js_sys::JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .map_or(0, |s| s.len())
    }

    #[wasm_bindgen_test]
    fn the_api_returns_bounded_objects_for_every_shape() {
        for s in shapes::all(SIZE) {
            let bytes = js_sys::Uint8Array::from(s.bytes.as_slice());
            let out = phase7_core::wasm::run_js(bytes.clone().into(), JsValue::UNDEFINED).unwrap();
            assert_eq!(get(&out, "ok").as_bool(), Some(s.accepted), "{}", s.name);
            if !s.accepted {
                assert!(js_len(&out) <= REPORT_MAX, "{}: {}", s.name, js_len(&out));
                // The capped list says how many it stands for.
                let errors: js_sys::Array = get(&out, "errors").into();
                assert!(errors.length() > 0, "{}", s.name);
            }
            let issued = phase7_core::wasm::issue_js(bytes.into(), JsValue::UNDEFINED).unwrap();
            if let Some(cert) = get(&issued, "certificate_json").as_string() {
                assert!(cert.len() <= ARTIFACT_MAX, "{}", s.name);
            }
        }
    }

    #[wasm_bindgen_test]
    fn five_thousand_nans_come_back_as_a_hundred_and_a_count() {
        let text = format!("[{}]", vec!["NaN"; 5000].join(","));
        let out = phase7_core::wasm::run_js(JsValue::from_str(&text), JsValue::UNDEFINED).unwrap();
        let errors: js_sys::Array = get(&out, "errors").into();
        let non_finite: Vec<JsValue> = errors
            .iter()
            .filter(|e| get(e, "code").as_string().as_deref() == Some("NON_FINITE"))
            .collect();
        assert_eq!(non_finite.len(), 101);
        assert_eq!(get(&non_finite[100], "omitted").as_f64(), Some(4900.0));
        // An ordinary diagnostic has no `omitted` key at all.
        assert!(get(&non_finite[0], "omitted").is_undefined());
    }
}

/// The allocator grows the wasm memory by at least an eighth of its size
/// (`phase7_core::browser::Grow`), not by the one 64 KiB page a small allocation needs:
/// a 15 MB input of millions of small values grew it about 4,000 times, and each
/// `memory.grow` costs the engine a new `ArrayBuffer` and garbage collection (in node, a
/// `run` of the "many deep one-element nests" shape: 5.6 s before, 1.3 s after).
#[wasm_bindgen_test]
fn the_memory_grows_by_an_eighth_at_least() {
    use core::arch::wasm32::memory_size;
    // Room kept for the boxes up front, so that only they need the memory to grow.
    let mut kept: Vec<Box<[u8; 1024]>> = Vec::with_capacity(1 << 16);
    for _ in 0..3 {
        let before = memory_size(0);
        assert!(before / 8 >= 2, "{before} pages");
        while memory_size(0) == before {
            kept.push(Box::new([1; 1024]));
        }
        let grown = memory_size(0) - before;
        assert!(grown >= before / 8, "grew by {grown} of {before} pages");
    }
    assert!(kept.len() < 1 << 16);
}
