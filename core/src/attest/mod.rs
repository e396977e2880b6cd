//! Attestation: what binds a run so that anyone can check it by rerunning.
//!
//! [`digest`] is the canonical encoding (RFC 8785) and SHA-256; [`audit`] chains every
//! check into a tamper-evident trail; [`certificate`] issues the Phase 6 → 7 and Phase
//! 7 → 8 certificates; [`refusal`] records why a plan was refused. [`Artifacts`] is the
//! one writer of a run's files: the CLI, the batch, the WASM API and the page all take
//! their bytes from it.

use crate::checks::Verdict;
use crate::error::{ComputationError, InputRejected};
use crate::phase::{Run, RunOptions};

pub mod audit;
pub mod certificate;
pub mod digest;
pub mod jcs;
pub mod refusal;

use audit::AuditTrail;
use certificate::Phase7To8Certificate;
use refusal::Refusal;

pub use refusal::REFUSAL_FILE;

/// `macro_score.json`: the MacroScore in the pipeline's shape.
pub const MACRO_SCORE_FILE: &str = "macro_score.json";
/// `certificate.json`: the Phase 7 → 8 certificate (with the 6 → 7 one inside).
pub const CERTIFICATE_FILE: &str = "certificate.json";
/// `audit_trail.json`: every check, hash-chained.
pub const AUDIT_TRAIL_FILE: &str = "audit_trail.json";

/// The files of one run, each serialised once.
///
/// A run that passed its checks gets all three files; a run whose output contract,
/// invariants or exit gate failed gets only its audit trail, marked as not certified
/// (`not_certified` names the failed stage and checks): an auditor can see why it was
/// refused, and nothing that looks like a result is written. A refused plan — a failed
/// run, or a rejected input ([`Artifacts::rejected`]) — also gets its refusal record
/// (`refusal.json`, [`Artifacts::record`]), which the caller writes unless told not to.
#[derive(Clone, Debug, PartialEq)]
pub struct Artifacts {
    /// The Phase 7 → 8 certificate, for a run that passed.
    pub certificate: Option<Phase7To8Certificate>,
    /// The audit trail (the one the certificate names, when there is one).
    pub audit_trail: AuditTrail,
    /// `macro_score.json` text, for a run that passed.
    pub macro_score_json: Option<String>,
    /// `certificate.json` text, for a run that passed.
    pub certificate_json: Option<String>,
    /// `audit_trail.json` text, always.
    pub audit_trail_json: String,
    /// The refusal record of a refused plan (a failed run whose raw input is known —
    /// [`Run::input_file`] — or a rejected input).
    pub refusal: Option<Refusal>,
    /// `refusal.json` text, with [`Artifacts::refusal`].
    pub refusal_json: Option<String>,
}

impl Artifacts {
    /// Makes the files of a run. `issued_at` is the caller's time (the core reads no
    /// clock); it is recorded in the certificate but covered by no id.
    ///
    /// # Errors
    ///
    /// A [`ComputationError`] if something cannot be encoded (a validated run cannot
    /// produce such a value).
    ///
    /// # Example
    ///
    /// ```
    /// use phase7_core::{attest::Artifacts, phase};
    /// let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
    /// let run = phase::run(bytes, &Default::default()).unwrap();
    /// let files = Artifacts::issue(&run, Some("2026-01-01T00:00:00Z")).unwrap();
    /// assert!(files.certified());
    /// assert_eq!(files.files().len(), 3);
    /// ```
    pub fn issue(run: &Run, issued_at: Option<&str>) -> Result<Artifacts, ComputationError> {
        match &run.verdict {
            Verdict::Passed => {
                let bundle = certificate::issue(run, issued_at)?;
                Ok(Artifacts {
                    macro_score_json: Some(audit::pretty(&run.macro_score)?),
                    certificate_json: Some(audit::pretty(&bundle.certificate)?),
                    audit_trail_json: audit::pretty(&bundle.audit_trail)?,
                    certificate: Some(bundle.certificate),
                    audit_trail: bundle.audit_trail,
                    refusal: None,
                    refusal_json: None,
                })
            }
            Verdict::Failed { stage, failed } => {
                let refusal = match &run.input_file {
                    Some(f) => Refusal::failed_run(run, &f.sha256, f.bytes, issued_at)?,
                    None => None,
                };
                // The record embeds the trail: built and hashed once.
                let trail = match &refusal {
                    Some(r) => r.checks.clone(),
                    None => refusal::trail(&run.checks, *stage, failed)?,
                };
                Ok(Artifacts {
                    certificate: None,
                    audit_trail_json: audit::pretty(&trail)?,
                    audit_trail: trail,
                    macro_score_json: None,
                    certificate_json: None,
                    refusal_json: refusal.as_ref().map(Refusal::to_json_pretty).transpose()?,
                    refusal,
                })
            }
        }
    }

