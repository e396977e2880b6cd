//! Pathological inputs of many shapes, generated at a requested size: what the bounds
//! tests (native, with a counting allocator, and wasm32) feed every entry point.
#![allow(dead_code)]

/// The sample Phase 6 file (a bare array of the four clusters).
pub const SAMPLE: &str = include_str!("../../../tests/fixtures/p06_sample.json");

/// One generated input.
pub struct Shape {
    /// What it is.
    pub name: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Whether the input contract accepts it.
    pub accepted: bool,
}

/// `count` copies of `item` separated by commas.
fn repeat(item: &str, count: usize) -> String {
    let mut s = String::with_capacity((item.len() + 1) * count);
    for i in 0..count {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item);
    }
    s
}

/// An envelope holding the sample's clusters plus `extra` members (`"k": v, …`).
fn envelope(extra: &str) -> String {
    format!("{{\"cluster_scores\": {SAMPLE}, {extra}}}")
}

/// The sample with the first occurrence of `from` replaced by `to`.
fn edit(from: &str, to: &str) -> String {
    assert!(SAMPLE.contains(from), "{from}");
    SAMPLE.replacen(from, to, 1)
}

fn shape(name: &'static str, text: String, accepted: bool) -> Shape {
    Shape {
        name,
        bytes: text.into_bytes(),
        accepted,
    }
}

