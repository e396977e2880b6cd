//! Review of the canonical serializer's compact mode (`jcs::write_compact`), which writes
//! every compact and pretty text in the wasm builds: it must give serde_json's bytes on
//! any value serde_json writes, and the canonical form (digests) must be unchanged by the
//! integer path it brought. Runs natively (`cargo test -p phase7-core --test
//! compact_mode`) and in Chromium (`wasm-pack test --headless --chrome core --features
//! wasm`), where `digest::compact` and `digest::pretty` are the compact mode itself.
#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::fmt;

use phase7_core::attest::{digest, jcs};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Compact and pretty, ours against serde_json's, through `jcs::write_compact` and
/// `jcs::write_pretty` and through `digest::compact`/`pretty` (the same writers).
fn same<T: Serialize + ?Sized>(what: &str, v: &T) {
    let theirs = serde_json::to_vec(v).expect("serde_json writes it");
    let mut ours = b"kept ".to_vec();
    let done = jcs::write_compact(v, &mut ours);
    assert!(done.is_ok(), "{what}: compact mode failed: {done:?}");
    assert_eq!(
        String::from_utf8_lossy(&ours[5..]),
        String::from_utf8_lossy(&theirs),
        "{what}: compact"
    );
    let mut via = Vec::new();
    digest::compact(v, &mut via).unwrap();
    assert_eq!(via, theirs, "{what}: digest::compact");
    let mut pretty = Vec::new();
    digest::pretty(v, &mut pretty).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&pretty),
        String::from_utf8_lossy(&serde_json::to_vec_pretty(v).unwrap()),
        "{what}: pretty"
    );
    let mut laid_out = b"kept ".to_vec();
    jcs::write_pretty(v, &mut laid_out).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&laid_out[5..]),
        String::from_utf8_lossy(&serde_json::to_vec_pretty(v).unwrap()),
        "{what}: write_pretty"
    );
}

#[derive(Serialize)]
struct Inner {
    #[serde(skip_serializing_if = "Option::is_none")]
    first_skipped: Option<f64>,
    x: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    last_skipped: Vec<u8>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Internal {
    Unit,
    Newtype(Inner),
    NewtypeMap(BTreeMap<String, f64>),
    Struct { a: f64, b: Vec<Option<f64>> },
    EmptyStruct {},
}

#[derive(Serialize)]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    Unit,
    Newtype(f64),
    Tuple(i64, u64),
    Struct { x: Vec<Adjacent> },
}

#[derive(Serialize)]
#[serde(untagged)]
enum Untagged {
    A(f64),
    B { b: String },
    C(Vec<Untagged>),
    D,
    E(i8, i8),
    F(External),
}

#[derive(Serialize)]
enum External {
    Unit,
    Newtype(Box<External>),
    Tuple(f64, Vec<External>),
    Struct { m: BTreeMap<String, External> },
    EmptyTuple(),
    EmptyStruct {},
    Nan(f64),
}

#[derive(Serialize)]
struct Flat {
    #[serde(skip_serializing_if = "Option::is_none")]
    gone: Option<u8>,
    a: u8,
    #[serde(flatten)]
    inner: Inner,
    #[serde(flatten)]
    extra: BTreeMap<String, serde_json::Value>,
    #[serde(flatten)]
    none: Option<Inner>,
    #[serde(flatten)]
    some: Option<Inner>,
    #[serde(flatten)]
    e: External,
    #[serde(flatten)]
    tagged: Internal,
    z: (),
}

#[derive(Serialize)]
struct EmptyBraces {}
#[derive(Serialize)]
struct EmptyParens();
#[derive(Serialize)]
struct UnitStruct;

/// A type written with `collect_str` (as `Display` types with `serialize_with` are).
struct Shown(&'static str);
impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Several writes: serde_json's collect_str streams them.
        for part in self.0.split_inclusive('"') {
            f.write_str(part)?;
        }
        Ok(())
    }
}
impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Keys and values handed over apart, values nested maps.
struct Apart;
impl Serialize for Apart {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_key("k")?;
        m.serialize_value(&BTreeMap::from([("in", vec![f64::NAN, -0.0])]))?;
        m.serialize_key(&'c')?;
        m.serialize_value(&Internal::Unit)?;
        m.serialize_entry(&Shown("key \"shown\""), &Shown("\u{1}"))?;
        m.end()
    }
}

