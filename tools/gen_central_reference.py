#!/usr/bin/env python3
# mpmath 1.3.0, QuantLib 1.44 (Python 3.11)
"""50-digit reference prices on the central region of the scalar Black price (issue 17).

Purpose
    The short central path of `derisk::pricing` prices an option with one logarithm, the
    discount, at most one more exponential and two of Cody's rational functions where
        s = sigma*sqrt(T) >= 0.1*sqrt(2),  s^2 >= 0.1*|x|,  z0 = s/2 + |x|/s <= 4*sqrt(2),
        1e-150 <= K <= 1e150,  |r*T| <= 1,  |q*T| <= 1,      x = ln(F/K).
    This fixture fills that region and its edges (s at its lower edge, s^2 = 0.1|x|, z0 at the
    top, z0 and z1 = z0 - s around 0.46875*sqrt(2) where Cody's first and second intervals
    meet, strikes at 1e-150 and 1e150) with calls and puts of three models:
        black_scholes  V = D*(th*F*N(th*d1) - th*K*N(th*d2)), F = S*exp((r-q)T), D = exp(-rT)
        black76        the same with F given
        black          the undiscounted B(F, K, s) (T = 1, r = 0)
    d1,2 = (ln(F/K) +- s^2/2)/s. Every input is an exact double chosen here in double precision
    and converted exactly (mpf(float)); the price is evaluated at mp.dps = 50 and written as the
    correctly rounded double (shortest round-trip repr).

    Cross-check: QuantLib's BlackCalculator in double precision on every row. Its normal cdf is
    accurate in absolute rather than relative terms (its relative error reaches 1e-6 on the
    smaller prices here, and more at strikes near 1e-150), so the header stores the largest
    difference relative to the scale D*(F + K) of the option, "quantlib_max_diff_over_scale":
    a check that the mpmath formula is the Black formula, not of the last digits. Rows with
    strikes outside [1e-100, 1e100] are left out of it: QuantLib's absolute tolerances return
    0 or a negative price there.

Regenerate (from the repository root; a few seconds)
    python3 tools/gen_central_reference.py   ->  tests/data/central_reference.json
Output is deterministic (random.Random(20261204)).
"""

import json
import math
import random

import mpmath
from mpmath import mp, mpf

import QuantLib as ql

assert mpmath.__version__ == "1.3.0", "pin mpmath==1.3.0"
mp.dps = 50

S_MIN = 0.1 * math.sqrt(2.0)
Z_MAX = 4.0 * math.sqrt(2.0)
Z_SMALL = 0.46875 * math.sqrt(2.0)


def ncdf(x):
    return mpmath.erfc(-x / mpmath.sqrt(2)) / 2


def exact_price(model, kind, u, k, t, v, r, q):
    """50-digit price from exact inputs (u = spot or forward)."""
    u, k, t, v, r, q = (mpf(a) for a in (u, k, t, v, r, q))
    th = 1 if kind == "call" else -1
    if model == "black_scholes":
        f = u * mpmath.exp((r - q) * t)
    else:
        f = u
    d = mpmath.exp(-r * t)
    s = v * mpmath.sqrt(t)
    d1 = (mpmath.log(f / k) + s * s / 2) / s
    d2 = d1 - s
    return d * th * (f * ncdf(th * d1) - k * ncdf(th * d2))


def ql_price(model, kind, u, k, t, v, r, q):
    f = u * math.exp((r - q) * t) if model == "black_scholes" else u
    ty = ql.Option.Call if kind == "call" else ql.Option.Put
    calc = ql.BlackCalculator(ql.PlainVanillaPayoff(ty, k), f, v * math.sqrt(t), math.exp(-r * t))
    return calc.value()


def central(model, u, k, t, v, r, q):
    """The region test as the library states it, in double precision."""
    s = v * math.sqrt(t)
    b = (r - q) if model == "black_scholes" else 0.0
    x = math.log(u / k) + b * t
    z0 = 0.5 * s + abs(x) / s
    return (s >= S_MIN and s * s >= 0.1 * abs(x) and z0 <= Z_MAX and 1e-150 <= k <= 1e150
            and abs(r * t) <= 1.0 and abs(q * t) <= 1.0)


