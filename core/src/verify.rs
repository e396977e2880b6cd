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

use crate::audit::{self, AuditTrail};
use crate::certificate::{self, CertificateBundle};
use crate::error::{Diagnostic, Phase7Error};
use crate::json::{self, Finding, Json};
use crate::phase::{self, Run, RunOptions};

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
    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &VerificationCheck> {
        self.checks.iter().filter(|c| !c.passed)
    }

    /// The human-readable report the CLI prints by default.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let verdict = match &self.outcome {
            VerificationOutcome::Verified => "VERIFIED".to_string(),
            VerificationOutcome::NotVerified => format!(
                "NOT VERIFIED ({} of {} checks failed)",
                self.failures().count(),
                self.checks.len()
            ),
            VerificationOutcome::InputRejected { errors } => {
                format!("INPUT REJECTED ({} violation(s))", errors.len())
            }
        };
        out.push_str(&format!("phase7 verify: {verdict}\n"));
        if let Some(id) = &self.certificate_id {
            out.push_str(&format!("certificate_id: {id}\n"));
        }
        out.push_str(
            "(expected: what the rerun from the Phase 6 input, or the hash chain, requires; \
             actual: what the file says)\n\n",
        );
        for c in &self.checks {
            let mark = if c.passed { "PASS" } else { "FAIL" };
            out.push_str(&format!("{mark}  {}  [{}]\n", c.name, c.path));
            if !c.passed {
                out.push_str(&format!("        expected: {}\n", c.expected));
                out.push_str(&format!("        actual:   {}\n", c.actual));
            }
            if !c.note.is_empty() {
                out.push_str(&format!("        note:     {}\n", c.note));
            }
        }
        if let VerificationOutcome::InputRejected { errors } = &self.outcome {
            out.push('\n');
            for e in errors {
                out.push_str(&format!("error[{}]: {}\n", e.code, e.message));
            }
        }
        out.push('\n');
        if self.verified {
            out.push_str(&format!("This pass vouches for: {}\n", self.vouches_for));
        } else {
            out.push_str(
                "Nothing is vouched for: the claims above marked FAIL do not follow from the input.\n",
            );
            out.push_str(&format!("A pass would vouch for: {}\n", self.vouches_for));
        }
        out.push_str(&format!(
            "It does not vouch for: {}\n",
            self.does_not_vouch_for
        ));
        out
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

/// One compared leaf of two JSON values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Leaf {
    /// Its path.
    pub path: String,
    /// The expected value, as JSON text.
    pub expected: String,
    /// The actual value, as JSON text (`(missing)` when absent).
    pub actual: String,
    /// Bit-identical (numbers by `to_bits`).
    pub equal: bool,
    /// For two numbers, their distance in units in the last place.
    pub ulps: Option<u64>,
    /// Why they differ.
    pub note: String,
}

/// Distance in ulps between two floats (`None` when either is NaN). `+0.0` and `-0.0`
/// are 0 apart (their bits still differ).
pub fn ulps(a: f64, b: f64) -> Option<u64> {
    if a.is_nan() || b.is_nan() {
        return None;
    }
    // Map the bits onto a line where adjacent floats are adjacent integers.
    let key = |x: f64| -> i128 {
        let bits = x.to_bits();
        if bits >> 63 == 1 {
            -i128::from(bits & !(1u64 << 63))
        } else {
            i128::from(bits)
        }
    };
    u64::try_from((key(a) - key(b)).abs()).ok()
}

/// `a.b`, `a[3]` path joining.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `root` followed by a parsed path: `certificate.digests`, `macro_score[0]`; `root`
/// alone for the document itself.
pub(crate) fn path_under(root: &str, steps: &[json::Step]) -> String {
    if steps.is_empty() {
        return root.to_string();
    }
    let rest = json::path_text(steps);
    if root.is_empty() || rest.starts_with('[') {
        format!("{root}{rest}")
    } else {
        format!("{root}.{rest}")
    }
}

fn value_text(v: &Json) -> String {
    match v {
        Json::Array(_) | Json::Object(_) => v.excerpt(),
        _ => v.to_string(),
    }
}

