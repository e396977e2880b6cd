//! The WebAssembly API: thin wasm-bindgen wrappers over the same functions the native
//! tests call. Values cross the boundary as JSON text that the browser's `JSON.parse`
//! turns into plain objects: serde_json writes the shortest text that reads back to the
//! same f64 and `JSON.parse` rounds correctly, so every bit is kept, and the package
//! carries one serializer (serde_json's, which the core needs anyway) instead of two.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::phase::{self, Outcome, RunOptions};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Input: the Phase 6 file's text or bytes. */
export type Phase6Input = string | Uint8Array;
export interface RunOptions { strict?: boolean; evaluatedAt?: string }
export interface IssueOptions extends RunOptions { issuedAt?: string }
export interface VerifyOptions { strict?: boolean; macroScore?: string | Uint8Array; auditTrail?: string | Uint8Array }
export interface Diagnostic { code: string; severity: "error" | "warning"; message: string; cluster: string | null; field: string | null; value: string | null; omitted?: number }
export interface Check { id: string; stage: "INPUT_CONTRACT" | "OUTPUT_CONTRACT" | "INVARIANTS" | "EXIT_GATE"; description: string; expected: string; actual: string; passed: boolean; severity: "error" | "warning" }
export interface Digests { input: string; config: string; output: string }
export type QualityLevel = "EXCELENTE" | "BUENO" | "ACEPTABLE" | "INSUFICIENTE";
export interface MacroScore {
  evaluation_id: string; score: number; score_normalized: number; quality_level: QualityLevel;
  cross_cutting_coherence: number;
  coherence_breakdown: { strategic_coherence: number; operational_coherence: number; institutional_coherence: number; inter_cluster_variance: number; irrigation_adjustment: number; coherence_pre_adjustment: number };
  systemic_gaps: string[]; gap_severity: Record<string, "CRITICAL" | "SEVERE" | "MODERATE">;
  strategic_alignment: number;
  alignment_breakdown: { vertical_alignment: number; horizontal_alignment: number; temporal_alignment: number };
  cluster_scores: { cluster_id: string; score: number; coherence: number; dispersion_scenario: string; penalty_applied: number }[];
  cluster_details: Record<string, unknown>;
  validation_passed: boolean; validation_details: Record<string, unknown>;
  score_std: number; confidence_interval_95: [number, number];
  provenance_node_id: string; aggregation_method: string; evaluation_timestamp: string | null; pipeline_version: string;
}
/** What `run` returns. */
export type Verdict = { status: "PASSED" } | { status: "FAILED"; stage: "OUTPUT_CONTRACT" | "INVARIANTS" | "EXIT_GATE"; failed: string[] };
export interface Outcome { ok: boolean; failure: string | null; verdict: Verdict | null; macro_score: MacroScore | null; checks: Check[]; digests: Digests | null; errors: Diagnostic[]; warnings: Diagnostic[] }
/** What `issue` returns: the texts are byte for byte what `phase7 run` writes (a run whose checks failed gets only its audit trail, marked not certified). */
export interface Issued { ok: boolean; failure: string | null; certificate: Record<string, unknown> | null; certificate_json: string | null; audit_trail_json: string | null; macro_score_json: string | null; errors: Diagnostic[] }
export interface VerificationCheck { name: string; passed: boolean; path: string; expected: string; actual: string; note: string; omitted?: number }
export interface VerificationReport {
  verified: boolean;
  outcome: { kind: "VERIFIED" } | { kind: "NOT_VERIFIED" } | { kind: "INPUT_REJECTED"; errors: Diagnostic[] };
  certificate_id: string | null; checks: VerificationCheck[]; vouches_for: string; does_not_vouch_for: string;
}
export interface ClaimField { path: string; status: "EQUAL" | "EXPLAINED" | "DIFFERENT" | "NOT_COMPARED"; ours: string; claimed: string; ulps: number | null; note: string; omitted?: number }
export interface ClaimReport {
  ok: boolean;
  outcome: { kind: "IDENTICAL" | "EXPLAINED" | "DIFFERENT" } | { kind: "INPUT_REJECTED" | "RERUN_FAILED"; errors: Diagnostic[] };
  fields: ClaimField[];
}
export interface Signal {
  signal_id: string;
  signal_type: "PHASE_STARTED" | "STAGE_COMPLETED" | "INVARIANT_VALIDATED" | "GATE_PASSED" | "GATE_FAILED" | "PHASE_COMPLETED" | "PHASE_FAILED";
  scope: { phase: "phase_7"; policy_area: string; slot: string };
  payload: { phase_id: "P07"; event_type: string; stage?: string; stage_index?: number; stage_total: number; restored?: boolean; check_id?: string; passed?: boolean; error_code?: string; message?: string };
  provenance: { emitter: string; emitter_version: string; run_id: string; sequence: number; emitted_at: string | null };
}
export interface StageMetrics { stage: string; stage_index: number; duration_ms: number; memory_bytes: number | null; memory_delta_bytes: number | null; restored: boolean }
export interface Phase7Metrics { phase_id: "P07"; run_id: string; outcome: "completed" | "failed" | "interrupted"; error_code: string | null; stages: StageMetrics[]; total_duration_ms: number; peak_memory_bytes: number | null; aggregates: { stage_count: number; computed_stages: number; mean_stage_ms: number; max_stage_ms: number; slowest_stage: string | null }; resumed_after_stage: string | null; input_bytes: number; clusters_processed: number; systemic_gaps: number; checks_run: number; checks_failed: number }
/** What `runObserved` returns. */
export interface ObservedRun { outcome: Outcome; metrics: Phase7Metrics; signals: Signal[] }
"#;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = crate::attest::digest::compact_string(value)
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::parse(&text)
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
#[wasm_bindgen(js_name = run, unchecked_return_type = "Outcome")]
pub fn run_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RunOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
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
#[wasm_bindgen(js_name = issue, unchecked_return_type = "Issued")]
pub fn issue_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IssueOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    let issued_at = property(&options, "issuedAt").as_string();
    to_js(&issue_from_bytes(
        &bytes,
        &options_of(&options),
        issued_at.as_deref(),
    ))
}

