#!/usr/bin/env python3
# Stress-scenario excerpts and reference numbers for tests/risk/stress.rs (issue 14).
# Python 3.12 standard library only for the excerpts; mpmath 1.3.0 (50 digits) for every log move
# and interpolation, numpy 2.2.6 as a float64 cross-check of the same formulas.
#
# Usage (from the repository root): python3 tools/gen_stress_reference.py ../shared/data
# Writes tests/data/stress_yahoo_daily.csv, stress_binance_daily.csv,
# stress_btcusdt_perp_1m_2025-10-10.csv, stress_chain_2025-12-30.csv, stress_chain_2026-02-05.csv
# and stress_reference.json. Deterministic: rerunning gives the same bytes.
#
# Definitions (the same as src/risk/stress/, computed here independently):
# - crisis window: the daily rows from centre − 7 days to centre + 7 days inclusive;
# - worst h-day move: min over i of ln(C[i+h]/C[i]) over the window's closes (h = 1, 3, 7);
# - worst intraday move: min over i ≥ 1 of ln(L[i]/C[i−1]) (Binance daily low against the
#   previous Binance close, both inside the window);
# - peak-to-trough of 1-minute candles: min over j of ln(L[j] / max_{i≤j} H[i]);
# - a chain's smile at one expiry: σ(k) linear in total variance w = σ²τ between the two nearest
#   listed log-moneyness points k = ln(K/F) (F = the median futures_price of the expiry's rows),
#   ATM = σ(0), skew = (σ(+0.05) − σ(−0.05))/0.10;
# - a bucket of d days (τ_b = d/365.25): ATM total variance and skew linear in τ between the two
#   expiries around τ_b (flat ATM vol and skew beyond the first and last expiry).
import csv
import json
import math
import os
import sys
from datetime import date, timedelta

import mpmath as mp
import numpy as np

mp.mp.dps = 50
SRC = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
OUT = "tests/data"

CRISES = [
    ("covid-2020-03-12", "2020-03-12"),
    ("china-ban-2021-05-19", "2021-05-19"),
    ("luna-2022-05-12", "2022-05-12"),
    ("ftx-2022-11-09", "2022-11-09"),
    ("yen-carry-2024-08-05", "2024-08-05"),
    ("liquidations-2025-10-10", "2025-10-10"),
]
HORIZONS = [1, 3, 7]
BUCKETS = [7.0, 30.0, 90.0, 180.0]
SKEW_K = 0.05


def window_days(centre):
    c = date.fromisoformat(centre)
    return {(c + timedelta(days=d)).isoformat() for d in range(-7, 8)}


def read(path):
    with open(os.path.join(SRC, path), newline="") as f:
        return list(csv.DictReader(f))


def mplog(a, b):
    return mp.log(mp.mpf(a) / mp.mpf(b))


def worst(closes, h):
    best = None
    for i in range(len(closes) - h):
        v = mplog(closes[i + h], closes[i])
        if best is None or v < best[0]:
            best = (v, i, i + h)
    # numpy float64 cross-check of the same minimum
    c = np.array(closes, dtype=float)
    assert abs(float(np.min(np.log(c[h:] / c[:-h]))) - float(best[0])) < 1e-14
    return best


def worst_low(closes, lows):
    best = None
    for i in range(1, len(closes)):
        v = mplog(lows[i], closes[i - 1])
        if best is None or v < best[0]:
            best = (v, i - 1, i)
    return best


def peak_to_trough(highs, lows):
    best, peak, ipeak = None, None, 0
    for j in range(len(highs)):
        if peak is None or highs[j] > peak:
            peak, ipeak = highs[j], j
        v = mplog(lows[j], peak)
        if best is None or v < best[0]:
            best = (v, ipeak, j)
    return best


def move(t, dates):
    return {"log_move": float(t[0]), "start": dates[t[1]], "end": dates[t[2]]}


