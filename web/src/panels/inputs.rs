//! The validated Phase 6 input as a table: every field the computation used, exact.
//! Strings from the file are shown as text nodes only.

use leptos::prelude::*;

use crate::format::exact;
use crate::i18n::text;
use crate::state::use_dashboard;

/// The inputs panel (only when the input was accepted).
#[component]
pub fn Inputs() -> impl IntoView {
    let dash = use_dashboard();
    move || {
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
                        <td class="p7-text">{c.name.clone().unwrap_or_default()}</td>
                        <td><code>{c.areas.join(", ")}</code></td>
                        <td><code>{exact(c.score)}</code></td>
                        <td><code>{exact(c.coherence)}</code></td>
                        <td><code>{exact(c.variance)}</code></td>
                        <td><code>{c.weakest_area.clone().unwrap_or_else(|| "—".into())}</code></td>
                        <td><code>{exact(c.score_std)}</code></td>
                        <td><code>{exact(c.penalty_applied)}</code></td>
                        <td class="p7-text">{c.dispersion_scenario.clone()}</td>
                        <td class="p7-text">{c.aggregation_method.clone()}</td>
                        <td class="p7-text"><code>{c.provenance_node_id.clone()}</code></td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <section class="p7-panel p7-inputs" data-testid="inputs">
                <h2>{t.inputs_title}</h2>
                <div class="p7-scroll" tabindex="0" role="region" aria-label=t.inputs_title>
                    <table class="p7-table">
                        <thead>
                            <tr>
                                <th scope="col">"cluster_id"</th>
                                <th scope="col">"cluster_name"</th>
                                <th scope="col">"areas"</th>
                                <th scope="col">"score"</th>
                                <th scope="col">"coherence"</th>
                                <th scope="col">"variance"</th>
                                <th scope="col">"weakest_area"</th>
                                <th scope="col">"score_std"</th>
                                <th scope="col">"penalty_applied"</th>
                                <th scope="col">"dispersion_scenario"</th>
                                <th scope="col">"aggregation_method"</th>
                                <th scope="col">"provenance_node_id"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        })
    }
}
