//! The properties the fuzz targets check. Each returns `Err(Violation)` when the
//! property fails; a panic inside the core is a failure too (the fuzzer reports it as a
//! crash, the regression test as a failed replay).

use std::fmt;
use std::sync::OnceLock;

use arbitrary::Arbitrary;

use super::node::{identical, render, same_meaning, Node, Style};
use super::plan::{self, apply, Bulk, Edit, Place, Plan, MAX_EDITS, SAMPLE};
use crate::attest::Artifacts;
use crate::checks::Check;
use crate::error::{Diagnostic, Phase7Error};
use crate::observe::checkpoint::Checkpoint;
use crate::observe::signal::Signal;
use crate::observe::{run_observed, CheckpointStore, Controls, NoClock};
use crate::phase::{self, Digests, Outcome, RunOptions};
use crate::read::bridge;
use crate::read::json::{self, Json};
use crate::stages::{NoObserver, Progress};
use crate::verify::claim::{verify_claimed_with, ClaimOutcome, ClaimReport, FieldStatus};
use crate::verify::{verify_certificate, VerificationReport};

/// A property that does not hold, with what shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn violation<T>(message: impl Into<String>) -> Result<T, Violation> {
    Err(Violation(message.into()))
}

/// The issue time every certificate made here records.
const ISSUED_AT: &str = "2026-01-01T00:00:00Z";

/// The most a run may write or report for an input of `n` bytes: a small multiple of the
/// input plus a constant (docs/formats.md states the bounds; issue 9).
pub fn output_bound(n: usize) -> usize {
    8 * n + (1 << 20)
}

fn bounded(what: &str, size: usize, input: usize) -> Result<(), Violation> {
    if size > output_bound(input) {
        return violation(format!(
            "{what}: {size} bytes for a {input}-byte input (bound {})",
            output_bound(input)
        ));
    }
    Ok(())
}

fn diagnostic_size(d: &Diagnostic) -> usize {
    d.code.len()
        + d.message.len()
        + d.cluster.as_ref().map_or(0, String::len)
        + d.field.as_ref().map_or(0, String::len)
        + d.value.as_ref().map_or(0, String::len)
}

/// Every diagnostic has a stable code (`[A-Z0-9_]+`) and the lot is bounded in size.
fn coded(what: &str, ds: &[Diagnostic], input: usize) -> Result<(), Violation> {
    if ds.is_empty() {
        return violation(format!("{what}: no coded error"));
    }
    for d in ds {
        let ok = !d.code.is_empty()
            && d.code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return violation(format!("{what}: malformed code {:?}", d.code));
        }
    }
    bounded(what, ds.iter().map(diagnostic_size).sum(), input)
}

fn first_failure(r: &VerificationReport) -> String {
    r.failures().next().map_or_else(
        || format!("{:?}", r.outcome),
        |c| {
            format!(
                "{} at {}: expected {}, got {}",
                c.name, c.path, c.expected, c.actual
            )
        },
    )
}

/// `read_run`: bytes → [`phase::run`] and, on success, [`Artifacts::issue`].
///
/// Never panics; a rejected input yields coded errors; an accepted one yields a verdict
/// and its files (all three exactly when it passed); a passed run's certificate verifies
/// against the same bytes; every output (the JSON outcome, the diagnostics, the files) is
/// within [`output_bound`] of the input's size.
pub fn read_run(bytes: &[u8]) -> Result<(), Violation> {
    let options = RunOptions::default();
    let result = phase::run(bytes, &options);
    match &result {
        Err(Phase7Error::Input(r)) => {
            if r.errors.is_empty() {
                return violation("rejected with no errors");
            }
            coded(
                "the rejection's errors",
                &result_diagnostics(&result),
                bytes.len(),
            )?;
        }
        Err(e) => {
            return violation(format!(
                "an input the contract did not reject failed with {}: {e}",
                e.code()
            ))
        }
        Ok(run) => {
            let files = match Artifacts::issue(run, Some(ISSUED_AT)) {
                Ok(f) => f,
                Err(e) => return violation(format!("an accepted run's files: {e}")),
            };
            if files.certified() != run.passed() {
                return violation("certified is not the same as passed");
            }
            let expected = if run.passed() { 3 } else { 1 };
            if files.files().len() != expected {
                return violation(format!(
                    "{} files, expected {expected}",
                    files.files().len()
                ));
            }
            let written: usize = files.files().iter().map(|(_, t)| t.len()).sum();
            bounded("the run's files", written, bytes.len())?;
            if let Some(cert) = &files.certificate_json {
                let report = verify_certificate(bytes, cert.as_bytes(), &options);
                if !report.verified {
                    return violation(format!(
                        "the genuine certificate does not verify: {}",
                        first_failure(&report)
                    ));
                }
            }
        }
    }
    let outcome = Outcome::of(&result);
    match serde_json::to_string(&outcome) {
        Ok(text) => bounded("the run's JSON outcome", text.len(), bytes.len()),
        Err(e) => violation(format!("the run's outcome does not serialise: {e}")),
    }
}

