//! Certificates: Phase 6 → 7 (compatibility) and Phase 7 → 8 (exit), chained.
//!
//! `certificate.json` holds one [`Phase7To8Certificate`] with the
//! [`Phase6To7Certificate`] embedded under `phase6_to_phase7`; the outer certificate also
//! names the inner one's id in `digests.phase6_to_phase7`. Each certificate's
//! `certificate_id` is `hex(SHA-256(JCS(body)))`, where the body is the certificate object
//! without the fields in [`UNREPRODUCED_FIELDS`] (`certificate_id` itself, `issued_at` and
//! `evaluation_timestamp`, which record the caller's clock and are not reproducible). The
//! inner certificate has no time fields, so its body is everything but its id, and the
//! outer id covers the inner certificate (id included).
//!
//! What is bound, by SHA-256 over RFC 8785: the Phase 6 input as parsed (and each cluster
//! object separately, so a verifier can say which cluster changed), the configuration,
//! the MacroScore without its timestamp, and the audit trail's root. The layout is
//! documented in `docs/certificates.md`; [`crate::verify`] checks every field.

use serde::Serialize;

use crate::attest::audit::{self, AuditTrail};
use crate::attest::digest;
use crate::attest::jcs::{Member, Zero};
use crate::checks::{Check, CheckSeverity, CheckStage};
use crate::error::{ComputationError, Diagnostic, InputWarning};
use crate::phase::Run;
use crate::read::json::{self, Json};
use crate::stages::aggregate::QualityLevel;
use crate::stages::macro_score::GapSeverity;

/// The `format` tag of both certificates.
pub const FORMAT: &str = "phase7-certificate/1";

/// `kind` of the Phase 6 → 7 certificate.
pub const KIND_PHASE6_TO_PHASE7: &str = "PHASE6_TO_PHASE7";

/// `kind` of the Phase 7 → 8 certificate.
pub const KIND_PHASE7_TO_PHASE8: &str = "PHASE7_TO_PHASE8";

/// Top-level fields a certificate id does not cover: the id itself and the two times
/// supplied by the caller.
pub const UNREPRODUCED_FIELDS: [&str; 3] = ["certificate_id", "issued_at", "evaluation_timestamp"];

/// One input-contract, output-contract, invariant or gate result, as a certificate
/// records it (the audit trail holds the full entry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// Check id.
    pub id: String,
    /// Whether it held.
    pub passed: bool,
    /// Error or warning.
    pub severity: CheckSeverity,
    /// What it expected.
    pub expected: String,
    /// What it found.
    pub actual: String,
}

impl From<&Check> for CheckResult {
    fn from(c: &Check) -> Self {
        CheckResult {
            id: c.id.clone(),
            passed: c.passed,
            severity: c.severity,
            expected: c.expected.clone(),
            actual: c.actual.clone(),
        }
    }
}

/// One Phase 6 cluster as the bridge accepted it, in input order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CertifiedCluster {
    /// 0-based position in the input.
    pub position: usize,
    /// `CLUSTER_MESO_k`.
    pub cluster_id: String,
    /// `hex(SHA-256(JCS(cluster object as given)))`: covers every key, carried-through
    /// and unknown ones included.
    pub digest: String,
    /// Score.
    pub score: f64,
    /// Coherence.
    pub coherence: f64,
    /// Variance.
    pub variance: f64,
    /// score_std (default 0.0 applied).
    pub score_std: f64,
    /// penalty_applied (default 0.0 applied).
    pub penalty_applied: f64,
    /// weakest_area or null.
    pub weakest_area: Option<String>,
    /// areas as given: all of them, or the first [`MAX_LISTED_AREAS`] when there are more
    /// (then `areas_total` says how many; the cluster's `digest` binds them all).
    pub areas: Vec<&'static str>,
    /// Present only when `areas` lists just the first [`MAX_LISTED_AREAS`]: how many
    /// there are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub areas_total: Option<usize>,
}

/// At most this many of a cluster's areas are listed in a certificate (a real cluster
/// has two or three; more are repeats, each a DUPLICATE_AREA warning).
pub const MAX_LISTED_AREAS: usize = 100;

