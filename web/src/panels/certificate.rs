//! Certificates: issue (download `certificate.json`, `audit_trail.json` and
//! `macro_score.json`, byte for byte what `phase7 run` writes) and verify an uploaded
//! certificate (and optionally its audit trail) by rerunning from the Phase 6 file, with
//! the verdict, what it vouches for, and every differing field on failure.

use leptos::prelude::*;
use phase7_core::attest::Artifacts;
use phase7_core::verify::{VerificationCheck, VerificationOutcome, VerificationReport};

use crate::documents::DocKind;
use crate::download::save_json;
use crate::format::{escaped, short_digest};
use crate::i18n::{core_phrase, errors_n, other_input, text, Lang};
use crate::panels::loader::picker;
use crate::panels::table::DataTable;
use crate::state::use_dashboard;

/// The browser's clock as RFC 3339 (UTC): the certificate's `issued_at`, which no id or
/// digest covers.
pub fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// The certificate panel (once a Phase 6 file is loaded). Its two halves are
/// independent: the issue side follows the evaluation, the verify side the verification
/// report, so loading a certificate does not rebuild the downloads.
#[component]
pub fn Certificates() -> impl IntoView {
    let dash = use_dashboard();
    let t = move || text(dash.lang.get());
    let issue = move || {
        let lang = dash.lang.get();
        let t = text(lang);
        let ev = dash.evaluation.get()?;
        // A refused run gets no certificate and no macro_score.json: its refusal record
        // and not-certified trail are offered in the refusal panel.
        if ev.refused() {
            return Some(
                view! {
                    <div class="p7-issue">
                        <h3>{t.issue}</h3>
                        <p class="p7-banner p7-banner-bad" data-testid="issue-refused">{t.issue_refused}</p>
                    </div>
                }
                .into_any(),
            );
        }
        // The evaluation is shared (an Arc): the run is borrowed when a button is clicked,
        // never copied.
        ev.run()?;
        let cert = ev.artifacts.as_ref().and_then(|a| a.certificate.clone());
        let save = move |which: &'static str| {
            let Some(run) = ev.run() else {
                return;
            };
            let issued_at = now_rfc3339();
            let text = match which {
                "macro_score.json" => run.macro_score.to_json_pretty().ok(),
                name => Artifacts::issue(run, Some(&issued_at))
                    .ok()
                    .and_then(|a| a.file(name).map(str::to_string)),
            };
            if let Some(text) = text {
                let _ = save_json(which, &text);
            }
        };
        let button = move |name: &'static str| {
            let save = save.clone();
            view! {
                <button
                    type="button"
                    class="p7-button"
                    data-testid=format!("download-{}", name.trim_end_matches(".json"))
                    on:click=move |_| save(name)
                >
                    {name}
                </button>
            }
        };
        Some(view! {
            <div class="p7-issue">
                <h3>{t.issue}</h3>
                <p class="p7-note">{t.issue_help}</p>
                <div class="p7-actions">
                    {button("certificate.json")}
                    {button("audit_trail.json")}
                    {button("macro_score.json")}
                </div>
                {cert.map(|c| view! {
                    <dl class="p7-facts">
                        <dt>{t.certificate_id}</dt>
                        <dd><code data-testid="certificate-id">{c.certificate_id.clone()}</code></dd>
                        <dt>{t.ready_for_phase8}</dt>
                        <dd>{if c.ready_for_phase8 { t.yes } else { t.no }}</dd>
                        <dt>{t.audit_root}</dt>
                        <dd><code>{c.digests.audit_root.clone()}</code></dd>
                    </dl>
                })}
            </div>
        }
        .into_any())
    };
    let verdict = move || {
        let lang = dash.lang.get();
        match dash.verification.get() {
            Some(r) => verdict_view(lang, &r).into_any(),
            None => view! { <p class="p7-note">{text(lang).verify_help}</p> }.into_any(),
        }
    };
    view! {
        <Show when=move || dash.evaluation.with(Option::is_some)>
            <section class="p7-panel p7-certificates" data-testid="certificates" id=dash.element_id("certificates") tabindex="-1">
                <h2>{move || t().certificates_title}</h2>
                <div class="p7-cert-grid">
                    {issue}
                    <div>
                        <h3>{move || t().verify}</h3>
                        <div class="p7-actions p7-verify-actions">
                            {picker(dash, DocKind::AuditTrail, |t| t.pick_audit_trail)}
                        </div>
                        {verdict}
                    </div>
                </div>
            </section>
        </Show>
    }
}

