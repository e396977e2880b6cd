//! The Python arithmetic the pipeline relies on, reproduced bit for bit (spec §3).
//!
//! Only IEEE-754 exact operations are used (+ − × ÷ and comparisons); the exact rational
//! `mean` and `variance` use exact integers and round once. No libm function is called, so
//! native and wasm32 builds produce the same bits.
//!
//! The exact arithmetic is a small fixed-size natural number (`Nat`, 4,608 bits on the
//! stack) rather than a big-integer crate: the values are f64s, so every operand is
//! bounded (a scaled f64 has at most 2,098 bits, a square 4,196), and factoring out the
//! smallest binary exponent of the inputs keeps the usual operands one or two words
//! long. It is tested against the general big-integer computation on many inputs.

use std::cmp::Ordering;

use serde::Serialize;

/// CPython ≥ 3.12 `sum()` over floats: Neumaier-compensated, starting from the integer 0.
///
/// Returns `0.0` for an empty slice, as `sum([])` returns the integer 0.
pub fn psum(xs: &[f64]) -> f64 {
    Neumaier::over(xs.iter().copied())
}

/// [`psum`] one term at a time (the Monte Carlo's running sums use it): the same
/// operations in the same order, so adding `xs` in turn gives `psum(xs)` bit for bit.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Neumaier {
    f: f64,
    c: f64,
    started: bool,
}

impl Neumaier {
    /// Adds `x`.
    pub(crate) fn add(&mut self, x: f64) {
        if !self.started {
            // `0 + x`: the integer start turns -0.0 into +0.0.
            self.f = 0.0 + x;
            self.started = true;
            return;
        }
        let t = self.f + x;
        if self.f.abs() >= x.abs() {
            self.c += (self.f - t) + x;
        } else {
            self.c += (x - t) + self.f;
        }
        self.f = t;
    }

    /// The sum so far (`0.0` before any term).
    pub(crate) fn sum(&self) -> f64 {
        if self.c != 0.0 && self.c.is_finite() {
            self.f + self.c
        } else {
            self.f
        }
    }

    /// The sum of `xs`.
    pub(crate) fn over(xs: impl Iterator<Item = f64>) -> f64 {
        let mut acc = Neumaier::default();
        xs.for_each(|x| acc.add(x));
        acc.sum()
    }
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

/// `statistics.mean(xs)`: the exact rational mean, rounded once. `None` when empty, when
/// an input is not finite, or for 2^32 values or more (beyond the fixed-size arithmetic).
pub fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() || xs.len() as u64 >= 1 << 32 || xs.iter().any(|x| !x.is_finite()) {
        return None;
    }
    // x_i = r_i · 2^(e_min − 1074), r_i integers: mean = Σr / (n · 2^(1074 − e_min)).
    let (terms, e_min) = reduced(xs);
    let mut sum = Int::zero();
    for t in &terms {
        sum.add(t);
    }
    Some(ratio_to_f64(&sum, xs.len() as u64, 1074 - e_min))
}

/// `statistics.variance(xs)`: the exact sample variance (divisor n − 1), rounded once.
/// `None` for fewer than two values, a non-finite input, or 2^32 values or more.
pub fn variance(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 || xs.len() as u64 >= 1 << 32 || xs.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let n = xs.len() as u64;
    let (terms, e_min) = reduced(xs);
    let mut sx = Int::zero();
    let mut sxx = Nat::zero();
    for t in &terms {
        sx.add(t);
        sxx.add(&t.mag.mul(&t.mag));
    }
    // ssd = (n·Σr² − (Σr)²) / n in units of 2^(2·e_min − 2148); variance = ssd / (n − 1).
    let mut num = Int {
        neg: false,
        mag: sxx.mul_small(n),
    };
    let square = sx.mag.mul(&sx.mag);
    num.add(&Int {
        neg: !square.is_zero(),
        mag: square,
    });
    Some(ratio_to_f64(&num, n * (n - 1), 2148 - 2 * e_min))
}

