//! Loading: a drop zone (the whole dashboard accepts drops; see [`crate::app`]), one picker per kind of file, the sample button, what is loaded
//! now, and any loading problem (coded).

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use crate::documents::DocKind;
use crate::format;
use crate::i18n::{text, Text};
use crate::load;
use crate::state::{use_dashboard, Dashboard, Loaded, Origin};

/// A file picker for one kind of file: a real `<input type=file>` inside its label, so
/// it is reachable and operable from the keyboard.
pub fn picker(dash: Dashboard, kind: DocKind, label: fn(&Text) -> &'static str) -> impl IntoView {
    let t = move || text(dash.lang.get());
    view! {
        <label class="p7-button p7-picker" data-kind=kind.id()>
            <span>{move || label(t())}</span>
            <input
                type="file"
                class="p7-visually-hidden"
                accept=".json,application/json"
                data-testid=format!("pick-{}", kind.id())
                on:change=move |e: ev::Event| {
                    let input: HtmlInputElement = event_target(&e);
                    if let Some(list) = input.files() {
                        load::files(dash, list, Some(kind));
                    }
                    input.set_value("");
                }
            />
        </label>
    }
}

/// The loading panel.
#[component]
pub fn Loader() -> impl IntoView {
    let dash = use_dashboard();
    let t = move || text(dash.lang.get());
    let (hover, set_hover) = signal(false);

    let picker = move |kind, label| picker(dash, kind, label);

    let current = move || {
        let t = t();
        let ev = dash.evaluation.get();
        ev.map(|ev| {
            view! {
                <dl class="p7-loaded">
                    <dt>{t.phase6_file}</dt>
                    <dd data-testid="phase6-name">{describe(t, &ev.file)}</dd>
                </dl>
            }
        })
    };
    let extra = move |slot: RwSignal<Option<std::sync::Arc<Loaded>>>,
                      label: fn(&Text) -> &'static str| {
        move || {
            let t = t();
            slot.get().map(|f| {
                view! {
                    <dl class="p7-loaded">
                        <dt>{label(t)}</dt>
                        <dd>{describe(t, &f)}</dd>
                    </dl>
                }
            })
        }
    };

    view! {
        <section class="p7-panel p7-loader">
            <h2>{move || t().load_title}</h2>
            <div
                class="p7-drop"
                class:p7-drop-active=hover
                data-testid="drop-zone"
                on:dragover=move |_| set_hover.set(true)
                on:dragleave=move |_| set_hover.set(false)
                on:drop=move |_| set_hover.set(false)
            >
                <p class="p7-drop-hint">{move || t().drop_hint}</p>
                <div class="p7-pickers">
                    {picker(DocKind::Phase6, |t| t.pick_phase6)}
                    {picker(DocKind::Claimed, |t| t.pick_claimed)}
                    {picker(DocKind::Certificate, |t| t.pick_certificate)}
                    {picker(DocKind::Refusal, |t| t.pick_refusal)}
                    <button
                        type="button"
                        class="p7-button p7-secondary"
                        on:click=move |_| load::sample(dash)
                    >
                        {move || t().load_sample}
                    </button>
                </div>
                <p class="p7-cap">{move || t().size_cap}</p>
            </div>
            <RunOptions />
            <div class="p7-status" aria-live="polite">
                {current}
                {extra(dash.claimed, |t| t.claimed_file)}
                {extra(dash.certificate, |t| t.certificate_file)}
                {extra(dash.audit_trail, |t| t.audit_trail_file)}
                {extra(dash.refusal, |t| t.refusal_file)}
                {move || {
                    (dash.busy.get() > 0)
                        .then(|| view! {
                            <p class="p7-busy" data-testid="busy">
                                {t().working}" "
                                <button
                                    type="button"
                                    class="p7-button p7-secondary"
                                    data-testid="cancel"
                                    on:click=move |_| load::cancel(dash)
                                >
                                    {t().cancel}
                                </button>
                            </p>
                        })
                }}
            </div>
            {move || {
                let notices = dash.notices.get();
                let lang = dash.lang.get();
                (!notices.is_empty())
                    .then(|| {
                        view! {
                            <div role="alert">
                            <ul class="p7-notices" data-testid="notices">
                                {notices
                                    .into_iter()
                                    .map(|n| {
                                        view! {
                                            <li data-code=n.code() data-kind=n.kind.id()>
                                                <code class="p7-code">{n.code()}</code>
                                                " "
                                                <span>{n.message(lang)}</span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            </div>
                        }
                    })
            }}
        </section>
    }
}

fn describe(t: &Text, file: &Loaded) -> String {
    let origin = match file.origin {
        Origin::Sample => t.origin_sample,
        Origin::File => t.origin_file,
        Origin::Url => t.origin_url,
    };
    format!(
        "{} — {}, {}",
        format::untrusted(&file.name),
        origin,
        format::bytes(file.size)
    )
}

/// Strict mode and the evaluation time (`phase7 run --strict --evaluated-at`): changing
/// them reruns the current Phase 6 file.
#[component]
fn RunOptions() -> impl IntoView {
    let dash = use_dashboard();
    let t = move || text(dash.lang.get());
    let time = RwSignal::new(dash.evaluated_at.get_untracked().unwrap_or_default());
    let bad_time = RwSignal::new(false);
    let strict_id = dash.element_id("strict");
    let time_id = dash.element_id("evaluated-at");
    let apply = move || {
        let value = time.get_untracked();
        let value = value.trim();
        let at = if value.is_empty() {
            None
        } else if phase7_core::time::check_rfc3339(value).is_ok() {
            Some(value.to_string())
        } else {
            bad_time.set(true);
            return;
        };
        bad_time.set(false);
        dash.evaluated_at.set(at);
        load::reevaluate(dash);
    };
    view! {
        <details class="p7-details p7-run-options">
            <summary>{move || t().run_options}</summary>
            <div class="p7-options">
                <p>
                    <input
                        type="checkbox"
                        id=strict_id.clone()
                        data-testid="strict"
                        prop:checked=move || dash.strict.get()
                        on:change=move |e: ev::Event| {
                            let input: HtmlInputElement = event_target(&e);
                            dash.strict.set(input.checked());
                            load::reevaluate(dash);
                        }
                    />
                    " "
                    <label for=strict_id>{move || t().strict_mode}</label>
                </p>
                <p>
                    <label for=time_id.clone()>{move || t().evaluated_at}</label>
                    <br />
                    <input
                        type="text"
                        id=time_id
                        data-testid="evaluated-at"
                        placeholder="2026-01-31T12:00:00Z"
                        prop:value=move || time.get()
                        aria-invalid=move || bad_time.get().to_string()
                        on:input=move |e: ev::Event| {
                            let input: HtmlInputElement = event_target(&e);
                            time.set(input.value());
                        }
                        on:keydown=move |e: ev::KeyboardEvent| {
                            if e.key() == "Enter" {
                                apply();
                            }
                        }
                    />
                    " "
                    <button type="button" class="p7-button p7-secondary" data-testid="apply-options" on:click=move |_| apply()>
                        {move || t().apply}
                    </button>
                </p>
                {move || bad_time.get().then(|| view! { <p class="p7-bad-input" role="alert">{t().bad_time}</p> })}
            </div>
        </details>
    }
}
