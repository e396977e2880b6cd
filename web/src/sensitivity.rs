//! The plain logic of the "How firm is the band?" panel (issue 12): the rule the what-if
//! sliders follow, the Monte Carlo parameters read from the page's inputs (or a link),
//! and the geometry of its charts (stacked band bars, the histogram, the tornado).
//! Knows nothing of Leptos and is unit-tested natively; every number it draws comes from
//! `phase7_core::sensitivity` — nothing here is certified.

use std::cmp::Ordering;

use phase7_core::config::Config;
use phase7_core::model::ClusterId;
use phase7_core::sensitivity::monte_carlo::{Histogram, OatCase, OatRow, MAX_DRAWS, MAX_SEED};
use phase7_core::sensitivity::{Params, PerBand};
use phase7_core::stages::aggregate::{quality, QualityLevel};
use phase7_core::stages::pymath::psum;

/// The what-if slider rule. Moving weight `i` to `value` (clamped to [0, 1]; the slider
/// moves in steps of 0.01) gives it that value; the other three share `1 − value` in
/// proportion to their current values (equally when they add up to 0), each rounded to
/// six decimals so the weights read as plain decimals (`0.2`, not
/// `0.19999999999999998`). The four then add up to 1 within 2·10⁻⁶, and the core
/// normalises them (`w_i / psum(w)`) before computing, so what is computed always adds up
/// to 1. A non-finite `value` leaves the weights as they are.
pub fn rebalance(weights: [f64; 4], i: usize, value: f64) -> [f64; 4] {
    if i >= 4 || !value.is_finite() {
        return weights;
    }
    let v = value.clamp(0.0, 1.0);
    let others: Vec<f64> = (0..4).filter(|&j| j != i).map(|j| weights[j]).collect();
    let sum = psum(&others);
    let rest = 1.0 - v;
    let mut out = [0.0; 4];
    for j in 0..4 {
        out[j] = if j == i {
            v
        } else if sum > 0.0 && sum.is_finite() {
            round6(weights[j] / sum * rest)
        } else {
            round6(rest / 3.0)
        };
    }
    out
}

/// `x` rounded to six decimals (half away from zero).
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The published weights in canonical order (MESO_1..MESO_4), as the what-if takes them.
pub fn published_weights(config: &Config) -> [f64; 4] {
    ClusterId::ALL.map(|c| config.weight(c))
}

/// A Monte Carlo parameter that cannot be used: the core's code (`DRAWS_OUT_OF_RANGE`,
/// `SEED_OUT_OF_RANGE`, `WEIGHT_RANGE_INVALID`), the field and the value as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    /// The core's code for the parameter.
    pub code: &'static str,
    /// `draws`, `seed` or `weight_range`.
    pub field: &'static str,
    /// The value as given (cut to 200 characters, control and bidi characters escaped).
    pub value: String,
}

/// A typed value as an error quotes it: trimmed, then as [`crate::format::untrusted`]
/// shows it (cut, control and bidi characters escaped).
fn cut(s: &str) -> String {
    crate::format::untrusted(s.trim())
}

/// The parameters of a Monte Carlo run from text (the page's inputs or a link's
/// `draws`, `seed`, `weightRange`); an empty text takes the default. The ranges are the
/// core's ([`Params::validate`]); a value that is not a number gets the same code.
///
/// # Errors
///
/// The first parameter that cannot be used, coded.
pub fn params(draws: &str, seed: &str, weight_range: &str) -> Result<Params, ParamError> {
    let defaults = Params::default();
    let err = |code, field, value: &str| ParamError {
        code,
        field,
        value: cut(value),
    };
    let integer = |s: &str, default: u64, max: u64, code, field| {
        let s = s.trim();
        if s.is_empty() {
            return Ok(default);
        }
        // Plain digits only (no sign, exponent or fraction), at most the limit.
        match s.parse::<u64>() {
            Ok(n) if s.bytes().all(|b| b.is_ascii_digit()) && n <= max => Ok(n),
            _ => Err(err(code, field, s)),
        }
    };
    let draws = integer(
        draws,
        defaults.draws,
        MAX_DRAWS,
        "DRAWS_OUT_OF_RANGE",
        "draws",
    )?;
    if draws == 0 {
        return Err(err("DRAWS_OUT_OF_RANGE", "draws", "0"));
    }
    let seed = integer(seed, defaults.seed, MAX_SEED, "SEED_OUT_OF_RANGE", "seed")?;
    let r = weight_range.trim();
    let weight_range = if r.is_empty() {
        defaults.weight_range
    } else {
        match r.parse::<f64>() {
            Ok(x) if x.is_finite() && (0.0..1.0).contains(&x) => x,
            _ => return Err(err("WEIGHT_RANGE_INVALID", "weight_range", r)),
        }
    };
    let p = Params {
        draws,
        seed,
        weight_range,
    };
    // The core has the last word on the ranges.
    p.validate().map_err(|e| ParamError {
        code: e.code(),
        field: "parameters",
        value: e.to_string(),
    })?;
    Ok(p)
}

