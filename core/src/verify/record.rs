//! The verifier's check list: one [`VerificationCheck`] per compared field, built from
//! bit-level comparisons ([`crate::diff`]) and strict parses of the supplied files.

use crate::diff::{compare, join, join_key, path_under, value_text, Leaf};
use crate::read::json::{self, Finding, Json};
use crate::verify::VerificationCheck;

/// Collects checks; keeps the code below short.
pub(crate) struct Checks(pub(crate) Vec<VerificationCheck>);

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
        self.0.push(VerificationCheck {
            name: name.into(),
            passed,
            path: path.into(),
            expected: expected.into(),
            actual: actual.into(),
            note: note.into(),
        });
    }

    /// One passing check when `actual` equals `expected` in every leaf, otherwise one
    /// failing check per differing leaf.
    pub(crate) fn section(
        &mut self,
        name: &str,
        path: &str,
        expected: &Json,
        actual: Option<&Json>,
    ) {
        let mut leaves = Vec::new();
        compare(path, expected, actual, &mut leaves);
        let failed: Vec<Leaf> = leaves.into_iter().filter(|l| !l.equal).collect();
        if failed.is_empty() {
            let shown = actual.map_or_else(String::new, value_text);
            self.push(name, true, path, value_text(expected), shown, "");
        } else {
            for l in failed {
                self.push(name, false, l.path, l.expected, l.actual, l.note);
            }
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
            for (k, v) in fields {
                if expected.get(k).is_none() {
                    self.push(
                        name,
                        false,
                        join(path, k),
                        "(absent)",
                        value_text(v),
                        "unexpected field",
                    );
                }
            }
        }
    }

    /// Parse findings (duplicate keys, non-finite numbers) as failed checks.
    pub(crate) fn findings(&mut self, file: &str, findings: &[Finding]) {
        for f in findings {
            match f {
                Finding::DuplicateKey { path, key } => self.push(
                    format!("{file} has no duplicate keys"),
                    false,
                    join_key(&path_under(file, path), key),
                    "each key once",
                    format!("key {} more than once", key.quoted()),
                    "a duplicated key makes the claim ambiguous",
                ),
                Finding::NonFinite { path, token } => self.push(
                    format!("{file} has only finite numbers"),
                    false,
                    path_under(file, path),
                    "a finite number",
                    token.clone(),
                    "",
                ),
            }
        }
    }
}

pub(crate) fn parse_file(checks: &mut Checks, file: &str, bytes: &[u8]) -> Option<Json> {
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
            checks.findings(file, &doc.findings);
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
