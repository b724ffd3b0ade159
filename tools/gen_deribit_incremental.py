# Reference for tests/margin/liquidation_engine.rs::deribit_incremental_rounds (issue 15).
# Python 3 standard library only (fractions: exact rational arithmetic, no floats).
# Deribit incremental liquidation of a long BTC-PERPETUAL (inverse, 10 USD contracts) under the
# 11 January 2022 schedule: maintenance 1 % + 0.005 % per BTC of position value, liquidation fee
# 0.75 % of the closed value, at most 200 contracts per round ("Auto Liquidation" page). Each
# round closes min(200, contracts) at the mark, realises its P&L and pays the fee, until
# equity >= maintenance. Prints the rounds and totals.
from fractions import Fraction as F

FACE, ENTRY, MARK = F(10), F(50_000), F(48_050)
MM_BASE, SLOPE, FEE, CAP = F(1, 100), F(5, 100_000), F(75, 10_000), F(200)


def value(n):
    return n * FACE / MARK


def mm(n):
    v = value(n)
    return v * (MM_BASE + SLOPE * v)


def upnl(n):
    return n * FACE * (1 / ENTRY - 1 / MARK)


contracts, margin = F(20_000), F(2, 10)
rounds, fees = 0, F(0)
while margin + upnl(contracts) < mm(contracts):
    q = min(CAP, contracts)
    realised = upnl(q)
    fee = min(FEE * value(q), margin + realised)
    margin = margin + realised - fee
    contracts -= q
    fees += fee
    rounds += 1
    if rounds == 1:
        print("round 1: fee", float(fee), "margin", float(margin))
equity = margin + upnl(contracts)
print("rounds", rounds, "contracts left", float(contracts))
print("total fee", float(fees), "margin", float(margin), "equity", float(equity))
print("mm", float(mm(contracts)))
