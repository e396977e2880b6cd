//! "How firm is the band?" (issue 12) — NOT certified, never part of the run: the band
//! probabilities under the pipeline's normal model (a stacked bar), a seeded Monte Carlo
//! run in time slices with a progress bar (band frequencies, a histogram with the band
//! thresholds, quantiles, a tornado chart of the one-at-a-time table, the sensitivity
//! indices, the digest), and what-if weights (four sliders, the score, band and gaps
//! recomputed by `phase7_core::sensitivity::what_if`, the edited configuration digest
//! beside the published one, a link that reproduces it). Every number is the core's;
//! the geometry is [`crate::sensitivity`]'s.

use std::sync::Arc;

use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use phase7_core::config::Config;
use phase7_core::model::ClusterId;
use phase7_core::sensitivity::monte_carlo::{OatCase, MAX_DRAWS};
use phase7_core::sensitivity::{
    band_probabilities, BandProbabilities, Model, MonteCarlo, PerBand, Sampler, SensitivityError,
    WhatIf, WhatIfWeights,
};
use phase7_core::stages::aggregate::QualityLevel;
use web_sys::HtmlInputElement;

use crate::chart::{coord, tick_label, Frame};
use crate::format::{exact, fixed, probability, signed};
use crate::i18n::{cluster_label, sensitivity_error, severity, text, what_if_banner, Lang, Text};
use crate::options::McRequest;
use crate::panels::table::DataTable;
use crate::sensitivity::{
    bins, histogram_domain, nice_ticks, params, published_weights, rebalance, stacked, tornado,
    tornado_extent, ParamError,
};
use crate::state::{use_dashboard, Dashboard};

/// Draws made between two looks at the clock.
const CHUNK: u64 = 250;
/// Milliseconds of drawing before the page gets the event loop back.
const SLICE_MS: f64 = 12.0;

/// Where the Monte Carlo stands.
#[derive(Clone, Debug)]
enum Mc {
    Idle,
    Running { done: u64, total: u64 },
    Done(Arc<MonteCarlo>, f64),
    Failed(ParamError),
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// `?…&key=value…` of the current page with `pairs` replaced (what a link reproduces).
fn link_with(pairs: &[(&str, String)]) -> Option<String> {
    let location = web_sys::window()?.location();
    let search = location.search().ok()?;
    let query = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    for (k, _) in pairs {
        query.delete(k);
    }
    let mut out = String::from(query.to_string());
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        // The values are ASCII digits, dots, commas and "w=": kept readable.
        out.push_str(&format!("{k}={v}"));
    }
    Some(format!("{}?{out}", location.pathname().ok()?))
}

fn short(c: ClusterId) -> String {
    c.as_str().trim_start_matches("CLUSTER_").replace('_', " ")
}

fn band_class(b: QualityLevel) -> String {
    format!("p7-band-{}", b.as_str().to_ascii_lowercase())
}

