#!/usr/bin/env python3
# mpmath 1.3.0, scipy 1.14.1, numpy 2.2.6
"""Independent reference values for src/risk/haircut.rs -> tests/data/haircut_reference.json.

Every value is computed at 50 significant digits with mpmath, straight from the formulas as the
texts state them (nothing is read from derisk's output):

* Basel II (BCBS, June 2006) para. 147: E* = max(0, E(1 + He) - C(1 - Hc - Hfx)).
* Basel II para. 167: H = H_M sqrt((N_R + T_M - 1) / T_M) and H_M = H_N sqrt(T_M / T_N);
  minimum holding periods T_M: repo-style 5, other capital market 10, secured lending 20
  business days.
* Basel II para. 168: H = H_10 sqrt((N_R + T_M - 1) / 10).
* The crypto collateral haircut model of docs/capital.md: horizon T = (holding + liquidation
  days) / 365, s = sigma sqrt(T), x = -s z_q (or s (rho Phi^-1(PD) - sqrt(1 - rho^2) z_q) with
  wrong-way risk), H = min(1, max(0, 1 - exp(x)) + c), z_q = Phi^-1(q).

scipy.stats.norm.ppf cross-checks mpmath's inverse normal (the script stops if they disagree by
more than 1e-13 relative). The wrong-way quantile is also found without its closed form: the
conditional cdf P(X <= x | Z = z) is integrated numerically (mpmath.quad) from the bivariate
normal density of (X, Z) and inverted with mpmath.findroot; the script stops if the two differ by
more than 1e-20 relative. Run: python3 tools/gen_haircut_reference.py
"""
import json
import pathlib

import mpmath as mp
from scipy.stats import norm

mp.mp.dps = 50

T_M = {"repo": 5, "capital_market": 10, "secured_lending": 20}


def ppf(p):
    z = mp.sqrt(2) * mp.erfinv(2 * mp.mpf(p) - 1)
    s = norm.ppf(p)
    assert abs(float(z) - s) <= 1e-13 * max(1.0, abs(s)), (p, z, s)
    return z


def conditional_quantile(s, rho, z, q):
    """(1 - q) quantile of X = s (rho Z + sqrt(1 - rho^2) eps) given Z = z, by quadrature of the
    bivariate normal density of (X, Z) and root finding (no closed form used)."""
    cov = mp.matrix([[s * s, rho * s], [rho * s, 1]])
    det = cov[0, 0] * cov[1, 1] - cov[0, 1] ** 2
    inv = cov ** -1

    def joint(x):
        v = [x, z]
        quad = sum(v[i] * inv[i, j] * v[j] for i in range(2) for j in range(2))
        return mp.exp(-quad / 2) / (2 * mp.pi * mp.sqrt(det))

    marginal = mp.npdf(z)

    def cdf(x):
        return mp.quad(joint, [-mp.inf, x]) / marginal

    guess = s * (rho * z - mp.sqrt(1 - rho * rho) * ppf(q))
    return mp.findroot(lambda x: cdf(x) - (1 - mp.mpf(q)), guess)


def f(x):
    return float(mp.nstr(x, 30))


def main():
    exposure = []
    for e, he, c, hc, hfx in [
        (100, 0, 100, 0.15, 0.08),
        (100, 0, 100, 0.25, 0),
        (1000, 0.04, 800, 0.12, 0.08),
        (50, 0.005, 40, 0.02, 0),
        (100, 0, 200, 0.15, 0.08),
        (0, 0, 10, 0.5, 0.2),
        (1e9, 0.25, 1.2e9, 0.15, 0.08),
    ]:
        v = max(mp.mpf(0), mp.mpf(e) * (1 + mp.mpf(he)) - mp.mpf(c) * (1 - mp.mpf(hc) - mp.mpf(hfx)))
        exposure.append({"e": e, "he": he, "c": c, "hc": hc, "hfx": hfx, "e_star": f(v)})

    remargining = []
    supervisory = []
    for kind, tm in T_M.items():
        for h in [0.005, 0.04, 0.15, 0.25]:
            for nr in [1, 2, 5, 7.5, 20, 60]:
                hm = mp.mpf(h) * mp.sqrt((mp.mpf(nr) + tm - 1) / tm)
                h10 = mp.mpf(h) * mp.sqrt((mp.mpf(nr) + tm - 1) / 10)
                remargining.append({"type": kind, "h": h, "n_r": nr, "value": f(hm)})
                supervisory.append({"type": kind, "h": h, "n_r": nr, "value": f(h10)})

    holding = []
    for kind, tm in T_M.items():
        for h in [0.01, 0.05, 0.3]:
            for tn in [1, 3, 10, 30]:
                holding.append({"type": kind, "h": h, "t_n": tn,
                                "value": f(mp.mpf(h) * mp.sqrt(mp.mpf(tm) / tn))})

    crypto = []
    for q, days, sigma, liq, cost, rho, pd in [
        (0.99, 10, 0.6, 0, 0, None, None),
        (0.99, 10, 0.6, 3, 0.01, None, None),
        (0.995, 2, 0.8, 0.5, 0.002, None, None),
        (0.99, 5, 1.2, 1, 0.02, 0.5, 0.01),
        (0.99, 5, 1.2, 1, 0.02, 0.9, 0.001),
        (0.99, 5, 1.2, 1, 0.02, -0.3, 0.05),
        (0.975, 1, 0.05, 0, 0, None, None),
        (0.999, 30, 3.0, 30, 0.3, 0.8, 0.2),
    ]:
        z = ppf(q)
        t = (mp.mpf(days) + liq) / 365
        s = mp.mpf(sigma) * mp.sqrt(t)
        if rho is None:
            x = -s * z
        else:
            r = mp.mpf(rho)
            x = s * (r * ppf(pd) - mp.sqrt(1 - r * r) * z)
            check = conditional_quantile(s, r, ppf(pd), q)
            assert abs(check - x) <= mp.mpf("1e-20") * abs(x), (x, check)
        market = max(mp.mpf(0), 1 - mp.exp(x))
        total = min(mp.mpf(1), market + mp.mpf(cost))
        crypto.append({"q": q, "holding_days": days, "sigma": sigma, "liquidation_days": liq,
                       "cost": cost, "rho": rho, "pd": pd, "x": f(x), "market": f(market),
                       "total": f(total)})

    out = {
        "source": "tools/gen_haircut_reference.py (mpmath 1.3.0 at 50 digits; scipy 1.14.1 "
                  "norm.ppf cross-check); formulas of Basel II (June 2006) paras. 147, 167, 168",
        "exposure_after_haircuts": exposure,
        "scale_to_remargining": remargining,
        "scale_supervisory": supervisory,
        "scale_holding_period": holding,
        "crypto_haircut": crypto,
    }
    path = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "haircut_reference.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