/// Every shape, each about `size` bytes.
pub fn all(size: usize) -> Vec<Shape> {
    let key = "k".repeat(size / 2);
    let n = |item_len: usize| (size / (item_len + 1)).max(1);
    vec![
        // The issue's case: one long key holding many NaNs (each finding has the key in
        // its path).
        shape(
            "long key holding NaNs",
            format!("[{{\"{key}\": [{}]}}]", repeat("NaN", n(4).min(size / 8))),
            false,
        ),
        shape(
            "many distinct keys",
            envelope(&{
                let mut s = String::new();
                let mut i = 0usize;
                while s.len() < size {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(&format!("\"k{i}\":0"));
                    i += 1;
                }
                s
            }),
            true,
        ),
        shape(
            "many duplicate keys",
            envelope(&repeat("\"a\":0", n(6))),
            false,
        ),
        shape(
            "many non-finite numbers",
            format!("[{}]", repeat("NaN", n(4))),
            false,
        ),
        shape(
            "many repeated areas",
            edit(
                "\"PA01\",",
                &format!("\"PA01\", {},", repeat("\"PA01\"", n(7))),
            ),
            true,
        ),
        shape(
            "many distinct unexpected areas",
            edit("\"PA01\",", &{
                let items: Vec<String> = (0..n(10)).map(|i| format!("\"X{i}\"")).collect();
                format!("\"PA01\", {},", items.join(","))
            }),
            false,
        ),
        shape(
            "many clusters (numbers)",
            format!("[{}]", repeat("0", n(1))),
            false,
        ),
        shape(
            "many clusters (distinct ids)",
            format!("[{}]", {
                let items: Vec<String> = (0..n(24))
                    .map(|i| format!("{{\"cluster_id\":\"C{i}\"}}"))
                    .collect();
                items.join(",")
            }),
            false,
        ),
        shape(
            "one cluster id many times",
            format!("[{}]", repeat("{\"cluster_id\":\"CLUSTER_MESO_1\"}", n(33))),
            false,
        ),
        shape(
            "long string in metadata",
            envelope(&format!("\"note\": \"{}\"", "x".repeat(size))),
            true,
        ),
        shape(
            "long cluster id",
            edit("\"CLUSTER_MESO_2\"", &format!("\"{}\"", "i".repeat(size))),
            false,
        ),
        shape(
            "long weakest area",
            edit(
                "\"PA02\",\n    \"area_scores\"",
                &format!("\"{}\",\n    \"area_scores\"", "w".repeat(size)),
            ),
            false,
        ),
        shape(
            "long dispersion scenario (copied to the output)",
            edit("\"convergence\"", &format!("\"{}\"", "d".repeat(size))),
            true,
        ),
        shape(
            "long number",
            edit("2.1266666666666665", &"9".repeat(size)),
            false,
        ),
        shape(
            "deep nesting with long keys and NaNs",
            {
                let depth = 120;
                let k = "q".repeat(size / (4 * depth));
                format!(
                    "[{}[{}]{}]",
                    format!("{{\"{k}\":").repeat(depth),
                    repeat("NaN", n(4) / 2),
                    "}".repeat(depth)
                )
            },
            false,
        ),
        shape("too deep", "[".repeat(size), false),
        shape(
            "many negative zeros",
            envelope(&format!("\"z\": [{}]", repeat("-0.0", n(4)))),
            true,
        ),
        shape(
            "negative zeros under a long key",
            envelope(&format!("\"{key}\": [{}]", repeat("-0.0", 1000))),
            true,
        ),
        shape(
            "many empty objects",
            envelope(&format!("\"m\": [{}]", repeat("{}", n(2)))),
            true,
        ),
        shape(
            "many short strings",
            envelope(&format!("\"s\": [{}]", repeat("\"a\"", n(3)))),
            true,
        ),
        // Containers of one value: each costs a value slot and a heap block, which must
        // not keep room for more (a vector made for four holds one).
        shape(
            "many one-element arrays",
            envelope(&format!("\"o\": [{}]", repeat("[0]", n(3)))),
            true,
        ),
        shape(
            "many one-key objects",
            envelope(&format!("\"o\": [{}]", repeat("{\"a\":0}", n(7)))),
            true,
        ),
        shape(
            "many deep one-element nests",
            envelope(&format!(
                "\"o\": [{}]",
                repeat(&format!("{}0{}", "[".repeat(120), "]".repeat(120)), n(241))
            )),
            true,
        ),
        // Fields the reader carries through unread: area_scores, validation_details,
        // confidence_interval_95 (the digests bind them).
        shape(
            "many area_scores entries",
            edit(
                "\"area_scores\": [",
                &format!(
                    "\"area_scores\": [{},",
                    repeat(AREA_SCORE, n(AREA_SCORE.len()))
                ),
            ),
            true,
        ),
        shape(
            "many area_scores entries with NaNs in nested ids",
            edit(
                "\"area_scores\": [",
                &format!(
                    "\"area_scores\": [{},",
                    repeat("{\"area_id\":[[NaN]],\"score\":NaN}", n(31))
                ),
            ),
            false,
        ),
        shape(
            "validation_details with many keys",
            edit("\"validation_details\": {", &{
                let items: Vec<String> = (0..n(12)).map(|i| format!("\"v{i}\":[0]")).collect();
                format!("\"validation_details\": {{{},", items.join(","))
            }),
            true,
        ),
        shape(
            "confidence_interval_95 with many elements",
            edit(
                "\"confidence_interval_95\": [",
                &format!("\"confidence_interval_95\": [{},", repeat("2.5", n(3))),
            ),
            true,
        ),
        // Escapes: keys that are the same once unescaped, strings of escaped controls
        // and surrogate pairs, a lone surrogate at the very end.
        shape(
            "escaped keys equal to plain ones, in many objects",
            envelope(&format!(
                "\"o\": [{}]",
                repeat("{\"\\u0061\":1,\"a\":2}", n(18))
            )),
            false,
        ),
        shape(
            "many distinct escaped keys",
            envelope(&format!("\"o\": {{{}}}", {
                let items: Vec<String> = (0..n(16)).map(|i| format!("\"\\u006b{i}\":0")).collect();
                items.join(",")
            })),
            true,
        ),
        shape(
            "a string of escaped control characters",
            envelope(&format!("\"note\": \"{}\"", "\\u0000".repeat(size / 6))),
            true,
        ),
        shape(
            "many strings of terminal escapes",
            envelope(&format!(
                "\"s\": [{}]",
                repeat("\"\\u001b[31m\\u0007\"", n(18))
            )),
            true,
        ),
        shape(
            "surrogate pairs",
            envelope(&format!(
                "\"note\": \"{}\"",
                "\\ud83d\\ude00".repeat(size / 12)
            )),
            true,
        ),
        shape(
            "a lone surrogate after a long string",
            envelope(&format!("\"note\": \"{}\\ud800\"", "x".repeat(size))),
            false,
        ),
        // Keys the sort and the duplicate scan must compare far: long keys that differ
        // only in their last bytes, and duplicates of one after 31 of them (below the
        // hash index's threshold).
        shape(
            "long keys differing in their last bytes",
            envelope(&format!("\"o\": {{{}}}", {
                let long = "p".repeat(1000);
                let items: Vec<String> = (0..(size / 1012).max(1))
                    .map(|i| format!("\"{long}{i:07}\":0"))
                    .collect();
                items.join(",")
            })),
            true,
        ),
        shape(
            "duplicates of a long key after 31 like it",
            envelope(&format!("\"o\": {{{}}}", {
                let long = "p".repeat(size / 100 + 1);
                let first: Vec<String> = (0..31).map(|i| format!("\"{long}{i:02}\":0")).collect();
                format!(
                    "{},{}",
                    first.join(","),
                    repeat(&format!("\"{long}99\":0"), 60)
                )
            })),
            false,
        ),
        // Shuffled keys sharing their first 10 bytes: RFC 8785's sort compared each pair
        // through both keys' text (1.4 s for 16 MB, 23 times a tenth of it); now 8 bytes
        // at a time as integers (jcs.rs, `sort_keys_by_chunks`).
        shape(
            "many shuffled keys sharing their first 10 bytes",
            envelope(&format!("\"o\": {{{}}}", {
                let items: Vec<String> = (0..n(22) as u64)
                    .map(|i| format!("\"pppppppppp{:010}\":0", i * 2_654_435_761 % 1_000_000_007))
                    .collect();
                items.join(",")
            })),
            true,
        ),
        shape(
            "keys sorted by UTF-16 (private use against supplementary)",
            envelope(&format!("\"o\": {{{}}}", {
                let items: Vec<String> = (0..size / 16)
                    .map(|i| format!("\"\u{e000}{i}\u{1F600}\":0"))
                    .collect();
                items.join(",")
            })),
            true,
        ),
        shape(
            "whitespace before the document",
            format!("{}{SAMPLE}", " ".repeat(size)),
            true,
        ),
        shape("only whitespace", " ".repeat(size), false),
        shape(
            "NUL bytes after the document",
            format!("{SAMPLE}{}", "\0".repeat(size)),
            false,
        ),
        // Numbers: overflowing and underflowing exponents, an exponent and a fraction of
        // millions of digits, numbers past the fast parse (over 768 digits).
        shape(
            "many overflowing exponents",
            format!("[{}]", repeat("1e400", n(5))),
            false,
        ),
        shape(
            "many underflowing exponents",
            envelope(&format!("\"z\": [{}]", repeat("1e-400", n(6)))),
            true,
        ),
        shape(
            "an exponent of millions of digits",
            envelope(&format!("\"z\": 1e{}", "9".repeat(size))),
            false,
        ),
        shape(
            "a fraction of millions of digits",
            envelope(&format!("\"z\": 0.{}", "1".repeat(size))),
            true,
        ),
        shape(
            "many numbers of 800 digits",
            envelope(&format!("\"z\": [{}]", {
                let d = format!("1.{}e-320", "7".repeat(799));
                repeat(&d, n(d.len()))
            })),
            true,
        ),
        // Tokens of 20 significant digits just past the halfway point between two
        // doubles near 1e300, 1e-307 and in the subnormals: the first 19 digits leave the
        // rounding open, which sent each through core's slow decimal conversion (8 µs
        // each: 4.5 s for 15 MB); now decided in big integers (read/number.rs).
        shape(
            "many 20-digit numbers just past halfway points",
            envelope(&format!("\"z\": [{}]", {
                let near = "1.0000000000000001261e+300,1.0000000000000000081e-307,\
                            3.7054923438093490811e-323";
                repeat(near, n(near.len()))
            })),
            true,
        ),
        // Every field of many clusters wrong: each code's list fills, then counts.
        shape(
            "many clusters with every field of the wrong type",
            format!("[{}]", repeat(ALL_WRONG_TYPES, n(ALL_WRONG_TYPES.len()))),
            false,
        ),
        shape(
            "many clusters with every value out of its domain",
            format!(
                "[{}]",
                repeat(ALL_OUT_OF_DOMAIN, n(ALL_OUT_OF_DOMAIN.len()))
            ),
            false,
        ),
        shape(
            "many nested arrays in areas",
            edit(
                "\"PA01\",",
                &format!("\"PA01\", {},", repeat("[[[[[[]]]]]]", n(12))),
            ),
            false,
        ),
        shape(
            "one area holding millions of empty arrays",
            edit("\"PA01\",", &format!("\"PA01\", [{}],", repeat("[]", n(2)))),
            false,
        ),
        shape(
            "repeated areas in every cluster",
            ["PA01", "PA04", "PA07", "PA09"]
                .iter()
                .fold(SAMPLE.to_string(), |text, a| {
                    let item = format!("\"{a}\"");
                    text.replacen(
                        &format!("{item},"),
                        &format!("{item}, {},", repeat(&item, n(7) / 4)),
                        1,
                    )
                }),
            true,
        ),
        shape(
            "terminal escapes in a long cluster id",
            edit(
                "\"CLUSTER_MESO_2\"",
                &format!(
                    "\"\\u001b]0;x\\u0007\\u001b[2J{}\"",
                    "\\u001b".repeat(size / 6)
                ),
            ),
            false,
        ),
        shape(
            "a long key of carriage returns holding a NaN",
            format!("[{{\"\\u001b[31m{}\": [NaN]}}]", "\\r".repeat(size / 2)),
            false,
        ),
        shape(
            "a long dispersion scenario of escaped controls (copied twice, escaped)",
            edit(
                "\"convergence\"",
                &format!("\"{}\"", "\\u001f".repeat(size / 6)),
            ),
            true,
        ),
        shape(
            "long cluster name",
            edit(
                "\"Legal & Institutional Framework\"",
                &format!("\"{}\"", "n".repeat(size)),
            ),
            true,
        ),
        shape(
            "long provenance id",
            edit(
                "\"PROV_MESO_1_a1f3c09e\"",
                &format!("\"{}\"", "v".repeat(size)),
            ),
            true,
        ),
        shape(
            "long aggregation method",
            edit(
                "\"weighted_average_with_adaptive_penalty\"",
                &format!("\"{}\"", "m".repeat(size)),
            ),
            true,
        ),
        shape(
            "the envelope's clusters after many keys",
            {
                let items: Vec<String> = (0..n(10)).map(|i| format!("\"k{i}\":0")).collect();
                format!("{{{}, \"cluster_scores\": {SAMPLE}}}", items.join(","))
            },
            true,
        ),
        shape(
            "the envelope's clusters given many times",
            format!(
                "{{{}}}",
                repeat(
                    &format!("\"cluster_scores\": {SAMPLE}"),
                    (size / SAMPLE.len()).max(2)
                )
            ),
            false,
        ),
        shape(
            "many one-key objects with empty keys and strings",
            envelope(&format!("\"o\": [{}]", repeat("{\"\":\"\"}", n(7)))),
            true,
        ),
        shape(
            "a long top-level string",
            format!("\"{}\"", "s".repeat(size)),
            false,
        ),
        shape("a long top-level number", "9".repeat(size), false),
        shape(
            "the sample's clusters many times",
            format!("[{}]", {
                let clusters = SAMPLE.trim().trim_start_matches('[').trim_end_matches(']');
                repeat(clusters, (size / clusters.len()).max(2))
            }),
            false,
        ),
        shape(
            "cluster_scores an object of many keys",
            format!("{{\"cluster_scores\": {{{}}}}}", {
                let items: Vec<String> = (0..n(10)).map(|i| format!("\"c{i}\":[0]")).collect();
                items.join(",")
            }),
            false,
        ),
        shape(
            "a cluster's id given many times",
            edit(
                "\"cluster_id\": \"CLUSTER_MESO_1\",",
                &format!(
                    "{} \"cluster_id\": \"CLUSTER_MESO_1\",",
                    repeat("\"cluster_id\": \"CLUSTER_MESO_9\"", n(32)).replace('9', "1") + ","
                ),
            ),
            false,
        ),
        shape(
            "a score that is a huge array",
            edit(
                "2.1266666666666665",
                &format!("[{}]", repeat("[1.5]", n(5))),
            ),
            false,
        ),
        shape(
            "findings under twelve keys of escaped controls",
            format!("[{}]", findings_under_escaped_keys(size)),
            false,
        ),
        // Every code of the input contract at once, errors and warnings, in each of many
        // clusters (and non-object clusters between them): every capped list fills
        // together.
        shape(
            "every error and warning code in each of many clusters",
            format!("[{}]", repeat(EVERY_CODE, n(EVERY_CODE.len()))),
            false,
        ),
        // Each of the four clusters holding its fields after a quarter of the input in
        // unknown keys: every field looked up (and each listed finding's label) scans
        // them.
        shape(
            "each cluster's fields after many unknown keys",
            {
                let keys: Vec<String> = (0..n(12) / 4).map(|i| format!("\"u{i:07}\":0")).collect();
                SAMPLE.replace(
                    "\"cluster_id\":",
                    &format!("{}, \"cluster_id\":", keys.join(",")),
                )
            },
            true,
        ),
        // Nests exactly at the depth limit (128 with the envelope and its array), then
        // one nest past it at the very end: rejected only after everything was parsed.
        shape(
            "many nests at the depth limit, one past it at the end",
            envelope(&format!(
                "\"o\": [{},{}0{}]",
                repeat(&format!("{}0{}", "[".repeat(126), "]".repeat(126)), n(253)),
                "[".repeat(127),
                "]".repeat(127)
            )),
            false,
        ),
        // Many objects just past the size from which duplicates are found through a
        // hash index: one index per object.
        shape(
            "many objects of 33 keys",
            envelope(&format!("\"o\": [{}]", {
                let one: Vec<String> = (0..33).map(|i| format!("\"a{i:02}\":0")).collect();
                let object = format!("{{{}}}", one.join(","));
                repeat(&object, n(object.len()))
            })),
            true,
        ),
        // One object of millions of members, each a heap block for its key: its members'
        // vector and its key index grew, in wasm, into blocks the keys parsed in the
        // meantime kept from growing in place (472 MB of wasm memory at 16.5 MB through
        // the npm package, 222 MB since).
        shape(
            "one object of millions of the shortest distinct keys",
            envelope(&format!("\"o\": {{{}}}", short_keys(size))),
            true,
        ),
        // Negative zeros at the bottom of a nest 120 deep under keys of 70 escaped control
        // characters: each listed pointer, its keys cut to 64 characters each, took 48 KB
        // of certificate (a 56 KB input made a 4.8 MB certificate that `verify` refused).
        shape(
            "negative zeros under a deep nest of escaped keys",
            envelope(&deep_negative_zeros(size)),
            true,
        ),
    ]
}

