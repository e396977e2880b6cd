//! What the host page hears: a [`SignalSink`] that hands every lifecycle signal to the
//! `onSignal` callback of the mount options and dispatches it as a `phase7-signal`
//! `CustomEvent` (bubbling, `detail` = the signal as a plain JSON-compatible object) on
//! the mount element (`document.body` for the standalone page); and the results — the
//! outcome of each evaluation, each certificate verification, each claim check, each
//! refusal record confirmed — as `phase7-outcome`, `phase7-verification`, `phase7-claim`
//! and `phase7-refusal` events and the `onOutcome`, `onVerification`, `onClaim`,
//! `onRefusal` callbacks. Runs are observed with the core's
//! `phase7_core::browser::BrowserProbe` (the browser's clock and the wasm memory size).

use phase7_core::observe::signal::{Signal, SignalSink};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// The name of the DOM event that carries each signal.
pub const SIGNAL_EVENT: &str = "phase7-signal";

/// The events (and callbacks) of results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultKind {
    /// `phase7-outcome` / `onOutcome`: an evaluation of a Phase 6 file.
    Outcome,
    /// `phase7-verification` / `onVerification`: a certificate verified.
    Verification,
    /// `phase7-claim` / `onClaim`: a claimed p07 output checked.
    Claim,
    /// `phase7-refusal` / `onRefusal`: a refusal record confirmed (or not) by rerunning.
    Refusal,
}

impl ResultKind {
    /// Every kind.
    pub const ALL: [ResultKind; 4] = [
        ResultKind::Outcome,
        ResultKind::Verification,
        ResultKind::Claim,
        ResultKind::Refusal,
    ];

    /// The DOM event's name.
    pub fn event(self) -> &'static str {
        match self {
            ResultKind::Outcome => "phase7-outcome",
            ResultKind::Verification => "phase7-verification",
            ResultKind::Claim => "phase7-claim",
            ResultKind::Refusal => "phase7-refusal",
        }
    }

    /// The mount option naming the callback.
    pub fn option(self) -> &'static str {
        match self {
            ResultKind::Outcome => "onOutcome",
            ResultKind::Verification => "onVerification",
            ResultKind::Claim => "onClaim",
            ResultKind::Refusal => "onRefusal",
        }
    }
}

/// The `phase7-outcome` detail (TypeScript: `OutcomeDetail`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutcomeDetail<'a> {
    file: &'a str,
    strict: bool,
    evaluated_at: Option<&'a str>,
    outcome: OutcomeRecord<'a>,
}

/// An evaluation's `phase7_core::phase::Outcome` as it serializes (the same fields in
/// the same order), its MacroScore borrowed from the run: the page keeps the outcome
/// without the copy of the MacroScore `Outcome::of` makes (`Evaluation::outcome`), which
/// repeats the input's long strings (30 MB for a 15 MB `dispersion_scenario`; issue 9).
#[derive(Serialize)]
pub struct OutcomeRecord<'a> {
    ok: bool,
    failure: Option<&'static str>,
    verdict: &'a Option<phase7_core::checks::Verdict>,
    macro_score: Option<&'a phase7_core::stages::macro_score::MacroScore>,
    checks: &'a [phase7_core::checks::Check],
    digests: &'a Option<phase7_core::phase::Digests>,
    errors: &'a [phase7_core::error::Diagnostic],
    warnings: &'a [phase7_core::error::Diagnostic],
}

impl<'a> OutcomeRecord<'a> {
    /// The outcome of `ev` with its run's MacroScore.
    pub fn of(ev: &'a crate::state::Evaluation) -> OutcomeRecord<'a> {
        let o = &ev.outcome;
        OutcomeRecord {
            ok: o.ok,
            failure: o.failure,
            verdict: &o.verdict,
            macro_score: o
                .macro_score
                .as_ref()
                .or_else(|| ev.run().map(|r| &r.macro_score)),
            checks: &o.checks,
            digests: &o.digests,
            errors: &o.errors,
            warnings: &o.warnings,
        }
    }
}

/// `value` as a plain JavaScript object: its JSON text (the core's compact writer, which
/// in wasm writes serde_json's bytes — the shortest text that reads back to the same
/// f64 — with the serializer the core's own records use) through the browser's
/// `JSON.parse` (which rounds correctly), so every number keeps its bits. One serializer
/// for the whole page: the core's records are written as JSON anyway.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Option<JsValue> {
    let text = phase7_core::attest::digest::compact_string(value).ok()?;
    js_sys::JSON::parse(&text).ok()
}