struct Bytes(&'static [u8]);
impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

fn inner(x: f64) -> Inner {
    Inner {
        first_skipped: None,
        x,
        last_skipped: vec![],
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn tagged_untagged_and_flattened_shapes() {
    let nan_map = BTreeMap::from([("n".to_string(), f64::NAN), ("i".into(), f64::INFINITY)]);
    same(
        "internal",
        &vec![
            Internal::Unit,
            Internal::Newtype(inner(f64::NEG_INFINITY)),
            Internal::NewtypeMap(nan_map.clone()),
            Internal::NewtypeMap(BTreeMap::new()),
            Internal::Struct {
                a: -0.0,
                b: vec![None, Some(f64::NAN), Some(1e21)],
            },
            Internal::EmptyStruct {},
        ],
    );
    same(
        "adjacent",
        &vec![
            Adjacent::Unit,
            Adjacent::Newtype(f64::NAN),
            Adjacent::Tuple(i64::MIN, u64::MAX),
            Adjacent::Struct {
                x: vec![Adjacent::Struct { x: vec![] }, Adjacent::Unit],
            },
        ],
    );
    let external = || External::Struct {
        m: BTreeMap::from([
            ("u".to_string(), External::Unit),
            (
                "n".into(),
                External::Newtype(Box::new(External::Tuple(
                    f64::NAN,
                    vec![External::EmptyTuple(), External::EmptyStruct {}],
                ))),
            ),
            ("".into(), External::Nan(f64::NEG_INFINITY)),
        ]),
    };
    same(
        "untagged",
        &vec![
            Untagged::A(f64::NAN),
            Untagged::B {
                b: "\u{2028}".into(),
            },
            Untagged::C(vec![Untagged::D, Untagged::C(vec![])]),
            Untagged::E(i8::MIN, i8::MAX),
            Untagged::F(external()),
        ],
    );
    let mut flattened = 0;
    for (e, tagged) in [
        (External::Unit, Internal::Unit),
        (External::EmptyStruct {}, Internal::EmptyStruct {}),
        (
            external(),
            Internal::Struct {
                a: f64::NAN,
                b: vec![],
            },
        ),
        (
            External::Newtype(Box::new(External::Unit)),
            Internal::NewtypeMap(nan_map.clone()),
        ),
    ] {
        // (Should serde refuse a combination, both writers must refuse it.)
        let flat = Flat {
            gone: None,
            a: 1,
            inner: inner(f64::NAN),
            extra: BTreeMap::from([
                (
                    "v".to_string(),
                    serde_json::json!({"a": [1, -1, 1.5, null, {}]}),
                ),
                ("w".into(), serde_json::json!([])),
            ]),
            none: None,
            some: Some(inner(-0.0)),
            e,
            tagged,
            z: (),
        };
        if serde_json::to_vec(&flat).is_ok() {
            same("flatten", &flat);
            flattened += 1;
        } else {
            let mut ours = Vec::new();
            assert!(jcs::write_compact(&flat, &mut ours).is_err());
        }
    }
    assert_eq!(flattened, 4);
    same(
        "empties",
        &(
            EmptyBraces {},
            EmptyParens(),
            UnitStruct,
            (),
            Vec::<()>::new(),
            [(); 0],
            BTreeMap::<String, ()>::new(),
            Bytes(&[]),
            vec![vec![vec![BTreeMap::<String, ()>::new()]]],
            "",
            Some(None::<u8>),
        ),
    );
    same("apart", &vec![Apart, Apart]);
    same(
        "collect_str",
        &(Shown("a\"b\\c\u{0}\u{1f}\u{7f}\u{2028}😀"), Shown("")),
    );
    same("bytes", &(Bytes(&[0, 1, 127, 128, 255]), Bytes(b"\"")));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn numbers_in_every_position() {
    // Integers: every width's extremes and the neighbours of 2^53, 2^63, 2^64.
    same(
        "integers",
        &(
            [i8::MIN, i8::MAX, 0, -1],
            [i16::MIN, i16::MAX],
            [i32::MIN, i32::MAX],
            [
                i64::MIN,
                i64::MIN + 1,
                i64::MAX,
                -(1 << 53) - 1,
                -(1 << 53),
                (1 << 53) + 1,
                -10,
                -9,
                -0,
            ],
            [u8::MAX, 0],
            [u16::MAX],
            [u32::MAX],
            [
                u64::MAX,
                u64::MAX - 1,
                1 << 63,
                (1 << 53) + 1,
                10_u64.pow(19),
            ],
            [usize::MAX, 0],
            [isize::MIN, isize::MAX],
        ),
    );
    // Floats around every power of ten (where the layout changes) and of two.
    let mut floats = Vec::new();
    for e in -330..=310 {
        if let Ok(x) = format!("1e{e}").parse::<f64>() {
            for x in [x, -x] {
                floats.push(x);
                floats.push(f64::from_bits(x.to_bits().wrapping_add(1)));
                floats.push(f64::from_bits(x.to_bits().wrapping_sub(1)));
            }
        }
    }
    for e in -1074..=1023 {
        floats.push(2f64.powi(e));
    }
    floats.extend([
        0.0,
        -0.0,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        f64::EPSILON,
        0.1 + 0.2,
        123_456_789_012_345_680_000.0,
        9_007_199_254_740_993.0,
        1e15 + 0.3,
        f64::NAN,
        -f64::NAN,
        f64::from_bits(0x7ff0_0000_0000_0001),
        f64::from_bits(0xfff8_dead_beef_0000),
        f64::INFINITY,
        f64::NEG_INFINITY,
    ]);
    same("floats", &floats);
    let singles: Vec<f32> = floats.iter().map(|&x| x as f32).collect();
    same("f32", &singles);
    for (n, &x) in floats.iter().enumerate().step_by(7) {
        let map = BTreeMap::from([(format!("k{n}"), x)]);
        same(
            "float positions",
            &(
                x,
                Some(x),
                External::Nan(x),
                Adjacent::Newtype(x),
                Internal::Newtype(inner(x)),
                map,
                x as f32,
                Untagged::A(x),
            ),
        );
        same("top-level float", &x);
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn strings_with_every_ascii_and_edge_characters() {
    let mut chars: Vec<char> = (0u32..0x80).filter_map(char::from_u32).collect();
    chars.extend([
        '\u{80}',
        '\u{a0}',
        '\u{7ff}',
        '\u{800}',
        '\u{2028}',
        '\u{2029}',
        '\u{d7ff}',
        '\u{e000}',
        '\u{feff}',
        '\u{fffd}',
        '\u{ffff}',
        '\u{10000}',
        '\u{10ffff}',
    ]);
    same("chars", &chars);
    let mut strings = Vec::new();
    for &c in &chars {
        for len in [0usize, 1, 7, 8, 9, 15, 16, 17, 33] {
            let s: String = std::iter::repeat_n('a', len)
                .chain([c])
                .chain(std::iter::repeat_n('b', len))
                .collect();
            strings.push(s);
        }
    }
    same("strings", &strings);
    // The same strings as keys (escaped the same way) and map values.
    let map: BTreeMap<String, &str> = strings.iter().map(|s| (s.clone(), s.as_str())).collect();
    same("keys", &map);
    let chars_as_keys: BTreeMap<char, char> = chars.iter().map(|&c| (c, c)).collect();
    same("char keys", &chars_as_keys);
    // Strings that look like structure (the layout must not touch them).
    same(
        "structural text",
        &vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\\",
            "\\\"",
            "\\\\",
            "\"[{,:}]\"",
            "a\\",
            "\\\\\"",
            "{\"a\":[1,2]}",
        ],
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn deep_nesting() {
    let depth = if cfg!(target_arch = "wasm32") {
        200
    } else {
        1_000
    };
    let mut v = External::Unit;
    for i in 0..depth {
        v = match i % 4 {
            0 => External::Newtype(Box::new(v)),
            1 => External::Tuple(i as f64, vec![v]),
            2 => External::Struct {
                m: BTreeMap::from([(i.to_string(), v)]),
            },
            _ => External::Tuple(f64::NAN, vec![External::EmptyStruct {}, v]),
        };
    }
    same("deep", &v);
    let mut j = serde_json::json!([]);
    for i in 0..depth {
        j = if i % 2 == 0 {
            serde_json::json!([j, {}])
        } else {
            serde_json::json!({"k": j, "": []})
        };
    }
    same("deep json", &j);
    // Leak rather than recurse in the drops (serde_json's Value drop is recursive).
    std::mem::forget(j);
    std::mem::forget(v);
}

/// serde_json writes integer, boolean, finite float and `Some` map keys as strings; in
/// wasm, where the compact mode writes every text, such a map must not become an error.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn non_string_keys_as_serde_json_writes_them() {
    struct Keys;
    impl Serialize for Keys {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            m.serialize_entry(&1.5f64, &0)?;
            m.serialize_entry(&-0.0f64, &0)?;
            m.serialize_entry(&0.1f32, &0)?;
            m.serialize_entry(&Some("some"), &0)?;
            m.serialize_entry(&u128::MAX, &0)?;
            m.serialize_entry(&i128::MIN, &0)?;
            m.end()
        }
    }
    same("u64 keys", &BTreeMap::from([(u64::MAX, 1), (0, 2)]));
    same("i64 keys", &BTreeMap::from([(i64::MIN, 1), (-1, 2)]));
    same("u8 keys", &BTreeMap::from([(7u8, ())]));
    same("bool keys", &BTreeMap::from([(true, 1), (false, 2)]));
    same(
        "small integer keys",
        &(
            BTreeMap::from([(i16::MIN, 1), (-1i16, 2)]),
            BTreeMap::from([(i32::MIN, 1), (7i32, 2)]),
            BTreeMap::from([(u16::MAX, 1)]),
            BTreeMap::from([(u32::MAX, 1)]),
            BTreeMap::from([(i8::MIN, 1)]),
        ),
    );
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    struct Named(&'static str);
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    struct Numbered(u32);
    same(
        "newtype keys",
        &(
            BTreeMap::from([(Named("a \"b\""), 1)]),
            BTreeMap::from([(Numbered(9), 1)]),
        ),
    );
    same("other keys", &Keys);
    // The canonical form (digests) still takes string keys only.
    let canonical = |v: &dyn erased::Canon| v.canonical_is_err();
    assert!(canonical(&BTreeMap::from([(1u64, 1)])));
    assert!(canonical(&BTreeMap::from([(true, 1)])));
    assert!(canonical(&BTreeMap::from([(Some("s"), 1)])));
    assert!(canonical(&Keys));
    assert!(canonical(&u128::MAX));
    assert!(canonical(&i128::MIN));
}

mod erased {
    /// `jcs::write` behind a trait object (the checks above take values of many types).
    pub trait Canon {
        fn canonical_is_err(&self) -> bool;
    }
    impl<T: serde::Serialize> Canon for T {
        fn canonical_is_err(&self) -> bool {
            phase7_core::attest::jcs::write(self, &mut Vec::new()).is_err()
        }
    }
}

/// serde_json writes 128-bit integers as their digits.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn integers_of_128_bits_as_serde_json_writes_them() {
    same(
        "128-bit",
        &(
            u128::MAX,
            i128::MIN,
            i128::MAX,
            0u128,
            -1i128,
            u128::from(u64::MAX) + 1,
        ),
    );
}

/// Bad map keys: an error (not a panic, not a partial silent success) in both writers.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn keys_serde_json_refuses_are_errors() {
    let units = BTreeMap::from([((), 1)]);
    assert!(serde_json::to_vec(&units).is_err());
    assert!(jcs::write_compact(&units, &mut Vec::new()).is_err());
    let seqs = BTreeMap::from([(vec![1], 1)]);
    assert!(serde_json::to_vec(&seqs).is_err());
    assert!(jcs::write_compact(&seqs, &mut Vec::new()).is_err());
    struct NanKey;
    impl Serialize for NanKey {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry(&f64::NAN, &1)?;
            m.end()
        }
    }
    assert!(serde_json::to_vec(&NanKey).is_err());
    assert!(jcs::write_compact(&NanKey, &mut Vec::new()).is_err());
    // A None, bytes, a unit struct, a newtype variant as a key.
    #[derive(Serialize)]
    struct Unit;
    #[derive(Serialize)]
    enum Variant {
        Wrapped(u8),
    }
    struct Bytes;
    impl Serialize for Bytes {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b"k")
        }
    }
    struct Keyed<K>(K);
    impl<K: Serialize> Serialize for Keyed<K> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry(&self.0, &1)?;
            m.end()
        }
    }
    fn refused<K: Serialize>(key: K) {
        let v = Keyed(key);
        assert!(serde_json::to_vec(&v).is_err());
        assert!(jcs::write_compact(&v, &mut Vec::new()).is_err());
    }
    refused(None::<&str>);
    refused(Bytes);
    refused(Unit);
    refused(Variant::Wrapped(1));
}

