//! Batch summaries: one row per plan (run, certificate issued, certificate verified by an
//! independent rerun), plan names, and the `summary.csv` format. Shared by
//! `phase7 batch` and the dashboard's batch panel so both write the same file.

use std::collections::{BTreeMap, BTreeSet};

use crate::attest::Artifacts;
use crate::error::{Diagnostic, InputWarning, Phase7Error};
use crate::phase::{self, Run, RunOptions};
use crate::sensitivity::{self, PerBand};
use crate::verify;

/// The header line of `summary.csv`. After `error_code`, how many errors and warnings the
/// plan has ([`PlanSummary::errors`], [`PlanSummary::warnings`]), then how firm the band
/// is (analysis, never certified; see [`PlanSummary::nearest_threshold`]).
pub const CSV_HEADER: &str = "plan,score,band,gaps,verified,error_code,errors,warnings,\
     nearest_threshold,margin,margin_ulps,p_band,p_excelente,p_bueno,p_aceptable,p_insuficiente";

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
    /// The band threshold nearest the score (normalised scale: 0.55, 0.7 or 0.85), from
    /// [`sensitivity::band_margin`]; `None` without a score. This and the fields below
    /// are analysis of the run, never certified.
    pub nearest_threshold: Option<f64>,
    /// The signed distance of the score to that threshold in score units (0–3 scale),
    /// `score_normalized − threshold` times 3: negative below it.
    pub margin: Option<f64>,
    /// The same distance in ulps of `score_normalized` (|·| ≤ 4 is `BAND_MARGIN`).
    pub margin_ulps: Option<i64>,
    /// The probability of the run's band under the pipeline's normal model
    /// ([`sensitivity::band_probabilities`]).
    pub p_band: Option<f64>,
    /// The probability of each band under that model.
    pub band_probabilities: Option<PerBand<f64>>,
    /// How many errors the plan has: input-contract violations of a rejected input,
    /// failed checks of a run, 1 for a plan that could not be read or written (exact:
    /// an "…and N more" entry counts N).
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
            nearest_threshold: None,
            margin: None,
            margin_ulps: None,
            p_band: None,
            band_probabilities: None,
            errors: usize::from(!code.is_empty()),
            warnings: 0,
        }
    }

    /// Fills the band margin and band probabilities of `run` (left empty in the
    /// impossible case that the run's model cannot be built).
    fn firmness(&mut self, run: &Run) {
        let Ok(model) = sensitivity::Model::from_input(&run.input, &run.config) else {
            return;
        };
        let a = sensitivity::analyse(&model);
        self.nearest_threshold = Some(a.margin.threshold);
        self.margin = Some(a.margin.distance_score);
        self.margin_ulps = Some(a.margin.distance_ulps);
        self.p_band = Some(a.probabilities.run_band_probability);
        self.band_probabilities = Some(a.probabilities.probabilities);
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
                row.errors = count(&errors);
                row.warnings = count(&warnings);
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
        row.errors = count(&errors);
        row.warnings = count(&warnings);
        let m = &run.macro_score;
        row.score = crate::decimal::debug(m.score);
        row.value = Some(m.score);
        row.band = m.quality_level.as_str().into();
        row.gaps = m
            .gap_severity
            .0
            .iter()
            .map(|(a, s)| format!("{a}:{s}"))
            .collect::<Vec<_>>()
            .join(" ");
        row.firmness(&run);
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
        // The second run of the verification needs as much memory as the first: the
        // first is dropped before it (an input of millions of areas held them twice over
        // while it was rerun, 30 x the input; issue 9, "Cost").
        let verdict = run.verdict.code();
        drop(run);
        match (&verdict, &files.certificate_json) {
            (None, Some(certificate)) => {
                // The input passed `options.limits`; the certificate just issued for it may
                // be larger than the input (about twice a small plan) and is ours, so the
                // input limit does not apply to it here.
                let mut own = options.clone();
                own.limits.max_input_bytes =
                    own.limits.max_input_bytes.max(certificate.len() as u64);
                row.verified =
                    verify::verify_certificate(bytes, certificate.as_bytes(), &own).verified;
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
    /// from the files, are [`defuse`]d and [`quote`]d; numbers are written as `{:?}` does
    /// (the shortest text that reads back to the same bits), empty when absent.
    pub fn csv_line(&self) -> String {
        let number = |x: Option<f64>| x.map(crate::decimal::debug).unwrap_or_default();
        let p = |band: fn(&PerBand<f64>) -> f64| number(self.band_probabilities.as_ref().map(band));
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            quote(&defuse(&self.plan)),
            self.score,
            self.band,
            quote(&defuse(&self.gaps)),
            self.verified,
            self.error_code,
            self.errors,
            self.warnings,
            number(self.nearest_threshold),
            number(self.margin),
            self.margin_ulps.map(|u| u.to_string()).unwrap_or_default(),
            number(self.p_band),
            p(|b| b.excelente),
            p(|b| b.bueno),
            p(|b| b.aceptable),
            p(|b| b.insuficiente),
        )
    }
}

/// The longest file name most file systems allow, in bytes.
pub const NAME_MAX: usize = 255;

/// Names the batch output folder uses itself; no plan is given them.
pub const RESERVED_NAMES: [&str; 1] = ["summary.csv"];

/// Plan names, which `phase7 batch` also uses as folder names under `--out`, so they can
/// neither leave that folder nor collide: the file name without its extension, every
/// character other than letters, digits, `-`, `_` and `.` replaced by `_`, a leading `.`
/// or `-` replaced by `_` (so never `.`, `..`, a hidden name or an option), at most
/// [`NAME_MAX`] bytes. A name already given (compared ignoring case, as case-insensitive
/// file systems do) or reserved ([`RESERVED_NAMES`]) gets the first free suffix of
/// `-2`, `-3`, …, the name shortened so that the whole stays within [`NAME_MAX`] bytes.
///
/// Linear in the number of names: a name cut to make room for its suffix shares its
/// candidates with every name that has the same first bytes (255-byte names that differ
/// only at the end), so the next suffix to try is kept per cut name and suffix length,
/// not per name; every name given is passed over at most once. (Kept per name, 32,000
/// such files took 25 s to name, quadratically.)
#[derive(Default)]
pub struct PlanNames {
    used: BTreeSet<String>,
    /// For a lowercased name cut to leave room for a suffix of so many bytes: the next
    /// suffix number to try (every one below it is taken).
    next: BTreeMap<(String, usize), usize>,
    /// Names tried, for the test that the work is linear.
    #[cfg(test)]
    tries: usize,
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
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
        let safe = unicode::safe(stem);
        let whole = truncate(&safe, NAME_MAX);
        if self.take(whole) {
            return whole.to_string();
        }
        // Suffixes of one length (`-2`…`-9`, `-10`…`-99`, …) share one cut of the name.
        let (mut width, mut first, mut end) = (2, 2, 10usize);
        loop {
            let base = truncate(&safe, NAME_MAX - width);
            let key = (unicode::lowercase(base), width);
            let mut n = self.next.get(&key).copied().unwrap_or(first);
            while n < end {
                let name = format!("{base}-{n}");
                n += 1;
                if self.take(&name) {
                    self.next.insert(key, n);
                    return name;
                }
            }
            self.next.insert(key, end);
            (width, first, end) = (width + 1, end, end.saturating_mul(10));
        }
    }

    /// Takes `name` when it is free (ignoring case) and not reserved.
    fn take(&mut self, name: &str) -> bool {
        #[cfg(test)]
        {
            self.tries += 1;
        }
        let key = unicode::lowercase(name);
        !RESERVED_NAMES.contains(&key.as_str()) && self.used.insert(key)
    }
}

