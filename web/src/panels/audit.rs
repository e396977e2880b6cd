//! The audit trail: every check in the order it was made, grouped by stage, with what
//! it expected, what it found and whether it passed.

use leptos::prelude::*;
use phase7_core::attest::audit::AuditTrail;
use phase7_core::checks::{Check, CheckSeverity, CheckStage};

use crate::format::escaped;
use crate::i18n::{check_description, text, Text};
use crate::panels::table::DataTable;
use crate::state::use_dashboard;

/// Consecutive checks of the same stage, in order.
pub fn group_by_stage(checks: &[Check]) -> Vec<(CheckStage, Vec<(usize, &Check)>)> {
    let mut groups: Vec<(CheckStage, Vec<(usize, &Check)>)> = Vec::new();
    for (i, c) in checks.iter().enumerate() {
        match groups.last_mut() {
            Some((stage, items)) if *stage == c.stage => items.push((i, c)),
            _ => groups.push((c.stage, vec![(i, c)])),
        }
    }
    groups
}

fn stage_title(t: &Text, stage: CheckStage) -> &'static str {
    match stage {
        CheckStage::InputContract => t.stage_input,
        CheckStage::OutputContract => t.stage_output,
        CheckStage::Invariants => t.stage_invariants,
        CheckStage::ExitGate => t.stage_gate,
    }
}

fn verdict(t: &Text, c: &Check) -> (&'static str, &'static str) {
    match (c.passed, c.severity) {
        (true, _) => ("p7-pass", t.pass),
        (false, CheckSeverity::Warning) => ("p7-warn", t.warn),
        (false, CheckSeverity::Error) => ("p7-fail", t.fail),
    }
}

