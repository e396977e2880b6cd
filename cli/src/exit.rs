//! The exit codes of `phase7`, in one place (README and `phase7 --help` print the same
//! table, [`TABLE`]), and the coded failures of the CLI itself.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (`verify`: verified, a refusal record confirmed, or every claimed difference `LIBM_POW`; `batch`: every plan written and verified) |
//! | 1 | I/O, usage or resource failure (nothing of the main result written; `batch`: of the plan or line that failed, and past `--max-lines` the lines before it are written) |
//! | 2 | the Phase 6 input is rejected (`run`: refusal record written unless `--no-record`; `batch`: some plan or line rejected) |
//! | 3 | output contract, invariant or exit gate failed (strict-mode warnings included; `run`: audit trail and refusal record written) |
//! | 4 | verification failed (`verify --refusal`: not confirmed; `--claimed`: a difference with another cause; `batch`: some certificate just issued did not verify) |
//! | 5 | the main result is written, but a side output (`--metrics`, `--signals`) is not |
//! | 75 | stopped by the `PHASE7_FAIL_AFTER_STAGE` test hook |
//! | 130, 143 | `batch` stopped by SIGINT, SIGTERM (`error[INTERRUPTED]`; temporary files removed, no summary.csv or `--out` file) |
//!
//! A batch exits with the most serious code among its plans, in the order 1, 3, 4, 2
//! (see [`Worst`]).

use phase7_core::error::Phase7Error;

/// Success.
pub const OK: u8 = 0;
/// I/O, usage or resource failure.
pub const FAILURE: u8 = 1;
/// The Phase 6 input is rejected.
pub const INPUT_REJECTED: u8 = 2;
/// Output contract, invariant or exit gate failed.
pub const CHECK_FAILED: u8 = 3;
/// Verification failed.
pub const NOT_VERIFIED: u8 = 4;
/// The main result is written; a side output (metrics, signals) is not.
pub const SIDE_OUTPUT_FAILED: u8 = 5;
/// Stopped by the `PHASE7_FAIL_AFTER_STAGE` test hook.
pub const INTERRUPTED: u8 = 75;

/// The table as `phase7 --help` prints it.
pub const TABLE: &str = "\
Exit codes:
  0   ok (verify: verified, refusal record confirmed, or every claimed difference
      LIBM_POW; batch: every plan written and verified)
  1   I/O, usage or resource failure; nothing of the main result written (batch: of
      the plan or line that failed; past --max-lines the lines before are written)
  2   Phase 6 input rejected (run: refusal.json written unless --no-record; batch: some
      plan or line rejected)
  3   output contract, invariant or exit gate failed (strict-mode warnings included;
      run: audit trail and refusal.json written)
  4   verification failed (verify --refusal: not confirmed; --claimed: a difference
      whose cause is not LIBM_POW; batch: some certificate just issued did not verify)
  5   main result written, but a side output (--metrics, --signals) is not
  75  stopped by the PHASE7_FAIL_AFTER_STAGE=<STAGE_NAME> test hook
  130, 143  batch stopped by SIGINT, SIGTERM (temporary files removed; no summary.csv
      or --out file written)
  A batch exits with the most serious code among its plans: 1, then 3, 4, 2.";

/// The exit code of a failed run.
pub fn of_error(e: &Phase7Error) -> u8 {
    match e {
        Phase7Error::Input(_) => INPUT_REJECTED,
        Phase7Error::Resource(_) | Phase7Error::Computation(_) => FAILURE,
        Phase7Error::Interrupted { .. } => INTERRUPTED,
    }
}

