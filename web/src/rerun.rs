//! Determinism: rerunning the same bytes and comparing every digest. Leptos-free, so the
//! comparison the page shows is tested natively.

use phase7_core::attest::certificate;
use phase7_core::phase::{self, RunOptions};

/// What one run produced, as digests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// JCS/SHA-256 of the input document.
    pub input: String,
    /// JCS/SHA-256 of the configuration.
    pub config: String,
    /// JCS/SHA-256 of the MacroScore (without its timestamp).
    pub output: String,
    /// SHA-256 of the MacroScore's plain JSON text, which keeps every bit (including
    /// the sign of zero, which the canonical form folds): `phase7_core::phase::exact_digest`,
    /// the digest INV-7.5 compares.
    pub exact: String,
    /// The id of the certificate the run issues (binds input, configuration, output and
    /// the audit trail's root).
    pub certificate: String,
}

impl Fingerprint {
    /// The fingerprint of one fresh run of `bytes` with `options`, or the run's error
    /// codes.
    ///
    /// # Errors
    ///
    /// The error codes of a run that failed (a rejected input has nothing to compare).
    pub fn of(bytes: &[u8], options: &RunOptions) -> Result<Fingerprint, String> {
        let run = phase::run(bytes, options).map_err(|e| e.code().to_string())?;
        let exact = phase::exact_digest(&run.macro_score).map_err(|e| e.to_string())?;
        // The certificate alone (`Artifacts::issue` also writes the three files' texts,
        // as long as the MacroScore twice over; issue 9); none for a run that failed.
        let certificate = match run.passed() {
            true => {
                certificate::issue(&run, None)
                    .map_err(|e| e.to_string())?
                    .certificate
                    .certificate_id
            }
            false => String::new(),
        };
        Ok(Fingerprint {
            certificate,
            input: run.digests.input,
            config: run.digests.config,
            output: run.digests.output,
            exact,
        })
    }
}

/// The result of N reruns compared with the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The first run's fingerprint (the reference).
    pub reference: Fingerprint,
    /// Every rerun, in order.
    pub runs: Vec<Result<Fingerprint, String>>,
}

impl Report {
    /// How many reruns gave exactly the reference's digests.
    pub fn identical(&self) -> usize {
        self.runs
            .iter()
            .filter(|r| r.as_ref().ok() == Some(&self.reference))
            .count()
    }

    /// True when every rerun matched the reference.
    pub fn all_identical(&self) -> bool {
        !self.runs.is_empty() && self.identical() == self.runs.len()
    }
}

/// Clamps the requested number of reruns to 1..=1000.
pub fn clamp_count(requested: i64) -> usize {
    requested.clamp(1, 1000) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::SAMPLE_PHASE6;

    #[test]
    fn reruns_of_the_sample_are_identical() {
        let reference =
            Fingerprint::of(SAMPLE_PHASE6.as_bytes(), &RunOptions::default()).expect("sample runs");
        let runs = (0..3)
            .map(|_| Fingerprint::of(SAMPLE_PHASE6.as_bytes(), &RunOptions::default()))
            .collect();
        let report = Report { reference, runs };
        assert_eq!(report.identical(), 3);
        assert!(report.all_identical());
        assert_eq!(report.reference.output.len(), 64);
    }

    #[test]
    fn a_different_run_is_counted_as_different() {
        let reference =
            Fingerprint::of(SAMPLE_PHASE6.as_bytes(), &RunOptions::default()).expect("sample runs");
        let mut other = reference.clone();
        other.exact = "0".repeat(64);
        let report = Report {
            reference,
            runs: vec![Ok(other), Err("MALFORMED_JSON".into())],
        };
        assert_eq!(report.identical(), 0);
        assert!(!report.all_identical());
        assert!(Fingerprint::of(b"[", &RunOptions::default()).is_err());
    }

    #[test]
    fn counts_are_clamped() {
        assert_eq!(clamp_count(0), 1);
        assert_eq!(clamp_count(10), 10);
        assert_eq!(clamp_count(1_000_000), 1000);
    }
}
