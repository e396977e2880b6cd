//! Checks: the contracts (PRE-7.x, hermeticity, POST-7.x), invariants (INV-7.x) and
//! exit gate (GATE-x) of spec §2 and §5, each recorded with its expected and actual
//! values so the audit trail can chain them.

use serde::{Deserialize, Serialize};

use crate::aggregate::{self, QualityLevel};
use crate::bridge::ValidatedPhase6;
use crate::config::{Config, PUBLISHED_CONFIG_DIGEST};
use crate::json::number_text;
use crate::macro_score::MacroScore;
use crate::model::ClusterId;

/// Which family of checks an entry belongs to (the dashboard groups by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CheckStage {
    /// PRE-7.x and hermeticity.
    InputContract,
    /// POST-7.x.
    OutputContract,
    /// INV-7.x.
    Invariants,
    /// GATE-x.
    ExitGate,
}

impl CheckStage {
    /// The stage's name as it is serialized (`INPUT_CONTRACT`, `OUTPUT_CONTRACT`,
    /// `INVARIANTS`, `EXIT_GATE`).
    pub fn name(self) -> &'static str {
        match self {
            CheckStage::InputContract => "INPUT_CONTRACT",
            CheckStage::OutputContract => "OUTPUT_CONTRACT",
            CheckStage::Invariants => "INVARIANTS",
            CheckStage::ExitGate => "EXIT_GATE",
        }
    }
}

/// How much a failed check weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckSeverity {
    /// A failure rejects the run.
    Error,
    /// A failure is reported; strict mode turns it into a gate failure.
    Warning,
}

/// One check with what it expected and what it found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// `PRE-7.1`, `HERMETICITY`, `POST-7.2`, `INV-7.5`, `GATE-3`, …
    pub id: String,
    /// The family.
    pub stage: CheckStage,
    /// What is checked.
    pub description: String,
    /// The expected value, as text.
    pub expected: String,
    /// The actual value, as text.
    pub actual: String,
    /// Whether it holds.
    pub passed: bool,
    /// Error or warning.
    pub severity: CheckSeverity,
}

fn check(
    id: &str,
    stage: CheckStage,
    description: &str,
    expected: impl Into<String>,
    actual: impl Into<String>,
    passed: bool,
) -> Check {
    Check {
        id: id.into(),
        stage,
        description: description.into(),
        expected: expected.into(),
        actual: actual.into(),
        passed,
        severity: CheckSeverity::Error,
    }
}

fn list(xs: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", xs.into_iter().collect::<Vec<_>>().join(", "))
}

fn nums(xs: impl IntoIterator<Item = f64>) -> String {
    list(xs.into_iter().map(number_text))
}

fn within(x: f64, lo: f64, hi: f64) -> bool {
    x >= lo && x <= hi
}

/// The input contract as recorded for an accepted input (spec §2). A rejected input never
/// reaches here: its violations are reported as [`crate::error::InputError`]s instead.
pub fn input_contract(input: &ValidatedPhase6) -> Vec<Check> {
    use CheckStage::InputContract as S;
    let cs = input.clusters();
    let ids = || cs.iter().map(|c| c.id.as_str().to_string());
    let mut sorted: Vec<String> = ids().collect();
    sorted.sort();
    sorted.dedup();
    let provenance_missing: Vec<String> = cs
        .iter()
        .filter(|c| c.provenance_node_id.is_empty())
        .map(|c| c.id.as_str().to_string())
        .collect();
    let hermetic = cs.iter().all(|c| {
        let mut a: Vec<&str> = c.areas.iter().map(String::as_str).collect();
        a.sort_unstable();
        a.dedup();
        a == c.id.areas()
    });
    vec![
        check(
            "PRE-7.1",
            S,
            "exactly 4 cluster objects",
            "4",
            cs.len().to_string(),
            cs.len() == 4,
        ),
        check(
            "PRE-7.2",
            S,
            "the set of cluster ids is exactly CLUSTER_MESO_1..4",
            list(ClusterId::ALL.iter().map(|c| c.as_str().to_string())),
            list(sorted.iter().cloned()),
            sorted.len() == 4,
        ),
        check(
            "PRE-7.3",
            S,
            "every score finite and in [0.0, 3.0] (input order)",
            "all in [0.0, 3.0]",
            nums(cs.iter().map(|c| c.score)),
            cs.iter().all(|c| within(c.score, 0.0, 3.0)),
        ),
        Check {
            severity: CheckSeverity::Warning,
            ..check(
                "PRE-7.4",
                S,
                "Phase 6 provenance (provenance_node_id) present on every cluster",
                "no cluster without provenance",
                if provenance_missing.is_empty() {
                    "all present".to_string()
                } else {
                    format!("missing on {}", list(provenance_missing.iter().cloned()))
                },
                provenance_missing.is_empty(),
            )
        },
        check(
            "PRE-7.5",
            S,
            "no duplicate cluster id (input order)",
            "4 distinct ids",
            list(ids()),
            sorted.len() == cs.len(),
        ),
        check(
            "PRE-7.6",
            S,
            "coherence finite in [0, 1] and variance finite >= 0 (input order)",
            "coherence in [0.0, 1.0], variance >= 0.0",
            format!(
                "coherence {}, variance {}",
                nums(cs.iter().map(|c| c.coherence)),
                nums(cs.iter().map(|c| c.variance))
            ),
            cs.iter()
                .all(|c| within(c.coherence, 0.0, 1.0) && c.variance >= 0.0),
        ),
        check(
            "HERMETICITY",
            S,
            "each cluster's areas equal its fixed composition (as a set)",
            list(
                cs.iter()
                    .map(|c| format!("{}: {}", c.id.as_str(), c.id.areas().join(" "))),
            ),
            list(
                cs.iter()
                    .map(|c| format!("{}: {}", c.id.as_str(), c.areas.join(" "))),
            ),
            hermetic,
        ),
    ]
}