/// Each finite `x` as `±r · 2^(e_min − 1074)` with `r` an integer, `e_min` the smallest
/// binary exponent (in units of 2^-1074) among the inputs.
fn reduced(xs: &[f64]) -> (Vec<Int>, i64) {
    let parts: Vec<(bool, u64, i64)> = xs.iter().map(|&x| decompose(x)).collect();
    let e_min = parts
        .iter()
        .filter(|(_, m, _)| *m != 0)
        .map(|(_, _, e)| *e)
        .min()
        .unwrap_or(0);
    let terms = parts
        .into_iter()
        .map(|(neg, m, e)| Int {
            neg,
            mag: Nat::from_u64(m).shl(if m == 0 { 0 } else { (e - e_min) as u32 }),
        })
        .collect();
    (terms, e_min)
}

/// `x = ±mant · 2^(shift − 1074)` with `shift ≥ 0`.
pub(crate) fn decompose(x: f64) -> (bool, u64, i64) {
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let exp = ((bits >> 52) & 0x7FF) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        (negative, frac, 0)
    } else {
        (negative, frac | (1u64 << 52), exp - 1)
    }
}

/// Words of a [`Nat`]: 4,608 bits, enough for n·Σx² of f64 inputs (≤ 4,260 bits for
/// n < 2^32) shifted by the 128 guard bits of [`ratio_to_f64`].
const WORDS: usize = 72;

/// A natural number of at most [`WORDS`] 64-bit words, least significant first; `len` is
/// the number of words in use (no leading zero word).
#[derive(Clone, Copy)]
pub(crate) struct Nat {
    w: [u64; WORDS],
    len: usize,
}

impl Nat {
    fn zero() -> Nat {
        Nat {
            w: [0; WORDS],
            len: 0,
        }
    }

    pub(crate) fn from_u64(v: u64) -> Nat {
        let mut n = Nat::zero();
        n.w[0] = v;
        n.len = usize::from(v != 0);
        n
    }

    fn trim(&mut self) {
        while self.len > 0 && self.w[self.len - 1] == 0 {
            self.len -= 1;
        }
    }

