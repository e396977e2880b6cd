//! How firm is the band? Analysis *about* a run (issue 12), never part of it.
//!
//! Nothing here changes a MacroScore, the strict mode, an audit trail or a certificate:
//! every result is labelled `"certified": false`. Four tools, all on a small [`Model`]
//! (the four cluster scores, their `score_std` and the configured weights, in input
//! order) built from a validated input and a configuration:
//!
//! 1. [`margin`]: the nearest band threshold, the signed distance of `score_normalized` to
//!    it (in score units and in ulps) and a `BAND_MARGIN` warning when the band is decided
//!    by the last few bits;
//! 2. [`bands`]: the probability of each band when the macro score is normal with the
//!    propagated `score_std` (the pipeline's own model behind its 95 % interval);
//! 3. [`mod@monte_carlo`]: a seeded Monte Carlo over perturbed weights and scores (ChaCha20,
//!    every transcendental from the pure-Rust `libm`), with band frequencies, quantiles, a
//!    one-at-a-time table and first-order variance-based indices, bit-identical natively
//!    and on wasm32 and proved so by a digest;
//! 4. [`mod@what_if`]: the score, band and gaps under edited cluster weights, with the digest
//!    of the edited configuration beside the published one.
//!
//! [`report()`] puts the four together for one run (`phase7 sensitivity`, the wasm
//! `sensitivity` function).
//!
//! Formulas, estimators and JSON shapes: `docs/sensitivity.md`.

use serde::Serialize;

use crate::{
    config::Config,
    error::ComputationError,
    model::ClusterId,
    read::bridge::ValidatedPhase6,
    stages::aggregate::{quality, QualityLevel},
    stages::pymath::{psum, py_max, py_min},
};

pub mod bands;
mod error;
pub mod margin;
pub mod monte_carlo;
mod report;
mod rng;
pub mod what_if;

pub use bands::{band_probabilities, BandProbabilities, PerBand};
pub use error::SensitivityError;
pub use margin::{band_margin, BandMargin, BandMarginWarning, BAND_MARGIN_ULPS};
pub use monte_carlo::{monte_carlo, MonteCarlo, Params, Sampler};
pub use report::{report, Report, REPORT_KIND};
pub use what_if::{what_if, WhatIf, WhatIfWeights};

/// The note every result of this module carries.
pub const NOT_CERTIFIED_NOTE: &str = "Sensitivity analysis about the run, not part of it: \
     not certified, not in the audit trail, no effect on strict mode or any certificate.";

/// Largest deviation of the configured weights' sum from 1 that a model accepts (INV-7.1).
pub const WEIGHT_SUM_TOLERANCE: f64 = 1e-6;

/// One cluster of a [`Model`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub struct ModelCluster {
    /// The cluster.
    pub cluster_id: ClusterId,
    /// Its score, in [0, score_max].
    pub score: f64,
    /// Its standard deviation, finite and ≥ 0.
    pub score_std: f64,
    /// Its configured weight, finite and ≥ 0.
    pub weight: f64,
}

/// The plain data every analysis works on: the four clusters in input order with their
/// configured weights, and the configuration they come from (for its bands and score
/// range). Only [`Model::from_input`] and [`Model::from_parts`] make one, so the values
/// are always in their domains.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    clusters: [ModelCluster; 4],
    config: Config,
    config_digest: String,
}

impl Model {
    /// The model of a validated input under a configuration.
    ///
    /// # Errors
    ///
    /// [`SensitivityError::InvalidModel`] when the configuration's weights are not finite,
    /// negative, or do not add up to 1 within [`WEIGHT_SUM_TOLERANCE`];
    /// [`SensitivityError::Computation`] when the propagated variance overflows (as the
    /// run itself would fail) or the configuration cannot be digested.
    pub fn from_input(input: &ValidatedPhase6, config: &Config) -> Result<Model, SensitivityError> {
        let cs = input.clusters();
        if cs.len() != 4 {
            // A validated input has exactly four clusters.
            return Err(SensitivityError::InvalidModel {
                cluster: None,
                field: "cluster_id",
                value: cs.len() as f64,
                reason: "a model has exactly four clusters",
            });
        }
        let cluster = |i: usize| ModelCluster {
            cluster_id: cs[i].id,
            score: cs[i].score,
            score_std: cs[i].score_std,
            weight: config.weight(cs[i].id),
        };
        Model::from_parts([cluster(0), cluster(1), cluster(2), cluster(3)], config)
    }