/// The two Unicode operations of plan names: every character other than a letter or
/// digit (`char::is_alphanumeric`: Unicode's `Alphabetic` or `Numeric`), `_`, and `-` or
/// `.` after the first character replaced by `_`; names compared in their lowercase form
/// (`str::to_lowercase`: Unicode's full lowercase mapping, final sigma included).
///
/// Natively these are the standard library's. In the page (wasm32 with `browser`) they
/// are the browser's own, with the same Unicode definitions (`\p{Alphabetic}`, `\p{N}`,
/// `String.prototype.toLowerCase`): the standard library's case and property tables made
/// the dashboard's wasm 10,372 B gzip larger (issue 9, docs/dashboard.md "Size"). The two
/// agree wherever their Unicode versions do: Chromium 156 and Rust 1.95 on every one of
/// the 1,112,064 scalar values (docs/dashboard.md); `core/tests/plan_names.rs` holds names of
/// many scripts to the same plan names natively and in Chromium. The npm package never
/// names plans, so neither version is in its module.
#[cfg(not(all(target_arch = "wasm32", feature = "browser")))]
mod unicode {
    pub(super) fn safe(stem: &str) -> String {
        stem.chars()
            .enumerate()
            .map(|(i, c)| {
                if c.is_alphanumeric() || c == '_' || (i > 0 && (c == '-' || c == '.')) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }

    pub(super) fn lowercase(name: &str) -> String {
        name.to_lowercase()
    }
}

#[cfg(all(target_arch = "wasm32", feature = "browser"))]
mod unicode {
    use js_sys::{JsString, RegExp};

    pub(super) fn safe(stem: &str) -> String {
        // One `_` for each code point (the `u` flag) that is not kept anywhere; then a
        // leading `-` or `.`, kept only after the first character, replaced too.
        let other = RegExp::new(r"[^\p{Alphabetic}\p{N}_.-]", "gu");
        let mut safe = String::from(JsString::from(stem).replace_by_pattern(&other, "_"));
        if safe.starts_with(['-', '.']) {
            safe.replace_range(..1, "_");
        }
        safe
    }

    pub(super) fn lowercase(name: &str) -> String {
        String::from(JsString::from(name).to_lower_case())
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

/// The exact number of findings a capped list stands for ([`crate::error::total`]).
fn count(diagnostics: &[Diagnostic]) -> usize {
    usize::try_from(crate::error::total(diagnostics)).unwrap_or(usize::MAX)
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
            "p06_sample,1.6970916666666667,ACEPTABLE,PA05:MODERATE PA07:CRITICAL,true,,0,0,\
             0.55,0.04709166666666642,141388008301503,0.8268790985505803,\
             1.4868049093151386e-65,3.853262612155098e-16,0.8268790985505803,0.17312090144941936"
        );
        assert!(files.is_some_and(|f| f
            .certificate_json
            .is_some_and(|c| c.contains("PHASE7_TO_PHASE8"))));
        let (bad, files) = PlanSummary::compute("bad".into(), b"[{", &RunOptions::default(), None);
        assert_eq!(bad.csv_line(), "bad,,,,false,MALFORMED_JSON,1,0,,,,,,,,");
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
        assert_eq!(
            r.row.csv_line(),
            "p,,,,false,VALUE_OUT_OF_BOUNDS,2,1,,,,,,,,"
        );
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
        // An input just under the limit: its own certificate, about twice its size, still
        // verifies (the input limit is not applied to what the batch itself issued).
        let mut tight = RunOptions::default();
        tight.limits.max_input_bytes = SAMPLE.len() as u64;
        let r = PlanSummary::evaluate("t".into(), SAMPLE, &tight, None);
        let size = r
            .artifacts
            .as_ref()
            .unwrap()
            .certificate_json
            .as_ref()
            .unwrap()
            .len();
        assert!(size as u64 > tight.limits.max_input_bytes, "{size}");
        assert!(r.row.verified, "{:?}", r.row);
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

    /// The margin and probability cells are the analysis's numbers, bit for bit, and
    /// one cell per header column.
    #[test]
    fn firmness_cells_read_back_to_the_analysis_bits() {
        let mut doc: serde_json::Value =
            serde_json::from_slice(SAMPLE).expect("the sample is JSON");
        let clusters = match doc.as_array_mut() {
            Some(a) => a,
            None => doc["cluster_scores"].as_array_mut().unwrap(),
        };
        for c in clusters.iter_mut() {
            c["score"] = serde_json::json!(1.65);
        }
        let bytes = serde_json::to_vec(&doc).unwrap();
        let (row, _) = PlanSummary::compute("at_1_65".into(), &bytes, &RunOptions::default(), None);
        let run = phase::run(&bytes, &RunOptions::default()).unwrap();
        let model = sensitivity::Model::from_input(&run.input, &run.config).unwrap();
        let a = sensitivity::analyse(&model);
        let line = row.csv_line();
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), CSV_HEADER.split(',').count());
        let col = |name: &str| {
            CSV_HEADER
                .split(',')
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("no column {name}"))
        };
        assert_eq!(cells[col("band")], "INSUFICIENTE");
        assert_eq!([cells[col("errors")], cells[col("warnings")]], ["0", "0"]);
        let at = col("nearest_threshold");
        assert_eq!(
            &cells[at..at + 3],
            ["0.55", "-3.3306690738754696e-16", "-1"]
        );
        let back = |name: &str| cells[col(name)].parse::<f64>().unwrap().to_bits();
        assert_eq!(back("margin"), a.margin.distance_score.to_bits());
        assert_eq!(
            back("p_band"),
            a.probabilities.run_band_probability.to_bits()
        );
        let p = &a.probabilities.probabilities;
        for (name, x) in [
            ("p_excelente", p.excelente),
            ("p_bueno", p.bueno),
            ("p_aceptable", p.aceptable),
            ("p_insuficiente", p.insuficiente),
        ] {
            assert_eq!(back(name), x.to_bits(), "column {name}");
        }
        assert_eq!(
            back("p_band"),
            back("p_insuficiente"),
            "p_band is the probability of INSUFICIENTE"
        );
    }

