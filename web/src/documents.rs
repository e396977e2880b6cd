//! The kinds of file the dashboard reads, and how a file is recognised: by its content
//! first (the `format` tags of `phase7_core::attest::certificate::FORMAT`,
//! `phase7_core::attest::audit::FORMAT` and `phase7_core::attest::refusal::FORMAT`, the
//! keys of a MacroScore, the shape of a Phase 6 file),
//! then by its name. Every picker uses the same recogniser, so a certificate chosen in
//! the Phase 6 picker is refused as what it is.

use phase7_core::attest::{audit, certificate, refusal};
use phase7_core::read::json::MAX_DEPTH;
use std::borrow::Cow;

/// What a loaded file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// The pipeline's Phase 6 output: the input of the rerun.
    Phase6,
    /// The pipeline's own Phase 7 output (`p07_output.json`), a claim to check.
    Claimed,
    /// Our `certificate.json`, to verify.
    Certificate,
    /// Our `audit_trail.json`, verified together with the certificate.
    AuditTrail,
    /// Our `refusal.json`, confirmed by rerunning the Phase 6 file.
    Refusal,
}

impl DocKind {
    /// Every kind, in the order of [`DocKind::index`].
    pub const ALL: [DocKind; 5] = [
        DocKind::Phase6,
        DocKind::Claimed,
        DocKind::Certificate,
        DocKind::AuditTrail,
        DocKind::Refusal,
    ];

    /// Stable identifier used in element ids and test hooks.
    pub fn id(self) -> &'static str {
        match self {
            DocKind::Phase6 => "phase6",
            DocKind::Claimed => "claimed",
            DocKind::Certificate => "certificate",
            DocKind::AuditTrail => "audit-trail",
            DocKind::Refusal => "refusal",
        }
    }

    /// Position in [`DocKind::ALL`] (one load slot per kind).
    pub fn index(self) -> usize {
        match self {
            DocKind::Phase6 => 0,
            DocKind::Claimed => 1,
            DocKind::Certificate => 2,
            DocKind::AuditTrail => 3,
            DocKind::Refusal => 4,
        }
    }
}

/// The family of a `format` tag: `phase7-certificate` of `phase7-certificate/1`.
fn family(format: &str) -> &str {
    format.split_once('/').map_or(format, |(f, _)| f)
}

/// What the content says the file is, or `None` when it does not say (not JSON, or JSON
/// of no known shape).
pub fn recognise(bytes: &[u8]) -> Option<DocKind> {
    let shape = top_level(bytes)?;
    if shape.array {
        return Some(DocKind::Phase6);
    }
    if let Some(format) = shape.family.as_deref() {
        if format == family(certificate::FORMAT) {
            return Some(DocKind::Certificate);
        }
        if format == family(audit::FORMAT) {
            return Some(DocKind::AuditTrail);
        }
        if format == family(refusal::FORMAT) {
            return Some(DocKind::Refusal);
        }
    }
    if shape.macro_score == (true, true) {
        Some(DocKind::Claimed)
    } else if shape.cluster_scores {
        Some(DocKind::Phase6)
    } else {
        None
    }
}

/// The telling parts of a JSON document's top level.
#[derive(Debug, Default, PartialEq)]
struct Shape<'a> {
    array: bool,
    /// The [`family`] of the top-level `format` member when it is a string (the last
    /// one when repeated) and the family is at most [`TELLING_MAX`] bytes: `None` for a
    /// longer one, which is no family we know either.
    family: Option<Cow<'a, str>>,
    /// Whether the top level has `score_normalized` and `quality_level`.
    macro_score: (bool, bool),
    cluster_scores: bool,
}

/// Longer keys or `format` families cannot be the ones looked for: a key is skipped
/// unread, a family is read no further than this.
const TELLING_MAX: usize = 256;

