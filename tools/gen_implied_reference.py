#!/usr/bin/env python3
"""Reference fixture for implied volatility: exact prices, rounded to doubles, and the exact
implied volatility of each rounded price.

Purpose
    For each case, inputs (kind, F, K, T, sigma) are exact IEEE doubles. The undiscounted Black
    price is computed at 50 digits from those exact inputs and rounded to the nearest double P.
    The reference volatility `sigma_star` is then the exact (50-digit) implied volatility of the
    *rounded* price P, so a solver is judged on its own error, not on the information the
    rounding of P destroyed. `sigma` (the generating volatility) is kept for information.
    `cond` = |P + |F-K|| / (sigma* . sqrt(T) . dB/ds) is the relative sensitivity of sigma* to a
    relative perturbation of the price and its intrinsic value: eps.cond is the accuracy double
    precision can attain for in-the-money quotes (where P - intrinsic loses bits).

Packages (exact versions)
    Python 3.11, mpmath==1.3.0

Regenerate (from the repository root)
    python3 tools/gen_implied_reference.py   -> tests/data/implied_reference.json
                                                 tests/data/implied_extreme.json

The second file (issue 12) holds extreme log-moneyness, 165 <= |ln(F/K)| <= 740, around the
inflection point s_c = sqrt(2|x|) where the solver once stopped at its step cap with a wrong
sigma (F = 1, K = e^200, s = 20 gave 25.95). Same construction: exact double inputs, price
rounded to a double, sigma_star the exact implied volatility of the rounded price.

Deterministic: random.Random(4) draws plus fixed extreme cases.
"""
import json
import math
import os
import random

import mpmath
from mpmath import mp, mpf

assert mpmath.__version__ == "1.3.0"
mp.dps = 50
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                   "implied_reference.json")
OUT_EXTREME = os.path.join(os.path.dirname(OUT), "implied_extreme.json")


def black(theta, F, K, s):
    """Undiscounted Black price at total volatility s (all mpf)."""
    if s == 0:
        return max(theta * (F - K), mpf(0))
    d1 = mp.log(F / K) / s + s / 2
    d2 = d1 - s
    return theta * (F * mp.ncdf(theta * d1) - K * mp.ncdf(theta * d2))


def vega(F, K, s):
    d1 = mp.log(F / K) / s + s / 2
    return F * mp.npdf(d1)


def implied(theta, F, K, price, s0):
    """Total volatility with black(s) = price, by Newton on ln(price) from s0 at 50 digits."""
    s = mpf(s0)
    target = mp.log(price)
    for _ in range(200):
        b = black(theta, F, K, s)
        step = (mp.log(b) - target) * b / vega(F, K, s)
        s_new = s - step
        if s_new <= 0:
            s_new = s / 2
        if abs(s_new - s) <= abs(s) * mpf(10) ** -45:
            return s_new
        s = s_new
    raise RuntimeError((theta, F, K, price, s0))


def implied_bisect(theta, F, K, price, s0):
    """Total volatility with black(s) = price by bisection at 50 digits (no slope needed, so it
    works where the price is saturated at its bound and Newton on ln(price) crawls)."""
    lo, hi = mpf(s0) / 4, mpf(s0) * 4
    assert black(theta, F, K, lo) < price < black(theta, F, K, hi), (theta, F, K, price, s0, black(theta, F, K, hi))
    for _ in range(400):
        mid = (lo + hi) / 2
        if black(theta, F, K, mid) < price:
            lo = mid
        else:
            hi = mid
        if hi - lo <= hi * mpf(10) ** -45:
            break
    return (lo + hi) / 2


def case(theta, F, K, T, sigma, tag, solver=None):
    Fm, Km, Tm, sm = mpf(F), mpf(K), mpf(T), mpf(sigma)
    s = sm * mp.sqrt(Tm)
    p_exact = black(theta, Fm, Km, s)
    p = float(p_exact)
    if not (p > 0.0 and math.isfinite(p)) or p >= (F if theta > 0 else K):
        return None
    intrinsic = max(theta * (Fm - Km), mpf(0))
    if mpf(p) <= intrinsic:
        return None
    # Solve on the out-of-the-money option with the same strike (exact parity in mpmath).
    otm_theta = -theta if intrinsic > 0 else theta
    s_star = (solver or implied)(otm_theta, Fm, Km, mpf(p) - intrinsic, s)
    sigma_star = s_star / mp.sqrt(Tm)
    v = vega(Fm, Km, s_star)
    cond = (mpf(p) + abs(Fm - Km)) / (s_star * v)
    return {"kind": "call" if theta > 0 else "put", "forward": F, "strike": K, "expiry": T,
            "price": p, "sigma": sigma, "sigma_star": float(sigma_star), "cond": float(cond),
            "tag": tag}


