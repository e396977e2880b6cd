//! Verification: rerun Phase 7 from the Phase 6 input and compare everything a
//! certificate (and, when supplied, `macro_score.json` and `audit_trail.json`) claims.
//!
//! Nothing in the certificate is trusted: the verifier recomputes the MacroScore, the
//! audit trail and both certificates from the input, then compares field by field
//! (numbers by `f64::to_bits`), and separately checks that each certificate id is the
//! digest of its own body and that the chain links hold. Every check that ran is in the
//! report, passed or not; a failure names the field path (`certificate.digests.output`,
//! `macro_score.cluster_scores[2].score`, `audit_trail.entries[7].actual`) with the
//! expected (rerun) and actual (claimed) values.
//!
//! A pass vouches that *this input + this configuration ⇒ this output and audit trail*.
//! It does not vouch for who issued the certificate or when: there are no signatures yet.

use serde::Serialize;

use crate::error::{Diagnostic, Phase7Error};
use crate::phase::{self, RunOptions};
use crate::read::json::{shown, Json};

mod attribution;
mod audit_trail;
mod certificate;
pub mod claim;
mod macro_score;
mod record;
pub mod refusal;

use record::{parse_file, str_of, text_of, Checks};

/// The most of a certificate or an audit trail that is read: 1 MiB. A genuine one is
/// under 64 KiB whatever the input (findings are capped per code, long texts cut, and
/// nothing grows with the input but its digest: `core/tests/bounds.rs` holds every
/// hostile shape to that), so a larger file cannot verify and is refused unread, a
/// failed check, instead of being parsed into a tree several times its size.
pub const ARTIFACT_MAX_BYTES: u64 = 1 << 20;

/// What a passing verification vouches for.
pub const VOUCHES_FOR: &str =
    "Rerunning Phase 7 on this Phase 6 input under the published configuration \
reproduces everything the certificate claims: this input + this configuration => this \
MacroScore (output digest) and this audit trail (root), with both certificate ids equal \
to the digests of their bodies and the Phase 6 -> 7 certificate chained into the Phase 7 \
-> 8 one. Supplied macro_score.json and audit_trail.json files, if any, are exactly the \
rerun's.";

/// What no verification vouches for.
pub const DOES_NOT_VOUCH_FOR: &str = "Who issued the certificate, or when: there are no \
signatures yet, anyone holding the Phase 6 file can issue an identical certificate, and \
issued_at / evaluation_timestamp are the issuer's unverifiable statements. Nor that the \
Phase 6 input itself is right: only that the Phase 7 result follows from it.";

/// One check the verifier ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerificationCheck {
    /// What was checked, e.g. `output digest`.
    pub name: String,
    /// Whether it held.
    pub passed: bool,
    /// The field path, rooted at the file: `certificate.digests.output`,
    /// `macro_score.score`, `audit_trail.entries[3].hash`, `input`.
    pub path: String,
    /// The value the rerun (or the chain) requires.
    pub expected: String,
    /// The value found.
    pub actual: String,
    /// Why it failed, a distance in ulps, or why a field is not compared.
    pub note: String,
    /// Present only on the entry that stands for checks of this name and outcome that
    /// are not listed (after the first [`crate::error::MAX_LISTED_PER_CODE`], or past
    /// [`crate::diff::MAX_LISTED_IN_ALL`] in the report): how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<u64>,
}

/// The verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerificationOutcome {
    /// Every check passed (CLI exit 0).
    Verified,
    /// At least one check failed (CLI exit 4).
    NotVerified,
    /// The Phase 6 input is rejected by the input contract, so nothing can be rerun
    /// (CLI exit 2).
    InputRejected {
        /// The coded violations.
        errors: Vec<Diagnostic>,
    },
}

/// The verification report (same structure natively and through WASM).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerificationReport {
    /// True iff `outcome` is `Verified`.
    pub verified: bool,
    /// The verdict.
    pub outcome: VerificationOutcome,
    /// The certificate id the certificate claims (when it has one).
    pub certificate_id: Option<String>,
    /// Every check that ran, in order.
    pub checks: Vec<VerificationCheck>,
    /// What a pass vouches for ([`VOUCHES_FOR`]).
    pub vouches_for: String,
    /// What it does not ([`DOES_NOT_VOUCH_FOR`]).
    pub does_not_vouch_for: String,
}

