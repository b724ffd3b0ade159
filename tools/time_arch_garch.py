#!/usr/bin/env python3
"""Time Python's `arch` on the series and models of benches/garch.rs (docs/PERFORMANCE.md).

Versions used for the committed numbers:
    python 3.11.7, arch 8.0.0 (compiled Cython recursions), numpy 2.4.6, scipy 1.17.1, pandas 3.1.1

Usage (from the repository root):
    python3 tools/time_arch_garch.py

Series
    btc_2686  100 ln(C_t/C_{t-1}) of examples/data/btc_daily_close.csv (2,686 returns)
    sim_5000  the series benches/garch.rs simulates with derisk: constant mean, GARCH(1,1)-Normal,
              (mu, omega, alpha, beta) = (0.05, 0.1, 0.08, 0.9), 500 burn-in, seed 5000; rebuilt
              here from the same ChaCha20 stream (tools/gen_garch_reference.py) and scipy's normal
              quantile, so both libraries fit the same numbers.

Each fit is `arch_model(y, mean="Constant", vol="GARCH", p=1, q=1, dist=...).fit(disp="off")`,
which also computes the robust covariance, as derisk's fit does. Reports the median and the
minimum over repeated runs. On the BTC series also every specification of the GARCH tests
(GARCH(1,1), GJR(1,1,1), EGARCH(1,1,1) x normal, t, skewt x Constant, Zero mean; issue 17), and
one rolling refit (returns 21..1021 started from the fit of 0..1000, `starting_values`), as
benches/garch.rs times them.
"""
import os
import sys
import time
import warnings

import numpy as np
from arch import arch_model
from scipy import stats

sys.path.insert(0, os.path.dirname(__file__))
from gen_garch_reference import chacha20_u64  # noqa: E402


def btc():
    rows = open("examples/data/btc_daily_close.csv").read().split("\n")[1:]
    c = np.array([float(r.split(",")[1]) for r in rows if r.strip()])
    return 100 * np.log(c[1:] / c[:-1])


def simulated():
    mu, omega, alpha, beta = 0.05, 0.1, 0.08, 0.9
    burn, n = 500, 5000
    s2 = e2 = omega / (1 - alpha - beta)
    out = []
    for t, x in enumerate(chacha20_u64(5000, burn + n)):
        z = stats.norm.ppf(((x >> 11) + 0.5) * 2.0 ** -53)
        s2 = omega + alpha * e2 + beta * s2
        eps = z * s2 ** 0.5
        e2 = eps * eps
        if t >= burn:
            out.append(mu + eps)
    return np.array(out)


def timed(fit, reps=30):
    fit()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        res = fit()
        times.append(time.perf_counter() - t0)
    return np.median(times), min(times), res


def specs():
    y = btc()
    for vname, vol, o in [("garch11", "GARCH", 0), ("gjr111", "GARCH", 1), ("egarch111", "EGARCH", 1)]:
        for dist in ["normal", "t", "skewt"]:
            for mname, mean in [("const", "Constant"), ("zero", "Zero")]:
                am = arch_model(y, mean=mean, vol=vol, p=1, o=o, q=1, dist=dist, rescale=False)
                med, mn, res = timed(lambda: am.fit(disp="off"))
                print(f"{vname}_{dist}_{mname}/btc_2686: median {med * 1e3:.2f} ms, "
                      f"min {mn * 1e3:.2f} ms, loglik {res.loglikelihood:.6f}")
            first = arch_model(y[:1000], vol=vol, p=1, o=o, q=1, dist=dist, rescale=False)
            prev = first.fit(disp="off").params
            nxt = arch_model(y[21:1021], vol=vol, p=1, o=o, q=1, dist=dist, rescale=False)
            med, mn, res = timed(lambda: nxt.fit(disp="off", starting_values=prev.values))
            cmed, _, cres = timed(lambda: nxt.fit(disp="off"))
            print(f"refit {vname}_{dist}_const: warm median {med * 1e3:.2f} ms "
                  f"(loglik {res.loglikelihood:.6f}), cold median {cmed * 1e3:.2f} ms "
                  f"(loglik {cres.loglikelihood:.6f})")


def main():
    warnings.simplefilter("ignore")
    if "--specs" in sys.argv:
        specs()
        return
    for name, y in [("btc_2686", btc()), ("sim_5000", simulated())]:
        for dist in ["normal", "t"]:
            am = arch_model(y, mean="Constant", vol="GARCH", p=1, q=1, dist=dist, rescale=False)
            am.fit(disp="off")
            times = []
            for _ in range(30):
                t0 = time.perf_counter()
                res = am.fit(disp="off")
                times.append(time.perf_counter() - t0)
            print(f"garch11_{dist}/{name}: median {np.median(times) * 1e3:.2f} ms, "
                  f"min {min(times) * 1e3:.2f} ms, loglik {res.loglikelihood:.6f}, "
                  f"params {np.round(res.params.values, 5).tolist()}")


if __name__ == "__main__":
    main()
