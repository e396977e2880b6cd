//! A strict JSON reader for the files the pipeline writes.
//!
//! Why not `serde_json::Value`: the pipeline's files need things serde_json does not give
//! together. Python's `json.dump` writes the tokens `NaN`, `Infinity` and `-Infinity`,
//! which must be *recognised* (and then rejected as NON_FINITE, with their path) rather
//! than reported as a syntax error; duplicate keys must be detected after unescaping
//! (serde_json keeps the last silently); object keys must keep their input order (the
//! input digest and the carried-through fields depend on it); and the nesting depth must
//! be bounded so that hostile input cannot overflow the stack.
//!
//! Numbers are read as `str::parse::<f64>` reads them, correctly rounded, bit for bit
//! (natively through `read/number.rs`, which avoids the cost of its slow path). An integer
//! token is converted as Python converts an `int` to `float`, so `-0` becomes `+0.0`
//! (Python has no negative integer zero) while `-0.0` stays negative.
//!
//! Cost: time linear in the input (duplicate keys are found through a hash index once an
//! object has more than a few keys; no key is copied while parsing) and memory linear in
//! it (the tree, plus at most [`MAX_LISTED_PER_CODE`] listed findings of each kind, each
//! with its keys cut to [`SHOWN_CHARS`] characters; the rest are only counted).

use std::collections::hash_map::RandomState;
use std::fmt::{self, Write as _};
use std::hash::BuildHasher;
use std::ops::Range;

pub use crate::error::MAX_LISTED_PER_CODE;

/// Deepest nesting of arrays and objects accepted; deeper input is MALFORMED_JSON.
pub const MAX_DEPTH: usize = 128;

/// Characters of a key or value from the input that a message repeats; a longer one is
/// shown as its first `SHOWN_CHARS` characters, `…` and its length in bytes.
pub const SHOWN_CHARS: usize = 64;

/// Steps of a path that a message shows; a deeper path is shown by its first third and
/// the rest of its last steps.
pub const SHOWN_STEPS: usize = 12;

/// Bytes of a path that a message shows whole: a longer one (keys of escaped control
/// characters, long keys on every step) is cut as a long key is, after [`SHOWN_CHARS`]
/// characters with its length in bytes.
pub const SHOWN_PATH_BYTES: usize = 256;

/// A parsed JSON value. Objects keep their keys in input order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// Any number, including the non-finite tokens (reported separately by the parser).
    Number(f64),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, keys in input order (after duplicates were resolved, last one wins as in
    /// Python; the duplicate itself is reported).
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The value of `key` when `self` is an object holding it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The JSON type name, as an error message says it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// A short, human-readable rendering for error messages: the JSON text when it is at
    /// most 80 characters, else its first 77 and `...`. Renders at most 80 characters,
    /// however large the value.
    pub fn excerpt(&self) -> String {
        const KEEP: usize = 77;
        const MAX: usize = 80;
        let mut w = Bounded {
            out: String::new(),
            chars: 0,
            limit: MAX,
            cut_at: None,
            keep: KEEP,
        };
        // An error only means the limit was reached.
        let full = write!(w, "{self}").is_err();
        if full {
            w.out.truncate(w.cut_at.unwrap_or(w.out.len()));
            w.out.push_str("...");
        }
        w.out
    }
}

/// A `fmt::Write` that takes at most `limit` characters, then fails (which stops any
/// `Display` writing into it); remembers where character `keep` began.
struct Bounded {
    out: String,
    chars: usize,
    limit: usize,
    cut_at: Option<usize>,
    keep: usize,
}

impl fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if self.chars == self.keep {
                self.cut_at = Some(self.out.len());
            }
            if self.chars == self.limit {
                return Err(fmt::Error);
            }
            self.out.push(c);
            self.chars += 1;
        }
        Ok(())
    }
}

/// Text from the input as a message shows it: whole when it has at most [`SHOWN_CHARS`]
/// characters, else its first [`SHOWN_CHARS`] characters and its length in bytes. Making
/// one reads at most [`SHOWN_CHARS`] characters of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    head: String,
    bytes: usize,
}

impl Shown {
    /// The shown form of `text`.
    pub fn of(text: &str) -> Shown {
        let head = match text.char_indices().nth(SHOWN_CHARS) {
            Some((i, _)) => text.get(..i).unwrap_or(text),
            None => text,
        };
        Shown {
            head: head.to_string(),
            bytes: text.len(),
        }
    }

    /// The shown form of `text`, itself a part of a text of `bytes` bytes.
    pub(crate) fn cut_from(text: &str, bytes: usize) -> Shown {
        Shown {
            bytes,
            ..Shown::of(text)
        }
    }

    /// True when the text was cut.
    pub fn is_cut(&self) -> bool {
        self.head.len() < self.bytes
    }

    /// The text, or its first [`SHOWN_CHARS`] characters when cut.
    pub fn head(&self) -> &str {
        &self.head
    }

    /// The length of the whole text in bytes.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Quoted ([`crate::quote::string`]): `"score"`, or `"aaaa…" (1048576 bytes)` when
    /// cut.
    pub fn quoted(&self) -> String {
        if self.is_cut() {
            let head = crate::quote::string(&format!("{}…", self.head));
            format!("{head} ({} bytes)", self.bytes)
        } else {
            crate::quote::string(&self.head)
        }
    }
}

impl fmt::Display for Shown {
    /// The text, or `aaaa… (1048576 bytes)` when cut.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_cut() {
            write!(f, "{}… ({} bytes)", self.head, self.bytes)
        } else {
            f.write_str(&self.head)
        }
    }
}

/// `text` as a message shows it (see [`Shown`]): `aaaa… (1048576 bytes)` when long.
pub fn shown(text: &str) -> String {
    Shown::of(text).to_string()
}

/// Formats an f64 the way JSON writers do (shortest text that reads back to the same
/// bits), with Python's spelling of the non-finite values.
pub fn number_text(x: f64) -> String {
    let mut out = String::new();
    push_number(&mut out, x);
    out
}

/// Appends [`number_text`]`(x)` to `out` (serde_json's own float formatter, no
/// intermediate string).
pub fn push_number(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("NaN");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let mut buf = [0u8; 40];
        let mut cursor = std::io::Cursor::new(&mut buf[..]);
        let written = serde_json::ser::Formatter::write_f64(
            &mut serde_json::ser::CompactFormatter,
            &mut cursor,
            x,
        );
        let n = cursor.position() as usize;
        // A finite f64 takes at most 24 bytes: the write cannot fail.
        if let (Ok(()), Ok(text)) = (written, std::str::from_utf8(&buf[..n])) {
            out.push_str(text);
        }
    }
}

