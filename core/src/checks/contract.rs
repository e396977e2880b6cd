//! The input contract (spec §2: the JSON-level checks, PRE-7.x, hermeticity and the
//! field rules) as recorded for an accepted input ([`input`]) and for a rejected one
//! ([`refused`]), and the output contract (POST-7.x; spec §5).
//!
//! Every rule that can reject an input or warn about it is one [`Rule`] of [`RULES`],
//! with a check id, what it checks and what it expects; [`rule_of`] says which rule a
//! coded violation breaks. An accepted input records each rule as passed with its actual
//! values; a rejected one records the rules that ran, failed ones with a short summary of
//! their violations (bounded: the refusal record lists the violations themselves).

use crate::checks::{check, list, nums, within, Check, CheckSeverity, CheckStage};
use crate::error::{Diagnostic, InputError, InputRejected, InputWarning};
use crate::model::ClusterId;
use crate::read::bridge::ValidatedPhase6;
use crate::read::json::{number_text, Json};
use crate::stages::aggregate::QualityLevel;
use crate::stages::macro_score::MacroScore;

/// One rule of the input contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The check id in the audit trail (`JSON-SYNTAX`, `PRE-7.3`, `WEAKEST-AREA`, …).
    pub id: &'static str,
    /// What is checked, with the codes that report a violation.
    pub description: &'static str,
    /// What the rule expects (the same for every input).
    pub expected: &'static str,
    /// A failure rejects the input (`Error`) or only warns (`Warning`).
    pub severity: CheckSeverity,
}

const fn rule(id: &'static str, description: &'static str, expected: &'static str) -> Rule {
    Rule {
        id,
        description,
        expected,
        severity: CheckSeverity::Error,
    }
}

const fn warning(id: &'static str, description: &'static str, expected: &'static str) -> Rule {
    Rule {
        id,
        description,
        expected,
        severity: CheckSeverity::Warning,
    }
}

/// Every rule that can reject or warn, in the order the trail records them: the JSON
/// level, PRE-7.1..7.6 and hermeticity, then the field rules.
pub const RULES: [Rule; 14] = [
    rule(
        "JSON-SYNTAX",
        "the file is JSON within the size limit: UTF-8, no syntax error, nesting at most 128 \
         deep (INPUT_TOO_LARGE, MALFORMED_JSON)",
        "a JSON document within the size limit",
    ),
    rule(
        "JSON-DUPLICATE-KEYS",
        "no object has the same key twice, at any depth, compared after unescaping \
         (DUPLICATE_KEY)",
        "each key once per object",
    ),
    rule(
        "JSON-FINITE",
        "no NaN, Infinity or -Infinity token and no number that overflows f64, anywhere in \
         the file (NON_FINITE)",
        "every number finite",
    ),
    rule("PRE-7.1", "exactly 4 cluster objects", "4"),
    rule(
        "PRE-7.2",
        "the set of cluster ids is exactly CLUSTER_MESO_1..4",
        "[CLUSTER_MESO_1, CLUSTER_MESO_2, CLUSTER_MESO_3, CLUSTER_MESO_4]",
    ),
    rule(
        "PRE-7.3",
        "every score finite and in [0.0, 3.0] (input order)",
        "all in [0.0, 3.0]",
    ),
    warning(
        "PRE-7.4",
        "Phase 6 provenance (provenance_node_id) present on every cluster",
        "no cluster without provenance",
    ),
    rule(
        "PRE-7.5",
        "no duplicate cluster id (input order)",
        "4 distinct ids",
    ),
    rule(
        "PRE-7.6",
        "coherence finite in [0, 1] and variance finite >= 0 (input order)",
        "coherence in [0.0, 1.0], variance >= 0.0",
    ),
    rule(
        "HERMETICITY",
        "each cluster's areas equal its fixed composition (as a set)",
        "[CLUSTER_MESO_1: PA01 PA02 PA03, CLUSTER_MESO_2: PA04 PA05 PA06, CLUSTER_MESO_3: PA07 \
         PA08, CLUSTER_MESO_4: PA09 PA10]",
    ),
    rule(
        "FIELD-TYPES",
        "the cluster array (bare or under cluster_scores) holds objects whose required fields \
         are present and every field has its type (MISSING_FIELD, WRONG_TYPE)",
        "required fields present, every field of its type",
    ),
    rule(
        "WEAKEST-AREA",
        "weakest_area, when given, is one of its cluster's fixed areas (WEAKEST_AREA_INVALID)",
        "null or one of the cluster's areas",
    ),
    rule(
        "VALUE-BOUNDS",
        "score_std >= 0.0 and penalty_applied in [0.0, 1.0] (VALUE_OUT_OF_BOUNDS)",
        "score_std >= 0.0, penalty_applied in [0.0, 1.0]",
    ),
    warning(
        "DUPLICATE-AREAS",
        "no area listed twice in a cluster's areas (DUPLICATE_AREA, a warning)",
        "each area once",
    ),
];