fn result_diagnostics<T>(result: &Result<T, Phase7Error>) -> Vec<Diagnostic> {
    match result {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics(),
    }
}

/// `jsonl_line`: one line as `phase7 batch --jsonl` handles it
/// ([`bridge::read_batch_line`], [`phase::evaluate`], the output line).
///
/// Never panics; a failed line yields coded errors; the output line is bounded; a line
/// that is not an object with a `"phase6"` key reads exactly as [`bridge::read`] reads
/// the same bytes (same codes, or the same input digest).
pub fn jsonl_line(line: &[u8]) -> Result<(), Violation> {
    let options = RunOptions::default();
    let read = bridge::read_batch_line(line, &options.limits);
    let wrapped = matches!(
        json::parse(line).map(|d| d.value),
        Ok(Json::Object(ref entries)) if entries.iter().any(|(k, _)| k == "phase6")
    );
    if !wrapped {
        let direct = bridge::read(line, &options.limits);
        let same = match (&read, &direct) {
            (Ok(a), Ok(b)) => a.digest().ok() == b.digest().ok(),
            (Err(a), Err(b)) => {
                let codes = |r: &crate::error::InputRejected| {
                    r.errors.iter().map(|e| e.code()).collect::<Vec<_>>()
                };
                codes(a) == codes(b)
            }
            _ => false,
        };
        if !same {
            return violation("a plain line reads differently as a batch line and as a file");
        }
    }
    let result = read
        .map_err(Phase7Error::from)
        .and_then(|input| phase::evaluate(input, &options, Progress::default(), &mut NoObserver));
    let text = match &result {
        Ok(run) if run.passed() => {
            serde_json::to_string(&serde_json::json!({ "macro_score": &run.macro_score }))
        }
        Ok(run) => {
            let failures = run.failures();
            if failures.is_empty() {
                return violation("a failed line without coded failures");
            }
            serde_json::to_string(&error_line(&failures))
        }
        Err(e) => {
            if let Phase7Error::Input(_) = e {
            } else {
                return violation(format!("a line failed with {}: {e}", e.code()));
            }
            let ds = e.diagnostics();
            coded("the line's errors", &ds, line.len())?;
            serde_json::to_string(&error_line(&ds))
        }
    };
    match text {
        Ok(t) if t.contains('\n') => violation("the output line holds a newline"),
        Ok(t) => bounded("the output line", t.len(), line.len()),
        Err(e) => violation(format!("the output line does not serialise: {e}")),
    }
}

fn error_line(ds: &[Diagnostic]) -> serde_json::Value {
    serde_json::json!({
        "errors": ds
            .iter()
            .map(|d| serde_json::json!({"code": d.code, "message": d.message}))
            .collect::<Vec<_>>()
    })
}

/// A generated input checked as a file and as batch lines: [`read_run`] on its text,
/// [`jsonl_line`] on its compact text and on `{"phase6": …}` around it.
pub fn plan_run(plan: &Plan) -> Result<(), Violation> {
    let tree = plan.build();
    let text = render(&tree, &plan.style);
    read_run(&text)?;
    let compact = Style {
        indent: 0,
        crlf: false,
        bom: false,
        ..plan.style
    };
    let line = render(&tree, &compact);
    jsonl_line(&line)?;
    let wrapped = render(
        &Node::Obj(vec![
            ("phase6".into(), tree),
            ("expected".into(), Node::Null),
        ]),
        &compact,
    );
    jsonl_line(&wrapped)
}