/// Reads the top level of a JSON document in one pass, without building it: every value
/// is checked for syntax (UTF-8, strings and their escapes, numbers, `NaN` and
/// `Infinity` as Python writes them, nesting at most [`MAX_DEPTH`] deep, nothing after
/// the value) and skipped; only the top-level keys and a top-level `format` string are
/// looked at. Time linear in the input, memory constant (a stack of at most
/// [`MAX_DEPTH`] bytes and two short strings): a 16 MiB file costs no more than reading
/// it, however it is shaped.
///
/// Hand-written, not serde_json's streaming deserializer (which the page used before):
/// the core's parser already is the page's JSON reader, and serde_json's second one cost
/// about 20 KB of the gzipped wasm (issue 9, "Sizes"). The core's parser builds the tree,
/// which is too much to decide which slot a file goes to.
fn top_level(bytes: &[u8]) -> Option<Shape<'_>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let b = text.as_bytes();
    let mut shape = Shape::default();
    let mut stack: Vec<u8> = Vec::new();
    let mut i = skip_ws(b, 0);
    match b.get(i) {
        Some(b'[') => shape.array = true,
        Some(b'{') => {}
        _ => {
            // A scalar document: valid JSON perhaps, but of no kind we read.
            return None;
        }
    }
    // The top-level key whose value comes next, when `stack` is `{` alone.
    let mut key: Option<Cow<'_, str>> = None;
    loop {
        // A value starts at `i`.
        i = skip_ws(b, i);
        let at_top_member = stack.len() == 1 && stack[0] == b'{';
        match *b.get(i)? {
            open @ (b'[' | b'{') => {
                if stack.len() >= MAX_DEPTH {
                    return None;
                }
                if at_top_member && key.as_deref() == Some("format") {
                    shape.family = None;
                }
                stack.push(open);
                i = skip_ws(b, i + 1);
                let close = if open == b'[' { b']' } else { b'}' };
                if b.get(i) == Some(&close) {
                    stack.pop();
                    i += 1;
                } else if open == b'{' {
                    i = member_key(b, i, &stack, &mut shape, &mut key)?;
                    continue;
                } else {
                    continue;
                }
            }
            b'"' => {
                let end = string_end(b, i)?;
                if at_top_member && key.as_deref() == Some("format") {
                    shape.family = telling(&text[i + 1..end - 1], true);
                }
                i = end;
            }
            _ => {
                i = scalar_end(b, i)?;
                if at_top_member && key.as_deref() == Some("format") {
                    shape.family = None;
                }
            }
        }
        // After a value: `,` or the close of its container, any number of closes.
        loop {
            i = skip_ws(b, i);
            let Some(&open) = stack.last() else {
                // The document's value ended: only whitespace may follow.
                return (i == b.len()).then_some(shape);
            };
            match (open, *b.get(i)?) {
                (b'[', b']') | (b'{', b'}') => {
                    stack.pop();
                    i += 1;
                }
                (b'[', b',') => {
                    i += 1;
                    break;
                }
                (b'{', b',') => {
                    i = member_key(b, skip_ws(b, i + 1), &stack, &mut shape, &mut key)?;
                    break;
                }
                _ => return None,
            }
        }
    }
}

/// Reads `"key":` at `i` (an object's member); at the top level, notes the telling keys.
/// Returns where the member's value starts.
fn member_key<'a>(
    b: &'a [u8],
    i: usize,
    stack: &[u8],
    shape: &mut Shape<'a>,
    key: &mut Option<Cow<'a, str>>,
) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let end = string_end(b, i)?;
    if stack.len() == 1 {
        // The slice is valid UTF-8: `b` is a `str`'s bytes and quotes are ASCII.
        let raw = std::str::from_utf8(&b[i + 1..end - 1]).ok()?;
        *key = telling(raw, false);
        match key.as_deref() {
            Some("score_normalized") => shape.macro_score.0 = true,
            Some("quality_level") => shape.macro_score.1 = true,
            Some("cluster_scores") => shape.cluster_scores = true,
            _ => {}
        }
    }
    let colon = skip_ws(b, end);
    (b.get(colon) == Some(&b':')).then_some(colon + 1)
}

