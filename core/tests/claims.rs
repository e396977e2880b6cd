//! Cause attribution on claims made by the pipeline's own Phase 7 code
//! (`tests/fixtures/claims/`, see its README): under Python 3.11 (plain `sum()`), under
//! 3.12 with the C library's `pow()` rounding `score_std` differently, both, and edited by
//! hand. The labels on each line say how the claim was made; the claim check must find
//! that cause from the numbers alone. Portable: also runs on wasm32 in headless Chromium.
//!
//! Natively, the `pow()` hypothesis is an exact recomputation through this platform's C
//! library `pow()` (evidence `REPRODUCED`). wasm32 — the browser — has no platform
//! `pow()`, so there the claim check falls back to the rule (a `pow()` within 1/64 ulp of
//! correct rounding, evidence `RULE`), and on the rare claims that the old `sum()` also
//! reproduces exactly it names the old `sum()` instead: the tests say which platform
//! expects what.

use phase7_core::read::json::{self, Json};
use phase7_core::stages::pymath::Summation;
use phase7_core::verify::claim::{
    verify_claimed, Cause, ClaimOutcome, ClaimReport, Evidence, FieldStatus, FlipKind,
};

/// Whether this build recomputes through a platform `pow()` (native) or has only the
/// rule (wasm32, the browser).
const PLATFORM_POW: bool = cfg!(not(target_family = "wasm"));

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const PY311: &str = include_str!("../../tests/fixtures/claims/py311.jsonl");
const PY312_LIBM_POW: &str = include_str!("../../tests/fixtures/claims/py312_libm_pow.jsonl");
const PY311_LIBM_POW: &str = include_str!("../../tests/fixtures/claims/py311_libm_pow.jsonl");
const EDITED: &str = include_str!("../../tests/fixtures/claims/edited.jsonl");

