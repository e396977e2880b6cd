//! Refusal records (issue 13): a rejected input, or a run whose checks failed, shows its
//! refusal record — what was refused, every violation, the checks that ran, the record
//! id — with `refusal.json` and the not-certified audit trail to download (byte for byte
//! what `phase7 run` writes, `recorded_at` being the download time, which no id covers);
//! and a loaded `refusal.json` is confirmed by rerunning the Phase 6 file
//! (`phase7_core::verify::refusal::verify_refusal`).

use leptos::prelude::*;
use phase7_core::attest::refusal::Refusal as Record;
use phase7_core::attest::Artifacts;
use phase7_core::error::Phase7Error;
use phase7_core::verify::refusal::RefusalReport;
use phase7_core::verify::VerificationCheck;

use crate::documents::DocKind;
use crate::download::save_json;
use crate::format::{escaped, untrusted};
use crate::i18n::{check_description, coded_message, text, violations_n, Lang};
use crate::panels::certificate::{failures_table, now_rfc3339};
use crate::panels::loader::picker;
use crate::panels::table::DataTable;
use crate::state::{use_dashboard, Evaluation};

/// The files of a refused evaluation, made again at `recorded_at` (the download time):
/// `refusal.json` and the not-certified `audit_trail.json`.
fn files_at(ev: &Evaluation, recorded_at: &str) -> Option<Artifacts> {
    match &ev.result {
        Ok(run) => Artifacts::issue(run, Some(recorded_at)).ok(),
        Err(Phase7Error::Input(rejected)) => {
            Artifacts::rejected(&ev.file.bytes, rejected, &ev.options, Some(recorded_at)).ok()
        }
        Err(_) => None,
    }
    .filter(|a| a.refusal.is_some())
}

fn record_view(lang: Lang, ev: std::sync::Arc<Evaluation>, r: &Record) -> impl IntoView {
    let t = text(lang);
    let strict = r.options.strict;
    let violations = r
        .violations
        .iter()
        .map(|v| {
            let message = escaped(&coded_message(
                lang,
                &v.code,
                v.cluster.as_deref(),
                v.field.as_deref(),
                v.value.as_deref(),
                &v.message,
            ));
            view! {
                <tr data-code=v.code.clone()>
                    <th scope="row"><code class="p7-code">{v.code.clone()}</code></th>
                    <td><code>{v.check.clone()}</code></td>
                    <td class="p7-text">{v.cluster.as_deref().map(escaped)}</td>
                    <td class="p7-text"><code>{v.field.as_deref().map(escaped)}</code></td>
                    <td class="p7-text"><code>{v.value.as_deref().map(escaped)}</code></td>
                    <td class="p7-text">{message}</td>
                </tr>
            }
        })
        .collect_view();
    let checks = r
        .checks
        .entries
        .iter()
        .map(|e| {
            let (class, word) = if e.passed {
                ("p7-verdict p7-pass", t.pass)
            } else {
                ("p7-verdict p7-fail", t.fail)
            };
            view! {
                <tr data-check=e.id.clone()>
                    <th scope="row"><code>{e.id.clone()}</code></th>
                    <td class="p7-text">{check_description(lang, &e.id, strict, &e.description)}</td>
                    <td class="p7-text"><code>{escaped(&e.actual)}</code></td>
                    <td><span class=class>{word}</span></td>
                </tr>
            }
        })
        .collect_view();
    let n_checks = r.checks.entries.len();
    let save = move |name: &'static str| {
        let at = now_rfc3339();
        let text = files_at(&ev, &at).and_then(|a| match name {
            "refusal.json" => a.refusal_json,
            _ => Some(a.audit_trail_json),
        });
        if let Some(text) = text {
            let _ = save_json(name, &text);
        }
    };
    let save_trail = save.clone();
    view! {
        <div class="p7-refusal-record" data-testid="refusal-record">
            <p class="p7-banner p7-banner-bad">{t.refused_banner}</p>
            <dl class="p7-facts">
                <dt>{t.refused_at_stage}</dt>
                <dd>
                    <code>{r.refused.stage.name()}</code>" — "
                    <code class="p7-code" data-testid="refusal-code">{r.refused.code.clone()}</code>
                </dd>
                <dt>{t.failed_checks}</dt>
                <dd><code data-testid="refusal-failed">{r.refused.failed_checks.join(", ")}</code></dd>
                <dt>"refusal_id"</dt>
                <dd><code data-testid="refusal-id">{r.refusal_id.clone()}</code></dd>
                <dt>{t.input_sha256}</dt>
                <dd><code>{format!("{} ({} B)", r.input.sha256, r.input.bytes)}</code></dd>
                <dt>{t.digest_input}</dt>
                <dd><code>{r.input.digest.clone().unwrap_or_else(|| "—".into())}</code></dd>
            </dl>
            <h3>{format!("{} ({})", t.violations, violations_n(lang, r.violation_count))}</h3>
            <DataTable
                label=t.violations
                headers=vec![t.code, t.check, t.cluster, t.field, t.value, t.message]
                class="p7-compact"
                testid="refusal-violations"
            >
                {violations}
            </DataTable>
            <details class="p7-details">
                <summary>{format!("{} ({n_checks})", t.checks_that_ran)}</summary>
                <DataTable label=t.checks_that_ran headers=vec![t.check, t.description, t.actual, t.result] class="p7-compact">
                    {checks}
                </DataTable>
            </details>
            <div class="p7-actions">
                <button type="button" class="p7-button" data-testid="download-refusal" on:click=move |_| save("refusal.json")>
                    {t.download_refusal}
                </button>
                <button type="button" class="p7-button p7-secondary" data-testid="download-trail-nc" on:click=move |_| save_trail("audit_trail.json")>
                    {t.download_trail_nc}
                </button>
            </div>
            <p class="p7-note">{t.refusal_note}</p>
        </div>
    }
}

