//! The 1,000 public vectors, every expected field compared with `f64::to_bits`.

use phase7_core::phase::{run, RunOptions};
use phase7_core::read::json;

mod golden;

const VECTORS: &str = include_str!("../../tests/fixtures/phase7_public.jsonl");

#[test]
fn all_public_vectors_bit_exact() {
    let mut digests = String::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in VECTORS.lines().enumerate() {
        let case = json::parse(line.as_bytes()).unwrap().value;
        let input = case.get("phase6").unwrap().to_string();
        let expected = case.get("expected").unwrap();
        let result = run(input.as_bytes(), &RunOptions::default());
        let run = match result {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("vector {n}: {e}"));
                continue;
            }
        };
        let ours = json::parse(serde_json::to_string(&run.macro_score).unwrap().as_bytes())
            .unwrap()
            .value;
        digests.push_str(&run.digests.output);
        digests.push('\n');
        for d in phase7_core::diff::bit_differences(expected, &ours) {
            failures.push(format!("vector {n}: {d}"));
        }
        count += 1;
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(count, 1000);
    // The output digests are golden data: the WASM tests compare against this file, so
    // native and wasm32 are proven to agree bit for bit. `PHASE7_BLESS=1` rewrites it, as it
    // rewrites every golden file of the workspace.
    golden::check("vector_output_digests.txt", &digests);
}
