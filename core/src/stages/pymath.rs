//! The Python arithmetic the pipeline relies on, reproduced bit for bit (spec §3).
//!
//! Only IEEE-754 exact operations are used (+ − × ÷ and comparisons); the exact rational
//! `mean` and `variance` use big integers and round once. No libm function is called, so
//! native and wasm32 builds produce the same bits.

use num_bigint::{BigInt, BigUint, Sign};
use serde::Serialize;

/// CPython ≥ 3.12 `sum()` over floats: Neumaier-compensated, starting from the integer 0.
///
/// Returns `0.0` for an empty slice, as `sum([])` returns the integer 0.
pub fn psum(xs: &[f64]) -> f64 {
    let Some((&first, rest)) = xs.split_first() else {
        return 0.0;
    };
    // `0 + x`: the integer start turns -0.0 into +0.0.
    let mut f = 0.0 + first;
    let mut c = 0.0;
    for &x in rest {
        let t = f + x;
        if f.abs() >= x.abs() {
            c += (f - t) + x;
        } else {
            c += (x - t) + f;
        }
        f = t;
    }
    if c != 0.0 && c.is_finite() {
        f += c;
    }
    f
}

/// Python ≤ 3.11 `sum()` over floats: plain left-to-right addition, starting from the
/// integer 0 (so −0.0 becomes +0.0). Not the published semantics (spec §3): used only to
/// test whether a claimed output was made under an older Python
/// ([`crate::verify::claim`]). `0.0` for an empty slice.
pub fn plain_sum(xs: &[f64]) -> f64 {
    let Some((&first, rest)) = xs.split_first() else {
        return 0.0;
    };
    rest.iter().fold(0.0 + first, |f, &x| f + x)
}

/// Which Python `sum()` a computation uses: the published one ([`psum`], CPython ≥ 3.12)
/// or the plain one of CPython ≤ 3.11 ([`plain_sum`]), which the claim check recomputes
/// under to attribute differences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Summation {
    /// CPython ≥ 3.12, Neumaier-compensated ([`psum`]): the published semantics.
    #[default]
    Compensated,
    /// CPython ≤ 3.11, plain left to right ([`plain_sum`]).
    Plain,
}

impl Summation {
    /// Sums `xs` this way.
    pub fn sum(self, xs: &[f64]) -> f64 {
        match self {
            Summation::Compensated => psum(xs),
            Summation::Plain => plain_sum(xs),
        }
    }
}