/// Writes `s` as a JSON string (quotes included), escaping as serde_json does: `"`, `\`
/// and the control characters, nothing else. Unescaped runs are written in one piece.
pub(crate) fn write_json_str<W: fmt::Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    out.write_char('"')?;
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F => "",
            _ => continue,
        };
        // Slicing at ASCII bytes keeps UTF-8 boundaries.
        out.write_str(s.get(start..i).unwrap_or_default())?;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.write_str("\\u00")?;
            out.write_char(char::from(HEX[usize::from(b >> 4)]))?;
            out.write_char(char::from(HEX[usize::from(b & 15)]))?;
        } else {
            out.write_str(escape)?;
        }
        start = i + 1;
    }
    out.write_str(s.get(start..).unwrap_or_default())?;
    out.write_char('"')
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Number(x) => f.write_str(&number_text(*x)),
            Json::String(s) => write_json_str(f, s),
            Json::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Json::Object(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_json_str(f, k)?;
                    write!(f, ": {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(x) => s.serialize_f64(*x),
            Json::String(v) => s.serialize_str(v),
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// One step of a path into a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
    /// An object key longer than [`SHOWN_CHARS`] characters, as the paths of findings
    /// keep it (its head and length: a finding never copies a whole key).
    LongKey(Shown),
}

impl Step {
    /// The step as a finding records it: a long key is cut.
    fn recorded(&self) -> Step {
        match self {
            Step::Key(k) => Step::key_recorded(k),
            other => other.clone(),
        }
    }

    /// A key as a finding records it: [`Step::Key`], or [`Step::LongKey`] when it has
    /// more than [`SHOWN_CHARS`] characters.
    pub(crate) fn key_recorded(key: &str) -> Step {
        let s = Shown::of(key);
        if s.is_cut() {
            Step::LongKey(s)
        } else {
            Step::Key(s.head)
        }
    }
}

/// Renders a path as `[0].score` / `cluster_scores[1].areas[2]`, unambiguously: a key
/// made only of ASCII letters, digits, `_` and `-` is written as is (after a `.`), any
/// other key as a quoted JSON string in brackets, so the key `"ext.a"` reads
/// `["ext.a"]` and never like the nested `ext.a`. A cut key reads `["aaaa…" (N bytes)]`;
/// a path of more than [`SHOWN_STEPS`] steps shows its first and last steps around
/// `…(N steps)…`; a text of more than [`SHOWN_PATH_BYTES`] is cut as a long key is,
/// `[0]["aaaa… (4657 bytes)` (twelve keys of 64 escaped control characters took 4.7 KB,
/// in each finding's field and message).
pub fn path_text(path: &[Step]) -> String {
    let mut out = String::new();
    let long = path.len() > SHOWN_STEPS;
    for (i, step) in path.iter().enumerate() {
        if long && i >= SHOWN_STEPS / 3 && i < path.len() - (SHOWN_STEPS - SHOWN_STEPS / 3) {
            if i == SHOWN_STEPS / 3 {
                let _ = write!(out, "…({} steps)…", path.len() - SHOWN_STEPS);
            }
            continue;
        }
        match step {
            Step::Key(k) => push_key(&mut out, k),
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
            Step::LongKey(s) => {
                out.push('[');
                let _ = write_json_str(&mut out, &format!("{}…", s.head()));
                let _ = write!(out, " ({} bytes)]", s.bytes());
            }
        }
    }
    if out.is_empty() {
        out.push_str("(document)");
    }
    if out.len() > SHOWN_PATH_BYTES {
        out = shown(&out);
    }
    out
}

/// Appends one key to a path in the form [`path_text`] uses.
pub fn push_key(out: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(key);
    } else {
        out.push('[');
        // Writing into a String cannot fail.
        let _ = write_json_str(out, key);
        out.push(']');
    }
}

/// The RFC 6901 JSON Pointer of a path of keys (`Ok`) and indices (`Err`): `""` for the
/// document, `/0/score`, `/ext.a` vs `/ext/a` — how a path is *bound* in a certificate.
/// Its keys stop being written once it holds `max` bytes, so a long one costs no more
/// than its first bytes, whatever its keys.
pub fn pointer(path: &[Result<&str, usize>], max: usize) -> String {
    let mut out = String::new();
    for step in path {
        out.push('/');
        match step {
            Ok(key) => {
                for c in key.chars() {
                    if out.len() >= max {
                        return out;
                    }
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Err(i) => {
                let _ = write!(out, "{i}");
            }
        }
    }
    out
}

/// Something the parser found that does not stop parsing but rejects the input.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// A `NaN`/`Infinity`/`-Infinity` token, or a number too large for f64.
    NonFinite {
        /// Where it is (long keys cut).
        path: Vec<Step>,
        /// The token as written ([`shown`]: cut when long).
        token: String,
        /// See [`Finding::replaced`].
        replaced: Option<usize>,
    },
    /// The same key twice in one object (compared after unescaping).
    DuplicateKey {
        /// The object holding it (long keys cut).
        path: Vec<Step>,
        /// The key (cut when long).
        key: Shown,
        /// See [`Finding::replaced`].
        replaced: Option<usize>,
    },
}

impl Finding {
    /// `Some(n)` when the finding lies inside a value that a later duplicate key replaced
    /// (the document keeps the last value of a key): the first `n` steps of its path lead
    /// to that value (the outermost one replaced). Its path is then where it was written,
    /// not a place in the parsed value: `{"cluster_scores": [[NaN]], "cluster_scores":
    /// […]}` has its NaN in the first array, not in the first cluster of the second.
    pub fn replaced(&self) -> Option<usize> {
        match self {
            Finding::NonFinite { replaced, .. } | Finding::DuplicateKey { replaced, .. } => {
                *replaced
            }
        }
    }

    fn path_mut(&mut self) -> (&mut Vec<Step>, &mut Option<usize>) {
        match self {
            Finding::NonFinite { path, replaced, .. }
            | Finding::DuplicateKey { path, replaced, .. } => (path, replaced),
        }
    }
}

/// How many findings of each kind a document holds beyond the listed ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct More {
    /// Non-finite numbers not listed.
    pub non_finite: u64,
    /// Duplicate keys not listed.
    pub duplicate_keys: u64,
}

/// Why a document does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {reason}")]
pub struct SyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What was wrong.
    pub reason: String,
}

/// A parsed document plus what the parser noticed on the way.
#[derive(Clone, Debug)]
pub struct Document {
    /// The value.
    pub value: Json,
    /// Non-finite numbers and duplicate keys, in document order: the first
    /// [`MAX_LISTED_PER_CODE`] of each kind.
    pub findings: Vec<Finding>,
    /// How many more there are of each kind (counted, not listed).
    pub more: More,
}