/// The structure-aware certificate case: input A from a plan, input B from A by edits,
/// each spelled in its own style.
#[derive(Clone, Debug, Arbitrary)]
pub struct CertificateCase {
    /// Issue A's certificate in strict mode.
    pub strict: bool,
    /// Pairs of ambiguous paths holding zeros added to A (the bug class of issue 10
    /// item 11, made likely rather than left to the bulk additions).
    pub ambiguous_zeros: Option<(Place, u32, bool)>,
    /// Then, in B before the edits, the sign of one negative zero moved to a positive one.
    pub move_zero: Option<(u32, u32)>,
    /// How B is spelled.
    pub b_style: Style,
    /// The edits that make B from A.
    pub b_edits: Vec<Edit>,
    /// Input A.
    pub a: Plan,
}

impl CertificateCase {
    /// The trees of A and B.
    pub fn trees(&self) -> (Node, Node) {
        let mut a = self.a.build();
        if let Some((at, count, first_negative)) = self.ambiguous_zeros {
            let pairs = Bulk::AmbiguousZeros {
                at,
                // Size class 7 (eight bits): 1 to 8 pairs.
                count: 0x7000_0000 | (count % 8 + 1),
                first_negative,
            };
            plan::add_bulk(&mut a, &pairs, &mut 4096);
        }
        let mut b = a.clone();
        if let Some((from, to)) = self.move_zero {
            apply(&mut b, &Edit::MoveNegativeZero { from, to });
        }
        for e in self.b_edits.iter().take(MAX_EDITS) {
            apply(&mut b, e);
        }
        (a, b)
    }

    /// The texts of A and B.
    pub fn texts(&self) -> (Vec<u8>, Vec<u8>) {
        let (a, b) = self.trees();
        (render(&a, &self.a.style), render(&b, &self.b_style))
    }
}

/// The first path where two trees differ in meaning (for messages).
fn difference(a: &Node, b: &Node, path: &mut String) -> Option<String> {
    match (a, b) {
        (Node::Arr(x), Node::Arr(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                if let Some(d) = difference(p, q, path) {
                    return Some(d);
                }
                path.truncate(len);
            }
            None
        }
        (Node::Obj(x), Node::Obj(y)) if x.len() == y.len() => {
            for (k, v) in x {
                let len = path.len();
                path.push('/');
                path.push_str(&k.chars().take(40).collect::<String>());
                match b.get(k) {
                    Some(w) => {
                        if let Some(d) = difference(v, w, path) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{path}: key only in A")),
                }
                path.truncate(len);
            }
            (!same_meaning(a, b)).then(|| format!("{path}: duplicate keys"))
        }
        _ if same_meaning(a, b) => None,
        _ => Some(format!(
            "{path}: {} vs {}",
            excerpt(&render(a, &Style::default())),
            excerpt(&render(b, &Style::default()))
        )),
    }
}

fn excerpt(text: &[u8]) -> String {
    let s = String::from_utf8_lossy(text);
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(77).collect::<String>())
    } else {
        s.into_owned()
    }
}

/// `verify_certificate` (structure-aware): a certificate issued for A never verifies a B
/// that differs from A in meaning ([`same_meaning`]: numbers by bits, so the sign of
/// zero counts; objects as maps, so `{"ext.a": …}` ≠ `{"ext": {"a": …}}`); and a B
/// identical to A in everything but spelling always verifies.
pub fn certificate_pair(case: &CertificateCase) -> Result<(), Violation> {
    let (tree_a, tree_b) = case.trees();
    let text_a = render(&tree_a, &case.a.style);
    let options = RunOptions {
        strict: case.strict,
        ..RunOptions::default()
    };
    let Ok(run) = phase::run(&text_a, &options) else {
        return Ok(());
    };
    if !run.passed() {
        return Ok(());
    }
    let cert = match Artifacts::issue(&run, Some(ISSUED_AT)) {
        Ok(files) => files.certificate_json.unwrap_or_default(),
        Err(e) => return violation(format!("A's files: {e}")),
    };
    let text_b = render(&tree_b, &case.b_style);
    let report = verify_certificate(&text_b, cert.as_bytes(), &RunOptions::default());
    if report.verified && !same_meaning(&tree_a, &tree_b) {
        let at = difference(&tree_a, &tree_b, &mut String::new()).unwrap_or_default();
        return violation(format!(
            "the certificate of A verifies B, which means something else ({at})"
        ));
    }
    if !report.verified && identical(&tree_a, &tree_b) {
        return violation(format!(
            "A spelled differently does not verify: {}",
            first_failure(&report)
        ));
    }
    // Systematically, for a small A: each of its first negative zeros moved to each of its
    // first positive zeros (same count of negative zeros, other places: only a certificate
    // that binds their positions unambiguously tells these apart).
    if text_a.len() <= SYSTEMATIC_MAX_BYTES {
        for (from, to) in zero_moves(&tree_a) {
            let mut moved = tree_a.clone();
            apply(&mut moved, &Edit::MoveNegativeZero { from, to });
            let text = render(&moved, &case.b_style);
            if verify_certificate(&text, cert.as_bytes(), &RunOptions::default()).verified {
                let at = difference(&tree_a, &moved, &mut String::new()).unwrap_or_default();
                return violation(format!(
                    "the certificate of A verifies A with a negative zero moved ({at})"
                ));
            }
        }
    }
    Ok(())
}

