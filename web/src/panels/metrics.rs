//! Run metrics: per-stage duration and memory, totals and aggregates, from the core's
//! `Phase7Metrics` of the current evaluation. Informational only: no metric enters
//! anything hashed or certified.

use leptos::prelude::*;

use crate::format::{bytes, fixed};
use crate::i18n::{outcome_word, text};
use crate::panels::table::DataTable;
use crate::state::use_dashboard;

fn memory(b: Option<u64>) -> String {
    b.map_or_else(|| "—".into(), bytes)
}

fn delta(d: Option<i64>) -> String {
    match d {
        Some(d) if d < 0 => format!("−{}", bytes(d.unsigned_abs())),
        Some(d) => format!("+{}", bytes(d.unsigned_abs())),
        None => "—".into(),
    }
}

/// The metrics panel (whenever a run produced metrics).
#[component]
pub fn Metrics() -> impl IntoView {
    let dash = use_dashboard();
    let body = move || {
        let lang = dash.lang.get();
        let t = text(lang);
        let ev = dash.evaluation.get()?;
        let m = ev.metrics.clone()?;
        let rows = m
            .stages
            .iter()
            .map(|s| {
                view! {
                    <tr data-stage=s.stage.clone()>
                        <td>{format!("{}/8", s.stage_index)}</td>
                        <td><code>{s.stage.clone()}</code></td>
                        <td class="p7-num">{fixed(s.duration_ms, 3)}</td>
                        <td class="p7-num" title=s.memory_bytes.map(|b| b.to_string())>{memory(s.memory_bytes)}</td>
                        <td class="p7-num">{delta(s.memory_delta_bytes)}</td>
                    </tr>
                }
            })
            .collect_view();
        let a = &m.aggregates;
        Some(view! {
                <p class="p7-note p7-not-hashed" data-testid="metrics-not-hashed">{t.metrics_help}</p>
                <dl class="p7-digests">
                    <dt>{t.outcome}</dt>
                    <dd data-testid="metrics-outcome">
                        {outcome_word(lang, &m.outcome)}
                        {m.error_code.clone().map(|c| view! { " " <code class="p7-code">{c}</code> })}
                    </dd>
                    <dt>{t.total_duration}</dt>
                    <dd data-testid="metrics-total">{fixed(m.total_duration_ms, 3)}</dd>
                    <dt>{t.mean_stage}</dt>
                    <dd>{format!("{} ({}/{})", fixed(a.mean_stage_ms, 3), a.computed_stages, a.stage_count)}</dd>
                    <dt>{t.slowest_stage}</dt>
                    <dd>{a.slowest_stage.clone().map(|s| format!("{s} ({} ms)", fixed(a.max_stage_ms, 3)))}</dd>
                    <dt>{t.peak_memory}</dt>
                    <dd>{memory(m.peak_memory_bytes)}</dd>
                    <dt>{t.input_size}</dt>
                    <dd>{bytes(m.input_bytes as u64)}</dd>
                    <dt>{t.clusters_processed}</dt>
                    <dd>{m.clusters_processed}</dd>
                    <dt>{t.checks_run}</dt>
                    <dd>{format!("{} ({})", m.checks_run, m.checks_failed)}</dd>
                </dl>
                <DataTable
                    label=t.metrics_title
                    headers=vec!["k", t.stage, t.duration_ms, t.memory, t.memory_delta]
                    class="p7-compact"
                >
                    {rows}
                </DataTable>
        })
    };
    view! {
        <Show when=move || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| e.metrics.is_some()))>
            <section class="p7-panel p7-metrics" data-testid="metrics" data-stages=move || dash.evaluation.with(|e| e.as_ref().and_then(|e| e.metrics.as_ref()).map(|m| m.stages.len().to_string()))>
                <h2>{move || text(dash.lang.get()).metrics_title}</h2>
                {body}
            </section>
        </Show>
    }
}