def draw_s_x(rng):
    """(s, |x|) inside the region, a third of them on one of its edges or interval seams."""
    edge = rng.randrange(9)
    s = math.exp(rng.uniform(math.log(S_MIN), math.log(8.0)))
    top = min(10.0 * s * s, (Z_MAX - 0.5 * s) * s)
    ax = rng.uniform(0.0, max(top, 0.0))
    jitter = 1.0 + rng.uniform(-1e-6, 1e-6)
    if edge == 0:  # lower edge of s, near the money
        s = S_MIN * (1.0 + rng.uniform(0.0, 1e-3))
        ax = rng.uniform(0.0, 0.1 * s * s)
    elif edge == 1:  # s^2 = 0.1 |x| (the Taylor region's edge)
        ax = 10.0 * s * s * (1.0 - rng.uniform(0.0, 1e-3))
        if 0.5 * s + ax / s > Z_MAX:
            ax = (Z_MAX - 0.5 * s) * s * (1.0 - 1e-3)
    elif edge == 2:  # z0 at the top of Cody's middle interval
        s = rng.uniform(0.3, 5.0)
        ax = (Z_MAX * (1.0 - rng.uniform(0.0, 1e-3)) - 0.5 * s) * s
    elif edge == 3:  # z0 around the seam of the first and second intervals
        s = rng.uniform(S_MIN, 2.0 * Z_SMALL * 0.999)
        ax = max((Z_SMALL * jitter - 0.5 * s) * s, 0.0)
    elif edge == 4:  # z1 = |x|/s - s/2 around +seam
        s = rng.uniform(S_MIN, 4.0)
        ax = (Z_SMALL * jitter + 0.5 * s) * s
    elif edge == 5:  # z1 around -seam
        s = rng.uniform(2.0 * Z_SMALL, 8.0)
        ax = max((0.5 * s - Z_SMALL * jitter) * s, 0.0)
    return s, ax


def main():
    rng = random.Random(20261204)
    rows = []
    worst_ql = 0.0
    while len(rows) < 720:
        model = ("black_scholes", "black76", "black")[len(rows) % 3]
        kind = "call" if rng.random() < 0.5 else "put"
        s, ax = draw_s_x(rng)
        x = ax if rng.random() < 0.5 else -ax
        if rng.random() < 0.05:
            x = 0.0
        scale = rng.choice([1.0, 1.0, 1.0, 1e-150, 1e150])
        k = float("%.6g" % (scale * math.exp(rng.uniform(math.log(1e-2), math.log(1e6)))))
        if scale == 1e-150:
            k = max(k, 1e-150)
        if scale == 1e150:
            k = min(k, 1e150)
        if model == "black":
            t, r, q = 1.0, 0.0, 0.0
        else:
            t = rng.choice([rng.uniform(1.0 / 365.0, 0.25), rng.uniform(0.25, 5.0)])
            r = rng.uniform(-0.05, 0.25) if rng.random() < 0.8 else 0.0
            q = 0.0
            if model == "black_scholes" and rng.random() < 0.5:
                q = rng.uniform(-0.05, 0.2)
            if rng.random() < 0.03:  # |rT| at its bound
                t, r = 2.0, 0.5 * (1.0 - 1e-9)
        v = s / math.sqrt(t)
        b = (r - q) if model == "black_scholes" else 0.0
        u = k * math.exp(x - b * t)
        if not central(model, u, k, t, v, r, q):
            continue
        price = exact_price(model, kind, u, k, t, v, r, q)
        value = float(price)
        if not value > 1e-290:
            continue
        if 1e-100 < k < 1e100:
            qlv = ql_price(model, kind, u, k, t, v, r, q)
            f = u * math.exp(b * t)
            worst_ql = max(worst_ql, abs(qlv - value) / (math.exp(-r * t) * (f + k)))
        rows.append({
            "model": model, "kind": kind, "underlying": u, "strike": k, "expiry": t,
            "volatility": v, "rate": r, "dividend_yield": q, "price": value,
        })
    out = {
        "generator": "tools/gen_central_reference.py",
        "mpmath": mpmath.__version__,
        "dps": mp.dps,
        "quantlib": ql.__version__,
        "quantlib_max_diff_over_scale": worst_ql,
        "region": "s >= 0.1*sqrt(2), s^2 >= 0.1|x|, s/2 + |x|/s <= 4*sqrt(2), "
                  "1e-150 <= K <= 1e150, |rT| <= 1, |qT| <= 1",
        "cases": rows,
    }
    with open("tests/data/central_reference.json", "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")
    print(len(rows), "rows; QuantLib max difference over D(F + K):", worst_ql)


if __name__ == "__main__":
    main()
