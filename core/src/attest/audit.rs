//! The audit trail: every check of a run, in order, hash-chained.
//!
//! Each [`AuditEntry`] records one [`Check`] (input contract, output contract, invariants,
//! exit gate) with its expected and actual values. Its `hash` is
//! `hex(SHA-256(JCS(body)))`, where the body is the entry without its `hash` field, so it
//! covers `prev_hash`, the previous entry's hash (the [`GENESIS`] constant for the first
//! entry). The last hash is the trail's `root`, which the Phase 7 → 8 certificate names.
//! Changing, dropping, inserting or reordering an entry changes the root; [`verify_chain`]
//! says which link broke. The format is described in `docs/certificates.md`.

use serde::{Deserialize, Serialize};

use crate::attest::digest;
use crate::attest::jcs::{self, Member};
use crate::checks::{Check, CheckSeverity, CheckStage};
use crate::error::ComputationError;
use crate::read::json::{self, Json};

/// The `format` tag of an audit trail.
pub const FORMAT: &str = "phase7-audit-trail/1";

/// The text whose SHA-256 is [`GENESIS`].
pub const GENESIS_PREIMAGE: &str = "phase7-audit-trail/1 genesis";

/// The `prev_hash` of the first entry: `hex(SHA-256("phase7-audit-trail/1 genesis"))`
/// (the ASCII bytes, no newline). A test recomputes it.
pub const GENESIS: &str = "378182c201922cfcc70714c1077331b1859050080454397768cbfb45d7ebb0b2";

/// One check of the run, chained to the previous entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 0-based position in the trail.
    pub index: usize,
    /// The check id (`PRE-7.1`, `HERMETICITY`, `POST-7.2`, `INV-7.5`, `GATE-3`, …).
    pub id: String,
    /// The family of the check.
    pub stage: CheckStage,
    /// What is checked.
    pub description: String,
    /// The expected value, as text.
    pub expected: String,
    /// The actual value, as text.
    pub actual: String,
    /// Whether the check held.
    pub passed: bool,
    /// Error or warning.
    pub severity: CheckSeverity,
    /// The previous entry's `hash` ([`GENESIS`] for the first entry).
    pub prev_hash: String,
    /// `hex(SHA-256(JCS(this entry without hash)))`.
    pub hash: String,
}

/// `JCS(entry without hash)` of the entry for `check` at `index`, onto `out`: the body's
/// nine members written straight in RFC 8785 key order (`actual`, `description`,
/// `expected`, `id`, `index`, `passed`, `prev_hash`, `severity`, `stage`), with the same
/// string and number writers as the general canonical serializer — the bytes it would
/// write for the body as a serialized struct, without buffering the members and sorting
/// them for every entry of every run. A unit test holds the two to the same bytes.
fn body_into(index: usize, c: &Check, prev_hash: &str, out: &mut Vec<u8>) {
    let strings: [(&[u8], &str); 4] = [
        (b"{\"actual\":", &c.actual),
        (b",\"description\":", &c.description),
        (b",\"expected\":", &c.expected),
        (b",\"id\":", &c.id),
    ];
    for (key, value) in strings {
        out.extend_from_slice(key);
        jcs::string_into(value, out);
    }
    // The serializer writes an integer as the double it reads as (RFC 8785 §3.2.2.3):
    // its decimal digits below 2^53, which no trail's length reaches.
    out.extend_from_slice(b",\"index\":");
    let (digits, n) = jcs::itoa(index as u64);
    out.extend_from_slice(&digits[digits.len() - n..]);
    out.extend_from_slice(if c.passed {
        b",\"passed\":true"
    } else {
        b",\"passed\":false"
    });
    out.extend_from_slice(b",\"prev_hash\":");
    jcs::string_into(prev_hash, out);
    out.extend_from_slice(match c.severity {
        CheckSeverity::Error => b",\"severity\":\"error\"",
        CheckSeverity::Warning => b",\"severity\":\"warning\"",
    });
    out.extend_from_slice(b",\"stage\":");
    jcs::string_into(c.stage.name(), out);
    out.push(b'}');
}

