//! The hypotheses a claimed output is recomputed under (spec §3 end; docs/certificates.md,
//! "Causes of a difference").
//!
//! A [`Model`] is what one `sum()` gives: the published one (CPython ≥ 3.12, compensated)
//! or Python ≤ 3.11's plain one, recomputed in full with the core's own stage functions
//! ([`stages::recompute`]). On top of either, the platform's `pow()` — the pipeline writes
//! `w ** 2`, `σ ** 2` and `var ** 0.5` — may round differently from the exact `σ·σ` and
//! `sqrt`; [`Pow`] says how that is allowed for:
//!
//! * [`Pow::Exact`]: not at all (bit-identical to the model);
//! * [`Pow::Platform`]: the uncertainty stage recomputed as the pipeline's Python
//!   computes it, through this platform's C library `pow()` ([`platform`]), bit for bit;
//!   only where a platform `pow()` exists (native builds, not wasm32);
//! * [`Pow::Plausible`]: the claimed `score_std` is one a `pow()` whose error stays within
//!   [`POW_SLACK`] of half an ulp could give: each `σ ** 2` and the final `** 0.5` may
//!   return the other neighbour of its exact result only when that result lies within
//!   [`POW_SLACK`] ulp of a rounding midpoint ([`pow_score_stds`] enumerates them);
//! * [`Pow::Tolerant`]: the spec's rule alone — the claimed `score_std` within 1 ulp of the
//!   model's, whatever the inputs.
//!
//! Exact and platform recomputations reproduce a field bit for bit
//! ([`Evidence::Reproduced`]); the plausible and tolerant allowances are rules
//! ([`Evidence::Rule`]), under which the bounds must be bit-identical to the interval
//! recomputed from the model's centre and the *claimed* `score_std`, clamped. The
//! hypotheses are tried in [`ORDER`]; the one that leaves the fewest fields unexplained
//! wins, earlier ones on ties.

use std::cmp::Ordering;

use crate::attest::audit;
use crate::config::Config;
use crate::diff::{compare, same_bits, ulps, Leaf};
use crate::error::ComputationError;
use crate::phase::Run;
use crate::read::bridge::ValidatedPhase6;
use crate::read::json::Json;
use crate::stages::pymath::{decompose, Nat, Summation};
use crate::stages::{self, aggregate};

/// How close (in ulps, as `numerator / denominator`) to a rounding midpoint an exact
/// result must lie for a `pow()` that is not correctly rounded to return the other
/// neighbour. glibc's and musl's (Pyodide's) `pow()` — the same ARM optimized-routines
/// code — are documented to err by at most 0.52 ulp, i.e. within 0.02 ulp of a midpoint;
/// on glibc 2.36 every measured misrounding of `s ** 2` and `v ** 0.5` lay within about
/// 0.0082 ulp of one. 1/64 covers both with room.
pub const POW_SLACK: (u32, u32) = (1, 64);

/// How the platform's `pow()` is allowed for in a hypothesis (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pow {
    /// No `pow()` effect.
    Exact,
    /// The uncertainty recomputed through this platform's `pow()`, bit for bit.
    Platform,
    /// A `pow()` within [`POW_SLACK`] of correct rounding could give the claimed value.
    Plausible,
    /// The spec's rule: within 1 ulp, bounds consistent.
    Tolerant,
}

/// One hypothesis: a `sum()` and a `pow()` allowance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// Which `sum()`.
    pub summation: Summation,
    /// Which `pow()` allowance.
    pub pow: Pow,
}

/// How a cause was established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Evidence {
    /// A whole recomputation under the hypothesis gives the claimed value bit for bit
    /// (the old `sum()`; the platform's `pow()`, where this build has one).
    Reproduced,
    /// A rule says the hypothesis could give it: a `pow()` within `POW_SLACK` of
    /// correct rounding at these inputs, or the spec's 1-ulp rule. The only evidence for
    /// `pow()` where there is no platform `pow()` to recompute with (wasm32, the browser).
    Rule,
}

impl Evidence {
    /// The stable code (`REPRODUCED`, `RULE`).
    pub fn code(self) -> &'static str {
        match self {
            Evidence::Reproduced => "REPRODUCED",
            Evidence::Rule => "RULE",
        }
    }
}

