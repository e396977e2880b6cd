//! RFC 8785 (JCS), written straight into any `io::Write` (a SHA-256 hasher, usually).
//!
//! Why our own writer rather than `serde_json_canonicalizer` (which the tests still use
//! as the reference): that crate buffers every object's members in fresh vectors, parses
//! each key again to sort it, and copies each nested object's bytes into its parent —
//! time and memory that grow with depth × size on a hostile document — and it only
//! writes into a `Vec` first. Here:
//!
//! * a [`Json`] tree ([`write_json`]) is written recursively with no buffering at all:
//!   each object's members are visited in sorted order through a shared index stack,
//!   so time is linear in the document (plus sorting each object's keys) and memory is
//!   one index per key on the current path;
//! * any `Serialize` value ([`write()`]) goes through a small serde serializer that buffers
//!   only the members of open objects (our own records: a few levels, a few KiB);
//! * numbers are formatted as ECMAScript's `Number.prototype.toString` does (RFC 8785
//!   §3.2.2.3), laid out from the shortest round-trip digits serde_json's own float
//!   formatter gives (the digits every shortest-round-trip algorithm agrees on; `ryu-js`
//!   only differs from it in layout), so no second float formatter is linked;
//! * strings are escaped as RFC 8785 §3.2.2.2 says (`"`, `\`, control characters; `\b
//!   \t \n \f \r` where they apply, else `\u00xx`), keys sorted by UTF-16 code units.
//!
//! The test module compares every path with `serde_json_canonicalizer` on many values.

use std::cmp::Ordering;
use std::fmt;
use std::io;

use serde::ser::{self, Serialize};

use crate::decimal::Digits;
use crate::read::json::Json;

/// Why a value has no canonical form.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// serde_json's error as text (the native compact writer's, see
/// [`crate::attest::digest::compact`]).
impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error(e.to_string())
    }
}

impl From<io::Error> for Error {
    fn from(_: io::Error) -> Self {
        // Our writers (a hasher, a vector) never fail; no need to carry the io text.
        Error("the writer failed".into())
    }
}

fn non_finite() -> Error {
    Error("NaN and +/-Infinity are not permitted in JSON".into())
}

/// How negative zero is written: `0` as RFC 8785 says, or `-0` (the sign-keeping variant
/// the certificate uses to bind where negative zeros are, see
/// [`crate::attest::certificate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zero {
    /// `0` (RFC 8785).
    Unsigned,
    /// `-0` for negative zero.
    Signed,
}

/// Writes the RFC 8785 form of a parsed document.
///
/// # Errors
///
/// A non-finite number, or the writer's error.
pub fn write_json(v: &Json, out: &mut dyn io::Write, zero: Zero) -> Result<(), Error> {
    let mut sink = Sink::new(out);
    json_value(v, &mut sink, zero, &mut Vec::new())?;
    sink.finish()
}

/// What to do with a top-level member when writing a document's canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    /// Write it.
    Keep,
    /// Leave it out (a certificate id over its body, an audit entry without `hash`).
    Skip,
    /// Write it with the value `null` (`macro_score.json` without its timestamp).
    Null,
}

/// [`write_json`] with the top-level members of an object kept, left out or nulled as
/// `edit` says (nothing is copied).
///
/// # Errors
///
/// As [`write_json`].
pub fn write_json_edited(
    v: &Json,
    out: &mut dyn io::Write,
    edit: &dyn Fn(&str) -> Member,
) -> Result<(), Error> {
    let Json::Object(entries) = v else {
        return write_json(v, out, Zero::Unsigned);
    };
    let mut sink = Sink::new(out);
    let mut order = Vec::new();
    let mut kept: Vec<usize> = (0..entries.len())
        .filter(|&i| edit(&entries[i].0) != Member::Skip)
        .collect();
    sort_keys(&mut kept, &|i| &entries[i].0);
    sink.buf.push(b'{');
    for (j, &i) in kept.iter().enumerate() {
        let (k, item) = &entries[i];
        if j > 0 {
            sink.buf.push(b',');
        }
        string_into(k, &mut sink.buf);
        sink.buf.push(b':');
        if edit(k) == Member::Null {
            sink.buf.extend_from_slice(b"null");
        } else {
            json_value(item, &mut sink, Zero::Unsigned, &mut order)?;
        }
    }
    sink.buf.push(b'}');
    sink.finish()
}

/// The canonical bytes of a document on their way to a writer: built in a vector (each
/// token an inlined append) and handed on in pieces of at least [`Sink::PIECE`] bytes,
/// so memory stays bounded whatever the document's size.
struct Sink<'a> {
    buf: Vec<u8>,
    out: &'a mut dyn io::Write,
}

impl<'a> Sink<'a> {
    const PIECE: usize = 8192;

    fn new(out: &'a mut dyn io::Write) -> Self {
        Sink {
            buf: Vec::with_capacity(1024),
            out,
        }
    }

    fn flush_if_full(&mut self) -> Result<(), Error> {
        if self.buf.len() >= Sink::PIECE {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        self.out.write_all(&self.buf)?;
        Ok(())
    }
}

fn json_value(v: &Json, s: &mut Sink<'_>, zero: Zero, order: &mut Vec<usize>) -> Result<(), Error> {
    match v {
        Json::Null => s.buf.extend_from_slice(b"null"),
        Json::Bool(true) => s.buf.extend_from_slice(b"true"),
        Json::Bool(false) => s.buf.extend_from_slice(b"false"),
        Json::Number(x) => number_into(*x, &mut s.buf, zero)?,
        Json::String(text) => {
            string_into(text, &mut s.buf);
            s.flush_if_full()?;
        }
        Json::Array(items) => {
            s.buf.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    s.buf.push(b',');
                }
                json_value(item, s, zero, order)?;
            }
            s.buf.push(b']');
            s.flush_if_full()?;
        }
        Json::Object(entries) => {
            // This object's member order lives on the shared stack while its members are
            // written (theirs go above it and are popped again).
            let start = order.len();
            order.extend(0..entries.len());
            sort_keys(&mut order[start..], &|i| &entries[i].0);
            s.buf.push(b'{');
            for j in start..start + entries.len() {
                let (k, item) = &entries[order[j]];
                if j > start {
                    s.buf.push(b',');
                }
                string_into(k, &mut s.buf);
                s.buf.push(b':');
                json_value(item, s, zero, order)?;
            }
            s.buf.push(b'}');
            order.truncate(start);
            s.flush_if_full()?;
        }
    }
    Ok(())
}

