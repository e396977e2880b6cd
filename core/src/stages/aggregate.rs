//! Stages 2–7: the bit-exact computation of spec §3.
//!
//! Each stage is a pure function of the validated input (and the configuration) whose
//! output is a small serializable record, so a run can be checkpointed after any stage and
//! resumed with the same bits. Clusters are processed in input order; every operation is a
//! single IEEE-754 rounding, written in the order the reference evaluates it.

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::ComputationError;
use crate::model::ClusterId;
use crate::read::bridge::ValidatedPhase6;
use crate::stages::pymath::{mean, py_max, py_min, py_min_all, variance, Summation};

/// Stage 2 (STAGE_WEIGHTED_SCORE).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub struct WeightedScore {
    /// `psum([w·s_i])`, before clamping.
    pub raw: f64,
    /// `min(3.0, max(0.0, raw))`.
    pub score: f64,
    /// `raw / 3.0`.
    pub score_normalized: f64,
}

/// The four quality bands, with the pipeline's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub enum QualityLevel {
    /// normalised ≥ 0.85
    #[serde(rename = "EXCELENTE")]
    Excelente,
    /// normalised ≥ 0.70
    #[serde(rename = "BUENO")]
    Bueno,
    /// normalised ≥ 0.55
    #[serde(rename = "ACEPTABLE")]
    Aceptable,
    /// below 0.55
    #[serde(rename = "INSUFICIENTE")]
    Insuficiente,
}

impl QualityLevel {
    /// The four bands from the lowest to the highest quality (the order in which the
    /// dashboard draws and sorts them).
    pub const ALL: [QualityLevel; 4] = [
        QualityLevel::Insuficiente,
        QualityLevel::Aceptable,
        QualityLevel::Bueno,
        QualityLevel::Excelente,
    ];

    /// The band name as the pipeline writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            QualityLevel::Excelente => "EXCELENTE",
            QualityLevel::Bueno => "BUENO",
            QualityLevel::Aceptable => "ACEPTABLE",
            QualityLevel::Insuficiente => "INSUFICIENTE",
        }
    }

    /// Parses a band name.
    pub fn parse(s: &str) -> Option<QualityLevel> {
        [
            QualityLevel::Excelente,
            QualityLevel::Bueno,
            QualityLevel::Aceptable,
            QualityLevel::Insuficiente,
        ]
        .into_iter()
        .find(|q| q.as_str() == s)
    }
}

/// Stage 4 (STAGE_COHERENCE_ANALYSIS).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coherence {
    /// `max(0.0, 1.0 − variance / 0.75)`.
    pub strategic: f64,
    /// Exact mean of the pairwise similarities.
    pub operational: f64,
    /// `min(c_i)`, Python's min.
    pub institutional: f64,
    /// Exact sample variance of the scores.
    pub inter_cluster_variance: f64,
    /// `0.4·strategic + 0.3·operational + 0.3·institutional`.
    pub cross_cutting: f64,
}

/// Gap severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub enum Severity {
    /// score < 1.0
    #[serde(rename = "CRITICAL")]
    Critical,
    /// score < 1.35
    #[serde(rename = "SEVERE")]
    Severe,
    /// otherwise
    #[serde(rename = "MODERATE")]
    Moderate,
}

impl Severity {
    /// The name as the pipeline writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "CRITICAL",
            Severity::Severe => "SEVERE",
            Severity::Moderate => "MODERATE",
        }
    }
}

/// Stage 5 (STAGE_GAP_DETECTION): areas in input order with their severity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Gaps {
    /// `(area, severity)` in the order the gaps were found.
    pub areas: Vec<(String, Severity)>,
}

/// Stage 6 (STAGE_ALIGNMENT_SCORING).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    /// `1 − |s_MESO1 − s_MESO2| / 3`.
    pub vertical: f64,
    /// Exact mean of pairwise similarities.
    pub horizontal: f64,
    /// `1 − |s_MESO3 − s_MESO4| / 3`.
    pub temporal: f64,
    /// `(vertical + horizontal + temporal) / 3`.
    pub strategic: f64,
}

