#!/usr/bin/env python3
# Python 3.11.7
# arch==8.0.0
# numpy==2.2.6
# scipy==1.14.1
# (otherwise standard library only: csv, json, sys)
"""Independent walk-forward VaR/ES reference for derisk issue 13 (risk::WalkForward).

Rerun from the repository root (deterministic; reads only committed files):

    python3 tools/gen_walk_forward_reference.py

Input   tests/data/btc_eth_daily_2019_2025.csv (BTC-USD and ETH-USD daily closes)
Output  tests/data/walk_forward_reference.json

No Rust code was read or used. The pipeline, as stated in docs/risk.md:

  * r_t = ln(P_t / P_{t-1}) (decimal log returns, the P&L of one unit of value held a day);
    day t's forecasts use r_0 .. r_{t-1} only.
  * GARCH(1,1), constant mean, standardised Student-t innovations, fitted by `arch` on the
    percent returns y = 100 r of the rolling window y[t-n .. t) at every refit day
    t = first, first + k, ...; from the second refit on, warm-started at the previous fit's
    parameters (`starting_values`). Between refits the parameters stay fixed and the variance
    recursion runs on (`ARCHModelResult.forecast(horizon=1, start=...)`, which filters the later
    residuals from the fit's first observation with the fit sample's backcast).
    VaR_t = -(mu + sigma_t q_{1-a}) / 100, ES_t = -(mu - sigma_t es_z(a)) / 100 where q is the
    standardised-t quantile (arch's StudentsT.ppf) and
    es_z(a) = sqrt((nu-2)/nu) f_nu(t_nu^-1(a)) / (1-a) (nu + t_nu^-1(a)^2) / (nu - 1).
  * Historical simulation on the window r[t-n_hs .. t): VaR = numpy.quantile(loss, a) (type 7,
    "linear"), ES = Acerbi-Tasche: m = n(1-a), k = floor(m), (sum of k largest losses +
    (m-k) * the (k+1)-th largest) / m.
  * EWMA (RiskMetrics, lambda = 0.94, zero mean, normal): s2_0 = the 0.94-weighted mean of the
    first min(75, n) squared returns of the whole series (arch's backcast), s2_{t+1} =
    lambda s2_t + (1 - lambda) r_t^2; VaR = s_t z_a, ES = s_t phi(z_a) / (1 - a).
  * An exception on day t: -r_t > VaR_t strictly.

Two runs:
  short  BTC, window n = n_hs = 500, refit every 21 days, the first 378 forecast days (18 fits):
         every per-day forecast, every refit (params, loglik).
  full   BTC and ETH, window n = n_hs = 1000, refit every 21 days, every day to 2025-12-31:
         exception days and counts per model and level, and every refit (params, loglik).
"""
import csv
import json
import sys

import arch
import numpy as np
import scipy
from arch import arch_model
from scipy import stats

LEVELS = [0.99, 0.975]
LAMBDA = 0.94


def load():
    dates, btc, eth = [], [], []
    with open("tests/data/btc_eth_daily_2019_2025.csv") as f:
        rows = [l for l in f if not l.startswith("#")]
    for r in csv.DictReader(rows):
        dates.append(r["date"])
        btc.append(float(r["btc_close"]))
        eth.append(float(r["eth_close"]))
    return dates, np.array(btc), np.array(eth)


def t_es_std(nu, a):
    q = stats.t.ppf(a, nu)
    return np.sqrt((nu - 2) / nu) * stats.t.pdf(q, nu) / (1 - a) * (nu + q * q) / (nu - 1)


def hs(window, a):
    loss = -window
    var = float(np.quantile(loss, a))
    n = len(loss)
    m = n * (1 - a)
    if abs(m - round(m)) <= 1e-9 * max(1.0, abs(round(m))):
        m = float(round(m))
    k = int(np.floor(m))
    s = np.sort(loss)[::-1]
    es = (s[:k].sum() + (m - k) * s[k]) / m
    return var, float(es)


