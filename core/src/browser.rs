//! What a page built on the core needs in the browser, without the npm package's exported
//! functions (feature `browser`, wasm32 only; the `wasm` feature includes it).
//!
//! * [`BrowserProbe`]: the browser's clock and the wasm memory size for observed runs;
//! * the TypeScript declarations of the records a page hands to its host (`Outcome`,
//!   `VerificationReport`, `ClaimReport`, `Signal`, …): a `typescript_custom_section`, so
//!   they reach the page's `.d.ts` and cost nothing in its wasm.
//!
//! The dashboard (`web/`) enables `browser` rather than `wasm`: it calls the core's Rust
//! API directly, so the npm exports (`run`, `issue`, `verify`, …, with their option
//! parsing and result conversion) would only add to the size of its module.

use wasm_bindgen::prelude::*;

use core::alloc::Layout;
use core::arch::wasm32::{memory_grow, memory_size};
use core::ptr::NonNull;
use talc::base::{binning::Binning, Talc};

/// The allocator of the npm package (`core/src/wasm/mod.rs`) and of the dashboard
/// (`web/src/main.rs`): Talc ([`allocator`]).
pub type Allocator = talc::cell::TalcSyncCell<Grow, talc::wasm::WasmBinning>;

/// Talc over the wasm memory, grown by [`Grow`].
pub const fn allocator() -> Allocator {
    talc::cell::TalcSyncCell::new_wasm(Grow { end: None })
}

/// Talc's `WasmGrowAndExtend`, but growing the memory by at least an eighth of its size.
/// Talc's own grows it by just the pages one allocation needs: the parse of a 15 MB
/// input, millions of small values, grew it about 4,000 times one 64 KiB page at a time,
/// and each `memory.grow` costs the engine a new `ArrayBuffer` and garbage-collection
/// work (in node, 64 % of a 5.6 s `run` of the "many deep one-element nests" shape). A
/// memory never shrinks, so this keeps at most an eighth more than its peak.
#[derive(Debug)]
pub struct Grow {
    end: Option<NonNull<u8>>,
}

