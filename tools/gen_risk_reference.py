#!/usr/bin/env python3
# Python 3.11
# numpy==2.2.6
# scipy==1.14.1
# mpmath==1.3.0
# (otherwise standard library only: csv, json, fractions, random)
"""Independent reference for the risk layer (derisk issue 13, first part).

Rerun from the repository root (deterministic; reads only committed files):

    python3 tools/gen_risk_reference.py

Input   examples/data/btc_daily_close.csv  (BTC-USD daily closes 2014-09-17 .. 2022-01-24)
Output  tests/data/risk_reference.json

No Rust code was read or used. Every number is computed here, at 50 digits with mpmath where
a closed form exists, and cross-checked against numpy/scipy where they offer the same quantity
(the script stops if the two disagree beyond the stated tolerance).

Conventions (as in docs/risk.md)
  * Input numbers are the binary64 values of their decimal text (what Rust parses); the
    confidence alpha is the binary64 value of "0.99" etc., and p = 1 - alpha is computed in
    binary64 (as Rust does) before being lifted to 50 digits.
  * log return r_t = ln(P_t / P_{t-1}); losses L = -P&L; VaR and ES positive for losses.
  * Historical VaR: Hyndman-Fan type 7 ("linear", numpy default), type 1 ("inverted_cdf",
    with n*alpha taken exactly from the decimal alpha), Harrell-Davis (scipy hdquantiles and an
    mpmath evaluation of the same beta weights).
  * Historical ES (Acerbi-Tasche): m = n(1 - alpha) exactly (decimal alpha), k = floor(m),
    ES = (sum of the k largest losses + (m - k) * the (k+1)-th largest) / m.
  * Normal: sample mean, sample standard deviation (divisor n - 1).
  * Student-t: scaled to the sample standard deviation, s = sigma sqrt((nu-2)/nu); nu = 4 or by
    moments nu = 4 + 6/kappa, kappa the population excess kurtosis (scipy.stats.kurtosis default).
  * Cornish-Fisher: population skewness S and excess kurtosis K; VaR from the expansion at
    z = Phi^-1(1 - alpha); ES by numerical integration (mpmath.quad) of the CF quantile over
    (0, 1 - alpha) (as the integral of w(t) phi(t) over t < z), not by the closed form the
    Rust code uses.
  * Backtests: exception when -pnl_t > VaR_t strictly; Kupiec LR_pof, Christoffersen LR_ind on
    first-order transitions, LR_cc = LR_pof + LR_ind (chi2(2)); p-values by mpmath (erfc for one
    degree of freedom, exp(-x/2) for two) and scipy.stats.chi2.sf as a cross-check.
  * Traffic light: P(X <= x), X ~ Binomial(n, p) summed exactly at 50 digits and with
    scipy.stats.binom.cdf; green < 0.95 <= yellow < 0.9999 <= red (Basel Committee, 1996).
"""
import csv
import json
import random
from fractions import Fraction

import mpmath
import numpy as np
import scipy
from mpmath import mp, mpf
from scipy import stats
from scipy.stats import mstats

mp.dps = 50

PRICES = "examples/data/btc_daily_close.csv"
OUT = "tests/data/risk_reference.json"


def num(x):
    """A 50-digit number as the nearest binary64 (written by json with repr: round-trips)."""
    return float(mpf(x))


def close(a, b, rel, what):
    a, b = float(a), float(b)
    if abs(a - b) > rel * max(abs(a), abs(b), 1e-300):
        raise SystemExit(f"cross-check failed for {what}: {a!r} vs {b!r}")


with open(PRICES) as fh:
    rows = list(csv.DictReader(fh))
dates = [r["Date"] for r in rows]
prices = [float(r["Close"]) for r in rows]
P = [mpf(p) for p in prices]
logret = [mpmath.log(P[i] / P[i - 1]) for i in range(1, len(P))]
simret = [P[i] / P[i - 1] - 1 for i in range(1, len(P))]
lr64 = [float(x) for x in logret]

out = {
    "source": "tools/gen_risk_reference.py",
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "mpmath": mpmath.__version__},
    "prices": PRICES,
    "n_prices": len(prices),
    "first_date": dates[0],
    "last_date": dates[-1],
}