fn report_view(lang: Lang, name: &str, r: &RefusalReport) -> impl IntoView {
    let t = text(lang);
    let failures: Vec<&VerificationCheck> = r.failures().collect();
    let (class, word, kind) = if r.confirmed {
        (
            "p7-banner p7-banner-ok",
            t.confirmed.to_string(),
            "CONFIRMED",
        )
    } else {
        (
            "p7-banner p7-banner-bad",
            // Counted: an entry with `omitted` stands for that many checks.
            format!("{} ({} / {})", t.not_confirmed, r.failed(), r.total()),
            "NOT_CONFIRMED",
        )
    };
    let diff =
        (!failures.is_empty()).then(|| failures_table(lang, &failures, true, "refusal-diff"));
    view! {
        <div class="p7-verification" data-testid="refusal-check">
            <p class=class data-testid="refusal-verdict" data-outcome=kind>{format!("{word} — {}", untrusted(name))}</p>
            {r.refusal_id.as_deref().map(|id| view! {
                <p class="p7-note">"refusal_id: " <code>{untrusted(id)}</code></p>
            })}
            {diff}
        </div>
    }
}

/// The refusal panel: shown for a refused plan, or when a refusal record is loaded.
#[component]
pub fn Refusal() -> impl IntoView {
    let dash = use_dashboard();
    let t = move || text(dash.lang.get());
    let record = move || {
        let lang = dash.lang.get();
        let ev = dash.evaluation.get()?;
        let r = ev.artifacts.as_ref()?.refusal.clone()?;
        Some(record_view(lang, ev.clone(), &r))
    };
    let check = move || {
        let lang = dash.lang.get();
        dash.refusal_check
            .get()
            .map(|c| report_view(lang, &c.name, &c.report))
    };
    view! {
        <Show when=move || {
            dash.refusal.with(Option::is_some)
                || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| e.refused()))
        }>
            <section class="p7-panel p7-refusal" data-testid="refusal" id=dash.element_id("refusal") tabindex="-1">
                <h2>{move || t().refusal_title}</h2>
                {record}
                <div class="p7-refusal-confirm">
                    <h3>{move || t().confirm_title}</h3>
                    <p class="p7-note">{move || t().confirm_help}</p>
                    <div class="p7-actions">{picker(dash, DocKind::Refusal, |t| t.pick_refusal)}</div>
                    {check}
                </div>
            </section>
        </Show>
    }
}
