//! Verifying `macro_score.json`: every field against the rerun's MacroScore, its
//! `evaluation_timestamp` against the certificate's record, and its digest against the
//! certificate's output digest.

use crate::attest::audit;
use crate::attest::jcs::Member;
use crate::diff::{join, value_text};
use crate::phase::Run;
use crate::read::json::Json;
use crate::verify::record::{str_of, text_of, Checks};

/// `macro_score.json` against the rerun's MacroScore, and against the certificate.
pub(super) fn macro_score_fields(
    checks: &mut Checks,
    run: Option<&Run>,
    cert: Option<&Json>,
    m: &Json,
) {
    if let Some(run) = run {
        match audit::to_json(&run.macro_score.reproducible()) {
            Ok(expected) => {
                if let Json::Object(fields) = &expected {
                    for (key, e) in fields {
                        if key == "evaluation_timestamp" {
                            continue;
                        }
                        checks.section(
                            &format!("macro_score.json: {key}"),
                            &join("macro_score", key),
                            e,
                            m.get(key),
                        );
                    }
                }
                checks.unexpected_keys("macro_score.json", "macro_score", &expected, m);
            }
            Err(e) => checks.push(
                "macro_score.json compared with the rerun",
                false,
                "macro_score",
                "the rerun's MacroScore",
                e.to_string(),
                "",
            ),
        }
    }
    let Some(cert) = cert else { return };
    // Borrowed, never cloned: the value is the supplied file's, of any size.
    let recorded = cert.get("evaluation_timestamp").unwrap_or(&Json::Null);
    let found = m.get("evaluation_timestamp");
    checks.push(
        "macro_score.json evaluation_timestamp matches the certificate's record",
        found == Some(recorded),
        "macro_score.evaluation_timestamp",
        value_text(recorded),
        text_of(found),
        "the caller's time is not reproducible: checked against certificate.evaluation_timestamp only",
    );
    // The file itself, digested as the certificate's output digest is defined.
    let claimed = cert.get("digests").and_then(|d| d.get("output"));
    let without_time = |k: &str| {
        if k == "evaluation_timestamp" {
            Member::Null
        } else {
            Member::Keep
        }
    };
    let (ok, actual, note) = match crate::attest::digest::of_json_edited(m, &without_time) {
        Ok(d) => (
            str_of(claimed) == Some(d.as_str()),
            format!("{d:?}"),
            String::new(),
        ),
        Err(e) => (false, "(not digestible)".to_string(), e.to_string()),
    };
    checks.push(
        "macro_score.json is the output the certificate names",
        ok,
        "certificate.digests.output",
        text_of(claimed),
        actual,
        if ok {
            "expected: the certificate's digest; actual: the digest of macro_score.json without evaluation_timestamp".to_string()
        } else {
            note
        },
    );
}
