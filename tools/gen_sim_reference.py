#!/usr/bin/env python3
"""Closed-form references for derisk's simulation tests (tests/sim/*.rs, tests/risk/monte_carlo.rs).

Versions used to write the committed fixture (pin them when regenerating):
    python 3.11.7, mpmath 1.3.0, scipy 1.14.1, numpy 2.2.6

Usage (from the repository root):
    python3 tools/gen_sim_reference.py

Writes tests/data/sim_reference.json:
  gbm:     for each case (mu, sigma, dt, steps, s0, confidence): with T = steps*dt,
           m = (mu - sigma^2/2) T, s = sigma sqrt(T), X = ln(S_T/S_0) ~ N(m, s^2):
           E[S_T/S_0] = e^{mu T}, Var[S_T/S_0] = e^{2 mu T}(e^{s^2} - 1), Var X = s^2,
           and for a long position worth s0 (P&L = s0 (e^X - 1), loss = -P&L):
           VaR_a = s0 (1 - e^{m + s z_{1-a}}),
           ES_a  = s0 (1 - e^{m + s^2/2} Phi(z_{1-a} - s) / (1 - a))          (mpmath, 50 digits)
  merton:  (mu, sigma, lambda, m, delta, dt, steps): kappa = e^{m + delta^2/2} - 1,
           E[S_T/S_0] = e^{mu T}, E X = (mu - sigma^2/2 - lambda kappa + lambda m) T,
           Var X = (sigma^2 + lambda (m^2 + delta^2)) T                      (mpmath, 50 digits)
  copula:  Kendall's tau = (2/pi) asin(rho) (mpmath), and the joint upper-tail probability
           P(U1 > q, U2 > q) = 1 - 2q + C(q, q) of the Gaussian and Student-t copulas by
           one-dimensional mpmath quadrature over the conditional law (normal, resp. t_{nu+1}),
           cross-checked against scipy's multivariate_normal.cdf / multivariate_t.cdf
  pins:    seeded paths from ChaCha20Rng::from_seed(seed as 8 LE bytes + 24 zeros), computed
           here from a pure-Python ChaCha20 (tools/gen_garch_reference.py) with scipy's normal
           quantile and mpmath: the first GBM path (mu 0.1, sigma 0.8, dt 1/365, 5 steps, seed
           2026: x_t = (mu - sigma^2/2) dt + sigma sqrt(dt) Phi^{-1}(u_t)), its antithetic twin
           (u -> 1 - u) and the first Merton path (3 uniforms a step: z1, Poisson count by
           sequential inversion, z2) of the merton case below, seed 7
"""
import json
import os
import sys

import mpmath as mp
import numpy as np
import scipy
from scipy import stats

mp.mp.dps = 50

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_garch_reference import chacha20_u64  # noqa: E402  (pure-Python ChaCha20, from the paper)


def uniforms(seed, count):
    """u = ((x >> 11) + 1/2) 2^-53 of the ChaCha20 u64 stream keyed by the seed's LE bytes."""
    return [((x >> 11) + 0.5) / 2.0**53 for x in chacha20_u64(seed, count)]


def s(x):
    return float(x)


def gbm_case(mu, sigma, dt, steps, s0, conf):
    mu, sigma, dt, s0, conf = map(mp.mpf, (mu, sigma, dt, s0, conf))
    T = steps * dt
    m = (mu - sigma**2 / 2) * T
    sd = sigma * mp.sqrt(T)
    z = mp.sqrt(2) * mp.erfinv(2 * (1 - conf) - 1)  # Phi^{-1}(1 - conf)
    var = s0 * (1 - mp.e ** (m + sd * z))
    es = s0 * (1 - mp.e ** (m + sd**2 / 2) * mp.ncdf(z - sd) / (1 - conf))
    return {
        "mean_growth": s(mp.e ** (mu * T)),
        "var_growth": s(mp.e ** (2 * mu * T) * (mp.e ** (sd**2) - 1)),
        "log_mean": s(m),
        "log_var": s(sd**2),
        "var": s(var),
        "es": s(es),
    }


