//! The two ways the dashboard starts: the normal page (mounted on `<body>` from
//! `main.rs`, options from the query string) and a portal's call of the exported
//! `mount(element, options)`, which places an independent dashboard inside an element
//! of the host page.

use std::any::Any;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::App;
use crate::i18n::Lang;
use crate::load::Loads;
use crate::observe::{ResultKind, SignalHooks};
use crate::options::{McRequest, MountOptions, Source, MAX_FETCH_TIMEOUT_MS};

#[wasm_bindgen(typescript_custom_section)]
const MOUNT_TYPES: &'static str = r#"
/** A file for the dashboard: a URL option (`phase6Url`…) or its content (`phase6`…). */
export type FileContent = string | Uint8Array | ArrayBuffer | Blob;
/** What `mount(element, options)` accepts (every field optional). */
export interface MountOptions {
  /** Phase 6 file to evaluate instead of the bundled sample: a URL, or the content. */
  phase6Url?: string; phase6?: FileContent;
  /** certificate.json to verify against it. */
  certificateUrl?: string; certificate?: FileContent;
  /** The pipeline's p07_output.json to check against it. */
  claimedUrl?: string; claimed?: FileContent;
  /** Interface language; anything else throws. Default: the last choice on this browser, else "es". */
  lang?: "es" | "en";
  /** Warnings fail the exit gate (`phase7 run --strict`). */
  strict?: boolean;
  /** RFC 3339 evaluation time written into the MacroScore (`--evaluated-at`). */
  evaluatedAt?: string;
  /** Layout for a host that has its own header/main/footer: no landmarks of its own. */
  embedded?: boolean;
  /** How long a fetch may take (ms, 1–600000; default 30000). */
  fetchTimeoutMs?: number;
  /** Origins other than the page's own that URLs may be fetched from ("*": any http(s) origin). */
  allowedOrigins?: string[];
  /** A what-if of the cluster weights to show (NOT certified): the compact text "w=0.3,0.2,0.25,0.25" (MESO_1..MESO_4). */
  whatIf?: string;
  /** Monte Carlo (NOT certified) run as soon as a result is shown, with these parameters (defaults 10000, 1, 0.25). */
  draws?: number | string; seed?: number | string; weightRange?: number | string;
  onSignal?: (signal: Signal) => void;
  onOutcome?: (detail: OutcomeDetail) => void;
  onVerification?: (detail: VerificationDetail) => void;
  onClaim?: (detail: ClaimDetail) => void;
  onRefusal?: (detail: RefusalDetail) => void;
}
/** `phase7-outcome` event detail: one evaluation of a Phase 6 file. */
export interface OutcomeDetail { file: string; strict: boolean; evaluatedAt: string | null; outcome: Outcome }
/** `phase7-verification` event detail: a certificate verified against the Phase 6 file. */
export interface VerificationDetail { file: string; certificate: string; report: VerificationReport }
/** `phase7-claim` event detail: the pipeline's claimed p07 output checked. */
export interface ClaimDetail { file: string; claimed: string; report: ClaimReport }
/** The core's report on a refusal record (`verify::refusal::verify_refusal`): confirmed by rerunning, or not. */
export interface RefusalReport { confirmed: boolean; outcome: { kind: "CONFIRMED" | "NOT_CONFIRMED" }; refusal_id: string | null; checks: VerificationCheck[] }
/** `phase7-refusal` event detail: a loaded refusal.json checked against the Phase 6 file by rerunning. */
export interface RefusalDetail { file: string; refusal: string; report: RefusalReport }
"#;

/// Mounts the dashboard on `<body>` with the options of the page's query string —
/// unless the page declares `<meta name="phase7-mount" content="manual">`, in which case
/// the host page calls [`mount`] itself.
pub fn mount_page() {
    if manual_mount_requested() {
        return;
    }
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let options = MountOptions::from_query(&query);
    let hooks = SignalHooks {
        target: web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
            .map(Into::into),
        ..SignalHooks::default()
    };
    let loads = Loads::default();
    leptos::mount::mount_to_body(move || {
        view! { <App options=options hooks=hooks loads=loads standalone=true /> }
    });
}

fn manual_mount_requested() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name='phase7-mount']").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("manual"))
}

/// A dashboard placed by [`mount`]; call `unmount()` to remove it. Only `unmount()`
/// removes it: a host that drops (or never keeps) this object keeps its dashboard, even
/// when the garbage collector frees the object.
#[wasm_bindgen]
pub struct MountedDashboard {
    handle: Option<Box<dyn Any>>,
    loads: Loads,
}