/// A string's text, unescaped: a key whole when its raw text is at most
/// [`TELLING_MAX`] bytes (longer, it is no key looked for); a `format` value only up to
/// its first `/` ([`family`]), and only when that part is at most [`TELLING_MAX`] bytes
/// unescaped. `None` otherwise, and for a bad escape (the document then fails
/// `string_end` anyway). Reads at most [`TELLING_MAX`] characters of a long value.
fn telling(raw: &str, family_only: bool) -> Option<Cow<'_, str>> {
    if !family_only && raw.len() > TELLING_MAX {
        return None;
    }
    if !raw.contains('\\') {
        let text = if family_only { family(raw) } else { raw };
        return (text.len() <= TELLING_MAX).then_some(Cow::Borrowed(text));
    }
    let mut out = String::new();
    // A high surrogate waiting for its low half.
    let mut high: Option<u16> = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if out.len() > TELLING_MAX {
            return None;
        }
        let c = if c != '\\' {
            c
        } else {
            match chars.next()? {
                'u' => {
                    let rest = chars.as_str();
                    let unit = u16::from_str_radix(rest.get(..4)?, 16).ok()?;
                    chars = rest[4..].chars();
                    if high.is_none() && (0xd800..0xdc00).contains(&unit) {
                        high = Some(unit);
                        continue;
                    }
                    let pair = [high.take(), Some(unit)];
                    let mut decoded = char::decode_utf16(pair.into_iter().flatten());
                    let c = decoded.next()?.ok()?;
                    if decoded.next().is_some() {
                        return None;
                    }
                    c
                }
                '"' => '"',
                '\\' => '\\',
                '/' => '/',
                'b' => '\u{8}',
                'f' => '\u{c}',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                _ => return None,
            }
        };
        if high.is_some() {
            // A high surrogate not followed by its low half.
            return None;
        }
        if family_only && c == '/' {
            break;
        }
        out.push(c);
    }
    (high.is_none() && out.len() <= TELLING_MAX).then_some(Cow::Owned(out))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The index after the string that starts with the quote at `i`: escapes are
/// `\" \\ \/ \b \f \n \r \t \uXXXX`, raw control characters are not allowed.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => match *b.get(i + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                b'u' => {
                    let hex = b.get(i + 2..i + 6)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    i += 6;
                }
                _ => return None,
            },
            0..=0x1f => return None,
            _ => i += 1,
        }
    }
}

/// The index after the number or literal at `i`: `true`, `false`, `null`, `NaN`,
/// `Infinity`, `-Infinity`, or `-?digits[.digits][(e|E)[+|-]digits]`.
fn scalar_end(b: &[u8], i: usize) -> Option<usize> {
    for word in [
        &b"true"[..],
        b"false",
        b"null",
        b"NaN",
        b"Infinity",
        b"-Infinity",
    ] {
        if b[i..].starts_with(word) {
            return Some(i + word.len());
        }
    }
    let digits = |mut j: usize| {
        let start = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        (j > start).then_some(j)
    };
    let mut j = i + usize::from(b.get(i) == Some(&b'-'));
    j = digits(j)?;
    if b.get(j) == Some(&b'.') {
        j = digits(j + 1)?;
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        j = digits(j)?;
    }
    Some(j)
}

fn by_name(name: &str) -> Option<DocKind> {
    let lower = name.to_ascii_lowercase();
    if lower.contains("refusal") || lower.contains("rechazo") {
        Some(DocKind::Refusal)
    } else if lower.contains("certificate") || lower.contains("certificado") {
        Some(DocKind::Certificate)
    } else if lower.contains("audit_trail") || lower.contains("audit-trail") {
        Some(DocKind::AuditTrail)
    } else if lower.contains("p07") || lower.contains("macro_score") {
        Some(DocKind::Claimed)
    } else if lower.contains("p06") || lower.contains("phase6") {
        Some(DocKind::Phase6)
    } else {
        None
    }
}

