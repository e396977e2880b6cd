//! Checking the pipeline's own Phase 7 output (spec §3 end, §7 "Claims"), with the cause
//! of every difference.
//!
//! The pipeline writes its MacroScore with `to_dict()` and `json.dump`. [`verify_claimed`]
//! reruns Phase 7 on the Phase 6 input and compares that claim field by field, then
//! recomputes the whole MacroScore under each hypothesis of how a faithful pipeline run
//! could differ from the published semantics, and gives every differing field a stable
//! [`Cause`]:
//!
//! * [`Cause::LibmPow`] — the pipeline's `w ** 2`, `σ ** 2`, `var ** 0.5` go through the
//!   C library's `pow()`, which is not correctly rounded: natively, the uncertainty stage
//!   recomputed through this platform's `pow()` gives the claimed `score_std` and bounds
//!   bit for bit ([`Evidence::Reproduced`]); where there is no platform `pow()` (wasm32,
//!   the browser), or it does not reproduce the claim, a rule ([`Evidence::Rule`]): a
//!   claimed `score_std` 1 ulp from the recomputed one that a `pow()` within 1/64 ulp of
//!   correct rounding could give at these inputs (else the spec's 1-ulp rule), with both
//!   bounds bit-identical to the interval recomputed from the centre and the *claimed*
//!   `score_std`, clamped;
//! * [`Cause::PySumBefore312`] — Python ≤ 3.11's plain left-to-right `sum()` in every
//!   `psum` of spec §3 (the weighted score, the centre, the variance terms): the field
//!   equals the MacroScore recomputed with the core's own stages under that `sum()`;
//! * [`Cause::PySumBefore312AndLibmPow`] — both at once (on `score_std` and the bounds);
//! * [`Cause::Unexplained`] — no hypothesis reproduces it (an edit, a different
//!   configuration, a bug).
//!
//! The hypotheses are whole recomputations (`attribution`), tried
//! together: the one that leaves the fewest fields unexplained is chosen (exact
//! recomputations before rules on ties), and a field that only it does not reproduce —
//! even one equal to the published value, in a claim whose other differences come from
//! the old `sum()` — is unexplained. Every cause carries its [`Evidence`]. Never is a
//! cause read off an ulp distance alone.
//!
//! `evaluation_id`, `evaluation_timestamp`, `provenance_node_id` come from the pipeline's
//! clock and random UUIDs: reported, not compared. Besides the MacroScore's own values,
//! `coherence_breakdown.irrigation_adjustment` must be 1.0,
//! `coherence_breakdown.coherence_pre_adjustment` equal `cross_cutting_coherence`, and
//! `cluster_details.sisas_provenance` the legacy constant; missing, unexpected and
//! duplicated keys are unexplained differences.
//!
//! The claim is consistent (`ok`) when every difference is [`Cause::LibmPow`]; any other
//! cause is not the published semantics. A band, gap or severity that differs is also
//! called out on its own ([`Flip`]).
//!
//! The report stays small whatever the claim holds: a claim over the size limit is not
//! read; at most [`MAX_LISTED_PER_CODE`] fields of one status and cause are listed per
//! top-level key, and [`crate::diff::MAX_LISTED_IN_ALL`] in all, then one field (with
//! `omitted`) counts the rest of each; values are cut as
//! [`crate::diff::value_text`] cuts them.

use serde::Serialize;

use crate::config::Config;
use crate::diff::{join, join_key, path_under, value_text, Grouped, Leaf, ABSENT, VALUE_CHARS};
use crate::error::MAX_LISTED_PER_CODE;
use crate::error::{Diagnostic, Phase7Error};
use crate::phase::{self, Run, RunOptions};
use crate::read::json::{self, Finding, Json};
use crate::stages::aggregate::QualityLevel;
use crate::stages::pymath::Summation;
use crate::verify::attribution::{self, platform, Candidate, Model, Pow, Slot, ORDER};

pub use crate::verify::attribution::Evidence;

/// Fields the pipeline fills from a clock or a random UUID.
pub const NOT_COMPARED: [&str; 3] = [
    "evaluation_id",
    "evaluation_timestamp",
    "provenance_node_id",
];

/// How one field of the claim compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FieldStatus {
    /// Bit-identical.
    Equal,
    /// Different, explained by the pipeline's math library ([`Cause::LibmPow`]): accepted.
    Explained,
    /// Different, for a cause that is not the published semantics (see its `cause`).
    Different,
    /// Not compared (clock or random values); reported.
    NotCompared,
}

/// Why a field differs: the hypothesis that reproduces it (module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Cause {
    /// The platform's `pow()` (its `**` is not correctly rounded). Accepted.
    #[serde(rename = "LIBM_POW")]
    LibmPow,
    /// Python ≤ 3.11's plain left-to-right `sum()`. Not the published semantics.
    #[serde(rename = "PY_SUM_BEFORE_3_12")]
    PySumBefore312,
    /// Both the old `sum()` and the platform's `pow()`.
    #[serde(rename = "PY_SUM_BEFORE_3_12_AND_LIBM_POW")]
    PySumBefore312AndLibmPow,
    /// No hypothesis reproduces it.
    #[serde(rename = "UNEXPLAINED")]
    Unexplained,
}

impl Cause {
    /// Every cause, in their order.
    pub const ALL: [Cause; 4] = [
        Cause::LibmPow,
        Cause::PySumBefore312,
        Cause::PySumBefore312AndLibmPow,
        Cause::Unexplained,
    ];

    /// The stable code (`LIBM_POW`, `PY_SUM_BEFORE_3_12`,
    /// `PY_SUM_BEFORE_3_12_AND_LIBM_POW`, `UNEXPLAINED`).
    pub fn code(self) -> &'static str {
        match self {
            Cause::LibmPow => "LIBM_POW",
            Cause::PySumBefore312 => "PY_SUM_BEFORE_3_12",
            Cause::PySumBefore312AndLibmPow => "PY_SUM_BEFORE_3_12_AND_LIBM_POW",
            Cause::Unexplained => "UNEXPLAINED",
        }
    }

    /// Whether a difference with this cause is accepted (only [`Cause::LibmPow`]).
    pub fn accepted(self) -> bool {
        self == Cause::LibmPow
    }

    /// What the cause means, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Cause::LibmPow => {
                "the pipeline's math library: its pow() (w ** 2, s ** 2, var ** 0.5) is not \
                 correctly rounded"
            }
            Cause::PySumBefore312 => {
                "Python < 3.12's sum(), which adds plainly left to right; the pipeline \
                 requires Python >= 3.12, whose sum() is compensated"
            }
            Cause::PySumBefore312AndLibmPow => {
                "Python < 3.12's plain sum() together with the math library's pow()"
            }
            Cause::Unexplained => "no hypothesis reproduces it",
        }
    }
}

/// One field of the claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimField {
    /// Path in the MacroScore, e.g. `cluster_scores[2].score`.
    pub path: String,
    /// The comparison result.
    pub status: FieldStatus,
    /// Why it differs (`None` for equal and not compared fields).
    pub cause: Option<Cause>,
    /// How the cause was established: `REPRODUCED` (a recomputation gives the claimed
    /// value bit for bit) or `RULE` (a rule on `pow()` allows it); `None` for
    /// `UNEXPLAINED` and for fields without a cause.
    pub evidence: Option<Evidence>,
    /// Our rerun's value (JSON text).
    pub ours: String,
    /// The claimed value (JSON text; `(missing)` when absent).
    pub claimed: String,
    /// For numbers, the distance in ulps.
    pub ulps: Option<u64>,
    /// Why it differs, or how it is explained.
    pub note: String,
    /// Present only on the entry that stands for fields of this status under this
    /// top-level key that are not listed: how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<u64>,
}

/// What a [`Flip`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FlipKind {
    /// `quality_level`.
    Band,
    /// `systemic_gaps` (which areas are gaps).
    Gaps,
    /// `gap_severity` of one area.
    Severity,
}

