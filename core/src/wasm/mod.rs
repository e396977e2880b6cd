//! The WebAssembly API: thin wasm-bindgen wrappers over the same functions the native
//! tests call. Values cross the boundary as JSON text that the browser's `JSON.parse`
//! turns into plain objects: serde_json writes the shortest text that reads back to the
//! same f64 and `JSON.parse` rounds correctly, so every bit is kept, and the package
//! carries one serializer (serde_json's, which the core needs anyway) instead of two.

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The npm package's allocator: Talc instead of the standard library's dlmalloc, the
/// same allocations in about 3 KB less gzipped wasm (`scripts/size.sh`; issue 9,
/// "Sizes") and no slower in `scripts/bench.sh`'s Chromium rows; it grows the wasm
/// memory on demand, by at least an eighth ([`crate::browser::Grow`]). Declared here, in
/// the module that is the package, not in the `browser` feature, so that a page built on
/// the core chooses its own (the dashboard declares the same one in `web/src/main.rs`).
#[global_allocator]
static TALC: crate::browser::Allocator = crate::browser::allocator();

use crate::error::Diagnostic;
use crate::phase::{self, Outcome, RunOptions};
use crate::sensitivity::{self, Params, Report, SensitivityError, WhatIf, WhatIfWeights};

// The sensitivity types (SensitivityReport, BandAnalysis, MonteCarlo, WhatIf, …) and
// QualityLevel, ClusterId, Severity, WeightedScore are generated from the Rust structs by
// `tsify` (`#[derive(Tsify)]` beside their `Serialize`), so the .d.ts follows the code.

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = crate::attest::digest::compact_string(value)
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}

// What a caller passes is read in JS, each step inside `try`: a JS exception that crossed
// into the wasm would skip every Rust destructor below it, so that the bytes already
// copied and the caller's values held for the call would stay allocated for good (a
// `verifyClaimed(input, Object.create(Uint8Array.prototype))` kept 16 MiB of wasm memory
// and the 16 MiB input each time; 255 calls filled the 4 GiB memory). Only fresh objects
// made here reach the Rust side: an array's `length`, `subarray` or elements run the
// caller's code (getters, proxies, species), these cannot.
#[wasm_bindgen(inline_js = "
export function view(x, n) {
  try { return new Uint8Array(x.buffer, x.byteOffset, Math.min(x.byteLength, n)).slice() } catch (_) {}
}
export function four(x) {
  try {
    if (Array.isArray(x)) { const n = x.length >>> 0; return n === 4 ? [x[0], x[1], x[2], x[3]] : n }
  } catch (_) {}
}")]
extern "C" {
    /// A fresh copy of a Uint8Array's first `n` bytes at most (a view of a buffer the
    /// wasm memory's growth could detach is copied before it grows); `undefined` for a
    /// value that is not one or throws.
    fn view(x: &JsValue, n: u32) -> JsValue;
    /// A fresh array of an array's four elements; its length when that is not 4;
    /// `undefined` for anything else or a throw.
    fn four(x: &JsValue) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    /// An object that [`to_js`] parsed.
    type Object;
    /// `object[key] = value`.
    #[wasm_bindgen(method, structural, indexing_setter)]
    fn set(this: &Object, key: &str, value: &str);
}

/// Input bytes from a JS string or Uint8Array. One over the 16 MiB cap from its length
/// (a string's UTF-16 units, an array's bytes) is copied into the wasm memory only up to
/// one unit past the cap — enough for `INPUT_TOO_LARGE`, whose value is then the size of
/// that part — never whole (a wasm memory never shrinks; issue 9).
fn bytes_of(input: &JsValue) -> Result<Vec<u8>, JsValue> {
    part_of(
        input,
        crate::read::bridge::DEFAULT_MAX_INPUT_BYTES as u32 + 1,
    )
}

/// A certificate's or an audit trail's bytes as [`bytes_of`], up to one unit past their
/// 1 MiB limit (`verify::ARTIFACT_MAX_BYTES`): a file over it is refused unread, and
/// copying it up to the input's cap took 48 MiB of wasm memory for a string of 16 Mi
/// CJK characters.
fn artifact_of(value: &JsValue) -> Result<Vec<u8>, JsValue> {
    part_of(value, crate::verify::ARTIFACT_MAX_BYTES as u32 + 1)
}

/// A JS string's or Uint8Array's bytes, up to its first `past_cap` units.
fn part_of(input: &JsValue, past_cap: u32) -> Result<Vec<u8>, JsValue> {
    if input.dyn_ref::<js_sys::Uint8Array>().is_some() {
        // The part up to the cap, copied in JS (a fresh array, see [`view`]) and then
        // into the wasm memory.
        match view(input, past_cap).dyn_into::<js_sys::Uint8Array>() {
            Ok(part) => Ok(part.to_vec()),
            Err(_) => Err(JsValue::from_str("input must be a string or a Uint8Array")),
        }
    } else if let Some(text) = short_text(input, past_cap) {
        // The string's first UTF-16 units up to the cap.
        Ok(text.into_bytes())
    } else {
        Err(JsValue::from_str("input must be a string or a Uint8Array"))
    }
}

