#!/usr/bin/env python3
"""Reference GARCH fits from Python's `arch` for the `derisk` GARCH tests.

Versions used to write the committed fixtures (pin them when regenerating):
    python 3.11.7, arch 8.0.0, numpy 2.4.6, scipy 1.17.1, pandas 3.1.1, statsmodels 0.15.0

Usage (from the repository root):
    python3 tools/gen_garch_reference.py ../shared/data/btc-usd-daily.csv

Inputs
    btc-usd-daily.csv: Yahoo Finance daily history of BTC-USD (2014-09-17 .. 2022-01-24, 2,687
    rows, as republished in the public GitHub repository Andrea98Palermo/BTC-forecast-pyspark).
    Only Date and Close are used; the same two columns ship as examples/data/btc_daily_close.csv.

Series (returns in percent, r_t = 100 ln(C_t / C_{t-1}) for the real ones)
    btc      all 2,686 daily BTC returns
    btc2020  the BTC returns dated 2020-01-01 .. 2022-01-24 (a shorter, calmer window)
    sim      3,000 returns simulated by arch from a GJR-GARCH(1,1,1) with Student-t innovations,
             constant mean (numpy default_rng(20240601)); the known parameters are recorded

Per series and model this writes (tests/data/garch_<series>.json):
    params (default arch fit: SLSQP, its default tolerance) and params_tight (tol=1e-12),
    robust (Bollerslev-Wooldridge, arch's default) and classic (inverse Hessian) standard errors
    at the tight parameters, log-likelihood, AIC, BIC, nobs, the conditional volatility at the
    first and last five observations and the 1..10-step variance forecast from the end of the
    sample (analytic for GARCH/GJR; for EGARCH only the 1-step forecast, which is exact, plus
    arch's 100,000-path simulation forecast for 1..10 steps with the per-path standard deviation),
    all at the tight parameters; Ljung-Box (statsmodels) and ARCH-LM (arch) statistics of the
    standardised residuals at the tight parameters.
Also tests/data/garch_innovations.json: ln pdf, cdf and ppf of arch's Normal, StudentsT and
SkewStudent (Hansen) at a few points; tests/data/garch_simulation.json: the first u64 of a
ChaCha20 stream and two short GARCH(1,1) paths computed from it by inversion, in pure Python and
scipy (the pin of derisk's seeded simulation); and, in garch_btc.json, arch's EWMAVariance(0.94)
(RiskMetrics) conditional volatility and forecast.
"""
import json
import sys

import numpy as np
import pandas as pd
import scipy
import statsmodels
import arch
from arch import arch_model
from arch.univariate import (ConstantMean, GARCH, Normal, SkewStudent, StudentsT)
from statsmodels.stats.diagnostic import acorr_ljungbox

VERSIONS = {
    "arch": arch.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
    "pandas": pd.__version__, "statsmodels": statsmodels.__version__,
}

MODELS = [
    # name, mean, vol, p, o, q, dist
    ("garch11_normal_const", "Constant", "GARCH", 1, 0, 1, "normal"),
    ("garch11_normal_zero", "Zero", "GARCH", 1, 0, 1, "normal"),
    ("garch11_t_const", "Constant", "GARCH", 1, 0, 1, "t"),
    ("garch11_t_zero", "Zero", "GARCH", 1, 0, 1, "t"),
    ("garch11_skewt_const", "Constant", "GARCH", 1, 0, 1, "skewt"),
    ("gjr111_t_const", "Constant", "GARCH", 1, 1, 1, "t"),
    ("egarch111_normal_const", "Constant", "EGARCH", 1, 1, 1, "normal"),
    ("garch21_normal_const", "Constant", "GARCH", 2, 0, 1, "normal"),
    ("ar1_garch11_t", "AR", "GARCH", 1, 0, 1, "t"),
]


