//! Getting files into the dashboard: file pickers, drag and drop, URLs (query string or
//! mount options), contents given by the host, and the bundled sample.
//!
//! Every load belongs to a slot (Phase 6, claim, certificate, audit trail, refusal
//! record) and gets a [`Ticket`]: starting a load of a slot supersedes (and aborts) the
//! earlier load of the same slot, so only the latest choice can land; unmounting closes
//! the [`Loads`], which aborts every fetch and makes every pending task drop its result
//! without touching the (disposed) reactive state. Fetches are same-origin `http(s)` unless the host allows
//! more, sent with `credentials: "same-origin"`, time out (`FETCH_TIMEOUT`, naming the
//! URL) and can be cancelled. The size cap is applied from `File.size` (or the
//! `Content-Length` of a fetch) before anything is read, and a file chosen for one slot
//! that is recognisably another kind is refused as what it is.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use crate::observe::PageProbe;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::documents::{classify, mismatch, DocKind};
use crate::observe::HookSink;
use crate::options::{url_allowed, Source};
use crate::state::{over_cap, Dashboard, Evaluation, Loaded, Notice, Origin, Problem};

/// Which load of each slot is the latest: the rule that lets only the latest choice
/// land (plain data, unit-tested natively).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Generations {
    current: [u64; 5],
    closed: bool,
}

impl Generations {
    /// Starts a load of `kind`; every earlier load of that slot is superseded.
    pub fn start(&mut self, kind: DocKind) -> u64 {
        self.current[kind.index()] += 1;
        self.current[kind.index()]
    }

    /// Whether load `generation` of `kind` may still land.
    pub fn is_current(&self, kind: DocKind, generation: u64) -> bool {
        !self.closed && self.current[kind.index()] == generation
    }

    /// The dashboard is gone: no load may land any more.
    pub fn close(&mut self) {
        self.closed = true;
    }
}

#[derive(Default)]
struct Inner {
    generations: Generations,
    controllers: [Option<web_sys::AbortController>; 5],
}

/// The loads of one dashboard: a generation and an abort controller per slot.
#[derive(Clone, Default)]
pub struct Loads(Rc<RefCell<Inner>>);

/// One load: its slot, its generation and its abort signal.
pub struct Ticket {
    kind: DocKind,
    generation: u64,
    loads: Loads,
    signal: Option<web_sys::AbortSignal>,
    timed_out: Rc<Cell<bool>>,
}

impl Loads {
    /// Starts a load of `kind`: supersedes and aborts the previous one of that slot.
    pub fn start(&self, kind: DocKind) -> Ticket {
        let mut inner = self.0.borrow_mut();
        let i = kind.index();
        let generation = inner.generations.start(kind);
        if let Some(old) = inner.controllers[i].take() {
            old.abort();
        }
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        inner.controllers[i] = controller;
        Ticket {
            kind,
            generation,
            loads: self.clone(),
            signal,
            timed_out: Rc::new(Cell::new(false)),
        }
    }

    /// Aborts every pending fetch; their loads end with `FETCH_CANCELLED`.
    pub fn cancel_all(&self) {
        let inner = self.0.borrow();
        for c in inner.controllers.iter().flatten() {
            c.abort();
        }
    }

    /// Aborts the load `generation` of `kind` if it is still the latest (a timeout).
    fn abort_if_current(&self, kind: DocKind, generation: u64) -> bool {
        let inner = self.0.borrow();
        match &inner.controllers[kind.index()] {
            Some(c) if inner.generations.is_current(kind, generation) => {
                c.abort();
                true
            }
            _ => false,
        }
    }

    /// The dashboard is gone: aborts everything, and no pending load may land.
    pub fn close(&self) {
        let mut inner = self.0.borrow_mut();
        inner.generations.close();
        for c in inner.controllers.iter_mut() {
            if let Some(c) = c.take() {
                c.abort();
            }
        }
    }
}

impl Ticket {
    /// Whether this load is still the latest of its slot (and the dashboard is there).
    pub fn current(&self) -> bool {
        self.loads
            .0
            .borrow()
            .generations
            .is_current(self.kind, self.generation)
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Ok(mut inner) = self.loads.0.try_borrow_mut() {
            if inner.generations.is_current(self.kind, self.generation) {
                inner.controllers[self.kind.index()] = None;
            }
        }
    }
}

/// The dashboard's [`Loads`] (a clone, usable after the dashboard is gone).
fn loads(dash: Dashboard) -> Loads {
    dash.loads.try_get_value().unwrap_or_default()
}

/// Loads `source` into `kind`'s slot (an URL, contents, or a host's Blob).
pub fn source(dash: Dashboard, loads: &Loads, kind: DocKind, source: Source) {
    match source {
        Source::Url(url) => fetch_url(dash, loads, kind, url),
        Source::Contents { name, bytes } => {
            let ticket = loads.start(kind);
            let size = bytes.len() as u64;
            accept(dash, ticket, file_loaded(name, size, bytes));
        }
        Source::Blob { name, blob } => read_blob(dash, loads.start(kind), name, blob),
    }
}