/// Compares `actual` against `expected`, appending one [`Leaf`] per scalar (and per
/// empty array or object, missing field, unexpected field, length mismatch). Numbers are
/// equal only when their bits are; object keys are compared as sets (order is not
/// meaning); arrays element by element.
pub fn compare(path: &str, expected: &Json, actual: Option<&Json>, out: &mut Vec<Leaf>) {
    let leaf = |equal: bool, actual: String, ulps: Option<u64>, note: String| Leaf {
        path: path.to_string(),
        expected: value_text(expected),
        actual,
        equal,
        ulps,
        note,
    };
    let Some(actual) = actual else {
        out.push(leaf(
            false,
            "(missing)".into(),
            None,
            "field missing".into(),
        ));
        return;
    };
    match (expected, actual) {
        (Json::Number(e), Json::Number(a)) => {
            let equal = e.to_bits() == a.to_bits();
            let d = ulps(*e, *a);
            let note = if equal {
                String::new()
            } else if !a.is_finite() || !e.is_finite() {
                "not finite".into()
            } else if d == Some(0) {
                "sign of zero differs".into()
            } else {
                d.map_or_else(String::new, |d| format!("{d} ulp apart"))
            };
            out.push(leaf(
                equal,
                value_text(actual),
                if equal { Some(0) } else { d },
                note,
            ));
        }
        (Json::Array(e), Json::Array(a)) => {
            if e.len() != a.len() {
                out.push(leaf(
                    false,
                    value_text(actual),
                    None,
                    format!("length: expected {}, found {}", e.len(), a.len()),
                ));
            } else if e.is_empty() {
                out.push(leaf(true, value_text(actual), None, String::new()));
            }
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), x, Some(y), out);
            }
        }
        (Json::Object(e), Json::Object(a)) => {
            if e.is_empty() && a.is_empty() {
                out.push(leaf(true, value_text(actual), None, String::new()));
            }
            for (k, x) in e {
                compare(&join(path, k), x, actual.get(k), out);
            }
            for (k, y) in a {
                if expected.get(k).is_none() {
                    out.push(Leaf {
                        path: join(path, k),
                        expected: "(absent)".into(),
                        actual: value_text(y),
                        equal: false,
                        ulps: None,
                        note: "unexpected field".into(),
                    });
                }
            }
        }
        _ => {
            let equal = expected == actual;
            let note = if equal || expected.type_name() == actual.type_name() {
                String::new()
            } else {
                format!(
                    "type: expected {}, found {}",
                    expected.type_name(),
                    actual.type_name()
                )
            };
            out.push(leaf(equal, value_text(actual), None, note));
        }
    }
}

/// Collects checks; keeps the code below short.
struct Checks(Vec<VerificationCheck>);

impl Checks {
    fn push(
        &mut self,
        name: impl Into<String>,
        passed: bool,
        path: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
        note: impl Into<String>,
    ) {
        self.0.push(VerificationCheck {
            name: name.into(),
            passed,
            path: path.into(),
            expected: expected.into(),
            actual: actual.into(),
            note: note.into(),
        });
    }

    /// One passing check when `actual` equals `expected` in every leaf, otherwise one
    /// failing check per differing leaf.
    fn section(&mut self, name: &str, path: &str, expected: &Json, actual: Option<&Json>) {
        let mut leaves = Vec::new();
        compare(path, expected, actual, &mut leaves);
        let failed: Vec<Leaf> = leaves.into_iter().filter(|l| !l.equal).collect();
        if failed.is_empty() {
            let shown = actual.map_or_else(String::new, value_text);
            self.push(name, true, path, value_text(expected), shown, "");
        } else {
            for l in failed {
                self.push(name, false, l.path, l.expected, l.actual, l.note);
            }
        }
    }

    /// One failing check per key of `actual` that `expected` lacks.
    fn unexpected_keys(&mut self, name: &str, path: &str, expected: &Json, actual: &Json) {
        if let Json::Object(fields) = actual {
            for (k, v) in fields {
                if expected.get(k).is_none() {
                    self.push(
                        name,
                        false,
                        join(path, k),
                        "(absent)",
                        value_text(v),
                        "unexpected field",
                    );
                }
            }
        }
    }

    /// Parse findings (duplicate keys, non-finite numbers) as failed checks.
    fn findings(&mut self, file: &str, findings: &[Finding]) {
        for f in findings {
            match f {
                Finding::DuplicateKey { path, key } => self.push(
                    format!("{file} has no duplicate keys"),
                    false,
                    join(&path_under(file, path), key),
                    "each key once",
                    format!("key {key:?} more than once"),
                    "a duplicated key makes the claim ambiguous",
                ),
                Finding::NonFinite { path, token } => self.push(
                    format!("{file} has only finite numbers"),
                    false,
                    path_under(file, path),
                    "a finite number",
                    token.clone(),
                    "",
                ),
            }
        }
    }
}