def main():
    rng = random.Random(4)
    cases = []
    # The bar's region: |ln(F/K)| <= 8 s, s = sigma sqrt(T) in [3e-4, 4], calls and puts, in
    # and out of the money.
    while len(cases) < 700:
        s = 10 ** rng.uniform(math.log10(3e-4), math.log10(4.0))
        T = 10 ** rng.uniform(math.log10(1 / 365), math.log10(5.0))
        sigma = s / math.sqrt(T)
        z = rng.uniform(-8.0, 8.0)
        F = rng.choice([1.0, 100.0, 3000.0, 88530.23])
        K = F * math.exp(-z * s)
        theta = rng.choice([1, -1])
        c = case(theta, F, K, T, sigma, "grid")
        if c is not None:
            cases.append(c)
    # Extremes: at the forward, tiny prices down to 1e-300 of F, very large total volatility.
    for theta in (1, -1):
        for s in (3e-4, 0.01, 0.2, 1.0, 4.0, 8.0, 10.0):
            cases.append(case(theta, 100.0, 100.0, 1.0, s, "atm"))
        for s in (1e-3, 0.01, 0.05, 0.2, 1.0):
            for z in (12.0, 20.0, 30.0, 36.0):
                K = 100.0 * math.exp(theta * z * s)  # out of the money for this kind
                c = case(theta, 100.0, K, 1.0, s, "deep_otm")
                if c is not None:
                    cases.append(c)
        for s in (5.0, 6.0, 8.0, 10.0):
            for z in (-1.0, 0.5, 2.0):
                c = case(theta, 100.0, 100.0 * math.exp(-z * s), 1.0, s, "high_vol")
                if c is not None:
                    cases.append(c)
    cases = [c for c in cases if c is not None]
    smallest = min(c["price"] / c["forward"] for c in cases)
    with open(OUT, "w") as f:
        f.write('{"generator":"tools/gen_implied_reference.py","mpmath":"1.3.0","dps":50,\n')
        f.write('"cases":[\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print(f"{len(cases)} cases, smallest price/F {smallest:.3e}, {os.path.getsize(OUT)} bytes")


def extreme():
    """Issue 12: |ln(F/K)| from 165 to 740, s around the inflection point s_c = sqrt(2|x|)."""
    cases = []
    for x in (165.0, 200.0, 250.0, 300.0, 400.0, 500.0, 600.0, 700.0, 740.0):
        s_c = math.sqrt(2.0 * x)
        for ratio in (0.25, 0.5, 0.8, 0.9, 0.97, 1.0, 1.03, 1.1, 1.25):
            s = s_c * ratio
            big = float(mp.exp(mpf(x)))
            # Out of the money only: in the money at this moneyness the time value is far below
            # an ulp of the price, and the rounded price says nothing about sigma.
            for theta, F, K in ((1, 1.0, big), (-1, big, 1.0)):
                c = case(theta, F, K, 1.0, s, "extreme", implied_bisect)
                if c is not None:
                    # cond overflows a double this far out; JSON has no Infinity.
                    if not math.isfinite(c["cond"]):
                        c["cond"] = None
                    cases.append(c)
    # The input of the report: F = 1, K = e^200, s = 20 (exactly s_c).
    cases.append(case(1, 1.0, float(mp.exp(200)), 1.0, 20.0, "issue12", implied_bisect))
    with open(OUT_EXTREME, "w") as f:
        f.write('{"generator":"tools/gen_implied_reference.py (extreme)","mpmath":"1.3.0",'
                '"dps":50,\n"cases":[\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print(f"{len(cases)} extreme cases")


if __name__ == "__main__":
    main()
    extreme()
