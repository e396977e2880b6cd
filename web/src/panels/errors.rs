//! Every coded error of a rejected or failed run (code, cluster, field, value, message)
//! and every coded warning of an accepted one.

use leptos::prelude::*;
use phase7_core::error::Diagnostic;

use crate::format::escaped;
use crate::i18n::{diagnostic, errors_n, text, warnings_n, Lang};
use crate::panels::table::DataTable;
use crate::state::use_dashboard;

fn table(lang: Lang, label: String, rows: Vec<Diagnostic>, testid: &'static str) -> impl IntoView {
    let t = text(lang);
    view! {
        <DataTable
            label=label
            headers=vec![t.code, t.cluster, t.field, t.value, t.message]
            class="p7-diagnostics"
            testid=testid
        >
            {rows
                .into_iter()
                .map(|d| {
                    let message = escaped(&diagnostic(lang, &d));
                    view! {
                        <tr data-code=d.code>
                            <th scope="row"><code class="p7-code">{d.code}</code></th>
                            <td class="p7-text">{d.cluster.as_deref().map(escaped)}</td>
                            <td class="p7-text"><code>{d.field.as_deref().map(escaped)}</code></td>
                            <td class="p7-text"><code>{d.value.as_deref().map(escaped)}</code></td>
                            <td class="p7-text">{message}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}

/// The errors and warnings panel (only when there are any).
#[component]
pub fn Errors() -> impl IntoView {
    let dash = use_dashboard();
    move || {
        let lang = dash.lang.get();
        let t = text(lang);
        let ev = dash.evaluation.get()?;
        let o = &ev.outcome;
        if o.errors.is_empty() && o.warnings.is_empty() {
            return None;
        }
        let errors = (!o.errors.is_empty()).then(|| {
            let title = format!("{} ({})", t.errors_title, errors_n(lang, o.errors.len()));
            view! {
                <div class="p7-rejected" role="alert">
                    <h2>{title.clone()}</h2>
                    <p>
                        {t.failure_class}": "
                        <code data-testid="failure-class">{o.failure.unwrap_or("")}</code>
                    </p>
                    {table(lang, title, o.errors.clone(), "errors")}
                </div>
            }
        });
        let warnings = (!o.warnings.is_empty()).then(|| {
            let title = format!(
                "{} ({})",
                t.warnings_title,
                warnings_n(lang, o.warnings.len())
            );
            view! {
                <div class="p7-warnings">
                    <h2>{title.clone()}</h2>
                    {table(lang, title, o.warnings.clone(), "warnings")}
                </div>
            }
        });
        Some(view! {
            <section class="p7-panel p7-errors" data-testid="diagnostics" id=dash.element_id("errors") tabindex="-1">
                {errors}
                {warnings}
            </section>
        })
    }
}