macro_rules! portable_test {
    ($(#[$m:meta])* fn $name:ident() $body:block) => {
        $(#[$m])*
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        fn $name() $body
    };
}

struct Case {
    plan: String,
    libm_pow: bool,
    edited: Option<String>,
    claimed: Json,
    report: ClaimReport,
}

fn cases(set: &str) -> Vec<Case> {
    set.lines()
        .map(|line| {
            let case = json::parse(line.as_bytes()).unwrap().value;
            let text = |k: &str| match case.get(k) {
                Some(Json::String(s)) => Some(s.clone()),
                _ => None,
            };
            let p6 = case.get("phase6").unwrap().to_string();
            let claimed = case.get("claimed").unwrap().clone();
            let report = verify_claimed(p6.as_bytes(), claimed.to_string().as_bytes());
            Case {
                plan: text("plan").unwrap(),
                libm_pow: case.get("libm_pow") == Some(&Json::Bool(true)),
                edited: text("edited"),
                claimed,
                report,
            }
        })
        .collect()
}

fn differing(r: &ClaimReport) -> impl Iterator<Item = &phase7_core::verify::claim::ClaimField> {
    r.fields.iter().filter(|f| f.cause.is_some())
}

/// The band, gap and severity flips are called out on their own, with their cause.
fn check_band_flip(c: &Case, cause: Cause) {
    let ours = c
        .report
        .fields
        .iter()
        .find(|f| f.path == "quality_level")
        .unwrap();
    let flipped = ours.cause.is_some();
    let flips: Vec<_> = c
        .report
        .flips
        .iter()
        .filter(|f| f.kind == FlipKind::Band)
        .collect();
    assert_eq!(flips.len(), usize::from(flipped), "{}", c.plan);
    if let Some(f) = flips.first() {
        assert_eq!(f.cause, cause, "{}", c.plan);
        assert!(
            f.because.starts_with("the band differs because"),
            "{}",
            f.because
        );
        assert_eq!(
            Some(&Json::String(f.claimed.clone())),
            c.claimed.get("quality_level")
        );
    }
}

portable_test! {
    /// Python 3.11 outputs: every differing field is PY_SUM_BEFORE_3_12, not ok, band
    /// flips named with that cause.
    fn python_311_outputs_are_attributed_to_the_old_sum() {
        let all = cases(PY311);
        assert_eq!(all.len(), 20);
        let mut bands = 0;
        for c in &all {
            let r = &c.report;
            assert!(!r.ok, "{}", c.plan);
            assert_eq!(r.outcome, ClaimOutcome::Different);
            assert_eq!(r.causes, [Cause::PySumBefore312], "{}: {r:#?}", c.plan);
            assert!(differing(r).count() > 0);
            assert!(differing(r).all(|f| f.status == FieldStatus::Different));
            assert!(differing(r).all(|f| f.evidence == Some(Evidence::Reproduced)));
            let h = r.hypothesis.unwrap();
            assert_eq!((h.summation, h.unexplained), (Summation::Plain, 0));
            assert_eq!(h.platform_pow, PLATFORM_POW);
            check_band_flip(c, Cause::PySumBefore312);
            bands += r.flips.len();
        }
        assert_eq!(bands, 6, "the set holds six band flips");
    }
}

portable_test! {
    /// Python 3.12 outputs whose score_std went through a pow() that is not correctly
    /// rounded. Natively: every one LIBM_POW and ok, reproduced through the platform's
    /// pow() bit for bit; the four that the 3.11 sum() also gives exactly are marked
    /// ambiguous, and the published sum() with pow() is preferred. In the browser (the
    /// rule only): those four are PY_SUM_BEFORE_3_12 (the exact recomputation wins over
    /// the rule), marked ambiguous; the other sixteen LIBM_POW by the rule.
    fn python_312_pow_outputs_are_explained_by_the_math_library() {
        let all = cases(PY312_LIBM_POW);
        assert_eq!(all.len(), 20);
        let (mut explained, mut ambiguous) = (0, 0);
        for c in &all {
            let r = &c.report;
            assert!(c.libm_pow);
            let h = r.hypothesis.unwrap();
            assert_eq!(h.platform_pow, PLATFORM_POW);
            if r.ok {
                assert_eq!(r.outcome, ClaimOutcome::Explained, "{}", c.plan);
                assert_eq!(r.causes, [Cause::LibmPow]);
                assert!(differing(r).all(|f| f.status == FieldStatus::Explained));
                assert!(r.fields.iter().any(|f| f.path == "score_std"
                    && f.cause == Some(Cause::LibmPow)
                    && f.ulps == Some(1)));
                let evidence = if PLATFORM_POW {
                    Evidence::Reproduced
                } else {
                    Evidence::Rule
                };
                assert!(differing(r).all(|f| f.evidence == Some(evidence)), "{}", c.plan);
                assert_eq!(h.libm_pow_evidence, Some(evidence));
                explained += 1;
                ambiguous += usize::from(h.also_py_sum_before_3_12);
            } else {
                assert_eq!(
                    (PLATFORM_POW, r.ok),
                    (false, false),
                    "{}: not ok only without a platform pow(): {r:#?}",
                    c.plan
                );
                assert_eq!(r.causes, [Cause::PySumBefore312], "{}: {r:#?}", c.plan);
                assert!(h.also_libm_pow, "{}: {r:#?}", c.plan);
                assert!(differing(r).all(|f| matches!(
                    f.path.as_str(),
                    "score_std" | "confidence_interval_95[0]" | "confidence_interval_95[1]"
                )));
                assert!(differing(r).all(|f| f.note.contains("by the rule")));
                ambiguous += 1;
            }
            assert!(r.flips.is_empty());
        }
        assert_eq!(explained, if PLATFORM_POW { 20 } else { 16 });
        assert_eq!(ambiguous, 4);
    }
}

portable_test! {
    /// Python 3.11 outputs with both effects: nothing unexplained, not ok, a pow cause on
    /// the uncertainty. Natively every cause is reproduced, and score_std is named
    /// LIBM_POW alone where the published sum() through the platform's pow() gives it
    /// (three of the ten); by the rule alone, all ten get the combined cause.
    fn python_311_pow_outputs_get_both_causes() {
        let all = cases(PY311_LIBM_POW);
        assert_eq!(all.len(), 10);
        let mut combined = 0;
        for c in &all {
            let r = &c.report;
            assert!(!r.causes.contains(&Cause::Unexplained), "{}: {r:#?}", c.plan);
            assert!(
                r.causes
                    .iter()
                    .any(|c| matches!(c, Cause::LibmPow | Cause::PySumBefore312AndLibmPow)),
                "{}: {r:#?}",
                c.plan
            );
            assert!(!r.ok, "{}", c.plan);
            for f in differing(r) {
                if matches!(
                    f.cause,
                    Some(Cause::PySumBefore312AndLibmPow | Cause::LibmPow)
                ) {
                    assert!(f.path.starts_with("score_std") || f.path.starts_with("confidence"));
                }
                if PLATFORM_POW {
                    assert_eq!(f.evidence, Some(Evidence::Reproduced), "{}", c.plan);
                }
            }
            combined += usize::from(r.causes.contains(&Cause::PySumBefore312AndLibmPow));
        }
        assert_eq!(combined, if PLATFORM_POW { 7 } else { 10 });
    }
}

portable_test! {
    /// Edited claims (3.12 and 3.11 outputs, one field changed by hand): not ok, the
    /// edited field named UNEXPLAINED; a band, gap or severity edit called out.
    fn edited_claims_name_the_edited_field() {
        let all = cases(EDITED);
        assert_eq!(all.len(), 20);
        for c in &all {
            let r = &c.report;
            let edited = c.edited.as_deref().unwrap();
            assert!(!r.ok, "{}", c.plan);
            let named: Vec<&str> = r
                .with_cause(Cause::Unexplained)
                .map(|f| f.path.as_str())
                .collect();
            assert!(
                named.iter().any(|p| p.starts_with(edited)),
                "{}: {edited} not in {named:?}\n{r:#?}",
                c.plan
            );
            let kind = match edited {
                "quality_level" => Some(FlipKind::Band),
                "systemic_gaps" => Some(FlipKind::Gaps),
                p if p.starts_with("gap_severity") => Some(FlipKind::Severity),
                _ => None,
            };
            if let Some(kind) = kind {
                let f = r.flips.iter().find(|f| f.kind == kind).unwrap();
                assert_eq!(f.cause, Cause::Unexplained);
                assert!(f.because.contains("differ"), "{}", f.because);
            }
        }
    }
}
