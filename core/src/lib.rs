//! Phase 7 of the F.A.R.F.A.N pipeline, rerun bit for bit and verified.
//!
//! The path from a Phase 6 file to a certificate, in order (the folders say the same):
//!
//! 1. [`read`] — the strict JSON reader ([`read::json`]) and the Phase 6 → 7 bridge
//!    ([`read::bridge`]): every input-contract violation, coded, or a
//!    [`ValidatedPhase6`] (STAGE_INPUT_VALIDATION);
//! 2. [`stages`] — the bit-exact computation with Python's arithmetic
//!    ([`stages::pymath`], [`stages::aggregate`], stages 2–7) and the MacroScore in the
//!    pipeline's shape ([`stages::macro_score`], stage 8), each stage result checkpointable;
//! 3. [`checks`] — the input contract, output contract ([`checks::contract`]), invariants
//!    ([`checks::invariant`]) and exit gate ([`checks::gate`]), each with expected and
//!    actual values, and the run's [`checks::Verdict`];
//! 4. [`phase`] — all of it under the published [`config::Config`]: a [`Run`] always
//!    carries its checks and verdict; only a rejected input, a resource limit, a failed
//!    computation or an interruption is an error ([`error`]);
//! 5. [`attest`] — digests ([`attest::digest`]), the hash-chained audit trail
//!    ([`attest::audit`]), the Phase 6 → 7 and 7 → 8 certificates
//!    ([`attest::certificate`]) and the one writer of a run's files
//!    ([`attest::Artifacts`]);
//! 6. [`verify`] — reruns from the input and checks a certificate, a
//!    `macro_score.json` and an `audit_trail.json` ([`verify::verify`]) or the
//!    pipeline's own claimed output ([`verify::claim`]), comparing bit for bit with
//!    [`diff`];
//! 7. [`observe`] — signals, metrics and checkpoints around a run, with a caller-supplied
//!    clock; [`batch`] — one summary row per plan and `summary.csv`.
//!
//! Beside the path, never certified: [`sensitivity`] — how firm the band is (margin,
//! band probabilities, seeded Monte Carlo, what-if weights).
//!
//! The core reads no clock, file or randomness: time and observers come from the caller.
//! The wasm-bindgen API is the `wasm` module (feature `wasm`, wasm32 only); what a page
//! needs without it (the browser probe, the records' TypeScript types) is the `browser`
//! module (feature `browser`, which `wasm` includes).
// No unsafe code but one item: the wasm memory source of the browser allocator
// (`browser::Grow`, an `unsafe impl` of talc's `Source` trait).
#![deny(unsafe_code)]
#![deny(missing_docs)]

pub mod attest;
pub mod batch;
pub mod checks;
pub mod config;
pub mod decimal;
pub mod diff;
pub mod error;
#[cfg(not(target_arch = "wasm32"))]
mod exact;
pub mod model;
pub mod observe;
pub mod phase;
pub mod quote;
pub mod read;
pub mod sensitivity;
mod sort;
pub mod stages;
pub mod time;
pub mod verify;

pub use attest::audit::AuditTrail;
pub use attest::certificate::CertificateBundle;
pub use attest::Artifacts;
pub use error::{InputError, InputRejected, Phase7Error};
pub use phase::{run, Run, RunOptions};
pub use read::bridge::ValidatedPhase6;
pub use stages::macro_score::MacroScore;
pub use verify::claim::{verify_claimed, ClaimReport};
pub use verify::{verify_certificate, VerificationReport};

#[cfg(all(feature = "wasm", target_arch = "wasm32"))]
pub mod wasm;

#[cfg(all(feature = "browser", target_arch = "wasm32"))]
pub mod browser;

#[cfg(test)]
mod testing;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