// SAFETY: as talc's `WasmGrowAndExtend`, which this is with another growth: it only
// claims or extends over pages just grown, and allocates nothing itself.
#[allow(unsafe_code)]
unsafe impl talc::source::Source for Grow {
    fn acquire<B: Binning>(talc: &mut Talc<Self, B>, layout: Layout) -> Result<(), ()> {
        const PAGE: usize = 65536;
        // Room for the allocation and its chunk's tags (talc calls again if short).
        let need = (layout.size() + layout.align() + 64).div_ceil(PAGE);
        let pages = need.max(memory_size(0) / 8);
        let mut at = memory_grow(0, pages);
        let mut grown = pages;
        if at == usize::MAX {
            (at, grown) = (memory_grow(0, need), need);
            if at == usize::MAX {
                return Err(());
            }
        }
        let base = (at * PAGE) as *mut u8;
        let end = base.wrapping_add(grown * PAGE);
        talc.source.end = match talc.source.end.take() {
            // SAFETY: the pages from `old` to `end` were just grown, after talc's heap.
            Some(old) if old.as_ptr() == base => Some(unsafe { talc.extend(old, end) }),
            // SAFETY: the pages from `base` were just grown and belong to nothing else.
            _ => unsafe { talc.claim(base, grown * PAGE) },
        };
        Ok(())
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Input: the Phase 6 file's text or bytes. */
export type Phase6Input = string | Uint8Array;
export interface RunOptions { strict?: boolean; evaluatedAt?: string }
export interface IssueOptions extends RunOptions { issuedAt?: string }
export interface VerifyOptions { strict?: boolean; macroScore?: string | Uint8Array; auditTrail?: string | Uint8Array }
export interface Diagnostic { code: string; severity: "error" | "warning"; message: string; cluster: string | null; field: string | null; value: string | null; omitted?: number }
export interface Check { id: string; stage: "INPUT_CONTRACT" | "OUTPUT_CONTRACT" | "INVARIANTS" | "EXIT_GATE"; description: string; expected: string; actual: string; passed: boolean; severity: "error" | "warning" }
export interface Digests { input: string; config: string; output: string }
export interface MacroScore {
  evaluation_id: string; score: number; score_normalized: number; quality_level: QualityLevel;
  cross_cutting_coherence: number;
  coherence_breakdown: { strategic_coherence: number; operational_coherence: number; institutional_coherence: number; inter_cluster_variance: number; irrigation_adjustment: number; coherence_pre_adjustment: number };
  systemic_gaps: string[]; gap_severity: Record<string, "CRITICAL" | "SEVERE" | "MODERATE">;
  strategic_alignment: number;
  alignment_breakdown: { vertical_alignment: number; horizontal_alignment: number; temporal_alignment: number };
  cluster_scores: { cluster_id: string; score: number; coherence: number; dispersion_scenario: string; penalty_applied: number }[];
  cluster_details: Record<string, unknown>;
  validation_passed: boolean; validation_details: Record<string, unknown>;
  score_std: number; confidence_interval_95: [number, number];
  provenance_node_id: string; aggregation_method: string; evaluation_timestamp: string | null; pipeline_version: string;
}
/** What `run` returns. */
export type Verdict = { status: "PASSED" } | { status: "FAILED"; stage: "OUTPUT_CONTRACT" | "INVARIANTS" | "EXIT_GATE"; failed: string[] };
export interface Outcome { ok: boolean; failure: string | null; verdict: Verdict | null; macro_score: MacroScore | null; checks: Check[]; digests: Digests | null; errors: Diagnostic[]; warnings: Diagnostic[] }
/** What `issue` returns: the texts are byte for byte what `phase7 run` writes (a run whose checks failed gets only its audit trail, marked not certified). */
export interface Issued { ok: boolean; failure: string | null; certificate: Record<string, unknown> | null; certificate_json: string | null; audit_trail_json: string | null; macro_score_json: string | null; errors: Diagnostic[] }
export interface VerificationCheck { name: string; passed: boolean; path: string; expected: string; actual: string; note: string; omitted?: number }
export interface VerificationReport {
  verified: boolean;
  outcome: { kind: "VERIFIED" } | { kind: "NOT_VERIFIED" } | { kind: "INPUT_REJECTED"; errors: Diagnostic[] };
  certificate_id: string | null; checks: VerificationCheck[]; vouches_for: string; does_not_vouch_for: string;
}
/** Why a claimed field differs (docs/certificates.md, "Causes of a difference"). */
export type Cause = "LIBM_POW" | "PY_SUM_BEFORE_3_12" | "PY_SUM_BEFORE_3_12_AND_LIBM_POW" | "UNEXPLAINED";
/** How a cause was established: a recomputation gives the claimed bits, or a rule on pow() allows them (the only pow() evidence in the browser). */
export type Evidence = "REPRODUCED" | "RULE";
export interface ClaimField { path: string; status: "EQUAL" | "EXPLAINED" | "DIFFERENT" | "NOT_COMPARED"; cause: Cause | null; evidence: Evidence | null; ours: string; claimed: string; ulps: number | null; note: string; omitted?: number }
export interface Flip { kind: "BAND" | "GAPS" | "SEVERITY"; path: string; ours: string; claimed: string; cause: Cause; because: string }
export interface Hypothesis { summation: "COMPENSATED" | "PLAIN"; libm_pow: boolean; libm_pow_evidence: Evidence | null; platform_pow: boolean; unexplained: number; also_libm_pow: boolean; also_py_sum_before_3_12: boolean }
export interface ClaimReport {
  ok: boolean;
  outcome: { kind: "IDENTICAL" | "EXPLAINED" | "DIFFERENT" } | { kind: "INPUT_REJECTED" | "RERUN_FAILED"; errors: Diagnostic[] };
  causes: Cause[]; hypothesis: Hypothesis | null; flips: Flip[];
  fields: ClaimField[];
}
export interface Signal {
  signal_id: string;
  signal_type: "PHASE_STARTED" | "STAGE_COMPLETED" | "INVARIANT_VALIDATED" | "GATE_PASSED" | "GATE_FAILED" | "PHASE_COMPLETED" | "PHASE_FAILED";
  scope: { phase: "phase_7"; policy_area: string; slot: string };
  payload: { phase_id: "P07"; event_type: string; stage?: string; stage_index?: number; stage_total: number; restored?: boolean; check_id?: string; passed?: boolean; error_code?: string; message?: string };
  provenance: { emitter: string; emitter_version: string; run_id: string; sequence: number; emitted_at: string | null };
}
export interface StageMetrics { stage: string; stage_index: number; duration_ms: number; memory_bytes: number | null; memory_delta_bytes: number | null; restored: boolean }
export interface Phase7Metrics { phase_id: "P07"; run_id: string; outcome: "completed" | "failed" | "interrupted"; error_code: string | null; stages: StageMetrics[]; total_duration_ms: number; peak_memory_bytes: number | null; aggregates: { stage_count: number; computed_stages: number; mean_stage_ms: number; max_stage_ms: number; slowest_stage: string | null }; resumed_after_stage: string | null; input_bytes: number; clusters_processed: number; systemic_gaps: number; checks_run: number; checks_failed: number }
/** What `runObserved` returns. */
export interface ObservedRun { outcome: Outcome; metrics: Phase7Metrics; signals: Signal[] }
/** Options of `sensitivity`: Monte Carlo draws (1 to 1,000,000, default 10,000), seed (0 to 2^53 − 1, default 1), weight range (0 ≤ r < 1, default 0.25). */
export interface SensitivityOptions { draws?: number; seed?: number; weightRange?: number }
/** Weights of `whatIf`: the compact text `w=a,b,c,d` or four numbers, MESO_1..MESO_4. */
export type WhatIfInput = string | [number, number, number, number];
/** `BAND_MARGIN`: the band is decided within 4 ulps of a threshold (analysis, never an input warning). */
export interface BandMarginWarning { code: "BAND_MARGIN"; severity: "warning"; message: string; threshold: number; distance_ulps: number }
"#;

// `QualityLevel` is generated by tsify from the Rust enum when the `wasm` feature is on;
// a page with `browser` alone declares it here (the same four names).
#[cfg(not(feature = "wasm"))]
#[wasm_bindgen(typescript_custom_section)]
const QUALITY_LEVEL: &'static str =
    r#"export type QualityLevel = "EXCELENTE" | "BUENO" | "ACEPTABLE" | "INSUFICIENTE";"#;

/// The browser's clock (`performance.now()` when present, else `Date.now()`), the wasm
/// linear memory size, and `Date` for signal timestamps. The dashboard observes its runs
/// with it; it works in a window and in a worker (it reads `performance` from the global
/// object).
pub struct BrowserProbe;

impl crate::observe::Probe for BrowserProbe {
    fn now_ms(&mut self) -> f64 {
        let perf = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
            .ok()
            .filter(|p| p.is_object());
        perf.and_then(|p| {
            let now = js_sys::Reflect::get(&p, &JsValue::from_str("now")).ok()?;
            let f: js_sys::Function = now.dyn_into().ok()?;
            f.call0(&p).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
    }

    fn memory_bytes(&mut self) -> Option<u64> {
        Some(core::arch::wasm32::memory_size(0) as u64 * 65_536)
    }

    fn timestamp(&mut self) -> Option<String> {
        js_sys::Date::new_0().to_iso_string().as_string()
    }
}
