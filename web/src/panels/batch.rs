//! The batch panel: several Phase 6 files at once (picker or drop), processed one at a
//! time with a yield to the event loop between files and a progress bar; a table sortable
//! by any column (click or Enter on its header) and the `summary.csv` export. Only the
//! summary rows are kept: each file's bytes are dropped as soon as its row is made.

use gloo::timers::future::TimeoutFuture;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

use crate::batch::{self, Column, PlanNames, Row, Sort, Table};
use crate::download;
use crate::format::{exact, probability, signed};
use crate::i18n::{batch_replace, page_of, text, yes_no, Text};
use crate::state::{over_cap, use_dashboard};
use phase7_core::stages::aggregate::QualityLevel;

/// The batch's state: the rows (numbered in processing order, shown in the sort's order),
/// progress and sort.
#[derive(Clone, Copy)]
struct BatchState {
    rows: RwSignal<Table>,
    done: RwSignal<usize>,
    total: RwSignal<usize>,
    running: RwSignal<bool>,
    sort: RwSignal<Option<Sort>>,
    /// The page shown (0-based).
    page: RwSignal<usize>,
    /// Files of a new batch waiting for the user to confirm that they replace the table.
    pending: RwSignal<Vec<web_sys::File>, LocalStorage>,
}

fn header(t: &Text, c: Column) -> &'static str {
    match c {
        Column::Plan => t.plan,
        Column::Score => t.score,
        Column::Band => t.band,
        Column::Gaps => t.gaps,
        Column::Verified => t.verified_col,
        Column::ErrorCode => t.error_code,
        Column::Margin => t.margin_col,
        Column::PBand => t.p_band_col,
    }
}

/// Processes `files` one after the other; the page stays responsive in between. Stops
/// quietly if the dashboard goes away.
fn process(state: BatchState, files: Vec<web_sys::File>) {
    if files.is_empty() || state.running.get_untracked() {
        return;
    }
    state.pending.set(Vec::new());
    state.rows.update(|t| {
        *t = Table::new();
        t.sort(state.sort.get_untracked());
    });
    state.page.set(0);
    state.done.set(0);
    state.total.set(files.len());
    state.running.set(true);
    spawn_local(async move {
        let mut names = PlanNames::default();
        for (i, file) in files.into_iter().enumerate() {
            let plan = names.name(&file.name());
            let size = file.size().max(0.0) as u64;
            let row = if over_cap(size) {
                // Refused from its size alone: never read.
                batch::too_large(plan)
            } else {
                let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
                match gloo::file::futures::read_as_bytes(&blob).await {
                    // The bytes live only for this call.
                    Ok(bytes) => batch::compute(plan, &bytes),
                    Err(_) => batch::unreadable(plan),
                }
            };
            if state.rows.try_update(|t| t.push(row)).is_none() {
                return;
            }
            state.done.try_set(i + 1);
            TimeoutFuture::new(0).await;
        }
        state.running.try_set(false);
    });
}

/// A new batch: processed at once on an empty table, otherwise held until the user
/// confirms that it replaces the current rows.
fn offer(state: BatchState, files: Vec<web_sys::File>) {
    if files.is_empty() || state.running.get_untracked() {
        return;
    }
    if state.rows.with_untracked(Table::is_empty) {
        process(state, files);
    } else {
        state.pending.set(files);
    }
}

fn file_vec(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.item(i)).collect())
        .unwrap_or_default()
}