/// A JS string's first `max` UTF-16 units (`None` for anything else): a text option is
/// copied into the wasm memory, which never shrinks, only as far as a valid one could go
/// (issue 9), not whole.
fn short_text(value: &JsValue, max: u32) -> Option<String> {
    value
        .dyn_ref::<js_sys::JsString>()
        .map(|s| String::from(s.slice(0, max)))
}

/// Options from JS: `{ strict?: boolean, evaluatedAt?: string }`.
///
/// # Errors
///
/// An `evaluatedAt` that is not an RFC 3339 date-time ([`time_of`]).
fn options_of(options: &JsValue) -> Result<RunOptions, JsValue> {
    Ok(RunOptions {
        strict: property(options, "strict").as_bool().unwrap_or(false),
        evaluated_at: time_of(options, "evaluatedAt")?,
        ..RunOptions::default()
    })
}

/// A time option (`evaluatedAt`, `issuedAt`): a string checked as the CLI checks its
/// `--evaluated-at` and `--issued-at` ([`crate::time::rfc3339_problem`]: at most 35
/// bytes), so that no other text reaches a MacroScore or a certificate; anything but a
/// string is absent, as before.
///
/// # Errors
///
/// A string that is not an RFC 3339 date-time: the message names the option and what
/// is wrong, without quoting the string.
fn time_of(options: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    // No date-time is 64 units long: a longer string is cut, still too long and with the
    // same fault.
    match short_text(&property(options, key), 64) {
        Some(s) => match crate::time::rfc3339_problem(&s) {
            None => Ok(Some(s)),
            Some(what) => Err(JsValue::from_str(
                &[key, " is not an RFC 3339 date-time: ", what].concat(),
            )),
        },
        None => Ok(None),
    }
}

/// Runs Phase 7 on a Phase 6 file (string or bytes). Returns an `Outcome` object:
/// `{ ok, failure, macro_score, checks, digests, errors, warnings }`.
///
/// # Errors
///
/// Only when `input` is neither a string nor a Uint8Array, or `evaluatedAt` is a string
/// that is not an RFC 3339 date-time.
#[wasm_bindgen(js_name = run, unchecked_return_type = "Outcome")]
pub fn run_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RunOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    to_js(&Outcome::of(&phase::run(&bytes, &options_of(&options)?)))
}

/// The version of this library.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Optional bytes from a JS value: `undefined`/`null` → `None`, else as `read` reads it.
fn optional_bytes(
    value: &JsValue,
    read: fn(&JsValue) -> Result<Vec<u8>, JsValue>,
) -> Result<Option<Vec<u8>>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        read(value).map(Some)
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
/// Only when `input` is neither a string nor a Uint8Array, or `evaluatedAt` or
/// `issuedAt` is a string that is not an RFC 3339 date-time.
#[wasm_bindgen(js_name = issue, unchecked_return_type = "Issued")]
pub fn issue_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IssueOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    let issued_at = time_of(&options, "issuedAt")?;
    let issued = issue_from_bytes(&bytes, &options_of(&options)?, issued_at.as_deref());
    // The three texts cross as JS strings of their own, each put in the `null` its key
    // holds in the parsed object (so the keys keep their order): written into the
    // object's JSON they would be escaped (every quote and line break of 28 KB of pretty
    // JSON) only for `JSON.parse` to unescape them again.
    let value = to_js(&issued)?;
    for (key, text) in [
        ("certificate_json", &issued.certificate_json),
        ("audit_trail_json", &issued.audit_trail_json),
        ("macro_score_json", &issued.macro_score_json),
    ] {
        if let Slot(Some(text)) = text {
            value.unchecked_ref::<Object>().set(key, text);
        }
    }
    Ok(value)
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
    certificate_json: Slot,
    /// `audit_trail.json` text (also for a run whose checks failed: marked not certified).
    audit_trail_json: Slot,
    /// `macro_score.json` text.
    macro_score_json: Slot,
    /// Coded errors when not ok.
    errors: Vec<crate::error::Diagnostic>,
}

/// A text of [`Issued`], written as `null`: [`issue_js`] puts it in the parsed object.
struct Slot(Option<String>);