/// At most this many negative-zero pointers are listed in a certificate.
pub const MAX_NEGATIVE_ZEROS: usize = 100;

/// A negative-zero pointer longer than this many bytes is not listed whole.
pub const MAX_POINTER_BYTES: usize = 1024;

/// The Phase 6 → 7 compatibility certificate: the bridge's findings on the input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phase6To7Certificate {
    /// [`FORMAT`].
    pub format: String,
    /// [`KIND_PHASE6_TO_PHASE7`].
    pub kind: String,
    /// `hex(SHA-256(JCS(this certificate without certificate_id)))`.
    pub certificate_id: String,
    /// True: the input passed the input contract (a rejected input gets no certificate).
    pub accepted: bool,
    /// `array` (bare list of clusters) or `envelope` (object with `cluster_scores`).
    pub input_shape: String,
    /// `hex(SHA-256(JCS(Phase 6 document as parsed)))`, the run's input digest.
    pub input_digest: String,
    /// RFC 6901 JSON Pointers of the numbers written as negative zero. RFC 8785 prints
    /// `-0.0` as `0`, so the digest alone cannot tell them apart; this list completes the
    /// binding (pointers, so that the key `"ext.a"` and the nested `ext` → `a` differ).
    /// When there are more than [`MAX_NEGATIVE_ZEROS`] or one is longer than
    /// [`MAX_POINTER_BYTES`], it lists the first ones (long keys cut) and the two fields
    /// below bind them all.
    pub input_negative_zeros: Vec<String>,
    /// Present only when `input_negative_zeros` is not the whole list: how many
    /// negative zeros the input holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_negative_zeros_total: Option<usize>,
    /// Present only when `input_negative_zeros` is not the whole list:
    /// `hex(SHA-256(JCS(document)))` with every negative zero written `-0`, which with
    /// `input_digest` binds exactly where they are, in one pass over the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_signed_digest: Option<String>,
    /// Digest of the envelope's other keys (`null` for a bare array).
    pub metadata_digest: Option<String>,
    /// The four clusters in input order.
    pub clusters: Vec<CertifiedCluster>,
    /// Every input-contract rule (`checks::contract::RULES`: the JSON level, PRE-7.1..7.6,
    /// HERMETICITY, the field rules), in order.
    pub input_contract: Vec<CheckResult>,
    /// Input warnings (PRE-7.4 MISSING_PROVENANCE, DUPLICATE_AREA).
    pub warnings: Vec<Diagnostic>,
}

/// The digests the Phase 7 → 8 certificate binds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertifiedDigests {
    /// The Phase 6 input as parsed.
    pub input: String,
    /// The configuration (weights, thresholds, version).
    pub config: String,
    /// The MacroScore without `evaluation_timestamp`.
    pub output: String,
    /// The audit trail's root (its last entry's hash).
    pub audit_root: String,
    /// The embedded Phase 6 → 7 certificate's id.
    pub phase6_to_phase7: String,
}

/// The exit gate's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GateResult {
    /// All GATE checks held.
    pub passed: bool,
    /// GATE-1..5 in order.
    pub checks: Vec<CheckResult>,
}

/// What the certificate says about the audit trail besides its root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditSummary {
    /// [`audit::FORMAT`].
    pub format: String,
    /// [`audit::GENESIS`].
    pub genesis: String,
    /// Number of entries.
    pub entries: usize,
}

/// The reproducible headline fields of the MacroScore (the whole of it is bound by
/// `digests.output`), so that a verifier can name the field that differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CertifiedMacroScore {
    /// Content-derived evaluation id.
    pub evaluation_id: String,
    /// Content-derived provenance id.
    pub provenance_node_id: String,
    /// Macro score.
    pub score: f64,
    /// raw / 3.
    pub score_normalized: f64,
    /// Band.
    pub quality_level: QualityLevel,
    /// Cross-cutting coherence.
    pub cross_cutting_coherence: f64,
    /// Strategic alignment.
    pub strategic_alignment: f64,
    /// Gap areas in order.
    pub systemic_gaps: Vec<String>,
    /// Severity per gap.
    pub gap_severity: GapSeverity,
    /// Propagated standard deviation.
    pub score_std: f64,
    /// 95 % interval.
    pub confidence_interval_95: [f64; 2],
    /// Contributing clusters, input order.
    pub cluster_ids: Vec<String>,
}