/// Sorts member indices by their keys' UTF-16 code units (with [`crate::sort::pairs`], the
/// crate's one sort; the key lookup is dynamic). Each key's first 8 bytes, as one
/// big-endian integer, decide most comparisons ([`prefix_cmp`]); the others fall back to
/// [`utf16_cmp`]. An object of more than 32 members is sorted 8 bytes at a time instead
/// ([`sort_keys_by_chunks`]; natively since the ninth session, in wasm since the tenth).
fn sort_keys<'a>(indices: &mut [usize], key: &dyn Fn(usize) -> &'a str) {
    // Up to 32 members (every object of our own records) sort on the stack.
    let mut on_stack = [(0u64, 0usize); 32];
    let Some(keyed) = on_stack.get_mut(..indices.len()) else {
        let mut keyed: Vec<(u64, usize)> = indices.iter().map(|&i| (0, i)).collect();
        sort_keys_by_chunks(&mut keyed, key);
        for (i, &(_, k)) in indices.iter_mut().zip(keyed.iter()) {
            *i = k;
        }
        return;
    };
    for (slot, &i) in keyed.iter_mut().zip(indices.iter()) {
        *slot = (prefix(key(i)), i);
    }
    crate::sort::pairs(keyed, |a, b| {
        prefix_cmp(a.0, b.0).unwrap_or_else(|| utf16_cmp(key(a.1), key(b.1)))
    });
    for (i, &(_, k)) in indices.iter_mut().zip(keyed.iter()) {
        *i = k;
    }
}

/// Sorts `(_, member)` pairs by their keys' UTF-16 code units, 8 bytes at a time (a most
/// significant digit first sort): by the keys' bytes 0..8 as integers ([`chunk`]), then
/// each run of equal ones — keys sharing those bytes — by bytes 8..16, and so on, a key
/// that ends within the bytes compared (a prefix of the others in its run) first.
/// Comparisons never read a key; each key's bytes are read once per level it shares
/// with another key, so the cost is the bytes of the keys' common prefixes over 8 plus,
/// for each level, a sort of integers. Before, a comparison the first 8 bytes did not
/// decide read both keys ([`utf16_cmp`]): 740,000 shuffled keys sharing their first 10
/// bytes (16 MB) took 1.4 s to digest, 23 times a tenth of them.
fn sort_keys_by_chunks<'a>(keyed: &mut [(u64, usize)], key: &dyn Fn(usize) -> &'a str) {
    // Ranges of `keyed` still to sort, and the byte offset their keys differ after.
    let mut work = vec![(0, keyed.len(), 0usize)];
    while let Some((start, end, at)) = work.pop() {
        let run = &mut keyed[start..end];
        for slot in run.iter_mut() {
            slot.0 = chunk(key(slot.1).as_bytes(), at);
        }
        crate::sort::pairs(run, |a, b| a.0.cmp(&b.0));
        let mut i = 0;
        while i < run.len() {
            let j = i + run[i..].iter().take_while(|x| x.0 == run[i].0).count();
            if j - i > 1 {
                // Equal bytes at..at + 8: the keys that end there first, shortest first
                // (each a prefix of the longer ones), then the rest by their next bytes.
                let same = &mut run[i..j];
                let mut ended = 0;
                for k in 0..same.len() {
                    let len = key(same[k].1).len();
                    if len <= at + 8 {
                        same[k].0 = len as u64;
                        same.swap(ended, k);
                        ended += 1;
                    }
                }
                crate::sort::pairs(&mut same[..ended], |a, b| a.0.cmp(&b.0));
                if j - i - ended > 1 {
                    work.push((start + i + ended, start + j, at + 8));
                }
            }
            i = j;
        }
    }
}

/// Bytes `at..at + 8` of a key as a big-endian integer, zero-padded, with the lead bytes
/// 0xEE and 0xEF (U+E000..U+FFFF) read as 0xFE and 0xFF: above the lead bytes 0xF0..0xF4
/// of the supplementary characters, as UTF-16 puts them (after the surrogates, see
/// [`utf16_cmp`]). No other byte of UTF-8 is 0xEE or above and below 0xF0, and none is
/// 0xFE or 0xFF, so the integers' order is the UTF-16 order of the bytes they hold.
fn chunk(bytes: &[u8], at: usize) -> u64 {
    let mut p = [0u8; 8];
    if let Some(rest) = bytes.get(at..) {
        let n = rest.len().min(8);
        p[..n].copy_from_slice(&rest[..n]);
    }
    for b in &mut p {
        if *b == 0xEE || *b == 0xEF {
            *b |= 0x10;
        }
    }
    u64::from_be_bytes(p)
}

/// A key's first 8 bytes as a big-endian integer, zero-padded.
fn prefix(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let n = bytes.len().min(8);
    let mut p = [0u8; 8];
    p[..n].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(p)
}

/// The UTF-16 order of two keys from their [`prefix`]es, when those decide it: they
/// differ, and not both of their first differing bytes are 0xEE or above. Comparing the
/// integers compares the bytes in order; a zero of padding only ever meets the end of a
/// shorter key that is a prefix of the longer (which sorts first either way) or a real
/// zero byte (equal prefixes: undecided). Byte order is UTF-16 order except between a
/// character of U+E000..U+FFFF (lead byte 0xEE or 0xEF) and a supplementary one (0xF0 and
/// above), see [`utf16_cmp`]; a difference in a continuation byte is between characters
/// of one lead byte, where the orders agree.
fn prefix_cmp(a: u64, b: u64) -> Option<Ordering> {
    if a == b {
        return None;
    }
    let at = (a ^ b).leading_zeros() & !7;
    let (x, y) = ((a << at) >> 56, (b << at) >> 56);
    if x >= 0xEE && y >= 0xEE {
        None
    } else {
        Some(a.cmp(&b))
    }
}

