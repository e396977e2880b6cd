//! `read_run_plan`: see `phase7_core::fuzzing::Target::ReadRunPlan` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phase7_core::fuzzing::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(v) = Target::ReadRunPlan.check(data) {
        panic!("{}: {v}", Target::ReadRunPlan.name());
    }
});
