//! Band probabilities under the pipeline's own uncertainty model.
//!
//! The pipeline's 95 % interval is `center ± 1.96·score_std`: it treats the macro score as
//! normal, `X ~ N(center, score_std²)`, with `center = psum([w_i·s_i])` (the raw score)
//! and `score_std` the propagated one (independent clusters). Under that model the band
//! is decided by `X / score_max ≥ t`, so with the boundaries `b = t × score_max` (f64:
//! 1.6500000000000001, 2.0999999999999996, 2.55 for the published thresholds)
//!
//! ```text
//! Φ(b)  = 0.5 · erfc((center − b) / (score_std · √2))      lower tail
//! Q(b)  = 0.5 · erfc((b − center) / (score_std · √2))      upper tail, 1 − Φ(b)
//! P(INSUFICIENTE) = Φ(b₁)
//! P(ACEPTABLE)    = Φ(b₂) − Φ(b₁)   (Q(b₁) − Q(b₂) when b₁ ≥ center)
//! P(BUENO)        = Φ(b₃) − Φ(b₂)   (Q(b₂) − Q(b₃) when b₂ ≥ center)
//! P(EXCELENTE)    = Q(b₃)
//! ```
//!
//! (the tails that are small are the ones computed, so no probability is lost to
//! cancellation), each operation one f64 rounding in that order, `erfc` from the pure-Rust
//! `libm` crate, `√2` the f64 constant. (Python's `statistics.NormalDist.cdf` computes
//! `0.5·(1 + erf(z))` instead: the same numbers except in the far tails, which it
//! rounds to 0.)
//!
//! Clipping: the run reports `min(3, max(0, raw))` but decides the band on the unclipped
//! `raw / 3`. The normal puts mass below 0 and above 3 (reported as `mass_below_zero` and
//! `mass_above_max`); clipping moves it to 0 and to 3, which lie in INSUFICIENTE and
//! EXCELENTE, where that mass is already counted: the band probabilities are the same
//! with or without clipping.
//!
//! `score_std = 0` is the degenerate case: all the mass on the run's own band (computed
//! with the run's exact comparison, so a score one ulp below a threshold gets probability
//! 1 for the lower band), and `degenerate: true`.
//!
//! Assumptions, as the pipeline's: the cluster scores are independent and normal, the
//! weights exact; nothing here claims those hold.

use serde::Serialize;

use crate::{sensitivity::Model, stages::aggregate::QualityLevel};

/// One value per band, serialized with the band names as keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub struct PerBand<T> {
    /// EXCELENTE.
    #[serde(rename = "EXCELENTE")]
    pub excelente: T,
    /// BUENO.
    #[serde(rename = "BUENO")]
    pub bueno: T,
    /// ACEPTABLE.
    #[serde(rename = "ACEPTABLE")]
    pub aceptable: T,
    /// INSUFICIENTE.
    #[serde(rename = "INSUFICIENTE")]
    pub insuficiente: T,
}

impl<T> PerBand<T> {
    /// The value of a band.
    pub fn get(&self, band: QualityLevel) -> &T {
        match band {
            QualityLevel::Excelente => &self.excelente,
            QualityLevel::Bueno => &self.bueno,
            QualityLevel::Aceptable => &self.aceptable,
            QualityLevel::Insuficiente => &self.insuficiente,
        }
    }

    /// The value of a band, mutable.
    pub fn get_mut(&mut self, band: QualityLevel) -> &mut T {
        match band {
            QualityLevel::Excelente => &mut self.excelente,
            QualityLevel::Bueno => &mut self.bueno,
            QualityLevel::Aceptable => &mut self.aceptable,
            QualityLevel::Insuficiente => &mut self.insuficiente,
        }
    }
}

/// The probability of each band under `N(center, score_std²)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub struct BandProbabilities {
    /// `"normal"`.
    pub distribution: &'static str,
    /// The raw weighted score.
    pub center: f64,
    /// The propagated standard deviation.
    pub score_std: f64,
    /// `t × score_max` for ACEPTABLE, BUENO, EXCELENTE.
    pub boundaries: [f64; 3],
    /// Probability of each band.
    pub probabilities: PerBand<f64>,
    /// The run's band.
    pub run_band: QualityLevel,
    /// The probability of the run's band.
    pub run_band_probability: f64,
    /// `Φ(0)`: mass the clipping moves up to 0 (counted in INSUFICIENTE).
    pub mass_below_zero: f64,
    /// `Q(score_max)`: mass the clipping moves down to 3 (counted in EXCELENTE).
    pub mass_above_max: f64,
    /// `true` when `score_std` is 0: all the mass on the run's band.
    pub degenerate: bool,
}

