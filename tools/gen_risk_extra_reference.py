#!/usr/bin/env python3
# Python 3.11.7
# numpy==2.2.6
# scipy==1.14.1
# (otherwise standard library only: csv, json)
"""Independent reference for volatility-weighted HS, component/incremental VaR and the
delta-gamma moments (derisk issue 13, second part).

Rerun from the repository root (deterministic; reads only committed files):

    python3 tools/gen_risk_extra_reference.py

Input   tests/data/btc_eth_daily_2019_2025.csv
Output  tests/data/risk_extra_reference.json

No Rust code was read or used.

hull_white  BTC log returns r of the last 1,000 days. EWMA lambda = 0.94:
            s2_0 = sum(w_j r_j^2)/sum(w_j) over the first 75 returns, w_j = 0.94^j (arch's
            backcast); s2_{t+1} = 0.94 s2_t + 0.06 r_t^2. Scenarios r*_t = r_t s_n / s_t. VaR:
            numpy.quantile(-r*, a) (type 7); ES: Acerbi-Tasche (m = n(1-a), k = floor(m)).
component   The last 500 days of simple returns of BTC and ETH. Positions: 1 BTC and -0.5 BTC
            (spot 100,000 USD), 10 ETH (spot 4,000 USD): pnl[s][i] = value_i * R_{asset(i),s}.
            Historical component VaR at 0.99: the scenario whose portfolio loss is the
            ceil(n a)-th smallest (type 1), components = minus each position's P&L there.
            Component ES at 0.975: Acerbi-Tasche tail weights applied per position.
            Incremental VaR at 0.99 (type 7): VaR(all) - VaR(all but i).
            Normal component VaR/ES at 0.99: exposures w = (100,000, 40,000) on the BTC and ETH
            simple returns, covariance numpy.cov (ddof = 1); C_i = w_i (S w)_i / s_p * c.
delta_gamma P = a Z + b Z^2, a = delta S sigma, b = gamma S^2 sigma^2 / 2: the first four
            moments by numerical integration against the normal density (scipy.integrate.quad,
            epsabs 0, epsrel 1e-13), never from the closed forms; then the Cornish-Fisher VaR.
"""
import csv
import json

import numpy as np
from scipy import integrate, stats


def load():
    with open("tests/data/btc_eth_daily_2019_2025.csv") as f:
        rows = [l for l in f if not l.startswith("#")]
    btc, eth = [], []
    for r in csv.DictReader(rows):
        btc.append(float(r["btc_close"]))
        eth.append(float(r["eth_close"]))
    return np.array(btc), np.array(eth)


def at_es(loss, a):
    n = len(loss)
    m = n * (1 - a)
    if abs(m - round(m)) <= 1e-9 * max(1.0, abs(round(m))):
        m = float(round(m))
    k = int(np.floor(m))
    s = np.sort(loss)[::-1]
    tail = s[:k].sum() + ((m - k) * s[k] if m > k else 0.0)
    return float(tail / m)


def hull_white(btc):
    r = np.log(btc[1:] / btc[:-1])[-1000:]
    w = 0.94 ** np.arange(75)
    s2 = np.empty(len(r) + 1)
    s2[0] = (w * r[:75] ** 2).sum() / w.sum()
    for t in range(len(r)):
        s2[t + 1] = 0.94 * s2[t] + 0.06 * r[t] ** 2
    s = np.sqrt(s2)
    x = r * s[-1] / s[:-1]
    out = {"n": len(r), "sigma_now": float(s[-1]), "first": float(x[0]), "last": float(x[-1])}
    for a in (0.99, 0.975):
        out[str(a)] = {"var": float(np.quantile(-x, a)), "es": at_es(-x, a)}
    return out


def component(btc, eth):
    rb = (btc[1:] / btc[:-1] - 1)[-500:]
    re_ = (eth[1:] / eth[:-1] - 1)[-500:]
    values = [(100_000.0, rb), (-50_000.0, rb), (40_000.0, re_)]
    pnl = np.column_stack([v * r for v, r in values])
    n = pnl.shape[0]
    loss = -pnl.sum(axis=1)
    a = 0.99
    k = int(np.ceil(round(n * a, 9)))
    order = sorted(range(n), key=lambda s: (loss[s], -s))  # ascending loss, ties: larger index first
    s_star = order[k - 1]
    comp_var = [float(-x) for x in pnl[s_star]]
    a2 = 0.975
    m = n * (1 - a2)
    m = float(round(m)) if abs(m - round(m)) <= 1e-9 else m
    kk = int(np.floor(m))
    desc = sorted(range(n), key=lambda s: (-loss[s], s))
    comp_es = []
    for i in range(3):
        tail = sum(pnl[s, i] for s in desc[:kk]) + ((m - kk) * pnl[desc[kk], i] if m > kk else 0.0)
        comp_es.append(float(-tail / m))
    inc = []
    total = float(np.quantile(loss, a))
    for i in range(3):
        rest = -np.delete(pnl, i, axis=1).sum(axis=1)
        inc.append(total - float(np.quantile(rest, a)))
    w = np.array([100_000.0, 40_000.0])
    cov = np.cov(np.vstack([rb, re_]), ddof=1)
    sp = np.sqrt(w @ cov @ w)
    z = stats.norm.ppf(0.99)
    tail = stats.norm.pdf(z) / 0.01
    share = w * (cov @ w) / sp
    return {
        "n": n,
        "var_scenario": s_star,
        "component_var_99": comp_var,
        "component_es_975": comp_es,
        "es_975": at_es(loss, a2),
        "var_99_type7": total,
        "incremental_var_99": inc,
        "covariance": [float(x) for x in cov.ravel()],
        "normal_component_var_99": [float(x) for x in share * z],
        "normal_component_es_99": [float(x) for x in share * tail],
        "normal_var_99": float(sp * z),
    }


def delta_gamma():
    out = []
    for delta, gamma, spot, sigma in ((-0.4, -2e-5, 90_000.0, 0.03),
                                      (0.6, 3e-5, 90_000.0, 0.03),
                                      (0.0, -2.0, 10.0, 0.1)):
        a = delta * spot * sigma
        b = 0.5 * gamma * spot * spot * sigma * sigma

        def moment(k, c=0.0):
            f = lambda z: (a * z + b * z * z - c) ** k * stats.norm.pdf(z)
            return integrate.quad(f, -40, 40, epsabs=0, epsrel=1e-13, limit=400, points=[0.0])[0]

        mean = moment(1)
        var = moment(2, mean)
        m3 = moment(3, mean)
        m4 = moment(4, mean)
        sd = np.sqrt(var)
        skew, kurt = m3 / sd ** 3, m4 / var ** 2 - 3
        z = stats.norm.ppf(1 - 0.99)
        w = z + (z * z - 1) * skew / 6 + (z ** 3 - 3 * z) * kurt / 24 - (2 * z ** 3 - 5 * z) * skew ** 2 / 36
        out.append({"delta": delta, "gamma": gamma, "spot": spot, "sigma": sigma,
                    "mean": mean, "std_dev": float(sd), "skewness": float(skew),
                    "excess_kurtosis": float(kurt),
                    "delta_gamma_normal_99": float(-mean - sd * z),
                    "cornish_fisher_99": float(-(mean + sd * w))})
    return out


def main():
    btc, eth = load()
    out = {"source": "tools/gen_risk_extra_reference.py",
           "hull_white": hull_white(btc),
           "component": component(btc, eth),
           "delta_gamma": delta_gamma()}
    with open("tests/data/risk_extra_reference.json", "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