    #[test]
    fn plan_names() {
        let mut names = PlanNames::default();
        assert_eq!(names.name("plan one.json"), "plan_one");
        assert_eq!(names.name("plan one.json"), "plan_one-2");
        assert_eq!(names.name("<img src=x>.json"), "_img_src_x_");
        assert_eq!(names.name("a.b.json"), "a.b");
        assert_eq!(names.name("ñandú.json"), "ñandú");
        assert_eq!(names.name("-rf.json"), "_rf");
        assert_eq!(names.name("summary.csv.json"), "summary.csv-2");
    }

    #[test]
    fn plan_names_never_leave_the_folder() {
        let mut names = PlanNames::default();
        for (file, name) in [
            ("...json", "_."),
            ("..json", "_"),
            (".json", "_json"),
            ("..", "_-2"),
            (".", "_-3"),
            ("", "plan"),
            ("a/../b.json", "a_.._b"),
            (".hidden.json", "_hidden"),
        ] {
            assert_eq!(names.name(file), name, "{file:?}");
        }
    }

    #[test]
    fn plan_names_never_collide_even_ignoring_case() {
        let mut names = PlanNames::default();
        let got: Vec<String> = [
            "a b.json",
            "a_b.json",
            "a_b-2.json",
            "A_B.json",
            "a_b-3.json",
        ]
        .iter()
        .map(|f| names.name(f))
        .collect();
        assert_eq!(got, ["a_b", "a_b-2", "a_b-2-2", "A_B-3", "a_b-3-2"]);
        let lower: BTreeSet<String> = got.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), got.len());
    }

    #[test]
    fn plan_names_fit_in_255_bytes_with_their_suffix() {
        let mut names = PlanNames::default();
        let long = format!("{}.json", "ñ".repeat(200));
        let first = names.name(&long);
        assert_eq!(first.len(), 254, "cut at a character boundary");
        let second = names.name(&long);
        assert!(
            second.len() <= NAME_MAX && second.ends_with("-2"),
            "{second}"
        );
        let exact = format!("{}.json", "x".repeat(255));
        assert_eq!(names.name(&exact), "x".repeat(255));
        let again = names.name(&exact);
        assert_eq!(again, format!("{}-2", "x".repeat(253)));
        let mut seen = BTreeSet::new();
        for _ in 0..200 {
            let n = names.name(&exact);
            assert!(n.len() <= NAME_MAX);
            assert!(seen.insert(n));
        }
    }

    #[test]
    fn plan_names_are_the_first_free_suffix_and_linear() {
        // The first free suffix, found by trying every one: what `name` must give.
        fn oracle(used: &BTreeSet<String>, safe: &str) -> String {
            (1usize..)
                .map(|n| match n {
                    1 => truncate(safe, NAME_MAX).to_string(),
                    n => {
                        let suffix = format!("-{n}");
                        format!("{}{suffix}", truncate(safe, NAME_MAX - suffix.len()))
                    }
                })
                .find(|name| {
                    let key = name.to_lowercase();
                    !RESERVED_NAMES.contains(&key.as_str()) && !used.contains(&key)
                })
                .unwrap_or_default()
        }
        // 255-byte names that differ only in their last three characters (a cut for a
        // suffix makes them the same), in both cases, with names that take suffixes
        // ahead of them; and short names the same way.
        let mut stems = Vec::new();
        for i in 0..700usize {
            let tail: String = [i / 100, i / 10 % 10, i % 10]
                .iter()
                .map(|&d| char::from(b'a' + d as u8))
                .collect();
            let stem = format!("{}{tail}", "p".repeat(252));
            stems.push(stem.to_uppercase());
            stems.push(stem.clone());
            if i % 7 == 0 {
                stems.push(format!("{}-{}", &stem[..253 - (i % 3)], i % 40));
            }
        }
        for i in 0..300 {
            stems.push(["a", "A", "summary.csv", "b-2"][i % 4].to_string());
            stems.push(format!("a-{}", i % 23));
        }
        let mut names = PlanNames::default();
        let mut used = BTreeSet::new();
        for stem in &stems {
            let want = oracle(&used, stem);
            assert_eq!(names.name(&format!("{stem}.json")), want, "{stem}");
            used.insert(want.to_lowercase());
        }
        // Each name given is passed over at most once: about two tries a name (a
        // counter per name, not per cut name, took 117 a name here: 246,324 tries).
        assert!(
            names.tries <= 3 * stems.len(),
            "{} tries for {} names",
            names.tries,
            stems.len()
        );
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
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",,,,false,READ_FAILED,1,0,,,,,,,,"
        );
    }
}