/// Inputs up to this size also get the systematic zero moves of [`certificate_pair`].
const SYSTEMATIC_MAX_BYTES: usize = 64 * 1024;

/// `(from, to)` for the first four negative and the first four positive zeros of a tree.
fn zero_moves(tree: &Node) -> Vec<(u32, u32)> {
    fn count(n: &Node, negative: bool) -> u32 {
        match n {
            Node::Num(x) if *x == 0.0 && x.is_sign_negative() == negative => 1,
            Node::Arr(items) => items.iter().map(|i| count(i, negative)).sum(),
            Node::Obj(entries) => entries.iter().map(|(_, v)| count(v, negative)).sum(),
            _ => 0,
        }
    }
    let (neg, pos) = (count(tree, true).min(4), count(tree, false).min(4));
    (0..neg)
        .flat_map(|from| (0..pos).map(move |to| (from, to)))
        .collect()
}

/// The sample's genuine certificates (non-strict, strict) as serde_json values.
fn genuine_certificates() -> &'static [serde_json::Value] {
    static CERTS: OnceLock<Vec<serde_json::Value>> = OnceLock::new();
    CERTS.get_or_init(|| {
        [false, true]
            .into_iter()
            .filter_map(|strict| {
                let options = RunOptions {
                    strict,
                    ..RunOptions::default()
                };
                let run = phase::run(SAMPLE, &options).ok()?;
                let files = Artifacts::issue(&run, Some(ISSUED_AT)).ok()?;
                serde_json::from_str(files.certificate_json.as_deref()?).ok()
            })
            .collect()
    })
}

/// Equal in meaning, read by serde_json (independent of the reader under test): numbers
/// by the bits of their f64, objects as maps; `skip` names top-level keys not compared.
fn value_meaning_eq(a: &serde_json::Value, b: &serde_json::Value, skip: &[&str]) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(p), Some(q)) => p.to_bits() == q.to_bits(),
            _ => false,
        },
        (V::Array(x), V::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| value_meaning_eq(p, q, &[]))
        }
        (V::Object(x), V::Object(y)) => {
            let keys = |m: &serde_json::Map<String, V>| {
                m.keys()
                    .filter(|k| !skip.contains(&k.as_str()))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            keys(x) == keys(y)
                && x.iter()
                    .filter(|(k, _)| !skip.contains(&k.as_str()))
                    .all(|(k, v)| y.get(k).is_some_and(|w| value_meaning_eq(v, w, &[])))
        }
        _ => a == b,
    }
}

/// `verify_certificate_raw`: any certificate bytes against the sample never panic, and
/// verify only when they mean one of the sample's genuine certificates (`issued_at` and
/// `evaluation_timestamp` aside, which are not covered).
pub fn certificate_raw(cert: &[u8]) -> Result<(), Violation> {
    let report = verify_certificate(SAMPLE, cert, &RunOptions::default());
    if !report.verified {
        return Ok(());
    }
    let text = cert.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(cert);
    let claimed: serde_json::Value = match serde_json::from_slice(text) {
        Ok(v) => v,
        Err(e) => return violation(format!("verified a certificate serde_json rejects: {e}")),
    };
    let skip = ["issued_at", "evaluation_timestamp"];
    if genuine_certificates()
        .iter()
        .any(|g| value_meaning_eq(g, &claimed, &skip))
    {
        Ok(())
    } else {
        violation("verified a certificate that is not the sample's")
    }
}

