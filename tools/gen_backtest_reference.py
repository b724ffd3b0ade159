#!/usr/bin/env python3
# Python 3.11
# numpy==2.2.6
# scipy==1.14.1
# mpmath==1.3.0
# vartests==0.4.1
"""Independent reference for derisk's backtests (issue 13): Kupiec TUFF, traffic-light plus
factors, Acerbi-Szekely Z1/Z2, tick loss and Diebold-Mariano.

Rerun from the repository root (deterministic; reads only committed files):

    python3 tools/gen_backtest_reference.py

Input   examples/data/btc_daily_close.csv  (BTC-USD daily closes 2014-09-17 .. 2022-01-24)
Output  tests/data/backtest_reference.json

No Rust code was read or used. Conventions (docs/risk.md):
  * r_t = ln(P_t / P_{t-1}); P&L y_t = r_t (gain positive); VaR and ES are positive losses.
  * An exception is -y_t > VaR_t (strict). p = 1 - alpha in binary64, lifted to 50 digits.
  * Kupiec TUFF (Kupiec 1995): v = day of the first exception (from 1),
    LR = -2 ln[p (1-p)^(v-1)] + 2 ln[(1/v)(1-1/v)^(v-1)], p-value erfc(sqrt(LR/2)), mpmath 50
    digits. vartests has no TUFF; vartests.kupiec_test (POF) cross-checks the shared LR form
    at v days with one failure.
  * Plus factor (Basel 1996 Table 2 rationale, as MathWorks varbacktest/tl): 0 green, 1 red,
    yellow min(1, max(0, 3 (z_alpha / z_{1 - x/n} - 1))) with scipy.stats.norm.ppf; zones from
    scipy.stats.binom.cdf (green < 0.95 <= yellow < 0.9999 <= red).
  * Forecasts over the last 500 days: rolling 250-day normal VaR and ES (sample mean, sample sd
    with ddof=1; VaR = -m + s z_alpha, ES = -m + s phi(z_alpha)/(1 - alpha), scipy.stats.norm)
    and rolling 250-day historical VaR (numpy.quantile of the losses, method "linear").
  * Acerbi-Szekely (Risk, 2014), from the paper's formulas with math.fsum:
    Z1 = 1 - (1/N) sum_t I_t L_t / ES_t, Z2 = 1 - sum_t I_t L_t / (T a ES_t), a = 1 - alpha,
    L_t = -y_t. vartests has no ES test.
  * Tick loss: mean of (a - 1{y < q})(y - q), q = -VaR. Diebold-Mariano with Newey-West
    (Bartlett) long-run variance, gamma_k = (1/T) sum (d_t - dbar)(d_{t-k} - dbar),
    DM = dbar / sqrt(V/T), p = 2 Phi(-|DM|).
"""

import csv
import json
import math

import mpmath as mp
import numpy as np
import vartests
from scipy import stats

mp.mp.dps = 50

prices = [float(r["Close"]) for r in csv.DictReader(open("examples/data/btc_daily_close.csv"))]
r = np.log(np.array(prices[1:]) / np.array(prices[:-1]))
out = {"source": "tools/gen_backtest_reference.py"}


# --- Kupiec TUFF -------------------------------------------------------------------------
def tuff(v, alpha):
    p = mp.mpf(1.0 - alpha)  # binary64 p, as Rust computes it
    v = mp.mpf(v)
    lr = -2 * mp.log(p * (1 - p) ** (v - 1))
    lr += 2 * (mp.log(1 / v) + ((v - 1) * mp.log(1 - 1 / v) if v > 1 else 0))
    return lr, mp.erfc(mp.sqrt(lr / 2))


grid = []
checked = 0
for alpha in (0.99, 0.975, 0.95, 0.9):
    for v in (1, 2, 5, 10, 20, 39, 40, 41, 100, 101, 250, 1000):
        lr, pv = tuff(v, alpha)
        grid.append({"confidence": alpha, "first": v, "lr": float(lr), "p_value": float(pv)})
        # vartests' POF at x = 1 failure in v days is the same LR (for v >= 2).
        if v >= 2:
            viol = [0] * (v - 1) + [1]
            k = vartests.kupiec_test(viol, risk_conf_level=alpha, conf_level=0.95)
            lr_vt = float(k["statistic"])
            # vartests subtracts two log-likelihoods: compare where that keeps 9 digits.
            if float(lr) > 1e-3:
                assert abs(lr_vt - float(lr)) <= 1e-9 * float(lr), (v, alpha, lr_vt, lr)
                checked += 1
