//! What-if weights: the run recomputed under edited cluster weights, never certified.
//!
//! Four weights in the canonical cluster order (MESO_1, MESO_2, MESO_3, MESO_4, whatever
//! the input order), each finite and ≥ 0, adding up to more than 0, are normalised
//! (`w_i / psum(w)`) into a copy of the configuration, and the run's own functions
//! (`weighted_score`, `quality`, `gaps`, the uncertainty model) recompute the score, band,
//! margin, band probabilities and gaps. The digest of the edited configuration is
//! reported beside the published one; unless they are equal the result says "not the
//! published configuration — not certifiable". No what-if is ever certified.
//!
//! # The compact text
//!
//! `w=0.3,0.2,0.25,0.25`: the four weights as given (not normalised, so the text reads
//! back to the same bits), in canonical order. Grammar: `w=` then four numbers separated
//! by `,`, each `digits` or `digits.digits` (ASCII, no sign, exponent or spaces), at most
//! 2048 bytes in all. A URL parameter or a CLI option carries it as is.
//! [`WhatIfWeights::to_text`] prints each weight as Rust's `{}` does (the shortest
//! decimal that reads back to the same f64, never an exponent), so
//! `parse(to_text(w)) == w`.

use std::{fmt, str::FromStr};

use serde::Serialize;

use crate::{
    config::{Config, PUBLISHED_CONFIG_DIGEST},
    model::ClusterId,
    read::bridge::ValidatedPhase6,
    sensitivity::{
        band_margin, band_probabilities, error::quote, BandMargin, BandProbabilities, Model,
        SensitivityError, NOT_CERTIFIED_NOTE,
    },
    stages::aggregate::{gaps, quality, weighted_score, QualityLevel, Severity, WeightedScore},
    stages::pymath::psum,
};

/// Longest accepted what-if text, in bytes.
pub const MAX_TEXT_BYTES: usize = 2048;

/// The banner of a what-if whose configuration is not the published one.
pub const NOT_PUBLISHED_BANNER: &str = "not the published configuration — not certifiable";

/// The banner of a what-if whose configuration digest equals the published one.
pub const PUBLISHED_BANNER: &str =
    "the published configuration: these are the run's numbers (a what-if is never certified)";

/// Four edited cluster weights, validated: finite, ≥ 0, sum > 0. Canonical order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WhatIfWeights {
    given: [f64; 4],
}

impl WhatIfWeights {
    /// Validates four weights (MESO_1..MESO_4); −0.0 is taken as 0.0.
    ///
    /// # Errors
    ///
    /// `WHAT_IF_WEIGHT_INVALID` naming the cluster and the value (not finite, or
    /// negative); `WHAT_IF_WEIGHTS_SUM_ZERO` when they add up to 0.
    pub fn new(weights: [f64; 4]) -> Result<WhatIfWeights, SensitivityError> {
        let mut given = [0.0; 4];
        for (i, &w) in weights.iter().enumerate() {
            let cluster = ClusterId::ALL[i].as_str();
            if !w.is_finite() {
                return Err(SensitivityError::WeightInvalid {
                    cluster,
                    value: w,
                    reason: "must be finite",
                });
            }
            if w < 0.0 {
                return Err(SensitivityError::WeightInvalid {
                    cluster,
                    value: w,
                    reason: "must be ≥ 0",
                });
            }
            given[i] = w + 0.0;
        }
        let sum = psum(&given);
        // Finite weights can still add up to infinity (4 × 1e308).
        if !(sum > 0.0 && sum.is_finite()) {
            return Err(SensitivityError::WeightsSumZero { sum });
        }
        Ok(WhatIfWeights { given })
    }