impl Pow {
    /// The evidence a field reproduced under this allowance has.
    pub(crate) fn evidence(self) -> Evidence {
        match self {
            Pow::Exact | Pow::Platform => Evidence::Reproduced,
            Pow::Plausible | Pow::Tolerant => Evidence::Rule,
        }
    }
}

/// The order hypotheses are preferred in when they leave equally many fields
/// unexplained. Exact recomputations first: the published `sum()`; the published `sum()`
/// through the platform's `pow()` — exactly what a correctly installed pipeline (Python ≥
/// 3.12) gives on this platform, so it is preferred over the old `sum()` when both
/// reproduce the claim bit for bit; the old `sum()`; the old `sum()` through the
/// platform's `pow()`. Then the rules, as a last resort (the only `pow()` evidence where
/// there is no platform `pow()`, e.g. in the browser): a `pow()` effect that could occur
/// at these inputs, then one that only the 1-ulp tolerance allows, each with the
/// published `sum()` before the old one.
///
/// Where only the rules are available, a claim whose only differences are `score_std`
/// and the bounds can be reproduced both by the old `sum()` exactly and by a plausible
/// `pow()` misrounding; the exact recomputation (the old `sum()`) wins that tie, and the
/// report says the claim is ambiguous. Measured on the pipeline's own outputs
/// (docs/certificates.md): natively, every Python 3.12 output with a `pow()` effect is
/// reproduced through the platform `pow()`, and no Python 3.11 output is accepted unless
/// it equals the 3.12 output of its plan bit for bit.
pub(crate) const ORDER: [Candidate; 8] = [
    Candidate {
        summation: Summation::Compensated,
        pow: Pow::Exact,
    },
    Candidate {
        summation: Summation::Compensated,
        pow: Pow::Platform,
    },
    Candidate {
        summation: Summation::Plain,
        pow: Pow::Exact,
    },
    Candidate {
        summation: Summation::Plain,
        pow: Pow::Platform,
    },
    Candidate {
        summation: Summation::Compensated,
        pow: Pow::Plausible,
    },
    Candidate {
        summation: Summation::Plain,
        pow: Pow::Plausible,
    },
    Candidate {
        summation: Summation::Compensated,
        pow: Pow::Tolerant,
    },
    Candidate {
        summation: Summation::Plain,
        pow: Pow::Tolerant,
    },
];

/// The platform's C library `pow()`, for testing the hypothesis that the pipeline's `**`
/// went through it.
///
/// Why this exists: the published computation never calls a libm transcendental (spec
/// §3) — it squares with `σ·σ` and takes `sqrt`, both correctly rounded, so native and
/// wasm32 agree to the bit. The pipeline's Python writes `w ** 2`, `σ ** 2` and
/// `var ** 0.5`, which CPython hands to the C library's `pow()`; glibc's is not correctly
/// rounded (it differs from `σ·σ` for about 0.085 % of random σ and from `sqrt(v)` for
/// about 0.084 % of v, misrounding only within about 0.0082 ulp of a rounding midpoint).
/// Recomputing the uncertainty stage through the platform's own `pow()` tests the
/// hypothesis "this claim was made by the pipeline with this platform's C library"
/// exactly. Only the claim check calls this module; nothing computed here enters a run,
/// a certificate or a digest.
///
/// On native builds `f64::powf` calls the C library's `pow()`; LLVM folds a constant
/// exponent (`x.powf(2.0)` becomes `x * x`), so the exponent goes through
/// [`core::hint::black_box`]. wasm32 has no platform `pow()` (`f64::powf` is Rust's own
/// libm port there), so [`platform::pow`] is `None` and the claim check falls back to the
/// rules.
pub(crate) mod platform {
    /// `x ** y` as the pipeline's Python computes it on this platform (the C library's
    /// `pow()`), or `None` where there is none (wasm32).
    #[cfg(not(target_family = "wasm"))]
    pub(crate) fn pow(x: f64, y: f64) -> Option<f64> {
        Some(x.powf(core::hint::black_box(y)))
    }

