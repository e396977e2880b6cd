//! `phase7 sensitivity`: how firm is the band? The core's [`report`] of one Phase 6 file —
//! band margin, band probabilities under the pipeline's normal model, a seeded Monte
//! Carlo and, with `--what-if`, the run under edited weights — printed as text (every
//! line escaped by [`term`]) or, with `--format json`, as the core serializes it
//! ([`term::out_json`]).
//! NOT CERTIFIED: nothing is written, nothing enters a run, its audit trail or a
//! certificate.
//!
//! Order: the parameters are checked first (a value out of range is one
//! `error[CODE]: …` line and exit 1, before the file is read), then the file is read as
//! every input is ([`files::read_regular`], under `--max-input-bytes`) and run as
//! `phase7 run` runs it: a rejected input prints the same `error[CODE]` lines and exits 2.
//! A run whose own checks failed is analysed all the same, its failures printed, exit 3.
//!
//! `BAND_MARGIN`, a warning of the analysis, is a `warning[BAND_MARGIN]: …` line of the
//! text report (stdout); with `--format json` it is in the JSON and on stderr.

use phase7_core::error::Phase7Error;
use phase7_core::sensitivity::monte_carlo::{Factor, OatCase};
use phase7_core::sensitivity::{report, BandMargin, PerBand, Report, WhatIf, WhatIfWeights};
use phase7_core::stages::aggregate::QualityLevel;

use crate::cli::{Format, SensitivityArgs};
use crate::exit::{self, Fail};
use crate::{files, term};

/// The bands, best first (the order of the core's JSON).
const BANDS: [QualityLevel; 4] = [
    QualityLevel::Excelente,
    QualityLevel::Bueno,
    QualityLevel::Aceptable,
    QualityLevel::Insuficiente,
];

/// The first and last line of every text report.
pub const NOT_CERTIFIED: &str = "NOT CERTIFIED — analysis only: not part of the run, its \
     audit trail or any certificate";

/// Runs `phase7 sensitivity`; returns the exit code.
pub fn main(args: &SensitivityArgs) -> u8 {
    sensitivity(args).unwrap_or_else(|f| f.report())
}

fn coded(e: &phase7_core::sensitivity::SensitivityError) -> Fail {
    Fail::new(e.code(), e.to_string())
}

fn sensitivity(args: &SensitivityArgs) -> Result<u8, Fail> {
    let params = args.params();
    params.validate().map_err(|e| coded(&e))?;
    let weights = args
        .what_if
        .as_deref()
        .map(WhatIfWeights::parse)
        .transpose()
        .map_err(|e| coded(&e))?;

    let mut options = phase7_core::phase::RunOptions::default();
    let limit = args.limits.bytes();
    options.limits.max_input_bytes = limit;
    let bytes = match files::read_regular(&args.input, limit)? {
        Ok(loaded) => loaded.bytes,
        Err(actual) => {
            let e = Phase7Error::too_large(limit, actual);
            crate::run::report_errors(&e);
            return Ok(exit::of_error(&e));
        }
    };
    let run = match phase7_core::phase::run(&bytes, &options) {
        Ok(run) => run,
        Err(e) => {
            crate::run::report_errors(&e);
            return Ok(exit::of_error(&e));
        }
    };
    for w in run.warnings() {
        term::warning(w.code(), &w.to_string());
    }
    let report = report(&run, &params, weights.as_ref()).map_err(|e| coded(&e))?;
    match args.format {
        Format::Text => term::out_lines(&text(&report)),
        Format::Json => {
            for w in &report.analysis.warnings {
                term::warning(w.code(), &w.to_string());
            }
            term::out_json(&report)?;
        }
    }
    if !run.passed() {
        term::diagnostics(&run.failures());
        return Ok(exit::CHECK_FAILED);
    }
    Ok(exit::OK)
}

/// The exact text of an f64 (shortest that reads back to the same bits).
fn exact(x: f64) -> String {
    format!("{x:?}")
}

/// A probability or frequency for people: 0, four decimals, or two significant digits
/// when smaller than 0.00005 (`3.9e-16`). The JSON has every bit.
fn prob(p: f64) -> String {
    if p == 0.0 {
        "0".into()
    } else if p.abs() >= 0.00005 {
        format!("{p:.4}")
    } else {
        format!("{p:.1e}")
    }
}