/// The Phase 6 input of a claim case.
#[derive(Clone, Debug, Arbitrary)]
pub enum ClaimInput {
    /// The sample.
    Sample,
    /// A public vector.
    Vector(u16),
    /// A generated input.
    Plan(Plan),
}

/// The structure-aware claim case: a real claim (our MacroScore, optionally with the
/// pipeline's random ids and timestamp) edited, then spelled in a style.
#[derive(Clone, Debug, Arbitrary)]
pub struct ClaimCase {
    /// Replace the not-compared fields as the pipeline fills them.
    pub pipeline_ids: bool,
    /// How the claim is spelled.
    pub style: Style,
    /// The edits of the claim.
    pub edits: Vec<Edit>,
    /// The Phase 6 input.
    pub input: ClaimInput,
}

impl ClaimInput {
    /// The Phase 6 input's text.
    pub fn text(&self) -> Vec<u8> {
        match self {
            ClaimInput::Sample => SAMPLE.to_vec(),
            ClaimInput::Vector(i) => render(&plan::vector(usize::from(*i)), &Style::default()),
            ClaimInput::Plan(p) => render(&p.build(), &p.style),
        }
    }
}

impl ClaimCase {
    /// Our claim tree for the input (with the pipeline's ids when asked), or `None` when
    /// the input does not run.
    pub fn ours(&self, input: &[u8]) -> Option<Node> {
        let run = phase::run(input, &RunOptions::default()).ok()?;
        let mut ours = claim_tree(&run)?;
        if self.pipeline_ids {
            for (key, value) in [
                ("evaluation_id", "MACRO_7f3a9c21e4b0"),
                ("provenance_node_id", "a3c1e7d2-91b4-4f0e-8d6a-2b5c9e1f0a7d"),
                ("evaluation_timestamp", "2026-03-14T09:26:53.589793"),
            ] {
                if let Some(v) = ours.get_mut(key) {
                    *v = Node::Str(value.into());
                }
            }
        }
        Some(ours)
    }

    /// The edited claim and the index paths the edits changed in place.
    pub fn edited(&self, ours: &Node) -> (Node, Vec<Option<Vec<usize>>>) {
        let mut claimed = ours.clone();
        let edited = self
            .edits
            .iter()
            .take(MAX_EDITS)
            .map(|e| apply(&mut claimed, e))
            .collect();
        (claimed, edited)
    }

    /// The texts of the input and the claim (`None` when the input does not run).
    pub fn texts(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let input = self.input.text();
        let ours = self.ours(&input)?;
        let (claimed, _) = self.edited(&ours);
        Some((input, render(&claimed, &self.style)))
    }
}

/// Our MacroScore as a claim tree.
fn claim_tree(run: &phase::Run) -> Option<Node> {
    let text = serde_json::to_vec(&run.macro_score.reproducible()).ok()?;
    json::parse(&text).ok().map(|d| Node::from_json(&d.value))
}

const NOT_COMPARED: [&str; 3] = [
    "evaluation_id",
    "evaluation_timestamp",
    "provenance_node_id",
];

/// Equal in meaning except the values of `loose` top-level keys (which must be present
/// on both sides or on neither).
fn same_except(a: &Node, b: &Node, loose: &[&str]) -> bool {
    match (a, b) {
        (Node::Obj(x), Node::Obj(y)) => {
            let strip = |es: &[(String, Node)]| {
                Node::Obj(
                    es.iter()
                        .map(|(k, v)| {
                            if loose.contains(&k.as_str()) {
                                (k.clone(), Node::Null)
                            } else {
                                (k.clone(), v.clone())
                            }
                        })
                        .collect(),
                )
            };
            same_meaning(&strip(x), &strip(y))
        }
        _ => same_meaning(a, b),
    }
}

