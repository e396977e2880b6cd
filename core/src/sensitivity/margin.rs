//! Band margin: how far `score_normalized` is from the nearest band threshold.
//!
//! Sign convention: every distance is `score_normalized − threshold`. Positive (or zero)
//! means the score is at or above the threshold, so the band starting at the threshold
//! (or a higher one) holds; negative means it is below. The band is decided by
//! `score_normalized ≥ t`, so `distance_ulps ≥ 0` exactly when the score is on the upper
//! side.
//!
//! `distance_ulps` counts the f64 values between the two: the number of steps of one ulp
//! from the threshold to the score (exact integer arithmetic on the bit patterns, −0.0
//! counted as +0.0), saturated at ±(2^53 − 1) so that JSON and JavaScript carry it
//! exactly (only scores below about 0.3 are that far from every threshold).
//!
//! A [`BandMarginWarning`] (`BAND_MARGIN`) is raised when `|distance_ulps| ≤ 4`
//! ([`BAND_MARGIN_ULPS`]). Why 4: the score is a sum of four products divided by 3, and
//! arithmetic that is merely "close" (another summation order, Python < 3.12's plain
//! `sum()`, a fused multiply-add) moves it by one or two ulps; four leaves room for that
//! and flags every band that such a difference could flip. Four clusters at exactly 1.65
//! give 0.5499999999999999, one ulp below 0.55: INSUFICIENTE by rounding, warned.
//!
//! The warning is analysis, not an input warning: it never enters the run's warnings,
//! strict mode, the audit trail or a certificate.

use serde::{ser::SerializeStruct, Serialize, Serializer};

use crate::{
    config::Config, read::json::number_text, stages::aggregate::quality,
    stages::aggregate::QualityLevel,
};

/// `BAND_MARGIN` is raised when the score is this many ulps or fewer from a threshold.
pub const BAND_MARGIN_ULPS: u64 = 4;

/// `distance_ulps` saturates here (2^53 − 1, the largest integer a JavaScript number
/// holds exactly).
pub const MAX_REPORTED_ULPS: i64 = (1 << 53) - 1;

/// The margin of a normalised score.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(all(feature = "wasm", target_arch = "wasm32"), derive(tsify::Tsify))]
pub struct BandMargin {
    /// The normalised score.
    pub score_normalized: f64,
    /// Its band.
    pub band: QualityLevel,
    /// The nearest threshold (normalised scale), by ulp count; of two equally near ones,
    /// the lower.
    pub threshold: f64,
    /// The band that starts at that threshold.
    pub threshold_band: QualityLevel,
    /// `score_normalized − threshold`, one f64 subtraction (exact near the threshold).
    pub distance: f64,
    /// `distance × score_max`: the same distance on the 0–3 scale of the score.
    pub distance_score: f64,
    /// Signed ulp count from the threshold to the score (saturated at ±(2^53 − 1)).
    pub distance_ulps: i64,
    /// `BAND_MARGIN` when `|distance_ulps| ≤ 4`.
    pub warning: Option<BandMarginWarning>,
}

/// `BAND_MARGIN`: the band is decided within [`BAND_MARGIN_ULPS`] ulps of a threshold.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error(
    "band {} decided {} ulp(s) {} the {} threshold {} (score_normalized {}): \
     a difference in the last bits of the arithmetic would change it",
    band.as_str(), distance_ulps.unsigned_abs(),
    if *distance_ulps >= 0 { "above" } else { "below" },
    threshold_band.as_str(), number_text(*threshold), number_text(*score_normalized)
)]
pub struct BandMarginWarning {
    /// The band as decided.
    pub band: QualityLevel,
    /// The threshold it is close to.
    pub threshold: f64,
    /// The band that starts at that threshold.
    pub threshold_band: QualityLevel,
    /// The normalised score.
    pub score_normalized: f64,
    /// Signed ulp count from the threshold to the score.
    pub distance_ulps: i64,
}