/// The whole trail, as written to `audit_trail.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditTrail {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`GENESIS`].
    pub genesis: String,
    /// The checks in the order the run made them.
    pub entries: Vec<AuditEntry>,
    /// The last entry's hash ([`GENESIS`] when there are no entries).
    pub root: String,
    /// Present only on the trail of a run whose checks failed: it is not certified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_certified: Option<NotCertified>,
}

/// The mark on the audit trail of a run whose output contract, invariants or exit gate
/// failed: no certificate names it, and no MacroScore was handed on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotCertified {
    /// The first check family with a failed check.
    pub failed_stage: CheckStage,
    /// Every failed error-severity check, in run order.
    pub failed_checks: Vec<String>,
    /// [`NotCertified::NOTE`].
    pub note: String,
}

impl NotCertified {
    /// What the mark means.
    pub const NOTE: &'static str = "NOT CERTIFIED: this run failed the checks named here; \
no certificate or MacroScore was issued for it. The entries are hash-chained as in any trail.";
}

/// A link of a chain that does not hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// The entry, when the break is in one (`None` for `format`, `genesis`, `root`).
    pub index: Option<usize>,
    /// The field path inside the trail, e.g. `entries[3].hash` or `root`.
    pub field: String,
    /// What the chain requires there.
    pub expected: String,
    /// What the trail holds.
    pub actual: String,
}

impl AuditTrail {
    /// Chains `checks` in order.
    ///
    /// # Errors
    ///
    /// None in practice: entries hold only strings, booleans and an index (the `Result`
    /// is kept for the callers, which treat every encoding alike).
    pub fn build(checks: &[Check]) -> Result<AuditTrail, ComputationError> {
        let mut entries = Vec::with_capacity(checks.len());
        let mut prev = GENESIS.to_string();
        let mut body = Vec::with_capacity(1024);
        for (index, c) in checks.iter().enumerate() {
            body.clear();
            body_into(index, c, &prev, &mut body);
            let hash = digest::sha256_hex(&body);
            entries.push(AuditEntry {
                index,
                id: c.id.clone(),
                stage: c.stage,
                description: c.description.clone(),
                expected: c.expected.clone(),
                actual: c.actual.clone(),
                passed: c.passed,
                severity: c.severity,
                prev_hash: std::mem::replace(&mut prev, hash.clone()),
                hash,
            });
        }
        Ok(AuditTrail {
            format: FORMAT.to_string(),
            genesis: GENESIS.to_string(),
            entries,
            root: prev,
            not_certified: None,
        })
    }

    /// Every broken link, in trail order (empty when the chain holds). See
    /// [`verify_chain`].
    pub fn verify_chain(&self) -> Vec<ChainBreak> {
        match to_json(self) {
            Ok(value) => verify_chain(&value),
            Err(e) => vec![ChainBreak {
                index: None,
                field: "(document)".into(),
                expected: "an encodable trail".into(),
                actual: e.to_string(),
            }],
        }
    }
}

/// Pretty JSON (2-space indent) with a final newline: how every file is written.
pub(crate) fn pretty<T: Serialize>(value: &T) -> Result<String, ComputationError> {
    let mut s = digest::pretty_string(value).map_err(|e| ComputationError {
        stage: "JSON encoding",
        reason: e.to_string(),
    })?;
    s.push('\n');
    Ok(s)
}

/// Any serializable value as a [`Json`] tree (keys in serialization order, numbers exact).
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<Json, ComputationError> {
    let mut text = Vec::with_capacity(4096);
    digest::compact(value, &mut text).map_err(|e| ComputationError {
        stage: "JSON encoding",
        reason: e.to_string(),
    })?;
    json::parse(&text)
        .map(|d| d.value)
        .map_err(|e| ComputationError {
            stage: "JSON encoding",
            reason: e.to_string(),
        })
}

