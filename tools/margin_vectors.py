#!/usr/bin/env python3
"""Independent expected values for tests/margin_*.rs.

Plain Python 3 (standard library only, exact rationals via fractions.Fraction), written from the
venues' published formulas, not from derisk's code. Run from the repository root:

    python3 tools/margin_vectors.py

Each block names the page whose formula (or worked example) it evaluates. The liquidation price
across brackets is found the way Binance's FAQ says: try the formula with each tier and keep the
one whose notional at the resulting price falls in that tier.
"""
from fractions import Fraction as F


def binance_tiers(rows):
    """(cap, mmr) rows -> list of (floor, cap, mmr, cum) by the FAQ recursion."""
    out, floor, prev_mmr, cum = [], F(0), F(0), F(0)
    for cap, mmr in rows:
        cum = floor * (mmr - prev_mmr) + cum
        out.append((floor, cap, mmr, cum))
        floor, prev_mmr = cap, mmr
    return out


# Binance announcement 2021-03-18, BTCUSDT (binance.com/en/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6)
BTCUSDT = binance_tiers([(F(c), F(m)) for c, m in [
    (50_000, "0.004"), (250_000, "0.005"), (1_000_000, "0.01"), (10_000_000, "0.025"),
    (20_000_000, "0.05"), (50_000_000, "0.10"), (100_000_000, "0.125"), (200_000_000, "0.15"),
    (300_000_000, "0.25"), (500_000_000, "0.50")]])


def usdm_lp(wb, side, qty, ep, tiers):
    """Binance USDⓈ-M FAQ, one-way isolated: LP = (WB + cum − side·Pos·EP)/(Pos·MMR − side·Pos)."""
    for floor, cap, mmr, cum in tiers:
        lp = (wb + cum - side * qty * ep) / (qty * mmr - side * qty)
        if lp > 0 and floor <= qty * lp <= cap:
            return lp, mmr, cum
    return None


def coinm_lp(wb, side, contracts, cs, ep, mmr, cum):
    """Binance COIN-M FAQ, one-way isolated, one tier:
    LP = (N·MMR + side·N) / ((WB + cum)/CS + side·N/EP)."""
    n = contracts
    return (n * mmr + side * n) / ((wb + cum) / cs + side * n / ep)


def show(name, value):
    print(f"{name:58s} {float(value):.10f}")


print("# Binance USDⓈ-M, 2021 BTCUSDT table (docs/margin.md B1–B4)")
for name, wb, side, qty in [("B1 long 1 @ 50,000, WB 2,500", 2500, 1, 1),
                            ("B2 short 1 @ 50,000, WB 2,500", 2500, -1, 1),
                            ("B3 long 10 @ 50,000, WB 50,000", 50000, 1, 10),
                            ("B4 short 10 @ 50,000, WB 50,000", 50000, -1, 10)]:
    lp, mmr, cum = usdm_lp(F(wb), side, F(qty), F(50000), BTCUSDT)
    show(f"{name} (mmr {float(mmr)}, cum {float(cum)})", lp)
    show("   equity = MM at LP", F(wb) + side * F(qty) * (lp - 50000))

print("# B5 cross: WB 5,000, TMM1 200, UPNL1 -300, long 1 @ 50,000")
show("B5", usdm_lp(F(5000) - 200 - 300, 1, F(1), F(50000), BTCUSDT)[0])
print("# B6 hedge: WB 10,000, long 1 @ 50,000, short 0.5 @ 52,000, MMR 0.4 %")
# 10,000 + (P − 50,000) + 0.5·(52,000 − P) = 0.004·1.5·P
show("B6", -(F(10000) - 50000 + 26000) / (1 - F("0.5") - F("0.006")))

print("# Binance COIN-M FAQ (binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46)")
show("MM of 100 contracts x 100 USD at 25,000, MMR 0.4 %", F(100 * 100, 25000) * F("0.004"))
show("isolated long 100 x 100 USD @ 25,000, WB 0.02 BTC, bracket 1", coinm_lp(F("0.02"), 1, F(100), F(100), F(25000), F("0.004"), F(0)))
show("isolated short 100 x 100 USD @ 25,000, WB 0.02 BTC, bracket 1", coinm_lp(F("0.02"), -1, F(100), F(100), F(25000), F("0.004"), F(0)))

print("# Bybit inverse (help 'Liquidation Price (Inverse Contract)'): long Qty/(PV + IM − MM)")
qty, e = F(60000), F(50000)
pv = qty / e
im, mm = pv / 10, pv * F("0.005")
show("YI5 long 60,000 USD @ 50,000 10x MMR 0.5 %", qty / (pv + (im - mm)))
show("YI5 short", qty / (pv - (im - mm)))
show("YI3 bankruptcy 10,000 USD @ 6,400 25x: E·L/(L+1)", F(6400) * 25 / 26)
show("YI3 IM", F(10000) / 6400 / 25)
show("AAX fee-free closed form E·L/(L + 1 − MMR·L), 10,000, 10x, 0.5 %", F(10000) * 10 / (11 - F("0.05")))