    /// `x ** y` as the pipeline's Python computes it on this platform (the C library's
    /// `pow()`), or `None` where there is none (wasm32).
    #[cfg(target_family = "wasm")]
    pub(crate) fn pow(_x: f64, _y: f64) -> Option<f64> {
        None
    }

    /// Whether this build can recompute through the platform's `pow()`.
    pub(crate) fn available() -> bool {
        pow(2.0, 2.0).is_some()
    }
}

/// What one `sum()` gives for a run's input.
pub(crate) struct Model {
    /// The `sum()`.
    pub summation: Summation,
    /// The MacroScore (without timestamp) as compared. Under another `sum()`
    /// ([`Model::under`]) without `cluster_scores` and `cluster_details`, the published
    /// ones: an absent key is the published model's value.
    pub json: Json,
    /// The interval's centre, `sum([w·s_i])`.
    pub centre: f64,
    /// `sqrt(sum([w²·σ_i²]))`.
    pub score_std: f64,
    /// The `score_std` values a `pow()` within [`POW_SLACK`] could give.
    pub pow_stds: Vec<f64>,
    /// `score_std` through the platform's `pow()` ([`platform`]), `None` without one.
    pub platform_std: Option<f64>,
}

impl Model {
    /// The published computation: the run itself, whose `evaluation_timestamp` is null
    /// (the claim's rerun is given no clock, [`crate::verify::claim::verify_claimed_with`];
    /// not copied to set it, as the MacroScore's areas can be millions).
    ///
    /// # Errors
    ///
    /// A [`ComputationError`] if the MacroScore cannot be encoded.
    pub fn published(run: &Run) -> Result<Model, ComputationError> {
        Ok(Model {
            summation: Summation::Compensated,
            json: audit::to_json(&run.macro_score)?,
            centre: aggregate::weighted_score_with(&run.input, &run.config, Summation::Compensated)
                .raw,
            score_std: run.macro_score.score_std,
            pow_stds: pow_score_stds(&run.input, &run.config, Summation::Compensated),
            platform_std: platform_score_std(&run.input, &run.config, Summation::Compensated),
        })
    }

    /// The computation under another `sum()`, every stage recomputed. The cluster
    /// entries are copied from the input ([`crate::stages::macro_score::assemble`]), the
    /// published ones under every `sum()`, and as large as the input (an area repeated
    /// millions of times): they are left out of [`Model::json`], not encoded a second
    /// time.
    ///
    /// # Errors
    ///
    /// A [`ComputationError`] from a stage or the encoding.
    pub fn under(run: &Run, summation: Summation) -> Result<Model, ComputationError> {
        let progress = stages::recompute(&run.input, &run.config, &run.digests.input, summation)?;
        let mut m = stages::finish(
            &run.input,
            &run.config,
            &progress,
            &run.digests.config,
            None,
        )?;
        m.cluster_scores = Vec::new();
        m.cluster_details.0 = Vec::new();
        let mut json = audit::to_json(&m)?;
        if let Json::Object(fields) = &mut json {
            fields.retain(|(key, _)| !matches!(key.as_str(), "cluster_scores" | "cluster_details"));
        }
        Ok(Model {
            summation,
            json,
            centre: aggregate::weighted_score_with(&run.input, &run.config, summation).raw,
            score_std: m.score_std,
            pow_stds: pow_score_stds(&run.input, &run.config, summation),
            platform_std: platform_score_std(&run.input, &run.config, summation),
        })
    }

