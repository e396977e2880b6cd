//! The random stream of the Monte Carlo, specified to the bit.
//!
//! * Generator: `rand_chacha::ChaCha20Rng` (rand_chacha 0.9: the ChaCha20 block function
//!   with 20 rounds, a 64-bit block counter and stream 0), seeded with
//!   `SeedableRng::seed_from_u64(seed)` (rand_core 0.9: the 32-byte key filled from a
//!   PCG32 sequence started at `seed`). `next_u64` joins two consecutive 32-bit words,
//!   the first as the low half.
//! * Uniform: `u = (next_u64() >> 11) · 2^-53`, a multiple of 2^-53 in [0, 1) built from
//!   the top 53 bits (the conversion and the product are exact).
//! * Normal pair (Box–Muller): from `u₁`, `u₂` in that order,
//!   `r = sqrt(−2 · log(1 − u₁))`, `θ = 2π · u₂`, `(r · cos θ, r · sin θ)`, with
//!   `1 − u₁` in (0, 1] (exact), `2π` the f64 constant `TAU`, and `log`, `sqrt`, `cos`,
//!   `sin` from the pure-Rust `libm` crate, never the platform's math library.

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// 2^-53, exactly.
const TWO_POW_MINUS_53: f64 = 1.0 / 9_007_199_254_740_992.0;

/// The seeded stream.
#[derive(Clone, Debug)]
pub(crate) struct Stream {
    rng: ChaCha20Rng,
}

impl Stream {
    /// The stream of a seed.
    pub(crate) fn new(seed: u64) -> Stream {
        Stream {
            rng: ChaCha20Rng::seed_from_u64(seed),
        }
    }

    /// A uniform double in [0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * TWO_POW_MINUS_53
    }

    /// Two independent standard normals (Box–Muller).
    pub(crate) fn normal_pair(&mut self) -> (f64, f64) {
        let u1 = self.uniform();
        let u2 = self.uniform();
        let r = libm::sqrt(-2.0 * libm::log(1.0 - u1));
        let theta = std::f64::consts::TAU * u2;
        (r * libm::cos(theta), r * libm::sin(theta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_words_of_seed_1_are_pinned() {
        // `python3 scripts/sensitivity_reference.py` (its own ChaCha20 and PCG32 seeding)
        // printed these; a changed rand_chacha stream fails here before any golden file.
        let mut s = Stream::new(1);
        let words: Vec<u64> = (0..3).map(|_| s.rng.next_u64()).collect();
        assert_eq!(words, PINNED_SEED_1);
    }

    const PINNED_SEED_1: [u64; 3] = [
        11413071731502626714,
        2822430395410641094,
        10085176492196300606,
    ];

    #[test]
    fn uniforms_lie_in_the_unit_interval_and_seeds_differ() {
        let mut a = Stream::new(1);
        let mut b = Stream::new(2);
        let xs: Vec<f64> = (0..1000).map(|_| a.uniform()).collect();
        let ys: Vec<f64> = (0..1000).map(|_| b.uniform()).collect();
        assert!(xs.iter().all(|&u| (0.0..1.0).contains(&u)));
        assert!(xs.iter().all(|&u| (u / TWO_POW_MINUS_53).fract() == 0.0));
        assert_ne!(xs, ys);
        let mean = xs.iter().sum::<f64>() / 1000.0;
        // Mean of 1000 uniforms: sd 0.0091; 5 sd.
        assert!((mean - 0.5).abs() < 0.046, "{mean}");
    }

    #[test]
    fn normals_have_the_right_moments() {
        let mut s = Stream::new(7);
        let n = 20_000;
        let (mut sum, mut sq) = (0.0, 0.0);
        for _ in 0..n / 2 {
            let (a, b) = s.normal_pair();
            sum += a + b;
            sq += a * a + b * b;
        }
        let mean = sum / n as f64;
        let var = sq / n as f64 - mean * mean;
        // sd of the mean 0.0071, of the variance 0.01: 5 sd each.
        assert!(mean.abs() < 0.036, "{mean}");
        assert!((var - 1.0).abs() < 0.05, "{var}");
    }
}