    /// Parses the compact text `w=a,b,c,d`.
    ///
    /// # Errors
    ///
    /// `WHAT_IF_SYNTAX` quoting the text (escaped, cut) and saying what is wrong; then
    /// as [`WhatIfWeights::new`].
    ///
    /// # Example
    ///
    /// ```
    /// use phase7_core::sensitivity::WhatIfWeights;
    /// let w = WhatIfWeights::parse("w=3,2,2.5,2.5").unwrap();
    /// assert_eq!(w.normalised(), [0.3, 0.2, 0.25, 0.25]);
    /// assert_eq!(w.to_text(), "w=3,2,2.5,2.5");
    /// assert_eq!(WhatIfWeights::parse("w=1,2,3").unwrap_err().code(), "WHAT_IF_SYNTAX");
    /// ```
    pub fn parse(text: &str) -> Result<WhatIfWeights, SensitivityError> {
        let syntax = |reason: String| SensitivityError::WhatIfSyntax {
            text: quote(text),
            reason,
        };
        if text.len() > MAX_TEXT_BYTES {
            return Err(syntax(format!(
                "longer than {MAX_TEXT_BYTES} bytes ({})",
                text.len()
            )));
        }
        let Some(list) = text.strip_prefix("w=") else {
            return Err(syntax("must start with \"w=\"".into()));
        };
        let mut weights = [0.0; 4];
        let mut count = 0;
        for (i, token) in list.split(',').enumerate() {
            if i >= 4 {
                count = i + 1;
                continue;
            }
            if !is_plain_decimal(token) {
                return Err(syntax(format!(
                    "weight {} ({}) {} is not a plain decimal number such as 0.25",
                    i + 1,
                    ClusterId::ALL[i].as_str(),
                    quote(token)
                )));
            }
            // A plain decimal always parses (possibly to infinity, rejected by `new`).
            weights[i] = token
                .parse()
                .map_err(|_| syntax(format!("weight {} {} does not parse", i + 1, quote(token))))?;
            count = i + 1;
        }
        if count != 4 {
            return Err(syntax(format!("has {count} weights, not 4")));
        }
        WhatIfWeights::new(weights)
    }

    /// The compact text, `w=` and the weights as given.
    pub fn to_text(&self) -> String {
        let [a, b, c, d] = self.given.map(crate::decimal::display);
        format!("w={a},{b},{c},{d}")
    }

    /// The weights as given (MESO_1..MESO_4).
    pub fn given(&self) -> [f64; 4] {
        self.given
    }

    /// `w_i / psum(w)` (MESO_1..MESO_4).
    pub fn normalised(&self) -> [f64; 4] {
        let sum = psum(&self.given);
        self.given.map(|w| w / sum)
    }

    /// `base` with its cluster weights replaced by the normalised ones.
    pub fn config(&self, base: &Config) -> Config {
        let mut config = base.clone();
        let normalised = self.normalised();
        for (id, w) in ClusterId::ALL.iter().zip(normalised) {
            config.cluster_weights.set(*id, w);
        }
        config
    }
}

impl FromStr for WhatIfWeights {
    type Err = SensitivityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WhatIfWeights::parse(s)
    }
}

impl fmt::Display for WhatIfWeights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// `digits` or `digits.digits`, ASCII.
fn is_plain_decimal(s: &str) -> bool {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('.') {
        None => digits(s),
        Some((int, frac)) => digits(int) && digits(frac),
    }
}

/// One cluster's weight in a what-if.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub struct WhatIfWeight {
    /// The cluster.
    pub cluster_id: ClusterId,
    /// As given.
    pub given: f64,
    /// Normalised: what the computation used.
    pub weight: f64,
}

/// One systemic gap.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub struct Gap {
    /// The policy area.
    pub area: String,
    /// Its severity.
    pub severity: Severity,
}

/// The run under edited weights.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub struct WhatIf {
    /// `"phase7/sensitivity/what_if"`.
    pub kind: &'static str,
    /// Always `false`.
    pub certified: bool,
    /// [`NOT_CERTIFIED_NOTE`].
    pub note: &'static str,
    /// [`NOT_PUBLISHED_BANNER`] or [`PUBLISHED_BANNER`].
    pub banner: &'static str,
    /// The compact text that reproduces this what-if.
    pub text: String,
    /// The weights, MESO_1..MESO_4.
    pub weights: Vec<WhatIfWeight>,
    /// Stage 2 under the edited weights.
    pub weighted: WeightedScore,
    /// Stage 3 under the edited weights.
    pub quality_level: QualityLevel,
    /// The band margin.
    pub margin: BandMargin,
    /// The band probabilities under the edited weights.
    pub probabilities: BandProbabilities,
    /// Stage 5 (the gaps do not depend on the weights; recomputed all the same).
    pub systemic_gaps: Vec<Gap>,
    /// Score and band under the base configuration, for comparison.
    pub base_score: f64,
    /// The base configuration's band.
    pub base_quality_level: QualityLevel,
    /// SHA-256 of the edited configuration's RFC 8785 encoding.
    pub config_digest: String,
    /// [`PUBLISHED_CONFIG_DIGEST`].
    pub published_config_digest: &'static str,
    /// `config_digest == published_config_digest`.
    pub is_published_configuration: bool,
}

