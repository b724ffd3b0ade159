#!/usr/bin/env python3
"""Reference values of the out-of-the-money undiscounted Black call across the regions of the
normalised function (tests/data/normalised_reference.json).

Packages: Python 3.11, mpmath 1.3.0. Run: python3 tools/gen_normalised_reference.py

The kernel switches between a Taylor series about the midpoint m = -x/(s*sqrt2) (forward
recurrence for m <= 4, Miller's backward recurrence above), the erfcx difference, and the direct
formula. This grid walks m from 0 to 12 and eta/max(m, 1) (eta = s/(2*sqrt2)) from 1e-4 to 0.1,
so it lands on both sides of every switch. Each case is a call with strike K = 1 and forward
F = fl(exp(x)) < 1 (so x = ln F exactly for the double F), total volatility s a double, and the
price F*Phi(d1) - Phi(d2) evaluated at 60 digits on those exact doubles, correctly rounded.
cond = |x * dP/dx| / P + |s * dP/ds| / P (relative condition number), for the test's bar.
"""
import json
import mpmath as mp

mp.mp.dps = 60


def price(F, s):
    F, s = mp.mpf(F), mp.mpf(s)
    x = mp.log(F)
    d1 = x / s + s / 2
    d2 = d1 - s
    return F * mp.ncdf(d1) - mp.ncdf(d2)


cases = []
for i in range(0, 49):
    m = 0.25 * i
    for ratio in (0.1, 0.06, 0.049, 0.03, 0.01, 1e-3, 1e-4):
        eta = ratio * max(m, 1.0)
        s = float(2 * mp.sqrt(2) * eta)
        x = -m * s * float(mp.sqrt(2))
        F = float(mp.exp(x))
        if not (0.0 < F < 1.0):
            continue
        p = price(F, s)
        if p < mp.mpf("1e-300"):
            continue
        xs = mp.log(mp.mpf(F))
        dpdx = mp.diff(lambda t: mp.exp(t) * mp.ncdf(t / mp.mpf(s) + mp.mpf(s) / 2)
                       - mp.ncdf(t / mp.mpf(s) - mp.mpf(s) / 2), xs)
        dpds = mp.npdf(xs / mp.mpf(s) - mp.mpf(s) / 2)
        cond = (abs(xs * dpdx) + abs(mp.mpf(s) * dpds)) / p
        cases.append({"forward": F, "total_volatility": s, "price": float(p),
                      "cond": float(mp.nstr(cond, 3)), "m": m, "eta_ratio": ratio})

with open("tests/data/normalised_reference.json", "w") as out:
    out.write('{"generator":"tools/gen_normalised_reference.py","mpmath":"%s","dps":60,\n"cases":[\n'
              % mp.__version__)
    out.write(",\n".join(json.dumps(c) for c in cases))
    out.write("\n]}\n")
print(len(cases), "cases")