/// Python's `max(a, b)`: the first argument wins among equal values.
pub fn py_max(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Python's `min(a, b)`: the first argument wins among equal values.
pub fn py_min(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// Python's `min(xs)` over a non-empty list; `None` for an empty one.
pub fn py_min_all(xs: &[f64]) -> Option<f64> {
    let (&first, rest) = xs.split_first()?;
    Some(rest.iter().fold(first, |m, &x| py_min(m, x)))
}

/// `statistics.mean(xs)`: the exact rational mean, rounded once. `None` when empty or
/// when an input is not finite.
pub fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() || xs.iter().any(|x| !x.is_finite()) {
        return None;
    }
    // Every finite f64 is an integer multiple of 2^-1074.
    let sum: BigInt = xs.iter().map(|&x| scaled(x)).sum();
    let den = BigUint::from(xs.len()) << 1074u32;
    Some(ratio_to_f64(&sum, &den))
}

/// `statistics.variance(xs)`: the exact sample variance (divisor n − 1), rounded once.
/// `None` for fewer than two values or a non-finite input.
pub fn variance(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 || xs.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let n = BigInt::from(xs.len());
    let ns: Vec<BigInt> = xs.iter().map(|&x| scaled(x)).collect();
    let sx: BigInt = ns.iter().sum();
    let sxx: BigInt = ns.iter().map(|v| v * v).sum();
    // ssd = (n·Σx² − (Σx)²) / n, in units of 2^-2148; variance = ssd / (n − 1).
    let num = &n * sxx - &sx * &sx;
    let den = BigUint::from(xs.len() * (xs.len() - 1)) << 2148u32;
    Some(ratio_to_f64(&num, &den))
}

/// `x · 2^1074` as an exact integer.
fn scaled(x: f64) -> BigInt {
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let exp = ((bits >> 52) & 0x7FF) as u32;
    let frac = bits & ((1u64 << 52) - 1);
    // value = mant · 2^(shift − 1074)
    let (mant, shift) = if exp == 0 {
        (frac, 0)
    } else {
        (frac | (1u64 << 52), exp - 1)
    };
    let magnitude = BigUint::from(mant) << shift;
    BigInt::from_biguint(if negative { Sign::Minus } else { Sign::Plus }, magnitude)
}

/// Rounds `num / den` (den > 0) to the nearest f64, ties to even, as Python's
/// `int / int` and `float(Fraction)` do.
fn ratio_to_f64(num: &BigInt, den: &BigUint) -> f64 {
    let negative = num.sign() == Sign::Minus;
    let p = num.magnitude();
    if p.bits() == 0 {
        return 0.0;
    }
    // Scale so the integer quotient has at least 55 significant bits.
    let k = p.bits() as i64 - den.bits() as i64;
    let s = 55 - k;
    let (q, r) = if s >= 0 {
        let shifted = p << (s as u64);
        (&shifted / den, &shifted % den)
    } else {
        let d = den << ((-s) as u64);
        (p / &d, p % &d)
    };
    let sticky = r.bits() != 0;
    // value = q · 2^-s; drop enough low bits to leave 53 (fewer for subnormals).
    let qbits = q.bits() as i64;
    let drop = (qbits - 53).max(s - 1074);
    let mant_big = &q >> (drop as u64);
    let rem_mask = (BigUint::from(1u8) << (drop as u64)) - 1u8;
    let rem = &q & &rem_mask;
    let half = BigUint::from(1u8) << ((drop - 1) as u64);
    let mut mant: u64 = mant_big.iter_u64_digits().next().unwrap_or(0);
    let round_up = rem > half || (rem == half && (sticky || mant & 1 == 1));
    if round_up {
        mant += 1;
    }
    let exp = drop - s;
    let magnitude = ldexp_exact(mant, exp);
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// `m · 2^e` for a value known to be representable (or to overflow to infinity).
fn ldexp_exact(m: u64, e: i64) -> f64 {
    // m < 2^54, so `m as f64` is exact.
    let x = m as f64;
    if e >= -1022 {
        if e > 1023 {
            return x * pow2(1023) * pow2(e - 1023);
        }
        x * pow2(e)
    } else {
        // First step stays in the normal range and is exact; the second lands on the
        // (representable) result, so it is exact too.
        x * pow2(e + 200) * pow2(-200)
    }
}

/// 2^e for -1022 ≤ e ≤ 1023, built from bits.
fn pow2(e: i64) -> f64 {
    let e = e.clamp(-1022, 1023);
    f64::from_bits(((e + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psum_matches_cpython_312() {
        // Values printed by CPython 3.12.
        assert_eq!(psum(&[0.1, 0.2, 0.3]).to_bits(), 0.6f64.to_bits());
        assert_eq!(psum(&[1e100, 1.0, -1e100, 1.0]).to_bits(), 2.0f64.to_bits());
        assert_eq!(psum(&[-0.0, -0.0]).to_bits(), 0.0f64.to_bits());
        assert_eq!(psum(&[]).to_bits(), 0.0f64.to_bits());
        // The naive left-to-right sum differs here.
        assert_ne!(
            ((0.1f64 + 0.2) + 0.3).to_bits(),
            psum(&[0.1, 0.2, 0.3]).to_bits()
        );
    }

    #[test]
    fn plain_sum_matches_cpython_311() {
        // Values printed by CPython 3.11.7: sum([0.1, 0.2, 0.3]) == 0.6000000000000001.
        assert_eq!(
            plain_sum(&[0.1, 0.2, 0.3]).to_bits(),
            0.6000000000000001f64.to_bits()
        );
        assert_eq!(
            plain_sum(&[1e100, 1.0, -1e100, 1.0]).to_bits(),
            1.0f64.to_bits()
        );
        assert_eq!(plain_sum(&[-0.0, -0.0]).to_bits(), 0.0f64.to_bits());
        assert_eq!(plain_sum(&[]).to_bits(), 0.0f64.to_bits());
        assert_eq!(
            Summation::Plain.sum(&[0.1, 0.2, 0.3]),
            plain_sum(&[0.1, 0.2, 0.3])
        );
        assert_eq!(Summation::Compensated.sum(&[0.1, 0.2, 0.3]), 0.6);
    }

    #[test]
    fn python_min_max_keep_the_first_of_equals() {
        assert_eq!(py_max(0.0, -0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(py_max(-0.0, 0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(py_min(-0.0, 0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(py_min(0.0, -0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(
            py_min_all(&[0.5, -0.0, 0.0]).map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
    }

    #[test]
    fn exact_mean_and_variance_match_python_statistics() {
        // statistics.mean([0.1, 0.2, 0.4]) == 0.23333333333333334
        assert_eq!(mean(&[0.1, 0.2, 0.4]), Some(0.23333333333333334));
        // statistics.variance([1.0, 2.0, 3.0, 4.0]) == 1.6666666666666667
        assert_eq!(variance(&[1.0, 2.0, 3.0, 4.0]), Some(1.6666666666666667));
        // statistics.variance([0.1, 0.2, 0.3, 0.4]) == 0.016666666666666666
        assert_eq!(variance(&[0.1, 0.2, 0.3, 0.4]), Some(0.016666666666666666));
        assert_eq!(variance(&[2.0, 2.0, 2.0, 2.0]).map(f64::to_bits), Some(0));
        assert_eq!(mean(&[5e-324, 5e-324]), Some(5e-324));
        assert_eq!(mean(&[5e-324, 0.0]), Some(0.0)); // tie to even
        assert_eq!(mean(&[1e308, 1e308]), Some(1e308));
        assert_eq!(mean(&[-1.0, -2.0]), Some(-1.5));
        assert_eq!(mean(&[]), None);
        assert_eq!(variance(&[1.0]), None);
    }

    #[test]
    fn ratio_rounding_ties_to_even() {
        // 2^53 + 1 is halfway between 2^53 and 2^53 + 2: ties to the even 2^53.
        let num = BigInt::from((1u64 << 53) + 1);
        assert_eq!(ratio_to_f64(&num, &BigUint::from(1u8)), 9007199254740992.0);
        let num = BigInt::from((1u64 << 53) + 3);
        assert_eq!(ratio_to_f64(&num, &BigUint::from(1u8)), 9007199254740996.0);
        assert_eq!(
            ratio_to_f64(&BigInt::from(1), &BigUint::from(3u8)),
            1.0 / 3.0
        );
        assert_eq!(
            ratio_to_f64(&BigInt::from(2), &BigUint::from(3u8)),
            2.0 / 3.0
        );
    }
}