impl Drop for MountedDashboard {
    fn drop(&mut self) {
        // Freed without unmount(): leave the dashboard on the page.
        if let Some(handle) = self.handle.take() {
            std::mem::forget(handle);
        }
    }
}

#[wasm_bindgen]
impl MountedDashboard {
    /// Removes the dashboard from its element and drops its state; pending downloads are
    /// aborted and no pending task touches it afterwards. Calling it twice is harmless.
    pub fn unmount(&mut self) {
        self.loads.close();
        self.handle.take();
    }
}

/// Places a dashboard inside `element` (see `MountOptions` in the TypeScript types and
/// docs/dashboard.md). Throws an `Error` for a missing element and for invalid options
/// (an unknown `lang`, an invalid `evaluatedAt`, a file given both as URL and content…).
#[wasm_bindgen(js_name = mount)]
pub fn mount(
    #[wasm_bindgen(unchecked_param_type = "HTMLElement")] element: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MountOptions | undefined")] options: JsValue,
) -> Result<MountedDashboard, JsError> {
    let element: web_sys::HtmlElement = element.dyn_into().map_err(|v: JsValue| {
        JsError::new(&format!(
            "phase7 mount(element, options): element must be an HTMLElement, got {}",
            describe(&v)
        ))
    })?;
    let parsed =
        options_from_js(&options).map_err(|e| JsError::new(&format!("phase7 mount: {e}")))?;
    let mut hooks = SignalHooks {
        callback: SignalHooks::callback_from(&options, "onSignal"),
        target: Some(element.clone().into()),
        ..SignalHooks::default()
    };
    for (i, kind) in ResultKind::ALL.into_iter().enumerate() {
        hooks.results[i] = SignalHooks::callback_from(&options, kind.option());
    }
    let loads = Loads::default();
    let for_app = loads.clone();
    let handle = leptos::mount::mount_to(element, move || {
        view! { <App options=parsed hooks=hooks loads=for_app standalone=false /> }
    });
    Ok(MountedDashboard {
        handle: Some(Box::new(handle)),
        loads,
    })
}

fn describe(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else if v.is_undefined() {
        "undefined".into()
    } else {
        v.js_typeof()
            .as_string()
            .unwrap_or_else(|| "something else".into())
    }
}

