#!/usr/bin/env python3
# mpmath 1.3.0
"""Independent reference for tests/margin/portfolio_margin.rs: the Deribit-style risk matrix
of a small coin-settled BTC book, by 50-digit Black-76 revaluation (mpmath), written to
tests/data/pm_reference.json.

Book (all settled in BTC, valuation 1970-01-01T00:00Z, ACT/365 fixed, no discounting, flat
implied vol 0.45, spot 100,000, forwards 100,200 at +7 days and 101,000 at +60 days):
  -2 calls K 110,000 at +7 d, +1 put K 90,000 at +7 d, -1 call K 120,000 at +60 d,
  +1 put K 80,000 at +60 d, +1,000 BTC-PERPETUAL (10 USD face) entered at 100,000.
Inverse option value (BTC) = Black76(F, K, sigma, tau) / F; perpetual = face*(1/e - 1/S).
Scenario: every forward and the spot times (1 + m); sigma -> sigma*(1 + x(E)) with
  f(d) = (30/max(d,1))^p, p = 0.3 if d <= 30 else 0.13,
  x_up = 0.5*f*max(1, 0.5/sigma_atm), x_down = -0.25*f   (Deribit API example params 2024-06-17).
Extended moves (vol up only, options only: the perpetual stays out) scaled by 0.16/|m|.
"""
import json
from pathlib import Path

from mpmath import mp, mpf, ncdf, log, sqrt

mp.dps = 50

S0 = mpf(100000)
SIGMA = mpf("0.45")
EXP = {7: mpf(100200), 60: mpf(101000)}
OPTIONS = [(-2, "C", 110000, 7), (1, "P", 90000, 7), (-1, "C", 120000, 60), (1, "P", 80000, 60)]
PERP = (1000, mpf(10), mpf(100000))


def black(F, K, s, t, kind):
    K = mpf(K)
    v = s * sqrt(t)
    d1 = (log(F / K) + v * v / 2) / v
    d2 = d1 - v
    if kind == "C":
        return F * ncdf(d1) - K * ncdf(d2)
    return K * ncdf(-d2) - F * ncdf(-d1)


def scale(d):
    d = max(mpf(d), mpf(1))
    p = mpf("0.3") if d <= 30 else mpf("0.13")
    return (mpf(30) / d) ** p


def value(m, vol, perp=True):
    total = mpf(0)
    for q, kind, K, d in OPTIONS:
        f = scale(d)
        x = {"up": mpf("0.5") * f * max(mpf(1), mpf("0.5") / SIGMA), "same": mpf(0),
             "down": -mpf("0.25") * f}[vol]
        F = EXP[d] * (1 + m)
        total += q * black(F, K, SIGMA * (1 + x), mpf(d) / 365, kind) / F
    if perp:
        q, face, e = PERP
        total += q * face * (1 / e - 1 / (S0 * (1 + m)))
    return total


def main():
    base = value(mpf(0), "same")
    moves = [mpf("0.16") * (i - 4) / 4 for i in range(9)]
    matrix = [[float(value(m, v) - base) for v in ("up", "same", "down")] for m in moves]
    ext_moves = ["-0.66", "-0.33", "0.5", "1", "2", "3", "4", "5"]
    obase = value(mpf(0), "same", perp=False)
    extended = [float((value(mpf(m), "up", perp=False) - obase) * mpf("0.16") / abs(mpf(m)))
                for m in ext_moves]
    out = {
        "source": "tools/gen_pm_reference.py, mpmath 1.3.0 at 50 digits",
        "base_value_btc": float(base),
        "price_moves": [float(m) for m in moves],
        "matrix_pnl_btc": matrix,
        "extended_moves": [float(mpf(m)) for m in ext_moves],
        "extended_scaled_pnl_btc": extended,
    }
    path = Path(__file__).resolve().parent.parent / "tests" / "data" / "pm_reference.json"
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
