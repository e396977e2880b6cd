//! Canonical encoding (RFC 8785, JCS) and SHA-256 digests.
//!
//! Every digest this crate publishes is `hex(SHA-256(JCS(value)))`. JCS sorts object keys
//! by their UTF-16 code units and prints numbers as ECMAScript does, so the digest depends
//! on the meaning of a value, not on how a file happened to be formatted. The canonical
//! bytes are streamed into the hasher through a small buffer ([`HashWriter`]) and never
//! held whole: digesting a document costs one pass over it and constant extra memory
//! (plus one index per key on the current path, see [`super::jcs`]).

use std::io;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::attest::jcs::{self, Zero};
use crate::error::ComputationError;
use crate::read::json::Json;

/// An `io::Write` that hashes what it is given (SHA-256), through a small buffer so that
/// the many small writes of an encoder cost one hasher call per few blocks. Making one
/// allocates nothing.
pub struct HashWriter {
    hasher: Sha256,
    buf: [u8; HashWriter::BUF],
    len: usize,
}

impl Default for HashWriter {
    fn default() -> Self {
        HashWriter {
            hasher: Sha256::new(),
            buf: [0u8; HashWriter::BUF],
            len: 0,
        }
    }
}

impl HashWriter {
    const BUF: usize = 512;

    /// Lower-case hex of the SHA-256 of everything written.
    pub fn hex(mut self) -> String {
        self.hasher.update(&self.buf[..self.len]);
        hex(&self.hasher.finalize())
    }
}

impl io::Write for HashWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.len + data.len() > HashWriter::BUF {
            self.hasher.update(&self.buf[..self.len]);
            self.len = 0;
            if data.len() >= HashWriter::BUF {
                self.hasher.update(data);
                return Ok(data.len());
            }
        }
        self.buf[self.len..self.len + data.len()].copy_from_slice(data);
        self.len += data.len();
        Ok(data.len())
    }

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.write(data).map(|_| ())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn canonical_error(e: jcs::Error) -> ComputationError {
    ComputationError {
        stage: "canonical encoding",
        reason: e.to_string(),
    }
}

/// The RFC 8785 encoding of a value.
///
/// # Errors
///
/// A [`ComputationError`] when the value cannot be encoded (a non-finite number).
pub fn canonical<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, ComputationError> {
    let mut out = Vec::with_capacity(256);
    jcs::write(value, &mut out).map_err(canonical_error)?;
    Ok(out)
}

/// `hex(SHA-256(JCS(value)))`, streamed. For a parsed document prefer [`of_json`], which
/// buffers nothing.
///
/// # Errors
///
/// As [`canonical`].
pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<String, ComputationError> {
    let mut h = HashWriter::default();
    jcs::write(value, &mut h).map_err(canonical_error)?;
    Ok(h.hex())
}

/// [`of`] with the serializer's buffers kept in `scratch` (for a caller that digests
/// many records in a row).
///
/// # Errors
///
/// As [`canonical`].
pub fn of_with<T: Serialize + ?Sized>(
    value: &T,
    scratch: &mut jcs::Scratch,
) -> Result<String, ComputationError> {
    let mut h = HashWriter::default();
    jcs::write_with(value, &mut h, &[], scratch).map_err(canonical_error)?;
    Ok(h.hex())
}

/// `hex(SHA-256(JCS(value)))` of a value without the listed top-level members (how a
/// certificate id is computed over its body).
///
/// # Errors
///
/// As [`canonical`].
pub fn of_without<T: Serialize + ?Sized>(
    value: &T,
    skip: &[&str],
) -> Result<String, ComputationError> {
    let mut h = HashWriter::default();
    jcs::write_skipping(value, &mut h, skip).map_err(canonical_error)?;
    Ok(h.hex())
}

/// `hex(SHA-256(JCS(document)))` of a parsed document, streamed with no buffering: one
/// pass, whatever its size and depth.
///
/// # Errors
///
/// As [`canonical`].
pub fn of_json(value: &Json) -> Result<String, ComputationError> {
    of_json_zero(value, Zero::Unsigned)
}

/// [`of_json`] with negative zero written `-0` (the certificate's sign-keeping digest).
///
/// # Errors
///
/// As [`canonical`].
pub fn of_json_zero(value: &Json, zero: Zero) -> Result<String, ComputationError> {
    let mut h = HashWriter::default();
    jcs::write_json(value, &mut h, zero).map_err(canonical_error)?;
    Ok(h.hex())
}

