#!/usr/bin/env python3
# Python 3.11
# mpmath==1.3.0
# numpy==2.2.6
# scipy==1.14.1
# (otherwise standard library only: csv, json, fractions)
"""Independent reference for order books, impact, optimal execution and liquidity-adjusted VaR
(derisk issues 14 and 15).

Rerun from the repository root (deterministic):

    python3 tools/gen_liquidity_reference.py [/path/to/btc-usdt-binance-daily-2017-2025.csv]

Inputs
  tests/data/hyperliquid_btc_book_2025-01-26.csv   (committed; the whole Hyperliquid snapshot)
  the Binance BTCUSDT daily candles (only to make the spread series; the series itself is
  written into the output, so tests never read the shared data)
Output
  tests/data/liquidity_reference.json

No Rust code was read or used.

1. Order-book walks, in exact rational arithmetic (fractions.Fraction of the decimal text):
   a taker BUY consumes the asks from the best (lowest) up, a SELL the bids from the best
   (highest) down; the last level may be taken partially. Reported: filled quantity, quote
   notional, VWAP = notional / filled, worst price touched, levels touched, unfilled remainder,
   slippage (adverse positive) vs mid and vs the best price, in price and in bps of the
   reference (mid or best). Walks by notional spend a quote amount instead.
2. Bangia, Diebold, Schuermann and Stroughair (1999), "Modeling liquidity risk, with
   implications for traditional market risk measurement and management":
     VaR  = P (1 - exp(-z sigma_r)),  z = Phi^-1(confidence)   (long, their mid-price VaR;
            a short of value -|P| loses |P| (exp(z sigma_r) - 1))
     COL  = 1/2 P (mu_s + a sigma_s)                           (exogenous cost of liquidation)
     LVaR = VaR + COL
   with mu_s and sigma_s the mean and sample standard deviation (divisor n - 1) of the relative
   spread. No bid/ask history is public for our data, so the spread series is the documented
   Corwin and Schultz (2012) high-low estimator (J. Finance 67(2), 719–760; negative
   two-day estimates set to 0) on the Binance BTCUSDT daily highs and lows of 2024.
3. Almgren and Chriss (2000), "Optimal execution of portfolio transactions", J. Risk 3(2):
   the sample stock of their Table 1 (S0 = 50, X = 1e6 shares, T = 5 days, N = 5,
   sigma = 0.95 $/share/day^1/2, eps = 0.0625 $/share, eta = 2.5e-6, gamma = 2.5e-7, alpha = 0).
   The paper shows the frontier for this stock only in figures, so E and V are computed here
   at 50 digits from the paper's formulas: eta~ = eta - gamma tau / 2,
   cosh(kappa tau) = 1 + lambda sigma^2 tau^2 / (2 eta~), x_j = X sinh(kappa (T - t_j)) / sinh(kappa T),
   E = gamma X^2 / 2 + eps X + (eta~ / tau) sum n_k^2,  V = sigma^2 tau sum_{k=1}^{N} x_k^2,
   and cross-checked against the paper's closed forms (its §2.2).
4. Square-root impact: dP/P = Y sigma sqrt(Q / V) (Toth et al. 2011).
"""

import csv
import json
import math
import sys
from fractions import Fraction

import mpmath as mp
import numpy as np
from scipy.stats import norm

mp.mp.dps = 50

BOOK = "tests/data/hyperliquid_btc_book_2025-01-26.csv"
BINANCE = (
    sys.argv[1]
    if len(sys.argv) > 1
    else "/work/shared/data/btc-usdt-binance-daily-2017-2025.csv"
)
OUT = "tests/data/liquidity_reference.json"


def load_book():
    bids, asks = [], []
    with open(BOOK) as f:
        for row in csv.DictReader(f):
            level = (Fraction(row["price_usd"]), Fraction(row["size_btc"]))
            (bids if row["side"] == "bid" else asks).append((int(row["level"]), level))
    bids = [lv for _, lv in sorted(bids)]
    asks = [lv for _, lv in sorted(asks)]
    assert all(bids[i][0] > bids[i + 1][0] for i in range(len(bids) - 1))
    assert all(asks[i][0] < asks[i + 1][0] for i in range(len(asks) - 1))
    assert bids[0][0] < asks[0][0]
    return bids, asks