    fn is_zero(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn bits(&self) -> u64 {
        match self.len {
            0 => 0,
            n => (n as u64 - 1) * 64 + u64::from(64 - self.w[n - 1].leading_zeros()),
        }
    }

    fn bit(&self, i: u64) -> bool {
        let (word, b) = ((i / 64) as usize, i % 64);
        word < self.len && (self.w[word] >> b) & 1 == 1
    }

    /// True when any bit below `i` is set.
    fn any_below(&self, i: u64) -> bool {
        let (word, b) = ((i / 64) as usize, i % 64);
        if self.w[..word.min(self.len)].iter().any(|&x| x != 0) {
            return true;
        }
        word < self.len && b > 0 && self.w[word] & ((1u64 << b) - 1) != 0
    }

    pub(crate) fn cmp(&self, other: &Nat) -> Ordering {
        self.len.cmp(&other.len).then_with(|| {
            for i in (0..self.len).rev() {
                match self.w[i].cmp(&other.w[i]) {
                    Ordering::Equal => continue,
                    o => return o,
                }
            }
            Ordering::Equal
        })
    }

    pub(crate) fn add(&mut self, other: &Nat) {
        let n = self.len.max(other.len);
        let mut carry = 0u64;
        for i in 0..n {
            let (s1, c1) = self.w[i].overflowing_add(other.w[i]);
            let (s2, c2) = s1.overflowing_add(carry);
            self.w[i] = s2;
            carry = u64::from(c1) + u64::from(c2);
        }
        self.len = n;
        if carry != 0 && n < WORDS {
            self.w[n] = carry;
            self.len = n + 1;
        }
    }

    /// `self − other`, for `self ≥ other`.
    pub(crate) fn sub(&mut self, other: &Nat) {
        let mut borrow = 0u64;
        for i in 0..self.len {
            let (d1, b1) = self.w[i].overflowing_sub(other.w[i]);
            let (d2, b2) = d1.overflowing_sub(borrow);
            self.w[i] = d2;
            borrow = u64::from(b1) + u64::from(b2);
        }
        self.trim();
    }

    pub(crate) fn mul(&self, other: &Nat) -> Nat {
        let mut out = Nat::zero();
        for i in 0..self.len {
            let mut carry = 0u128;
            for j in 0..other.len {
                if i + j >= WORDS {
                    break;
                }
                let t = u128::from(self.w[i]) * u128::from(other.w[j])
                    + u128::from(out.w[i + j])
                    + carry;
                out.w[i + j] = t as u64;
                carry = t >> 64;
            }
            let k = i + other.len;
            if k < WORDS {
                out.w[k] = carry as u64;
            }
        }
        out.len = (self.len + other.len).min(WORDS);
        out.trim();
        out
    }

    pub(crate) fn mul_small(&self, m: u64) -> Nat {
        let mut out = *self;
        out.mul_small_assign(m);
        out
    }

    /// `self + v` in place, as `add(&Nat::from_u64(v))` without its temporary.
    pub(crate) fn add_small_assign(&mut self, v: u64) {
        let mut carry = v;
        for w in &mut self.w[..self.len] {
            if carry == 0 {
                return;
            }
            let (s, c) = w.overflowing_add(carry);
            *w = s;
            carry = u64::from(c);
        }
        if carry != 0 && self.len < WORDS {
            self.w[self.len] = carry;
            self.len += 1;
        }
    }

    /// `self × m` in place, over the words in use only (no temporary of [`WORDS`] words
    /// to zero and copy, as `mul` by a one-word `Nat` has: that was most of the cost of a
    /// number read by `read::number` in wasm). Truncated to [`WORDS`] words as `mul` is:
    /// the callers keep well below that.
    pub(crate) fn mul_small_assign(&mut self, m: u64) {
        let mut carry = 0u64;
        for w in &mut self.w[..self.len] {
            let t = u128::from(*w) * u128::from(m) + u128::from(carry);
            *w = t as u64;
            carry = (t >> 64) as u64;
        }
        if carry != 0 && self.len < WORDS {
            self.w[self.len] = carry;
            self.len += 1;
        }
        self.trim();
    }

    pub(crate) fn shl(&self, s: u32) -> Nat {
        if self.is_zero() {
            return *self;
        }
        let (words, bits) = ((s / 64) as usize, s % 64);
        let mut out = Nat::zero();
        for i in (0..self.len).rev() {
            let v = self.w[i];
            if i + words < WORDS {
                out.w[i + words] |= v << bits;
            }
            if bits > 0 && i + words + 1 < WORDS {
                out.w[i + words + 1] |= v >> (64 - bits);
            }
        }
        out.len = (self.len + words + 1).min(WORDS);
        out.trim();
        out
    }

    /// `(self / m, self % m)` for `m > 0`.
    fn divrem_small(&self, m: u64) -> (Nat, u64) {
        let mut q = Nat::zero();
        let mut r = 0u128;
        for i in (0..self.len).rev() {
            let cur = (r << 64) | u128::from(self.w[i]);
            q.w[i] = (cur / u128::from(m)) as u64;
            r = cur % u128::from(m);
        }
        q.len = self.len;
        q.trim();
        (q, r as u64)
    }

    /// `self >> s` as a u64 (the caller knows it fits).
    fn shr_u64(&self, s: u64) -> u64 {
        let (word, b) = ((s / 64) as usize, s % 64);
        let lo = if word < self.len {
            self.w[word] >> b
        } else {
            0
        };
        let hi = if b > 0 && word + 1 < self.len {
            self.w[word + 1] << (64 - b)
        } else {
            0
        };
        lo | hi
    }
}

/// A signed integer: sign and magnitude.
#[derive(Clone, Copy)]
struct Int {
    neg: bool,
    mag: Nat,
}

impl Int {
    fn zero() -> Int {
        Int {
            neg: false,
            mag: Nat::zero(),
        }
    }

