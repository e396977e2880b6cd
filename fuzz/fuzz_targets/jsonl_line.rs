//! `jsonl_line`: see `phase7_core::fuzzing::Target::JsonlLine` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phase7_core::fuzzing::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(v) = Target::JsonlLine.check(data) {
        panic!("{}: {v}", Target::JsonlLine.name());
    }
});
