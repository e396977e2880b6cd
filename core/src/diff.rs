//! Bit-level comparison of two JSON values: what verification, claim checks and the
//! vector tests use to say exactly which field differs and by how much.
//!
//! Numbers are equal only when their bits are (`f64::to_bits`, so `0.0` and `-0.0`
//! differ); the distance of two numbers is given in units in the last place ([`ulps`]).

use serde::Serialize;

use crate::read::json::{self, Json};

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
                    "{path}: expected {e:?} ({:#018x}), got {a:?} ({:#018x})",
                    e.to_bits(),
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
/// [`json::path_text`].
pub(crate) fn join(path: &str, key: &str) -> String {
    let mut out = path.to_string();
    json::push_key(&mut out, key);
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

pub(crate) fn value_text(v: &Json) -> String {
    match v {
        Json::Array(_) | Json::Object(_) => v.excerpt(),
        _ => v.to_string(),
    }
}

/// Compares `actual` against `expected`, appending one [`Leaf`] per scalar (and per
/// empty array or object, missing field, unexpected field, length mismatch). Numbers are
/// equal only when their bits are; object keys are compared as sets (order is not
/// meaning); arrays element by element.
pub fn compare(path: &str, expected: &Json, actual: Option<&Json>, out: &mut Vec<Leaf>) {
    let leaf = |equal: bool, actual: String, ulps: Option<u64>, note: String| Leaf {
        path: path.to_string(),
        expected: value_text(expected),
        actual,
        equal,
        ulps,
        note,
    };
    let Some(actual) = actual else {
        out.push(leaf(
            false,
            "(missing)".into(),
            None,
            "field missing".into(),
        ));
        return;
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
            out.push(leaf(
                equal,
                value_text(actual),
                if equal { Some(0) } else { d },
                note,
            ));
        }
        (Json::Array(e), Json::Array(a)) => {
            if e.len() != a.len() {
                out.push(leaf(
                    false,
                    value_text(actual),
                    None,
                    format!("length: expected {}, found {}", e.len(), a.len()),
                ));
            } else if e.is_empty() {
                out.push(leaf(true, value_text(actual), None, String::new()));
            }
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), x, Some(y), out);
            }
        }
        (Json::Object(e), Json::Object(a)) => {
            if e.is_empty() && a.is_empty() {
                out.push(leaf(true, value_text(actual), None, String::new()));
            }
            for (k, x) in e {
                compare(&join(path, k), x, actual.get(k), out);
            }
            for (k, y) in a {
                if expected.get(k).is_none() {
                    out.push(Leaf {
                        path: join(path, k),
                        expected: "(absent)".into(),
                        actual: value_text(y),
                        equal: false,
                        ulps: None,
                        note: "unexpected field".into(),
                    });
                }
            }
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
            out.push(leaf(equal, value_text(actual), None, note));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulps_counts_adjacent_floats() {
        assert_eq!(ulps(1.0, 1.0), Some(0));
        assert_eq!(ulps(1.0, f64::from_bits(1.0f64.to_bits() + 1)), Some(1));
        assert_eq!(ulps(0.0, -0.0), Some(0));
        assert_eq!(ulps(5e-324, -5e-324), Some(2));
        assert_eq!(ulps(f64::NAN, 1.0), None);
        assert_eq!(ulps(f64::MAX, f64::INFINITY), Some(1));
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
        compare("", &e, Some(&a), &mut out);
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