impl Serialize for Slot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
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
            certificate_json: Slot(a.certificate_json),
            audit_trail_json: Slot(Some(a.audit_trail_json)),
            macro_score_json: Slot(a.macro_score_json),
            errors: outcome.errors,
        },
        Some(Err(e)) => {
            let e = crate::error::Phase7Error::Computation(e);
            Issued {
                ok: false,
                failure: Some(e.class()),
                certificate: None,
                certificate_json: Slot(None),
                audit_trail_json: Slot(None),
                macro_score_json: Slot(None),
                errors: e.diagnostics(),
            }
        }
        None => Issued {
            ok: false,
            failure: outcome.failure,
            certificate: None,
            certificate_json: Slot(None),
            audit_trail_json: Slot(None),
            macro_score_json: Slot(None),
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
/// Only when an argument is neither a string nor a Uint8Array, or `evaluatedAt` is a
/// string that is not an RFC 3339 date-time.
#[wasm_bindgen(js_name = verify, unchecked_return_type = "VerificationReport")]
pub fn verify_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] certificate: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "VerifyOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    let certificate = artifact_of(&certificate)?;
    let macro_score = optional_bytes(&property(&options, "macroScore"), bytes_of)?;
    let audit_trail = optional_bytes(&property(&options, "auditTrail"), artifact_of)?;
    let supplied = crate::verify::Supplied {
        certificate: &certificate,
        macro_score: macro_score.as_deref(),
        audit_trail: audit_trail.as_deref(),
    };
    to_js(&crate::verify::verify(
        &bytes,
        &supplied,
        &options_of(&options)?,
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

/// The browser probe, in [`crate::browser`] since the dashboard uses it without this
/// module's exports (feature `browser`); kept here under its old path.
pub use crate::browser::BrowserProbe;

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
/// Only when `input` is neither a string nor a Uint8Array, or `evaluatedAt` is a string
/// that is not an RFC 3339 date-time.
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
        &options_of(&options)?,
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

/// What [`sensitivity_js`] returns.
#[derive(Serialize, tsify::Tsify)]
struct SensitivityResult {
    /// True when the report was made.
    ok: bool,
    /// The report (NOT certified): band analysis, Monte Carlo and `what_if: null`; `null`
    /// when not ok.
    #[tsify(type = "SensitivityReport | null")]
    report: Option<Report>,
    /// Why not: a parameter out of range, the input rejected, … (coded).
    errors: Vec<Diagnostic>,
}

/// What [`what_if_js`] returns.
#[derive(Serialize, tsify::Tsify)]
struct WhatIfResult {
    /// True when the what-if was computed.
    ok: bool,
    /// The run under the edited weights (never certified); `null` when not ok.
    what_if: Option<WhatIf>,
    /// Why not (coded).
    errors: Vec<Diagnostic>,
}

/// A parameter that is not a number the core can take, as the core's code would say.
fn bad_parameter(code: &'static str, field: &str, value: &JsValue, rule: &str) -> Diagnostic {
    let text = value.as_f64().map_or_else(
        || "not a number".to_string(),
        crate::read::json::number_text,
    );
    Diagnostic {
        code,
        severity: "error",
        message: format!("{field} = {text}: {rule}"),
        cluster: None,
        field: Some(field.to_string()),
        value: Some(text),
        omitted: None,
    }
}

/// An integer option (`draws`, `seed`): absent → `default`; a JS number that is an
/// integer in [0, 2^53] → itself (the core checks the range); else the coded error.
fn integer(
    options: &JsValue,
    key: &str,
    default: u64,
    code: &'static str,
    rule: &str,
) -> Result<u64, Diagnostic> {
    let v = property(options, key);
    if v.is_undefined() || v.is_null() {
        return Ok(default);
    }
    match v.as_f64() {
        Some(x) if x.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&x) => Ok(x as u64),
        _ => Err(bad_parameter(code, key, &v, rule)),
    }
}

fn params_of(options: &JsValue) -> Result<Params, Diagnostic> {
    use sensitivity::monte_carlo::{
        DEFAULT_DRAWS, DEFAULT_SEED, DEFAULT_WEIGHT_RANGE, MAX_DRAWS, MAX_SEED,
    };
    let draws = integer(
        options,
        "draws",
        DEFAULT_DRAWS,
        "DRAWS_OUT_OF_RANGE",
        &format!("must be an integer between 1 and {MAX_DRAWS}"),
    )?;
    let seed = integer(
        options,
        "seed",
        DEFAULT_SEED,
        "SEED_OUT_OF_RANGE",
        &format!("must be an integer between 0 and {MAX_SEED}"),
    )?;
    let w = property(options, "weightRange");
    let weight_range = if w.is_undefined() || w.is_null() {
        DEFAULT_WEIGHT_RANGE
    } else {
        w.as_f64().ok_or_else(|| {
            bad_parameter(
                "WEIGHT_RANGE_INVALID",
                "weightRange",
                &w,
                "must be a finite number with 0 ≤ r < 1",
            )
        })?
    };
    let params = Params {
        draws,
        seed,
        weight_range,
    };
    params.validate().map_err(|e| e.report())?;
    Ok(params)
}

/// The run of `bytes`, or its coded errors.
fn run_of(bytes: &[u8]) -> Result<crate::phase::Run, Vec<Diagnostic>> {
    phase::run(bytes, &RunOptions::default()).map_err(|e| e.diagnostics())
}

/// How firm is the band? The sensitivity analysis of a Phase 6 file — band margin, band
/// probabilities under the pipeline's normal model, a seeded Monte Carlo (NOT certified;
/// the same bits and digest as `phase7 sensitivity --format json` for the same seed,
/// draws and weight range) — under `options` `{ draws?, seed?, weightRange? }`. Returns
/// `{ ok, report, errors }`: a parameter out of range (`DRAWS_OUT_OF_RANGE`,
/// `SEED_OUT_OF_RANGE`, `WEIGHT_RANGE_INVALID`) or a rejected input gives `ok: false`
/// and coded errors.
///
/// # Errors
///
/// Only when `input` is neither a string nor a Uint8Array.
#[wasm_bindgen(js_name = sensitivity, unchecked_return_type = "SensitivityResult")]
pub fn sensitivity_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SensitivityOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    let made = params_of(&options).map_err(|d| vec![d]).and_then(|params| {
        let run = run_of(&bytes)?;
        sensitivity::report(&run, &params, None).map_err(|e| vec![e.report()])
    });
    to_js(&match made {
        Ok(report) => SensitivityResult {
            ok: true,
            report: Some(report),
            errors: Vec::new(),
        },
        Err(errors) => SensitivityResult {
            ok: false,
            report: None,
            errors,
        },
    })
}