def main():
    out = {"source": "tools/gen_sim_reference.py",
           "versions": {"mpmath": mp.__version__, "scipy": scipy.__version__, "numpy": np.__version__}}
    gbm = []
    for (mu, sigma, dt, steps, s0, conf) in [
        (0.1, 0.8, 1 / 365, 1, 100000.0, 0.99),
        (0.1, 0.8, 1 / 365, 10, 100000.0, 0.99),
        (0.0, 0.6, 1 / 365, 10, 1.0, 0.975),
    ]:
        c = {"mu": mu, "sigma": sigma, "dt": dt, "steps": steps, "s0": s0, "confidence": conf}
        c.update(gbm_case(mu, sigma, dt, steps, s0, conf))
        gbm.append(c)
    out["gbm"] = gbm

    mu, sigma, lam, jm, jd, dt, steps = 0.05, 0.5, 5.0, -0.05, 0.1, 10 / 365, 3
    M = [mp.mpf(v) for v in (mu, sigma, lam, jm, jd, dt)]
    T = steps * M[5]
    kappa = mp.e ** (M[3] + M[4] ** 2 / 2) - 1
    out["merton"] = {
        "mu": mu, "sigma": sigma, "lambda": lam, "jump_mean": jm, "jump_vol": jd, "dt": dt,
        "steps": steps,
        "mean_growth": s(mp.e ** (M[0] * T)),
        "log_mean": s((M[0] - M[1] ** 2 / 2 - M[2] * kappa + M[2] * M[3]) * T),
        "log_var": s((M[1] ** 2 + M[2] * (M[3] ** 2 + M[4] ** 2)) * T),
    }

    rho, nu, q = 0.6, 4.0, 0.975
    cov = [[1.0, rho], [rho, 1.0]]
    R, NU, Q = mp.mpf(rho), mp.mpf(nu), mp.mpf(q)
    # Gaussian: C(q, q) = int_{-inf}^{x} phi(y) Phi((x - rho y)/sqrt(1 - rho^2)) dy, x = Phi^{-1}(q)
    xg = mp.sqrt(2) * mp.erfinv(2 * Q - 1)
    cg = mp.quad(lambda y: mp.npdf(y) * mp.ncdf((xg - R * y) / mp.sqrt(1 - R**2)), [-mp.inf, 0, xg])

    # Student-t: given Y = y, X is t_{nu+1} scaled by sqrt((1 - rho^2)(nu + y^2)/(nu + 1)) around rho y
    def t_pdf(y, n):
        return mp.gamma((n + 1) / 2) / (mp.sqrt(n * mp.pi) * mp.gamma(n / 2)) * (1 + y**2 / n) ** (-(n + 1) / 2)

    def t_cdf(y, n):
        return mp.quad(lambda u: t_pdf(u, n), [-mp.inf, 0, y]) if y < 0 else 1 - mp.quad(lambda u: t_pdf(u, n), [y, mp.inf])

    xt = mp.findroot(lambda x: t_cdf(x, NU) - Q, mp.mpf(stats.t.ppf(q, nu)))
    ct = mp.quad(lambda y: t_pdf(y, NU) * t_cdf((xt - R * y) / mp.sqrt((1 - R**2) * (NU + y**2) / (NU + 1)), NU + 1),
                 [-mp.inf, 0, xt])
    # cross-checks with scipy's numerical integration of the bivariate laws
    cg_sp = stats.multivariate_normal(mean=[0, 0], cov=cov).cdf([float(xg), float(xg)])
    ct_sp = stats.multivariate_t.cdf([float(xt), float(xt)], loc=[0, 0], shape=cov, df=nu,
                                     maxpts=2_000_000, random_state=1)
    assert abs(float(cg) - cg_sp) < 1e-6 and abs(float(ct) - ct_sp) < 1e-4, (cg, cg_sp, ct, ct_sp)
    out["copula"] = {
        "rho": rho, "nu": nu, "q": q,
        "kendall_tau": s(2 / mp.pi * mp.asin(mp.mpf(rho))),
        "gaussian_joint_upper": s(1 - 2 * Q + cg),
        "t_joint_upper": s(1 - 2 * Q + ct),
    }
    # Pins.
    mu_, sg_, dt_ = 0.1, 0.8, 1 / 365
    us = uniforms(2026, 5)
    m_ = (mp.mpf(mu_) - mp.mpf(sg_) ** 2 / 2) * mp.mpf(dt_)
    sd_ = mp.mpf(sg_) * mp.sqrt(mp.mpf(dt_))
    q = lambda u: mp.sqrt(2) * mp.erfinv(2 * mp.mpf(u) - 1)
    gbm_pin = [s(m_ + sd_ * q(u)) for u in us]
    gbm_mirror = [s(m_ + sd_ * q(1 - mp.mpf(u))) for u in us]
    mer = out["merton"]
    M = [mp.mpf(mer[k]) for k in ("mu", "sigma", "lambda", "jump_mean", "jump_vol", "dt")]
    kappa = mp.e ** (M[3] + M[4] ** 2 / 2) - 1
    c = (M[0] - M[1] ** 2 / 2 - M[2] * kappa) * M[5]
    lam_dt = M[2] * M[5]
    us = uniforms(7, 3 * mer["steps"])
    mer_pin = []
    for t in range(mer["steps"]):
        z1, up, z2 = q(us[3 * t]), us[3 * t + 1], q(us[3 * t + 2])
        k, p_, cdf = 0, mp.e ** (-lam_dt), mp.e ** (-lam_dt)
        while up > cdf:
            k += 1
            p_ *= lam_dt / k
            cdf += p_
        mer_pin.append(s(c + M[1] * mp.sqrt(M[5]) * z1 + k * M[3] + M[4] * mp.sqrt(k) * z2))
    out["pins"] = {"gbm": {"mu": mu_, "sigma": sg_, "dt": dt_, "steps": 5, "seed": 2026,
                           "path": gbm_pin, "mirror": gbm_mirror},
                   "merton": {"seed": 7, "path": mer_pin}}
    with open("tests/data/sim_reference.json", "w") as fh:
        json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