def walk(levels, mid, side, quantity=None, notional=None):
    remaining = quantity if quantity is not None else notional
    filled = Fraction(0)
    cash = Fraction(0)
    used = 0
    worst = None
    for price, size in levels:
        if remaining == 0:
            break
        if quantity is not None:
            take = min(size, remaining)
            remaining -= take
        else:
            take = min(size, remaining / price)
            remaining -= take * price
        filled += take
        cash += take * price
        used += 1
        worst = price
    best = levels[0][0]
    vwap = cash / filled
    sign = 1 if side == "buy" else -1
    slip_mid = sign * (vwap - mid)
    slip_best = sign * (vwap - best)
    return {
        "side": side,
        "quantity": None if quantity is None else float(quantity),
        "notional_request": None if notional is None else float(notional),
        "filled": float(filled),
        "notional": float(cash),
        "average_price": float(vwap),
        "worst_price": float(worst),
        "levels_used": used,
        "unfilled": float(remaining),
        "slippage_vs_mid": float(slip_mid),
        "slippage_vs_mid_bps": float(slip_mid / mid * 10000),
        "slippage_vs_best": float(slip_best),
        "slippage_vs_best_bps": float(slip_best / best * 10000),
    }


def depth(levels, mid, band_bps, side):
    size = Fraction(0)
    cash = Fraction(0)
    for price, s in levels:
        off = (price - mid) / mid * 10000 if side == "buy" else (mid - price) / mid * 10000
        if off <= band_bps:
            size += s
            cash += s * price
    return {"side": side, "band_bps": float(band_bps), "size": float(size), "notional": float(cash)}


def book_reference():
    bids, asks = load_book()
    mid = (bids[0][0] + asks[0][0]) / 2
    walks = []
    for q in ["0.5", "3.03622", "6.34472", "7", "10", "12.75", "40", "60"]:
        for side, levels in (("buy", asks), ("sell", bids)):
            walks.append(walk(levels, mid, side, quantity=Fraction(q)))
    for n in ["100000", "1000000", "1500000", "6000000"]:
        for side, levels in (("buy", asks), ("sell", bids)):
            walks.append(walk(levels, mid, side, notional=Fraction(n)))
    depths = []
    for band in ["0.1", "1", "2", "5"]:
        depths.append(depth(asks, mid, Fraction(band), "buy"))
        depths.append(depth(bids, mid, Fraction(band), "sell"))
    return {
        "mid": float(mid),
        "spread": float(asks[0][0] - bids[0][0]),
        "spread_bps": float((asks[0][0] - bids[0][0]) / mid * 10000),
        "bid_depth": float(sum(s for _, s in bids)),
        "ask_depth": float(sum(s for _, s in asks)),
        "walks": walks,
        "depths": depths,
    }


def corwin_schultz(highs, lows):
    """Two-day Corwin-Schultz spread estimates (relative), negatives set to 0."""
    k = 3 - 2 * mp.sqrt(2)
    out = []
    for t in range(len(highs) - 1):
        h0, l0, h1, l1 = (mp.mpf(x) for x in (highs[t], lows[t], highs[t + 1], lows[t + 1]))
        beta = mp.log(h0 / l0) ** 2 + mp.log(h1 / l1) ** 2
        gamma = mp.log(max(h0, h1) / min(l0, l1)) ** 2
        alpha = (mp.sqrt(2 * beta) - mp.sqrt(beta)) / k - mp.sqrt(gamma / k)
        s = 2 * (mp.e**alpha - 1) / (1 + mp.e**alpha)
        out.append(max(s, mp.mpf(0)))
    return out


def bangia_reference():
    highs, lows, closes = [], [], []
    with open(BINANCE) as f:
        for row in csv.DictReader(f):
            if row["date"].startswith("2024-"):
                highs.append(row["high"])
                lows.append(row["low"])
                closes.append(row["close"])
    spreads = [float(s) for s in corwin_schultz(highs, lows)]
    closes_f = [float(c) for c in closes]
    returns = [math.log(closes_f[i + 1] / closes_f[i]) for i in range(len(closes_f) - 1)]
    # The library receives the binary64 spreads; the reference lifts exactly those to 50 digits.
    s = [mp.mpf(x) for x in spreads]
    n = len(s)
    mu = mp.fsum(s) / n
    sd = mp.sqrt(mp.fsum((x - mu) ** 2 for x in s) / (n - 1))
    assert abs(float(mu) - float(np.mean(spreads))) <= 1e-15 * abs(float(mu))
    assert abs(float(sd) - float(np.std(spreads, ddof=1))) <= 1e-13 * float(sd)
    r = [mp.mpf(x) for x in returns]
    rm = mp.fsum(r) / len(r)
    sigma_r = mp.sqrt(mp.fsum((x - rm) ** 2 for x in r) / (len(r) - 1))
    cases = []
    cases_in = [("1000000", "0.99", "3"), ("250000", "0.95", "2.5"), ("1", "0.99", "4.5"),
                ("-1000000", "0.99", "3")]
    for position, conf, a in cases_in:
        P = mp.mpf(float(position))
        z = -mp.sqrt(2) * mp.erfinv(2 * (1 - mp.mpf(float(conf))) - 1)  # Phi^-1(conf)
        assert abs(float(z) - norm.ppf(float(conf))) < 1e-13
        if P > 0:
            var = P * (1 - mp.e ** (-z * sigma_r))  # long: the price falls
        else:
            var = -P * (mp.e ** (z * sigma_r) - 1)  # short: the price rises
        col = abs(P) * (mu + mp.mpf(float(a)) * sd) / 2
        cases.append({
            "position_value": float(position),
            "return_sigma": float(sigma_r),
            "confidence": float(conf),
            "a": float(a),
            "market_var": float(var),
            "liquidity_cost": float(col),
            "lvar": float(var + col),
        })
    return {
        "source": "Corwin-Schultz high-low spread estimates on Binance BTCUSDT daily candles, 2024",
        "spreads": spreads,
        "returns_2024": returns,
        "spread_mean": float(mu),
        "spread_std": float(sd),
        "return_sigma": float(sigma_r),
        "cases": cases,
    }


