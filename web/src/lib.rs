//! The Phase 7 audit dashboard: a Leptos CSR app over `phase7_core`, built by trunk.
//!
//! * [`app`] is the root component; [`panels`] holds one file per panel, the verdict bar
//!   and the shared table (`panels::table::DataTable`);
//! * [`state`] is the shared state (a typed context) and [`load`] brings files in, with
//!   one generation and abort controller per slot so only the latest choice lands;
//! * [`chart`], [`format`](mod@format), [`rerun`], [`documents`], [`options`], [`batch`],
//!   [`sensitivity`] and [`i18n`] know nothing of Leptos and are unit-tested natively;
//! * [`observe`] is what reaches the host page: signals (`onSignal`, `phase7-signal`) and
//!   results (`onOutcome`/`phase7-outcome`, `onVerification`, `onClaim`, `onRefusal`);
//! * [`embed`] starts the app: on the page body (`main.rs`) or inside a portal's
//!   element through the exported `mount(element, options)`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod app;
pub mod batch;
pub mod chart;
pub mod documents;
pub mod download;
pub mod embed;
pub mod format;
pub mod i18n;
pub mod load;
pub mod observe;
pub mod options;
pub mod panels;
pub mod rerun;
pub mod sensitivity;
pub mod state;
