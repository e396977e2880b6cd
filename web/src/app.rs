//! The root component: creates the shared state, starts the initial loads and lays out
//! the panels in reading order.

use leptos::ev;
use leptos::prelude::*;

use crate::documents::DocKind;
use crate::i18n::text;
use crate::load;
use crate::observe::SignalHooks;
use crate::options::MountOptions;
use crate::panels::{
    audit::Audit, batch::Batch, breakdown::Breakdown, certificate::Certificates, claim::Claim,
    clusters::Clusters, determinism::Determinism, errors::Errors, gaps::Gaps, header::Header,
    inputs::Inputs, loader::Loader, metrics::Metrics, signals::Signals, summary::Summary,
};
use crate::state::provide_dashboard;

/// The audit dashboard.
#[component]
pub fn App(
    /// Start-up options (query string or mount options).
    options: MountOptions,
    /// Where signals go besides the timeline (the host's callback and element).
    #[prop(optional)]
    hooks: SignalHooks,
) -> impl IntoView {
    let dash = provide_dashboard(options.lang.unwrap_or_default(), hooks);
    match options.phase6_url {
        Some(url) => load::url(dash, DocKind::Phase6, url),
        None => load::sample(dash),
    }
    if let Some(url) = options.claimed_url {
        load::url(dash, DocKind::Claimed, url);
    }
    if let Some(url) = options.certificate_url {
        load::url(dash, DocKind::Certificate, url);
    }
    let t = move || text(dash.lang.get());

    view! {
        <div
            class="p7"
            lang=move || dash.lang.get().code()
            data-testid="phase7-dashboard"
            // Files dropped anywhere on the dashboard are loaded (and recognised), instead
            // of the browser leaving the page to open them.
            on:dragover=move |e: ev::DragEvent| e.prevent_default()
            on:drop=move |e: ev::DragEvent| {
                // A drop the batch panel took is not a single file to show.
                if e.default_prevented() {
                    return;
                }
                e.prevent_default();
                if let Some(list) = e.data_transfer().and_then(|d| d.files()) {
                    load::files(dash, list, None);
                }
            }
        >
            <Header />
            <main class="p7-main">
                <Loader />
                <Errors />
                <div class="p7-grid">
                    <Summary />
                    <Gaps />
                    <Clusters />
                    <Breakdown />
                </div>
                <Inputs />
                <Audit />
                <Certificates />
                <Claim />
                <Determinism />
                <Signals />
                <Metrics />
                <Batch />
            </main>
            <footer class="p7-footer">
                <p>{move || t().footer}</p>
            </footer>
        </div>
    }
}