impl BandMarginWarning {
    /// The stable machine code.
    pub const CODE: &'static str = "BAND_MARGIN";

    /// The stable machine code, `BAND_MARGIN`.
    pub fn code(&self) -> &'static str {
        Self::CODE
    }
}

/// Serialized as `{code, severity: "warning", message, threshold, distance_ulps}`.
impl Serialize for BandMarginWarning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("BandMarginWarning", 5)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("severity", "warning")?;
        st.serialize_field("message", &self.to_string())?;
        st.serialize_field("threshold", &self.threshold)?;
        st.serialize_field("distance_ulps", &self.distance_ulps)?;
        st.end()
    }
}

/// The margin of `score_normalized` under the configuration's quality thresholds.
///
/// A non-finite `score_normalized` (no run produces one) is measured as if it were the
/// nearest finite value, so the result is always serializable.
///
/// # Example
///
/// ```
/// use phase7_core::{config::Config, sensitivity::band_margin};
/// let m = band_margin(0.5499999999999999, &Config::published());
/// assert_eq!((m.threshold, m.distance_ulps), (0.55, -1));
/// assert_eq!(m.warning.unwrap().code(), "BAND_MARGIN");
/// ```
pub fn band_margin(score_normalized: f64, config: &Config) -> BandMargin {
    let n = if score_normalized.is_nan() {
        0.0
    } else {
        score_normalized.clamp(f64::MIN, f64::MAX)
    };
    let t = &config.quality_thresholds;
    let candidates = [
        (t.aceptable, QualityLevel::Aceptable),
        (t.bueno, QualityLevel::Bueno),
        (t.excelente, QualityLevel::Excelente),
    ];
    let mut best = (
        candidates[0].0,
        candidates[0].1,
        ulps_between(n, candidates[0].0),
    );
    for &(threshold, band) in &candidates[1..] {
        let d = ulps_between(n, threshold);
        if d.unsigned_abs() < best.2.unsigned_abs() {
            best = (threshold, band, d);
        }
    }
    let (threshold, threshold_band, exact_ulps) = best;
    let distance_ulps = exact_ulps.clamp(
        i128::from(-MAX_REPORTED_ULPS),
        i128::from(MAX_REPORTED_ULPS),
    ) as i64;
    let band = quality(n, config);
    let distance = n - threshold;
    let warning =
        (exact_ulps.unsigned_abs() <= u128::from(BAND_MARGIN_ULPS)).then_some(BandMarginWarning {
            band,
            threshold,
            threshold_band,
            score_normalized: n,
            distance_ulps,
        });
    BandMargin {
        score_normalized: n,
        band,
        threshold,
        threshold_band,
        distance,
        distance_score: distance * config.score_max,
        distance_ulps,
        warning,
    }
}

/// The position of a finite f64 on the line of all f64 values, in ulp steps (−0.0 and
/// +0.0 are the same point).
fn ordinal(x: f64) -> i64 {
    let bits = (x + 0.0).to_bits() as i64;
    if bits < 0 {
        // Negative: sign bit set, magnitude in the other 63 bits.
        i64::MIN - bits
    } else {
        bits
    }
}