/// `hex(SHA-256(JCS(document)))` with its top-level members kept, left out or nulled as
/// `edit` says ([`jcs::Member`]), streamed, nothing copied.
///
/// # Errors
///
/// As [`canonical`].
pub fn of_json_edited(
    value: &Json,
    edit: &dyn Fn(&str) -> jcs::Member,
) -> Result<String, ComputationError> {
    let mut h = HashWriter::default();
    jcs::write_json_edited(value, &mut h, edit).map_err(canonical_error)?;
    Ok(h.hex())
}

/// `hex(SHA-256(plain JSON text))` of a value, streamed: unlike [`of`], it keeps every
/// bit JCS folds (the sign of zero), which is what INV-7.5 compares.
///
/// # Errors
///
/// A [`ComputationError`] when the value cannot be encoded: a map key JSON cannot
/// have, as in [`compact`] (a non-finite float is written as `null`, as serde_json
/// does, not refused).
pub fn exact<T: Serialize + ?Sized>(value: &T) -> Result<String, ComputationError> {
    let mut text = Vec::with_capacity(4096);
    compact(value, &mut text).map_err(|e| ComputationError {
        stage: "plain encoding",
        reason: e.to_string(),
    })?;
    Ok(sha256_hex(&text))
}

/// Compact JSON (serde_json's bytes) appended to a byte vector. Every compact text the
/// crate writes goes through here, so each type's serializer exists once in a build for
/// this layout.
///
/// Natively serde_json writes it, into a concrete vector (each of its many small writes
/// is an inlined append, not a call: about 6 % fewer instructions than the compact mode
/// below, measured with callgrind on the INV-7.5 texts). In wasm the canonical-form
/// serializer writes it in its compact mode ([`jcs::write_compact`], the same bytes):
/// each type's `Serialize` is then instantiated once in the module instead of once for
/// serde_json and once for the digests, about 4 KB less gzipped npm wasm (issue 9,
/// "Sizes").
///
/// # Errors
///
/// A map key serde_json refuses (a unit, a sequence, a map, a non-finite float), with
/// serde_json's message natively.
pub fn compact<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), jcs::Error> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        value
            .serialize(&mut serde_json::Serializer::new(out))
            .map_err(jcs::Error::from)
    }
    #[cfg(target_arch = "wasm32")]
    {
        jcs::write_compact(value, out)
    }
}

/// Pretty JSON (serde_json's `PrettyFormatter` bytes: 2-space indent, no final newline)
/// appended to a byte vector, natively and in wasm by the compact mode laid out as it
/// writes ([`jcs::write_pretty`]). In wasm that is one serializer per type for every
/// layout, in one pass; natively it escapes strings run by run where serde_json's goes
/// byte by byte: the three files of a plan take about 46 % fewer instructions to lay out
/// than with serde_json's `PrettyFormatter` (callgrind, `audit::pretty`). The golden files
/// (natively and in Chromium) and the tests hold it to serde_json's bytes.
///
/// # Errors
///
/// As [`compact`].
pub fn pretty<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), jcs::Error> {
    jcs::write_pretty(value, out)
}