/// A band, gap or severity that differs, called out on its own line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flip {
    /// What differs.
    pub kind: FlipKind,
    /// The field: `quality_level`, `systemic_gaps`, `gap_severity.PA07`.
    pub path: String,
    /// Ours.
    pub ours: String,
    /// Claimed.
    pub claimed: String,
    /// The cause of the difference.
    pub cause: Cause,
    /// `the band differs because …`.
    pub because: String,
}

/// The hypothesis the causes come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Hypothesis {
    /// The `sum()` that reproduces the claim best: `COMPENSATED` (the published, Python
    /// ≥ 3.12) or `PLAIN` (Python ≤ 3.11).
    pub summation: Summation,
    /// Whether `score_std` needed the platform `pow()`'s rounding.
    pub libm_pow: bool,
    /// How the `pow()` effect was established, when there is one: `REPRODUCED` (the
    /// uncertainty recomputed through this platform's `pow()`) or `RULE`.
    pub libm_pow_evidence: Option<Evidence>,
    /// Whether this build could recompute through the platform's `pow()` (native: yes;
    /// wasm32, the browser: no, so `pow()` effects rest on the rules there).
    pub platform_pow: bool,
    /// How many compared fields it does not reproduce.
    pub unexplained: usize,
    /// The old `sum()` reproduces the claim exactly, and a `pow()` within 1/64 ulp of
    /// correct rounding could give it alone too (by the rule: `score_std` and the bounds
    /// are then the only differences; natively, this platform's `pow()` does not give
    /// it): the exact recomputation is preferred, as spec §3 says, and the fields say so.
    pub also_libm_pow: bool,
    /// The published `sum()` through this platform's `pow()` reproduces the claim
    /// exactly — what a correctly installed pipeline gives here, which is preferred — and
    /// so does the old `sum()` alone: this output cannot tell the two apart, and the
    /// fields say so.
    pub also_py_sum_before_3_12: bool,
}

/// The verdict on a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClaimOutcome {
    /// Every compared field is bit-identical (CLI exit 0).
    Identical,
    /// Every difference is explained by the math library, [`Cause::LibmPow`] (CLI exit 0).
    Explained,
    /// Some difference has another cause (CLI exit 4); see [`ClaimReport::causes`].
    Different,
    /// The Phase 6 input is rejected (CLI exit 2).
    InputRejected {
        /// The coded violations.
        errors: Vec<Diagnostic>,
    },
    /// Our rerun itself failed after the input contract (CLI exit 1).
    RerunFailed {
        /// The coded failures.
        errors: Vec<Diagnostic>,
    },
}

/// The report on a pipeline's claimed Phase 7 output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimReport {
    /// True when every difference is explained (`Identical` or `Explained`).
    pub ok: bool,
    /// The verdict.
    pub outcome: ClaimOutcome,
    /// The distinct causes of the differences, in [`Cause`] order (empty when identical).
    pub causes: Vec<Cause>,
    /// The hypothesis the causes come from (absent when nothing was compared).
    pub hypothesis: Option<Hypothesis>,
    /// Bands, gaps and severities that differ, each with its cause.
    pub flips: Vec<Flip>,
    /// Every compared leaf, in our MacroScore's key order, then unexpected claimed keys.
    pub fields: Vec<ClaimField>,
}

impl ClaimReport {
    /// Fields with the given status.
    pub fn with_status(&self, status: FieldStatus) -> impl Iterator<Item = &ClaimField> {
        self.fields.iter().filter(move |f| f.status == status)
    }

    /// Fields with the given cause.
    pub fn with_cause(&self, cause: Cause) -> impl Iterator<Item = &ClaimField> {
        self.fields.iter().filter(move |f| f.cause == Some(cause))
    }
}

/// What a field must be, for the notes of differences.
fn rule(path: &str) -> Option<&'static str> {
    if path == "coherence_breakdown.irrigation_adjustment" {
        Some("must be 1.0: no irrigation signals are applied")
    } else if path == "coherence_breakdown.coherence_pre_adjustment" {
        Some("must equal cross_cutting_coherence bit for bit")
    } else if path.starts_with("cluster_details.sisas_provenance") {
        Some("must be the legacy constant {source: legacy_constant, weights_from: constants}")
    } else {
        None
    }
}

/// Compares a pipeline's claimed `p07_output.json` with our rerun of `phase6`.
///
/// The claim may contain Python's `NaN`/`Infinity` tokens (they are read, and differ
/// from any finite value); a duplicated key is itself a difference. A claim that is not
/// JSON, or not an object, is one difference at `(document)`.
pub fn verify_claimed(phase6: &[u8], claimed: &[u8]) -> ClaimReport {
    verify_claimed_with(phase6, claimed, &RunOptions::default())
}

/// [`verify_claimed`] with the caller's input limits (`options.limits`). The pipeline's
/// claim is always compared with a non-strict rerun (the pipeline has no strict mode);
/// `options.strict` and `options.evaluated_at` are ignored.
pub fn verify_claimed_with(phase6: &[u8], claimed: &[u8], options: &RunOptions) -> ClaimReport {
    let rerun_options = RunOptions {
        limits: options.limits,
        ..RunOptions::default()
    };
    #[cfg_attr(all(target_arch = "wasm32", feature = "wasm"), allow(unused_mut))]
    let mut run = match phase::run(phase6, &rerun_options) {
        Ok(r) => r,
        Err(e) => {
            let errors = e.diagnostics();
            let outcome = match e {
                Phase7Error::Input(_) => ClaimOutcome::InputRejected { errors },
                _ => ClaimOutcome::RerunFailed { errors },
            };
            return ClaimReport {
                ok: false,
                outcome,
                causes: Vec::new(),
                hypothesis: None,
                flips: Vec::new(),
                fields: Vec::new(),
            };
        }
    };
    if claimed.len() as u64 > options.limits.max_input_bytes {
        return finish(
            vec![document_difference(
                &format!("at most {} bytes", options.limits.max_input_bytes),
                format!("{} bytes", claimed.len()),
                "over the size limit: not read (INPUT_TOO_LARGE)".into(),
            )],
            None,
            Vec::new(),
        );
    }
    // The rerun's parsed document is not read past here: not held beside the claim's.
    run.input.release_document();
    match json::parse(claimed) {
        Ok(doc) => {
            let mut fields = duplicate_keys(&doc.findings);
            let (compared, hypothesis, flips) = compare_claim(&run, &doc.value);
            fields.extend(compared);
            let mut report = finish(fields, hypothesis, flips);
            if doc.more.duplicate_keys > 0 {
                // Duplicate keys past the parser's list: counted, as the listed ones are
                // differences.
                report.fields.push(ClaimField {
                    note: format!(
                        "...and {} more duplicated key(s), not listed",
                        doc.more.duplicate_keys
                    ),
                    omitted: Some(doc.more.duplicate_keys),
                    ..document_difference("each key once", String::new(), String::new())
                });
            }
            report
        }
        Err(e) => finish(
            vec![document_difference(
                "a MacroScore object",
                format!("not JSON: {e}"),
                String::new(),
            )],
            None,
            Vec::new(),
        ),
    }
}

fn document_difference(ours: &str, claimed: String, note: String) -> ClaimField {
    ClaimField {
        path: "(document)".into(),
        status: FieldStatus::Different,
        cause: Some(Cause::Unexplained),
        evidence: None,
        ours: ours.into(),
        claimed,
        ulps: None,
        note,
        omitted: None,
    }
}

fn finish(
    fields: Vec<ClaimField>,
    hypothesis: Option<Hypothesis>,
    flips: Vec<Flip>,
) -> ClaimReport {
    // Distinct causes in their order, by a filter over the four (no sort routine in the wasm
    // for it, issue 9 "Sizes").
    let causes: Vec<Cause> = Cause::ALL
        .into_iter()
        .filter(|c| fields.iter().any(|f| f.cause == Some(*c)))
        .collect();
    let outcome = if causes.iter().any(|c| !c.accepted()) {
        ClaimOutcome::Different
    } else if causes.is_empty() {
        ClaimOutcome::Identical
    } else {
        ClaimOutcome::Explained
    };
    ClaimReport {
        ok: outcome != ClaimOutcome::Different,
        outcome,
        causes,
        hypothesis,
        flips,
        fields,
    }
}

