//! A JSON number token to the nearest `f64` (ties to even), as `str::parse::<f64>` reads
//! it, bit for bit, without the cost of its slow path.
//!
//! Why: `str::parse` is correctly rounded, but a token of more than 19 significant digits
//! whose first 19 leave the rounding open (it lies close to the halfway point between two
//! doubles) goes through core's "simple decimal conversion", which shifts a decimal of up
//! to 768 digits about 60 bits at a time across the whole binary exponent: about 8 µs for
//! a 26-byte token near 1e300 or 1e-308. A 15 MB file of such numbers (an envelope key
//! holding them, all accepted) took 4.5 s to read, and `batch` and `verify` read it twice.
//!
//! Here the first 19 digits give the two candidates (each a fast parse of 19 digits); when
//! they differ, which one is nearest is decided exactly by comparing the token's digits
//! (at most its first 800: the halfway point between two doubles has at most 767
//! significant digits, so the rest only say whether the token is above it) with that
//! halfway point, in integers of at most a few thousand bits (the core's own fixed-size
//! `Nat`, which the exact statistics use): about a microsecond.
//!
//! Natively, in the dashboard and in the npm package (which left it out until the
//! standard library's Unicode tables left it, `crate::quote`: it costs about 1 KB gzip).

/// The nearest `f64` to `token`, a JSON number token (`-?int(.frac)?([eE][+-]?exp)?`,
/// checked by the caller); `None` when it is not one.
pub(crate) fn parse(token: &str) -> Option<f64> {
    if let Some(x) = fast::long(token) {
        return Some(x);
    }
    token.parse().ok()
}

/// The fast reading of long tokens (module docs).
mod fast {
    use crate::stages::pymath::{decompose, Nat};

    /// Significant digits the first estimate takes (as many as fit a `u64` in every case).
    const ESTIMATE_DIGITS: usize = 19;

    /// Significant digits of the token compared exactly; the rest only count as "not all
    /// zero" (more than the 767 of any halfway point between two doubles, with margin).
    const COMPARED_DIGITS: usize = 800;

    /// The parse of a token of more than [`ESTIMATE_DIGITS`] significant digits; `None` for
    /// a shorter one (which `str::parse` reads fast) or anything unexpected (left to it too).
    pub(super) fn long(token: &str) -> Option<f64> {
        let t = token.as_bytes();
        // Most tokens are too short to hold 20 digits: nothing more to look at.
        if t.len() <= ESTIMATE_DIGITS {
            return None;
        }
        let negative = t.first() == Some(&b'-');
        // One pass, nothing copied: where the significant digits start (leading zeros
        // skipped), how many there are, how many digits follow the point, and where the
        // exponent starts.
        let (mut lead, mut count, mut frac_len, mut point) = (None, 0usize, 0usize, false);
        let mut i = usize::from(negative);
        while let Some(&c) = t.get(i) {
            match c {
                b'0'..=b'9' => {
                    frac_len += usize::from(point);
                    if count > 0 || c != b'0' {
                        lead.get_or_insert(i);
                        count += 1;
                    }
                }
                b'.' => point = true,
                b'e' | b'E' => break,
                _ => return None,
            }
            i += 1;
        }
        if count <= ESTIMATE_DIGITS {
            return None;
        }
        // The significant digits, in order (the point left out).
        let digits = t[lead?..i].iter().copied().filter(|&c| c != b'.');
        let kept = count.min(COMPARED_DIGITS);
        let tail_nonzero = digits.clone().skip(kept).any(|c| c != b'0');
        // value = digits × 10^(exp − frac_len); exponents saturate far beyond any double.
        let mut exp: i64 = 0;
        let mut sign = 1;
        for &c in t.get(i + 1..).unwrap_or_default() {
            match c {
                b'-' => sign = -1,
                b'+' => {}
                b'0'..=b'9' => exp = (exp * 10 + i64::from(c - b'0')).min(1 << 40),
                _ => return None,
            }
        }
        let last = sign * exp - frac_len as i64; // the exponent of the last digit
        let w = digits
            .clone()
            .take(ESTIMATE_DIGITS)
            .fold(0u64, |w, d| w * 10 + u64::from(d - b'0'));
        let w_exp = last + (count - ESTIMATE_DIGITS) as i64;
        // The value lies in [w, w + 1) × 10^w_exp, so its rounding lies in [a, b].
        let a = estimate(w, w_exp)?;
        let b = if w + 1 == 10u64.pow(ESTIMATE_DIGITS as u32) {
            estimate(10u64.pow(ESTIMATE_DIGITS as u32 - 1), w_exp + 1)?
        } else {
            estimate(w + 1, w_exp)?
        };
        let magnitude = if a == b {
            a
        } else {
            // [w, w + 1) spans less than one double: b is next after a (infinity after MAX).
            if !(a >= 0.0 && a.is_finite() && b == a.next_up()) {
                return None;
            }
            nearest(
                a,
                b,
                digits.take(kept),
                last + (count - kept) as i64,
                tail_nonzero,
            )?
        };
        Some(if negative { -magnitude } else { magnitude })
    }

