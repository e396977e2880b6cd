//! Phase 7 of the F.A.R.F.A.N pipeline, rerun bit for bit and verified.
//!
//! The steps, in order:
//!
//! 1. [`bridge`] reads the pipeline's Phase 6 file ([`json`]) and checks the input
//!    contract, giving a [`bridge::ValidatedPhase6`] (STAGE_INPUT_VALIDATION);
//! 2. [`aggregate`] computes the weighted score, quality band, coherence, gaps,
//!    alignment and uncertainty with Python's arithmetic ([`pymath`]) (stages 2–7);
//! 3. [`macro_score`] assembles the MacroScore in the pipeline's shape (stage 8);
//! 4. [`check`] records the output contract, invariants and exit gate;
//! 5. [`phase`] runs all of it under a [`config::Config`] and binds the [`digest`]s;
//! 6. [`orchestrate`] wraps a run with [`signal`]s, [`metrics`] and [`checkpoint`]s;
//! 7. [`audit`] chains every check into a tamper-evident trail, and [`certificate`]
//!    issues the Phase 6 → 7 and Phase 7 → 8 certificates binding input,
//!    configuration, output and trail;
//! 8. [`verify`] reruns from the input and checks every claim of a certificate;
//!    [`claim`] compares the pipeline's own Phase 7 output with the rerun.
//!
//! The core reads no clock, file or randomness: time and observers come from the caller.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod aggregate;
pub mod audit;
pub mod bridge;
pub mod certificate;
pub mod check;
pub mod checkpoint;
pub mod claim;
pub mod config;
pub mod digest;
pub mod error;
pub mod json;
pub mod macro_score;
pub mod metrics;
pub mod model;
pub mod orchestrate;
pub mod phase;
pub mod pymath;
pub mod sensitivity;
pub mod signal;
pub mod summary;
pub mod time;
pub mod verify;

pub use audit::AuditTrail;
pub use bridge::ValidatedPhase6;
pub use certificate::{artifacts, issue, CertificateBundle};
pub use claim::{verify_claimed, ClaimReport};
pub use error::{InputError, InputRejected, Phase7Error};
pub use macro_score::MacroScore;
pub use phase::{run, Run, RunOptions};
pub use verify::{verify_certificate, VerificationReport};

#[cfg(all(feature = "wasm", target_arch = "wasm32"))]
pub mod wasm;