/// What the outcome of a claim check allows: `Identical` only for a claim equal to ours
/// but for the not-compared fields; `Explained` also for `score_std` and the interval.
fn claim_outcome_allowed(
    ours: &Node,
    claimed: &Node,
    report: &ClaimReport,
) -> Result<(), Violation> {
    let loose_uncertainty = [
        NOT_COMPARED[0],
        NOT_COMPARED[1],
        NOT_COMPARED[2],
        "score_std",
        "confidence_interval_95",
    ];
    match report.outcome {
        ClaimOutcome::Identical if !same_except(ours, claimed, &NOT_COMPARED) => {
            let at = difference(ours, claimed, &mut String::new()).unwrap_or_default();
            violation(format!("a claim that differs is reported IDENTICAL ({at})"))
        }
        ClaimOutcome::Explained if !same_except(ours, claimed, &loose_uncertainty) => {
            let at = difference(ours, claimed, &mut String::new()).unwrap_or_default();
            violation(format!(
                "a claim that differs beyond score_std and the interval is EXPLAINED ({at})"
            ))
        }
        _ => Ok(()),
    }
}

/// `claim` (structure-aware): an edited claim is never reported `IDENTICAL` unless it
/// means the same as ours (not-compared fields aside); after a single in-place edit that
/// changes a value, some reported field at or under the edited path is not `EQUAL`; a
/// claim identical to ours in all but spelling is `IDENTICAL`.
pub fn claim_case(case: &ClaimCase) -> Result<(), Violation> {
    let input = case.input.text();
    let options = RunOptions::default();
    let Some(ours) = case.ours(&input) else {
        // The check must still answer with coded errors, never panic.
        let r = verify_claimed_with(&input, b"{}", &options);
        return match r.outcome {
            ClaimOutcome::InputRejected { errors } | ClaimOutcome::RerunFailed { errors }
                if !errors.is_empty() =>
            {
                Ok(())
            }
            other => violation(format!("a rejected input's claim check gave {other:?}")),
        };
    };
    let (claimed, edited) = case.edited(&ours);
    let text = render(&claimed, &case.style);
    let report = verify_claimed_with(&input, &text, &options);
    if matches!(
        report.outcome,
        ClaimOutcome::InputRejected { .. } | ClaimOutcome::RerunFailed { .. }
    ) {
        return violation(format!(
            "an accepted input's claim check gave {:?}",
            report.outcome
        ));
    }
    claim_outcome_allowed(&ours, &claimed, &report)?;
    if identical(&ours, &claimed) && report.outcome != ClaimOutcome::Identical {
        return violation(format!(
            "our own MacroScore, respelled, is not IDENTICAL: {:?}",
            report.with_status(FieldStatus::Different).next()
        ));
    }
    // One in-place edit: the field it changed is reported, and not as equal.
    if let [Some(path)] = edited.as_slice() {
        let before = node_at(&ours, path);
        let after = node_at(&claimed, path);
        let changed = match (before, after) {
            (Some(b), Some(a)) => !same_meaning(b, a),
            _ => false,
        };
        if changed && !path.is_empty() {
            let name = json::path_text(&plan::steps(&claimed, path));
            let at_or_under = |p: &str| {
                p == name
                    || p.strip_prefix(name.as_str())
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
            };
            let reported: Vec<_> = report
                .fields
                .iter()
                .filter(|f| at_or_under(&f.path))
                .collect();
            if reported.is_empty() {
                return violation(format!("the edited field {name} is not reported"));
            }
            if reported.iter().all(|f| f.status == FieldStatus::Equal) {
                return violation(format!("the edited field {name} is reported EQUAL"));
            }
        }
    }
    Ok(())
}

fn node_at<'a>(root: &'a Node, path: &[usize]) -> Option<&'a Node> {
    let mut n = root;
    for &i in path {
        n = match n {
            Node::Arr(items) => items.get(i)?,
            Node::Obj(entries) => &entries.get(i)?.1,
            _ => return None,
        };
    }
    Some(n)
}

/// `claim_raw`: any claim bytes against the sample never panic; `IDENTICAL` or
/// `EXPLAINED` only as [`claim_case`] allows (the claim read by the core's reader).
pub fn claim_raw(claim: &[u8]) -> Result<(), Violation> {
    let options = RunOptions::default();
    let report = verify_claimed_with(SAMPLE, claim, &options);
    if !report.ok {
        return Ok(());
    }
    let Ok(run) = phase::run(SAMPLE, &options) else {
        return violation("the sample does not run");
    };
    let Some(ours) = claim_tree(&run) else {
        return violation("our MacroScore does not read back");
    };
    let claimed = match json::parse(claim) {
        Ok(d) if d.findings.is_empty() => Node::from_json(&d.value),
        Ok(_) => return violation("a claim with duplicate keys or non-finite numbers is ok"),
        Err(_) => return violation("an unreadable claim is ok"),
    };
    claim_outcome_allowed(&ours, &claimed, &report)
}

