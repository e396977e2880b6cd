//! Stage 8 (STAGE_AGGREGATION_FINAL): the MacroScore in the pipeline's shape (spec §4).

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::attest::digest;
use crate::config::{Config, PIPELINE_VERSION};
use crate::read::bridge::ValidatedPhase6;
use crate::read::json::Json;
use crate::stages::aggregate::{
    Alignment, Coherence, Gaps, QualityLevel, Uncertainty, WeightedScore,
};

/// `coherence_breakdown`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoherenceBreakdown {
    /// Strategic coherence.
    pub strategic_coherence: f64,
    /// Operational coherence.
    pub operational_coherence: f64,
    /// Institutional coherence.
    pub institutional_coherence: f64,
    /// Sample variance of the cluster scores.
    pub inter_cluster_variance: f64,
    /// 1.0: no irrigation signals are applied (pipeline 2.1.0 writes it).
    pub irrigation_adjustment: f64,
    /// Equal to cross_cutting_coherence while no adjustment applies.
    pub coherence_pre_adjustment: f64,
}

/// `alignment_breakdown`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlignmentBreakdown {
    /// MESO_1 vs MESO_2.
    pub vertical_alignment: f64,
    /// Mean over all pairs.
    pub horizontal_alignment: f64,
    /// MESO_3 vs MESO_4.
    pub temporal_alignment: f64,
}

/// One entry of `cluster_scores`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterScoreEntry {
    /// Cluster id.
    pub cluster_id: String,
    /// Its score.
    pub score: f64,
    /// Its coherence.
    pub coherence: f64,
    /// Its dispersion scenario.
    pub dispersion_scenario: String,
    /// Its penalty.
    pub penalty_applied: f64,
}

/// One value of `cluster_details`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterDetail {
    /// Score.
    pub score: f64,
    /// Coherence.
    pub coherence: f64,
    /// Variance of the cluster's area scores.
    pub variance: f64,
    /// Weakest area or null.
    pub weakest_area: Option<String>,
    /// Dispersion scenario.
    pub dispersion_scenario: String,
    /// Penalty.
    pub penalty_applied: f64,
    /// Areas as given.
    pub areas: Vec<&'static str>,
}

/// `cluster_details`: per cluster id in input order, then `sisas_provenance`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterDetails(pub Vec<(String, ClusterDetail)>);

impl Serialize for ClusterDetails {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len() + 1))?;
        for (id, detail) in &self.0 {
            map.serialize_entry(id, detail)?;
        }
        map.serialize_entry(
            "sisas_provenance",
            &Json::Object(vec![
                ("source".into(), Json::String("legacy_constant".into())),
                ("weights_from".into(), Json::String("constants".into())),
            ]),
        )?;
        map.end()
    }
}

/// `gap_severity`: area → severity, in the order of `systemic_gaps`.
#[derive(Clone, Debug, PartialEq)]
pub struct GapSeverity(pub Vec<(String, String)>);

impl Serialize for GapSeverity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (area, sev) in &self.0 {
            map.serialize_entry(area, sev)?;
        }
        map.end()
    }
}

/// The Phase 7 result, with the keys of the pipeline's `MacroScore.to_dict()` in its
/// order. Everything but `evaluation_timestamp` is a function of the input and the
/// configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MacroScore {
    /// Derived from the input and configuration digests (see [`evaluation_id`]).
    pub evaluation_id: String,
    /// Clamped macro score in [0, 3].
    pub score: f64,
    /// raw / 3.
    pub score_normalized: f64,
    /// Band name.
    pub quality_level: QualityLevel,
    /// Weighted coherence.
    pub cross_cutting_coherence: f64,
    /// Its parts.
    pub coherence_breakdown: CoherenceBreakdown,
    /// Gap areas in input order.
    pub systemic_gaps: Vec<String>,
    /// Severity per gap area.
    pub gap_severity: GapSeverity,
    /// Mean alignment.
    pub strategic_alignment: f64,
    /// Its parts.
    pub alignment_breakdown: AlignmentBreakdown,
    /// Per cluster, input order.
    pub cluster_scores: Vec<ClusterScoreEntry>,
    /// Per cluster id, input order.
    pub cluster_details: ClusterDetails,
    /// Always true for a written result.
    pub validation_passed: bool,
    /// Always `{}` (as the pipeline writes).
    pub validation_details: Json,
    /// Propagated standard deviation.
    pub score_std: f64,
    /// `[lo, hi]`.
    pub confidence_interval_95: [f64; 2],
    /// Derived from the input and configuration digests.
    pub provenance_node_id: String,
    /// `weighted_average`.
    pub aggregation_method: String,
    /// The caller's time (RFC 3339), or null when none was given.
    pub evaluation_timestamp: Option<String>,
    /// `2.1.0`.
    pub pipeline_version: String,
}

