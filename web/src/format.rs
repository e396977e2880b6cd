//! How numbers, digests and sizes are written on the page.
//!
//! The page shows a rounded value for reading and the exact f64 (shortest round-trip
//! text, the same spelling as the CLI's JSON) next to it or in a `title`/`data-exact`
//! attribute, so an auditor can always compare bits.
//!
//! Rounded text comes from `phase7_core::decimal` (what `format!("{x:.N}")` writes, without
//! Rust's own float formatter in the wasm); no float goes through `format!` or `to_string`
//! anywhere in the dashboard.

use phase7_core::decimal;
use phase7_core::read::json::number_text;

/// `x` rounded to `decimals` decimals for reading (`1.6971`).
pub fn fixed(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        decimal::fixed(x, decimals)
    } else {
        number_text(x)
    }
}

/// The exact value: the shortest text that reads back to the same f64.
pub fn exact(x: f64) -> String {
    number_text(x)
}

/// `x` (0–1) as a percentage with one decimal (`87.1 %`).
pub fn percent(x: f64) -> String {
    if x.is_finite() {
        format!("{} %", fixed(x * 100.0, 1))
    } else {
        number_text(x)
    }
}

/// A probability as a percentage for reading, never rounded to a misleading 0 % or
/// 100 %: `82.7 %`, `< 0.1 %`, `> 99.9 %`, and exactly `0 %` or `100 %` only when it is.
/// (The exact value goes beside it, in a `title`.)
pub fn probability(p: f64) -> String {
    if !p.is_finite() {
        number_text(p)
    } else if p <= 0.0 {
        "0 %".into()
    } else if p >= 1.0 {
        "100 %".into()
    } else if p < 0.0005 {
        "< 0.1 %".into()
    } else if p > 0.9995 {
        "> 99.9 %".into()
    } else {
        format!("{} %", fixed(p * 100.0, 1))
    }
}

/// `x` rounded to `decimals` decimals with its sign (`+0.0471`, `-0.1434`).
pub fn signed(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        let text = decimal::fixed(x, decimals);
        if text.starts_with('-') {
            text
        } else {
            format!("+{text}")
        }
    } else {
        number_text(x)
    }
}

/// The first 12 hex digits of a digest followed by an ellipsis, for tight spaces.
pub fn short_digest(d: &str) -> String {
    match d.char_indices().nth(12) {
        Some((i, _)) => format!("{}…", &d[..i]),
        None => d.to_string(),
    }
}

/// A byte count as `1 234 bytes (1.2 KiB)`.
pub fn bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{n} B ({} KiB)", fixed(n as f64 / 1024.0, 1))
    } else {
        format!("{n} B ({} MiB)", fixed(n as f64 / (1024.0 * 1024.0), 1))
    }
}

/// The most characters of one untrusted text (a file's string, a file name, a URL) the
/// page shows: a longer one is cut (issue 9: what the page renders stays small whatever
/// the file holds).
pub const SHOWN_CHARS: usize = 200;

/// Untrusted text as the page shows it, always as a text node: the characters the core
/// escapes when it quotes untrusted text ([`phase7_core::quote::is_escaped`]: control
/// characters, the bidirectional formatting characters (U+061C, U+200E/F, U+202A–E,
/// U+2066–9), the line and paragraph separators, zero-width and other invisible format
/// characters) written as `\u{…}` escapes, so that a U+202E in a
/// file name cannot reverse the page's own words around it; cut after [`SHOWN_CHARS`]
/// characters, then `… (N B)`, N its whole length in bytes.
pub fn untrusted(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    for c in chars.by_ref().take(SHOWN_CHARS) {
        push_escaped(&mut out, c);
    }
    if chars.next().is_some() {
        out.push_str(&format!("… ({} B)", text.len()));
    }
    out
}

