//! Confirming a refusal record (`refusal.json`) by rerunning.
//!
//! [`verify_refusal`] trusts nothing in the record. It parses it strictly, checks that it
//! is a refusal record (format and kind), that `refusal_id` is the digest of its body and
//! that its embedded trail's hash chain holds; then it reruns Phase 7 on the input with the
//! options the record states, makes the refusal a rerun gives, and compares every field
//! (`recorded_at`, the refuser's clock, is reported, not compared). Same input ⇒ the same
//! refusal, field by field: confirmed. A record for an input that a rerun accepts and
//! certifies is not confirmed.

use serde::Serialize;

use crate::attest::audit;
use crate::attest::refusal::{self, Refusal};
use crate::error::{Phase7Error, MAX_LISTED_PER_CODE};
use crate::phase::{self, RunOptions};
use crate::read::bridge::ReadLimits;
use crate::read::json::{shown, Json};
use crate::verify::record::{parse_file, str_of, text_of, Checks};
use crate::verify::VerificationCheck;

/// The verdict on a refusal record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RefusalOutcome {
    /// A rerun refuses the input in exactly the recorded way.
    Confirmed,
    /// Some check failed: the record was changed, is not a refusal record, belongs to
    /// another input, or the input is in fact accepted.
    NotConfirmed,
}

/// The report on a refusal record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefusalReport {
    /// True iff `outcome` is `Confirmed`.
    pub confirmed: bool,
    /// The verdict.
    pub outcome: RefusalOutcome,
    /// The `refusal_id` the record claims (a long one cut, with its length).
    pub refusal_id: Option<String>,
    /// Every check that ran, in order (paths rooted at `refusal`).
    pub checks: Vec<VerificationCheck>,
}

impl RefusalReport {
    /// The failed checks (an entry with `omitted` stands for that many).
    pub fn failures(&self) -> impl Iterator<Item = &VerificationCheck> {
        self.checks.iter().filter(|c| !c.passed)
    }

    /// How many checks ran: the listed ones plus those counted in `omitted` entries.
    pub fn total(&self) -> u64 {
        self.checks.iter().map(|c| c.omitted.unwrap_or(1)).sum()
    }

    /// How many checks failed, listed or counted.
    pub fn failed(&self) -> u64 {
        self.failures().map(|c| c.omitted.unwrap_or(1)).sum()
    }
}

/// Whether `bytes` hold a refusal record (a JSON object with its format and kind), so a
/// caller can tell it from a certificate.
pub fn is_refusal_file(bytes: &[u8]) -> bool {
    crate::read::json::parse(bytes).is_ok_and(|doc| refusal::is_refusal(&doc.value))
}

/// The options a record states (defaults where it does not say; a failed check then).
fn recorded_options(checks: &mut Checks, record: &Json) -> RunOptions {
    let options = record.get("options");
    let strict = options.and_then(|o| o.get("strict"));
    let max = options.and_then(|o| o.get("max_input_bytes"));
    let limit = match max {
        // Integers only, within u64 (2^64 itself is out).
        Some(Json::Number(x)) if x.fract() == 0.0 && *x >= 0.0 && *x < 18446744073709551616.0 => {
            Some(*x as u64)
        }
        _ => None,
    };
    let readable = matches!(strict, Some(Json::Bool(_))) && limit.is_some();
    let result = RunOptions {
        limits: ReadLimits {
            max_input_bytes: limit.unwrap_or_else(|| ReadLimits::default().max_input_bytes),
        },
        strict: matches!(strict, Some(Json::Bool(true))),
        evaluated_at: None,
    };
    if !readable {
        checks.push(
            "recorded options are readable",
            false,
            "refusal.options",
            "{strict: boolean, max_input_bytes: integer}",
            text_of(options),
            "the rerun uses the defaults instead",
        );
    }
    result
}

/// The most of a refusal record that is read: 4 MiB. A genuine one is at most 1 MiB
/// whatever the input (its findings are capped per code and their texts cut:
/// `core/tests/bounds.rs`; the largest of the hostile shapes at 15 MB is 389 KB), so a
/// larger file is refused unread, a failed check.
pub const RECORD_MAX_BYTES: u64 = 4 << 20;

