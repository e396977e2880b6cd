//! Checks: the contracts (PRE-7.x, hermeticity, POST-7.x) in [`contract`], the
//! invariants (INV-7.x) in [`invariant`] and the exit gate (GATE-x) in [`gate`], of spec
//! §2 and §5. Each is recorded with its expected and actual values so the audit trail can
//! chain them, and the [`Verdict`] of a run is read off them: a failed check is a result,
//! not an error.

use serde::{Deserialize, Serialize};

use crate::read::json::push_number;

pub mod contract;
pub mod gate;
pub mod invariant;

/// Which family of checks an entry belongs to (the dashboard groups by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CheckStage {
    /// PRE-7.x and hermeticity.
    InputContract,
    /// POST-7.x.
    OutputContract,
    /// INV-7.x.
    Invariants,
    /// GATE-x.
    ExitGate,
}

/// How much a failed check weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckSeverity {
    /// A failure rejects the run.
    Error,
    /// A failure is reported; strict mode turns it into a gate failure.
    Warning,
}

/// One check with what it expected and what it found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// `PRE-7.1`, `HERMETICITY`, `POST-7.2`, `INV-7.5`, `GATE-3`, …
    pub id: String,
    /// The family.
    pub stage: CheckStage,
    /// What is checked.
    pub description: String,
    /// The expected value, as text.
    pub expected: String,
    /// The actual value, as text.
    pub actual: String,
    /// Whether it holds.
    pub passed: bool,
    /// Error or warning.
    pub severity: CheckSeverity,
}

impl CheckStage {
    /// All families, in the order a run checks them.
    pub const ALL: [CheckStage; 4] = [
        CheckStage::InputContract,
        CheckStage::OutputContract,
        CheckStage::Invariants,
        CheckStage::ExitGate,
    ];

    /// The name as serialized (`INPUT_CONTRACT`, `OUTPUT_CONTRACT`, `INVARIANTS`,
    /// `EXIT_GATE`).
    pub fn name(self) -> &'static str {
        match self {
            CheckStage::InputContract => "INPUT_CONTRACT",
            CheckStage::OutputContract => "OUTPUT_CONTRACT",
            CheckStage::Invariants => "INVARIANTS",
            CheckStage::ExitGate => "EXIT_GATE",
        }
    }
}

impl Check {
    /// Whether this check, failed, fails the run (warnings only fail in strict mode, and
    /// then through GATE-4).
    pub fn fails_run(&self) -> bool {
        !self.passed && self.severity == CheckSeverity::Error
    }
}

/// What a run's checks say: passed, or failed at a family with the failing check ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// Every error-severity check held: the run may be certified.
    Passed,
    /// At least one error-severity check failed.
    Failed {
        /// The first family (in run order) with a failed check.
        stage: CheckStage,
        /// The ids of every failed error-severity check, in run order.
        failed: Vec<String>,
    },
}

impl Verdict {
    /// The verdict of a list of checks.
    pub fn of(checks: &[Check]) -> Verdict {
        let failed: Vec<&Check> = checks.iter().filter(|c| c.fails_run()).collect();
        match failed.first() {
            None => Verdict::Passed,
            Some(first) => Verdict::Failed {
                stage: first.stage,
                failed: failed.iter().map(|c| c.id.clone()).collect(),
            },
        }
    }

    /// True for [`Verdict::Passed`].
    pub fn passed(&self) -> bool {
        matches!(self, Verdict::Passed)
    }

    /// The stable code of a failed verdict: `OUTPUT_CONTRACT_VIOLATION`,
    /// `INVARIANT_VIOLATION` or `GATE_FAILED` (`INPUT_CONTRACT_VIOLATION` cannot occur for
    /// an accepted input); `None` when passed.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Verdict::Passed => None,
            Verdict::Failed { stage, .. } => Some(match stage {
                CheckStage::InputContract => "INPUT_CONTRACT_VIOLATION",
                CheckStage::OutputContract => "OUTPUT_CONTRACT_VIOLATION",
                CheckStage::Invariants => "INVARIANT_VIOLATION",
                CheckStage::ExitGate => "GATE_FAILED",
            }),
        }
    }
}

pub(crate) fn check(
    id: &str,
    stage: CheckStage,
    description: &str,
    expected: impl Into<String>,
    actual: impl Into<String>,
    passed: bool,
) -> Check {
    Check {
        id: id.into(),
        stage,
        description: description.into(),
        expected: expected.into(),
        actual: actual.into(),
        passed,
        severity: CheckSeverity::Error,
    }
}

/// `[a, b, c]`, written into one string.
pub(crate) fn list<S: AsRef<str>>(xs: impl IntoIterator<Item = S>) -> String {
    let mut out = String::with_capacity(64);
    out.push('[');
    for (i, x) in xs.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(x.as_ref());
    }
    out.push(']');
    out
}

/// `[1.5, 0.25]`: numbers as JSON writes them, into one string.
pub(crate) fn nums(xs: impl IntoIterator<Item = f64>) -> String {
    let mut out = String::with_capacity(64);
    out.push('[');
    for (i, x) in xs.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_number(&mut out, x);
    }
    out.push(']');
    out
}

pub(crate) fn within(x: f64, lo: f64, hi: f64) -> bool {
    x >= lo && x <= hi
}

#[cfg(test)]
mod tests {
    use super::CheckStage;

    #[test]
    fn stage_names_are_the_serialized_names() {
        for stage in CheckStage::ALL {
            let json = serde_json::to_string(&stage).expect("serializes");
            assert_eq!(json, format!("\"{}\"", stage.name()));
        }
    }
}