/// The Phase 7 → 8 certificate, as written to `certificate.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phase7To8Certificate {
    /// [`FORMAT`].
    pub format: String,
    /// [`KIND_PHASE7_TO_PHASE8`].
    pub kind: String,
    /// `hex(SHA-256(JCS(this certificate without UNREPRODUCED_FIELDS)))`.
    pub certificate_id: String,
    /// When it was issued, as the caller said (RFC 3339); not covered by the id.
    pub issued_at: Option<String>,
    /// The MacroScore's `evaluation_timestamp`, as the caller said; not covered by the id.
    pub evaluation_timestamp: Option<String>,
    /// The exit gate passed: the result may go to Phase 8.
    pub ready_for_phase8: bool,
    /// Whether the run was strict (warnings fail the gate). A verifier reruns the same way.
    pub strict: bool,
    /// The pipeline semantics reproduced.
    pub pipeline_version: String,
    /// The configuration's version.
    pub config_version: String,
    /// Everything bound by digest.
    pub digests: CertifiedDigests,
    /// GATE-1..5.
    pub exit_gate: GateResult,
    /// Audit trail format, genesis and length.
    pub audit_trail: AuditSummary,
    /// Headline MacroScore fields.
    pub macro_score: CertifiedMacroScore,
    /// The chained Phase 6 → 7 certificate.
    pub phase6_to_phase7: Phase6To7Certificate,
}

/// What [`issue`] produces: the certificate (with the 6 → 7 one inside) and the trail
/// its `digests.audit_root` names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CertificateBundle {
    /// The Phase 7 → 8 certificate.
    pub certificate: Phase7To8Certificate,
    /// The audit trail.
    pub audit_trail: AuditTrail,
}

impl CertificateBundle {
    /// The embedded Phase 6 → 7 certificate.
    pub fn phase6_to_phase7(&self) -> &Phase6To7Certificate {
        &self.certificate.phase6_to_phase7
    }

    /// `certificate.json`: pretty JSON (2-space indent), final newline.
    ///
    /// # Errors
    ///
    /// Only if a number is not finite (a validated run has none).
    pub fn certificate_json(&self) -> Result<String, ComputationError> {
        audit::pretty(&self.certificate)
    }

    /// `audit_trail.json`: pretty JSON (2-space indent), final newline.
    ///
    /// # Errors
    ///
    /// As [`CertificateBundle::certificate_json`].
    pub fn audit_trail_json(&self) -> Result<String, ComputationError> {
        audit::pretty(&self.audit_trail)
    }
}

/// `hex(SHA-256(JCS(value without UNREPRODUCED_FIELDS)))` of a certificate object as
/// found in a file; what its `certificate_id` must be. Non-objects are digested whole.
///
/// # Errors
///
/// A [`ComputationError`] when the value holds a non-finite number.
pub fn id_of(certificate: &Json) -> Result<String, ComputationError> {
    digest::of_json_edited(certificate, &|k| {
        if UNREPRODUCED_FIELDS.contains(&k) {
            Member::Skip
        } else {
            Member::Keep
        }
    })
}

fn computation(reason: impl Into<String>) -> ComputationError {
    ComputationError {
        stage: "certificate",
        reason: reason.into(),
    }
}

/// The negative zeros of a document, as a certificate binds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NegativeZeros {
    /// JSON Pointers (`/0/penalty_applied`) in document order: all of them when
    /// `complete`, else the first [`MAX_NEGATIVE_ZEROS`] with long keys cut.
    pub pointers: Vec<String>,
    /// How many there are.
    pub total: usize,
    /// True when `pointers` is every pointer, whole.
    pub complete: bool,
}