/// The four bands left to right on a 0–100 bar: `(band, x, width)` in
/// `QualityLevel::ALL` order (INSUFICIENTE first), each width its probability × 100.
pub fn stacked(p: &PerBand<f64>) -> [(QualityLevel, f64, f64); 4] {
    let mut x = 0.0;
    QualityLevel::ALL.map(|b| {
        let w = (p.get(b).max(0.0) * 100.0).min(100.0 - x).max(0.0);
        let seg = (b, x, w);
        x += w;
        seg
    })
}

/// One bar of the histogram: its score interval and count, and the band of its middle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bin {
    /// Left edge (score).
    pub from: f64,
    /// Right edge (score).
    pub to: f64,
    /// How many draws fell in it.
    pub count: u64,
    /// The band of its middle (the colour it is drawn in).
    pub band: QualityLevel,
}

/// The bins of a Monte Carlo histogram on the score scale (a single bin of zero width
/// when every draw gave the same score).
pub fn bins(h: &Histogram, config: &Config) -> Vec<Bin> {
    let n = h.counts.len().max(1) as f64;
    let span = h.hi - h.lo;
    h.counts
        .iter()
        .enumerate()
        .map(|(k, &count)| {
            let from = h.lo + span * (k as f64 / n);
            let to = h.lo + span * ((k + 1) as f64 / n);
            Bin {
                from,
                to,
                count,
                band: quality((from + to) / 2.0 / config.score_max, config),
            }
        })
        .collect()
}

/// The score range a histogram is drawn over: the draws' range widened by 8 % on each side
/// (at least 0.05), within [0, score_max].
pub fn histogram_domain(h: &Histogram, config: &Config) -> (f64, f64) {
    let pad = ((h.hi - h.lo) * 0.08).max(0.05);
    ((h.lo - pad).max(0.0), (h.hi + pad).min(config.score_max))
}

/// About `n` evenly spaced, round ticks (steps of 1, 2 or 5 × 10^k) inside `[lo, hi]`.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) || n == 0 {
        return Vec::new();
    }
    let raw = span / n as f64;
    // The power of ten at or below `raw` (no logarithm needed).
    let mut mag = 1.0;
    while mag > raw {
        mag /= 10.0;
    }
    while mag * 10.0 <= raw {
        mag *= 10.0;
    }
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil();
    (0..=n * 3)
        .map(|i| (first + i as f64) * step)
        .take_while(|v| *v <= hi + step * 1e-9)
        // −0.0 prints as "-0": make it 0.
        .map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v })
        .collect()
}

/// One cluster of the tornado chart: the change of the macro score when its weight is at
/// the low and high end of its range and when it is dropped (others reweighted).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TornadoRow {
    /// The cluster.
    pub cluster: ClusterId,
    /// Δ score with the weight factor at 1 − r.
    pub low: f64,
    /// Δ score with the weight factor at 1 + r.
    pub high: f64,
    /// Δ score with the cluster dropped (none when no weight is left).
    pub dropped: Option<f64>,
}

impl TornadoRow {
    /// How far apart the low and high ends are (the bar's length).
    pub fn span(&self) -> f64 {
        (self.high - self.low).abs()
    }
}

