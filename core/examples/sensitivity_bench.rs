//! How long a Monte Carlo of the sample takes natively (a measurement, not a test).
//!
//! `cargo run --release -p phase7-core --example sensitivity_bench [DRAWS] [REPEATS]`
//! prints the minimum and median wall time of `REPEATS` runs (default 10,000 draws, 21
//! runs), with the digest of the last one.

use std::time::Instant;

use phase7_core::{
    config::Config,
    read::bridge,
    sensitivity::{monte_carlo, Model, Params},
};

const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/p06_sample.json");

fn main() {
    let mut args = std::env::args().skip(1);
    let draws: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(21);
    let input = match bridge::read(SAMPLE, &Default::default()) {
        Ok(i) => i,
        Err(e) => return eprintln!("{e}"),
    };
    let model = match Model::from_input(&input, &Config::published()) {
        Ok(m) => m,
        Err(e) => return eprintln!("{e}"),
    };
    let params = Params {
        draws,
        ..Params::default()
    };
    let mut times = Vec::with_capacity(repeats);
    let mut digest = String::new();
    for _ in 0..repeats.max(1) {
        let start = Instant::now();
        match monte_carlo(&model, &params) {
            Ok(r) => digest = r.digest,
            Err(e) => return eprintln!("{e}"),
        }
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "draws {draws} ({} model evaluations), {} runs: min {:.2} ms, median {:.2} ms; digest {digest}",
        10 * draws,
        times.len(),
        times[0],
        times[times.len() / 2]
    );
}
