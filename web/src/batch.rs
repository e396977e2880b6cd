//! Batches in the page: one summary row per Phase 6 file (the columns of `phase7 batch`'s
//! `summary.csv`, from `phase7_core::batch`: plan, score, band, gaps, verified, error_code,
//! the error and warning counts, then how firm the band is), sorting, and the CSV
//! text. Knows nothing of Leptos; the panel ([`crate::panels::batch`]) reads the files one
//! at a time and keeps only these rows, never the files' contents.

use std::cmp::Ordering;

pub use phase7_core::batch::{PlanNames, PlanSummary as Row, CSV_HEADER};
use phase7_core::phase::RunOptions;
use phase7_core::stages::aggregate::QualityLevel;

/// The row of a file refused from its size alone (never read).
pub fn too_large(plan: String) -> Row {
    Row::failed(plan, "INPUT_TOO_LARGE")
}

/// The row of a file the browser could not read.
pub fn unreadable(plan: String) -> Row {
    Row::failed(plan, "READ_FAILED")
}

/// Runs Phase 7 on `bytes`, issues the certificate and verifies it by an independent
/// rerun, as `phase7 batch` does for each file (the files themselves are not kept).
pub fn compute(plan: String, bytes: &[u8]) -> Row {
    Row::compute(plan, bytes, &RunOptions::default(), None).0
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
    /// Signed distance to the nearest band threshold (score units; ulps beside it).
    Margin,
    /// Probability of the run's band under the normal model.
    PBand,
}

