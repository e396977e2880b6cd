//! The kinds of file the dashboard reads, and how a file is recognised: by its content
//! first (the `format` tags of `phase7_core::attest::certificate::FORMAT`,
//! `phase7_core::attest::audit::FORMAT` and `phase7_core::attest::refusal::FORMAT`, the
//! keys of a MacroScore, the shape of a Phase 6 file),
//! then by its name. Every picker uses the same recogniser, so a certificate chosen in
//! the Phase 6 picker is refused as what it is.

use phase7_core::attest::{audit, certificate, refusal};
use phase7_core::read::json::{self, Json};

/// The telling parts of a JSON object's top level.
struct Shape<'a> {
    format: Option<&'a str>,
    macro_score: (bool, bool),
    cluster_scores: bool,
}

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
/// of no known shape). The file is parsed by the core's own parser (the one every run
/// uses: linear time, memory bounded by the input, docs/formats.md "Cost"), so the page
/// carries one JSON parser, not serde_json's as well (issue 9, "Sizes").
pub fn recognise(bytes: &[u8]) -> Option<DocKind> {
    let doc = json::parse(bytes).ok()?;
    let members = match &doc.value {
        Json::Array(_) => return Some(DocKind::Phase6),
        Json::Object(members) => members,
        _ => return None,
    };
    let has = |key: &str| members.iter().any(|(k, _)| k == key);
    let format = match doc.value.get("format") {
        Some(Json::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let shape = Shape {
        format,
        macro_score: (has("score_normalized"), has("quality_level")),
        cluster_scores: has("cluster_scores"),
    };
    if let Some(format) = shape.format {
        if family(format) == family(certificate::FORMAT) {
            return Some(DocKind::Certificate);
        }
        if family(format) == family(audit::FORMAT) {
            return Some(DocKind::AuditTrail);
        }
        if family(format) == family(refusal::FORMAT) {
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
    fn content_is_read_by_the_cores_parser() {
        // A byte-order mark is JSON to the core, so the content still decides.
        let bom = b"\xef\xbb\xbf{\"format\": \"phase7-certificate/1\"}";
        assert_eq!(classify("p06.json", bom), DocKind::Certificate);
        // A repeated key: the last one counts, as in every run (and in Python).
        let twice = br#"{"format": 1, "format": "phase7-refusal/1"}"#;
        assert_eq!(classify("a.json", twice), DocKind::Refusal);
        let not_text = br#"{"format": ["phase7-certificate/1"]}"#;
        assert_eq!(recognise(not_text), None);
        // Only the top level tells.
        let nested = br#"{"inner": {"format": "phase7-certificate/1", "cluster_scores": []}}"#;
        assert_eq!(recognise(nested), None);
        assert_eq!(recognise(b"\"text\""), None);
        assert_eq!(recognise(br#"{"a": 1} trailing"#), None);
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
