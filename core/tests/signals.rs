//! The lifecycle signals of observed runs, pinned field by field (with no clock, every
//! field is reproducible): a run that passes, one resumed from a checkpoint (stages
//! restored), one whose strict exit gate fails, and a rejected input.
//! `PHASE7_BLESS=1 cargo test -p phase7-core --test signals` rewrites
//! `tests/fixtures/golden/sample_signals.jsonl` (deliberately: review the diff).

#![cfg(not(target_arch = "wasm32"))]

use phase7_core::observe::checkpoint::Checkpoint;
use phase7_core::observe::signal::Signal;
use phase7_core::observe::{run_observed, CheckpointStore, Controls, NoClock};
use phase7_core::phase::RunOptions;
use phase7_core::stages::Stage;

mod golden;

const SAMPLE: &str = include_str!("../../tests/fixtures/p06_sample.json");

/// Checkpoints in memory, loaded through their encoded text as a file store does.
#[derive(Default)]
struct Memory(Vec<Checkpoint>);

impl CheckpointStore for Memory {
    fn save(&mut self, cp: &Checkpoint) -> Result<(), String> {
        self.0.push(cp.clone());
        Ok(())
    }
    fn clear(&mut self) {
        self.0.clear();
    }
    fn load(&mut self, input: &str, config: &str) -> Option<Checkpoint> {
        let last = self.0.last()?;
        Checkpoint::decode(last.encode().as_bytes(), input, config).ok()
    }
}

/// Appends each signal as one line after `what`.
fn push(out: &mut String, what: &str, got: &[Signal]) {
    for s in got {
        out.push_str(what);
        out.push(' ');
        out.push_str(&serde_json::to_string(s).unwrap());
        out.push('\n');
    }
}

/// The signals of one observed run.
fn observe(
    bytes: &[u8],
    options: &RunOptions,
    store: Option<&mut Memory>,
    controls: &Controls,
) -> Vec<Signal> {
    let mut got: Vec<Signal> = Vec::new();
    let mut clock = NoClock;
    let store = store.map(|m| -> &mut dyn CheckpointStore { m });
    let _ = run_observed(bytes, options, &mut clock, &mut got, store, controls);
    got
}

#[test]
fn every_signal_field_is_as_pinned() {
    let mut out = String::new();
    let none = Controls::default();
    let lax = RunOptions::default();
    push(
        &mut out,
        "passed",
        &observe(SAMPLE.as_bytes(), &lax, None, &none),
    );

    let mut store = Memory::default();
    let stop = Controls {
        fail_after: Some(Stage::GapDetection),
        ..Controls::default()
    };
    let got = observe(SAMPLE.as_bytes(), &lax, Some(&mut store), &stop);
    push(&mut out, "interrupted", &got);
    let resume = Controls {
        resume: true,
        ..Controls::default()
    };
    let got = observe(SAMPLE.as_bytes(), &lax, Some(&mut store), &resume);
    push(&mut out, "resumed", &got);

    let warned = SAMPLE.replacen("PROV_MESO_2_5c2e7b14", "", 1);
    let strict = RunOptions {
        strict: true,
        ..RunOptions::default()
    };
    push(
        &mut out,
        "strict",
        &observe(warned.as_bytes(), &strict, None, &none),
    );
    push(&mut out, "rejected", &observe(b"[NaN]", &lax, None, &none));

    let golden = golden::check("sample_signals.jsonl", &out);
    // The resumed run says which stages it restored.
    assert!(golden.contains("\"restored\":true"), "{golden}");
}