def almgren_chriss(lam, X=mp.mpf(10**6), T=mp.mpf(5), N=5, sigma=mp.mpf(0.95),
                   eps=mp.mpf(0.0625), eta=mp.mpf(2.5e-6), gamma=mp.mpf(2.5e-7)):
    # Inputs are the binary64 values of their decimal text (what Rust parses), lifted exactly.
    tau = T / N
    eta_t = eta - gamma * tau / 2
    lam = mp.mpf(float(lam))
    if lam == 0:
        x = [X * (1 - mp.mpf(j) / N) for j in range(N + 1)]
        kappa = mp.mpf(0)
    else:
        kappa = mp.acosh(1 + lam * sigma**2 * tau**2 / (2 * eta_t)) / tau
        x = [X * mp.sinh(kappa * (T - j * tau)) / mp.sinh(kappa * T) for j in range(N + 1)]
    n = [x[k - 1] - x[k] for k in range(1, N + 1)]
    E = gamma * X**2 / 2 + eps * mp.fsum(abs(v) for v in n) + eta_t / tau * mp.fsum(v**2 for v in n)
    V = sigma**2 * tau * mp.fsum(v**2 for v in x[1:])
    if lam != 0:
        # The paper's closed forms (§2.2) must agree with the sums.
        kt, kT = kappa * tau, kappa * T
        E2 = gamma * X**2 / 2 + eps * X + eta_t * X**2 * mp.tanh(kt / 2) * (
            tau * mp.sinh(2 * kT) + 2 * T * mp.sinh(kt)) / (2 * tau**2 * mp.sinh(kT) ** 2)
        V2 = sigma**2 * X**2 / 2 * (tau * mp.sinh(kT) * mp.cosh(kappa * (T - tau)) - T * mp.sinh(kt)) / (
            mp.sinh(kT) ** 2 * mp.sinh(kt))
        assert abs(E - E2) < mp.mpf("1e-35") * E and abs(V - V2) < mp.mpf("1e-35") * V
    return {
        "lambda": float(lam),
        "kappa": float(kappa),
        "holdings": [float(v) for v in x],
        "trades": [float(v) for v in n],
        "expected_cost": float(E),
        "variance": float(V),
        "utility": float(E + lam * V),
    }


def impact_reference():
    cases = []
    for Y, sigma, Q, V, P in [("1", "0.02", "1000", "1000000", "50"), ("0.7", "0.035", "250", "40000", "105055.5")]:
        frac = mp.mpf(float(Y)) * mp.mpf(float(sigma)) * mp.sqrt(mp.mpf(float(Q)) / mp.mpf(float(V)))
        cases.append({
            "y": float(Y), "sigma": float(sigma), "quantity": float(Q), "daily_volume": float(V),
            "price": float(P), "impact_fraction": float(frac),
            "cost": float(frac * mp.mpf(float(P)) * mp.mpf(float(Q))),
        })
    return cases


def main():
    ref = {
        "book": book_reference(),
        "bangia": bangia_reference(),
        "almgren_chriss": {
            "source": "Almgren and Chriss (2000), Table 1 sample stock; values by mpmath at 50 digits",
            "params": {"x": 1e6, "t": 5.0, "n": 5, "sigma": 0.95, "epsilon": 0.0625,
                       "eta": 2.5e-6, "gamma": 2.5e-7},
            "cases": [almgren_chriss(l) for l in ["0", "1e-8", "1e-7", "1e-6", "2e-6", "1e-5"]],
        },
        "square_root": impact_reference(),
    }
    with open(OUT, "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
