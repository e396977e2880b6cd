//! The two ways the dashboard starts: the normal page (mounted on `<body>` from
//! `main.rs`, options from the query string) and a portal's call of the exported
//! `mount(element, options)`, which places an independent dashboard inside an element
//! of the host page.

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::app::App;
use crate::i18n::Lang;
use crate::observe::SignalHooks;
use crate::options::MountOptions;

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
        callback: None,
        target: web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
            .map(Into::into),
    };
    leptos::mount::mount_to_body(move || view! { <App options=options hooks=hooks /> });
}

fn manual_mount_requested() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name='phase7-mount']").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("manual"))
}

/// A dashboard placed by [`mount`]; call `unmount()` to remove it.
#[wasm_bindgen]
pub struct MountedDashboard {
    handle: Option<Box<dyn Any>>,
}

#[wasm_bindgen]
impl MountedDashboard {
    /// Removes the dashboard from its element and drops its state.
    pub fn unmount(&mut self) {
        self.handle.take();
    }
}

/// Places a dashboard inside `element`.
///
/// `options` is an object with optional string fields `phase6Url`, `certificateUrl`,
/// `claimedUrl` (fetched like the `?phase6=`, `?certificate=`, `?claimed=` query
/// parameters), `lang` (`"es"` or `"en"`) and the function `onSignal(signal)`, called
/// with each lifecycle signal of every evaluation. The signals are also dispatched on
/// `element` as bubbling `phase7-signal` CustomEvents (`event.detail` = the signal).
/// Without `phase6Url` the bundled sample is shown.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> MountedDashboard {
    let hooks = SignalHooks {
        callback: SignalHooks::callback_from(&options),
        target: Some(element.clone().into()),
    };
    let options = options_from_js(&options);
    let handle = leptos::mount::mount_to(element, move || {
        view! { <App options=options hooks=hooks /> }
    });
    MountedDashboard {
        handle: Some(Box::new(handle)),
    }
}

fn options_from_js(options: &JsValue) -> MountOptions {
    if !options.is_object() {
        return MountOptions::default();
    }
    let get = |key: &str| {
        js_sys::Reflect::get(options, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    MountOptions {
        phase6_url: get("phase6Url"),
        certificate_url: get("certificateUrl"),
        claimed_url: get("claimedUrl"),
        lang: get("lang").as_deref().and_then(Lang::parse),
    }
}
