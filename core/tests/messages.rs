//! Every diagnostic's wording, pinned: the code, cluster, field, value and message of
//! each error and warning the invalid fixtures (`tests/fixtures/invalid/`) give, and of
//! the warnings, the failed strict gate and the size limit. A change of wording shows up
//! here as a diff and is made deliberate by re-blessing:
//! `PHASE7_BLESS=1 cargo test -p phase7-core --test messages`.

#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;
use std::path::Path;

use phase7_core::error::{Diagnostic, Phase7Error};
use phase7_core::phase::{self, RunOptions};

mod golden;

const SAMPLE: &str = include_str!("../../tests/fixtures/p06_sample.json");

fn line(out: &mut String, what: &str, d: &Diagnostic) {
    let _ = writeln!(
        out,
        "{what}: {} | {} | {} | {} | {}",
        d.code,
        d.cluster.as_deref().unwrap_or("-"),
        d.field.as_deref().unwrap_or("-"),
        d.value.as_deref().unwrap_or("-"),
        d.message
    );
}

/// The errors and warnings of a run, or its failed checks.
fn diagnostics(out: &mut String, name: &str, bytes: &[u8], options: &RunOptions) {
    match phase::run(bytes, options) {
        Ok(run) => {
            for d in run.failures() {
                line(out, name, &d);
            }
            for w in run.warnings() {
                line(out, name, &w.report());
            }
        }
        Err(e) => {
            for d in e.diagnostics() {
                line(out, name, &d);
            }
            if let Phase7Error::Input(r) = &e {
                for w in &r.warnings {
                    line(out, name, &w.report());
                }
            }
        }
    }
}

fn messages() -> String {
    let mut out = String::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/invalid");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    for name in &names {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        diagnostics(&mut out, name, &bytes, &RunOptions::default());
    }
    let warned = SAMPLE.replacen("PROV_MESO_2_5c2e7b14", "", 1);
    diagnostics(
        &mut out,
        "warning",
        warned.as_bytes(),
        &RunOptions::default(),
    );
    let strict = RunOptions {
        strict: true,
        ..RunOptions::default()
    };
    diagnostics(&mut out, "strict", warned.as_bytes(), &strict);
    let mut small = RunOptions::default();
    small.limits.max_input_bytes = 100;
    diagnostics(&mut out, "too large", SAMPLE.as_bytes(), &small);
    out
}

#[test]
fn every_message_is_worded_as_pinned() {
    let golden = golden::check("messages.txt", &messages());
    // Every invalid fixture gives at least its own code (named in the file name).
    for l in golden.lines() {
        let (file, rest) = l.split_once(": ").unwrap();
        if let Some((code, _)) = file.split_once("__") {
            assert!(
                golden.contains(&format!("{file}: {code} |")),
                "{file} does not give {code}: {rest}"
            );
        }
    }
}
