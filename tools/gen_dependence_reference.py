#!/usr/bin/env python3
# Python 3.11
# numpy==2.2.6
# scipy==1.14.1
# mpmath==1.3.0
"""Independent reference for derisk's dependence measures (issue 13, second part).

Rerun from the repository root (deterministic; reads only committed files):

    python3 tools/gen_dependence_reference.py

Input   tests/data/btc_eth_daily_2022_2024.csv (BTC and ETH daily USD closes, 2022-01-01 ..
        2024-12-31; provenance in tests/data/README.md)
Output  tests/data/dependence_reference.json

No Rust code was read or used. Conventions (docs/risk.md):
  * r_t = ln(P_t / P_{t-1}) of each close (numpy.log of the ratio).
  * Pearson, Kendall tau-b and Spearman: scipy.stats.pearsonr / kendalltau / spearmanr.
    A second pair with many ties (integers drawn by Python's random with seed 13) checks the
    tie corrections.
  * Pseudo-observations: scipy.stats.rankdata(method="average") / (n + 1).
  * EWMA covariance: Sigma_0 = backcast (weights 0.94^i over the first min(75, T) rows,
    normalised), Sigma_{t+1} = lam Sigma_t + (1 - lam) r_t r_t', the forecast Sigma_T, in a
    plain numpy loop with lam = 0.94 and 0.97.
  * t copula log-likelihood: sum over rows of scipy.stats.multivariate_t.logpdf(x, shape=P,
    df=nu) - sum_j scipy.stats.t.logpdf(x_j, nu), x_j = scipy.stats.t.ppf(u_j, nu), with P
    from Kendall's tau (rho = sin(pi tau / 2)).
  * nu fit: scipy.optimize.minimize_scalar(method="bounded", bounds=(1, 1000), xatol=1e-10)
    of the negative log-likelihood above, at that P.
  * Tail dependence: 2 * scipy.stats.t.cdf(-sqrt((nu+1)(1-rho)/(1+rho)), nu + 1), cross-checked
    with mpmath at 50 digits (the script stops if they disagree beyond 1e-13 relative).
"""

import csv
import json
import math
import random

import mpmath as mp
import numpy as np
from scipy import optimize, stats

mp.mp.dps = 50

rows = list(csv.DictReader(open("tests/data/btc_eth_daily_2022_2024.csv")))
btc = np.array([float(r["btc_close"]) for r in rows])
eth = np.array([float(r["eth_close"]) for r in rows])
rb = np.log(btc[1:] / btc[:-1])
re = np.log(eth[1:] / eth[:-1])
n = len(rb)

out = {"source": "tools/gen_dependence_reference.py", "observations": n}

out["returns_first"] = [float(rb[0]), float(re[0])]
out["pearson"] = float(stats.pearsonr(rb, re).statistic)
out["kendall"] = float(stats.kendalltau(rb, re, variant="b").statistic)
out["spearman"] = float(stats.spearmanr(rb, re).statistic)

random.seed(13)
tx = [random.randint(0, 9) for _ in range(400)]
ty = [min(9, max(0, v + random.randint(-3, 3))) for v in tx]
out["tied"] = {
    "x": tx,
    "y": ty,
    "pearson": float(stats.pearsonr(tx, ty).statistic),
    "kendall": float(stats.kendalltau(tx, ty, variant="b").statistic),
    "spearman": float(stats.spearmanr(tx, ty).statistic),
    "ranks_x_first": [float(v) for v in stats.rankdata(tx)[:10]],
}

ub = stats.rankdata(rb) / (n + 1)
ue = stats.rankdata(re) / (n + 1)
out["pseudo_first"] = [float(ub[0]), float(ue[0]), float(ub[1]), float(ue[1])]
u = np.column_stack([ub, ue])


def ewma_cov(r, lam):
    tau = min(75, len(r))
    w = 0.94 ** np.arange(tau)
    w = w / w.sum()
    s = np.zeros((r.shape[1], r.shape[1]))
    for i in range(tau):
        s += w[i] * np.outer(r[i], r[i])
    for t in range(len(r)):
        s = lam * s + (1 - lam) * np.outer(r[t], r[t])
    return s


rr = np.column_stack([rb, re])
out["ewma"] = [
    {"lambda": lam, "covariance": [float(v) for v in ewma_cov(rr, lam).ravel()]}
    for lam in (0.94, 0.97)
]

tau = stats.kendalltau(rb, re).statistic
rho = math.sin(math.pi * tau / 2)
P = np.array([[1.0, rho], [rho, 1.0]])
out["kendall_rho"] = rho


def loglik(nu):
    x = stats.t.ppf(u, nu)
    joint = stats.multivariate_t.logpdf(x, loc=np.zeros(2), shape=P, df=nu)
    return float(np.sum(joint) - np.sum(stats.t.logpdf(x, nu)))


out["copula_loglik"] = [{"nu": nu, "log_likelihood": loglik(nu)} for nu in (2.5, 4.0, 10.0, 50.0)]

fit = optimize.minimize_scalar(
    lambda v: -loglik(v), bounds=(1.0, 1000.0), method="bounded", options={"xatol": 1e-10}
)
# Polish: the score must vanish at the optimum (central difference).
h = 1e-4 * fit.x
score = (loglik(fit.x + h) - loglik(fit.x - h)) / (2 * h)
assert abs(score) < 1e-4, score
out["copula_fit"] = {"nu": float(fit.x), "log_likelihood": -float(fit.fun), "score": score}

td = []
for r_, nu in [(0.5, 4.0), (0.9, 3.0), (-0.5, 5.0), (0.0, 1.0), (0.99, 30.0), (rho, float(fit.x))]:
    s = 2 * stats.t.cdf(-math.sqrt((nu + 1) * (1 - r_) / (1 + r_)), nu + 1)
    m = 2 * mp.betainc((nu + 1) / 2, mp.mpf(1) / 2, 0, (1 + mp.mpf(r_)) / 2, regularized=True) / 2
    assert abs(s - float(m)) <= 1e-13 * float(m), (r_, nu, s, m)
    td.append({"rho": r_, "nu": nu, "lambda": float(m)})
out["tail_dependence"] = td

with open("tests/data/dependence_reference.json", "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps({k: v for k, v in out.items() if k not in ("tied", "ewma")}, indent=1))