/// A core phrase in `lang`, or the core's English marked as English.
pub fn phrase(lang: Lang, english: &str) -> impl IntoView {
    match core_phrase(lang, english) {
        Some(s) => view! { <span>{s}</span> }.into_any(),
        None => view! { <span lang="en">{english.to_string()}</span> }.into_any(),
    }
}

/// The table of a verification's failed checks (`testid`): the field, the rerun's value,
/// the file's and the note, after the check's name when `named`. An entry that stands
/// for omitted checks says so in its note.
pub fn failures_table(
    lang: Lang,
    failures: &[&VerificationCheck],
    named: bool,
    testid: &'static str,
) -> impl IntoView {
    let t = text(lang);
    let mut headers = vec![t.field, t.expected_rerun, t.actual_file, t.note];
    if named {
        headers.insert(0, t.check);
    }
    let rows = failures
        .iter()
        .map(|c| {
            view! {
                <tr class="p7-fail" data-path=c.path.clone()>
                    {named.then(|| view! { <td class="p7-text">{phrase(lang, &c.name)}</td> })}
                    <th scope="row" class="p7-text"><code>{escaped(&c.path)}</code></th>
                    <td class="p7-text"><code>{escaped(&c.expected)}</code></td>
                    <td class="p7-text"><code>{escaped(&c.actual)}</code></td>
                    <td class="p7-text">{phrase(lang, &c.note)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable label=t.differing_fields headers=headers class="p7-compact" testid=testid>
            {rows}
        </DataTable>
    }
}

fn verdict_view(lang: Lang, r: &VerificationReport) -> impl IntoView {
    let t = text(lang);
    let failures: Vec<&VerificationCheck> = r.failures().collect();
    let (class, word, kind) = match &r.outcome {
        VerificationOutcome::Verified => {
            ("p7-banner p7-banner-ok", t.verified.to_string(), "VERIFIED")
        }
        VerificationOutcome::NotVerified => (
            "p7-banner p7-banner-bad",
            // Counted: an entry with `omitted` stands for that many checks.
            format!("{} ({} / {})", t.not_verified, r.failed(), r.total()),
            "NOT_VERIFIED",
        ),
        VerificationOutcome::InputRejected { errors } => (
            "p7-banner p7-banner-bad",
            format!("{} — {}", t.input_rejected, errors_n(lang, errors.len())),
            "INPUT_REJECTED",
        ),
    };
    // English is the core's own wording (the same constants the CLI prints).
    let (vouches, not_vouched) = (t.vouches_for, t.does_not_vouch_for);
    // A certificate of another Phase 6 file: one headline instead of a list to decode.
    let other = failures
        .iter()
        .find(|c| c.path.ends_with("digests.input"))
        .map(|c| other_input(lang, &c.actual, &c.expected));
    let diff = (!failures.is_empty()).then(|| {
        view! {
            <h4>{t.differing_fields}</h4>
            {failures_table(lang, &failures, false, "verification-diff")}
        }
    });
    let all = r
        .checks
        .iter()
        .map(|c| {
            view! {
                <tr class=if c.passed { "p7-pass" } else { "p7-fail" }>
                    <td>{phrase(lang, &c.name)}</td>
                    <td class="p7-text"><code>{escaped(&c.path)}</code></td>
                    <td>
                        <span class=if c.passed { "p7-verdict p7-pass" } else { "p7-verdict p7-fail" }>
                            {if c.passed { t.pass } else { t.fail }}
                        </span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="p7-verification" data-testid="verification">
            <p class=class data-testid="verification-verdict" data-outcome=kind>{word}</p>
            {other.map(|s| view! { <p class="p7-banner p7-banner-bad" data-testid="other-input">{s}</p> })}
            {r.certificate_id.clone().map(|id| view! {
                <p class="p7-note">{t.certificate_id}": " <code title=escaped(&id)>{escaped(&short_digest(&id))}</code></p>
            })}
            {diff}
            <dl class="p7-vouch">
                <dt>{if r.verified { t.vouches } else { t.would_vouch }}</dt>
                <dd>{vouches}</dd>
                <dt>{t.does_not_vouch}</dt>
                <dd>{not_vouched}</dd>
            </dl>
            <details class="p7-details">
                <summary>{format!("{} ({})", t.all_checks, r.total())}</summary>
                <DataTable label=t.all_checks headers=vec![t.check, t.field, t.result] class="p7-compact">
                    {all}
                </DataTable>
            </details>
        </div>
    }
}