print("# OKX isolated linear (docs/margin.md 1.5): M 1,000, 1 BTC @ 50,000, MMR 0.4 %, fee 0.05 %")
show("long (E − M/Q)/(1 − MMR − fee)", (F(50000) - 1000) / (1 - F("0.004") - F("0.0005")))
show("short (E + M/Q)/(1 + MMR + fee)", (F(50000) + 1000) / (1 + F("0.004") + F("0.0005")))

print("# Hyperliquid docs 'Liquidations': price − side·margin_available/size/(1 − l·side)")
for side in (1, -1):
    avail = F(2500) - F("0.01") * 50000
    show(f"side {side}", F(50000) - side * avail / 1 / (1 - F("0.01") * side))

print("# Bybit USDT tiers (margin-parameters page): continuity of the published deductions")
rows = [(2_000_000, "0.005", 0), (2_600_000, "0.0056", 1_200), (3_200_000, "0.0063", 3_020),
        (3_800_000, "0.0067", 4_300), (4_400_000, "0.0071", 5_820), (5_000_000, "0.0077", 8_460),
        (5_600_000, "0.0091", 15_460), (8_500_000, "0.01", 20_500), (10_000_000, "0.013", 46_000),
        (14_000_000, "0.015", 66_000), (20_000_000, "0.016", 80_000), (28_000_000, "0.02", 160_000),
        (38_000_000, "0.025", 300_000), (50_000_000, "0.029", 452_000), (55_000_000, "0.03", 502_000),
        (60_000_000, "0.035", 777_000), (65_000_000, "0.036", 837_000), (70_000_000, "0.038", 967_000),
        (75_000_000, "0.04", 1_107_000), (80_000_000, "0.045", 1_482_000)]
derived = binance_tiers([(F(c), F(m)) for c, m, _ in rows])
print("   all published deductions equal the recursion:",
      all(d[3] == F(p) for d, (_, _, p) in zip(derived, rows)))
# A 6,000,000 USDT long at 60,000 (100 BTC), Bybit tier 8 (MMR 1 %, deduction 20,500), 10x:
qty, e = F(100), F(60000)
show("Bybit 100 BTC @ 60,000 10x: LP = E − (IM − MM)/qty", e - (qty * e / 10 - (qty * e * F("0.01") - 20500)) / qty)

print("# Deribit standard option margin (docs/margin.md 2.2, S = 50,000)")
def call(k, s, mark):
    otm = max(k - s, 0)
    return max(F("0.15") - F(otm) / s, F("0.10")) + mark, F("0.075") + mark
def put(k, s, mark):
    otm = max(s - k, 0)
    mm = max(F("0.075"), F("0.075") * mark) + mark
    return max(max(F("0.15") - F(otm) / s, F("0.10")) + mark, mm), mm
for k, mark in [(55000, "0.025"), (52000, "0.04"), (48000, "0.06")]:
    im, mm = call(k, 50000, F(mark)); show(f"short call K {k} IM", im); show(f"short call K {k} MM", mm)
im, mm = put(45000, 50000, F("0.02")); show("short put K 45,000 IM", im); show("short put K 45,000 MM", mm)

print("# Binance tiered collateral FAQ: 6,000 BTC @ 20,000, 100 % to 100 M, 97.5 % above")
show("value", F(100_000_000) + (F(120_000_000) - 100_000_000) * F("0.975"))

print("# Deribit futures (test.deribit.com/pages/docs/futures): IM 2 % + 0.5 %/100 BTC, MM 1.5 % + 0.5 %/100 BTC")
show("IM at 25 BTC", F(25) * (F("0.02") + F(25) / 100 * F("0.005")))
show("IM at 350 BTC", F(350) * (F("0.02") + F(350) / 100 * F("0.005")))
# Isolated inverse position, N USD face at E, margin m BTC; MM(P) = (N/P)·(0.015 + 0.00005·N/P).
# In u = 1/P: 0.00005·N²·u² + N·(0.015 + s)·u − (m + s·N/E) = 0, solved at 50 digits. A long has one
# positive root; a short has two (at very low prices the size-scaled rate makes MM explode), and its
# liquidation is the smaller u (the higher price), between the entry and P → ∞.
from decimal import Decimal as D, getcontext
getcontext().prec = 50
def deribit_lp(side, n, e, m):
    a = D("0.00005") * n * n
    b = n * (D("0.015") + side)
    c = -(m + side * n / e)
    root = (b * b - 4 * a * c).sqrt()
    u = (-b + root) / (2 * a) if side > 0 else (-b - root) / (2 * a)
    return 1 / u
n, e, m = D(20_000_000), D(50_000), D(20)
show("Deribit long 20,000,000 USD @ 50,000, margin 20 BTC", deribit_lp(1, n, e, m))
show("Deribit short 20,000,000 USD @ 50,000, margin 20 BTC", deribit_lp(-1, n, e, m))
