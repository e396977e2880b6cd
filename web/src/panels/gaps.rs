//! Systemic gaps: each weakest area of a cluster scoring under the gap threshold, with
//! its severity and the policy area's name.

use leptos::prelude::*;
use phase7_core::model::area_name;

use crate::format::{exact, fixed};
use crate::i18n::{area_label, severity, text};
use crate::panels::table::DataTable;
use crate::state::use_dashboard;

/// The gaps panel (only when the run succeeded).
#[component]
pub fn Gaps() -> impl IntoView {
    let dash = use_dashboard();
    let body = move || {
        let lang = dash.lang.get();
        let t = text(lang);
        let ev = dash.evaluation.get()?;
        let run = ev.run()?;
        let m = &run.macro_score;
        let rows = m
            .gap_severity
            .0
            .iter()
            .map(|(area, sev)| {
                let cluster = run
                    .input
                    .clusters()
                    .iter()
                    .find(|c| c.weakest_area.as_deref() == Some(area.as_str()));
                view! {
                    <tr data-area=area.clone() data-severity=sev.clone()>
                        <th scope="row"><code>{area.clone()}</code></th>
                        <td>
                            <span class=format!("p7-sev p7-sev-{}", sev.to_ascii_lowercase())>
                                {severity(lang, sev)}
                            </span>
                        </td>
                        <td>
                            <code title=cluster.map(|c| exact(c.score))>
                                {cluster.map(|c| fixed(c.score, 3))}
                            </code>
                        </td>
                        <td class="p7-text">
                            {area_label(lang, area).unwrap_or("")}
                            <br />
                            <code class="p7-muted">{area_name(area).unwrap_or("")}</code>
                        </td>
                        <td>{cluster.map(|c| c.id.as_str().trim_start_matches("CLUSTER_").to_string())}</td>
                    </tr>
                }
            })
            .collect_view();
        let empty = m.gap_severity.0.is_empty();
        Some(view! {
                <p class="p7-note">{t.gaps_rule}</p>
                {if empty {
                    view! { <p class="p7-ok">{t.no_gaps}</p> }.into_any()
                } else {
                    view! {
                        <DataTable
                            label=t.gaps_title
                            headers=vec![t.area, t.severity, t.score, t.name, t.cluster]
                            class="p7-gap-table"
                        >
                            {rows}
                        </DataTable>
                    }
                        .into_any()
                }}
        })
    };
    view! {
        <Show when=move || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| e.run().is_some()))>
            <section class="p7-panel p7-gaps" data-testid="gaps">
                <h2>{move || text(dash.lang.get()).gaps_title}</h2>
                {body}
            </section>
        </Show>
    }
}
