#!/usr/bin/env python3
"""Check of `math::exp_of_madd` (src/math/elementary.rs; issue 17, seventh step): its fused
arithmetic emulated exactly in double precision, against mpmath at 40 digits.

The function returns x = fma(m, v, a) and e^x, forming the table index from v directly
(fma(m*N/ln2, v, fma(a, N/ln2, 1.5*2^52))), so the index may be one off the nearest and
|r| <= ln2/128; a degree-6 polynomial by Estrin's scheme; the table's low part as lo/hi in the
polynomial's linear term; one final fma(hi, p, hi). Each fused multiply-add is emulated exactly
(the exact rational a*b + c, rounded once to the nearest double by Python's correctly rounded
int/int division); every other operation is a Python float operation (IEEE double). The
tables are those of tools/gen_elementary_tables.py (imported).

Points: 60,000 random (m, v, a) whose x covers [-700, 700] (uniform and log-spaced
magnitudes) and a dense part of [-20, 2], with v in EGARCH's range of e^x and m of both signs,
plus the k = round(...) +- 1 boundaries; reports the largest error in ulps of the correctly
rounded e^x and how often the index is one off the nearest.

Packages (exact versions)
    Python 3.11, mpmath==1.3.0

Run (from the repository root; about a minute)
    python3 tools/check_exp_of_madd.py
"""
import math
import os
import random
import sys
from fractions import Fraction

import mpmath

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_elementary_tables as t  # noqa: E402  (tables only; its main does not run)

mpmath.mp.dps = 40
RATIO = [lo / hi for lo, hi in zip(t.EXP_LO, t.EXP_HI)]


def fma(a, b, c):
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def exp_of_madd(m, v, a):
    x = fma(m, v, a)
    shifted = fma(m * t.N_OVER_LN2, v, fma(a, t.N_OVER_LN2, t.SHIFT))
    kf = shifted - t.SHIFT
    k = t.bits(shifted) - t.bits(t.SHIFT)
    r = fma(-kf, t.LN2_N_LO, fma(-kf, t.LN2_N_HI, x))
    j = k & (t.N - 1)
    r2 = r * r
    r4 = r2 * r2
    low = fma(r, 1.0 / 6.0, 0.5)
    high = fma(r2, 1.0 / 720.0, fma(r, 1.0 / 120.0, 1.0 / 24.0))
    p = fma(r4, high, fma(r2, low, r + RATIO[j]))
    scale = t.from_bits(((k >> 7) + 1023) << 52)
    hi = t.EXP_HI[j] * scale
    return x, fma(hi, p, hi), k


def main():
    rng = random.Random(20261204)
    pts = []
    for _ in range(30000):
        x = rng.uniform(-20.0, 2.0) if rng.random() < 0.5 else rng.uniform(-700.0, 700.0)
        pts.append(x)
    for _ in range(20000):
        pts.append(rng.choice([-1, 1]) * math.exp(rng.uniform(-40, math.log(700))))
    worst, off, n = 0.0, 0, 0
    for x in pts:
        # Split x into m*v + a as EGARCH forms it: v = e^(previous x) in [e^-5, e^5], m of
        # either sign, a the rest.
        v = math.exp(rng.uniform(-5.0, 5.0))
        m = rng.uniform(-0.5, 0.5)
        a = x - m * v
        xr, e, k = exp_of_madd(m, v, a)
        want = mpmath.exp(mpmath.mpf(xr))
        worst = max(worst, t.ulps(e, want))
        off += k != round(xr * float(t.N) / math.log(2))
        n += 1
    # Near the midpoints between indices (k chosen either way).
    h = math.log(2) / t.N
    for i in range(-2000, 2000):
        for d in (-1e-13, 0.0, 1e-13):
            xr0 = (i + 0.5) * h + d
            m, v = 0.3, 1.7
            xr, e, k = exp_of_madd(m, v, xr0 - m * v)
            worst = max(worst, t.ulps(e, mpmath.exp(mpmath.mpf(xr))))
            n += 1
    print(f"exp_of_madd: worst {worst:.3f} ulps over {n} points; index one off the nearest at {off} of the random points")


if __name__ == "__main__":
    main()