/// The report's fields as they are made, at most [`MAX_LISTED_PER_CODE`] of one status
/// (and cause) per top-level key; one entry with `omitted` counts the rest of each group,
/// so the report — and what is held while it is made — stays small whatever the claim
/// holds.
#[derive(Default)]
struct Capped {
    grouped: Grouped<ClaimField>,
    /// Per group past its room, what its stand-in says (status, cause, evidence).
    like: Vec<(String, FieldStatus, Option<Cause>, Option<Evidence>)>,
}

impl Capped {
    fn push(&mut self, f: ClaimField) {
        let section = f.path.split(['.', '[']).next().unwrap_or("").to_string();
        self.push_in(&section, f);
    }

    /// Pushes `f` in the group of `section` (the claim's unexpected top-level keys share
    /// one).
    fn push_in(&mut self, section: &str, f: ClaimField) {
        let group = Capped::group(section, f.status, f.cause);
        if !self.grouped.has_room(&group) && !self.like.iter().any(|(g, ..)| *g == group) {
            self.like
                .push((group.clone(), f.status, f.cause, f.evidence));
        }
        self.grouped.push(&group, f);
    }

    /// The group of a field: its status and cause under its section.
    fn group(section: &str, status: FieldStatus, cause: Option<Cause>) -> String {
        format!("{status:?}\u{0}{cause:?}\u{0}{section}")
    }

    /// Counts `n` more fields of a group already pushed past its room, unbuilt.
    fn more(&mut self, section: &str, status: FieldStatus, cause: Option<Cause>, n: u64) {
        self.grouped
            .add_more(&Capped::group(section, status, cause), n);
    }

    fn finish(self) -> Vec<ClaimField> {
        let like = self.like;
        self.grouped.finish(|group, n| {
            let (status, cause, evidence) = like
                .iter()
                .find(|(g, ..)| g == group)
                .map_or((FieldStatus::Different, None, None), |(_, s, c, e)| {
                    (*s, *c, *e)
                });
            let section = group.rsplit('\u{0}').next().unwrap_or("");
            ClaimField {
                path: section.to_string(),
                status,
                cause,
                evidence,
                ours: String::new(),
                claimed: String::new(),
                ulps: None,
                note: format!("...and {n} more field(s) like this under {section}, not listed"),
                omitted: Some(n),
            }
        })
    }
}

fn duplicate_keys(findings: &[Finding]) -> Vec<ClaimField> {
    findings
        .iter()
        .filter_map(|f| match f {
            Finding::DuplicateKey { path, key, .. } => Some(ClaimField {
                path: join_key(&path_under("", path), key),
                status: FieldStatus::Different,
                cause: Some(Cause::Unexplained),
                evidence: None,
                ours: "each key once".into(),
                claimed: format!("key {} more than once", key.quoted()),
                ulps: None,
                note: "a duplicated key makes the claim ambiguous".into(),
                omitted: None,
            }),
            Finding::NonFinite { .. } => None,
        })
        .collect()
}

/// The claim's `score_std` and bounds, when they are numbers.
fn claimed_uncertainty(claim: &Json) -> Option<(f64, [f64; 2])> {
    let number = |v: Option<&Json>| match v {
        Some(Json::Number(x)) => Some(*x),
        _ => None,
    };
    let std = number(claim.get("score_std"))?;
    match claim.get("confidence_interval_95") {
        Some(Json::Array(items)) if items.len() == 2 => {
            Some((std, [number(items.first())?, number(items.get(1))?]))
        }
        _ => None,
    }
}

/// The hypotheses' models and each one's comparison with the claim.
struct Trial {
    models: Vec<Model>,
    /// The leaves of the claim against the published model.
    published: Vec<Leaf>,
    /// Per other model, the leaves that differ from the published ones, by index (sorted):
    /// a recomputation changes only the few values the sums feed, so the others are the
    /// published leaves and are not copied (the claim may be large).
    changed: Vec<Vec<(usize, Leaf)>>,
    /// Per key of the published model, its different and its equal leaves past the first
    /// few, counted and not kept ([`Model::leaves`]: the claim's unexpected fields, and
    /// any leaf under a key every model gives to the same bits): each is the same under
    /// every hypothesis, so a report only counts them.
    unkept: Vec<[u64; 2]>,
    claimed: Option<(f64, [f64; 2])>,
}

impl Trial {
    /// Leaf `i` of the claim against model `m`.
    fn leaf(&self, m: usize, i: usize) -> Option<&Leaf> {
        if m > 0 {
            let changed = self.changed.get(m - 1)?;
            if let Ok(k) = changed.binary_search_by_key(&i, |(j, _)| *j) {
                return Some(&changed[k].1);
            }
        }
        self.published.get(i)
    }

    fn model(&self, s: Summation) -> Option<usize> {
        self.models.iter().position(|m| m.summation == s)
    }

    /// Whether leaf `i` is what candidate `c` gives (`None` when its model is missing).
    fn matches(&self, run: &Run, c: Candidate, i: usize) -> Option<bool> {
        let m = self.model(c.summation)?;
        let leaf = self.leaf(m, i)?;
        Some(attribution::matches(
            &self.models[m],
            leaf,
            c.pow,
            self.claimed,
            &run.config,
        ))
    }

    /// How many leaves candidate `c` does not reproduce (`None` without its model).
    fn missed(&self, run: &Run, c: Candidate) -> Option<usize> {
        let m = self.model(c.summation)?;
        if c.pow == Pow::Platform && self.models[m].platform_std.is_none() {
            // No platform pow() here (wasm32): the hypothesis cannot be tested.
            return None;
        }
        let n = self.published.len();
        let unkept: u64 = self.unkept.iter().map(|u| u[0]).sum();
        Some(
            (0..n)
                .filter(|&i| self.matches(run, c, i) != Some(true))
                .count()
                + unkept as usize,
        )
    }

    /// The candidate that leaves the fewest leaves unexplained, earliest on ties, with
    /// that count.
    fn best(&self, run: &Run) -> (Candidate, usize) {
        let mut best = (ORDER[0], usize::MAX);
        for c in ORDER {
            if let Some(missed) = self.missed(run, c) {
                if missed < best.1 {
                    best = (c, missed);
                }
            }
        }
        best
    }

    /// The cause of leaf `i`, which differs from the published value and is reproduced by
    /// `chosen`, and how it was established.
    fn cause(&self, run: &Run, chosen: Candidate, i: usize) -> (Cause, Evidence) {
        let evidence = chosen.pow.evidence();
        match (chosen.summation, chosen.pow) {
            (Summation::Compensated, Pow::Exact) => (Cause::Unexplained, evidence),
            (Summation::Compensated, _) => (Cause::LibmPow, evidence),
            (Summation::Plain, Pow::Exact) => (Cause::PySumBefore312, evidence),
            (Summation::Plain, pow) => {
                let uncertain = self
                    .published
                    .get(i)
                    .is_some_and(|l| attribution::slot(&l.path).is_some());
                let alone = |summation, pow| {
                    self.matches(run, Candidate { summation, pow }, i) == Some(true)
                };
                if !uncertain || alone(Summation::Plain, Pow::Exact) {
                    (Cause::PySumBefore312, Evidence::Reproduced)
                } else if alone(Summation::Compensated, pow) {
                    (Cause::LibmPow, evidence)
                } else {
                    (Cause::PySumBefore312AndLibmPow, evidence)
                }
            }
        }
    }
}

