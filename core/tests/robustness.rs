//! Bad input never panics: thousands of deterministic mutations of the sample,
//! of a certificate and of a claimed output, through every entry point. Each result is
//! either a run or coded errors; a panic fails the test.

use phase7_core::attest::Artifacts;
use phase7_core::phase::{run, RunOptions};
use phase7_core::verify::{self, claim};

const SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/p06_sample.json");

/// xorshift64*: a fixed seed, so every run mutates the same way.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const ALPHABET: &[u8] = b"{}[]\",:0123456789.eE+-nulltruefalseNaNInfinity \\u\n\xff\xc3\xa9";

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let i = rng.below(v.len());
        match rng.below(6) {
            0 if !v.is_empty() => {
                let at = i.min(v.len() - 1);
                v[at] = ALPHABET[rng.below(ALPHABET.len())];
            }
            1 if !v.is_empty() => {
                v.remove(i.min(v.len() - 1));
            }
            2 => v.insert(i, ALPHABET[rng.below(ALPHABET.len())]),
            3 => v.truncate(i),
            4 => {
                let j = (i + rng.below(64)).min(v.len());
                let chunk = v[i..j].to_vec();
                v.splice(i..i, chunk);
            }
            _ => {
                // Replace a number-looking byte run with an extreme value.
                let extremes: [&[u8]; 6] = [
                    b"1e400",
                    b"-0.0",
                    b"3.0000000000000004",
                    b"NaN",
                    b"-1",
                    b"5e-324",
                ];
                let e = extremes[rng.below(extremes.len())];
                let j = (i + 3).min(v.len());
                v.splice(i..j, e.iter().copied());
            }
        }
    }
    v
}

#[test]
fn mutated_inputs_give_a_run_or_coded_errors() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut rejected) = (0, 0);
    for _ in 0..10_000 {
        let input = mutate(&mut rng, SAMPLE);
        match run(&input, &RunOptions::default()) {
            Ok(r) => {
                ok += 1;
                assert!(r.macro_score.score.is_finite());
            }
            Err(e) => {
                rejected += 1;
                let d = e.diagnostics();
                assert!(!d.is_empty());
                assert!(d
                    .iter()
                    .all(|d| !d.code.is_empty() && !d.message.is_empty()));
            }
        }
    }
    // Both paths are exercised.
    assert!(ok > 50 && rejected > 500, "ok {ok}, rejected {rejected}");
}

#[test]
fn mutated_certificates_and_claims_never_verify_by_accident_or_panic() {
    let run = run(SAMPLE, &RunOptions::default()).unwrap();
    let (cert, _trail) = Artifacts::issue(&run, None)
        .map(|a| (a.certificate_json.unwrap_or_default(), a.audit_trail_json))
        .unwrap();
    let claimed = run.macro_score.to_json_pretty().unwrap();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..500 {
        let bad_cert = mutate(&mut rng, cert.as_bytes());
        let report = verify::verify_certificate(SAMPLE, &bad_cert, &RunOptions::default());
        if report.verified {
            // Only a mutation that changed no meaning may still verify.
            let a = phase7_core::read::json::parse(&bad_cert).map(|d| d.value);
            let b = phase7_core::read::json::parse(cert.as_bytes()).map(|d| d.value);
            assert_eq!(a.ok(), b.ok(), "a changed certificate verified");
        }
        let bad_claim = mutate(&mut rng, claimed.as_bytes());
        let _ = claim::verify_claimed(SAMPLE, &bad_claim);
        let bad_input = mutate(&mut rng, SAMPLE);
        let _ = verify::verify_certificate(&bad_input, cert.as_bytes(), &RunOptions::default());
        let _ = claim::verify_claimed(&bad_input, claimed.as_bytes());
    }
}
