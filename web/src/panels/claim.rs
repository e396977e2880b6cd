//! The pipeline's claimed p07_output.json checked against our recomputation.

use leptos::prelude::*;

use crate::i18n::text;
use crate::state::use_dashboard;

/// The claim panel (only when a claim was loaded).
#[component]
pub fn Claim() -> impl IntoView {
    let dash = use_dashboard();
    move || {
        let t = text(dash.lang.get());
        let claimed = dash.claimed.get()?;
        Some(view! {
            <section class="p7-panel p7-claim" data-testid="claim">
                <h2>{t.claim_title}</h2>
                <p><code>{claimed.name.clone()}</code></p>
            </section>
        })
    }
}
