//! The text reports of `phase7 verify`, rendered from the core's report structures (the
//! core renders no text): certificates ([`verification`]), refusal records
//! ([`refusal`]) and the pipeline's claimed output ([`claim`]). Each entry is one line;
//! [`crate::term::out_lines`] escapes each on its own, so an id, a key or a value from
//! the files cannot break a line or move the cursor.

use phase7_core::error::Diagnostic;
use phase7_core::stages::pymath::Summation;
use phase7_core::verify::claim::{
    Cause, ClaimField, ClaimOutcome, ClaimReport, Evidence, FieldStatus, Hypothesis,
};
use phase7_core::verify::refusal::RefusalReport;
use phase7_core::verify::{VerificationCheck, VerificationOutcome, VerificationReport};

fn errors(out: &mut Vec<String>, errors: &[Diagnostic]) {
    for e in errors {
        out.push(format!("error[{}]: {}", e.code, e.message));
    }
}

/// The lines of a certificate verification report.
pub fn verification(report: &VerificationReport) -> Vec<String> {
    let mut out = Vec::new();
    // Counts are exact: an "…and N more" entry stands for N checks or violations.
    let verdict = match &report.outcome {
        VerificationOutcome::Verified => "VERIFIED".to_string(),
        VerificationOutcome::NotVerified => format!(
            "NOT VERIFIED ({} of {} checks failed)",
            report.failed(),
            report.total()
        ),
        VerificationOutcome::InputRejected { errors } => {
            format!(
                "INPUT REJECTED ({} violation(s))",
                phase7_core::error::total(errors)
            )
        }
    };
    out.push(format!("phase7 verify: {verdict}"));
    if let Some(id) = &report.certificate_id {
        out.push(format!("certificate_id: {id}"));
    }
    out.push(
        "(expected: what the rerun from the Phase 6 input, or the hash chain, requires; \
         actual: what the file says)"
            .into(),
    );
    out.push(String::new());
    checks(&mut out, &report.checks);
    if let VerificationOutcome::InputRejected { errors: e } = &report.outcome {
        out.push(String::new());
        errors(&mut out, e);
    }
    out.push(String::new());
    if report.verified {
        out.push(format!("This pass vouches for: {}", report.vouches_for));
    } else {
        out.push(
            "Nothing is vouched for: the claims above marked FAIL do not follow from the input."
                .into(),
        );
        out.push(format!("A pass would vouch for: {}", report.vouches_for));
    }
    out.push(format!(
        "It does not vouch for: {}",
        report.does_not_vouch_for
    ));
    out
}

/// Every check, `PASS`/`FAIL`, with expected and actual values for a failure.
fn checks(out: &mut Vec<String>, checks: &[VerificationCheck]) {
    for c in checks {
        let mark = if c.passed { "PASS" } else { "FAIL" };
        out.push(format!("{mark}  {}  [{}]", c.name, c.path));
        if !c.passed {
            out.push(format!("        expected: {}", c.expected));
            out.push(format!("        actual:   {}", c.actual));
        }
        if !c.note.is_empty() {
            out.push(format!("        note:     {}", c.note));
        }
    }
}

/// The lines of a refusal-record report (`phase7 verify --refusal`).
pub fn refusal(report: &RefusalReport) -> Vec<String> {
    let mut out = Vec::new();
    let verdict = if report.confirmed {
        "CONFIRMED: a rerun refuses this input exactly as recorded".to_string()
    } else {
        format!(
            "NOT CONFIRMED ({} of {} checks failed)",
            report.failed(),
            report.total()
        )
    };
    out.push(format!("phase7 verify --refusal: {verdict}"));
    if let Some(id) = &report.refusal_id {
        out.push(format!("refusal_id: {id}"));
    }
    out.push(
        "(expected: what a rerun from the Phase 6 input, or the hash chain, gives; actual: \
         what the record says)"
            .into(),
    );
    out.push(String::new());
    checks(&mut out, &report.checks);
    out.push(String::new());
    out.push(
        "A refusal record vouches for no result: it says why this input is refused, and \
         anyone holding the input can rerun it and obtain the same record."
            .into(),
    );
    out
}

/// `LIBM_POW (reproduced)`, `PY_SUM_BEFORE_3_12 (reproduced)`, `LIBM_POW (by the rule)`.
fn cause_text(cause: Cause, evidence: Option<Evidence>) -> String {
    match evidence {
        Some(Evidence::Reproduced) => format!("{} (reproduced)", cause.code()),
        Some(Evidence::Rule) => format!("{} (by the rule)", cause.code()),
        None => cause.code().to_string(),
    }
}

