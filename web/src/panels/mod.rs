//! One file per panel. Panels read the shared state with
//! [`crate::state::use_dashboard`] and draw; the numbers come from `phase7_core` and the
//! chart geometry from [`crate::chart`]. [`verdict`] is the verdict bar at the top;
//! [`table::DataTable`] the table skeleton the panels share.

pub mod audit;
pub mod batch;
pub mod breakdown;
pub mod certificate;
pub mod claim;
pub mod clusters;
pub mod determinism;
pub mod errors;
pub mod gaps;
pub mod header;
pub mod inputs;
pub mod loader;
pub mod metrics;
pub mod refusal;
pub mod sensitivity;
pub mod signals;
pub mod summary;
pub mod table;
pub mod verdict;
