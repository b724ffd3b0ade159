#!/usr/bin/env python3
"""Independent fits for the issue-12 regression tests of the volatility domain (tests/vol/issue12.rs).

Writes tests/data/vol_issue12.json with
  * chain_12: the out-of-the-money mid-price implied vols of all 12 BTC expiries of the Deribit
    snapshot of 2025-12-30 17:31 UTC (deribit-options-2025-12-30.csv in the shared data folder):
    BTC options with bid > 0, ask > bid, |ln(K/F)| <= 0.7, F the expiry's mean futures_price,
    T the source's time_to_maturity; calls at K >= F, puts below; implied vols by Black-76 with
    r = 0 on the USD mid price (mid_coin * F), inverted with scipy.optimize.brentq to 1e-15.
  * svi: per expiry, scipy.optimize.least_squares (trust-region reflective, xtol = ftol = gtol =
    1e-15) on raw SVI (a, b, rho, m, sigma) in implied volatility, unweighted, from a 5 x 5 grid of
    (m, sigma) starts: RMSE in vol points of the best fit.
  * ssvi: the same on power-law SSVI over all 12 expiries at once ([rho, eta, gamma, theta_1,
    theta increments]), starts rho in {-0.4, 0, 0.4} x gamma in {0.2, 0.4, 0.6}: RMSE and max error.
  * sabr_beta0: per expiry of examples/data/btc_chain_full.csv, SABR with beta = 0 fitted by
    least_squares on QuantLib's sabrVolatility (an independent implementation of Hagan 2002),
    starts rho in {-0.5, 0, 0.5} x nu in {0.3, 1.5}, alpha from the ATM vol times F; quotes are the
    chain's out-of-the-money mid-price implied vols as above.

Pinned versions: Python 3, numpy 2.2.6, scipy 1.14.1, QuantLib 1.44.
Run from the repository root:  python3 tools/gen_vol_issue12.py /work/shared/data
Tests read only the committed JSON and examples/data/btc_chain_full.csv.
"""
import csv
import json
import math
import sys
from collections import defaultdict

import numpy as np
import QuantLib as ql
import scipy
from scipy.optimize import brentq, least_squares
from scipy.stats import norm

assert scipy.__version__ == "1.14.1", scipy.__version__
assert np.__version__ == "2.2.6", np.__version__
assert ql.__version__ == "1.44", ql.__version__


def black(kind, f, k, t, s):
    sd = s * math.sqrt(t)
    d1 = (math.log(f / k) + 0.5 * sd * sd) / sd
    d2 = d1 - sd
    if kind == "call":
        return f * norm.cdf(d1) - k * norm.cdf(d2)
    return k * norm.cdf(-d2) - f * norm.cdf(-d1)


def implied(kind, price, f, k, t):
    return brentq(lambda s: black(kind, f, k, t, s) - price, 1e-6, 20.0, xtol=1e-15, rtol=1e-15)


def otm_slices(rows, key):
    """rows: dicts with expiry, t, kind, strike, forward, bid, ask (coin). Returns sorted slices."""
    by = defaultdict(list)
    for r in rows:
        by[r["expiry"]].append(r)
    out = []
    for e in sorted(by):
        rs = by[e]
        f = sum(r["forward"] for r in rs) / len(rs)
        t = rs[0]["t"]
        ks, vs = [], []
        for r in sorted(rs, key=lambda r: r["strike"]):
            k = r["strike"]
            if not (r["bid"] > 0 and r["ask"] > r["bid"]) or abs(math.log(k / f)) > 0.7:
                continue
            if (r["kind"] == "call") != (k >= f):
                continue
            mid = 0.5 * (r["bid"] + r["ask"]) * f
            ks.append(math.log(k / f))
            vs.append(implied(r["kind"], mid, f, k, t))
        out.append({"expiry": e, "t": t, "forward": f, "k": ks, "vols": vs})
    return out


def svi_w(p, k):
    a, b, rho, m, s = p
    x = k - m
    return a + b * (rho * x + np.sqrt(x * x + s * s))


def fit_svi(sl):
    k, v, t = np.array(sl["k"]), np.array(sl["vols"]), sl["t"]

    def res(p):
        w = svi_w(p, k)
        return np.sqrt(np.maximum(w, 1e-300) / t) - v

    best = None
    lo, hi = k.min(), k.max()
    span = max(hi - lo, 1e-3)
    for m in np.linspace(lo, hi, 5):
        for s in span * np.array([0.02, 0.05, 0.1, 0.3, 1.0]):
            w_atm = np.interp(0.0, k, v * v * t)
            x0 = [w_atm * 0.5, 0.1, -0.2, m, s]
            try:
                r = least_squares(res, x0, bounds=([-10, 0, -0.999999, -10, 1e-6], [10, 2, 0.999999, 10, 10]),
                                  xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=20000)
            except ValueError:
                continue
            if best is None or r.cost < best.cost:
                best = r
    e = res(best.x)
    return {"rmse_vol_points": float(np.sqrt(np.mean(e * e)) * 100), "params": list(best.x)}