/// Confirms a refusal record by rerunning Phase 7 on `phase6`. See the module doc.
pub fn verify_refusal(phase6: &[u8], record: &[u8]) -> RefusalReport {
    let mut checks = Checks::default();
    let Some(claimed) = parse_file(&mut checks, "refusal", record, RECORD_MAX_BYTES) else {
        return report(checks, None);
    };
    let kind = refusal::is_refusal(&claimed);
    checks.push(
        "a refusal record (format and kind)",
        kind,
        "refusal.format",
        format!("{} {}", refusal::FORMAT, refusal::KIND),
        format!(
            "{} {}",
            text_of(claimed.get("format")),
            text_of(claimed.get("kind"))
        ),
        if kind {
            ""
        } else {
            "not a refusal record: a certificate is verified with --certificate"
        },
    );
    if !kind {
        return report(checks, Some(&claimed));
    }
    let own_id = refusal::id_of(&claimed).map_err(|e| e.to_string());
    let claimed_id = str_of(claimed.get("refusal_id")).unwrap_or_default();
    checks.push(
        "refusal id is the digest of its body",
        own_id.as_deref() == Ok(claimed_id),
        "refusal.refusal_id",
        own_id.clone().unwrap_or_else(|e| e),
        text_of(claimed.get("refusal_id")),
        "",
    );
    chain(&mut checks, claimed.get("checks"));
    let options = recorded_options(&mut checks, &claimed);
    let recorded_at = str_of(claimed.get("recorded_at"));
    if let Some(expected) = rerun(&mut checks, phase6, &options, recorded_at) {
        fields(&mut checks, &expected, &claimed);
    }
    report(checks, Some(&claimed))
}

/// The refusal a rerun gives (as JSON), or a failed check saying why there is none.
fn rerun(
    checks: &mut Checks,
    phase6: &[u8],
    options: &RunOptions,
    recorded_at: Option<&str>,
) -> Option<Json> {
    let mut fail = |actual: String, note: &str| {
        checks.push(
            "a rerun refuses the input",
            false,
            "input",
            "a rejected input or a failed check",
            actual,
            note,
        );
    };
    let expected = match phase::run(phase6, options) {
        Err(Phase7Error::Input(rejected)) => {
            Refusal::rejected(phase6, &rejected, options, recorded_at).map(Some)
        }
        Ok(run) if !run.passed() => {
            // `phase::run` recorded the file of a failed run: not hashed again.
            let file = (run.input_file.clone()).unwrap_or_else(|| phase::InputFile::of(phase6));
            Refusal::failed_run(&run, &file.sha256, file.bytes, recorded_at)
        }
        Ok(run) => {
            fail(
                format!(
                    "accepted, and every check passes (input digest {})",
                    run.digests.input
                ),
                "the record refuses an input that a rerun accepts and certifies",
            );
            return None;
        }
        Err(e) => {
            fail(e.to_string(), "the rerun could not be carried out");
            return None;
        }
    };
    match expected.and_then(|r| r.map(|r| audit::to_json(&r)).transpose()) {
        Ok(found) => found,
        Err(e) => {
            checks.push(
                "the refusal reissued from the rerun",
                false,
                "refusal",
                "a refusal record",
                e.to_string(),
                "",
            );
            None
        }
    }
}

/// The embedded trail's hash chain, every broken link.
fn chain(checks: &mut Checks, trail: Option<&Json>) {
    let Some(trail) = trail else {
        checks.push(
            "the checks are hash-chained",
            false,
            "refusal.checks",
            "an audit trail",
            "(missing)",
            "",
        );
        return;
    };
    // Streamed: past the listed breaks the rest are only counted, so a record of
    // millions of bogus entries costs no memory per break.
    let mut broken = false;
    let more = audit::verify_chain_each(trail, MAX_LISTED_PER_CODE, &mut |b| {
        broken = true;
        checks.push(
            "the checks are hash-chained",
            false,
            format!("refusal.checks.{}", b.field),
            b.expected,
            b.actual,
            "the chain link does not hold: an entry was changed, removed, inserted or reordered",
        );
    });
    checks.more_failed("the checks are hash-chained", more);
    if !broken {
        checks.push(
            "the checks are hash-chained",
            true,
            "refusal.checks",
            "an unbroken chain",
            text_of(trail.get("root")),
            "",
        );
    }
}

/// Every field of the record against the rerun's, `recorded_at` reported only.
fn fields(checks: &mut Checks, expected: &Json, claimed: &Json) {
    let Json::Object(keys) = expected else {
        return;
    };
    for (key, value) in keys {
        let path = format!("refusal.{key}");
        if key == "recorded_at" {
            let a = claimed.get(key);
            checks.push(
                "recorded_at recorded by the refuser",
                matches!(a, None | Some(Json::String(_)) | Some(Json::Null)),
                path,
                "a string or null",
                text_of(a),
                "the refuser's clock: not reproducible, so not compared (not covered by the id)",
            );
            continue;
        }
        checks.section(
            &format!("{key} reproduced by the rerun"),
            &path,
            value,
            claimed.get(key),
        );
    }
    checks.unexpected_keys("refusal fields", "refusal", expected, claimed);
}

