//! Refusal records (`refusal.json`, format `phase7-refusal/1`): why a plan was refused,
//! on file.
//!
//! A rejected input (CLI exit 2) and a run whose output contract, invariants or exit gate
//! failed (exit 3) get no MacroScore and no certificate. Their [`Refusal`] records what
//! was refused and why: the input's identity (the SHA-256 of its raw bytes, always; the
//! RFC 8785 input digest when it parsed), every violation with its code, location and
//! value, the checks that ran as a hash-chained audit trail ([`crate::attest::audit`]),
//! the options and the tool, pipeline and configuration versions. It is deterministic:
//! `refusal_id` is the digest of the record without `refusal_id` and `recorded_at` (the
//! caller's time), so a rerun on the same input reproduces it field by field, which is
//! how [`crate::verify::refusal`] confirms one.
//!
//! It is never named or shaped like a certificate: its own format and kind, no
//! `certificate_id`, no `ready_for_phase8`, no MacroScore; a note says it vouches for no
//! result. The format is described in `docs/certificates.md`.

use serde::Serialize;

use crate::attest::audit::{self, AuditTrail, NotCertified};
use crate::attest::digest;
use crate::attest::jcs::Member;
use crate::checks::{contract, CheckStage, Verdict};
use crate::config::{Config, PIPELINE_VERSION};
use crate::error::{ComputationError, Diagnostic, InputRejected, InputWarning};
use crate::phase::{Run, RunOptions};
use crate::read::json::{self, Json};

/// The `format` tag of a refusal record.
pub const FORMAT: &str = "phase7-refusal/1";

/// The `kind` of a refusal record.
pub const KIND: &str = "REFUSAL";

/// `refusal.json`.
pub const REFUSAL_FILE: &str = "refusal.json";

/// The tool that writes the record.
pub const TOOL: &str = "phase7";

/// Top-level fields `refusal_id` does not cover: the id itself and the caller's time.
pub const UNREPRODUCED_FIELDS: [&str; 2] = ["refusal_id", "recorded_at"];

/// What the record means, in every record.
pub const NOTE: &str = "REFUSED: the input was rejected, or its run failed the checks \
named here; no MacroScore or certificate was issued. This record vouches for no result: \
anyone holding the input can rerun it and obtain the same record.";

/// What was refused, and at which stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refused {
    /// `INPUT_CONTRACT` for a rejected input (CLI exit 2); otherwise the first check
    /// family that failed: `OUTPUT_CONTRACT`, `INVARIANTS` or `EXIT_GATE` (exit 3).
    pub stage: CheckStage,
    /// `INPUT_CONTRACT_VIOLATION`, `OUTPUT_CONTRACT_VIOLATION`, `INVARIANT_VIOLATION` or
    /// `GATE_FAILED`.
    pub code: String,
    /// The failed error-severity checks, in run order.
    pub failed_checks: Vec<String>,
    /// For a run that failed its checks, the digest of the MacroScore it computed and did
    /// not issue (`null` for a rejected input).
    pub output_digest: Option<String>,
}

/// Which input was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputIdentity {
    /// `hex(SHA-256(raw bytes))`: identifies the file even when it is not JSON.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// `hex(SHA-256(JCS(document)))` — the input digest a certificate would bind — when
    /// the file parsed and can be canonically encoded; `null` otherwise.
    pub digest: Option<String>,
}

/// The versions the refusal was made under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Versions {
    /// [`TOOL`].
    pub tool: String,
    /// The core's version (`phase7-core`).
    pub tool_version: String,
    /// The pipeline semantics reproduced.
    pub pipeline_version: String,
    /// The configuration's version.
    pub config_version: String,
    /// The configuration's digest.
    pub config_digest: String,
}

/// The options that decide the outcome, so a rerun can reproduce it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordedOptions {
    /// Warnings fail the gate.
    pub strict: bool,
    /// The input size limit in bytes.
    pub max_input_bytes: u64,
}