/// `Φ(x)` for `N(mu, sigma²)`: `0.5·erfc((mu − x) / (sigma·√2))` (Python:
/// `math.erfc((mu - x) / (sigma * math.sqrt(2))) / 2`). `sigma` must be > 0.
pub fn normal_cdf(x: f64, mu: f64, sigma: f64) -> f64 {
    0.5 * libm::erfc((mu - x) / (sigma * std::f64::consts::SQRT_2))
}

/// `1 − Φ(x)` computed directly: `0.5·erfc((x − mu) / (sigma·√2))`.
pub fn normal_sf(x: f64, mu: f64, sigma: f64) -> f64 {
    0.5 * libm::erfc((x - mu) / (sigma * std::f64::consts::SQRT_2))
}

/// The band probabilities of a model (formula in the module documentation).
pub fn band_probabilities(model: &Model) -> BandProbabilities {
    let center = model.raw();
    let sigma = model.score_std();
    let boundaries = model.band_boundaries();
    let run_band = model.outcome(center).band;
    let max = model.config().score_max;
    // sigma is finite and ≥ 0; sigma·√2 is 0 only when sigma is (the smallest subnormal
    // times √2 rounds to itself).
    let degenerate = sigma * std::f64::consts::SQRT_2 <= 0.0;
    let (probabilities, mass_below_zero, mass_above_max) = if degenerate {
        let mut p = PerBand::default();
        *p.get_mut(run_band) = 1.0;
        (p, 0.0, 0.0)
    } else {
        let [b1, b2, b3] = boundaries;
        let between = |lo: f64, hi: f64| {
            if lo >= center {
                normal_sf(lo, center, sigma) - normal_sf(hi, center, sigma)
            } else {
                normal_cdf(hi, center, sigma) - normal_cdf(lo, center, sigma)
            }
        };
        let p = PerBand {
            excelente: normal_sf(b3, center, sigma),
            bueno: between(b2, b3),
            aceptable: between(b1, b2),
            insuficiente: normal_cdf(b1, center, sigma),
        };
        (
            p,
            normal_cdf(0.0, center, sigma),
            normal_sf(max, center, sigma),
        )
    };
    BandProbabilities {
        distribution: "normal",
        center,
        score_std: sigma,
        boundaries,
        run_band,
        run_band_probability: *probabilities.get(run_band),
        probabilities,
        mass_below_zero,
        mass_above_max,
        degenerate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::tests::{plain, sample_model};

    /// |a − b| ≤ 1e-13·|b|: libm's erfc against CPython's (glibc's) erfc, the same
    /// formula.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-13 * b.abs()
    }

    fn bands(p: &PerBand<f64>) -> [f64; 4] {
        [p.insuficiente, p.aceptable, p.bueno, p.excelente]
    }

    #[test]
    fn sample_probabilities_match_python() {
        let p = band_probabilities(&sample_model());
        assert_eq!(p.center, 1.6970916666666667);
        assert_eq!(p.score_std, 0.049996249859364454);
        assert_eq!(p.boundaries, [1.6500000000000001, 2.0999999999999996, 2.55]);
        // python3 -c "import math; mu,s=1.6970916666666667,0.049996249859364454;
        //   P=lambda x: math.erfc((mu-x)/(s*math.sqrt(2)))/2;
        //   Q=lambda x: math.erfc((x-mu)/(s*math.sqrt(2)))/2; b=[0.55*3.0,0.70*3.0,0.85*3.0];
        //   print(P(b[0]), P(b[1])-P(b[0]), Q(b[1])-Q(b[2]), Q(b[2]), P(0.0), Q(3.0))"
        let python = [
            0.17312090144941936,
            0.8268790985505803,
            3.853262612155098e-16,
            1.4868049093151386e-65,
        ];
        for (ours, theirs) in bands(&p.probabilities).into_iter().zip(python) {
            assert!(close(ours, theirs), "{ours} vs {theirs}");
        }
        assert!(close(p.mass_below_zero, 7.382107147617832e-253));
        assert!(close(p.mass_above_max, 5.165450615633802e-150));
        // Another formula: statistics.NormalDist's 0.5·(1 + erf(z)) (Python 3.11).
        // python3 -c "from statistics import NormalDist as N;
        //   print(N(1.6970916666666667,0.049996249859364454).cdf(1.6500000000000001))"
        assert!((p.probabilities.insuficiente - 0.17312090144941938).abs() < 1e-15);
        assert_eq!(p.run_band, QualityLevel::Aceptable);
        assert_eq!(p.run_band_probability, p.probabilities.aceptable);
        assert!(!p.degenerate);
    }

    #[test]
    fn a_wide_model_spreads_over_all_four_bands_as_python_says() {
        let p = band_probabilities(&plain([2.4, 2.0, 1.2, 2.6], [0.8, 0.6, 0.9, 0.4]));
        assert_eq!(p.center, 2.05);
        assert_eq!(p.score_std, 0.35089172119045503);
        // python3 -c "import math; mu,s=2.05,0.35089172119045503;
        //   P=lambda x: math.erfc((mu-x)/(s*math.sqrt(2)))/2;
        //   Q=lambda x: math.erfc((x-mu)/(s*math.sqrt(2)))/2; b=[0.55*3.0,0.70*3.0,0.85*3.0];
        //   print(P(b[0]), P(b[1])-P(b[0]), Q(b[1])-Q(b[2]), Q(b[2]), P(0.0), Q(3.0))"
        let python = [
            0.12715298299531178,
            0.42950214732631775,
            0.36625774131664923,
            0.07708712836172123,
        ];
        for (ours, theirs) in bands(&p.probabilities).into_iter().zip(python) {
            assert!(close(ours, theirs), "{ours} vs {theirs}");
        }
        assert!(close(p.mass_below_zero, 2.574896779562001e-09));
        assert!(close(p.mass_above_max, 0.0033907484538848397));
        // statistics.NormalDist (erf, not erfc) agrees to 1e-15:
        // python3 -c "from statistics import NormalDist as N; d=N(2.05,0.35089172119045503);
        //   b=[0.55*3.0,0.70*3.0,0.85*3.0]; print(d.cdf(b[0]), d.cdf(b[1])-d.cdf(b[0]),
        //   d.cdf(b[2])-d.cdf(b[1]), 1-d.cdf(b[2]))"
        let normal_dist = [
            0.1271529829953118,
            0.4295021473263177,
            0.36625774131664934,
            0.07708712836172116,
        ];
        for (ours, theirs) in bands(&p.probabilities).into_iter().zip(normal_dist) {
            assert!((ours - theirs).abs() < 1e-15, "{ours} vs {theirs}");
        }
        let total: f64 = bands(&p.probabilities).iter().sum();
        assert!((total - 1.0).abs() < 1e-15);
    }

    #[test]
    fn zero_std_puts_all_the_mass_on_the_band_decided_by_the_last_bit() {
        let p = band_probabilities(&plain([1.65; 4], [0.0; 4]));
        assert!(p.degenerate);
        assert_eq!(p.run_band, QualityLevel::Insuficiente);
        assert_eq!(p.probabilities.insuficiente, 1.0);
        assert_eq!(p.probabilities.aceptable, 0.0);
        let p = band_probabilities(&plain([2.55; 4], [0.0; 4]));
        assert_eq!(p.probabilities.excelente, 1.0);
        // A tiny but positive std is not degenerate: half the mass on each side.
        let p = band_probabilities(&plain([2.55; 4], [5e-324, 0.0, 0.0, 0.0]));
        assert!(
            p.degenerate,
            "(0.25·σ)² underflows to 0: the propagated std is 0"
        );
        let p = band_probabilities(&plain([2.55; 4], [1e-9, 0.0, 0.0, 0.0]));
        assert!(!p.degenerate);
        assert_eq!(p.probabilities.excelente, 0.5);
    }
}
