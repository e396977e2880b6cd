//! Bit-level comparison of two JSON values: what verification, claim checks and the
//! vector tests use to say exactly which field differs and by how much.
//!
//! Numbers are equal only when their bits are (`f64::to_bits`, so `0.0` and `-0.0`
//! differ); the distance of two numbers is given in units in the last place ([`ulps`]).
//!
//! Reports stay small whatever the files hold: [`compare_each`] streams its leaves (only
//! the expected side's shape is walked, plus the actual side's extra keys), values are
//! shown as [`value_text`] (at most [`VALUE_CHARS`] characters), keys in paths are cut
//! as messages cut them, and `Grouped` keeps the first
//! [`crate::error::MAX_LISTED_PER_CODE`] entries of each group and counts the rest.

use std::fmt::Write as _;

use serde::Serialize;

use crate::error::MAX_LISTED_PER_CODE;
use crate::read::json::{self, Json, StrIndex};

/// Characters of a string value a report shows before cutting it (with its length).
pub const VALUE_CHARS: usize = 256;

/// Where `actual` differs from `expected`: numbers by their
/// bits (`f64::to_bits`, so `0.0` and `-0.0` differ), strings, booleans and nulls by
/// equality, arrays element by element, and objects key by key over the keys of
/// `expected` (extra keys in `actual` are ignored). Each difference is one line naming
/// the path. This is how the tests compare against the public vectors.
pub fn bit_differences(expected: &Json, actual: &Json) -> Vec<String> {
    let mut out = Vec::new();
    diff_into("", expected, actual, &mut out);
    out
}

fn diff_into(path: &str, expected: &Json, actual: &Json, out: &mut Vec<String>) {
    match (expected, actual) {
        (Json::Number(e), Json::Number(a)) => {
            if e.to_bits() != a.to_bits() {
                out.push(format!(
                    "{path}: expected {} ({:#018x}), got {} ({:#018x})",
                    crate::decimal::debug(*e),
                    e.to_bits(),
                    crate::decimal::debug(*a),
                    a.to_bits()
                ));
            }
        }
        (Json::Array(e), Json::Array(a)) if e.len() == a.len() => {
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                diff_into(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (Json::Object(e), Json::Object(_)) => {
            for (k, x) in e {
                match actual.get(k) {
                    Some(y) => diff_into(&format!("{path}.{k}"), x, y, out),
                    None => out.push(format!("{path}.{k}: missing")),
                }
            }
        }
        _ => {
            if expected != actual {
                out.push(format!("{path}: expected {expected}, got {actual}"));
            }
        }
    }
}

/// One compared leaf of two JSON values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Leaf {
    /// Its path.
    pub path: String,
    /// The expected value, as JSON text.
    pub expected: String,
    /// The actual value, as JSON text (`(missing)` when absent).
    pub actual: String,
    /// Bit-identical (numbers by `to_bits`).
    pub equal: bool,
    /// For two numbers, their distance in units in the last place.
    pub ulps: Option<u64>,
    /// Why they differ.
    pub note: String,
}

/// Whether two values are the same to the bit: numbers by `f64::to_bits`, arrays element
/// by element, objects key by key in order (two objects with the same entries in another
/// order differ here), everything else by equality. No allocation.
pub fn same_bits(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.to_bits() == y.to_bits(),
        (Json::Array(xs), Json::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_bits(x, y))
        }
        (Json::Object(xs), Json::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .zip(ys)
                    .all(|((kx, x), (ky, y))| kx == ky && same_bits(x, y))
        }
        _ => a == b,
    }
}

/// Distance in ulps between two floats (`None` when either is NaN). `+0.0` and `-0.0`
/// are 0 apart (their bits still differ).
pub fn ulps(a: f64, b: f64) -> Option<u64> {
    if a.is_nan() || b.is_nan() {
        return None;
    }
    // Map the bits onto a line where adjacent floats are adjacent integers.
    let key = |x: f64| -> i128 {
        let bits = x.to_bits();
        if bits >> 63 == 1 {
            -i128::from(bits & !(1u64 << 63))
        } else {
            i128::from(bits)
        }
    };
    u64::try_from((key(a) - key(b)).abs()).ok()
}

/// `a.b`, `a["odd key"]` path joining, in the unambiguous form of
/// [`json::path_text`] (a long key cut as a finding's path cuts it).
pub(crate) fn join(path: &str, key: &str) -> String {
    let mut out = path.to_string();
    match json::Step::key_recorded(key) {
        json::Step::Key(k) => json::push_key(&mut out, &k),
        long => out.push_str(&json::path_text(&[long])),
    }
    out
}