    /// A model from plain values (clusters in the order the sums take them); the
    /// configuration gives the bands and the score range, its weights are not used.
    ///
    /// # Errors
    ///
    /// [`SensitivityError::InvalidModel`] naming the cluster, field and value when an id
    /// repeats, a score is outside [0, score_max], a `score_std` or weight is negative or
    /// not finite, or the weights do not add up to 1 within [`WEIGHT_SUM_TOLERANCE`];
    /// [`SensitivityError::Computation`] as [`Model::from_input`].
    pub fn from_parts(
        clusters: [ModelCluster; 4],
        config: &Config,
    ) -> Result<Model, SensitivityError> {
        let invalid = |c: &ModelCluster, field, value, reason| SensitivityError::InvalidModel {
            cluster: Some(c.cluster_id.as_str()),
            field,
            value,
            reason,
        };
        for (i, c) in clusters.iter().enumerate() {
            if clusters[..i].iter().any(|d| d.cluster_id == c.cluster_id) {
                return Err(invalid(c, "cluster_id", i as f64, "listed twice"));
            }
            if !(c.score.is_finite() && c.score >= 0.0 && c.score <= config.score_max) {
                return Err(invalid(c, "score", c.score, "must be in [0, score_max]"));
            }
            if !(c.score_std.is_finite() && c.score_std >= 0.0) {
                return Err(invalid(
                    c,
                    "score_std",
                    c.score_std,
                    "must be finite and ≥ 0",
                ));
            }
            if !(c.weight.is_finite() && c.weight >= 0.0) {
                return Err(invalid(c, "weight", c.weight, "must be finite and ≥ 0"));
            }
        }
        let sum = psum(&clusters.map(|c| c.weight));
        if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
            return Err(SensitivityError::InvalidModel {
                cluster: None,
                field: "weight",
                value: sum,
                reason: "the four weights must add up to 1 (within 1e-6)",
            });
        }
        let model = Model {
            clusters,
            config: config.clone(),
            config_digest: config.digest()?,
        };
        if !model.score_std().is_finite() {
            return Err(ComputationError {
                stage: "STAGE_UNCERTAINTY_PROPAGATION",
                reason: "the propagated variance overflows f64".into(),
            }
            .into());
        }
        Ok(model)
    }

    /// The four clusters, in input order.
    pub fn clusters(&self) -> &[ModelCluster; 4] {
        &self.clusters
    }

    /// The configuration (bands, score range and the weights it was built with).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// SHA-256 of the configuration's RFC 8785 encoding.
    pub fn config_digest(&self) -> &str {
        &self.config_digest
    }

    /// The configured weights, in input order.
    pub fn weights(&self) -> [f64; 4] {
        self.clusters.map(|c| c.weight)
    }

    /// The cluster scores, in input order.
    pub fn scores(&self) -> [f64; 4] {
        self.clusters.map(|c| c.score)
    }

    /// `psum([w_i · s_i])`: the run's raw weighted score (stage 2) and the centre of the
    /// uncertainty model (stage 7), bit for bit.
    pub fn raw(&self) -> f64 {
        weighted(&self.weights(), &self.scores())
    }

    /// `sqrt(psum([(w_i·w_i) · (σ_i·σ_i)]))`: the run's `score_std` (stage 7), bit for bit.
    pub fn score_std(&self) -> f64 {
        psum(
            &self
                .clusters
                .map(|c| (c.weight * c.weight) * (c.score_std * c.score_std)),
        )
        .sqrt()
    }

    /// The outcome of a raw weighted score: clamped score, normalised score and band, as
    /// the run computes them (stages 2 and 3).
    pub fn outcome(&self, raw: f64) -> Outcome {
        let max = self.config.score_max;
        let score_normalized = raw / max;
        Outcome {
            score: py_min(max, py_max(0.0, raw)),
            score_normalized,
            band: quality(score_normalized, &self.config),
        }
    }

    /// The band boundaries on the score scale, ascending: `t × score_max` for the
    /// ACEPTABLE, BUENO and EXCELENTE thresholds `t`.
    pub fn band_boundaries(&self) -> [f64; 3] {
        let t = &self.config.quality_thresholds;
        let max = self.config.score_max;
        [t.aceptable * max, t.bueno * max, t.excelente * max]
    }
}

/// `psum([w_i · s_i])` in the given order (no allocation).
pub(crate) fn weighted(weights: &[f64; 4], scores: &[f64; 4]) -> f64 {
    psum(&[
        weights[0] * scores[0],
        weights[1] * scores[1],
        weights[2] * scores[2],
        weights[3] * scores[3],
    ])
}

/// A macro score and its band.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
// In TypeScript `BandOutcome`: `Outcome` is what `run` returns.
#[cfg_attr(
    all(feature = "wasm", target_arch = "wasm32"),
    derive(tsify::Tsify),
    tsify(rename = "BandOutcome")
)]
pub struct Outcome {
    /// `min(score_max, max(0, raw))`.
    pub score: f64,
    /// `raw / score_max`.
    pub score_normalized: f64,
    /// The band of `score_normalized`.
    pub band: QualityLevel,
}

/// The deterministic analysis of a run: its band margin and band probabilities, with the
/// analysis warnings (never input warnings).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub struct BandAnalysis {
    /// `"phase7/sensitivity/bands"`.
    pub kind: &'static str,
    /// Always `false`.
    pub certified: bool,
    /// [`NOT_CERTIFIED_NOTE`].
    pub note: &'static str,
    /// The nominal outcome (the run's score and band).
    #[cfg_attr(
        all(feature = "wasm", target_arch = "wasm32"),
        tsify(type = "BandOutcome")
    )]
    pub nominal: Outcome,
    /// Distance to the nearest threshold.
    pub margin: BandMargin,
    /// Probability of each band under the normal model.
    pub probabilities: BandProbabilities,
    /// `BAND_MARGIN` when it applies.
    pub warnings: Vec<BandMarginWarning>,
}