    /// The compared leaves of `claim` against this model, in the walk order of
    /// [`compare`] over the model's keys (`NOT_COMPARED` keys skipped), and per key of the
    /// model, how many different and how many equal leaves under it were counted and not
    /// kept: the claim's unexpected fields past the first few ([`compare`]), and under a
    /// key that `plain` (when there is one) gives to the same bits or leaves out
    /// ([`Model::json`]), every leaf past the
    /// first [`MAX_LISTED_PER_CODE`]` + 1` equal and different ones. Such a leaf is what
    /// every hypothesis gives exactly when it is equal (it is not `score_std` or the
    /// interval), so a report lists no more of it than that, and an input's areas,
    /// repeated in the MacroScore, can be millions (issue 9, "Cost").
    pub fn leaves(
        &self,
        claim: &Json,
        skip: &[&str],
        plain: Option<&Model>,
    ) -> (Vec<Leaf>, Vec<[u64; 2]>) {
        let (mut out, mut unkept) = (Vec::new(), Vec::new());
        if let Json::Object(fields) = &self.json {
            for (key, value) in fields {
                let settled = !matches!(key.as_str(), "score_std" | "confidence_interval_95")
                    && plain.is_none_or(|p| p.json.get(key).is_none_or(|v| same_bits(v, value)));
                unkept.push(if skip.contains(&key.as_str()) {
                    [0, 0]
                } else {
                    compare(key, value, claim.get(key), settled, &mut out)
                });
            }
        }
        (out, unkept)
    }
}

/// Which part of the uncertainty a leaf is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// `score_std`.
    Std,
    /// `confidence_interval_95[i]`.
    Bound(usize),
}

/// The uncertainty slot of a path, if any.
pub(crate) fn slot(path: &str) -> Option<Slot> {
    match path {
        "score_std" => Some(Slot::Std),
        "confidence_interval_95[0]" => Some(Slot::Bound(0)),
        "confidence_interval_95[1]" => Some(Slot::Bound(1)),
        _ => None,
    }
}

/// Whether a claimed leaf is what `model` gives under the `pow` allowance. `leaf` is the
/// comparison of the claim with the model; `claimed` the claim's `score_std` and bounds
/// when they are numbers.
pub(crate) fn matches(
    model: &Model,
    leaf: &Leaf,
    pow: Pow,
    claimed: Option<(f64, [f64; 2])>,
    config: &Config,
) -> bool {
    let (Some(slot), Some((c_std, c_ci))) = (slot(&leaf.path), claimed) else {
        return leaf.equal;
    };
    let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
    match pow {
        Pow::Exact => return leaf.equal,
        Pow::Platform => {
            // The uncertainty stage as the pipeline computes it here: the claimed value
            // must be that recomputation's, bit for bit.
            let Some(std) = model.platform_std else {
                return false;
            };
            return match slot {
                Slot::Std => same(c_std, std),
                Slot::Bound(i) => same(c_ci[i], aggregate::interval(model.centre, std, config)[i]),
            };
        }
        Pow::Plausible | Pow::Tolerant => {}
    }
    let std_ok = same(c_std, model.score_std)
        || (ulps(c_std, model.score_std) == Some(1)
            && (pow == Pow::Tolerant || model.pow_stds.iter().any(|s| same(*s, c_std))));
    let recomputed = aggregate::interval(model.centre, c_std, config);
    std_ok
        && match slot {
            Slot::Std => same(recomputed[0], c_ci[0]) && same(recomputed[1], c_ci[1]),
            Slot::Bound(i) => same(recomputed[i], c_ci[i]),
        }
}

/// `score_std` as the pipeline's Python computes it on this platform under `summation`:
/// `sum((w ** 2) * (σ ** 2) for …) ** 0.5` through [`platform::pow`]. `None` without a
/// platform `pow()`, or when the result is not finite (the pipeline raises then).
pub(crate) fn platform_score_std(
    input: &ValidatedPhase6,
    config: &Config,
    summation: Summation,
) -> Option<f64> {
    let terms = input
        .clusters()
        .iter()
        .map(|c| {
            let w = config.weight(c.id);
            Some(platform::pow(w, 2.0)? * platform::pow(c.score_std, 2.0)?)
        })
        .collect::<Option<Vec<f64>>>()?;
    platform::pow(summation.sum(&terms), 0.5).filter(|s| s.is_finite())
}

