//! Verifying `audit_trail.json`: its own hash chain, the root the certificate names, and
//! every entry against the rerun's trail.

use crate::attest::audit::{self, AuditTrail};
use crate::diff::join;
use crate::read::json::Json;
use crate::verify::record::{str_of, text_of, Checks};

/// `audit_trail.json`: its own chain, the root the certificate names, and every entry
/// against the rerun's trail. (Long: the three checks in report order.)
pub(super) fn audit_trail_fields(
    checks: &mut Checks,
    expected: Option<&AuditTrail>,
    cert: Option<&Json>,
    t: &Json,
) {
    let mut broken = false;
    let more = audit::verify_chain_each(t, crate::error::MAX_LISTED_PER_CODE, &mut |b| {
        broken = true;
        // The break's field is already a path inside the trail (`entries[3].hash`).
        let path = if b.field == "(document)" {
            "audit_trail".to_string()
        } else {
            format!("audit_trail.{}", b.field)
        };
        checks.push(
            "audit trail hash chain",
            false,
            path,
            b.expected,
            b.actual,
            "the chain link does not hold: an entry was changed, removed, inserted or reordered",
        );
    });
    checks.more_failed("audit trail hash chain", more);
    if !broken {
        let n = match t.get("entries") {
            Some(Json::Array(items)) => items.len(),
            _ => 0,
        };
        checks.push(
            "audit trail hash chain intact",
            true,
            "audit_trail",
            format!("{n} linked entries"),
            format!("{n} linked entries"),
            "",
        );
    }
    if let Some(cert) = cert {
        let named = cert.get("digests").and_then(|d| d.get("audit_root"));
        let root = t.get("root");
        checks.push(
            "the certificate names this audit trail's root",
            named.is_some() && named == root,
            "audit_trail.root",
            text_of(named),
            text_of(root),
            "expected: certificate.digests.audit_root",
        );
    }
    let Some(expected) = expected else { return };
    let e = match audit::to_json(expected) {
        Ok(e) => e,
        Err(err) => {
            checks.push(
                "audit trail compared with the rerun",
                false,
                "audit_trail",
                "the rerun's trail",
                err.to_string(),
                "",
            );
            return;
        }
    };
    for key in ["format", "genesis", "root"] {
        if let Some(v) = e.get(key) {
            checks.section(
                &format!("audit trail {key}"),
                &join("audit_trail", key),
                v,
                t.get(key),
            );
        }
    }
    match (e.get("entries"), t.get("entries")) {
        (Some(Json::Array(es)), Some(Json::Array(ts))) => {
            for (i, entry) in es.iter().enumerate() {
                let id = str_of(entry.get("id")).unwrap_or("?");
                checks.section(
                    &format!("audit entry {i} ({id})"),
                    &format!("audit_trail.entries[{i}]"),
                    entry,
                    ts.get(i),
                );
            }
            if ts.len() > es.len() {
                checks.push(
                    "audit trail entries",
                    false,
                    "audit_trail.entries",
                    format!("{} entries", es.len()),
                    format!("{} entries", ts.len()),
                    "unexpected entries",
                );
            }
        }
        (Some(es), found) => {
            checks.section("audit trail entries", "audit_trail.entries", es, found)
        }
        (None, _) => {}
    }
    checks.unexpected_keys("audit trail", "audit_trail", &e, t);
}