/// Stage 7 (STAGE_UNCERTAINTY_PROPAGATION).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Uncertainty {
    /// `sqrt(psum([w²·σ_i²]))`.
    pub score_std: f64,
    /// `[max(0, c − 1.96·std), min(3, c + 1.96·std)]`, `c = psum([w·s_i])`.
    pub confidence_interval_95: [f64; 2],
}

/// Stage 2: the weighted macro score.
pub fn weighted_score(input: &ValidatedPhase6, config: &Config) -> WeightedScore {
    weighted_score_with(input, config, Summation::Compensated)
}

/// [`weighted_score`] with the given `sum()`: [`Summation::Compensated`] is the published
/// stage; [`Summation::Plain`] is how Python ≤ 3.11 computes it (claim attribution only).
pub fn weighted_score_with(
    input: &ValidatedPhase6,
    config: &Config,
    summation: Summation,
) -> WeightedScore {
    let terms: Vec<f64> = input
        .clusters()
        .iter()
        .map(|c| config.weight(c.id) * c.score)
        .collect();
    let raw = summation.sum(&terms);
    WeightedScore {
        raw,
        score: py_min(config.score_max, py_max(0.0, raw)),
        score_normalized: raw / config.score_max,
    }
}

/// Stage 3: the quality band of the normalised score.
pub fn quality(score_normalized: f64, config: &Config) -> QualityLevel {
    let t = &config.quality_thresholds;
    if score_normalized >= t.excelente {
        QualityLevel::Excelente
    } else if score_normalized >= t.bueno {
        QualityLevel::Bueno
    } else if score_normalized >= t.aceptable {
        QualityLevel::Aceptable
    } else {
        QualityLevel::Insuficiente
    }
}

/// `[1 − |s_i − s_j| / 3 for i < j]` in input order.
fn similarities(input: &ValidatedPhase6, config: &Config) -> Vec<f64> {
    let s: Vec<f64> = input.clusters().iter().map(|c| c.score).collect();
    let mut out = Vec::with_capacity(6);
    for i in 0..s.len() {
        for j in i + 1..s.len() {
            out.push(1.0 - (s[i] - s[j]).abs() / config.score_max);
        }
    }
    out
}

fn missing(stage: &'static str, what: &str) -> ComputationError {
    ComputationError {
        stage,
        reason: format!("{what} is undefined for this input"),
    }
}

/// Stage 4: coherence.
///
/// # Errors
///
/// Only if the validated input had fewer than two clusters (it cannot).
pub fn coherence(input: &ValidatedPhase6, config: &Config) -> Result<Coherence, ComputationError> {
    const STAGE: &str = "STAGE_COHERENCE_ANALYSIS";
    let scores: Vec<f64> = input.clusters().iter().map(|c| c.score).collect();
    let var = variance(&scores).ok_or_else(|| missing(STAGE, "variance"))?;
    let strategic = py_max(0.0, 1.0 - var / config.variance_scale);
    let operational = mean(&similarities(input, config))
        .ok_or_else(|| missing(STAGE, "operational coherence"))?;
    let coherences: Vec<f64> = input.clusters().iter().map(|c| c.coherence).collect();
    let institutional =
        py_min_all(&coherences).ok_or_else(|| missing(STAGE, "institutional coherence"))?;
    let w = &config.coherence_weights;
    let cross_cutting =
        w.strategic * strategic + w.operational * operational + w.institutional * institutional;
    Ok(Coherence {
        strategic,
        operational,
        institutional,
        inter_cluster_variance: var,
        cross_cutting,
    })
}

/// Stage 5: systemic gaps.
pub fn gaps(input: &ValidatedPhase6, config: &Config) -> Gaps {
    let threshold = config.gap_score();
    let sev = &config.severity_thresholds;
    let mut out: Vec<(String, Severity)> = Vec::new();
    for c in input.clusters() {
        let Some(area) = &c.weakest_area else {
            continue;
        };
        if c.score < threshold && !out.iter().any(|(a, _)| a == area) {
            let severity = if c.score < sev.critical_below {
                Severity::Critical
            } else if c.score < sev.severe_below {
                Severity::Severe
            } else {
                Severity::Moderate
            };
            out.push((area.clone(), severity));
        }
    }
    Gaps { areas: out }
}

