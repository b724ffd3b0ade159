#!/usr/bin/env python3
"""Student-t quantiles at 50 significant digits for the derisk GARCH innovation tests.

Versions used to write the committed fixture (pin them when regenerating):
    python 3.11, mpmath 1.3.0

Usage (from the repository root):
    python3 tools/gen_t_quantile_reference.py > tests/data/garch_t_quantile.json

For every (nu, p) on the grid below, p taken as the exact binary64 value, this solves
P(T <= x) = p for the Student-t with nu degrees of freedom at 50 digits: P(T <= x) =
I_w(nu/2, 1/2)/2 with w = nu/(nu + x^2) for x < 0 (mpmath.betainc, regularized), the upper half
by symmetry. The root is bracketed by unit steps and bisection in ln|x| and polished by mpmath.findroot on
ln P(T <= -e^s) - ln p; the residual |P/p - 1| is checked below 1e-40. Written per point: nu, p,
the t quantile x, and the unit-variance quantile z = x*sqrt((nu - 2)/nu) (derisk's StudentT), both
rounded to 17 significant digits.
"""
import json

import mpmath as mp

mp.mp.dps = 50

NUS = [2.0001, 2.05, 2.5, 3.0, 4.0, 5.0, 8.0, 10.0, 20.0, 29.5, 30.5, 31.0, 50.0, 100.0, 500.0,
       1e3, 1e4, 1e5, 1e6, 3e7, 1e8]
PS = [1e-300, 1e-250, 1e-200, 1e-162, 1e-150, 1e-100, 1e-80, 1e-50, 1e-30, 1e-20, 1e-10, 1e-5,
      1e-3, 0.01, 0.05, 0.1, 0.25, 0.4, 0.49, 0.5, 0.51, 0.75, 0.9, 0.99, 0.999, 1 - 1e-5,
      1 - 1e-10, 1 - 1e-16]


def ln_lower(s, nu):
    """ln P(T <= -e^s)."""
    x = mp.exp(s)
    w = nu / (nu + x * x)
    return mp.log(mp.betainc(nu / 2, mp.mpf(1) / 2, 0, w, regularized=True) / 2)


def lower_quantile(q, nu):
    """The x < 0 with P(T <= x) = q < 1/2."""
    lnq = mp.log(q)
    # Bracket s = ln|x| by unit steps from 0 (ln P decreases in s), so that betainc is never
    # asked for a value far beyond the root.
    lo, hi = mp.mpf(0), mp.mpf(0)
    if ln_lower(lo, nu) > lnq:
        while ln_lower(hi, nu) > lnq:
            lo, hi = hi, hi + 1
    else:
        while ln_lower(lo, nu) <= lnq:
            lo, hi = lo - 1, lo
    for _ in range(60):
        mid = (lo + hi) / 2
        if ln_lower(mid, nu) > lnq:
            lo = mid
        else:
            hi = mid
    s = mp.findroot(lambda s: ln_lower(s, nu) - lnq, (lo + hi) / 2, tol=mp.mpf(10) ** -45)
    assert abs(mp.exp(ln_lower(s, nu) - lnq) - 1) < mp.mpf(10) ** -40, (q, nu)
    return -mp.exp(s)


def main():
    rows = []
    for nu_f in NUS:
        nu = mp.mpf(nu_f)
        for p_f in PS:
            p = mp.mpf(p_f)
            if p == mp.mpf(1) / 2:
                x = mp.mpf(0)
            elif p < mp.mpf(1) / 2:
                x = lower_quantile(p, nu)
            else:
                x = -lower_quantile(1 - p, nu)
            z = x * mp.sqrt((nu - 2) / nu)
            rows.append({"nu": nu_f, "p": p_f, "x": float(mp.nstr(x, 17)),
                         "z": float(mp.nstr(z, 17))})
    json.dump({"source": "mpmath 1.3.0, 50 digits (tools/gen_t_quantile_reference.py)",
               "points": rows}, __import__("sys").stdout, indent=1)


if __name__ == "__main__":
    main()
