//! Helpers for the crate's unit tests.

/// A xorshift64 generator from a nonzero seed: cheap, reproducible pseudo-random bits
/// for generated test cases (not for anything the crate computes; the sensitivity
/// analysis uses ChaCha20).
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// `x · 2^1074` as an exact big integer, sign included (every finite f64 is an integer
/// multiple of 2^-1074): the general big-integer references the fixed-size arithmetic
/// of `stages::pymath` and `verify::attribution` is tested against start here.
pub(crate) fn scaled(x: f64) -> num_bigint::BigInt {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7FF) as u32;
    let frac = bits & ((1u64 << 52) - 1);
    // value = mant · 2^(shift − 1074)
    let (mant, shift) = if exp == 0 {
        (frac, 0)
    } else {
        (frac | (1u64 << 52), exp - 1)
    };
    let magnitude = num_bigint::BigInt::from(mant) << shift;
    if bits >> 63 == 1 {
        -magnitude
    } else {
        magnitude
    }
}
