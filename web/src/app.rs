//! The root component: creates the shared state, starts the initial loads, reports
//! results to the host, and lays out the panels in reading order — the verdict first.

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::ev;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::Serialize;

use crate::documents::DocKind;
use crate::i18n::{text, Lang};
use crate::load::{self, Loads};
use crate::observe::{ResultKind, SignalHooks};
use crate::options::MountOptions;
use crate::panels::{
    audit::Audit, batch::Batch, breakdown::Breakdown, certificate::Certificates, claim::Claim,
    clusters::Clusters, determinism::Determinism, errors::Errors, gaps::Gaps, header::Header,
    inputs::Inputs, loader::Loader, metrics::Metrics, refusal::Refusal, sensitivity::Sensitivity,
    signals::Signals, summary::Summary, verdict::VerdictBar,
};
use crate::state::{provide_dashboard, Dashboard, Settings};

/// Where the language choice is remembered on this browser.
pub const LANG_KEY: &str = "phase7.lang";

static INSTANCES: AtomicU32 = AtomicU32::new(0);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn stored_lang() -> Option<Lang> {
    storage()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|v| Lang::parse(&v))
}

#[derive(Serialize)]
struct VerificationDetail<'a> {
    file: &'a str,
    certificate: &'a str,
    report: &'a phase7_core::verify::VerificationReport,
}

#[derive(Serialize)]
struct ClaimDetail<'a> {
    file: &'a str,
    claimed: &'a str,
    report: &'a phase7_core::verify::claim::ClaimReport,
}

#[derive(Serialize)]
struct RefusalDetail<'a> {
    file: &'a str,
    refusal: &'a str,
    report: &'a phase7_core::verify::refusal::RefusalReport,
}

/// Delivers each new verification, claim and refusal report to the host (outcomes are delivered
/// by [`crate::load`] as each evaluation lands, before anything derived from it).
fn report_results(dash: Dashboard) {
    Effect::new(move |_| {
        let Some(report) = dash.verification.get() else {
            return;
        };
        let file = dash
            .evaluation
            .with_untracked(|e| e.as_ref().map(|e| e.file.name.clone()));
        let cert = dash
            .certificate
            .with_untracked(|c| c.as_ref().map(|c| c.name.clone()));
        dash.hooks.get_value().deliver_result(
            ResultKind::Verification,
            &VerificationDetail {
                file: file.as_deref().unwrap_or(""),
                certificate: cert.as_deref().unwrap_or(""),
                report: &report,
            },
        );
    });
    Effect::new(move |_| {
        let Some(claim) = dash.claim.get() else {
            return;
        };
        let file = dash
            .evaluation
            .with_untracked(|e| e.as_ref().map(|e| e.file.name.clone()));
        dash.hooks.get_value().deliver_result(
            ResultKind::Claim,
            &ClaimDetail {
                file: file.as_deref().unwrap_or(""),
                claimed: &claim.name,
                report: &claim.report,
            },
        );
    });
    Effect::new(move |_| {
        let Some(checked) = dash.refusal_check.get() else {
            return;
        };
        let file = dash
            .evaluation
            .with_untracked(|e| e.as_ref().map(|e| e.file.name.clone()));
        dash.hooks.get_value().deliver_result(
            ResultKind::Refusal,
            &RefusalDetail {
                file: file.as_deref().unwrap_or(""),
                refusal: &checked.name,
                report: &checked.report,
            },
        );
    });
}

/// The audit dashboard.
#[component]
pub fn App(
    /// Start-up options (query string or mount options).
    options: MountOptions,
    /// Where signals and results go besides the panels (the host's callbacks and element).
    #[prop(optional)]
    hooks: SignalHooks,
    /// The loads of this dashboard (closed by `unmount()`).
    loads: Loads,
    /// The page's own dashboard: it owns `<html lang>`.
    #[prop(optional)]
    standalone: bool,
) -> impl IntoView {
    let n = INSTANCES.fetch_add(1, Ordering::Relaxed);
    let settings = Settings {
        embedded: options.embedded,
        fetch_timeout_ms: options.fetch_timeout_ms,
        allowed_origins: options.allowed_origins.clone(),
        id_prefix: format!("p7-{n}-"),
        standalone,
    };
    let lang = options.lang.or_else(stored_lang).unwrap_or_default();
    let dash = provide_dashboard(lang, hooks, settings, loads.clone());
    dash.strict.set(options.strict);
    dash.evaluated_at.set(options.evaluated_at.clone());
    {
        // Unmounted (or the page left): nothing pending may land.
        let loads = SendWrapper::new(loads.clone());
        on_cleanup(move || loads.close());
    }
    report_results(dash);
    // The language: remembered on this browser, and the page's <html lang> follows it.
    Effect::new(move |_| {
        let lang = dash.lang.get();
        if let Some(s) = storage() {
            let _ = s.set_item(LANG_KEY, lang.code());
        }
        if standalone {
            if let Some(html) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = html.set_attribute("lang", lang.code());
            }
        }
    });
    match options.phase6 {
        Some(source) => load::source(dash, &loads, DocKind::Phase6, source),
        None => load::sample_with(dash, &loads),
    }
    if let Some(source) = options.claimed {
        load::source(dash, &loads, DocKind::Claimed, source);
    }
    if let Some(source) = options.certificate {
        load::source(dash, &loads, DocKind::Certificate, source);
    }
    let what_if = options.what_if.clone();
    let monte_carlo = options.monte_carlo.clone();
    let t = move || text(dash.lang.get());
    let embedded = options.embedded;
    let skip_target = dash.element_id("verdict");

    let body = view! {
        <VerdictBar />
        <Loader />
        <Errors />
        <Refusal />
        <div class="p7-grid">
            <Summary />
            <Gaps />
            <Clusters />
            <Breakdown />
        </div>
        <Sensitivity what_if=what_if monte_carlo=monte_carlo />
        <Inputs />
        <Audit />
        <Certificates />
        <Claim />
        <Determinism />
        <Signals />
        <Metrics />
        <Batch />
    };
    let footer = move || t().footer;
    let layout = if embedded {
        view! {
            <Header embedded=true />
            <div class="p7-main">{body}</div>
            <div class="p7-footer"><p>{footer}</p></div>
        }
        .into_any()
    } else {
        view! {
            <Header embedded=false />
            <main class="p7-main">{body}</main>
            <footer class="p7-footer"><p>{footer}</p></footer>
        }
        .into_any()
    };

    view! {
        <div
            class="p7"
            class:p7-embedded=embedded
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
            <a class="p7-skip" href=format!("#{skip_target}")>{move || t().skip_link}</a>
            {layout}
        </div>
    }
}