/// The band margin and band probabilities of a model.
///
/// # Example
///
/// ```
/// use phase7_core::{read::bridge, config::Config, sensitivity::{analyse, Model}};
/// let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
/// let input = bridge::read(bytes, &Default::default()).unwrap();
/// let model = Model::from_input(&input, &Config::published()).unwrap();
/// let a = analyse(&model);
/// assert_eq!(a.nominal.band.as_str(), "ACEPTABLE");
/// assert!(a.probabilities.probabilities.insuficiente > 0.15);
/// assert!(a.warnings.is_empty());
/// ```
pub fn analyse(model: &Model) -> BandAnalysis {
    let nominal = model.outcome(model.raw());
    let margin = band_margin(nominal.score_normalized, model.config());
    let warnings = margin.warning.iter().cloned().collect();
    BandAnalysis {
        kind: "phase7/sensitivity/bands",
        certified: false,
        note: NOT_CERTIFIED_NOTE,
        nominal,
        margin,
        probabilities: band_probabilities(model),
        warnings,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{read::bridge, stages::aggregate};

    pub(crate) const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");
    const VECTORS: &str = include_str!("../../../tests/fixtures/phase7_public.jsonl");

    pub(crate) fn sample_model() -> Model {
        let input = bridge::read(SAMPLE, &Default::default()).unwrap();
        Model::from_input(&input, &Config::published()).unwrap()
    }

    pub(crate) fn plain(scores: [f64; 4], stds: [f64; 4]) -> Model {
        let c = |i: usize| ModelCluster {
            cluster_id: ClusterId::ALL[i],
            score: scores[i],
            score_std: stds[i],
            weight: 0.25,
        };
        Model::from_parts([c(0), c(1), c(2), c(3)], &Config::published()).unwrap()
    }

    #[test]
    fn the_model_reproduces_the_run_bit_for_bit_on_every_public_vector() {
        let config = Config::published();
        for line in VECTORS.lines() {
            let input = bridge::read_batch_line(line.as_bytes(), &Default::default()).unwrap();
            let model = Model::from_input(&input, &config).unwrap();
            let ws = aggregate::weighted_score(&input, &config);
            let u = aggregate::uncertainty(&input, &config).unwrap();
            let o = model.outcome(model.raw());
            assert_eq!(model.raw().to_bits(), ws.raw.to_bits());
            assert_eq!(o.score.to_bits(), ws.score.to_bits());
            assert_eq!(o.score_normalized.to_bits(), ws.score_normalized.to_bits());
            assert_eq!(o.band, aggregate::quality(ws.score_normalized, &config));
            assert_eq!(model.score_std().to_bits(), u.score_std.to_bits());
        }
    }

    #[test]
    fn from_parts_rejects_values_outside_their_domain_with_the_cluster_named() {
        let ok = plain([1.0; 4], [0.1; 4]);
        let mut cs = *ok.clusters();
        cs[2].score = 3.5;
        let e = Model::from_parts(cs, &Config::published()).unwrap_err();
        assert_eq!(e.code(), "SENSITIVITY_MODEL_INVALID");
        assert_eq!(
            e.to_string(),
            "CLUSTER_MESO_3: score = 3.5: must be in [0, score_max]"
        );
        let mut cs = *ok.clusters();
        cs[0].score_std = f64::NAN;
        assert!(Model::from_parts(cs, &Config::published())
            .unwrap_err()
            .to_string()
            .starts_with("CLUSTER_MESO_1: score_std = NaN"));
        let mut cs = *ok.clusters();
        cs[1].weight = 0.3;
        assert!(Model::from_parts(cs, &Config::published())
            .unwrap_err()
            .to_string()
            .contains("add up to 1"));
        let mut cs = *ok.clusters();
        cs[3].cluster_id = ClusterId::Meso1;
        assert!(Model::from_parts(cs, &Config::published())
            .unwrap_err()
            .to_string()
            .contains("listed twice"));
        let mut cs = *ok.clusters();
        cs[3].score_std = 1e300;
        assert_eq!(
            Model::from_parts(cs, &Config::published())
                .unwrap_err()
                .code(),
            "COMPUTATION_FAILED"
        );
    }

    #[test]
    fn four_clusters_at_exactly_1_65_warn() {
        let a = analyse(&plain([1.65; 4], [0.0; 4]));
        assert_eq!(a.nominal.score_normalized, 0.5499999999999999);
        assert_eq!(a.nominal.band, QualityLevel::Insuficiente);
        assert_eq!(a.warnings.len(), 1);
        assert_eq!(a.warnings[0].code(), "BAND_MARGIN");
        assert_eq!(a.margin.distance_ulps, -1);
    }
}
