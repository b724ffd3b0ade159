#!/usr/bin/env python3
"""Fit the starting-value polynomials of the implied-volatility solver (src/pricing/implied.rs).

Packages: Python 3.11, numpy 2.4.6, scipy 1.17.1 (any recent version gives the same fit to the
printed digits: it is a least-squares polynomial, and the solver needs it only to about 1e-4; a
Halley step on the small-s model and the Householder iteration do the rest).

In the limit s -> 0 at fixed h = x/s the normalised price is f = s*psi(h), with the normal loss
function psi(h) = phi(h) + h*Phi(h). Writing k = -h = |x|/s, a quote gives q = beta/|x| =
psi(-k)/k, and s = |x|/k. This script fits k as a polynomial in u = w - W0, w = sqrt(-2 ln q),
on two pieces, 1.3 <= k <= 3.2 and 3.1 <= k <= 8.6, and prints for each the range of w, the
coefficients (lowest order first), q at the far end, and the worst relative error in k.
Run: python3 tools/fit_implied_start.py
"""
import numpy as np
from scipy.special import erfcx

PIECES = [(1.3, 3.2, 3.5, 5), (3.1, 8.6, 7.0, 6)]  # k_lo, k_hi, W0, degree


def ln_q(k):
    # psi(-k) = phi(k)*(1 - k*R(k)) with the Mills ratio R(k) = Phi(-k)/phi(k), no underflow.
    mills = np.sqrt(np.pi / 2) * erfcx(k / np.sqrt(2))
    return -k * k / 2 - 0.5 * np.log(2 * np.pi) + np.log1p(-k * mills) - np.log(k)


for k_lo, k_hi, w0, degree in PIECES:
    k = np.linspace(k_lo, k_hi, 20001)
    w = np.sqrt(-2 * ln_q(k))
    coef = np.polynomial.polynomial.polyfit(w - w0, k, degree)
    fit = np.polynomial.polynomial.polyval(w - w0, coef)
    print(f"k in [{k_lo}, {k_hi}]: w in [{w.min():.4f}, {w.max():.4f}], W0 = {w0}")
    print("  coefficients", [float(c) for c in coef])
    print(f"  q at k = {k_hi}: {np.exp(ln_q(np.array(k_hi))):.3e}")
    print(f"  worst relative error in k {np.max(np.abs(fit / k - 1)):.2e}")
