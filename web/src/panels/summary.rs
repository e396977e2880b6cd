//! The macro score on the 0–3 scale with the four quality bands, its 95 % interval, the
//! band named, and its band margin (issue 12: the nearest threshold and the signed
//! distance to it in score units and ulps, with the `BAND_MARGIN` warning when the band
//! is decided by the last bits — analysis, never part of the checks or the verdict).

use leptos::prelude::*;
use phase7_core::config::Config;

use phase7_core::sensitivity::{band_margin, band_probabilities, BandMargin, Model};

use crate::chart::{bands, coord, crossing, tick_label, ticks, Frame};
use crate::format::{exact, fixed, probability, signed};
use crate::i18n::{band_margin_warning, interval_crosses, text, Lang};
use crate::state::use_dashboard;

const FRAME: Frame = Frame {
    width: 640.0,
    height: 120.0,
    left: 16.0,
    right: 16.0,
    top: 34.0,
    bottom: 34.0,
};

/// The band margin: the nearest threshold and the signed distance to it (score units and
/// ulps), the probability of the run's band under the pipeline's normal model, and the
/// `BAND_MARGIN` warning when it is raised.
fn margin_view(lang: Lang, m: &BandMargin, p_band: Option<f64>, score_max: f64) -> impl IntoView {
    let t = text(lang);
    let warning = m.warning.as_ref().map(|w| {
        view! {
            <p class="p7-banner p7-banner-warn" role="note" data-testid="band-margin-warning" data-code=w.code()>
                <code class="p7-code">{w.code()}</code>" "{band_margin_warning(lang, w)}
            </p>
        }
    });
    view! {
        <div class="p7-margin" data-testid="band-margin" data-ulps=m.distance_ulps.to_string() data-threshold=exact(m.threshold)>
            <h3>{t.margin_title}" "<span class="p7-nc">{t.not_certified_badge}</span></h3>
            <dl class="p7-facts">
                <dt>{t.distance_to}" "<code>{exact(m.threshold)}</code></dt>
                <dd>
                    <code data-testid="margin-score" title=exact(m.distance_score)>{signed(m.distance_score, 4)}</code>
                    " "{t.on_scale}" ("<code>{fixed(m.threshold * score_max, 2)}</code>", "{m.threshold_band.as_str()}") · "
                    <code data-testid="margin-ulps">{format!("{:+}", m.distance_ulps)}</code>" ulps"
                </dd>
                {p_band.map(|p| view! {
                    <dt>{format!("P({})", m.band.as_str())}</dt>
                    <dd>
                        <code data-testid="margin-p-band" title=exact(p)>{probability(p)}</code>
                        " "{t.normal_model}
                    </dd>
                })}
            </dl>
            // The same in one line for the printed one-page report (display: none on
            // screen; the list above is hidden in print).
            <p class="p7-margin-print">
                {t.margin_title}" "{signed(m.distance_score, 4)}" ("{format!("{:+}", m.distance_ulps)}" ulps) "
                {t.from}" "{exact(m.threshold)}
                {p_band.map(|p| format!(" · P({}) {}", m.band.as_str(), probability(p)))}
            </p>
            {warning}
        </div>
    }
}

