//! The text reports of `phase7 verify`, rendered from the core's report structures. Each
//! entry is one line; [`crate::term::out_lines`] escapes each on its own, so an id, a
//! key or a value from the files cannot break a line or move the cursor.

use phase7_core::error::Diagnostic;
use phase7_core::verify::claim::{ClaimOutcome, ClaimReport, FieldStatus};
use phase7_core::verify::{VerificationOutcome, VerificationReport};

fn errors(out: &mut Vec<String>, errors: &[Diagnostic]) {
    for e in errors {
        out.push(format!("error[{}]: {}", e.code, e.message));
    }
}

/// The lines of a certificate verification report.
pub fn verification(report: &VerificationReport) -> Vec<String> {
    let mut out = Vec::new();
    let failed = report.checks.iter().filter(|c| !c.passed).count();
    let verdict = match &report.outcome {
        VerificationOutcome::Verified => "VERIFIED".to_string(),
        VerificationOutcome::NotVerified => format!(
            "NOT VERIFIED ({failed} of {} checks failed)",
            report.checks.len()
        ),
        VerificationOutcome::InputRejected { errors } => {
            format!("INPUT REJECTED ({} violation(s))", errors.len())
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
    for c in &report.checks {
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

/// The lines of a claimed-output report.
pub fn claim(report: &ClaimReport) -> Vec<String> {
    let mut out = Vec::new();
    let count = |s: FieldStatus| report.fields.iter().filter(|f| f.status == s).count();
    let verdict = match &report.outcome {
        ClaimOutcome::Identical => "CONSISTENT: every compared field is bit-identical".into(),
        ClaimOutcome::Explained => {
            "CONSISTENT: every difference is explained by the pipeline's math library".into()
        }
        ClaimOutcome::Different => format!(
            "NOT CONSISTENT: {} unexplained difference(s)",
            count(FieldStatus::Different)
        ),
        ClaimOutcome::InputRejected { errors } => {
            format!("INPUT REJECTED ({} violation(s))", errors.len())
        }
        ClaimOutcome::RerunFailed { .. } => "RERUN FAILED".into(),
    };
    out.push(format!("phase7 verify --claimed: {verdict}"));
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
            out.push(format!("{label}  {}", f.path));
            if status == FieldStatus::NotCompared {
                out.push(format!("        claimed: {}", f.claimed));
            } else {
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
}
