//! Stopping a batch cleanly on SIGINT (Ctrl-C) or SIGTERM.
//!
//! Without a handler the signal kills the process where it stands, leaving the staged
//! outputs (`.phase7-XXXXXX` files and plan folders, a half-written `summary.csv` or
//! `--jsonl` output) in the output folder. With [`Stop::install`] the first signal only
//! sets a flag: the batch reads no further plan, lets the plans in flight finish (each
//! plan folder is renamed into place whole or not at all), removes its temporary files,
//! writes no summary.csv or `--out` file, and exits `128 + signal` (130, 143) after an
//! `error[INTERRUPTED]` line. A second signal takes the default action at once (for a
//! read that waits on a pipe or terminal and so never sees the flag).
//!
//! A signal the process was started with ignored (`nohup`, a background job of a
//! script) stays ignored.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::flag;

use crate::exit::Fail;

/// Code of a batch stopped by a signal.
pub const INTERRUPTED: &str = "INTERRUPTED";

/// Whether (and by which signal) the batch was asked to stop.
pub struct Stop {
    signal: Arc<AtomicUsize>,
}

/// Whether `signal` is ignored by this process (Linux: `SigIgn` in /proc/self/status;
/// elsewhere taken as not ignored).
fn ignored(signal: i32) -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return false;
    };
    let mask = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .unwrap_or(0);
    (1..=64).contains(&signal) && mask & (1 << (signal - 1)) != 0
}

impl Stop {
    /// Handles SIGINT and SIGTERM as the module says (a handler that cannot be
    /// installed leaves that signal's default action).
    pub fn install() -> Stop {
        let armed = Arc::new(AtomicBool::new(false));
        let signal = Arc::new(AtomicUsize::new(0));
        for sig in [SIGINT, SIGTERM] {
            if ignored(sig) {
                continue;
            }
            // In this order: the default action, armed by the first signal, is taken on
            // the second.
            let _ = flag::register_conditional_default(sig, Arc::clone(&armed));
            let _ = flag::register(sig, Arc::clone(&armed));
            let _ = flag::register_usize(sig, Arc::clone(&signal), sig.unsigned_abs() as usize);
        }
        Stop { signal }
    }

    /// A flag no signal sets (tests).
    #[cfg(test)]
    pub fn never() -> Stop {
        Stop {
            signal: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The signal that asked to stop, if one did.
    pub fn signal(&self) -> Option<usize> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            s => Some(s),
        }
    }

    /// The failure to report when a signal asked to stop: `error[INTERRUPTED]` with
    /// `what` was done, exit code `128 + signal`.
    pub fn failure(&self, what: &str) -> Option<Fail> {
        let s = self.signal()?;
        let name = match i32::try_from(s) {
            Ok(SIGINT) => "SIGINT",
            Ok(SIGTERM) => "SIGTERM",
            _ => "a signal",
        };
        Some(Fail {
            code: INTERRUPTED,
            message: format!("stopped by {name}: {what}"),
            exit: u8::try_from(128 + s).unwrap_or(u8::MAX),
        })
    }
}