/// The batch panel.
#[component]
pub fn Batch() -> impl IntoView {
    let dash = use_dashboard();
    let t = move || text(dash.lang.get());
    let state = BatchState {
        rows: RwSignal::new(Table::new()),
        done: RwSignal::new(0),
        total: RwSignal::new(0),
        running: RwSignal::new(false),
        sort: RwSignal::new(None),
        page: RwSignal::new(0),
        pending: RwSignal::new_local(Vec::new()),
    };
    let (hover, set_hover) = signal(false);

    let pages = move || batch::pages(state.rows.with(Table::len));
    // Only the page's rows are copied.
    let visible = move || {
        let page = state.page.get();
        state.rows.with(|t| t.page(page))
    };

    let headers = move || {
        let t = t();
        Column::ALL
            .into_iter()
            .map(|c| {
                let aria = move || match state.sort.get() {
                    Some(s) if s.column == c && s.ascending => "ascending",
                    Some(s) if s.column == c => "descending",
                    _ => "none",
                };
                let arrow = move || match state.sort.get() {
                    Some(s) if s.column == c && s.ascending => " ▲",
                    Some(s) if s.column == c => " ▼",
                    _ => "",
                };
                let toggle = move || {
                    let sort = Sort::toggled(state.sort.get_untracked(), c);
                    state.sort.set(Some(sort));
                    state.rows.update(|t| t.sort(Some(sort)));
                    state.page.set(0);
                };
                // The whole header cell sorts (the button inside is what the keyboard
                // reaches).
                view! {
                    <th scope="col" aria-sort=aria data-col=c.id() class="p7-sortable" on:click=move |_| toggle()>
                        <button
                            type="button"
                            class="p7-sort"
                            data-testid=format!("sort-{}", c.id())
                            on:click=move |e: ev::MouseEvent| {
                                e.stop_propagation();
                                toggle();
                            }
                        >
                            {header(t, c)}
                            <span aria-hidden="true">{arrow}</span>
                        </button>
                    </th>
                }
            })
            .collect_view()
    };

    let export = move |_| {
        let csv = state.rows.with_untracked(|t| batch::csv(t.rows()));
        let _ = download::save("summary.csv", &csv, "text/csv;charset=utf-8");
    };
    let totals = move || {
        let lang = dash.lang.get();
        let t = text(lang);
        let (bands, rejected) = state.rows.with(Table::band_totals);
        view! {
            <p class="p7-band-totals" data-testid="batch-totals">
                <strong>{t.band_totals}": "</strong>
                {QualityLevel::ALL
                    .into_iter()
                    .zip(bands)
                    .map(|(b, n)| view! {
                        <span class=format!("p7-total p7-badge-{}", b.as_str().to_ascii_lowercase()) data-band=b.as_str()>
                            {format!("{} {n}", b.as_str())}
                        </span>
                        " "
                    })
                    .collect_view()}
                <span class="p7-total" data-band="rejected">{format!("{} {rejected}", t.rejected_total)}</span>
            </p>
        }
    };

    view! {
        <section class="p7-panel p7-batch" data-testid="batch">
            <h2>{move || t().batch_title}</h2>
            <div
                class="p7-drop"
                class:p7-drop-active=hover
                data-testid="batch-drop"
                on:dragover=move |e: ev::DragEvent| {
                    e.prevent_default();
                    set_hover.set(true);
                }
                on:dragleave=move |_| set_hover.set(false)
                on:drop=move |e: ev::DragEvent| {
                    // Taken here: the dashboard's own drop handler leaves it alone.
                    e.prevent_default();
                    set_hover.set(false);
                    offer(state, file_vec(e.data_transfer().and_then(|d| d.files())));
                }
            >
                <p class="p7-drop-hint">{move || t().batch_help}</p>
                <label class="p7-button p7-picker">
                    <span>{move || t().batch_pick}</span>
                    <input
                        type="file"
                        multiple
                        class="p7-visually-hidden"
                        accept=".json,application/json"
                        data-testid="pick-batch"
                        disabled=move || state.running.get()
                        on:change=move |e: ev::Event| {
                            let input: HtmlInputElement = event_target(&e);
                            offer(state, file_vec(input.files()));
                            input.set_value("");
                        }
                    />
                </label>
                <p class="p7-cap">{move || t().size_cap}</p>
            </div>
            {move || {
                let files = state.pending.with(Vec::len);
                (files > 0).then(|| {
                    let rows = state.rows.with_untracked(Table::len);
                    view! {
                        <div class="p7-banner p7-banner-warn" role="alert" data-testid="batch-replace">
                            <p>{batch_replace(dash.lang.get(), rows, files)}</p>
                            <button type="button" class="p7-button" data-testid="batch-replace-confirm"
                                on:click=move |_| {
                                    let files = state.pending.try_update(std::mem::take).unwrap_or_default();
                                    process(state, files);
                                }>
                                {t().replace}
                            </button>
                            " "
                            <button type="button" class="p7-button p7-secondary" data-testid="batch-replace-keep"
                                on:click=move |_| state.pending.set(Vec::new())>
                                {t().keep}
                            </button>
                        </div>
                    }
                })
            }}
            {move || {
                let total = state.total.get();
                (total > 0)
                    .then(|| {
                        let done = state.done.get();
                        view! {
                            <div class="p7-progress" role="status" aria-live="polite">
                                <progress
                                    max=total.to_string()
                                    value=done.to_string()
                                    data-testid="batch-progress"
                                    aria-label=t().batch_done
                                ></progress>
                                <span data-testid="batch-count" data-done=done.to_string() data-total=total.to_string()>
                                    {format!("{done}/{total} {}", t().batch_done)}
                                </span>
                            </div>
                        }
                    })
            }}
            <Show when=move || !state.rows.with(Table::is_empty)>
                // The export and the totals come before the table: reachable without
                // scrolling past its rows.
                <div class="p7-actions">
                    <button
                        type="button"
                        class="p7-button"
                        data-testid="export-csv"
                        disabled=move || state.running.get()
                        on:click=export
                    >
                        {move || t().export_csv}
                    </button>
                </div>
                <p class="p7-note">{move || t().csv_note}</p>
                {totals}
                <p class="p7-note">{move || t().sort_hint}</p>
                <div class="p7-scroll" tabindex="0" role="region" aria-label=move || t().batch_title>
                    <table class="p7-table p7-compact" data-testid="batch-table">
                        <thead>
                            <tr>{headers}</tr>
                        </thead>
                        <tbody>
                            <For each=visible key=|(i, _)| *i let:item>
                                <BatchRow row=item.1 />
                            </For>
                        </tbody>
                    </table>
                </div>
                <Show when=move || { pages() > 1 }>
                    <nav class="p7-pager" aria-label=move || t().batch_title data-testid="batch-pager">
                        <button type="button" class="p7-button p7-secondary" data-testid="page-previous"
                            disabled=move || state.page.get() == 0
                            on:click=move |_| state.page.update(|p| *p = p.saturating_sub(1))>
                            {move || t().previous}
                        </button>
                        <span data-testid="page-label">
                            {move || {
                                let n = state.rows.with(Table::len);
                                let r = batch::page_range(state.page.get(), n);
                                page_of(dash.lang.get(), state.page.get().min(pages() - 1) + 1, pages(), r.start + 1, r.end, n)
                            }}
                        </span>
                        <button type="button" class="p7-button p7-secondary" data-testid="page-next"
                            disabled=move || { state.page.get() + 1 >= pages() }
                            on:click=move |_| state.page.update(|p| *p += 1)>
                            {move || t().next}
                        </button>
                    </nav>
                </Show>
            </Show>
        </section>
    }
}