/// The findings of one part of a document (see [`parse_scoped`]).
#[derive(Clone, Debug, Default)]
pub struct Findings {
    /// The first [`MAX_LISTED_PER_CODE`] of each kind, in document order, paths relative
    /// to the part.
    pub listed: Vec<Finding>,
    /// The rest, counted.
    pub more: More,
}

/// Parses bytes (UTF-8, optional BOM) into a [`Document`].
///
/// # Errors
///
/// A [`SyntaxError`] for invalid UTF-8, invalid JSON, a lone surrogate escape, control
/// characters in strings, trailing content, or nesting deeper than [`MAX_DEPTH`].
pub fn parse(bytes: &[u8]) -> Result<Document, SyntaxError> {
    parse_with(bytes, None).map(|(doc, _)| doc)
}

/// [`parse`], also collecting the findings under the top-level key `scope` separately
/// (paths relative to it), plus a duplicate of that key itself: what a batch line
/// `{"phase6": …, "expected": …}` reports. The scoped findings are `Some` only when the
/// document is an object (whether or not it holds the key).
///
/// # Errors
///
/// As [`parse`].
pub fn parse_scoped(
    bytes: &[u8],
    scope: &'static str,
) -> Result<(Document, Option<Findings>), SyntaxError> {
    parse_with(bytes, Some(scope))
}

fn parse_with(
    bytes: &[u8],
    scope: Option<&'static str>,
) -> Result<(Document, Option<Findings>), SyntaxError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = position(&bytes[..e.valid_up_to()]);
            return Err(SyntaxError {
                line,
                column,
                reason: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            });
        }
    };
    let mut p = Parser {
        text,
        src: text.as_bytes(),
        pos: 0,
        path: Vec::new(),
        all: Bucket::default(),
        scope: scope.map(|key| (key, Bucket::default())),
        scope_dups: Bucket::default(),
        items: Vec::new(),
        members: Vec::new(),
    };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos != p.src.len() {
        return Err(p.error("unexpected content after the JSON value"));
    }
    let scoped = match (&value, p.scope) {
        (Json::Object(_), Some((_, mut b))) => {
            // The duplicates of the scope key itself come after its last value.
            b.listed.extend(p.scope_dups.listed);
            b.more.duplicate_keys += p.scope_dups.more.duplicate_keys;
            Some(Findings {
                listed: b.listed,
                more: b.more,
            })
        }
        _ => None,
    };
    Ok((
        Document {
            value,
            findings: p.all.listed,
            more: p.all.more,
        },
        scoped,
    ))
}

/// 1-based line and column (in characters) after `prefix`, which is valid UTF-8.
fn position(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let last = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(prefix, |i| &prefix[i + 1..]);
    // Characters are the bytes that do not continue a UTF-8 sequence.
    let column = last.iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
    (line, column)
}

/// Findings of one kind beyond this many are counted, not listed.
const LISTED: usize = MAX_LISTED_PER_CODE;

/// Findings collected for a document or a part of it.
#[derive(Default)]
struct Bucket {
    listed: Vec<Finding>,
    non_finite: usize,
    duplicate_keys: usize,
    more: More,
}

impl Bucket {
    fn non_finite(&mut self, path: &[Step], token: &str) {
        if self.non_finite < LISTED {
            self.non_finite += 1;
            self.listed.push(Finding::NonFinite {
                path: path.iter().map(Step::recorded).collect(),
                token: shown(token),
                replaced: None,
            });
        } else {
            self.more.non_finite += 1;
        }
    }

    fn duplicate_key(&mut self, path: &[Step], key: &str) {
        if self.duplicate_keys < LISTED {
            self.duplicate_keys += 1;
            self.listed.push(Finding::DuplicateKey {
                path: path.iter().map(Step::recorded).collect(),
                key: Shown::of(key),
                replaced: None,
            });
        } else {
            self.more.duplicate_keys += 1;
        }
    }
}

/// Pushes onto a container being parsed, natively. A large one grows by a quarter instead
/// of doubling, so that its unused capacity stays small (a reallocation of a large block
/// moves pages, not bytes: the CLI's allocator gives blocks of 1 MiB and more to the
/// system's, which grows them with `mremap`). In wasm32 a large container is gathered in
/// [`Blocks`] instead.
fn grow_push<T>(v: &mut Vec<T>, x: T) {
    if v.len() == v.capacity() && v.capacity() >= 1024 {
        v.reserve_exact(v.capacity() / 4);
    }
    v.push(x);
}

/// Items open containers hold on the parser's shared stack ([`Parser::items`],
/// [`Parser::members`]) before one moves to a vector of its own.
const SHARED_ITEMS: usize = 1024;

/// The items of a container past [`SHARED_ITEMS`] while it is parsed ([`Open::Own`]):
/// natively a vector grown by [`grow_push`] and fitted by [`fit_vec`]; in wasm32
/// [`Blocks`].
trait Own<T>: Sized {
    fn of(first: Vec<T>) -> Self;
    fn count(&self) -> usize;
    fn at(&self, i: usize) -> Option<&T>;
    fn at_mut(&mut self, i: usize) -> Option<&mut T>;
    fn add(&mut self, x: T);
    /// The items, in a vector of their own.
    fn finish(self) -> Vec<T>;
}

impl<T> Own<T> for Vec<T> {
    fn of(first: Vec<T>) -> Self {
        first
    }
    fn count(&self) -> usize {
        Vec::len(self)
    }
    fn at(&self, i: usize) -> Option<&T> {
        self.get(i)
    }
    fn at_mut(&mut self, i: usize) -> Option<&mut T> {
        self.get_mut(i)
    }
    fn add(&mut self, x: T) {
        grow_push(self, x);
    }
    fn finish(mut self) -> Vec<T> {
        fit_vec(&mut self);
        self
    }
}

/// A large container's items in wasm32: blocks of [`SHARED_ITEMS`] items each, moved into
/// one vector of exactly their number when the container closes. A vector grown in
/// place is no choice there: talc grows a block in place only into free room right after
/// it, which the keys and strings parsed in the meantime take (and which it does not
/// make by growing the memory), so each growth moved the vector and left its old block
/// free, a hole too small for any later growth, and a wasm memory keeps its high-water
/// mark. Grown by a quarter, the holes came to four times the vector (an object of two
/// million short keys, 16.5 MB: 472 MB of wasm memory through the npm package); by
/// doubling, to its size, with the old and new blocks of twice its size alive together
/// at the last growth (arrays of 2¹⁹+1, 2²⁰+1, 2²¹+1 and 2²²+1 zeros: 401 MB). Blocks of
/// one size are reused by the next container's, and the container costs twice its items
/// at most, for one copy when it closes.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
struct Blocks<T>(Vec<Vec<T>>);