fn parse_file(checks: &mut Checks, file: &str, bytes: &[u8]) -> Option<Json> {
    match json::parse(bytes) {
        Ok(doc) => {
            checks.push(
                format!("{file} parses as JSON"),
                true,
                file,
                "a JSON document",
                doc.value.type_name(),
                "",
            );
            checks.findings(file, &doc.findings);
            Some(doc.value)
        }
        Err(e) => {
            checks.push(
                format!("{file} parses as JSON"),
                false,
                file,
                "a JSON document",
                format!("syntax error at {e}"),
                "an unreadable file cannot be checked: treated as tampered",
            );
            None
        }
    }
}

fn text_of(v: Option<&Json>) -> String {
    v.map_or_else(|| "(missing)".to_string(), value_text)
}

fn str_of(v: Option<&Json>) -> Option<&str> {
    match v {
        Some(Json::String(s)) => Some(s),
        _ => None,
    }
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
    let mut checks = Checks(Vec::new());
    let cert = parse_file(&mut checks, "certificate", supplied.certificate);
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
    let mut chosen = match attempt(phase6, supplied, cert.as_ref(), options, mode, None) {
        Attempt::Rejected(only, errors) => return report(only, cert.as_ref(), Some(errors)),
        Attempt::Checked(c) => c,
    };
    // A certificate whose `strict` flag alone was changed matches a run in the other
    // mode everywhere but there: rerun that way too, and report whichever comparison
    // explains the certificate with fewer differences (it can never verify).
    let failed = |cs: &[VerificationCheck]| cs.iter().filter(|c| !c.passed).count();
    if claimed_strict.is_some() && failed(&chosen) > 0 {
        let note = format!(
            "rerun in {} mode: the certificate claims strict = {mode}, but its other fields \
             are those of a {} run",
            if mode { "non-strict" } else { "strict" },
            if mode { "non-strict" } else { "strict" },
        );
        if let Attempt::Checked(alt) =
            attempt(phase6, supplied, cert.as_ref(), options, !mode, Some(&note))
        {
            if failed(&alt) < failed(&chosen) {
                chosen = alt;
            }
        }
    }
    checks.0.extend(chosen);
    report(checks.0, cert.as_ref(), None)
}

/// The checks of one rerun in one mode.
enum Attempt {
    /// The input is rejected: the one failing check, and the coded errors.
    Rejected(Vec<VerificationCheck>, Vec<Diagnostic>),
    /// Every check that ran.
    Checked(Vec<VerificationCheck>),
}

fn attempt(
    phase6: &[u8],
    supplied: &Supplied<'_>,
    cert: Option<&Json>,
    options: &RunOptions,
    strict: bool,
    mode_note: Option<&str>,
) -> Attempt {
    let mut checks = Checks(Vec::new());
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
    let run = match phase::run(phase6, &run_options) {
        Ok(run) => {
            checks.push(
                "Phase 6 input accepted and Phase 7 rerun passes the exit gate",
                true,
                "input",
                "an accepted input",
                format!("input digest {}", run.digests.input),
                note,
            );
            Some(run)
        }
        Err(Phase7Error::Input(rejected)) => {
            let errors: Vec<Diagnostic> = rejected.errors.iter().map(|e| e.report()).collect();
            let mut only = Checks(Vec::new());
            only.push(
                "Phase 6 input accepted by the input contract",
                false,
                "input",
                "an accepted input",
                errors.iter().map(|e| e.code).collect::<Vec<_>>().join(", "),
                "the input is rejected, so nothing can be rerun or verified",
            );
            return Attempt::Rejected(only.0, errors);
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
            None
        }
    };
    let bundle = match run.as_ref().map(|r| expected_bundle(r, cert)) {
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

    if let Some(c) = cert {
        self_consistency(&mut checks, c);
        if let Some((_, expected)) = &bundle {
            certificate_fields(&mut checks, expected, c);
        }
    }
    if let Some(bytes) = supplied.macro_score {
        if let Some(m) = parse_file(&mut checks, "macro_score", bytes) {
            macro_score_fields(&mut checks, run.as_ref(), cert, &m);
        }
    }
    if let Some(bytes) = supplied.audit_trail {
        if let Some(t) = parse_file(&mut checks, "audit_trail", bytes) {
            let expected = bundle.as_ref().map(|(b, _)| &b.audit_trail);
            audit_trail_fields(&mut checks, expected, cert, &t);
        }
    }
    Attempt::Checked(checks.0)
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
        certificate_id: str_of(cert.and_then(|c| c.get("certificate_id"))).map(str::to_string),
        checks,
        vouches_for: VOUCHES_FOR.to_string(),
        does_not_vouch_for: DOES_NOT_VOUCH_FOR.to_string(),
    }
}