/// The rule a coded violation or warning breaks (`field` is where it is, for
/// VALUE_OUT_OF_BOUNDS: a negative variance breaks PRE-7.6, score_std and
/// penalty_applied VALUE-BOUNDS).
pub fn rule_of(code: &str, field: Option<&str>) -> &'static str {
    match code {
        "INPUT_TOO_LARGE" | "MALFORMED_JSON" => "JSON-SYNTAX",
        "DUPLICATE_KEY" => "JSON-DUPLICATE-KEYS",
        "NON_FINITE" => "JSON-FINITE",
        "INVALID_CLUSTER_COUNT" => "PRE-7.1",
        "CLUSTER_COVERAGE_MISMATCH" => "PRE-7.2",
        "SCORE_OUT_OF_BOUNDS" => "PRE-7.3",
        "MISSING_PROVENANCE" => "PRE-7.4",
        "DUPLICATE_CLUSTER" => "PRE-7.5",
        "MISSING_COHERENCE" | "MISSING_VARIANCE" | "COHERENCE_OUT_OF_BOUNDS" => "PRE-7.6",
        "VALUE_OUT_OF_BOUNDS" if field == Some("variance") => "PRE-7.6",
        "VALUE_OUT_OF_BOUNDS" => "VALUE-BOUNDS",
        "CLUSTER_COMPOSITION_MISMATCH" => "HERMETICITY",
        "WEAKEST_AREA_INVALID" => "WEAKEST-AREA",
        "DUPLICATE_AREA" => "DUPLICATE-AREAS",
        // MISSING_FIELD, WRONG_TYPE, and any code added later.
        _ => "FIELD-TYPES",
    }
}

fn passed(r: &Rule, actual: impl Into<String>) -> Check {
    Check {
        severity: r.severity,
        ..check(
            r.id,
            CheckStage::InputContract,
            r.description,
            r.expected,
            actual,
            true,
        )
    }
}

/// The input contract as recorded for an accepted input (spec §2): every rule of
/// [`RULES`], with its actual values. A rejected input never reaches here (see
/// [`refused`]).
pub fn input(input: &ValidatedPhase6) -> Vec<Check> {
    let facts = Facts::of(input);
    RULES
        .iter()
        .map(|r| {
            let (actual, ok) = facts.actual(r.id);
            Check {
                passed: ok,
                ..passed(r, actual)
            }
        })
        .collect()
}

/// What the rules look at in an accepted input.
struct Facts<'a> {
    input: &'a ValidatedPhase6,
    /// Distinct ids, sorted.
    sorted: Vec<String>,
    /// Ids of the clusters without provenance.
    provenance_missing: Vec<String>,
    /// Repeated areas, counted.
    repeated: Vec<String>,
}

