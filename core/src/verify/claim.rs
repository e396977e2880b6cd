//! Checking the pipeline's own Phase 7 output (spec §3 end, §7 "Claims").
//!
//! The pipeline writes its MacroScore with `to_dict()` and `json.dump`. [`verify_claimed`]
//! reruns Phase 7 on the Phase 6 input and compares that claim field by field:
//!
//! * `evaluation_id`, `evaluation_timestamp`, `provenance_node_id` come from the
//!   pipeline's clock and random UUIDs: reported, not compared;
//! * `score_std` and `confidence_interval_95`: equal bits, or — when the claimed
//!   `score_std` is within 1 ulp of ours and both claimed bounds are bit-identical to the
//!   bounds recomputed from *our* centre and the *claimed* `score_std` — "explained by the
//!   pipeline's math library" (its `pow()`), reported as such;
//! * every other field bit for bit (`f64::to_bits`), gap lists and maps exactly,
//!   `coherence_breakdown.irrigation_adjustment` = 1.0,
//!   `coherence_breakdown.coherence_pre_adjustment` = `cross_cutting_coherence`,
//!   `cluster_details.sisas_provenance` the legacy constant; missing and unexpected keys
//!   are differences.
//!
//! The claim is consistent (`ok`) when every difference is explained.
//!
//! The report stays small whatever the claim holds: at most
//! [`crate::error::MAX_LISTED_PER_CODE`] fields of one status are listed per top-level
//! key, then one field (with `omitted`) counts the rest; values are cut as
//! [`crate::diff::value_text`] cuts them.

use serde::Serialize;

use crate::attest::audit;
use crate::diff::{
    compare, compare_each, join, join_key, path_under, ulps, value_text, Grouped, Leaf,
};
use crate::error::{Diagnostic, Phase7Error};
use crate::phase::{self, Run, RunOptions};
use crate::read::json::{self, Finding, Json};
use crate::stages::aggregate;

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
    /// Different, explained by the pipeline's math library (see the module doc).
    Explained,
    /// Different, unexplained.
    Different,
    /// Not compared (clock or random values); reported.
    NotCompared,
}

/// One field of the claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimField {
    /// Path in the MacroScore, e.g. `cluster_scores[2].score`.
    pub path: String,
    /// The comparison result.
    pub status: FieldStatus,
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

/// The verdict on a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClaimOutcome {
    /// Every compared field is bit-identical (CLI exit 0).
    Identical,
    /// Every difference is explained (CLI exit 0).
    Explained,
    /// Some difference is not explained (CLI exit 4).
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
    /// Every compared leaf, in our MacroScore's key order, then unexpected claimed keys.
    pub fields: Vec<ClaimField>,
}

impl ClaimReport {
    /// Fields with the given status (an entry with `omitted` stands for that many).
    pub fn with_status(&self, status: FieldStatus) -> impl Iterator<Item = &ClaimField> {
        self.fields.iter().filter(move |f| f.status == status)
    }

    /// How many fields have the given status, listed or counted.
    pub fn count(&self, status: FieldStatus) -> u64 {
        self.with_status(status)
            .map(|f| f.omitted.unwrap_or(1))
            .sum()
    }

    /// The human-readable report the CLI prints by default.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let verdict = match &self.outcome {
            ClaimOutcome::Identical => "CONSISTENT: every compared field is bit-identical".into(),
            ClaimOutcome::Explained => {
                "CONSISTENT: every difference is explained by the pipeline's math library".into()
            }
            ClaimOutcome::Different => format!(
                "NOT CONSISTENT: {} unexplained difference(s)",
                self.count(FieldStatus::Different)
            ),
            ClaimOutcome::InputRejected { errors } => {
                format!(
                    "INPUT REJECTED ({} violation(s))",
                    crate::error::total(errors)
                )
            }
            ClaimOutcome::RerunFailed { .. } => "RERUN FAILED".into(),
        };
        out.push_str(&format!("phase7 verify --claimed: {verdict}\n\n"));
        let equal = self.count(FieldStatus::Equal);
        out.push_str(&format!("{equal} field(s) bit-identical\n"));
        for (status, label) in [
            (FieldStatus::NotCompared, "NOT COMPARED"),
            (FieldStatus::Explained, "EXPLAINED"),
            (FieldStatus::Different, "DIFFERENT"),
        ] {
            for f in self.with_status(status) {
                out.push_str(&format!("{label}  {}\n", f.path));
                if status == FieldStatus::NotCompared {
                    out.push_str(&format!("        claimed: {}\n", f.claimed));
                } else {
                    out.push_str(&format!("        ours:    {}\n", f.ours));
                    out.push_str(&format!("        claimed: {}\n", f.claimed));
                    if let Some(u) = f.ulps {
                        out.push_str(&format!("        ulps:    {u}\n"));
                    }
                }
                if !f.note.is_empty() {
                    out.push_str(&format!("        note:    {}\n", f.note));
                }
            }
        }
        if let ClaimOutcome::InputRejected { errors } | ClaimOutcome::RerunFailed { errors } =
            &self.outcome
        {
            for e in errors {
                out.push_str(&format!("error[{}]: {}\n", e.code, e.message));
            }
        }
        out
    }
}

