//! Every coded error of a rejected or failed run (code, cluster, field, value, message)
//! and every coded warning of an accepted one.

use leptos::prelude::*;
use phase7_core::error::Diagnostic;

use crate::i18n::{text, Text};
use crate::state::use_dashboard;

fn table(t: &'static Text, rows: Vec<Diagnostic>, testid: &'static str) -> impl IntoView {
    view! {
        <div class="p7-scroll" tabindex="0" role="region" aria-label=t.errors_title>
            <table class="p7-table p7-diagnostics" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{t.code}</th>
                        <th scope="col">{t.cluster}</th>
                        <th scope="col">{t.field}</th>
                        <th scope="col">{t.value}</th>
                        <th scope="col">{t.message}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|d| {
                            view! {
                                <tr data-code=d.code>
                                    <th scope="row"><code class="p7-code">{d.code}</code></th>
                                    <td class="p7-text">{d.cluster.unwrap_or_default()}</td>
                                    <td class="p7-text"><code>{d.field.unwrap_or_default()}</code></td>
                                    <td class="p7-text"><code>{d.value.unwrap_or_default()}</code></td>
                                    <td class="p7-text">{d.message}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The errors and warnings panel (only when there are any).
#[component]
pub fn Errors() -> impl IntoView {
    let dash = use_dashboard();
    move || {
        let t = text(dash.lang.get());
        let ev = dash.evaluation.get()?;
        let o = &ev.outcome;
        if o.errors.is_empty() && o.warnings.is_empty() {
            return None;
        }
        let errors = (!o.errors.is_empty()).then(|| {
            view! {
                <div class="p7-rejected" role="alert">
                    <h2>{t.errors_title}" (" {o.errors.len()} ")"</h2>
                    <p>
                        {t.failure_class}": "
                        <code data-testid="failure-class">{o.failure.unwrap_or("")}</code>
                    </p>
                    {table(t, o.errors.clone(), "errors")}
                </div>
            }
        });
        let warnings = (!o.warnings.is_empty()).then(|| {
            view! {
                <div class="p7-warnings">
                    <h2>{t.warnings_title}" (" {o.warnings.len()} ")"</h2>
                    {table(t, o.warnings.clone(), "warnings")}
                </div>
            }
        });
        Some(view! {
            <section class="p7-panel p7-errors" data-testid="diagnostics">
                {errors}
                {warnings}
            </section>
        })
    }
}