/// The `score_std` values a `pow()` within [`POW_SLACK`] of correct rounding could give
/// under `summation`, other than the exact one: each `σ ** 2` and the final `** 0.5` may
/// take the other neighbour of its exact result where that result lies within
/// [`POW_SLACK`] ulp of a rounding midpoint (`w ** 2` is exact). At most 2⁴ variances,
/// each with at most two roots.
pub(crate) fn pow_score_stds(
    input: &ValidatedPhase6,
    config: &Config,
    summation: Summation,
) -> Vec<f64> {
    let exact = aggregate::variance_terms(input, config);
    let choices: Vec<Vec<f64>> = input
        .clusters()
        .iter()
        .map(|c| {
            let w = config.weight(c.id);
            square_results(c.score_std)
                .into_iter()
                .map(|sq| (w * w) * sq)
                .collect()
        })
        .collect();
    let exact_std = summation.sum(&exact).sqrt();
    let mut out: Vec<f64> = Vec::new();
    let combinations = choices.iter().map(Vec::len).product::<usize>();
    for k in 0..combinations {
        let mut rest = k;
        let terms: Vec<f64> = choices
            .iter()
            .map(|c| {
                let t = c[rest % c.len()];
                rest /= c.len();
                t
            })
            .collect();
        for s in root_results(summation.sum(&terms)) {
            if s.to_bits() != exact_std.to_bits() && !out.iter().any(|o| o.to_bits() == s.to_bits())
            {
                out.push(s);
            }
        }
    }
    out
}

/// `|x| · 2^1074` as an exact integer (every finite f64 is a multiple of 2^-1074): at most
/// 2,098 bits. Every product below stays under 4,210 bits, within a [`Nat`]'s 4,608.
fn scaled(x: f64) -> Nat {
    let (_, mant, shift) = decompose(x);
    Nat::from_u64(mant).shl(shift as u32)
}

/// `|a − b|`, and how `a` compares with `b`.
fn abs_diff(a: &Nat, b: &Nat) -> (Nat, Ordering) {
    let order = a.cmp(b);
    let (mut larger, smaller) = if order == Ordering::Less {
        (*b, a)
    } else {
        (*a, b)
    };
    larger.sub(smaller);
    (larger, order)
}

/// `den · a < num · b` for the slack `num / den` (`a`, `b` magnitudes).
fn within_slack(a: &Nat, b: &Nat) -> bool {
    let (num, den) = POW_SLACK;
    a.mul_small(u64::from(den))
        .cmp(&b.mul_small(u64::from(num)))
        == Ordering::Less
}

/// The other neighbour of a correctly rounded `q` when the exact result is above
/// (`Greater`) or below (`Less`) it; `None` when `q` is exact.
fn neighbour(q: f64, exact_vs_q: Ordering) -> Option<f64> {
    match exact_vs_q {
        Ordering::Equal => None,
        Ordering::Greater => Some(q.next_up()),
        Ordering::Less => Some(q.next_down()),
    }
}

/// What a `pow(s, 2)` within the slack could return: `s·s` correctly rounded, and its
/// other neighbour when `s²` lies within the slack of the midpoint between them.
fn square_results(s: f64) -> Vec<f64> {
    let q = s * s;
    if !q.is_finite() {
        return vec![q];
    }
    // In units of 2^-2148: the exact square and the rounded one (both ≥ 0).
    let root = scaled(s);
    let (r, order) = abs_diff(&root.mul(&root), &scaled(q).shl(1074));
    let Some(other) = neighbour(q, order).filter(|o| o.is_finite()) else {
        return vec![q];
    };
    let gap = abs_diff(&scaled(other), &scaled(q)).0.shl(1074);
    // Distance from the midpoint: |gap/2 − |r||, in units of the gap.
    let off = abs_diff(&gap, &r.shl(1)).0;
    if within_slack(&off, &gap.shl(1)) {
        vec![q, other]
    } else {
        vec![q]
    }
}

