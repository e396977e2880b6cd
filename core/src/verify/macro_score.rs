//! Verifying `macro_score.json`: every field against the rerun's MacroScore, its
//! `evaluation_timestamp` against the certificate's record, and its digest against the
//! certificate's output digest.

use crate::attest::audit;
use crate::attest::jcs::Member;
use crate::diff::{join, value_text};
use crate::phase::Run;
use crate::read::json::Json;
use crate::verify::record::{str_of, text_of, Checks};

/// Whether a supplied `macro_score.json` (one over the size limit) is, byte for byte, the
/// file `phase7 run` writes for this input with the certificate's
/// `evaluation_timestamp`: such a file is read whatever its size, any other over the
/// limit is refused unread. The MacroScore repeats what the input carries (a cluster's
/// areas, its `dispersion_scenario`: up to 4 × the input + 16 KiB, docs/formats.md
/// "Cost"), so the file a run writes for an accepted input near the limit can be over
/// it. The supplied bytes are only compared, never parsed, unless they are the rerun's
/// own text, which is bounded by the input.
pub(super) fn written_by_the_rerun(
    bytes: &[u8],
    run: Option<&mut Run>,
    cert: Option<&Json>,
) -> bool {
    let (Some(run), Some(cert)) = (run, cert) else {
        return false;
    };
    let recorded = match cert.get("evaluation_timestamp") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.clone()),
        Some(_) => return false,
    };
    // The rerun's own time is none; the file's is the certificate's record.
    let own = std::mem::replace(&mut run.macro_score.evaluation_timestamp, recorded);
    let same = run
        .macro_score
        .to_json_pretty()
        .is_ok_and(|text| text.as_bytes() == bytes);
    run.macro_score.evaluation_timestamp = own;
    same
}

/// `macro_score.json` against the rerun's MacroScore, and against the certificate.
pub(super) fn macro_score_fields(
    checks: &mut Checks,
    run: Option<&Run>,
    cert: Option<&Json>,
    m: &Json,
) {
    if let Some(run) = run {
        // Its `evaluation_timestamp` is skipped below: not copied to remove it (the
        // MacroScore's areas can be millions).
        match audit::to_json(&run.macro_score) {
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
            crate::quote::string(&d),
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
