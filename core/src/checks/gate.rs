//! The exit gate towards Phase 8 (GATE-1..5, spec §5).

use crate::checks::{check, list, nums, within, Check, CheckStage};
use crate::config::Config;
use crate::read::bridge::ValidatedPhase6;
use crate::read::json::number_text;
use crate::stages::aggregate;
use crate::stages::macro_score::MacroScore;

/// The exit gate towards Phase 8. `digests` are the (input, config, output) digests the
/// Phase 7 → 8 certificate binds; `strict` turns input warnings into a failure. (Long:
/// GATE-1..5 in order, each one `check` with its expected and actual text; split up, the
/// list would no longer read as the spec's.)
pub fn check_all(
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
