#!/usr/bin/env python3
"""Times QuantLib's SVI slice calibration on the 30 quotes of the 27MAR26 BTC slice in
tests/data/vol_reference.json (the quotes benches/surface.rs fits), moved as in the bench
(every vol + 0.3 points, skew − 1 point per unit k), from QuantLib's own start (the best of
the starts tools/gen_vol_reference.py uses). Reports the median wall time of one calibration
(construction + fit + one volatility() call, which triggers the lazy calibration).

Pinned versions: Python 3, QuantLib 1.44 (pip QuantLib==1.44).
Run from the repository root:  python3 tools/time_quantlib_svi.py
"""
import json
import math
import statistics
import time

import QuantLib as ql

assert ql.__version__ == "1.44", ql.__version__

d = json.load(open("tests/data/vol_reference.json"))
s = d["slices"][1]
fwd, t, strikes = s["forward"], s["expiry"], s["strikes"]
vols = [v + 0.003 - 0.01 * math.log(k / fwd) for k, v in zip(strikes, s["vols"])]
today = ql.Date(30, 12, 2025)
ql.Settings.instance().evaluationDate = today
expiry = today + 87
atm = vols[min(range(len(strikes)), key=lambda i: abs(math.log(strikes[i] / fwd)))]


def fit():
    sec = ql.SviInterpolatedSmileSection(
        expiry, fwd, strikes, False, atm, vols, 0.5 * atm * atm * t, 0.1, 0.1, -0.2, 0.0,
        False, False, False, False, False, False,
        ql.EndCriteria(5000, 500, 1e-12, 1e-12, 1e-12), ql.LevenbergMarquardt(), ql.Actual365Fixed())
    sec.volatility(fwd)
    return sec


fit()
times = []
for _ in range(7):
    n = 20
    start = time.perf_counter()
    for _ in range(n):
        fit()
    times.append((time.perf_counter() - start) / n)
sec = fit()
print(f"QuantLib {ql.__version__} SviInterpolatedSmileSection, 30 quotes: median {statistics.median(times) * 1e6:.1f} us "
      f"(min {min(times) * 1e6:.1f} us) per calibration; params a={sec.a():.6g} b={sec.b():.6g} rho={sec.rho():.6g} "
      f"m={sec.m():.6g} sigma={sec.sigma():.6g}")
