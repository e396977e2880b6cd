//! What one plan's parts cost against handing work to another thread — the numbers
//! behind "why not parallelism inside one plan" in docs/formats.md. A measurement, not a
//! test:
//!
//! ```sh
//! cargo run --release -p phase7-cli --example plan_handoff
//! ```
//!
//! Prints, per round: a whole `phase::run` on the sample; stages 2–7
//! (`stages::compute`); INV-7.5's second evaluation as `phase::evaluate_with` makes it
//! (stages 2–7, the MacroScore, its exact digest); a message to another thread and back
//! through a channel; starting and joining one scoped thread.

use std::hint::black_box;
use std::sync::mpsc;
use std::time::Instant;

use phase7_core::attest::digest;
use phase7_core::config::Config;
use phase7_core::phase::{self, RunOptions};
use phase7_core::read::bridge;
use phase7_core::stages::{self, NoObserver, Progress};

const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/p06_sample.json");

fn micros(start: Instant, n: usize) -> f64 {
    start.elapsed().as_secs_f64() * 1e6 / n as f64
}

fn main() {
    let options = RunOptions::default();
    let input = bridge::read(SAMPLE, &options.limits).expect("the sample is valid");
    let config = Config::published();
    let config_digest = config.digest().expect("the configuration digests");
    let n = 5000;
    for round in 1..=3 {
        let t = Instant::now();
        for _ in 0..n {
            black_box(phase::run(black_box(SAMPLE), &options).expect("the sample runs"));
        }
        let run = micros(t, n);

        let t = Instant::now();
        for _ in 0..n {
            let mut p = Progress::started("x");
            stages::compute(black_box(&input), &config, &mut p, &mut NoObserver)
                .expect("stages 2-7");
            black_box(p);
        }
        let compute = micros(t, n);

        let t = Instant::now();
        for _ in 0..n {
            let mut p = Progress::started("x");
            stages::compute(black_box(&input), &config, &mut p, &mut NoObserver)
                .expect("stages 2-7");
            let m = stages::finish(&input, &config, &p, &config_digest, None).expect("finish");
            black_box(digest::exact(&m).expect("digest"));
        }
        let second = micros(t, n);

        let (to, from_main) = mpsc::sync_channel::<usize>(1);
        let (back, from_worker) = mpsc::sync_channel::<usize>(1);
        let echo = std::thread::spawn(move || {
            while let Ok(v) = from_main.recv() {
                if back.send(v).is_err() {
                    break;
                }
            }
        });
        let t = Instant::now();
        for i in 0..n {
            to.send(i).expect("echo thread alive");
            black_box(from_worker.recv().expect("echo thread alive"));
        }
        let round_trip = micros(t, n);
        drop(to);
        echo.join().expect("echo thread ends");

        let m = n / 10;
        let t = Instant::now();
        for _ in 0..m {
            std::thread::scope(|s| {
                s.spawn(|| black_box(1));
            });
        }
        let spawn = micros(t, m);

        println!(
            "round {round}: phase::run {run:7.1} µs | stages 2-7 {compute:5.2} µs | \
             INV-7.5 second evaluation {second:5.2} µs | channel round trip {round_trip:5.1} µs | \
             scoped spawn+join {spawn:6.1} µs"
        );
    }
}
