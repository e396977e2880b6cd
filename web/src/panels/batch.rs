//! The batch panel: several Phase 6 files at once (picker or drop), processed one at a
//! time with a yield to the event loop between files and a progress bar; a table sortable
//! by any column (click or Enter on its header) and the `summary.csv` export. Only the
//! summary rows are kept: each file's bytes are dropped as soon as its row is made.

use gloo::timers::future::TimeoutFuture;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

use crate::batch::{self, Column, PlanNames, Row, Sort};
use crate::download;
use crate::i18n::{text, Text};
use crate::state::{over_cap, use_dashboard};

/// The batch's state: rows in processing order (numbered), progress and sort.
#[derive(Clone, Copy)]
struct BatchState {
    rows: RwSignal<Vec<(usize, Row)>>,
    done: RwSignal<usize>,
    total: RwSignal<usize>,
    running: RwSignal<bool>,
    sort: RwSignal<Option<Sort>>,
}

fn header(t: &Text, c: Column) -> &'static str {
    match c {
        Column::Plan => t.plan,
        Column::Score => t.score,
        Column::Band => t.band,
        Column::Gaps => t.gaps,
        Column::Verified => t.verified_col,
        Column::ErrorCode => t.error_code,
    }
}

/// Processes `files` one after the other; the page stays responsive in between.
fn process(state: BatchState, files: Vec<web_sys::File>) {
    if files.is_empty() || state.running.get_untracked() {
        return;
    }
    state.rows.set(Vec::new());
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
            state.rows.update(|r| r.push((i, row)));
            state.done.set(i + 1);
            TimeoutFuture::new(0).await;
        }
        state.running.set(false);
    });
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
        rows: RwSignal::new(Vec::new()),
        done: RwSignal::new(0),
        total: RwSignal::new(0),
        running: RwSignal::new(false),
        sort: RwSignal::new(None),
    };
    let (hover, set_hover) = signal(false);

    let sorted = Memo::new(move |_| {
        let mut rows = state.rows.get();
        if let Some(s) = state.sort.get() {
            batch::sort_by(&mut rows, |(_, r)| r, s);
        }
        rows
    });

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
                view! {
                    <th scope="col" aria-sort=aria data-col=c.id()>
                        <button
                            type="button"
                            class="p7-sort"
                            data-testid=format!("sort-{}", c.id())
                            on:click=move |_| state.sort.update(|s| *s = Some(Sort::toggled(*s, c)))
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
        let rows: Vec<Row> = state
            .rows
            .with_untracked(|r| r.iter().map(|(_, r)| r.clone()).collect());
        let _ = download::save("summary.csv", &batch::csv(&rows), "text/csv;charset=utf-8");
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
                    process(state, file_vec(e.data_transfer().and_then(|d| d.files())));
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
                            process(state, file_vec(input.files()));
                            input.set_value("");
                        }
                    />
                </label>
                <p class="p7-cap">{move || t().size_cap}</p>
            </div>
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
                                ></progress>
                                <span data-testid="batch-count" data-done=done.to_string() data-total=total.to_string()>
                                    {format!("{done}/{total} {}", t().batch_done)}
                                </span>
                            </div>
                        }
                    })
            }}
            {move || {
                (!state.rows.with(Vec::is_empty))
                    .then(|| {
                        view! {
                            <p class="p7-note">{t().sort_hint}</p>
                            <div class="p7-scroll" tabindex="0" role="region" aria-label=t().batch_title>
                                <table class="p7-table p7-compact" data-testid="batch-table">
                                    <thead>
                                        <tr>{headers}</tr>
                                    </thead>
                                    <tbody>
                                        <For each=move || sorted.get() key=|(i, _)| *i let:item>
                                            <BatchRow row=item.1 />
                                        </For>
                                    </tbody>
                                </table>
                            </div>
                            <p class="p7-note">{t().csv_note}</p>
                            <button
                                type="button"
                                class="p7-button"
                                data-testid="export-csv"
                                disabled=move || state.running.get()
                                on:click=export
                            >
                                {t().export_csv}
                            </button>
                        }
                    })
            }}
        </section>
    }
}

/// One row of the batch table (plan names are text, never markup).
#[component]
fn BatchRow(row: Row) -> impl IntoView {
    let class = if row.error_code.is_empty() {
        ""
    } else {
        "p7-fail"
    };
    let plan = row.plan.clone();
    view! {
        <tr data-plan=plan class=class>
            <td data-col="plan" class="p7-text">{row.plan}</td>
            <td data-col="score" class="p7-num"><code>{row.score}</code></td>
            <td data-col="band">{row.band}</td>
            <td data-col="gaps">{row.gaps}</td>
            <td data-col="verified">{row.verified.to_string()}</td>
            <td data-col="error_code"><code>{row.error_code}</code></td>
        </tr>
    }
}