/// An index (may be slightly negative from sampling error), or `-` when undefined.
fn index(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |x| format!("{x:.4}"))
}

/// `25` per mille → `2.5 %`.
fn percent(per_mille: u32) -> String {
    if per_mille.is_multiple_of(10) {
        format!("{} %", per_mille / 10)
    } else {
        format!("{}.{} %", per_mille / 10, per_mille % 10)
    }
}

/// The exact text with its sign: `+0.047…`, `-3.3306690738754696e-16`, `+0.0`.
fn signed(x: f64) -> String {
    if x.is_sign_negative() {
        exact(x)
    } else {
        format!("+{}", exact(x))
    }
}

fn signed_ulps(u: i64) -> String {
    format!("{u:+}")
}

/// A band margin in one line: `+0.047… on the score scale, +141388008301503 ulps: at or
/// above the ACEPTABLE threshold 0.55` (also `phase7 run`'s summary line).
pub fn margin_text(m: &BandMargin) -> String {
    let side = if m.distance_ulps >= 0 {
        "at or above"
    } else {
        "below"
    };
    format!(
        "{} on the score scale, {} ulps: {side} the {} threshold {}",
        signed(m.distance_score),
        signed_ulps(m.distance_ulps),
        m.threshold_band.as_str(),
        exact(m.threshold)
    )
}

fn margin_line(out: &mut Vec<String>, m: &BandMargin) {
    out.push(format!("band margin    {}", margin_text(m)));
    if let Some(w) = &m.warning {
        out.push(format!("warning[{}]: {w}", w.code()));
    }
}

fn probabilities(out: &mut Vec<String>, p: &PerBand<f64>, run_band: QualityLevel, tag: &str) {
    for band in BANDS {
        let mark = if band == run_band { tag } else { "" };
        out.push(format!(
            "  {:<13} {}{mark}",
            band.as_str(),
            prob(*p.get(band))
        ));
    }
}