/// Compares two strings by their UTF-16 code units (RFC 8785 §3.2.3). UTF-8 byte order
/// is code point order, which differs from UTF-16 order only between U+E000..U+FFFF and
/// the supplementary planes (surrogates sort below U+E000), so the first differing
/// character decides.
pub fn utf16_cmp(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let Some(i) = ab.iter().zip(bb).position(|(x, y)| x != y) else {
        return ab.len().cmp(&bb.len());
    };
    // Two different ASCII bytes (most keys differ there) compare as they are.
    if ab[i] < 0x80 && bb[i] < 0x80 {
        return ab[i].cmp(&bb[i]);
    }
    // Back up to the start of the differing characters (both share the prefix).
    let mut start = i;
    while start > 0 && !a.is_char_boundary(start) {
        start -= 1;
    }
    let unit = |s: &str| -> (u32, u32) {
        let c = s
            .get(start..)
            .and_then(|t| t.chars().next())
            .map_or(0, u32::from);
        let first = if c >= 0x10000 {
            0xD800 + ((c - 0x10000) >> 10)
        } else {
            c
        };
        (first, c)
    };
    unit(a).cmp(&unit(b))
}

/// The length of the longest prefix of `bytes` with no `"`, `\` or control character,
/// found eight bytes at a time.
fn clean_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let special = |w: u64| {
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        // A byte below 0x20, or equal to '"' or '\\'.
        (w.wrapping_sub(0x20 * ONES) & !w & HIGH)
            | zero(w ^ (0x22 * ONES))
            | zero(w ^ (0x5C * ONES))
            != 0
    };
    // Whole words as arrays: a load each, no length check (at opt-level "z" the wasm
    // called `copy_from_slice` for every eight bytes).
    let (words, _) = bytes.as_chunks::<8>();
    let start = 8 * words
        .iter()
        .position(|&w| special(u64::from_le_bytes(w)))
        .unwrap_or(words.len());
    bytes[start..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map_or(bytes.len(), |at| start + at)
}

/// Writes a string as RFC 8785 §3.2.2.2 says.
///
/// # Errors
///
/// The writer's.
pub fn string(s: &str, out: &mut dyn io::Write) -> Result<(), Error> {
    let mut buf = Vec::with_capacity(s.len() + 2);
    string_into(s, &mut buf);
    out.write_all(&buf)?;
    Ok(())
}

/// [`string`] appended to a byte vector.
pub(crate) fn string_into(s: &str, buf: &mut Vec<u8>) {
    let mut rest = s.as_bytes();
    buf.reserve(rest.len() + 2);
    buf.push(b'"');
    // Each run of bytes that need no escape copied whole (most strings are one run),
    // then the byte that ends it escaped.
    loop {
        let clean = clean_prefix(rest);
        buf.extend_from_slice(&rest[..clean]);
        let Some((&b, tail)) = rest[clean..].split_first() else {
            break;
        };
        rest = tail;
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0C => b"\\f",
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                buf.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 15)],
                ]);
                continue;
            }
        };
        buf.extend_from_slice(escape);
    }
    buf.push(b'"');
}

/// Writes a number as ECMAScript's `Number.prototype.toString` does (RFC 8785
/// §3.2.2.3): the shortest digits that read back to the same bits, laid out as an
/// integer up to 21 digits, a decimal down to 1e-6, an exponent otherwise.
///
/// # Errors
///
/// A non-finite number.
pub fn number(x: f64, out: &mut dyn io::Write, zero: Zero) -> Result<(), Error> {
    let mut buf = Vec::with_capacity(32);
    number_into(x, &mut buf, zero)?;
    out.write_all(&buf)?;
    Ok(())
}

/// [`number`] appended to a byte vector.
pub(crate) fn number_into(x: f64, out: &mut Vec<u8>, zero: Zero) -> Result<(), Error> {
    if !x.is_finite() {
        return Err(non_finite());
    }
    if x == 0.0 {
        let signed = zero == Zero::Signed && x.is_sign_negative();
        out.extend_from_slice(if signed { b"-0" } else { b"0" });
        return Ok(());
    }
    let mut raw = [0u8; 40];
    let text = crate::decimal::shortest_text(x.abs(), &mut raw);
    // Without an exponent the formatter's text is already ECMAScript's (it writes the
    // plain form only between 1e-5 and 1e16, inside ECMAScript's 1e-6 .. 1e21), except
    // that an integer ends in `.0`.
    if !text.contains(&b'e') {
        let plain = text.strip_suffix(b".0").unwrap_or(text);
        if x.is_sign_negative() {
            out.push(b'-');
        }
        out.extend_from_slice(plain);
        return Ok(());
    }
    let d = Digits::of_text(text);
    ecmascript_layout(d.digits(), d.point, x.is_sign_negative(), out);
    Ok(())
}

/// Lays out the shortest digits of a number that serde_json writes with an exponent
/// (below 1e-5 or from 1e16 up; `|x| = 0.DIGITS × 10^point`) as ECMAScript does: an
/// integer up to 21 digits, a decimal down to 1e-6, an exponent (`1e+21`, `1.5e-7`)
/// otherwise. Such a number from 1e16 up is an integer with at most 17 digits, so
/// ECMAScript's decimal with a fractional part (1 ≤ n ≤ 21, k > n) does not occur.
/// [`Digits::of`] gives ECMAScript's digits: the shortest, and of two equally near the
/// even one.
fn ecmascript_layout(digits: &[u8], n: i32, negative: bool, out: &mut Vec<u8>) {
    let k = digits.len() as i32;
    let mut s = [0u8; 48];
    let mut w = 0;
    let mut put = |bytes: &[u8]| {
        s[w..w + bytes.len()].copy_from_slice(bytes);
        w += bytes.len();
    };
    if negative {
        put(b"-");
    }
    if k <= n && n <= 21 {
        put(digits);
        for _ in 0..n - k {
            put(b"0");
        }
    } else if -6 < n && n <= 0 {
        put(b"0.");
        for _ in 0..-n {
            put(b"0");
        }
        put(digits);
    } else {
        put(&digits[..1]);
        if k > 1 {
            put(b".");
            put(&digits[1..]);
        }
        put(b"e");
        let e = n - 1;
        put(if e.is_negative() { b"-" } else { b"+" });
        let (eb, el) = itoa(u64::from(e.unsigned_abs()));
        put(&eb[eb.len() - el..]);
    }
    out.extend_from_slice(&s[..w]);
}

