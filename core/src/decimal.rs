//! Decimal text of `f64`, byte for byte what Rust's `{}`, `{:?}` and `{:.N}` write, from
//! the one shortest-digits formatter the crate already has (serde_json's, which RFC 8785
//! and every JSON file use).
//!
//! Why not `format!`: Rust's float formatting brings its own Grisu and Dragon4
//! implementations (about 18 KB of wasm code), a second copy of what serde_json's
//! formatter does. Every float the core and the dashboard turn into text goes through
//! here instead, so that only one formatter is in their wasm (issue 9, "Sizes"). The
//! tests compare each function with `format!` on every binade, subnormals, exact ties
//! and random bit patterns.

use std::io;

/// The shortest decimal digits that read back to a finite, non-zero `f64` (as
/// serde_json, Ryū and Rust's `{}` find them): `|x| = 0.DIGITS × 10^point`, without
/// leading or trailing zeros.
#[derive(Debug, Clone, Copy)]
pub struct Digits {
    buf: [u8; 24],
    len: usize,
    /// The position of the decimal point: `|x| = 0.DIGITS × 10^point`.
    pub point: i32,
}

impl Digits {
    /// The digits of `|x|`; `None` for zero, NaN and the infinities.
    pub fn of(x: f64) -> Option<Digits> {
        if !x.is_finite() || x == 0.0 {
            return None;
        }
        let mut raw = [0u8; 40];
        Some(Digits::of_text(shortest_text(x.abs(), &mut raw)))
    }

    /// The digits of [`shortest_text`]'s text of a finite, non-zero magnitude (for a
    /// caller that already has the text).
    pub(crate) fn of_text(text: &[u8]) -> Digits {
        // The formatter writes `ddd.ddd` or `d.ddde-7` / `d.ddde16`.
        let (mantissa, exp) = match text.iter().position(|&b| b == b'e') {
            Some(i) => (&text[..i], parse_exponent(&text[i + 1..])),
            None => (text, 0),
        };
        let int_len = mantissa
            .iter()
            .position(|&b| b == b'.')
            .unwrap_or(mantissa.len());
        let mut d = Digits {
            buf: [0; 24],
            len: 0,
            point: int_len as i32 + exp,
        };
        for &b in mantissa.iter().filter(|b| b.is_ascii_digit()) {
            if d.len == 0 && b == b'0' {
                d.point -= 1;
                continue;
            }
            // At most 17 digits: the buffer always has room.
            if let Some(slot) = d.buf.get_mut(d.len) {
                *slot = b;
                d.len += 1;
            }
        }
        while d.digits().last() == Some(&b'0') {
            d.len -= 1;
        }
        d
    }

    /// The digits, ASCII, the first one non-zero.
    pub fn digits(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The digits Rust's `{}` and `{:?}` write: [`Digits::of`], except where `x` lies
    /// exactly halfway between two shortest candidates. There serde_json (like ECMAScript)
    /// takes the even one and Rust the upper one: 2^-25 is 2.98023223876953125e-8, which
    /// serde_json writes as `2.9802322387695312e-8` and Rust as `…313`.
    fn rust(x: f64) -> Option<Digits> {
        let mut d = Digits::of(x)?;
        if d.is_tie_above(x) {
            // The last digit is even, so adding one carries nowhere.
            d.buf[d.len - 1] += 1;
        }
        Some(d)
    }

    /// Whether `|x|` is exactly half a unit of the last digit above the digits.
    fn is_tie_above(&self, x: f64) -> bool {
        let Some(d) = self.digits().iter().try_fold(0u64, |n, &b| {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        }) else {
            return false;
        };
        // |x| = m × 2^e and the tie is (2d + 1) / 2 × 10^(point - len):
        // m × 2^(e+1) × 10^s == 2d + 1, with s = len - point.
        let (m, e) = binary(x);
        // A tie has len + 1 <= 18 significant digits, m / 2^-e (m odd) has as many as
        // m × 5^-e, and 5^26 > 10^18: most numbers are ruled out without arithmetic.
        let (m, e) = (m >> m.trailing_zeros(), e + m.trailing_zeros() as i32);
        if !(-26..0).contains(&e) {
            return false;
        }
        let s = self.len as i32 - self.point;
        let (mut lhs, mut rhs) = (Big::from(m), Big::from(2 * d + 1));
        for _ in 0..s.max(0) {
            lhs.mul_small(10);
        }
        for _ in 0..(-s).max(0) {
            rhs.mul_small(10);
        }
        // e <= -1 here, so the power of two is on the right: 2^-(e+1).
        rhs.shl((-(e + 1)) as usize);
        lhs.trim();
        rhs.trim();
        lhs.0 == rhs.0
    }
}

/// `|x| = m × 2^e` exactly, for a finite `x`.
fn binary(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction + (1 << 52), exponent - 1075)
    }
}

