//! The one table skeleton every panel uses: a focusable, labelled scroll box (so a wide
//! table scrolls on a phone and says so), a header row of column names, and the body
//! rows the panel gives.

use leptos::prelude::*;

/// A table in a labelled, keyboard-scrollable box.
#[component]
pub fn DataTable(
    /// Accessible name of the scroll box (unique on the page).
    #[prop(into)]
    label: Signal<String>,
    /// Column headers, in order.
    #[prop(into)]
    headers: Signal<Vec<&'static str>>,
    /// Extra classes of the `<table>` (`p7-compact`, `p7-checks`, …).
    #[prop(optional)]
    class: &'static str,
    /// `data-testid` of the `<table>`.
    #[prop(optional)]
    testid: &'static str,
    /// The body rows.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="p7-scroll" tabindex="0" role="region" aria-label=move || label.get()>
            <table class=format!("p7-table {class}") data-testid=(!testid.is_empty()).then_some(testid)>
                <thead>
                    <tr>
                        <For each=move || headers.get().into_iter().enumerate() key=|(i, h)| (*i, *h) let:h>
                            <th scope="col">{h.1}</th>
                        </For>
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
