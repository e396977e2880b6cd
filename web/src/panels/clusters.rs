//! The four clusters as an SVG bar chart: scores, the gap threshold (1.65) and each
//! cluster's 95 % interval (score ± 1.96·score_std, clamped to [0, 3]).

use leptos::prelude::*;
use phase7_core::config::Config;

use crate::chart::{coord, interval, tick_label, ticks, Frame};
use crate::format::{exact, fixed};
use crate::i18n::{cluster_label, text};
use crate::panels::table::DataTable;
use crate::state::use_dashboard;

// A compact frame (400 units wide): on a phone it is drawn at about 0.8 px per unit, so
// the 14-unit labels stay at 11 px or more; every label sits inside the plot.
const FRAME: Frame = Frame {
    width: 400.0,
    height: 250.0,
    left: 34.0,
    right: 8.0,
    top: 26.0,
    bottom: 30.0,
};

/// The cluster chart panel (only when the run succeeded).
#[component]
pub fn Clusters() -> impl IntoView {
    let dash = use_dashboard();
    let body = move || {
        let lang = dash.lang.get();
        let t = text(lang);
        let ev = dash.evaluation.get()?;
        let run = ev.run()?;
        let config = Config::published();
        let y = FRAME.y_scale((0.0, config.score_max));
        let gap = config.gap_score();
        let clusters = run.input.clusters();
        let n = clusters.len();

        let grid = ticks(0.0, config.score_max, 0.5)
            .into_iter()
            .map(|v| {
                let py = y.project(v);
                view! {
                    <g class="p7-grid-line">
                        <line x1=coord(FRAME.x0()) x2=coord(FRAME.x1()) y1=coord(py) y2=coord(py) />
                        <text x=coord(FRAME.x0() - 8.0) y=coord(py + 4.0) text-anchor="end">{tick_label(v, 1)}</text>
                    </g>
                }
            })
            .collect_view();
        let bars = clusters
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (bx, bw) = FRAME.slot(i, n, 0.5);
                let top = y.project(c.score);
                let height = FRAME.y1() - top;
                let (lo, hi) = interval(c.score, c.score_std, &config);
                let (ylo, yhi) = (y.project(lo), y.project(hi));
                let cx = bx + bw / 2.0;
                let is_gap = c.score < gap;
                let label = format!(
                    "{}: {} ({} [{}, {}])",
                    c.id.as_str(),
                    fixed(c.score, 4),
                    t.interval_95,
                    fixed(lo, 4),
                    fixed(hi, 4)
                );
                view! {
                    <g class="p7-bar" class:p7-bar-gap=is_gap data-cluster=c.id.as_str() data-exact=exact(c.score)>
                        <rect x=coord(bx) y=coord(top) width=coord(bw) height=coord(height)>
                        </rect>
                        // A tooltip, not an ARIA name: the chart is one image (role="img"),
                        // its numbers are in the table beside it.
                        <g class="p7-whisker">
                            <title>{label}</title>
                            <line x1=coord(cx) x2=coord(cx) y1=coord(ylo) y2=coord(yhi) />
                            <line x1=coord(cx - 8.0) x2=coord(cx + 8.0) y1=coord(ylo) y2=coord(ylo) />
                            <line x1=coord(cx - 8.0) x2=coord(cx + 8.0) y1=coord(yhi) y2=coord(yhi) />
                        </g>
                        <text class="p7-bar-value" x=coord(cx) y=coord(top.min(yhi) - 6.0) text-anchor="middle">
                            {fixed(c.score, 3)}
                        </text>
                        <text class="p7-bar-label" x=coord(cx) y=coord(FRAME.y1() + 18.0) text-anchor="middle">
                            {c.id.as_str().trim_start_matches("CLUSTER_").replace('_', " ")}
                        </text>
                    </g>
                }
            })
            .collect_view();
        let gy = y.project(gap);
        let my = y.project(run.macro_score.score);
        let summary = clusters
            .iter()
            .map(|c| format!("{} {}", c.id.as_str(), fixed(c.score, 4)))
            .collect::<Vec<_>>()
            .join(", ");

        let table_rows = clusters
                        .iter()
                        .map(|c| {
                            let (lo, hi) = interval(c.score, c.score_std, &config);
                            let id = c.id;
                            let score = c.score;
                            view! {
                                <tr>
                                    <th scope="row"><code>{id.as_str().trim_start_matches("CLUSTER_").to_string()}</code></th>
                                    <td><code title=exact(score)>{fixed(score, 4)}</code></td>
                                    <td class="p7-nowrap"><code>{format!("[{}, {}]", fixed(lo, 3), fixed(hi, 3))}</code></td>
                                    <td>{cluster_label(lang, id)}</td>
                                </tr>
                            }
                        })
                        .collect::<Vec<_>>();
        Some(view! {
                <div class="p7-clusters-body">
                <div class="p7-chart-box">
                <svg
                    class="p7-chart"
                    viewBox=format!("0 0 {} {}", coord(FRAME.width), coord(FRAME.height))
                    role="img"
                    aria-label=format!("{}: {}. {} {}", t.clusters_title, summary, t.gap_threshold, exact(gap))
                >
                    {grid}
                    <line class="p7-axis" x1=coord(FRAME.x0()) x2=coord(FRAME.x1()) y1=coord(FRAME.y1()) y2=coord(FRAME.y1()) />
                    {bars}
                    <g class="p7-threshold" data-testid="gap-threshold">
                        <line x1=coord(FRAME.x0()) x2=coord(FRAME.x1()) y1=coord(gy) y2=coord(gy) />
                        <text x=coord(FRAME.x1() - 2.0) y=coord(gy + 14.0) text-anchor="end">{format!("{} {}", t.gap_short, fixed(gap, 2))}</text>
                    </g>
                    <g class="p7-macro-line">
                        <line x1=coord(FRAME.x0()) x2=coord(FRAME.x1()) y1=coord(my) y2=coord(my) />
                        <text x=coord(FRAME.x0() + 4.0) y=coord(my - 5.0)>{format!("{} {}", t.macro_short, fixed(run.macro_score.score, 2))}</text>
                    </g>
                </svg>
                <p class="p7-legend">
                    <span class="p7-key p7-key-bar"></span>{t.legend_score}" "
                    <span class="p7-key p7-key-gap"></span>{t.legend_gap}" "
                    <span class="p7-key p7-key-whisker"></span>{t.legend_interval}
                </p>
                </div>
                <DataTable
                    label=format!("{} ({})", t.clusters_title, t.score)
                    headers=vec![t.cluster, t.score, t.interval_95, t.name]
                    class="p7-compact p7-cluster-table"
                >
                    {table_rows}
                </DataTable>
                </div>
        })
    };
    view! {
        <Show when=move || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| e.run().is_some()))>
            <section class="p7-panel p7-clusters" data-testid="clusters">
                <h2>{move || text(dash.lang.get()).clusters_title}</h2>
                {body}
            </section>
        </Show>
    }
}
