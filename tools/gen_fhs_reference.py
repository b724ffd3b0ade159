#!/usr/bin/env python3
"""Reference h-day return distributions from Python's `arch` for derisk's FHS and GARCH Monte
Carlo tests (tests/sim/fhs.rs, tests/risk/monte_carlo.rs).

Versions used to write the committed fixture (pin them when regenerating):
    python 3.11.7, arch 8.0.0, numpy 2.2.6, scipy 1.14.1, pandas 3.1.1

Usage (from the repository root):
    python3 tools/gen_fhs_reference.py

Input: the 2,686 daily BTC percent log-returns already committed in tests/data/garch_btc.json
(see tools/gen_garch_reference.py for their provenance), and arch's tight parameters of the
constant-mean GARCH(1,1)-Normal fit stored there ("garch11_normal_const", "params_tight").

Output: tests/data/sim_fhs_reference.json with, for arch's
    res.forecast(horizon=10, method="bootstrap", simulations=N, reindex=False)   (FHS)
    res.forecast(horizon=10, method="simulation", simulations=N, reindex=False)  (fitted normal)
from the end of the sample at those parameters (arch_model(...).fix(params)), the simulated
cumulative h-day returns sum_{t<=h} y_t for h = 1 and h = 10 (N = 2,000 paths each, rounded to
10 significant digits), and their 1 %, 2.5 % and 5 % quantiles. derisk's FHS / GARCH paths at
the same parameters must match these in distribution (two-sample Kolmogorov-Smirnov, p > 0.01).
Also pins: the first FHS step for five seeded ChaCha20 streams (pure-Python ChaCha20 from
tools/gen_garch_reference.py) from arch's standardised residuals and one-step variance.
"""
import json
import math
import os
import sys

import arch
import numpy as np
import scipy
from arch import arch_model

N = 2000
HORIZON = 10
SEED = 20261204

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_garch_reference import chacha20_u64  # noqa: E402  (pure-Python ChaCha20, from the paper)


def main():
    data = json.load(open("tests/data/garch_btc.json"))
    y = np.asarray(data["returns"], dtype=float)
    params = data["models"]["garch11_normal_const"]["params_tight"]
    model = arch_model(y, mean="Constant", vol="GARCH", p=1, o=0, q=1, dist="normal",
                       rescale=False)
    res = model.fix(params)
    out = {
        "source": "tools/gen_fhs_reference.py",
        "versions": {"arch": arch.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "model": "constant mean, GARCH(1,1), normal; arch params_tight of garch11_normal_const",
        "params": params,
        "paths": N,
        "horizon": HORIZON,
    }
    for method in ("bootstrap", "simulation"):
        rng = np.random.default_rng(SEED)
        f = res.forecast(horizon=HORIZON, method=method, simulations=N, reindex=False,
                         random_state=np.random.RandomState(int(rng.integers(2**31))))
        sims = np.asarray(f.simulations.values)[-1]  # (N, HORIZON) simulated returns
        cum = np.cumsum(sims, axis=1)
        block = {}
        for h in (1, 10):
            x = cum[:, h - 1]
            block[f"h{h}"] = [float(f"{v:.10g}") for v in x]
            block[f"h{h}_quantiles"] = {str(p): float(np.quantile(x, p)) for p in (0.01, 0.025, 0.05)}
        out[method] = block
    # Pins: the first FHS step for ChaCha20Rng::from_seed(seed as 8 LE bytes + zeros), seeds
    # 1..=5: u = ((x >> 11) + 1/2) 2^-53, i = floor(n u), y = mu + sqrt(sigma2_{T+1}) z_i with
    # arch's standardised residuals and one-step variance forecast.
    z = np.asarray(res.std_resid)
    f1 = float(np.asarray(res.forecast(horizon=1, reindex=False).variance.values)[-1, 0])
    pins = []
    for seed in range(1, 6):
        x = chacha20_u64(seed, 1)[0]
        u = ((x >> 11) + 0.5) / 2.0**53
        i = min(int(len(z) * u), len(z) - 1)
        pins.append({"seed": seed, "index": i, "value": params[0] + math.sqrt(f1) * float(z[i])})
    out["fhs_first_step"] = pins
    out["sigma2_next"] = f1
    with open("tests/data/sim_fhs_reference.json", "w") as fh:
        json.dump(out, fh, separators=(",", ":"))


if __name__ == "__main__":
    main()
