//! Systemic gaps: each weakest area of a cluster scoring under the gap threshold, with
//! its severity and the policy area's name.

use leptos::prelude::*;
use phase7_core::model::area_name;

use crate::format::{exact, fixed};
use crate::i18n::text;
use crate::state::use_dashboard;

/// The gaps panel (only when the run succeeded).
#[component]
pub fn Gaps() -> impl IntoView {
    let dash = use_dashboard();
    move || {
        let t = text(dash.lang.get());
        let ev = dash.evaluation.get()?;
        let run = ev.run()?;
        let m = &run.macro_score;
        let rows = m
            .gap_severity
            .0
            .iter()
            .map(|(area, severity)| {
                let cluster = run
                    .input
                    .clusters()
                    .iter()
                    .find(|c| c.weakest_area.as_deref() == Some(area.as_str()));
                view! {
                    <tr data-area=area.clone()>
                        <th scope="row"><code>{area.clone()}</code></th>
                        <td>{area_name(area).unwrap_or("")}</td>
                        <td>{cluster.map(|c| c.id.as_str())}</td>
                        <td>
                            <code title=cluster.map(|c| exact(c.score))>
                                {cluster.map(|c| fixed(c.score, 4))}
                            </code>
                        </td>
                        <td>
                            <span class=format!("p7-sev p7-sev-{}", severity.to_lowercase())>
                                {severity.clone()}
                            </span>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let empty = m.gap_severity.0.is_empty();
        Some(view! {
            <section class="p7-panel p7-gaps" data-testid="gaps">
                <h2>{t.gaps_title}</h2>
                <p class="p7-note">{t.gaps_rule}</p>
                {if empty {
                    view! { <p class="p7-ok">{t.no_gaps}</p> }.into_any()
                } else {
                    view! {
                        <div class="p7-scroll" tabindex="0" role="region" aria-label=t.gaps_title>
                        <table class="p7-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t.area}</th>
                                    <th scope="col">{t.name}</th>
                                    <th scope="col">{t.cluster}</th>
                                    <th scope="col">{t.score}</th>
                                    <th scope="col">{t.severity}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                        </div>
                    }
                        .into_any()
                }}
            </section>
        })
    }
}
