//! The pipeline's claimed `p07_output.json` checked against our recomputation, field by
//! field: bit-identical, explained by the pipeline's math library (its `pow()`; spec §3),
//! different, or not compared (its clock and random ids).

use leptos::prelude::*;
use phase7_core::verify::claim::{ClaimField, ClaimOutcome, ClaimReport, FieldStatus};

use crate::format::{escaped, exact, untrusted};
use crate::i18n::{claim_counts, errors_n, text, Lang, Text};
use crate::panels::certificate::phrase;
use crate::panels::table::DataTable;
use crate::state::use_dashboard;

fn status_word(t: &Text, s: FieldStatus) -> (&'static str, &'static str) {
    match s {
        FieldStatus::Equal => ("p7-pass", t.status_equal),
        FieldStatus::Explained => ("p7-warn", t.status_explained),
        FieldStatus::Different => ("p7-fail", t.status_different),
        FieldStatus::NotCompared => ("p7-muted", t.status_not_compared),
    }
}

/// `claimed − ours` for two numbers (the difference beside the ulps), exact text.
pub fn difference(ours: &str, claimed: &str) -> Option<String> {
    let (a, b) = (ours.parse::<f64>().ok()?, claimed.parse::<f64>().ok()?);
    let d = b - a;
    d.is_finite().then(|| {
        let s = exact(d);
        if d > 0.0 {
            format!("+{s}")
        } else {
            s
        }
    })
}

fn table(
    lang: Lang,
    label: String,
    fields: Vec<ClaimField>,
    testid: &'static str,
) -> impl IntoView {
    let t = text(lang);
    view! {
        <DataTable
            label=label
            headers=vec![t.field, t.result, t.ours, t.claimed, t.difference, "ulps", t.note]
            class="p7-compact"
            testid=testid
        >
            {fields
                .into_iter()
                .map(|f| {
                    let (class, word) = status_word(t, f.status);
                    let diff = f.ulps.filter(|u| *u > 0).and_then(|_| difference(&f.ours, &f.claimed));
                    view! {
                        <tr class=class data-path=f.path.clone()>
                            <th scope="row" class="p7-text"><code>{escaped(&f.path)}</code></th>
                            <td><span class=format!("p7-verdict {class}")>{word}</span></td>
                            <td class="p7-text"><code>{escaped(&f.ours)}</code></td>
                            <td class="p7-text"><code>{escaped(&f.claimed)}</code></td>
                            <td class="p7-text" data-col="difference"><code>{diff}</code></td>
                            <td>{f.ulps.map(|u| u.to_string())}</td>
                            <td class="p7-text">{phrase(lang, &f.note)}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}

fn report_view(lang: Lang, r: &ClaimReport) -> impl IntoView {
    let t = text(lang);
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
            format!("{} — {}", t.input_rejected, errors_n(lang, errors.len())),
            "INPUT_REJECTED",
        ),
        ClaimOutcome::RerunFailed { errors } => (
            "p7-banner p7-banner-bad",
            format!("{} — {}", t.rerun_failed, errors_n(lang, errors.len())),
            "RERUN_FAILED",
        ),
    };
    let count = |s| r.with_status(s).count();
    let counts = claim_counts(
        lang,
        count(FieldStatus::Equal),
        count(FieldStatus::Explained),
        count(FieldStatus::Different),
        count(FieldStatus::NotCompared),
    );
    let notable: Vec<ClaimField> = r
        .fields
        .iter()
        .filter(|f| f.status != FieldStatus::Equal)
        .cloned()
        .collect();
    let all = r.fields.clone();
    let n = all.len();
    view! {
        <p class=class data-testid="claim-verdict" data-outcome=kind>{word}</p>
        <p class="p7-note" data-testid="claim-counts">{counts}</p>
        {(!notable.is_empty()).then(|| table(lang, format!("{} ({})", t.claim_title, t.status_different), notable, "claim-notable"))}
        <details class="p7-details">
            <summary>{format!("{} ({n})", t.all_fields)}</summary>
            {table(lang, format!("{} ({})", t.claim_title, t.all_fields), all, "claim-all")}
        </details>
    }
}

/// The claim panel (only when a claim was loaded).
#[component]
pub fn Claim() -> impl IntoView {
    let dash = use_dashboard();
    let body = move || {
        let lang = dash.lang.get();
        let t = text(lang);
        let c = dash.claim.get()?;
        Some(view! {
                <p class="p7-note">{t.claim_help}" " <code>{untrusted(&c.name)}</code></p>
                {report_view(lang, &c.report)}
        })
    };
    view! {
        <Show when=move || dash.claim.with(Option::is_some)>
            <section class="p7-panel p7-claim" data-testid="claim" id=dash.element_id("claim") tabindex="-1">
                <h2>{move || text(dash.lang.get()).claim_title}</h2>
                {body}
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::difference;

    #[test]
    fn differences_are_exact() {
        assert_eq!(difference("1.0", "1.5").as_deref(), Some("+0.5"));
        assert_eq!(
            difference("0.3", "0.1").as_deref(),
            Some("-0.19999999999999998")
        );
        assert_eq!(difference("x", "1").as_deref(), None);
    }
}
