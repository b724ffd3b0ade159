#!/usr/bin/env python3
"""Reference numbers for the volatility-surface tests (tests/vol_*.rs).

Writes tests/data/vol_reference.json with
  * vogt:  Axel Vogt's SVI slice (Gatheral & Jacquier, "Arbitrage-free SVI volatility surfaces",
           Quantitative Finance 14 (2014), section 5.1): the interval where Durrleman's g(k) < 0 and
           the minimum of g, computed with mpmath at 50 significant digits (roots and the critical
           point by mpmath.findroot on the analytic g and g').
  * sabr_points: QuantLib's sabrVolatility (Hagan et al. 2002 lognormal expansion) on a grid.
  * slices: quotes (k, implied vol) of two real BTC expiries from the Deribit snapshot of
           2025-12-30 17:31 UTC and one equity-like smile, with QuantLib's SVI
           (SviInterpolatedSmileSection, Levenberg-Marquardt, unweighted) and SABR
           (SABRInterpolation, beta fixed, unweighted) fits: parameters and RMSE / max error of the
           fitted vols in vol points, recomputed here from QuantLib's fitted smile.

Also writes examples/data/btc_chain_full.csv: every two-sided BTC option of the four quickstart
expiries (2026-01-09, 2026-01-30, 2026-03-27, 2026-12-25) with |ln(K/F)| <= 0.7, calls and puts,
copied from the snapshot (columns documented in examples/data/README.md), for the quickstart's
volatility-surface section.

Pinned versions: Python 3, QuantLib 1.44 (pip QuantLib==1.44), mpmath 1.3.0.
Run from the repository root:  python3 tools/gen_vol_reference.py /work/shared/data
Tests read only the committed JSON, never the shared data folder.
"""
import csv
import json
import math
import sys

import mpmath as mp
import QuantLib as ql

assert ql.__version__ == "1.44", ql.__version__
assert mp.__version__ == "1.3.0", mp.__version__
mp.mp.dps = 50

# ---------------------------------------------------------------- Vogt's slice, mpmath
A, B, RHO, M, SIG = (mp.mpf(s) for s in ("-0.0410", "0.1331", "0.3060", "0.3586", "0.4153"))


def w(k):
    x = k - M
    return A + B * (RHO * x + mp.sqrt(x * x + SIG * SIG))


def w1(k):
    x = k - M
    return B * (RHO + x / mp.sqrt(x * x + SIG * SIG))


def w2(k):
    x = k - M
    return B * SIG**2 / (x * x + SIG * SIG) ** mp.mpf(1.5)


def g(k):
    ww, d1, d2 = w(k), w1(k), w2(k)
    return (1 - k * d1 / (2 * ww)) ** 2 - d1 * d1 / 4 * (1 / ww + mp.mpf(1) / 4) + d2 / 2


grid = [mp.mpf(-3) + mp.mpf(6) * i / 6000 for i in range(6001)]
vals = [g(k) for k in grid]
roots = []
for i in range(1, len(grid)):
    if (vals[i - 1] < 0) != (vals[i] < 0):
        roots.append(mp.findroot(g, (grid[i - 1], grid[i]), solver="anderson"))
i_min = min(range(len(grid)), key=lambda i: vals[i])
k_min = mp.findroot(lambda k: mp.diff(g, k), grid[i_min])
vogt = {
    "source": "mpmath 1.3.0, 50 digits, on g(k) of Gatheral-Jacquier (2014) eq. 2.1",
    "params": [-0.0410, 0.1331, 0.3060, 0.3586, 0.4153],
    "negative_interval": [float(r) for r in roots],
    "argmin": float(k_min),
    "min_g": float(g(k_min)),
    "g_at": [[float(k), float(g(mp.mpf(k)))] for k in ("-1.0", "0.0", "0.5", "1.0", "1.5")],
}

# ---------------------------------------------------------------- SABR, QuantLib sabrVolatility
sabr_points = []
for (f, t, alpha, beta, rho, nu) in [
    (100.0, 1.0, 0.3, 1.0, -0.3, 0.8),
    (100.0, 0.25, 0.25, 0.5, 0.4, 1.2),
    (88_900.0, 0.0838, 0.45, 1.0, 0.1, 2.5),
    (0.03, 5.0, 0.01, 0.5, -0.2, 0.4),
    (100.0, 2.0, 2.0, 0.0, 0.0, 0.5),
]:
    for mult in (0.5, 0.8, 0.95, 0.999, 1.0, 1.001, 1.05, 1.3, 2.0):
        k = f * mult
        v = ql.sabrVolatility(k, f, t, alpha, beta, nu, rho)
        sabr_points.append([f, k, t, alpha, beta, rho, nu, v])