/// Stage 6: alignment.
///
/// # Errors
///
/// Only if the validated input had no pairs (it cannot).
pub fn alignment(input: &ValidatedPhase6, config: &Config) -> Result<Alignment, ComputationError> {
    let s = |id| input.cluster(id).score;
    let max = config.score_max;
    let vertical = 1.0 - (s(ClusterId::Meso1) - s(ClusterId::Meso2)).abs() / max;
    let horizontal = mean(&similarities(input, config))
        .ok_or_else(|| missing("STAGE_ALIGNMENT_SCORING", "horizontal alignment"))?;
    let temporal = 1.0 - (s(ClusterId::Meso3) - s(ClusterId::Meso4)).abs() / max;
    Ok(Alignment {
        vertical,
        horizontal,
        temporal,
        strategic: (vertical + horizontal + temporal) / 3.0,
    })
}

/// Stage 7's terms of the propagated variance, one per cluster in input order:
/// `(w·w)·(σ·σ)`, what the pipeline's `w ** 2 * σ ** 2` gives under a correctly rounded
/// `pow()` (the claim check's `pow()` hypotheses start from these).
pub(crate) fn variance_terms(input: &ValidatedPhase6, config: &Config) -> Vec<f64> {
    input
        .clusters()
        .iter()
        .map(|c| {
            let w = config.weight(c.id);
            (w * w) * (c.score_std * c.score_std)
        })
        .collect()
}

/// Stage 7: uncertainty propagation.
///
/// # Errors
///
/// When the propagated variance overflows f64 (score_std values above about 1e154; the
/// pipeline's `σ ** 2` raises OverflowError there): no MacroScore can carry it.
pub fn uncertainty(
    input: &ValidatedPhase6,
    config: &Config,
) -> Result<Uncertainty, ComputationError> {
    uncertainty_with(input, config, Summation::Compensated)
}

/// [`uncertainty`] with the given `sum()` for the variance and the centre (see
/// [`weighted_score_with`]).
///
/// # Errors
///
/// As [`uncertainty`].
pub fn uncertainty_with(
    input: &ValidatedPhase6,
    config: &Config,
    summation: Summation,
) -> Result<Uncertainty, ComputationError> {
    let score_std = summation.sum(&variance_terms(input, config)).sqrt();
    if !score_std.is_finite() {
        let sigmas: Vec<String> = input
            .clusters()
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    c.id.as_str(),
                    crate::read::json::number_text(c.score_std)
                )
            })
            .collect();
        return Err(ComputationError {
            stage: "STAGE_UNCERTAINTY_PROPAGATION",
            reason: format!(
                "the propagated variance overflows f64 (score_std: {})",
                sigmas.join(", ")
            ),
        });
    }
    let center_terms: Vec<f64> = input
        .clusters()
        .iter()
        .map(|c| config.weight(c.id) * c.score)
        .collect();
    let center = summation.sum(&center_terms);
    Ok(Uncertainty {
        score_std,
        confidence_interval_95: interval(center, score_std, config),
    })
}

/// The clamped 95 % interval around `center` (also used to check claimed outputs).
pub fn interval(center: f64, score_std: f64, config: &Config) -> [f64; 2] {
    let half = config.z_95 * score_std;
    [
        py_max(0.0, center - half),
        py_min(config.score_max, center + half),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_bands_lowest_first() {
        let cfg = Config::published();
        let lows = [0.0, 0.55, 0.70, 0.85];
        for (band, low) in QualityLevel::ALL.into_iter().zip(lows) {
            assert_eq!(quality(low, &cfg), band);
            assert_eq!(QualityLevel::parse(band.as_str()), Some(band));
        }
    }

    #[test]
    fn band_edges_decided_by_the_last_bit() {
        let cfg = Config::published();
        assert_eq!(2.55f64 / 3.0, 0.85);
        assert_eq!(quality(2.55 / 3.0, &cfg), QualityLevel::Excelente);
        assert_eq!(2.1f64 / 3.0, 0.7000000000000001);
        assert_eq!(quality(2.1 / 3.0, &cfg), QualityLevel::Bueno);
        assert_eq!(
            quality(0.5499999999999999, &cfg),
            QualityLevel::Insuficiente
        );
    }
}
