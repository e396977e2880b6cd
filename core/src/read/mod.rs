//! Stage 1 (STAGE_INPUT_VALIDATION): reading the pipeline's Phase 6 file.
//!
//! [`json`] is the strict JSON reader (Python's `NaN`/`Infinity` tokens recognised,
//! duplicate keys found, key order kept, nesting bounded); [`bridge`] resolves the
//! envelope and checks the input contract of the document; `cluster` reads one cluster
//! object field by field. The only way out with data is a [`ValidatedPhase6`].

pub mod bridge;
mod cluster;
pub mod json;
mod number;

pub use bridge::{
    read, read_batch_line, validate, ReadLimits, ValidatedPhase6, DEFAULT_MAX_INPUT_BYTES,
};