/// The one-at-a-time table as tornado rows, the longest bar first (ties keep the input
/// order).
pub fn tornado(rows: &[OatRow]) -> Vec<TornadoRow> {
    let mut out: Vec<TornadoRow> = Vec::new();
    for r in rows {
        let i = match out.iter().position(|t| t.cluster == r.cluster_id) {
            Some(i) => i,
            None => {
                out.push(TornadoRow {
                    cluster: r.cluster_id,
                    low: 0.0,
                    high: 0.0,
                    dropped: None,
                });
                out.len() - 1
            }
        };
        let d = r.delta;
        match r.case {
            OatCase::WeightLow => out[i].low = d.unwrap_or(0.0),
            OatCase::WeightHigh => out[i].high = d.unwrap_or(0.0),
            OatCase::Dropped => out[i].dropped = d,
        }
    }
    // Largest span first, ties in cluster order. One row per cluster (four): an insertion
    // sort, not one more sort routine in the wasm (issue 9, "Sizes").
    for i in 1..out.len() {
        let mut j = i;
        while j > 0 && out[j].span().total_cmp(&out[j - 1].span()) == Ordering::Greater {
            out.swap(j - 1, j);
            j -= 1;
        }
    }
    out
}

/// The tornado's symmetric Δ range: the largest |Δ| (dropped included) plus 10 %, at
/// least 0.01.
pub fn tornado_extent(rows: &[TornadoRow]) -> f64 {
    let m = rows
        .iter()
        .flat_map(|r| [r.low, r.high, r.dropped.unwrap_or(0.0)])
        .map(f64::abs)
        .fold(0.0, f64::max);
    (m * 1.1).max(0.01)
}

#[cfg(test)]
mod tests {
    use super::*;
    use phase7_core::sensitivity::{monte_carlo, Model};

    fn sample_model() -> Model {
        let ev = crate::state::Evaluation::compute(crate::state::Loaded::sample());
        let run = ev.run().expect("sample");
        Model::from_input(&run.input, &run.config).expect("model")
    }

    #[test]
    fn moving_one_slider_rescales_the_others_in_proportion() {
        let w = rebalance([0.25; 4], 0, 0.4);
        assert_eq!(w, [0.4, 0.2, 0.2, 0.2]);
        assert_eq!(psum(&w), 1.0);
        // Proportions among the others are kept (to six decimals).
        let w = rebalance([0.1, 0.2, 0.3, 0.4], 3, 0.1);
        assert_eq!(w, [0.15, 0.3, 0.45, 0.1]);
        let w = rebalance([0.25; 4], 2, 0.37);
        assert_eq!(w, [0.21, 0.21, 0.37, 0.21]);
        let w = rebalance([0.3, 0.3, 0.3, 0.1], 3, 0.0);
        assert_eq!(w, [0.333333, 0.333333, 0.333333, 0.0]);
        assert!((psum(&w) - 1.0).abs() <= 2e-6);
        // All on one: the others get nothing; moving it back shares the rest equally.
        let all = rebalance([0.25; 4], 2, 1.0);
        assert_eq!(all, [0.0, 0.0, 1.0, 0.0]);
        let back = rebalance(all, 2, 0.7);
        assert_eq!(back[2], 0.7);
        assert_eq!(back, [0.1, 0.1, 0.7, 0.1]);
        // Out of range and NaN.
        assert_eq!(rebalance([0.25; 4], 1, 7.0), [0.0, 1.0, 0.0, 0.0]);
        assert_eq!(rebalance([0.25; 4], 1, f64::NAN), [0.25; 4]);
        assert_eq!(rebalance([0.25; 4], 9, 0.5), [0.25; 4]);
    }