# ---------------------------------------------------------------- slices
def black_iv(kind, price, fwd, strike, t):
    """Implied vol of an undiscounted Black price by bisection in mpmath (60 digits)."""
    with mp.workdps(60):
        price, fwd, strike = mp.mpf(price), mp.mpf(fwd), mp.mpf(strike)

        def black(s):
            s = mp.mpf(s) * mp.sqrt(t)
            d1 = mp.log(fwd / strike) / s + s / 2
            d2 = d1 - s
            if kind == "call":
                return fwd * mp.ncdf(d1) - strike * mp.ncdf(d2)
            return strike * mp.ncdf(-d2) - fwd * mp.ncdf(-d1)

        lo, hi = mp.mpf("1e-4"), mp.mpf(10)
        for _ in range(120):
            mid = (lo + hi) / 2
            if black(mid) < price:
                lo = mid
            else:
                hi = mid
        return float((lo + hi) / 2)


def btc_slice(rows, expiry, max_quotes=30):
    rows = [r for r in rows if r["instrument_name"].startswith("BTC-") and r["expiry_datetime"].startswith(expiry)]
    fwd = sum(float(r["futures_price"]) for r in rows) / len(rows)
    out = []
    for r in rows:
        k = float(r["strike"])
        kind = r["option_type"]
        otm = (kind == "call" and k >= fwd) or (kind == "put" and k < fwd)
        bid, ask = float(r["bid_price"] or 0), float(r["ask_price"] or 0)
        if not otm or bid <= 0 or ask <= bid or abs(math.log(k / fwd)) > 0.6:
            continue
        out.append((k, kind, 0.5 * (bid + ask) * fwd))
    out.sort()
    if len(out) > max_quotes:  # keep max_quotes strikes spread evenly over the list
        idx = sorted({round(i * (len(out) - 1) / (max_quotes - 1)) for i in range(max_quotes)})
        out = [out[i] for i in idx]
    return fwd, out


def equity_slice():
    """An equity-index-like smile: steep put skew, T = 0.5, F = 100, 30 strikes 60..150, with a
    deterministic +-0.15 vol-point wiggle standing in for quote noise."""
    fwd, t = 100.0, 0.5
    strikes = [60.0 + 3.0 * i for i in range(31) if i != 15]
    vols = []
    for i, k in enumerate(strikes):
        x = math.log(k / fwd)
        vols.append(0.19 - 0.32 * x + 0.45 * x * x + 0.0015 * math.sin(3.0 * i))
    return fwd, t, strikes, vols


def ql_fits(name, fwd, t_days, strikes, vols, beta):
    today = ql.Date(30, 12, 2025)
    ql.Settings.instance().evaluationDate = today
    expiry = today + t_days
    t = ql.Actual365Fixed().yearFraction(today, expiry)
    # QuantLib SVI: all five parameters free, unweighted, Levenberg-Marquardt.
    atm = vols[min(range(len(strikes)), key=lambda i: abs(math.log(strikes[i] / fwd)))]
    best = None
    for (a0, b0, s0, r0, m0) in [(0.5 * atm * atm * t, 0.1, 0.1, -0.2, 0.0), (0.01 * t, 0.2, 0.3, 0.0, 0.05)]:
        try:
            svi = ql.SviInterpolatedSmileSection(
                expiry, fwd, strikes, False, atm, vols, a0, b0, s0, r0, m0,
                False, False, False, False, False, False,
                ql.EndCriteria(5000, 500, 1e-12, 1e-12, 1e-12), ql.LevenbergMarquardt(),
                ql.Actual365Fixed())
            params = [svi.a(), svi.b(), svi.sigma(), svi.rho(), svi.m()]
            # QuantLib's smile at QuantLib's fitted parameters (SviSmileSection). The calibrated
            # section's own volatility() disagrees with its parameters on the 2026-01-30 slice
            # (1.03 vs 0.378 vol points RMSE); the parameters are the fit's outcome.
            smile = ql.SviSmileSection(t, fwd, params)
            fitted = [smile.volatility(k) for k in strikes]
            err = [fv - v for fv, v in zip(fitted, vols)]
            rmse = math.sqrt(sum(e * e for e in err) / len(err)) * 100
            if best is None or rmse < best["rmse_vol_points"]:
                best = {"a": svi.a(), "b": svi.b(), "rho": svi.rho(), "m": svi.m(), "sigma": svi.sigma(),
                        "rmse_vol_points": rmse, "max_error_vol_points": max(abs(e) for e in err) * 100}
        except RuntimeError as e:  # QuantLib rejects some starts (parameter checks)
            print(name, "svi start rejected:", e, file=sys.stderr)
    # QuantLib SABR: beta fixed, unweighted.
    sabr = ql.SABRInterpolation(strikes, vols, t, fwd, atm * fwd ** (1 - beta), beta, 0.5, 0.0,
                                False, True, False, False, False,
                                ql.EndCriteria(5000, 500, 1e-12, 1e-12, 1e-12), ql.LevenbergMarquardt(),
                                0.0001, False, 50)
    sabr(fwd, True)  # forces the calibration
    s_params = dict(alpha=sabr.alpha(), beta=sabr.beta(), rho=sabr.rho(), nu=sabr.nu())
    fitted = [ql.sabrVolatility(k, fwd, t, s_params["alpha"], beta, s_params["nu"], s_params["rho"]) for k in strikes]
    err = [fv - v for fv, v in zip(fitted, vols)]
    s_params["rmse_vol_points"] = math.sqrt(sum(e * e for e in err) / len(err)) * 100
    s_params["max_error_vol_points"] = max(abs(e) for e in err) * 100
    return {"name": name, "forward": fwd, "expiry": t, "strikes": strikes, "vols": vols,
            "quantlib_svi": best, "quantlib_sabr": s_params}


