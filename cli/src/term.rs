//! Human-readable output: every line the CLI prints for people (errors, warnings, reports,
//! tables, progress, file paths) goes through [`escape`], so that text taken from files,
//! file names or arguments can neither move the cursor, recolour or hide the terminal,
//! reorder text with bidi controls, nor start a line of its own that a log parser would
//! read as ours. JSON outputs (`--format json`, `batch --jsonl`) go through
//! [`json_text`] instead: the same characters written as JSON escapes (`\u009b`), which
//! leaves every JSON value exactly as it was.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use phase7_core::error::Diagnostic;
use phase7_core::read::json::shown;

use crate::exit::Fail;

/// Whether `c` must not reach a terminal as is: the characters the core escapes when it
/// quotes untrusted text ([`phase7_core::quote::is_escaped`]): C0 controls (tab, LF,
/// CR, ESC, …), DEL, C1 controls (U+0080–U+009F, among them CSI U+009B), the bidi
/// embeddings, overrides, isolates and marks, the line and paragraph separators U+2028,
/// U+2029, and the invisible format characters (zero-width spaces, U+FEFF, tags).
pub fn is_unsafe(c: char) -> bool {
    phase7_core::quote::is_escaped(c)
}

/// `text` with every [`is_unsafe`] character written as an escape: `\n`, `\r`, `\t`, or
/// `\u{1b}`-style for the others. Everything else is kept, so ordinary text (accents,
/// `ñandú`) reads as it is.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        push_char(&mut out, c);
    }
    Cow::Owned(out)
}