impl<T> Own<T> for Blocks<T> {
    fn of(first: Vec<T>) -> Self {
        Blocks(vec![first])
    }
    fn count(&self) -> usize {
        // Every block but the last is full.
        (self.0.len() - 1) * SHARED_ITEMS + self.0.last().map_or(0, Vec::len)
    }
    fn at(&self, i: usize) -> Option<&T> {
        self.0.get(i / SHARED_ITEMS)?.get(i % SHARED_ITEMS)
    }
    fn at_mut(&mut self, i: usize) -> Option<&mut T> {
        self.0.get_mut(i / SHARED_ITEMS)?.get_mut(i % SHARED_ITEMS)
    }
    fn add(&mut self, x: T) {
        if self.count() % SHARED_ITEMS == 0 {
            self.0.push(Vec::with_capacity(SHARED_ITEMS));
        }
        if let Some(last) = self.0.last_mut() {
            last.push(x);
        }
    }
    fn finish(self) -> Vec<T> {
        let mut all = Vec::with_capacity(self.count());
        for mut block in self.0 {
            all.append(&mut block);
        }
        all
    }
}

#[cfg(not(target_arch = "wasm32"))]
type OwnItems<T> = Vec<T>;
#[cfg(target_arch = "wasm32")]
type OwnItems<T> = Blocks<T>;

/// The items of a container being parsed. A container's items are pushed onto a stack
/// the parser shares between containers (a nested container's go above its parent's and
/// are taken off when it closes), and the closed container gets a vector of exactly its
/// length: no container keeps unused capacity, and none is grown step by step (a tiny
/// array such as `[0,0]` took a vector of four, twice what it holds). Past
/// [`SHARED_ITEMS`] a container moves to items of its own ([`Own`]), so that the shared
/// stack stays under depth × [`SHARED_ITEMS`] items whatever the input.
enum Open<T> {
    /// Above this length of the shared stack.
    Shared(usize),
    Own(OwnItems<T>),
}

impl<T> Open<T> {
    fn len(&self, shared: &[T]) -> usize {
        match self {
            Open::Shared(start) => shared.len() - start,
            Open::Own(v) => v.count(),
        }
    }

    fn get<'s>(&'s self, shared: &'s [T], i: usize) -> Option<&'s T> {
        match self {
            Open::Shared(start) => shared.get(start + i),
            Open::Own(v) => v.at(i),
        }
    }

    fn get_mut<'s>(&'s mut self, shared: &'s mut [T], i: usize) -> Option<&'s mut T> {
        match self {
            Open::Shared(start) => shared.get_mut(*start + i),
            Open::Own(v) => v.at_mut(i),
        }
    }

    fn push(&mut self, shared: &mut Vec<T>, x: T) {
        match self {
            Open::Shared(start) => {
                shared.push(x);
                if shared.len() - *start >= SHARED_ITEMS {
                    *self = Open::Own(Own::of(shared.split_off(*start)));
                }
            }
            Open::Own(v) => v.add(x),
        }
    }

    /// The container's items, in a vector of their own (taken off the shared stack).
    fn close(self, shared: &mut Vec<T>) -> Vec<T> {
        match self {
            Open::Shared(start) => shared.split_off(start),
            Open::Own(v) => v.finish(),
        }
    }
}

/// Gives a finished container's unused capacity back when it is 128 bytes or more (the
/// tail of a large array) or as much as it holds, so that no container keeps more than
/// twice what it holds plus 128 bytes and the parsed tree stays within the bound of
/// docs/formats.md "Cost" for any shape (`core/tests/bounds.rs`). (Only a container
/// past [`SHARED_ITEMS`] has a vector of its own to fit, natively: [`Open`].) A block
/// under 1 MiB is copied into an exact one rather than shrunk: mimalloc, the CLI's
/// allocator for such blocks, keeps a block shrunk to half its size or more where it is,
/// whole.
fn fit_vec<T>(v: &mut Vec<T>) {
    let unused = v.capacity() - v.len();
    if unused * std::mem::size_of::<T>() >= 128 || unused > v.len() {
        if v.capacity() * std::mem::size_of::<T>() < 1 << 20 {
            let mut exact = Vec::with_capacity(v.len());
            exact.append(v);
            *v = exact;
        } else {
            v.shrink_to_fit();
        }
    }
}

/// [`fit_vec`] for a string built piece by piece.
fn fit(s: &mut String) {
    let unused = s.capacity() - s.len();
    if unused >= 128 || unused > s.len() {
        s.shrink_to_fit();
    }
}

/// Objects with more keys than this find duplicates through a hash index (a scan of a
/// few dozen short keys is cheaper than building one).
const LINEAR_KEYS: usize = 32;

/// Strings → their positions in some list, to tell strings apart in linear time: a
/// hash table of positions, each with a 32-bit hash of its string (SipHash with secret
/// keys, so crafted collisions do not pay: see [`secret`]); a lookup compares the string
/// at each position whose hash matches, so every answer is exact. A bucket takes 9 bytes,
/// not the 17 of a map from 64-bit hashes to positions: an object of two million short
/// keys held 68 MB of index, and as much again in the smaller tables it outgrew, which a
/// wasm memory keeps. (A table of positions alone, hashing the strings again as it grows,
/// took 5 bytes a bucket but half as much time again to parse such an object.) The one
/// hash table of the crate (the parser's keys, cluster ids, areas, report groups).
/// Nothing depends on the hashes but the time: the table is only looked up, never walked.
pub(crate) struct StrIndex {
    hasher: RandomState,
    secret: u64,
    /// (hash, position)
    table: hashbrown::HashTable<(u32, u32)>,
}

impl Default for StrIndex {
    fn default() -> Self {
        StrIndex {
            hasher: RandomState::new(),
            secret: secret(),
            table: hashbrown::HashTable::new(),
        }
    }
}

/// What the index hashes with each key, besides `RandomState`'s keys. Natively nothing
/// (0): those keys come from the operating system, per process. In wasm32 the standard
/// library has no source of entropy and `RandomState`'s keys are constants (1 + a count,
/// and 2), so anyone could compute, offline, keys that all land in one probe sequence
/// of the index and make each insertion walk past all the others: quadratic time in a
/// visitor's tab. In the browser a per-module secret from `Math.random()` is hashed in
/// front of every key instead.
#[cfg(not(all(target_arch = "wasm32", feature = "browser")))]
pub(crate) fn secret() -> u64 {
    0
}

