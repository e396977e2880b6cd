#!/usr/bin/env python3
"""An independent reference for the sensitivity analysis (docs/sensitivity.md).

Written from the specification, not from the Rust code: rand_core 0.9's seed_from_u64
(PCG32 key expansion), the ChaCha20 block function (64-bit counter, stream 0), uniforms
from the top 53 bits, Box-Muller, and the model of one draw. Prints, for the sample and
seed 1, the first three 64-bit words, the first draw of sample A, and the analytic band
probabilities. core/src/sensitivity tests pin the same numbers (the words and uniforms
bit for bit; the normals, which go through Python's math library instead of the libm
crate, within 1e-15).

    python3 scripts/sensitivity_reference.py
"""
import json
import math
import struct
import sys
from pathlib import Path

MASK64 = 2**64 - 1


def pcg32_key(seed):
    out = b""
    state = seed
    for _ in range(8):
        state = (state * 6364136223846793005 + 11634580027462260723) & MASK64
        xorshifted = (((state >> 18) ^ state) >> 27) & 0xFFFFFFFF
        rot = state >> 59
        out += struct.pack("<I", ((xorshifted >> rot) | (xorshifted << ((32 - rot) & 31))) & 0xFFFFFFFF)
    return out


def rotl(v, c):
    return ((v << c) & 0xFFFFFFFF) | (v >> (32 - c))


def quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 7)


def chacha20_block(key, counter):
    state = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    state += list(struct.unpack("<8I", key)) + [counter & 0xFFFFFFFF, counter >> 32, 0, 0]
    w = state[:]
    for _ in range(10):
        quarter(w, 0, 4, 8, 12); quarter(w, 1, 5, 9, 13); quarter(w, 2, 6, 10, 14); quarter(w, 3, 7, 11, 15)
        quarter(w, 0, 5, 10, 15); quarter(w, 1, 6, 11, 12); quarter(w, 2, 7, 8, 13); quarter(w, 3, 4, 9, 14)
    return [(w[i] + state[i]) & 0xFFFFFFFF for i in range(16)]


class Stream:
    def __init__(self, seed):
        self.key = pcg32_key(seed)
        self.counter = 0
        self.words = []

    def next_u64(self):
        while len(self.words) < 2:
            self.words += chacha20_block(self.key, self.counter)
            self.counter += 1
        lo, hi = self.words.pop(0), self.words.pop(0)
        return (hi << 32) | lo

    def uniform(self):
        return (self.next_u64() >> 11) * 2.0**-53

    def normal_pair(self):
        u1, u2 = self.uniform(), self.uniform()
        r = math.sqrt(-2.0 * math.log(1.0 - u1))
        theta = 2.0 * math.pi * u2
        return r * math.cos(theta), r * math.sin(theta)


def psum(xs):
    """CPython >= 3.12 sum() of floats (this script may run on 3.11)."""
    f, c = 0.0 + xs[0], 0.0
    for x in xs[1:]:
        t = f + x
        c += (f - t) + x if abs(f) >= abs(x) else (x - t) + f
        f = t
    return f + c if c != 0 and math.isfinite(c) else f


def main():
    sample = Path(__file__).resolve().parent.parent / "tests/fixtures/p06_sample.json"
    doc = json.loads(sample.read_text())
    clusters = doc if isinstance(doc, list) else doc["cluster_scores"]
    s = [c["score"] for c in clusters]
    sd = [c.get("score_std", 0.0) for c in clusters]
    w = [0.25] * 4
    r = 0.25

    words = Stream(1)
    print("words", [words.next_u64() for _ in range(3)])

    st = Stream(1)
    factors = [(1.0 - r) + (2.0 * r) * st.uniform() for _ in range(4)]
    z = [*st.normal_pair(), *st.normal_pair()]
    scores = [min(3.0, max(0.0, s[i] + sd[i] * z[i])) for i in range(4)]
    wp = [w[i] * factors[i] for i in range(4)]
    total = psum(wp)
    raw = psum([(wp[i] / total) * scores[i] for i in range(4)])
    print("first draw of A: factors", factors)
    print("                 normals", z)
    print("                 scores ", scores)
    print("                 raw    ", raw)

    mu = psum([w[i] * s[i] for i in range(4)])
    sigma = math.sqrt(psum([(w[i] * w[i]) * (sd[i] * sd[i]) for i in range(4)]))
    lower = lambda x: math.erfc((mu - x) / (sigma * math.sqrt(2.0))) / 2
    upper = lambda x: math.erfc((x - mu) / (sigma * math.sqrt(2.0))) / 2
    b = [0.55 * 3.0, 0.70 * 3.0, 0.85 * 3.0]
    between = lambda lo, hi: upper(lo) - upper(hi) if lo >= mu else lower(hi) - lower(lo)
    print("center", mu, "score_std", sigma)
    print("P(INSUFICIENTE)", lower(b[0]), "P(ACEPTABLE)", between(b[0], b[1]),
          "P(BUENO)", between(b[1], b[2]), "P(EXCELENTE)", upper(b[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