/// One violation (or warning).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Stable code, e.g. `SCORE_OUT_OF_BOUNDS` or `GATE_FAILED`.
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    /// The check it fails (a rule of [`contract::RULES`], or a POST/INV/GATE id).
    pub check: String,
    /// The cluster, when it is about one.
    pub cluster: Option<String>,
    /// The field, when it is about one.
    pub field: Option<String>,
    /// The offending value, as text.
    pub value: Option<String>,
    /// A sentence a person can act on.
    pub message: String,
    /// For the "…and N more" entry of a code listed [`crate::error::MAX_LISTED_PER_CODE`]
    /// times: N, the violations it stands for. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<u64>,
}

/// How many violations `violations` stands for: each "…and N more" entry counts N.
fn count(violations: &[Violation]) -> usize {
    violations
        .iter()
        .map(|v| usize::try_from(v.omitted.unwrap_or(1)).unwrap_or(usize::MAX))
        .fold(0, usize::saturating_add)
}

impl Violation {
    fn of(d: &Diagnostic, check: &str) -> Violation {
        Violation {
            code: d.code.to_string(),
            severity: d.severity.to_string(),
            check: check.to_string(),
            cluster: d.cluster.clone(),
            field: d.field.clone(),
            value: d.value.clone(),
            message: d.message.clone(),
            omitted: d.omitted,
        }
    }

    fn input(d: &Diagnostic) -> Violation {
        Violation::of(d, contract::rule_of(d.code, d.field.as_deref()))
    }
}

/// A refusal record, as written to `refusal.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// [`FORMAT`].
    pub format: String,
    /// [`KIND`].
    pub kind: String,
    /// `hex(SHA-256(JCS(this record without UNREPRODUCED_FIELDS)))`.
    pub refusal_id: String,
    /// When it was recorded, as the caller said (RFC 3339); not covered by the id.
    pub recorded_at: Option<String>,
    /// What was refused.
    pub refused: Refused,
    /// Which input.
    pub input: InputIdentity,
    /// Tool, pipeline and configuration versions.
    pub versions: Versions,
    /// The options the outcome depends on.
    pub options: RecordedOptions,
    /// How many violations there are in all (`violations` lists them).
    pub violation_count: usize,
    /// Every violation: input-contract errors for a rejected input, failed checks for a
    /// run.
    pub violations: Vec<Violation>,
    /// The warnings found on the way.
    pub warnings: Vec<Violation>,
    /// The checks that ran, hash-chained as an audit trail and marked not certified.
    pub checks: AuditTrail,
    /// [`NOTE`].
    pub note: String,
}

fn versions(config: &Config, config_digest: String) -> Versions {
    Versions {
        tool: TOOL.into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        pipeline_version: PIPELINE_VERSION.into(),
        config_version: config.version.clone(),
        config_digest,
    }
}

/// The trail of `checks`, marked not certified at `stage`.
pub(crate) fn trail(
    checks: &[crate::checks::Check],
    stage: CheckStage,
    failed: &[String],
) -> Result<AuditTrail, ComputationError> {
    let mut t = AuditTrail::build(checks)?;
    t.not_certified = Some(NotCertified {
        failed_stage: stage,
        failed_checks: failed.to_vec(),
        note: NotCertified::NOTE.to_string(),
    });
    Ok(t)
}

/// The RFC 8785 digest of the document in `bytes`, when it is within the limit, parses
/// and holds only finite numbers.
fn document_digest(bytes: &[u8], limit: u64) -> Option<String> {
    if bytes.len() as u64 > limit {
        return None;
    }
    let doc = json::parse(bytes).ok()?;
    if !doc.findings.is_empty() {
        // A duplicated key or a non-finite number: the parsed value is not the document.
        return None;
    }
    digest::of_json(&doc.value).ok()
}