/// The hash an entry (as a JSON object) should carry: `hex(SHA-256(JCS(entry without
/// "hash")))`. Whatever the object holds besides `hash` is covered, including fields an
/// audit trail should not have.
///
/// # Errors
///
/// A [`ComputationError`] when the entry holds a non-finite number.
pub fn entry_hash(entry: &Json) -> Result<String, ComputationError> {
    digest::of_json_edited(entry, &|k| {
        if k == "hash" {
            Member::Skip
        } else {
            Member::Keep
        }
    })
}

/// Checks the chain of an audit trail as read from a file (any JSON value), reporting
/// every broken link rather than the first: the `format` and `genesis` constants, each
/// entry's `index`, `prev_hash` (must be the previous entry's stored `hash`, [`GENESIS`]
/// for the first) and `hash` (must be the hash of its own body), and `root` (must be the
/// last stored hash). A single edited entry therefore shows as one break at that entry's
/// `hash`; an edit whose hash was recomputed shows at the next entry's `prev_hash` (or
/// at `root`). See [`verify_chain_each`] for a trail of any size.
pub fn verify_chain(trail: &Json) -> Vec<ChainBreak> {
    let mut out = Vec::new();
    verify_chain_each(trail, usize::MAX, &mut |b| out.push(b));
    out
}