/// About `size` bytes of `"o": {K: {K: … {"z": [-0.0, …]}}}`, 120 keys deep, each key 70
/// escaped U+0001 characters.
fn deep_negative_zeros(size: usize) -> String {
    let key = "\\u0001".repeat(70);
    let depth = 120;
    let open = format!("\"{key}\":{{").repeat(depth);
    let zeros = (size.saturating_sub(open.len()) / 5).max(MAX_ZEROS_LISTED + 1);
    format!(
        "\"o\": {{{open}\"z\":[{}]{}}}",
        repeat("-0.0", zeros),
        "}".repeat(depth)
    )
}

/// One more negative zero than a certificate lists.
const MAX_ZEROS_LISTED: usize = 100;

/// Clusters that together raise every code of the input contract: out-of-domain values,
/// repeated, unexpected and missing areas, an invalid weakest area, an empty provenance,
/// non-finite numbers, duplicate keys, every field of the wrong type, an empty object,
/// and values that are not objects.
const EVERY_CODE: &str = concat!(
    r#"{"cluster_id":"CLUSTER_MESO_1","areas":["PA01","PA01","PA02","PA03","X"],"score":9,"#,
    r#""coherence":2,"variance":-1,"score_std":-1,"penalty_applied":7,"weakest_area":"Q","#,
    r#""provenance_node_id":""},"#,
    r#"{"cluster_id":"CLUSTER_MESO_2","areas":["PA04","PA05","PA06","PA06"],"score":NaN,"#,
    r#""coherence":Infinity,"variance":-Infinity,"weakest_area":"PA05"},"#,
    r#"{"cluster_id":"CLUSTER_MESO_3","areas":["PA07","PA08","PA09"],"score":1,"a":1,"a":2},"#,
    r#"{"areas":7,"cluster_id":[],"cluster_name":1,"dispersion_scenario":{},"#,
    r#""aggregation_method":[],"validation_passed":"n","area_scores":{}},"#,
    r#"{},0,"x",null"#
);

