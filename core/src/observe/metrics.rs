//! Per-stage metrics in the shape of the pipeline's Phase7Metrics. Durations and memory
//! come from the caller's [`crate::observe::Probe`]; metrics never enter anything
//! that is hashed or certified.

use serde::Serialize;

use crate::error::Phase7Error;
use crate::phase::Run;

/// One stage's measurements.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageMetrics {
    /// Stage name.
    pub stage: String,
    /// 1..=8.
    pub stage_index: usize,
    /// Wall time of the stage in milliseconds (0 when restored from a checkpoint).
    pub duration_ms: f64,
    /// Memory in use after the stage (bytes), when the caller can measure it.
    pub memory_bytes: Option<u64>,
    /// Change since the previous measurement (bytes).
    pub memory_delta_bytes: Option<i64>,
    /// True when the result came from a checkpoint.
    pub restored: bool,
}

/// Aggregates over the stages.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Aggregates {
    /// Stages measured.
    pub stage_count: usize,
    /// Stages computed in this run (not restored).
    pub computed_stages: usize,
    /// Mean duration of the computed stages (ms).
    pub mean_stage_ms: f64,
    /// Longest stage (ms).
    pub max_stage_ms: f64,
    /// Name of the longest stage.
    pub slowest_stage: Option<String>,
}

/// Metrics of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phase7Metrics {
    /// `P07`.
    pub phase_id: String,
    /// SHA-256 of the input bytes (same as the signals' run_id).
    pub run_id: String,
    /// `completed`, `failed` or `interrupted`.
    pub outcome: String,
    /// The error code when not completed.
    pub error_code: Option<String>,
    /// Stage measurements in order.
    pub stages: Vec<StageMetrics>,
    /// Whole-run wall time (ms).
    pub total_duration_ms: f64,
    /// Highest memory reading (bytes).
    pub peak_memory_bytes: Option<u64>,
    /// Aggregates over the stages.
    pub aggregates: Aggregates,
    /// The stage a resumed run continued after, if any.
    pub resumed_after_stage: Option<String>,
    /// Input size in bytes.
    pub input_bytes: usize,
    /// Clusters in the validated input (0 when rejected).
    pub clusters_processed: usize,
    /// Systemic gaps found.
    pub systemic_gaps: usize,
    /// Checks run (input, output, invariants, gate).
    pub checks_run: usize,
    /// Checks not passed.
    pub checks_failed: usize,
}

impl Phase7Metrics {
    /// The metrics of an observed run: its outcome and code, its stages and totals.
    pub fn of(
        result: &Result<Run, Phase7Error>,
        run_id: String,
        stages: Vec<StageMetrics>,
        total_duration_ms: f64,
        resumed_after_stage: Option<String>,
        input_bytes: usize,
    ) -> Phase7Metrics {
        let (outcome, error_code) = match result {
            Ok(run) => match run.verdict.code() {
                None => ("completed", None),
                Some(code) => ("failed", Some(code.to_string())),
            },
            Err(Phase7Error::Interrupted { .. }) => ("interrupted", Some("INTERRUPTED".into())),
            Err(e) => ("failed", Some(e.code().to_string())),
        };
        let (clusters, gaps, checks_run, checks_failed) = match result {
            Ok(run) => (
                run.input.clusters().len(),
                run.macro_score.systemic_gaps.len(),
                run.checks.len(),
                run.checks.iter().filter(|c| !c.passed).count(),
            ),
            Err(_) => (0, 0, 0, 0),
        };
        let mut metrics = Phase7Metrics {
            phase_id: "P07".into(),
            run_id,
            outcome: outcome.into(),
            error_code,
            stages,
            total_duration_ms,
            peak_memory_bytes: None,
            aggregates: Aggregates::default(),
            resumed_after_stage,
            input_bytes,
            clusters_processed: clusters,
            systemic_gaps: gaps,
            checks_run,
            checks_failed,
        };
        metrics.aggregate();
        metrics
    }

    /// Fills in the aggregates from the stage list.
    pub fn aggregate(&mut self) {
        let computed: Vec<&StageMetrics> = self.stages.iter().filter(|s| !s.restored).collect();
        let total: f64 = computed.iter().map(|s| s.duration_ms).sum();
        let slowest = computed
            .iter()
            .copied()
            .fold(None::<&StageMetrics>, |best, s| match best {
                Some(b) if b.duration_ms >= s.duration_ms => Some(b),
                _ => Some(s),
            });
        self.peak_memory_bytes = self.stages.iter().filter_map(|s| s.memory_bytes).max();
        self.aggregates = Aggregates {
            stage_count: self.stages.len(),
            computed_stages: computed.len(),
            mean_stage_ms: if computed.is_empty() {
                0.0
            } else {
                total / computed.len() as f64
            },
            max_stage_ms: slowest.map_or(0.0, |s| s.duration_ms),
            slowest_stage: slowest.map(|s| s.stage.clone()),
        };
    }
}