/// The macro score panel (only when the run succeeded).
#[component]
pub fn Summary() -> impl IntoView {
    let dash = use_dashboard();
    let body = move || {
        let lang = dash.lang.get();
        let t = text(lang);
        let ev = dash.evaluation.get()?;
        let run = ev.run()?;
        let m = &run.macro_score;
        let config = Config::published();
        let x = FRAME.x_scale((0.0, config.score_max));
        let band = m.quality_level.as_str();
        let [lo, hi] = m.confidence_interval_95;
        let (y_top, y_bottom) = (FRAME.y0(), FRAME.y1());
        let y_mid = (y_top + y_bottom) / 2.0;
        let label = format!(
            "{}: {} / 3 — {} — {} [{}, {}]",
            t.macro_score,
            fixed(m.score, 4),
            band,
            t.interval_95,
            fixed(lo, 4),
            fixed(hi, 4)
        );

        let band_rects = bands(&config)
            .into_iter()
            .map(|b| {
                let (x0, x1) = (x.project(b.from), x.project(b.to));
                let name = b.level.as_str();
                let current = b.level == m.quality_level;
                view! {
                    <g class=format!("p7-band p7-band-{}", name.to_ascii_lowercase()) class:p7-band-current=current>
                        <rect x=coord(x0) y=coord(y_top) width=coord(x1 - x0) height=coord(y_bottom - y_top) />
                        <text x=coord((x0 + x1) / 2.0) y=coord(y_top - 8.0) text-anchor="middle" class="p7-band-label">
                            {name}
                        </text>
                    </g>
                }
            })
            .collect_view();
        let axis = ticks(0.0, config.score_max, 0.5)
            .into_iter()
            .map(|v| {
                let px = x.project(v);
                view! {
                    <g class="p7-tick">
                        <line x1=coord(px) x2=coord(px) y1=coord(y_bottom) y2=coord(y_bottom + 5.0) />
                        <text x=coord(px) y=coord(y_bottom + 18.0) text-anchor="middle">{tick_label(v, 1)}</text>
                    </g>
                }
            })
            .collect_view();
        let (cx0, cx1, sx) = (x.project(lo), x.project(hi), x.project(m.score));
        let p_band = Model::from_input(&run.input, &run.config)
            .ok()
            .map(|model| band_probabilities(&model).run_band_probability);
        let margin = margin_view(
            lang,
            &band_margin(m.score_normalized, &run.config),
            p_band,
            config.score_max,
        );
        // The 95 % interval reaching another band deserves a plain sentence.
        let crosses = crossing(lo, hi, &config).map(|(levels, thresholds)| {
            let names: Vec<&str> = levels.iter().map(|l| l.as_str()).collect();
            let th: Vec<String> = thresholds.iter().map(|v| fixed(*v, 2)).collect();
            interval_crosses(lang, &fixed(lo, 4), &fixed(hi, 4), &names, &th)
        });

        Some(view! {
                <div class="p7-score-line">
                    <p class="p7-score">
                        <span
                            class="p7-score-value"
                            data-testid="macro-score"
                            data-exact=exact(m.score)
                            title=exact(m.score)
                        >
                            {fixed(m.score, 4)}
                        </span>
                        <span class="p7-score-scale">" / 3"</span>
                    </p>
                    <p class=format!("p7-badge p7-badge-{}", band.to_ascii_lowercase()) data-testid="band">
                        {band}
                    </p>
                </div>
                {crosses.map(|s| view! { <p class="p7-crossing" data-testid="interval-crossing">{s}</p> })}
                <svg
                    class="p7-gauge"
                    viewBox=format!("0 0 {} {}", coord(FRAME.width), coord(FRAME.height))
                    role="img"
                    aria-label=label
                >
                    {band_rects}
                    {axis}
                    <g class="p7-interval">
                        <line x1=coord(cx0) x2=coord(cx1) y1=coord(y_mid) y2=coord(y_mid) />
                        <line x1=coord(cx0) x2=coord(cx0) y1=coord(y_mid - 8.0) y2=coord(y_mid + 8.0) />
                        <line x1=coord(cx1) x2=coord(cx1) y1=coord(y_mid - 8.0) y2=coord(y_mid + 8.0) />
                    </g>
                    <g class="p7-marker">
                        <line x1=coord(sx) x2=coord(sx) y1=coord(y_top - 2.0) y2=coord(y_bottom + 2.0) />
                        <circle cx=coord(sx) cy=coord(y_mid) r="6" />
                    </g>
                </svg>
                <ul class="p7-band-legend">
                    {bands(&config)
                        .into_iter()
                        .map(|b| {
                            let name = b.level.as_str();
                            view! {
                                <li class:p7-band-current=b.level == m.quality_level>
                                    <span class=format!("p7-key p7-badge-{}", name.to_ascii_lowercase())></span>
                                    {format!("{name} {}–{}", fixed(b.from, 2), fixed(b.to, 2))}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <dl class="p7-facts">
                    <dt>{t.exact_value}</dt>
                    <dd><code data-testid="macro-score-exact">{exact(m.score)}</code></dd>
                    <dt>{t.normalized}</dt>
                    <dd><code>{exact(m.score_normalized)}</code></dd>
                    <dt>{t.interval_95}</dt>
                    <dd><code>{format!("[{}, {}]", exact(lo), exact(hi))}</code></dd>
                    <dt>{t.score_std}</dt>
                    <dd><code>{exact(m.score_std)}</code></dd>
                    <dt>{t.evaluation_id}</dt>
                    <dd><code>{m.evaluation_id.clone()}</code></dd>
                </dl>
                {margin}
        })
    };
    view! {
        <Show when=move || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| e.run().is_some()))>
            <section class="p7-panel p7-summary" data-testid="summary">
                <h2>{move || text(dash.lang.get()).macro_score}</h2>
                {body}
            </section>
        </Show>
    }
}