impl<'a> Facts<'a> {
    fn of(input: &'a ValidatedPhase6) -> Facts<'a> {
        let cs = input.clusters();
        // ClusterId::ALL is in text order: a filter sorts and dedups without a sort (one
        // sort routine less in the wasm, issue 9 "Sizes").
        let sorted: Vec<String> = ClusterId::ALL
            .iter()
            .filter(|id| cs.iter().any(|c| c.id == **id))
            .map(|id| id.as_str().to_string())
            .collect();
        Facts {
            input,
            sorted,
            provenance_missing: cs
                .iter()
                .filter(|c| c.provenance_node_id.is_empty())
                .map(|c| c.id.as_str().to_string())
                .collect(),
            repeated: repeated_areas(cs),
        }
    }

    /// The actual value of rule `id` and whether it holds.
    fn actual(&self, id: &str) -> (String, bool) {
        let cs = self.input.clusters();
        let ids = || cs.iter().map(|c| c.id.as_str().to_string());
        let per_cluster = |f: &dyn Fn(&crate::model::Cluster) -> String| {
            list(cs.iter().map(|c| format!("{}: {}", c.id.as_str(), f(c))))
        };
        match id {
            "JSON-SYNTAX" => (
                match self.input.document() {
                    Json::Array(_) => format!("parsed: an array of {} clusters", cs.len()),
                    _ => format!("parsed: an envelope with {} clusters", cs.len()),
                },
                true,
            ),
            "JSON-DUPLICATE-KEYS" => ("no key repeated".into(), true),
            "JSON-FINITE" => ("no non-finite number".into(), true),
            "PRE-7.1" => (cs.len().to_string(), cs.len() == 4),
            "PRE-7.2" => (list(self.sorted.iter().cloned()), self.sorted.len() == 4),
            "PRE-7.3" => (
                nums(cs.iter().map(|c| c.score)),
                cs.iter().all(|c| within(c.score, 0.0, 3.0)),
            ),
            "PRE-7.4" => match self.provenance_missing.as_slice() {
                [] => ("all present".into(), true),
                missing => (
                    format!("missing on {}", list(missing.iter().cloned())),
                    false,
                ),
            },
            "PRE-7.5" => (list(ids()), self.sorted.len() == cs.len()),
            "PRE-7.6" => (
                format!(
                    "coherence {}, variance {}",
                    nums(cs.iter().map(|c| c.coherence)),
                    nums(cs.iter().map(|c| c.variance))
                ),
                cs.iter()
                    .all(|c| within(c.coherence, 0.0, 1.0) && c.variance >= 0.0),
            ),
            "HERMETICITY" => (
                per_cluster(&|c| distinct(&c.areas)),
                // As sets, in linear time (areas may repeat).
                cs.iter().all(|c| {
                    let fixed = c.id.areas();
                    fixed.iter().all(|f| c.areas.contains(f))
                        && c.areas.iter().all(|a| fixed.contains(a))
                }),
            ),
            "FIELD-TYPES" => ("all present and typed".into(), true),
            "WEAKEST-AREA" => (
                per_cluster(&|c| c.weakest_area.clone().unwrap_or_else(|| "null".into())),
                cs.iter().all(|c| {
                    c.weakest_area
                        .as_deref()
                        .is_none_or(|w| c.id.areas().contains(&w))
                }),
            ),
            "VALUE-BOUNDS" => (
                format!(
                    "score_std {}, penalty_applied {}",
                    nums(cs.iter().map(|c| c.score_std)),
                    nums(cs.iter().map(|c| c.penalty_applied))
                ),
                cs.iter()
                    .all(|c| c.score_std >= 0.0 && within(c.penalty_applied, 0.0, 1.0)),
            ),
            "DUPLICATE-AREAS" => match self.repeated.as_slice() {
                [] => ("none repeated".into(), true),
                repeated => (
                    format!("repeated {}", list(repeated.iter().cloned())),
                    false,
                ),
            },
            // Fails closed: a rule added to RULES without its check here never passes
            // silently (the test `every_rule_has_its_check` names it).
            other => (format!("no check is written for rule {other}"), false),
        }
    }
}

/// The areas of a cluster as a set, in first-seen order, space-separated (an accepted
/// cluster's areas are its fixed ones, repeated or not: at most three distinct, so the
/// scan is linear).
fn distinct(areas: &[&str]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for a in areas {
        if !seen.contains(a) {
            seen.push(a);
        }
    }
    seen.join(" ")
}

/// `CLUSTER_MESO_1 PA01 x3`: each repeated (cluster, area) once, with how often it is
/// listed in all, counted over the areas themselves (the warnings are capped; these
/// counts are exact). Bounded by the fixed areas; linear in the number of areas.
fn repeated_areas(clusters: &[crate::model::Cluster]) -> Vec<String> {
    let mut out = Vec::new();
    for c in clusters {
        for fixed in c.id.areas() {
            let n = c.areas.iter().filter(|a| *a == fixed).count();
            if n > 1 {
                out.push(format!("{} {fixed} x{n}", c.id.as_str()));
            }
        }
    }
    out
}

/// At most `max` characters of `s`, control characters escaped, `…` when cut: how text
/// from the input appears in a check's `actual`.
pub(crate) fn short(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// How many violations a failed rule's `actual` lists before `…`.
const LISTED: usize = 3;

/// `2 violation(s): CLUSTER_MESO_2 score 3.5 (SCORE_OUT_OF_BOUNDS); …`: bounded.
fn summary(violations: &[&Diagnostic]) -> String {
    let shown: Vec<String> = violations
        .iter()
        .take(LISTED)
        .map(|d| {
            let place = [d.cluster.as_deref(), d.field.as_deref()]
                .into_iter()
                .flatten()
                .map(|s| short(s, 40))
                .collect::<Vec<_>>()
                .join(" ");
            let value = d.value.as_deref().map(|v| short(v, 40));
            let what = [Some(place).filter(|p| !p.is_empty()), value]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if what.is_empty() {
                d.code.to_string()
            } else {
                format!("{what} ({})", d.code)
            }
        })
        .collect();
    let more = if violations.len() > LISTED {
        "; …"
    } else {
        ""
    };
    // An "…and N more" entry stands for N violations.
    let total: u64 = violations.iter().map(|d| d.omitted.unwrap_or(1)).sum();
    format!("{total} violation(s): {}{more}", shown.join("; "))
}

/// Which rules ran on a rejected input: only JSON-SYNTAX for a file over the limit or
/// not JSON; the JSON-level rules and FIELD-TYPES when there is no cluster array; all of
/// them otherwise (each over the fields it could use).
fn ran(errors: &[InputError]) -> &'static [&'static str] {
    const JSON: &[&str] = &["JSON-SYNTAX"];
    const ENVELOPE: &[&str] = &[
        "JSON-SYNTAX",
        "JSON-DUPLICATE-KEYS",
        "JSON-FINITE",
        "FIELD-TYPES",
    ];
    if errors.iter().any(|e| {
        matches!(
            e,
            InputError::InputTooLarge { .. } | InputError::MalformedJson { .. }
        )
    }) {
        JSON
    } else if errors.iter().any(|e| {
        matches!(e, InputError::MissingField { at } | InputError::WrongType { at, .. }
            if at.cluster.is_none()
                && at.field.as_deref().is_none_or(|f| f == "cluster_scores"))
    }) {
        ENVELOPE
    } else {
        &[]
    }
}

/// The input contract as recorded for a rejected input: the rules that ran, in [`RULES`]
/// order, each failed one with a bounded summary of its violations (and warnings, for
/// PRE-7.4 and DUPLICATE-AREAS); a rule without violations passed.
pub fn refused(rejected: &InputRejected) -> Vec<Check> {
    let reports: Vec<Diagnostic> = rejected
        .errors
        .iter()
        .map(InputError::report)
        .chain(rejected.warnings.iter().map(InputWarning::report))
        .collect();
    let only = ran(&rejected.errors);
    RULES
        .iter()
        .filter(|r| only.is_empty() || only.contains(&r.id))
        .map(|r| {
            let broken: Vec<&Diagnostic> = reports
                .iter()
                .filter(|d| rule_of(d.code, d.field.as_deref()) == r.id)
                .collect();
            if broken.is_empty() {
                passed(r, "no violation")
            } else {
                Check {
                    passed: false,
                    ..passed(r, summary(&broken))
                }
            }
        })
        .collect()
}

/// The output contract POST-7.1..7.7. `band` is the quality level's name as handed on
/// (`m.quality_level.as_str()`; a test may inject another). (Long: one `check` per spec
/// id, in the spec's order, each with its expected and actual text; split up, the list
/// would no longer read as the spec's.)
pub fn output(input: &ValidatedPhase6, m: &MacroScore, band: &str) -> Vec<Check> {
    use CheckStage::OutputContract as S;
    let band_ok = QualityLevel::parse(band).is_some();
    let cb = &m.coherence_breakdown;
    let coherences = [
        m.cross_cutting_coherence,
        cb.strategic_coherence,
        cb.operational_coherence,
        cb.institutional_coherence,
    ];
    let ab = &m.alignment_breakdown;
    let alignments = [
        m.strategic_alignment,
        ab.vertical_alignment,
        ab.horizontal_alignment,
        ab.temporal_alignment,
    ];
    let input_ids: Vec<String> = input
        .clusters()
        .iter()
        .map(|c| c.id.as_str().to_string())
        .collect();
    let output_ids: Vec<String> = m
        .cluster_scores
        .iter()
        .map(|c| c.cluster_id.clone())
        .collect();
    let valid_gaps = m
        .systemic_gaps
        .iter()
        .all(|g| crate::model::area_name(g).is_some());
    vec![
        check(
            "POST-7.1",
            S,
            "a MacroScore exists",
            "a MacroScore",
            format!("MacroScore {}", m.evaluation_id),
            !m.evaluation_id.is_empty(),
        ),
        check(
            "POST-7.2",
            S,
            "score in [0.0, 3.0]",
            "[0.0, 3.0]",
            number_text(m.score),
            within(m.score, 0.0, 3.0),
        ),
        check(
            "POST-7.3",
            S,
            "quality_level is one of the four bands",
            "EXCELENTE | BUENO | ACEPTABLE | INSUFICIENTE",
            short(band, 40),
            band_ok,
        ),
        check(
            "POST-7.4",
            S,
            "coherence (cross-cutting and breakdown) in [0.0, 1.0]",
            "all in [0.0, 1.0]",
            nums(coherences),
            coherences.iter().all(|&x| within(x, 0.0, 1.0)),
        ),
        check(
            "POST-7.5",
            S,
            "alignment (strategic and breakdown) in [0.0, 1.0]",
            "all in [0.0, 1.0]",
            nums(alignments),
            alignments.iter().all(|&x| within(x, 0.0, 1.0)),
        ),
        check(
            "POST-7.6",
            S,
            "the contributing cluster ids equal the input ids (input order)",
            list(input_ids.iter().cloned()),
            list(output_ids.iter().cloned()),
            input_ids == output_ids,
        ),
        check(
            "POST-7.7",
            S,
            "every systemic gap is one of PA01..PA10",
            "subset of PA01..PA10",
            list(m.systemic_gaps.iter().cloned()),
            valid_gaps,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every input rule has its own check: on the sample each holds and says what it saw.
    #[test]
    fn every_rule_has_its_check() {
        let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
        let input = crate::read::bridge::read(bytes, &Default::default()).unwrap();
        let checks = super::input(&input);
        assert_eq!(checks.len(), RULES.len());
        for c in &checks {
            assert!(c.passed, "{}: {}", c.id, c.actual);
            assert!(!c.actual.is_empty(), "{} says nothing", c.id);
        }
    }

    /// Every code to its rule, pinned: the audit trail files each finding under this id.
    #[test]
    fn each_code_is_filed_under_its_rule() {
        let table = [
            ("INPUT_TOO_LARGE", None, "JSON-SYNTAX"),
            ("MALFORMED_JSON", None, "JSON-SYNTAX"),
            ("DUPLICATE_KEY", None, "JSON-DUPLICATE-KEYS"),
            ("NON_FINITE", None, "JSON-FINITE"),
            ("INVALID_CLUSTER_COUNT", None, "PRE-7.1"),
            ("CLUSTER_COVERAGE_MISMATCH", None, "PRE-7.2"),
            ("SCORE_OUT_OF_BOUNDS", Some("score"), "PRE-7.3"),
            ("MISSING_PROVENANCE", Some("provenance_node_id"), "PRE-7.4"),
            ("DUPLICATE_CLUSTER", Some("cluster_id"), "PRE-7.5"),
            ("MISSING_COHERENCE", Some("coherence"), "PRE-7.6"),
            ("MISSING_VARIANCE", Some("variance"), "PRE-7.6"),
            ("COHERENCE_OUT_OF_BOUNDS", Some("coherence"), "PRE-7.6"),
            ("VALUE_OUT_OF_BOUNDS", Some("variance"), "PRE-7.6"),
            ("VALUE_OUT_OF_BOUNDS", Some("score_std"), "VALUE-BOUNDS"),
            (
                "VALUE_OUT_OF_BOUNDS",
                Some("penalty_applied"),
                "VALUE-BOUNDS",
            ),
            ("VALUE_OUT_OF_BOUNDS", None, "VALUE-BOUNDS"),
            ("CLUSTER_COMPOSITION_MISMATCH", None, "HERMETICITY"),
            ("WEAKEST_AREA_INVALID", Some("weakest_area"), "WEAKEST-AREA"),
            ("DUPLICATE_AREA", Some("areas"), "DUPLICATE-AREAS"),
            ("MISSING_FIELD", Some("score"), "FIELD-TYPES"),
            ("WRONG_TYPE", Some("score"), "FIELD-TYPES"),
            ("A_CODE_ADDED_LATER", None, "FIELD-TYPES"),
        ];
        for (code, field, rule) in table {
            assert_eq!(rule_of(code, field), rule, "{code} {field:?}");
        }
    }
    use crate::model::ClusterId;
    use crate::read::bridge::{self, ReadLimits};

    const SAMPLE: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");

    fn rejected(bytes: &[u8]) -> InputRejected {
        bridge::read(bytes, &ReadLimits::default()).unwrap_err()
    }

    #[test]
    fn constant_expectations_follow_the_model() {
        let ids = list(ClusterId::ALL.iter().map(|c| c.as_str().to_string()));
        let composition = list(
            ClusterId::ALL
                .iter()
                .map(|c| format!("{}: {}", c.as_str(), c.areas().join(" "))),
        );
        let expected = |id| RULES.iter().find(|r| r.id == id).unwrap().expected;
        assert_eq!(expected("PRE-7.2"), ids);
        assert_eq!(expected("HERMETICITY"), composition);
    }

    #[test]
    fn an_accepted_input_passes_every_rule_with_its_values() {
        let input = bridge::read(SAMPLE, &ReadLimits::default()).unwrap();
        let checks = super::input(&input);
        let ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, RULES.map(|r| r.id));
        assert!(checks.iter().all(|c| c.passed), "{checks:#?}");
        let actual = |id| &checks.iter().find(|c| c.id == id).unwrap().actual;
        assert_eq!(actual("JSON-SYNTAX"), "parsed: an array of 4 clusters");
        assert_eq!(
            actual("WEAKEST-AREA"),
            "[CLUSTER_MESO_1: PA02, CLUSTER_MESO_2: PA05, CLUSTER_MESO_3: PA07, CLUSTER_MESO_4: PA09]"
        );
        assert!(actual("VALUE-BOUNDS").starts_with("score_std [0.061, 0.112, 0.145, 0.052]"));
    }

    #[test]
    fn repeated_areas_warn_with_a_bounded_count() {
        let text =
            String::from_utf8_lossy(SAMPLE).replacen("\"PA01\",", &"\"PA01\",".repeat(1000), 1);
        let input = bridge::read(text.as_bytes(), &ReadLimits::default()).unwrap();
        let c = super::input(&input)
            .into_iter()
            .find(|c| c.id == "DUPLICATE-AREAS")
            .unwrap();
        assert!(!c.passed);
        assert_eq!(c.severity, CheckSeverity::Warning);
        assert_eq!(c.actual, "repeated [CLUSTER_MESO_1 PA01 x1000]");
    }

    #[test]
    fn a_rejected_input_fails_the_rules_it_breaks() {
        let text = String::from_utf8_lossy(SAMPLE)
            .replacen("\"score\": 1.4712", "\"score\": 3.5", 1)
            .replacen(
                "\"weakest_area\": \"PA07\"",
                "\"weakest_area\": \"PA01\"",
                1,
            )
            .replacen("\"score_std\": 0.061", "\"score_std\": -1", 1);
        let checks = refused(&rejected(text.as_bytes()));
        assert_eq!(checks.len(), RULES.len());
        let failed: Vec<(&str, &str)> = checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| (c.id.as_str(), c.actual.as_str()))
            .collect();
        assert_eq!(
            failed,
            [
                (
                    "PRE-7.3",
                    "1 violation(s): CLUSTER_MESO_2 score 3.5 (SCORE_OUT_OF_BOUNDS)"
                ),
                (
                    "WEAKEST-AREA",
                    "1 violation(s): CLUSTER_MESO_3 weakest_area PA01 (WEAKEST_AREA_INVALID)"
                ),
                (
                    "VALUE-BOUNDS",
                    "1 violation(s): CLUSTER_MESO_1 score_std -1.0 (VALUE_OUT_OF_BOUNDS)"
                ),
            ]
        );
    }

    #[test]
    fn only_the_rules_that_ran_are_recorded() {
        let checks = refused(&rejected(b"[{"));
        assert_eq!(checks.len(), 1);
        assert_eq!(
            (checks[0].id.as_str(), checks[0].passed),
            ("JSON-SYNTAX", false)
        );
        let checks = refused(&rejected(b"{\"meta\": 1}"));
        let ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "JSON-SYNTAX",
                "JSON-DUPLICATE-KEYS",
                "JSON-FINITE",
                "FIELD-TYPES"
            ]
        );
        assert!(!checks[3].passed);
    }

    #[test]
    fn hostile_text_stays_short_in_the_trail() {
        // A 60,000-character key with control characters (escaped in the JSON text).
        let key = "k\\u0007".repeat(10_000);
        let doc = format!("[{{\"{key}\": 1, \"{key}\": 2}}]");
        let checks = refused(&rejected(doc.as_bytes()));
        let dup = checks
            .iter()
            .find(|c| c.id == "JSON-DUPLICATE-KEYS")
            .unwrap();
        assert!(!dup.passed);
        assert!(dup.actual.chars().count() < 200, "{}", dup.actual);
        assert!(!dup.actual.contains('\u{7}'));
        assert!(checks.iter().all(|c| c.actual.chars().count() < 400));
    }
}