/// serde_json's text of a finite `x` (the shortest digits: `0.1`, `100.0`, `1e-7`,
/// `1.5e300`) in `buf`; the one place the crate calls its float formatter.
pub(crate) fn shortest_text(x: f64, buf: &mut [u8; 40]) -> &[u8] {
    let mut cursor = io::Cursor::new(&mut buf[..]);
    // At most 25 bytes into 40: the write cannot fail.
    let _ = serde_json::ser::Formatter::write_f64(
        &mut serde_json::ser::CompactFormatter,
        &mut cursor,
        x,
    );
    let n = cursor.position() as usize;
    &buf[..n]
}

fn parse_exponent(text: &[u8]) -> i32 {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let n = digits
        .iter()
        .fold(0i32, |n, &b| n * 10 + i32::from(b - b'0'));
    if negative {
        -n
    } else {
        n
    }
}

/// What `format!("{x}")` writes: the shortest digits that read back to `x`, as a plain
/// decimal (`0.1`, `3`, `100000000000000000000`, `0.000001`, `-0`, `NaN`, `inf`).
pub fn display(x: f64) -> String {
    let mut out = String::new();
    plain(x, 0, &mut out);
    out
}

/// What `format!("{x:?}")` writes: a plain decimal with at least one fractional digit
/// (`1.0`, `0.1`) for `1e-4 <= |x| < 1e16` and zero, otherwise the shortest digits with
/// an exponent (`1e16`, `1.5e-7`).
pub fn debug(x: f64) -> String {
    let mut out = String::new();
    let abs = x.abs();
    if !x.is_finite() || abs == 0.0 || (1e-4..1e16).contains(&abs) {
        plain(x, 1, &mut out);
        return out;
    }
    let Some(d) = Digits::rust(x) else {
        return out;
    };
    if x.is_sign_negative() {
        out.push('-');
    }
    let digits = d.digits();
    out.push(char::from(digits[0]));
    if digits.len() > 1 {
        out.push('.');
        push_ascii(&mut out, &digits[1..]);
    }
    out.push('e');
    out.push_str(&(d.point - 1).to_string());
    out
}