/// The certificates the rerun issues, with the claimed `issued_at` (not reproducible).
fn expected_bundle(
    run: &Run,
    cert: Option<&Json>,
) -> Result<(CertificateBundle, Json), crate::error::ComputationError> {
    let issued_at = str_of(cert.and_then(|c| c.get("issued_at")));
    let bundle = certificate::issue(run, issued_at)?;
    let value = audit::to_json(&bundle.certificate)?;
    Ok((bundle, value))
}

/// Checks that hold within the claimed certificate alone: ids are the digests of their
/// bodies, and the 7 → 8 certificate names the embedded 6 → 7 one.
fn self_consistency(checks: &mut Checks, c: &Json) {
    let mut id_check = |name: &str, path: &str, value: Option<&Json>| {
        let Some(value) = value else { return };
        let claimed = text_of(value.get("certificate_id"));
        match certificate::id_of(value) {
            Ok(id) => {
                let ok = str_of(value.get("certificate_id")) == Some(id.as_str());
                checks.push(
                    name,
                    ok,
                    join(path, "certificate_id"),
                    format!("{:?}", id),
                    claimed,
                    if ok {
                        ""
                    } else {
                        "the id is not the digest of the certificate's body: the body or the id was changed"
                    },
                );
            }
            Err(e) => checks.push(
                name,
                false,
                join(path, "certificate_id"),
                "a digest",
                claimed,
                e.to_string(),
            ),
        }
    };
    id_check(
        "certificate id is the digest of its body",
        "certificate",
        Some(c),
    );
    id_check(
        "Phase 6 -> 7 certificate id is the digest of its body",
        "certificate.phase6_to_phase7",
        c.get("phase6_to_phase7"),
    );
    let named = c.get("digests").and_then(|d| d.get("phase6_to_phase7"));
    let inner = c
        .get("phase6_to_phase7")
        .and_then(|p| p.get("certificate_id"));
    checks.push(
        "Phase 7 -> 8 certificate names the embedded Phase 6 -> 7 certificate",
        named.is_some() && named == inner,
        "certificate.digests.phase6_to_phase7",
        text_of(inner),
        text_of(named),
        "",
    );
}

fn certificate_name(key: &str) -> &str {
    match key {
        "format" => "certificate format",
        "kind" => "certificate kind",
        "certificate_id" => "certificate id reproduced by the rerun",
        "ready_for_phase8" => "ready for Phase 8",
        "strict" => "strict mode",
        "pipeline_version" => "pipeline version",
        "config_version" => "configuration version",
        "exit_gate" => "exit gate result (GATE-1..5)",
        "audit_trail" => "audit trail format, genesis and length",
        "macro_score" => "MacroScore headline fields",
        _ => key,
    }
}

fn digest_name(key: &str) -> &str {
    match key {
        "input" => "input digest",
        "config" => "configuration digest",
        "output" => "output digest (MacroScore)",
        "audit_root" => "audit trail root",
        "phase6_to_phase7" => "Phase 6 -> 7 certificate id",
        _ => key,
    }
}

fn inner_name(key: &str) -> String {
    match key {
        "certificate_id" => "Phase 6 -> 7 certificate id reproduced by the rerun".into(),
        "input_digest" => "Phase 6 -> 7: input digest".into(),
        "input_negative_zeros" => "Phase 6 -> 7: negative zeros in the input".into(),
        "metadata_digest" => "Phase 6 -> 7: envelope metadata digest".into(),
        "input_contract" => "Phase 6 -> 7: input contract (PRE-7.x, HERMETICITY)".into(),
        other => format!("Phase 6 -> 7: {other}"),
    }
}