/// The exit code a batch row's `error_code` stands for: the CLI's own codes and
/// resources/computation are 1, contract/invariant/gate failures 3, every other code is
/// an input rejection (2).
pub fn of_code(code: &str) -> u8 {
    match code {
        "" => OK,
        "OUTPUT_CONTRACT_VIOLATION" | "INVARIANT_VIOLATION" | "GATE_FAILED" => CHECK_FAILED,
        "RESOURCE_EXHAUSTED"
        | "COMPUTATION_FAILED"
        | "INTERRUPTED"
        | IO_ERROR
        | NOT_REGULAR_FILE
        | OUTPUT_NOT_REPLACEABLE
        | OUTPUT_IS_INPUT => FAILURE,
        _ => INPUT_REJECTED,
    }
}

/// The most serious exit code seen so far in a batch (1, then 3, 4, 2, then 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Worst(pub u8);

impl Worst {
    fn rank(code: u8) -> u8 {
        match code {
            OK => 0,
            INPUT_REJECTED => 1,
            NOT_VERIFIED => 2,
            CHECK_FAILED => 3,
            _ => 4,
        }
    }

    /// Takes `code` into account.
    pub fn add(&mut self, code: u8) {
        if Self::rank(code) > Self::rank(self.0) {
            self.0 = code;
        }
    }
}

/// Code: a file could not be read or written (the message names it and says why).
pub const IO_ERROR: &str = "IO_ERROR";
/// Code: an input (Phase 6 file, certificate, claim, JSON lines, checkpoint) is not a
/// regular file: a directory, FIFO, device, socket.
pub const NOT_REGULAR_FILE: &str = "NOT_REGULAR_FILE";
/// Code: a certificate, claim or other supplied file is over the size limit.
pub const FILE_TOO_LARGE: &str = "FILE_TOO_LARGE";
/// Code: something other than a regular file (a directory, symlink, FIFO, device) is
/// where an output would go; it is left untouched.
pub const OUTPUT_NOT_REPLACEABLE: &str = "OUTPUT_NOT_REPLACEABLE";
/// Code: an output would replace an input of the same command.
pub const OUTPUT_IS_INPUT: &str = "OUTPUT_IS_INPUT";
/// Code: arguments or environment the command cannot use.
pub const USAGE: &str = "USAGE";
/// Code (warning): a side output (metrics, signals) was not written.
pub const SIDE_OUTPUT_FAILED_CODE: &str = "SIDE_OUTPUT_FAILED";

/// A failure of the command itself, with its code, message and exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fail {
    /// The code printed as `error[CODE]`.
    pub code: &'static str,
    /// What failed, naming the file.
    pub message: String,
    /// The exit code.
    pub exit: u8,
}

impl Fail {
    /// A failure with exit code 1.
    pub fn new(code: &'static str, message: impl Into<String>) -> Fail {
        Fail {
            code,
            message: message.into(),
            exit: FAILURE,
        }
    }

    /// An [`IO_ERROR`].
    pub fn io(message: impl Into<String>) -> Fail {
        Fail::new(IO_ERROR, message)
    }

    /// A [`USAGE`] error.
    pub fn usage(message: impl Into<String>) -> Fail {
        Fail::new(USAGE, message)
    }

    /// Prints the `error[CODE]: message` line; returns the exit code.
    pub fn report(&self) -> u8 {
        crate::term::error(self.code, &self.message);
        self.exit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_takes_the_most_serious_code() {
        let mut w = Worst::default();
        for (code, then) in [
            (OK, OK),
            (INPUT_REJECTED, INPUT_REJECTED),
            (OK, INPUT_REJECTED),
            (NOT_VERIFIED, NOT_VERIFIED),
            (INPUT_REJECTED, NOT_VERIFIED),
            (CHECK_FAILED, CHECK_FAILED),
            (FAILURE, FAILURE),
            (CHECK_FAILED, FAILURE),
        ] {
            w.add(code);
            assert_eq!(w.0, then);
        }
        assert_eq!(of_code(""), OK);
        assert_eq!(of_code("NON_FINITE"), INPUT_REJECTED);
        assert_eq!(of_code("GATE_FAILED"), CHECK_FAILED);
        assert_eq!(of_code(IO_ERROR), FAILURE);
    }
}