/// About `size` bytes of an object whose duplicate keys and NaNs sit eleven objects deep
/// under keys of 64 escaped ESC characters, themselves such keys: each path written
/// whole took 4.7 KB (in a finding's field and its message, in every report, record and
/// answer line), so a 198 KB file made 2.4 MB of refusal record before paths were cut to
/// `SHOWN_PATH_BYTES`.
fn findings_under_escaped_keys(size: usize) -> String {
    let key = "\\u001b".repeat(64);
    let depth = 11;
    let mut inner = String::new();
    let mut i = 0usize;
    while inner.len() + depth * (key.len() + 4) < size {
        if i > 0 {
            inner.push(',');
        }
        inner.push_str(&format!("\"{key}{i}\":0,\"{key}{i}\":NaN"));
        i += 1;
    }
    format!(
        "{}{{{inner}}}{}",
        format!("{{\"{key}\":").repeat(depth),
        "}".repeat(depth)
    )
}

/// `text` (JSON) with every scalar replaced by a string of 300 escaped ESC characters
/// and every object given as many more such members as make about `size` bytes: every
/// compared field of every section differs, with the longest value a report shows
/// (a verification's report of three such files was 12 MB before a report listed at
/// most `MAX_LISTED_IN_ALL` failures).
fn wider(text: &str, size: usize) -> String {
    use serde_json::Value;
    fn objects(v: &Value) -> usize {
        match v {
            Value::Object(m) => 1 + m.values().map(objects).sum::<usize>(),
            Value::Array(a) => a.iter().map(objects).sum(),
            _ => 0,
        }
    }
    fn widen(v: &mut Value, per: usize) {
        match v {
            Value::Object(m) => {
                m.values_mut().for_each(|x| widen(x, per));
                for i in 0..per {
                    m.insert(format!("z{i:05}"), Value::String("\u{1b}".repeat(300)));
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| widen(x, per)),
            other => *other = Value::String("\u{1b}".repeat(300)),
        }
    }
    let mut v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let per = size / objects(&v).max(1) / 1820 + 1;
    widen(&mut v, per);
    v.to_string()
}

/// One `area_scores` entry as the pipeline writes it.
const AREA_SCORE: &str = r#"{"area_id":"PA01","score":2.41,"quality_level":"BUENO"}"#;

/// A cluster whose every field has the wrong type.
const ALL_WRONG_TYPES: &str = concat!(
    r#"{"cluster_id":7,"cluster_name":[],"areas":{},"score":"x","coherence":true,"#,
    r#""variance":[],"score_std":"s","penalty_applied":{},"weakest_area":1,"#,
    r#""provenance_node_id":2,"dispersion_scenario":3,"aggregation_method":4,"#,
    r#""validation_passed":"y","area_scores":5}"#
);

/// A cluster whose every value is out of its domain.
const ALL_OUT_OF_DOMAIN: &str = concat!(
    r#"{"cluster_id":"CLUSTER_MESO_1","areas":["PA01","PA01","X"],"score":9,"#,
    r#""coherence":-1,"variance":-1,"score_std":-1,"penalty_applied":2,"weakest_area":"Z"}"#
);

/// Hostile versions of the files `verify` reads: (name, certificate, macro_score,
/// audit_trail), each about `size` bytes where it is the hostile one; `genuine` are the
/// sample's real files.
pub fn hostile_files(
    size: usize,
    genuine: &(String, String, String),
) -> Vec<(&'static str, String, String, String)> {
    let (cert, macro_score, trail) = genuine;
    let n = |item_len: usize| (size / (item_len + 1)).max(1);
    let keys = |prefix: &str| -> String {
        let mut s = String::from("{");
        let mut i = 0usize;
        while s.len() < size {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&format!("\"{prefix}{i}\":0"));
            i += 1;
        }
        s.push('}');
        s
    };
    let with = |text: &str, key: &str, value: &str| -> String {
        text.replacen('{', &format!("{{\"{key}\": {value},"), 1)
    };
    vec![
        (
            "certificate with many unexpected keys",
            keys("c"),
            macro_score.clone(),
            trail.clone(),
        ),
        (
            "certificate with a long id",
            with(
                cert,
                "certificate_idx",
                &format!("\"{}\"", "0".repeat(size)),
            ),
            macro_score.clone(),
            trail.clone(),
        ),
        (
            "certificate with many duplicate keys and NaNs",
            with(
                cert,
                "zz",
                &format!("[{}], {}", repeat("NaN", n(8)), repeat("\"zz\": 0", n(16))),
            ),
            macro_score.clone(),
            trail.clone(),
        ),
        (
            "audit trail with many entries",
            cert.clone(),
            macro_score.clone(),
            format!(
                "{{\"format\": \"phase7-audit-trail/1\", \"entries\": [{}]}}",
                repeat("{\"index\": 0}", n(12))
            ),
        ),
        (
            "macro score with many unexpected keys",
            cert.clone(),
            keys("m"),
            trail.clone(),
        ),
        (
            "certificate with a long control-character tail on every string",
            longer_strings(cert, size),
            macro_score.clone(),
            trail.clone(),
        ),
        (
            "audit trail with a long control-character tail on every string",
            cert.clone(),
            macro_score.clone(),
            longer_strings(trail, size),
        ),
        (
            "macro score with a long control-character tail on every string",
            cert.clone(),
            longer_strings(macro_score, size),
            trail.clone(),
        ),
        (
            "audit trail with its genuine entries many times",
            cert.clone(),
            macro_score.clone(),
            {
                let (head, rest) = trail.split_once("\"entries\": [").unwrap_or((trail, ""));
                let entries = rest.rsplit_once(']').map_or(rest, |(e, _)| e);
                format!(
                    "{head}\"entries\": [{}]}}",
                    repeat(entries, (size / entries.len().max(1)).max(1))
                )
            },
        ),
        (
            "certificate with many input contract checks",
            cert.replacen(
                "\"input_contract\": [",
                &format!(
                    "\"input_contract\": [{},",
                    repeat(
                        r#"{"id": "PRE-7.1", "passed": true, "severity": "error", "expected": "4", "actual": "4"}"#,
                        n(88)
                    )
                ),
                1,
            ),
            macro_score.clone(),
            trail.clone(),
        ),
        (
            "certificate with many severities",
            cert.replacen(
                "\"gap_severity\": {",
                &format!("\"gap_severity\": {{{},", {
                    let items: Vec<String> =
                        (0..n(18)).map(|i| format!("\"PA{i}\": \"LOW\"")).collect();
                    items.join(",")
                }),
                1,
            ),
            macro_score.clone(),
            trail.clone(),
        ),
        (
            "macro score with many cluster details",
            cert.clone(),
            macro_score.replacen(
                "\"cluster_details\": {",
                &format!("\"cluster_details\": {{{},", {
                    let items: Vec<String> = (0..n(12)).map(|i| format!("\"C{i}\": {{}}")).collect();
                    items.join(",")
                }),
                1,
            ),
            trail.clone(),
        ),
        (
            "macro score with a huge gap list",
            cert.clone(),
            with(
                macro_score,
                "systemic_gapz",
                &format!("[{}]", repeat("\"PA01\"", n(6))),
            )
            .replacen("\"systemic_gaps\"", "\"systemic_gaps_old\"", 1)
            .replacen("\"systemic_gapz\"", "\"systemic_gaps\"", 1),
            trail.clone(),
        ),
        (
            // A recorded field the verification carries into its report, not a
            // compared one: kept where it is, never copied.
            "certificate whose evaluation_timestamp is a huge array of digits",
            cert.replacen(
                "\"evaluation_timestamp\": null",
                &format!("\"evaluation_timestamp\": [{}]", repeat("0", n(1))),
                1,
            ),
            macro_score.clone(),
            trail.clone(),
        ),
        (
            "certificate, macro score and audit trail: every value long, escaped, and more",
            wider(cert, size),
            wider(macro_score, size),
            wider(trail, size),
        ),
        (
            "certificate with findings under twelve keys of escaped controls",
            findings_under_escaped_keys(size),
            macro_score.clone(),
            trail.clone(),
        ),
        (
            "certificate whose digests are huge arrays of digits",
            cert.replacen(
                "\"digests\": {",
                &format!("\"digests\": {{\"input\": [{}],", repeat("0", n(1))),
                1,
            ),
            macro_score.clone(),
            trail.clone(),
        ),
    ]
}

