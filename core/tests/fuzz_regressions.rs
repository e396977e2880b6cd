//! Fuzz regressions: every input a fuzz target found (minimised, under
//! `tests/fixtures/fuzz/<target>/`) and every committed seed (`fuzz/corpus/<target>/`) is
//! replayed through the target's own property code (`phase7_core::fuzzing`, the code
//! the cargo-fuzz targets call), so a fixed bug stays fixed and a seed that breaks a
//! property fails here before a fuzzing campaign starts. See `docs/fuzzing.md`.
//!
//! Inputs waiting for someone else's fix are kept apart in `tests/fixtures/fuzz/pending/`
//! and replayed by an ignored test. Native only: the inputs are read from disk.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use phase7_core::fuzzing::Target;

/// Inputs whose fix belongs to a change not merged yet: `tests/fixtures/fuzz/pending/
/// <target>/`, replayed only by the ignored test below (they fail, or take minutes, until
/// the fix lands; then they move up to `tests/fixtures/fuzz/<target>/`).
const PENDING: &str = "pending";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The files of `dir/<target>/` for every target (a missing folder is an empty one; a
/// folder named after no target is an error).
fn cases(dir: &Path) -> Vec<(Target, PathBuf)> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    let mut folders: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    folders.sort();
    for folder in folders.into_iter().filter(|p| p.is_dir()) {
        let name = folder.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == PENDING {
            continue;
        }
        let target = Target::parse(name)
            .unwrap_or_else(|| panic!("{}: not a fuzz target's name", folder.display()));
        let mut files: Vec<PathBuf> = fs::read_dir(&folder)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|f| (target, f)));
    }
    out
}

/// Replays every case; returns the failures (panics included), one line each.
fn replay(cases: &[(Target, PathBuf)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (target, file) in cases {
        let data = fs::read(file).unwrap();
        let result = panic::catch_unwind(AssertUnwindSafe(|| target.check(&data)));
        let failure = match result {
            Ok(Ok(())) => continue,
            Ok(Err(v)) => v.to_string(),
            Err(p) => format!(
                "panicked: {}",
                p.downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| p.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)")
            ),
        };
        failures.push(format!("{} {}: {failure}", target.name(), file.display()));
    }
    failures
}

#[test]
fn every_found_input_passes_its_property() {
    let found = cases(&root().join("tests/fixtures/fuzz"));
    let failures = replay(&found);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_seed_passes_its_property() {
    let seeds = cases(&root().join("fuzz/corpus"));
    assert!(
        seeds.len() >= Target::ALL.len(),
        "the seed corpora are missing: run scripts/fuzz_seeds.sh"
    );
    for t in Target::ALL {
        assert!(
            seeds.iter().any(|(s, _)| *s == t),
            "no seed for {}",
            t.name()
        );
    }
    let failures = replay(&seeds);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Run with `cargo test --release -p phase7-core --test fuzz_regressions -- --ignored`
/// once the fixes they wait for are merged (see the README in the folder).
#[test]
#[ignore = "inputs whose fixes are not merged yet (tests/fixtures/fuzz/pending)"]
fn pending_inputs_pass_once_fixed() {
    let pending = cases(&root().join("tests/fixtures/fuzz").join(PENDING));
    let failures = replay(&pending);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