def fit_one(y, mean, vol, p, o, q, dist):
    kw = dict(mean=mean, vol=vol, p=p, o=o, q=q, dist=dist, rescale=False)
    if mean == "AR":
        kw["lags"] = 1
    am = arch_model(y, **kw)
    res = am.fit(disp="off")
    tight = am.fit(disp="off", tol=1e-12, options={"maxiter": 2000})
    pt = np.asarray(tight.params)
    robust = np.sqrt(np.diag(am.compute_param_cov(pt, robust=True)))
    classic = np.sqrt(np.diag(am.compute_param_cov(pt, robust=False)))
    horizon = 1 if vol == "EGARCH" else 10
    fc = tight.forecast(horizon=horizon, reindex=False).variance.values[-1]
    cv = np.asarray(tight.conditional_volatility)
    cv = cv[~np.isnan(cv)]
    std = np.asarray(tight.std_resid)
    std = std[~np.isnan(std)]
    lb = acorr_ljungbox(std, lags=[10], return_df=True)
    lb2 = acorr_ljungbox(std**2, lags=[10], return_df=True)
    lm = tight.arch_lm_test(lags=10, standardized=True)
    extra = {}
    if vol == "EGARCH":
        # arch forecasts EGARCH beyond one step by simulation: record its mean over many paths
        # and the per-path standard deviation of each horizon's variance (for a Monte Carlo bound).
        sims = 100_000
        sf = tight.forecast(horizon=10, method="simulation", simulations=sims, reindex=False,
                            random_state=np.random.RandomState(1))
        paths = np.asarray(sf.simulations.variances)[-1]
        extra = {"forecast_variance_sim": list(map(float, sf.variance.values[-1])),
                 "forecast_variance_sim_path_sd": list(map(float, paths.std(axis=0))),
                 "forecast_variance_sim_paths": sims}
    return {**extra,
        "mean": mean, "vol": vol, "p": p, "o": o, "q": q, "dist": dist,
        "names": list(res.params.index),
        "params": list(map(float, res.params)),
        "loglik": float(res.loglikelihood),
        "params_tight": list(map(float, pt)),
        "loglik_tight": float(tight.loglikelihood),
        "aic_tight": float(tight.aic), "bic_tight": float(tight.bic),
        "nobs": int(tight.nobs),
        "se_robust": list(map(float, robust)),
        "se_classic": list(map(float, classic)),
        "cond_vol_head": list(map(float, cv[:5])),
        "cond_vol_tail": list(map(float, cv[-5:])),
        "forecast_variance": list(map(float, fc)),
        "ljung_box_std_10": float(lb["lb_stat"].iloc[0]),
        "ljung_box_std_10_pvalue": float(lb["lb_pvalue"].iloc[0]),
        "ljung_box_sq_10": float(lb2["lb_stat"].iloc[0]),
        "arch_lm_10": float(lm.stat), "arch_lm_10_pvalue": float(lm.pval),
    }


def write(name, series, returns, extra=None):
    out = {"source": "tools/gen_garch_reference.py", "versions": VERSIONS, "series": series,
           "returns": list(map(float, returns)), "models": {}}
    if extra:
        out.update(extra)
    for m in MODELS:
        out["models"][m[0]] = fit_one(np.asarray(returns), *m[1:])
        print(name, m[0], out["models"][m[0]]["loglik_tight"], file=sys.stderr)
    with open(f"tests/data/garch_{name}.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))


def innovations():
    z = [-4.0, -2.5, -1.0, -0.3, 0.0, 0.4, 1.2, 3.0]
    u = [1e-4, 0.01, 0.05, 0.3, 0.5, 0.75, 0.99, 0.9999]
    out = {"source": "tools/gen_garch_reference.py (arch.univariate distributions)",
           "versions": VERSIONS, "z": z, "u": u, "cases": []}
    for dist, params in [(Normal(), []), (StudentsT(), [5.0]), (StudentsT(), [2.5]),
                         (StudentsT(), [30.0]), (SkewStudent(), [6.0, -0.2]),
                         (SkewStudent(), [4.0, 0.35])]:
        zz = np.asarray(z)
        lnpdf = dist.loglikelihood(params, zz, np.ones_like(zz), individual=True)
        out["cases"].append({
            "dist": dist.name, "params": params,
            "ln_pdf": list(map(float, lnpdf)),
            "cdf": list(map(float, dist.cdf(zz, params))),
            "ppf": list(map(float, dist.ppf(np.asarray(u), params))),
        })
    with open("tests/data/garch_innovations.json", "w") as f:
        json.dump(out, f, separators=(",", ":"), indent=None)


def chacha20_u64(seed, count):
    """The first `count` u64 of rand_chacha's ChaCha20Rng::from_seed(key), key = seed as 8
    little-endian bytes then 24 zero bytes: D. J. Bernstein's ChaCha with 20 rounds, a 64-bit
    block counter in words 12-13 starting at 0 and a zero 64-bit stream id in words 14-15; each
    u64 is two consecutive output words, the first one low. Written from the ChaCha paper, in pure
    Python, independently of the Rust crates."""
    mask = 0xFFFFFFFF
    key = seed.to_bytes(8, "little") + bytes(24)
    kw = [int.from_bytes(key[4 * i:4 * i + 4], "little") for i in range(8)]
    const = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]

    def rotl(x, n):
        return ((x << n) & mask) | (x >> (32 - n))

    def qr(s, a, b, c, d):
        s[a] = (s[a] + s[b]) & mask; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & mask; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & mask; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & mask; s[b] = rotl(s[b] ^ s[c], 7)

    words, counter = [], 0
    while len(words) < 2 * count:
        init = const + kw + [counter & mask, counter >> 32, 0, 0]
        st = list(init)
        for _ in range(10):
            qr(st, 0, 4, 8, 12); qr(st, 1, 5, 9, 13); qr(st, 2, 6, 10, 14); qr(st, 3, 7, 11, 15)
            qr(st, 0, 5, 10, 15); qr(st, 1, 6, 11, 12); qr(st, 2, 7, 8, 13); qr(st, 3, 4, 9, 14)
        words.extend((x + y) & mask for x, y in zip(st, init))
        counter += 1
    return [words[2 * i] | (words[2 * i + 1] << 32) for i in range(count)]