/// `x` as a plain decimal with at least `min_fraction` (0 or 1) fractional digits.
fn plain(x: f64, min_fraction: usize, out: &mut String) {
    if let Some(special) = special(x) {
        out.push_str(special);
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    let Some(d) = Digits::rust(x) else {
        // ±0.
        out.push('0');
        if min_fraction > 0 {
            out.push_str(".0");
        }
        return;
    };
    let digits = d.digits();
    let len = digits.len() as i32;
    if d.point <= 0 {
        out.push_str("0.");
        zeros(out, (-d.point) as usize);
        push_ascii(out, digits);
    } else if d.point >= len {
        push_ascii(out, digits);
        zeros(out, (d.point - len) as usize);
        if min_fraction > 0 {
            out.push_str(".0");
        }
    } else {
        let (int, frac) = digits.split_at(d.point as usize);
        push_ascii(out, int);
        out.push('.');
        push_ascii(out, frac);
    }
}

/// What `format!("{x:.decimals$}")` writes: `x` rounded to `decimals` fractional digits,
/// exactly (from the binary value, ties to even), with a `-` for a negative `x` even where
/// the rounded digits are all zero (`-0.0`).
pub fn fixed(x: f64, decimals: usize) -> String {
    if let Some(special) = special(x) {
        return special.to_string();
    }
    let (m, e) = binary(x);
    // n = round(|x| × 10^decimals), exactly: (m × 10^decimals × 2^e).
    let mut n = Big::from(m);
    for _ in 0..decimals {
        n.mul_small(10);
    }
    if e >= 0 {
        n.shl(e as usize);
    } else {
        n.shr_round_half_even(e.unsigned_abs() as usize);
    }
    let digits = n.to_decimal();
    let mut out = String::with_capacity(digits.len() + decimals + 3);
    if x.is_sign_negative() {
        out.push('-');
    }
    if digits.len() > decimals {
        let (int, frac) = digits.split_at(digits.len() - decimals);
        out.push_str(int);
        if decimals > 0 {
            out.push('.');
            out.push_str(frac);
        }
    } else {
        // Fewer digits than decimals (never zero digits: "0" is one).
        out.push_str("0.");
        zeros(&mut out, decimals - digits.len());
        out.push_str(&digits);
    }
    out
}

fn special(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("NaN")
    } else if x == f64::INFINITY {
        Some("inf")
    } else if x == f64::NEG_INFINITY {
        Some("-inf")
    } else {
        None
    }
}

fn push_ascii(out: &mut String, digits: &[u8]) {
    out.extend(digits.iter().map(|&b| char::from(b)));
}

fn zeros(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n('0', n));
}

/// A natural number in base 2^32, least significant limb first: just enough arithmetic
/// for [`fixed`] (multiply by 10, shift, round, print).
struct Big(Vec<u32>);

impl Big {
    fn from(n: u64) -> Big {
        Big(vec![n as u32, (n >> 32) as u32])
    }

    fn mul_small(&mut self, k: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(k) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        // A zero top limb is harmless (the value is the same): pushed always.
        self.0.push(carry as u32);
    }

