#!/usr/bin/env python3
"""Generate high-precision reference prices and Greeks for European options.

Purpose
    Independent numerical fixtures for the `derisk` crate: Black-Scholes-Merton
    (spot S, dividend yield q) and Black-76 (forward F) European calls and puts,
    plus coin-settled ("inverse", Deribit-style) Black-76 options whose value is
    quoted in coin, Vc = V_usd / F.

    The price is written once as an mpmath function of the exact inputs and
    evaluated at mp.dps = 60 (with 64 extra guard bits inside the function).
    EVERY Greek is obtained by mpmath.diff (high-precision finite differences,
    mixed partials via a tuple of orders) of that price function -- no closed-form
    Greek formula is used anywhere in the generator.  The Greeks are RAW
    derivatives (no per-day / per-vol-point / per-percent scaling):

      delta  dV/dS          gamma  d2V/dS2        vega   dV/dsigma
      theta  -dV/dT         rho    dV/dr          dividend_rho dV/dq
      vanna  d2V/dS dsigma  volga  d2V/dsigma2    charm  -d2V/dS dT
      veta   -d2V/dsigma dT speed  d3V/dS3        zomma  d3V/dS2 dsigma
      color  -d3V/dS2 dT    ultima d3V/dsigma3

    Black-Scholes: inputs (S, K, T, sigma, r, q); F = S exp((r-q)T), D = exp(-rT);
      rho holds q fixed (F moves with r), dividend_rho holds r fixed, T-derivatives
      hold S, r, q fixed.
    Black-76: inputs (F, K, T, sigma, r); "spot" in the JSON is the forward F, all
      "spot" derivatives are w.r.t. F, rho = dV/dr with F fixed (= -T V),
      dividend_rho = 0 exactly, T-derivatives hold F fixed.
    Inverse (coin-settled): Vc(F, K, T, sigma, r) = Black76(F, K, T, sigma, r) / F,
      same 14 Greeks of Vc, plus venue_delta = F dVc/dF.

    "cond" holds, for every value v, the relative condition number
      kappa = sum_i |x_i dv/dx_i| / |v|   over x_i in (S|F, K, T, sigma, r[, q])
    (derivatives again by mpmath.diff, one order higher); kappa = 0 when v is
    exactly 0 (dividend_rho of Black-76 / inverse).  kappa * 2^-53 is roughly the
    best relative accuracy a double-precision implementation can attain.
    Every price/Greek/venue_delta value is the correctly rounded IEEE double of the
    60-digit value (written in its shortest round-trip form, exponent without
    '+'/leading zeros).  EXCEPTION: to keep the file under 200 KB with >= 320 +
    60 cases, the condition numbers (which are only accuracy estimates) are
    written ROUNDED UP to 1 significant digit (e.g. 1234.5 -> 2e3), so each stored
    kappa is an upper bound within a factor 2 of the true value.

    All inputs are exact doubles chosen in Python first (random draws rounded to a
    few significant digits; strikes K = F exp(-z sigma sqrt T) computed in double,
    so z is only approximate) and converted exactly with mpmath.mpf(float).
    Cases whose price is below 1e-300 are skipped.

    Prices are cross-checked against QuantLib's BlackCalculator in double
    precision; the maximum relative difference is stored in the header field
    "quantlib_max_rel_diff_price".

Packages (exact versions)
    Python 3.11, mpmath==1.3.0, QuantLib==1.44
    (pip install mpmath==1.3.0 QuantLib==1.44)

Regenerate (from the repository root; ~10 minutes on 2 cores)
    python3 tools/gen_pricing_reference.py
    -> writes tests/data/pricing_reference.json
    Optional: GEN_PRICING_JOBS=<n> worker processes (default: all CPUs); the
    output does not depend on it.

Output is deterministic (random.Random(20261125) draws, ordered results).
"""

import decimal
import json
import math
import multiprocessing
import os
import random
import sys
import time

import mpmath
from mpmath import mp, mpf

import QuantLib as ql