impl VerificationReport {
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

/// The files to verify besides the Phase 6 input.
#[derive(Clone, Copy, Debug, Default)]
pub struct Supplied<'a> {
    /// `certificate.json`.
    pub certificate: &'a [u8],
    /// `macro_score.json`, when it is to be checked too.
    pub macro_score: Option<&'a [u8]>,
    /// `audit_trail.json`, when it is to be checked too.
    pub audit_trail: Option<&'a [u8]>,
}

/// Verifies `certificate.json` against a rerun from the Phase 6 input. See [`verify`].
pub fn verify_certificate(
    phase6: &[u8],
    certificate: &[u8],
    options: &RunOptions,
) -> VerificationReport {
    verify(
        phase6,
        &Supplied {
            certificate,
            macro_score: None,
            audit_trail: None,
        },
        options,
    )
}

/// Reruns Phase 7 on `phase6` and checks every claim of the supplied files.
///
/// The rerun uses the strictness the certificate records (`strict`), so a strict
/// certificate verifies as strict; `options.strict` additionally *requires* a strict
/// certificate. `options.limits` apply to the input; `options.evaluated_at` is ignored.
///
/// Checks, in order: the input is accepted; each file parses strictly (no duplicate keys,
/// no `NaN`); each certificate id is the digest of its own body and the 7 → 8 certificate
/// names the embedded 6 → 7 one; every field of the certificate equals the rerun's
/// (`issued_at` and `evaluation_timestamp` are recorded, not compared); then, when
/// supplied, `macro_score.json` field by field (its `evaluation_timestamp` against the
/// certificate's record) and its digest against `digests.output`; `audit_trail.json`'s
/// hash chain, its root against `digests.audit_root`, and every entry field.
pub fn verify(phase6: &[u8], supplied: &Supplied<'_>, options: &RunOptions) -> VerificationReport {
    let mut checks = Checks::default();
    let cert = parse_file(
        &mut checks,
        "certificate",
        supplied.certificate,
        ARTIFACT_MAX_BYTES,
    );
    if cert
        .as_ref()
        .is_some_and(crate::attest::refusal::is_refusal)
    {
        // A refusal record vouches for no result: it never verifies as a certificate.
        checks.push(
            "a Phase 7 -> 8 certificate",
            false,
            "certificate.kind",
            crate::attest::certificate::KIND_PHASE7_TO_PHASE8,
            format!(
                "{} ({})",
                crate::attest::refusal::KIND,
                crate::attest::refusal::FORMAT
            ),
            "this is a refusal record: confirm it with verify::refusal::verify_refusal \
             (phase7 verify --refusal)",
        );
        return report(checks.finish(), cert.as_ref(), None);
    }
    let claimed_strict = match cert.as_ref().and_then(|c| c.get("strict")) {
        Some(Json::Bool(b)) => Some(*b),
        _ => None,
    };
    if options.strict {
        checks.push(
            "strict certificate required by the verifier",
            claimed_strict == Some(true),
            "certificate.strict",
            "true",
            text_of(cert.as_ref().and_then(|c| c.get("strict"))),
            "",
        );
    }
    let mode = claimed_strict.unwrap_or(options.strict);
    let (mut chosen, own_failed) =
        match attempt(phase6, supplied, cert.as_ref(), options, mode, None) {
            Attempt::Rejected(only, errors) => return report(only, cert.as_ref(), Some(errors)),
            Attempt::Checked(c, own) => (c, own),
        };
    // A certificate whose `strict` flag alone was changed matches a run in the other
    // mode everywhere but there: rerun that way too, and report whichever comparison
    // explains the certificate with fewer differences (it can never verify). Such a
    // certificate differs in a handful of fields; past `ALTERNATE_MAX` failures (a
    // hostile file) the second rerun could not explain it and is not made, nor when the
    // certificate is for another input (its input digest differs: the mode does not
    // change it), which took a second rerun of the whole input for nothing, nor when
    // only the supplied `macro_score.json` or audit trail failed (the certificate matches
    // this mode's rerun). A genuine certificate beside a 3-byte `macro_score.json` was
    // rerun twice: 5.1-5.2 s for a 16.7 MB input, now 2.9 s. Natively: in wasm, where
    // the npm package's size budget has no room for the test, every failure counts.
    const ALTERNATE_MAX: u64 = 64;
    let failed = |cs: &[VerificationCheck]| -> u64 {
        cs.iter()
            .filter(|c| !c.passed)
            .map(|c| c.omitted.unwrap_or(1))
            .sum()
    };
    let same_input = chosen
        .iter()
        .any(|c| c.passed && c.path == "certificate.digests.input");
    if claimed_strict.is_some()
        && same_input
        && own_failed
        && (1..=ALTERNATE_MAX).contains(&failed(&chosen))
    {
        let note = format!(
            "rerun in {} mode: the certificate claims strict = {mode}, but its other fields \
             are those of a {} run",
            if mode { "non-strict" } else { "strict" },
            if mode { "non-strict" } else { "strict" },
        );
        if let Attempt::Checked(alt, _) =
            attempt(phase6, supplied, cert.as_ref(), options, !mode, Some(&note))
        {
            if failed(&alt) < failed(&chosen) {
                chosen = alt;
            }
        }
    }
    let mut all = checks.finish();
    all.extend(chosen);
    report(all, cert.as_ref(), None)
}

