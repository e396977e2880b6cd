//! The WebAssembly API: thin wasm-bindgen wrappers over the same functions the native
//! tests call. Values cross the boundary with serde-wasm-bindgen (JSON-compatible
//! objects; f64 values keep every bit).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::phase::{self, Outcome, RunOptions};

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Input bytes from a JS string or Uint8Array.
fn bytes_of(input: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = input.as_string() {
        Ok(s.into_bytes())
    } else if input.is_instance_of::<js_sys::Uint8Array>() {
        Ok(js_sys::Uint8Array::new(input).to_vec())
    } else {
        Err(JsValue::from_str("input must be a string or a Uint8Array"))
    }
}

/// Options from JS: `{ strict?: boolean, evaluatedAt?: string }`.
fn options_of(options: &JsValue) -> RunOptions {
    let mut out = RunOptions::default();
    if options.is_object() {
        let get = |k: &str| js_sys::Reflect::get(options, &JsValue::from_str(k)).ok();
        out.strict = get("strict").and_then(|v| v.as_bool()).unwrap_or(false);
        out.evaluated_at = get("evaluatedAt").and_then(|v| v.as_string());
    }
    out
}

/// Runs Phase 7 on a Phase 6 file (string or bytes). Returns an `Outcome` object:
/// `{ ok, failure, macro_score, checks, digests, errors, warnings }`.
///
/// # Errors
///
/// Only when `input` is neither a string nor a Uint8Array.
#[wasm_bindgen(js_name = run)]
pub fn run_js(input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    to_js(&Outcome::of(&phase::run(&bytes, &options_of(&options))))
}

/// The version of this library.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