def fit_ssvi(slices):
    n = len(slices)
    ks = [np.array(s["k"]) for s in slices]
    vs = [np.array(s["vols"]) for s in slices]
    ts = [s["t"] for s in slices]

    def res(p):
        rho, eta, gamma = p[:3]
        thetas = np.cumsum(p[3:])
        out = []
        for k, v, t, th in zip(ks, vs, ts, thetas):
            phi = eta / (th ** gamma * (1 + th) ** (1 - gamma))
            x = phi * k
            w = 0.5 * th * (1 + rho * x + np.sqrt((x + rho) ** 2 + 1 - rho * rho))
            out.append(np.sqrt(w / t) - v)
        return np.concatenate(out)

    atm = [float(np.interp(0.0, k, v * v * t)) for k, v, t in zip(ks, vs, ts)]
    for i in range(1, n):
        atm[i] = max(atm[i], atm[i - 1] * 1.0001)
    inc = [atm[0]] + [atm[i] - atm[i - 1] for i in range(1, n)]
    lower = [-0.999, 1e-4, 1e-3, 1e-8] + [0.0] * (n - 1)
    upper = [0.999, 1e2, 0.999] + [10.0] * n
    best = None
    for rho in (-0.4, 0.0, 0.4):
        for gamma in (0.2, 0.4, 0.6):
            r = least_squares(res, [rho, 1.0, gamma] + inc, bounds=(lower, upper),
                              xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=50000)
            if best is None or r.cost < best.cost:
                best = r
    e = res(best.x)
    return {"rmse_vol_points": float(np.sqrt(np.mean(e * e)) * 100),
            "max_error_vol_points": float(np.max(np.abs(e)) * 100),
            "rho": float(best.x[0]), "eta": float(best.x[1]), "gamma": float(best.x[2]),
            "thetas": list(np.cumsum(best.x[3:]))}


def fit_sabr_beta0(sl):
    k, v, t, f = np.array(sl["k"]), np.array(sl["vols"]), sl["t"], sl["forward"]
    strikes = f * np.exp(k)

    def res(p):
        alpha, rho, nu = p
        out = []
        for K, vol in zip(strikes, v):
            try:
                s = ql.sabrVolatility(float(K), f, t, alpha, 0.0, nu, rho)
            except RuntimeError:
                s = 10.0
            out.append(s - vol)
        return np.array(out)

    atm = v[np.argmin(np.abs(k))]
    best = None
    for rho in (-0.5, 0.0, 0.5):
        for nu in (0.3, 1.5):
            r = least_squares(res, [atm * f, rho, nu], bounds=([1e-8 * f, -0.9999, 0.0], [10 * f, 0.9999, 1e3]),
                              x_scale=[f, 1.0, 1.0], xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=20000)
            if best is None or r.cost < best.cost:
                best = r
    e = res(best.x)
    return {"expiry": sl["expiry"], "rmse_vol_points": float(np.sqrt(np.mean(e * e)) * 100),
            "alpha": float(best.x[0]), "rho": float(best.x[1]), "nu": float(best.x[2])}


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
    rows = []
    with open(f"{src}/deribit-options-2025-12-30.csv") as fh:
        for r in csv.DictReader(fh):
            if r["currency"] != "BTC" or not r["bid_price"] or not r["ask_price"]:
                continue
            rows.append({"expiry": r["expiry_datetime"][:10], "t": float(r["time_to_maturity"]),
                         "kind": r["option_type"], "strike": float(r["strike"]),
                         "forward": float(r["futures_price"]), "bid": float(r["bid_price"]),
                         "ask": float(r["ask_price"])})
    chain = [s for s in otm_slices(rows, "expiry") if len(s["k"]) >= 5]
    svi = [fit_svi(s) for s in chain]
    ssvi = fit_ssvi(chain)
    full = []
    with open("examples/data/btc_chain_full.csv") as fh:
        for r in csv.DictReader(fh):
            full.append({"expiry": r["expiry"], "t": float(r["time_to_maturity"]), "kind": r["kind"],
                         "strike": float(r["strike"]), "forward": float(r["forward"]),
                         "bid": float(r["bid_coin"]), "ask": float(r["ask_coin"])})
    sabr = [fit_sabr_beta0(s) for s in otm_slices(full, "expiry")]
    out = {"generator": "tools/gen_vol_issue12.py (numpy 2.2.6, scipy 1.14.1, QuantLib 1.44)",
           "chain_12": chain, "svi": svi, "ssvi": ssvi, "sabr_beta0": sabr}
    with open("tests/data/vol_issue12.json", "w") as fh:
        json.dump(out, fh, indent=1)
    for s, f in zip(chain, svi):
        print(s["expiry"], len(s["k"]), "svi rmse", f["rmse_vol_points"])
    print("ssvi", ssvi["rmse_vol_points"], ssvi["max_error_vol_points"], ssvi["rho"], ssvi["eta"], ssvi["gamma"])
    for s in sabr:
        print("sabr beta0", s)


if __name__ == "__main__":
    main()
