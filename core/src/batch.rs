//! Batch summaries: one row per plan (run, certificate issued, certificate verified by an
//! independent rerun), plan names, and the `summary.csv` format. Shared by
//! `phase7 batch` and the dashboard's batch panel so both write the same file.

use std::collections::BTreeMap;

use crate::attest::Artifacts;
use crate::error::{Diagnostic, InputWarning, Phase7Error};
use crate::phase::{self, RunOptions};
use crate::verify;

/// The header line of `summary.csv`.
pub const CSV_HEADER: &str = "plan,score,band,gaps,verified,error_code";

/// One plan's summary.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanSummary {
    /// Plan name (see [`PlanNames`]).
    pub plan: String,
    /// The macro score as `{:?}` prints it (shortest text that reads back to the same
    /// bits), empty when there is none.
    pub score: String,
    /// The exact score, for sorting.
    pub value: Option<f64>,
    /// Quality band, empty when there is none.
    pub band: String,
    /// Systemic gaps as `PA05:MODERATE PA07:CRITICAL`.
    pub gaps: String,
    /// Whether the certificate issued for the run verified by an independent rerun.
    pub verified: bool,
    /// The coded error ([`Phase7Error::code`], or `INPUT_TOO_LARGE`, `READ_FAILED`,
    /// `IO_ERROR` from the caller), empty on success: the first of the plan's errors.
    pub error_code: String,
    /// How many errors the plan has: input-contract violations of a rejected input,
    /// failed checks of a run, 1 for a plan that could not be read or written.
    pub errors: usize,
    /// How many warnings (MISSING_PROVENANCE, DUPLICATE_AREA).
    pub warnings: usize,
}

/// One plan's whole result: its row, its files and every diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanResult {
    /// The summary row.
    pub row: PlanSummary,
    /// The files: all three for a run that passed; the audit trail marked not certified
    /// and the refusal record for a run whose checks failed or a rejected input
    /// ([`Artifacts::record`]); none when the run could not be made (resources,
    /// computation).
    pub artifacts: Option<Artifacts>,
    /// Every error, coded, with its cluster, field and value.
    pub errors: Vec<Diagnostic>,
    /// Every warning.
    pub warnings: Vec<Diagnostic>,
}

impl PlanSummary {
    /// The row of a plan that failed before or outside the run (`code` as given; one
    /// error unless `code` is empty).
    pub fn failed(plan: String, code: &str) -> PlanSummary {
        PlanSummary {
            plan,
            score: String::new(),
            value: None,
            band: String::new(),
            gaps: String::new(),
            verified: false,
            error_code: code.to_string(),
            errors: usize::from(!code.is_empty()),
            warnings: 0,
        }
    }

    /// Runs Phase 7 on `bytes`, issues its files (at `issued_at`) and, when certified,
    /// verifies the certificate by an independent rerun. Returns the row and the files
    /// (all three for a run that passed; the audit trail marked not certified for a run
    /// whose checks failed; none for a rejected input). [`PlanSummary::evaluate`] gives
    /// the refusal record of a rejected input and every diagnostic too.
    pub fn compute(
        plan: String,
        bytes: &[u8],
        options: &RunOptions,
        issued_at: Option<&str>,
    ) -> (PlanSummary, Option<Artifacts>) {
        let result = PlanSummary::evaluate(plan, bytes, options, issued_at);
        let rejected = result
            .artifacts
            .as_ref()
            .and_then(|a| a.refusal.as_ref())
            .is_some_and(|r| r.refused.stage == crate::checks::CheckStage::InputContract);
        let artifacts = if rejected { None } else { result.artifacts };
        (result.row, artifacts)
    }

    /// [`PlanSummary::compute`] with everything an auditor needs for the plan's folder and
    /// its JSON line: a rejected input gets its refusal record (recorded at `issued_at`),
    /// a failed run its audit trail and refusal record, and every error and warning is
    /// listed, not only the first code.
    pub fn evaluate(
        plan: String,
        bytes: &[u8],
        options: &RunOptions,
        issued_at: Option<&str>,
    ) -> PlanResult {
        let mut row = PlanSummary::failed(plan, "");
        let run = match phase::run(bytes, options) {
            Ok(run) => run,
            Err(e) => {
                row.error_code = e.code().into();
                let errors = e.diagnostics();
                let warnings: Vec<Diagnostic> = match &e {
                    Phase7Error::Input(r) => r.warnings.iter().map(InputWarning::report).collect(),
                    _ => Vec::new(),
                };
                row.errors = errors.len();
                row.warnings = warnings.len();
                let artifacts = match &e {
                    Phase7Error::Input(r) => Artifacts::rejected(bytes, r, options, issued_at).ok(),
                    _ => None,
                };
                return PlanResult {
                    row,
                    artifacts,
                    errors,
                    warnings,
                };
            }
        };
        let errors = run.failures();
        let warnings: Vec<Diagnostic> = run.warnings().iter().map(InputWarning::report).collect();
        row.errors = errors.len();
        row.warnings = warnings.len();
        let m = &run.macro_score;
        row.score = format!("{:?}", m.score);
        row.value = Some(m.score);
        row.band = m.quality_level.as_str().into();
        row.gaps = m
            .gap_severity
            .0
            .iter()
            .map(|(a, s)| format!("{a}:{s}"))
            .collect::<Vec<_>>()
            .join(" ");
        let files = match Artifacts::issue(&run, issued_at) {
            Ok(files) => files,
            Err(e) => {
                let e = Phase7Error::from(e);
                row.error_code = e.code().into();
                row.errors += 1;
                let mut errors = errors;
                errors.extend(e.diagnostics());
                return PlanResult {
                    row,
                    artifacts: None,
                    errors,
                    warnings,
                };
            }
        };
        match (&run.verdict.code(), &files.certificate_json) {
            (None, Some(certificate)) => {
                row.verified =
                    verify::verify_certificate(bytes, certificate.as_bytes(), options).verified;
            }
            (code, _) => row.error_code = code.unwrap_or("NOT_CERTIFIED").into(),
        }
        PlanResult {
            row,
            artifacts: Some(files),
            errors,
            warnings,
        }
    }

