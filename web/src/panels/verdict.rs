//! The verdict bar at the top: the checks, the certificate, the claim and a loaded
//! refusal record, each with its state and a link to its details, announced in a live
//! region when it changes.

use leptos::prelude::*;
use phase7_core::checks::Verdict;
use phase7_core::verify::claim::ClaimOutcome;
use phase7_core::verify::VerificationOutcome;

use crate::i18n::{text, Text};
use crate::state::{use_dashboard, Dashboard};

/// The state of one item: `ok`, `bad`, `none` or `busy` (a CSS class and a data value).
fn item(
    dash: Dashboard,
    testid: &'static str,
    label: fn(&Text) -> &'static str,
    target: impl Fn() -> &'static str + Send + Sync + Copy + 'static,
    state: impl Fn() -> (&'static str, String) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let t = move || text(dash.lang.get());
    let href = move || format!("#{}", dash.element_id(target()));
    view! {
        <li class=move || format!("p7-verdict-item p7-state-{}", state().0) data-testid=testid data-state=move || state().0>
            <span class="p7-verdict-label">{move || label(t())}": "</span>
            <strong class="p7-verdict-value">{move || state().1}</strong>
            {move || (state().0 != "none").then(|| view! {
                " "
                <a class="p7-verdict-link" href=href()>{t().verdict_details}</a>
            })}
        </li>
    }
}

/// The verdict bar.
#[component]
pub fn VerdictBar() -> impl IntoView {
    let dash = use_dashboard();
    let t = move || text(dash.lang.get());
    let checks = move || {
        let t = t();
        match dash.evaluation.get() {
            None => ("busy", t.verdict_pending.to_string()),
            Some(ev) => {
                let c = &ev.outcome.checks;
                let passed = c.iter().filter(|c| c.passed).count();
                if ev.outcome.ok {
                    ("ok", format!("{passed}/{} {}", c.len(), t.verdict_passed))
                } else if ev.outcome.failure == Some("INPUT_CONTRACT") && c.is_empty() {
                    ("bad", t.verdict_rejected.to_string())
                } else if c.is_empty() {
                    (
                        "bad",
                        format!(
                            "{} ({})",
                            t.verdict_failed,
                            ev.outcome.errors.first().map_or("", |e| e.code)
                        ),
                    )
                } else {
                    // A run whose checks failed: name them (the audit panel shows its
                    // trail, marked not certified).
                    let failed = match &ev.outcome.verdict {
                        Some(Verdict::Failed { failed, .. }) => failed.join(", "),
                        _ => String::new(),
                    };
                    (
                        "bad",
                        format!("{} — {passed}/{} ({failed})", t.verdict_failed, c.len()),
                    )
                }
            }
        }
    };
    let certificate = move || {
        let t = t();
        if dash.certificate.with(Option::is_none) {
            return ("none", t.verdict_none.to_string());
        }
        match dash.verification.get() {
            None => ("busy", t.verdict_pending.to_string()),
            Some(r) => match &r.outcome {
                VerificationOutcome::Verified => ("ok", t.verified_short.to_string()),
                VerificationOutcome::NotVerified => ("bad", t.not_verified_short.to_string()),
                VerificationOutcome::InputRejected { .. } => {
                    ("bad", t.verdict_rejected.to_string())
                }
            },
        }
    };
    let claim = move || {
        let t = t();
        if dash.claimed.with(Option::is_none) {
            return ("none", t.verdict_none.to_string());
        }
        match dash.claim.get() {
            None => ("busy", t.verdict_pending.to_string()),
            Some(c) => match &c.report.outcome {
                ClaimOutcome::Identical => ("ok", t.identical_short.to_string()),
                ClaimOutcome::Explained => ("ok", t.explained_short.to_string()),
                ClaimOutcome::Different => ("bad", t.different_short.to_string()),
                ClaimOutcome::InputRejected { .. } => ("bad", t.verdict_rejected.to_string()),
                ClaimOutcome::RerunFailed { .. } => ("bad", t.rerun_failed_short.to_string()),
            },
        }
    };
    let refusal = move || {
        let t = t();
        if dash.refusal.with(Option::is_none) {
            return ("none", t.verdict_none.to_string());
        }
        match dash.refusal_check.get() {
            None => ("busy", t.verdict_pending.to_string()),
            Some(c) if c.report.confirmed => ("ok", t.confirmed.to_string()),
            Some(_) => ("bad", t.not_confirmed.to_string()),
        }
    };
    // A run without checks (a rejected input) has its errors as details.
    let checks_target = move || {
        let has_checks = dash
            .evaluation
            .with(|e| e.as_ref().is_some_and(|e| !e.outcome.checks.is_empty()));
        if has_checks {
            "audit"
        } else {
            "errors"
        }
    };
    let id = dash.element_id("verdict");
    view! {
        <section class="p7-verdict-bar" id=id tabindex="-1" aria-labelledby=dash.element_id("verdict-title") data-testid="verdict-bar">
            <h2 class="p7-verdict-title" id=dash.element_id("verdict-title")>{move || t().verdict_title}</h2>
            // Polite: each change of a state is read out once, without stealing focus.
            <div class="p7-verdict-live" role="status" aria-live="polite" aria-atomic="true">
                <ul class="p7-verdict-items">
                    {item(dash, "verdict-checks", |t| t.verdict_checks, checks_target, checks)}
                    {item(dash, "verdict-certificate", |t| t.verdict_certificate, || "certificates", certificate)}
                    {item(dash, "verdict-claim", |t| t.verdict_claim, || "claim", claim)}
                    {item(dash, "verdict-refusal", |t| t.verdict_refusal, || "refusal", refusal)}
                </ul>
            </div>
        </section>
    }
}