/// What [`issue_js`] returns.
#[derive(Serialize)]
struct Issued {
    /// True when the run passed and the certificates were issued.
    ok: bool,
    /// The failure class or failed check family when not ok.
    failure: Option<&'static str>,
    /// The Phase 7 → 8 certificate (with the 6 → 7 one inside).
    certificate: Option<crate::attest::certificate::Phase7To8Certificate>,
    /// `certificate.json` text.
    certificate_json: Option<String>,
    /// `audit_trail.json` text (also for a run whose checks failed: marked not certified).
    audit_trail_json: Option<String>,
    /// `macro_score.json` text.
    macro_score_json: Option<String>,
    /// Coded errors when not ok.
    errors: Vec<crate::error::Diagnostic>,
}

fn issue_from_bytes(bytes: &[u8], options: &RunOptions, issued_at: Option<&str>) -> Issued {
    let result = phase::run(bytes, options);
    let outcome = Outcome::of(&result);
    let artifacts = result
        .as_ref()
        .ok()
        .map(|run| crate::attest::Artifacts::issue(run, issued_at));
    match artifacts {
        Some(Ok(a)) => Issued {
            ok: outcome.ok,
            failure: outcome.failure,
            certificate: a.certificate,
            certificate_json: a.certificate_json,
            audit_trail_json: Some(a.audit_trail_json),
            macro_score_json: a.macro_score_json,
            errors: outcome.errors,
        },
        Some(Err(e)) => {
            let e = crate::error::Phase7Error::Computation(e);
            Issued {
                ok: false,
                failure: Some(e.class()),
                certificate: None,
                certificate_json: None,
                audit_trail_json: None,
                macro_score_json: None,
                errors: e.diagnostics(),
            }
        }
        None => Issued {
            ok: false,
            failure: outcome.failure,
            certificate: None,
            certificate_json: None,
            audit_trail_json: None,
            macro_score_json: None,
            errors: outcome.errors,
        },
    }
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
#[wasm_bindgen(js_name = verify, unchecked_return_type = "VerificationReport")]
pub fn verify_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] certificate: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "VerifyOptions")] options: JsValue,
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
#[wasm_bindgen(js_name = verifyClaimed, unchecked_return_type = "ClaimReport")]
pub fn verify_claimed_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] claimed: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    let claimed = bytes_of(&claimed)?;
    to_js(&crate::verify::claim::verify_claimed(&bytes, &claimed))
}

/// The browser's clock (`performance.now()` when present, else `Date.now()`), the wasm
/// linear memory size, and `Date` for signal timestamps.
struct BrowserProbe;

impl crate::observe::Probe for BrowserProbe {
    fn now_ms(&mut self) -> f64 {
        let perf = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
            .ok()
            .filter(|p| p.is_object());
        perf.and_then(|p| {
            let now = js_sys::Reflect::get(&p, &JsValue::from_str("now")).ok()?;
            let f: js_sys::Function = now.dyn_into().ok()?;
            f.call0(&p).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
    }

    fn memory_bytes(&mut self) -> Option<u64> {
        Some(core::arch::wasm32::memory_size(0) as u64 * 65_536)
    }

    fn timestamp(&mut self) -> Option<String> {
        js_sys::Date::new_0().to_iso_string().as_string()
    }
}

/// Sends each signal to a JS callback as it is emitted, and keeps a copy.
struct CallbackSink {
    callback: Option<js_sys::Function>,
    all: Vec<crate::observe::signal::Signal>,
}

impl crate::observe::signal::SignalSink for CallbackSink {
    fn emit(&mut self, signal: &crate::observe::signal::Signal) {
        if let (Some(f), Ok(v)) = (&self.callback, to_js(signal)) {
            // A throwing callback must not break the run.
            let _ = f.call1(&JsValue::NULL, &v);
        }
        self.all.push(signal.clone());
    }
}

/// Runs Phase 7 with lifecycle signals and per-stage metrics. `onSignal` (optional) is
/// called with each signal as it happens. Returns `{ outcome, metrics, signals }`.
///
/// # Errors
///
/// Only when `input` is neither a string nor a Uint8Array.
#[wasm_bindgen(js_name = runObserved, unchecked_return_type = "ObservedRun")]
pub fn run_observed_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RunOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "(signal: Signal) => void")] on_signal: JsValue,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct ObservedRun<'a> {
        outcome: Outcome,
        metrics: &'a crate::observe::metrics::Phase7Metrics,
        signals: &'a [crate::observe::signal::Signal],
    }
    let bytes = bytes_of(&input)?;
    let mut sink = CallbackSink {
        callback: on_signal.dyn_into().ok(),
        all: Vec::new(),
    };
    let observed = crate::observe::run_observed(
        &bytes,
        &options_of(&options),
        &mut BrowserProbe,
        &mut sink,
        None,
        &crate::observe::Controls::default(),
    );
    to_js(&ObservedRun {
        outcome: Outcome::of(&observed.result),
        metrics: &observed.metrics,
        signals: &sink.all,
    })
}