/// Evaluates the bundled sample.
pub fn sample(dash: Dashboard) {
    let ticket = loads(dash).start(DocKind::Phase6);
    dash.clear_notices(DocKind::Phase6);
    evaluate(dash, ticket, Loaded::sample());
}

/// Evaluates the bundled sample at start-up (from the root, with its [`Loads`]).
pub fn sample_with(dash: Dashboard, loads: &Loads) {
    evaluate(dash, loads.start(DocKind::Phase6), Loaded::sample());
}

/// Re-evaluates the current Phase 6 file with the current run options.
pub fn reevaluate(dash: Dashboard) {
    if let Some(ev) = dash.evaluation.get_untracked() {
        if !ev.file.bytes.is_empty() {
            evaluate(dash, loads(dash).start(DocKind::Phase6), ev.file.clone());
        }
    }
}

/// Aborts every pending download (the Cancel button).
pub fn cancel(dash: Dashboard) {
    loads(dash).cancel_all();
}

/// Loads files from a picker meant for `kind`, or recognises each one (`None`: dropped,
/// see `drop_files`).
pub fn files(dash: Dashboard, list: web_sys::FileList, kind: Option<DocKind>) {
    let loads = loads(dash);
    let files = (0..list.length()).filter_map(|i| list.item(i));
    if kind.is_none() && list.length() > 1 {
        drop_files(dash, loads, files.collect());
        return;
    }
    for file in files {
        load_file(dash, &loads, file, kind);
    }
}

/// Several files dropped on the page, recognised by content: read one at a time in the
/// drop's order, and only the last of each kind lands. A drop of thirty 15 MB files read
/// them all at once and evaluated every Phase 6 file among them as it arrived (over a
/// minute, the one shown whichever arrived last); now it reads one file at a time, holds
/// at most one per kind and evaluates one (issue 9). A file over the cap counts as a
/// Phase 6 file, refused unread.
fn drop_files(dash: Dashboard, loads: Loads, files: Vec<web_sys::File>) {
    dash.begin();
    spawn_local(async move {
        // The last file of each kind so far: read, or over the cap (name, size).
        let mut last: [Option<Result<Loaded, (String, u64)>>; DocKind::ALL.len()] =
            Default::default();
        for file in files {
            let name = file.name();
            let size = file.size().max(0.0) as u64;
            if over_cap(size) {
                last[DocKind::Phase6.index()] = Some(Err((name, size)));
                continue;
            }
            let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
            match gloo::file::futures::read_as_bytes(&blob).await {
                Ok(bytes) => {
                    let kind = classify(&name, &bytes);
                    last[kind.index()] = Some(Ok(file_loaded(name, size, Arc::from(bytes))));
                }
                Err(e) => dash.notify(read_failed(DocKind::Phase6, name, &e)),
            }
        }
        for (kind, file) in DocKind::ALL.into_iter().zip(last) {
            match file {
                Some(Ok(file)) => accept(dash, loads.start(kind), file),
                Some(Err((name, size))) => {
                    refuse(dash, loads.start(kind), name, Origin::File, size)
                }
                None => {}
            }
        }
        dash.done();
    });
}

fn load_file(dash: Dashboard, loads: &Loads, file: web_sys::File, kind: Option<DocKind>) {
    let name = file.name();
    let size = file.size().max(0.0) as u64;
    if over_cap(size) {
        // Refused from its size alone: the file is never read.
        let kind = kind.unwrap_or(DocKind::Phase6);
        let ticket = loads.start(kind);
        refuse(dash, ticket, name, Origin::File, size);
        return;
    }
    match kind {
        Some(kind) => read_blob(dash, loads.start(kind), name, file.into()),
        // A dropped file: its slot is known once it is read.
        None => {
            let loads = loads.clone();
            dash.begin();
            spawn_local(async move {
                let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
                match gloo::file::futures::read_as_bytes(&blob).await {
                    Ok(bytes) => {
                        let kind = classify(&name, &bytes);
                        let ticket = loads.start(kind);
                        accept(dash, ticket, file_loaded(name, size, Arc::from(bytes)));
                    }
                    Err(e) => dash.notify(read_failed(DocKind::Phase6, name, &e)),
                }
                dash.done();
            });
        }
    }
}

/// A file the user gave (picked, dropped, or handed over by the host).
fn file_loaded(name: String, size: u64, bytes: Arc<[u8]>) -> Loaded {
    Loaded {
        name,
        origin: Origin::File,
        size,
        bytes,
    }
}