# ---------------------------------------------------------------- returns
R = {}
R["log_returns_first10"] = [num(x) for x in logret[:10]]
R["simple_returns_first10"] = [num(x) for x in simret[:10]]
agg_src = logret[:23]
R["agg_log_h5_overlapping"] = [num(sum(agg_src[i:i + 5])) for i in range(23 - 5 + 1)]
R["agg_log_h5_nonoverlapping"] = [num(sum(agg_src[5 * i:5 * i + 5])) for i in range(23 // 5)]
sim_src = simret[:23]


def compound(xs):
    out_ = mpf(1)
    for x in xs:
        out_ *= 1 + x
    return out_ - 1


# the Rust side computes from its own binary64 simple returns: lift those values exactly
sim64 = [mpf(float(x)) for x in sim_src]
R["agg_simple_h5_overlapping"] = [num(compound(sim64[i:i + 5])) for i in range(23 - 5 + 1)]
R["agg_simple_h5_nonoverlapping"] = [num(compound(sim64[5 * i:5 * i + 5])) for i in range(23 // 5)]
# rolling volatility: window 20 over the first 60 log returns (binary64 values lifted)
roll_src = [mpf(x) for x in lr64[:60]]


def sstd(xs):
    n = len(xs)
    m = sum(xs) / n
    return mpmath.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))


R["rolling_vol_w20_first60"] = [num(sstd(roll_src[i:i + 20])) for i in range(60 - 20 + 1)]
np_roll = [np.std(np.array(lr64[i:i + 20]), ddof=1) for i in range(41)]
for a, b in zip(R["rolling_vol_w20_first60"], np_roll):
    close(a, b, 1e-12, "rolling vol vs numpy")
# EWMA (RiskMetrics, lambda = 0.94) over the first 100 log returns, arch backcast:
# sigma2_0 = sum_{i<75} 0.94^i r_i^2 / sum_{i<75} 0.94^i
ew_src = [mpf(x) for x in lr64[:100]]
lam = mpf(0.94)
w = [mpf(0.94) ** i for i in range(75)]
s2 = sum(wi * r * r for wi, r in zip(w, ew_src[:75])) / sum(w)
ewma = []
for r in ew_src:
    ewma.append(mpmath.sqrt(s2))
    s2 = lam * s2 + (1 - lam) * r * r
ewma.append(mpmath.sqrt(s2))
R["ewma_vol_l094_first100"] = [num(x) for x in ewma]
R["annual_vol_of_rolling0"] = num(mpf(R["rolling_vol_w20_first60"][0]) * mpmath.sqrt(365))
out["returns"] = R

# ---------------------------------------------------------------- VaR / ES on a fixed window
WINDOW = 1000
sample = [mpf(x) for x in lr64[-WINDOW:]]
losses = sorted(-x for x in sample)
n = len(losses)
M = {"window": WINDOW, "window_first_date": dates[-WINDOW], "window_last_date": dates[-1]}
mean = sum(sample) / n
cm = lambda k: sum((x - mean) ** k for x in sample) / n
m2, m3, m4 = cm(2), cm(3), cm(4)
sd = mpmath.sqrt(m2 * n / (n - 1))
skew = m3 / m2 ** mpf(1.5)
kurt = m4 / m2 ** 2 - 3
close(skew, stats.skew(np.array(lr64[-WINDOW:])), 1e-10, "skew vs scipy")
close(kurt, stats.kurtosis(np.array(lr64[-WINDOW:])), 1e-10, "kurtosis vs scipy")
M["mean"], M["sample_std"], M["skewness"], M["excess_kurtosis"] = num(mean), num(sd), num(skew), num(kurt)
nu_mom = 4 + 6 / kurt
M["nu_moments"] = num(nu_mom)


def tcdf(x, nu):
    t = nu / (nu + x * x)
    tail = mpmath.betainc(nu / 2, mpf(1) / 2, 0, t, regularized=True) / 2
    return tail if x < 0 else 1 - tail


def tppf(p, nu):
    guess = mpf(stats.t(float(nu)).ppf(float(p)))
    return mpmath.findroot(lambda x: tcdf(x, nu) - p, guess)


def tpdf(x, nu):
    return mpmath.gamma((nu + 1) / 2) / (mpmath.gamma(nu / 2) * mpmath.sqrt(nu * mpmath.pi)) * (
        1 + x * x / nu) ** (-(nu + 1) / 2)


def zq(p):
    return mpmath.sqrt(2) * mpmath.erfinv(2 * p - 1)


levels = {}
np_losses = -np.array(lr64[-WINDOW:])
for label in ("0.99", "0.975"):
    a = mpf(float(label))          # binary64 alpha
    a_exact = Fraction(label)      # decimal alpha, for n*alpha and n(1-alpha)
    e = {}
    # type 7
    h = (n - 1) * a
    lo = int(mpmath.floor(h))
    e["hist_var_linear"] = num(losses[lo] + (h - lo) * (losses[lo + 1] - losses[lo]))
    close(e["hist_var_linear"], np.quantile(np_losses, float(label), method="linear"), 1e-13, "type 7")
    # type 1
    k = -(-(n * a_exact).numerator // (n * a_exact).denominator)  # ceil
    e["hist_var_inverted_cdf"] = num(losses[k - 1])
    close(e["hist_var_inverted_cdf"], np.quantile(np_losses, float(label), method="inverted_cdf"), 0, "type 1")
    # Harrell-Davis
    A, B = (n + 1) * a, (n + 1) * (1 - a)
    cdf = [mpmath.betainc(A, B, 0, mpf(i) / n, regularized=True) for i in range(n + 1)]
    hd = sum((cdf[i + 1] - cdf[i]) * losses[i] for i in range(n))
    e["hist_var_harrell_davis"] = num(hd)
    close(hd, mstats.hdquantiles(np_losses, prob=[float(label)])[0], 1e-10, "HD vs scipy")
    # ES (Acerbi-Tasche)
    m = n * (1 - a_exact)
    kk = m.numerator // m.denominator
    desc = losses[::-1]
    es = (sum(desc[:kk]) + (mpf(m.numerator) / m.denominator - kk) * (desc[kk] if kk < n else 0)) / (
        mpf(m.numerator) / m.denominator)
    e["hist_es"] = num(es)
    # normal
    z = zq(a)
    e["normal_var"] = num(-mean + sd * z)
    e["normal_es"] = num(-mean + sd * mpmath.npdf(z) / (1 - a))
    close(e["normal_var"], -float(mean) + float(sd) * stats.norm.ppf(float(label)), 1e-12, "normal var scipy")
    # Student-t
    for tag, nu in (("t4", mpf(4)), ("tmom", nu_mom)):
        s = sd * mpmath.sqrt((nu - 2) / nu)
        q = tppf(a, nu)
        e[f"{tag}_var"] = num(-mean + s * q)
        e[f"{tag}_es"] = num(-mean + s * tpdf(q, nu) / (1 - a) * (nu + q * q) / (nu - 1))
        close(q, stats.t(float(nu)).ppf(float(label)), 1e-9, "t ppf scipy")
    # Cornish-Fisher
    zc = zq(1 - a)

    def wcf(zz):
        return zz + (zz ** 2 - 1) * skew / 6 + (zz ** 3 - 3 * zz) * kurt / 24 - (2 * zz ** 3 - 5 * zz) * skew ** 2 / 36

    e["cf_var"] = num(-(mean + sd * wcf(zc)))
    # integral of the CF quantile over u in (0, 1 - alpha), with u = Phi(t)
    integral = mpmath.quad(lambda t: (mean + sd * wcf(t)) * mpmath.npdf(t), [-mpmath.inf, -10, zc])
    e["cf_es"] = num(-integral / (1 - a))
    levels[label] = e
M["levels"] = levels
out["measures"] = M

# ---------------------------------------------------------------- rolling-window backtest
BT_WINDOW, BT_DAYS = 500, 1000
r = lr64[-(BT_WINDOW + BT_DAYS):]
BT = {"window": BT_WINDOW, "days": BT_DAYS, "method": "historical VaR, type 7, on the previous 500 log returns",
      "first_test_date": dates[-BT_DAYS], "last_test_date": dates[-1]}


def lr_pof(nn, x, p):
    nn, x, p = mpf(nn), mpf(x), mpf(p)
    null = (nn - x) * mpmath.log(1 - p) + x * mpmath.log(p)
    alt = (0 if x == nn else (nn - x) * mpmath.log(1 - x / nn)) + (0 if x == 0 else x * mpmath.log(x / nn))
    return 2 * (alt - null)


def xl(k, t):
    return 0 if k == 0 else k * mpmath.log(mpf(k) / t)


def lr_ind(hits):
    c = [[0, 0], [0, 0]]
    for i, j in zip(hits, hits[1:]):
        c[i][j] += 1
    n00, n01, n10, n11 = c[0][0], c[0][1], c[1][0], c[1][1]
    if n10 + n11 == 0 or n00 + n01 == 0:
        return None
    T = n00 + n01 + n10 + n11
    null = xl(n00 + n10, T) + xl(n01 + n11, T)
    alt = xl(n00, n00 + n01) + xl(n01, n00 + n01) + xl(n10, n10 + n11) + xl(n11, n10 + n11)
    return 2 * (alt - null)


def sf1(x):
    return mpmath.erfc(mpmath.sqrt(x / 2))


def sf2(x):
    return mpmath.exp(-x / 2)


for label in ("0.99", "0.975"):
    var = [np.quantile(-np.array(r[t - BT_WINDOW:t]), float(label), method="linear") for t in range(BT_WINDOW, len(r))]
    real = r[BT_WINDOW:]
    hits = [1 if -p > v else 0 for v, p in zip(var, real)]
    x = sum(hits)
    p = mpf(1.0 - float(label))
    pof = lr_pof(BT_DAYS, x, p)
    ind = lr_ind(hits)
    cc = pof + ind
    close(sf1(pof), stats.chi2.sf(float(pof), 1), 1e-10, "chi2(1) sf")
    close(sf2(cc), stats.chi2.sf(float(cc), 2), 1e-10, "chi2(2) sf")
    last = hits[-250:]
    c250 = sum(mpmath.binomial(250, j) * p ** j * (1 - p) ** (250 - j) for j in range(sum(last) + 1))
    BT[label] = {
        "exception_days": [i for i, h in enumerate(hits) if h],
        "exceptions": x,
        "var_first": float(var[0]), "var_last": float(var[-1]),
        "kupiec_lr": num(pof), "kupiec_p": num(sf1(pof)),
        "ind_lr": num(ind), "ind_p": num(sf1(ind)),
        "cc_lr": num(cc), "cc_p": num(sf2(cc)),
        "last250_exceptions": sum(last),
        "last250_cumulative": num(c250),
    }
out["backtest"] = BT

# ---------------------------------------------------------------- Kupiec / Christoffersen grid
grid = []
for nn in (250, 500, 1000):
    for label in ("0.99", "0.975", "0.95"):
        p = mpf(1.0 - float(label))
        for x in sorted({0, 1, 2, 5, 10, 25, nn}):
            if x > nn:
                continue
            s = lr_pof(nn, x, p)
            grid.append({"n": nn, "x": x, "confidence": float(label), "lr": num(s), "p_value": num(sf1(s))})
out["kupiec_grid"] = grid
rng = random.Random(20261204)
seqs = []
for i in range(12):
    length = rng.choice([20, 100, 250, 1000])
    rate = rng.choice([0.01, 0.05, 0.2, 0.5])
    hits = [1 if rng.random() < rate else 0 for _ in range(length)]
    conf = rng.choice(["0.99", "0.975", "0.95"])
    ind = lr_ind(hits)
    entry = {"hits": "".join(map(str, hits)), "confidence": float(conf)}
    if ind is None:
        entry["undefined"] = True
    else:
        pof = lr_pof(length, sum(hits), mpf(1.0 - float(conf)))
        entry.update({"ind_lr": num(ind), "ind_p": num(sf1(ind)), "cc_lr": num(pof + ind), "cc_p": num(sf2(pof + ind))})
    seqs.append(entry)
seqs.append({"hits": "0" * 30 + "1", "confidence": 0.99, "undefined": True})
seqs.append({"hits": "1" * 30 + "0", "confidence": 0.99, "undefined": True})
out["christoffersen_sequences"] = seqs

# ---------------------------------------------------------------- traffic light
TL = []
for nn in (250, 500):
    for label in ("0.99", "0.975", "0.95"):
        p = mpf(1.0 - float(label))
        cum, acc, yellow, red = [], mpf(0), None, None
        for x in range(nn + 1):
            acc += mpmath.binomial(nn, x) * p ** x * (1 - p) ** (nn - x)
            close(acc, stats.binom.cdf(x, nn, float(p)), 1e-9, "binom cdf")
            cum.append(num(acc))
            if yellow is None and acc >= mpf("0.95"):
                yellow = x
            if red is None and acc >= mpf("0.9999"):
                red = x
                break
        TL.append({"n": nn, "confidence": float(label), "yellow_from": yellow, "red_from": red, "cumulative": cum})
out["traffic_light"] = TL

# ---------------------------------------------------------------- book P&L (linear book)
S0, Q, DAYS = 100_000.0, 2.5, 500
hist = prices[-(DAYS + 1):]
pnl = [Q * S0 * (mpf(hist[i + 1]) / mpf(hist[i]) - 1) for i in range(DAYS)]
pnl_sorted_losses = sorted(-x for x in pnl)
a = mpf(0.99)
h = (DAYS - 1) * a
lo = int(mpmath.floor(h))
bvar = pnl_sorted_losses[lo] + (h - lo) * (pnl_sorted_losses[lo + 1] - pnl_sorted_losses[lo])
m = DAYS * (1 - Fraction("0.99"))
kk = m.numerator // m.denominator
desc = pnl_sorted_losses[::-1]
bes = (sum(desc[:kk]) + (mpf(m.numerator) / m.denominator - kk) * desc[kk]) / (mpf(m.numerator) / m.denominator)
out["book"] = {"spot": S0, "quantity_btc": Q, "days": DAYS, "first_date": dates[-(DAYS + 1)],
               "pnl_first": num(pnl[0]), "pnl_last": num(pnl[-1]),
               "hist_var_99": num(bvar), "hist_es_99": num(bes)}

with open(OUT, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print("wrote", OUT)
