#!/usr/bin/env python3
"""tests/data/margin_lp_reference.json: liquidation prices across brackets, by Binance's procedure.

Independent of derisk: exact rationals (fractions.Fraction), Binance's printed single-position
formulas (FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts" and the COIN-M one)
and the FAQ's rule "if the bracket at the liquidation price differs from the one used, recompute
with the bracket at the liquidation price", iterated from the entry bracket until it agrees.

    python3 tools/margin_lp_fixture.py > tests/data/margin_lp_reference.json

Standard library only; deterministic (random.Random(20261125)).
"""
import json
import random
from fractions import Fraction as F


def tiers(rows):
    out, floor, prev, cum = [], F(0), F(0), F(0)
    for cap, mmr in rows:
        cum = floor * (mmr - prev) + cum
        out.append((floor, cap, mmr, cum))
        floor, prev = cap, mmr
    return out


LINEAR = tiers([(F(c), F(m)) for c, m in [
    (50_000, "0.004"), (250_000, "0.005"), (1_000_000, "0.01"), (10_000_000, "0.025"),
    (20_000_000, "0.05"), (50_000_000, "0.10"), (100_000_000, "0.125"), (200_000_000, "0.15"),
    (300_000_000, "0.25"), (500_000_000, "0.50")]])
# the coin table of tests/margin_properties.rs (caps in BTC)
INVERSE = tiers([(F(c), F(m)) for c, m in [
    (5, "0.005"), (10, "0.01"), (20, "0.025"), (50, "0.05"), (100, "0.1"), (200, "0.125"),
    (400, "0.15"), (1_000, "0.25"), (1_500, "0.5")]])


def bracket(table, value):
    for t in table:
        if value <= t[1]:
            return t
    return table[-1]


def lp_linear(wb, side, qty, ep, t):
    _, _, mmr, cum = t
    return (wb + cum - side * qty * ep) / (qty * mmr - side * qty)


def lp_inverse(wb, side, face_total, ep, t):
    # COIN-M FAQ with N·CS = face_total: LP = (N·MMR + side·N)/((WB + cum)/CS + side·N/EP)
    _, _, mmr, cum = t
    den = wb + cum + side * face_total / ep
    return None if den == 0 else face_total * (mmr + side) / den


def solve(kind, wb, side, size, ep):
    table = LINEAR if kind == "linear" else INVERSE
    value = (lambda p: size * p) if kind == "linear" else (lambda p: size / p)
    formula = lp_linear if kind == "linear" else lp_inverse
    t = bracket(table, value(ep))
    for _ in range(50):
        lp = formula(wb, side, size, ep, t)
        if lp is None or lp <= 0:
            return None
        t2 = bracket(table, value(lp))
        if t2 == t:
            return lp
        t = t2
    raise RuntimeError("no agreement")


rng = random.Random(20261125)
cases = []
while len(cases) < 400:
    kind = rng.choice(["linear", "inverse"])
    side = rng.choice([1, -1])
    ep = F(rng.randint(1_000_00, 150_000_00), 100)            # 1,000.00 … 150,000.00
    if kind == "linear":
        value = F(10) ** rng.randint(3, 8) * F(rng.randint(100, 999), 100)
        value = min(value, F(450_000_000))
        size = value / ep                                       # coins
    else:
        value = F(10) ** rng.randint(-2, 2) * F(rng.randint(100, 999), 100)
        value = min(value, F(1_400))
        size = value * ep                                       # USD face
    lev = F(rng.randint(100, 5_000), 100)                      # 1x … 50x
    wb = value / lev
    try:
        lp = solve(kind, wb, side, size, ep)
    except RuntimeError:
        continue
    cases.append({
        "kind": kind, "side": side, "entry": float(ep), "size": float(size),
        "margin": float(wb), "lp": None if lp is None else float(lp),
    })
print(json.dumps({"source": __doc__.strip().splitlines()[0], "cases": cases}, indent=0))
