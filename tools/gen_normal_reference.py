#!/usr/bin/env python3
"""Generate high-precision reference values for the standard normal distribution.

Purpose
    Independent numerical fixtures for the `derisk` crate's normal-distribution
    routines: pdf phi(x) = exp(-x^2/2)/sqrt(2*pi), cdf Phi(x), inverse cdf
    Phi^-1(p) and the scaled complementary error function
    erfcx(x) = exp(x^2) * erfc(x).

    Every input is an exact IEEE double chosen in Python first; it is converted
    exactly to an mpmath number (mpmath.mpf(float) is exact) and the function is
    evaluated at mp.dps = 50 (the quantiles at 80 digits, verified).  Every output
    is float(mpf_value), i.e. the correctly rounded IEEE double of the
    high-precision value.  Only values that are normal doubles >= 1e-300 are
    recorded for pdf/cdf; erfcx values that overflow a double are skipped.

Packages (exact versions)
    Python 3.11, mpmath==1.3.0   (pip install mpmath==1.3.0)

Regenerate (from the repository root)
    python3 tools/gen_normal_reference.py
    -> writes tests/data/normal_reference.json

Output is deterministic (fixed grids plus random.Random(20261125) draws).
"""

import json
import math
import os
import random
import sys

import mpmath
from mpmath import mp, mpf

assert mpmath.__version__ == "1.3.0", "pin mpmath==1.3.0 for reproducible fixtures"

DPS = 50
SEED = 20261125
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                   "normal_reference.json")
TINY = 1e-300


def pdf(x):
    x = mpf(x)
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def cdf(x):
    x = mpf(x)
    return mp.erfc(-x / mp.sqrt(2)) / 2


def erfcx(x):
    x = mpf(x)
    # mpmath has an unbounded exponent range, so this product is exact to
    # working precision even for x = 1e12 (erfc ~ exp(-1e24)).
    return mp.erfc(x) * mp.exp(x * x)


def lower_quantile(p):
    """x < 0 with Phi(x) = p for 0 < p <= 1/2 (p an mpf), at the current precision.

    Newton iteration on log Phi(x) - log p, which is smooth and well scaled
    even for p = 1e-300."""
    if p == mpf(1) / 2:
        return mpf(0)
    lp = mp.log(p)
    # starting guess: tail asymptotics or erfinv for moderate p
    if p > mpf("1e-10"):
        x = mp.sqrt(2) * mp.erfinv(2 * p - 1)
    else:
        t = -2 * lp
        x = -mp.sqrt(t - mp.log(t) - mp.log(2 * mp.pi))
    for _ in range(200):
        c = cdf(x)
        dx = (mp.log(c) - lp) * c / pdf(x)
        x -= dx
        if abs(dx) <= abs(x) * mpf(10) ** (-(mp.dps - 5)) or dx == 0:
            break
    else:
        raise RuntimeError("Newton did not converge for p=%s" % p)
    return x


def quantile(p_float):
    """Exact quantile of the exact double p, computed at 80 digits and verified."""
    with mp.workdps(80):
        p = mpf(p_float)
        if p < mpf(1) / 2:
            x = lower_quantile(p)
        elif p == mpf(1) / 2:
            x = mpf(0)
        else:
            q = 1 - p  # exact: p is a double in (1/2, 1)
            x = -lower_quantile(q)
        # verification: Phi(x) reproduces p (and the complement reproduces 1-p)
        if x != 0:
            rel = abs(cdf(x) - p) / p
            assert rel < mpf("1e-40"), (p_float, rel)
            q = 1 - p
            relq = abs(mp.erfc(x / mp.sqrt(2)) / 2 - q) / q
            assert relq < mpf("1e-40"), (p_float, relq)
        return x


def f64(v):
    """Correctly rounded double of an mpf (mpmath rounds to nearest)."""
    return float(v)