impl Refusal {
    /// The record of a rejected input (no run exists): every violation and warning of
    /// `rejected`, the input-contract rules that ran ([`contract::refused`]).
    ///
    /// `violation_count` is the number of violations the rejection carries (exact: an
    /// "…and N more" entry counts N).
    ///
    /// # Errors
    ///
    /// A [`ComputationError`] if the record cannot be encoded (it holds only strings).
    pub fn rejected(
        bytes: &[u8],
        rejected: &InputRejected,
        options: &RunOptions,
        recorded_at: Option<&str>,
    ) -> Result<Refusal, ComputationError> {
        let config = Config::published();
        let checks = contract::refused(rejected);
        let failed: Vec<String> = checks
            .iter()
            .filter(|c| c.fails_run())
            .map(|c| c.id.clone())
            .collect();
        let violations: Vec<Violation> = rejected
            .errors
            .iter()
            .map(|e| Violation::input(&e.report()))
            .collect();
        let warnings = rejected
            .warnings
            .iter()
            .map(|w| Violation::input(&w.report()))
            .collect();
        let stage = CheckStage::InputContract;
        Refusal {
            format: FORMAT.into(),
            kind: KIND.into(),
            refusal_id: String::new(),
            recorded_at: recorded_at.map(str::to_string),
            refused: Refused {
                stage,
                code: "INPUT_CONTRACT_VIOLATION".into(),
                failed_checks: failed.clone(),
                output_digest: None,
            },
            input: InputIdentity {
                sha256: digest::sha256_hex(bytes),
                bytes: bytes.len() as u64,
                digest: document_digest(bytes, options.limits.max_input_bytes),
            },
            versions: versions(&config, config.digest()?),
            options: RecordedOptions {
                strict: options.strict,
                max_input_bytes: options.limits.max_input_bytes,
            },
            violation_count: count(&violations),
            violations,
            warnings,
            checks: trail(&checks, stage, &failed)?,
            note: NOTE.into(),
        }
        .identified()
    }

    /// The record of a run whose checks failed: its failed checks as violations, its
    /// input warnings, all its checks. `None` for a run that passed (nothing is refused).
    /// `input_sha256` and `input_bytes` identify the raw input ([`Run::input_file`]).
    ///
    /// # Errors
    ///
    /// A [`ComputationError`] if the record cannot be encoded.
    pub fn failed_run(
        run: &Run,
        input_sha256: &str,
        input_bytes: u64,
        recorded_at: Option<&str>,
    ) -> Result<Option<Refusal>, ComputationError> {
        let Verdict::Failed { stage, failed } = &run.verdict else {
            return Ok(None);
        };
        let violations: Vec<Violation> = run
            .checks
            .iter()
            .filter(|c| c.fails_run())
            .zip(run.failures())
            .map(|(c, d)| Violation::of(&d, &c.id))
            .collect();
        let warnings = run
            .warnings()
            .iter()
            .map(|w| Violation::input(&InputWarning::report(w)))
            .collect();
        Refusal {
            format: FORMAT.into(),
            kind: KIND.into(),
            refusal_id: String::new(),
            recorded_at: recorded_at.map(str::to_string),
            refused: Refused {
                stage: *stage,
                code: run.verdict.code().unwrap_or("CHECK_FAILED").into(),
                failed_checks: failed.clone(),
                output_digest: Some(run.digests.output.clone()),
            },
            input: InputIdentity {
                sha256: input_sha256.to_string(),
                bytes: input_bytes,
                digest: Some(run.digests.input.clone()),
            },
            versions: versions(&run.config, run.digests.config.clone()),
            options: RecordedOptions {
                strict: run.options.strict,
                max_input_bytes: run.options.limits.max_input_bytes,
            },
            violation_count: count(&violations),
            violations,
            warnings,
            checks: trail(&run.checks, *stage, failed)?,
            note: NOTE.into(),
        }
        .identified()
        .map(Some)
    }

    /// Sets `refusal_id` to the digest of the body.
    fn identified(mut self) -> Result<Refusal, ComputationError> {
        self.refusal_id = digest::of_without(&self, &UNREPRODUCED_FIELDS)?;
        Ok(self)
    }

    /// `refusal.json`: pretty JSON (2-space indent), final newline.
    ///
    /// # Errors
    ///
    /// Only if the record cannot be encoded (it holds only strings and integers).
    pub fn to_json_pretty(&self) -> Result<String, ComputationError> {
        audit::pretty(self)
    }
}

/// `hex(SHA-256(JCS(record without UNREPRODUCED_FIELDS)))` of a refusal record as found in
/// a file: what its `refusal_id` must be.
///
/// # Errors
///
/// A [`ComputationError`] when the value holds a non-finite number.
pub fn id_of(record: &Json) -> Result<String, ComputationError> {
    digest::of_json_edited(record, &|k| {
        if UNREPRODUCED_FIELDS.contains(&k) {
            Member::Skip
        } else {
            Member::Keep
        }
    })
}