/// Decimal digits of `n`, right-aligned in the array, with their count.
pub(crate) fn itoa(mut n: u64) -> ([u8; 20], usize) {
    let mut b = [0u8; 20];
    let mut i = b.len();
    loop {
        i -= 1;
        b[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    (b, b.len() - i)
}

/// Writes the RFC 8785 form of any serializable value. Object members are buffered
/// while their object is open (fine for our own records; a parsed document goes through
/// [`write_json`]).
///
/// # Errors
///
/// A non-finite number, a map key that is not a string, or the writer's error.
pub fn write<T: Serialize + ?Sized>(value: &T, out: &mut dyn io::Write) -> Result<(), Error> {
    write_skipping(value, out, &[])
}

/// [`write()`], leaving out the listed members of the top-level object (how a certificate
/// id is computed over its body).
///
/// # Errors
///
/// As [`write()`].
pub fn write_skipping<T: Serialize + ?Sized>(
    value: &T,
    out: &mut dyn io::Write,
    skip: &[&str],
) -> Result<(), Error> {
    write_with(value, out, skip, &mut Scratch::default())
}

/// [`write_skipping`] with buffers kept from one value to the next: a caller that
/// digests many records (the audit trail's entries) allocates them once.
///
/// # Errors
///
/// As [`write()`].
pub fn write_with<T: Serialize + ?Sized>(
    value: &T,
    out: &mut dyn io::Write,
    skip: &[&str],
    scratch: &mut Scratch,
) -> Result<(), Error> {
    scratch.clear();
    let mut c = Canon {
        out,
        s: scratch,
        skip,
        compact: false,
        pretty: None,
    };
    value.serialize(&mut c)?;
    Ok(())
}

/// Compact JSON appended to `out`: byte for byte what `serde_json::to_writer` writes
/// (members in the order the value gives them, numbers as serde_json formats them,
/// integers as integers, a non-finite number as `null`, strings escaped alike), by the
/// serializer that writes the canonical form, in its second mode.
///
/// Why: in the wasm builds every compact text goes through here
/// ([`crate::attest::digest::compact`]), and every pretty text in every build
/// ([`write_pretty`]), so each type's `Serialize` is instantiated for one serializer
/// instead of two (serde_json's and this one), which takes about 4 KB off the gzipped
/// npm wasm (issue 9, "Sizes"). Natively serde_json writes the compact texts; the tests
/// hold the two to the same bytes on every record the crate writes and on generated
/// values of every serde shape.
///
/// Map keys are written as serde_json writes them: strings, and also integers, booleans,
/// finite floats and `Some` as quoted text (none of our records has such a map, but a
/// wasm build must not refuse what the native one writes); 128-bit integers as digits.
///
/// # Errors
///
/// A map key serde_json refuses too (a unit, a sequence, a map, a non-finite float).
pub fn write_compact<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    write_laid_out(value, out, None)
}

/// Pretty JSON appended to `out`: byte for byte what `serde_json::to_writer_pretty`
/// writes (two spaces per level, `": "` after a key, `[]` and `{}` when empty, no final
/// newline): [`write_compact`]'s text with serde_json's `PrettyFormatter` layout, written
/// in the same pass.
///
/// # Errors
///
/// As [`write_compact`].
pub fn write_pretty<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    write_laid_out(value, out, Some(0))
}

fn write_laid_out<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
    pretty: Option<usize>,
) -> Result<(), Error> {
    let mut scratch = Scratch::writing_into(out);
    let mut sink = io::sink();
    let mut c = Canon {
        out: &mut sink,
        s: &mut scratch,
        skip: &[],
        compact: true,
        pretty,
    };
    let done = value.serialize(&mut c);
    *out = scratch.buf;
    done
}

/// The buffers of the serde path, reusable across values (see [`write_with`]).
pub struct Scratch {
    /// Values of the members of open objects.
    buf: Vec<u8>,
    /// Their keys, unescaped.
    keys: String,
    /// Where a closing object is assembled.
    tmp: Vec<u8>,
    members: Vec<Buffered>,
    objects: Vec<Open>,
    /// A closing object's member order.
    order: Vec<usize>,
}

impl Default for Scratch {
    /// Sized for our records (an audit entry, a MacroScore), so that they need no growth.
    fn default() -> Self {
        Scratch {
            buf: Vec::with_capacity(2048),
            keys: String::with_capacity(512),
            tmp: Vec::with_capacity(2048),
            members: Vec::with_capacity(48),
            objects: Vec::with_capacity(8),
            order: Vec::with_capacity(32),
        }
    }
}

impl Scratch {
    /// Compact mode's: only the output buffer, taken from `out` (given back after).
    fn writing_into(out: &mut Vec<u8>) -> Scratch {
        Scratch {
            buf: std::mem::take(out),
            keys: String::new(),
            tmp: Vec::new(),
            members: Vec::new(),
            objects: Vec::new(),
            order: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.keys.clear();
        self.tmp.clear();
        self.members.clear();
        self.objects.clear();
        self.order.clear();
    }
}

/// One member of an open object: its key (a range of the key arena) and its value (a
/// range of the buffer).
struct Buffered {
    key: (usize, usize),
    value: (usize, usize),
}

/// An open object: where its members start (in `members`, `buf` and `keys`).
struct Open {
    first_member: usize,
    buf_start: usize,
    keys_start: usize,
}

/// The serializer: writes straight to `out` until an object opens, then buffers that
/// object's members in the scratch buffers until it closes, sorted. In compact mode
/// ([`write_compact`]) it writes everything in order into the scratch buffer instead.
struct Canon<'a> {
    out: &'a mut dyn io::Write,
    s: &'a mut Scratch,
    skip: &'a [&'a str],
    compact: bool,
    /// Compact mode laid out as serde_json's `PrettyFormatter` (two spaces per level):
    /// the depth of the open containers; `None` for compact text on one line.
    pretty: Option<usize>,
}

