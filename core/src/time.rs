//! Checking caller-supplied times. The core never reads a clock: the evaluation time and
//! the certificate issue time come in as RFC 3339 text and are checked here.

/// Checks that `s` is an RFC 3339 date-time (`2026-11-26T10:43:00Z`,
/// `2026-11-26T10:43:00.123+01:00`).
///
/// # Errors
///
/// A sentence saying what is wrong.
pub fn check_rfc3339(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let bad = |what: &str| Err(format!("{s:?} is not an RFC 3339 date-time: {what}"));
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 20 {
        return bad("too short (expected YYYY-MM-DDTHH:MM:SS and a zone)");
    }
    let (Some(year), Some(month), Some(day)) = (num(0, 4), num(5, 2), num(8, 2)) else {
        return bad("date must be YYYY-MM-DD");
    };
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return bad("date must be YYYY-MM-DD followed by T");
    }
    let (Some(hour), Some(minute), Some(second)) = (num(11, 2), num(14, 2), num(17, 2)) else {
        return bad("time must be HH:MM:SS");
    };
    if b[13] != b':' || b[16] != b':' {
        return bad("time must be HH:MM:SS");
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return bad("month out of range"),
    };
    if day == 0 || day > days {
        return bad("day out of range");
    }
    if hour > 23 || minute > 59 || second > 60 {
        return bad("time out of range");
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return bad("fraction of a second needs digits");
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => Ok(()),
        [b'+' | b'-', ..] if b.len() - i == 6 && b[i + 3] == b':' => {
            match (num(i + 1, 2), num(i + 4, 2)) {
                (Some(h), Some(m)) if h <= 23 && m <= 59 => Ok(()),
                _ => bad("zone offset out of range"),
            }
        }
        _ => bad("zone must be Z or +HH:MM / -HH:MM"),
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
        ] {
            assert!(check_rfc3339(bad).is_err(), "{bad}");
        }
    }
}
