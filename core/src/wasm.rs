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

/// Optional bytes from a JS value: `undefined`/`null` → `None`, else as [`bytes_of`].
fn optional_bytes(value: &JsValue) -> Result<Option<Vec<u8>>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        bytes_of(value).map(Some)
    }
}

/// Reads a property of an options object.
fn property(options: &JsValue, key: &str) -> JsValue {
    if options.is_object() {
        js_sys::Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// Runs Phase 7 and issues the certificates. Options as [`run_js`] plus
/// `issuedAt?: string`. Returns an `Issued` object: `{ ok, failure, certificate,
/// certificate_json, audit_trail_json, macro_score_json, errors }`, the texts byte for
/// byte what `phase7 run` writes.
///
/// # Errors
///
/// Only when `input` is neither a string nor a Uint8Array.
#[wasm_bindgen(js_name = issue)]
pub fn issue_js(input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    let issued_at = property(&options, "issuedAt").as_string();
    to_js(&crate::certificate::issue_from_bytes(
        &bytes,
        &options_of(&options),
        issued_at.as_deref(),
    ))
}

/// Verifies a certificate against a rerun of the Phase 6 input. `options`:
/// `{ strict?: boolean, macroScore?: string | Uint8Array, auditTrail?: string |
/// Uint8Array }`. Returns a `VerificationReport`: `{ verified, outcome, certificate_id,
/// checks: [{ name, passed, path, expected, actual, note }], vouches_for,
/// does_not_vouch_for }`.
///
/// # Errors
///
/// Only when an argument is neither a string nor a Uint8Array.
#[wasm_bindgen(js_name = verify)]
pub fn verify_js(
    input: JsValue,
    certificate: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    let certificate = bytes_of(&certificate)?;
    let macro_score = optional_bytes(&property(&options, "macroScore"))?;
    let audit_trail = optional_bytes(&property(&options, "auditTrail"))?;
    let supplied = crate::verify::Supplied {
        certificate: &certificate,
        macro_score: macro_score.as_deref(),
        audit_trail: audit_trail.as_deref(),
    };
    to_js(&crate::verify::verify(
        &bytes,
        &supplied,
        &options_of(&options),
    ))
}

/// Compares the pipeline's claimed Phase 7 output with a rerun. Returns a `ClaimReport`:
/// `{ ok, outcome, fields: [{ path, status, ours, claimed, ulps, note }] }`.
///
/// # Errors
///
/// Only when an argument is neither a string nor a Uint8Array.
#[wasm_bindgen(js_name = verifyClaimed)]
pub fn verify_claimed_js(input: JsValue, claimed: JsValue) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    let claimed = bytes_of(&claimed)?;
    to_js(&crate::claim::verify_claimed(&bytes, &claimed))
}