/// Text of the core's that quotes untrusted input (an error's field, value and message,
/// a report's path and values — the core already cuts what it quotes): the characters
/// [`untrusted`] escapes, escaped the same way, so that a key holding U+202E cannot
/// reverse the rest of the sentence it is quoted in; nothing cut.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// Appends `c`, as `\u{…}` when the core escapes it in a quote
/// ([`phase7_core::quote::is_escaped`]).
fn push_escaped(out: &mut String, c: char) {
    if phase7_core::quote::is_escaped(c) {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// A list of untrusted items joined by `, ` as [`untrusted`] shows each, cut once the
/// text passes [`SHOWN_CHARS`] characters, then `… (+N)` for the N items not shown.
pub fn untrusted_list<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::new();
    let mut shown = 0; // Characters in `out`.
    for (i, item) in items.iter().enumerate() {
        if shown >= SHOWN_CHARS {
            out.push_str(&format!(" … (+{})", items.len() - i));
            break;
        }
        if i > 0 {
            out.push_str(", ");
            shown += 2;
        }
        let text = untrusted(item.as_ref());
        shown += text.chars().count();
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_and_exact() {
        assert_eq!(fixed(1.6970916666666667, 4), "1.6971");
        assert_eq!(exact(1.6970916666666667), "1.6970916666666667");
        assert_eq!(exact(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(exact(2.0), "2.0");
        assert_eq!(fixed(f64::NAN, 2), "NaN");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0.8712), "87.1 %");
        assert_eq!(percent(1.0), "100.0 %");
    }

    #[test]
    fn probabilities_and_signs() {
        assert_eq!(probability(0.8268790985505803), "82.7 %");
        assert_eq!(probability(1.4868049093151386e-65), "< 0.1 %");
        assert_eq!(probability(0.0), "0 %");
        assert_eq!(probability(1.0), "100 %");
        assert_eq!(probability(0.99999), "> 99.9 %");
        assert_eq!(signed(0.04709166666666642, 4), "+0.0471");
        assert_eq!(signed(-0.14342, 2), "-0.14");
    }

    #[test]
    fn digests_and_sizes() {
        assert_eq!(short_digest("0123456789abcdef"), "0123456789ab…");
        assert_eq!(short_digest("abc"), "abc");
        assert_eq!(bytes(12), "12 B");
        assert_eq!(bytes(2048), "2048 B (2.0 KiB)");
        assert_eq!(bytes(16 * 1024 * 1024 + 1), "16777217 B (16.0 MiB)");
    }

    #[test]
    fn untrusted_text_is_escaped_and_cut() {
        assert_eq!(untrusted("Legal & <b>x</b>"), "Legal & <b>x</b>");
        assert_eq!(
            untrusted("\u{202e}fdp.json\u{1b}[2J\u{0}"),
            "\\u{202e}fdp.json\\u{1b}[2J\\u{0}"
        );
        let long = "é".repeat(1000);
        let shown = untrusted(&long);
        assert_eq!(shown, format!("{}… (2000 B)", "é".repeat(SHOWN_CHARS)));
        assert_eq!(untrusted(&"x".repeat(SHOWN_CHARS)), "x".repeat(SHOWN_CHARS));
    }

    #[test]
    fn core_text_is_escaped_not_cut() {
        let long = format!("field [\"\u{202e}key\"]: {}", "x".repeat(500));
        assert_eq!(escaped(&long), long.replace('\u{202e}', "\\u{202e}"));
        assert_eq!(escaped("a\tb\u{2066}"), "a\\u{9}b\\u{2066}");
    }

    #[test]
    fn untrusted_lists_are_cut() {
        let few = ["PA01", "PA02"];
        assert_eq!(untrusted_list(&few), "PA01, PA02");
        let many = vec!["PA01"; 1_000_000];
        let shown = untrusted_list(&many);
        assert!(shown.len() < SHOWN_CHARS + 30, "{shown}");
        assert!(shown.ends_with(" … (+999966)"), "{shown}");
    }
}
