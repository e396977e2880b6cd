//! The crate's one sort routine.
//!
//! Every sort in the crate goes through [`pairs`], so that in the wasm builds the standard
//! library's sort is instantiated once. Each further instantiation (a quicksort, its
//! partitions, a heapsort fallback and small-sort networks) costs about 1 KB of the
//! gzipped npm wasm (issue 9, "Sizes"). Natively the comparison is inlined as usual.

use std::cmp::Ordering;

/// One sort key: a number that decides most comparisons, and an index (the member, the
/// draw) that lets `cmp` break ties.
pub(crate) type Keyed = (u64, usize);

/// Sorts `v` by `cmp` (not stable).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn pairs(v: &mut [Keyed], cmp: impl Fn(&Keyed, &Keyed) -> Ordering) {
    v.sort_unstable_by(cmp);
}

/// Sorts `v` by `cmp` (not stable): one instantiation, whatever the comparison.
#[cfg(target_arch = "wasm32")]
pub(crate) fn pairs(v: &mut [Keyed], cmp: impl Fn(&Keyed, &Keyed) -> Ordering) {
    fn one(v: &mut [Keyed], cmp: &dyn Fn(&Keyed, &Keyed) -> Ordering) {
        v.sort_unstable_by(|a, b| cmp(a, b));
    }
    one(v, &cmp);
}

/// Sorts floats in [`f64::total_cmp`] order (−NaN, −∞, …, −0, +0, …, +∞, +NaN): each is
/// keyed by an integer in the same order, sorted by [`pairs`], and read back. The keys
/// take 16 bytes a float while the sort runs (an in-place float sort would be a second
/// instantiation in the wasm): 16 MB for the Monte Carlo's largest run of a million
/// draws, which frees its B sample first.
pub(crate) fn floats(v: &mut [f64]) {
    let mut keyed: Vec<Keyed> = v.iter().map(|&x| (total_key(x), 0)).collect();
    pairs(&mut keyed, |a, b| a.0.cmp(&b.0));
    for (x, &(k, _)) in v.iter_mut().zip(&keyed) {
        *x = from_total_key(k);
    }
}

/// An integer whose order is [`f64::total_cmp`]'s: a negative number's bits inverted
/// (a larger magnitude sorts lower), a positive one's with the sign bit set (above every
/// negative).
fn total_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The float of a [`total_key`].
fn from_total_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_sort_as_total_cmp_sorts_them_bit_for_bit() {
        let mut next = crate::testing::xorshift(0xD1B5_4A32_D192_ED03);
        let special = [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MIN_POSITIVE,
            -5e-324,
            5e-324,
            f64::MAX,
            f64::MIN,
        ];
        for n in [0, 1, 2, 3, 20, 1_000] {
            let mut v: Vec<f64> = (0..n)
                .map(|i| match next() % 3 {
                    0 => special[i % special.len()],
                    1 => f64::from_bits(next()),
                    _ => (next() % 7) as f64 - 3.0,
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by(f64::total_cmp);
            floats(&mut v);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&v), bits(&expected), "{n} floats");
        }
    }

    /// Adversarial layouts (sorted, reversed, all equal, sawtooth, organ pipe) of the
    /// values total_cmp tells apart only by bits: NaN payloads of both signs, zeros of
    /// both signs, subnormals and their neighbours.
    #[test]
    fn floats_sort_as_total_cmp_on_adversarial_layouts() {
        let mut pool: Vec<f64> = vec![0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY];
        for payload in [
            1u64,
            2,
            0x8_0000_0000_0000,
            0xf_ffff_ffff_ffff,
            0x7_ffff_ffff_ffff,
        ] {
            pool.push(f64::from_bits(0x7ff0_0000_0000_0000 | payload));
            pool.push(f64::from_bits(0xfff0_0000_0000_0000 | payload));
        }
        for bits in [
            1u64,
            2,
            0xf_ffff_ffff_ffff,
            0x10_0000_0000_0000,
            0x7fef_ffff_ffff_ffff,
        ] {
            pool.push(f64::from_bits(bits));
            pool.push(-f64::from_bits(bits));
        }
        pool.extend([1.0, -1.0, 1.0 + f64::EPSILON, 1.0 - f64::EPSILON / 2.0]);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let check = |v: Vec<f64>| {
            let mut expected = v.clone();
            expected.sort_by(f64::total_cmp);
            let mut ours = v;
            floats(&mut ours);
            assert_eq!(bits(&ours), bits(&expected));
        };
        for n in [2usize, 17, 33, 64, 257, 4_096] {
            let cycled: Vec<f64> = pool.iter().copied().cycle().take(n).collect();
            let mut sorted = cycled.clone();
            sorted.sort_by(f64::total_cmp);
            let reversed: Vec<f64> = sorted.iter().rev().copied().collect();
            let organ: Vec<f64> = sorted
                .iter()
                .step_by(2)
                .chain(reversed.iter().step_by(2))
                .copied()
                .collect();
            check(cycled);
            check(sorted);
            check(reversed);
            check(organ);
            for &x in &pool {
                check(vec![x; n]);
                check((0..n).map(|i| if i % 3 == 0 { x } else { -x }).collect());
            }
        }
    }
}