def write_example_chain(rows):
    out = []
    for expiry in ("2026-01-09", "2026-01-30", "2026-03-27", "2026-12-25"):
        sel = [r for r in rows if r["instrument_name"].startswith("BTC-") and r["expiry_datetime"].startswith(expiry)]
        fwd = sum(float(r["futures_price"]) for r in sel) / len(sel)
        for r in sel:
            bid, ask = float(r["bid_price"] or 0), float(r["ask_price"] or 0)
            if bid <= 0 or ask <= bid or abs(math.log(float(r["strike"]) / fwd)) > 0.7:
                continue
            out.append((float(r["time_to_maturity"]), float(r["strike"]), r["option_type"], [
                r["instrument_name"], expiry, r["time_to_maturity"], r["option_type"], r["strike"].removesuffix(".0"),
                r["futures_price"], r["bid_price"], r["ask_price"], r["mark_price"], r["implied_volatility"]]))
    out.sort(key=lambda x: (x[0], x[1], x[2]))
    with open("examples/data/btc_chain_full.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["instrument", "expiry", "time_to_maturity", "kind", "strike", "forward", "bid_coin",
                    "ask_coin", "mark_coin", "mark_iv"])
        for row in out:
            w.writerow(row[3])
    print("examples/data/btc_chain_full.csv:", len(out), "rows")


def main():
    data_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
    with open(f"{data_dir}/deribit-options-2025-12-30.csv") as fh:
        rows = list(csv.DictReader(fh))
    write_example_chain(rows)
    slices = []
    for expiry, days in (("2026-01-30", 31), ("2026-03-27", 87)):
        fwd, quotes = btc_slice(rows, expiry)
        t = days / 365.0
        strikes = [q[0] for q in quotes]
        vols = [black_iv(q[1], q[2], fwd, q[0], t) for q in quotes]
        slices.append(ql_fits(f"BTC {expiry} (Deribit 2025-12-30 17:31 UTC, mid-price IV, T = {days}/365)",
                              fwd, days, strikes, vols, 1.0))
    fwd, t, strikes, vols = equity_slice()
    slices.append(ql_fits("equity-like (synthetic skew, T = 0.5)", fwd, 182, strikes, vols, 0.5))
    # The equity slice's vols are defined at T = 182/365 for both libraries.
    # ATM vol, 25-delta RR and BF of QuantLib's March SVI fit, with mpmath (forward Black delta
    # Phi(d1) = 0.25 / 0.75, d1 = (-k + w/2)/sqrt(w)).
    sv = slices[1]["quantlib_svi"]
    t = slices[1]["expiry"]
    pa, pb, pr, pm, ps = (mp.mpf(sv[x]) for x in ("a", "b", "rho", "m", "sigma"))
    wf = lambda k: pa + pb * (pr * (k - pm) + mp.sqrt((k - pm) ** 2 + ps * ps))
    d1 = lambda k: (-k + wf(k) / 2) / mp.sqrt(wf(k))
    kc = mp.findroot(lambda k: mp.ncdf(d1(k)) - mp.mpf("0.25"), 0.2)
    kp = mp.findroot(lambda k: mp.ncdf(d1(k)) - mp.mpf("0.75"), -0.2)
    vol = lambda k: mp.sqrt(wf(k) / t)
    summary = {"svi": [sv[x] for x in ("a", "b", "rho", "m", "sigma")], "expiry": t,
               "atm_vol": float(vol(0)), "rr25": float(vol(kc) - vol(kp)),
               "bf25": float((vol(kc) + vol(kp)) / 2 - vol(0)), "k_call25": float(kc), "k_put25": float(kp)}
    out = {"generator": "tools/gen_vol_reference.py (QuantLib 1.44, mpmath 1.3.0)",
           "vogt": vogt, "summary": summary, "sabr_points": sabr_points, "slices": slices}
    with open("tests/data/vol_reference.json", "w") as fh:
        json.dump(out, fh, indent=1)
    print(json.dumps(vogt, indent=1))
    for s in slices:
        print(s["name"], len(s["strikes"]), "svi", s["quantlib_svi"], "sabr", s["quantlib_sabr"])


if __name__ == "__main__":
    main()