/// Where a dashboard's signals and results go besides its own panels.
#[derive(Clone, Debug, Default)]
pub struct SignalHooks {
    /// The host's `onSignal(signal)` callback, if it gave one.
    pub callback: Option<js_sys::Function>,
    /// The host's `onOutcome`, `onVerification`, `onClaim`, `onRefusal` callbacks (in
    /// [`ResultKind::ALL`] order).
    pub results: [Option<js_sys::Function>; 4],
    /// The element the `phase7-signal` events are dispatched on.
    pub target: Option<web_sys::EventTarget>,
}

impl SignalHooks {
    /// Delivers one result (`detail` any serializable value): callback first, then the
    /// bubbling event. A throwing callback cannot break the dashboard.
    pub fn deliver_result<T: Serialize>(&self, kind: ResultKind, detail: &T) {
        let i = ResultKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        let callback = self.results[i].as_ref();
        if callback.is_none() && self.target.is_none() {
            return;
        }
        let Some(value) = to_js(detail) else {
            return;
        };
        if let Some(f) = callback {
            let _ = f.call1(&JsValue::NULL, &value);
        }
        self.dispatch(kind.event(), &value);
    }

    /// Delivers the outcome of one evaluation (`phase7-outcome`, `onOutcome`).
    pub fn deliver_outcome(&self, ev: &crate::state::Evaluation) {
        self.deliver_result(
            ResultKind::Outcome,
            &OutcomeDetail {
                file: &ev.file.name,
                strict: ev.options.strict,
                evaluated_at: ev.options.evaluated_at.as_deref(),
                outcome: OutcomeRecord::of(ev),
            },
        );
    }

    fn dispatch(&self, name: &str, detail: &JsValue) {
        if let Some(target) = &self.target {
            let init = web_sys::CustomEventInit::new();
            init.set_bubbles(true);
            init.set_detail(detail);
            if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
                let _ = target.dispatch_event(&event);
            }
        }
    }

    /// Delivers one signal: callback first, then the event. A throwing callback or
    /// listener cannot break the run (its exception is reported to the console by the
    /// browser for listeners, and swallowed for the callback).
    pub fn deliver(&self, signal: &Signal) {
        if self.callback.is_none() && self.target.is_none() {
            return;
        }
        let Some(value) = to_js(signal) else {
            return;
        };
        if let Some(f) = &self.callback {
            let _ = f.call1(&JsValue::NULL, &value);
        }
        self.dispatch(SIGNAL_EVENT, &value);
    }

    /// Reads a callback (`onSignal`, `onOutcome`, …) from a mount-options object.
    pub fn callback_from(options: &JsValue, name: &str) -> Option<js_sys::Function> {
        if !options.is_object() {
            return None;
        }
        js_sys::Reflect::get(options, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Function>().ok())
    }
}

/// A sink that delivers each signal to the hooks as it is emitted.
pub struct HookSink<'a>(pub &'a SignalHooks);

impl SignalSink for HookSink<'_> {
    fn emit(&mut self, signal: &Signal) {
        self.0.deliver(signal);
    }
}

/// The probe the page observes its runs with: the core's browser probe
/// (`phase7_core::browser::BrowserProbe`); natively, where only the Leptos-free modules are
/// unit-tested, a probe without a clock.
#[cfg(target_arch = "wasm32")]
pub use phase7_core::browser::BrowserProbe as PageProbe;
/// The probe the page observes its runs with (natively: no clock).
#[cfg(not(target_arch = "wasm32"))]
pub use phase7_core::observe::NoClock as PageProbe;