assert mpmath.__version__ == "1.3.0", "pin mpmath==1.3.0"
assert ql.__version__ == "1.44", "pin QuantLib==1.44"

DPS = 60
SEED = 20261125
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                   "pricing_reference.json")
ONE_HOUR = 1.0 / 8760.0
SPOTS = [1.0, 100.0, 3000.0, 88530.23]

GREEKS = ["price", "delta", "gamma", "vega", "theta", "rho", "dividend_rho", "vanna",
          "volga", "charm", "veta", "speed", "zomma", "color", "ultima"]
# variable indices: 0 S (or F), 1 K, 2 T, 3 sigma, 4 r, 5 q
S_, K_, T_, V_, R_, Q_ = range(6)


def _o(**kw):
    o = [0] * 6
    for k, n in kw.items():
        o[{"S": S_, "K": K_, "T": T_, "V": V_, "R": R_, "Q": Q_}[k]] = n
    return tuple(o)


# (sign, derivative orders) for each Greek, in the order of GREEKS
GREEK_DEF = [
    (1, _o()),               # price
    (1, _o(S=1)),            # delta
    (1, _o(S=2)),            # gamma
    (1, _o(V=1)),            # vega
    (-1, _o(T=1)),           # theta = -dV/dT
    (1, _o(R=1)),            # rho
    (1, _o(Q=1)),            # dividend_rho
    (1, _o(S=1, V=1)),       # vanna
    (1, _o(V=2)),            # volga
    (-1, _o(S=1, T=1)),      # charm = -d2V/dSdT
    (-1, _o(V=1, T=1)),      # veta = -d2V/dsigma dT
    (1, _o(S=3)),            # speed
    (1, _o(S=2, V=1)),       # zomma
    (-1, _o(S=2, T=1)),      # color = -d3V/dS2dT
    (1, _o(V=3)),            # ultima
]
assert len(GREEK_DEF) == len(GREEKS)


# ----------------------------------------------------------------------------
# high-precision price functions (the only place where the models are defined)
# ----------------------------------------------------------------------------
def ncdf(x):
    return mp.erfc(-x / mp.sqrt(2)) / 2


def black_undiscounted(F, K, T, sigma, is_call):
    s = sigma * mp.sqrt(T)
    d1 = (mp.log(F / K) + s * s / 2) / s
    d2 = d1 - s
    if is_call:
        return F * ncdf(d1) - K * ncdf(d2)
    return K * ncdf(-d2) - F * ncdf(-d1)


def make_price_fn(model, kind):
    is_call = kind == "call"
    if model == "black_scholes":
        def f(S, K, T, sigma, r, q):
            with mp.extraprec(64):
                F = S * mp.exp((r - q) * T)
                v = mp.exp(-r * T) * black_undiscounted(F, K, T, sigma, is_call)
            return +v
    elif model == "black76":
        def f(F, K, T, sigma, r):
            with mp.extraprec(64):
                v = mp.exp(-r * T) * black_undiscounted(F, K, T, sigma, is_call)
            return +v
    elif model == "inverse":
        def f(F, K, T, sigma, r):
            with mp.extraprec(64):
                v = mp.exp(-r * T) * black_undiscounted(F, K, T, sigma, is_call) / F
            return +v
    else:
        raise ValueError(model)
    return f


def evaluate(job):
    """job = (model, kind, inputs tuple of floats). Returns values, cond, extra."""
    model, kind, inputs = job
    mp.dps = DPS
    f = make_price_fn(model, kind)
    nvar = 6 if model == "black_scholes" else 5
    xs = [mpf(x) for x in inputs[:nvar]]      # exact conversion of the doubles
    cache = {}

    def D(orders):
        orders = tuple(orders[:nvar])
        if orders not in cache:
            if sum(orders) == 0:
                cache[orders] = f(*xs)
            else:
                cache[orders] = mp.diff(f, xs, orders)
        return cache[orders]

    values, conds = [], []
    for sign, orders in GREEK_DEF:
        if nvar == 5 and orders[Q_] != 0:
            values.append(0.0)         # dividend_rho of Black-76 is exactly zero
            conds.append(0.0)
            continue
        v = sign * D(orders)
        if v == 0:
            values.append(0.0)
            conds.append(0.0)
            continue
        acc = mpf(0)
        for i in range(nvar):
            if xs[i] == 0:
                continue
            o = list(orders)
            o[i] += 1
            acc += abs(xs[i] * D(o))
        values.append(float(v))
        conds.append(float(acc / abs(v)))
    extra = {}
    if model == "inverse":
        extra["venue_delta"] = float(xs[0] * D(_o(S=1)))
    extra["price_mp"] = D(_o())
    return values, conds, extra


