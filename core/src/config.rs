//! The published Phase 7 configuration: weights, thresholds, and its digest (INV-7.2).

use std::sync::LazyLock;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::attest::digest;
use crate::error::ComputationError;
use crate::model::ClusterId;

/// Version of the Phase 7 semantics reproduced here (the pipeline's `pipeline_version`).
pub const PIPELINE_VERSION: &str = "2.1.0";

/// SHA-256 of the RFC 8785 encoding of [`Config::published`]. INV-7.2 compares the
/// configuration in use against this value, so a changed weight or threshold cannot go
/// unnoticed; a test recomputes it.
pub const PUBLISHED_CONFIG_DIGEST: &str =
    "408ed449dcfd7ca1a29f10014938fc90a6a20b1e6b137d4f8df582904fdf5cc3";

/// Quality bands on the normalised score, highest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QualityThresholds {
    /// `EXCELENTE` from this value up.
    pub excelente: f64,
    /// `BUENO` from this value up.
    pub bueno: f64,
    /// `ACEPTABLE` from this value up; below it, `INSUFICIENTE`.
    pub aceptable: f64,
}

/// Weights of the three coherence components.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoherenceWeights {
    /// Weight of strategic coherence (0.4).
    pub strategic: f64,
    /// Weight of operational coherence (0.3).
    pub operational: f64,
    /// Weight of institutional coherence (0.3).
    pub institutional: f64,
}

/// Severity bounds of systemic gaps, on the cluster score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeverityThresholds {
    /// `CRITICAL` below this score.
    pub critical_below: f64,
    /// `SEVERE` below this score (and not critical); otherwise `MODERATE`.
    pub severe_below: f64,
}

/// The weight of each cluster, MESO_1..MESO_4 ([`ClusterId::ALL`] order). Written as
/// an object keyed by cluster id, in that order (which is also the ids' sorted order):
/// `{"CLUSTER_MESO_1": 0.25, …}`.
///
/// A fixed array rather than a map: every configuration weighs exactly the four
/// clusters, and a map type would bring its own code into the wasm builds (about 3 KB
/// gzipped, issue 9 "Sizes").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClusterWeights(pub [f64; 4]);

impl ClusterWeights {
    /// The weight of a cluster.
    pub fn get(&self, id: ClusterId) -> f64 {
        self.0[id.index()]
    }

    /// Sets the weight of a cluster.
    pub fn set(&mut self, id: ClusterId, weight: f64) {
        self.0[id.index()] = weight;
    }
}

impl Serialize for ClusterWeights {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(4))?;
        for (id, w) in ClusterId::ALL.iter().zip(&self.0) {
            map.serialize_entry(id.as_str(), w)?;
        }
        map.end()
    }
}

/// Everything that parameterises the computation. Digested into certificates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Config {
    /// Semantics version.
    pub version: String,
    /// Weight of each cluster, by id.
    pub cluster_weights: ClusterWeights,
    /// Quality bands.
    pub quality_thresholds: QualityThresholds,
    /// Coherence weights.
    pub coherence_weights: CoherenceWeights,
    /// Normalised gap threshold (0.55): a cluster is a gap when its score is below
    /// `gap_threshold × score_max` (computed in f64: 1.6500000000000001).
    pub gap_threshold: f64,
    /// Gap severities.
    pub severity_thresholds: SeverityThresholds,
    /// Scale of the inter-cluster variance in strategic coherence (0.75).
    pub variance_scale: f64,
    /// z for the 95 % interval (1.96).
    pub z_95: f64,
    /// Upper end of the score domain (3.0).
    pub score_max: f64,
}

/// The published configuration, built once per process.
static PUBLISHED: LazyLock<Config> = LazyLock::new(Config::build_published);

/// Its digest, computed once per process (from the configuration, not copied from
/// [`PUBLISHED_CONFIG_DIGEST`]: INV-7.2 compares the two).
static PUBLISHED_DIGEST: LazyLock<Result<String, ComputationError>> =
    LazyLock::new(|| digest::of(&*PUBLISHED));

impl Config {
    /// The configuration the pipeline publishes (spec §3).
    pub fn published() -> Config {
        PUBLISHED.clone()
    }

    fn build_published() -> Config {
        Config {
            version: PIPELINE_VERSION.to_string(),
            cluster_weights: ClusterWeights([0.25; 4]),
            quality_thresholds: QualityThresholds {
                excelente: 0.85,
                bueno: 0.70,
                aceptable: 0.55,
            },
            coherence_weights: CoherenceWeights {
                strategic: 0.4,
                operational: 0.3,
                institutional: 0.3,
            },
            gap_threshold: 0.55,
            severity_thresholds: SeverityThresholds {
                critical_below: 1.0,
                severe_below: 1.35,
            },
            variance_scale: 0.75,
            z_95: 1.96,
            score_max: 3.0,
        }
    }

    /// The weight of a cluster.
    pub fn weight(&self, id: ClusterId) -> f64 {
        self.cluster_weights.get(id)
    }

    /// The gap threshold on the 0–3 scale, as the pipeline computes it.
    pub fn gap_score(&self) -> f64 {
        self.gap_threshold * self.score_max
    }

    /// SHA-256 (hex) of the configuration's RFC 8785 encoding. For the published
    /// configuration (equal field for field, hence with the same canonical form) it is
    /// the digest computed once per process.
    ///
    /// # Errors
    ///
    /// Only if a configured number is not finite.
    pub fn digest(&self) -> Result<String, ComputationError> {
        if self == &*PUBLISHED {
            return PUBLISHED_DIGEST.clone();
        }
        digest::of(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_digest_is_pinned() {
        // Recomputed from the configuration here, not through the cache.
        let fresh = Config::build_published();
        assert_eq!(digest::of(&fresh).unwrap(), PUBLISHED_CONFIG_DIGEST);
        assert_eq!(
            Config::published().digest().unwrap(),
            PUBLISHED_CONFIG_DIGEST
        );
        // A changed configuration is digested anew.
        let mut changed = fresh;
        changed.z_95 = 1.95;
        assert_ne!(changed.digest().unwrap(), PUBLISHED_CONFIG_DIGEST);
    }

    #[test]
    fn gap_threshold_is_the_f64_product() {
        assert_eq!(Config::published().gap_score(), 1.6500000000000001);
    }
}
