//! The validated Phase 6 input as a table: every field the computation used, exact.
//! Strings from the file are shown as text nodes only, each cut to a few hundred
//! characters with control and bidirectional characters escaped (`format::untrusted`).

use leptos::prelude::*;

use crate::format::{exact, untrusted, untrusted_list};
use crate::i18n::text;
use crate::panels::table::DataTable;
use crate::state::use_dashboard;

/// The inputs panel (only when the input was accepted).
#[component]
pub fn Inputs() -> impl IntoView {
    let dash = use_dashboard();
    let body = move || {
        let t = text(dash.lang.get());
        let ev = dash.evaluation.get()?;
        let run = ev.run()?;
        let rows = run
            .input
            .clusters()
            .iter()
            .map(|c| {
                view! {
                    <tr>
                        <th scope="row"><code>{c.id.as_str()}</code></th>
                        <td class="p7-text">{c.name.as_deref().map(untrusted).unwrap_or_default()}</td>
                        <td><code>{untrusted_list(&c.areas)}</code></td>
                        <td><code>{exact(c.score)}</code></td>
                        <td><code>{exact(c.coherence)}</code></td>
                        <td><code>{exact(c.variance)}</code></td>
                        <td><code>{c.weakest_area.as_deref().map_or_else(|| "—".into(), untrusted)}</code></td>
                        <td><code>{exact(c.score_std)}</code></td>
                        <td><code>{exact(c.penalty_applied)}</code></td>
                        <td class="p7-text">{untrusted(&c.dispersion_scenario)}</td>
                        <td class="p7-text">{untrusted(&c.aggregation_method)}</td>
                        <td class="p7-text"><code>{untrusted(&c.provenance_node_id)}</code></td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
                <DataTable
                    label=t.inputs_title
                    headers=vec![
                        "cluster_id", "cluster_name", "areas", "score", "coherence", "variance",
                        "weakest_area", "score_std", "penalty_applied", "dispersion_scenario",
                        "aggregation_method", "provenance_node_id",
                    ]
                >
                    {rows}
                </DataTable>
        })
    };
    view! {
        <Show when=move || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| e.run().is_some()))>
            <section class="p7-panel p7-inputs" data-testid="inputs">
                <h2>{move || text(dash.lang.get()).inputs_title}</h2>
                {body}
            </section>
        </Show>
    }
}