/// [`compact`] into a string.
///
/// # Errors
///
/// As [`compact`].
pub fn compact_string<T: Serialize + ?Sized>(value: &T) -> Result<String, jcs::Error> {
    let mut out = Vec::with_capacity(1024);
    compact(value, &mut out)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// [`pretty`] into a string.
///
/// # Errors
///
/// As [`compact`].
pub fn pretty_string<T: Serialize + ?Sized>(value: &T) -> Result<String, jcs::Error> {
    // Our pretty files are 5 to 15 KiB: one allocation, no regrowth.
    let mut out = Vec::with_capacity(16 << 10);
    pretty(value, &mut out)?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Lower-case hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json;

    #[test]
    fn jcs_sorts_keys_and_prints_numbers_like_ecmascript() {
        let v = serde_json::json!({"b": 1e-5, "a": [2.0, 1e21, 0.1], "é": "x"});
        let text = String::from_utf8(canonical(&v).unwrap()).unwrap();
        assert_eq!(text, r#"{"a":[2,1e+21,0.1],"b":0.00001,"é":"x"}"#);
    }

    #[test]
    fn pretty_is_serde_jsons_pretty() {
        let tricky = serde_json::json!({
            "empty": [], "none": {}, "nested": [[], {}, [[]], {"a": {}}, [1, [2, []]]],
            "s": "quote \" backslash \\ \\\" brace { } [ ] , : \u{7f} \u{2028} é 😀",
            "ends with backslash": "\\", "": "", "q": "a\":[1,{\"b\":2}]", "q2": "\\\":{", "n": [0.1, -0.0, 1e300, 5e-324, -7, 12345678901234567890u64],
            "b": [true, false, null], "k:{,}": {"[": "]"}
        });
        // What every build writes (the compact mode laid out), against serde_json's.
        fn relaid<T: Serialize>(v: &T) -> String {
            let mut out = Vec::new();
            pretty(v, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        }
        let cases: Vec<serde_json::Value> = vec![
            tricky,
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("plain"),
            serde_json::json!(1.5),
            serde_json::json!([{"a": [{"b": []}]}]),
        ];
        for v in &cases {
            assert_eq!(relaid(v), serde_json::to_string_pretty(v).unwrap());
        }
        // Every file the crate writes pretty: the sample's MacroScore, certificate, trail.
        let run = crate::phase::run(
            include_bytes!("../../../tests/fixtures/p06_sample.json"),
            &crate::phase::RunOptions::default(),
        )
        .unwrap();
        let bundle = crate::attest::certificate::issue(&run, None).unwrap();
        assert_eq!(
            relaid(&run.macro_score),
            serde_json::to_string_pretty(&run.macro_score).unwrap()
        );
        assert_eq!(
            relaid(&bundle.certificate),
            serde_json::to_string_pretty(&bundle.certificate).unwrap()
        );
        assert_eq!(
            relaid(&bundle.audit_trail),
            serde_json::to_string_pretty(&bundle.audit_trail).unwrap()
        );
    }

    /// Every compact and pretty text is written by the canonical-form serializer's
    /// compact mode: here against serde_json, on every kind of record the crate writes,
    /// from passed, failed and rejected plans.
    #[test]
    fn compact_mode_writes_every_record_as_serde_json() {
        use crate::phase::{run, Outcome, RunOptions};
        fn same<T: Serialize + ?Sized>(what: &str, v: &T) {
            let mut ours = Vec::new();
            jcs::write_compact(v, &mut ours).unwrap();
            let theirs = serde_json::to_vec(v).unwrap();
            assert!(ours == theirs, "{what}: {}", String::from_utf8_lossy(&ours));
            let mut relaid = Vec::new();
            jcs::write_pretty(v, &mut relaid).unwrap();
            assert_eq!(
                relaid,
                serde_json::to_vec_pretty(v).unwrap(),
                "{what} pretty"
            );
        }
        let sample: &[u8] = include_bytes!("../../../tests/fixtures/p06_sample.json");
        let options = RunOptions::default();
        let mut inputs = vec![sample.to_vec()];
        // A rejected input (a score out of range, a NaN), a malformed one and, strict, a
        // run whose checks fail on warnings.
        let text = String::from_utf8(sample.to_vec()).unwrap();
        let score = text.find("\"score\": ").unwrap() + "\"score\": ".len();
        for bad in ["7.5", "NaN", "-0.0"] {
            let end = score + text[score..].find([',', '\n']).unwrap();
            inputs.push(format!("{}{bad}{}", &text[..score], &text[end..]).into_bytes());
        }
        inputs.push(b"[{\"cluster_id\": \"MESO_1\"".to_vec());
        let mut kinds = std::collections::BTreeMap::new();
        for bytes in &inputs {
            for strict in [false, true] {
                let options = RunOptions {
                    strict,
                    ..options.clone()
                };
                let result = run(bytes, &options);
                same("outcome", &Outcome::of(&result));
                *kinds.entry(Outcome::of(&result).failure).or_insert(0) += 1;
                let files = match &result {
                    Ok(r) => crate::attest::Artifacts::issue(r, Some("2026-01-01T00:00:00Z")),
                    Err(crate::error::Phase7Error::Input(e)) => {
                        crate::attest::Artifacts::rejected(bytes, e, &options, Some("t"))
                    }
                    Err(_) => continue,
                }
                .unwrap();
                same("trail", &files.audit_trail);
                same("certificate", &files.certificate);
                same("refusal", &files.refusal);
                if let Ok(r) = &result {
                    same("macro score", &r.macro_score);
                    let params = crate::sensitivity::Params {
                        draws: 64,
                        ..Default::default()
                    };
                    let w = crate::sensitivity::WhatIfWeights::parse("w=0.4,0.3,0.2,0.1").unwrap();
                    let report = crate::sensitivity::report(r, &params, Some(&w)).unwrap();
                    same("sensitivity", &report);
                    if let Some(c) = &files.certificate_json {
                        let supplied = crate::verify::Supplied {
                            certificate: c.as_bytes(),
                            macro_score: files.macro_score_json.as_deref().map(str::as_bytes),
                            audit_trail: Some(files.audit_trail_json.as_bytes()),
                        };
                        same(
                            "verification",
                            &crate::verify::verify(bytes, &supplied, &options),
                        );
                        let m = files.macro_score_json.as_deref().unwrap_or_default();
                        same(
                            "claim",
                            &crate::verify::claim::verify_claimed(bytes, m.as_bytes()),
                        );
                        let edited = m.replacen("\"score\": ", "\"score\": 1", 1);
                        let differs =
                            crate::verify::claim::verify_claimed(bytes, edited.as_bytes());
                        assert!(!differs.ok);
                        same("claim", &differs);
                    }
                }
                let mut signals: Vec<crate::observe::signal::Signal> = Vec::new();
                let observed = crate::observe::run_observed(
                    bytes,
                    &options,
                    &mut crate::observe::NoClock,
                    &mut signals,
                    None,
                    &crate::observe::Controls::default(),
                );
                same("metrics", &observed.metrics);
                same("signals", &signals);
            }
        }
        // Passed (the sample, a -0.0 score) and rejected (7.5, NaN, malformed), each
        // plain and strict.
        assert_eq!(
            format!("{kinds:?}"),
            r#"{None: 4, Some("INPUT_CONTRACT"): 6}"#
        );
    }

    #[test]
    fn sha256_known_answer() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Across the writer's buffer boundary.
        let big = vec![b'a'; 3 * HashWriter::BUF + 17];
        let mut h = HashWriter::default();
        for chunk in big.chunks(1000) {
            io::Write::write_all(&mut h, chunk).unwrap();
        }
        io::Write::write_all(&mut h, &big[..HashWriter::BUF]).unwrap();
        let mut whole = big.clone();
        whole.extend_from_slice(&big[..HashWriter::BUF]);
        assert_eq!(h.hex(), sha256_hex(&whole));
    }

    /// xorshift64*: a fixed seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
    }

    fn reference<T: Serialize>(v: &T) -> Vec<u8> {
        serde_json_canonicalizer::to_vec(v).unwrap()
    }

    #[test]
    fn numbers_match_the_reference_implementation() {
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        let mut special = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            1e21,
            1e20,
            123456789012345680000.0,
            1e-6,
            1e-7,
            0.000001234,
            5e-324,
            -5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            9007199254740993.0,
            1.6500000000000001,
            2.0f64.powi(70),
            1234.5678e10,
        ];
        for e in -330..330 {
            special.push(10f64.powi(e));
            special.push(1.5 * 10f64.powi(e));
            special.push(-7.25 * 10f64.powi(e));
        }
        for _ in 0..200_000 {
            let x = f64::from_bits(rng.next());
            if x.is_finite() {
                special.push(x);
            }
            // Short decimals, which take every layout.
            let m = (rng.next() % 100_000) as f64;
            let e = (rng.next() % 60) as i32 - 30;
            special.push(m * 10f64.powi(e));
        }
        for x in special.into_iter().filter(|x| x.is_finite()) {
            let mut ours = Vec::new();
            jcs::number(x, &mut ours, Zero::Unsigned).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(reference(&x)).unwrap(),
                "{x:e} ({:#x})",
                x.to_bits()
            );
        }
        let mut signed = Vec::new();
        jcs::number(-0.0, &mut signed, Zero::Signed).unwrap();
        assert_eq!(signed, b"-0");
        assert!(jcs::number(f64::NAN, &mut Vec::new(), Zero::Unsigned).is_err());
    }

    fn random_string(rng: &mut Rng) -> String {
        const PIECES: [&str; 14] = [
            "a",
            "b",
            "Z",
            "\"",
            "\\",
            "/",
            "\n",
            "\u{1}",
            "\u{1f}",
            "\u{7f}",
            "é",
            "\u{e000}",
            "\u{ffff}",
            "\u{1F600}",
        ];
        let n = (rng.next() % 6) as usize;
        (0..n)
            .map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize])
            .collect()
    }

    fn random_json(rng: &mut Rng, depth: usize) -> Json {
        match rng.next() % if depth > 3 { 4 } else { 6 } {
            0 => Json::Null,
            1 => Json::Bool(rng.next().is_multiple_of(2)),
            2 => {
                let x = f64::from_bits(rng.next());
                Json::Number(if x.is_finite() { x } else { 0.5 })
            }
            3 => Json::String(random_string(rng)),
            4 => Json::Array(
                (0..rng.next() % 5)
                    .map(|_| random_json(rng, depth + 1))
                    .collect(),
            ),
            _ => {
                let mut entries: Vec<(String, Json)> = Vec::new();
                for _ in 0..rng.next() % 7 {
                    let k = random_string(rng);
                    if !entries.iter().any(|(e, _)| *e == k) {
                        entries.push((k, random_json(rng, depth + 1)));
                    }
                }
                Json::Object(entries)
            }
        }
    }

    #[test]
    fn documents_and_records_match_the_reference_implementation() {
        let mut rng = Rng(0x0DDB_1A5E_5BAD_5EED);
        for _ in 0..20_000 {
            let v = random_json(&mut rng, 0);
            let want = reference(&v);
            let mut tree = Vec::new();
            jcs::write_json(&v, &mut tree, Zero::Unsigned).unwrap();
            assert_eq!(tree, want, "{v}");
            // The same value through the serde path.
            assert_eq!(canonical(&v).unwrap(), want, "{v}");
            assert_eq!(of_json(&v).unwrap(), sha256_hex(&want));
        }
        // Our own records, through serde.
        let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
        let run = crate::phase::run(bytes, &Default::default()).unwrap();
        assert_eq!(
            canonical(&run.macro_score).unwrap(),
            reference(&run.macro_score)
        );
        assert_eq!(canonical(&run.checks).unwrap(), reference(&run.checks));
        assert_eq!(canonical(&run.config).unwrap(), reference(&run.config));
        assert_eq!(canonical(&run.stages).unwrap(), reference(&run.stages));
        let doc = json::parse(bytes).unwrap().value;
        assert_eq!(
            of_json(&doc).unwrap(),
            sha256_hex(&reference(&doc)),
            "input digest"
        );
    }

    /// Every shape serde can hand a serializer, through our writer and the reference.
    #[test]
    fn every_serde_shape_matches_the_reference_implementation() {
        use serde::ser::{SerializeMap, Serializer};
        use std::collections::BTreeMap;

        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Newtype(f32);
        #[derive(Serialize)]
        struct Pair(u16, u32);
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        enum Key {
            Zeta,
            Alpha,
        }
        #[derive(Serialize)]
        enum Kind {
            Unit,
            Newtype(u8),
            Tuple(i16, i32),
            Struct { b: i64, a: bool },
        }
        /// A map written key and value apart (as a hand-written `Serialize` may).
        struct Apart;
        impl Serialize for Apart {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_key("z")?;
                m.serialize_value(&1)?;
                m.serialize_key(&'a')?;
                m.serialize_value(&[true, false])?;
                m.end()
            }
        }
        /// Bytes, as a byte-buffer type hands them over.
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&[0, 7, 255])
            }
        }
        #[derive(Serialize)]
        struct All {
            t: bool,
            i8: i8,
            i16: i16,
            i32: i32,
            i64: i64,
            u8: u8,
            u16: u16,
            u32: u32,
            u64: u64,
            f32: f32,
            f64: f64,
            c: char,
            quote: char,
            s: String,
            none: Option<u8>,
            some: Option<&'static str>,
            unit: (),
            unit_struct: Unit,
            newtype: Newtype,
            tuple: (u8, char),
            pair: Pair,
            kinds: Vec<Kind>,
            by_name: BTreeMap<String, u8>,
            by_char: BTreeMap<char, u8>,
            by_variant: BTreeMap<Key, u8>,
            apart: Apart,
            bytes: Bytes,
        }
        let all = All {
            t: true,
            i8: -128,
            i16: -32768,
            i32: i32::MIN,
            i64: -9_007_199_254_740_991,
            u8: 255,
            u16: 65535,
            u32: u32::MAX,
            u64: 9_007_199_254_740_991,
            f32: 0.1,
            f64: -2.5e-7,
            c: 'ñ',
            quote: '"',
            s: "\u{1}é\u{1F600}".into(),
            none: None,
            some: Some("x"),
            unit: (),
            unit_struct: Unit,
            newtype: Newtype(1.5),
            tuple: (3, '\n'),
            pair: Pair(1, 2),
            kinds: vec![
                Kind::Unit,
                Kind::Newtype(9),
                Kind::Tuple(-1, 2),
                Kind::Struct { b: -3, a: false },
            ],
            by_name: [("b".to_string(), 1), ("a".to_string(), 2)].into(),
            by_char: [('y', 1), ('x', 2)].into(),
            by_variant: [(Key::Zeta, 1), (Key::Alpha, 2)].into(),
            apart: Apart,
            bytes: Bytes,
        };
        let ours = String::from_utf8(canonical(&all).unwrap()).unwrap();
        assert_eq!(ours, String::from_utf8(reference(&all)).unwrap());
        assert!(
            ours.contains(r#""by_variant":{"Alpha":2,"Zeta":1}"#),
            "{ours}"
        );
        assert!(
            ours.contains(r#""apart":{"a":[true,false],"z":1}"#),
            "{ours}"
        );

        // Keys must be strings: any other key is an error, never a silent "".
        let numbers: BTreeMap<u64, u8> = [(1, 1)].into();
        assert!(canonical(&numbers).is_err());
        let flags: BTreeMap<bool, u8> = [(true, 1)].into();
        assert!(canonical(&flags).is_err());
        let small: BTreeMap<i8, u8> = [(-1, 1)].into();
        assert!(canonical(&small).is_err());
        let units: BTreeMap<(), u8> = [((), 1)].into();
        assert!(canonical(&units).is_err());
    }

    #[test]
    fn escapes_are_found_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for special in [0u8, 0x1f, b'"', b'\\', b'\n'] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    let s = String::from_utf8(bytes).unwrap();
                    let mut ours = Vec::new();
                    jcs::string(&s, &mut ours).unwrap();
                    assert_eq!(ours, reference(&s), "{s:?}");
                }
                // Bytes just outside the escaped ranges, and UTF-8.
                let s: String = "a ~é\u{7f}!#[]".chars().cycle().take(len).collect();
                let mut ours = Vec::new();
                jcs::string(&s, &mut ours).unwrap();
                assert_eq!(ours, reference(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // U+E000 sorts after a supplementary character in UTF-16 (surrogates are lower),
        // though before it in UTF-8.
        let v = json::parse("{\"\u{e000}\": 1, \"\u{1F600}\": 2, \"a\": 3}".as_bytes())
            .unwrap()
            .value;
        let mut out = Vec::new();
        jcs::write_json(&v, &mut out, Zero::Unsigned).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"a\":3,\"\u{1F600}\":2,\"\u{e000}\":1}"
        );
        assert_eq!(
            jcs::utf16_cmp("\u{1F600}", "\u{e000}"),
            std::cmp::Ordering::Less
        );
    }

    #[test]
    fn certificate_bodies_skip_top_level_members_only() {
        let v = serde_json::json!({"id": "x", "b": {"id": 1}, "a": 2});
        let mut out = Vec::new();
        jcs::write_skipping(&v, &mut out, &["id"]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":2,"b":{"id":1}}"#);
    }

    #[test]
    fn deep_documents_are_written_without_recursion_blowup() {
        let deep = format!(
            "{}1{}",
            "{\"k\":[".repeat(json::MAX_DEPTH / 2),
            "]}".repeat(json::MAX_DEPTH / 2)
        );
        let v = json::parse(deep.as_bytes()).unwrap().value;
        assert_eq!(of_json(&v).unwrap(), sha256_hex(&reference(&v)));
    }
}