/// Whether a parsed document is a refusal record (its `format` and `kind`), so a
/// verifier can tell it from a certificate.
pub fn is_refusal(doc: &Json) -> bool {
    doc.get("format") == Some(&Json::String(FORMAT.into()))
        && doc.get("kind") == Some(&Json::String(KIND.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phase::run;
    use crate::read::bridge;

    const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");

    fn refuse(bytes: &[u8], at: Option<&str>) -> Refusal {
        let options = RunOptions::default();
        let rejected = bridge::read(bytes, &options.limits).unwrap_err();
        Refusal::rejected(bytes, &rejected, &options, at).unwrap()
    }

    #[test]
    fn a_rejected_input_is_recorded_with_every_violation() {
        let text = String::from_utf8_lossy(SAMPLE)
            .replacen("\"score\": 1.4712", "\"score\": 3.5", 1)
            .replacen("\"score_std\": 0.061", "\"score_std\": -1", 1);
        let r = refuse(text.as_bytes(), Some("2026-01-01T00:00:00Z"));
        assert_eq!((r.format.as_str(), r.kind.as_str()), (FORMAT, KIND));
        assert_eq!(r.refused.stage, CheckStage::InputContract);
        assert_eq!(r.refused.failed_checks, ["PRE-7.3", "VALUE-BOUNDS"]);
        assert_eq!(r.violation_count, 2);
        // Document order: MESO_1's score_std comes before MESO_2's score.
        let v = &r.violations[1];
        assert_eq!(
            (
                v.code.as_str(),
                v.check.as_str(),
                v.cluster.as_deref(),
                v.field.as_deref(),
                v.value.as_deref()
            ),
            (
                "SCORE_OUT_OF_BOUNDS",
                "PRE-7.3",
                Some("CLUSTER_MESO_2"),
                Some("score"),
                Some("3.5")
            )
        );
        assert_eq!(r.input.sha256, digest::sha256_hex(text.as_bytes()));
        assert!(r.input.digest.is_some());
        assert!(r.checks.verify_chain().is_empty());
        assert!(r.checks.not_certified.is_some());
        // The id is the digest of the body, and the time is not in it.
        let again = refuse(text.as_bytes(), None);
        assert_eq!(again.refusal_id, r.refusal_id);
        assert_eq!(id_of(&audit::to_json(&r).unwrap()).unwrap(), r.refusal_id);
        let json = r.to_json_pretty().unwrap();
        assert!(!json.contains("certificate_id") && !json.contains("ready_for_phase8"));
        assert!(is_refusal(&json::parse(json.as_bytes()).unwrap().value));
    }

    #[test]
    fn a_file_that_is_not_json_is_identified_by_its_bytes() {
        let r = refuse(b"[{", None);
        assert_eq!(r.input.digest, None);
        assert_eq!(r.input.bytes, 2);
        assert_eq!(r.violations[0].code, "MALFORMED_JSON");
        assert_eq!(r.checks.entries.len(), 1);
        // A NaN parses but has no canonical form: no digest either.
        let text = String::from_utf8_lossy(SAMPLE).replacen("1.4712", "NaN", 1);
        assert_eq!(refuse(text.as_bytes(), None).input.digest, None);
    }

    #[test]
    fn a_failed_run_is_recorded_with_its_checks() {
        let strict = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        let text = String::from_utf8_lossy(SAMPLE).replace("PROV_MESO_2_5c2e7b14", "");
        let r = run(text.as_bytes(), &strict).unwrap();
        let rec = Refusal::failed_run(&r, "00", 2, None).unwrap().unwrap();
        assert_eq!(rec.refused.stage, CheckStage::ExitGate);
        assert_eq!(rec.refused.code, "GATE_FAILED");
        assert_eq!(rec.refused.failed_checks, ["GATE-4"]);
        assert_eq!(rec.violations[0].check, "GATE-4");
        assert_eq!(rec.warnings[0].code, "MISSING_PROVENANCE");
        assert_eq!(rec.warnings[0].check, "PRE-7.4");
        assert_eq!(rec.checks.entries.len(), r.checks.len());
        assert!(rec.options.strict);
        let passed = run(SAMPLE, &RunOptions::default()).unwrap();
        assert_eq!(Refusal::failed_run(&passed, "00", 2, None).unwrap(), None);
    }
}