    fn add(&mut self, other: &Int) {
        if self.neg == other.neg {
            self.mag.add(&other.mag);
        } else if self.mag.cmp(&other.mag) != Ordering::Less {
            self.mag.sub(&other.mag);
        } else {
            let mut m = other.mag;
            m.sub(&self.mag);
            self.mag = m;
            self.neg = other.neg;
        }
        if self.mag.is_zero() {
            self.neg = false;
        }
    }
}

/// Rounds `num / (m · 2^k)` (m > 0, any integer k) to the nearest f64, ties to even, as
/// Python's `int / int` and `float(Fraction)` do.
fn ratio_to_f64(num: &Int, m: u64, k: i64) -> f64 {
    if num.mag.is_zero() {
        return 0.0;
    }
    // 128 guard bits: the quotient keeps at least 64 significant bits whatever m is.
    const GUARD: u32 = 128;
    let (q, r) = num.mag.shl(GUARD).divrem_small(m);
    let sticky = r != 0;
    // value = q · 2^-(k + GUARD); keep 53 bits, fewer below the normal range.
    let scale = k + i64::from(GUARD);
    let qbits = q.bits() as i64;
    let drop = (qbits - 53).max(scale - 1074);
    let magnitude = if drop <= 0 {
        // Exact: q fits in 53 bits.
        ldexp_exact(q.shr_u64(0), -scale)
    } else {
        let d = drop as u64;
        let mut mant = q.shr_u64(d);
        let guard = q.bit(d - 1);
        let rest = q.any_below(d - 1) || sticky;
        if guard && (rest || mant & 1 == 1) {
            mant += 1;
        }
        ldexp_exact(mant, drop - scale)
    };
    if num.neg {
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
    fn nat_shifts_right_across_whole_words() {
        // 2^70 + 5: words [5, 64].
        let n = Nat::from_u64(1).shl(70);
        let mut m = n;
        m.add(&Nat::from_u64(5));
        assert_eq!(m.shr_u64(0), 5);
        assert_eq!(m.shr_u64(64), 64);
        assert_eq!(m.shr_u64(7), 1u64 << 63);
        assert_eq!(m.shr_u64(70), 1);
        assert_eq!(m.shr_u64(128), 0);
    }

    #[test]
    fn nat_multiplies_and_adds_a_word_in_place_as_the_general_operations_do() {
        let mut n = Nat::from_u64(0x9e37_79b9_7f4a_7c15);
        for (i, m) in [
            0xffff_ffff_ffff_ffffu64,
            3,
            1 << 63,
            7_450_580_596_923_828_125,
            1,
        ]
        .into_iter()
        .cycle()
        .take(200)
        .enumerate()
        {
            let mut p = n;
            p.mul_small_assign(m);
            let q = n.mul(&Nat::from_u64(m));
            assert_eq!((p.len, &p.w[..]), (q.len, &q.w[..]), "step {i}");
            n = p;
        }
        for v in [0, 1, u64::MAX] {
            for start in [
                Nat::from_u64(0),
                Nat::from_u64(u64::MAX),
                Nat::from_u64(1).shl(640),
            ] {
                let mut p = start;
                p.add_small_assign(v);
                let mut q = start;
                q.add(&Nat::from_u64(v));
                assert_eq!((p.len, &p.w[..]), (q.len, &q.w[..]), "{v}");
            }
        }
        let mut all_ones = Nat::from_u64(u64::MAX).shl(64);
        all_ones.add_small_assign(u64::MAX);
        let mut p = all_ones;
        p.add_small_assign(1);
        assert_eq!((p.len, p.w[2]), (3, 1));
        // Up to WORDS words, truncated past them, and times zero.
        assert_eq!(n.len, WORDS);
        let mut z = n;
        z.mul_small_assign(0);
        assert!(z.is_zero());
    }

    /// The general big-integer computation this module replaced, kept as the reference.
    mod reference {
        use num_bigint::{BigInt, BigUint, Sign};

        /// `statistics.mean(xs)`: the exact rational mean, rounded once. `None` when empty or
        /// when an input is not finite.
        pub(super) fn mean(xs: &[f64]) -> Option<f64> {
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
        pub(super) fn variance(xs: &[f64]) -> Option<f64> {
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

        use crate::testing::scaled;

        /// Rounds `num / den` (den > 0) to the nearest f64, ties to even, as Python's
        /// `int / int` and `float(Fraction)` do.
        pub(super) fn ratio_to_f64(num: &BigInt, den: &BigUint) -> f64 {
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
        pub(super) fn ldexp_exact(m: u64, e: i64) -> f64 {
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
    }

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

    /// CPython 3.12's `sum()` loop over a slice, written out as the reference the
    /// incremental [`Neumaier`] behind [`psum`] is held to.
    fn reference_psum(xs: &[f64]) -> f64 {
        let Some((&first, rest)) = xs.split_first() else {
            return 0.0;
        };
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

    #[test]
    fn the_incremental_sum_is_the_slice_loop() {
        let mut next = crate::testing::xorshift(0x5DEE_CE66_D1CE_4E5B);
        let mut uniform = move || (next() >> 11) as f64 / (1u64 << 53) as f64;
        for len in 0..50 {
            let xs: Vec<f64> = (0..len)
                .map(|_| (uniform() - 0.5) * 10f64.powi((uniform() * 30.0) as i32 - 15))
                .collect();
            assert_eq!(psum(&xs).to_bits(), reference_psum(&xs).to_bits());
        }
        assert_eq!(Neumaier::over([-0.0, -0.0].into_iter()).to_bits(), 0);
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

    fn int(v: i64) -> Int {
        Int {
            neg: v < 0,
            mag: Nat::from_u64(v.unsigned_abs()),
        }
    }

    #[test]
    fn ratio_rounding_ties_to_even() {
        // 2^53 + 1 is halfway between 2^53 and 2^53 + 2: ties to the even 2^53.
        assert_eq!(ratio_to_f64(&int((1 << 53) + 1), 1, 0), 9007199254740992.0);
        assert_eq!(ratio_to_f64(&int((1 << 53) + 3), 1, 0), 9007199254740996.0);
        assert_eq!(ratio_to_f64(&int(1), 3, 0), 1.0 / 3.0);
        assert_eq!(ratio_to_f64(&int(2), 3, 0), 2.0 / 3.0);
        assert_eq!(ratio_to_f64(&int(-2), 3, 0), -2.0 / 3.0);
        assert_eq!(ratio_to_f64(&int(3), 1, -4), 48.0);
        assert_eq!(ratio_to_f64(&int(1), 1, 1074), 5e-324);
        assert_eq!(ratio_to_f64(&int(1), 1, 1075), 0.0); // tie to even (zero)
        assert_eq!(ratio_to_f64(&int(3), 1, 1075), 1e-323); // 1.5 ulp: up to 2
    }

    /// xorshift64*: a fixed seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        /// Finite values of every kind: random bits, scores in [0, 3], subnormals,
        /// huge values, zeros of both signs.
        fn value(&mut self) -> f64 {
            match self.next() % 8 {
                0 | 1 => {
                    let x = f64::from_bits(self.next());
                    if x.is_finite() {
                        x
                    } else {
                        1.5
                    }
                }
                2..=4 => (self.next() % 3_000_000) as f64 / 1_000_000.0,
                5 => f64::from_bits(self.next() % (1 << 52)),
                6 => f64::MAX / (1 + self.next() % 4) as f64,
                _ => {
                    if self.next().is_multiple_of(2) {
                        0.0
                    } else {
                        -0.0
                    }
                }
            }
        }
    }

    #[test]
    fn same_bits_as_the_big_integer_reference() {
        let mut rng = Rng(0x5EED_CAFE_F00D_D00D);
        for round in 0..60_000 {
            let n = 1 + (rng.next() % 7) as usize;
            let xs: Vec<f64> = (0..n).map(|_| rng.value()).collect();
            assert_eq!(
                mean(&xs).map(f64::to_bits),
                reference::mean(&xs).map(f64::to_bits),
                "mean {xs:?} (round {round})"
            );
            assert_eq!(
                variance(&xs).map(f64::to_bits),
                reference::variance(&xs).map(f64::to_bits),
                "variance {xs:?} (round {round})"
            );
        }
        // The public vectors' own inputs: every similarity list and score list.
        let vectors = include_str!("../../../tests/fixtures/phase7_public.jsonl");
        for line in vectors.lines() {
            let case = crate::read::json::parse(line.as_bytes()).unwrap().value;
            let input = crate::read::bridge::validate(case.get("phase6").unwrap().clone()).unwrap();
            let s: Vec<f64> = input.clusters().iter().map(|c| c.score).collect();
            let mut sims = Vec::new();
            for i in 0..s.len() {
                for j in i + 1..s.len() {
                    sims.push(1.0 - (s[i] - s[j]).abs() / 3.0);
                }
            }
            assert_eq!(mean(&sims), reference::mean(&sims));
            assert_eq!(
                variance(&s).map(f64::to_bits),
                reference::variance(&s).map(f64::to_bits)
            );
        }
    }
}
