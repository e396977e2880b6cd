//! The verifier's check list: one [`VerificationCheck`] per compared field, built from
//! bit-level comparisons ([`crate::diff`]) and strict parses of the supplied files.
//!
//! Bounded whatever the files hold: at most [`crate::error::MAX_LISTED_PER_CODE`] checks
//! of one name and outcome are listed, then one check (with `omitted`) counts the rest.

use crate::diff::{
    compare_each, join, join_key, path_under, same_bits, value_text, Grouped, ABSENT,
};
use crate::read::json::{self, Finding, Json};
use crate::verify::VerificationCheck;

/// Collects checks (capped per name and outcome); keeps the code below short.
#[derive(Default)]
pub(crate) struct Checks(Grouped<VerificationCheck>);

impl Checks {
    pub(crate) fn push(
        &mut self,
        name: impl Into<String>,
        passed: bool,
        path: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
        note: impl Into<String>,
    ) {
        let name = name.into();
        let group = group(&name, passed);
        self.0.push(
            &group,
            VerificationCheck {
                name,
                passed,
                path: path.into(),
                expected: expected.into(),
                actual: actual.into(),
                note: note.into(),
                omitted: None,
            },
        );
    }

    /// Counts `n` more failed checks named `name` that are not listed.
    pub(crate) fn more_failed(&mut self, name: &str, n: u64) {
        self.0.add_more(&group(name, false), n);
    }

    /// Whether any check so far failed.
    pub(crate) fn any_failed(&self) -> bool {
        self.0.any_group(b'0')
    }

    /// Every check, each name's overflow counted in one check after its last listed one.
    pub(crate) fn finish(self) -> Vec<VerificationCheck> {
        self.0.finish(|group, n| {
            let (passed, name) = match group.split_once('\u{0}') {
                Some(("1", name)) => (true, name),
                Some((_, name)) => (false, name),
                None => (false, group),
            };
            VerificationCheck {
                name: name.to_string(),
                passed,
                path: String::new(),
                expected: String::new(),
                actual: String::new(),
                note: format!(
                    "...and {n} more {} check(s) of this kind, not listed",
                    if passed { "passed" } else { "failed" },
                ),
                omitted: Some(n),
            }
        })
    }

    /// One passing check when `actual` equals `expected` in every leaf, otherwise one
    /// failing check per differing leaf.
    ///
    /// Two values the same to the bit (in the same member order: [`same_bits`], no
    /// allocation) have every leaf equal, so the leaf-by-leaf walk, which writes each
    /// leaf's path and texts, is only taken when they are not: for a certificate that
    /// verifies, that was most of a verification's allocations.
    pub(crate) fn section(
        &mut self,
        name: &str,
        path: &str,
        expected: &Json,
        actual: Option<&Json>,
    ) {
        let mut failed = false;
        if !actual.is_some_and(|a| same_bits(expected, a)) {
            compare_each(path, expected, actual, &mut |l| {
                if !l.equal {
                    failed = true;
                    self.push(name, false, l.path, l.expected, l.actual, l.note);
                }
                true
            });
        }
        if !failed {
            let shown = actual.map_or_else(String::new, value_text);
            self.push(name, true, path, value_text(expected), shown, "");
        }
    }

    /// One failing check per key of `actual` that `expected` lacks.
    pub(crate) fn unexpected_keys(
        &mut self,
        name: &str,
        path: &str,
        expected: &Json,
        actual: &Json,
    ) {
        if let Json::Object(fields) = actual {
            let group = group(name, false);
            for (k, v) in fields {
                if expected.get(k).is_some() {
                    continue;
                }
                // Past the listed ones, only counted: nothing is built for them.
                if self.0.has_room(&group) {
                    self.push(
                        name,
                        false,
                        join(path, k),
                        ABSENT,
                        value_text(v),
                        "unexpected field",
                    );
                } else {
                    self.0.add_more(&group, 1);
                }
            }
        }
    }

    /// Parse findings (duplicate keys, non-finite numbers) as failed checks, and those
    /// the parser only counted.
    pub(crate) fn findings(&mut self, file: &str, findings: &[Finding], more: json::More) {
        for f in findings {
            match f {
                Finding::DuplicateKey { path, key, .. } => self.push(
                    format!("{file} has no duplicate keys"),
                    false,
                    join_key(&path_under(file, path), key),
                    "each key once",
                    format!("key {} more than once", key.quoted()),
                    "a duplicated key makes the claim ambiguous",
                ),
                Finding::NonFinite { path, token, .. } => self.push(
                    format!("{file} has only finite numbers"),
                    false,
                    path_under(file, path),
                    "a finite number",
                    token.clone(),
                    "",
                ),
            }
        }
        self.more_failed(
            &format!("{file} has no duplicate keys"),
            more.duplicate_keys,
        );
        self.more_failed(&format!("{file} has only finite numbers"), more.non_finite);
    }
}