/// Hostile refusal records (`refusal.json`) built on `genuine`, a genuine record of a
/// rejected input, each about `size` bytes: (name, record).
pub fn hostile_refusals(size: usize, genuine: &str) -> Vec<(&'static str, String)> {
    let with = |key: &str, value: &str| -> String {
        genuine.replacen(
            &format!("\"{key}\": "),
            &format!("\"{key}\": {value}, \"{key}_was\": "),
            1,
        )
    };
    vec![
        (
            // Every one a broken link.
            "refusal with bogus chain entries",
            with("entries", &format!("[{}1]", "1,".repeat(size / 2))),
        ),
        (
            "refusal with a long id of C1 controls",
            with("refusal_id", &format!("\"{}\"", "\\u009b".repeat(size / 6))),
        ),
        (
            "refusal with a long id",
            with("refusal_id", &format!("\"{}\"", "0".repeat(size))),
        ),
        (
            "refusal whose recorded_at is a huge array of digits",
            with("recorded_at", &format!("[{}]", repeat("0", size / 2))),
        ),
        (
            "refusal with every value long, escaped, and more",
            wider(genuine, size),
        ),
        (
            "refusal with findings under twelve keys of escaped controls",
            findings_under_escaped_keys(size),
        ),
        (
            "refusal with many violations",
            genuine.replacen(
                "\"violations\": [",
                &format!(
                    "\"violations\": [{},",
                    repeat(
                        r#"{"code": "NON_FINITE", "severity": "error", "check": "PRE-7.2", "cluster": null, "field": null, "value": "NaN", "message": "m"}"#,
                        (size / 130).max(1)
                    )
                ),
                1,
            ),
        ),
    ]
}