/// The hypothesis line: which `sum()`, which `pow()`, and how it was established.
fn hypothesis_lines(out: &mut Vec<String>, h: &Hypothesis) {
    let sum = match h.summation {
        Summation::Compensated => "the published sum() (Python >= 3.12)",
        Summation::Plain => "Python < 3.12's plain sum()",
    };
    let pow = match (h.libm_pow, h.libm_pow_evidence) {
        (false, _) => String::new(),
        (true, Some(Evidence::Reproduced)) => {
            ", with w ** 2, s ** 2 and var ** 0.5 through this platform's pow() (reproduced \
             bit for bit)"
                .into()
        }
        (true, _) => ", with a math library's pow() rounding score_std (by the rule)".into(),
    };
    out.push(format!(
        "hypothesis: {sum}{pow}; {} field(s) it does not reproduce",
        h.unexplained
    ));
    if !h.platform_pow {
        out.push(
            "(no platform pow() in this build: pow() effects rest on the rule, a pow() within \
             1/64 ulp of correct rounding)"
                .into(),
        );
    }
    if h.also_py_sum_before_3_12 {
        out.push(
            "ambiguous: Python < 3.12's plain sum() alone also gives these bits exactly; the \
             published sum() through this platform's pow() — what a correctly installed \
             pipeline gives here — is preferred"
                .into(),
        );
    }
    if h.also_libm_pow {
        out.push(format!(
            "ambiguous: a math library's pow() alone could also give these bits by the rule{}; \
             the exact recomputation under the old sum() is preferred (spec §3)",
            if h.platform_pow {
                ", though this platform's pow() does not"
            } else {
                ""
            }
        ));
    }
}

/// One field: its status and path, its cause, ours and claimed, the distance, the note.
fn field_lines(out: &mut Vec<String>, label: &str, f: &ClaimField) {
    out.push(format!("{label}  {}", f.path));
    if f.status == FieldStatus::NotCompared {
        out.push(format!("        claimed: {}", f.claimed));
    } else {
        if let Some(c) = f.cause {
            out.push(format!("        cause:   {}", cause_text(c, f.evidence)));
        }
        out.push(format!("        ours:    {}", f.ours));
        out.push(format!("        claimed: {}", f.claimed));
        if let Some(u) = f.ulps {
            out.push(format!("        ulps:    {u}"));
        }
    }
    if !f.note.is_empty() {
        out.push(format!("        note:    {}", f.note));
    }
}