/// [`verify_chain`], handing each break to `out` as it is found: one pass over the
/// trail (each entry hashed once), nothing collected or copied. After `limit` breaks
/// the rest are only counted (nothing is built for them); returns that count. (Long:
/// one straight walk through the link rules, in the order the breaks are reported.)
pub fn verify_chain_each(trail: &Json, limit: usize, out: &mut dyn FnMut(ChainBreak)) -> u64 {
    let mut handed = 0usize;
    let mut more = 0u64;
    let mut brk = |index: Option<usize>,
                   field: &dyn Fn() -> String,
                   expected: &dyn Fn() -> String,
                   actual: &dyn Fn() -> String| {
        if handed < limit {
            handed += 1;
            out(ChainBreak {
                index,
                field: field(),
                expected: expected(),
                actual: actual(),
            });
        } else {
            more += 1;
        }
    };
    let text = |v: Option<&Json>| v.map_or_else(|| "(missing)".to_string(), |v| v.excerpt());
    if !matches!(trail, Json::Object(_)) {
        brk(
            None,
            &|| "(document)".into(),
            &|| "an audit trail object".into(),
            &|| trail.type_name().into(),
        );
        return more;
    }
    for (field, constant) in [("format", FORMAT), ("genesis", GENESIS)] {
        let found = trail.get(field);
        if !matches!(found, Some(Json::String(s)) if s == constant) {
            brk(None, &|| field.into(), &|| constant.into(), &|| text(found));
        }
    }
    let entries = match trail.get("entries") {
        Some(Json::Array(items)) => items.as_slice(),
        other => {
            brk(
                None,
                &|| "entries".into(),
                &|| "an array of entries".into(),
                &|| text(other),
            );
            return more;
        }
    };
    let genesis = Json::String(GENESIS.to_string());
    let no_hash = Json::String("(previous entry has no hash)".into());
    // The chain links to the hashes as stored, so one edit breaks one link.
    let mut prev: Option<&Json> = None;
    for (i, entry) in entries.iter().enumerate() {
        if !matches!(entry, Json::Object(_)) {
            brk(
                Some(i),
                &|| format!("entries[{i}]"),
                &|| "an entry object".into(),
                &|| entry.type_name().into(),
            );
            prev = None;
            continue;
        }
        let index = entry.get("index");
        if !matches!(index, Some(Json::Number(x)) if *x == i as f64) {
            brk(
                Some(i),
                &|| format!("entries[{i}].index"),
                &|| i.to_string(),
                &|| text(index),
            );
        }
        let expected_prev = match (i, prev) {
            (0, _) => &genesis,
            (_, Some(p)) => p,
            (_, None) => &no_hash,
        };
        let stored_prev = entry.get("prev_hash");
        if stored_prev != Some(expected_prev) {
            brk(
                Some(i),
                &|| format!("entries[{i}].prev_hash"),
                &|| expected_prev.excerpt(),
                &|| text(stored_prev),
            );
        }
        let stored = entry.get("hash");
        match entry_hash(entry) {
            Ok(h) => {
                if !matches!(stored, Some(Json::String(s)) if *s == h) {
                    brk(
                        Some(i),
                        &|| format!("entries[{i}].hash"),
                        &|| h.clone(),
                        &|| text(stored),
                    );
                }
            }
            Err(e) => brk(
                Some(i),
                &|| format!("entries[{i}].hash"),
                &|| "the hash of an encodable entry".into(),
                &|| e.to_string(),
            ),
        }
        prev = stored;
    }
    let no_last = Json::String("(last entry has no hash)".into());
    let expected_root = match (entries.is_empty(), prev) {
        (true, _) => &genesis,
        (false, Some(p)) => p,
        (false, None) => &no_last,
    };
    let root = trail.get("root");
    if root != Some(expected_root) {
        brk(
            None,
            &|| "root".into(),
            &|| expected_root.excerpt(),
            &|| text(root),
        );
    }
    more
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phase::{run, RunOptions};

    fn sample() -> AuditTrail {
        let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
        let r = run(bytes, &RunOptions::default()).unwrap();
        AuditTrail::build(&r.checks).unwrap()
    }

    /// The body as the general canonical serializer writes a struct: what `body_into`
    /// must write byte for byte.
    #[derive(Serialize)]
    struct EntryBody<'a> {
        index: usize,
        id: &'a str,
        stage: CheckStage,
        description: &'a str,
        expected: &'a str,
        actual: &'a str,
        passed: bool,
        severity: CheckSeverity,
        prev_hash: &'a str,
    }

    #[test]
    fn entry_bodies_are_what_the_canonical_serializer_writes() {
        let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
        let mut checks = run(bytes, &RunOptions::default()).unwrap().checks;
        // Texts that need every kind of escape, non-ASCII, and both values of each enum.
        let odd = ["", "\"\\/\u{0}\u{1f}\u{7f}\n\t", "é€😀\u{2028}", "a\"b"];
        for (i, text) in odd.iter().enumerate() {
            let mut c = checks[i].clone();
            c.id = (*text).to_string();
            c.description = text.repeat(3);
            c.expected = format!("{text}x");
            c.actual = format!("y{text}");
            c.passed = i % 2 == 0;
            c.severity = [CheckSeverity::Error, CheckSeverity::Warning][i % 2];
            checks.push(c);
        }
        for stage in [
            CheckStage::InputContract,
            CheckStage::OutputContract,
            CheckStage::Invariants,
            CheckStage::ExitGate,
        ] {
            let mut c = checks[0].clone();
            c.stage = stage;
            checks.push(c);
        }
        // The largest index written as its digits (2^53; usize::MAX in wasm32).
        const MAX_EXACT: usize = if usize::BITS > 53 {
            1 << 53
        } else {
            usize::MAX
        };
        let mut out = Vec::new();
        for (index, c) in checks.iter().enumerate() {
            for index in [index, 9, 10, 12_345, u32::MAX as usize, MAX_EXACT] {
                for prev in [GENESIS, "", "\u{1}"] {
                    out.clear();
                    body_into(index, c, prev, &mut out);
                    let general = digest::canonical(&EntryBody {
                        index,
                        id: &c.id,
                        stage: c.stage,
                        description: &c.description,
                        expected: &c.expected,
                        actual: &c.actual,
                        passed: c.passed,
                        severity: c.severity,
                        prev_hash: prev,
                    })
                    .unwrap();
                    assert_eq!(out, general, "{c:?} {index} {prev:?}");
                }
            }
        }
    }

    #[test]
    fn genesis_is_the_documented_hash() {
        assert_eq!(digest::sha256_hex(GENESIS_PREIMAGE.as_bytes()), GENESIS);
    }

    #[test]
    fn every_check_is_chained_in_order() {
        let bytes = include_bytes!("../../../tests/fixtures/p06_sample.json");
        let r = run(bytes, &RunOptions::default()).unwrap();
        let t = AuditTrail::build(&r.checks).unwrap();
        assert_eq!(t.entries.len(), r.checks.len());
        assert_eq!(t.entries[0].prev_hash, GENESIS);
        for (i, (e, c)) in t.entries.iter().zip(&r.checks).enumerate() {
            assert_eq!(e.index, i);
            assert_eq!(
                (&e.id, &e.expected, &e.actual),
                (&c.id, &c.expected, &c.actual)
            );
            if i > 0 {
                assert_eq!(e.prev_hash, t.entries[i - 1].hash);
            }
        }
        assert_eq!(t.root, t.entries.last().unwrap().hash);
        assert!(t.verify_chain().is_empty());
    }

    #[test]
    fn empty_trail_has_genesis_root() {
        let t = AuditTrail::build(&[]).unwrap();
        assert_eq!(t.root, GENESIS);
        assert!(t.verify_chain().is_empty());
    }

    #[test]
    fn hash_covers_every_field_and_the_previous_hash() {
        let t = sample();
        let e = &t.entries[3];
        let value = to_json(e).unwrap();
        assert_eq!(entry_hash(&value).unwrap(), e.hash);
        let Json::Object(fields) = &value else {
            panic!("entry is an object")
        };
        for (k, _) in fields.iter().filter(|(k, _)| k != "hash") {
            let mut changed = fields.clone();
            for (kk, v) in changed.iter_mut() {
                if kk == k {
                    *v = match v {
                        Json::String(s) => Json::String(format!("{s}x")),
                        Json::Bool(b) => Json::Bool(!*b),
                        Json::Number(x) => Json::Number(*x + 1.0),
                        _ => Json::Null,
                    };
                }
            }
            assert_ne!(entry_hash(&Json::Object(changed)).unwrap(), e.hash, "{k}");
        }
    }

    #[test]
    fn an_edited_entry_breaks_exactly_its_own_link() {
        let mut t = sample();
        t.entries[5].actual.push('!');
        let breaks = t.verify_chain();
        assert_eq!(breaks.len(), 1, "{breaks:?}");
        assert_eq!(breaks[0].index, Some(5));
        assert_eq!(breaks[0].field, "entries[5].hash");
    }

    #[test]
    fn a_rehashed_edit_breaks_the_next_link() {
        let mut t = sample();
        t.entries[5].actual.push('!');
        let v = to_json(&t.entries[5]).unwrap();
        t.entries[5].hash = entry_hash(&v).unwrap();
        let breaks = t.verify_chain();
        assert_eq!(breaks.len(), 1, "{breaks:?}");
        assert_eq!(breaks[0].field, "entries[6].prev_hash");
    }

    #[test]
    fn dropped_and_reordered_entries_are_found() {
        let mut t = sample();
        t.entries.remove(2);
        let fields: Vec<String> = t.verify_chain().into_iter().map(|b| b.field).collect();
        assert!(
            fields.contains(&"entries[2].index".to_string()),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"entries[2].prev_hash".to_string()),
            "{fields:?}"
        );

        let mut t = sample();
        t.entries.swap(0, 1);
        assert!(!t.verify_chain().is_empty());

        let mut t = sample();
        t.root = GENESIS.into();
        let breaks = t.verify_chain();
        assert_eq!(breaks.len(), 1);
        assert_eq!(breaks[0].field, "root");
    }

    #[test]
    fn not_a_trail_is_one_break() {
        let breaks = verify_chain(&Json::Array(vec![]));
        assert_eq!(breaks.len(), 1);
        assert_eq!(breaks[0].field, "(document)");
        let breaks = verify_chain(&Json::Object(vec![]));
        let fields: Vec<&str> = breaks.iter().map(|b| b.field.as_str()).collect();
        assert_eq!(fields, ["format", "genesis", "entries"]);
    }
}