/// [`join`] for a key as a finding records it (cut when long).
pub(crate) fn join_key(path: &str, key: &json::Shown) -> String {
    if !key.is_cut() {
        return join(path, key.head());
    }
    let step = [json::Step::LongKey(key.clone())];
    format!("{path}{}", json::path_text(&step))
}

/// `root` followed by a parsed path: `certificate.digests`, `macro_score[0]`; `root`
/// alone for the document itself.
pub(crate) fn path_under(root: &str, steps: &[json::Step]) -> String {
    if steps.is_empty() {
        return root.to_string();
    }
    let rest = json::path_text(steps);
    if root.is_empty() || rest.starts_with('[') {
        format!("{root}{rest}")
    } else {
        format!("{root}.{rest}")
    }
}

/// A value as a report shows it: a container as its [`Json::excerpt`], a string as JSON
/// text cut after [`VALUE_CHARS`] characters (`"aaaa…" (N bytes)`), a scalar whole.
pub fn value_text(v: &Json) -> String {
    match v {
        Json::Array(_) | Json::Object(_) => v.excerpt(),
        Json::String(s) => match s.char_indices().nth(VALUE_CHARS) {
            None => v.to_string(),
            Some((i, _)) => {
                let mut out = String::new();
                let _ =
                    json::write_json_str(&mut out, &format!("{}…", s.get(..i).unwrap_or_default()));
                let _ = write!(out, " ({} bytes)", s.len());
                out
            }
        },
        _ => v.to_string(),
    }
}

/// The expected text of a leaf for a key `actual` has and `expected` does not.
pub const ABSENT: &str = "(absent)";

/// Compares `actual` against `expected`, appending one [`Leaf`] per scalar (and per
/// empty array or object, missing field, unexpected field, length mismatch). Numbers are
/// equal only when their bits are; object keys are compared as sets (order is not
/// meaning); arrays element by element. See [`compare_each`] to stream the leaves.
///
/// Unexpected fields past the first [`MAX_LISTED_PER_CODE`]` + 1` under `path` are
/// counted, not appended: they all differ the same way, a report lists no more of them
/// than that, and a claim can hold millions (issue 9, "Cost": their leaves were the claim
/// check's peak memory). `settled` says every leaf is as alike as that (the claim check:
/// a value every hypothesis gives to the same bits, such as an input's areas, which can
/// be millions): then past the first [`MAX_LISTED_PER_CODE`]` + 1` different and the
/// first [`MAX_LISTED_PER_CODE`]` + 1` equal leaves, each is counted. Returns the counts:
/// different, equal.
pub fn compare(
    path: &str,
    expected: &Json,
    actual: Option<&Json>,
    settled: bool,
    out: &mut Vec<Leaf>,
) -> [u64; 2] {
    if settled && actual.is_some_and(|a| same_bits(expected, a)) {
        // Every leaf equal: the first are kept and the others counted, without writing
        // their paths and texts (an input's areas, millions, in a genuine claim).
        let mut kept = 0u64;
        compare_each(path, expected, actual, &mut |l| {
            out.push(l);
            kept += 1;
            kept <= MAX_LISTED_PER_CODE as u64
        });
        return [0, leaf_count(expected).saturating_sub(kept)];
    }
    // Seen and counted: unexpected (not settled), different, equal (settled).
    let (mut seen, mut more) = ([0; 3], [0; 3]);
    compare_each(path, expected, actual, &mut |l| {
        let kind = if settled {
            1 + usize::from(l.equal)
        } else if l.expected == ABSENT {
            0
        } else {
            out.push(l);
            return true;
        };
        seen[kind] += 1;
        if seen[kind] > MAX_LISTED_PER_CODE + 1 {
            more[kind] += 1;
        } else {
            out.push(l);
        }
        true
    });
    [more[0] + more[1], more[2]]
}