    /// The files of a rejected input (no run exists): its refusal record, and the
    /// input-contract checks that ran as an audit trail marked not certified (the same
    /// trail the record embeds). `recorded_at` is the caller's time, covered by no id.
    ///
    /// # Errors
    ///
    /// A [`ComputationError`] if the record cannot be encoded (it holds only strings).
    pub fn rejected(
        bytes: &[u8],
        rejected: &InputRejected,
        options: &RunOptions,
        recorded_at: Option<&str>,
    ) -> Result<Artifacts, ComputationError> {
        let refusal = Refusal::rejected(bytes, rejected, options, recorded_at)?;
        Ok(Artifacts {
            certificate: None,
            audit_trail_json: audit::pretty(&refusal.checks)?,
            audit_trail: refusal.checks.clone(),
            macro_score_json: None,
            certificate_json: None,
            refusal_json: Some(refusal.to_json_pretty()?),
            refusal: Some(refusal),
        })
    }

    /// `refusal.json` of a refused plan, `(name, text)`: written beside [`Artifacts::files`]
    /// unless the caller is told not to keep a record.
    pub fn record(&self) -> Option<(&'static str, &str)> {
        self.refusal_json
            .as_deref()
            .map(|text| (REFUSAL_FILE, text))
    }

    /// True when the run passed and its certificate was issued.
    pub fn certified(&self) -> bool {
        self.certificate.is_some()
    }

    /// The files to write, `(name, text)`, in writing order (the certificate last, so
    /// that a reader who sees it also finds what it names).
    pub fn files(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::with_capacity(3);
        if let Some(m) = &self.macro_score_json {
            out.push((MACRO_SCORE_FILE, m.as_str()));
        }
        out.push((AUDIT_TRAIL_FILE, self.audit_trail_json.as_str()));
        if let Some(c) = &self.certificate_json {
            out.push((CERTIFICATE_FILE, c.as_str()));
        }
        out
    }

    /// The text of one file by name.
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phase::{run, RunOptions};

    const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");

    #[test]
    fn a_passed_run_gets_three_files_byte_for_byte_as_before() {
        let r = run(SAMPLE, &RunOptions::default()).unwrap();
        let a = Artifacts::issue(&r, Some("x")).unwrap();
        let names: Vec<&str> = a.files().iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [MACRO_SCORE_FILE, AUDIT_TRAIL_FILE, CERTIFICATE_FILE]
        );
        assert_eq!(
            a.macro_score_json.as_deref(),
            Some(r.macro_score.to_json_pretty().unwrap().as_str())
        );
        assert!(a.audit_trail.not_certified.is_none());
        assert!(!a.audit_trail_json.contains("not_certified"));
    }

    #[test]
    fn a_failed_gate_gets_only_a_trail_marked_not_certified() {
        let strict = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        // No provenance on one cluster: a warning, which strict mode turns into GATE-4.
        let input = String::from_utf8_lossy(SAMPLE).replace("PROV_MESO_2_5c2e7b14", "");
        let r = run(input.as_bytes(), &strict).unwrap();
        let a = Artifacts::issue(&r, None).unwrap();
        assert!(!a.certified());
        assert_eq!(a.files().len(), 1);
        let marked = a.audit_trail.not_certified.as_ref().unwrap();
        assert_eq!(marked.failed_checks, ["GATE-4"]);
        assert!(a
            .audit_trail_json
            .contains("\"failed_stage\": \"EXIT_GATE\""));
        assert!(a.audit_trail.verify_chain().is_empty());
        // The refusal record names the gate, and is not among the result files.
        let (name, text) = a.record().unwrap();
        assert_eq!(name, REFUSAL_FILE);
        assert!(text.contains("\"format\": \"phase7-refusal/1\""));
        assert_eq!(
            a.refusal.as_ref().unwrap().refused.failed_checks,
            ["GATE-4"]
        );
        assert!(!a.files().iter().any(|(n, _)| *n == REFUSAL_FILE));
    }

    #[test]
    fn a_passed_run_has_no_record() {
        let r = run(SAMPLE, &RunOptions::default()).unwrap();
        assert_eq!(Artifacts::issue(&r, None).unwrap().record(), None);
    }

    #[test]
    fn a_rejected_input_gets_a_record_and_nothing_certified() {
        let options = RunOptions::default();
        let bytes = b"[1, 2]";
        let rejected = crate::read::bridge::read(bytes, &options.limits).unwrap_err();
        let a = Artifacts::rejected(bytes, &rejected, &options, Some("t")).unwrap();
        assert!(!a.certified());
        assert_eq!(a.macro_score_json, None);
        let names: Vec<&str> = a.files().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, [AUDIT_TRAIL_FILE]);
        let refusal = a.refusal.as_ref().unwrap();
        assert_eq!(refusal.recorded_at.as_deref(), Some("t"));
        assert_eq!(a.audit_trail, refusal.checks);
        assert!(a.audit_trail.not_certified.is_some());
        assert!(a.record().is_some());
    }
}
