//! `claim_raw`: see `phase7_core::fuzzing::Target::ClaimRaw` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phase7_core::fuzzing::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(v) = Target::ClaimRaw.check(data) {
        panic!("{}: {v}", Target::ClaimRaw.name());
    }
});
