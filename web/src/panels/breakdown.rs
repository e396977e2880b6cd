//! Coherence (strategic / operational / institutional) and alignment (vertical /
//! horizontal / temporal), each part on a 0–1 meter with its exact value.

use leptos::prelude::*;

use crate::format::{exact, fixed};
use crate::i18n::text;
use crate::state::use_dashboard;

/// One labelled 0–1 meter. The bar is an SVG whose fill is a `width` attribute in a
/// 0–100 viewBox: no inline `style`, so it draws under a CSP without `'unsafe-inline'`.
fn meter(label: &'static str, value: f64, total: bool) -> impl IntoView {
    let pct = if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 1.0) * 100.0
    };
    view! {
        <div class="p7-meter-row" class:p7-meter-total=total>
            <span class="p7-meter-label">{label}</span>
            <svg class="p7-meter" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect class="p7-meter-track" x="0" y="0" width="100" height="10" rx="5" />
                <rect class="p7-meter-fill" x="0" y="0" width=crate::format::fixed(pct, 2) height="10" rx="5" data-pct=crate::format::fixed(pct, 2) />
            </svg>
            <code class="p7-meter-value" title=exact(value)>{fixed(value, 4)}</code>
        </div>
    }
}

/// The coherence and alignment panel (only when the run succeeded).
#[component]
pub fn Breakdown() -> impl IntoView {
    let dash = use_dashboard();
    let body = move || {
        let t = text(dash.lang.get());
        let ev = dash.evaluation.get()?;
        let m = &ev.run()?.macro_score;
        let c = &m.coherence_breakdown;
        let a = &m.alignment_breakdown;
        Some(view! {
                <div class="p7-two">
                    <div>
                        <h3>{t.coherence}</h3>
                        {meter(t.strategic, c.strategic_coherence, false)}
                        {meter(t.operational, c.operational_coherence, false)}
                        {meter(t.institutional, c.institutional_coherence, false)}
                        {meter(t.cross_cutting, m.cross_cutting_coherence, true)}
                        <p class="p7-note">
                            {t.inter_cluster_variance}": "
                            <code>{exact(c.inter_cluster_variance)}</code>
                        </p>
                    </div>
                    <div>
                        <h3>{t.alignment}</h3>
                        {meter(t.vertical, a.vertical_alignment, false)}
                        {meter(t.horizontal, a.horizontal_alignment, false)}
                        {meter(t.temporal, a.temporal_alignment, false)}
                        {meter(t.strategic_alignment, m.strategic_alignment, true)}
                    </div>
                </div>
        })
    };
    view! {
        <Show when=move || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| e.run().is_some()))>
            <section class="p7-panel p7-breakdown" data-testid="breakdown">
                <h2>{move || text(dash.lang.get()).breakdown_title}</h2>
                {body}
            </section>
        </Show>
    }
}