/// The checks of one rerun in one mode.
enum Attempt {
    /// The input is rejected: the one failing check, and the coded errors.
    Rejected(Vec<VerificationCheck>, Vec<Diagnostic>),
    /// Every check that ran, and whether any of the certificate's own failed (before
    /// the supplied `macro_score.json` and audit trail were compared).
    Checked(Vec<VerificationCheck>, bool),
}

fn attempt(
    phase6: &[u8],
    supplied: &Supplied<'_>,
    cert: Option<&Json>,
    options: &RunOptions,
    strict: bool,
    mode_note: Option<&str>,
) -> Attempt {
    let mut checks = Checks::default();
    let limit = options.limits.max_input_bytes;
    let mut run = match rerun(phase6, options, strict, mode_note, &mut checks) {
        Ok(run) => run,
        Err(rejected) => return rejected,
    };
    let bundle = match run.as_ref().map(|r| certificate::expected_bundle(r, cert)) {
        Some(Ok(b)) => Some(b),
        Some(Err(e)) => {
            checks.push(
                "certificates reissued from the rerun",
                false,
                "certificate",
                "a certificate",
                e.to_string(),
                "",
            );
            None
        }
        None => None,
    };
    // The rerun's parsed document is not read past here (its digest is kept).
    if let Some(r) = run.as_mut() {
        r.input.release_document();
    }

    if let Some(c) = cert {
        certificate::self_consistency(&mut checks, c);
        if let Some((_, expected)) = &bundle {
            certificate::certificate_fields(&mut checks, expected, c);
        }
    }
    // (Natively only: see `verify`.)
    let own_failed = cfg!(target_arch = "wasm32") || checks.any_failed();
    if let Some(bytes) = supplied.macro_score {
        // (In wasm, where no supplied file crosses past the limit, as before.)
        let parsed = if bytes.len() as u64 <= limit || cfg!(target_arch = "wasm32") {
            parse_file(&mut checks, "macro_score", bytes, limit)
        } else if macro_score::written_by_the_rerun(bytes, run.as_mut(), cert) {
            // Over the limit, but the rerun's own file byte for byte: bounded by the input.
            parse_file(&mut checks, "macro_score", bytes, u64::MAX)
        } else {
            checks.push(
                "macro_score parses as JSON",
                false,
                "macro_score",
                format!("at most {limit} bytes, or the rerun's own file"),
                format!("{} bytes", bytes.len()),
                "over the size limit and not the rerun's macro_score.json byte for byte: \
                 not read (INPUT_TOO_LARGE)",
            );
            None
        };
        if let Some(m) = parsed {
            macro_score::macro_score_fields(&mut checks, run.as_ref(), cert, &m);
        }
    }
    if let Some(bytes) = supplied.audit_trail {
        if let Some(t) = parse_file(&mut checks, "audit_trail", bytes, ARTIFACT_MAX_BYTES) {
            let expected = bundle.as_ref().map(|(b, _)| &b.audit_trail);
            audit_trail::audit_trail_fields(&mut checks, expected, cert, &t);
        }
    }
    Attempt::Checked(checks.finish(), own_failed)
}