fn push_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if is_unsafe(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// The bytes of the longest path the system opens (Linux `PATH_MAX`, its NUL included).
const PATH_MAX: usize = 4096;

/// A path for display: [`escape`]d, bytes that are not UTF-8 written as `\xNN`, and a
/// backslash as `\\`, so that two different names never display the same (a name
/// holding the four characters `\xff` is not the byte 0xFF). A path of [`PATH_MAX`]
/// bytes or more names no file the system can open, so it is only ever shown in an
/// error: it is cut as the core cuts a long value it quotes (its first 64 characters,
/// then the escaped text's length), since an argument may hold 128 KiB, which escaped
/// control characters made a 655 KB line.
pub fn path(p: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let whole = escaped_path(p);
    if p.as_os_str().as_bytes().len() >= PATH_MAX {
        shown(&whole)
    } else {
        whole
    }
}

/// A command-line argument for display (a usage error): escaped as a path, then cut as
/// the core cuts a long value whatever its length.
pub fn arg(a: &OsStr) -> String {
    shown(&escaped_path(Path::new(a)))
}

/// [`path`] whole.
fn escaped_path(p: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in p.as_os_str().as_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                push_char(&mut out, c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// JSON text with every [`is_unsafe`] character but the line feed written as its JSON
/// escape (`\u009b`, `\u202e`): the same JSON value, safe on a terminal. serde_json
/// escapes C0 controls in strings and writes none of these characters outside strings
/// but the line feeds between the lines of pretty JSON; inside a string `\uXXXX` is the
/// character itself.
pub fn json_text(json: &str) -> Cow<'_, str> {
    // Most JSON is printable ASCII: one quick pass over the bytes decides it.
    if printable_ascii(json.as_bytes()) || !json.chars().any(json_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut text = json.as_bytes().to_vec();
    json_tail(&mut text, 0);
    // Escapes are ASCII, written in place of whole characters: still UTF-8.
    Cow::Owned(
        String::from_utf8(text)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// True when every byte is printable ASCII or a line feed. Branch-free (a fold, not an
/// early exit), so the compiler checks many bytes per instruction: it runs on every
/// `batch --jsonl` line.
fn printable_ascii(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |ok, &b| {
        ok & ((b.wrapping_sub(b' ') <= b'~' - b' ') | (b == b'\n'))
    })
}

/// [`json_text`] on the JSON at the end of `text`, from `start` (a line being built),
/// in place: every [`is_unsafe`] character but the line feed written as its JSON escape,
/// `\uXXXX` for each UTF-16 unit. Text that is not UTF-8 (never what serde_json writes)
/// is left as it is.
///
/// The escapes only lengthen the text, so it is grown once by what they add and filled
/// from the back: the write position never falls behind the read position, and each
/// character is read before its bytes are overwritten. An escaped copy beside the text
/// held an answer three times over: a `batch --jsonl` line of 16 MB whose
/// `dispersion_scenario` is raw DEL characters (each written as the 6 bytes `\u007f`,
/// twice in the answer) took 396 MiB resident for its 192 MB answer (212 MiB now).
pub fn json_tail(text: &mut Vec<u8>, start: usize) {
    let Some(tail) = text.get(start..) else {
        return;
    };
    // The usual line is printable ASCII: one pass over the bytes, no UTF-8 decoding.
    if printable_ascii(tail) {
        return;
    }
    let Ok(tail) = std::str::from_utf8(tail) else {
        return;
    };
    let extra: usize = tail
        .chars()
        .filter(|&c| json_unsafe(c))
        .map(|c| 6 * c.len_utf16() - c.len_utf8())
        .sum();
    if extra == 0 {
        return;
    }
    let mut read = text.len();
    text.reserve_exact(extra);
    text.resize(read + extra, 0);
    let mut write = text.len();
    // Bytes [read, run) are characters left as they are, still to be moved to end at
    // `write`.
    let mut run = read;
    while write > run && read > start {
        let mut first = read - 1;
        while text[first] & 0xc0 == 0x80 && first > start {
            first -= 1;
        }
        let c = std::str::from_utf8(&text[first..read])
            .ok()
            .and_then(|s| s.chars().next());
        if let Some(c) = c.filter(|&c| json_unsafe(c)) {
            let n = run - read;
            text.copy_within(read..run, write - n);
            write -= n;
            for &unit in c.encode_utf16(&mut [0; 2]).iter().rev() {
                write -= 6;
                let hex = |shift: u16| b"0123456789abcdef"[usize::from(unit >> shift & 15)];
                text[write..write + 6].copy_from_slice(&[
                    b'\\',
                    b'u',
                    hex(12),
                    hex(8),
                    hex(4),
                    hex(0),
                ]);
            }
            run = first;
        }
        read = first;
    }
    let n = run - read;
    text.copy_within(read..run, write - n);
}

/// A character [`json_text`] writes as its JSON escape.
fn json_unsafe(c: char) -> bool {
    c != '\n' && is_unsafe(c)
}

/// Prints `value` on stdout as pretty JSON, through [`json_text`].
///
/// # Errors
///
/// `IO_ERROR` when it cannot be encoded. A closed stdout is not an error (nor a panic).
pub fn out_json<T: serde::Serialize>(value: &T) -> Result<(), Fail> {
    let json = serde_json::to_string_pretty(value)
        .map_err(|e| Fail::io(format!("cannot encode the report: {e}")))?;
    let _ = writeln!(std::io::stdout().lock(), "{}", json_text(&json));
    Ok(())
}

/// Prints lines on stdout, each [`escape`]d on its own (the line breaks between them are
/// ours; any inside a line are escaped).
pub fn out_lines(lines: &[String]) {
    let mut o = std::io::stdout().lock();
    for line in lines {
        let _ = writeln!(o, "{}", escape(line));
    }
}

/// Prints one escaped line on stderr.
pub fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", escape(line));
}

/// Prints `error[CODE]: message` on stderr, escaped.
pub fn error(code: &str, message: &str) {
    note(&format!("error[{code}]: {message}"));
}

/// Prints each diagnostic as an `error[CODE]: message` line on stderr ([`error`]).
pub fn diagnostics(ds: &[Diagnostic]) {
    for d in ds {
        error(d.code, &d.message);
    }
}

/// Prints `warning[CODE]: message` on stderr, escaped.
pub fn warning(code: &str, message: &str) {
    note(&format!("warning[{code}]: {message}"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn controls_ansi_and_bidi_are_escaped() {
        let forged = "\r\u{1b}[1A\u{1b}[2Kphase7 verify: VERIFIED\u{1b}[8m";
        assert_eq!(
            escape(forged),
            "\\r\\u{1b}[1A\\u{1b}[2Kphase7 verify: VERIFIED\\u{1b}[8m"
        );
        assert_eq!(escape("C1\nerror[FAKE]: x"), "C1\\nerror[FAKE]: x");
        assert_eq!(escape("\u{9b}2J\u{7f}\u{0}"), "\\u{9b}2J\\u{7f}\\u{0}");
        assert_eq!(
            escape("a\u{202e}b\u{2066}c\u{2069}\u{2028}\u{2029}\t"),
            "a\\u{202e}b\\u{2066}c\\u{2069}\\u{2028}\\u{2029}\\t"
        );
        // Invisible format characters too, as the core's quotes escape them.
        assert_eq!(
            escape("a\u{200b}b\u{feff}\u{e0041}"),
            "a\\u{200b}b\\u{feff}\\u{e0041}"
        );
        assert!(matches!(escape("ñandú PA05 (MODERATE)"), Cow::Borrowed(_)));
        for c in (0u32..0x20).chain(0x7f..0xa0) {
            let c = char::from_u32(c).unwrap();
            assert!(!escape(&c.to_string()).chars().any(is_unsafe), "{c:?}");
        }
    }

    /// [`json_text`] character by character, as it was written before it was done in
    /// place.
    fn by_char(json: &str) -> String {
        json.chars()
            .map(|c| match c {
                '\n' => c.to_string(),
                c if is_unsafe(c) => {
                    let units = c.encode_utf16(&mut [0; 2]).to_vec();
                    units.iter().map(|u| format!("\\u{u:04x}")).collect()
                }
                c => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn json_tail_escapes_in_place_as_character_by_character() {
        // Strings of safe and unsafe characters of every UTF-8 length, mixed at random
        // (a fixed generator), after a prefix of each length up to 3 that must stay.
        let pool = [
            "a",
            "\n",
            "\u{7f}",
            "\u{9b}",
            "ñ",
            "\u{202e}",
            "€",
            "😀",
            "\u{e0041}",
            "\"",
            "\\",
            "\u{1b}",
            "\u{2028}",
            "\u{feff}",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        for _ in 0..3000 {
            let len = next(40);
            let value: String = (0..len).map(|_| pool[next(pool.len())]).collect();
            let json = serde_json::to_string(&value).unwrap();
            let prefix = &"\u{7f}é\n"[..[0, 1, 3, 4][next(4)]];
            let mut bytes = format!("{prefix}{json}").into_bytes();
            json_tail(&mut bytes, prefix.len());
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                format!("{prefix}{}", by_char(&json)),
                "{value:?}"
            );
        }
    }

    #[test]
    fn json_is_escaped_to_the_same_value() {
        let every: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let value = serde_json::json!({
            "a\u{9b}": [every, "ñandú \u{202e}x\u{2028}", "\u{e0041}\u{7f}😀\u{7f}\u{feff}"],
            "n": 1
        });
        for json in [
            serde_json::to_string(&value).unwrap(),
            serde_json::to_string_pretty(&value).unwrap(),
        ] {
            let safe = json_text(&json);
            assert_eq!(safe, by_char(&json));
            assert!(!safe.chars().any(|c| c != '\n' && is_unsafe(c)), "{safe}");
            assert_eq!(safe.lines().count(), json.lines().count());
            let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
            assert_eq!(back, value);
            // What comes before `start` is left as it is (here a raw DEL).
            let mut bytes = b"{\x7f}\n".to_vec();
            bytes.extend_from_slice(json.as_bytes());
            json_tail(&mut bytes, 4);
            assert_eq!(bytes, format!("{{\u{7f}}}\n{safe}").as_bytes());
            // Grown once, to the escaped length (no escaped copy, no doubling).
            assert_eq!(bytes.capacity(), bytes.len());
        }
        // After an escaped backslash: still a character of its own.
        let tricky = "\"\u{9b}\\\\\u{202e}\"";
        assert_eq!(json_text(tricky), r#""\u009b\\\u202e""#);
        assert_eq!(
            serde_json::from_str::<String>(&json_text(tricky)).unwrap(),
            "\u{9b}\\\u{202e}"
        );
        assert!(matches!(
            json_text("{\n  \"ñandú\": 1\n}"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn paths_keep_non_utf8_bytes_apart() {
        let a = Path::new(OsStr::from_bytes(b"plans/\xff\x1b.json"));
        let b = Path::new(OsStr::from_bytes(b"plans/\xfe\x1b.json"));
        assert_eq!(path(a), "plans/\\xff\\u{1b}.json");
        assert_ne!(path(a), path(b));
        // The characters of an escape, spelled out in a valid name, are not the escape.
        let spelled = Path::new("plans/\\xff\\u{1b}.json");
        assert_eq!(path(spelled), "plans/\\\\xff\\\\u{1b}.json");
        assert_ne!(path(spelled), path(a));
    }
}