def uniq_sorted(xs):
    out = []
    seen = set()
    for x in sorted(xs, key=lambda v: (v, math.copysign(1.0, v))):
        key = (x, math.copysign(1.0, x))
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def main():
    mp.dps = DPS
    rng = random.Random(SEED)

    # ---------------- pdf ----------------
    xs = [i * 0.25 for i in range(-154, 155)]          # [-38.5, 38.5] step 1/4
    xs += [0.0, 1.0, -1.0, 8.0, -8.0, 37.0, -37.0, 38.0, -38.0, 38.4, -38.4,
           37.1, -37.1, 1e-10, -1e-10, 1e-300, 0.5, math.sqrt(2.0), 2.0 ** -26]
    xs += [rng.uniform(-38.5, 38.5) for _ in range(120)]
    pdf_rows = []
    for x in uniq_sorted(xs):
        v = pdf(x)
        if v >= TINY:
            pdf_rows.append([x, f64(v)])

    # ---------------- cdf ----------------
    xs = [round(-38.4 + 0.1 * i, 1) for i in range(0, 285)]   # -38.4 .. -10.0
    xs += [round(-10.0 + 0.05 * i, 2) for i in range(0, 367)]   # -10 .. 8.3
    xs += [-37.0, -0.0, 0.0, 8.3, 1e-300, -1e-300, 1e-8, -1e-8, -36.999, -37.01,
           -37.05, -math.sqrt(2.0), 5.0, 6.0, 7.0, 8.0, 8.2]
    xs += [rng.uniform(-38.4, -10.0) for _ in range(40)]
    xs += [rng.uniform(-10.0, 8.3) for _ in range(40)]
    cdf_rows = []
    for x in uniq_sorted(xs):
        if x < -38.4 or x > 8.3:
            continue
        v = cdf(x)
        if v >= TINY:
            cdf_rows.append([x, f64(v)])
    assert any(r[0] == -37.0 for r in cdf_rows)
    assert any(r[0] == 0.0 and math.copysign(1.0, r[0]) < 0 for r in cdf_rows)

    # ---------------- erfcx ----------------
    xs = [round(-26.0 + 0.25 * i, 2) for i in range(0, 225)]    # -26 .. 30
    xs += [1.0, 2.0, 5.0, 10.0, 26.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
           1e10, 1e11, 1e12, 0.0, -0.0, 1e-10, -1e-10, 0.5, -0.5, 26.55, 26.6,
           -26.5, 50.0, 2.0 ** 26, 2.0 ** 27]
    xs += [10.0 ** rng.uniform(math.log10(30.0), 12.0) for _ in range(50)]
    xs += [rng.uniform(-26.0, 30.0) for _ in range(40)]
    erfcx_rows = []
    for x in uniq_sorted(xs):
        if x < -26.0 or x > 1e12:
            continue
        v = erfcx(x)
        if v > mpf(sys.float_info.max):
            continue
        fv = f64(v)
        if math.isinf(fv):
            continue
        erfcx_rows.append([x, fv])

    # ---------------- inverse cdf ----------------
    ps = [1e-300, 1e-250, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1e-5, 0.001, 0.01,
          0.02425, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97575, 0.99, 0.999, 1 - 1e-10,
          1 - 1e-15, 1 - 2.0 ** -53, 1 - 2.0 ** -52, 1 - 2.0 ** -50,
          2.2250738585072014e-308, 1e-305, 0.5 - 2.0 ** -54, 0.5 + 2.0 ** -53]
    ps += [10.0 ** rng.uniform(-300.0, math.log10(0.5)) for _ in range(200)]
    ps += [rng.uniform(0.5, 1 - 1e-15) for _ in range(100)]
    inv_rows = []
    for p in sorted(set(ps)):
        assert 0.0 < p < 1.0
        inv_rows.append([p, f64(quantile(p))])

    doc = {
        "generator": "tools/gen_normal_reference.py",
        "mpmath": mpmath.__version__,
        "dps": DPS,
        "pdf": pdf_rows,
        "cdf": cdf_rows,
        "erfcx": erfcx_rows,
        "inverse_cdf": inv_rows,
    }
    # spot check against known values
    assert abs(cdf(-1.0) - mpf("0.15865525393145705141476745436796207752209886")) < mpf("1e-40")
    # (0.975 is not exactly representable, so compare at double accuracy only)
    assert abs(quantile(0.975) - mpf("1.9599639845400542355245944305823")) < mpf("1e-15")

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        fh.write("{")
        head = ['"%s":%s' % (k, json.dumps(doc[k])) for k in ("generator", "mpmath", "dps")]
        fh.write(",".join(head))
        for k in ("pdf", "cdf", "erfcx", "inverse_cdf"):
            fh.write(',\n"%s":[\n' % k)
            fh.write(",\n".join(json.dumps(r, separators=(",", ":")) for r in doc[k]))
            fh.write("\n]")
        fh.write("}\n")
    # round-trip check
    with open(OUT) as fh:
        back = json.load(fh)
    assert back == doc
    print("wrote %s: pdf=%d cdf=%d erfcx=%d inverse_cdf=%d, %d bytes" % (
        os.path.normpath(OUT), len(pdf_rows), len(cdf_rows), len(erfcx_rows),
        len(inv_rows), os.path.getsize(OUT)))


if __name__ == "__main__":
    main()