/// `text` (JSON) with `size / (number of strings)` escaped ESC characters added to
/// every string value and key (keys stay distinct: the same tail on each).
fn longer_strings(text: &str, size: usize) -> String {
    let strings = text.matches('"').count() / 2;
    let tail = "\\u001b".repeat(size / 6 / strings.max(1) + 1);
    let mut out = String::with_capacity(text.len() + size + 64);
    let mut inside = false;
    let mut escaped = false;
    for c in text.chars() {
        let after_backslash = escaped;
        if c == '"' && !after_backslash {
            if inside {
                out.push_str(&tail);
            }
            inside = !inside;
        }
        escaped = inside && !after_backslash && c == '\\';
        out.push(c);
    }
    out
}

/// About `size` bytes of `"k":0` members with the shortest distinct keys: every
/// printable ASCII character but `"` and `\\`, then every pair of them, and so on.
fn short_keys(size: usize) -> String {
    let alphabet: Vec<char> = (' '..='~').filter(|c| !matches!(c, '"' | '\\')).collect();
    let mut out = String::with_capacity(size + 16);
    let mut i = 0usize;
    while out.len() < size {
        // The i-th key in the order of length, then of the alphabet (bijective base).
        let (mut n, mut key) = (i, Vec::new());
        loop {
            key.push(alphabet[n % alphabet.len()]);
            if n < alphabet.len() {
                break;
            }
            n = n / alphabet.len() - 1;
        }
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.extend(key.iter().rev());
        out.push_str("\":0");
        i += 1;
    }
    out
}