/// The output contract POST-7.1..7.7.
pub fn output_contract(input: &ValidatedPhase6, m: &MacroScore) -> Vec<Check> {
    use CheckStage::OutputContract as S;
    let band_ok = QualityLevel::parse(m.quality_level.as_str()).is_some();
    let cb = &m.coherence_breakdown;
    let coherences = [
        m.cross_cutting_coherence,
        cb.strategic_coherence,
        cb.operational_coherence,
        cb.institutional_coherence,
    ];
    let ab = &m.alignment_breakdown;
    let alignments = [
        m.strategic_alignment,
        ab.vertical_alignment,
        ab.horizontal_alignment,
        ab.temporal_alignment,
    ];
    let input_ids: Vec<String> = input
        .clusters()
        .iter()
        .map(|c| c.id.as_str().to_string())
        .collect();
    let output_ids: Vec<String> = m
        .cluster_scores
        .iter()
        .map(|c| c.cluster_id.clone())
        .collect();
    let valid_gaps = m
        .systemic_gaps
        .iter()
        .all(|g| crate::model::area_name(g).is_some());
    vec![
        check(
            "POST-7.1",
            S,
            "a MacroScore exists",
            "a MacroScore",
            format!("MacroScore {}", m.evaluation_id),
            !m.evaluation_id.is_empty(),
        ),
        check(
            "POST-7.2",
            S,
            "score in [0.0, 3.0]",
            "[0.0, 3.0]",
            number_text(m.score),
            within(m.score, 0.0, 3.0),
        ),
        check(
            "POST-7.3",
            S,
            "quality_level is one of the four bands",
            "EXCELENTE | BUENO | ACEPTABLE | INSUFICIENTE",
            m.quality_level.as_str(),
            band_ok,
        ),
        check(
            "POST-7.4",
            S,
            "coherence (cross-cutting and breakdown) in [0.0, 1.0]",
            "all in [0.0, 1.0]",
            nums(coherences),
            coherences.iter().all(|&x| within(x, 0.0, 1.0)),
        ),
        check(
            "POST-7.5",
            S,
            "alignment (strategic and breakdown) in [0.0, 1.0]",
            "all in [0.0, 1.0]",
            nums(alignments),
            alignments.iter().all(|&x| within(x, 0.0, 1.0)),
        ),
        check(
            "POST-7.6",
            S,
            "the contributing cluster ids equal the input ids (input order)",
            list(input_ids.iter().cloned()),
            list(output_ids.iter().cloned()),
            input_ids == output_ids,
        ),
        check(
            "POST-7.7",
            S,
            "every systemic gap is one of PA01..PA10",
            "subset of PA01..PA10",
            list(m.systemic_gaps.iter().cloned()),
            valid_gaps,
        ),
    ]
}

/// The invariants INV-7.1..7.5. `first` and `second` are the serialized bits of two
/// independent evaluations (INV-7.5).
pub fn invariants(config: &Config, config_digest: &str, first: &str, second: &str) -> Vec<Check> {
    use CheckStage::Invariants as S;
    let weights: Vec<f64> = config.cluster_weights.values().copied().collect();
    let wsum = crate::pymath::psum(&weights);
    let t = &config.quality_thresholds;
    let ordered =
        t.excelente > t.bueno && t.bueno > t.aceptable && t.aceptable > 0.0 && t.excelente <= 1.0;
    let cw = &config.coherence_weights;
    let csum = crate::pymath::psum(&[cw.strategic, cw.operational, cw.institutional]);
    vec![
        check(
            "INV-7.1",
            S,
            "cluster weights sum to 1.0 (|sum - 1| <= 1e-6)",
            "1.0",
            format!(
                "{} (weights {})",
                number_text(wsum),
                nums(weights.iter().copied())
            ),
            (wsum - 1.0).abs() <= 1e-6,
        ),
        check(
            "INV-7.2",
            S,
            "the configuration is the published one (digest) and thresholds are ordered",
            format!(
                "config digest {PUBLISHED_CONFIG_DIGEST}, 0 < aceptable < bueno < excelente <= 1"
            ),
            format!(
                "config digest {config_digest}, thresholds {}",
                nums([t.aceptable, t.bueno, t.excelente])
            ),
            config_digest == PUBLISHED_CONFIG_DIGEST && ordered,
        ),
        check(
            "INV-7.3",
            S,
            "score domain is [0.0, 3.0]",
            "[0.0, 3.0]",
            format!("[0.0, {}]", number_text(config.score_max)),
            config.score_max == 3.0,
        ),
        check(
            "INV-7.4",
            S,
            "coherence weights sum to 1.0 (|sum - 1| <= 1e-6)",
            "1.0",
            format!(
                "{} (weights {})",
                number_text(csum),
                nums([cw.strategic, cw.operational, cw.institutional])
            ),
            (csum - 1.0).abs() <= 1e-6,
        ),
        check(
            "INV-7.5",
            S,
            "determinism: a second, independent evaluation gives identical output bits",
            format!("sha256 {first}"),
            format!("sha256 {second}"),
            first == second,
        ),
    ]
}