/// Everything the final stage needs.
pub struct Parts<'a> {
    /// Validated input.
    pub input: &'a ValidatedPhase6,
    /// Configuration.
    pub config: &'a Config,
    /// Digest of the input.
    pub input_digest: &'a str,
    /// Stage 2.
    pub weighted: &'a WeightedScore,
    /// Stage 3.
    pub quality: QualityLevel,
    /// Stage 4.
    pub coherence: &'a Coherence,
    /// Stage 5.
    pub gaps: &'a Gaps,
    /// Stage 6.
    pub alignment: &'a Alignment,
    /// Stage 7.
    pub uncertainty: &'a Uncertainty,
    /// Caller's time.
    pub evaluated_at: Option<&'a str>,
}

/// `EVAL_P07_` + 24 hex digits of SHA-256 over the input and configuration digests.
pub fn evaluation_id(input_digest: &str, config_digest: &str) -> String {
    let d = digest::sha256_hex(
        format!("phase7/evaluation_id\n{input_digest}\n{config_digest}").as_bytes(),
    );
    format!("EVAL_P07_{}", d.get(..24).unwrap_or_default())
}

/// `PROV_P07_` + 24 hex digits of SHA-256 over the input and configuration digests.
pub fn provenance_node_id(input_digest: &str, config_digest: &str) -> String {
    let d = digest::sha256_hex(
        format!("phase7/provenance_node_id\n{input_digest}\n{config_digest}").as_bytes(),
    );
    format!("PROV_P07_{}", d.get(..24).unwrap_or_default())
}

/// Stage 8: assembles the MacroScore.
pub fn assemble(p: &Parts<'_>, config_digest: &str) -> MacroScore {
    let clusters = p.input.clusters();
    MacroScore {
        evaluation_id: evaluation_id(p.input_digest, config_digest),
        score: p.weighted.score,
        score_normalized: p.weighted.score_normalized,
        quality_level: p.quality,
        cross_cutting_coherence: p.coherence.cross_cutting,
        coherence_breakdown: CoherenceBreakdown {
            strategic_coherence: p.coherence.strategic,
            operational_coherence: p.coherence.operational,
            institutional_coherence: p.coherence.institutional,
            inter_cluster_variance: p.coherence.inter_cluster_variance,
            irrigation_adjustment: 1.0,
            coherence_pre_adjustment: p.coherence.cross_cutting,
        },
        systemic_gaps: p.gaps.areas.iter().map(|(a, _)| a.clone()).collect(),
        gap_severity: GapSeverity(
            p.gaps
                .areas
                .iter()
                .map(|(a, s)| (a.clone(), s.as_str().to_string()))
                .collect(),
        ),
        strategic_alignment: p.alignment.strategic,
        alignment_breakdown: AlignmentBreakdown {
            vertical_alignment: p.alignment.vertical,
            horizontal_alignment: p.alignment.horizontal,
            temporal_alignment: p.alignment.temporal,
        },
        cluster_scores: clusters
            .iter()
            .map(|c| ClusterScoreEntry {
                cluster_id: c.id.as_str().to_string(),
                score: c.score,
                coherence: c.coherence,
                dispersion_scenario: c.dispersion_scenario.clone(),
                penalty_applied: c.penalty_applied,
            })
            .collect(),
        cluster_details: ClusterDetails(
            clusters
                .iter()
                .map(|c| {
                    (
                        c.id.as_str().to_string(),
                        ClusterDetail {
                            score: c.score,
                            coherence: c.coherence,
                            variance: c.variance,
                            weakest_area: c.weakest_area.clone(),
                            dispersion_scenario: c.dispersion_scenario.clone(),
                            penalty_applied: c.penalty_applied,
                            areas: c.areas.clone(),
                        },
                    )
                })
                .collect(),
        ),
        validation_passed: true,
        validation_details: Json::Object(Vec::new()),
        score_std: p.uncertainty.score_std,
        confidence_interval_95: p.uncertainty.confidence_interval_95,
        provenance_node_id: provenance_node_id(p.input_digest, config_digest),
        aggregation_method: "weighted_average".into(),
        evaluation_timestamp: p.evaluated_at.map(str::to_string),
        pipeline_version: PIPELINE_VERSION.into(),
    }
}

impl MacroScore {
    /// Pretty JSON (2-space indent) with a final newline: what `phase7 run` writes.
    ///
    /// # Errors
    ///
    /// Only if a number is not finite (validated input cannot produce one).
    pub fn to_json_pretty(&self) -> Result<String, crate::attest::jcs::Error> {
        let mut s = digest::pretty_string(self)?;
        s.push('\n');
        Ok(s)
    }

    /// The MacroScore with `evaluation_timestamp` removed: what a rerun must reproduce,
    /// and what the output digest covers.
    pub fn reproducible(&self) -> MacroScore {
        MacroScore {
            evaluation_timestamp: None,
            ..self.clone()
        }
    }
}