def ewma_sigma(r):
    tau = min(75, len(r))
    w = LAMBDA ** np.arange(tau)
    w = w / w.sum()
    s2 = np.empty(len(r) + 1)
    s2[0] = w.dot(r[:tau] ** 2)
    for t in range(len(r)):
        s2[t + 1] = LAMBDA * s2[t] + (1 - LAMBDA) * r[t] ** 2
    return np.sqrt(s2)


def run(r, n, k, last):
    """Forecasts for days first = n .. last-1 (exclusive)."""
    y = 100.0 * r
    first = n
    am = arch_model(y, mean="Constant", vol="GARCH", p=1, o=0, q=1, dist="t")
    refits, out = [], {"garch": [], "hs": [], "ewma": [], "sigma": [], "mu": []}
    prev = None
    sig_e = ewma_sigma(r)
    for t0 in range(first, last, k):
        res = am.fit(first_obs=t0 - n, last_obs=t0, starting_values=prev, disp="off",
                     show_warning=False, options={"ftol": 1e-12, "maxiter": 1000})
        prev = np.asarray(res.params)
        mu, nu = prev[0], prev[4]
        refits.append({"day": t0, "params": [float(x) for x in prev],
                       "loglik": float(res.loglikelihood),
                       "convergence_flag": int(res.convergence_flag)})
        t1 = min(t0 + k, last)
        f = res.forecast(horizon=1, start=t0 - 1, reindex=False)
        var = np.asarray(f.variance)[: t1 - t0, 0]
        for j, t in enumerate(range(t0, t1)):
            s = np.sqrt(var[j])
            q = am.distribution.ppf(1 - np.array(LEVELS), [nu])
            out["garch"].append([[float(-(mu + s * q[i]) / 100.0),
                                  float(-(mu - s * t_es_std(nu, a)) / 100.0)]
                                 for i, a in enumerate(LEVELS)])
            out["hs"].append([list(hs(r[t - n:t], a)) for a in LEVELS])
            se = sig_e[t]
            z = stats.norm.ppf(LEVELS)
            out["ewma"].append([[float(se * z[i]), float(se * stats.norm.pdf(z[i]) / (1 - a))]
                                for i, a in enumerate(LEVELS)])
            out["sigma"].append(float(s / 100.0))
            out["mu"].append(float(mu / 100.0))
    return first, refits, out


def exceptions(r, first, forecasts):
    res = {}
    for i, a in enumerate(LEVELS):
        days = [first + j for j, fc in enumerate(forecasts) if -r[first + j] > fc[i][0]]
        res[str(a)] = days
    return res


def main():
    dates, btc, eth = load()
    rb, re_ = np.log(btc[1:] / btc[:-1]), np.log(eth[1:] / eth[:-1])
    out = {
        "source": "tools/gen_walk_forward_reference.py",
        "versions": {"python": sys.version.split()[0], "arch": arch.__version__,
                     "numpy": np.__version__, "scipy": scipy.__version__},
        "levels": LEVELS,
        "lambda": LAMBDA,
    }
    first, refits, fc = run(rb, 500, 21, 500 + 378)
    out["short"] = {"asset": "btc", "window": 500, "refit_every": 21, "first": first,
                    "days": len(fc["garch"]), "refits": refits, "forecasts": fc,
                    "exceptions": {m: exceptions(rb, first, fc[m]) for m in ("garch", "hs", "ewma")}}
    out["full"] = {}
    for name, r in (("btc", rb), ("eth", re_)):
        first, refits, fc = run(r, 1000, 21, len(r))
        out["full"][name] = {"window": 1000, "refit_every": 21, "first": first,
                             "days": len(fc["garch"]), "refits": refits,
                             "exceptions": {m: exceptions(r, first, fc[m])
                                            for m in ("garch", "hs", "ewma")}}
    with open("tests/data/walk_forward_reference.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
