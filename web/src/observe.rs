//! The browser's side of an observed run: a [`Probe`] over `performance.now()`, the wasm
//! memory size and `Date`, and a [`SignalSink`] that hands every signal to the host page
//! — to the `onSignal` callback of the mount options and as a `phase7-signal`
//! `CustomEvent` (bubbling, `detail` = the signal as a plain JSON-compatible object) on
//! the mount element (`document.body` for the standalone page).

use phase7_core::observe::signal::{Signal, SignalSink};
use phase7_core::observe::Probe;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// The name of the DOM event that carries each signal.
pub const SIGNAL_EVENT: &str = "phase7-signal";

/// Where a dashboard's signals go besides its own timeline.
#[derive(Clone, Debug, Default)]
pub struct SignalHooks {
    /// The host's `onSignal(signal)` callback, if it gave one.
    pub callback: Option<js_sys::Function>,
    /// The element the `phase7-signal` events are dispatched on.
    pub target: Option<web_sys::EventTarget>,
}

impl SignalHooks {
    /// Delivers one signal: callback first, then the event. A throwing callback or
    /// listener cannot break the run (its exception is reported to the console by the
    /// browser for listeners, and swallowed for the callback).
    pub fn deliver(&self, signal: &Signal) {
        if self.callback.is_none() && self.target.is_none() {
            return;
        }
        let Ok(value) = signal.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) else {
            return;
        };
        if let Some(f) = &self.callback {
            let _ = f.call1(&JsValue::NULL, &value);
        }
        if let Some(target) = &self.target {
            let init = web_sys::CustomEventInit::new();
            init.set_bubbles(true);
            init.set_detail(&value);
            if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(SIGNAL_EVENT, &init) {
                let _ = target.dispatch_event(&event);
            }
        }
    }

    /// Reads `onSignal` from a mount-options object.
    pub fn callback_from(options: &JsValue) -> Option<js_sys::Function> {
        if !options.is_object() {
            return None;
        }
        js_sys::Reflect::get(options, &JsValue::from_str("onSignal"))
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

/// The browser's clock and memory gauge.
pub struct BrowserProbe;

impl Probe for BrowserProbe {
    fn now_ms(&mut self) -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or_else(js_sys::Date::now, |p| p.now())
    }

    fn memory_bytes(&mut self) -> Option<u64> {
        #[cfg(target_arch = "wasm32")]
        {
            Some(core::arch::wasm32::memory_size(0) as u64 * 65_536)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            None
        }
    }

    fn timestamp(&mut self) -> Option<String> {
        js_sys::Date::new_0().to_iso_string().as_string()
    }
}