fn report(checks: Checks, claimed: Option<&Json>) -> RefusalReport {
    let checks = checks.finish();
    let confirmed = !checks.is_empty() && checks.iter().all(|c| c.passed);
    RefusalReport {
        confirmed,
        outcome: if confirmed {
            RefusalOutcome::Confirmed
        } else {
            RefusalOutcome::NotConfirmed
        },
        refusal_id: str_of(claimed.and_then(|c| c.get("refusal_id"))).map(shown),
        checks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::Artifacts;

    const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");

    fn record_of(bytes: &[u8], options: &RunOptions) -> String {
        let a = match phase::run(bytes, options) {
            Ok(run) => Artifacts::issue(&run, Some("2026-01-01T00:00:00Z")).unwrap(),
            Err(Phase7Error::Input(r)) => {
                Artifacts::rejected(bytes, &r, options, Some("2026-01-01T00:00:00Z")).unwrap()
            }
            Err(e) => panic!("{e}"),
        };
        a.refusal_json.unwrap()
    }

    fn bad() -> String {
        String::from_utf8_lossy(SAMPLE).replacen("\"score\": 1.4712", "\"score\": 3.5", 1)
    }

    /// A refusal record of up to 4 MiB is read (a genuine one padded with whitespace to
    /// exactly that is confirmed); one byte more is refused unread.
    #[test]
    fn refusal_records_are_read_up_to_four_mib() {
        let input = bad();
        let record = record_of(input.as_bytes(), &RunOptions::default());
        for len in [RECORD_MAX_BYTES, RECORD_MAX_BYTES + 1] {
            let padded = format!("{record}{}", " ".repeat(len as usize - record.len()));
            let r = verify_refusal(input.as_bytes(), padded.as_bytes());
            assert_eq!(r.confirmed, len == RECORD_MAX_BYTES, "{len}");
            if !r.confirmed {
                let c = &r.checks[0];
                assert_eq!(c.name, "refusal parses as JSON");
                assert!(!c.passed);
                assert_eq!(c.actual, format!("{len} bytes"));
            }
        }
    }

    #[test]
    fn a_record_of_many_bogus_entries_lists_a_bounded_number_of_breaks() {
        let input = bad();
        let record = record_of(input.as_bytes(), &RunOptions::default());
        let mut v = crate::read::json::parse(record.as_bytes()).unwrap().value;
        let Json::Object(fields) = &mut v else {
            panic!("not an object");
        };
        let (_, checks) = fields.iter_mut().find(|(k, _)| k == "checks").unwrap();
        let Json::Object(trail) = checks else {
            panic!("no checks");
        };
        let (_, entries) = trail.iter_mut().find(|(k, _)| k == "entries").unwrap();
        *entries = Json::Array(vec![Json::Number(1.0); 5000]);
        let r = verify_refusal(input.as_bytes(), v.to_string().as_bytes());
        assert!(!r.confirmed);
        let chain: Vec<_> = r
            .checks
            .iter()
            .filter(|c| c.name == "the checks are hash-chained")
            .collect();
        assert!(chain.len() <= MAX_LISTED_PER_CODE + 1, "{}", chain.len());
        let listed = chain.iter().filter(|c| c.omitted.is_none()).count() as u64;
        let counted: u64 = chain.iter().filter_map(|c| c.omitted).sum();
        assert!(listed + counted >= 5000, "{listed} + {counted}");
        assert!(chain.iter().all(|c| !c.passed));
    }

    #[test]
    fn a_rejection_is_confirmed_by_rerunning() {
        let input = bad();
        let record = record_of(input.as_bytes(), &RunOptions::default());
        assert!(is_refusal_file(record.as_bytes()));
        let r = verify_refusal(input.as_bytes(), record.as_bytes());
        let failed: Vec<_> = r.failures().collect();
        assert!(r.confirmed, "{failed:#?}");
        assert_eq!(r.outcome, RefusalOutcome::Confirmed);
        // Another recording time changes nothing, nor does none.
        let later = record.replace("2026-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
        assert!(verify_refusal(input.as_bytes(), later.as_bytes()).confirmed);
        let none = record.replace("\"2026-01-01T00:00:00Z\"", "null");
        assert!(verify_refusal(input.as_bytes(), none.as_bytes()).confirmed);
    }

    /// `recorded_at` is not compared, but held to the type of every unreproduced field
    /// (a certificate's `issued_at`, a claim's clock and UUID fields): a string or null.
    #[test]
    fn a_recorded_at_of_another_type_is_not_confirmed() {
        let input = bad();
        let record = record_of(input.as_bytes(), &RunOptions::default());
        for other in ["7", "[]", "{\"t\": 1}", "true"] {
            let edited = record.replace("\"2026-01-01T00:00:00Z\"", other);
            assert_ne!(edited, record);
            let r = verify_refusal(input.as_bytes(), edited.as_bytes());
            assert!(!r.confirmed, "{other}");
            let failed: Vec<_> = r.failures().collect();
            assert_eq!(failed.len(), 1, "{other}: {failed:#?}");
            assert_eq!(failed[0].path, "refusal.recorded_at");
            assert_eq!(failed[0].expected, "a string or null");
        }
    }

    #[test]
    fn a_failed_gate_is_confirmed_in_the_recorded_mode() {
        let strict = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        let input = String::from_utf8_lossy(SAMPLE).replace("PROV_MESO_2_5c2e7b14", "");
        let record = record_of(input.as_bytes(), &strict);
        let r = verify_refusal(input.as_bytes(), record.as_bytes());
        assert!(r.confirmed, "{:#?}", r.failures().collect::<Vec<_>>());
        // Claiming non-strict: the record's id breaks, and the rerun then passes.
        let lax = record.replacen("\"strict\": true", "\"strict\": false", 1);
        let r = verify_refusal(input.as_bytes(), lax.as_bytes());
        assert!(!r.confirmed);
        assert!(r.failures().any(|c| c.path == "input"), "{r:#?}");
    }

    #[test]
    fn a_refusal_of_an_accepted_input_is_not_confirmed() {
        let record = record_of(bad().as_bytes(), &RunOptions::default());
        let r = verify_refusal(SAMPLE, record.as_bytes());
        assert!(!r.confirmed);
        let f = r.failures().next().unwrap();
        assert_eq!(f.path, "input");
        assert!(f.note.contains("accepts"), "{}", f.note);
    }

    #[test]
    fn another_input_or_a_changed_field_is_named() {
        let input = bad();
        let record = record_of(input.as_bytes(), &RunOptions::default());
        // Another rejected input: its identity and violations differ.
        let other = input.replacen("3.5", "3.25", 1);
        let r = verify_refusal(other.as_bytes(), record.as_bytes());
        assert!(!r.confirmed);
        let paths: Vec<&str> = r.failures().map(|c| c.path.as_str()).collect();
        assert!(paths.contains(&"refusal.input.sha256"), "{paths:?}");
        assert!(paths.contains(&"refusal.violations[0].value"), "{paths:?}");
        // A changed value in the record: its id no longer holds, and the field is named.
        let edited = record.replacen("\"value\": \"3.5\"", "\"value\": \"2.5\"", 1);
        assert_ne!(edited, record);
        let r = verify_refusal(input.as_bytes(), edited.as_bytes());
        let paths: Vec<&str> = r.failures().map(|c| c.path.as_str()).collect();
        assert!(paths.contains(&"refusal.refusal_id"), "{paths:?}");
        assert!(paths.contains(&"refusal.violations[0].value"), "{paths:?}");
    }

    #[test]
    fn a_certificate_or_garbage_is_not_a_refusal() {
        let run = phase::run(SAMPLE, &RunOptions::default()).unwrap();
        let cert = Artifacts::issue(&run, None)
            .unwrap()
            .certificate_json
            .unwrap();
        assert!(!is_refusal_file(cert.as_bytes()));
        let r = verify_refusal(SAMPLE, cert.as_bytes());
        assert!(!r.confirmed);
        assert_eq!(r.failures().next().unwrap().path, "refusal.format");
        let r = verify_refusal(SAMPLE, b"{not json");
        assert!(!r.confirmed);
        assert_eq!(r.failures().next().unwrap().path, "refusal");
        let r = verify_refusal(b"[]", b"{}");
        assert!(!r.confirmed);
    }

    #[test]
    fn counts_include_the_checks_an_omitted_entry_stands_for() {
        let check = |passed: bool, omitted: Option<u64>| VerificationCheck {
            name: "field reproduced by the rerun".into(),
            passed,
            path: "refusal.violations[0].value".into(),
            expected: "3.5".into(),
            actual: "2.5".into(),
            note: String::new(),
            omitted,
        };
        let r = RefusalReport {
            confirmed: false,
            outcome: RefusalOutcome::NotConfirmed,
            refusal_id: None,
            checks: vec![
                check(true, None),
                check(false, None),
                check(false, Some(40)),
                check(true, Some(7)),
            ],
        };
        assert_eq!(r.failures().count(), 2);
        assert_eq!((r.failed(), r.total()), (41, 49));
        // A confirmed record: every check listed and passed.
        let input = bad();
        let record = record_of(input.as_bytes(), &RunOptions::default());
        let r = verify_refusal(input.as_bytes(), record.as_bytes());
        assert_eq!((r.failed(), r.total()), (0, r.checks.len() as u64));
    }
}