impl Column {
    /// Every column, in the order of `summary.csv`.
    pub const ALL: [Column; 8] = [
        Column::Plan,
        Column::Score,
        Column::Band,
        Column::Gaps,
        Column::Verified,
        Column::ErrorCode,
        Column::Margin,
        Column::PBand,
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
            Column::Margin => "margin",
            Column::PBand => "p_band",
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

/// [`sort`] for items that hold a row.
pub fn sort_by<T>(items: &mut [T], row: impl Fn(&T) -> &Row, by: Sort) {
    items.sort_by(|a, b| compare(row(a), row(b), by));
}

/// The order of two rows under `by` (the comparator of [`sort`]): by the column's value,
/// reversed when descending, rows without a value last in both directions.
pub fn compare(a: &Row, b: &Row, by: Sort) -> Ordering {
    match (key(a, by.column), key(b, by.column)) {
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
        Column::Margin => row.margin.map(Key::Number),
        Column::PBand => row.p_band.map(Key::Number),
    }
}

/// Bands sort by quality (`QualityLevel::ALL`, lowest first), not alphabetically.
fn band_rank(band: &str) -> f64 {
    let rank = QualityLevel::parse(band)
        .and_then(|b| QualityLevel::ALL.iter().position(|x| *x == b))
        .unwrap_or(QualityLevel::ALL.len());
    rank as f64
}

/// How many rows have each band (in `QualityLevel::ALL` order) and how many have none
/// (rejected or unreadable files).
pub fn band_totals<'a>(rows: impl IntoIterator<Item = &'a Row>) -> ([usize; 4], usize) {
    let mut totals = ([0; 4], 0);
    for row in rows {
        count_band(&mut totals, row);
    }
    totals
}

/// Counts `row` into [`band_totals`]' result.
fn count_band(totals: &mut ([usize; 4], usize), row: &Row) {
    match QualityLevel::ALL
        .iter()
        .position(|b| b.as_str() == row.band)
    {
        Some(i) => totals.0[i] += 1,
        None => totals.1 += 1,
    }
}

/// Rows per page of the batch table.
pub const PAGE_SIZE: usize = 100;

/// The number of pages for `n` rows (at least 1).
pub fn pages(n: usize) -> usize {
    n.div_ceil(PAGE_SIZE).max(1)
}

/// The index range of page `page` (0-based, clamped to the last page) of `n` rows.
pub fn page_range(page: usize, n: usize) -> std::ops::Range<usize> {
    let page = page.min(pages(n) - 1);
    let start = page * PAGE_SIZE;
    start..(start + PAGE_SIZE).min(n)
}

/// The whole `summary.csv`: the header and one line per row, each ended by `\n` as the
/// CLI ends them.
pub fn csv<'a>(rows: impl IntoIterator<Item = &'a Row>) -> String {
    let rows = rows.into_iter();
    let mut out = String::with_capacity(64 * (rows.size_hint().0 + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    for row in rows {
        out.push_str(&row.csv_line());
        out.push('\n');
    }
    out
}

/// The batch table: the rows in the order they came (numbered by that order), the order
/// they are shown in, kept up to date as rows arrive, and the band totals. Pushing a
/// row costs a binary search and one insertion into the order (no re-sort, no copy of
/// the rows); only a change of sort re-sorts, once.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Row>,
    order: Vec<usize>,
    sort: Option<Sort>,
    totals: ([usize; 4], usize),
}

impl Table {
    /// An empty table shown in the order the rows come.
    pub fn new() -> Table {
        Table::default()
    }

    /// Adds a row (numbered `len()` before the call) where the current sort puts it:
    /// after every row that does not sort after it, as a stable sort of all the rows
    /// would place it; at the end when unsorted.
    pub fn push(&mut self, row: Row) {
        count_band(&mut self.totals, &row);
        let n = self.rows.len();
        let at = match self.sort {
            Some(by) => self
                .order
                .partition_point(|&i| compare(&self.rows[i], &row, by) != Ordering::Greater),
            None => self.order.len(),
        };
        self.rows.push(row);
        self.order.insert(at, n);
    }

    /// Sorts by `by` (`None`: the order the rows came in); ties keep the order the rows
    /// came in.
    pub fn sort(&mut self, by: Option<Sort>) {
        self.sort = by;
        self.order = (0..self.rows.len()).collect();
        if let Some(by) = by {
            let rows = &self.rows;
            self.order.sort_by(|&a, &b| compare(&rows[a], &rows[b], by));
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows in the order they came (the order of `summary.csv`).
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The rows in the order shown, with their numbers.
    pub fn shown(&self) -> impl Iterator<Item = (usize, &Row)> {
        self.order.iter().map(|&i| (i, &self.rows[i]))
    }

    /// Page `page` of the rows as shown (see [`page_range`]): the only rows copied.
    pub fn page(&self, page: usize) -> Vec<(usize, Row)> {
        self.order[page_range(page, self.len())]
            .iter()
            .map(|&i| (i, self.rows[i].clone()))
            .collect()
    }

    /// [`band_totals`] of the rows, counted as they came.
    pub fn band_totals(&self) -> ([usize; 4], usize) {
        self.totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::SAMPLE_PHASE6;

    #[test]
    fn the_sample_row_is_the_clis() {
        let row = compute("p06_sample".into(), SAMPLE_PHASE6.as_bytes());
        assert_eq!(
            row.csv_line(),
            "p06_sample,1.6970916666666667,ACEPTABLE,PA05:MODERATE PA07:CRITICAL,true,,0,0,0.55,0.04709166666666642,141388008301503,0.8268790985505803,1.4868049093151386e-65,3.853262612155098e-16,0.8268790985505803,0.17312090144941936"
        );
    }

    #[test]
    fn rejected_and_oversized_files_carry_their_code() {
        let bad = compute("bad".into(), b"[{");
        assert_eq!(bad.csv_line(), "bad,,,,false,MALFORMED_JSON,1,0,,,,,,,,");
        assert_eq!(
            too_large("big".into()).csv_line(),
            "big,,,,false,INPUT_TOO_LARGE,1,0,,,,,,,,"
        );
        assert!(csv(&[]).starts_with("plan,score,band,gaps,verified,error_code,errors,warnings,nearest_threshold,margin,margin_ulps,p_band,p_excelente,p_bueno,p_aceptable,p_insuficiente\n"));
    }

    #[test]
    fn totals_and_pages() {
        let sample = compute("s".into(), SAMPLE_PHASE6.as_bytes());
        let rows = vec![sample.clone(), sample, too_large("big".into())];
        assert_eq!(band_totals(&rows), ([0, 2, 0, 0], 1));
        assert_eq!(pages(0), 1);
        assert_eq!(pages(100), 1);
        assert_eq!(pages(10_000), 100);
        assert_eq!(page_range(0, 250), 0..100);
        assert_eq!(page_range(2, 250), 200..250);
        assert_eq!(page_range(9, 250), 200..250);
        assert_eq!(page_range(0, 0), 0..0);
    }

    #[test]
    fn margin_and_band_probability_sort_as_numbers() {
        let sample = compute("s".into(), SAMPLE_PHASE6.as_bytes());
        assert_eq!(sample.margin, Some(0.04709166666666642));
        assert_eq!(sample.p_band, Some(0.8268790985505803));
        let mut rows = vec![too_large("big".into()), sample];
        sort(&mut rows, Sort::toggled(None, Column::Margin));
        assert_eq!(rows[0].plan, "s");
        sort(&mut rows, Sort::toggled(None, Column::PBand));
        assert_eq!(rows[1].plan, "big");
    }

    #[test]
    fn bands_sort_by_quality() {
        let mut ranks: Vec<f64> = ["EXCELENTE", "", "INSUFICIENTE", "BUENO", "ACEPTABLE"]
            .into_iter()
            .map(band_rank)
            .collect();
        ranks.sort_by(f64::total_cmp);
        assert_eq!(ranks, [0.0, 1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    fn sorting_keeps_empty_cells_last_both_ways() {
        let mk = |plan: &str, v: Option<f64>| Row {
            value: v,
            score: v.map(|v| format!("{v:?}")).unwrap_or_default(),
            ..unreadable(plan.into())
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

    #[test]
    fn rows_inserted_one_by_one_are_in_the_order_of_a_sort_of_all() {
        // Few distinct values, so every column has ties and empty cells.
        let bands = [
            "BUENO",
            "",
            "EXCELENTE",
            "ACEPTABLE",
            "BUENO",
            "INSUFICIENTE",
        ];
        let rows: Vec<Row> = (0..60_u32)
            .map(|i| {
                let v = [
                    Some(1.5),
                    None,
                    Some(0.25),
                    Some(1.5),
                    Some(-0.0),
                    Some(0.0),
                ][(i % 6) as usize];
                Row {
                    value: v,
                    score: v.map(|v| format!("{v:?}")).unwrap_or_default(),
                    band: bands[(i % 5) as usize].into(),
                    gaps: ["", "PA01:MODERATE", "PA02:CRITICAL"][(i % 3) as usize].into(),
                    verified: i % 4 == 0,
                    error_code: ["", "", "MALFORMED_JSON"][(i % 7 % 3) as usize].into(),
                    margin: [None, Some(0.5), Some(-0.5), Some(0.5)][(i % 4) as usize],
                    p_band: [Some(0.9), None, Some(0.1)][(i % 3) as usize],
                    ..unreadable(format!("p{}", i % 9))
                }
            })
            .collect();
        let plans = |rows: &mut dyn Iterator<Item = &Row>| -> Vec<String> {
            rows.map(|r| format!("{}/{:?}", r.plan, r.value)).collect()
        };
        for column in Column::ALL {
            for ascending in [true, false] {
                let by = Sort { column, ascending };
                let mut whole = rows.clone();
                sort(&mut whole, by);
                let mut table = Table::new();
                table.sort(Some(by));
                for row in rows.iter().cloned() {
                    table.push(row);
                }
                let shown: Vec<usize> = table.shown().map(|(i, _)| i).collect();
                assert_eq!(
                    plans(&mut table.shown().map(|(_, r)| r)),
                    plans(&mut whole.iter()),
                    "{by:?}"
                );
                // Ties keep the order the rows came in, as the stable sort does.
                let mut stable: Vec<usize> = (0..rows.len()).collect();
                stable.sort_by(|&a, &b| compare(&rows[a], &rows[b], by));
                assert_eq!(shown, stable, "{by:?}");
                // Re-sorting the filled table gives the same order again.
                table.sort(Some(by));
                assert_eq!(table.shown().map(|(i, _)| i).collect::<Vec<_>>(), stable);
            }
        }
        // Unsorted: the order they came in; the totals are those of all the rows.
        let mut table = Table::new();
        for row in rows.iter().cloned() {
            table.push(row);
        }
        assert!(table.shown().map(|(i, _)| i).eq(0..rows.len()));
        assert_eq!(table.band_totals(), band_totals(&rows));
        assert_eq!(table.band_totals(), ([0, 12, 24, 12], 12));
        assert_eq!(table.page(0).len(), PAGE_SIZE.min(rows.len()));
        assert_eq!(csv(table.rows()), csv(&rows));
    }
}
