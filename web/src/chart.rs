//! Chart geometry: scales, ticks, quality bands, intervals and bar slots.
//!
//! Nothing here knows about Leptos or the DOM, so the numbers the SVG is drawn from are
//! unit-tested natively. Coordinates are SVG user units (y grows downwards).

use phase7_core::config::Config;
use phase7_core::stages::aggregate::{self, QualityLevel};

/// A linear map from a data domain onto a pixel range. Values outside the domain are
/// clamped, so a malformed number can never draw outside the plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    domain: (f64, f64),
    range: (f64, f64),
}

impl Scale {
    /// A scale from `domain` (data) to `range` (pixels). An empty domain maps everything
    /// to the start of the range.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale { domain, range }
    }

    /// The pixel position of `value`, clamped to the range; a NaN goes to the start.
    pub fn project(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        let span = d1 - d0;
        if !(span.is_finite() && span > 0.0) || value.is_nan() {
            return r0;
        }
        let t = ((value - d0) / span).clamp(0.0, 1.0);
        r0 + t * (r1 - r0)
    }

    /// The data domain.
    pub fn domain(&self) -> (f64, f64) {
        self.domain
    }
}

/// Evenly spaced ticks `lo, lo + step, …` up to and including `hi` (within a small
/// tolerance), each computed as `lo + i·step` so no error accumulates.
pub fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    if !(step.is_finite() && step > 0.0 && lo.is_finite() && hi.is_finite()) || hi < lo {
        return Vec::new();
    }
    let n = ((hi - lo) / step + 1e-9).floor() as usize;
    (0..=n.min(1000)).map(|i| lo + i as f64 * step).collect()
}

/// An SVG coordinate or length as attribute text: what `format!("{x}")` writes, through
/// `phase7_core::decimal` (no Rust float formatter in the wasm; `format.rs`).
pub fn coord(x: f64) -> String {
    phase7_core::decimal::display(x)
}

/// A tick label with at most `decimals` decimals and no trailing zeros (`1.5`, `2`).
pub fn tick_label(value: f64, decimals: usize) -> String {
    let s = phase7_core::decimal::fixed(value, decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// One quality band on the 0–3 score scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    /// The band.
    pub level: QualityLevel,
    /// Lower bound on the 0–3 scale (inclusive).
    pub from: f64,
    /// Upper bound on the 0–3 scale.
    pub to: f64,
}

/// The four quality bands on the score scale, lowest first (`QualityLevel::ALL`). The
/// thresholds are on the normalized score, so each bound is `threshold × score_max`.
pub fn bands(config: &Config) -> [Band; 4] {
    let q = &config.quality_thresholds;
    let max = config.score_max;
    let lower = |level: QualityLevel| match level {
        QualityLevel::Insuficiente => 0.0,
        QualityLevel::Aceptable => q.aceptable * max,
        QualityLevel::Bueno => q.bueno * max,
        QualityLevel::Excelente => q.excelente * max,
    };
    let all = QualityLevel::ALL;
    std::array::from_fn(|i| Band {
        level: all[i],
        from: lower(all[i]),
        to: all.get(i + 1).map_or(max, |next| lower(*next)),
    })
}

/// A cluster's 95 % interval `score ± z·std`, clamped to `[0, max]` exactly as the core
/// clamps the macro score's (`phase7_core::stages::aggregate::interval`, Python's max/min).
pub fn interval(score: f64, std: f64, config: &Config) -> (f64, f64) {
    let [lo, hi] = aggregate::interval(score, std, config);
    (lo, hi)
}

/// When the interval `[lo, hi]` (0–3 scale) reaches more than one band: the bands it
/// reaches (lowest first, as the core classifies each end) and the band thresholds
/// strictly inside it.
pub fn crossing(lo: f64, hi: f64, config: &Config) -> Option<(Vec<QualityLevel>, Vec<f64>)> {
    let band_of = |x: f64| aggregate::quality(x / config.score_max, config);
    let (from, to) = (band_of(lo), band_of(hi));
    if from == to {
        return None;
    }
    let all = bands(config);
    let reached: Vec<Band> = all
        .into_iter()
        .skip_while(|b| b.level != from)
        .take_while(|b| b.level != to)
        .chain(all.into_iter().filter(|b| b.level == to))
        .collect();
    let thresholds = reached.iter().skip(1).map(|b| b.from).collect();
    Some((reached.iter().map(|b| b.level).collect(), thresholds))
}

/// The plot area inside an SVG frame of `width × height` with margins.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// Left margin (axis labels).
    pub left: f64,
    /// Right margin.
    pub right: f64,
    /// Top margin.
    pub top: f64,
    /// Bottom margin (category labels).
    pub bottom: f64,
}

impl Frame {
    /// x of the plot's left edge.
    pub fn x0(&self) -> f64 {
        self.left
    }

    /// x of the plot's right edge.
    pub fn x1(&self) -> f64 {
        self.width - self.right
    }

    /// y of the plot's top edge.
    pub fn y0(&self) -> f64 {
        self.top
    }

    /// y of the plot's bottom edge (the baseline).
    pub fn y1(&self) -> f64 {
        self.height - self.bottom
    }

