#!/usr/bin/env python3
"""Time Python's `arch` on the refits of a daily walk-forward (docs/PERFORMANCE.md, issue 13).

Versions used for the committed numbers:
    python 3.11.7, arch 8.0.0, numpy 2.2.6, scipy 1.14.1, pandas 3.1.1

Usage (from the repository root):
    python3 tools/time_arch_walk_forward.py

Each refit is `arch_model(y, mean="Constant", vol="GARCH", p=1, q=1, dist="t")
.fit(disp="off", starting_values=previous)` on a rolling 1,000-day window of
100 ln(C_t/C_{t-1}) of examples/data/btc_daily_close.csv, moved one day at a time and warm-started
from the previous window's parameters, as derisk's `WalkForward` with refit_every = 1. 61 windows;
the first (cold) fit is dropped; prints the median and minimum per fit.
"""
import time
import warnings

import arch
import numpy as np
from arch import arch_model

warnings.simplefilter("ignore")
closes = np.loadtxt(
    "examples/data/btc_daily_close.csv", delimiter=",", skiprows=1, usecols=1
)
r = 100.0 * np.diff(np.log(closes))
previous, times = None, []
for k in range(61):
    y = r[k : k + 1000]
    t0 = time.perf_counter()
    res = arch_model(y, mean="Constant", vol="GARCH", p=1, q=1, dist="t").fit(
        disp="off", starting_values=previous
    )
    times.append(time.perf_counter() - t0)
    previous = res.params.values
times = times[1:]
print(
    f"arch {arch.__version__}, numpy {np.__version__}: per warm-started fit "
    f"median {1e3 * np.median(times):.2f} ms, min {1e3 * min(times):.2f} ms"
)