/// Compares a parsed claim (the MacroScore object) with a run and attributes every
/// difference.
fn compare_claim(run: &Run, claim: &Json) -> (Vec<ClaimField>, Option<Hypothesis>, Vec<Flip>) {
    let trial = match Trial::new(run, claim) {
        Ok(t) => t,
        Err(f) => return (vec![*f], None, Vec::new()),
    };
    let (chosen, unexplained) = trial.best(run);
    let reproduces = |summation, pow| trial.missed(run, Candidate { summation, pow }) == Some(0);
    let also_libm_pow = unexplained == 0
        && chosen.summation == Summation::Plain
        && chosen.pow == Pow::Exact
        && reproduces(Summation::Compensated, Pow::Plausible);
    let also_py_sum_before_3_12 = unexplained == 0
        && chosen.summation == Summation::Compensated
        && chosen.pow == Pow::Platform
        && reproduces(Summation::Plain, Pow::Exact);
    let ambiguity = if also_libm_pow {
        Some(if platform::available() {
            AMBIGUOUS_POW_NATIVE
        } else {
            AMBIGUOUS_POW_RULE_ONLY
        })
    } else if also_py_sum_before_3_12 {
        Some(AMBIGUOUS_SUM)
    } else {
        None
    };
    let out = trial.fields(run, claim, chosen, ambiguity);
    let libm_pow = out.iter().find(|f| {
        matches!(
            f.cause,
            Some(Cause::LibmPow | Cause::PySumBefore312AndLibmPow)
        )
    });
    let hypothesis = Hypothesis {
        summation: chosen.summation,
        libm_pow: libm_pow.is_some(),
        libm_pow_evidence: libm_pow.and_then(|f| f.evidence),
        platform_pow: platform::available(),
        unexplained,
        also_libm_pow,
        also_py_sum_before_3_12,
    };
    let flips = flips(&trial, chosen, &out, claim, &run.config);
    (out, Some(hypothesis), flips)
}

impl Trial {
    /// The published model and the old `sum()`'s, each compared with the claim; the
    /// `(document)` difference when the claim is not an object.
    fn new(run: &Run, claim: &Json) -> Result<Trial, Box<ClaimField>> {
        if !matches!(claim, Json::Object(_)) {
            return Err(Box::new(document_difference(
                "a MacroScore object",
                claim.type_name().into(),
                String::new(),
            )));
        }
        // First: its MacroScore, a copy of the run's cluster entries until it is encoded
        // without them, is not held beside the published model's tree.
        let plain = Model::under(run, Summation::Plain).ok();
        let published = Model::published(run).map_err(|e| {
            Box::new(document_difference(
                &e.to_string(),
                String::new(),
                "our MacroScore could not be encoded".into(),
            ))
        })?;
        let (leaves, unkept) = published.leaves(claim, &NOT_COMPARED, plain.as_ref());
        let mut models = vec![published];
        let mut changed = Vec::new();
        // A failed recomputation under the old sum() leaves only the published hypotheses;
        // so does one whose leaves do not line up with the published ones (it cannot:
        // its keys are the published ones in their order, less the cluster entries).
        if let Some(plain) = plain {
            if let Some(diff) = changed_leaves(&models[0], &plain, &leaves, &unkept, claim) {
                models.push(plain);
                changed.push(diff);
            }
        }
        Ok(Trial {
            models,
            published: leaves,
            changed,
            unkept,
            claimed: claimed_uncertainty(claim),
        })
    }

    /// Every field in our key order (the clock and UUID fields where they stand, the
    /// leaves of the others), then the claim's unexpected keys.
    fn fields(
        &self,
        run: &Run,
        claim: &Json,
        chosen: Candidate,
        ambiguity: Option<&str>,
    ) -> Vec<ClaimField> {
        let mut out = Capped::default();
        let ours = &self.models[0].json;
        if let Json::Object(our_fields) = ours {
            let mut next = 0;
            for ((key, value), &[unkept, equal]) in our_fields.iter().zip(&self.unkept) {
                if NOT_COMPARED.contains(&key.as_str()) {
                    out.push(not_compared(key, value, claim.get(key)));
                    continue;
                }
                while let Some(leaf) = self.published.get(next).filter(|l| belongs(&l.path, key)) {
                    let reproduced = self.matches(run, chosen, next) == Some(true);
                    let mut field = attribute(self, run, chosen, next, leaf, reproduced);
                    if let Some(note) =
                        ambiguity.filter(|_| field.cause.is_some_and(|c| c != Cause::Unexplained))
                    {
                        field.note.push_str(note);
                    }
                    out.push(field);
                    next += 1;
                }
                // Past the listed ones of their group, as the unexpected fields kept
                // before them are (different, unexplained: no hypothesis has the key).
                out.more(
                    key,
                    FieldStatus::Different,
                    Some(Cause::Unexplained),
                    unkept,
                );
                out.more(key, FieldStatus::Equal, None, equal);
            }
        }
        if let Json::Object(claimed_fields) = claim {
            const UNEXPECTED: &str = "(unexpected fields)";
            let (mut listed, mut unbuilt) = (0, 0u64);
            for (k, v) in claimed_fields {
                if ours.get(k).is_some() {
                    continue;
                }
                // One past the listed ones is pushed (it opens the group's stand-in);
                // past that nothing is built, only counted.
                listed += 1;
                if listed > MAX_LISTED_PER_CODE + 1 {
                    unbuilt += 1;
                    continue;
                }
                out.push_in(
                    UNEXPECTED,
                    ClaimField {
                        path: join("", k),
                        status: FieldStatus::Different,
                        cause: Some(Cause::Unexplained),
                        evidence: None,
                        ours: ABSENT.into(),
                        claimed: if listed <= MAX_LISTED_PER_CODE {
                            value_text(v)
                        } else {
                            String::new()
                        },
                        ulps: None,
                        note: "unexpected field".into(),
                        omitted: None,
                    },
                );
            }
            out.more(
                UNEXPECTED,
                FieldStatus::Different,
                Some(Cause::Unexplained),
                unbuilt,
            );
        }
        out.finish()
    }
}

/// The note on the fields of a claim the old `sum()` reproduces exactly and that a
/// `pow()` alone could give by the rule, where there is a platform `pow()`.
const AMBIGUOUS_POW_NATIVE: &str = "; also what a math library's pow() alone could give at \
these inputs by the rule (LIBM_POW), though this platform's pow() does not: the exact \
recomputation under the old sum() is preferred (spec §3)";

/// The same, where there is no platform `pow()` to recompute with (the browser).
const AMBIGUOUS_POW_RULE_ONLY: &str = "; also what the math library's pow() alone could give \
at these inputs by the rule (LIBM_POW): without a platform pow() to recompute with, this \
output cannot tell the two apart, and the exact recomputation under the old sum() is \
preferred (spec §3)";

/// The note on the fields of a claim both the published `sum()` through this platform's
/// `pow()` and the old `sum()` alone reproduce exactly.
const AMBIGUOUS_SUM: &str = "; also exactly what Python < 3.12's plain sum() gives alone \
(PY_SUM_BEFORE_3_12): this output cannot tell the two apart, and the published sum() \
through this platform's pow() — what a correctly installed pipeline gives here — is \
preferred";

/// The leaves of `claim` against `alt` that differ from those against `published`
/// (`leaves`, with `unkept` per key), by index: only the top-level keys whose values
/// differ between the two models are compared again (a key `alt` leaves out is the
/// published value). `None` when they do not line up.
fn changed_leaves(
    published: &Model,
    alt: &Model,
    leaves: &[Leaf],
    unkept: &[[u64; 2]],
    claim: &Json,
) -> Option<Vec<(usize, Leaf)>> {
    let (Json::Object(ours), Json::Object(theirs)) = (&published.json, &alt.json) else {
        return None;
    };
    let (mut out, mut next, mut j) = (Vec::new(), 0, 0);
    for ((key, value), unkept) in ours.iter().zip(unkept) {
        let alt_value = theirs.get(j).filter(|(k, _)| k == key).map(|(_, v)| v);
        j += usize::from(alt_value.is_some());
        if NOT_COMPARED.contains(&key.as_str()) {
            continue;
        }
        let start = next;
        while leaves.get(next).is_some_and(|l| belongs(&l.path, key)) {
            next += 1;
        }
        let Some(alt_value) = alt_value.filter(|v| !crate::diff::same_bits(value, v)) else {
            continue;
        };
        let mut again = Vec::new();
        if crate::diff::compare(key, alt_value, claim.get(key), false, &mut again)[0] != unkept[0]
            || again.len() != next - start
            || again
                .iter()
                .zip(&leaves[start..next])
                .any(|(a, b)| a.path != b.path)
        {
            return None;
        }
        out.extend((start..next).zip(again));
    }
    // Every key of `alt` is one of ours, in our order.
    (j == theirs.len()).then_some(out)
}