/// The negative zeros of a document (see [`NegativeZeros`]), in one walk that copies no
/// key: linear in the document, whatever its keys.
pub fn negative_zeros(value: &Json) -> NegativeZeros {
    /// The path as borrowed keys, and the length its pointer would have.
    struct Walk<'a> {
        path: Vec<Result<&'a str, usize>>,
        lengths: Vec<usize>,
        out: NegativeZeros,
    }
    fn decimal_len(mut i: usize) -> usize {
        let mut n = 1;
        while i >= 10 {
            i /= 10;
            n += 1;
        }
        n
    }
    fn token_len(k: &str) -> usize {
        1 + k.len() + k.bytes().filter(|b| *b == b'~' || *b == b'/').count()
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a Json) {
            match v {
                Json::Number(x) if *x == 0.0 && x.is_sign_negative() => self.found(),
                Json::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.enter(Err(i), 1 + decimal_len(i));
                        self.visit(item);
                        self.leave();
                    }
                }
                Json::Object(fields) => {
                    for (k, item) in fields {
                        self.enter(Ok(k), token_len(k));
                        self.visit(item);
                        self.leave();
                    }
                }
                _ => {}
            }
        }
        fn enter(&mut self, step: Result<&'a str, usize>, len: usize) {
            let total = self.lengths.last().copied().unwrap_or(0) + len;
            self.path.push(step);
            self.lengths.push(total);
        }
        fn leave(&mut self) {
            self.path.pop();
            self.lengths.pop();
        }
        fn found(&mut self) {
            self.out.total += 1;
            let len = self.lengths.last().copied().unwrap_or(0);
            if self.out.total > MAX_NEGATIVE_ZEROS || len > MAX_POINTER_BYTES {
                self.out.complete = false;
            }
            if self.out.pointers.len() < MAX_NEGATIVE_ZEROS {
                let pointer = if len > MAX_POINTER_BYTES {
                    // Its first characters and its length. (With each key cut to 64
                    // characters instead, a pointer 127 keys deep took 8 KB, 48 KB
                    // written in JSON when the keys are control characters.)
                    let head = json::pointer(&self.path, 4 * json::SHOWN_CHARS);
                    json::Shown::cut_from(&head, len).to_string()
                } else {
                    json::pointer(&self.path, usize::MAX)
                };
                self.out.pointers.push(pointer);
            }
        }
    }
    let mut w = Walk {
        path: Vec::new(),
        lengths: Vec::new(),
        out: NegativeZeros {
            pointers: Vec::new(),
            total: 0,
            complete: true,
        },
    };
    w.visit(value);
    w.out
}

/// Builds the Phase 6 → 7 certificate of a run's input.
///
/// # Errors
///
/// A [`ComputationError`] if the validated document lost its cluster array (it cannot)
/// or cannot be encoded.
pub fn phase6_to_phase7(run: &Run) -> Result<Phase6To7Certificate, ComputationError> {
    let doc = run.input.document();
    let (shape, items, metadata_digest) = match doc {
        Json::Array(items) => ("array", items.as_slice(), None),
        Json::Object(_) => match doc.get("cluster_scores") {
            Some(Json::Array(items)) => {
                let meta = digest::of_json_edited(doc, &|k| {
                    if k == "cluster_scores" {
                        Member::Skip
                    } else {
                        Member::Keep
                    }
                })?;
                ("envelope", items.as_slice(), Some(meta))
            }
            _ => return Err(computation("validated input has no cluster array")),
        },
        _ => return Err(computation("validated input is neither array nor envelope")),
    };
    let clusters = run.input.clusters();
    if items.len() != clusters.len() {
        return Err(computation(
            "cluster count differs from the parsed document",
        ));
    }
    let certified = clusters
        .iter()
        .zip(items)
        .enumerate()
        .map(|(position, (c, item))| {
            Ok(CertifiedCluster {
                position,
                cluster_id: c.id.as_str().to_string(),
                digest: digest::of_json(item)?,
                score: c.score,
                coherence: c.coherence,
                variance: c.variance,
                score_std: c.score_std,
                penalty_applied: c.penalty_applied,
                weakest_area: c.weakest_area.clone(),
                areas: c.areas.iter().take(MAX_LISTED_AREAS).copied().collect(),
                areas_total: (c.areas.len() > MAX_LISTED_AREAS).then_some(c.areas.len()),
            })
        })
        .collect::<Result<Vec<_>, ComputationError>>()?;
    let zeros = negative_zeros(doc);
    let signed = if zeros.complete {
        None
    } else {
        Some(digest::of_json_zero(doc, Zero::Signed)?)
    };
    let mut cert = Phase6To7Certificate {
        format: FORMAT.into(),
        kind: KIND_PHASE6_TO_PHASE7.into(),
        certificate_id: String::new(),
        accepted: true,
        input_shape: shape.into(),
        input_digest: run.digests.input.clone(),
        input_negative_zeros_total: (!zeros.complete).then_some(zeros.total),
        input_negative_zeros: zeros.pointers,
        input_signed_digest: signed,
        metadata_digest,
        clusters: certified,
        input_contract: run
            .checks
            .iter()
            .filter(|c| c.stage == CheckStage::InputContract)
            .map(CheckResult::from)
            .collect(),
        warnings: run.warnings().iter().map(InputWarning::report).collect(),
    };
    cert.certificate_id = digest::of_without(&cert, &UNREPRODUCED_FIELDS)?;
    Ok(cert)
}