/// Hostile claims (the pipeline's `p07_output.json`), each about `size` bytes.
pub fn hostile_claims(size: usize, genuine: &str) -> Vec<(&'static str, String)> {
    let n = |item_len: usize| (size / (item_len + 1)).max(1);
    let mut keys = String::from("{");
    let mut i = 0usize;
    while keys.len() < size {
        if i > 0 {
            keys.push(',');
        }
        keys.push_str(&format!("\"u{i}\":0"));
        i += 1;
    }
    keys.push('}');
    vec![
        ("claim with many unexpected keys", keys),
        (
            "claim with a huge nested object",
            genuine.replacen(
                "\"sisas_provenance\": {",
                &format!("\"sisas_provenance\": {{{},", {
                    let items: Vec<String> = (0..n(10)).map(|i| format!("\"s{i}\":0")).collect();
                    items.join(",")
                }),
                1,
            ),
        ),
        (
            "claim with a huge nested object of the shortest distinct keys",
            genuine.replacen(
                "\"sisas_provenance\": {",
                &format!("\"sisas_provenance\": {{{},", short_keys(size)),
                1,
            ),
        ),
        (
            "claim with many duplicate keys",
            genuine.replacen('{', &format!("{{{},", repeat("\"score\": 1", n(11))), 1),
        ),
        (
            "claim with a long control-character tail on every string",
            longer_strings(genuine, size),
        ),
        (
            "claim with many severities",
            genuine.replacen(
                "\"gap_severity\": {",
                &format!("\"gap_severity\": {{{},", {
                    let items: Vec<String> =
                        (0..n(16)).map(|i| format!("\"PA{i}\": \"LOW\"")).collect();
                    items.join(",")
                }),
                1,
            ),
        ),
        (
            "claim with a long confidence interval",
            genuine.replacen(
                "\"confidence_interval_95\": [",
                &format!("\"confidence_interval_95\": [{},", repeat("1.5", n(3))),
                1,
            ),
        ),
        (
            "claim with many deeply nested cluster scores",
            genuine.replacen(
                "\"cluster_scores\": [",
                &format!(
                    "\"cluster_scores\": [{},",
                    repeat(
                        &format!("{}1.0{}", "[".repeat(120), "]".repeat(120)),
                        n(244)
                    )
                ),
                1,
            ),
        ),
        (
            "claim with every value long, escaped, and more",
            wider(genuine, size),
        ),
        (
            "claim with findings under twelve keys of escaped controls",
            findings_under_escaped_keys(size),
        ),
        (
            "claim with a long string",
            genuine.replacen(
                "\"weighted_average\"",
                &format!("\"{}\"", "w".repeat(size)),
                1,
            ),
        ),
    ]
}