/// Parses a supplied file strictly, recording the outcome; a file over `limit` bytes is
/// refused unread (one failed check).
pub(crate) fn parse_file(
    checks: &mut Checks,
    file: &str,
    bytes: &[u8],
    limit: u64,
) -> Option<Json> {
    if bytes.len() as u64 > limit {
        checks.push(
            format!("{file} parses as JSON"),
            false,
            file,
            format!("at most {limit} bytes"),
            format!("{} bytes", bytes.len()),
            "over the size limit: not read (INPUT_TOO_LARGE)",
        );
        return None;
    }
    match json::parse(bytes) {
        Ok(doc) => {
            checks.push(
                format!("{file} parses as JSON"),
                true,
                file,
                "a JSON document",
                doc.value.type_name(),
                "",
            );
            checks.findings(file, &doc.findings, doc.more);
            Some(doc.value)
        }
        Err(e) => {
            checks.push(
                format!("{file} parses as JSON"),
                false,
                file,
                "a JSON document",
                format!("syntax error at {e}"),
                "an unreadable file cannot be checked: treated as tampered",
            );
            None
        }
    }
}

pub(crate) fn text_of(v: Option<&Json>) -> String {
    v.map_or_else(|| "(missing)".to_string(), value_text)
}

pub(crate) fn str_of(v: Option<&Json>) -> Option<&str> {
    match v {
        Some(Json::String(s)) => Some(s),
        _ => None,
    }
}

/// The group of a check: its outcome and name.
fn group(name: &str, passed: bool) -> String {
    format!("{}\u{0}{name}", if passed { "1" } else { "0" })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checks `section` gave before its shortcut: always the leaf-by-leaf walk.
    fn walked(
        name: &str,
        path: &str,
        expected: &Json,
        actual: Option<&Json>,
    ) -> Vec<VerificationCheck> {
        let mut checks = Checks::default();
        let mut failed = false;
        compare_each(path, expected, actual, &mut |l| {
            if !l.equal {
                failed = true;
                checks.push(name, false, l.path, l.expected, l.actual, l.note);
            }
            true
        });
        if !failed {
            let shown = actual.map_or_else(String::new, value_text);
            checks.push(name, true, path, value_text(expected), shown, "");
        }
        checks.finish()
    }

    #[test]
    fn a_section_reports_as_the_leaf_by_leaf_walk_does() {
        let parse = |t: &str| json::parse(t.as_bytes()).unwrap().value;
        let sample = parse(include_str!("../../../tests/fixtures/p06_sample.json"));
        let base = r#"{"a": [1.0, -0.0, {"b": "x", "c": []}], "d": {}, "e": null, "f": 1e300}"#;
        let mut cases = vec![
            (sample.clone(), Some(sample.clone())),
            (parse(base), Some(parse(base))),
            (parse(base), None),
            // Same members in another order: not the same bits, every leaf equal.
            (
                parse(base),
                Some(parse(
                    r#"{"f": 1e300, "e": null, "d": {}, "a": [1.0, -0.0, {"c": [], "b": "x"}]}"#,
                )),
            ),
            // The sign of a zero, one ulp, a type, a missing and an extra member.
            (
                parse(base),
                Some(parse(
                    r#"{"a": [1.0, 0.0, {"b": "x", "c": []}], "d": {}, "e": null, "f": 1e300}"#,
                )),
            ),
            (
                parse(base),
                Some(parse(
                    r#"{"a": [1.0000000000000002, -0.0, {"b": "x", "c": []}], "d": {}, "e": null, "f": 1e300}"#,
                )),
            ),
            (
                parse(base),
                Some(parse(
                    r#"{"a": [1.0, -0.0, {"b": 1, "c": []}], "d": {}, "e": null}"#,
                )),
            ),
            (
                parse(base),
                Some(parse(
                    r#"{"a": [1.0, -0.0, {"b": "x", "c": []}], "d": {"z": 1}, "e": null, "f": 1e300, "g": 2}"#,
                )),
            ),
            (parse("[]"), Some(parse("[]"))),
            (parse("3"), Some(parse("3.0"))),
        ];
        cases.push((sample, Some(parse("[]"))));
        for (expected, actual) in &cases {
            let mut checks = Checks::default();
            checks.section("s", "root", expected, actual.as_ref());
            assert_eq!(
                checks.finish(),
                walked("s", "root", expected, actual.as_ref()),
                "{expected} against {actual:?}"
            );
        }
    }
}
