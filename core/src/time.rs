//! Checking caller-supplied times. The core never reads a clock: the evaluation time and
//! the certificate issue time come in as RFC 3339 text and are checked here.

/// The most digits a fraction of a second may have (nanoseconds).
pub const MAX_FRACTION_DIGITS: usize = 9;

/// Checks that `s` is an RFC 3339 date-time (`2026-11-26T10:43:00Z`,
/// `2026-11-26T10:43:00.123+01:00`), with at most [`MAX_FRACTION_DIGITS`] digits of a
/// second: at most 35 bytes.
///
/// # Errors
///
/// A sentence saying what is wrong, quoting `s` cut after 64 characters with its length
/// ([`crate::read::json::Shown`]).
pub fn check_rfc3339(s: &str) -> Result<(), String> {
    match rfc3339_problem(s) {
        None => Ok(()),
        Some(what) => Err(format!(
            "{} is not an RFC 3339 date-time: {what}",
            crate::read::json::Shown::of(s).quoted()
        )),
    }
}

/// What [`check_rfc3339`] finds wrong with `s`, without quoting it; `None` when it is an
/// RFC 3339 date-time.
pub fn rfc3339_problem(s: &str) -> Option<&'static str> {
    // The fixed part, byte for byte: `0` a digit, `T` also `t` or a space (RFC 3339
    // section 5.6, note), anything else itself.
    const FORM: &[u8; 19] = b"0000-00-00T00:00:00";
    let b = s.as_bytes();
    if b.len() < 20 {
        return Some("too short (expected YYYY-MM-DDTHH:MM:SS and a zone)");
    }
    let form_ok = b.iter().zip(FORM).all(|(&c, &f)| match f {
        b'0' => c.is_ascii_digit(),
        b'T' => matches!(c, b'T' | b't' | b' '),
        _ => c == f,
    });
    if !form_ok {
        return Some("must begin YYYY-MM-DDTHH:MM:SS");
    }
    // Two digits at `i` (checked digits: the template, or `zone` below).
    let n = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    let year = n(0) * 100 + n(2);
    let (month, day) = (n(5), n(8));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 => 28 + u32::from(leap),
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=12).contains(&month) || day == 0 || day > days {
        return Some("no such date");
    }
    if n(11) > 23 || n(14) > 59 || n(17) > 60 {
        return Some("time out of range");
    }
    let mut i = 19;
    if b[i] == b'.' {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > MAX_FRACTION_DIGITS {
            // RFC 3339 sets no limit; nanoseconds are the finest any clock gives, and
            // the text goes into the MacroScore and the certificate as it is.
            return Some("a fraction of a second has 1 to 9 digits");
        }
        i += 1 + digits;
    }
    let zone = &b[i..];
    let offset_ok = zone.len() == 6
        && matches!(zone[0], b'+' | b'-')
        && zone[3] == b':'
        && [1, 2, 4, 5].iter().all(|&k| zone[k].is_ascii_digit())
        && n(i + 1) <= 23
        && n(i + 4) <= 59;
    if matches!(zone, [b'Z' | b'z']) || offset_ok {
        None
    } else {
        Some("zone must be Z or +HH:MM / -HH:MM (00:00 to 23:59)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc3339() {
        for ok in [
            "2026-11-26T10:43:00Z",
            "2026-11-26T10:43:00.5+01:00",
            "2024-02-29T23:59:60-05:30",
            "2026-11-26T10:43:00+23:59",
        ] {
            assert_eq!(check_rfc3339(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_others() {
        for bad in [
            "",
            "2026-11-26",
            "2026-11-26T10:43:00",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-11-26T24:00:00Z",
            "2026-11-26T10:43:00.Z",
            "2026-11-26T10:43:00+0100",
            "2026-11-26T10:43:00+24:00",
            "2026-11-26T10:43:00-23:60",
            "now",
            "2026-11-26T10:43:00.1234567890Z",
            "2026-11-31T10:43:00Z",
            "2026-00-10T10:43:00Z",
            "2026-11-00T10:43:00Z",
            "2026-11-26T10:60:00Z",
            "2026-11-26T10:43:61Z",
            "2026-11-26T10:43:00+01:0a",
            "2026-11-26T10:43:00Zjunk",
            "2026-11-26T10:43:00.5",
            "2026-11-26T10:43:00+01:00:00",
            "２026-11-26T10:43:00Z",
            "2026-11-26X10:43:00Z",
        ] {
            assert!(check_rfc3339(bad).is_err(), "{bad}");
        }
        assert_eq!(check_rfc3339("2026-11-26T10:43:00.123456789Z"), Ok(()));
    }

    /// The field-by-field check this module had before the template, with the limit on
    /// the fraction's digits added: the reference the template is held to.
    fn reference(s: &str) -> bool {
        let b = s.as_bytes();
        let num = |from: usize, len: usize| -> Option<u32> {
            let part = b.get(from..from + len)?;
            if part.iter().all(u8::is_ascii_digit) {
                std::str::from_utf8(part).ok()?.parse().ok()
            } else {
                None
            }
        };
        if b.len() < 20 {
            return false;
        }
        let (Some(year), Some(month), Some(day)) = (num(0, 4), num(5, 2), num(8, 2)) else {
            return false;
        };
        if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return false;
        }
        let (Some(hour), Some(minute), Some(second)) = (num(11, 2), num(14, 2), num(17, 2)) else {
            return false;
        };
        if b[13] != b':' || b[16] != b':' {
            return false;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
            return false;
        }
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start || i - start > MAX_FRACTION_DIGITS {
                return false;
            }
        }
        match &b[i..] {
            [b'Z' | b'z'] => true,
            [b'+' | b'-', ..] if b.len() - i == 6 && b[i + 3] == b':' => {
                matches!((num(i + 1, 2), num(i + 4, 2)), (Some(h), Some(m)) if h <= 23 && m <= 59)
            }
            _ => false,
        }
    }

    #[test]
    fn the_template_accepts_what_the_field_checks_accept() {
        // Valid date-times, each byte then replaced, dropped or doubled at random from an
        // alphabet of the characters that matter (a fixed-seed generator: the same cases
        // every run).
        let seeds = [
            "2024-02-29T23:59:60.123456789+23:59",
            "2026-11-26t10:43:00z",
            "1900-02-28 00:00:00-00:00",
            "2000-02-29T12:30:45.5Z",
            "2026-04-30T10:43:00Z",
        ];
        let alphabet = b"0123456789-:.TtZz+ 9\xc3";
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        let (mut accepted, mut cases) = (0, 0);
        for seed in seeds {
            for _ in 0..40_000 {
                let mut b = seed.as_bytes().to_vec();
                for _ in 0..1 + next(3) {
                    let at = next(b.len() + 1);
                    let c = alphabet[next(alphabet.len())];
                    match next(3) {
                        0 if at < b.len() => b[at] = c,
                        1 if at < b.len() => {
                            b.remove(at);
                        }
                        _ => b.insert(at, c),
                    }
                }
                let s = String::from_utf8_lossy(&b);
                let ok = rfc3339_problem(&s).is_none();
                assert_eq!(ok, reference(&s), "{s:?}");
                accepted += usize::from(ok);
                cases += 1;
            }
        }
        // Both outcomes are exercised.
        assert!(
            accepted > cases / 50 && accepted < cases / 2,
            "{accepted} of {cases}"
        );
    }

    #[test]
    fn a_long_text_is_cut_in_the_message() {
        let long = format!("2026-11-26T10:43:00.{}Z", "1".repeat(1 << 20));
        let e = check_rfc3339(&long).unwrap_err();
        assert!(e.len() < 200, "{e}");
        assert!(e.contains(&format!("({} bytes)", long.len())), "{e}");
        let e = check_rfc3339(&"\u{202e}x".repeat(100_000)).unwrap_err();
        assert!(e.len() < 1000 && !e.contains('\u{202e}'), "{e}");
    }
}
