//! The signals timeline: every lifecycle signal of the current evaluation, in order
//! (type, stage k/8, time, and the error code of a PHASE_FAILED).

use leptos::prelude::*;
use phase7_core::observe::signal::{Signal, SignalType};

use crate::i18n::{text, Text};
use crate::panels::table::DataTable;
use crate::state::use_dashboard;

/// `HH:MM:SS.mmm` of an RFC 3339 time, or the text as it is.
fn clock(at: Option<&str>) -> String {
    match at {
        Some(t) if t.len() >= 23 && t.is_char_boundary(11) && t.is_char_boundary(23) => {
            t[11..23].to_string()
        }
        Some(t) => t.to_string(),
        None => "—".into(),
    }
}

fn row(t: &Text, s: &Signal) -> impl IntoView {
    let p = &s.payload;
    let stage = match (p.stage_index, &p.stage) {
        (Some(k), Some(name)) => format!("{k}/{} {name}", p.stage_total),
        _ => String::new(),
    };
    let failed = matches!(
        s.signal_type,
        SignalType::PhaseFailed | SignalType::GateFailed
    );
    let detail = match (&p.check_id, p.passed) {
        (Some(id), Some(passed)) => format!("{id}: {}", if passed { t.pass } else { t.fail }),
        _ => p.message.clone().unwrap_or_default(),
    };
    view! {
        <tr
            class=if failed { "p7-fail" } else { "" }
            data-type=s.signal_type.name()
            data-seq=s.provenance.sequence.to_string()
        >
            <td>{s.provenance.sequence}</td>
            <td><code>{s.signal_type.name()}</code></td>
            <td data-col="stage">{stage}</td>
            <td title=s.provenance.emitted_at.clone()>{clock(s.provenance.emitted_at.as_deref())}</td>
            <td>
                {p.error_code.clone().map(|c| view! { <code class="p7-code" data-testid="signal-error">{c}</code>" " })}
                <span class="p7-text">{detail}</span>
            </td>
        </tr>
    }
}

/// The signals panel (whenever a Phase 6 file has been evaluated).
#[component]
pub fn Signals() -> impl IntoView {
    let dash = use_dashboard();
    let body = move || {
        let t = text(dash.lang.get());
        let ev = dash.evaluation.get()?;
        let rows = ev.signals.iter().map(|s| row(t, s)).collect_view();
        Some(view! {
                <p class="p7-note">{t.signals_help}</p>
                <DataTable
                    label=t.signals_title
                    headers=vec!["#", t.signal_type, t.stage, t.time, t.detail]
                    class="p7-compact"
                >
                    {rows}
                </DataTable>
        })
    };
    view! {
        <Show when=move || dash.evaluation.with(Option::is_some)>
            <section class="p7-panel p7-signals" data-testid="signals" data-count=move || dash.evaluation.with(|e| e.as_ref().map(|e| e.signals.len().to_string()))>
                <h2>{move || text(dash.lang.get()).signals_title}</h2>
                {body}
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn clock_takes_the_time_of_day() {
        assert_eq!(clock(Some("2026-11-26T11:03:59.985Z")), "11:03:59.985");
        assert_eq!(clock(Some("soon")), "soon");
        assert_eq!(clock(None), "—");
    }
}