/// A clock or UUID field: reported, not compared. A missing one is a difference, and so
/// is one that is neither a string nor null (the type every unreproduced field is held
/// to: the certificate's `issued_at`, the refusal's `recorded_at`).
fn not_compared(key: &str, ours: &Json, claimed: Option<&Json>) -> ClaimField {
    let (status, cause, note) = match claimed {
        Some(Json::String(_) | Json::Null) => (
            FieldStatus::NotCompared,
            None,
            "set by the pipeline from a clock or a random UUID: reported, not compared",
        ),
        Some(_) => (
            FieldStatus::Different,
            Some(Cause::Unexplained),
            "not a string or null: the pipeline writes a string (not compared otherwise)",
        ),
        None => (
            FieldStatus::Different,
            Some(Cause::Unexplained),
            "field missing",
        ),
    };
    ClaimField {
        path: key.to_string(),
        status,
        cause,
        evidence: None,
        ours: value_text(ours),
        claimed: claimed.map_or_else(|| "(missing)".into(), value_text),
        ulps: None,
        note: note.into(),
        omitted: None,
    }
}

/// Whether a leaf path lies under the top-level key `key`.
fn belongs(path: &str, key: &str) -> bool {
    path.strip_prefix(key)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// The report line of leaf `i` under the chosen hypothesis. (Long: the status, cause,
/// evidence and note of one field follow from the same comparisons; kept together so
/// that each decision is read once.)
fn attribute(
    trial: &Trial,
    run: &Run,
    chosen: Candidate,
    i: usize,
    leaf: &Leaf,
    reproduced: bool,
) -> ClaimField {
    let mut field = ClaimField {
        path: leaf.path.clone(),
        status: FieldStatus::Equal,
        cause: None,
        evidence: None,
        ours: leaf.expected.clone(),
        claimed: leaf.actual.clone(),
        ulps: leaf.ulps,
        note: String::new(),
        omitted: None,
    };
    if leaf.equal && reproduced {
        return field;
    }
    let alternative = trial
        .model(chosen.summation)
        .and_then(|m| trial.leaf(m, i))
        .map_or_else(String::new, |l| l.expected.clone());
    let (cause, evidence) = if reproduced {
        trial.cause(run, chosen, i)
    } else {
        (Cause::Unexplained, Evidence::Rule)
    };
    field.status = if cause.accepted() {
        FieldStatus::Explained
    } else {
        FieldStatus::Different
    };
    field.cause = Some(cause);
    field.evidence = (cause != Cause::Unexplained).then_some(evidence);
    field.note = match cause {
        Cause::LibmPow => libm_note(&leaf.path, evidence),
        Cause::PySumBefore312 => "exactly what Python < 3.12's plain left-to-right sum() gives \
             (the published sum() is compensated; the pipeline requires Python >= 3.12)"
            .into(),
        Cause::PySumBefore312AndLibmPow if evidence == Evidence::Reproduced => {
            "reproduced: exactly what Python < 3.12's plain sum() gives with w ** 2, s ** 2 \
             and var ** 0.5 through this platform's pow()"
                .into()
        }
        Cause::PySumBefore312AndLibmPow => format!(
            "by the rule: what Python < 3.12's plain sum() gives with a math library's pow() \
             rounding score_std 1 ulp from the exact sqrt{}",
            if attribution::slot(&leaf.path) == Some(Slot::Std) {
                ""
            } else {
                " (the bound recomputed from the plain sum's centre and the claimed score_std)"
            }
        ),
        Cause::Unexplained if leaf.equal => format!(
            "equal to the published value, but the claim's other differences are those of \
             {}, which gives {alternative} here: the claim mixes the two",
            summation_name(chosen.summation)
        ),
        Cause::Unexplained => {
            let mut notes: Vec<String> = Vec::new();
            if !leaf.note.is_empty() {
                notes.push(leaf.note.clone());
            }
            if let Some(r) = rule(&leaf.path) {
                notes.push(r.into());
            }
            if chosen.summation == Summation::Plain && alternative != leaf.expected {
                notes.push(format!(
                    "Python < 3.12's plain sum() would give {alternative}"
                ));
            }
            notes.push("no hypothesis reproduces it".into());
            notes.join("; ")
        }
    };
    field
}

fn libm_note(path: &str, evidence: Evidence) -> String {
    let std = attribution::slot(path) == Some(Slot::Std);
    match (evidence, std) {
        (Evidence::Reproduced, true) => {
            "reproduced: the pipeline's w ** 2, s ** 2 and var ** 0.5 through this platform's \
             pow() give this score_std bit for bit (the published computation uses s * s and \
             the correctly rounded sqrt)"
                .into()
        }
        (Evidence::Reproduced, false) => {
            "reproduced: the bound from our centre and score_std through this platform's pow(), \
             bit for bit"
                .into()
        }
        // By the rule (the browser's only pow() evidence): the wording the dashboard
        // translates (web/src/i18n.rs matches its start).
        (Evidence::Rule, true) => {
            "explained by the pipeline's math library: its pow() gives score_std 1 ulp from \
             the exact sqrt, and both bounds recomputed from our centre and the claimed \
             score_std are bit-identical to the claimed ones (by the rule)"
                .into()
        }
        (Evidence::Rule, false) => {
            "bit-identical to the bound recomputed from our centre and the claimed score_std \
             (the math library's pow(), by the rule)"
                .into()
        }
    }
}

fn summation_name(s: Summation) -> &'static str {
    match s {
        Summation::Compensated => "the published sum()",
        Summation::Plain => "Python < 3.12's plain sum()",
    }
}

/// The band, gap and severity differences, each on its own line.
fn flips(
    trial: &Trial,
    chosen: Candidate,
    fields: &[ClaimField],
    claim: &Json,
    config: &Config,
) -> Vec<Flip> {
    let ours = &trial.models[0].json;
    let alt = trial
        .model(chosen.summation)
        .map_or(ours, |m| &trial.models[m].json);
    let cause_of = |pred: &dyn Fn(&str) -> bool| {
        fields
            .iter()
            .filter(|f| pred(&f.path))
            .filter_map(|f| f.cause)
            .max()
    };
    let mut out = Vec::new();
    if let Some(cause) = cause_of(&|p| p == "quality_level") {
        out.push(band_flip(cause, ours, alt, claim, config));
    }
    if let Some(cause) = cause_of(&|p| p.starts_with("systemic_gaps")) {
        let (o, c) = (
            text(ours.get("systemic_gaps")),
            text(claim.get("systemic_gaps")),
        );
        out.push(Flip {
            kind: FlipKind::Gaps,
            path: "systemic_gaps".into(),
            because: format!(
                "the systemic gaps differ because of an unexplained difference ({}): ours {o}, \
                 claimed {c}; gaps depend only on each cluster's input score and weakest_area, \
                 which no sum() or pow() changes",
                cause.code(),
            ),
            ours: o,
            claimed: c,
            cause,
        });
    }
    for area in severity_areas(fields) {
        let path = join("gap_severity", &area);
        let cause = cause_of(&|p| p == path).unwrap_or(Cause::Unexplained);
        let severity = |v: &Json| name(v.get("gap_severity").and_then(|g| g.get(&area)));
        let (o, c) = (severity(ours), severity(claim));
        out.push(Flip {
            kind: FlipKind::Severity,
            because: format!(
                "the severity of {area} differs because of an unexplained difference ({}): \
                 ours {o}, claimed {c}; a severity depends only on the cluster's input score, \
                 which no sum() or pow() changes",
                cause.code(),
            ),
            path,
            ours: o,
            claimed: c,
            cause,
        });
    }
    out
}

