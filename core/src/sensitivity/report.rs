//! The whole analysis of one run in one document: what `phase7 sensitivity --format json`
//! prints and what the wasm `sensitivity` function returns.
//!
//! A [`Report`] holds the band analysis ([`analyse`]), the seeded Monte Carlo
//! ([`monte_carlo()`]) and, when weights are given, a what-if ([`what_if()`]), each exactly as
//! the core serializes it, plus the input digest of the run it is about. Like every part
//! of it, it is labelled `"certified": false`.

use serde::Serialize;

use crate::{
    phase::Run,
    sensitivity::{
        analyse, monte_carlo, what_if, BandAnalysis, Model, MonteCarlo, Params, SensitivityError,
        WhatIf, WhatIfWeights, NOT_CERTIFIED_NOTE,
    },
};

/// The `kind` of a [`Report`].
pub const REPORT_KIND: &str = "phase7/sensitivity/report";

/// The sensitivity analysis of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(
    all(feature = "wasm", target_arch = "wasm32"),
    derive(tsify::Tsify),
    tsify(rename = "SensitivityReport")
)]
pub struct Report {
    /// [`REPORT_KIND`].
    pub kind: &'static str,
    /// Always `false`.
    pub certified: bool,
    /// [`NOT_CERTIFIED_NOTE`].
    pub note: &'static str,
    /// The run's input digest (SHA-256 of the RFC 8785 encoding of the Phase 6 document).
    pub input_digest: String,
    /// Band margin and band probabilities.
    pub analysis: BandAnalysis,
    /// The seeded Monte Carlo.
    pub monte_carlo: MonteCarlo,
    /// The what-if, when weights were given; `null` otherwise.
    pub what_if: Option<WhatIf>,
}

/// The sensitivity analysis of a run under its own configuration.
///
/// # Errors
///
/// The parameters' errors ([`Params::validate`]: `DRAWS_OUT_OF_RANGE`,
/// `SEED_OUT_OF_RANGE`, `WEIGHT_RANGE_INVALID`), then those of [`Model::from_input`] and
/// [`what_if()`].
///
/// # Example
///
/// ```
/// use phase7_core::{phase, sensitivity::{report, Params}};
/// let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
/// let run = phase::run(bytes, &Default::default()).unwrap();
/// let params = Params { draws: 500, ..Params::default() };
/// let r = report(&run, &params, None).unwrap();
/// assert!(!r.certified && r.what_if.is_none());
/// assert_eq!(r.input_digest, run.digests.input);
/// assert_eq!(r.monte_carlo.body.parameters.draws, 500);
/// ```
pub fn report(
    run: &Run,
    params: &Params,
    weights: Option<&WhatIfWeights>,
) -> Result<Report, SensitivityError> {
    params.validate()?;
    let model = Model::from_input(&run.input, &run.config)?;
    let what_if = weights
        .map(|w| what_if(&run.input, &run.config, w))
        .transpose()?;
    Ok(Report {
        kind: REPORT_KIND,
        certified: false,
        note: NOT_CERTIFIED_NOTE,
        input_digest: run.digests.input.clone(),
        analysis: analyse(&model),
        monte_carlo: monte_carlo(&model, params)?,
        what_if,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{phase, sensitivity::tests::SAMPLE};

    #[test]
    fn parameters_are_checked_before_anything_is_computed() {
        let run = phase::run(SAMPLE, &Default::default()).unwrap();
        let bad = Params {
            draws: 0,
            ..Params::default()
        };
        assert_eq!(
            report(&run, &bad, None).unwrap_err().code(),
            "DRAWS_OUT_OF_RANGE"
        );
    }

    #[test]
    fn the_parts_are_the_core_functions_results() {
        let run = phase::run(SAMPLE, &Default::default()).unwrap();
        let params = Params {
            draws: 300,
            seed: 9,
            weight_range: 0.1,
        };
        let w = WhatIfWeights::parse("w=1,2,3,4").unwrap();
        let r = report(&run, &params, Some(&w)).unwrap();
        let model = Model::from_input(&run.input, &run.config).unwrap();
        assert_eq!(r.analysis, analyse(&model));
        assert_eq!(r.monte_carlo, monte_carlo(&model, &params).unwrap());
        assert_eq!(
            r.what_if,
            Some(what_if(&run.input, &run.config, &w).unwrap())
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["kind"], REPORT_KIND);
        assert_eq!(json["certified"], false);
        assert_eq!(json["what_if"]["text"], "w=1,2,3,4");
    }
}
