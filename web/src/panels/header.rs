//! The page header: title, language switch and print button.

use leptos::prelude::*;

use crate::i18n::{text, Lang};
use crate::state::use_dashboard;

/// Title bar with the language toggle and the print (one-page report) button; a
/// `<header>` landmark on the page, a plain block when embedded in a host's page.
#[component]
pub fn Header(
    /// Embedded layout: no landmark and no `<h1>` of its own.
    embedded: bool,
) -> impl IntoView {
    let dash = use_dashboard();
    let t = move || text(dash.lang.get());
    let lang_button = move |lang: Lang, label: &'static str| {
        view! {
            <button
                type="button"
                class="p7-button p7-lang"
                data-lang=lang.code()
                aria-pressed=move || (dash.lang.get() == lang).to_string()
                on:click=move |_| dash.lang.set(lang)
            >
                {label}
            </button>
        }
    };
    let title = move || t().title;
    let brand = if embedded {
        view! { <p class="p7-title">{title}</p> }.into_any()
    } else {
        view! { <h1>{title}</h1> }.into_any()
    };
    let tools = view! {
            <div class="p7-tools">
                <div class="p7-langs" role="group" aria-label=move || t().language>
                    {lang_button(Lang::Es, "Español")}
                    {lang_button(Lang::En, "English")}
                </div>
                <button
                    type="button"
                    class="p7-button p7-print-button"
                    on:click=move |_| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.print();
                        }
                    }
                >
                    {move || t().print}
                </button>
            </div>
    };
    let inner = view! {
        <div class="p7-brand">
            {brand}
            <p class="p7-subtitle">{move || t().subtitle}</p>
        </div>
        {tools}
    };
    if embedded {
        view! { <div class="p7-header">{inner}</div> }.into_any()
    } else {
        view! { <header class="p7-header">{inner}</header> }.into_any()
    }
}