    #[test]
    fn parameters_default_and_fail_with_the_cores_codes() {
        assert_eq!(params("", "", ""), Ok(Params::default()));
        let p = params(" 5000 ", "42", "0.1").expect("valid");
        assert_eq!((p.draws, p.seed, p.weight_range), (5000, 42, 0.1));
        let code = |d, s, r| params(d, s, r).map(|_| ()).unwrap_err().code;
        assert_eq!(code("0", "", ""), "DRAWS_OUT_OF_RANGE");
        assert_eq!(code("1000001", "", ""), "DRAWS_OUT_OF_RANGE");
        assert_eq!(code("1e4", "", ""), "DRAWS_OUT_OF_RANGE");
        assert_eq!(code("-5", "", ""), "DRAWS_OUT_OF_RANGE");
        assert_eq!(code("", "9007199254740992", ""), "SEED_OUT_OF_RANGE");
        assert_eq!(code("", "x", ""), "SEED_OUT_OF_RANGE");
        assert_eq!(code("", "", "1"), "WEIGHT_RANGE_INVALID");
        assert_eq!(code("", "", "NaN"), "WEIGHT_RANGE_INVALID");
        let e = params("12<b>", "", "").unwrap_err();
        assert_eq!((e.field, e.value.as_str()), ("draws", "12<b>"));
        // A long value is cut with its length; a bidi override cannot reorder the message.
        assert_eq!(
            params(&"9".repeat(1000), "", "").unwrap_err().value,
            format!("{}… (1000 B)", "9".repeat(200))
        );
        assert_eq!(
            params("", "", "\u{202e}0.1").unwrap_err().value,
            "\\u{202e}0.1"
        );
        assert_eq!(
            params("", "9007199254740991", "0").map(|p| p.seed),
            Ok(MAX_SEED)
        );
    }

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(
            nice_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        let t = nice_ticks(1.51, 1.89, 5);
        assert!(t.first().is_some_and(|v| *v >= 1.51) && t.last().is_some_and(|v| *v <= 1.89));
        assert!(t.len() >= 3 && t.len() <= 8, "{t:?}");
        let t = nice_ticks(-0.3, 0.3, 4);
        assert!(
            t.contains(&0.0) && t.iter().all(|v| v.abs() <= 0.3 + 1e-12),
            "{t:?}"
        );
        assert!(nice_ticks(1.0, 1.0, 5).is_empty());
    }

    #[test]
    fn stacked_bars_fill_the_bar_in_band_order() {
        let p = PerBand {
            excelente: 0.0,
            bueno: 0.1,
            aceptable: 0.6,
            insuficiente: 0.3,
        };
        let s = stacked(&p);
        assert_eq!(s[0].0, QualityLevel::Insuficiente);
        assert_eq!((s[0].1, s[0].2), (0.0, 30.0));
        assert_eq!(s[1].1, 30.0);
        assert!((s[2].1 + s[2].2 - 100.0).abs() < 1e-9);
        assert_eq!(s[3].2, 0.0);
    }

    #[test]
    fn the_samples_histogram_and_tornado() {
        let model = sample_model();
        let mc = monte_carlo::monte_carlo(
            &model,
            &Params {
                draws: 2000,
                ..Params::default()
            },
        )
        .expect("mc");
        let config = Config::published();
        let b = bins(&mc.body.histogram, &config);
        assert_eq!(b.len(), 40);
        assert_eq!(b.iter().map(|b| b.count).sum::<u64>(), 2000);
        assert_eq!(b[0].from, mc.body.histogram.lo);
        assert!((b[39].to - mc.body.histogram.hi).abs() < 1e-12);
        assert_eq!(b[0].band, QualityLevel::Insuficiente);
        let (lo, hi) = histogram_domain(&mc.body.histogram, &config);
        assert!(lo < mc.body.histogram.lo && hi > mc.body.histogram.hi);
        let t = tornado(&mc.body.one_at_a_time);
        assert_eq!(t.len(), 4);
        for w in t.windows(2) {
            assert!(w[0].span() >= w[1].span());
        }
        // Dropping MESO_3 (the weakest) raises the score to 1.9360: +0.239.
        let m3 = t
            .iter()
            .find(|r| r.cluster == ClusterId::Meso3)
            .expect("MESO_3");
        assert!((m3.dropped.expect("dropped") - 0.2389).abs() < 1e-3);
        assert!(tornado_extent(&t) > 0.26);
    }
}
