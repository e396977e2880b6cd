//! Golden files of the words the core writes (`tests/fixtures/golden/NAME`): compared
//! byte for byte, or rewritten under `PHASE7_BLESS=1` (a deliberate act: review the diff).

/// Compares `actual` with the golden file `name` (or rewrites it under `PHASE7_BLESS`);
/// returns the golden text.
pub fn check(name: &str, actual: &str) -> String {
    let path = format!(
        "{}/../tests/fixtures/golden/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("PHASE7_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return actual.to_string();
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == golden,
        "{name} differs from tests/fixtures/golden/{name} (PHASE7_BLESS=1 rewrites it, \
         deliberately):\n{actual}"
    );
    golden
}