/// The audit trail panel (only when there are checks).
#[component]
pub fn Audit() -> impl IntoView {
    let dash = use_dashboard();
    let body = move || {
        let lang = dash.lang.get();
        let t = text(lang);
        let ev = dash.evaluation.get()?;
        let strict = ev.options.strict;
        let checks = &ev.outcome.checks;
        if checks.is_empty() {
            return None;
        }
        let passed = checks.iter().filter(|c| c.passed).count();
        let trail = ev.artifacts.as_ref().map(|a| &a.audit_trail);
        let hash_of = |i: usize| {
            trail
                .as_ref()
                .and_then(|tr| tr.entries.get(i))
                .map(|e| (e.prev_hash.clone(), e.hash.clone()))
        };
        let chain = trail.as_ref().map(|tr| chain_view(t, tr));
        let groups = group_by_stage(checks)
            .into_iter()
            .map(|(stage, items)| {
                let ok = items.iter().filter(|(_, c)| c.passed).count();
                let total = items.len();
                let rows = items
                                        .into_iter()
                                        .map(|(i, c)| {
                                            let (class, word) = verdict(t, c);
                                            let link = hash_of(i);
                                            view! {
                                                <tr class=class data-check=c.id.clone()>
                                                    <td class="p7-c-n">{i + 1}</td>
                                                    <th scope="row" class="p7-c-id"><code>{c.id.clone()}</code></th>
                                                    <td class="p7-c-desc">{check_description(lang, &c.id, strict, &c.description)}</td>
                                                    <td class="p7-text p7-c-exp" data-label=t.expected>
                                                        <code>{escaped(&c.expected)}</code>
                                                    </td>
                                                    <td class="p7-text p7-c-act" data-label=t.actual>
                                                        <code>{escaped(&c.actual)}</code>
                                                    </td>
                                                    <td class="p7-c-res">
                                                        <span class=format!("p7-verdict {class}")>{word}</span>
                                                    </td>
                                                    <td class="p7-c-hash">
                                                        {link.map(|(prev, hash)| view! {
                                                            <code class="p7-prev" title=prev.clone()>
                                                                {format!("↑ {}", short8(&prev))}
                                                            </code>
                                                            <br />
                                                            <code title=hash.clone()>{format!("= {}", short8(&hash))}</code>
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view();
                view! {
                    <section class="p7-stage" data-stage=stage.name()>
                        <h3>
                            {stage_title(t, stage)}
                            " "
                            <code class="p7-muted">{stage.name()}</code>
                            " — "
                            {format!("{ok}/{total}")}
                        </h3>
                        <DataTable
                            label=stage_title(t, stage)
                            headers=vec!["#", t.check, t.description, t.expected, t.actual, t.result, "prev_hash → hash"]
                            class="p7-checks"
                        >
                                    {rows}
                        </DataTable>
                    </section>
                }
            })
            .collect_view();
        Some(view! {
                {(!ev.outcome.ok).then(|| view! { <p class="p7-banner p7-banner-bad" data-testid="not-certified">{t.not_certified}</p> })}
                <p data-testid="audit-summary">{format!("{passed}/{} {}", checks.len(), t.checks_passed)}</p>
                {chain}
                {groups}
        })
    };
    view! {
        <Show when=move || dash.evaluation.with(|e| e.as_ref().is_some_and(|e| !e.outcome.checks.is_empty()))>
            <section class="p7-panel p7-audit" data-testid="audit" id=dash.element_id("audit") tabindex="-1">
                <h2>{move || text(dash.lang.get()).audit_title}</h2>
                {body}
            </section>
        </Show>
    }
}

/// The first 8 hex digits, enough to follow the links by eye.
fn short8(d: &str) -> &str {
    d.get(..8).unwrap_or(d)
}

/// The hash chain, re-checked here: every entry's hash recomputed from its body and
/// every link compared (`phase7_core::attest::audit::verify_chain`).
fn chain_view(t: &'static Text, trail: &AuditTrail) -> impl IntoView {
    let breaks = trail.verify_chain();
    let intact = breaks.is_empty();
    let n = trail.entries.len();
    view! {
        <div class="p7-chain" data-testid="hash-chain" data-intact=intact.to_string()>
            <p class=if intact { "p7-banner p7-banner-ok" } else { "p7-banner p7-banner-bad" }>
                {if intact {
                    format!("{} — {n} {}", t.chain_intact, t.chain_links)
                } else {
                    format!("{} — {} {}", t.chain_broken, breaks.len(), t.chain_breaks)
                }}
            </p>
            <p class="p7-note">{t.chain_help}</p>
            <dl class="p7-digests">
                <dt>"genesis"</dt>
                <dd><code>{trail.genesis.clone()}</code></dd>
                <dt>"root"</dt>
                <dd><code data-testid="audit-root">{trail.root.clone()}</code></dd>
            </dl>
            {(!intact).then(|| view! {
                <ul class="p7-notices">
                    {breaks
                        .into_iter()
                        .map(|b| view! {
                            <li>
                                <code>{escaped(&b.field)}</code>": "{t.expected}" "<code>{escaped(&b.expected)}</code>
                                ", "{t.actual}" "<code>{escaped(&b.actual)}</code>
                            </li>
                        })
                        .collect_view()}
                </ul>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Evaluation, Loaded, Origin, SAMPLE_PHASE6};
    use std::sync::Arc;

    #[test]
    fn groups_keep_order_and_cover_every_check() {
        let ev = Evaluation::compute(Loaded {
            name: "s".into(),
            origin: Origin::Sample,
            size: 0,
            bytes: Arc::from(SAMPLE_PHASE6.as_bytes()),
        });
        let checks = &ev.outcome.checks;
        let groups = group_by_stage(checks);
        let flat: Vec<usize> = groups
            .iter()
            .flat_map(|(_, v)| v.iter().map(|(i, _)| *i))
            .collect();
        assert_eq!(flat, (0..checks.len()).collect::<Vec<_>>());
        let stages: Vec<CheckStage> = groups.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            stages,
            [
                CheckStage::InputContract,
                CheckStage::OutputContract,
                CheckStage::Invariants,
                CheckStage::ExitGate
            ]
        );
    }
}