impl Canon<'_> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        if self.s.objects.is_empty() && !self.compact {
            self.out.write_all(bytes)?;
        } else {
            self.s.buf.extend_from_slice(bytes);
        }
        Ok(())
    }

    /// `[`: in compact mode through [`Canon::open`] (the pretty layout's depth).
    fn open_array(&mut self) -> Result<(), Error> {
        if self.compact {
            self.open(b'[');
            Ok(())
        } else {
            self.put(b"[")
        }
    }

    fn open_object(&mut self) {
        if self.compact {
            self.open(b'{');
            return;
        }
        self.s.objects.push(Open {
            first_member: self.s.members.len(),
            buf_start: self.s.buf.len(),
            keys_start: self.s.keys.len(),
        });
    }

    /// Starts a member: its key is stored (raw) in the key arena (in compact mode,
    /// written with its colon).
    fn key(&mut self, key: &str) {
        if self.compact {
            self.next_line();
            string_into(key, &mut self.s.buf);
            self.colon();
            return;
        }
        let start = self.s.keys.len();
        self.s.keys.push_str(key);
        self.member_from(start);
    }

    /// Starts a member whose key was just written to the key arena from `start`.
    fn member_from(&mut self, start: usize) {
        if self.compact {
            self.next_line();
            string_into(
                self.s.keys.get(start..).unwrap_or_default(),
                &mut self.s.buf,
            );
            self.colon();
            self.s.keys.truncate(start);
            return;
        }
        let at = self.s.buf.len();
        self.s.members.push(Buffered {
            key: (start, self.s.keys.len()),
            value: (at, at),
        });
    }

    /// Ends the last member: its value is what the buffer got since its key.
    fn end_member(&mut self) {
        if self.compact {
            return;
        }
        let end = self.s.buf.len();
        if let Some(m) = self.s.members.last_mut() {
            m.value.1 = end;
        }
    }

    /// Closes the innermost object: its members sorted, written to where it belongs (the
    /// top-level object's straight to `out`, one member at a time).
    fn close_object(&mut self) -> Result<(), Error> {
        if self.compact {
            self.close(b'{', b'}');
            return Ok(());
        }
        let Some(open) = self.s.objects.pop() else {
            return Err(Error("object closed twice".into()));
        };
        let top_level = self.s.objects.is_empty();
        let s = &mut *self.s;
        let keys = &s.keys;
        let text = |r: (usize, usize)| keys.get(r.0..r.1).unwrap_or_default();
        let members = &s.members[open.first_member..];
        s.order.clear();
        s.order.extend(0..members.len());
        sort_keys(&mut s.order, &|i| text(members[i].key));
        let out = &mut s.tmp;
        out.clear();
        out.push(b'{');
        let mut first = true;
        for m in s.order.iter().map(|&i| &members[i]) {
            if top_level && self.skip.contains(&text(m.key)) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            string_into(text(m.key), out);
            out.push(b':');
            out.extend_from_slice(&s.buf[m.value.0..m.value.1]);
            if top_level {
                // The top-level object goes out member by member, never assembled whole:
                // a MacroScore whose members repeat a 15 MB string held it once more
                // here (issue 9).
                self.out.write_all(out)?;
                out.clear();
            }
        }
        out.push(b'}');
        s.members.truncate(open.first_member);
        s.keys.truncate(open.keys_start);
        s.buf.truncate(open.buf_start);
        let out = std::mem::take(&mut self.s.tmp);
        let done = self.put(&out);
        self.s.tmp = out;
        done
    }

    /// Compact mode: a container opens (`[` or `{`), one level deeper when pretty.
    fn open(&mut self, bracket: u8) {
        self.s.buf.push(bracket);
        if let Some(depth) = &mut self.pretty {
            *depth += 1;
        }
    }

    /// Compact mode: the container opened by `open` closes. When pretty, a non-empty
    /// one closes on a new line at its own level. It is empty exactly when its opening
    /// bracket is still the last byte: no value ends in `[` or `{`.
    fn close(&mut self, open: u8, close: u8) {
        if let Some(depth) = &mut self.pretty {
            *depth = depth.saturating_sub(1);
            if self.s.buf.last() != Some(&open) {
                self.next_line();
            }
        }
        self.s.buf.push(close);
    }

    /// Compact mode: when pretty, a new line indented to the current depth (before each
    /// member and element, after its comma, and before a non-empty container's close).
    fn next_line(&mut self) {
        if let Some(depth) = self.pretty {
            let buf = &mut self.s.buf;
            buf.push(b'\n');
            buf.resize(buf.len() + 2 * depth, b' ');
        }
    }

    /// Compact mode: after a key, `:` (`": "` when pretty).
    fn colon(&mut self) {
        if self.pretty.is_some() {
            self.s.buf.extend_from_slice(b": ");
        } else {
            self.s.buf.push(b':');
        }
    }

    fn number(&mut self, x: f64) -> Result<(), Error> {
        if self.compact {
            if x.is_finite() {
                let mut raw = [0u8; 40];
                let text = crate::decimal::shortest_text(x, &mut raw);
                self.s.buf.extend_from_slice(text);
            } else {
                self.s.buf.extend_from_slice(b"null");
            }
            Ok(())
        } else if self.s.objects.is_empty() {
            number(x, &mut *self.out, Zero::Unsigned)
        } else {
            number_into(x, &mut self.s.buf, Zero::Unsigned)
        }
    }

    /// An integer: in compact mode as its decimal digits (serde_json's), in the
    /// canonical form as the double it reads as (RFC 8785 §3.2.2.3).
    fn integer(&mut self, negative: bool, magnitude: u64) -> Result<(), Error> {
        if !self.compact {
            let x = magnitude as f64;
            return self.number(if negative { -x } else { x });
        }
        let (digits, n) = itoa(magnitude);
        if negative {
            self.s.buf.push(b'-');
        }
        self.s.buf.extend_from_slice(&digits[digits.len() - n..]);
        Ok(())
    }

    fn str(&mut self, s: &str) -> Result<(), Error> {
        if self.s.objects.is_empty() && !self.compact {
            string(s, &mut *self.out)
        } else {
            string_into(s, &mut self.s.buf);
            Ok(())
        }
    }
}