/// What a `pow(v, 0.5)` within the slack could return: `sqrt(v)` correctly rounded, and
/// its other neighbour when the exact root lies within the slack of the midpoint.
fn root_results(v: f64) -> Vec<f64> {
    let q = v.sqrt();
    if !q.is_finite() {
        return vec![q];
    }
    // v ≥ 0 here (a negative v has no root). In units of 2^-2148: v and q² (a zero v
    // has the exact root 0: equal, one result).
    let sq = scaled(q);
    let order = scaled(v).shl(1074).cmp(&sq.mul(&sq));
    let Some(other) = neighbour(q, order).filter(|o| o.is_finite()) else {
        return vec![q];
    };
    // The midpoint m = (q + other) / 2 is M · 2^-1075; |√v − m| ≈ |v − m²| / 2m, so in
    // units of the gap G · 2^-1074 the distance is |4v' − M²| / (4 · M · G) with v' in
    // units of 2^-2150 / 4.
    let so = scaled(other);
    let mut m = sq;
    m.add(&so);
    let g = abs_diff(&so, &sq).0;
    let e = abs_diff(&scaled(v).shl(1076), &m.mul(&m)).0;
    if within_slack(&e, &m.mul(&g).mul_small(4)) {
        vec![q, other]
    } else {
        vec![q]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general big-integer computation the fixed-size one replaced, kept as the
    /// reference.
    mod reference {
        use super::POW_SLACK;
        use crate::testing::scaled;
        use num_bigint::{BigInt, BigUint, Sign};

        fn within_slack(a: &BigInt, b: &BigInt) -> bool {
            let (num, den) = POW_SLACK;
            BigUint::from(den) * a.magnitude() < BigUint::from(num) * b.magnitude()
        }

        pub(super) fn square_results(s: f64) -> Vec<f64> {
            let q = s * s;
            if !q.is_finite() {
                return vec![q];
            }
            let exact = scaled(s) * scaled(s);
            let r = exact - (scaled(q) << 1074u32);
            let other = match r.sign() {
                Sign::NoSign => return vec![q],
                Sign::Plus => q.next_up(),
                Sign::Minus => q.next_down(),
            };
            if !other.is_finite() {
                return vec![q];
            }
            let gap = (scaled(other) - scaled(q)).magnitude().clone();
            let gap = BigInt::from_biguint(Sign::Plus, gap) << 1074u32;
            let off = &gap - (BigInt::from_biguint(Sign::Plus, r.magnitude().clone()) << 1u32);
            if within_slack(&off, &(gap << 1u32)) {
                vec![q, other]
            } else {
                vec![q]
            }
        }

        pub(super) fn root_results(v: f64) -> Vec<f64> {
            let q = v.sqrt();
            if !q.is_finite() || q == 0.0 {
                return vec![q];
            }
            let sq = scaled(q);
            let d = (scaled(v) << 1074u32) - &sq * &sq;
            let other = match d.sign() {
                Sign::NoSign => return vec![q],
                Sign::Plus => q.next_up(),
                Sign::Minus => q.next_down(),
            };
            if !other.is_finite() {
                return vec![q];
            }
            let m = sq.clone() + scaled(other);
            let g = BigInt::from_biguint(Sign::Plus, (scaled(other) - &sq).magnitude().clone());
            let e = (scaled(v) << 1076u32) - &m * &m;
            if within_slack(&e, &(BigInt::from(4) * m * g)) {
                vec![q, other]
            } else {
                vec![q]
            }
        }
    }

    /// Same alternatives, bit for bit, as the big-integer reference: over every binade
    /// (subnormals and the largest values included), both signs, and the edges.
    #[test]
    fn pow_alternatives_match_the_big_integer_reference() {
        let bits = |v: Vec<f64>| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let mut values = vec![
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN_POSITIVE.next_down(),
            f64::from_bits(1),
            1.0,
            2.0,
            0.5,
            f64::INFINITY,
            f64::NAN,
            -1.0,
        ];
        values.extend((0..20_000).map(|_| f64::from_bits(next())));
        // Realistic standard deviations and variances (0 to 3), where the pipeline's are.
        values.extend((0..20_000).map(|_| (next() >> 11) as f64 / (1u64 << 53) as f64 * 3.0));
        let (mut pairs_sq, mut pairs_root) = (0, 0);
        for x in values {
            let (ours, theirs) = (square_results(x), reference::square_results(x));
            assert_eq!(bits(ours.clone()), bits(theirs), "square of {x:e}");
            pairs_sq += usize::from(ours.len() == 2);
            let (ours, theirs) = (root_results(x), reference::root_results(x));
            assert_eq!(bits(ours.clone()), bits(theirs), "root of {x:e}");
            pairs_root += usize::from(ours.len() == 2);
        }
        // Both branches are taken many times (about 1 in 32 lies within the slack).
        assert!(
            pairs_sq > 100 && pairs_root > 100,
            "{pairs_sq} {pairs_root}"
        );
    }

    /// The alternatives a misrounding `pow()` could give never include the exact value
    /// itself (the hypothesis is about the other neighbours).
    #[test]
    fn pow_alternatives_leave_out_the_exact_score_std() {
        let sample = include_bytes!("../../../tests/fixtures/p06_sample.json");
        let run = crate::phase::run(sample, &Default::default()).unwrap();
        let exact = aggregate::uncertainty_with(&run.input, &run.config, Summation::Compensated)
            .unwrap()
            .score_std;
        let others = pow_score_stds(&run.input, &run.config, Summation::Compensated);
        assert!(
            others.iter().all(|s| s.to_bits() != exact.to_bits()),
            "{exact} among {others:?}"
        );
    }

    /// glibc's pow() misrounds these (measured with CPython on glibc 2.36): the platform
    /// pow is really called, its constant exponent not folded into `x * x` or `sqrt`.
    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn the_platform_pow_is_glibc_and_not_folded() {
        assert!(platform::available());
        assert_eq!(
            platform::pow(0.1588, 2.0).map(f64::to_bits),
            Some(0.025217439999999997f64.to_bits())
        );
        assert_ne!(0.1588f64 * 0.1588, 0.025217439999999997);
        assert_eq!(
            platform::pow(0.013779, 0.5).map(f64::to_bits),
            Some(0.1173839852790831f64.to_bits())
        );
        assert_ne!(0.013779f64.sqrt(), 0.1173839852790831);
        // Exact results stay exact.
        assert_eq!(platform::pow(0.25, 2.0), Some(0.0625));
        assert_eq!(platform::pow(0.0625, 0.5), Some(0.25));
    }

    #[test]
    fn exact_recomputations_come_before_the_rules() {
        let exact = |c: &Candidate| matches!(c.pow, Pow::Exact | Pow::Platform);
        let first_rule = ORDER.iter().position(|c| !exact(c)).unwrap();
        assert!(ORDER[first_rule..].iter().all(|c| !exact(c)));
        // The published sum() through the platform's pow() before the old sum().
        assert_eq!(
            &ORDER[..3],
            &[
                Candidate {
                    summation: Summation::Compensated,
                    pow: Pow::Exact
                },
                Candidate {
                    summation: Summation::Compensated,
                    pow: Pow::Platform
                },
                Candidate {
                    summation: Summation::Plain,
                    pow: Pow::Exact
                },
            ]
        );
        assert_eq!(Pow::Platform.evidence(), Evidence::Reproduced);
        assert_eq!(Pow::Plausible.evidence(), Evidence::Rule);
    }

    #[test]
    fn squares_near_a_midpoint_get_their_other_neighbour() {
        // On glibc 2.36, 0.1588 ** 2 is 0.025217439999999997 while 0.1588 * 0.1588 is
        // 0.02521744: the exact square lies very near the midpoint of the two.
        let both = square_results(0.1588);
        assert_eq!(
            both.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            [0.02521744f64.to_bits(), 0.025217439999999997f64.to_bits()]
        );
        // Exactly representable squares have one result; most others too.
        assert_eq!(square_results(0.5), [0.25]);
        assert_eq!(square_results(0.0), [0.0]);
        assert_eq!(square_results(0.061), [0.061 * 0.061]);
    }

    #[test]
    fn roots_near_a_midpoint_get_their_other_neighbour() {
        // On glibc 2.36, 0.013779 ** 0.5 is 0.1173839852790831, sqrt gives
        // 0.11738398527908311.
        let both = root_results(0.013779);
        assert_eq!(
            both.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            [
                0.11738398527908311f64.to_bits(),
                0.1173839852790831f64.to_bits()
            ]
        );
        assert_eq!(root_results(0.25), [0.5]);
        assert_eq!(root_results(0.0), [0.0]);
        assert_eq!(root_results(2.0), [2f64.sqrt()]);
    }
}
