//! Certificates: issue (download the result files) and verify an uploaded certificate.

use leptos::prelude::*;

use crate::download::save_json;
use crate::i18n::text;
use crate::state::use_dashboard;

/// The certificate panel.
#[component]
pub fn Certificates() -> impl IntoView {
    let dash = use_dashboard();
    move || {
        let t = text(dash.lang.get());
        let ev = dash.evaluation.get()?;
        let run = ev.run()?;
        let macro_json = run.macro_score.to_json_pretty().ok();
        let loaded = dash.certificate.get();
        Some(view! {
            <section class="p7-panel p7-certificates" data-testid="certificates">
                <h2>{t.certificates_title}</h2>
                <div class="p7-two">
                    <div>
                        <h3>{t.issue}</h3>
                        <p class="p7-note">{t.issue_help}</p>
                        <div class="p7-actions">
                            <button
                                type="button"
                                class="p7-button"
                                data-testid="download-macro-score"
                                disabled=macro_json.is_none()
                                on:click=move |_| {
                                    if let Some(text) = &macro_json {
                                        let _ = save_json("macro_score.json", text);
                                    }
                                }
                            >
                                "macro_score.json"
                            </button>
                        </div>
                    </div>
                    <div>
                        <h3>{t.verify}</h3>
                        <p class="p7-note">{t.verify_help}</p>
                        {loaded.map(|f| view! { <p><code>{f.name.clone()}</code></p> })}
                    </div>
                </div>
            </section>
        })
    }
}