/// The canonical form's integers (now through `integer()`) are what they were (the double
/// they read as) and what `serde_json_canonicalizer` writes, direct and buffered.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn canonical_integers_unchanged() {
    fn check<T: Serialize + Copy>(x: T, as_f64: f64) {
        for (what, ours, reference, before) in [
            (
                "direct",
                canonical(&x),
                serde_json_canonicalizer::to_vec(&x).unwrap(),
                canonical(&as_f64),
            ),
            (
                "in a list",
                canonical(&[x, x]),
                serde_json_canonicalizer::to_vec(&[x, x]).unwrap(),
                canonical(&[as_f64, as_f64]),
            ),
            (
                "in an object",
                canonical(&BTreeMap::from([("b", x), ("a", x)])),
                serde_json_canonicalizer::to_vec(&BTreeMap::from([("b", x), ("a", x)])).unwrap(),
                canonical(&BTreeMap::from([("b", as_f64), ("a", as_f64)])),
            ),
        ] {
            let shown = String::from_utf8_lossy(&ours).into_owned();
            assert_eq!(ours, reference, "{what} {shown}");
            assert_eq!(ours, before, "{what} {shown}");
        }
    }
    fn canonical<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
        let mut out = Vec::new();
        jcs::write(v, &mut out).unwrap();
        out
    }
    let mut signed: Vec<i64> = vec![i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1, 0, -1, 1];
    for p in [53, 54, 60, 62] {
        for d in -3i64..=3 {
            signed.push((1i64 << p) + d);
            signed.push(-(1i64 << p) + d);
        }
    }
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..2_000 {
        let r = next();
        signed.push((r as i64) >> (r % 64));
    }
    for &i in &signed {
        check(i, i as f64);
        check(i as u64, (i as u64) as f64);
        check(i as i32, f64::from(i as i32));
        check(i as u32, f64::from(i as u32));
        check(i as i16, f64::from(i as i16));
        check(i as u16, f64::from(i as u16));
        check(i as i8, f64::from(i as i8));
        check(i as u8, f64::from(i as u8));
    }
    check(u64::MAX, u64::MAX as f64);
}