/// Every field of the claimed certificate against the rerun's.
fn certificate_fields(checks: &mut Checks, expected: &Json, claimed: &Json) {
    let Json::Object(fields) = expected else {
        return;
    };
    if !matches!(claimed, Json::Object(_)) {
        checks.push(
            "certificate is an object",
            false,
            "certificate",
            "an object",
            claimed.type_name(),
            "",
        );
        return;
    }
    for (key, e) in fields {
        let path = join("certificate", key);
        let a = claimed.get(key);
        match key.as_str() {
            "issued_at" | "evaluation_timestamp" => {
                let ok = matches!(a, None | Some(Json::String(_)) | Some(Json::Null));
                checks.push(
                    format!("{key} recorded by the issuer"),
                    ok,
                    path,
                    "a string or null",
                    text_of(a),
                    "the issuer's clock: not reproducible, so not compared (not covered by the id)",
                );
            }
            "digests" => {
                if let Json::Object(ds) = e {
                    for (k, d) in ds {
                        let sub = a.and_then(|a| a.get(k));
                        checks.section(digest_name(k), &join(&path, k), d, sub);
                    }
                }
                if let Some(a) = a {
                    checks.unexpected_keys("digests", &path, e, a);
                }
            }
            "phase6_to_phase7" => match (e, a) {
                (Json::Object(inner), Some(a @ Json::Object(_))) => {
                    for (k, v) in inner {
                        let sub = a.get(k);
                        match (k.as_str(), v, sub) {
                            ("clusters", Json::Array(cs), Some(Json::Array(acs))) => {
                                for (i, cl) in cs.iter().enumerate() {
                                    let id = str_of(cl.get("cluster_id")).unwrap_or("?");
                                    checks.section(
                                        &format!("Phase 6 -> 7: input cluster {i} ({id})"),
                                        &format!("{path}.clusters[{i}]"),
                                        cl,
                                        acs.get(i),
                                    );
                                }
                                if acs.len() > cs.len() {
                                    checks.push(
                                        "Phase 6 -> 7: input clusters",
                                        false,
                                        format!("{path}.clusters"),
                                        format!("{} clusters", cs.len()),
                                        format!("{} clusters", acs.len()),
                                        "unexpected clusters",
                                    );
                                }
                            }
                            _ => checks.section(&inner_name(k), &join(&path, k), v, sub),
                        }
                    }
                    checks.unexpected_keys("Phase 6 -> 7 certificate", &path, e, a);
                }
                _ => checks.section(&inner_name("certificate"), &path, e, a),
            },
            _ => checks.section(certificate_name(key), &path, e, a),
        }
    }
    checks.unexpected_keys("certificate", "certificate", expected, claimed);
}