/// Issues both certificates for a run, with the audit trail they bind.
///
/// `issued_at` is the caller's time (the core reads no clock); it and the MacroScore's
/// `evaluation_timestamp` are recorded but excluded from the certificate id, so a rerun
/// reproduces everything else byte for byte. `strict` is the run's own option
/// ([`Run::options`]); a verifier reruns the same way. Callers that write files use
/// [`crate::attest::Artifacts`], which certifies only a run that passed its checks.
///
/// # Errors
///
/// A [`ComputationError`] if something cannot be canonically encoded (a validated run
/// cannot produce such a value).
///
/// # Example
///
/// ```
/// use phase7_core::{attest::certificate, phase};
/// let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
/// let run = phase::run(bytes, &Default::default()).unwrap();
/// let bundle = certificate::issue(&run, Some("2026-01-01T00:00:00Z")).unwrap();
/// assert!(bundle.certificate.ready_for_phase8);
/// assert_eq!(bundle.certificate.digests.audit_root, bundle.audit_trail.root);
/// ```
pub fn issue(run: &Run, issued_at: Option<&str>) -> Result<CertificateBundle, ComputationError> {
    let trail = AuditTrail::build(&run.checks)?;
    let inner = phase6_to_phase7(run)?;
    let gate: Vec<CheckResult> = run
        .checks
        .iter()
        .filter(|c| c.stage == CheckStage::ExitGate)
        .map(CheckResult::from)
        .collect();
    let gate_passed = !gate.is_empty()
        && gate
            .iter()
            .all(|c| c.passed || c.severity == CheckSeverity::Warning);
    let m = &run.macro_score;
    let mut cert = Phase7To8Certificate {
        format: FORMAT.into(),
        kind: KIND_PHASE7_TO_PHASE8.into(),
        certificate_id: String::new(),
        issued_at: issued_at.map(str::to_string),
        evaluation_timestamp: m.evaluation_timestamp.clone(),
        ready_for_phase8: gate_passed,
        strict: run.options.strict,
        pipeline_version: m.pipeline_version.clone(),
        config_version: run.config.version.clone(),
        digests: CertifiedDigests {
            input: run.digests.input.clone(),
            config: run.digests.config.clone(),
            output: run.digests.output.clone(),
            audit_root: trail.root.clone(),
            phase6_to_phase7: inner.certificate_id.clone(),
        },
        exit_gate: GateResult {
            passed: gate_passed,
            checks: gate,
        },
        audit_trail: AuditSummary {
            format: trail.format.clone(),
            genesis: trail.genesis.clone(),
            entries: trail.entries.len(),
        },
        macro_score: CertifiedMacroScore {
            evaluation_id: m.evaluation_id.clone(),
            provenance_node_id: m.provenance_node_id.clone(),
            score: m.score,
            score_normalized: m.score_normalized,
            quality_level: m.quality_level,
            cross_cutting_coherence: m.cross_cutting_coherence,
            strategic_alignment: m.strategic_alignment,
            systemic_gaps: m.systemic_gaps.clone(),
            gap_severity: m.gap_severity.clone(),
            score_std: m.score_std,
            confidence_interval_95: m.confidence_interval_95,
            cluster_ids: m
                .cluster_scores
                .iter()
                .map(|c| c.cluster_id.clone())
                .collect(),
        },
        phase6_to_phase7: inner,
    };
    cert.certificate_id = digest::of_without(&cert, &UNREPRODUCED_FIELDS)?;
    Ok(CertificateBundle {
        certificate: cert,
        audit_trail: trail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phase::{run, RunOptions};

    const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");

    fn sample_run(options: &RunOptions) -> Run {
        run(SAMPLE, options).unwrap()
    }

    #[test]
    fn ids_are_digests_of_the_bodies() {
        let b = issue(&sample_run(&RunOptions::default()), Some("t")).unwrap();
        let outer = audit::to_json(&b.certificate).unwrap();
        assert_eq!(id_of(&outer).unwrap(), b.certificate.certificate_id);
        let inner = outer.get("phase6_to_phase7").unwrap();
        assert_eq!(id_of(inner).unwrap(), b.phase6_to_phase7().certificate_id);
        assert_eq!(
            b.certificate.digests.phase6_to_phase7,
            b.phase6_to_phase7().certificate_id
        );
    }

    #[test]
    fn binds_the_run_digests() {
        let r = sample_run(&RunOptions::default());
        let b = issue(&r, None).unwrap();
        let d = &b.certificate.digests;
        assert_eq!(
            (&d.input, &d.config, &d.output),
            (&r.digests.input, &r.digests.config, &r.digests.output)
        );
        assert_eq!(d.audit_root, b.audit_trail.root);
        assert_eq!(b.phase6_to_phase7().input_digest, r.digests.input);
        assert_eq!(b.certificate.audit_trail.entries, r.checks.len());
        assert!(b.certificate.ready_for_phase8);
        assert!(!b.certificate.strict);
        assert_eq!(b.phase6_to_phase7().clusters.len(), 4);
        assert_eq!(b.phase6_to_phase7().input_contract.len(), 14);
        assert_eq!(b.certificate.exit_gate.checks.len(), 5);
    }

    #[test]
    fn times_do_not_enter_the_id() {
        let r = sample_run(&RunOptions {
            evaluated_at: Some("2026-01-01T00:00:00Z".into()),
            ..RunOptions::default()
        });
        let a = issue(&r, Some("2026-01-01T00:00:00Z")).unwrap();
        let b = issue(
            &sample_run(&RunOptions::default()),
            Some("2027-05-05T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(a.certificate.certificate_id, b.certificate.certificate_id);
        assert_ne!(a.certificate.issued_at, b.certificate.issued_at);
        assert_ne!(
            a.certificate.evaluation_timestamp,
            b.certificate.evaluation_timestamp
        );
    }

    #[test]
    fn strict_runs_are_marked_and_get_another_id() {
        let lax = issue(&sample_run(&RunOptions::default()), None).unwrap();
        let strict = issue(
            &sample_run(&RunOptions {
                strict: true,
                ..RunOptions::default()
            }),
            None,
        )
        .unwrap();
        assert!(strict.certificate.strict);
        assert_ne!(
            lax.certificate.certificate_id,
            strict.certificate.certificate_id
        );
        assert_ne!(lax.audit_trail.root, strict.audit_trail.root);
    }

    #[test]
    fn negative_zeros_are_listed() {
        let doc = json::parse(br#"[{"a": -0.0, "b": [0.0, -0.0]}, -0]"#)
            .unwrap()
            .value;
        assert_eq!(negative_zeros(&doc).pointers, ["/0/a", "/0/b/1"]);
        // The key "ext.a" and the nested ext -> a are different places.
        let dotted = json::parse(br#"{"ext.a": -0.0, "ext": {"a": 0.0}}"#)
            .unwrap()
            .value;
        let nested = json::parse(br#"{"ext.a": 0.0, "ext": {"a": -0.0}}"#)
            .unwrap()
            .value;
        assert_eq!(negative_zeros(&dotted).pointers, ["/ext.a"]);
        assert_eq!(negative_zeros(&nested).pointers, ["/ext/a"]);
    }

    #[test]
    fn negative_zeros_are_bounded_at_exactly_their_limits() {
        let zeros = |n: usize| {
            let text = format!("[{}]", vec!["-0.0"; n].join(","));
            json::parse(text.as_bytes()).unwrap().value
        };
        let at = negative_zeros(&zeros(MAX_NEGATIVE_ZEROS));
        assert!(at.complete);
        assert_eq!(at.total, MAX_NEGATIVE_ZEROS);
        assert_eq!(at.pointers.len(), MAX_NEGATIVE_ZEROS);
        let over = negative_zeros(&zeros(MAX_NEGATIVE_ZEROS + 1));
        assert!(!over.complete);
        assert_eq!(over.total, MAX_NEGATIVE_ZEROS + 1);
        assert_eq!(over.pointers.len(), MAX_NEGATIVE_ZEROS);

        // `/KEY/10`: 1 + k + 1 + 2 bytes (a two-digit index). Exactly MAX_POINTER_BYTES
        // is kept whole; one byte more and the key is cut.
        let doc = |k: usize| {
            let text = format!(r#"{{"{}": [{}-0.0]}}"#, "k".repeat(k), "0,".repeat(10));
            json::parse(text.as_bytes()).unwrap().value
        };
        let k = MAX_POINTER_BYTES - 4;
        let whole = negative_zeros(&doc(k));
        assert!(whole.complete);
        assert_eq!(whole.pointers, [format!("/{}/10", "k".repeat(k))]);
        let cut = negative_zeros(&doc(k + 1));
        assert!(!cut.complete);
        assert_eq!(cut.total, 1);
        assert_eq!(
            cut.pointers,
            [format!(
                "/{}… ({} bytes)",
                "k".repeat(63),
                MAX_POINTER_BYTES + 1
            )]
        );
    }

    #[test]
    fn a_deep_pointer_is_listed_by_its_first_characters_and_its_length() {
        // 120 keys of 70 control characters each: a byte each in the pointer, six
        // written in the certificate's JSON.
        let key = "\\u0001".repeat(70);
        let text = format!(
            "{}[-0.0, -0.0]{}",
            format!(r#"{{"{key}":"#).repeat(120),
            "}".repeat(120)
        );
        let doc = json::parse(text.as_bytes()).unwrap().value;
        let zeros = negative_zeros(&doc);
        assert!(!zeros.complete);
        assert_eq!(zeros.total, 2);
        let whole = 120 * (1 + 70) + 2;
        let head: String = "/"
            .chars()
            .chain(std::iter::repeat_n('\u{1}', 63))
            .collect();
        assert_eq!(
            zeros.pointers,
            [
                format!("{head}… ({whole} bytes)"),
                format!("{head}… ({whole} bytes)")
            ]
        );
    }

    #[test]
    fn envelope_metadata_is_digested() {
        let inner = std::str::from_utf8(SAMPLE).unwrap();
        let env = format!(r#"{{"run": "x", "cluster_scores": {inner}}}"#);
        let r = run(env.as_bytes(), &RunOptions::default()).unwrap();
        let c = phase6_to_phase7(&r).unwrap();
        assert_eq!(c.input_shape, "envelope");
        assert!(c.metadata_digest.is_some());
        let bare = phase6_to_phase7(&sample_run(&RunOptions::default())).unwrap();
        assert_eq!(bare.metadata_digest, None);
        assert_eq!(
            c.clusters.iter().map(|c| &c.digest).collect::<Vec<_>>(),
            bare.clusters.iter().map(|c| &c.digest).collect::<Vec<_>>()
        );
    }
}
