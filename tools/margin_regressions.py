#!/usr/bin/env python3
"""Expected values for tests/margin/regressions.rs (issue 12): liquidation prices under Deribit's
size-scaled futures margin, where equity - maintenance is not monotone in the price.

Requires mpmath==1.3.0 (pip install mpmath==1.3.0); 50 significant digits. Written from the
schedule on Deribit's "Futures" page (maintenance 1.5 % + 0.5 % per 100 BTC of position value),
not from derisk's code. Run from the repository root:

    python3 tools/margin_regressions.py

In value coordinates v (settlement currency) the equity of a position is linear,
    linear:  equity = m + s*(v - v_E)          inverse: equity = m + s*(v_E - v)
and MM(v) = v*(a + b*v), so equity = MM is the quadratic  b v^2 - (sigma - a) v - c = 0 with
sigma = s (linear) or -s (inverse) and c the equity at v = 0; the prices are v/X (linear) or
X/v (inverse).
"""
from mpmath import mp, mpf, sqrt

mp.dps = 50


def roots(a, b, sigma, c):
    """Positive roots v of b v^2 - (sigma - a) v - c = 0, ascending."""
    k = sigma - a
    disc = k * k + 4 * b * c
    if disc < 0:
        return []
    r = sqrt(disc)
    return sorted(v for v in ((k - r) / (2 * b), (k + r) / (2 * b)) if v > 0)


def inverse(side, face, contracts, entry, margin, a, b):
    x = mpf(face) * contracts
    v_e = x / entry
    s = 1 if side == "long" else -1
    sigma = -s
    c = margin + s * v_e
    return [(x / v, v) for v in roots(a, b, sigma, c)]


def linear(side, size, contract, entry, margin, a, b):
    x = mpf(size) * contract
    v_e = x * entry
    s = 1 if side == "long" else -1
    c = margin - s * v_e
    return [(v / x, v) for v in roots(a, b, s, c)]


A, B = mpf("0.015"), mpf("0.005") / 100  # DERIBIT_BTC maintenance: 1.5 % + 0.5 % per 100 BTC
print("A: inverse short, 2,000 BTC at 50,000 (face 10 x 10,000,000), 1x (margin 2,000 BTC)")
for p, v in inverse("short", 10, 10_000_000, 50_000, 2_000, A, B):
    print(f"   price {mp.nstr(p, 25)}  value {mp.nstr(v, 25)} BTC")
print("B: the same at 5x (margin 400 BTC)")
for p, v in inverse("short", 10, 10_000_000, 50_000, 400, A, B):
    print(f"   price {mp.nstr(p, 25)}  value {mp.nstr(v, 25)} BTC")
print("C: linear long 100 BTC at 50,000, 10x (500,000 USDT), 1.5 % + 0.5 % per 1,000,000 USDT")
for p, v in linear("long", 100, 1, 50_000, 500_000, A, mpf("0.005") / 1_000_000):
    print(f"   price {mp.nstr(p, 25)}  value {mp.nstr(v, 25)} USDT")
