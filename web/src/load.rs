//! Getting files into the dashboard: file pickers, drag and drop, the query-parameter
//! URLs, and the bundled sample. The size cap is applied from `File.size` (or the
//! `Content-Length` of a fetch) before anything is read, and the evaluation itself runs
//! after the browser has had a chance to paint the "working" state.

use std::sync::Arc;

use gloo::timers::future::TimeoutFuture;
use leptos::prelude::{GetValue, Set};
use leptos::task::spawn_local;
use phase7_core::read::bridge::DEFAULT_MAX_INPUT_BYTES;

use crate::documents::{classify, DocKind};
use crate::observe::{BrowserProbe, HookSink};
use crate::state::{
    over_cap, Dashboard, Evaluation, Loaded, Notice, Origin, SAMPLE_NAME, SAMPLE_PHASE6,
};

/// Evaluates the bundled sample.
pub fn sample(dash: Dashboard) {
    evaluate(
        dash,
        Loaded {
            name: SAMPLE_NAME.into(),
            origin: Origin::Sample,
            size: SAMPLE_PHASE6.len() as u64,
            bytes: Arc::from(SAMPLE_PHASE6.as_bytes()),
        },
    );
}

/// Loads files from a picker meant for `kind`, or recognises each one (`None`: dropped).
pub fn files(dash: Dashboard, list: web_sys::FileList, kind: Option<DocKind>) {
    for i in 0..list.length() {
        if let Some(file) = list.item(i) {
            load_file(dash, file, kind);
        }
    }
}

fn load_file(dash: Dashboard, file: web_sys::File, kind: Option<DocKind>) {
    let name = file.name();
    let size = file.size().max(0.0) as u64;
    if over_cap(size) {
        // Refused from its size alone: the file is never read.
        match kind.unwrap_or(DocKind::Phase6) {
            DocKind::Phase6 => {
                dash.clear_notices(DocKind::Phase6);
                refuse(dash, name, Origin::File, size);
            }
            other => dash.notify(too_large_notice(other, name, size)),
        }
        return;
    }
    dash.begin();
    spawn_local(async move {
        let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
        match gloo::file::futures::read_as_bytes(&blob).await {
            Ok(bytes) => {
                let kind = kind.unwrap_or_else(|| classify(&name, &bytes));
                accept(
                    dash,
                    kind,
                    Loaded {
                        name,
                        origin: Origin::File,
                        size,
                        bytes: Arc::from(bytes),
                    },
                );
            }
            Err(e) => dash.notify(Notice {
                code: "READ_FAILED",
                kind: kind.unwrap_or(DocKind::Phase6),
                target: name,
                message: e.to_string(),
            }),
        }
        dash.done();
    });
}

/// Fetches a file for `kind` from a URL given in the query string or the mount options.
pub fn url(dash: Dashboard, kind: DocKind, url: String) {
    dash.begin();
    spawn_local(async move {
        match fetch(&url).await {
            Ok(Fetched::Bytes(bytes)) => accept(
                dash,
                kind,
                Loaded {
                    name: url,
                    origin: Origin::Url,
                    size: bytes.len() as u64,
                    bytes: Arc::from(bytes),
                },
            ),
            Ok(Fetched::TooLarge(size)) => match kind {
                DocKind::Phase6 => refuse(dash, url, Origin::Url, size),
                other => dash.notify(too_large_notice(other, url, size)),
            },
            Err(message) => dash.notify(Notice {
                code: "FETCH_FAILED",
                kind,
                target: url,
                message,
            }),
        }
        dash.done();
    });
}

enum Fetched {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

async fn fetch(url: &str) -> Result<Fetched, String> {
    // The URL is used exactly as given (gloo's builder would append `&` to an existing
    // query string, which can break signed URLs).
    let request = web_sys::Request::new_with_str(url).map_err(|e| format!("{e:?}"))?;
    let response = gloo::net::http::Request::from(request)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    // A declared size over the cap is refused before the body is read.
    if let Some(size) = response
        .headers()
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        if over_cap(size) {
            return Ok(Fetched::TooLarge(size));
        }
    }
    match response.body() {
        Some(stream) => read_capped(stream).await,
        None => Ok(Fetched::Bytes(Vec::new())),
    }
}

/// Reads a response body chunk by chunk and stops (cancelling the download) as soon as
/// it passes the cap, so an undeclared huge body is never held in memory whole.
async fn read_capped(stream: web_sys::ReadableStream) -> Result<Fetched, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let reader: web_sys::ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|_| "the response body cannot be read".to_string())?;
    let mut bytes = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| format!("{e:?}"))?;
        let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(Fetched::Bytes(bytes));
        }
        let value = chunk.get_value();
        if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
            bytes.extend_from_slice(&array.to_vec());
        }
        if over_cap(bytes.len() as u64) {
            let _ = reader.cancel();
            return Ok(Fetched::TooLarge(bytes.len() as u64));
        }
    }
}

fn too_large_notice(kind: DocKind, target: String, size: u64) -> Notice {
    Notice {
        code: "INPUT_TOO_LARGE",
        kind,
        target,
        message: format!(
            "input is {size} bytes, over the limit of {DEFAULT_MAX_INPUT_BYTES} bytes"
        ),
    }
}

fn accept(dash: Dashboard, kind: DocKind, file: Loaded) {
    dash.clear_notices(kind);
    match kind {
        DocKind::Phase6 => evaluate(dash, file),
        DocKind::Claimed => dash.claimed.set(Some(Arc::new(file))),
        DocKind::Certificate => dash.certificate.set(Some(Arc::new(file))),
        DocKind::AuditTrail => dash.audit_trail.set(Some(Arc::new(file))),
    }
}

/// Evaluates a Phase 6 file after yielding once, so the page shows that it is working.
/// The run is observed: its signals go to the host as they happen (see
/// [`crate::observe`]) and are kept with its metrics for the timeline and metrics panels.
fn evaluate(dash: Dashboard, file: Loaded) {
    dash.begin();
    spawn_local(async move {
        TimeoutFuture::new(0).await;
        let hooks = dash.hooks.get_value();
        let ev = Evaluation::observe(file, &mut BrowserProbe, &mut HookSink(&hooks));
        dash.evaluation.set(Some(Arc::new(ev)));
        dash.done();
    });
}

/// Shows the coded refusal of a Phase 6 file over the cap (never read), with its
/// PHASE_STARTED / PHASE_FAILED signals.
fn refuse(dash: Dashboard, name: String, origin: Origin, size: u64) {
    let hooks = dash.hooks.get_value();
    let ev = Evaluation::too_large_observed(
        name,
        origin,
        size,
        &mut BrowserProbe,
        &mut HookSink(&hooks),
    );
    dash.evaluation.set(Some(Arc::new(ev)));
}
