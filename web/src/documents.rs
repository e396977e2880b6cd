//! The three kinds of file the dashboard reads, and how a dropped file is recognised.

/// What a loaded file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// The pipeline's Phase 6 output: the input of the rerun.
    Phase6,
    /// The pipeline's own Phase 7 output (`p07_output.json`), a claim to check.
    Claimed,
    /// Our `certificate.json`, to verify.
    Certificate,
    /// Our `audit_trail.json`, verified together with the certificate.
    AuditTrail,
}

impl DocKind {
    /// Stable identifier used in element ids and test hooks.
    pub fn id(self) -> &'static str {
        match self {
            DocKind::Phase6 => "phase6",
            DocKind::Claimed => "claimed",
            DocKind::Certificate => "certificate",
            DocKind::AuditTrail => "audit-trail",
        }
    }
}

/// Recognises a dropped file, first by its name (`certificate…`, `audit_trail…`,
/// `p07…`, `macro_score…`, `p06…`), then by its content (a `format` tag, or the keys of a
/// MacroScore). Anything unrecognised is taken as a Phase 6 file, so that the input
/// contract reports what is wrong with it.
pub fn classify(name: &str, bytes: &[u8]) -> DocKind {
    let lower = name.to_lowercase();
    if lower.contains("certificate") || lower.contains("certificado") {
        return DocKind::Certificate;
    }
    if lower.contains("audit_trail") || lower.contains("audit-trail") {
        return DocKind::AuditTrail;
    }
    if lower.contains("p07") || lower.contains("macro_score") {
        return DocKind::Claimed;
    }
    if lower.contains("p06") || lower.contains("phase6") {
        return DocKind::Phase6;
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(map)) => {
            let format = map.get("format").and_then(|f| f.as_str()).unwrap_or("");
            if format.starts_with("phase7-certificate/") {
                DocKind::Certificate
            } else if format.starts_with("phase7-audit-trail/") {
                DocKind::AuditTrail
            } else if map.contains_key("score_normalized") && map.contains_key("quality_level") {
                DocKind::Claimed
            } else {
                DocKind::Phase6
            }
        }
        _ => DocKind::Phase6,
    }
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
        let trail = br#"{"format": "phase7-audit-trail/1", "entries": []}"#;
        assert_eq!(classify("a.json", trail), DocKind::AuditTrail);
        assert_eq!(classify("audit_trail.json", b""), DocKind::AuditTrail);
    }
}