const EXPLAINED: &str =
    "explained by the pipeline's math library: its pow() gives score_std 1 ulp \
from the exact sqrt, and both bounds recomputed from our centre and the claimed score_std \
are bit-identical to the claimed ones";

fn field(leaf: Leaf, status: FieldStatus, note: Option<&str>) -> ClaimField {
    ClaimField {
        path: leaf.path,
        status,
        ours: leaf.expected,
        claimed: leaf.actual,
        ulps: leaf.ulps,
        note: note.map_or(leaf.note, str::to_string),
        omitted: None,
    }
}

fn leaves(path: &str, ours: &Json, claimed: Option<&Json>) -> Vec<Leaf> {
    let mut out = Vec::new();
    compare(path, ours, claimed, &mut out);
    out
}

/// The report's fields, capped per status and top-level key.
#[derive(Default)]
struct Fields(Grouped<ClaimField>);

impl Fields {
    /// Groups by status and top-level key (of our MacroScore: a bounded set).
    fn push(&mut self, f: ClaimField) {
        let section = f.path.split(['.', '[']).next().unwrap_or("").to_string();
        self.push_in(&section, f);
    }

    fn push_in(&mut self, section: &str, f: ClaimField) {
        let group = format!("{:?}\u{0}{section}", f.status);
        self.0.push(&group, f);
    }

    fn extend(&mut self, fs: impl IntoIterator<Item = ClaimField>) {
        for f in fs {
            self.push(f);
        }
    }

    fn finish(self) -> Vec<ClaimField> {
        self.0.finish(|group, n| {
            let (status, section) = group.split_once('\u{0}').unwrap_or(("", group));
            let status = match status {
                "Equal" => FieldStatus::Equal,
                "Explained" => FieldStatus::Explained,
                "NotCompared" => FieldStatus::NotCompared,
                _ => FieldStatus::Different,
            };
            ClaimField {
                path: section.to_string(),
                status,
                ours: String::new(),
                claimed: String::new(),
                ulps: None,
                note: format!(
                    "...and {n} more field(s) with this status under {section}, not listed \
                     (the first {} are)",
                    crate::error::MAX_LISTED_PER_CODE
                ),
                omitted: Some(n),
            }
        })
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
    let run = match phase::run(phase6, &rerun_options) {
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
                fields: Vec::new(),
            };
        }
    };
    let mut fields = Fields::default();
    if claimed.len() as u64 > options.limits.max_input_bytes {
        fields.push(ClaimField {
            path: "(document)".into(),
            status: FieldStatus::Different,
            ours: format!("at most {} bytes", options.limits.max_input_bytes),
            claimed: format!("{} bytes", claimed.len()),
            ulps: None,
            note: "over the size limit: not read (INPUT_TOO_LARGE)".into(),
            omitted: None,
        });
        return finish(fields.finish());
    }
    match json::parse(claimed) {
        Ok(doc) => {
            fields.extend(duplicate_keys(&doc.findings));
            if doc.more.duplicate_keys > 0 {
                fields.0.add_more(
                    &format!("{:?}\u{0}", FieldStatus::Different),
                    doc.more.duplicate_keys,
                );
            }
            compare_claim(&run, &doc.value, &mut fields);
        }
        Err(e) => fields.push(ClaimField {
            path: "(document)".into(),
            status: FieldStatus::Different,
            ours: "a MacroScore object".into(),
            claimed: format!("not JSON: {e}"),
            ulps: None,
            note: String::new(),
            omitted: None,
        }),
    };
    finish(fields.finish())
}