/// The weights of [`what_if_js`]: the text `w=a,b,c,d` or an array of four numbers.
fn weights_of(weights: &JsValue) -> Result<WhatIfWeights, SensitivityError> {
    // Cut one unit past the longest valid text: still too long, its length then that
    // part's (2,049 to 6,147 bytes).
    if let Some(text) = short_text(weights, sensitivity::what_if::MAX_TEXT_BYTES as u32 + 1) {
        return WhatIfWeights::parse(&text);
    }
    let syntax = |text: String, reason: &str| SensitivityError::WhatIfSyntax {
        text,
        reason: reason.to_string(),
    };
    // Read in JS ([`four`]): the elements of an array of four, or its length.
    let got = four(weights);
    if let Some(n) = got.as_f64() {
        return Err(syntax(
            format!("(an array of {})", n as u32),
            "must hold four numbers, MESO_1..MESO_4",
        ));
    }
    let Some(array) = got.dyn_ref::<js_sys::Array>() else {
        return Err(syntax(
            "(not text)".into(),
            "must be the text w=a,b,c,d or an array of four numbers",
        ));
    };
    let mut w = [0.0; 4];
    for (i, slot) in w.iter_mut().enumerate() {
        *slot = array.get(i as u32).as_f64().ok_or_else(|| {
            syntax(
                format!("(element {})", i + 1),
                "every weight must be a number",
            )
        })?;
    }
    WhatIfWeights::new(w)
}

/// The run of a Phase 6 file under edited cluster weights (`"w=0.4,0.1,0.1,0.4"` or
/// `[0.4, 0.1, 0.1, 0.4]`, MESO_1..MESO_4, normalised to add up to 1): score, band,
/// margin, band probabilities, gaps and the edited configuration's digest beside the
/// published one — never certified. Returns `{ ok, what_if, errors }`; bad weights
/// (`WHAT_IF_SYNTAX`, `WHAT_IF_WEIGHT_INVALID`, `WHAT_IF_WEIGHTS_SUM_ZERO`) or a
/// rejected input give `ok: false` and coded errors.
///
/// # Errors
///
/// Only when `input` is neither a string nor a Uint8Array.
#[wasm_bindgen(js_name = whatIf, unchecked_return_type = "WhatIfResult")]
pub fn what_if_js(
    #[wasm_bindgen(unchecked_param_type = "Phase6Input")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "WhatIfInput")] weights: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&input)?;
    let made = weights_of(&weights)
        .map_err(|e| vec![e.report()])
        .and_then(|w| {
            let run = run_of(&bytes)?;
            sensitivity::what_if(&run.input, &run.config, &w).map_err(|e| vec![e.report()])
        });
    to_js(&match made {
        Ok(what_if) => WhatIfResult {
            ok: true,
            what_if: Some(what_if),
            errors: Vec::new(),
        },
        Err(errors) => WhatIfResult {
            ok: false,
            what_if: None,
            errors,
        },
    })
}