/// The exit gate towards Phase 8. `digests` are the (input, config, output) digests the
/// Phase 7 → 8 certificate binds; `strict` turns input warnings into a failure.
pub fn exit_gate(
    input: &ValidatedPhase6,
    config: &Config,
    m: &MacroScore,
    post: &[Check],
    digests: [&str; 3],
    strict: bool,
) -> Vec<Check> {
    use CheckStage::ExitGate as S;
    let failed_post: Vec<String> = post
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.id.clone())
        .collect();
    let expected_band = aggregate::quality(m.score_normalized, config);
    let bounded = [
        m.cross_cutting_coherence,
        m.coherence_breakdown.strategic_coherence,
        m.coherence_breakdown.operational_coherence,
        m.coherence_breakdown.institutional_coherence,
        m.strategic_alignment,
        m.alignment_breakdown.vertical_alignment,
        m.alignment_breakdown.horizontal_alignment,
        m.alignment_breakdown.temporal_alignment,
    ];
    let input_ids: Vec<&str> = input.clusters().iter().map(|c| c.id.as_str()).collect();
    let represented = input_ids
        .iter()
        .all(|id| m.cluster_scores.iter().any(|c| c.cluster_id == *id))
        && input_ids
            .iter()
            .all(|id| m.cluster_details.0.iter().any(|(d, _)| d == id));
    let warnings: Vec<&str> = input.warnings().iter().map(|w| w.code()).collect();
    let strict_ok = !strict || warnings.is_empty();
    let digests_ok = digests
        .iter()
        .all(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()));
    vec![
        check(
            "GATE-1",
            S,
            "output contract holds (POST-7.1..7.7)",
            "no failed POST check",
            if failed_post.is_empty() {
                "none failed".to_string()
            } else {
                format!("failed {}", list(failed_post.iter().cloned()))
            },
            failed_post.is_empty(),
        ),
        check(
            "GATE-2",
            S,
            "quality_level matches score_normalized under the published thresholds",
            format!(
                "{} for {}",
                expected_band.as_str(),
                number_text(m.score_normalized)
            ),
            m.quality_level.as_str(),
            expected_band == m.quality_level,
        ),
        check(
            "GATE-3",
            S,
            "coherence and alignment (with breakdowns) within [0.0, 1.0]",
            "all in [0.0, 1.0]",
            nums(bounded),
            bounded.iter().all(|&x| within(x, 0.0, 1.0)),
        ),
        check(
            "GATE-4",
            S,
            if strict {
                "provenance: every input cluster represented in the output; strict mode: no input warnings"
            } else {
                "provenance: every input cluster represented in the output"
            },
            if strict {
                format!(
                    "{} represented, no warnings",
                    list(input_ids.iter().map(|s| s.to_string()))
                )
            } else {
                format!(
                    "{} represented",
                    list(input_ids.iter().map(|s| s.to_string()))
                )
            },
            format!(
                "{} represented{}",
                list(m.cluster_scores.iter().map(|c| c.cluster_id.clone())),
                if warnings.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", warnings {}",
                        list(warnings.iter().map(|s| s.to_string()))
                    )
                }
            ),
            represented && strict_ok,
        ),
        check(
            "GATE-5",
            S,
            "Phase 7 -> 8 certificate: input, configuration and output digests bound",
            "three SHA-256 digests",
            format!(
                "input {}, config {}, output {}",
                digests[0], digests[1], digests[2]
            ),
            digests_ok,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::CheckStage;

    #[test]
    fn stage_names_are_the_serialized_names() {
        for stage in [
            CheckStage::InputContract,
            CheckStage::OutputContract,
            CheckStage::Invariants,
            CheckStage::ExitGate,
        ] {
            let json = serde_json::to_string(&stage).expect("serializes");
            assert_eq!(json, format!("\"{}\"", stage.name()));
        }
    }
}