/// The sequences and objects of [`Canon`].
struct Compound<'c, 'a> {
    c: &'c mut Canon<'a>,
    first: bool,
    /// For a variant `{"name": …}` wrapper: close it too.
    wrapped: bool,
}

impl<'c, 'a> ser::Serializer for &'c mut Canon<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'c, 'a>;
    type SerializeTuple = Compound<'c, 'a>;
    type SerializeTupleStruct = Compound<'c, 'a>;
    type SerializeTupleVariant = Compound<'c, 'a>;
    type SerializeMap = Compound<'c, 'a>;
    type SerializeStruct = Compound<'c, 'a>;
    type SerializeStructVariant = Compound<'c, 'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.put(if v { b"true" } else { b"false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.integer(v < 0, v.unsigned_abs())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.integer(false, u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.integer(false, u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.integer(false, u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(false, v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        if !self.compact {
            return Err(Error("i128 is not supported".into()));
        }
        let _ = serde_json::ser::Formatter::write_i128(
            &mut serde_json::ser::CompactFormatter,
            &mut self.s.buf,
            v,
        );
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        if !self.compact {
            return Err(Error("u128 is not supported".into()));
        }
        let _ = serde_json::ser::Formatter::write_u128(
            &mut serde_json::ser::CompactFormatter,
            &mut self.s.buf,
            v,
        );
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if self.compact && v.is_finite() {
            // serde_json writes an f32 with the shortest digits of the f32.
            let _ = serde_json::ser::Formatter::write_f32(
                &mut serde_json::ser::CompactFormatter,
                &mut self.s.buf,
                v,
            );
            return Ok(());
        }
        self.number(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.str(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.put(b"null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.put(b"null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.put(b"null")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open_object();
        self.key(variant);
        value.serialize(&mut *self)?;
        self.end_member();
        self.close_object()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        self.open_array()?;
        Ok(Compound {
            c: self,
            first: true,
            wrapped: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        self.open_object();
        self.key(variant);
        self.open_array()?;
        Ok(Compound {
            c: self,
            first: true,
            wrapped: true,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        self.open_object();
        Ok(Compound {
            c: self,
            first: true,
            wrapped: false,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        self.open_object();
        self.key(variant);
        self.open_object();
        Ok(Compound {
            c: self,
            first: true,
            wrapped: true,
        })
    }
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if !std::mem::replace(&mut self.first, false) {
            self.c.put(b",")?;
        }
        self.c.next_line();
        value.serialize(&mut *self.c)
    }

    fn end_seq(self) -> Result<(), Error> {
        if self.c.compact {
            self.c.close(b'[', b']');
        } else {
            self.c.put(b"]")?;
        }
        if self.wrapped {
            self.c.end_member();
            self.c.close_object()?;
        }
        Ok(())
    }

    /// In compact mode, the comma before every member but the first.
    fn comma(&mut self) {
        if self.c.compact && !std::mem::replace(&mut self.first, false) {
            self.c.s.buf.push(b',');
        }
    }

    /// A map key just written to the key arena from `start`: its member starts.
    fn after_key(&mut self, start: usize) {
        self.comma();
        self.c.member_from(start);
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.comma();
        self.c.key(key);
        value.serialize(&mut *self.c)?;
        self.c.end_member();
        Ok(())
    }

    fn end_object(self) -> Result<(), Error> {
        self.c.close_object()?;
        if self.wrapped {
            self.c.end_member();
            self.c.close_object()?;
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.end_seq()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.end_seq()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.end_seq()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.end_seq()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let start = self.c.s.keys.len();
        key.serialize(KeyName(&mut self.c.s.keys, self.c.compact))?;
        self.after_key(start);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.c)?;
        self.c.end_member();
        Ok(())
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Error> {
        let start = self.c.s.keys.len();
        key.serialize(KeyName(&mut self.c.s.keys, self.c.compact))?;
        self.after_key(start);
        value.serialize(&mut *self.c)?;
        self.c.end_member();
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        self.end_object()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.end_object()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.end_object()
    }
}

/// Map keys must be strings (a `char` or a unit variant reads as one); written straight
/// into the key arena. In compact mode (the second field) also what serde_json takes as
/// a key and writes as a string: an integer, a boolean, a finite float, a `Some`.
struct KeyName<'k>(&'k mut String, bool);

impl KeyName<'_> {
    /// An integer, boolean or float key as serde_json writes it (its text, quoted), in
    /// compact mode; an error in the canonical form.
    fn shown(self, text: impl fmt::Display) -> Result<(), Error> {
        if !self.1 {
            return Err(key_error());
        }
        use fmt::Write;
        write!(self.0, "{text}").map_err(|_| key_error())
    }

    /// A float key: serde_json's shortest text (`write` is its formatter's write_f32 or
    /// write_f64), which must be finite.
    fn float(self, finite: bool, write: impl FnOnce(&mut Vec<u8>)) -> Result<(), Error> {
        if !self.1 {
            return Err(key_error());
        }
        if !finite {
            return Err(Error("float key must be finite".into()));
        }
        let mut text = Vec::with_capacity(24);
        write(&mut text);
        self.0
            .push_str(std::str::from_utf8(&text).map_err(|_| key_error())?);
        Ok(())
    }
}

impl ser::Serializer for KeyName<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.0.push_str(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.0.push(v);
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.0.push_str(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.shown(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v.is_finite(), |out| {
            let _ = serde_json::ser::Formatter::write_f32(
                &mut serde_json::ser::CompactFormatter,
                out,
                v,
            );
        })
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v.is_finite(), |out| {
            let mut raw = [0u8; 40];
            out.extend_from_slice(crate::decimal::shortest_text(v, &mut raw));
        })
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        if self.1 {
            value.serialize(self)
        } else {
            Err(key_error())
        }
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

fn key_error() -> Error {
    Error("a map key must be a string".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UTF-16 order by encoding both strings (the definition, slowly).
    fn by_units(a: &str, b: &str) -> Ordering {
        a.encode_utf16().cmp(b.encode_utf16())
    }

    /// Keys of up to 12 characters from an alphabet with every case the prefix shortcut
    /// must get right: NUL (padding lookalike), ASCII, 2- and 3-byte characters below,
    /// in and at the top of U+E000..U+FFFF, and supplementary ones.
    fn keys(count: usize) -> Vec<String> {
        const ALPHABET: [char; 12] = [
            '\0',
            'a',
            'b',
            'z',
            '\u{7f}',
            'é',
            '\u{7ff}',
            '\u{d7ff}',
            '\u{e000}',
            '\u{ffff}',
            '\u{10000}',
            '\u{1f600}',
        ];
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        (0..count)
            .map(|_| {
                let len = (next() % 13) as usize;
                (0..len).map(|_| ALPHABET[(next() % 12) as usize]).collect()
            })
            .collect()
    }

    /// Compact mode against serde_json on one value.
    /// Compact and pretty, each against serde_json's bytes.
    fn same_compact<T: Serialize + ?Sized>(v: &T) {
        let mut ours = b"kept ".to_vec();
        write_compact(v, &mut ours).unwrap();
        let mut theirs = b"kept ".to_vec();
        serde_json::to_writer(&mut theirs, v).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
        let mut ours = b"kept ".to_vec();
        write_pretty(v, &mut ours).unwrap();
        let mut theirs = b"kept ".to_vec();
        serde_json::to_writer_pretty(&mut theirs, v).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "pretty"
        );
    }

    /// The top-level object goes out one member at a time: the buffer where an object is
    /// assembled never holds all of it (a MacroScore repeating a 15 MB string in two of
    /// its members held both there once more, issue 9), and the bytes are the same.
    #[test]
    fn the_top_level_object_is_not_assembled_whole() {
        #[derive(serde::Serialize)]
        struct Two {
            z: String,
            a: String,
            n: f64,
        }
        // The first member in key order the longer, so that the buffer made for it holds
        // the next one without growing.
        let v = Two {
            z: "x".repeat(1 << 20),
            a: "x".repeat((1 << 20) + 64),
            n: 0.5,
        };
        let mut scratch = Scratch::default();
        let mut out = Vec::new();
        write_with(&v, &mut out, &[], &mut scratch).unwrap();
        let reference = serde_json_canonicalizer::to_vec(&v).unwrap();
        assert_eq!(out, reference);
        // One member at most (its key and its value), not both long ones.
        assert!(
            scratch.tmp.capacity() < (3 << 20) / 2,
            "{} bytes",
            scratch.tmp.capacity()
        );
    }

    #[test]
    fn compact_and_pretty_write_serde_jsons_bytes_for_every_serde_shape() {
        use serde::Serialize;
        use std::collections::BTreeMap;
        #[derive(Serialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        enum Key {
            Low,
            High,
        }
        #[derive(Serialize)]
        enum Shape {
            Unit,
            Newtype(f64),
            Tuple(i8, Option<u16>),
            Struct { a: Vec<u8>, b: &'static str },
        }
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Newtype(i64);
        #[derive(Serialize)]
        struct Pair(u32, char);
        struct Bytes(&'static [u8]);
        impl Serialize for Bytes {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        #[derive(Serialize)]
        struct Everything {
            floats: Vec<f64>,
            singles: Vec<f32>,
            signed: [i64; 5],
            unsigned: [u64; 3],
            small: (i8, i16, i32, u8, u16, u32),
            flags: (bool, bool),
            text: Vec<String>,
            chars: Vec<char>,
            shapes: Vec<Shape>,
            empty_list: Vec<u8>,
            empty_map: BTreeMap<String, u8>,
            by_name: BTreeMap<String, Option<f64>>,
            by_char: BTreeMap<char, ()>,
            by_variant: BTreeMap<Key, Unit>,
            wrappers: (Newtype, Pair, Bytes),
            nested: Vec<Vec<BTreeMap<String, Vec<Shape>>>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
            #[serde(rename = "quoted \"name\"\n")]
            renamed: (),
        }
        let v = Everything {
            floats: vec![
                0.0,
                -0.0,
                1.0,
                -1.5,
                0.1,
                1e-7,
                1e16,
                1e21,
                1e300,
                5e-324,
                f64::MAX,
                f64::MIN_POSITIVE,
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                123_456.789,
                2f64.powi(-25),
            ],
            singles: vec![0.1, -0.0, 3.4e38, 1e-45, f32::NAN, f32::INFINITY],
            signed: [0, -1, i64::MIN, i64::MAX, 9_007_199_254_740_993],
            unsigned: [0, u64::MAX, 9_007_199_254_740_993],
            small: (i8::MIN, i16::MIN, i32::MIN, u8::MAX, u16::MAX, u32::MAX),
            flags: (true, false),
            text: [
                "",
                "plain",
                "quote \" backslash \\ slash /",
                "\u{0}\u{1f}\u{7f}\u{8}\u{c}\n\r\t",
                "é ü \u{2028} \u{fffd} 😀",
                "long enough to take the eight-byte escape scan path \"",
            ]
            .map(String::from)
            .to_vec(),
            chars: vec!['a', '"', '\\', '\n', '\u{1}', 'é', '😀'],
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(f64::NAN),
                Shape::Tuple(-3, None),
                Shape::Tuple(3, Some(7)),
                Shape::Struct { a: vec![], b: "x" },
                Shape::Struct {
                    a: vec![1, 2],
                    b: "",
                },
            ],
            empty_list: vec![],
            empty_map: BTreeMap::new(),
            by_name: [
                ("b", Some(1.0)),
                ("a", None),
                ("", Some(-0.0)),
                ("\"k\"", Some(f64::NAN)),
            ]
            .map(|(k, v)| (k.to_string(), v))
            .into(),
            by_char: [('z', ()), ('\t', ())].into(),
            by_variant: [(Key::High, Unit), (Key::Low, Unit)].into(),
            wrappers: (Newtype(-42), Pair(7, '\u{2028}'), Bytes(&[0, 255, 10])),
            nested: vec![
                vec![],
                vec![
                    BTreeMap::new(),
                    [("s".to_string(), vec![Shape::Unit])].into(),
                ],
            ],
            skipped: None,
            renamed: (),
        };
        same_compact(&v);
        same_compact(&Shape::Struct {
            a: vec![9],
            b: "top",
        });
        same_compact(&Unit);
        same_compact(&f64::NAN);
        same_compact(&"top-level string");
        same_compact(&Vec::<Shape>::new());
    }

    /// Random JSON trees: keys and strings from the tricky alphabet, numbers of every
    /// kind serde_json keeps apart (u64, i64, f64).
    #[test]
    fn compact_and_pretty_write_serde_jsons_bytes_for_random_documents() {
        use serde_json::Value;
        fn tree(next: &mut dyn FnMut() -> u64, words: &[String], depth: u32) -> Value {
            let pick = next() % if depth == 0 { 6 } else { 8 };
            match pick {
                0 => Value::Null,
                1 => Value::Bool(next().is_multiple_of(2)),
                2 => Value::from(next()),
                3 => Value::from(-((next() >> 1) as i64)),
                4 => {
                    let x = f64::from_bits(next());
                    Value::from(if x.is_finite() { x } else { 0.5 })
                }
                5 => Value::from(words[(next() % words.len() as u64) as usize].clone()),
                6 => Value::Array(
                    (0..next() % 5)
                        .map(|_| tree(next, words, depth - 1))
                        .collect(),
                ),
                _ => Value::Object(
                    (0..next() % 5)
                        .map(|_| {
                            let k = words[(next() % words.len() as u64) as usize].clone();
                            (k, tree(next, words, depth - 1))
                        })
                        .collect(),
                ),
            }
        }
        let words = keys(64);
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..2_000 {
            same_compact(&tree(&mut next, &words, 5));
        }
    }

    #[test]
    fn the_prefix_shortcut_decides_what_it_can() {
        assert_eq!(prefix(""), 0);
        assert_eq!(prefix("ab"), 0x6162_0000_0000_0000);
        assert_eq!(prefix("abcdefghij"), u64::from_be_bytes(*b"abcdefgh"));
        let decided = |a: &str, b: &str| prefix_cmp(prefix(a), prefix(b));
        assert_eq!(decided("a", "b"), Some(Ordering::Less));
        assert_eq!(decided("score", "coherence"), Some(Ordering::Greater));
        // Only one of the first differing bytes is 0xEE or above: decided.
        assert_eq!(decided("\u{e000}", "é"), Some(Ordering::Greater));
        assert_eq!(decided("a\u{1f600}", "aé"), Some(Ordering::Greater));
        // Both are (U+E000 against a supplementary character, whose UTF-16 order is the
        // reverse of their byte order), or the prefixes are equal: left to utf16_cmp.
        assert_eq!(decided("\u{e000}", "\u{1f600}"), None);
        assert_eq!(decided("same8bytes-a", "same8bytes-b"), None);
        assert_eq!(decided("a", "a\0"), None);
    }

    #[test]
    fn objects_of_keys_sharing_long_prefixes_sort_in_utf16_order() {
        // Keys of the tricky alphabet behind shared prefixes of 0 to 40 bytes (ASCII,
        // NULs, U+E000..U+FFFF and supplementary characters, cut anywhere), and the
        // prefixes themselves: every level of the chunked sort, every way to end.
        let tails = keys(3_000);
        let stems = [
            "",
            "same8byt",
            "\0\0\0\0\0\0\0\0\0",
            "\u{e000}\u{10000}abc\u{ffff}xy",
        ];
        let mut ks: Vec<String> = Vec::new();
        for (i, t) in tails.iter().enumerate() {
            let stem = stems[i % stems.len()].repeat(i % 5);
            ks.push(format!("{stem}{t}"));
            if i % 7 == 0 {
                ks.push(stem);
            }
        }
        ks.sort();
        ks.dedup();
        // A deterministic shuffle.
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for i in (1..ks.len()).rev() {
            ks.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        for n in [33, 100, ks.len()] {
            let part = &ks[..n];
            let mut order: Vec<usize> = (0..n).collect();
            sort_keys(&mut order, &|i| part[i].as_str());
            let sorted: Vec<&str> = order.iter().map(|&i| part[i].as_str()).collect();
            let mut expected: Vec<&str> = part.iter().map(String::as_str).collect();
            expected.sort_by(|a, b| by_units(a, b));
            assert_eq!(sorted, expected, "{n} keys");
        }
    }

    #[test]
    fn utf16_cmp_and_the_prefix_shortcut_agree_with_utf16_order() {
        let ks = keys(3_000);
        for pair in ks.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert_eq!(utf16_cmp(a, b), by_units(a, b), "{a:?} {b:?}");
            if let Some(o) = prefix_cmp(prefix(a), prefix(b)) {
                assert_eq!(o, by_units(a, b), "prefix of {a:?} {b:?}");
            }
        }
        // Objects small (sorted on the stack) and large (on the heap), with shared
        // prefixes of 8 bytes and more.
        for n in [0, 1, 2, 7, 32, 33, 300] {
            let mut ks = keys(n);
            for k in ks.iter_mut().step_by(3) {
                k.insert_str(0, "same8byt");
            }
            let mut order: Vec<usize> = (0..n).collect();
            sort_keys(&mut order, &|i| ks[i].as_str());
            let sorted: Vec<&str> = order.iter().map(|&i| ks[i].as_str()).collect();
            let mut expected: Vec<&str> = ks.iter().map(String::as_str).collect();
            expected.sort_by(|a, b| by_units(a, b));
            assert_eq!(sorted, expected, "{n} keys");
        }
    }
}
