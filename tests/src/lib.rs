//! Cross-crate tests of the workspace. The tests themselves are in `tests/verify.rs`
//! (the `phase7 verify` CLI against certificates issued by `phase7-core`); the fixtures
//! they and the other crates' tests share are in `tests/fixtures/`, the browser
//! end-to-end suite in `tests/e2e/`.
