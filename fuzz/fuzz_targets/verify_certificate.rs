//! `verify_certificate`: see `phase7_core::fuzzing::Target::VerifyCertificate` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phase7_core::fuzzing::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(v) = Target::VerifyCertificate.check(data) {
        panic!("{}: {v}", Target::VerifyCertificate.name());
    }
});