/// The notice for a file the browser could not read.
fn read_failed(kind: DocKind, name: String, e: &impl std::fmt::Display) -> Notice {
    Notice {
        kind,
        target: name,
        problem: Problem::ReadFailed(e.to_string()),
    }
}

fn read_blob(dash: Dashboard, ticket: Ticket, name: String, blob: web_sys::Blob) {
    let size = blob.size().max(0.0) as u64;
    if over_cap(size) {
        refuse(dash, ticket, name, Origin::File, size);
        return;
    }
    dash.begin();
    spawn_local(async move {
        let blob = gloo::file::Blob::from(blob);
        let read = gloo::file::futures::read_as_bytes(&blob).await;
        if ticket.current() {
            match read {
                Ok(bytes) => accept(dash, ticket, file_loaded(name, size, Arc::from(bytes))),
                Err(e) => dash.notify(read_failed(ticket.kind, name, &e)),
            }
        }
        dash.done();
    });
}

/// Fetches a file for `kind` from a URL given in the query string or the mount options.
pub fn fetch_url(dash: Dashboard, loads: &Loads, kind: DocKind, url: String) {
    let ticket = loads.start(kind);
    let settings = dash.settings.get_value();
    let absolute = match check_url(&url, &settings.allowed_origins) {
        Ok(u) => u,
        Err(why) => {
            dash.clear_notices(kind);
            dash.notify(Notice {
                kind,
                target: url,
                problem: Problem::Refused(why),
            });
            return;
        }
    };
    dash.begin();
    spawn_local(async move {
        let timeout_ms = settings.fetch_timeout_ms;
        let timer = {
            let timed_out = ticket.timed_out.clone();
            let loads = ticket.loads.clone();
            let (kind, generation) = (ticket.kind, ticket.generation);
            gloo::timers::callback::Timeout::new(timeout_ms, move || {
                if loads.abort_if_current(kind, generation) {
                    timed_out.set(true);
                }
            })
        };
        let result = fetch(&absolute, ticket.signal.as_ref()).await;
        drop(timer);
        if ticket.current() {
            match result {
                Ok(Fetched::Bytes(bytes)) => {
                    let size = bytes.len() as u64;
                    accept(
                        dash,
                        ticket,
                        Loaded {
                            name: url,
                            origin: Origin::Url,
                            size,
                            bytes: Arc::from(bytes),
                        },
                    )
                }
                Ok(Fetched::TooLarge(size)) => refuse(dash, ticket, url, Origin::Url, size),
                Err(FetchError::Aborted) => {
                    let problem = if ticket.timed_out.get() {
                        Problem::Timeout(timeout_ms)
                    } else {
                        Problem::Cancelled
                    };
                    dash.clear_notices(kind);
                    dash.notify(Notice {
                        kind,
                        target: url,
                        problem,
                    });
                }
                Err(FetchError::Failed(why)) => {
                    dash.clear_notices(kind);
                    dash.notify(Notice {
                        kind,
                        target: url,
                        problem: Problem::FetchFailed(why),
                    });
                }
            }
        }
        dash.done();
    });
}

/// Resolves `url` against the page and checks its scheme and origin.
fn check_url(url: &str, allowed: &[String]) -> Result<String, String> {
    let location = web_sys::window()
        .map(|w| w.location())
        .ok_or_else(|| "no window".to_string())?;
    let base = location.href().map_err(|_| "no page URL".to_string())?;
    let page_origin = location
        .origin()
        .map_err(|_| "no page origin".to_string())?;
    let parsed =
        web_sys::Url::new_with_base(url, &base).map_err(|_| "not a valid URL".to_string())?;
    url_allowed(&parsed.protocol(), &parsed.origin(), &page_origin, allowed)?;
    Ok(parsed.href())
}

enum Fetched {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

enum FetchError {
    Aborted,
    Failed(String),
}

fn js_error(e: &JsValue) -> FetchError {
    let name = js_sys::Reflect::get(e, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string());
    if name.as_deref() == Some("AbortError") {
        return FetchError::Aborted;
    }
    let message = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "network error".into());
    FetchError::Failed(message)
}

async fn fetch(url: &str, signal: Option<&web_sys::AbortSignal>) -> Result<Fetched, FetchError> {
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    init.set_signal(signal);
    // The URL is used exactly as given (resolved against the page).
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(|e| js_error(&e))?;
    let window = web_sys::window().ok_or_else(|| FetchError::Failed("no window".into()))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|e| js_error(&e))?
        .unchecked_into();
    if !response.ok() {
        return Err(FetchError::Failed(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        )));
    }
    // A declared size over the cap is refused before the body is read.
    if let Some(size) = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        if over_cap(size) {
            if let Some(body) = response.body() {
                let _ = body.cancel();
            }
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
async fn read_capped(stream: web_sys::ReadableStream) -> Result<Fetched, FetchError> {
    let reader: web_sys::ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|_| FetchError::Failed("the response body cannot be read".into()))?;
    let mut bytes = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| js_error(&e))?;
        let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(Fetched::Bytes(bytes));
        }
        let value = chunk.get_value();
        if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
            // Copied once, straight from the JS array into the buffer's new tail.
            let start = bytes.len();
            bytes.resize(start + array.length() as usize, 0);
            array.copy_to(&mut bytes[start..]);
        }
        if over_cap(bytes.len() as u64) {
            let _ = reader.cancel();
            return Ok(Fetched::TooLarge(bytes.len() as u64));
        }
    }
}