/// The sample's uninterrupted run, for the checkpoint property.
struct Baseline {
    macro_score: String,
    checks: Vec<Check>,
    digests: Digests,
}

fn baseline() -> Option<&'static Baseline> {
    static BASE: OnceLock<Option<Baseline>> = OnceLock::new();
    BASE.get_or_init(|| {
        let run = phase::run(SAMPLE, &RunOptions::default()).ok()?;
        Some(Baseline {
            macro_score: run.macro_score.to_json_pretty().ok()?,
            checks: run.checks,
            digests: run.digests,
        })
    })
    .as_ref()
}

/// A store that holds one checkpoint and hands it out on resume.
struct OneCheckpoint(Option<Checkpoint>);

impl CheckpointStore for OneCheckpoint {
    fn save(&mut self, _: &Checkpoint) -> Result<(), String> {
        Ok(())
    }
    fn clear(&mut self) {}
    fn load(&mut self, _: &str, _: &str) -> Option<Checkpoint> {
        self.0.clone()
    }
}

/// Resumes the sample from `cp`. A checkpoint that decoded as given holds our own stage
/// results (its digest covers them), so the run must pass with the uninterrupted run's
/// bits. A `resealed` one may hold anything: the run must then not pass with other bits —
/// today INV-7.5 catches edited results (exit 3), or their MacroScore cannot be encoded
/// (COMPUTATION_FAILED, e.g. a gap area listed twice) — and never panic.
fn resume(cp: Checkpoint, base: &Baseline, resealed: bool) -> Result<(), Violation> {
    let mut store = OneCheckpoint(Some(cp));
    let mut signals: Vec<Signal> = Vec::new();
    let controls = Controls {
        resume: true,
        ..Controls::default()
    };
    let observed = run_observed(
        SAMPLE,
        &RunOptions::default(),
        &mut NoClock,
        &mut signals,
        Some(&mut store),
        &controls,
    );
    let run = match observed.result {
        Ok(run) => run,
        Err(Phase7Error::Computation(_)) if resealed => return Ok(()),
        Err(e) => return violation(format!("a resumed run failed with {}: {e}", e.code())),
    };
    let same = run.macro_score.to_json_pretty().ok().as_deref() == Some(base.macro_score.as_str())
        && run.checks == base.checks
        && run.digests == base.digests;
    if run.passed() && !same {
        return violation("a resumed run passed with other bits than the uninterrupted run");
    }
    if !run.passed() {
        let caught = matches!(&run.verdict, crate::checks::Verdict::Failed { failed, .. }
            if failed.iter().any(|c| c == "INV-7.5"));
        if !resealed || !caught || same {
            return violation(format!(
                "a resumed run failed{}: {:?}",
                if resealed {
                    " other than by INV-7.5"
                } else {
                    ""
                },
                run.verdict
            ));
        }
    }
    Ok(())
}