    /// One `summary.csv` line (without the line end). The plan and the gaps, text taken
    /// from the files, are [`defuse`]d and [`quote`]d.
    pub fn csv_line(&self) -> String {
        format!(
            "{},{},{},{},{},{}",
            quote(&defuse(&self.plan)),
            self.score,
            self.band,
            quote(&defuse(&self.gaps)),
            self.verified,
            self.error_code
        )
    }
}

/// Plan names: the file name without its extension, every character other than letters,
/// digits, `-`, `_` and `.` replaced by `_`, and `-2`, `-3`, … appended to repeated names.
#[derive(Default)]
pub struct PlanNames {
    used: BTreeMap<String, usize>,
}

impl PlanNames {
    /// The plan name for a file named `file_name` (no directory part).
    pub fn name(&mut self, file_name: &str) -> String {
        // As `Path::file_stem`: the part before the last dot, unless the name starts with it.
        let stem = match file_name.rfind('.') {
            Some(i) if i > 0 => &file_name[..i],
            _ => file_name,
        };
        let stem = if stem.is_empty() { "plan" } else { stem };
        let safe: String = stem
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let n = self.used.entry(safe.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            safe
        } else {
            format!("{safe}-{n}")
        }
    }
}

/// Guards a cell that a spreadsheet would read as a formula: a leading `=`, `+`, `-`,
/// `@`, tab or carriage return gets a `'` in front (OWASP's advice against CSV
/// injection).
pub fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Quotes a field as RFC 4180 requires.
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/p06_sample.json");

    #[test]
    fn the_sample_row_and_files() {
        let (row, files) =
            PlanSummary::compute("p06_sample".into(), SAMPLE, &RunOptions::default(), None);
        assert_eq!(
            row.csv_line(),
            "p06_sample,1.6970916666666667,ACEPTABLE,PA05:MODERATE PA07:CRITICAL,true,"
        );
        assert!(files.is_some_and(|f| f
            .certificate_json
            .is_some_and(|c| c.contains("PHASE7_TO_PHASE8"))));
        let (bad, files) = PlanSummary::compute("bad".into(), b"[{", &RunOptions::default(), None);
        assert_eq!(bad.csv_line(), "bad,,,,false,MALFORMED_JSON");
        assert!(files.is_none());
        assert_eq!((bad.errors, bad.warnings), (1, 0));
    }

    #[test]
    fn every_diagnostic_of_a_plan_is_kept() {
        // Two violations and a warning: the row counts them, the result lists them, the
        // refusal record holds them.
        let text = String::from_utf8_lossy(SAMPLE)
            .replacen("\"score\": 1.4712", "\"score\": 3.5", 1)
            .replacen("\"score_std\": 0.061", "\"score_std\": -1", 1)
            .replacen("PROV_MESO_2_5c2e7b14", "", 1);
        let r = PlanSummary::evaluate("p".into(), text.as_bytes(), &RunOptions::default(), None);
        assert_eq!((r.row.errors, r.row.warnings), (2, 1));
        assert_eq!(r.row.error_code, "VALUE_OUT_OF_BOUNDS");
        let codes: Vec<&str> = r.errors.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["VALUE_OUT_OF_BOUNDS", "SCORE_OUT_OF_BOUNDS"]);
        assert_eq!(r.warnings[0].code, "MISSING_PROVENANCE");
        let a = r.artifacts.unwrap();
        assert!(!a.certified());
        assert_eq!(a.refusal.as_ref().unwrap().violation_count, 2);
        // compute() keeps its files-for-runs-only contract.
        let (_, files) =
            PlanSummary::compute("p".into(), text.as_bytes(), &RunOptions::default(), None);
        assert!(files.is_none());

        // A warning alone: counted on a certified plan.
        let warned = String::from_utf8_lossy(SAMPLE).replacen("PROV_MESO_2_5c2e7b14", "", 1);
        let r = PlanSummary::evaluate("w".into(), warned.as_bytes(), &RunOptions::default(), None);
        assert_eq!((r.row.errors, r.row.warnings, r.row.verified), (0, 1, true));
        // Strict: the failed gate is the error, with its refusal record.
        let strict = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        let r = PlanSummary::evaluate("s".into(), warned.as_bytes(), &strict, None);
        assert_eq!((r.row.errors, r.row.warnings), (1, 1));
        assert_eq!(r.row.error_code, "GATE_FAILED");
        assert_eq!(r.errors[0].code, "GATE_FAILED");
        assert!(r.artifacts.unwrap().record().is_some());
    }

    #[test]
    fn plan_names() {
        let mut names = PlanNames::default();
        assert_eq!(names.name("plan one.json"), "plan_one");
        assert_eq!(names.name("plan one.json"), "plan_one-2");
        assert_eq!(names.name("<img src=x>.json"), "_img_src_x_");
        assert_eq!(names.name(".json"), ".json");
        assert_eq!(names.name("a.b.json"), "a.b");
        assert_eq!(names.name("ñandú.json"), "ñandú");
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("-2"), "'-2");
        assert_eq!(defuse("plan-1"), "plan-1");
        let row = PlanSummary::failed("=HYPERLINK(\"x\",\"y\")".into(), "READ_FAILED");
        assert_eq!(
            row.csv_line(),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",,,,false,READ_FAILED"
        );
    }
}