def write_csv(name, header, rows, comment):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        for line in comment:
            f.write("# " + line + "\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def crises():
    keep = set().union(*(window_days(c) for _, c in CRISES))
    yahoo = [r for r in read("btc-eth-usd-daily-2017-2025.csv") if r["date"] in keep]
    btc = {r["date"]: r for r in read("btc-usdt-binance-daily-2017-2025.csv") if r["date"] in keep}
    eth = {r["date"]: r for r in read("eth-usdt-binance-daily-2017-2025.csv") if r["date"] in keep}
    write_csv(
        "stress_yahoo_daily.csv",
        ["date", "btc_close", "eth_close"],
        [[r["date"], r["btc_close"], r["eth_close"]] for r in yahoo],
        ["Yahoo Finance BTC-USD and ETH-USD daily closes (USD, UTC days), the rows of the six crisis",
         "windows (centre +- 7 days) of ../shared/data/btc-eth-usd-daily-2017-2025.csv (jonsflow/risk-model",
         "data/btc.csv, data/eth.csv, commit b6c9747); written by tools/gen_stress_reference.py."],
    )
    binance_rows = []
    for d in sorted(btc):
        b, e = btc[d], eth[d]
        binance_rows.append([d, b["open"], b["high"], b["low"], b["close"],
                             e["open"], e["high"], e["low"], e["close"]])
    write_csv(
        "stress_binance_daily.csv",
        ["date", "btc_open", "btc_high", "btc_low", "btc_close",
         "eth_open", "eth_high", "eth_low", "eth_close"],
        binance_rows,
        ["Binance spot BTCUSDT and ETHUSDT daily candles (USDT, UTC days), the rows of the six crisis",
         "windows of ../shared/data/btc-usdt-binance-daily-2017-2025.csv and eth-usdt-binance-daily-2017-2025.csv",
         "(yanniedog/binance-historical-OHLCV-data, commit eb47266); written by tools/gen_stress_reference.py."],
    )
    out = []
    for name, centre in CRISES:
        days = window_days(centre)
        y = [r for r in yahoo if r["date"] in days]
        bn = [r for r in binance_rows if r[0] in days]
        entry = {"name": name, "centre": centre, "start": min(days), "end": max(days)}
        for asset, col, bi in [("BTC", "btc_close", 1), ("ETH", "eth_close", 5)]:
            dates = [r["date"] for r in y]
            closes = [r[col] for r in y]
            bdates = [r[0] for r in bn]
            entry[asset] = {
                "close_moves": {str(h): move(worst(closes, h), dates) for h in HORIZONS},
                "intraday_low": move(worst_low([r[bi + 3] for r in bn], [r[bi + 2] for r in bn]), bdates),
            }
        out.append(entry)
    return out


def minute():
    rows = read("btc-usdt-perp-1m-2025-10-10.csv")
    with open(os.path.join(SRC, "btc-usdt-perp-1m-2025-10-10.csv"), newline="") as f:
        body = f.read()
    with open(os.path.join(OUT, "stress_btcusdt_perp_1m_2025-10-10.csv"), "w", newline="") as f:
        f.write("# Binance USD-M BTCUSDT perpetual 1-minute candles 2025-10-10T18:00Z to 2025-10-11T01:59Z (UTC),\n")
        f.write("# the whole of ../shared/data/btc-usdt-perp-1m-2025-10-10.csv (owlacar-dotcom/isda BTCUSDT-1m-2025-10.csv,\n")
        f.write("# commit 6c1892c, Binance's monthly kline archive); copied by tools/gen_stress_reference.py.\n")
        f.write(body)
    t = [r["open_time_utc"] for r in rows]
    return move(peak_to_trough([r["high"] for r in rows], [r["low"] for r in rows]), t)


def chain(src, stamp, name):
    rows = [r for r in read(src) if r["instrument_name"].startswith("BTC-")]
    by = {}
    for r in rows:
        by.setdefault(r["expiry_datetime"], []).append(r)
    out_rows, slices = [], []
    for e in sorted(by):
        rs = by[e]
        fs = sorted(float(r["futures_price"]) for r in rs)
        n = len(fs)
        f = fs[n // 2] if n % 2 else (fs[n // 2 - 1] + fs[n // 2]) / 2
        tau = rs[0]["time_to_maturity"]
        assert all(r["time_to_maturity"] == tau for r in rs)
        strikes = {}
        for r in rs:
            iv = float(r["implied_volatility"])
            if iv > 0:
                strikes[float(r["strike"])] = r["implied_volatility"]
        ks = sorted(strikes)
        for k in ks:
            out_rows.append([e[:19] + "Z", tau, repr(f), repr(k), strikes[k]])
        slices.append((e[:19] + "Z", tau, repr(f), [(repr(k), strikes[k]) for k in ks]))
    write_csv(
        name,
        ["expiry", "tau", "forward", "strike", "mark_iv"],
        out_rows,
        [f"Deribit BTC option chain at {stamp} UTC: one row per (expiry, strike), mark IV (decimal, the",
         "same for the call and the put), time to expiry tau in years ACT/365.25 from the snapshot, forward =",
         f"median futures_price of the expiry's rows. From ../shared/data/{src}",
         "(znmahbub/SVCJ-Deribit-Inverse-Options-Pricer); written by tools/gen_stress_reference.py."],
    )
    return slices


def smile_vol(pts, tau, k):
    # pts: [(log-moneyness, sigma)] increasing; linear in w = σ²τ between neighbours.
    for (k0, s0), (k1, s1) in zip(pts, pts[1:]):
        if k0 <= k <= k1:
            w0, w1 = s0 * s0 * tau, s1 * s1 * tau
            w = w0 + (k - k0) / (k1 - k0) * (w1 - w0)
            return mp.sqrt(w / tau)
    raise ValueError("k outside the listed strikes")


def surface(slices):
    per = []
    for e, tau, f, ks in slices:
        tau, f = mp.mpf(tau), mp.mpf(f)
        pts = [(mp.log(mp.mpf(k) / f), mp.mpf(v)) for k, v in ks]
        atm = smile_vol(pts, tau, 0)
        skew = (smile_vol(pts, tau, SKEW_K) - smile_vol(pts, tau, -SKEW_K)) / (2 * SKEW_K)
        per.append((tau, atm, skew, e))
    buckets = []
    for d in BUCKETS:
        tb = mp.mpf(d) / mp.mpf("365.25")
        if tb <= per[0][0]:
            atm, skew = per[0][1], per[0][2]
        elif tb >= per[-1][0]:
            atm, skew = per[-1][1], per[-1][2]
        else:
            for (t0, a0, s0, _), (t1, a1, s1, _) in zip(per, per[1:]):
                if t0 <= tb <= t1:
                    x = (tb - t0) / (t1 - t0)
                    w = a0 * a0 * t0 + x * (a1 * a1 * t1 - a0 * a0 * t0)
                    atm = mp.sqrt(w / tb)
                    skew = s0 + x * (s1 - s0)
                    break
        buckets.append({"days": d, "atm_vol": float(atm), "skew": float(skew)})
    return {"expiries": [{"expiry": e, "tau": float(t), "atm_vol": float(a), "skew": float(s)}
                         for t, a, s, e in per], "buckets": buckets}


def main():
    os.makedirs(OUT, exist_ok=True)
    ref = {
        "source": "tools/gen_stress_reference.py (mpmath 1.3.0 at 50 digits; numpy 2.2.6 cross-check)",
        "crises": crises(),
        "perp_1m_peak_to_trough": minute(),
        "skew_log_moneyness": SKEW_K,
        "bucket_days": BUCKETS,
    }
    calm = chain("deribit-options-2025-12-30.csv", "2025-12-30 17:31:15", "stress_chain_2025-12-30.csv")
    stressed = chain("deribit-btc-options-2026-02-05.csv", "2026-02-05 21:29:37", "stress_chain_2026-02-05.csv")
    ref["surface_calm"] = surface(calm)
    ref["surface_stressed"] = surface(stressed)
    with open(os.path.join(OUT, "stress_reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
