//! Determinism: rerun the current file N times in this page and show that every digest
//! is identical, with the digests an auditor compares against a native run.

use std::sync::Arc;

use gloo::timers::future::TimeoutFuture;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

use crate::format::short_digest;
use crate::i18n::text;
use crate::panels::table::DataTable;
use crate::rerun::{clamp_count, Fingerprint, Report};
use crate::state::use_dashboard;

/// The determinism panel (only when the run succeeded).
#[component]
pub fn Determinism() -> impl IntoView {
    let dash = use_dashboard();
    let count = RwSignal::new(10usize);
    let report = RwSignal::new(None::<Report>);
    let progress = RwSignal::new(None::<usize>);
    // A new file invalidates the previous comparison.
    Effect::new(move |_| {
        dash.evaluation.track();
        report.set(None);
    });

    let start = move || {
        let Some(ev) = dash.evaluation.get_untracked() else {
            return;
        };
        let Some(run) = ev.run() else {
            return;
        };
        let reference = match Fingerprint::of(&ev.file.bytes, &ev.options) {
            Ok(f) => f,
            Err(_) => return,
        };
        // The page's own run is compared as well: it must give the same digests.
        if reference.output != run.digests.output {
            report.set(Some(Report {
                reference,
                runs: vec![Err("DIGEST_MISMATCH".into())],
            }));
            return;
        }
        let n = count.get_untracked();
        let bytes = ev.file.bytes.clone();
        let options = ev.options.clone();
        progress.set(Some(0));
        report.set(None);
        // Whether the file whose reruns these are is still the one shown: a new file
        // stops them (1000 reruns of a 15 MB file would otherwise go on for minutes after
        // it, keep the button disabled and then show their report under the new file).
        let current = move || {
            dash.evaluation
                .try_with_untracked(|e| e.as_ref().is_some_and(|e| Arc::ptr_eq(e, &ev)))
                .unwrap_or(false)
        };
        spawn_local(async move {
            let mut runs = Vec::with_capacity(n);
            for i in 0..n {
                runs.push(Fingerprint::of(&bytes, &options));
                // Let the page breathe between runs; stop if the dashboard is gone.
                if progress.try_set(Some(i + 1)).is_some() {
                    return;
                }
                TimeoutFuture::new(0).await;
                if !current() {
                    progress.try_set(None);
                    return;
                }
            }
            report.try_set(Some(Report { reference, runs }));
            progress.try_set(None);
        });
    };

    let body = move || {
        let t = text(dash.lang.get());
        let ev = dash.evaluation.get()?;
        let run = ev.run()?;
        let d = run.digests.clone();
        let result = move || {
            report.get().map(|r| {
            let t = text(dash.lang.get());
            let ok = r.all_identical();
            let rows = r
                .runs
                .iter()
                .enumerate()
                .map(|(i, f)| match f {
                    Ok(f) => {
                        let same = *f == r.reference;
                        view! {
                            <tr class=if same { "p7-pass" } else { "p7-fail" }>
                                <td>{i + 1}</td>
                                <td><code title=f.input.clone()>{short_digest(&f.input)}</code></td>
                                <td><code title=f.config.clone()>{short_digest(&f.config)}</code></td>
                                <td><code title=f.output.clone()>{short_digest(&f.output)}</code></td>
                                <td><code title=f.exact.clone()>{short_digest(&f.exact)}</code></td>
                                <td><code title=f.certificate.clone()>{short_digest(&f.certificate)}</code></td>
                                <td>{if same { t.identical } else { t.different }}</td>
                            </tr>
                        }
                        .into_any()
                    }
                    Err(code) => view! {
                        <tr class="p7-fail">
                            <td>{i + 1}</td>
                            <td colspan="5"><code>{code.clone()}</code></td>
                            <td>{t.different}</td>
                        </tr>
                    }
                    .into_any(),
                })
                .collect_view();
            view! {
                <p
                    class=if ok { "p7-verdict-line p7-ok" } else { "p7-verdict-line p7-bad" }
                    data-testid="determinism-verdict"
                    data-identical=ok.to_string()
                >
                    {format!("{}/{} {}", r.identical(), r.runs.len(), t.reruns_identical)}
                </p>
                <details class="p7-details">
                    <summary>{t.show_reruns}</summary>
                    <DataTable
                        label=t.determinism_title
                        headers=vec!["#", t.digest_input, t.digest_config, t.digest_output, t.digest_exact, t.digest_certificate, t.result]
                        class="p7-compact"
                    >
                        {rows}
                    </DataTable>
                </details>
            }
        })
        };
        Some(view! {
                <p class="p7-note">{t.determinism_help}</p>
                <dl class="p7-digests" data-testid="digests">
                    <dt>{t.digest_input}</dt>
                    <dd><code data-digest="input">{d.input.clone()}</code></dd>
                    <dt>{t.digest_config}</dt>
                    <dd><code data-digest="config">{d.config.clone()}</code></dd>
                    <dt>{t.digest_output}</dt>
                    <dd><code data-digest="output">{d.output.clone()}</code></dd>
                    {ev.artifacts.as_ref().and_then(|a| a.certificate.as_ref().map(|c| view! {
                        <dt>{t.audit_root}</dt>
                        <dd><code data-digest="audit-root">{a.audit_trail.root.clone()}</code></dd>
                        <dt>{t.certificate_id}</dt>
                        <dd><code data-digest="certificate">{c.certificate_id.clone()}</code></dd>
                    }))}
                </dl>
                <div class="p7-rerun">
                    <label>
                        {t.rerun_count}" "
                        <input
                            type="number"
                            min="1"
                            max="1000"
                            prop:value=move || count.get().to_string()
                            data-testid="rerun-count"
                            on:change=move |e: ev::Event| {
                                let input: HtmlInputElement = event_target(&e);
                                let n = input.value().trim().parse::<i64>().unwrap_or(10);
                                count.set(clamp_count(n));
                            }
                        />
                    </label>
                    <button
                        type="button"
                        class="p7-button"
                        data-testid="rerun"
                        disabled=move || progress.get().is_some()
                        on:click=move |_| start()
                    >
                        {t.rerun}
                    </button>
                    {move || {
                        progress
                            .get()
                            .map(|i| {
                                view! {
                                    <span class="p7-busy" role="status">
                                        {format!("{i}/{}", count.get_untracked())}
                                    </span>
                                }
                            })
                    }}
                </div>
                {result}
        })
    };
    view! {
        <Show when=move || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| e.run().is_some()))>
            <section class="p7-panel p7-determinism" data-testid="determinism">
                <h2>{move || text(dash.lang.get()).determinism_title}</h2>
                {body}
            </section>
        </Show>
    }
}