/// See the native [`secret`]: in the browser, 64 bits from two `Math.random()` draws,
/// once per module.
#[cfg(all(target_arch = "wasm32", feature = "browser"))]
pub(crate) fn secret() -> u64 {
    static SECRET: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SECRET.get_or_init(|| {
        // Math.random() carries 52 or 53 random bits: two draws, one shifted over the other.
        let bits = || (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        (bits() << 11) ^ bits()
    })
}

impl StrIndex {
    /// The position of `key` among the strings `key_at` gives, if it is there (and was
    /// [`StrIndex::insert`]ed).
    pub(crate) fn find<'a>(&self, key: &str, key_at: &dyn Fn(usize) -> &'a str) -> Option<usize> {
        let h = self.hash(key);
        let found = self.table.find(spread(h), |&(hash, i)| {
            hash == h && key_at(i as usize) == key
        });
        found.map(|&(_, i)| i as usize)
    }

    /// Records that `key`, not in the index, is at `at`. Positions are below 2³²: every
    /// list indexed is of things read from an input of at most 16 MiB.
    pub(crate) fn insert(&mut self, key: &str, at: usize) {
        let h = self.hash(key);
        self.table
            .insert_unique(spread(h), (h, at as u32), |&(hash, _)| spread(hash));
    }

    /// The 32-bit hash of `key`: `RandomState`'s, with the browser's [`secret`] in front.
    fn hash(&self, key: &str) -> u32 {
        let h = if self.secret == 0 {
            self.hasher.hash_one(key)
        } else {
            self.hasher.hash_one((self.secret, key))
        };
        (h ^ (h >> 32)) as u32
    }

    /// True when nothing was inserted.
    pub(crate) fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// The table's 64-bit hash from a stored 32-bit one: the same bits in both halves (the
/// table takes the bucket from the low bits and a tag from the top 7).
fn spread(h: u32) -> u64 {
    u64::from(h) * 0x1_0000_0001
}

struct Parser<'a> {
    /// The input, checked as UTF-8 once; slices of it at ASCII delimiters are strings.
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    /// The path to the value being parsed. Keys are moved in and out, never copied.
    path: Vec<Step>,
    all: Bucket,
    /// The findings inside the scope key's value; when the key is given again at the top
    /// level, those of its last value only (the one the document keeps: the others are
    /// not read, as no other key's value is).
    scope: Option<(&'static str, Bucket)>,
    /// Duplicates of the scope key itself at the top level.
    scope_dups: Bucket,
    /// The items of the arrays being parsed, innermost last ([`Open`]).
    items: Vec<Json>,
    /// The members of the objects being parsed, innermost last ([`Open`]).
    members: Vec<(String, Json)>,
}

impl Parser<'_> {
    fn error(&self, reason: impl Into<String>) -> SyntaxError {
        let (line, column) = position(&self.src[..self.pos.min(self.src.len())]);
        SyntaxError {
            line,
            column,
            reason: reason.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat_literal(&mut self, lit: &str) -> bool {
        if self.src[self.pos..].starts_with(lit.as_bytes()) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    /// The part of the current path inside the scope key, when it is inside it.
    fn scoped_rest(&self) -> Option<usize> {
        match (&self.scope, self.path.first()) {
            (Some((key, _)), Some(Step::Key(k))) if k == key => Some(1),
            _ => None,
        }
    }

    fn note_non_finite(&mut self, token: &str) {
        self.all.non_finite(&self.path, token);
        if let Some(from) = self.scoped_rest() {
            if let Some((_, b)) = &mut self.scope {
                b.non_finite(&self.path[from..], token);
            }
        }
    }

    fn note_duplicate_key(&mut self, key: &str) {
        self.all.duplicate_key(&self.path, key);
        if self.path.is_empty() && self.scope.as_ref().is_some_and(|(s, _)| key == *s) {
            // A duplicate scope key itself makes the part ambiguous.
            self.scope_dups.duplicate_key(&[], key);
            return;
        }
        if let Some(from) = self.scoped_rest() {
            if let Some((_, b)) = &mut self.scope {
                b.duplicate_key(&self.path[from..], key);
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        match self.peek() {
            None => Err(self.error("unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b't') if self.eat_literal("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.eat_literal("false") => Ok(Json::Bool(false)),
            Some(b'n') if self.eat_literal("null") => Ok(Json::Null),
            Some(b'N') if self.eat_literal("NaN") => Ok(self.non_finite("NaN", f64::NAN)),
            Some(b'I') if self.eat_literal("Infinity") => {
                Ok(self.non_finite("Infinity", f64::INFINITY))
            }
            Some(b'-') if self.eat_literal("-Infinity") => {
                Ok(self.non_finite("-Infinity", f64::NEG_INFINITY))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error(format!(
                "unexpected character {}, expected a value",
                crate::quote::char(self.char_here())
            ))),
        }
    }

    fn char_here(&self) -> char {
        std::str::from_utf8(&self.src[self.pos..])
            .ok()
            .and_then(|s| s.chars().next())
            .unwrap_or('\u{FFFD}')
    }

    fn non_finite(&mut self, token: &str, value: f64) -> Json {
        self.note_non_finite(token);
        Json::Number(value)
    }

    fn number(&mut self) -> Result<Json, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number: expected a digit")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number: expected a digit after '.'"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number: expected a digit in the exponent"));
            }
            self.digits();
        }
        // The slice is ASCII by construction.
        let token = self.text.get(start..self.pos).unwrap_or("0");
        let mut value: f64 = super::number::parse(token)
            .ok_or_else(|| self.error(format!("invalid number {}", Shown::of(token).quoted())))?;
        if integer && value == 0.0 {
            // Python reads `-0` as the integer 0, which is +0.0 as a float.
            value = 0.0;
        }
        if !value.is_finite() {
            self.note_non_finite(token);
        }
        Ok(Json::Number(value))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn hex4(&mut self) -> Result<u16, SyntaxError> {
        let Some(chunk) = self.src.get(self.pos..self.pos + 4) else {
            return Err(self.error("truncated \\u escape"));
        };
        let text = std::str::from_utf8(chunk).map_err(|_| self.error("invalid \\u escape"))?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error("invalid \\u escape"));
        }
        let v = u16::from_str_radix(text, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    /// A string token, unescaped. (Long: the JSON escape rules, surrogate pairs
    /// included, in one place.)
    fn string(&mut self) -> Result<String, SyntaxError> {
        // Opening quote.
        self.pos += 1;
        // Most strings have no escape: one exact allocation.
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            self.pos += 1;
        }
        if self.peek() == Some(b'"') {
            self.pos += 1;
            // Slicing at ASCII bytes of valid UTF-8 keeps it valid.
            return Ok(self.text.get(start..self.pos - 1).unwrap_or("").to_string());
        }
        self.pos = start;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Slicing at ASCII bytes of valid UTF-8 keeps it valid.
            out.push_str(self.text.get(start..self.pos).unwrap_or(""));
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    fit(&mut out);
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let Some(esc) = self.peek() else {
                        return Err(self.error("unterminated escape"));
                    };
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if !self.eat_literal("\\u") {
                                    return Err(self.error("lone surrogate in \\u escape"));
                                }
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.error("lone surrogate in \\u escape"));
                                }
                                let code = 0x10000
                                    + ((u32::from(hi) - 0xD800) << 10)
                                    + (u32::from(lo) - 0xDC00);
                                char::from_u32(code)
                            } else if (0xDC00..0xE000).contains(&hi) {
                                None
                            } else {
                                char::from_u32(u32::from(hi))
                            };
                            match c {
                                Some(c) => out.push(c),
                                None => return Err(self.error("lone surrogate in \\u escape")),
                            }
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                Some(_) => return Err(self.error("control character in string")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(Vec::new()));
        }
        let mut items = Open::Shared(self.items.len());
        loop {
            self.skip_ws();
            self.path.push(Step::Index(items.len(&self.items)));
            let item = self.value(depth);
            self.path.pop();
            items.push(&mut self.items, item?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items.close(&mut self.items)));
                }
                _ => return Err(self.error("expected ',' or ']' in array")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.pos += 1;
        let mut entries = Open::Shared(self.members.len());
        let mut index: Option<StrIndex> = None;
        // The members whose values hold listed findings, by slot: where those findings
        // are in each bucket's list, to be marked if a later duplicate replaces the value.
        // (Listed findings are capped, so this stays short, whatever the object.)
        let mut found_in: Vec<(usize, [Range<usize>; 2])> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(Vec::new()));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key in object"));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' after object key"));
            }
            self.pos += 1;
            self.skip_ws();
            let members = &self.members;
            let key_at = |i: usize| entries.get(members, i).map_or("", |m| m.0.as_str());
            let existing = find_key(entries.len(members), key_at, &mut index, &key);
            if let (Some(_), true, Some((scope, b))) =
                (existing, self.path.is_empty(), &mut self.scope)
            {
                if key == *scope {
                    // The scope key again: only its last value is read.
                    *b = Bucket::default();
                }
            }
            // The key lives in the path while its value is parsed, then comes back.
            let before = self.listed();
            self.path.push(Step::Key(key));
            let value = self.value(depth);
            let key = match self.path.pop() {
                Some(Step::Key(k)) => k,
                _ => String::new(),
            };
            let value = value?;
            let after = self.listed();
            let slot = match existing {
                Some(slot) => {
                    if let Ok(i) = found_in.binary_search_by_key(&slot, |f| f.0) {
                        let (_, ranges) = found_in.remove(i);
                        self.mark_replaced(ranges, &key);
                    }
                    self.note_duplicate_key(&key);
                    if let Some(member) = entries.get_mut(&mut self.members, slot) {
                        member.1 = value;
                    }
                    slot
                }
                None => {
                    let slot = entries.len(&self.members);
                    if let Some(ix) = &mut index {
                        ix.insert(&key, slot);
                    }
                    entries.push(&mut self.members, (key, value));
                    slot
                }
            };
            if before != after {
                let at = found_in.partition_point(|f| f.0 < slot);
                found_in.insert(at, (slot, [before[0]..after[0], before[1]..after[1]]));
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(entries.close(&mut self.members)));
                }
                _ => return Err(self.error("expected ',' or '}' in object")),
            }
        }
    }

    /// How many findings each bucket lists (the document's, the scope's).
    fn listed(&self) -> [usize; 2] {
        let scoped = self.scope.as_ref().map_or(0, |(_, b)| b.listed.len());
        [self.all.listed.len(), scoped]
    }

    /// Marks the findings listed in `ranges` (the document's, the scope's) as inside the
    /// value of `key`, a member of the object at the current path, which a later
    /// duplicate replaces ([`Finding::replaced`]).
    fn mark_replaced(&mut self, ranges: [Range<usize>; 2], key: &str) {
        let depth = self.path.len() + 1; // The steps to the replaced value.
        let [all, scoped] = ranges;
        for f in self.all.listed.get_mut(all).unwrap_or_default() {
            let (_, replaced) = f.path_mut();
            *replaced = Some(replaced.map_or(depth, |n| n.min(depth)));
        }
        let Some((scope, bucket)) = &mut self.scope else {
            return;
        };
        // The scope's paths start inside its key. The scope key itself replaced: its
        // findings were dropped when it came again (and the range is of those).
        if self.path.is_empty() && key == *scope {
            return;
        }
        for f in bucket.listed.get_mut(scoped).unwrap_or_default() {
            let (_, replaced) = f.path_mut();
            *replaced = Some(replaced.map_or(depth - 1, |n| n.min(depth - 1)));
        }
    }
}