    /// `digits × 10^exp` for a `digits` of at most 19 digits, by `str::parse` (its fast path).
    fn estimate(digits: u64, exp: i64) -> Option<f64> {
        // Past ±100,000 the result is 0 or infinity whatever the 19 digits are.
        let exp = exp.clamp(-100_000, 100_000);
        // `{digits}e{exp}` written backwards (at most 20 + 1 + 7 bytes): no formatter needed.
        let mut buf = [0u8; 32];
        let mut i = buf.len();
        let mut push = |b: u8| {
            i -= 1;
            buf[i] = b;
        };
        let mut e = exp.unsigned_abs();
        loop {
            push(b'0' + (e % 10) as u8);
            e /= 10;
            if e == 0 {
                break;
            }
        }
        if exp < 0 {
            push(b'-');
        }
        push(b'e');
        let mut d = digits;
        loop {
            push(b'0' + (d % 10) as u8);
            d /= 10;
            if d == 0 {
                break;
            }
        }
        std::str::from_utf8(&buf[i..]).ok()?.parse().ok()
    }

    /// Bits a [`Nat`] may reach here: its capacity less one word of margin.
    const NAT_BITS: u64 = 4_544;

    /// `x × 5^k`, or `None` if it might not fit a [`Nat`] (`log2 5 < 7/3`).
    fn times_pow5(x: Nat, k: u64) -> Option<Nat> {
        if x.bits() + k * 7 / 3 + 1 > NAT_BITS {
            return None;
        }
        // 5^27 is the largest power of five in a u64.
        const FIVE_27: u64 = 7_450_580_596_923_828_125;
        let mut x = x;
        let mut k = k;
        while k >= 27 {
            x.mul_small_assign(FIVE_27);
            k -= 27;
        }
        x.mul_small_assign(5u64.pow(k as u32));
        Some(x)
    }

    /// The decimal `digits` (ASCII, at most [`COMPARED_DIGITS`]) as a [`Nat`].
    fn nat_of_digits(digits: impl Iterator<Item = u8>) -> Nat {
        let mut n = Nat::from_u64(0);
        let (mut v, mut k) = (0u64, 0u32);
        for d in digits {
            v = v * 10 + u64::from(d - b'0');
            k += 1;
            if k as usize == ESTIMATE_DIGITS {
                n.mul_small_assign(10u64.pow(k));
                n.add_small_assign(v);
                (v, k) = (0, 0);
            }
        }
        if k > 0 {
            n.mul_small_assign(10u64.pow(k));
            n.add_small_assign(v);
        }
        n
    }

