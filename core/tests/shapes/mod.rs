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
        // The case: one long key holding many NaNs (each finding has the key in
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
    ]
}

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
    ]
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
            "claim with many duplicate keys",
            genuine.replacen('{', &format!("{{{},", repeat("\"score\": 1", n(11))), 1),
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
