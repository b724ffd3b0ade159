#!/usr/bin/env python3
"""arch's EGARCH(1,1,1)-t fits on the BTC returns of tests/data/garch_btc.json, for the kink test
of tests/garch/kink.rs (issue 17, fifth step).

Versions used to write the committed fixture (pin them when regenerating):
    python 3.11.7, arch 8.0.0, numpy 2.2.6, scipy 1.14.1, pandas 3.1.1

Usage (from the repository root):
    python3 tools/gen_garch_kink_reference.py

Writes tests/data/garch_kink.json: per mean (Constant, Zero), arch's default fit (SLSQP, its
default tolerance) and its tight fit (tol=1e-12, 2,000 iterations): parameters and
log-likelihood. For the constant mean also the return nearest to arch's tight mu: the
likelihood's |e_t| term is not differentiable where mu equals a return, and the optimum sits on
such a kink (docs/garch.md "Optimisation").
"""
import json

import numpy as np
from arch import arch_model

y = np.array(json.load(open("tests/data/garch_btc.json"))["returns"])
out = {"series": "tests/data/garch_btc.json returns", "models": {}}
for mean in ["Constant", "Zero"]:
    am = arch_model(y, mean=mean, vol="EGARCH", p=1, o=1, q=1, dist="t", rescale=False)
    res = am.fit(disp="off")
    tight = am.fit(disp="off", tol=1e-12, options={"maxiter": 2000})
    m = {
        "params": res.params.values.tolist(),
        "loglik": float(res.loglikelihood),
        "params_tight": tight.params.values.tolist(),
        "loglik_tight": float(tight.loglikelihood),
    }
    if mean == "Constant":
        mu = tight.params.values[0]
        m["nearest_return_to_mu"] = float(y[np.argmin(np.abs(y - mu))])
    out["models"][mean] = m
with open("tests/data/garch_kink.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
