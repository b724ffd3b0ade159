#!/usr/bin/env python3
"""Reference numbers for tests/margin/spine.rs (issue 11): a USDT-margined cross account holding a
linear BTCUSDT perpetual, a BTC-settled inverse BTC perpetual and a linear ETHUSDT perpetual, with
USDT and BTC collateral (BTC at a 5 % haircut).

Requires mpmath==1.3.0 (pip install mpmath==1.3.0); 50 significant digits. Written from the
formulas of docs/margin.md ("Cross account with several currencies") and the published Binance
2021-03-18 BTCUSDT tier table, not from derisk's code. Run from the repository root:

    python3 tools/margin_multicurrency.py

Prices in USD: USDT 1, BTC 60,000. Wallet 2,000 USDT; 0.05 BTC (haircut 5 %).
  A  BTCUSDT linear,  long 1 BTC,           entry 60,000, mark 60,000, Binance 2021 tiers
  B  BTC-PERPETUAL inverse, short 3,000 x 10 USD, entry 62,000, mark 60,000, flat MM 1 %
  C  ETHUSDT linear,  long 10 ETH,          entry 3,000,  mark 2,900,  Binance 2021 tiers
Equity (USDT) = wallet + uPnL_A + uPnL_C + H(BTC: (0.05 + uPnL_B) * P_BTC)
Maintenance   = MM_A + MM_C + MM_B * P_BTC
Liquidation price of A (and B): A's and B's marks and the BTC price move by one factor f; C, USDT
fixed. Liquidation price of C: C's mark moves alone (ETH has no price in the account).
"""
from mpmath import mp, mpf, findroot

mp.dps = 50

TIERS = [  # cap, rate, amount
    (50_000, "0.004", 0), (250_000, "0.005", 50), (1_000_000, "0.01", 1_300),
    (10_000_000, "0.025", 16_300),
]


def mm_tiers(v):
    for cap, rate, amount in TIERS:
        if v <= cap:
            return v * mpf(rate) - amount
    raise ValueError(v)


WALLET, BTC_BAL, HAIRCUT = mpf(2000), mpf("0.05"), mpf("0.05")
P_BTC = mpf(60000)
A_Q, A_E, A_M = mpf(1), mpf(60000), mpf(60000)
B_FACE, B_E, B_M = mpf(30000), mpf(62000), mpf(60000)
C_Q, C_E, C_M = mpf(10), mpf(3000), mpf(2900)


def totals(f=mpf(1), g=mpf(1)):
    """(equity, maintenance, initial) in USDT with BTC marks and price x f, ETH mark x g."""
    a, b, p, c = A_M * f, B_M * f, P_BTC * f, C_M * g
    upnl_a = A_Q * (a - A_E)
    upnl_c = C_Q * (c - C_E)
    upnl_b = -B_FACE * (1 / B_E - 1 / b)  # coin, short
    net_btc = (BTC_BAL + upnl_b) * p
    h = net_btc * (1 - HAIRCUT) if net_btc > 0 else net_btc
    equity = WALLET + upnl_a + upnl_c + h
    mm = mm_tiers(A_Q * a) + mm_tiers(C_Q * c) + B_FACE / b * mpf("0.01") * p
    im = A_Q * a / 20 + C_Q * c / 10 + B_FACE / b / 50 * p
    return equity, mm, im


def show(name, x):
    print(f"{name} = {mp.nstr(x, 20)}")


e, m, i = totals()
show("equity", e)
show("maintenance", m)
show("initial", i)
f = findroot(lambda f: (lambda t: t[0] - t[1])(totals(f=f)), (mpf("0.5"), mpf("0.99")),
             solver="anderson")
show("factor_btc", f)
show("lp_a", A_M * f)
show("lp_b", B_M * f)
g = findroot(lambda g: (lambda t: t[0] - t[1])(totals(g=g)), (mpf("0.01"), mpf("0.99")),
             solver="anderson")
show("lp_c", C_M * g)