fn finish(fields: Vec<ClaimField>) -> ClaimReport {
    let outcome = if fields.iter().any(|f| f.status == FieldStatus::Different) {
        ClaimOutcome::Different
    } else if fields.iter().any(|f| f.status == FieldStatus::Explained) {
        ClaimOutcome::Explained
    } else {
        ClaimOutcome::Identical
    };
    ClaimReport {
        ok: outcome != ClaimOutcome::Different,
        outcome,
        fields,
    }
}

fn duplicate_keys(findings: &[Finding]) -> Vec<ClaimField> {
    findings
        .iter()
        .filter_map(|f| match f {
            Finding::DuplicateKey { path, key } => Some(ClaimField {
                path: join_key(&path_under("", path), key),
                status: FieldStatus::Different,
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

/// Compares a parsed claim (the MacroScore object) with a run. (Long: the comparison
/// rules of the module doc, field family by field family, in report order.)
fn compare_claim(run: &Run, claim: &Json, out: &mut Fields) {
    let ours = match audit::to_json(&run.macro_score.reproducible()) {
        Ok(v) => v,
        Err(e) => {
            return out.push(ClaimField {
                path: "(document)".into(),
                status: FieldStatus::Different,
                ours: e.to_string(),
                claimed: String::new(),
                ulps: None,
                note: "our MacroScore could not be encoded".into(),
                omitted: None,
            })
        }
    };
    let Json::Object(our_fields) = &ours else {
        return;
    };
    if !matches!(claim, Json::Object(_)) {
        return out.push(ClaimField {
            path: "(document)".into(),
            status: FieldStatus::Different,
            ours: "a MacroScore object".into(),
            claimed: claim.type_name().into(),
            ulps: None,
            note: String::new(),
            omitted: None,
        });
    }
    for (key, value) in our_fields {
        let c = claim.get(key);
        if NOT_COMPARED.contains(&key.as_str()) {
            out.push(ClaimField {
                path: key.clone(),
                status: if c.is_some() {
                    FieldStatus::NotCompared
                } else {
                    FieldStatus::Different
                },
                ours: value_text(value),
                claimed: c.map_or_else(|| "(missing)".into(), value_text),
                ulps: None,
                note: if c.is_some() {
                    "set by the pipeline from a clock or a random UUID: reported, not compared"
                        .into()
                } else {
                    "field missing".into()
                },
                omitted: None,
            });
            continue;
        }
        if key == "score_std" || key == "confidence_interval_95" {
            continue;
        }
        compare_each(key, value, c, &mut |leaf| {
            let status = if leaf.equal {
                FieldStatus::Equal
            } else {
                FieldStatus::Different
            };
            let note = (!leaf.equal).then(|| rule(&leaf.path)).flatten();
            let note = note.map(|r| {
                if leaf.note.is_empty() {
                    r.to_string()
                } else {
                    format!("{}; {r}", leaf.note)
                }
            });
            out.push(field(leaf, status, note.as_deref()));
        });
    }
    out.extend(uncertainty(run, &ours, claim));
    if let Json::Object(claimed_fields) = claim {
        let group = format!("{:?}\u{0}(unexpected fields)", FieldStatus::Different);
        for (k, v) in claimed_fields {
            if ours.get(k).is_some() {
                continue;
            }
            // Past the listed ones, only counted: nothing is built for them.
            if !out.0.has_room(&group) {
                out.0.add_more(&group, 1);
                continue;
            }
            out.push_in(
                "(unexpected fields)",
                ClaimField {
                    path: join("", k),
                    status: FieldStatus::Different,
                    ours: "(absent)".into(),
                    claimed: v.excerpt(),
                    ulps: None,
                    note: "unexpected field".into(),
                    omitted: None,
                },
            );
        }
    }
}

fn number(v: Option<&Json>) -> Option<f64> {
    match v {
        Some(Json::Number(x)) => Some(*x),
        _ => None,
    }
}

fn pair(v: Option<&Json>) -> Option<[f64; 2]> {
    match v {
        Some(Json::Array(items)) if items.len() == 2 => {
            Some([number(items.first())?, number(items.get(1))?])
        }
        _ => None,
    }
}

/// `score_std` and `confidence_interval_95`, with the math-library explanation.
fn uncertainty(run: &Run, ours: &Json, claim: &Json) -> Vec<ClaimField> {
    let our_std = ours.get("score_std");
    let our_ci = ours.get("confidence_interval_95");
    let (Some(our_std_v), Some(our_ci_v)) = (our_std, our_ci) else {
        return Vec::new();
    };
    let claimed_std = claim.get("score_std");
    let claimed_ci = claim.get("confidence_interval_95");
    let plain = |path: &str, o: &Json, c: Option<&Json>| -> Vec<ClaimField> {
        leaves(path, o, c)
            .into_iter()
            .map(|l| {
                let s = if l.equal {
                    FieldStatus::Equal
                } else {
                    FieldStatus::Different
                };
                field(l, s, None)
            })
            .collect()
    };
    let m = &run.macro_score;
    let (Some(c_std), Some(c_ci)) = (number(claimed_std), pair(claimed_ci)) else {
        let mut out = plain("score_std", our_std_v, claimed_std);
        out.extend(plain("confidence_interval_95", our_ci_v, claimed_ci));
        return out;
    };
    if c_std.to_bits() == m.score_std.to_bits() || ulps(c_std, m.score_std) != Some(1) {
        let mut out = plain("score_std", our_std_v, claimed_std);
        out.extend(plain("confidence_interval_95", our_ci_v, claimed_ci));
        return out;
    }
    // One ulp off: recompute the bounds from our centre and the claimed score_std.
    let center = aggregate::weighted_score(&run.input, &run.config).raw;
    let recomputed = aggregate::interval(center, c_std, &run.config);
    let consistent = recomputed
        .iter()
        .zip(c_ci)
        .all(|(r, c)| r.to_bits() == c.to_bits());
    let mut out = Vec::new();
    let std_leaf = Leaf {
        path: "score_std".into(),
        expected: json::number_text(m.score_std),
        actual: json::number_text(c_std),
        equal: false,
        ulps: Some(1),
        note: String::new(),
    };
    if consistent {
        out.push(field(std_leaf, FieldStatus::Explained, Some(EXPLAINED)));
    } else {
        out.push(field(
            std_leaf,
            FieldStatus::Different,
            Some(&format!(
                "1 ulp apart, but the claimed bounds are not those of the claimed score_std \
                 (recomputed from our centre: [{}, {}])",
                json::number_text(recomputed[0]),
                json::number_text(recomputed[1])
            )),
        ));
    }
    for (i, ((o, c), r)) in m
        .confidence_interval_95
        .iter()
        .zip(c_ci)
        .zip(recomputed)
        .enumerate()
    {
        let leaf = Leaf {
            path: format!("confidence_interval_95[{i}]"),
            expected: json::number_text(*o),
            actual: json::number_text(c),
            equal: o.to_bits() == c.to_bits(),
            ulps: ulps(*o, c),
            note: String::new(),
        };
        let matches_recomputed = r.to_bits() == c.to_bits();
        if leaf.equal {
            out.push(field(leaf, FieldStatus::Equal, None));
        } else if consistent {
            out.push(field(
                leaf,
                FieldStatus::Explained,
                Some("bit-identical to the bound recomputed from our centre and the claimed score_std"),
            ));
        } else {
            let note = if matches_recomputed {
                "matches the bound of the claimed score_std, but the other bound does not"
                    .to_string()
            } else {
                format!(
                    "the bound recomputed from our centre and the claimed score_std is {}",
                    json::number_text(r)
                )
            };
            out.push(field(leaf, FieldStatus::Different, Some(&note)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn set(v: &mut Json, key: &str, new: Json) {
        if let Json::Object(fields) = v {
            for (k, val) in fields.iter_mut() {
                if k == key {
                    *val = new.clone();
                }
            }
        }
    }

    #[test]
    fn identical_claim_is_consistent() {
        let (_, claim) = pipeline_claim();
        let r = verify_claimed(SAMPLE, claim.to_string().as_bytes());
        assert_eq!(r.outcome, ClaimOutcome::Identical, "{}", r.text());
        assert!(r.ok);
        assert_eq!(r.with_status(FieldStatus::NotCompared).count(), 3);
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
        assert!(r.ok, "{}", r.text());
        assert_eq!(r.outcome, ClaimOutcome::Explained);
        let f = r.fields.iter().find(|f| f.path == "score_std").unwrap();
        assert_eq!(f.status, FieldStatus::Explained);
        assert!(r.text().contains("math library"));
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
            assert!(!r.ok, "{}", r.text());
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
