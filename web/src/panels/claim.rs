//! The pipeline's claimed `p07_output.json` checked against our recomputation, field by
//! field: bit-identical, explained by the pipeline's math library (its `pow()`; spec §3),
//! different, or not compared (its clock and random ids).

use leptos::prelude::*;
use phase7_core::verify::claim::{
    verify_claimed, ClaimField, ClaimOutcome, ClaimReport, FieldStatus,
};

use crate::i18n::{text, Text};
use crate::state::use_dashboard;

fn status_word(t: &Text, s: FieldStatus) -> (&'static str, &'static str) {
    match s {
        FieldStatus::Equal => ("p7-pass", t.status_equal),
        FieldStatus::Explained => ("p7-warn", t.status_explained),
        FieldStatus::Different => ("p7-fail", t.status_different),
        FieldStatus::NotCompared => ("p7-muted", t.status_not_compared),
    }
}

fn rows(t: &'static Text, fields: Vec<ClaimField>) -> impl IntoView {
    fields
        .into_iter()
        .map(|f| {
            let (class, word) = status_word(t, f.status);
            view! {
                <tr class=class data-path=f.path.clone()>
                    <th scope="row" class="p7-text"><code>{f.path.clone()}</code></th>
                    <td><span class=format!("p7-verdict {class}")>{word}</span></td>
                    <td class="p7-text"><code>{f.ours.clone()}</code></td>
                    <td class="p7-text"><code>{f.claimed.clone()}</code></td>
                    <td>{f.ulps.map(|u| u.to_string())}</td>
                    <td class="p7-text">{f.note.clone()}</td>
                </tr>
            }
        })
        .collect_view()
}

fn table(t: &'static Text, fields: Vec<ClaimField>, testid: &'static str) -> impl IntoView {
    view! {
        <div class="p7-scroll" tabindex="0" role="region" aria-label=t.claim_title>
            <table class="p7-table p7-compact" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{t.field}</th>
                        <th scope="col">{t.result}</th>
                        <th scope="col">{t.ours}</th>
                        <th scope="col">{t.claimed}</th>
                        <th scope="col">"ulps"</th>
                        <th scope="col">{t.note}</th>
                    </tr>
                </thead>
                <tbody>{rows(t, fields)}</tbody>
            </table>
        </div>
    }
}

fn report_view(t: &'static Text, r: ClaimReport) -> impl IntoView {
    let (class, word, kind) = match &r.outcome {
        ClaimOutcome::Identical => (
            "p7-banner p7-banner-ok",
            t.claim_identical.to_string(),
            "IDENTICAL",
        ),
        ClaimOutcome::Explained => (
            "p7-banner p7-banner-ok",
            t.claim_explained.to_string(),
            "EXPLAINED",
        ),
        ClaimOutcome::Different => (
            "p7-banner p7-banner-bad",
            format!(
                "{} ({})",
                t.claim_different,
                r.with_status(FieldStatus::Different).count()
            ),
            "DIFFERENT",
        ),
        ClaimOutcome::InputRejected { errors } => (
            "p7-banner p7-banner-bad",
            format!(
                "{} — {} {}",
                t.input_rejected,
                errors.len(),
                t.errors_title.to_lowercase()
            ),
            "INPUT_REJECTED",
        ),
        ClaimOutcome::RerunFailed { errors } => (
            "p7-banner p7-banner-bad",
            format!(
                "{} — {} {}",
                t.rerun_failed,
                errors.len(),
                t.errors_title.to_lowercase()
            ),
            "RERUN_FAILED",
        ),
    };
    let count = |s| r.with_status(s).count();
    let counts = format!(
        "{} {} · {} {} · {} {} · {} {}",
        count(FieldStatus::Equal),
        t.status_equal,
        count(FieldStatus::Explained),
        t.status_explained,
        count(FieldStatus::Different),
        t.status_different,
        count(FieldStatus::NotCompared),
        t.status_not_compared,
    );
    let notable: Vec<ClaimField> = r
        .fields
        .iter()
        .filter(|f| f.status != FieldStatus::Equal)
        .cloned()
        .collect();
    let all = r.fields.clone();
    view! {
        <p class=class data-testid="claim-verdict" data-outcome=kind>{word}</p>
        <p class="p7-note" data-testid="claim-counts">{counts}</p>
        {(!notable.is_empty()).then(|| table(t, notable, "claim-notable"))}
        <details class="p7-details">
            <summary>{format!("{} ({})", t.all_fields, all.len())}</summary>
            {table(t, all, "claim-all")}
        </details>
    }
}

/// The claim panel (only when a claim was loaded).
#[component]
pub fn Claim() -> impl IntoView {
    let dash = use_dashboard();
    let report = Memo::new(move |_| {
        let ev = dash.evaluation.get()?;
        let claimed = dash.claimed.get()?;
        if ev.file.bytes.is_empty() {
            return None;
        }
        Some((
            claimed.name.clone(),
            verify_claimed(&ev.file.bytes, &claimed.bytes),
        ))
    });
    move || {
        let t = text(dash.lang.get());
        let (name, r) = report.get()?;
        Some(view! {
            <section class="p7-panel p7-claim" data-testid="claim">
                <h2>{t.claim_title}</h2>
                <p class="p7-note">{t.claim_help}" " <code>{name}</code></p>
                {report_view(t, r)}
            </section>
        })
    }
}