    fn shl(&mut self, bits: usize) {
        let (limbs, bits) = (bits / 32, bits % 32);
        let mut carry = 0u32;
        for limb in &mut self.0 {
            // The two parts share no bit.
            let v = (u64::from(*limb) << bits) + u64::from(carry);
            *limb = v as u32;
            carry = (v >> 32) as u32;
        }
        self.0.push(carry);
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn bit(&self, i: usize) -> bool {
        self.0
            .get(i / 32)
            .is_some_and(|limb| limb >> (i % 32) & 1 == 1)
    }

    fn any_below(&self, i: usize) -> bool {
        let (limbs, bits) = (i / 32, i % 32);
        // At bits = 0 the mask is 0.
        self.0.iter().take(limbs).any(|&l| l != 0)
            || self
                .0
                .get(limbs)
                .is_some_and(|&l| l & ((1 << bits) - 1) != 0)
    }

    /// `self / 2^bits`, rounded to nearest, ties to even.
    fn shr_round_half_even(&mut self, bits: usize) {
        let half = bits.checked_sub(1).is_some_and(|b| self.bit(b));
        let sticky = bits.checked_sub(1).is_some_and(|b| self.any_below(b));
        let (limbs, rest) = (bits / 32, bits % 32);
        let mut q: Vec<u32> = self.0.iter().skip(limbs).copied().collect();
        if rest > 0 {
            for i in 0..q.len() {
                let hi = q.get(i + 1).copied().unwrap_or(0);
                // The two parts share no bit.
                q[i] = (q[i] >> rest) + (hi << (32 - rest));
            }
        }
        self.0 = q;
        let odd = self.bit(0);
        if half && (sticky || odd) {
            self.add_one();
        }
    }

    fn add_one(&mut self) {
        for limb in &mut self.0 {
            let (v, carry) = limb.overflowing_add(1);
            *limb = v;
            if !carry {
                return;
            }
        }
        self.0.push(1);
    }

    /// The decimal digits, without leading zeros ("0" for zero).
    fn to_decimal(&self) -> String {
        let mut limbs = self.0.clone();
        // Base 10^9 chunks, least significant first.
        let mut chunks = Vec::new();
        while limbs.iter().any(|&l| l != 0) {
            let mut rem = 0u64;
            for limb in limbs.iter_mut().rev() {
                let v = (rem << 32) + u64::from(*limb);
                *limb = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            chunks.push(rem as u32);
        }
        let mut out = String::new();
        match chunks.split_last() {
            None => out.push('0'),
            Some((top, rest)) => {
                out.push_str(&top.to_string());
                for chunk in rest.iter().rev() {
                    let text = chunk.to_string();
                    zeros(&mut out, 9 - text.len());
                    out.push_str(&text);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    /// Every binade's edges, subnormals, powers of ten and exact ties at each decimal place.
    fn edge_values() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            f64::from_bits(1),
            f64::from_bits(0x000f_ffff_ffff_ffff),
            1e-4,
            1e-5,
            9.999e-5,
            1e16,
            9.999999999999998e15,
            1e21,
            1e23,
            1e22,
            0.1,
            0.2,
            0.3,
            2.0 / 3.0,
            100.0,
            123456.789,
        ];
        for e in -1074..=1023 {
            let p = 2f64.powi(e);
            v.extend([
                p,
                -p,
                p * 1.5,
                f64::from_bits(p.to_bits().saturating_sub(1)),
            ]);
        }
        for e in -30..=30 {
            let p = 10f64.powi(e);
            v.extend([p, -p, p * 5.0, p * 2.5, p * 0.125]);
        }
        for k in 0..200 {
            // Ties at one, two and three decimals: k + 0.5, k/100 + 0.005 (inexact), ….
            let k = f64::from(k);
            v.extend([
                k + 0.5,
                k + 0.25,
                k + 0.125,
                k + 0.0625,
                k / 8.0,
                -(k + 0.5),
            ]);
        }
        v
    }

    fn random_values(n: usize) -> Vec<f64> {
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        let mut v = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let bits = next();
            v.push(f64::from_bits(bits));
            // Numbers of ordinary size: a random mantissa in [1e-6, 1e6].
            let scale = 10f64.powi((bits % 13) as i32 - 6);
            v.push((bits >> 11) as f64 / (1u64 << 53) as f64 * scale);
        }
        v.retain(|x| !x.is_nan());
        v
    }

    #[test]
    fn display_and_debug_are_what_format_writes() {
        for x in edge_values().into_iter().chain(random_values(200_000)) {
            assert_eq!(display(x), format!("{x}"), "{:#018x}", x.to_bits());
            assert_eq!(debug(x), format!("{x:?}"), "{:#018x}", x.to_bits());
        }
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(display(x), format!("{x}"));
            assert_eq!(debug(x), format!("{x:?}"));
        }
    }

    #[test]
    fn fixed_is_what_format_writes() {
        for x in edge_values().into_iter().chain(random_values(20_000)) {
            for d in [0, 1, 2, 3, 6] {
                assert_eq!(
                    fixed(x, d),
                    format!("{x:.d$}"),
                    "{:#018x} .{d}",
                    x.to_bits()
                );
            }
        }
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(fixed(x, 2), format!("{x:.2}"));
        }
    }

    #[test]
    fn fixed_rounds_ties_to_even_from_the_binary_value() {
        assert_eq!(fixed(0.5, 0), "0");
        assert_eq!(fixed(1.5, 0), "2");
        assert_eq!(fixed(2.5, 0), "2");
        assert_eq!(fixed(0.125, 2), "0.12");
        assert_eq!(fixed(0.375, 2), "0.38");
        // 0.05 is a little above 1/20 in binary: rounds up, not to even.
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(-0.01, 1), "-0.0");
        assert_eq!(fixed(1e23, 0), "99999999999999991611392");
    }
}
