//! Untrusted text quoted inside a message: `duplicate key "phase6"`, `unexpected
//! character 'x'`.
//!
//! Rust's `{:?}` quoting did this until the tenth session, and it agrees with this
//! module on every character it leaves as it is: letters with their accents (`ñandú`),
//! digits, punctuation, symbols, spaces. It also escapes every character Unicode leaves
//! unassigned, private use, and combining marks (`e\u{301}`); to tell those apart it
//! needs the standard library's Unicode tables, about 9 KB of each WebAssembly module
//! (3.9 KB gzip of the npm package's budget of 150,000), and the same messages must be
//! written natively and in the browser. Here the characters escaped are a fixed list
//! (below), so nothing but a range check is needed: those characters that could hide,
//! reorder or break the text they are quoted in, each of which `{:?}` escapes too
//! (tested over every `char`).

use std::fmt::Write as _;

/// Whether `c` is written as an escape when quoted: the C0 and C1 controls and DEL
/// (U+0000–U+001F, U+007F–U+009F: ESC, CSI U+009B, line feed, …), the bidi
/// embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E,
/// U+200F, U+061C), the line and paragraph separators (U+2028, U+2029), and the
/// invisible format characters that could make two different texts read the same: the
/// soft hyphen U+00AD, U+180E, zero-width spaces and joiners (U+200B–U+200D), word
/// joiner and invisible operators (U+2060–U+2064), the deprecated format characters
/// U+206A–U+206F, the byte order mark U+FEFF, the interlinear annotation characters
/// U+FFF9–U+FFFB, and the tag characters U+E0000–U+E007F.
pub fn is_escaped(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

/// Appends `text` between two `quote`s: a backslash and `quote` itself escaped with a
/// backslash; tab, carriage return, line feed and NUL as `\t`, `\r`, `\n`, `\0`; the
/// other [`is_escaped`] characters as `\u{1b}` (lowercase hex, no leading zeros); every
/// other character as it is. (Rust's `{:?}` writes these the same way.)
pub fn push_quoted(out: &mut String, text: &str, quote: char) {
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\0"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_escaped(c) => {
                // Writing into a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// `text` in double quotes ([`push_quoted`]): `"score"`, `"a\"b"`, `"\u{202e}"`.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, text, '"');
    out
}

/// `c` in single quotes ([`push_quoted`]): `'x'`, `'\''`, `'\u{1b}'`.
pub fn char(c: char) -> String {
    let mut out = String::with_capacity(8);
    push_quoted(&mut out, c.encode_utf8(&mut [0; 4]), '\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rust's `{:?}` of `c` as a one-character string, and as a char.
    fn debug(c: char) -> (String, String) {
        (format!("{:?}", c.to_string()), format!("{c:?}"))
    }

    #[test]
    fn every_character_is_quoted_as_rust_does_or_escaped_where_rust_escapes_it() {
        let (mut same, mut left) = (0u32, 0u32);
        for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
            let (s, ch) = debug(c);
            let plain = s.len() == c.len_utf8() + 2;
            if is_escaped(c) {
                assert!(!plain, "{c:?} is escaped here but not by Rust");
            }
            if plain || is_escaped(c) || c == '\\' || c == '"' {
                assert_eq!(string(&c.to_string()), s, "{c:?}");
                same += 1;
            } else {
                // Unassigned, private use, combining marks and the like: as they are.
                assert_eq!(string(&c.to_string()), format!("\"{c}\""));
                left += 1;
            }
            if plain || is_escaped(c) || c == '\\' || c == '\'' {
                assert_eq!(self::char(c), ch, "{c:?}");
            }
        }
        // Every assigned character that Rust prints as it is, is printed so here.
        assert!(same > 150_000, "{same}");
        assert!(left > 900_000, "{left}");
    }

    #[test]
    fn quotes_controls_bidi_and_accents() {
        assert_eq!(string("score"), "\"score\"");
        assert_eq!(string("ñandú «x»"), "\"ñandú «x»\"");
        assert_eq!(string("a\"b'c\\"), "\"a\\\"b'c\\\\\"");
        assert_eq!(
            string("\u{1b}[2J\t\r\n\0\u{9b}\u{202e}\u{2028}\u{200b}\u{feff}\u{e0041}"),
            "\"\\u{1b}[2J\\t\\r\\n\\0\\u{9b}\\u{202e}\\u{2028}\\u{200b}\\u{feff}\\u{e0041}\""
        );
        assert_eq!(self::char('\''), "'\\''");
        assert_eq!(self::char('"'), "'\"'");
        assert_eq!(self::char('\u{7f}'), "'\\u{7f}'");
        // Left as they are (Rust's `{:?}` escapes them).
        assert_eq!(
            string("e\u{301}\u{378}\u{e000}"),
            "\"e\u{301}\u{378}\u{e000}\""
        );
    }
}
