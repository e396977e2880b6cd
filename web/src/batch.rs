//! Batches in the page: one summary row per Phase 6 file (the columns of `phase7 batch`'s
//! `summary.csv`: plan, score, band, gaps, verified, error_code), sorting, and the CSV
//! text. Knows nothing of Leptos; the panel ([`crate::panels::batch`]) reads the files one
//! at a time and keeps only these rows, never the files' contents.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use phase7_core::certificate;
use phase7_core::error::Phase7Error;
use phase7_core::phase::{self, RunOptions};
use phase7_core::verify;

use crate::state::Evaluation;

/// One plan's summary, formatted as `phase7 batch` formats it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Plan name: the file name without `.json`, made file-system-safe and unique as the
    /// CLI makes it.
    pub plan: String,
    /// The macro score as Rust's `{:?}` prints it (shortest text that reads back to the
    /// same bits), empty when there is none.
    pub score: String,
    /// The exact score, for sorting.
    pub value: Option<f64>,
    /// Quality band, empty when there is none.
    pub band: String,
    /// Systemic gaps as `PA05:MODERATE PA07:CRITICAL`.
    pub gaps: String,
    /// Whether the certificate issued for the run verified by an independent rerun.
    pub verified: bool,
    /// The coded error (`Phase7Error::code()`), empty on success.
    pub error_code: String,
}

impl Row {
    fn empty(plan: String) -> Row {
        Row {
            plan,
            score: String::new(),
            value: None,
            band: String::new(),
            gaps: String::new(),
            verified: false,
            error_code: String::new(),
        }
    }

    /// The row of a file refused from its size alone (never read).
    pub fn too_large(plan: String, size: u64) -> Row {
        let ev = Evaluation::too_large(plan.clone(), crate::state::Origin::File, size);
        let mut row = Row::empty(plan);
        if let Err(e) = &ev.result {
            row.error_code = e.code().into();
        }
        row
    }

    /// The row of a file the browser could not read.
    pub fn unreadable(plan: String) -> Row {
        let mut row = Row::empty(plan);
        row.error_code = "READ_FAILED".into();
        row
    }

    /// Runs Phase 7 on `bytes`, issues the certificate and verifies it by an
    /// independent rerun, as `phase7 batch` does for each file.
    pub fn compute(plan: String, bytes: &[u8]) -> Row {
        let options = RunOptions::default();
        let mut row = Row::empty(plan);
        let run = match phase::run(bytes, &options) {
            Ok(run) => run,
            Err(e) => {
                row.error_code = e.code().into();
                return row;
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
        match certificate::artifacts(&run, None) {
            Ok((cert, _trail)) => {
                row.verified =
                    verify::verify_certificate(bytes, cert.as_bytes(), &options).verified;
            }
            Err(e) => row.error_code = Phase7Error::from(e).code().into(),
        }
        row
    }
}

/// Plan names as `phase7 batch` makes them: the file name without its extension, every
/// character other than letters, digits, `-`, `_` and `.` replaced by `_`, and `-2`,
/// `-3`, … appended to repeated names.
#[derive(Default)]
pub struct PlanNames {
    used: BTreeMap<String, usize>,
}

impl PlanNames {
    /// The plan name for a file named `file_name`.
    pub fn name(&mut self, file_name: &str) -> String {
        // `Path::file_stem`: the part before the last dot, unless the name starts with it.
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

/// A column of the summary table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Plan name.
    Plan,
    /// Macro score.
    Score,
    /// Quality band.
    Band,
    /// Systemic gaps.
    Gaps,
    /// Verified by rerun.
    Verified,
    /// Error code.
    ErrorCode,
}

impl Column {
    /// Every column, in the order of `summary.csv`.
    pub const ALL: [Column; 6] = [
        Column::Plan,
        Column::Score,
        Column::Band,
        Column::Gaps,
        Column::Verified,
        Column::ErrorCode,
    ];

    /// The CSV header name.
    pub fn id(self) -> &'static str {
        match self {
            Column::Plan => "plan",
            Column::Score => "score",
            Column::Band => "band",
            Column::Gaps => "gaps",
            Column::Verified => "verified",
            Column::ErrorCode => "error_code",
        }
    }
}

/// How the table is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub column: Column,
    /// Ascending when true.
    pub ascending: bool,
}

impl Sort {
    /// The sort after a click on `column`: that column ascending, or the other
    /// direction when it is already the sort column.
    pub fn toggled(current: Option<Sort>, column: Column) -> Sort {
        match current {
            Some(s) if s.column == column => Sort {
                column,
                ascending: !s.ascending,
            },
            _ => Sort {
                column,
                ascending: true,
            },
        }
    }
}

/// Sorts rows in place (stable). Rows without a value in the column (no score, no band,
/// no error) come last in both directions, so the sorted values are always on top.
pub fn sort(rows: &mut [Row], by: Sort) {
    sort_by(rows, |r| r, by);
}

/// [`sort`] for items that hold a row (the panel's numbered rows).
pub fn sort_by<T>(items: &mut [T], row: impl Fn(&T) -> &Row, by: Sort) {
    items.sort_by(|a, b| {
        let (ka, kb) = (key(row(a), by.column), key(row(b), by.column));
        match (ka, kb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let o = x.cmp(&y);
                if by.ascending {
                    o
                } else {
                    o.reverse()
                }
            }
        }
    });
}