/// Recognises a dropped file: by its content, else by its name (`refusal…`,
/// `certificate…`, `audit_trail…`, `p07…`, `macro_score…`, `p06…`). Anything unrecognised is taken as a
/// Phase 6 file, so that the input contract reports what is wrong with it.
pub fn classify(name: &str, bytes: &[u8]) -> DocKind {
    recognise(bytes)
        .or_else(|| by_name(name))
        .unwrap_or(DocKind::Phase6)
}

/// When a file chosen for `expected` is recognisably another kind: that kind. A file of
/// no recognisable kind is let through (the core then says what is wrong with it).
pub fn mismatch(expected: DocKind, bytes: &[u8]) -> Option<DocKind> {
    recognise(bytes).filter(|k| *k != expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_name() {
        assert_eq!(classify("certificate.json", b""), DocKind::Certificate);
        assert_eq!(classify("p07_output.json", b""), DocKind::Claimed);
        assert_eq!(classify("Macro_Score.json", b""), DocKind::Claimed);
        assert_eq!(
            classify("p06_output.json", b"{\"score_normalized\":1}"),
            DocKind::Phase6
        );
    }

    #[test]
    fn by_content() {
        let claimed =
            br#"{"score": 1.0, "score_normalized": 0.3, "quality_level": "INSUFICIENTE"}"#;
        assert_eq!(classify("a.json", claimed), DocKind::Claimed);
        assert_eq!(
            classify("a.json", br#"[{"cluster_id": "CLUSTER_MESO_1"}]"#),
            DocKind::Phase6
        );
        assert_eq!(
            classify("a.json", br#"{"cluster_scores": []}"#),
            DocKind::Phase6
        );
        assert_eq!(classify("a.json", b"not json"), DocKind::Phase6);
        assert_eq!(classify("a.json", b"[NaN]"), DocKind::Phase6);
        let cert = br#"{"format": "phase7-certificate/1", "kind": "PHASE7_TO_PHASE8"}"#;
        assert_eq!(classify("a.json", cert), DocKind::Certificate);
        // Content wins over a misleading name.
        assert_eq!(classify("p06_output.json", cert), DocKind::Certificate);
        let trail = br#"{"format": "phase7-audit-trail/1", "entries": []}"#;
        assert_eq!(classify("a.json", trail), DocKind::AuditTrail);
        assert_eq!(classify("audit_trail.json", b""), DocKind::AuditTrail);
        let refusal = br#"{"format": "phase7-refusal/1", "kind": "REFUSAL"}"#;
        assert_eq!(classify("certificate.json", refusal), DocKind::Refusal);
        assert_eq!(classify("REFUSAL.json", b""), DocKind::Refusal);
        assert_eq!(
            mismatch(DocKind::Certificate, refusal),
            Some(DocKind::Refusal)
        );
    }

    #[test]
    fn content_is_read_in_one_pass() {
        // A byte-order mark is JSON to the core, so the content still decides.
        let bom = b"\xef\xbb\xbf{\"format\": \"phase7-certificate/1\"}";
        assert_eq!(classify("p06.json", bom), DocKind::Certificate);
        // A repeated key: the last one counts, as in every run (and in Python).
        let twice = br#"{"format": 1, "format": "phase7-refusal/1"}"#;
        assert_eq!(classify("a.json", twice), DocKind::Refusal);
        for last_not_text in [
            &br#"{"format": "phase7-refusal/1", "format": null}"#[..],
            br#"{"format": "phase7-refusal/1", "format": {"format": "phase7-refusal/1"}}"#,
            br#"{"format": "phase7-refusal/1", "format": ["phase7-refusal/1"]}"#,
        ] {
            assert_eq!(recognise(last_not_text), None);
        }
        // Escapes are read: "form\u0061t" is "format", "\/" is "/".
        let escaped = br#"{"form\u0061t": "phase7-certificate\/1", "x": "\ud83d\ude00"}"#;
        assert_eq!(recognise(escaped), Some(DocKind::Certificate));
        // A long format value: its family decides, however long the rest (or the
        // escapes) make it; a family longer than any known one tells nothing.
        let long_tail = format!(
            "{{\"format\": \"phase7-certificate/{}\"}}",
            "x".repeat(5000)
        );
        assert_eq!(recognise(long_tail.as_bytes()), Some(DocKind::Certificate));
        let escaped = format!(
            "{{\"format\": \"{}\\/1\"}}",
            "phase7-refusal"
                .chars()
                .map(|c| format!("\\u{:04x}", u32::from(c)))
                .collect::<String>()
        );
        assert_eq!(recognise(escaped.as_bytes()), Some(DocKind::Refusal));
        let long_family = format!("{{\"format\": \"{}\"}}", "y".repeat(TELLING_MAX + 1));
        assert_eq!(top_level(long_family.as_bytes()).unwrap().family, None);
        let at_most = format!("{{\"format\": \"{}/1\"}}", "\\u0061".repeat(TELLING_MAX));
        assert_eq!(
            top_level(at_most.as_bytes()).unwrap().family.as_deref(),
            Some("a".repeat(TELLING_MAX).as_str())
        );
        // Surrogate pairs decode; a lone half is no text.
        let pair = br#"{"format": "\ud83d\ude00/1"}"#;
        assert_eq!(
            top_level(pair).unwrap().family.as_deref(),
            Some("\u{1f600}")
        );
        for lone in [
            &br#"{"format": "\ud83d/1"}"#[..],
            br#"{"format": "\ude00/1"}"#,
        ] {
            assert_eq!(top_level(lone).unwrap().family, None);
        }
        // Only the top level tells.
        let nested = br#"{"inner": {"format": "phase7-certificate/1", "cluster_scores": []}}"#;
        assert_eq!(recognise(nested), None);
        assert_eq!(
            recognise(br#"[{"format": "phase7-certificate/1"}]"#),
            Some(DocKind::Phase6)
        );
        // Python's non-finite tokens are read as the core reads them.
        let nan =
            br#"{"score_normalized": NaN, "quality_level": "BUENO", "x": [Infinity, -Infinity]}"#;
        assert_eq!(recognise(nan), Some(DocKind::Claimed));
        assert_eq!(
            recognise(b" [1, -0.5E-3, 2e+5, true, false, null, \"\", {}] \n"),
            Some(DocKind::Phase6)
        );
        // Nesting: 128 levels are read, 129 are not (the core's limit).
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(recognise(deep(128).as_bytes()), Some(DocKind::Phase6));
        assert_eq!(recognise(deep(129).as_bytes()), None);
        // Not JSON, or not of a kind: nothing to say.
        for bad in [
            &b"\"text\""[..],
            b"3",
            b"",
            br#"{"a": 1} trailing"#,
            br#"{"a" 1}"#,
            br#"{"a": 1,}"#,
            br#"[1,]"#,
            br#"[1 2]"#,
            br#"[1.]"#,
            br#"[-]"#,
            br#"[01x]"#,
            br#"{"a": "\x"}"#,
            b"[\"raw\ncontrol\"]",
            br#"["\u12"]"#,
            br#"{"format": "phase7-certificate/1""#,
            br#"[}"#,
            br#"{]"#,
            b"[\"\xff\"]",
        ] {
            assert_eq!(recognise(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn what_the_core_parses_is_recognised_alike() {
        // Whatever the core's parser reads, the one-pass reader reads too, with the same
        // top level: the sample, its certificate, audit trail and MacroScore, a refusal.
        use phase7_core::attest::Artifacts;
        use phase7_core::phase::{run, RunOptions};
        use phase7_core::read::json::{parse, Json};
        let sample = include_bytes!("../../tests/fixtures/p06_sample.json");
        let r = run(sample, &RunOptions::default()).unwrap();
        let a = Artifacts::issue(&r, None).unwrap();
        let failed =
            String::from_utf8_lossy(sample).replacen("\"score\": 1.4712", "\"score\": 3.5", 1);
        let options = RunOptions::default();
        let Err(phase7_core::error::Phase7Error::Input(rejected)) =
            run(failed.as_bytes(), &options)
        else {
            panic!("a score of 3.5 is rejected");
        };
        let refused = Artifacts::rejected(failed.as_bytes(), &rejected, &options, None).unwrap();
        let docs: Vec<Vec<u8>> = vec![
            sample.to_vec(),
            a.certificate_json.unwrap().into_bytes(),
            a.audit_trail_json.into_bytes(),
            a.macro_score_json.unwrap().into_bytes(),
            refused.refusal_json.unwrap().into_bytes(),
        ];
        for doc in &docs {
            let value = parse(doc).unwrap().value;
            let shape = top_level(doc).unwrap();
            assert_eq!(shape.array, matches!(value, Json::Array(_)));
            let format = match value.get("format") {
                Some(Json::String(s)) => Some(s.as_str()),
                _ => None,
            };
            assert_eq!(shape.family.as_deref(), format.map(family));
            assert_eq!(shape.cluster_scores, value.get("cluster_scores").is_some());
        }
        // Mutated copies (bytes changed, inserted, removed): never a panic, and wherever
        // the core still reads an array or an object, the same top level.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"{}[]\":,\\ 0-.eEuNI\nx\xc3\xa9";
        let mut agreed = 0;
        for round in 0..4000 {
            let mut doc = docs[round % docs.len()].clone();
            for _ in 0..1 + next() % 3 {
                let at = (next() % doc.len() as u64) as usize;
                let byte = alphabet[(next() % alphabet.len() as u64) as usize];
                match next() % 3 {
                    0 => doc[at] = byte,
                    1 => doc.insert(at, byte),
                    _ => {
                        doc.remove(at);
                    }
                }
            }
            let shape = top_level(&doc);
            if let Ok(parsed) = parse(&doc) {
                if matches!(parsed.value, Json::Array(_) | Json::Object(_)) {
                    let shape = shape.expect("the core reads it, so does the one-pass reader");
                    assert_eq!(shape.array, matches!(parsed.value, Json::Array(_)));
                    let format = match parsed.value.get("format") {
                        Some(Json::String(s)) => Some(s.as_str()),
                        _ => None,
                    };
                    let known = format.map(family).filter(|f| f.len() <= TELLING_MAX);
                    assert_eq!(shape.family.as_deref(), known);
                    agreed += 1;
                }
            }
        }
        assert!(agreed > 400, "{agreed}");
        let kinds: Vec<_> = docs.iter().map(|d| recognise(d)).collect();
        assert_eq!(
            kinds,
            [
                DocKind::Phase6,
                DocKind::Certificate,
                DocKind::AuditTrail,
                DocKind::Claimed,
                DocKind::Refusal
            ]
            .map(Some)
        );
    }

    #[test]
    fn pickers_refuse_other_kinds() {
        let cert = br#"{"format": "phase7-certificate/1"}"#;
        assert_eq!(mismatch(DocKind::Phase6, cert), Some(DocKind::Certificate));
        assert_eq!(mismatch(DocKind::Certificate, cert), None);
        assert_eq!(
            mismatch(DocKind::Certificate, b"[{\"cluster_id\": 1}]"),
            Some(DocKind::Phase6)
        );
        assert_eq!(mismatch(DocKind::Claimed, cert), Some(DocKind::Certificate));
        // Unrecognisable content is the core's to judge.
        assert_eq!(mismatch(DocKind::Phase6, b"[{"), None);
        assert_eq!(mismatch(DocKind::Certificate, b"{}"), None);
        for (i, k) in DocKind::ALL.into_iter().enumerate() {
            assert_eq!(k.index(), i);
        }
    }
}