/// The lines of the text report.
pub fn text(r: &Report) -> Vec<String> {
    let a = &r.analysis;
    let mc = &r.monte_carlo.body;
    let params = &mc.parameters;
    let mut out = vec![
        format!("phase7 sensitivity: {NOT_CERTIFIED}"),
        String::new(),
    ];
    out.push(format!("input digest   {}", r.input_digest));
    out.push(format!("config digest  {}", mc.model.config_digest));
    out.push(format!("score          {}", exact(a.nominal.score)));
    out.push(format!(
        "band           {} (score_normalized {})",
        a.nominal.band.as_str(),
        exact(a.nominal.score_normalized)
    ));
    margin_line(&mut out, &a.margin);

    let p = &a.probabilities;
    out.push(String::new());
    if p.degenerate {
        out.push("band probabilities: score_std is 0, all the mass on the run's band".into());
    } else {
        out.push(format!(
            "band probabilities (the pipeline's normal model: center {}, score_std {})",
            exact(p.center),
            exact(p.score_std)
        ));
    }
    probabilities(
        &mut out,
        &p.probabilities,
        p.run_band,
        "   (the run's band)",
    );

    out.push(String::new());
    out.push(format!(
        "Monte Carlo (seeded, NOT certified): seed {}, {} draws, {} model evaluations",
        params.seed, params.draws, params.model_evaluations
    ));
    out.push(format!(
        "  each weight × a uniform factor in [{}, {}) (weight range {}), renormalised;",
        exact(1.0 - params.weight_range),
        exact(1.0 + params.weight_range),
        exact(params.weight_range),
    ));
    out.push("  each score normal with its score_std, clipped to [0, 3]".into());
    out.push("  band frequencies".into());
    for band in BANDS {
        out.push(format!(
            "    {:<13} {:>7}  {}",
            band.as_str(),
            mc.band_counts.get(band),
            prob(*mc.band_frequencies.get(band))
        ));
    }
    out.push(format!(
        "  mean {:.4}  std {}",
        mc.mean,
        mc.std.map_or_else(|| "-".into(), |s| format!("{s:.4}"))
    ));
    let quantiles: Vec<String> = mc
        .quantiles
        .iter()
        .map(|q| format!("{} {:.4}", percent(q.per_mille), q.score))
        .collect();
    out.push(format!("  quantiles  {}", quantiles.join("   ")));

    out.push(String::new());
    out.push("one at a time (nominal scores; the weight moved, the others renormalised)".into());
    out.push(format!(
        "  {:<15} {:<12} {:>6}  {:>7}  {:<13} {:>8}",
        "cluster", "case", "factor", "score", "band", "delta"
    ));
    for row in &mc.one_at_a_time {
        let case = match row.case {
            OatCase::Dropped => "dropped",
            OatCase::WeightLow => "weight_low",
            OatCase::WeightHigh => "weight_high",
        };
        let (score, band, delta) = match (&row.outcome, row.delta) {
            (Some(o), Some(d)) => (
                format!("{:.4}", o.score),
                o.band.as_str(),
                format!("{d:+.4}"),
            ),
            _ => ("-".into(), "-", "-".into()),
        };
        out.push(format!(
            "  {:<15} {:<12} {:>6}  {:>7}  {:<13} {:>8}",
            row.cluster_id.as_str(),
            case,
            exact(row.factor),
            score,
            band,
            delta
        ));
    }

    out.push(String::new());
    out.push(format!(
        "sensitivity indices (Jansen; sampling error about ±{:.2} at {} draws)",
        1.0 / (params.draws as f64).sqrt(),
        params.draws
    ));
    out.push(format!(
        "  {:<7} {:<15} {:>11}  {:>11}",
        "input", "cluster", "first-order", "total-order"
    ));
    for i in &mc.indices {
        let factor = match i.factor {
            Factor::Weight => "weight",
            Factor::Score => "score",
        };
        out.push(format!(
            "  {:<7} {:<15} {:>11}  {:>11}",
            factor,
            i.cluster_id.as_str(),
            index(i.first_order),
            index(i.total_order)
        ));
    }

    if let Some(w) = &r.what_if {
        out.push(String::new());
        what_if(&mut out, w);
    }

    out.push(String::new());
    out.push(format!(
        "digest         {} (SHA-256 of the Monte Carlo result: the same input, seed, draws \
         and weight range give it on every platform)",
        r.monte_carlo.digest
    ));
    out.push("rounded for reading; --format json has every value exactly".into());
    out.push(NOT_CERTIFIED.into());
    out
}

fn what_if(out: &mut Vec<String>, w: &WhatIf) {
    out.push(format!("what-if {}: {}", w.text, w.banner));
    let weights: Vec<String> = w.weights.iter().map(|x| exact(x.weight)).collect();
    out.push(format!(
        "  weights        {} (normalised, MESO_1..MESO_4)",
        weights.join(", ")
    ));
    out.push(format!(
        "  score          {} (published weights: {})",
        exact(w.weighted.score),
        exact(w.base_score)
    ));
    out.push(format!(
        "  band           {} (published weights: {})",
        w.quality_level.as_str(),
        w.base_quality_level.as_str()
    ));
    let mut margin = Vec::new();
    margin_line(&mut margin, &w.margin);
    out.extend(margin.into_iter().map(|l| format!("  {l}")));
    out.push("  band probabilities".into());
    let mut p = Vec::new();
    probabilities(
        &mut p,
        &w.probabilities.probabilities,
        w.probabilities.run_band,
        "   (the what-if's band)",
    );
    out.extend(p.into_iter().map(|l| format!("  {l}")));
    out.push(format!("  config digest  {}", w.config_digest));
    out.push(format!("  published      {}", w.published_config_digest));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(prob(0.0), "0");
        assert_eq!(prob(0.8268790985505803), "0.8269");
        assert_eq!(prob(3.853262612155098e-16), "3.9e-16");
        assert_eq!(prob(1.0), "1.0000");
        assert_eq!(percent(25), "2.5 %");
        assert_eq!(percent(500), "50 %");
        assert_eq!(percent(975), "97.5 %");
        assert_eq!(index(None), "-");
        assert_eq!(index(Some(-0.00012)), "-0.0001");
        assert_eq!(signed_ulps(-1), "-1");
        assert_eq!(signed_ulps(0), "+0");
        assert_eq!(signed(0.5), "+0.5");
        assert_eq!(signed(-3.3306690738754696e-16), "-3.3306690738754696e-16");
    }
}
