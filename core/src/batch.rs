//! Batch summaries: one row per plan (run, certificate issued, certificate verified by an
//! independent rerun), plan names, and the `summary.csv` format. Shared by
//! `phase7 batch` and the dashboard's batch panel so both write the same file.

use std::collections::{BTreeMap, BTreeSet};

use crate::attest::Artifacts;
use crate::error::Phase7Error;
use crate::phase::{self, Run, RunOptions};
use crate::sensitivity::{self, PerBand};
use crate::verify;

/// The header line of `summary.csv`. After `error_code`, how firm the band is (analysis,
/// never certified; see [`PlanSummary::nearest_threshold`]).
pub const CSV_HEADER: &str = "plan,score,band,gaps,verified,error_code,\
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
    /// `IO_ERROR` from the caller), empty on success.
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
}

impl PlanSummary {
    /// The row of a plan that failed before or outside the run (`code` as given).
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
    /// whose checks failed; none for a rejected input).
    pub fn compute(
        plan: String,
        bytes: &[u8],
        options: &RunOptions,
        issued_at: Option<&str>,
    ) -> (PlanSummary, Option<Artifacts>) {
        let mut row = PlanSummary::failed(plan, "");
        let run = match phase::run(bytes, options) {
            Ok(run) => run,
            Err(e) => {
                row.error_code = e.code().into();
                return (row, None);
            }
        };
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
        row.firmness(&run);
        let files = match Artifacts::issue(&run, issued_at) {
            Ok(files) => files,
            Err(e) => {
                row.error_code = Phase7Error::from(e).code().into();
                return (row, None);
            }
        };
        match (&run.verdict.code(), &files.certificate_json) {
            (None, Some(certificate)) => {
                row.verified =
                    verify::verify_certificate(bytes, certificate.as_bytes(), options).verified;
            }
            (code, _) => row.error_code = code.unwrap_or("NOT_CERTIFIED").into(),
        }
        (row, Some(files))
    }

    /// One `summary.csv` line (without the line end). The plan and the gaps, text taken
    /// from the files, are [`defuse`]d and [`quote`]d; numbers are written as `{:?}` does
    /// (the shortest text that reads back to the same bits), empty when absent.
    pub fn csv_line(&self) -> String {
        let number = |x: Option<f64>| x.map(|x| format!("{x:?}")).unwrap_or_default();
        let p = |band: fn(&PerBand<f64>) -> f64| number(self.band_probabilities.as_ref().map(band));
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            quote(&defuse(&self.plan)),
            self.score,
            self.band,
            quote(&defuse(&self.gaps)),
            self.verified,
            self.error_code,
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
#[derive(Default)]
pub struct PlanNames {
    used: BTreeSet<String>,
    next: BTreeMap<String, usize>,
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
        let safe: String = stem
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if c.is_alphanumeric() || c == '_' || (i > 0 && (c == '-' || c == '.')) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let family = safe.to_lowercase();
        let mut n = self.next.get(&family).copied().unwrap_or(1);
        loop {
            let name = if n == 1 {
                truncate(&safe, NAME_MAX).to_string()
            } else {
                let suffix = format!("-{n}");
                format!("{}{suffix}", truncate(&safe, NAME_MAX - suffix.len()))
            };
            let key = name.to_lowercase();
            if !RESERVED_NAMES.contains(&key.as_str()) && self.used.insert(key) {
                self.next.insert(family, n + 1);
                return name;
            }
            n += 1;
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
            "p06_sample,1.6970916666666667,ACEPTABLE,PA05:MODERATE PA07:CRITICAL,true,,\
             0.55,0.04709166666666642,141388008301503,0.8268790985505803,\
             1.4868049093151386e-65,3.853262612155098e-16,0.8268790985505803,0.17312090144941936"
        );
        assert!(files.is_some_and(|f| f
            .certificate_json
            .is_some_and(|c| c.contains("PHASE7_TO_PHASE8"))));
        let (bad, files) = PlanSummary::compute("bad".into(), b"[{", &RunOptions::default(), None);
        assert_eq!(bad.csv_line(), "bad,,,,false,MALFORMED_JSON,,,,,,,,");
        assert!(files.is_none());
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
        assert_eq!(cells[2], "INSUFICIENTE");
        assert_eq!(&cells[6..9], ["0.55", "-3.3306690738754696e-16", "-1"]);
        let back = |i: usize| cells[i].parse::<f64>().unwrap().to_bits();
        assert_eq!(back(7), a.margin.distance_score.to_bits());
        assert_eq!(back(9), a.probabilities.run_band_probability.to_bits());
        let p = &a.probabilities.probabilities;
        for (i, x) in [
            (10, p.excelente),
            (11, p.bueno),
            (12, p.aceptable),
            (13, p.insuficiente),
        ] {
            assert_eq!(back(i), x.to_bits(), "column {i}");
        }
        assert_eq!(
            back(9),
            back(13),
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
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("-2"), "'-2");
        assert_eq!(defuse("plan-1"), "plan-1");
        let row = PlanSummary::failed("=HYPERLINK(\"x\",\"y\")".into(), "READ_FAILED");
        assert_eq!(
            row.csv_line(),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",,,,false,READ_FAILED,,,,,,,,"
        );
    }
}