    /// A vertical scale for `domain`: the domain's low end at the baseline.
    pub fn y_scale(&self, domain: (f64, f64)) -> Scale {
        Scale::new(domain, (self.y1(), self.y0()))
    }

    /// A horizontal scale for `domain`.
    pub fn x_scale(&self, domain: (f64, f64)) -> Scale {
        Scale::new(domain, (self.x0(), self.x1()))
    }

    /// The `i`-th of `n` equal category slots across the plot: `(x, width)` of a bar
    /// that fills `fill` (0–1) of its slot, centred.
    pub fn slot(&self, i: usize, n: usize, fill: f64) -> (f64, f64) {
        if n == 0 {
            return (self.x0(), 0.0);
        }
        let slot = (self.x1() - self.x0()) / n as f64;
        let w = slot * fill.clamp(0.0, 1.0);
        (self.x0() + slot * i as f64 + (slot - w) / 2.0, w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_projects_and_clamps() {
        let s = Scale::new((0.0, 3.0), (200.0, 20.0));
        assert_eq!(s.project(0.0), 200.0);
        assert_eq!(s.project(3.0), 20.0);
        assert_eq!(s.project(1.5), 110.0);
        assert_eq!(s.project(-1.0), 200.0);
        assert_eq!(s.project(9.0), 20.0);
        assert_eq!(s.project(f64::NAN), 200.0);
        assert_eq!(Scale::new((1.0, 1.0), (0.0, 10.0)).project(1.0), 0.0);
    }

    #[test]
    fn ticks_cover_the_domain_without_drift() {
        assert_eq!(
            ticks(0.0, 3.0, 0.5),
            vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
        );
        assert_eq!(ticks(0.0, 1.0, 0.25).len(), 5);
        let t = ticks(0.0, 1.0, 0.1);
        assert_eq!(t.len(), 11);
        assert!((t[10] - 1.0).abs() < 1e-12);
        assert!(ticks(1.0, 0.0, 0.5).is_empty());
        assert!(ticks(0.0, 1.0, 0.0).is_empty());
    }

    #[test]
    fn tick_labels_drop_trailing_zeros() {
        assert_eq!(tick_label(1.5, 2), "1.5");
        assert_eq!(tick_label(2.0, 2), "2");
        assert_eq!(tick_label(0.25, 2), "0.25");
        assert_eq!(tick_label(3.0, 0), "3");
    }

    #[test]
    fn bands_follow_the_published_thresholds() {
        let b = bands(&Config::published());
        assert_eq!(b[0].level, QualityLevel::Insuficiente);
        assert_eq!(b[3].level, QualityLevel::Excelente);
        assert_eq!(b[0].from, 0.0);
        // The gap threshold is the upper end of INSUFICIENTE: 0.55 × 3.0 in f64.
        assert_eq!(b[0].to, 0.55 * 3.0);
        assert_eq!(b[1].to, 0.70 * 3.0);
        assert_eq!(b[2].to, 0.85 * 3.0);
        assert_eq!(b[3].to, 3.0);
        for w in b.windows(2) {
            assert_eq!(w[0].to, w[1].from);
        }
    }

    #[test]
    fn intervals_are_the_cores() {
        let c = Config::published();
        let (lo, hi) = interval(2.1266666666666665, 0.061, &c);
        assert!((lo - 2.007107).abs() < 1e-6 && (hi - 2.246227).abs() < 1e-6);
        assert_eq!(interval(0.05, 0.1, &c).0, 0.0);
        assert_eq!(interval(2.95, 0.1, &c).1, 3.0);
        assert_eq!(interval(1.0, 0.0, &c), (1.0, 1.0));
        // Python's max(0.0, -0.0) is 0.0 (the first argument wins), f64::max is not
        // specified to be: the core's rule decides.
        let (lo, _) = interval(0.0, 0.0, &c);
        assert_eq!(lo.to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn crossings_name_bands_and_thresholds() {
        let c = Config::published();
        assert_eq!(crossing(1.7, 1.8, &c), None);
        let (bands, th) = crossing(1.6, 1.8, &c).expect("crosses 1.65");
        assert_eq!(bands, [QualityLevel::Insuficiente, QualityLevel::Aceptable]);
        assert_eq!(th, [0.55 * 3.0]);
        let (bands, th) = crossing(0.0, 3.0, &c).expect("crosses all");
        assert_eq!(bands, QualityLevel::ALL);
        assert_eq!(th.len(), 3);
    }

    #[test]
    fn frame_slots_tile_the_plot() {
        let f = Frame {
            width: 440.0,
            height: 240.0,
            left: 40.0,
            right: 0.0,
            top: 10.0,
            bottom: 30.0,
        };
        assert_eq!(f.slot(0, 4, 1.0), (40.0, 100.0));
        assert_eq!(f.slot(3, 4, 1.0), (340.0, 100.0));
        assert_eq!(f.slot(1, 4, 0.5), (165.0, 50.0));
        assert_eq!(f.slot(0, 0, 0.5), (40.0, 0.0));
        let y = f.y_scale((0.0, 3.0));
        assert_eq!(y.project(0.0), 210.0);
        assert_eq!(y.project(3.0), 10.0);
        assert_eq!(f.x_scale((0.0, 3.0)).project(3.0), 440.0);
    }
}
