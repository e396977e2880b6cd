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
            <div class="p7-status" aria-live="polite">
                {current}
                {extra(dash.claimed, |t| t.claimed_file)}
                {extra(dash.certificate, |t| t.certificate_file)}
                {extra(dash.audit_trail, |t| t.audit_trail_file)}
                {move || {
                    (dash.busy.get() > 0)
                        .then(|| view! { <p class="p7-busy" data-testid="busy">{t().working}</p> })
                }}
            </div>
            {move || {
                let notices = dash.notices.get();
                (!notices.is_empty())
                    .then(|| {
                        view! {
                            <ul class="p7-notices" role="alert" data-testid="notices">
                                {notices
                                    .into_iter()
                                    .map(|n| {
                                        view! {
                                            <li>
                                                <code class="p7-code">{n.code}</code>
                                                " "
                                                <span class="p7-target">{n.target}</span>
                                                ": "
                                                <span>{n.message}</span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
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
    format!("{} — {}, {}", file.name, origin, format::bytes(file.size))
}