/// Signed ulp steps from `from` to `to` (exact; i128 cannot overflow).
fn ulps_between(to: f64, from: f64) -> i128 {
    i128::from(ordinal(to)) - i128::from(ordinal(from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next_up(x: f64) -> f64 {
        f64::from_bits(x.to_bits() + 1)
    }

    #[test]
    fn ulp_counting_is_exact_across_zero_and_binades() {
        assert_eq!(ulps_between(0.55, 0.55), 0);
        assert_eq!(ulps_between(next_up(0.55), 0.55), 1);
        assert_eq!(ulps_between(0.5499999999999999, 0.55), -1);
        assert_eq!(ulps_between(-0.0, 0.0), 0);
        assert_eq!(ulps_between(5e-324, -5e-324), 2);
        // 0.5 is a binade boundary: the ulp below it is half the ulp above it.
        assert_eq!(
            ulps_between(0.5 + f64::EPSILON / 2.0, 0.5 - f64::EPSILON / 4.0),
            2
        );
        assert_eq!(
            ulps_between(f64::MAX, f64::MIN),
            2 * i128::from(ordinal(f64::MAX))
        );
    }

    #[test]
    fn edges_of_the_spec() {
        let cfg = Config::published();
        // 2.55 / 3.0 is exactly 0.85: EXCELENTE, 0 ulps, warned.
        let m = band_margin(2.55 / 3.0, &cfg);
        assert_eq!(
            (m.band, m.threshold, m.distance_ulps),
            (QualityLevel::Excelente, 0.85, 0)
        );
        assert_eq!(m.distance.to_bits(), 0.0f64.to_bits());
        assert!(m.warning.is_some());
        // 2.1 / 3.0 is 0.7000000000000001, one ulp above 0.70: BUENO, warned.
        let m = band_margin(2.1 / 3.0, &cfg);
        assert_eq!(
            (m.band, m.threshold, m.distance_ulps),
            (QualityLevel::Bueno, 0.7, 1)
        );
        let w = m.warning.unwrap();
        assert_eq!(
            w.to_string(),
            "band BUENO decided 1 ulp(s) above the BUENO threshold 0.7 \
             (score_normalized 0.7000000000000001): a difference in the last bits of the \
             arithmetic would change it"
        );
        // Four ulps warn, five do not.
        let mut x = 0.85;
        for _ in 0..4 {
            x = next_up(x);
        }
        assert!(band_margin(x, &cfg).warning.is_some());
        assert!(band_margin(next_up(x), &cfg).warning.is_none());
        let below = f64::from_bits(0.55f64.to_bits() - 5);
        let m = band_margin(below, &cfg);
        assert_eq!((m.distance_ulps, m.band), (-5, QualityLevel::Insuficiente));
        assert!(m.warning.is_none());
    }

    #[test]
    fn the_sample_is_far_from_its_threshold_and_the_sign_says_which_side() {
        let cfg = Config::published();
        // The sample: 1.6970916666666667 / 3.0.
        let n = 1.6970916666666667 / 3.0;
        let m = band_margin(n, &cfg);
        assert_eq!(m.threshold, 0.55);
        assert_eq!(m.band, QualityLevel::Aceptable);
        assert!(m.distance > 0.0 && m.distance_ulps > 0);
        assert_eq!(m.distance.to_bits(), (n - 0.55).to_bits());
        assert_eq!(m.distance_score.to_bits(), ((n - 0.55) * 3.0).to_bits());
        assert!(m.warning.is_none());
        // Nearest by ulps: 0.62 is nearer 0.55 than 0.70; 0.63 nearer 0.70.
        assert_eq!(band_margin(0.62, &cfg).threshold, 0.55);
        assert_eq!(band_margin(0.63, &cfg).threshold, 0.7);
        assert!(band_margin(0.63, &cfg).distance_ulps < 0);
    }

    #[test]
    fn far_scores_saturate_and_odd_inputs_stay_serializable() {
        let cfg = Config::published();
        let m = band_margin(0.0, &cfg);
        assert_eq!(m.distance_ulps, -MAX_REPORTED_ULPS);
        assert_eq!(m.band, QualityLevel::Insuficiente);
        let m = band_margin(f64::NAN, &cfg);
        assert!(m.distance.is_finite());
        let m = band_margin(f64::INFINITY, &cfg);
        assert_eq!(m.distance_ulps, MAX_REPORTED_ULPS);
        // Serializable as JSON text (a non-finite number is null there); no digest is
        // ever taken of a non-finite value: the canonical writer refuses one.
        assert!(serde_json::to_string(&m).is_ok());
        assert!(crate::attest::digest::of(&m).is_err());
    }
}