/// The lines of a claimed-output report: the verdict naming the causes, the hypothesis
/// and any ambiguity, each band/gap/severity flip on its own line, then every field that
/// is not bit-identical with its cause.
pub fn claim(report: &ClaimReport) -> Vec<String> {
    let mut out = Vec::new();
    let count = |s: FieldStatus| report.fields.iter().filter(|f| f.status == s).count();
    let codes = report
        .causes
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(", ");
    let verdict = match &report.outcome {
        ClaimOutcome::Identical => "CONSISTENT: every compared field is bit-identical".into(),
        ClaimOutcome::Explained => format!(
            "CONSISTENT: every difference is explained by the pipeline's math library \
             ({codes})"
        ),
        ClaimOutcome::Different => format!(
            "NOT CONSISTENT: {} difference(s) not explained by the math library ({codes})",
            count(FieldStatus::Different)
        ),
        ClaimOutcome::InputRejected { errors } => {
            format!("INPUT REJECTED ({} violation(s))", errors.len())
        }
        ClaimOutcome::RerunFailed { .. } => "RERUN FAILED".into(),
    };
    out.push(format!("phase7 verify --claimed: {verdict}"));
    for c in &report.causes {
        out.push(format!("cause {}: {}", c.code(), c.meaning()));
    }
    if let Some(h) = report
        .hypothesis
        .as_ref()
        .filter(|_| !report.causes.is_empty())
    {
        hypothesis_lines(&mut out, h);
    }
    if !report.flips.is_empty() {
        out.push(String::new());
        for f in &report.flips {
            out.push(format!("{} [{}]", f.because, f.cause.code()));
        }
    }
    out.push(String::new());
    out.push(format!(
        "{} field(s) bit-identical",
        count(FieldStatus::Equal)
    ));
    for (status, label) in [
        (FieldStatus::NotCompared, "NOT COMPARED"),
        (FieldStatus::Explained, "EXPLAINED"),
        (FieldStatus::Different, "DIFFERENT"),
    ] {
        for f in report.fields.iter().filter(|f| f.status == status) {
            field_lines(&mut out, label, f);
        }
    }
    if let ClaimOutcome::InputRejected { errors: e } | ClaimOutcome::RerunFailed { errors: e } =
        &report.outcome
    {
        errors(&mut out, e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use phase7_core::phase::RunOptions;
    use phase7_core::verify::Supplied;

    const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/p06_sample.json");

    /// A check standing for many omitted ones counts as all of them in the verdict line.
    #[test]
    fn verdict_counts_include_the_omitted_checks() {
        let check = |passed: bool, omitted: Option<u64>| VerificationCheck {
            name: "the checks are hash-chained".into(),
            passed,
            path: "refusal.checks".into(),
            expected: String::new(),
            actual: String::new(),
            note: String::new(),
            omitted,
        };
        let report = RefusalReport {
            confirmed: false,
            outcome: phase7_core::verify::refusal::RefusalOutcome::NotConfirmed,
            refusal_id: None,
            checks: vec![
                check(true, None),
                check(false, None),
                check(false, Some(250)),
            ],
        };
        assert_eq!(
            refusal(&report)[0],
            "phase7 verify --refusal: NOT CONFIRMED (251 of 252 checks failed)"
        );
    }

    #[test]
    fn verified_and_tampered_reports() {
        let run = phase7_core::phase::run(SAMPLE, &RunOptions::default()).unwrap();
        let cert = phase7_core::attest::Artifacts::issue(&run, None)
            .unwrap()
            .certificate_json
            .unwrap();
        let supplied = Supplied {
            certificate: cert.as_bytes(),
            macro_score: None,
            audit_trail: None,
        };
        let report = phase7_core::verify::verify(SAMPLE, &supplied, &RunOptions::default());
        let lines = verification(&report);
        assert_eq!(lines[0], "phase7 verify: VERIFIED");
        assert!(lines[1].starts_with("certificate_id: "));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("This pass vouches for: ")));
        assert!(lines.iter().all(|l| !l.contains('\n')));

        let id = report.certificate_id.clone().unwrap();
        // As JSON text: a carriage return, cursor movements, a fake verdict, hidden text.
        let forged = r"\r\u001b[1A\u001b[2Kphase7 verify: VERIFIED\u001b[8m";
        let tampered = cert.replacen(&id, forged, 1);
        let supplied = Supplied {
            certificate: tampered.as_bytes(),
            ..supplied
        };
        let report = phase7_core::verify::verify(SAMPLE, &supplied, &RunOptions::default());
        assert!(!report.verified);
        let lines = verification(&report);
        assert!(
            lines[0].starts_with("phase7 verify: NOT VERIFIED ("),
            "{}",
            lines[0]
        );
        let shown: Vec<String> = lines
            .iter()
            .map(|l| crate::term::escape(l).into_owned())
            .collect();
        assert!(shown
            .iter()
            .all(|l| !l.contains('\u{1b}') && !l.contains('\r')));
        assert!(shown
            .iter()
            .any(|l| l.contains(r"\r\u{1b}[1A\u{1b}[2Kphase7 verify: VERIFIED")));

        let claimed = run.macro_score.to_json_pretty().unwrap();
        let report = phase7_core::verify::claim::verify_claimed_with(
            SAMPLE,
            claimed.as_bytes(),
            &RunOptions::default(),
        );
        let lines = claim(&report);
        assert_eq!(
            lines[0],
            "phase7 verify --claimed: CONSISTENT: every compared field is bit-identical"
        );
    }

    /// A rejected input's refusal record (as `Artifacts::rejected` makes it).
    fn rejected_record(input: &[u8]) -> String {
        let options = RunOptions::default();
        let Err(phase7_core::error::Phase7Error::Input(r)) =
            phase7_core::phase::run(input, &options)
        else {
            panic!("not rejected")
        };
        phase7_core::attest::Artifacts::rejected(input, &r, &options, Some("2026-01-01T00:00:00Z"))
            .unwrap()
            .refusal_json
            .unwrap()
    }

    #[test]
    fn refusal_reports_confirmed_and_not() {
        use phase7_core::verify::refusal::verify_refusal;
        let bad =
            String::from_utf8_lossy(SAMPLE).replacen("\"score\": 1.4712", "\"score\": 3.5", 1);
        let record = rejected_record(bad.as_bytes());
        let lines = refusal(&verify_refusal(bad.as_bytes(), record.as_bytes()));
        assert_eq!(
            lines[0],
            "phase7 verify --refusal: CONFIRMED: a rerun refuses this input exactly as recorded"
        );
        assert!(lines[1].starts_with("refusal_id: "), "{lines:#?}");
        assert!(lines.iter().all(|l| !l.starts_with("FAIL")), "{lines:#?}");
        assert!(lines
            .iter()
            .any(|l| l.starts_with("PASS  recorded_at recorded by the refuser")));
        assert!(lines
            .last()
            .unwrap()
            .starts_with("A refusal record vouches for no result"));

        // An edited value: not confirmed, the field named with both values.
        let edited = record.replacen("\"value\": \"3.5\"", "\"value\": \"2.5\"", 1);
        let lines = refusal(&verify_refusal(bad.as_bytes(), edited.as_bytes()));
        assert!(
            lines[0].starts_with("phase7 verify --refusal: NOT CONFIRMED ("),
            "{}",
            lines[0]
        );
        let at = lines
            .iter()
            .position(|l| l.starts_with("FAIL") && l.ends_with("[refusal.violations[0].value]"))
            .unwrap_or_else(|| panic!("{lines:#?}"));
        assert_eq!(lines[at + 1], "        expected: \"3.5\"");
        assert_eq!(lines[at + 2], "        actual:   \"2.5\"");

        // An accepted input: the rerun does not refuse it.
        let lines = refusal(&verify_refusal(SAMPLE, record.as_bytes()));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("FAIL  a rerun refuses the input  [input]")));
    }
}
