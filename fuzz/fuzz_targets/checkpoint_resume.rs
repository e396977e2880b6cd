//! `checkpoint_resume`: see `phase7_core::fuzzing::Target::CheckpointResume` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phase7_core::fuzzing::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(v) = Target::CheckpointResume.check(data) {
        panic!("{}: {v}", Target::CheckpointResume.name());
    }
});