/// The rerun a certificate is compared with, recorded as the first check: `Ok(Some(run))`
/// when the input is accepted and the rerun passes every check (only such a run is
/// certified, so only it can reproduce a certificate); `Ok(None)` when the rerun fails
/// (its failed checks named); `Err` with the whole attempt when the input is rejected.
fn rerun(
    phase6: &[u8],
    options: &RunOptions,
    strict: bool,
    mode_note: Option<&str>,
    checks: &mut Checks,
) -> Result<Option<phase::Run>, Attempt> {
    let run_options = RunOptions {
        limits: options.limits,
        strict,
        evaluated_at: None,
    };
    let note = mode_note.map_or_else(
        || {
            if strict {
                "rerun in strict mode".to_string()
            } else {
                String::new()
            }
        },
        str::to_string,
    );
    #[cfg(test)]
    tests::RERUNS.with(|n| n.set(n.get() + 1));
    match phase::run(phase6, &run_options) {
        Ok(run) if run.passed() => {
            checks.push(
                "Phase 6 input accepted and Phase 7 rerun passes the exit gate",
                true,
                "input",
                "an accepted input",
                format!("input digest {}", run.digests.input),
                note,
            );
            Ok(Some(run))
        }
        Ok(run) => {
            let failed: Vec<String> = run.failures().into_iter().map(|d| d.message).collect();
            checks.push(
                "Phase 7 rerun passes the exit gate",
                false,
                "input",
                "a run that passes every check",
                failed.join("; "),
                note,
            );
            Ok(None)
        }
        Err(Phase7Error::Input(rejected)) => {
            let errors: Vec<Diagnostic> = rejected.errors.iter().map(|e| e.report()).collect();
            let mut only = Checks::default();
            only.push(
                "Phase 6 input accepted by the input contract",
                false,
                "input",
                "an accepted input",
                errors.iter().map(|e| e.code).collect::<Vec<_>>().join(", "),
                "the input is rejected, so nothing can be rerun or verified",
            );
            Err(Attempt::Rejected(only.finish(), errors))
        }
        Err(e) => {
            checks.push(
                "Phase 7 rerun passes the exit gate",
                false,
                "input",
                "a run that passes every check",
                e.to_string(),
                note,
            );
            Ok(None)
        }
    }
}

