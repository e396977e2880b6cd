//! Per-plan cost of every entry point against the floor, over the 1,000 public vectors
//! (about 2.9 KB of Phase 6 JSON each: each line's `phase6` text as written, the same
//! bytes `bench/page.mjs` gives the npm package in Chromium). Each benchmark does all
//! 1,000 plans per iteration; `scripts/bench.sh` divides by 1,000 and prints the ratios
//! to `floor`.
//!
//! * `floor` — what no implementation can skip: a typed parse of the input (serde_json
//!   into structs with the Phase 6 fields) plus SHA-256 over exactly the bytes the
//!   certificate's digests cover (the canonical input, each cluster, the MacroScore,
//!   the INV-7.5 text, the two derived ids, every audit entry and both certificate
//!   bodies), prepared beforehand so that only the hashing is timed. The configuration
//!   digest is per process, not per plan, so it is left out.
//! * `run` — `phase::run` (parse, validate, stages twice for INV-7.5, digests, checks).
//! * `issue` — `run` then `Artifacts::issue`: the three files, byte for byte what
//!   `phase7 run` writes; `issue_files` — `Artifacts::issue` alone, on runs made before.
//! * `verify` — `verify::verify_certificate` on the issued certificate (a rerun and every
//!   comparison).
//! * `claim` — `claim::verify_claimed` on the MacroScore as the pipeline writes it.
//! * `batch_line` — what `phase7 batch --jsonl` does per line: read the line (with its
//!   `expected` sibling), evaluate, write the output line.

use phase7_core::attest::audit::AuditTrail;
use phase7_core::attest::certificate::UNREPRODUCED_FIELDS;
use phase7_core::attest::jcs::{self, Member, Zero};
use phase7_core::attest::Artifacts;
use phase7_core::phase::{self, RunOptions};
use phase7_core::read::bridge::{self, ReadLimits};
use phase7_core::read::json::{self, Json};
use phase7_core::stages::NoObserver;
use phase7_core::verify::{self, claim};
use serde::Deserialize;
use sha2::{Digest, Sha256};

const VECTORS: &str = include_str!("../../tests/fixtures/phase7_public.jsonl");

fn main() {
    divan::main();
}

/// One plan and everything prepared from it.
struct Plan {
    input: Vec<u8>,
    line: Vec<u8>,
    certificate: String,
    claimed: String,
    /// The bytes the certificate's digests cover.
    covered: Vec<Vec<u8>>,
}

fn jcs_json(v: &Json) -> Vec<u8> {
    let mut out = Vec::new();
    jcs::write_json(v, &mut out, Zero::Unsigned).unwrap();
    out
}

/// A vector line's `phase6` value as written: `{"phase6": <here>, "expected": …}`.
fn phase6_text(line: &str) -> &str {
    let start = "{\"phase6\": ".len();
    let end = line.rfind(", \"expected\": ").unwrap();
    &line[start..end]
}

fn plans() -> Vec<Plan> {
    VECTORS
        .lines()
        .map(|line| {
            let input = phase6_text(line).as_bytes().to_vec();
            let run = phase::run(&input, &RunOptions::default()).unwrap();
            let files = Artifacts::issue(&run, None).unwrap();
            let doc = run.input.document();
            let mut covered = vec![jcs_json(doc)];
            if let Json::Array(clusters) = doc {
                covered.extend(clusters.iter().map(jcs_json));
            }
            let m = &run.macro_score;
            covered.push(phase7_core::attest::digest::canonical(m).unwrap());
            covered.push(serde_json::to_vec(m).unwrap());
            let (i, c) = (&run.digests.input, &run.digests.config);
            covered.push(format!("phase7/evaluation_id\n{i}\n{c}").into_bytes());
            covered.push(format!("phase7/provenance_node_id\n{i}\n{c}").into_bytes());
            let trail: &AuditTrail = &files.audit_trail;
            for e in &trail.entries {
                let v = json::parse(serde_json::to_string(e).unwrap().as_bytes())
                    .unwrap()
                    .value;
                let mut out = Vec::new();
                let skip_hash = |k: &str| {
                    if k == "hash" {
                        Member::Skip
                    } else {
                        Member::Keep
                    }
                };
                jcs::write_json_edited(&v, &mut out, &skip_hash).unwrap();
                covered.push(out);
            }
            let cert = files.certificate.as_ref().unwrap();
            for body in [
                serde_json::to_value(&cert.phase6_to_phase7).unwrap(),
                serde_json::to_value(cert).unwrap(),
            ] {
                let mut out = Vec::new();
                jcs::write_skipping(&body, &mut out, &UNREPRODUCED_FIELDS).unwrap();
                covered.push(out);
            }
            Plan {
                line: line.as_bytes().to_vec(),
                input,
                certificate: files.certificate_json.clone().unwrap(),
                claimed: files.macro_score_json.clone().unwrap(),
                covered,
            }
        })
        .collect()
}