/// `ClusterWeights` (a fixed array since 07abde8) writes the bytes the `BTreeMap<String,
/// f64>` it replaced wrote, in every writer, for any four weights.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn cluster_weights_write_as_the_map_they_replaced() {
    use phase7_core::config::{ClusterWeights, Config};
    use phase7_core::model::ClusterId;
    let weights = [
        [0.25; 4],
        [0.4, 0.3, 0.2, 0.1],
        [-0.0, 0.0, 1e-300, f64::MAX],
        [f64::NAN, f64::INFINITY, 0.1, 1.0 / 3.0],
    ];
    for w in weights {
        let ours = ClusterWeights(w);
        let map: BTreeMap<String, f64> = ClusterId::ALL
            .iter()
            .map(|id| (id.as_str().to_string(), ours.get(*id)))
            .collect();
        same("weights", &ours);
        assert_eq!(
            serde_json::to_vec(&ours).unwrap(),
            serde_json::to_vec(&map).unwrap()
        );
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let (ra, rb) = (jcs::write(&ours, &mut a), jcs::write(&map, &mut b));
        assert_eq!(ra.is_ok(), rb.is_ok());
        assert_eq!(a, b);
    }
    let published = Config::published();
    assert_eq!(published.cluster_weights, ClusterWeights([0.25; 4]));
    for id in ClusterId::ALL {
        assert_eq!(published.weight(id).to_bits(), 0.25f64.to_bits());
    }
}