out["tuff_grid"] = grid
assert checked > 30, checked

# --- traffic light plus factors ----------------------------------------------------------
tl = []
for n in (250, 500):
    for alpha in (0.99, 0.975, 0.95):
        p = 1.0 - alpha
        rows = []
        for x in range(0, n + 1):
            c = float(stats.binom.cdf(x, n, p))
            zone = "green" if c < 0.95 else ("yellow" if c < 0.9999 else "red")
            if zone == "green":
                plus = 0.0
            elif zone == "red":
                plus = 1.0
            else:
                obs = 1.0 - x / n
                plus = 1.0 if obs <= 0.5 else 3.0 * (stats.norm.ppf(alpha) / stats.norm.ppf(obs) - 1.0)
                plus = min(1.0, max(0.0, plus))
            rows.append({"x": x, "zone": zone, "plus": float(plus)})
            if zone == "red" and x > 60:
                break
        tl.append({"n": n, "confidence": alpha, "rows": rows})
out["plus_factors"] = tl

# --- forecasts over the last 500 days ----------------------------------------------------
W, T = 250, 500
series = r[-(W + T):]
y = series[W:]
fc = {}
for alpha in (0.99, 0.975):
    z = stats.norm.ppf(alpha)
    var_n, es_n, var_h = [], [], []
    for t in range(T):
        w = series[t:t + W]
        m, s = float(np.mean(w)), float(np.std(w, ddof=1))
        var_n.append(-m + s * z)
        es_n.append(-m + s * stats.norm.pdf(z) / (1 - alpha))
        var_h.append(float(np.quantile(-w, alpha, method="linear")))
    fc[alpha] = (var_n, es_n, var_h)

out["window"] = W
out["days"] = T
out["realised_first"] = float(y[0])


def acerbi(y, var, es, alpha):
    a = 1.0 - alpha
    terms = [-yt / e for yt, v, e in zip(y, var, es) if -yt > v]
    n_hits = len(terms)
    s = math.fsum(terms)
    z1 = 1 - s / n_hits if n_hits else None
    z2 = 1 - s / (len(y) * a)
    return z1, z2, n_hits


def tick(var, y, a):
    return np.array([(a - (yt < -v)) * (yt + v) for v, yt in zip(var, y)])


def dm(d, lags):
    n = len(d)
    m = math.fsum(d) / n
    lrv = 0.0
    for k in range(lags + 1):
        g = math.fsum((d[t] - m) * (d[t - k] - m) for t in range(k, n)) / n
        lrv += g if k == 0 else 2 * (1 - k / (lags + 1)) * g
    stat = m / math.sqrt(lrv / n)
    return m, stat, 2 * stats.norm.cdf(-abs(stat))


es_out = []
for alpha in (0.99, 0.975):
    var_n, es_n, var_h = fc[alpha]
    z1, z2, hits = acerbi(y, var_n, es_n, alpha)
    a = 1.0 - alpha
    l_n, l_h = tick(var_n, y, a), tick(var_h, y, a)
    cmp = []
    for lags in (0, 5):
        m, stat, pv = dm(list(l_n - l_h), lags)
        cmp.append({"lags": lags, "mean_difference": m, "statistic": stat, "p_value": pv})
    es_out.append({
        "confidence": alpha,
        "var_normal": var_n,
        "es_normal": es_n,
        "var_historical": var_h,
        "exceptions": hits,
        "z1": z1,
        "z2": z2,
        "tick_normal": math.fsum(l_n) / T,
        "tick_historical": math.fsum(l_h) / T,
        "dm": cmp,
    })
out["forecasts"] = es_out

with open("tests/data/backtest_reference.json", "w") as f:
    json.dump(out, f)
for e in es_out:
    print(e["confidence"], e["exceptions"], e["z1"], e["z2"], e["tick_normal"], e["tick_historical"], e["dm"])