/// The Phase 6 fields, typed (what a minimal reader must produce).
#[derive(Deserialize)]
#[allow(dead_code)]
struct Cluster {
    cluster_id: String,
    cluster_name: Option<String>,
    areas: Vec<String>,
    score: f64,
    coherence: f64,
    variance: f64,
    weakest_area: Option<String>,
    area_scores: Option<Vec<AreaScore>>,
    validation_passed: Option<bool>,
    validation_details: Option<serde_json::Map<String, serde_json::Value>>,
    score_std: Option<f64>,
    confidence_interval_95: Option<[f64; 2]>,
    provenance_node_id: Option<String>,
    aggregation_method: Option<String>,
    dispersion_scenario: Option<String>,
    penalty_applied: Option<f64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct AreaScore {
    area_id: String,
    score: f64,
    quality_level: String,
}

#[divan::bench(sample_count = 30)]
fn floor(b: divan::Bencher) {
    let plans = plans();
    b.bench_local(|| {
        for p in &plans {
            let clusters: Vec<Cluster> = serde_json::from_slice(&p.input).unwrap();
            divan::black_box(clusters);
            for bytes in &p.covered {
                divan::black_box(Sha256::digest(bytes));
            }
        }
    });
}

#[divan::bench(sample_count = 30)]
fn run(b: divan::Bencher) {
    let plans = plans();
    b.bench_local(|| {
        for p in &plans {
            divan::black_box(phase::run(&p.input, &RunOptions::default()).unwrap());
        }
    });
}

#[divan::bench(sample_count = 30)]
fn issue(b: divan::Bencher) {
    let plans = plans();
    b.bench_local(|| {
        for p in &plans {
            let run = phase::run(&p.input, &RunOptions::default()).unwrap();
            divan::black_box(Artifacts::issue(&run, Some("2026-01-01T00:00:00Z")).unwrap());
        }
    });
}

/// `Artifacts::issue` alone, on runs made beforehand: the cost of the three files.
#[divan::bench(sample_count = 30)]
fn issue_files(b: divan::Bencher) {
    let runs: Vec<_> = plans()
        .iter()
        .map(|p| phase::run(&p.input, &RunOptions::default()).unwrap())
        .collect();
    b.bench_local(|| {
        for run in &runs {
            divan::black_box(Artifacts::issue(run, Some("2026-01-01T00:00:00Z")).unwrap());
        }
    });
}

#[divan::bench(sample_count = 20)]
fn verify(b: divan::Bencher) {
    let plans = plans();
    b.bench_local(|| {
        for p in &plans {
            let r = verify::verify_certificate(
                &p.input,
                p.certificate.as_bytes(),
                &RunOptions::default(),
            );
            assert!(r.verified);
        }
    });
}

#[divan::bench(sample_count = 20)]
fn claim(b: divan::Bencher) {
    let plans = plans();
    b.bench_local(|| {
        for p in &plans {
            let r = claim::verify_claimed(&p.input, p.claimed.as_bytes());
            assert!(r.ok);
        }
    });
}

#[divan::bench(sample_count = 30)]
fn batch_line(b: divan::Bencher) {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        macro_score: &'a phase7_core::MacroScore,
    }
    let plans = plans();
    let options = RunOptions::default();
    b.bench_local(|| {
        let mut out = Vec::with_capacity(4096);
        for p in &plans {
            let input = bridge::read_batch_line(&p.line, &ReadLimits::default()).unwrap();
            let run =
                phase::evaluate(input, &options, Default::default(), &mut NoObserver).unwrap();
            out.clear();
            serde_json::to_writer(
                &mut out,
                &Line {
                    macro_score: &run.macro_score,
                },
            )
            .unwrap();
            divan::black_box(&out);
        }
    });
}
