#!/usr/bin/env python3
"""Tables of the scalar central price's inline exponential and logarithm
(`math::exp_in_range`, `math::ln_normal_plus`, src/math/elementary.rs), and a check of both
algorithms, emulated in double precision, against mpmath.

Tables (N = 128)
    exp: T[j] = 2^(j/N) as a double pair hi + lo (hi = 2^(j/N) rounded to nearest, lo the
         rounded remainder), j = 0..N-1.
    ln:  c_j = 1 + j/N (exact).  INV_C[j] = 1/c_j rounded to nearest; LN_C[j] = ln(c_j) as hi + lo (hi a multiple of 2^-42),
         and for c_j > sqrt(2) (the table's upper part) ln(c_j/2) instead, the algorithm then
         adding one to the binary exponent, so that no sum k*ln2 + ln(c) cancels.

Check
    The script evaluates exactly the Rust arithmetic (Python floats are IEEE doubles; no fused
    multiply-add is used) at 200,001 points per function, and reports the largest error in ulps
    of the correctly rounded result, computed with mpmath at 40 digits:
      exp on [-700, 700] (log-spaced magnitudes and a dense grid of [-20, 2]),
      ln on positive normal doubles (log-spaced over the whole range and a dense grid of
      [0.5, 2]).

Packages (exact versions)
    Python 3.11, mpmath==1.3.0

Run (from the repository root; about a minute)
    python3 tools/gen_elementary_tables.py            # writes src/math/elementary_tables.rs
    python3 tools/gen_elementary_tables.py --check    # the check only
"""
import math
import random
import struct
import sys

import mpmath

mpmath.mp.dps = 40
N = 128


def dbl(x):
    return float(mpmath.mpf(x))


def bits(x):
    return struct.unpack("<q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<q", b))[0]


# ---- tables -------------------------------------------------------------------------------
EXP_HI, EXP_LO = [], []
for j in range(N):
    t = mpmath.power(2, mpmath.mpf(j) / N)
    hi = dbl(t)
    EXP_HI.append(hi)
    EXP_LO.append(dbl(t - hi))

SPLIT = 53  # c_j >= 1 + 53/128 > sqrt(2): use ln(c_j / 2) and k + 1
INV_C, LN_HI, LN_LO = [], [], []
for j in range(N):
    c = mpmath.mpf(1) + mpmath.mpf(j) / N
    INV_C.append(dbl(1 / c))
    l = mpmath.log(c / 2) if j >= SPLIT else mpmath.log(c)
    hi = float(mpmath.nint(l * 2**42) / 2**42)  # a multiple of 2^-42: k*LN2_HI + hi is exact
    LN_HI.append(hi)
    LN_LO.append(dbl(l - hi))

# ln 2 / N split so that k * LN2_N_HI is exact for |k| < 2^18 (|x| <= 745 gives |k| < 2^17).
LN2 = mpmath.log(2)
LN2_N_HI = float(mpmath.floor(LN2 / N * 2**42) / 2**42)  # 35 significant bits
LN2_N_LO = dbl(LN2 / N - mpmath.mpf(LN2_N_HI))
LN2_HI = float(mpmath.floor(LN2 * 2**42) / 2**42)  # k * LN2_HI exact for |k| < 2^11
LN2_LO = dbl(LN2 - mpmath.mpf(LN2_HI))
N_OVER_LN2 = dbl(N / LN2)
SHIFT = 6755399441055744.0  # 1.5 * 2^52: x + SHIFT rounds x to an integer in the low bits


# ---- the Rust arithmetic, in doubles ------------------------------------------------------
def exp_in_range(x):
    shifted = x * N_OVER_LN2 + SHIFT
    kf = shifted - SHIFT
    k = bits(shifted) - bits(SHIFT)  # the integer, exact for |k| < 2^51
    r = -kf * LN2_N_LO + (-kf * LN2_N_HI + x)
    r2 = r * r
    # e^r - 1 = r + r^2/2 + r^3/6 + r^4/24 + r^5/120 (|r| <= ln2/256: truncation < 6e-19)
    low = r * (1.0 / 6.0) + 0.5
    high = r * (1.0 / 120.0) + 1.0 / 24.0
    p = r2 * (r2 * high + low) + r
    j = k & (N - 1)
    scale = from_bits(((k >> 7) + 1023) << 52)
    hi, lo = EXP_HI[j] * scale, EXP_LO[j] * scale
    return hi + (hi * p + lo)