/// A sort key: numbers by `f64::total_cmp`, the rest as text.
#[derive(PartialEq)]
enum Key<'a> {
    Number(f64),
    Text(&'a str),
}

impl Eq for Key<'_> {}

impl PartialOrd for Key<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Key::Number(a), Key::Number(b)) => a.total_cmp(b),
            (Key::Text(a), Key::Text(b)) => a.cmp(b),
            (Key::Number(_), Key::Text(_)) => Ordering::Less,
            (Key::Text(_), Key::Number(_)) => Ordering::Greater,
        }
    }
}

fn key(row: &Row, column: Column) -> Option<Key<'_>> {
    fn text(s: &str) -> Option<Key<'_>> {
        (!s.is_empty()).then_some(Key::Text(s))
    }
    match column {
        Column::Plan => Some(Key::Text(&row.plan)),
        Column::Score => row.value.map(Key::Number),
        Column::Band => (!row.band.is_empty()).then(|| Key::Number(band_rank(&row.band))),
        Column::Gaps => text(&row.gaps),
        Column::Verified => Some(Key::Number(f64::from(u8::from(row.verified)))),
        Column::ErrorCode => text(&row.error_code),
    }
}

/// Bands sort by quality, not alphabetically.
fn band_rank(band: &str) -> f64 {
    match band {
        "INSUFICIENTE" => 0.0,
        "ACEPTABLE" => 1.0,
        "BUENO" => 2.0,
        "EXCELENTE" => 3.0,
        _ => 4.0,
    }
}

/// The header line of `summary.csv`.
pub const CSV_HEADER: &str = "plan,score,band,gaps,verified,error_code";

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

/// Quotes a field as RFC 4180 requires (as the CLI's `summary.csv` does).
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// One CSV line (without the line end) in the CLI's format; the plan and the gaps (text
/// taken from the files) are defused before quoting.
pub fn csv_line(row: &Row) -> String {
    format!(
        "{},{},{},{},{},{}",
        quote(&defuse(&row.plan)),
        row.score,
        row.band,
        quote(&defuse(&row.gaps)),
        row.verified,
        row.error_code
    )
}

/// The whole `summary.csv`: the header and one line per row, each ended by `\n` as the
/// CLI ends them.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::with_capacity(64 * (rows.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    for row in rows {
        out.push_str(&csv_line(row));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::SAMPLE_PHASE6;

    #[test]
    fn the_sample_row_is_the_clis() {
        let row = Row::compute("p06_sample".into(), SAMPLE_PHASE6.as_bytes());
        assert_eq!(
            csv_line(&row),
            "p06_sample,1.6970916666666667,ACEPTABLE,PA05:MODERATE PA07:CRITICAL,true,"
        );
    }

    #[test]
    fn rejected_and_oversized_files_carry_their_code() {
        let bad = Row::compute("bad".into(), b"[{");
        assert_eq!(csv_line(&bad), "bad,,,,false,MALFORMED_JSON");
        let big = Row::too_large("big".into(), 16 * 1024 * 1024 + 1);
        assert_eq!(csv_line(&big), "big,,,,false,INPUT_TOO_LARGE");
    }

    #[test]
    fn plan_names_match_the_cli() {
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
        assert_eq!(defuse("+x"), "'+x");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("plan-1"), "plan-1");
        let mut row = Row::unreadable("=HYPERLINK(\"x\",\"y\")".into());
        row.error_code = "READ_FAILED".into();
        assert_eq!(
            csv_line(&row),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",,,,false,READ_FAILED"
        );
        assert!(csv(&[]).starts_with("plan,score,band,gaps,verified,error_code\n"));
    }

    #[test]
    fn sorting_keeps_empty_cells_last_both_ways() {
        let mk = |plan: &str, v: Option<f64>| Row {
            value: v,
            score: v.map(|v| format!("{v:?}")).unwrap_or_default(),
            ..Row::unreadable(plan.into())
        };
        let mut rows = vec![
            mk("a", Some(2.0)),
            mk("b", None),
            mk("c", Some(0.5)),
            mk("d", Some(1.0)),
        ];
        let up = Sort::toggled(None, Column::Score);
        sort(&mut rows, up);
        let plans: Vec<&str> = rows.iter().map(|r| r.plan.as_str()).collect();
        assert_eq!(plans, ["c", "d", "a", "b"]);
        let down = Sort::toggled(Some(up), Column::Score);
        assert!(!down.ascending);
        sort(&mut rows, down);
        let plans: Vec<&str> = rows.iter().map(|r| r.plan.as_str()).collect();
        assert_eq!(plans, ["a", "d", "c", "b"]);
        sort(&mut rows, Sort::toggled(Some(down), Column::Plan));
        let plans: Vec<&str> = rows.iter().map(|r| r.plan.as_str()).collect();
        assert_eq!(plans, ["a", "b", "c", "d"]);
    }
}