/// `macro_score.json` against the rerun's MacroScore, and against the certificate.
fn macro_score_fields(checks: &mut Checks, run: Option<&Run>, cert: Option<&Json>, m: &Json) {
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
    let recorded = cert
        .get("evaluation_timestamp")
        .cloned()
        .unwrap_or(Json::Null);
    let found = m.get("evaluation_timestamp");
    checks.push(
        "macro_score.json evaluation_timestamp matches the certificate's record",
        found == Some(&recorded),
        "macro_score.evaluation_timestamp",
        value_text(&recorded),
        text_of(found),
        "the caller's time is not reproducible: checked against certificate.evaluation_timestamp only",
    );
    // The file itself, digested as the certificate's output digest is defined.
    let without_time = match m {
        Json::Object(fields) => Json::Object(
            fields
                .iter()
                .map(|(k, v)| {
                    if k == "evaluation_timestamp" {
                        (k.clone(), Json::Null)
                    } else {
                        (k.clone(), v.clone())
                    }
                })
                .collect(),
        ),
        other => other.clone(),
    };
    let claimed = cert.get("digests").and_then(|d| d.get("output"));
    let (ok, actual, note) = match crate::digest::of(&without_time) {
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

/// `audit_trail.json`: its own chain, the root the certificate names, and every entry
/// against the rerun's trail.
fn audit_trail_fields(
    checks: &mut Checks,
    expected: Option<&AuditTrail>,
    cert: Option<&Json>,
    t: &Json,
) {
    let breaks = audit::verify_chain(t);
    if breaks.is_empty() {
        let n = match t.get("entries") {
            Some(Json::Array(items)) => items.len(),
            _ => 0,
        };
        checks.push(
            "audit trail hash chain intact",
            true,
            "audit_trail",
            format!("{n} linked entries"),
            format!("{n} linked entries"),
            "",
        );
    }
    for b in breaks {
        checks.push(
            "audit trail hash chain",
            false,
            join("audit_trail", &b.field),
            b.expected,
            b.actual,
            "the chain link does not hold: an entry was changed, removed, inserted or reordered",
        );
    }
    if let Some(cert) = cert {
        let named = cert.get("digests").and_then(|d| d.get("audit_root"));
        let root = t.get("root");
        checks.push(
            "the certificate names this audit trail's root",
            named.is_some() && named == root,
            "audit_trail.root",
            text_of(named),
            text_of(root),
            "expected: certificate.digests.audit_root",
        );
    }
    let Some(expected) = expected else { return };
    let e = match audit::to_json(expected) {
        Ok(e) => e,
        Err(err) => {
            checks.push(
                "audit trail compared with the rerun",
                false,
                "audit_trail",
                "the rerun's trail",
                err.to_string(),
                "",
            );
            return;
        }
    };
    for key in ["format", "genesis", "root"] {
        if let Some(v) = e.get(key) {
            checks.section(
                &format!("audit trail {key}"),
                &join("audit_trail", key),
                v,
                t.get(key),
            );
        }
    }
    match (e.get("entries"), t.get("entries")) {
        (Some(Json::Array(es)), Some(Json::Array(ts))) => {
            for (i, entry) in es.iter().enumerate() {
                let id = str_of(entry.get("id")).unwrap_or("?");
                checks.section(
                    &format!("audit entry {i} ({id})"),
                    &format!("audit_trail.entries[{i}]"),
                    entry,
                    ts.get(i),
                );
            }
            if ts.len() > es.len() {
                checks.push(
                    "audit trail entries",
                    false,
                    "audit_trail.entries",
                    format!("{} entries", es.len()),
                    format!("{} entries", ts.len()),
                    "unexpected entries",
                );
            }
        }
        (Some(es), found) => {
            checks.section("audit trail entries", "audit_trail.entries", es, found)
        }
        (None, _) => {}
    }
    checks.unexpected_keys("audit trail", "audit_trail", &e, t);
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/p06_sample.json");

    fn files() -> (String, String, String) {
        let run = phase::run(
            SAMPLE,
            &RunOptions {
                evaluated_at: Some("2026-01-01T00:00:00Z".into()),
                ..RunOptions::default()
            },
        )
        .unwrap();
        let (c, a) = certificate::artifacts(&run, Some("2026-01-02T00:00:00Z")).unwrap();
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
    fn ulps_counts_adjacent_floats() {
        assert_eq!(ulps(1.0, 1.0), Some(0));
        assert_eq!(ulps(1.0, f64::from_bits(1.0f64.to_bits() + 1)), Some(1));
        assert_eq!(ulps(0.0, -0.0), Some(0));
        assert_eq!(ulps(5e-324, -5e-324), Some(2));
        assert_eq!(ulps(f64::NAN, 1.0), None);
        assert_eq!(ulps(f64::MAX, f64::INFINITY), Some(1));
    }

    #[test]
    fn compare_reports_every_kind_of_difference() {
        let e = json::parse(br#"{"a": 1.0, "b": [1, 2], "c": {"d": "x"}, "e": {}}"#)
            .unwrap()
            .value;
        let a =
            json::parse(br#"{"a": 1.0000000000000002, "b": [1], "c": {"d": 1}, "z": 0, "e": {}}"#)
                .unwrap()
                .value;
        let mut out = Vec::new();
        compare("", &e, Some(&a), &mut out);
        let bad: Vec<(&str, &str)> = out
            .iter()
            .filter(|l| !l.equal)
            .map(|l| (l.path.as_str(), l.note.as_str()))
            .collect();
        assert_eq!(
            bad,
            [
                ("a", "1 ulp apart"),
                ("b", "length: expected 2, found 1"),
                ("c.d", "type: expected string, found number"),
                ("z", "unexpected field"),
            ]
        );
    }

    #[test]
    fn genuine_files_verify() {
        let (c, a, m) = files();
        let r = verify(SAMPLE, &supplied(&c, &m, &a), &RunOptions::default());
        let failed: Vec<_> = r.failures().collect();
        assert!(r.verified, "{failed:#?}");
        assert_eq!(r.outcome, VerificationOutcome::Verified);
        assert!(r.text().contains("This pass vouches for"));
        assert!(r.checks.len() > 40);
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
}