def ln_normal_plus(a, extra=0.0):
    b = bits(a)
    t = b + (1 << 44)  # round the mantissa to the nearest 1/128
    k = (t >> 52) - 1023
    j = (t >> 45) & (N - 1)
    m = from_bits(b - (k << 52))  # a / 2^k, in [1 - 1/256, 2 - 1/256)
    c = 1.0 + j * (1.0 / N)
    r = (m - c) * INV_C[j]  # m - c is exact
    kk = float(k + (1 if j >= SPLIT else 0))
    hi = kk * LN2_HI + LN_HI[j]  # exact: both are multiples of 2^-42 below 2^10
    s = hi + r
    err = (hi - s) + r  # exact (Fast2Sum: |hi| >= |r| or hi = 0)
    low = ((kk * LN2_LO + LN_LO[j]) + err) + extra
    # ln(1 + r) - r = -r^2/2 + r^3/3 - ... + r^7/7 (|r| <= 1/256: truncation < 2e-18 relative),
    # by Estrin's scheme
    r2 = r * r
    r4 = r2 * r2
    first = r * (1.0 / 3.0) + -0.5
    second = r * 0.2 + -0.25
    third = r * (1.0 / 7.0) + -1.0 / 6.0
    series = r4 * third + (r2 * second + first)
    return s + (r2 * series + low)


def ulps(got, want):
    w = float(want)
    u = math.ulp(w)
    return float(abs(mpmath.mpf(got) - want) / u)


def check():
    rng = random.Random(20261204)
    worst = 0.0
    xs = [rng.uniform(-20.0, 2.0) for _ in range(150000)]
    xs += [rng.choice([-1, 1]) * math.exp(rng.uniform(-40, math.log(700))) for _ in range(50000)]
    xs += [0.0, -0.5 * math.log(2) / N, 0.5 * math.log(2) / N, 1.0, -16.0, -17.0]
    for x in xs:
        e = ulps(exp_in_range(x), mpmath.exp(mpmath.mpf(x)))
        worst = max(worst, e)
    print(f"exp_in_range: worst {worst:.3f} ulps over {len(xs)} points")
    worst_ln = 0.0
    ys = [rng.uniform(0.5, 2.0) for _ in range(150000)]
    ys += [math.exp(rng.uniform(-700, 700)) for _ in range(50000)]
    ys += [1.0, 2.0, 0.5, math.nextafter(1.0, 0), math.nextafter(1.0, 2), 1.0 + 1e-12, 1.0 - 1e-12,
           2.2250738585072014e-308, 1.7976931348623157e308, math.sqrt(2), 1 + 53 / 128, 1 + 52.5 / 128]
    for y in ys:
        want = mpmath.log(mpmath.mpf(y))
        if want == 0:
            assert ln_normal_plus(y) == 0.0
            continue
        worst_ln = max(worst_ln, ulps(ln_normal_plus(y), want))
    print(f"ln_normal_plus: worst {worst_ln:.3f} ulps over {len(ys)} points")


def emit():
    def arr(name, vals, doc):
        body = "\n".join(f"    {v!r}," for v in vals)
        return f"/// {doc}\npub(crate) const {name}: [f64; {N}] = [\n{body}\n];\n"

    out = [
        "//! Tables of the inline exponential and logarithm (`elementary.rs`), generated by\n"
        "//! tools/gen_elementary_tables.py (mpmath 1.3.0, 40 digits): do not edit by hand.\n"
        "// 2^(64/128) is √2 (and other entries may round to named constants): keep the table literal.\n"
        "#![allow(clippy::approx_constant)]\n",
        f"/// ln 2 / 128, high part (35 significant bits: k·hi is exact for |k| < 2¹⁸).\n"
        f"pub(crate) const LN2_N_HI: f64 = {LN2_N_HI!r};\n",
        f"/// ln 2 / 128 − [`LN2_N_HI`], rounded.\npub(crate) const LN2_N_LO: f64 = {LN2_N_LO!r};\n",
        f"/// ln 2, high part (k·hi is exact for |k| < 2¹¹).\npub(crate) const LN2_HI: f64 = {LN2_HI!r};\n",
        f"/// ln 2 − [`LN2_HI`], rounded.\npub(crate) const LN2_LO: f64 = {LN2_LO!r};\n",
        f"/// 128 / ln 2, rounded.\npub(crate) const N_OVER_LN2: f64 = {N_OVER_LN2!r};\n",
        arr("EXP_HI", EXP_HI, "2^(j/128), rounded to nearest."),
        arr("EXP_LO", EXP_LO, "2^(j/128) − EXP_HI[j], rounded."),
        arr("INV_C", INV_C, "1/c_j for c_j = 1 + j/128, rounded to nearest."),
        arr("LN_C_HI", LN_HI, "ln(c_j), or ln(c_j/2) for j ≥ 53 (c_j > √2), rounded to a multiple of 2⁻⁴²."),
        arr("LN_C_LO", LN_LO, "The remainder of [`LN_C_HI`], rounded."),
    ]
    with open("src/math/elementary_tables.rs", "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    if "--check" not in sys.argv:
        emit()
    check()