/// `checkpoint_resume`: any bytes through [`Checkpoint::decode`] (against the sample's
/// digests), and the same content re-sealed with a valid digest; whatever decodes is
/// resumed by [`run_observed`] from an in-memory store. Never panics; a checkpoint that
/// decodes as given resumes to exactly the uninterrupted run's MacroScore bits, checks
/// and digests; a re-sealed one never passes with other bits (see `resume`).
pub fn checkpoint_resume(bytes: &[u8]) -> Result<(), Violation> {
    let Some(base) = baseline() else {
        return violation("the sample does not run");
    };
    let (input, config) = (&base.digests.input, &base.digests.config);
    if let Ok(cp) = Checkpoint::decode(bytes, input, config) {
        resume(cp, base, false)?;
    }
    if let Ok(cp) = serde_json::from_slice::<Checkpoint>(bytes) {
        let progress = Progress {
            input_digest: input.clone(),
            ..cp.progress
        };
        let sealed = Checkpoint::new(cp.stage, input, config, &progress);
        if let Ok(cp) = Checkpoint::decode(sealed.encode().as_bytes(), input, config) {
            resume(cp, base, true)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzing::node::NonFinite;
    use crate::fuzzing::plan::Base;

    fn sample_plan(bulk: Vec<Bulk>) -> Plan {
        Plan {
            base: Base::Sample,
            envelope: None,
            edits: Vec::new(),
            bulk,
            style: Style::default(),
            budget: 0,
        }
    }

    /// Issue 10 item 11's pair: `{"z0.a": -0.0, "z0": {"a": 0.0}}` against
    /// `{"z0.a": 0.0, "z0": {"a": -0.0}}` in a cluster. With dotted paths in the
    /// certificate they shared one; the property catches that, and holds today.
    #[test]
    fn moving_a_negative_zero_between_ambiguous_paths_is_caught() {
        let case = CertificateCase {
            a: sample_plan(vec![Bulk::AmbiguousZeros {
                at: Place::Cluster(0),
                // Size class 0x1 (one bit): one pair.
                count: 0x1000_0001,
                first_negative: true,
            }]),
            b_edits: vec![Edit::MoveNegativeZero { from: 0, to: 1 }],
            b_style: Style::default(),
            strict: false,
            ambiguous_zeros: None,
            move_zero: None,
        };
        let (a, b) = case.trees();
        assert!(!same_meaning(&a, &b));
        let text = String::from_utf8(render(&b, &Style::default())).unwrap();
        assert!(
            text.contains("\"z0.a\": 0.0") && text.contains("\"a\": -0.0"),
            "{text}"
        );
        assert_eq!(certificate_pair(&case), Ok(()));
    }

    /// The same pair through the case's own fields, as the fuzzer reaches it.
    #[test]
    fn the_ambiguous_zero_fields_make_the_pair() {
        for first_negative in [true, false] {
            let case = CertificateCase {
                strict: false,
                ambiguous_zeros: Some((Place::Details(2), 0, first_negative)),
                move_zero: Some((0, 1)),
                b_style: Style::default(),
                b_edits: Vec::new(),
                a: sample_plan(Vec::new()),
            };
            let (a, b) = case.trees();
            assert!(!same_meaning(&a, &b));
            assert_eq!(certificate_pair(&case), Ok(()));
        }
    }

    #[test]
    fn a_respelled_input_verifies_and_an_edited_one_does_not() {
        for b_edits in [vec![], vec![Edit::Ulp { nth: 7, up: true }]] {
            let case = CertificateCase {
                a: sample_plan(vec![Bulk::ManyNonFinite {
                    at: Place::Cluster(1),
                    count: 0,
                    token: NonFinite::NaN,
                    keyed: false,
                }]),
                b_edits,
                b_style: Style {
                    indent: 0,
                    numbers: crate::fuzzing::node::NumStyle::Long,
                    bom: true,
                    escape_every: 3,
                    ..Style::default()
                },
                strict: true,
                ambiguous_zeros: Some((Place::Envelope, 3, false)),
                move_zero: None,
            };
            assert_eq!(certificate_pair(&case), Ok(()));
        }
    }

    #[test]
    fn the_seeded_cases_of_each_raw_property_hold() {
        assert_eq!(genuine_certificates().len(), 2);
        assert_eq!(read_run(SAMPLE), Ok(()));
        assert_eq!(claim_raw(b"{}"), Ok(()));
        let base = baseline().unwrap();
        // A real checkpoint after stage 4, and the same with an edited score re-sealed:
        // the first resumes to the same bits, the second is caught by INV-7.5.
        let run = phase::run(SAMPLE, &RunOptions::default()).unwrap();
        let mut progress = run.stages.clone();
        progress.gaps = None;
        progress.alignment = None;
        progress.uncertainty = None;
        let stage = crate::stages::Stage::CoherenceAnalysis;
        let cp = Checkpoint::new(stage, &base.digests.input, &base.digests.config, &progress);
        assert_eq!(checkpoint_resume(cp.encode().as_bytes()), Ok(()));
        if let Some(w) = progress.weighted.as_mut() {
            w.score += 0.25;
        }
        let (input, config) = (&base.digests.input, &base.digests.config);
        let resealed = Checkpoint::new(stage, input, config, &progress);
        let decoded = Checkpoint::decode(resealed.encode().as_bytes(), input, config).unwrap();
        assert_eq!(resume(decoded.clone(), base, true), Ok(()));
        assert!(
            resume(decoded, base, false).is_err(),
            "edited results are not genuine"
        );
        let forged = Checkpoint::new(stage, "x", "y", &progress);
        assert_eq!(checkpoint_resume(forged.encode().as_bytes()), Ok(()));
    }
}
