#!/usr/bin/env python3
"""50-digit undiscounted Black prices in the band where the batch lanes take the erfc/erfcx
difference although the scalar kernel would sum its Taylor series (issue 17).

The band is 0.004 <= eta/max(m, 1) <= 0.12 with m = -x/(s*sqrt2) in [0, 5.6] and eta = s/(2*sqrt2)
(x = ln(F/K) <= 0 for calls, >= 0 for puts: out of the money). Inputs are doubles; the value is
computed by mpmath from those exact doubles, so it is independent of derisk.

mpmath 1.3.0, Python 3.11.7.  Run: python3 tools/gen_lane_band_reference.py > tests/data/lane_band_reference.json
"""
import json
import math
import random

import mpmath as mp

mp.mp.dps = 50
rng = random.Random(20261204)
rows = []
for i in range(400):
    ratio = math.exp(rng.uniform(math.log(0.004), math.log(0.12)))
    m = rng.uniform(0.0, 5.6) if i % 4 else rng.uniform(0.0, 1.0)
    eta = ratio * max(m, 1.0)
    s = 2.0 * math.sqrt(2.0) * eta
    x = -m * s * math.sqrt(2.0)
    strike = [1.0, 100.0, 87_000.0][i % 3]
    call = i % 2 == 0
    forward = strike * math.exp(x if call else -x)
    F, K, S = mp.mpf(forward), mp.mpf(strike), mp.mpf(s)
    lnfk = mp.log(F / K)
    d1 = lnfk / S + S / 2
    d2 = d1 - S
    if call:
        value = F * mp.ncdf(d1) - K * mp.ncdf(d2)
    else:
        value = K * mp.ncdf(-d2) - F * mp.ncdf(-d1)
    rows.append({
        "kind": "call" if call else "put",
        "forward": forward,
        "strike": strike,
        "total_volatility": s,
        "value": float(value),
    })
print(json.dumps({
    "source": "tools/gen_lane_band_reference.py (mpmath 1.3.0, 50 digits)",
    "cases": rows,
}, indent=1))