/// Puts a read file into its slot, unless it is recognisably of another kind.
fn accept(dash: Dashboard, ticket: Ticket, file: Loaded) {
    if !ticket.current() {
        return;
    }
    let kind = ticket.kind;
    dash.clear_notices(kind);
    if let Some(got) = mismatch(kind, &file.bytes) {
        dash.notify(Notice {
            kind,
            target: file.name,
            problem: Problem::WrongKind(got),
        });
        return;
    }
    match kind {
        DocKind::Phase6 => evaluate(dash, ticket, file),
        DocKind::Claimed => {
            dash.claimed.try_set(Some(Arc::new(file)));
        }
        DocKind::Certificate => {
            dash.certificate.try_set(Some(Arc::new(file)));
        }
        DocKind::AuditTrail => {
            dash.audit_trail.try_set(Some(Arc::new(file)));
        }
        DocKind::Refusal => {
            dash.refusal.try_set(Some(Arc::new(file)));
        }
    }
}

/// A Phase 6 file larger than this is evaluated only once the current evaluation is
/// dropped (1 MiB; issue 9).
const EVALUATE_ALONE_BYTES: usize = 1 << 20;

/// Evaluates a Phase 6 file after yielding once, so the page shows that it is working.
/// The run is observed: its signals go to the host as they happen (see
/// [`crate::observe`]) and are kept with its metrics for the timeline and metrics panels.
///
/// A file over [`EVALUATE_ALONE_BYTES`] first clears the current evaluation, and the
/// yield lets the panels drop their references to it: a run's memory is a multiple of
/// its input's, and two large runs held at once took the page's wasm memory past
/// 500 MB (a 15 MB file of one-element arrays, then one with a long
/// `dispersion_scenario`: 533 MB). The panels of the previous file are hidden meanwhile;
/// a smaller file replaces them when its result is ready, as before.
fn evaluate(dash: Dashboard, ticket: Ticket, file: Loaded) {
    dash.begin();
    if file.bytes.len() > EVALUATE_ALONE_BYTES {
        dash.evaluation.try_set(None);
    }
    spawn_local(async move {
        TimeoutFuture::new(0).await;
        if ticket.current() {
            let options = dash.run_options();
            if let Some(hooks) = dash.hooks.try_get_value() {
                let mut ev =
                    Evaluation::run_observed(file, options, &mut PageProbe, &mut HookSink(&hooks));
                if ticket.current() {
                    // The outcome's JSON text is made and dropped before the files are.
                    hooks.deliver_outcome(&ev);
                    ev.issue();
                    dash.clear_notices(DocKind::Phase6);
                    dash.evaluation.try_set(Some(Arc::new(ev)));
                }
            }
        }
        dash.done();
    });
}

/// Refuses a file over the cap (never read): for the Phase 6 slot, the coded result
/// with its PHASE_STARTED / PHASE_FAILED signals; for the others, a notice.
fn refuse(dash: Dashboard, ticket: Ticket, name: String, origin: Origin, size: u64) {
    if !ticket.current() {
        return;
    }
    let kind = ticket.kind;
    dash.clear_notices(kind);
    if kind != DocKind::Phase6 {
        dash.notify(Notice {
            kind,
            target: name,
            problem: Problem::TooLarge(size),
        });
        return;
    }
    if let Some(hooks) = dash.hooks.try_get_value() {
        let ev = Evaluation::too_large_observed(
            name,
            origin,
            size,
            &mut PageProbe,
            &mut HookSink(&hooks),
        );
        hooks.deliver_outcome(&ev);
        dash.evaluation.try_set(Some(Arc::new(ev)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_latest_load_of_a_slot_lands() {
        let mut g = Generations::default();
        let slow_url = g.start(DocKind::Phase6);
        let cert = g.start(DocKind::Certificate);
        let pick = g.start(DocKind::Phase6);
        assert!(!g.is_current(DocKind::Phase6, slow_url));
        assert!(g.is_current(DocKind::Phase6, pick));
        // Slots are independent.
        assert!(g.is_current(DocKind::Certificate, cert));
        g.close();
        assert!(!g.is_current(DocKind::Phase6, pick));
        assert!(!g.is_current(DocKind::Certificate, cert));
    }
}