    /// Which of the adjacent `a < b` (`b` infinity after `f64::MAX`) is nearest to
    /// `digits × 10^exp` (+ something below one unit of the last digit when `tail_nonzero`),
    /// ties to the even one; exact, in the core's fixed-size integers ([`Nat`], the exact
    /// statistics' own: at most 800 digits, so every number here stays under 3,800 bits).
    fn nearest(
        a: f64,
        b: f64,
        digits: impl Iterator<Item = u8>,
        exp: i64,
        tail_nonzero: bool,
    ) -> Option<f64> {
        use std::cmp::Ordering;
        // a = m × 2^e; the halfway point between a and b is (2m + 1) × 2^(e − 1).
        let (_, m, shift) = decompose(a);
        let e = shift - 1074;
        // Here the value is within a double of a: both exponents are a few thousand at most.
        if exp.abs() > 4000 {
            return None;
        }
        let mut lhs = nat_of_digits(digits);
        let mut rhs = Nat::from_u64(2 * m + 1);
        // 10^exp = 5^exp × 2^exp; powers of two gathered as shifts.
        let (mut lhs_twos, mut rhs_twos) = (0i64, 0i64);
        if exp >= 0 {
            lhs = times_pow5(lhs, exp as u64)?;
            lhs_twos += exp;
        } else {
            rhs = times_pow5(rhs, (-exp) as u64)?;
            rhs_twos -= exp;
        }
        let half = e - 1; // the halfway point's power of two
        if half >= 0 {
            rhs_twos += half;
        } else {
            lhs_twos -= half;
        }
        let common = lhs_twos.min(rhs_twos);
        let (ls, rs) = ((lhs_twos - common) as u64, (rhs_twos - common) as u64);
        if lhs.bits() + ls > NAT_BITS || rhs.bits() + rs > NAT_BITS {
            return None;
        }
        // One side at most is shifted (`common` is the smaller count).
        let lhs = if ls > 0 { lhs.shl(ls as u32) } else { lhs };
        let rhs = if rs > 0 { rhs.shl(rs as u32) } else { rhs };
        Some(match lhs.cmp(&rhs) {
            Ordering::Less => a,
            Ordering::Greater => b,
            Ordering::Equal if tail_nonzero => b,
            Ordering::Equal if m & 1 == 0 => a,
            Ordering::Equal => b,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::fast::long;
    use super::*;
    use num_bigint::BigUint;

    /// The exact decimal digits and exponent of the halfway point above `x` (finite, ≥ 0).
    fn halfway(x: f64) -> (String, i64) {
        let (_, m, shift) = crate::stages::pymath::decompose(x);
        let e = shift - 1074;
        let h = BigUint::from(2 * m + 1);
        let k = e - 1;
        if k >= 0 {
            ((h << k as u64).to_string(), 0)
        } else {
            ((h * BigUint::from(5u32).pow((-k) as u32)).to_string(), k)
        }
    }

    /// Tokens around the halfway point above `x`: exactly on it, one unit of its last
    /// digit below and above, cut to a few lengths, with trailing zeros and a far tail.
    fn tokens_near(x: f64) -> Vec<String> {
        let (digits, exp) = halfway(x);
        let sci = |d: &str, e: i64| -> String {
            // d × 10^e as d[0].d[1..]e(e + len − 1)
            let point = e + d.len() as i64 - 1;
            if d.len() == 1 {
                format!("{d}e{point}")
            } else {
                format!("{}.{}e{point}", &d[..1], &d[1..])
            }
        };
        let mut out = vec![
            sci(&digits, exp),
            sci(&format!("{digits}000"), exp - 3),
            sci(&format!("{digits}0000000001"), exp - 10),
            sci(&format!("{digits}{}1", "0".repeat(900)), exp - 901),
        ];
        let below = (BigUint::parse_bytes(digits.as_bytes(), 10).unwrap() - 1u32).to_string();
        let above = (BigUint::parse_bytes(digits.as_bytes(), 10).unwrap() + 1u32).to_string();
        out.push(sci(&below, exp));
        out.push(sci(&above, exp));
        out.push(sci(&format!("{below}{}", "9".repeat(900)), exp - 900));
        for cut in [20, 21, 25, 40, 100, 767, 799, 800, 801] {
            if cut < digits.len() {
                let c = &digits[..cut];
                out.push(sci(c, exp + (digits.len() - cut) as i64));
                out.push(sci(&format!("{c}1"), exp + (digits.len() - cut) as i64 - 1));
            }
        }
        // Plain forms: an integer and a fraction with leading zeros.
        if exp >= 0 {
            out.push(format!("{digits}{}", "0".repeat(exp as usize)));
        } else if exp > -400 {
            let lead = (-exp) as usize;
            if lead >= digits.len() {
                out.push(format!("0.{}{digits}", "0".repeat(lead - digits.len())));
            } else {
                let split = digits.len() - lead;
                out.push(format!("{}.{}", &digits[..split], &digits[split..]));
            }
        }
        out.push(format!("0.000{}e{}", digits, exp + digits.len() as i64 + 3));
        out
    }

    fn check(token: &str) {
        let want = token.parse::<f64>().unwrap();
        let got = parse(token).unwrap();
        assert_eq!(got.to_bits(), want.to_bits(), "{token}");
        let neg = format!("-{token}");
        assert_eq!(
            parse(&neg).unwrap().to_bits(),
            neg.parse::<f64>().unwrap().to_bits(),
            "{neg}"
        );
    }

    #[test]
    fn every_halfway_case_reads_as_str_parse_does() {
        let mut xs = vec![
            0.0,
            f64::from_bits(1),
            f64::from_bits(2),
            f64::from_bits(3),
            f64::from_bits((1 << 52) - 1),
            f64::MIN_POSITIVE,
            f64::MIN_POSITIVE.next_up(),
            1.0,
            1.0f64.next_down(),
            0.1,
            f64::MIN_POSITIVE.next_down(),
            9007199254740992.0,
            1e23,
            1e300,
            1e-307,
            f64::MAX,
            f64::MAX.next_down(),
        ];
        // Every binade, odd and even mantissas (a deterministic walk).
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for biased in (0..2047u64).step_by(7) {
            for _ in 0..2 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                xs.push(f64::from_bits(biased << 52 | (state & ((1 << 52) - 1))));
            }
        }
        for x in xs {
            for token in tokens_near(x) {
                check(&token);
            }
        }
    }

    #[test]
    fn long_tokens_near_a_halfway_point_are_decided_here() {
        // Never left to `str::parse`'s slow path (what made them cost 8 µs each).
        for x in [f64::from_bits(7), 1e-307, 1.0, 1e300, f64::MAX] {
            for token in tokens_near(x) {
                assert!(long(&token).is_some(), "{token}");
            }
        }
    }

    #[test]
    fn random_long_tokens_read_as_str_parse_does() {
        // 20 to 60 random digits at every decimal exponent a double reaches, and past.
        let mut next = crate::testing::xorshift(0xA076_1D64_78BD_642F);
        for _ in 0..20_000 {
            let len = 20 + (next() % 41) as usize;
            let digits: String = (0..len)
                .map(|i| {
                    let d = (next() % 10) as u8;
                    char::from(b'0' + if i == 0 { d.max(1) } else { d })
                })
                .collect();
            let exp = (next() % 720) as i64 - 380;
            check(&format!("{}.{}e{exp}", &digits[..1], &digits[1..]));
            check(&format!("{digits}e{exp}"));
        }
    }

    #[test]
    fn ordinary_and_odd_tokens_read_as_str_parse_does() {
        for token in [
            "0",
            "0.0",
            "12345678901234567890",
            "1234567890123456789",
            "9999999999999999999",
            "99999999999999999999",
            "99999999999999999999e-20",
            "0.00000000000000000000000000000000000000000000001234567890123456789012",
            "1e400",
            "1.00000000000000000000001e400",
            "1.00000000000000000000001e-400",
            "4.9406564584124654e-324",
            "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
            "1.7976931348623158079372897140530341507993413271003782693617377898044496829276475094664736e308",
            "1.7976931348623158079372897140530341507993413271003782693617377898044496829276475094664737e308",
            "1e-000000000000000000000000000000000000000000000000000000000000300",
            "1.2345678901234567890123e+0000000000000000000000000000000000000005",
        ] {
            check(token);
        }
    }
}