fn get(options: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(options, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// The longest text each option may be, in UTF-16 units, checked from the string's length
/// before it is copied into the wasm memory (which never shrinks): 1,000 origins of 2.2 M
/// characters each filled the 4 GiB memory and trapped, one 100 M-character URL took
/// 1.3 GB (issue 9). Each is longer than any valid value: a URL as long as Chromium
/// navigates to (2 MiB), an origin (a scheme, at most 253 bytes of host and a port) with
/// room to spare, a date-time, a what-if text (its limit in bytes, never fewer than its
/// units), a Monte Carlo number with room for spaces and leading zeros.
mod max_units {
    pub const URL: u32 = 2 * 1024 * 1024;
    pub const ORIGIN: u32 = 2048;
    pub const LANG: u32 = 16;
    pub const DATE_TIME: u32 = 64;
    pub const WHAT_IF: u32 = phase7_core::sensitivity::what_if::MAX_TEXT_BYTES as u32;
    pub const NUMBER: u32 = 256;
    /// A file's name, only shown (cut further), never refused: cut to this.
    pub const FILE_NAME: u32 = 4096;
}

/// A string of at most `max` UTF-16 units, copied; a longer one an error naming `what`
/// and its length, not copied.
fn bounded(v: &JsValue, what: &str, max: u32) -> Result<Option<String>, String> {
    let Some(s) = v.dyn_ref::<js_sys::JsString>() else {
        return Ok(None);
    };
    match s.length() {
        n if n > max => Err(format!("{what} is {n} characters long, more than {max}")),
        _ => Ok(Some(String::from(s))),
    }
}

fn string(options: &JsValue, key: &str, max: u32) -> Result<Option<String>, String> {
    match get(options, key) {
        None => Ok(None),
        Some(v) => bounded(&v, key, max)?
            .map(Some)
            .ok_or_else(|| format!("{key} must be a string, got {}", describe(&v))),
    }
}

fn boolean(options: &JsValue, key: &str) -> Result<bool, String> {
    match get(options, key) {
        None => Ok(false),
        Some(v) => v
            .as_bool()
            .ok_or_else(|| format!("{key} must be a boolean, got {}", describe(&v))),
    }
}

/// A Monte Carlo parameter given as a number or a string, as text (the panel checks it
/// and shows a coded error for a bad one). A number is written as Rust's `{}` writes an
/// f64 (the shortest text that reads back to the same value, never an exponent).
fn number_or_text(options: &JsValue, key: &str) -> Result<Option<String>, String> {
    match get(options, key) {
        None => Ok(None),
        Some(v) => match (v.as_f64(), bounded(&v, key, max_units::NUMBER)?) {
            (Some(x), _) => Ok(Some(phase7_core::decimal::display(x))),
            (None, Some(s)) => Ok(Some(s)),
            _ => Err(format!(
                "{key} must be a number or a string, got {}",
                describe(&v)
            )),
        },
    }
}

// What a host passes as content or origins is read in JS, each step inside `try`, through
// the built-in getters rather than the object's own properties: a JS exception that crossed
// into the wasm would skip every Rust destructor below it, so that a file already copied
// stayed allocated for good (`mount(el, { phase6: bytes, certificate:
// Object.create(Uint8Array.prototype) })` kept its 16 MiB each time). Only fresh objects
// reach the Rust side.
#[wasm_bindgen(inline_js = "
const g = (p, k) => Object.getOwnPropertyDescriptor(p, k).get;
const t = Object.getPrototypeOf(Uint8Array.prototype);
const buffer = g(t, 'buffer'), offset = g(t, 'byteOffset'), length = g(t, 'byteLength');
const bytes = g(ArrayBuffer.prototype, 'byteLength'), size = g(Blob.prototype, 'size'), name = g(File.prototype, 'name');
const part = (a, max) => a.length > max ? a : a.slice();
export function fresh(v, max) {
  try {
    if (v instanceof Uint8Array) return part(new Uint8Array(buffer.call(v), offset.call(v), length.call(v)), max);
    if (v instanceof ArrayBuffer) return part(new Uint8Array(v, 0, bytes.call(v)), max);
    if (v instanceof File) return new File([v], name.call(v));
    if (v instanceof Blob) { size.call(v); return new Blob([v]) }
  } catch (_) {}
}
export function items(v, max) {
  try {
    if (Array.isArray(v)) { const n = v.length >>> 0; if (n > max) return n; const a = []; for (let i = 0; i < n; i++) a.push(v[i]); return a }
  } catch (_) {}
}")]
extern "C" {
    /// A fresh Uint8Array of a Uint8Array's or an ArrayBuffer's bytes (a copy when at
    /// most `max`, which the wasm memory's growth cannot detach as it could a view of
    /// that memory; a view when over, never copied into the wasm), a fresh File or Blob
    /// of a File's or Blob's; `undefined` for anything else, a value that only looks
    /// like one, or a throw.
    fn fresh(v: &JsValue, max: u32) -> JsValue;
    /// A fresh array of an array's elements; its length when over `max`; `undefined` for
    /// anything else or a throw.
    fn items(v: &JsValue, max: u32) -> JsValue;
}

/// One file slot: `<key>Url` (a URL) or `<key>` (content), not both.
fn file(options: &JsValue, key: &str, label: &str) -> Result<Option<Source>, String> {
    let url_key = format!("{key}Url");
    let url = string(options, &url_key, max_units::URL)?.filter(|s| !s.is_empty());
    let content = get(options, key);
    match (url, content) {
        (Some(_), Some(_)) => Err(format!("give {url_key} or {key}, not both")),
        (Some(url), None) => Ok(Some(Source::Url(url))),
        (None, None) => Ok(None),
        (None, Some(v)) => {
            let name = format!("{label} (host page)");
            // Anything but a string as its fresh copy ([`fresh`]).
            let given = v;
            let v = if given.is_string() {
                given.clone()
            } else {
                fresh(
                    &given,
                    phase7_core::read::bridge::DEFAULT_MAX_INPUT_BYTES as u32,
                )
            };
            if surely_over_cap(&v) {
                // Not copied into the wasm memory: a Blob of it is refused from its size,
                // as a picked file is, before anything is read (issue 9).
                let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&v))
                    .map_err(|_| format!("{key}: the browser could not hold it"))?;
                return Ok(Some(Source::Blob { name, blob }));
            }
            if let Some(s) = v.as_string() {
                return Ok(Some(Source::Contents {
                    name,
                    bytes: Arc::from(s.into_bytes()),
                }));
            }
            if let Some(a) = v.dyn_ref::<js_sys::Uint8Array>() {
                return Ok(Some(Source::Contents {
                    name,
                    bytes: Arc::from(a.to_vec()),
                }));
            }
            if let Some(f) = v.dyn_ref::<web_sys::File>() {
                // The fresh File's name ([`fresh`]), cut before it is copied.
                let name = js_sys::Reflect::get(f, &JsValue::from_str("name"))
                    .ok()
                    .and_then(|n| n.dyn_into::<js_sys::JsString>().ok())
                    .map(|n| String::from(n.slice(0, max_units::FILE_NAME)))
                    .unwrap_or_default();
                return Ok(Some(Source::Blob {
                    name,
                    blob: f.clone().into(),
                }));
            }
            if let Some(b) = v.dyn_ref::<web_sys::Blob>() {
                return Ok(Some(Source::Blob {
                    name,
                    blob: b.clone(),
                }));
            }
            Err(format!(
                "{key} must be a string, Uint8Array, ArrayBuffer, Blob or File, got {}",
                describe(&given)
            ))
        }
    }
}