/// [`compare`], handing each leaf to `out` as it is found (nothing is collected), while
/// `out` returns true; whether it walked to the end. Walks `expected`'s shape and
/// `actual`'s extra keys: linear in both. (Long: one arm per pair of JSON types.)
pub fn compare_each(
    path: &str,
    expected: &Json,
    actual: Option<&Json>,
    out: &mut dyn FnMut(Leaf) -> bool,
) -> bool {
    let leaf = |equal: bool, actual: String, ulps: Option<u64>, note: String| Leaf {
        path: path.to_string(),
        expected: value_text(expected),
        actual,
        equal,
        ulps,
        note,
    };
    let Some(actual) = actual else {
        return out(leaf(
            false,
            "(missing)".into(),
            None,
            "field missing".into(),
        ));
    };
    match (expected, actual) {
        (Json::Number(e), Json::Number(a)) => {
            let equal = e.to_bits() == a.to_bits();
            let d = ulps(*e, *a);
            let note = if equal {
                String::new()
            } else if !a.is_finite() || !e.is_finite() {
                "not finite".into()
            } else if d == Some(0) {
                "sign of zero differs".into()
            } else {
                d.map_or_else(String::new, |d| format!("{d} ulp apart"))
            };
            out(leaf(
                equal,
                value_text(actual),
                if equal { Some(0) } else { d },
                note,
            ))
        }
        (Json::Array(e), Json::Array(a)) => {
            let go_on = if e.len() != a.len() {
                out(leaf(
                    false,
                    value_text(actual),
                    None,
                    format!("length: expected {}, found {}", e.len(), a.len()),
                ))
            } else {
                !e.is_empty() || out(leaf(true, value_text(actual), None, String::new()))
            };
            go_on
                && e.iter()
                    .zip(a)
                    .enumerate()
                    .all(|(i, (x, y))| compare_each(&format!("{path}[{i}]"), x, Some(y), out))
        }
        (Json::Object(e), Json::Object(a)) => {
            (!(e.is_empty() && a.is_empty())
                || out(leaf(true, value_text(actual), None, String::new())))
                && e.iter()
                    .all(|(k, x)| compare_each(&join(path, k), x, actual.get(k), out))
                && a.iter().all(|(k, y)| {
                    expected.get(k).is_some()
                        || out(Leaf {
                            path: join(path, k),
                            expected: ABSENT.into(),
                            actual: value_text(y),
                            equal: false,
                            ulps: None,
                            note: "unexpected field".into(),
                        })
                })
        }
        _ => {
            let equal = expected == actual;
            let note = if equal || expected.type_name() == actual.type_name() {
                String::new()
            } else {
                format!(
                    "type: expected {}, found {}",
                    expected.type_name(),
                    actual.type_name()
                )
            };
            out(leaf(equal, value_text(actual), None, note))
        }
    }
}

/// How many leaves [`compare_each`] gives for a value compared with itself.
fn leaf_count(v: &Json) -> u64 {
    match v {
        Json::Array(items) if !items.is_empty() => items.iter().map(leaf_count).sum(),
        Json::Object(fields) if !fields.is_empty() => {
            fields.iter().map(|(_, v)| leaf_count(v)).sum()
        }
        _ => 1,
    }
}

/// Items one `Grouped` lists in all its groups together: past it each item is counted
/// in its group's stand-in. (A verification compares about a hundred sections; hostile
/// files differing in a hundred long fields under each made a report of 12 MB.) A
/// verification or a claim check that holds lists about a hundred.
pub const MAX_LISTED_IN_ALL: usize = 300;

/// Keeps the first [`MAX_LISTED_PER_CODE`] items of each group (a report's section and
/// status), and at most [`MAX_LISTED_IN_ALL`] in all, and counts the rest, so a report on
/// a hostile file stays small; `finish` puts one stand-in for each group's uncounted
/// items after its last listed one (at the end for a group with none listed).
pub(crate) struct Grouped<T> {
    listed: Vec<T>,
    /// Per group, in order of first appearance: name, listed, more, index of the last
    /// listed.
    groups: Vec<(String, usize, u64, usize)>,
    index: StrIndex,
}

impl<T> Default for Grouped<T> {
    fn default() -> Self {
        Grouped {
            listed: Vec::new(),
            groups: Vec::new(),
            index: StrIndex::default(),
        }
    }
}

impl<T> Grouped<T> {
    fn group(&mut self, name: &str) -> &mut (String, usize, u64, usize) {
        let groups = &self.groups;
        let at = match self.index.find(name, &|i| groups[i].0.as_str()) {
            Some(i) => i,
            None => {
                self.index.insert(name, self.groups.len());
                self.groups.push((name.to_string(), 0, 0, usize::MAX));
                self.groups.len() - 1
            }
        };
        &mut self.groups[at]
    }

    /// Lists `item` if its group and the report have room, else counts it.
    pub(crate) fn push(&mut self, group: &str, item: T) {
        let at = self.listed.len();
        let g = self.group(group);
        if g.1 < MAX_LISTED_PER_CODE && at < MAX_LISTED_IN_ALL {
            g.1 += 1;
            g.3 = at;
            self.listed.push(item);
        } else {
            g.2 += 1;
        }
    }