/// A value as text: a string without quotes (one longer than [`VALUE_CHARS`] characters
/// cut, quoted, with its length, as [`value_text`] shows it), anything else as an excerpt.
fn name(v: Option<&Json>) -> String {
    match v {
        Some(j @ Json::String(s)) => {
            if s.char_indices().nth(VALUE_CHARS).is_none() {
                s.clone()
            } else {
                value_text(j)
            }
        }
        other => text(other),
    }
}

fn text(v: Option<&Json>) -> String {
    v.map_or_else(|| "(missing)".to_string(), Json::excerpt)
}

/// The band flip, with the old `sum()`'s numbers when it is the cause.
fn band_flip(cause: Cause, ours: &Json, alt: &Json, claim: &Json, config: &Config) -> Flip {
    let n = |v: &Json| text(v.get("score_normalized"));
    let band = |v: &Json| name(v.get("quality_level"));
    let because = match cause {
        Cause::PySumBefore312 | Cause::PySumBefore312AndLibmPow => format!(
            "the band differs because Python < 3.12's plain sum() gives score_normalized {} \
             where the published sum() gives {}: {} instead of {}{}",
            n(alt),
            n(ours),
            band(alt),
            band(ours),
            threshold_between(alt, ours, config)
        ),
        _ => format!(
            "the band differs because of an unexplained difference: ours is {} for \
             score_normalized {}, the claim says {} with score_normalized {}",
            band(ours),
            n(ours),
            band(claim),
            n(claim)
        ),
    };
    Flip {
        kind: FlipKind::Band,
        path: "quality_level".into(),
        ours: band(ours),
        claimed: band(claim),
        cause,
        because,
    }
}

/// The areas whose `gap_severity` differs, in field order.
fn severity_areas(fields: &[ClaimField]) -> Vec<String> {
    let mut areas: Vec<String> = Vec::new();
    for f in fields.iter().filter(|f| f.cause.is_some()) {
        if let Some(rest) = f.path.strip_prefix("gap_severity") {
            let area = rest
                .trim_start_matches('.')
                .split(['.', '['])
                .next()
                .unwrap_or_default();
            if !area.is_empty() && !areas.iter().any(|a| a == area) {
                areas.push(area.to_string());
            }
        }
    }
    areas
}

