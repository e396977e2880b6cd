//! Verifying `certificate.json`: the ids are the digests of the bodies, the 7 → 8
//! certificate names the embedded 6 → 7 one, and every field equals the rerun's.

use crate::attest::audit;
use crate::attest::certificate::{self, CertificateBundle};
use crate::diff::join;
use crate::phase::Run;
use crate::read::json::Json;
use crate::verify::record::{str_of, text_of, Checks};

/// The certificates the rerun issues, with the claimed `issued_at` (not reproducible).
pub(super) fn expected_bundle(
    run: &Run,
    cert: Option<&Json>,
) -> Result<(CertificateBundle, Json), crate::error::ComputationError> {
    let issued_at = str_of(cert.and_then(|c| c.get("issued_at")));
    let bundle = certificate::issue(run, issued_at)?;
    let value = audit::to_json(&bundle.certificate)?;
    Ok((bundle, value))
}

/// Checks that hold within the claimed certificate alone: ids are the digests of their
/// bodies, and the 7 → 8 certificate names the embedded 6 → 7 one.
pub(super) fn self_consistency(checks: &mut Checks, c: &Json) {
    let mut id_check = |name: &str, path: &str, value: Option<&Json>| {
        let Some(value) = value else { return };
        let claimed = text_of(value.get("certificate_id"));
        match certificate::id_of(value) {
            Ok(id) => {
                let ok = str_of(value.get("certificate_id")) == Some(id.as_str());
                checks.push(
                    name,
                    ok,
                    join(path, "certificate_id"),
                    crate::quote::string(&id),
                    claimed,
                    if ok {
                        ""
                    } else {
                        "the id is not the digest of the certificate's body: the body or the id was changed"
                    },
                );
            }
            Err(e) => checks.push(
                name,
                false,
                join(path, "certificate_id"),
                "a digest",
                claimed,
                e.to_string(),
            ),
        }
    };
    id_check(
        "certificate id is the digest of its body",
        "certificate",
        Some(c),
    );
    id_check(
        "Phase 6 -> 7 certificate id is the digest of its body",
        "certificate.phase6_to_phase7",
        c.get("phase6_to_phase7"),
    );
    let named = c.get("digests").and_then(|d| d.get("phase6_to_phase7"));
    let inner = c
        .get("phase6_to_phase7")
        .and_then(|p| p.get("certificate_id"));
    checks.push(
        "Phase 7 -> 8 certificate names the embedded Phase 6 -> 7 certificate",
        named.is_some() && named == inner,
        "certificate.digests.phase6_to_phase7",
        text_of(inner),
        text_of(named),
        "",
    );
}

fn certificate_name(key: &str) -> &str {
    match key {
        "format" => "certificate format",
        "kind" => "certificate kind",
        "certificate_id" => "certificate id reproduced by the rerun",
        "ready_for_phase8" => "ready for Phase 8",
        "strict" => "strict mode",
        "pipeline_version" => "pipeline version",
        "config_version" => "configuration version",
        "exit_gate" => "exit gate result (GATE-1..5)",
        "audit_trail" => "audit trail format, genesis and length",
        "macro_score" => "MacroScore headline fields",
        _ => key,
    }
}

fn digest_name(key: &str) -> &str {
    match key {
        "input" => "input digest",
        "config" => "configuration digest",
        "output" => "output digest (MacroScore)",
        "audit_root" => "audit trail root",
        "phase6_to_phase7" => "Phase 6 -> 7 certificate id",
        _ => key,
    }
}

fn inner_name(key: &str) -> String {
    match key {
        "certificate_id" => "Phase 6 -> 7 certificate id reproduced by the rerun".into(),
        "input_digest" => "Phase 6 -> 7: input digest".into(),
        "input_negative_zeros" => "Phase 6 -> 7: negative zeros in the input".into(),
        "metadata_digest" => "Phase 6 -> 7: envelope metadata digest".into(),
        "input_contract" => "Phase 6 -> 7: input contract (PRE-7.x, HERMETICITY)".into(),
        other => format!("Phase 6 -> 7: {other}"),
    }
}

/// Every field of the claimed certificate against the rerun's.
pub(super) fn certificate_fields(checks: &mut Checks, expected: &Json, claimed: &Json) {
    let Json::Object(fields) = expected else {
        return;
    };
    if !matches!(claimed, Json::Object(_)) {
        checks.push(
            "certificate is an object",
            false,
            "certificate",
            "an object",
            claimed.type_name(),
            "",
        );
        return;
    }
    for (key, e) in fields {
        let path = join("certificate", key);
        let a = claimed.get(key);
        match key.as_str() {
            "issued_at" | "evaluation_timestamp" => {
                let ok = matches!(a, None | Some(Json::String(_)) | Some(Json::Null));
                checks.push(
                    format!("{key} recorded by the issuer"),
                    ok,
                    path,
                    "a string or null",
                    text_of(a),
                    "the issuer's clock: not reproducible, so not compared (not covered by the id)",
                );
            }
            "digests" => {
                if let Json::Object(ds) = e {
                    for (k, d) in ds {
                        let sub = a.and_then(|a| a.get(k));
                        checks.section(digest_name(k), &join(&path, k), d, sub);
                    }
                }
                if let Some(a) = a {
                    checks.unexpected_keys("digests", &path, e, a);
                }
            }
            "phase6_to_phase7" => match (e, a) {
                (Json::Object(inner), Some(a @ Json::Object(_))) => {
                    for (k, v) in inner {
                        let sub = a.get(k);
                        match (k.as_str(), v, sub) {
                            ("clusters", Json::Array(cs), Some(Json::Array(acs))) => {
                                for (i, cl) in cs.iter().enumerate() {
                                    let id = str_of(cl.get("cluster_id")).unwrap_or("?");
                                    checks.section(
                                        &format!("Phase 6 -> 7: input cluster {i} ({id})"),
                                        &format!("{path}.clusters[{i}]"),
                                        cl,
                                        acs.get(i),
                                    );
                                }
                                if acs.len() > cs.len() {
                                    checks.push(
                                        "Phase 6 -> 7: input clusters",
                                        false,
                                        format!("{path}.clusters"),
                                        format!("{} clusters", cs.len()),
                                        format!("{} clusters", acs.len()),
                                        "unexpected clusters",
                                    );
                                }
                            }
                            _ => checks.section(&inner_name(k), &join(&path, k), v, sub),
                        }
                    }
                    checks.unexpected_keys("Phase 6 -> 7 certificate", &path, e, a);
                }
                _ => checks.section(&inner_name("certificate"), &path, e, a),
            },
            _ => checks.section(certificate_name(key), &path, e, a),
        }
    }
    checks.unexpected_keys("certificate", "certificate", expected, claimed);
}