    /// True while items of `group` are still listed (so a caller can skip building one
    /// that would only be counted).
    pub(crate) fn has_room(&self, group: &str) -> bool {
        let groups = &self.groups;
        self.listed.len() < MAX_LISTED_IN_ALL
            && self
                .index
                .find(group, &|i| groups[i].0.as_str())
                .is_none_or(|i| groups[i].1 < MAX_LISTED_PER_CODE)
    }

    /// Whether any group so far has a name starting with `prefix` (listed items or not).
    pub(crate) fn any_group(&self, prefix: u8) -> bool {
        self.groups
            .iter()
            .any(|g| g.0.as_bytes().first() == Some(&prefix))
    }

    /// Counts `n` more items of `group` that are not listed.
    pub(crate) fn add_more(&mut self, group: &str, n: u64) {
        if n > 0 {
            self.group(group).2 += n;
        }
    }

    /// The listed items, with `more(group, n)` after the last listed item of each group
    /// that had `n` more.
    pub(crate) fn finish(self, more: impl Fn(&str, u64) -> T) -> Vec<T> {
        let mut after: Vec<(usize, &str, u64)> = self
            .groups
            .iter()
            .filter(|g| g.2 > 0)
            .map(|(name, listed, n, last)| {
                let at = if *listed > 0 { *last } else { usize::MAX };
                (at, name.as_str(), *n)
            })
            .collect();
        if after.is_empty() {
            return self.listed;
        }
        crate::error::order_by_position(&mut after);
        let mut out = Vec::with_capacity(self.listed.len() + after.len());
        let mut pending = after.into_iter().peekable();
        for (i, item) in self.listed.into_iter().enumerate() {
            out.push(item);
            while let Some((_, g, n)) = pending.next_if(|(at, ..)| *at == i) {
                out.push(more(g, n));
            }
        }
        for (_, g, n) in pending {
            out.push(more(g, n));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bits_sees_the_sign_of_zero_and_the_order() {
        let p = |t: &str| json::parse(t.as_bytes()).unwrap().value;
        assert!(same_bits(
            &p(r#"{"a": [0.0, "x"]}"#),
            &p(r#"{"a": [0.0, "x"]}"#)
        ));
        assert!(!same_bits(&p(r#"{"a": [0.0]}"#), &p(r#"{"a": [-0.0]}"#)));
        assert!(!same_bits(
            &p(r#"{"a": 1, "b": 2}"#),
            &p(r#"{"b": 2, "a": 1}"#)
        ));
        assert!(!same_bits(&p("[1]"), &p("[1, 2]")));
    }

    #[test]
    fn paths_under_a_root_join_keys_with_a_dot_and_indices_without() {
        let k = |s: &str| json::Step::Key(s.into());
        assert_eq!(path_under("certificate", &[]), "certificate");
        assert_eq!(
            path_under("certificate", &[k("digests"), k("input")]),
            "certificate.digests.input"
        );
        assert_eq!(
            path_under("macro_score", &[json::Step::Index(0)]),
            "macro_score[0]"
        );
        assert_eq!(path_under("", &[k("a")]), json::path_text(&[k("a")]));
    }

    #[test]
    fn grouped_lists_the_first_of_each_group_and_counts_the_rest() {
        let mut g: Grouped<String> = Grouped::default();
        for i in 0..MAX_LISTED_PER_CODE {
            assert!(g.has_room("a"), "{i}");
            g.push("a", format!("a{i}"));
        }
        assert!(!g.has_room("a"));
        assert!(g.has_room("b"));
        g.push("a", "not listed".into());
        g.push("b", "b0".into());
        g.add_more("a", 2);
        g.add_more("c", 0);
        let out = g.finish(|group, n| format!("{group}+{n}"));
        assert_eq!(out.len(), MAX_LISTED_PER_CODE + 2);
        assert_eq!(
            out[MAX_LISTED_PER_CODE - 1],
            format!("a{}", MAX_LISTED_PER_CODE - 1)
        );
        assert_eq!(out[MAX_LISTED_PER_CODE], "a+3");
        assert_eq!(out[MAX_LISTED_PER_CODE + 1], "b0");
    }

    #[test]
    fn grouped_lists_at_most_its_total_and_counts_every_group_past_it() {
        let mut g: Grouped<String> = Grouped::default();
        let groups = MAX_LISTED_IN_ALL / 50 + 2;
        for i in 0..groups {
            for j in 0..60 {
                g.push(&format!("g{i}"), format!("g{i}.{j}"));
            }
        }
        assert!(!g.has_room("new"));
        g.push("new", "not listed".into());
        let out = g.finish(|group, n| format!("{group}+{n}"));
        let listed = out.iter().filter(|s| !s.contains('+')).count();
        assert_eq!(listed, MAX_LISTED_IN_ALL);
        // Each group past its listed items, and the groups with none listed at the end,
        // in the order they came: every item accounted for.
        let counted: usize = out
            .iter()
            .filter_map(|s| s.split_once('+'))
            .map(|(_, n)| n.parse::<usize>().unwrap())
            .sum();
        assert_eq!(listed + counted, groups * 60 + 1);
        assert_eq!(out.last().map(String::as_str), Some("new+1"));
    }

    #[test]
    fn ulps_counts_adjacent_floats() {
        assert_eq!(ulps(1.0, 1.0), Some(0));
        assert_eq!(ulps(1.0, f64::from_bits(1.0f64.to_bits() + 1)), Some(1));
        assert_eq!(ulps(0.0, -0.0), Some(0));
        assert_eq!(ulps(5e-324, -5e-324), Some(2));
        assert_eq!(ulps(f64::NAN, 1.0), None);
        assert_eq!(ulps(f64::MAX, f64::INFINITY), Some(1));
    }

    /// A settled value with the same bits is only partly walked ([`compare`]): it keeps
    /// and counts what the walk over every leaf keeps and counts.
    #[test]
    fn a_settled_value_with_the_same_bits_is_counted_as_walked() {
        let numbers: Vec<String> = (0..250).map(|i| format!("{i}.5")).collect();
        let numbers = format!("[{}]", numbers.join(","));
        let texts = [
            include_str!("../../tests/fixtures/p06_sample.json").to_string(),
            "[]".into(),
            "{}".into(),
            "-0.0".into(),
            r#"{"a": [], "b": {}, "c": [[], {}, [[]]], "d": null, "e": "x"}"#.into(),
            format!(r#"{{"n": {numbers}, "m": [{numbers}, {{"k": {numbers}}}], "z": true}}"#),
            format!("[{numbers}, {numbers}, []]"),
        ];
        for text in texts {
            let v = json::parse(text.as_bytes()).unwrap().value;
            let mut fast = Vec::new();
            let counts = compare("x", &v, Some(&v.clone()), true, &mut fast);
            let (mut walked, mut n) = (Vec::new(), 0u64);
            compare_each("x", &v, Some(&v), &mut |l| {
                assert!(l.equal);
                n += 1;
                if n <= MAX_LISTED_PER_CODE as u64 + 1 {
                    walked.push(l);
                }
                true
            });
            assert_eq!(fast, walked, "{text}");
            assert_eq!(counts, [0, n - walked.len() as u64], "{text}");
        }
    }

    #[test]
    fn compare_reports_every_kind_of_difference() {
        let e = json::parse(br#"{"a": 1.0, "b": [1, 2], "c": {"d": "x"}, "e": {}}"#)
            .unwrap()
            .value;
        let a =
            json::parse(br#"{"a": 1.0000000000000002, "b": [1], "c": {"d": 1}, "z": 0, "e": {}}"#)
                .unwrap()
                .value;
        let mut out = Vec::new();
        compare("", &e, Some(&a), false, &mut out);
        let bad: Vec<(&str, &str)> = out
            .iter()
            .filter(|l| !l.equal)
            .map(|l| (l.path.as_str(), l.note.as_str()))
            .collect();
        assert_eq!(
            bad,
            [
                ("a", "1 ulp apart"),
                ("b", "length: expected 2, found 1"),
                ("c.d", "type: expected string, found number"),
                ("z", "unexpected field"),
            ]
        );
    }

    #[test]
    fn bit_differences_see_the_sign_of_zero() {
        let e = json::parse(br#"{"a": [0.0, "x"], "b": 1}"#).unwrap().value;
        let same = json::parse(br#"{"b": 1, "a": [0.0, "x"], "extra": 2}"#)
            .unwrap()
            .value;
        assert!(bit_differences(&e, &same).is_empty());
        let neg = json::parse(br#"{"a": [-0.0, "x"], "b": 1}"#).unwrap().value;
        assert_eq!(bit_differences(&e, &neg).len(), 1);
        let short = json::parse(br#"{"a": [0.0]}"#).unwrap().value;
        assert_eq!(
            bit_differences(&e, &short),
            vec![".a: expected [0.0, \"x\"], got [0.0]", ".b: missing"]
        );
    }
}