/// `" (the BUENO threshold is 0.7)"` for two MacroScores in adjacent-or-not bands.
fn threshold_between(a: &Json, b: &Json, config: &Config) -> String {
    let band = |v: &Json| match v.get("quality_level") {
        Some(Json::String(s)) => QualityLevel::parse(s),
        _ => None,
    };
    let threshold = |q: QualityLevel| {
        let t = &config.quality_thresholds;
        match q {
            QualityLevel::Excelente => Some(t.excelente),
            QualityLevel::Bueno => Some(t.bueno),
            QualityLevel::Aceptable => Some(t.aceptable),
            QualityLevel::Insuficiente => None,
        }
    };
    let rank = |q: QualityLevel| match q {
        QualityLevel::Excelente => 3,
        QualityLevel::Bueno => 2,
        QualityLevel::Aceptable => 1,
        QualityLevel::Insuficiente => 0,
    };
    match (band(a), band(b)) {
        (Some(x), Some(y)) => {
            let higher = if rank(x) > rank(y) { x } else { y };
            threshold(higher).map_or_else(String::new, |t| {
                format!(
                    " (the {} threshold is {})",
                    higher.as_str(),
                    json::number_text(t)
                )
            })
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cause_all_lists_every_cause_in_their_order() {
        // `finish` finds the causes by a filter over `Cause::ALL`: a cause missing there
        // would be dropped. A new variant stops this match compiling until it has its
        // place in `ALL`.
        for (i, c) in Cause::ALL.into_iter().enumerate() {
            let at = match c {
                Cause::LibmPow => 0,
                Cause::PySumBefore312 => 1,
                Cause::PySumBefore312AndLibmPow => 2,
                Cause::Unexplained => 3,
            };
            assert_eq!(at, i);
        }
        assert!(Cause::ALL.windows(2).all(|w| w[0] < w[1]));
    }
    use crate::attest::audit;
    use crate::stages::aggregate;
    use crate::verify::attribution::Model;

    const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");

    /// Our MacroScore as the pipeline would write it: random ids and a timestamp.
    fn pipeline_claim() -> (Run, Json) {
        let run = phase::run(SAMPLE, &RunOptions::default()).unwrap();
        let mut v = audit::to_json(&run.macro_score).unwrap();
        if let Json::Object(fields) = &mut v {
            for (k, val) in fields.iter_mut() {
                match k.as_str() {
                    "evaluation_id" => *val = Json::String("MACRO_7f3a9c21e4b0".into()),
                    "provenance_node_id" => {
                        *val = Json::String("a3c1e7d2-91b4-4f0e-8d6a-2b5c9e1f0a7d".into())
                    }
                    "evaluation_timestamp" => {
                        *val = Json::String("2026-03-14T09:26:53.589793".into())
                    }
                    _ => {}
                }
            }
        }
        (run, v)
    }

    #[test]
    fn unexpected_top_level_keys_past_the_listed_are_counted_exactly() {
        let (run, mut claim) = pipeline_claim();
        if let Json::Object(fields) = &mut claim {
            for i in 0..250 {
                fields.push((format!("extra_{i}"), Json::Number(f64::from(i))));
            }
        }
        let (fields, ..) = compare_claim(&run, &claim);
        let unexpected: Vec<&ClaimField> = fields
            .iter()
            .filter(|f| f.path.starts_with("extra_") || f.path == "(unexpected fields)")
            .collect();
        assert_eq!(unexpected.len(), MAX_LISTED_PER_CODE + 1);
        let last = unexpected[MAX_LISTED_PER_CODE];
        assert_eq!(last.path, "(unexpected fields)");
        assert_eq!(last.omitted, Some(150));
        assert_eq!(last.cause, Some(Cause::Unexplained));
        assert!(unexpected[..MAX_LISTED_PER_CODE]
            .iter()
            .all(|f| f.omitted.is_none() && f.note == "unexpected field"));
    }

    #[test]
    fn a_long_claimed_band_is_cut_in_the_flips() {
        let (run, mut claim) = pipeline_claim();
        let long = "B".repeat(100_000);
        set(&mut claim, "quality_level", Json::String(long.clone()));
        let (_, _, flips) = compare_claim(&run, &claim);
        let band = flips
            .iter()
            .find(|f| f.path == "quality_level")
            .expect("a band flip");
        assert!(
            band.claimed.len() < 2 * VALUE_CHARS,
            "{}",
            band.claimed.len()
        );
        assert!(
            band.claimed.ends_with(" (100000 bytes)"),
            "{}",
            band.claimed
        );
        assert!(
            band.because.len() < 4 * VALUE_CHARS,
            "{}",
            band.because.len()
        );
        // A short one is shown whole, without quotes.
        set(&mut claim, "quality_level", Json::String("BUENO".into()));
        let (_, _, flips) = compare_claim(&run, &claim);
        let band = flips.iter().find(|f| f.path == "quality_level").unwrap();
        assert_eq!(band.claimed, "BUENO");
    }

    fn set(v: &mut Json, key: &str, new: Json) {
        if let Json::Object(fields) = v {
            for (k, val) in fields.iter_mut() {
                if k == key {
                    *val = new.clone();
                }
            }
        }
    }

    /// The sample with scores whose plain left-to-right sum differs from the published
    /// one (1.9900000000000002 vs 1.99).
    fn plain_sensitive_input() -> String {
        let mut text = String::from_utf8_lossy(SAMPLE).into_owned();
        for (old, new) in [
            ("2.1266666666666665", "1.74"),
            ("1.4712", "1.62"),
            ("0.9805", "2.13"),
            ("\"score\": 2.21", "\"score\": 2.47"),
        ] {
            assert!(text.contains(old), "{old}");
            text = text.replacen(old, new, 1);
        }
        text
    }

    /// `model`'s whole MacroScore: the keys it leaves out are the published ones.
    fn whole(run: &Run, model: &Model) -> Json {
        let mut out = Model::published(run).unwrap().json;
        if let Json::Object(fields) = &model.json {
            for (key, value) in fields {
                set(&mut out, key, value.clone());
            }
        }
        out
    }

    /// What the pipeline writes under Python ≤ 3.11 for `input`: the MacroScore recomputed
    /// with the plain sum(), with the pipeline's ids.
    fn plain_claim(input: &str) -> (Run, Json) {
        let run = phase::run(input.as_bytes(), &RunOptions::default()).unwrap();
        let mut claim = whole(&run, &Model::under(&run, Summation::Plain).unwrap());
        set(&mut claim, "evaluation_id", Json::String("EVAL_x".into()));
        set(
            &mut claim,
            "provenance_node_id",
            Json::String("PROV_x".into()),
        );
        set(
            &mut claim,
            "evaluation_timestamp",
            Json::String("2026".into()),
        );
        (run, claim)
    }

    /// A claim of an input whose areas repeat 300 times, with half of one cluster's
    /// areas changed: under a key every hypothesis gives alike, only the first of each
    /// kind are kept (`diff::compare`, `settled`), and the report still counts every one.
    #[test]
    fn many_areas_are_counted_exactly_and_listed_a_hundred_of_each_kind() {
        let areas = vec!["\"PA01\", \"PA02\", \"PA03\""; 100].join(", ");
        let input = plain_sensitive_input().replacen(
            "\"PA01\",\n      \"PA02\",\n      \"PA03\"",
            &areas,
            1,
        );
        let (run, mut claim) = plain_claim(&input);
        let genuine = claim.clone();
        let Some(Json::Object(details)) = claim.get("cluster_details").cloned() else {
            panic!("no cluster_details")
        };
        let mut changed = details.clone();
        if let Some(Json::Array(a)) = changed[0].1.get("areas").cloned() {
            assert_eq!(a.len(), 300);
            let mut a = a;
            for v in a.iter_mut().skip(150) {
                *v = Json::String("PA10".into());
            }
            set(&mut changed[0].1, "areas", Json::Array(a));
        }
        set(&mut claim, "cluster_details", Json::Object(changed));
        // Every leaf under cluster_details, none left out.
        let mut all = Vec::new();
        let uncounted = crate::diff::compare(
            "cluster_details",
            genuine.get("cluster_details").unwrap(),
            claim.get("cluster_details"),
            false,
            &mut all,
        );
        assert_eq!(uncounted, [0, 0]);
        let differ = all.iter().filter(|l| !l.equal).count() as u64;
        // Areas 150..299 of MESO_1.
        assert_eq!(differ, 150);
        let (fields, hypothesis, _) = compare_claim(&run, &claim);
        let hypothesis = hypothesis.unwrap();
        assert_eq!(hypothesis.summation, Summation::Plain);
        assert_eq!(hypothesis.unexplained, 150);
        let under = |status: FieldStatus| -> (usize, u64, Vec<&ClaimField>) {
            let fs: Vec<&ClaimField> = fields
                .iter()
                .filter(|f| f.path.starts_with("cluster_details") && f.status == status)
                .collect();
            let listed = fs.iter().filter(|f| f.omitted.is_none()).count();
            let more = fs.iter().filter_map(|f| f.omitted).sum();
            (listed, more, fs)
        };
        let (listed, more, fs) = under(FieldStatus::Different);
        assert_eq!((listed, more), (100, 50));
        assert!(fs.iter().all(|f| f.cause == Some(Cause::Unexplained)));
        assert_eq!(fs.last().unwrap().omitted, Some(50));
        let (listed, more, fs) = under(FieldStatus::Equal);
        assert_eq!(listed as u64 + more, all.len() as u64 - 150);
        assert_eq!(listed, 100);
        assert!(fs.iter().all(|f| f.cause.is_none()));
        // Each stand-in follows the last listed field of its kind.
        for status in [FieldStatus::Different, FieldStatus::Equal] {
            let at = fields
                .iter()
                .position(|f| {
                    f.omitted.is_some() && f.status == status && f.path == "cluster_details"
                })
                .unwrap();
            assert_eq!(fields[at - 1].status, status);
        }
    }

    #[test]
    fn the_published_recomputation_is_the_run() {
        let run = phase::run(SAMPLE, &RunOptions::default()).unwrap();
        let again = Model::under(&run, Summation::Compensated).unwrap();
        let published = Model::published(&run).unwrap();
        // The cluster entries, copied from the input, are not encoded again.
        assert_eq!(again.json.get("cluster_scores"), None);
        assert_eq!(again.json.get("cluster_details"), None);
        assert_eq!(whole(&run, &again), published.json);
        assert_eq!(again.centre.to_bits(), published.centre.to_bits());
    }

    /// The old `sum()`'s model leaves out the cluster entries ([`Model::under`]): they
    /// are copied from the input, the published ones under every `sum()`.
    #[test]
    fn the_old_sum_changes_no_cluster_entry() {
        let input = plain_sensitive_input();
        let run = phase::run(input.as_bytes(), &RunOptions::default()).unwrap();
        let progress = crate::stages::recompute(
            &run.input,
            &run.config,
            &run.digests.input,
            Summation::Plain,
        )
        .unwrap();
        let m = crate::stages::finish(
            &run.input,
            &run.config,
            &progress,
            &run.digests.config,
            None,
        )
        .unwrap();
        let ours = &run.macro_score;
        assert_ne!(m.score.to_bits(), ours.score.to_bits());
        use crate::attest::audit::to_json;
        assert!(crate::diff::same_bits(
            &to_json(&m.cluster_scores).unwrap(),
            &to_json(&ours.cluster_scores).unwrap()
        ));
        assert!(crate::diff::same_bits(
            &to_json(&m.cluster_details).unwrap(),
            &to_json(&ours.cluster_details).unwrap()
        ));
    }

    #[test]
    fn a_plain_sum_claim_is_attributed_to_the_old_sum() {
        let input = plain_sensitive_input();
        let (run, claim) = plain_claim(&input);
        assert_ne!(
            claim.get("score"),
            Some(&Json::Number(run.macro_score.score))
        );
        let r = verify_claimed(input.as_bytes(), claim.to_string().as_bytes());
        assert!(!r.ok, "{r:#?}");
        assert_eq!(r.outcome, ClaimOutcome::Different);
        assert_eq!(r.causes, [Cause::PySumBefore312]);
        let h = r.hypothesis.unwrap();
        assert_eq!((h.summation, h.unexplained), (Summation::Plain, 0));
        let score = r.fields.iter().find(|f| f.path == "score").unwrap();
        assert_eq!(
            (score.status, score.cause, score.ulps),
            (FieldStatus::Different, Some(Cause::PySumBefore312), Some(1))
        );
    }

    /// Unexpected fields nested in every object section of an old-sum claim: the first
    /// of each section listed, the rest counted exactly (most of them never kept as
    /// leaves), and the old-sum hypothesis still lined up and chosen.
    #[test]
    fn unexpected_nested_keys_are_counted_exactly_under_either_sum() {
        let input = plain_sensitive_input();
        let (_, mut claim) = plain_claim(&input);
        let mut sections = Vec::new();
        if let Json::Object(fields) = &mut claim {
            for (key, value) in fields.iter_mut() {
                if let Json::Object(inner) = value {
                    for i in 0..300 {
                        inner.push((format!("u{i}"), Json::Number(f64::from(i))));
                    }
                    sections.push(key.clone());
                }
            }
        }
        assert!(sections.len() >= 3, "{sections:?}");
        let r = verify_claimed(input.as_bytes(), claim.to_string().as_bytes());
        let h = r.hypothesis.unwrap();
        assert_eq!(h.summation, Summation::Plain);
        assert_eq!(h.unexplained, 300 * sections.len());
        assert_eq!(r.causes, [Cause::PySumBefore312, Cause::Unexplained]);
        // Each section lists its first ones, a hundred at most, while the report has
        // room (MAX_LISTED_IN_ALL), then counts the rest exactly.
        let mut listed_in_all = 0;
        for (n, section) in sections.iter().enumerate() {
            let unexplained: Vec<&ClaimField> = r
                .fields
                .iter()
                .filter(|f| belongs(&f.path, section) && f.cause == Some(Cause::Unexplained))
                .collect();
            let (more, listed) = unexplained.split_last().unwrap();
            assert!(listed.len() <= MAX_LISTED_PER_CODE, "{section}");
            if n == 0 {
                assert_eq!(listed.len(), MAX_LISTED_PER_CODE, "{section}");
            }
            assert!(listed
                .iter()
                .enumerate()
                .all(|(i, f)| f.path == format!("{section}.u{i}") && f.omitted.is_none()));
            assert_eq!(
                (more.path.as_str(), more.omitted),
                (section.as_str(), Some(300 - listed.len() as u64))
            );
            listed_in_all += listed.len();
        }
        assert!(listed_in_all < 300 * sections.len());
        let listed = r.fields.iter().filter(|f| f.omitted.is_none()).count();
        assert_eq!(listed, crate::diff::MAX_LISTED_IN_ALL);
    }

    #[test]
    fn a_claim_mixing_both_sums_names_the_odd_field() {
        let input = plain_sensitive_input();
        let (run, mut claim) = plain_claim(&input);
        // score as published, the rest as Python 3.11 gives it.
        set(&mut claim, "score", Json::Number(run.macro_score.score));
        let r = verify_claimed(input.as_bytes(), claim.to_string().as_bytes());
        assert!(!r.ok);
        let score = r.fields.iter().find(|f| f.path == "score").unwrap();
        assert_eq!(
            (score.status, score.cause),
            (FieldStatus::Different, Some(Cause::Unexplained))
        );
        assert_eq!(score.ours, score.claimed);
        assert!(score.note.contains("mixes"), "{}", score.note);
        assert!(score.note.contains("1.9900000000000002"), "{}", score.note);
        assert_eq!(r.causes, [Cause::PySumBefore312, Cause::Unexplained]);
    }

    #[test]
    fn identical_claim_is_consistent() {
        let (_, claim) = pipeline_claim();
        let r = verify_claimed(SAMPLE, claim.to_string().as_bytes());
        assert_eq!(r.outcome, ClaimOutcome::Identical, "{:#?}", r.fields);
        assert!(r.ok);
        assert_eq!(r.with_status(FieldStatus::NotCompared).count(), 3);
    }

    /// The clock and UUID fields are not compared, but held to the type every
    /// unreproduced field is (a string or null); null is what our own MacroScore writes
    /// without a time.
    #[test]
    fn clock_and_uuid_fields_of_another_type_are_differences() {
        for key in NOT_COMPARED {
            for (value, ok) in [
                (Json::Null, true),
                (Json::Number(7.0), false),
                (Json::Array(vec![]), false),
                (Json::Bool(true), false),
            ] {
                let (_, mut claim) = pipeline_claim();
                set(&mut claim, key, value.clone());
                let r = verify_claimed(SAMPLE, claim.to_string().as_bytes());
                assert_eq!(r.ok, ok, "{key} {value:?}");
                let f = r.fields.iter().find(|f| f.path == key).unwrap();
                if ok {
                    assert_eq!(f.status, FieldStatus::NotCompared);
                } else {
                    assert_eq!(
                        (f.status, f.cause),
                        (FieldStatus::Different, Some(Cause::Unexplained)),
                        "{key} {value:?}"
                    );
                    assert!(f.note.contains("not a string or null"), "{}", f.note);
                    assert_eq!(r.with_status(FieldStatus::Different).count(), 1);
                }
            }
        }
    }

    #[test]
    fn one_ulp_score_std_with_consistent_bounds_is_explained() {
        let (run, mut claim) = pipeline_claim();
        let std = f64::from_bits(run.macro_score.score_std.to_bits() + 1);
        let center = aggregate::weighted_score(&run.input, &run.config).raw;
        let ci = aggregate::interval(center, std, &run.config);
        set(&mut claim, "score_std", Json::Number(std));
        set(
            &mut claim,
            "confidence_interval_95",
            Json::Array(vec![Json::Number(ci[0]), Json::Number(ci[1])]),
        );
        let r = verify_claimed(SAMPLE, claim.to_string().as_bytes());
        assert!(r.ok, "{:#?}", r.fields);
        assert_eq!(r.outcome, ClaimOutcome::Explained);
        let f = r.fields.iter().find(|f| f.path == "score_std").unwrap();
        assert_eq!(f.status, FieldStatus::Explained);
        assert!(f.note.contains("math library"), "{}", f.note);
    }

    #[test]
    fn one_ulp_score_std_with_our_bounds_is_a_difference() {
        let (run, mut claim) = pipeline_claim();
        let std = f64::from_bits(run.macro_score.score_std.to_bits() + 1);
        let center = aggregate::weighted_score(&run.input, &run.config).raw;
        let ci = aggregate::interval(center, std, &run.config);
        set(&mut claim, "score_std", Json::Number(std));
        let r = verify_claimed(SAMPLE, claim.to_string().as_bytes());
        if ci == run.macro_score.confidence_interval_95 {
            assert!(r.ok);
        } else {
            assert!(!r.ok, "{:#?}", r.fields);
            assert!(r
                .with_status(FieldStatus::Different)
                .any(|f| f.path == "score_std"));
        }
    }

    #[test]
    fn two_ulp_score_std_is_a_difference_with_distance() {
        let (run, mut claim) = pipeline_claim();
        let std = f64::from_bits(run.macro_score.score_std.to_bits() + 2);
        set(&mut claim, "score_std", Json::Number(std));
        let r = verify_claimed(SAMPLE, claim.to_string().as_bytes());
        assert!(!r.ok);
        let f = r.fields.iter().find(|f| f.path == "score_std").unwrap();
        assert_eq!((f.status, f.ulps), (FieldStatus::Different, Some(2)));
    }

    #[test]
    fn python_tokens_and_irrigation_rules() {
        let (_, claim) = pipeline_claim();
        let text = claim.to_string();
        let nan = text.replacen(
            "\"irrigation_adjustment\": 1.0",
            "\"irrigation_adjustment\": NaN",
            1,
        );
        assert_ne!(nan, text);
        let r = verify_claimed(SAMPLE, nan.as_bytes());
        assert!(!r.ok);
        let f = r.with_status(FieldStatus::Different).next().unwrap();
        assert_eq!(f.path, "coherence_breakdown.irrigation_adjustment");
        assert!(f.note.contains("must be 1.0"), "{}", f.note);
    }

    #[test]
    fn unexpected_missing_and_unreadable() {
        let (_, claim) = pipeline_claim();
        let Json::Object(mut fields) = claim else {
            panic!()
        };
        fields.retain(|(k, _)| k != "strategic_alignment");
        fields.push(("extra".into(), Json::Null));
        let r = verify_claimed(SAMPLE, Json::Object(fields).to_string().as_bytes());
        let bad: Vec<&str> = r
            .with_status(FieldStatus::Different)
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(bad, ["strategic_alignment", "extra"]);

        let r = verify_claimed(SAMPLE, b"nope");
        assert!(!r.ok);
        assert_eq!(r.fields[0].path, "(document)");

        let r = verify_claimed(b"{}", b"{}");
        assert!(matches!(r.outcome, ClaimOutcome::InputRejected { .. }));
    }
}