/// One row of the batch table (plan names are text, never markup).
#[component]
fn BatchRow(row: Row) -> impl IntoView {
    let dash = use_dashboard();
    let class = if row.error_code.is_empty() {
        ""
    } else {
        "p7-fail"
    };
    let plan = row.plan.clone();
    let verified = row.verified;
    // How firm the band is (analysis, never certified): exact values in the title.
    let margin = row.margin.map(|m| signed(m, 4));
    let margin_title = row
        .margin
        .zip(row.margin_ulps)
        .map(|(m, u)| format!("{} ({u:+} ulps)", exact(m)));
    let p_band = row.p_band.map(probability);
    let p_title = row.p_band.map(exact);
    view! {
        <tr data-plan=plan class=class>
            <td data-col="plan" class="p7-text">{row.plan}</td>
            <td data-col="score" class="p7-num"><code>{row.score}</code></td>
            <td data-col="band">{row.band}</td>
            <td data-col="gaps">{row.gaps}</td>
            <td data-col="verified" data-value=verified.to_string()>{move || yes_no(dash.lang.get(), verified)}</td>
            <td data-col="error_code"><code>{row.error_code}</code></td>
            <td data-col="margin" class="p7-num" data-ulps=row.margin_ulps.map(|u| u.to_string())>
                <code title=margin_title>{margin}</code>
            </td>
            <td data-col="p_band" class="p7-num"><code title=p_title>{p_band}</code></td>
        </tr>
    }
}
