//! The input contract (PRE-7.x, hermeticity; spec §2) as recorded for an accepted input,
//! and the output contract (POST-7.x; spec §5).

use crate::attest::certificate::MAX_LISTED_AREAS;
use crate::checks::{check, list, nums, within, Check, CheckSeverity, CheckStage};
use crate::model::ClusterId;
use crate::read::bridge::ValidatedPhase6;
use crate::read::json::number_text;
use crate::stages::aggregate::QualityLevel;
use crate::stages::macro_score::MacroScore;

/// The input contract as recorded for an accepted input (spec §2). A rejected input never
/// reaches here: its violations are reported as [`crate::error::InputError`]s instead.
pub fn input(input: &ValidatedPhase6) -> Vec<Check> {
    use CheckStage::InputContract as S;
    let cs = input.clusters();
    let ids = || cs.iter().map(|c| c.id.as_str().to_string());
    // The distinct ids in sorted order (ClusterId's order is the ids' text order).
    let sorted: Vec<String> = ClusterId::ALL
        .iter()
        .filter(|id| cs.iter().any(|c| c.id == **id))
        .map(|id| id.as_str().to_string())
        .collect();
    let provenance_missing: Vec<String> = cs
        .iter()
        .filter(|c| c.provenance_node_id.is_empty())
        .map(|c| c.id.as_str().to_string())
        .collect();
    // As sets, in linear time (areas may repeat).
    let hermetic = cs.iter().all(|c| {
        let fixed = c.id.areas();
        fixed.iter().all(|f| c.areas.contains(f)) && c.areas.iter().all(|a| fixed.contains(a))
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
                    .map(|c| format!("{}: {}", c.id.as_str(), areas_text(&c.areas))),
            ),
            hermetic,
        ),
    ]
}

/// A cluster's areas as HERMETICITY records them: all of them, or the first
/// [`MAX_LISTED_AREAS`] and how many there are (the rest are repeats, each a warning,
/// and the input digest binds them all).
fn areas_text(areas: &[&str]) -> String {
    if areas.len() <= MAX_LISTED_AREAS {
        areas.join(" ")
    } else {
        format!(
            "{} … ({} areas)",
            areas[..MAX_LISTED_AREAS].join(" "),
            areas.len()
        )
    }
}

/// The output contract POST-7.1..7.7.
pub fn output(input: &ValidatedPhase6, m: &MacroScore) -> Vec<Check> {
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
