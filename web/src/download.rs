//! Saving a document (JSON, CSV) from the page: a Blob, an object URL and a click on a
//! temporary link. Nothing leaves the machine.

use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a download named `filename` (media type `application/json`).
///
/// # Errors
///
/// When the browser refuses to create the Blob, the URL or the link.
pub fn save_json(filename: &str, text: &str) -> Result<(), JsValue> {
    save(filename, text, "application/json")
}

/// Offers `text` as a download named `filename` with the media type `mime`.
///
/// # Errors
///
/// When the browser refuses to create the Blob, the URL or the link.
pub fn save(filename: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    // Revoke once the browser has started the download.
    gloo::timers::callback::Timeout::new(1_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