/// Whether a string or Uint8Array is surely over the 16 MiB cap
/// ([`crate::state::over_cap`]), from its length alone (a string's UTF-8 bytes are at
/// least its UTF-16 code units).
fn surely_over_cap(v: &JsValue) -> bool {
    let length = if let Some(s) = v.dyn_ref::<js_sys::JsString>() {
        s.length()
    } else if let Some(a) = v.dyn_ref::<js_sys::Uint8Array>() {
        a.length()
    } else {
        0
    };
    crate::state::over_cap(u64::from(length))
}

/// The most origins `allowedOrigins` may list.
const MAX_ALLOWED_ORIGINS: u32 = 1000;

fn options_from_js(options: &JsValue) -> Result<MountOptions, String> {
    let mut out = MountOptions::new();
    if options.is_undefined() || options.is_null() {
        return Ok(out);
    }
    if !options.is_object() {
        return Err(format!(
            "options must be an object, got {}",
            describe(options)
        ));
    }
    out.phase6 = file(options, "phase6", "phase6")?;
    out.certificate = file(options, "certificate", "certificate")?;
    out.claimed = file(options, "claimed", "claimed")?;
    if let Some(lang) = string(options, "lang", max_units::LANG)? {
        out.lang = Some(Lang::parse(&lang).ok_or_else(|| {
            format!(
                "unknown lang \"{}\": use \"es\" or \"en\"",
                crate::format::untrusted(&lang)
            )
        })?);
    }
    out.strict = boolean(options, "strict")?;
    out.embedded = boolean(options, "embedded")?;
    if let Some(at) = string(options, "evaluatedAt", max_units::DATE_TIME)? {
        // The core's check quotes a long value cut, with its length.
        phase7_core::time::check_rfc3339(&at).map_err(|e| format!("evaluatedAt: {e}"))?;
        out.evaluated_at = Some(at);
    }
    if let Some(v) = get(options, "fetchTimeoutMs") {
        let ms = v
            .as_f64()
            .filter(|ms| ms.is_finite() && *ms >= 1.0 && *ms <= f64::from(MAX_FETCH_TIMEOUT_MS))
            .ok_or_else(|| {
                format!(
                    "fetchTimeoutMs must be a number of milliseconds in 1..={MAX_FETCH_TIMEOUT_MS}"
                )
            })?;
        out.fetch_timeout_ms = ms as u32;
    }
    out.what_if = string(options, "whatIf", max_units::WHAT_IF)?;
    let mc = [
        number_or_text(options, "draws")?,
        number_or_text(options, "seed")?,
        number_or_text(options, "weightRange")?,
    ];
    if mc.iter().any(Option::is_some) {
        let [draws, seed, weight_range] = mc.map(Option::unwrap_or_default);
        out.monte_carlo = Some(McRequest {
            draws,
            seed,
            weight_range,
        });
    }
    if let Some(v) = get(options, "allowedOrigins") {
        // Read in JS ([`items`]): the elements, or the length when there are too many.
        let v = items(&v, MAX_ALLOWED_ORIGINS);
        if let Some(n) = v.as_f64() {
            return Err(format!(
                "allowedOrigins lists {} origins, more than {MAX_ALLOWED_ORIGINS}",
                n as u32
            ));
        }
        let array = v
            .dyn_ref::<js_sys::Array>()
            .ok_or("allowedOrigins must be an array of origins")?;
        for (i, item) in array.iter().enumerate() {
            out.allowed_origins.push(
                bounded(&item, &format!("allowedOrigins[{i}]"), max_units::ORIGIN)?
                    .ok_or("allowedOrigins must be an array of strings")?,
            );
        }
    }
    Ok(out)
}
