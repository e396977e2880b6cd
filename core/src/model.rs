//! The fixed domain: clusters, their policy areas, and the validated cluster record.

use serde::Serialize;

/// One of the four meso clusters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub enum ClusterId {
    /// `CLUSTER_MESO_1`
    #[serde(rename = "CLUSTER_MESO_1")]
    Meso1,
    /// `CLUSTER_MESO_2`
    #[serde(rename = "CLUSTER_MESO_2")]
    Meso2,
    /// `CLUSTER_MESO_3`
    #[serde(rename = "CLUSTER_MESO_3")]
    Meso3,
    /// `CLUSTER_MESO_4`
    #[serde(rename = "CLUSTER_MESO_4")]
    Meso4,
}

impl ClusterId {
    /// All four, in canonical order.
    pub const ALL: [ClusterId; 4] = [
        ClusterId::Meso1,
        ClusterId::Meso2,
        ClusterId::Meso3,
        ClusterId::Meso4,
    ];

    /// Parses `CLUSTER_MESO_n`.
    pub fn parse(s: &str) -> Option<ClusterId> {
        ClusterId::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The position in [`ClusterId::ALL`] (0..=3).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The id as the pipeline writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterId::Meso1 => "CLUSTER_MESO_1",
            ClusterId::Meso2 => "CLUSTER_MESO_2",
            ClusterId::Meso3 => "CLUSTER_MESO_3",
            ClusterId::Meso4 => "CLUSTER_MESO_4",
        }
    }

    /// The fixed policy-area composition.
    pub fn areas(self) -> &'static [&'static str] {
        match self {
            ClusterId::Meso1 => &["PA01", "PA02", "PA03"],
            ClusterId::Meso2 => &["PA04", "PA05", "PA06"],
            ClusterId::Meso3 => &["PA07", "PA08"],
            ClusterId::Meso4 => &["PA09", "PA10"],
        }
    }

    /// The pipeline's name of the cluster.
    pub fn name(self) -> &'static str {
        match self {
            ClusterId::Meso1 => "Legal & Institutional Framework",
            ClusterId::Meso2 => "Implementation & Operational Capacity",
            ClusterId::Meso3 => "Monitoring & Evaluation Systems",
            ClusterId::Meso4 => "Strategic Planning & Sustainability",
        }
    }
}

/// The ten policy areas, id and pipeline name.
pub const POLICY_AREAS: [(&str, &str); 10] = [
    ("PA01", "mujeres_genero"),
    ("PA02", "violencia_conflicto"),
    ("PA03", "ambiente_cambio_climatico"),
    ("PA04", "derechos_economicos_sociales_culturales"),
    ("PA05", "victimas_paz"),
    ("PA06", "ninez_adolescencia_juventud"),
    ("PA07", "tierras_territorios"),
    ("PA08", "lideres_defensores"),
    ("PA09", "crisis_PPL"),
    ("PA10", "migracion"),
];

/// The pipeline name of a policy area (`PA05` → `victimas_paz`).
pub fn area_name(id: &str) -> Option<&'static str> {
    POLICY_AREAS.iter().find(|(a, _)| *a == id).map(|(_, n)| *n)
}

/// One cluster of a validated Phase 6 input: every field checked, defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The cluster.
    pub id: ClusterId,
    /// `cluster_name` as given.
    pub name: Option<String>,
    /// `areas` as given (a permutation of the composition, possibly with repeats), each
    /// the composition's own name.
    pub areas: Vec<&'static str>,
    /// In [0, 3].
    pub score: f64,
    /// In [0, 1].
    pub coherence: f64,
    /// Finite, ≥ 0.
    pub variance: f64,
    /// One of the cluster's areas, or `None`.
    pub weakest_area: Option<String>,
    /// Finite, ≥ 0 (default 0.0).
    pub score_std: f64,
    /// In [0, 1] (default 0.0).
    pub penalty_applied: f64,
    /// Default `moderate`.
    pub dispersion_scenario: String,
    /// Default `weighted_average`.
    pub aggregation_method: String,
    /// Default empty (then a PRE-7.4 warning).
    pub provenance_node_id: String,
    /// Default true.
    pub validation_passed: bool,
    /// Whether `area_scores` (an array) is present. Its content is carried through in the
    /// document ([`crate::ValidatedPhase6::document`]) and bound by the digests; nothing
    /// here copies it.
    pub has_area_scores: bool,
}