/// A 0–100 stacked bar of the four bands and its legend (numbers with their exact value).
fn stacked_bar(p: &PerBand<f64>, label: String, testid: &'static str) -> impl IntoView {
    let segments = stacked(p)
        .into_iter()
        .map(|(b, x, w)| view! { <rect class=band_class(b) x=coord(x) y="0" width=coord(w) height="10" /> })
        .collect_view();
    let legend = QualityLevel::ALL
        .into_iter()
        .rev()
        .map(|b| {
            let v = *p.get(b);
            view! {
                <li data-band=b.as_str() data-value=exact(v)>
                    <span class=format!("p7-key p7-badge-{}", b.as_str().to_ascii_lowercase())></span>
                    {b.as_str()}" "<code title=exact(v)>{probability(v)}</code>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="p7-stack-box" data-testid=testid>
            <svg class="p7-stack" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=label>
                {segments}
            </svg>
            <ul class="p7-band-legend">{legend}</ul>
        </div>
    }
}

fn probabilities_label(t: &Text, p: &PerBand<f64>) -> String {
    let parts: Vec<String> = QualityLevel::ALL
        .into_iter()
        .rev()
        .map(|b| format!("{} {}", b.as_str(), probability(*p.get(b))))
        .collect();
    format!("{}: {}", t.probs_title, parts.join(", "))
}

fn probabilities_view(t: &'static Text, p: &BandProbabilities) -> impl IntoView {
    view! {
        <h3>{t.probs_title}</h3>
        <p class="p7-note">{t.probs_help}</p>
        {stacked_bar(&p.probabilities, probabilities_label(t, &p.probabilities), "band-probabilities")}
        <p class="p7-note">
            "N(" <code>{exact(p.center)}</code> ", " <code>{exact(p.score_std)}</code> "²)"
        </p>
    }
}

const HIST: Frame = Frame {
    width: 400.0,
    height: 210.0,
    left: 36.0,
    right: 10.0,
    top: 26.0,
    bottom: 30.0,
};

fn histogram(t: &Text, mc: &MonteCarlo, config: &Config) -> impl IntoView {
    let h = &mc.body.histogram;
    let (lo, hi) = histogram_domain(h, config);
    let x = HIST.x_scale((lo, hi));
    let top = h.counts.iter().copied().max().unwrap_or(0).max(1);
    let y = HIST.y_scale((0.0, top as f64));
    let bars = bins(h, config)
        .into_iter()
        .filter(|b| b.count > 0)
        .map(|b| {
            let (x0, x1) = (x.project(b.from), x.project(b.to));
            let w = (x1 - x0).max(2.0);
            let y0 = y.project(b.count as f64);
            view! {
                <rect class=format!("p7-hist-bar {}", band_class(b.band)) x=coord(x0.min(x1 - w / 2.0).max(HIST.x0())) y=coord(y0) width=coord(w) height=coord(HIST.y1() - y0) />
            }
        })
        .collect_view();
    let thresholds = mc
        .body
        .model
        .boundaries
        .into_iter()
        .filter(|v| *v > lo && *v < hi)
        .map(|v| {
            let px = x.project(v);
            view! {
                <g class="p7-threshold">
                    <line x1=coord(px) x2=coord(px) y1=coord(HIST.y0() - 4.0) y2=coord(HIST.y1()) />
                    <text x=coord(px) y=coord(HIST.y0() - 8.0) text-anchor="middle">{fixed(v, 2)}</text>
                </g>
            }
        })
        .collect_view();
    let axis = nice_ticks(lo, hi, 5)
        .into_iter()
        .map(|v| {
            let px = x.project(v);
            view! {
                <g class="p7-tick">
                    <line x1=coord(px) x2=coord(px) y1=coord(HIST.y1()) y2=coord(HIST.y1() + 5.0) />
                    <text x=coord(px) y=coord(HIST.y1() + 18.0) text-anchor="middle">{tick_label(v, 2)}</text>
                </g>
            }
        })
        .collect_view();
    let nx = x.project(mc.body.nominal.score);
    let label = format!(
        "{}: {} {}, [{}, {}]; {} {}",
        t.histogram_title,
        mc.body.parameters.draws,
        t.draws,
        fixed(h.lo, 4),
        fixed(h.hi, 4),
        t.run_score,
        fixed(mc.body.nominal.score, 4)
    );
    view! {
        <svg class="p7-chart p7-histogram" viewBox=format!("0 0 {} {}", coord(HIST.width), coord(HIST.height)) role="img" aria-label=label data-testid="mc-histogram">
            <g class="p7-grid-line">
                <line x1=coord(HIST.x0()) x2=coord(HIST.x1()) y1=coord(HIST.y0()) y2=coord(HIST.y0()) />
                <text x=coord(HIST.x0() - 4.0) y=coord(HIST.y0() + 4.0) text-anchor="end">{top.to_string()}</text>
            </g>
            {bars}
            <line class="p7-axis" x1=coord(HIST.x0()) x2=coord(HIST.x1()) y1=coord(HIST.y1()) y2=coord(HIST.y1()) />
            {axis}
            {thresholds}
            <g class="p7-macro-line">
                <line x1=coord(nx) x2=coord(nx) y1=coord(HIST.y0()) y2=coord(HIST.y1()) />
                <text x=coord(nx + 4.0) y=coord(HIST.y1() - 6.0)>{t.run_score}</text>
            </g>
        </svg>
    }
}

fn tornado_view(t: &Text, mc: &MonteCarlo) -> impl IntoView {
    let rows = tornado(&mc.body.one_at_a_time);
    let ext = tornado_extent(&rows);
    let row_h = 34.0;
    let frame = Frame {
        width: 400.0,
        height: 30.0 + row_h * rows.len() as f64 + 34.0,
        left: 74.0,
        right: 12.0,
        top: 30.0,
        bottom: 34.0,
    };
    let x = frame.x_scale((-ext, ext));
    let zero = x.project(0.0);
    let nominal = mc.body.nominal.score;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let yc = frame.y0() + row_h * (i as f64 + 0.5);
            let part = |d: f64, class: &'static str| {
                let px = x.project(d);
                view! { <rect class=class x=coord(px.min(zero)) y=coord(yc - 9.0) width=coord((px - zero).abs().max(1.0)) height="18" /> }
            };
            let drop = r.dropped.map(|d| {
                let px = x.project(d);
                view! { <circle class="p7-tornado-drop" cx=coord(px) cy=coord(yc) r="5" /> }
            });
            view! {
                <g class="p7-tornado-row" data-cluster=r.cluster.as_str()>
                    <text x=coord(frame.x0() - 6.0) y=coord(yc + 4.0) text-anchor="end">{short(r.cluster)}</text>
                    {part(r.low, "p7-tornado-low")}
                    {part(r.high, "p7-tornado-high")}
                    {drop}
                </g>
            }
        })
        .collect_view();
    let thresholds = mc
        .body
        .model
        .boundaries
        .into_iter()
        .map(|b| b - nominal)
        .filter(|d| d.abs() < ext)
        .map(|d| {
            let px = x.project(d);
            view! {
                <g class="p7-threshold">
                    <line x1=coord(px) x2=coord(px) y1=coord(frame.y0() - 6.0) y2=coord(frame.y1()) />
                    <text x=coord(px) y=coord(frame.y0() - 10.0) text-anchor="middle">{fixed(nominal + d, 2)}</text>
                </g>
            }
        })
        .collect_view();
    let axis = nice_ticks(-ext, ext, 4)
        .into_iter()
        .map(|v| {
            let px = x.project(v);
            view! {
                <g class="p7-tick">
                    <line x1=coord(px) x2=coord(px) y1=coord(frame.y1()) y2=coord(frame.y1() + 5.0) />
                    <text x=coord(px) y=coord(frame.y1() + 18.0) text-anchor="middle">{signed(v, 2)}</text>
                </g>
            }
        })
        .collect_view();
    let label = format!(
        "{}: {}",
        t.tornado_title,
        rows.iter()
            .map(|r| format!(
                "{} {} / {}{}",
                short(r.cluster),
                signed(r.low, 4),
                signed(r.high, 4),
                r.dropped
                    .map(|d| format!(" ({} {})", t.dropped, signed(d, 4)))
                    .unwrap_or_default()
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    view! {
        <svg class="p7-chart p7-tornado" viewBox=format!("0 0 {} {}", coord(frame.width), coord(frame.height)) role="img" aria-label=label data-testid="mc-tornado">
            <line class="p7-axis" x1=coord(zero) x2=coord(zero) y1=coord(frame.y0()) y2=coord(frame.y1()) />
            {bars}
            {thresholds}
            <line class="p7-axis" x1=coord(frame.x0()) x2=coord(frame.x1()) y1=coord(frame.y1()) y2=coord(frame.y1()) />
            {axis}
        </svg>
        <p class="p7-legend">
            <span class="p7-key p7-key-low"></span>{t.weight_low}" "
            <span class="p7-key p7-key-high"></span>{t.weight_high}" "
            <span class="p7-key p7-key-drop"></span>{t.dropped}
        </p>
    }
}

fn mc_results(lang: Lang, mc: &MonteCarlo, ms: f64, config: &Config) -> impl IntoView {
    let t = text(lang);
    let b = &mc.body;
    let p = &b.parameters;
    let quantiles = b
        .quantiles
        .iter()
        .map(|q| {
            view! {
                <tr data-per-mille=q.per_mille.to_string()>
                    <th scope="row">{format!("{} %", tick_label(q.p * 100.0, 1))}</th>
                    <td><code title=exact(q.score)>{fixed(q.score, 4)}</code></td>
                </tr>
            }
        })
        .collect_view();
    let indices = b
        .indices
        .iter()
        .map(|ix| {
            let factor = match ix.factor {
                phase7_core::sensitivity::monte_carlo::Factor::Weight => t.factor_weight,
                phase7_core::sensitivity::monte_carlo::Factor::Score => t.factor_score,
            };
            let first = ix.first_order.unwrap_or(f64::NAN);
            let pct = if first.is_nan() {
                0.0
            } else {
                first.clamp(0.0, 1.0) * 100.0
            };
            let show = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| fixed(v, 3));
            view! {
                <tr>
                    <th scope="row">{factor}" "<code>{short(ix.cluster_id)}</code></th>
                    <td class="p7-num"><code title=ix.first_order.map(exact)>{show(ix.first_order)}</code></td>
                    <td class="p7-num"><code title=ix.total_order.map(exact)>{show(ix.total_order)}</code></td>
                    <td class="p7-index-bar">
                        <svg class="p7-meter" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                            <rect class="p7-meter-track" x="0" y="0" width="100" height="10" />
                            <rect class="p7-meter-fill" x="0" y="0" width=crate::format::fixed(pct, 2) height="10" />
                        </svg>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let oat = b
        .one_at_a_time
        .iter()
        .map(|r| {
            let case = match r.case {
                OatCase::Dropped => t.dropped,
                OatCase::WeightLow => t.weight_low,
                OatCase::WeightHigh => t.weight_high,
            };
            view! {
                <tr>
                    <th scope="row"><code>{short(r.cluster_id)}</code></th>
                    <td>{case}</td>
                    <td><code title=r.outcome.map(|o| exact(o.score))>{r.outcome.map(|o| fixed(o.score, 4))}</code></td>
                    <td>{r.outcome.map(|o| o.band.as_str())}</td>
                    <td><code title=r.delta.map(exact)>{r.delta.map(|d| signed(d, 4))}</code></td>
                </tr>
            }
        })
        .collect_view();
    let link = link_with(&[
        ("seed", p.seed.to_string()),
        ("draws", p.draws.to_string()),
        ("weightRange", phase7_core::decimal::display(p.weight_range)),
    ]);
    view! {
        <div class="p7-mc-results" data-testid="mc-results" data-digest=mc.digest.clone()>
            <p class="p7-mc-done" data-testid="mc-time" data-ms=crate::format::fixed(ms, 1)>
                <span class="p7-nc">{t.not_certified_badge}</span>" "
                {crate::i18n::mc_done(lang, p.draws, p.seed, p.weight_range, ms)}
            </p>
            <h4>{t.band_frequencies}</h4>
            {stacked_bar(&b.band_frequencies, probabilities_label(t, &b.band_frequencies), "mc-frequencies")}
            <div class="p7-two p7-mc-charts">
                <div>
                    <h4>{t.histogram_title}</h4>
                    {histogram(t, mc, config)}
                </div>
                <div>
                    <h4>{t.tornado_title}</h4>
                    {tornado_view(t, mc)}
                </div>
            </div>
            <div class="p7-two p7-mc-tables">
                <div>
                    <h4>{t.quantiles}</h4>
                    <DataTable label=t.quantiles headers=vec!["p", t.score] class="p7-compact" testid="mc-quantiles">
                        {quantiles}
                    </DataTable>
                    <dl class="p7-facts">
                        <dt>{t.mean}</dt>
                        <dd><code title=exact(b.mean)>{fixed(b.mean, 4)}</code></dd>
                        <dt>{t.std}</dt>
                        <dd><code>{b.std.map_or_else(|| "—".to_string(), |s| fixed(s, 4))}</code></dd>
                    </dl>
                </div>
                <div>
                    <h4>{t.indices_title}</h4>
                    <DataTable label=t.indices_title headers=vec![t.factor, t.first_order, t.total_order, ""] class="p7-compact p7-indices" testid="mc-indices">
                        {indices}
                    </DataTable>
                </div>
            </div>
            <details class="p7-details">
                <summary>{t.oat_table}</summary>
                <DataTable label=t.oat_table headers=vec![t.cluster, t.case, t.score, t.band, "Δ"] class="p7-compact" testid="mc-oat">
                    {oat}
                </DataTable>
            </details>
            <dl class="p7-facts p7-mc-facts">
                <dt>{t.result_digest}</dt>
                <dd><code data-testid="mc-digest">{mc.digest.clone()}</code></dd>
                <dt>{t.generator}</dt>
                <dd class="p7-text">{p.generator}</dd>
            </dl>
            {link.map(|href| view! { <p><a href=href data-testid="mc-link">{t.mc_link}</a></p> })}
        </div>
    }
}

/// Starts a Monte Carlo run of the current evaluation (time-sliced; the page stays
/// responsive and shows its progress). A newer run, a new evaluation or the panel going
/// away drops it.
fn start(dash: Dashboard, state: RwSignal<Mc>, generation: StoredValue<u64>, form: [String; 3]) {
    let p = match params(&form[0], &form[1], &form[2]) {
        Ok(p) => p,
        Err(e) => {
            state.set(Mc::Failed(e));
            return;
        }
    };
    let Some(ev) = dash.evaluation.get_untracked() else {
        return;
    };
    let Some(run) = ev.run() else {
        return;
    };
    let sampler = Model::from_input(&run.input, &run.config).and_then(|m| Sampler::new(&m, &p));
    let mut sampler = match sampler {
        Ok(s) => s,
        Err(e) => {
            state.set(Mc::Failed(ParamError {
                code: e.code(),
                field: "parameters",
                value: e.to_string(),
            }));
            return;
        }
    };
    let mine = generation.get_value() + 1;
    generation.set_value(mine);
    state.set(Mc::Running {
        done: 0,
        total: p.draws,
    });
    spawn_local(async move {
        let started = now_ms();
        let current = move || generation.try_get_value() == Some(mine);
        loop {
            let slice = now_ms();
            while sampler.done() < sampler.draws() && now_ms() - slice < SLICE_MS {
                sampler.advance(CHUNK);
            }
            if !current() {
                return;
            }
            if sampler.done() >= sampler.draws() {
                break;
            }
            state.try_set(Mc::Running {
                done: sampler.done(),
                total: sampler.draws(),
            });
            TimeoutFuture::new(0).await;
            if !current() {
                return;
            }
        }
        let result = sampler.finish();
        let ms = now_ms() - started;
        state.try_set(match result {
            Ok(mc) => Mc::Done(Arc::new(mc), ms),
            Err(e) => Mc::Failed(ParamError {
                code: e.code(),
                field: "parameters",
                value: e.to_string(),
            }),
        });
    });
}

fn what_if_result(lang: Lang, w: &WhatIf, standalone: bool) -> impl IntoView {
    let t = text(lang);
    let band = w.quality_level.as_str();
    let gaps = w
        .systemic_gaps
        .iter()
        .map(|g| format!("{} {}", g.area, severity(lang, g.severity.as_str())))
        .collect::<Vec<_>>()
        .join(", ");
    let link = standalone
        .then(|| link_with(&[("whatif", w.text.clone())]))
        .flatten();
    let m = &w.margin;
    view! {
        <div class="p7-whatif-result" data-testid="whatif-result">
            <p class="p7-banner p7-banner-warn" data-testid="whatif-banner" data-published=w.is_published_configuration.to_string()>
                <span class="p7-nc">{t.not_certified_badge}</span>" "
                {what_if_banner(lang, w.is_published_configuration)}
            </p>
            <dl class="p7-facts">
                <dt>{t.macro_score}</dt>
                <dd>
                    <code data-testid="whatif-score" data-exact=exact(w.weighted.score) title=exact(w.weighted.score)>{fixed(w.weighted.score, 4)}</code>
                    " " <span class=format!("p7-badge p7-badge-{}", band.to_ascii_lowercase()) data-testid="whatif-band">{band}</span>
                    " (" {t.published}": " <code title=exact(w.base_score)>{fixed(w.base_score, 4)}</code> " " {w.base_quality_level.as_str()} ")"
                </dd>
                <dt>{t.margin_title}</dt>
                <dd>
                    <code>{signed(m.distance_score, 4)}</code>" "{t.on_scale}" · "<code>{format!("{:+}", m.distance_ulps)}</code>" ulps ("{m.threshold_band.as_str()}")"
                </dd>
                <dt>{t.gaps_title}</dt>
                <dd data-testid="whatif-gaps">{if gaps.is_empty() { t.no_gaps.to_string() } else { gaps }}</dd>
                <dt>{t.config_digest_edited}</dt>
                <dd><code data-testid="whatif-digest">{w.config_digest.clone()}</code></dd>
                <dt>{t.config_digest_published}</dt>
                <dd><code data-testid="whatif-published-digest">{w.published_config_digest}</code></dd>
                <dt>{t.whatif_text}</dt>
                <dd><code data-testid="whatif-text-value">{w.text.clone()}</code></dd>
            </dl>
            {stacked_bar(&w.probabilities.probabilities, probabilities_label(t, &w.probabilities.probabilities), "whatif-probabilities")}
            {link.map(|href| view! { <p><a href=href data-testid="whatif-link">{t.whatif_link}</a></p> })}
        </div>
    }
}

/// One slider per cluster (canonical order); moving one rescales the others
/// ([`rebalance`]).
fn sliders(dash: Dashboard, weights: Memo<[f64; 4]>) -> impl IntoView {
    ClusterId::ALL
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let id = dash.element_id(&format!("weight-{}", i + 1));
            view! {
                <div class="p7-slider-row">
                    <label for=id.clone()>
                        <code>{short(c)}</code>" "{move || cluster_label(dash.lang.get(), c)}
                    </label>
                    <input
                        type="range"
                        id=id
                        min="0"
                        max="1"
                        step="0.01"
                        data-testid=format!("weight-{}", i + 1)
                        prop:value=move || phase7_core::decimal::display(weights.get()[i])
                        on:input=move |e| {
                            let input: HtmlInputElement = event_target(&e);
                            if let Ok(v) = input.value().parse::<f64>() {
                                let next = rebalance(weights.get_untracked(), i, v);
                                if let Ok(w) = WhatIfWeights::new(next) {
                                    dash.what_if.set(Some(w));
                                }
                            }
                        }
                    />
                    <output data-testid=format!("weight-value-{}", i + 1)>
                        <code>{move || exact(weights.get()[i])}</code>
                    </output>
                </div>
            }
        })
        .collect_view()
}

/// The sensitivity panel (when a run exists).
#[component]
pub fn Sensitivity(
    /// A what-if from the link or the mount options (`w=…`).
    what_if: Option<String>,
    /// Monte Carlo parameters from the link or the mount options: run at once.
    monte_carlo: Option<McRequest>,
) -> impl IntoView {
    let dash = use_dashboard();
    let t = move || text(dash.lang.get());
    let request = monte_carlo.clone();
    let form = monte_carlo.unwrap_or_default();
    let draws = RwSignal::new(if form.draws.is_empty() {
        "10000".into()
    } else {
        form.draws
    });
    let seed = RwSignal::new(if form.seed.is_empty() {
        "1".into()
    } else {
        form.seed
    });
    let range = RwSignal::new(if form.weight_range.is_empty() {
        "0.25".into()
    } else {
        form.weight_range
    });
    let state = RwSignal::new(Mc::Idle);
    let generation = StoredValue::new(0u64);
    let what_if_error = RwSignal::new(None::<SensitivityError>);
    let text_field = RwSignal::new(String::new());
    if let Some(text) = what_if {
        match WhatIfWeights::parse(&text) {
            Ok(w) => dash.what_if.set(Some(w)),
            Err(e) => {
                text_field.set(text);
                what_if_error.set(Some(e));
            }
        }
    }
    let run_mc = move || {
        start(
            dash,
            state,
            generation,
            [
                draws.get_untracked(),
                seed.get_untracked(),
                range.get_untracked(),
            ],
        )
    };
    // A Monte Carlo result belongs to one evaluation: a new one clears it (and drops a
    // run in progress). A link's parameters run once, on the first run shown.
    let pending = StoredValue::new(request.is_some());
    Effect::new(move |previous: Option<usize>| {
        let key = dash
            .evaluation
            .with(|e| e.as_ref().map_or(0, |e| Arc::as_ptr(e) as usize));
        if previous.is_some_and(|p| p != key) {
            generation.update_value(|g| *g += 1);
            state.set(Mc::Idle);
        }
        let has_run = dash
            .evaluation
            .with_untracked(|e| e.as_ref().is_some_and(|e| e.run().is_some()));
        if has_run && pending.get_value() {
            pending.set_value(false);
            run_mc();
        }
        key
    });
    let weights = Memo::new(move |_| {
        dash.what_if.get().map_or_else(
            || published_weights(&Config::published()),
            |w| w.normalised(),
        )
    });
    let result = Memo::new(move |_| {
        let w = dash.what_if.get()?;
        let ev = dash.evaluation.get()?;
        let run = ev.run()?;
        Some(phase7_core::sensitivity::what_if(
            &run.input,
            &run.config,
            &w,
        ))
    });
    let standalone = dash.settings.with_value(|s| s.standalone);

    let probabilities = move || {
        let t = text(dash.lang.get());
        let ev = dash.evaluation.get()?;
        let run = ev.run()?;
        let model = Model::from_input(&run.input, &run.config).ok()?;
        Some(probabilities_view(t, &band_probabilities(&model)))
    };
    let mc_view = move || {
        let lang = dash.lang.get();
        let t = text(lang);
        match state.get() {
            Mc::Idle => None,
            Mc::Running { done, total } => Some(
                view! {
                    <div class="p7-progress" role="status" aria-live="polite">
                        <progress max=total.to_string() value=done.to_string() data-testid="mc-progress" aria-label=t.mc_title></progress>
                        <span data-testid="mc-count" data-done=done.to_string() data-total=total.to_string()>
                            {format!("{done}/{total} {}", t.draws)}
                        </span>
                    </div>
                }
                .into_any(),
            ),
            Mc::Done(mc, ms) => Some(mc_results(lang, &mc, ms, &Config::published()).into_any()),
            Mc::Failed(e) => Some(
                view! {
                    <div role="alert">
                        <ul class="p7-notices" data-testid="mc-error">
                            <li data-code=e.code>
                                <code class="p7-code">{e.code}</code>" "
                                {sensitivity_error(lang, e.code, e.field, &e.value)}
                            </li>
                        </ul>
                    </div>
                }
                .into_any(),
            ),
        }
    };
    let field = move |label: fn(&Text) -> &'static str,
                      sig: RwSignal<String>,
                      testid: &'static str,
                      hint: &'static str| {
        let id = dash.element_id(testid);
        view! {
            <p class="p7-field">
                <label for=id.clone()>{move || label(t())}</label>
                <input
                    type="text"
                    id=id
                    inputmode=if testid == "mc-range" { "decimal" } else { "numeric" }
                    data-testid=testid
                    placeholder=hint
                    prop:value=move || sig.get()
                    on:input=move |e| sig.set(event_target::<HtmlInputElement>(&e).value())
                    on:keydown=move |e: leptos::ev::KeyboardEvent| {
                        if e.key() == "Enter" {
                            run_mc();
                        }
                    }
                />
            </p>
        }
    };
    let apply_text = move || {
        let text = text_field.get_untracked();
        match WhatIfWeights::parse(text.trim()) {
            Ok(w) => {
                what_if_error.set(None);
                dash.what_if.set(Some(w));
            }
            Err(e) => what_if_error.set(Some(e)),
        }
    };
    view! {
        <Show when=move || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| e.run().is_some()))>
            <section class="p7-panel p7-sensitivity" data-testid="sensitivity" id=dash.element_id("sensitivity") tabindex="-1">
                <h2>{move || t().sens_title}" "<span class="p7-nc">{move || t().not_certified_badge}</span></h2>
                <p class="p7-note">{move || t().sens_note}</p>
                {probabilities}
                <div class="p7-mc">
                    <h3>{move || t().mc_title}</h3>
                    <p class="p7-note">{move || t().mc_help}</p>
                    <div class="p7-mc-form">
                        {field(|t| t.draws_label, draws, "mc-draws", "10000")}
                        {field(|t| t.seed_label, seed, "mc-seed", "1")}
                        {field(|t| t.range_label, range, "mc-range", "0.25")}
                        <button
                            type="button"
                            class="p7-button"
                            data-testid="mc-run"
                            disabled=move || matches!(state.get(), Mc::Running { .. })
                            on:click=move |_| run_mc()
                        >
                            {move || t().mc_run}
                        </button>
                    </div>
                    <p class="p7-cap">{move || crate::i18n::mc_limits(dash.lang.get(), MAX_DRAWS)}</p>
                    {mc_view}
                </div>
                <div class="p7-whatif">
                    <h3>{move || t().whatif_title}</h3>
                    <p class="p7-note">{move || t().whatif_help}</p>
                    <div class="p7-sliders" role="group" aria-label=move || t().whatif_title>
                        {sliders(dash, weights)}
                    </div>
                    <div class="p7-actions p7-whatif-actions">
                        <button type="button" class="p7-button p7-secondary" data-testid="whatif-reset"
                            on:click=move |_| {
                                what_if_error.set(None);
                                dash.what_if.set(None);
                            }>
                            {move || t().whatif_reset}
                        </button>
                        <label for=dash.element_id("whatif-text")>{move || t().whatif_text}</label>
                        <input
                            type="text"
                            id=dash.element_id("whatif-text")
                            class="p7-whatif-text"
                            data-testid="whatif-text"
                            placeholder="w=0.3,0.2,0.25,0.25"
                            prop:value=move || {
                                // The field follows the sliders; a bad text stays as typed.
                                if what_if_error.with(Option::is_some) {
                                    text_field.get()
                                } else {
                                    dash.what_if.get().map(|w| w.to_text()).unwrap_or_default()
                                }
                            }
                            on:input=move |e| text_field.set(event_target::<HtmlInputElement>(&e).value())
                            on:keydown=move |e: leptos::ev::KeyboardEvent| {
                                if e.key() == "Enter" {
                                    apply_text();
                                }
                            }
                        />
                        <button type="button" class="p7-button p7-secondary" data-testid="whatif-apply" on:click=move |_| apply_text()>
                            {move || t().apply}
                        </button>
                    </div>
                    {move || what_if_error.get().map(|e| {
                        let lang = dash.lang.get();
                        let d = e.report();
                        view! {
                            <div role="alert">
                                <ul class="p7-notices" data-testid="whatif-error">
                                    <li data-code=e.code()>
                                        <code class="p7-code">{e.code()}</code>" "
                                        {sensitivity_error(lang, e.code(), d.field.as_deref().unwrap_or(""), &e.to_string())}
                                    </li>
                                </ul>
                            </div>
                        }
                    })}
                    {move || {
                        let lang = dash.lang.get();
                        result.get().map(|r| match r {
                            Ok(w) => what_if_result(lang, &w, standalone).into_any(),
                            Err(e) => view! {
                                <div role="alert">
                                    <ul class="p7-notices"><li><code class="p7-code">{e.code()}</code>" "{e.to_string()}</li></ul>
                                </div>
                            }
                            .into_any(),
                        })
                    }}
                </div>
            </section>
        </Show>
    }
}