/// The entry holding `key`: a scan while the object is small, then a hash index
/// (built once, when the object outgrows [`LINEAR_KEYS`]).
fn find_key<'a>(
    len: usize,
    key_at: impl Fn(usize) -> &'a str,
    index: &mut Option<StrIndex>,
    key: &str,
) -> Option<usize> {
    if len < LINEAR_KEYS {
        return (0..len).position(|i| key_at(i) == key);
    }
    let ix = index.get_or_insert_with(|| {
        let mut ix = StrIndex::default();
        for i in 0..len {
            ix.insert(key_at(i), i);
        }
        ix
    });
    ix.find(key, &key_at)
}

/// In the browser the index does not hash with `RandomState`'s constant keys alone.
#[cfg(all(test, target_arch = "wasm32", feature = "browser"))]
mod browser_tests {
    use super::*;

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_index_hashes_each_key_with_a_secret() {
        assert_ne!(secret(), 0);
        assert_eq!(secret(), secret(), "one secret per module");
        let index = StrIndex::default();
        let plain = index.hasher.hash_one("k");
        assert_ne!(index.hash("k"), (plain ^ (plain >> 32)) as u32);
        let mut keys = StrIndex::default();
        let at = |i: usize| ["a", "b"][i];
        keys.insert("a", 0);
        keys.insert("b", 1);
        assert_eq!(keys.find("b", &at), Some(1));
        assert_eq!(keys.find("c", &at), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_tokens_are_findings_not_syntax_errors() {
        let doc = parse(b"[NaN, Infinity, -Infinity, 1e400, 2]").unwrap();
        assert_eq!(doc.findings.len(), 4);
        match &doc.findings[3] {
            Finding::NonFinite { path, token, .. } => {
                assert_eq!(path, &vec![Step::Index(3)]);
                assert_eq!(token, "1e400");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn duplicate_keys_after_unescaping() {
        let doc = parse(br#"{"a": 1, "\u0061": 2}"#).unwrap();
        assert_eq!(
            doc.findings,
            vec![Finding::DuplicateKey {
                path: vec![],
                key: Shown::of("a"),
                replaced: None,
            }]
        );
        assert_eq!(doc.value.get("a"), Some(&Json::Number(2.0)));
    }

    /// The findings' paths as text and what [`Finding::replaced`] says.
    fn marks(findings: &[Finding]) -> Vec<(String, Option<usize>)> {
        findings
            .iter()
            .map(|f| {
                let (Finding::NonFinite { path, .. } | Finding::DuplicateKey { path, .. }) = f;
                (path_text(path), f.replaced())
            })
            .collect()
    }

    #[test]
    fn findings_inside_a_replaced_value_say_so() {
        // The first "c" holds a NaN and a duplicate key; the second replaces it.
        let doc = parse(br#"{"c": [NaN, {"k": 1, "k": 2}], "d": NaN, "c": [1, NaN]}"#).unwrap();
        assert_eq!(
            marks(&doc.findings),
            [
                ("c[0]".to_string(), Some(1)),
                ("c[1]".to_string(), Some(1)),
                ("d".to_string(), None),
                ("c[1]".to_string(), None),
                ("(document)".to_string(), None),
            ]
        );
        // Deeper: the outermost replaced value counts; a key given three times marks
        // both values before the last; keys past the scan (a hash index) too.
        let many: String = (0..40).map(|i| format!("\"k{i}\": {i}, ")).collect();
        let text = format!(
            r#"[{{{many}"a": {{"b": [NaN], "b": 0}}, "x": NaN, "a": 1, "x": NaN, "x": 2}}]"#
        );
        let doc = parse(text.as_bytes()).unwrap();
        assert_eq!(
            marks(&doc.findings),
            [
                ("[0].a.b[0]".to_string(), Some(2)),
                ("[0].a".to_string(), Some(2)),
                ("[0].x".to_string(), Some(2)),
                ("[0]".to_string(), None),
                ("[0].x".to_string(), Some(2)),
                ("[0]".to_string(), None),
                ("[0]".to_string(), None),
            ]
        );
    }

    #[test]
    fn only_the_last_value_of_the_scope_key_is_read() {
        // The first two "phase6" values are not read (as "expected" is not): their
        // findings are not the part's; the duplicates of the key itself are.
        let text = br#"{"phase6": [[NaN]], "expected": NaN, "phase6": {"a": 1, "a": 2}, "phase6": [{"s": {"v": NaN, "v": 1}}]}"#;
        let (doc, scoped) = parse_scoped(text, "phase6").unwrap();
        assert_eq!(doc.findings.len(), 7);
        assert_eq!(
            marks(&scoped.unwrap().listed),
            [
                ("[0].s.v".to_string(), Some(3)),
                ("[0].s".to_string(), None),
                ("(document)".to_string(), None),
                ("(document)".to_string(), None),
            ]
        );
    }

    #[test]
    fn bom_crlf_and_integer_minus_zero() {
        let doc = parse(b"\xEF\xBB\xBF[\r\n-0, -0.0, 2]\r\n").unwrap();
        let Json::Array(items) = doc.value else {
            panic!("array expected")
        };
        let bits: Vec<u64> = items
            .iter()
            .map(|v| match v {
                Json::Number(x) => x.to_bits(),
                _ => 0,
            })
            .collect();
        assert_eq!(
            bits,
            vec![0.0f64.to_bits(), (-0.0f64).to_bits(), 2.0f64.to_bits()]
        );
    }

    #[test]
    fn correctly_rounded_numbers() {
        // Halfway cases and long mantissas that naive parsers get wrong.
        for text in [
            "2.2250738585072011e-308",
            "0.1",
            "9007199254740993",
            "1.6500000000000001",
        ] {
            let doc = parse(text.as_bytes()).unwrap();
            assert_eq!(doc.value, Json::Number(text.parse::<f64>().unwrap()));
        }
    }

    #[test]
    fn rejects_what_python_rejects() {
        for bad in [
            &b"[1,]"[..],
            b"{\"a\":1,}",
            b"[01]",
            b"[+1]",
            b"[.5]",
            b"[1.]",
            b"[\"\\ud800\"]",
            b"[\"\\udc00\"]",
            b"[\"a\tb\"]",
            b"[\xff]",
            b"[1] x",
            b"",
            b"[-NaN]",
            b"[infinity]",
        ] {
            assert!(
                parse(bad).is_err(),
                "{:?} should not parse",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn paths_are_unambiguous() {
        let dotted = [Step::Key("ext.a".into())];
        let nested = [Step::Key("ext".into()), Step::Key("a".into())];
        assert_eq!(path_text(&dotted), r#"["ext.a"]"#);
        assert_eq!(path_text(&nested), "ext.a");
        assert_eq!(pointer(&[Ok("ext.a")], usize::MAX), "/ext.a");
        assert_eq!(pointer(&[Ok("ext"), Ok("a")], usize::MAX), "/ext/a");
        let odd = [
            Step::Index(0),
            Step::Key("a/b~c".into()),
            Step::Key(String::new()),
            Step::Key("x\n[1]".into()),
        ];
        let odd_pointer = [Err(0), Ok("a/b~c"), Ok(""), Ok("x\n[1]")];
        assert_eq!(pointer(&odd_pointer, usize::MAX), "/0/a~1b~0c//x\n[1]");
        assert_eq!(path_text(&odd), r#"[0]["a/b~c"][""]["x\n[1]"]"#);
        assert_eq!(
            path_text(&[Step::Index(2), Step::Key("score".into())]),
            "[2].score"
        );
        assert_eq!(pointer(&[], usize::MAX), "");
        // Keys stop being written at `max` bytes; indices and separators are whole.
        assert_eq!(pointer(&odd_pointer, 5), "/0/a~1");
        assert_eq!(pointer(&[Ok("ab"), Ok("cd"), Err(12)], 2), "/a");
        assert_eq!(pointer(&[Err(12), Ok("cd")], 2), "/12/");
    }

    #[test]
    fn duplicates_in_large_objects_are_found_through_the_index() {
        let mut text = String::from("{");
        for i in 0..1000 {
            text.push_str(&format!("\"k{i}\": {i},"));
        }
        text.push_str("\"k500\": -1, \"k\\u0039\": -2}");
        let doc = parse(text.as_bytes()).unwrap();
        let keys: Vec<String> = doc
            .findings
            .iter()
            .map(|f| match f {
                Finding::DuplicateKey { key, .. } => key.to_string(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(keys, ["k500", "k9"]);
        let Json::Object(entries) = &doc.value else {
            panic!("object expected")
        };
        // Python keeps the first position and the last value.
        assert_eq!(entries.len(), 1000);
        assert_eq!(entries[500], ("k500".to_string(), Json::Number(-1.0)));
        assert_eq!(entries[9], ("k9".to_string(), Json::Number(-2.0)));
    }

    /// The wasm32 container items (compiled natively for this test): every push, read,
    /// write and the closing vector agree with a plain vector, across block boundaries.
    #[test]
    fn blocks_hold_what_a_vector_holds() {
        for n in [
            SHARED_ITEMS,
            SHARED_ITEMS + 1,
            3 * SHARED_ITEMS,
            3 * SHARED_ITEMS + 7,
        ] {
            let mut blocks: Blocks<usize> = Own::of((0..SHARED_ITEMS).collect());
            for i in SHARED_ITEMS..n {
                assert_eq!(blocks.count(), i);
                blocks.add(i);
            }
            assert_eq!(blocks.count(), n);
            *blocks.at_mut(n - 1).unwrap() += 1_000_000;
            let mut expected: Vec<usize> = (0..n).collect();
            expected[n - 1] += 1_000_000;
            assert!((0..n).all(|i| blocks.at(i) == Some(&expected[i])));
            assert_eq!(blocks.at(n), None);
            let all = blocks.finish();
            assert_eq!((all.len(), all.capacity()), (n, n));
            assert_eq!(all, expected);
        }
    }

    /// The index keeps 32-bit hashes: among 600,000 keys some pairs share one (about 42
    /// expected; none has odds of e⁻⁴²), and every lookup still finds exactly its own key.
    #[test]
    fn keys_sharing_a_hash_are_told_apart() {
        let keys: Vec<String> = (0..600_000).map(|i| format!("key {i}")).collect();
        let at = |i: usize| keys[i].as_str();
        let mut index = StrIndex::default();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(index.find(k, &at), None, "{k} before it is inserted");
            index.insert(k, i);
        }
        let mut first_with: hashbrown::HashMap<u32, usize, RandomState> = Default::default();
        let mut shared = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(index.find(k, &at), Some(i), "{k}");
            if let Some(&j) = first_with.get(&index.hash(k)) {
                shared.push((j, i));
            }
            first_with.entry(index.hash(k)).or_insert(i);
        }
        assert!(!shared.is_empty(), "no two keys share a 32-bit hash");
        // Each key of a pair found, and neither found for a key that is not there.
        for (j, i) in shared {
            assert_eq!(
                (index.find(&keys[j], &at), index.find(&keys[i], &at)),
                (Some(j), Some(i))
            );
        }
        assert_eq!(index.find("key 600000", &at), None);
    }

    #[test]
    fn findings_are_capped_counted_and_scoped() {
        let nans = vec!["NaN"; 250].join(",");
        let text = format!("{{\"expected\": [{nans}], \"phase6\": [1e999, {nans}]}}");
        let (doc, scoped) = parse_scoped(text.as_bytes(), "phase6").unwrap();
        assert_eq!(doc.findings.len(), MAX_LISTED_PER_CODE);
        assert_eq!(doc.more.non_finite, 501 - MAX_LISTED_PER_CODE as u64);
        let scoped = scoped.unwrap();
        assert_eq!(scoped.listed.len(), MAX_LISTED_PER_CODE);
        assert_eq!(scoped.more.non_finite, 251 - MAX_LISTED_PER_CODE as u64);
        // Paths are relative to the scope.
        assert_eq!(
            scoped.listed[0],
            Finding::NonFinite {
                path: vec![Step::Index(0)],
                token: "1e999".into(),
                replaced: None,
            }
        );
        let (_, none) = parse_scoped(b"[NaN]", "phase6").unwrap();
        assert!(none.is_none());
    }

    #[test]
    fn long_keys_are_cut_in_findings_and_messages() {
        let key = "é".repeat(100);
        let text = format!("{{\"{key}\": [NaN], \"{key}\": 1}}");
        let doc = parse(text.as_bytes()).unwrap();
        let Finding::NonFinite { path, .. } = &doc.findings[0] else {
            panic!("non-finite first")
        };
        let shown = format!("[\"{}…\" (200 bytes)][0]", "é".repeat(SHOWN_CHARS));
        assert_eq!(path_text(path), shown);
        let Finding::DuplicateKey { key: k, .. } = &doc.findings[1] else {
            panic!("duplicate second")
        };
        assert!(k.is_cut());
        assert_eq!(k.bytes(), 200);
        assert_eq!(
            k.quoted(),
            format!("\"{}…\" (200 bytes)", "é".repeat(SHOWN_CHARS))
        );
        assert_eq!(Shown::of("short").quoted(), "\"short\"");
    }

    #[test]
    fn a_long_path_text_is_cut_like_a_long_key() {
        let esc = Step::Key("\u{1b}".repeat(SHOWN_CHARS));
        let mut path = vec![esc; SHOWN_STEPS - 1];
        path.push(Step::Index(7));
        let whole = format!(
            "{}[7]",
            format!("[\"{}\"]", "\\u001b".repeat(SHOWN_CHARS)).repeat(SHOWN_STEPS - 1)
        );
        assert_eq!(
            path_text(&path),
            format!("{}… ({} bytes)", &whole[..SHOWN_CHARS], whole.len())
        );
        // A path of at most SHOWN_PATH_BYTES is whole.
        let plain = vec![Step::Key("k".repeat(SHOWN_PATH_BYTES))];
        assert_eq!(path_text(&plain), "k".repeat(SHOWN_PATH_BYTES));
    }

    #[test]
    fn excerpts_render_at_most_eighty_characters() {
        let big = Json::Array(vec![Json::String("x".repeat(1 << 20)); 3]);
        let e = big.excerpt();
        assert_eq!(e.chars().count(), 80);
        assert!(e.ends_with("..."));
        let exact = Json::String("y".repeat(78));
        assert_eq!(exact.excerpt().len(), 80);
        assert_eq!(Json::String("y".repeat(79)).excerpt().chars().count(), 80);
        let deep: Vec<Step> = (0..40).map(Step::Index).collect();
        assert_eq!(
            path_text(&deep),
            "[0][1][2][3]…(28 steps)…[32][33][34][35][36][37][38][39]"
        );
    }

    #[test]
    fn strings_display_escaped_as_serde_json_writes_them() {
        for s in [
            "plain",
            "a\"b",
            "back\\slash",
            "nl\n cr\r tab\t",
            "\u{8}\u{c}\u{1}\u{1f}",
            "é\u{7f}/",
            "\"\"",
        ] {
            assert_eq!(
                Json::String(s.into()).to_string(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn surrogate_pairs_decode() {
        let doc = parse(br#"["\ud83d\ude00"]"#).unwrap();
        assert_eq!(
            doc.value,
            Json::Array(vec![Json::String("\u{1F600}".into())])
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let err = parse(deep.as_bytes()).unwrap_err();
        assert!(err.reason.contains("nesting"), "{err}");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(ok.as_bytes()).is_ok());
    }
}
