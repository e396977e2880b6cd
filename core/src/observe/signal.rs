//! Lifecycle signals (the pipeline's SISAS signals) for a Phase 7 run.
//!
//! Shape, as the pipeline shapes its signals: `signal_type`, `scope {phase, policy_area,
//! slot}`, `payload {phase_id, event_type, …}`, `provenance`. The core builds them; sinks
//! (a JSON-lines file in the CLI, a JS callback and a DOM CustomEvent in the browser)
//! come from the caller through [`SignalSink`]. Signals never enter anything hashed.

use serde::{Deserialize, Serialize};

/// The lifecycle events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SignalType {
    /// The run started.
    PhaseStarted,
    /// One of the eight stages completed (or was restored from a checkpoint).
    StageCompleted,
    /// An invariant was checked.
    InvariantValidated,
    /// The exit gate passed.
    GatePassed,
    /// The exit gate failed.
    GateFailed,
    /// The run completed with a MacroScore.
    PhaseCompleted,
    /// The run failed (payload carries the error code).
    PhaseFailed,
}

impl SignalType {
    /// The name, e.g. `STAGE_COMPLETED`.
    pub fn name(self) -> &'static str {
        match self {
            SignalType::PhaseStarted => "PHASE_STARTED",
            SignalType::StageCompleted => "STAGE_COMPLETED",
            SignalType::InvariantValidated => "INVARIANT_VALIDATED",
            SignalType::GatePassed => "GATE_PASSED",
            SignalType::GateFailed => "GATE_FAILED",
            SignalType::PhaseCompleted => "PHASE_COMPLETED",
            SignalType::PhaseFailed => "PHASE_FAILED",
        }
    }
}

/// Where the signal applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Always `phase_7`.
    pub phase: String,
    /// `ALL` (Phase 7 spans every policy area).
    pub policy_area: String,
    /// The stage name, or `phase` for run-level events.
    pub slot: String,
}

/// What happened.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// Always `P07`.
    pub phase_id: String,
    /// Lower-case event name, e.g. `stage_completed`.
    pub event_type: String,
    /// Stage name, for stage events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// k of `stage_total`, for stage events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_index: Option<usize>,
    /// 8.
    pub stage_total: usize,
    /// True when the stage result came from a checkpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored: Option<bool>,
    /// The check, for invariant and gate events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_id: Option<String>,
    /// Whether it passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
    /// The error code, for PHASE_FAILED (and failed gates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// A human-readable detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Who emitted it, for which run, in which order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// `phase7`.
    pub emitter: String,
    /// This library's version.
    pub emitter_version: String,
    /// SHA-256 of the input bytes: ties every signal of a run together.
    pub run_id: String,
    /// 1, 2, 3, … within the run.
    pub sequence: u64,
    /// The caller's clock, when it has one (RFC 3339).
    pub emitted_at: Option<String>,
}

/// One signal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// `P07-<run_id prefix>-<sequence>`.
    pub signal_id: String,
    /// The event.
    pub signal_type: SignalType,
    /// Where.
    pub scope: Scope,
    /// What.
    pub payload: Payload,
    /// Who and when.
    pub provenance: Provenance,
}

/// Receives signals as they are emitted.
pub trait SignalSink {
    /// Takes one signal.
    fn emit(&mut self, signal: &Signal);
}

/// Collects signals in memory.
impl SignalSink for Vec<Signal> {
    fn emit(&mut self, signal: &Signal) {
        self.push(signal.clone());
    }
}

/// Builds the signals of one run with consecutive sequence numbers.
#[derive(Clone, Debug)]
pub struct SignalFactory {
    run_id: String,
    sequence: u64,
}

impl SignalFactory {
    /// A factory for the run identified by `run_id`.
    pub fn new(run_id: &str) -> Self {
        SignalFactory {
            run_id: run_id.to_string(),
            sequence: 0,
        }
    }

    /// The next signal; `slot` is the stage name or `phase`.
    pub fn make(
        &mut self,
        signal_type: SignalType,
        slot: &str,
        payload: Payload,
        emitted_at: Option<String>,
    ) -> Signal {
        self.sequence += 1;
        let prefix: String = self.run_id.chars().take(12).collect();
        Signal {
            signal_id: format!("P07-{prefix}-{:04}", self.sequence),
            signal_type,
            scope: Scope {
                phase: "phase_7".into(),
                policy_area: "ALL".into(),
                slot: slot.into(),
            },
            payload: Payload {
                phase_id: "P07".into(),
                event_type: signal_type.name().to_ascii_lowercase(),
                stage_total: 8,
                ..payload
            },
            provenance: Provenance {
                emitter: "phase7".into(),
                emitter_version: env!("CARGO_PKG_VERSION").into(),
                run_id: self.run_id.clone(),
                sequence: self.sequence,
                emitted_at,
            },
        }
    }
}