fn report(
    checks: Vec<VerificationCheck>,
    cert: Option<&Json>,
    rejected: Option<Vec<Diagnostic>>,
) -> VerificationReport {
    let outcome = match rejected {
        Some(errors) => VerificationOutcome::InputRejected { errors },
        None if !checks.is_empty() && checks.iter().all(|c| c.passed) => {
            VerificationOutcome::Verified
        }
        None => VerificationOutcome::NotVerified,
    };
    VerificationReport {
        verified: outcome == VerificationOutcome::Verified,
        outcome,
        certificate_id: str_of(cert.and_then(|c| c.get("certificate_id"))).map(shown),
        checks,
        vouches_for: VOUCHES_FOR.to_string(),
        does_not_vouch_for: DOES_NOT_VOUCH_FOR.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::Artifacts;
    use crate::read::json;

    const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");

    thread_local! {
        /// Reruns made on this thread ([`rerun`]).
        pub(super) static RERUNS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    /// `verify`'s report and how many reruns it made.
    fn counted(supplied: &Supplied<'_>) -> (VerificationReport, u32) {
        RERUNS.with(|n| n.set(0));
        let r = verify(SAMPLE, supplied, &RunOptions::default());
        (r, RERUNS.with(std::cell::Cell::get))
    }

    #[test]
    fn only_the_certificates_own_failures_cost_a_rerun_in_the_other_mode() {
        let (c, a, m) = files();
        // Genuine files: one rerun.
        let (r, reruns) = counted(&supplied(&c, &m, &a));
        assert!(r.verified);
        assert_eq!(reruns, 1);
        // A genuine certificate beside a tampered macro_score.json or audit trail: the
        // certificate matches this mode's rerun, so the other mode cannot explain it
        // better, and is not rerun (it was, for a few failed checks: twice the time).
        for (m, a) in [("{}", a.as_str()), (m.as_str(), "{}"), ("{}", "{}")] {
            let (r, reruns) = counted(&supplied(&c, m, a));
            assert!(!r.verified);
            assert!(r
                .failures()
                .all(|f| !f.path.starts_with("certificate.strict")));
            assert_eq!(reruns, 1, "{m} {a}");
        }
        // A certificate whose `strict` flag alone was flipped fails on its own: the
        // other mode is tried too.
        let flipped = c.replacen("\"strict\": false", "\"strict\": true", 1);
        assert_ne!(flipped, c);
        let (r, reruns) = counted(&supplied(&flipped, &m, &a));
        assert!(!r.verified);
        assert_eq!(reruns, 2);
    }

    fn files() -> (String, String, String) {
        let run = phase::run(
            SAMPLE,
            &RunOptions {
                evaluated_at: Some("2026-01-01T00:00:00Z".into()),
                ..RunOptions::default()
            },
        )
        .unwrap();
        let (c, a) = Artifacts::issue(&run, Some("2026-01-02T00:00:00Z"))
            .map(|a| (a.certificate_json.unwrap_or_default(), a.audit_trail_json))
            .unwrap();
        (c, a, run.macro_score.to_json_pretty().unwrap())
    }

    fn supplied<'a>(c: &'a str, m: &'a str, a: &'a str) -> Supplied<'a> {
        Supplied {
            certificate: c.as_bytes(),
            macro_score: Some(m.as_bytes()),
            audit_trail: Some(a.as_bytes()),
        }
    }

    #[test]
    fn genuine_files_verify() {
        let (c, a, m) = files();
        let r = verify(SAMPLE, &supplied(&c, &m, &a), &RunOptions::default());
        let failed: Vec<_> = r.failures().collect();
        assert!(r.verified, "{failed:#?}");
        assert_eq!(r.outcome, VerificationOutcome::Verified);
        assert!(r.checks.len() > 40);
    }

    /// A certificate or an audit trail of up to 1 MiB is read (a genuine one padded with
    /// whitespace to exactly that verifies); one byte more is refused unread.
    #[test]
    fn certificates_and_audit_trails_are_read_up_to_one_mib() {
        let (c, a, m) = files();
        let pad = |t: &str, len: u64| format!("{t}{}", " ".repeat(len as usize - t.len()));
        for (file, at_most) in [
            ("certificate", ARTIFACT_MAX_BYTES),
            ("audit_trail", ARTIFACT_MAX_BYTES),
            ("certificate", ARTIFACT_MAX_BYTES + 1),
            ("audit_trail", ARTIFACT_MAX_BYTES + 1),
        ] {
            let (c, a) = match file {
                "certificate" => (pad(&c, at_most), a.clone()),
                _ => (c.clone(), pad(&a, at_most)),
            };
            let r = verify(SAMPLE, &supplied(&c, &m, &a), &RunOptions::default());
            let failed: Vec<_> = r.failures().collect();
            if at_most == ARTIFACT_MAX_BYTES {
                assert!(r.verified, "{file}: {failed:#?}");
            } else {
                assert!(!r.verified, "{file}");
                assert_eq!(failed[0].name, format!("{file} parses as JSON"));
                assert_eq!(failed[0].expected, "at most 1048576 bytes");
                assert_eq!(failed[0].actual, "1048577 bytes");
            }
        }
    }

    /// A genuine `macro_score.json` can be larger than its input (it repeats a cluster's
    /// `dispersion_scenario`): over the limit it is read when it is the rerun's own file
    /// byte for byte, with the certificate's time, and refused unread otherwise.
    /// (Native: in wasm no supplied file is read past the limit.)
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn a_macro_score_over_the_limit_is_read_only_when_it_is_the_reruns() {
        let text = std::str::from_utf8(SAMPLE).unwrap();
        let at = text.find("\"dispersion_scenario\": \"").unwrap() + 24;
        let end = at + text[at..].find('"').unwrap();
        let input = format!("{}{}{}", &text[..at], "x".repeat(20_000), &text[end..]);
        let options = RunOptions {
            evaluated_at: Some("2026-01-01T00:00:00Z".into()),
            limits: crate::read::bridge::ReadLimits {
                max_input_bytes: input.len() as u64,
            },
            ..RunOptions::default()
        };
        let run = phase::run(input.as_bytes(), &options).unwrap();
        let issued = Artifacts::issue(&run, Some("2026-01-02T00:00:00Z")).unwrap();
        let (c, m, a) = (
            issued.certificate_json.unwrap(),
            issued.macro_score_json.unwrap(),
            issued.audit_trail_json,
        );
        assert!(
            m.len() > input.len() + 15_000,
            "{} {}",
            m.len(),
            input.len()
        );
        let verify_with = |m: &str| verify(input.as_bytes(), &supplied(&c, m, &a), &options);
        let r = verify_with(&m);
        let failed: Vec<_> = r.failures().collect();
        assert!(r.verified, "{failed:#?}");
        // The same report as under a limit the file is within.
        let within = verify(
            input.as_bytes(),
            &supplied(&c, &m, &a),
            &RunOptions::default(),
        );
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            serde_json::to_string(&within).unwrap()
        );
        // One byte changed, or another time: not the rerun's file, so not read.
        for other in [
            m.replacen("xxxx", "xxxy", 1),
            m.replacen("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", 1),
        ] {
            assert_ne!(other, m);
            let r = verify_with(&other);
            let failed: Vec<_> = r.failures().collect();
            assert_eq!(failed.len(), 1, "{failed:#?}");
            assert_eq!(failed[0].path, "macro_score");
            assert!(failed[0].note.contains("not the rerun's"), "{failed:#?}");
        }
    }

    #[test]
    fn a_changed_digest_is_named() {
        let (c, _, _) = files();
        let run = phase::run(SAMPLE, &RunOptions::default()).unwrap();
        let tampered = c.replacen(&run.digests.output, &"0".repeat(64), 1);
        assert_ne!(tampered, c);
        let r = verify_certificate(SAMPLE, tampered.as_bytes(), &RunOptions::default());
        assert_eq!(r.outcome, VerificationOutcome::NotVerified);
        let paths: Vec<&str> = r.failures().map(|c| c.path.as_str()).collect();
        assert!(paths.contains(&"certificate.digests.output"), "{paths:?}");
        assert!(paths.contains(&"certificate.certificate_id"), "{paths:?}");
    }

    #[test]
    fn rejected_input_and_unreadable_certificate() {
        let (c, _, _) = files();
        let r = verify_certificate(b"[1, 2]", c.as_bytes(), &RunOptions::default());
        assert!(matches!(
            r.outcome,
            VerificationOutcome::InputRejected { .. }
        ));
        assert!(!r.verified);

        let r = verify_certificate(SAMPLE, b"{not json", &RunOptions::default());
        assert_eq!(r.outcome, VerificationOutcome::NotVerified);
        assert_eq!(r.failures().next().unwrap().path, "certificate");
    }

    #[test]
    fn duplicate_keys_in_a_certificate_fail() {
        let (c, _, _) = files();
        let dup = c.replacen("{\n", "{\n  \"strict\": true,\n", 1);
        let r = verify_certificate(SAMPLE, dup.as_bytes(), &RunOptions::default());
        assert!(!r.verified);
        assert!(r.failures().any(|c| c.path == "certificate.strict"));
    }

    #[test]
    fn issue_times_are_not_compared() {
        let (c, _, _) = files();
        let other = c.replace("2026-01-02T00:00:00Z", "1999-12-31T23:59:59Z");
        assert_ne!(other, c);
        assert!(verify_certificate(SAMPLE, other.as_bytes(), &RunOptions::default()).verified);
    }

    #[test]
    fn a_refusal_record_never_verifies_as_a_certificate() {
        let options = RunOptions::default();
        let rejected = crate::read::bridge::read(b"[]", &options.limits).unwrap_err();
        let a = Artifacts::rejected(b"[]", &rejected, &options, None).unwrap();
        let record = a.refusal_json.unwrap();
        let r = verify_certificate(SAMPLE, record.as_bytes(), &options);
        assert!(!r.verified);
        let f = r.failures().next().unwrap();
        assert_eq!(f.path, "certificate.kind");
        assert!(f.note.contains("refusal record"));
    }

    #[test]
    fn a_strict_verifier_requires_a_strict_certificate() {
        let (c, _, _) = files();
        let r = verify_certificate(
            SAMPLE,
            c.as_bytes(),
            &RunOptions {
                strict: true,
                ..RunOptions::default()
            },
        );
        assert!(!r.verified);
        assert_eq!(r.failures().next().unwrap().path, "certificate.strict");
    }

    #[test]
    fn a_rerun_that_fails_its_gate_reproduces_no_certificate() {
        // A warning (no provenance) and a strict rerun: GATE-4 fails, so nothing from
        // that rerun can stand behind a certificate.
        let warned = String::from_utf8_lossy(SAMPLE).replace("PROV_MESO_2_5c2e7b14", "");
        let (c, _, _) = files();
        let cert = json::parse(c.as_bytes()).unwrap().value;
        let Attempt::Checked(checks, _) = attempt(
            warned.as_bytes(),
            &Supplied {
                certificate: c.as_bytes(),
                macro_score: None,
                audit_trail: None,
            },
            Some(&cert),
            &RunOptions::default(),
            true,
            None,
        ) else {
            panic!("the input is accepted")
        };
        let first = &checks[0];
        assert_eq!(
            (first.name.as_str(), first.passed),
            ("Phase 7 rerun passes the exit gate", false)
        );
        assert!(first.actual.contains("GATE-4"), "{}", first.actual);
        assert!(
            !checks
                .iter()
                .any(|c| c.name.contains("reproduced by the rerun")),
            "no field is compared with a failed rerun's certificate"
        );
    }
}