# ----------------------------------------------------------------------------
# QuantLib double-precision cross-check of the price
# ----------------------------------------------------------------------------
def quantlib_price(model, kind, inputs):
    S, K, T, sigma, r, q = inputs
    F = S * math.exp((r - q) * T) if model == "black_scholes" else S
    payoff = ql.PlainVanillaPayoff(ql.Option.Call if kind == "call" else ql.Option.Put, K)
    calc = ql.BlackCalculator(payoff, F, sigma * math.sqrt(T), math.exp(-r * T))
    v = calc.value()
    return v / F if model == "inverse" else v


# ----------------------------------------------------------------------------
# case generation (all in double precision; every input is an exact double)
# ----------------------------------------------------------------------------
def sig(x, n=6):
    """Round to n significant digits (still an exact double afterwards)."""
    return float("%.*g" % (n, x))


def strike_from_z(F, z, sigma, T):
    return F * math.exp(-z * sigma * math.sqrt(T))


def price_double_mp(model, kind, inputs, dps=30):
    with mp.workdps(dps):
        f = make_price_fn(model, kind)
        n = 6 if model == "black_scholes" else 5
        return f(*[mpf(x) for x in inputs[:n]])


def random_cases(rng, n):
    cases = []
    for i in range(n):
        model = ("black_scholes", "black76")[i % 2]
        kind = ("call", "put")[(i // 2) % 2]
        z = rng.uniform(-5.0, 5.0)
        T = sig(math.exp(rng.uniform(math.log(ONE_HOUR), math.log(10.0))), 4)
        T = min(max(T, ONE_HOUR), 10.0)
        sigma = sig(math.exp(rng.uniform(math.log(0.01), math.log(3.0))), 4)
        sigma = min(max(sigma, 0.01), 3.0)
        r = round(rng.uniform(-0.02, 0.20), 4)
        q = round(rng.uniform(-0.05, 0.10), 4)
        S = rng.choice(SPOTS)
        if model == "black76":
            q = 0.0
            F = S
        else:
            F = S * math.exp((r - q) * T)
        K = strike_from_z(F, z, sigma, T)
        cases.append((model, kind, (S, K, T, sigma, r, q)))
    return cases


def deep_otm_z(model, kind, S, T, sigma, r, q, target=1e-10):
    """|z| (bisection) such that the OTM price is ~ target * S."""
    F = S * math.exp((r - q) * T) if model == "black_scholes" else S
    sgn = 1.0 if kind == "call" else -1.0   # OTM call: K > F  <=> z < 0

    def rel(a):
        K = strike_from_z(F, -sgn * a, sigma, T)
        return float(price_double_mp(model, kind, (S, K, T, sigma, r, q))) / S

    lo, hi = 0.0, 1.0
    while rel(hi) > target:
        hi *= 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if rel(mid) > target:
            lo = mid
        else:
            hi = mid
    return -sgn * sig(0.5 * (lo + hi), 8)


def structured_cases():
    cases = []
    models = ("black_scholes", "black76")
    kinds = ("call", "put")
    # extremes of the (T, sigma) box with z in {-5, 0, 5}
    for (T, sigma) in ((ONE_HOUR, 0.01), (10.0, 3.0)):
        for S in (100.0, 88530.23):
            for model in models:
                for kind in kinds:
                    for z in (-5.0, 0.0, 5.0):
                        r, q = (0.05, 0.02) if model == "black_scholes" else (0.05, 0.0)
                        F = S * math.exp((r - q) * T) if model == "black_scholes" else S
                        cases.append((model, kind, (S, strike_from_z(F, z, sigma, T), T,
                                                    sigma, r, q)))
    # exactly at the money: K == S with r == q (so F == S exactly) / K == F
    for (S, T, sigma, rq) in ((100.0, 1.0, 0.2, 0.03), (88530.23, 7.0 / 365.0, 0.8, 0.0),
                              (1.0, 0.25, 0.35, 0.1)):
        for kind in kinds:
            cases.append(("black_scholes", kind, (S, S, T, sigma, rq, rq)))
            cases.append(("black76", kind, (S, S, T, sigma, rq, 0.0)))
    # rate extremes at T = 10
    for r in (-0.02, 0.20):
        for model in models:
            for kind in kinds:
                q = 0.01 if model == "black_scholes" else 0.0
                S = 100.0
                F = S * math.exp((r - q) * 10.0) if model == "black_scholes" else S
                cases.append((model, kind, (S, strike_from_z(F, 0.5, 0.25, 10.0), 10.0,
                                            0.25, r, q)))
    # deep out of the money: price ~ 1e-10 * S
    for (S, T, sigma) in ((100.0, 1.0 / 365.0, 0.5), (3000.0, 1.0, 0.2),
                          (88530.23, 5.0, 1.0)):
        for model in models:
            for kind in kinds:
                r, q = (0.03, 0.01) if model == "black_scholes" else (0.03, 0.0)
                z = deep_otm_z(model, kind, S, T, sigma, r, q)
                F = S * math.exp((r - q) * T) if model == "black_scholes" else S
                cases.append((model, kind, (S, strike_from_z(F, z, sigma, T), T, sigma,
                                            r, q)))
    return cases


def inverse_cases(rng, n_random):
    cases = []
    # a few structured ones: ATM, r = 0.05, short and long expiries
    for F in (88728.95, 3000.0):
        for kind in ("call", "put"):
            cases.append(("inverse", kind, (F, F, 30.0 / 365.0, 0.6, 0.0, 0.0)))
            cases.append(("inverse", kind, (F, strike_from_z(F, 4.0, 1.5, 1.0 / 365.0),
                                            1.0 / 365.0, 1.5, 0.0, 0.0)))
            cases.append(("inverse", kind, (F, strike_from_z(F, -4.0, 0.2, 1.0), 1.0, 0.2,
                                            0.05, 0.0)))
    for i in range(n_random):
        kind = ("call", "put")[i % 2]
        F = (88728.95, 3000.0)[(i // 2) % 2]
        z = rng.uniform(-4.0, 4.0)
        T = sig(math.exp(rng.uniform(math.log(1.0 / 365.0), 0.0)), 4)
        T = min(max(T, 1.0 / 365.0), 1.0)
        sigma = sig(rng.uniform(0.2, 1.5), 3)
        r = 0.05 if i % 6 == 5 else 0.0
        K = round(strike_from_z(F, z, sigma, T), 2)   # exchange-style strike grid
        cases.append(("inverse", kind, (F, K, T, sigma, r, 0.0)))
    return cases


# ----------------------------------------------------------------------------
# output
# ----------------------------------------------------------------------------
def fmt_val(x):
    """Shortest round-trip repr of the double; exponent written as e-5, not e-05."""
    x = float(x)
    assert math.isfinite(x)
    s = repr(x)
    if "e" in s:
        m, e = s.split("e")
        s = m + "e" + str(int(e))
    assert float(s) == x
    return s


def fmt_cond(x):
    """Condition number rounded UP to 1 significant digit (an upper bound)."""
    x = float(x)
    assert math.isfinite(x) and x >= 0
    if x == 0:
        return "0"
    d = decimal.Decimal(x)                       # exact value of the double
    e = d.adjusted()                             # x in [10^e, 10^(e+1))
    m = int((d.scaleb(-e)).to_integral_value(rounding=decimal.ROUND_CEILING))
    if m == 10:
        m, e = 1, e + 1
    cands = ["%de%d" % (m, e)]
    if 0 <= e <= 15:
        cands.append(str(m * 10 ** e))
    elif -4 <= e < 0:
        cands.append("0." + "0" * (-e - 1) + str(m))
    s = min(cands, key=lambda c: (len(c), "e" in c))
    assert float(s) >= x and float(s) <= 2 * x, (x, s)
    return s


def case_line(model, kind, inputs, values, conds, extra):
    S, K, T, sigma, r, q = inputs
    vals = "[" + ",".join(fmt_val(v) for v in values) + "]"
    cnds = "[" + ",".join(fmt_cond(c) for c in conds) + "]"
    if model == "inverse":
        return ('{"kind":"%s","forward":%s,"strike":%s,"expiry":%s,"volatility":%s,'
                '"rate":%s,"values":%s,"cond":%s,"venue_delta":%s}' % (
                    kind, fmt_val(S), fmt_val(K), fmt_val(T), fmt_val(sigma), fmt_val(r),
                    vals, cnds, fmt_val(extra["venue_delta"])))
    return ('{"model":"%s","kind":"%s","spot":%s,"strike":%s,"expiry":%s,"volatility":%s,'
            '"rate":%s,"dividend_yield":%s,"values":%s,"cond":%s}' % (
                model, kind, fmt_val(S), fmt_val(K), fmt_val(T), fmt_val(sigma),
                fmt_val(r), fmt_val(q), vals, cnds))


def self_check():
    """Hull's textbook example (S=42, K=40, r=0.1, sigma=0.2, T=0.5)."""
    mp.dps = DPS
    c = make_price_fn("black_scholes", "call")(*[mpf(x) for x in (42.0, 40.0, 0.5, 0.2, 0.1, 0.0)])
    p = make_price_fn("black_scholes", "put")(*[mpf(x) for x in (42.0, 40.0, 0.5, 0.2, 0.1, 0.0)])
    # The commonly quoted double result 4.759422392871532 is 2 ulps below the
    # correctly rounded value 4.759422392871533 (exact: 4.7594223928715333950...).
    assert abs(float(c) - 4.759422392871532) <= 4 * math.ulp(4.76), c
    assert float(c) == 4.759422392871533, c
    # put-call parity: P = C - S + K exp(-rT)
    parity = c - mpf(42) + mpf(40) * mp.exp(-mpf(0.1) * mpf(0.5))
    assert abs(p - parity) < mpf(10) ** (-DPS + 5), (p, parity)


def main():
    t0 = time.time()
    self_check()
    rng = random.Random(SEED)
    n_random = int(os.environ.get("GEN_PRICING_NRANDOM", "240"))
    n_inverse = int(os.environ.get("GEN_PRICING_NINVERSE", "48"))
    cases = structured_cases() + random_cases(rng, n_random)
    inv = inverse_cases(rng, n_inverse)
    jobs = cases + inv
    nproc = int(os.environ.get("GEN_PRICING_JOBS", str(os.cpu_count() or 1)))
    print("evaluating %d cases + %d inverse cases on %d processes ..." % (
        len(cases), len(inv), nproc), flush=True)
    if nproc > 1:
        with multiprocessing.Pool(nproc) as pool:
            results = pool.map(evaluate, jobs, chunksize=1)
    else:
        results = [evaluate(j) for j in jobs]

    lines, inv_lines = [], []
    max_rel = 0.0
    max_rel_case = None
    max_rel_over_cond = 0.0
    rels = []
    diag = []
    skipped = 0
    for (model, kind, inputs), (values, conds, extra) in zip(jobs, results):
        if extra["price_mp"] < mpf("1e-300"):
            skipped += 1
            continue
        qlv = quantlib_price(model, kind, inputs)
        rel = abs(qlv - values[0]) / abs(values[0])
        if rel > max_rel:
            max_rel, max_rel_case = rel, (model, kind, inputs)
        max_rel_over_cond = max(max_rel_over_cond, rel / (max(conds[0], 1.0) * 2.0 ** -53))
        rels.append(rel)
        if rel > 1e-12:
            diag.append((rel, model, kind, inputs, conds[0], values[0], qlv))
        line = case_line(model, kind, inputs, values, conds, extra)
        (inv_lines if model == "inverse" else lines).append(line)

    header = ('{"generator":"tools/gen_pricing_reference.py","mpmath":%s,"quantlib":%s,'
              '"dps":%d,"quantlib_max_rel_diff_price":%s,\n"greeks":%s,\n' % (
                  json.dumps(mpmath.__version__), json.dumps(ql.__version__), DPS,
                  repr(max_rel), json.dumps(GREEKS, separators=(",", ":"))))
    text = (header + '"cases":[\n' + ",\n".join(lines) + '\n],\n"inverse_cases":[\n'
            + ",\n".join(inv_lines) + "\n]}\n")
    doc = json.loads(text)     # validate
    assert len(doc["cases"]) >= 320, len(doc["cases"])
    assert len(doc["inverse_cases"]) >= 60, len(doc["inverse_cases"])
    for c in doc["cases"] + doc["inverse_cases"]:
        assert len(c["values"]) == 15 and len(c["cond"]) == 15
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        fh.write(text)
    size = os.path.getsize(OUT)
    print("quantlib_max_rel_diff_price = %r  (case %r)" % (max_rel, max_rel_case))
    print("max (rel diff) / (max(cond_price,1) * 2^-53) = %.3g" % max_rel_over_cond)
    for lim in (1e-15, 1e-14, 1e-13, 1e-12, 1e-10, 1e-8, 1e-6):
        print("  prices with QuantLib rel diff <= %.0e: %d of %d" % (
            lim, sum(1 for x in rels if x <= lim), len(rels)))
    # Diagnose the large differences: evaluate the exact formula at the very
    # double-precision intermediates QuantLib receives (F, stdDev, discount).  If
    # that agrees with our value but not with QuantLib, the difference is
    # QuantLib's own cancellation (e.g. N(-d) formed as 1 - N(d)), not ours.
    worst_ql_eval = 0.0
    worst_input_rounding = 0.0
    for rel, model, kind, inputs, cond, v, qlv in sorted(diag, reverse=True):
        S, K, T, sigma, r, q = inputs
        F = S * math.exp((r - q) * T) if model == "black_scholes" else S
        sd, disc = sigma * math.sqrt(T), math.exp(-r * T)
        with mp.workdps(DPS):
            vq = mpf(disc) * black_undiscounted(mpf(F), mpf(K), (mpf(sd) / mpf(sigma)) ** 2,
                                                mpf(sigma), kind == "call")
            if model == "inverse":
                vq /= mpf(F)
        worst_ql_eval = max(worst_ql_eval, abs(qlv - float(vq)) / abs(float(vq)))
        worst_input_rounding = max(worst_input_rounding, abs(float(vq) - v) / abs(v))
    print("  among the %d cases with rel diff > 1e-12: exact formula at QuantLib's double "
          "intermediates differs from our value by <= %.2g (input rounding), QuantLib's "
          "evaluation from those intermediates by <= %.2g (QuantLib arithmetic)" % (
              len(diag), worst_input_rounding, worst_ql_eval))
    for rel, model, kind, inputs, cond, v, qlv in sorted(diag, reverse=True)[:5]:
        print("    rel=%.3g cond=%.3g %s %s %r ours=%r quantlib=%r" % (
            rel, cond, model, kind, inputs, v, qlv))
    print("wrote %s: %d cases, %d inverse cases, %d skipped (price < 1e-300), %d bytes, %.0f s" % (
        os.path.normpath(OUT), len(lines), len(inv_lines), skipped, size, time.time() - t0))
    if size >= 200 * 1024:
        print("WARNING: file is larger than 200 KB", file=sys.stderr)


if __name__ == "__main__":
    main()