/// The run of `input` under `base` with its cluster weights replaced.
///
/// # Errors
///
/// [`SensitivityError::Computation`] when the propagated variance overflows (as the run
/// itself would fail) or a configuration cannot be digested.
///
/// # Example
///
/// ```
/// use phase7_core::{read::bridge, config::Config, sensitivity::{what_if, WhatIfWeights}};
/// let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
/// let input = bridge::read(bytes, &Default::default()).unwrap();
/// let w = WhatIfWeights::parse("w=0.4,0.1,0.1,0.4").unwrap();
/// let r = what_if(&input, &Config::published(), &w).unwrap();
/// assert!(!r.certified && !r.is_published_configuration);
/// assert_eq!(r.banner, "not the published configuration — not certifiable");
/// ```
pub fn what_if(
    input: &ValidatedPhase6,
    base: &Config,
    weights: &WhatIfWeights,
) -> Result<WhatIf, SensitivityError> {
    let config = weights.config(base);
    let weighted = weighted_score(input, &config);
    let quality_level = quality(weighted.score_normalized, &config);
    let model = Model::from_input(input, &config)?;
    let base_weighted = weighted_score(input, base);
    let config_digest = model.config_digest().to_string();
    let is_published_configuration = config_digest == PUBLISHED_CONFIG_DIGEST;
    Ok(WhatIf {
        kind: "phase7/sensitivity/what_if",
        certified: false,
        note: NOT_CERTIFIED_NOTE,
        banner: if is_published_configuration {
            PUBLISHED_BANNER
        } else {
            NOT_PUBLISHED_BANNER
        },
        text: weights.to_text(),
        weights: ClusterId::ALL
            .iter()
            .zip(weights.given())
            .zip(weights.normalised())
            .map(|((&cluster_id, given), weight)| WhatIfWeight {
                cluster_id,
                given,
                weight,
            })
            .collect(),
        margin: band_margin(weighted.score_normalized, &config),
        probabilities: band_probabilities(&model),
        systemic_gaps: gaps(input, &config)
            .areas
            .into_iter()
            .map(|(area, severity)| Gap { area, severity })
            .collect(),
        base_score: base_weighted.score,
        base_quality_level: quality(base_weighted.score_normalized, base),
        weighted,
        quality_level,
        config_digest,
        published_config_digest: PUBLISHED_CONFIG_DIGEST,
        is_published_configuration,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{phase, read::bridge};

    fn sample() -> ValidatedPhase6 {
        bridge::read(crate::sensitivity::tests::SAMPLE, &Default::default()).unwrap()
    }

    #[test]
    fn published_weights_reproduce_the_run_and_its_digest() {
        let run = phase::run(crate::sensitivity::tests::SAMPLE, &Default::default()).unwrap();
        for text in ["w=0.25,0.25,0.25,0.25", "w=1,1,1,1", "w=7.5,7.5,7.5,7.5"] {
            let r = what_if(&sample(), &Config::published(), &text.parse().unwrap()).unwrap();
            assert!(r.is_published_configuration, "{text}");
            assert_eq!(r.banner, PUBLISHED_BANNER);
            assert!(!r.certified);
            assert_eq!(r.config_digest, run.digests.config);
            assert_eq!(r.weighted.score.to_bits(), run.macro_score.score.to_bits());
            assert_eq!(r.quality_level, run.macro_score.quality_level);
            let areas: Vec<&str> = r.systemic_gaps.iter().map(|g| g.area.as_str()).collect();
            assert_eq!(areas, run.macro_score.systemic_gaps);
            assert_eq!(r.text, text);
        }
    }

    #[test]
    fn edited_weights_change_score_band_and_digest() {
        let w = WhatIfWeights::parse("w=0.5,0,0,0.5").unwrap();
        let r = what_if(&sample(), &Config::published(), &w).unwrap();
        assert!(!r.is_published_configuration);
        assert_ne!(r.config_digest, PUBLISHED_CONFIG_DIGEST);
        assert_eq!(r.banner, NOT_PUBLISHED_BANNER);
        let expected = psum(&[0.5 * 2.1266666666666665, 0.0, 0.0, 0.5 * 2.21]);
        assert_eq!(r.weighted.raw.to_bits(), expected.to_bits());
        assert_eq!(r.quality_level, QualityLevel::Bueno);
        assert_eq!(r.base_quality_level, QualityLevel::Aceptable);
        assert_eq!(r.weights[0].weight, 0.5);
        assert_eq!(r.margin.band, QualityLevel::Bueno);
        assert!(crate::attest::digest::of(&r).is_ok());
    }

    #[test]
    fn text_round_trips_to_the_same_bits() {
        for given in [
            [0.3, 0.2, 0.25, 0.25],
            [1e-7, 1e21, 0.1, 0.0],
            [5e-324, 0.0, 0.0, 0.0],
            [1.0 / 3.0, 2.0 / 3.0, 0.7000000000000001, 123456.789],
        ] {
            let w = WhatIfWeights::new(given).unwrap();
            let text = w.to_text();
            assert!(text.len() <= MAX_TEXT_BYTES);
            let back = WhatIfWeights::parse(&text).unwrap();
            assert_eq!(
                back.given().map(f64::to_bits),
                given.map(f64::to_bits),
                "{text}"
            );
        }
        assert_eq!(
            WhatIfWeights::new([-0.0, 1.0, 0.0, 0.0]).unwrap().to_text(),
            "w=0,1,0,0"
        );
    }

    #[test]
    fn bad_texts_are_rejected_with_coded_errors() {
        let cases = [
            (
                "0.25,0.25,0.25,0.25",
                "WHAT_IF_SYNTAX",
                "must start with \"w=\"",
            ),
            ("w=0.25,0.25,0.25", "WHAT_IF_SYNTAX", "has 3 weights, not 4"),
            (
                "w=0.2,0.2,0.2,0.2,0.2",
                "WHAT_IF_SYNTAX",
                "has 5 weights, not 4",
            ),
            (
                "w=0.25,-0.25,0.5,0.5",
                "WHAT_IF_SYNTAX",
                "weight 2 (CLUSTER_MESO_2) \"-0.25\"",
            ),
            ("w=0.25,0.25,1e3,0.25", "WHAT_IF_SYNTAX", "weight 3"),
            ("w=.5,0.25,0.25,0.25", "WHAT_IF_SYNTAX", "weight 1"),
            ("w=0.5,0.25,0.25,0.25 ", "WHAT_IF_SYNTAX", "weight 4"),
            ("w=0.5,,0.25,0.25", "WHAT_IF_SYNTAX", "weight 2"),
            ("w=NaN,1,1,1", "WHAT_IF_SYNTAX", "weight 1"),
            ("w=0,0,0,0", "WHAT_IF_WEIGHTS_SUM_ZERO", "add up to 0"),
            ("w=\u{1b}[2J,1,1,1", "WHAT_IF_SYNTAX", "\\u{1b}"),
            ("w=٣,1,1,1", "WHAT_IF_SYNTAX", "weight 1"),
        ];
        for (text, code, part) in cases {
            let e = WhatIfWeights::parse(text).unwrap_err();
            assert_eq!(e.code(), code, "{text}");
            assert!(e.to_string().contains(part), "{text}: {e}");
            assert!(!e.to_string().contains('\u{1b}'));
        }
        let huge = format!("w=1{},1,1,1", "0".repeat(400));
        let e = WhatIfWeights::parse(&huge).unwrap_err();
        assert_eq!(e.code(), "WHAT_IF_WEIGHT_INVALID");
        assert!(e
            .to_string()
            .starts_with("CLUSTER_MESO_1: weight = Infinity"));
        let long = format!("w={}", "1".repeat(MAX_TEXT_BYTES));
        assert!(WhatIfWeights::parse(&long)
            .unwrap_err()
            .to_string()
            .contains("longer than 2048 bytes"));
        let e = WhatIfWeights::new([1e308, 1e308, 1e308, 1e308]).unwrap_err();
        assert_eq!(e.code(), "WHAT_IF_WEIGHTS_SUM_ZERO");
        let e = WhatIfWeights::new([0.5, f64::NAN, 0.5, 0.0]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "CLUSTER_MESO_2: weight = NaN: must be finite"
        );
    }
}