def simulation_pin():
    """GARCH(1,1) paths by inversion from the ChaCha20 stream (scipy quantiles), as documented in
    src/garch/simulate.rs: u = ((x >> 11) + 0.5) 2^-53, z = F^-1(u), sigma2 starts at the
    unconditional variance, y = mu + sigma z."""
    from scipy import stats
    out = {"source": "tools/gen_garch_reference.py (pure-Python ChaCha20, scipy quantiles)",
           "versions": VERSIONS, "seed": 42, "u64": [str(x) for x in chacha20_u64(42, 8)], "paths": []}
    for dist, shape in [("normal", []), ("t", [5.0])]:
        mu, omega, alpha, beta = 0.05, 0.1, 0.1, 0.85
        burn, nobs = 5, 10
        xs = chacha20_u64(7, burn + nobs)
        s2_lag = e2_lag = omega / (1 - alpha - beta)
        ys, vs = [], []
        for t, x in enumerate(xs):
            u = ((x >> 11) + 0.5) * 2.0 ** -53
            if dist == "normal":
                z = stats.norm.ppf(u)
            else:
                nu = shape[0]
                z = stats.t.ppf(u, nu) * ((nu - 2) / nu) ** 0.5
            s2 = omega + alpha * e2_lag + beta * s2_lag
            eps = z * s2 ** 0.5
            e2_lag, s2_lag = eps * eps, s2
            if t >= burn:
                ys.append(mu + eps); vs.append(s2)
        out["paths"].append({"dist": dist, "params": [mu, omega, alpha, beta] + shape, "seed": 7,
                             "burn": burn, "returns": ys, "variances": vs})
    with open("tests/data/garch_simulation.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))


def ewma_reference(r):
    """arch's EWMAVariance(0.94) (RiskMetrics) on the BTC returns, zero mean."""
    from arch.univariate import ZeroMean, EWMAVariance
    am = ZeroMean(r, volatility=EWMAVariance(0.94), rescale=False)
    res = am.fit(disp="off")
    cv = np.asarray(res.conditional_volatility)
    fc = res.forecast(horizon=5, reindex=False).variance.values[-1]
    return {"lambda": 0.94, "cond_vol_head": list(map(float, cv[:5])),
            "cond_vol_tail": list(map(float, cv[-5:])), "forecast_variance": list(map(float, fc))}


def main():
    df = pd.read_csv(sys.argv[1], usecols=["Date", "Close"])
    close = df["Close"].to_numpy(dtype=float)
    r = 100.0 * np.log(close[1:] / close[:-1])
    dates = df["Date"].to_numpy()[1:]
    innovations()
    simulation_pin()
    write("btc", "BTC-USD daily, 100 ln(C_t/C_{t-1}), 2014-09-18..2022-01-24", r,
          {"first_close_date": str(df["Date"].iloc[0]), "ewma": ewma_reference(r)})
    mask = dates >= "2020-01-01"
    write("btc2020", "BTC-USD daily, 100 ln(C_t/C_{t-1}), 2020-01-01..2022-01-24", r[mask])
    # Simulated GJR-GARCH(1,1,1)-t, constant mean.
    true = [0.05, 0.05, 0.08, 0.05, 0.86, 6.0]
    mod = ConstantMean(None, volatility=GARCH(1, 1, 1), distribution=StudentsT(seed=np.random.default_rng(20240601)))
    sim = mod.simulate(true, 3000, burn=500)
    write("sim", "simulated by arch: constant mean, GJR-GARCH(1,1,1), Student-t, 3,000 obs", sim["data"].to_numpy(),
          {"true_params": true, "true_names": ["mu", "omega", "alpha[1]", "gamma[1]", "beta[1]", "nu"]})


if __name__ == "__main__":
    main()
