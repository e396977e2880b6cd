//! The invariants INV-7.1..7.5 (spec §5).

use crate::checks::{check, nums, Check, CheckStage};
use crate::config::{Config, PUBLISHED_CONFIG_DIGEST};
use crate::read::json::number_text;

/// The invariants INV-7.1..7.5. `first` and `second` are the serialized bits of two
/// independent evaluations (INV-7.5).
pub fn check_all(config: &Config, config_digest: &str, first: &str, second: &str) -> Vec<Check> {
    use CheckStage::Invariants as S;
    let weights = config.cluster_weights.0;
    let wsum = crate::stages::pymath::psum(&weights);
    let t = &config.quality_thresholds;
    let ordered =
        t.excelente > t.bueno && t.bueno > t.aceptable && t.aceptable > 0.0 && t.excelente <= 1.0;
    let cw = &config.coherence_weights;
    let csum = crate::stages::pymath::psum(&[cw.strategic, cw.operational, cw.institutional]);
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
