//! Credit valuation adjustment: hazard rate from a credit spread, survival, unilateral CVA of an
//! exposure profile, and CVA with wrong-way risk when the default intensity moves with a market
//! driver (BTC) on each path.

use super::paths::{check_times, ValuePaths};
use crate::math::{brent, RootOptions, Termination};
use crate::risk::error::RiskError;
use crate::risk::stats::{check_series, Neumaier};

fn check_recovery(recovery: f64) -> Result<f64, RiskError> {
    if (0.0..1.0).contains(&recovery) {
        Ok(recovery)
    } else {
        Err(RiskError::InvalidParameter {
            name: "recovery",
            value: recovery,
            reason: "must lie in [0, 1)",
        })
    }
}

fn check_rate(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite and non-negative",
        })
    }
}

fn check_len(name: &'static str, len: usize, want: usize) -> Result<(), RiskError> {
    if len == want {
        Ok(())
    } else {
        Err(RiskError::LengthMismatch {
            left_name: name,
            left: len,
            right_name: "times",
            right: want,
        })
    }
}

/// The flat hazard rate implied by a credit spread (the "credit triangle").
///
/// ```text
/// λ = s / (1 − R)      s: spread per year (decimal, 0.01 = 100 bp), R: recovery in [0, 1)
/// ```
///
/// Reference: J. Hull, *Options, Futures, and Other Derivatives*, 10th ed. (2018), §24.3
/// (hazard rate from a bond or CDS spread); Gregory (2020), §12.2.
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a negative or non-finite spread, or a recovery outside
/// [0, 1).
///
/// ```
/// use derisk::risk::exposure::hazard_rate_from_spread;
/// assert!((hazard_rate_from_spread(0.03, 0.4)? - 0.05).abs() < 1e-15);
/// assert!(hazard_rate_from_spread(-0.01, 0.4).is_err());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn hazard_rate_from_spread(spread: f64, recovery: f64) -> Result<f64, RiskError> {
    let s = check_rate("spread", spread)?;
    Ok(s / (1.0 - check_recovery(recovery)?))
}

/// Survival probabilities under a flat hazard rate, into `out` (allocation-free).
///
/// ```text
/// S(t_k) = exp(−λ t_k)
/// ```
///
/// Reference: Hull (2018), §24.2.
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a negative or non-finite λ; [`RiskError::InvalidTime`]
/// for a bad grid; [`RiskError::LengthMismatch`] if `out.len() != times.len()`.
///
/// ```
/// use derisk::risk::exposure::survival_flat;
/// let mut s = [0.0; 2];
/// survival_flat(0.05, &[1.0, 2.0], &mut s)?;
/// assert!((s[1] - (-0.1f64).exp()).abs() < 1e-16);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn survival_flat(hazard: f64, times: &[f64], out: &mut [f64]) -> Result<(), RiskError> {
    let h = check_rate("hazard rate", hazard)?;
    check_times("times", times)?;
    check_len("survival", out.len(), times.len())?;
    for (o, t) in out.iter_mut().zip(times) {
        *o = (-h * t).exp();
    }
    Ok(())
}

/// Unilateral CVA of an exposure profile (exposure independent of default).
///
/// ```text
/// CVA = (1 − R) Σ_k EE(t_k) · D(t_k) · (S(t_{k−1}) − S(t_k)),   S(t_{−1}) = 1 (t_{−1} = 0)
/// ```
///
/// `ee` the (discounted or not, see D) expected exposure per date, `discount` the discount
/// factors D(t_k) (all 1 for zero rates), `survival` S(t_k) non-increasing in [0, 1]. With a
/// flat EE, zero rates and S = e^{−λt} the sum telescopes: CVA = (1 − R) EE (1 − e^{−λT}).
/// Reference: Gregory (2020), §14.2 (eq. 14.2); D. Brigo, M. Morini and A. Pallavicini,
/// *Counterparty Credit Risk, Collateral and Funding* (Wiley, 2013), §3.2.
///
/// # Errors
///
/// [`RiskError::InvalidTime`] for a bad grid, [`RiskError::LengthMismatch`],
/// [`RiskError::NonFinite`], [`RiskError::InvalidParameter`] for a recovery outside [0, 1), a
/// negative EE, a discount factor ≤ 0, or a survival curve outside [0, 1] or increasing.
///
/// ```
/// use derisk::risk::exposure::{survival_flat, unilateral_cva};
/// let t = [1.0, 2.0, 3.0];
/// let mut s = [0.0; 3];
/// survival_flat(0.02, &t, &mut s)?;
/// let cva = unilateral_cva(&t, &[100.0; 3], &[1.0; 3], &s, 0.4)?;
/// assert!((cva - 0.6 * 100.0 * (1.0 - (-0.06f64).exp())).abs() < 1e-12);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn unilateral_cva(
    times: &[f64],
    ee: &[f64],
    discount: &[f64],
    survival: &[f64],
    recovery: f64,
) -> Result<f64, RiskError> {
    let lgd = 1.0 - check_recovery(recovery)?;
    check_times("times", times)?;
    let k = times.len();
    check_len("ee", ee.len(), k)?;
    check_len("discount", discount.len(), k)?;
    check_len("survival", survival.len(), k)?;
    check_series("ee", ee, k)?;
    check_series("discount", discount, k)?;
    check_series("survival", survival, k)?;
    if let Some(&e) = ee.iter().find(|&&e| e < 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "expected exposure",
            value: e,
            reason: "must be non-negative",
        });
    }
    if let Some(&d) = discount.iter().find(|&&d| d <= 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "discount factor",
            value: d,
            reason: "must be positive",
        });
    }
    let mut prev = 1.0;
    let mut acc = Neumaier::default();
    for ((&s, &e), &d) in survival.iter().zip(ee).zip(discount) {
        if !(0.0..=prev).contains(&s) {
            return Err(RiskError::InvalidParameter {
                name: "survival probability",
                value: s,
                reason: "must lie in [0, 1] and not increase",
            });
        }
        acc.add(e * d * (prev - s));
        prev = s;
    }
    Ok(lgd * acc.value())
}

/// A default intensity that moves with a market driver (wrong-way risk):
///
/// ```text
/// λ = λ0 · exp(β · x)
/// ```
///
/// with x the driver on a path at a date, e.g. x = −ln(S_BTC(t)/S_BTC(0)) so that a
/// counterparty long BTC (β > 0) grows riskier as BTC falls. The exponential-of-a-linear-factor
/// form is Hull and White's (2012) wrong-way risk model (there the factor is the portfolio
/// value). Reference: J. Hull and A. White, "CVA and wrong-way risk", *Financial Analysts
/// Journal* 68(5) (2012), 58–69.
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a negative or non-finite λ0, non-finite β or x, or an
/// intensity that overflows.
///
/// ```
/// use derisk::risk::exposure::driver_intensity;
/// let lam = driver_intensity(0.02, 1.5, -(0.8f64).ln())?; // BTC down 20 %
/// assert!((lam - 0.02 * (1.5 * -(0.8f64).ln()).exp()).abs() < 1e-17);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn driver_intensity(lambda0: f64, beta: f64, driver: f64) -> Result<f64, RiskError> {
    let l0 = check_rate("base intensity", lambda0)?;
    check_series("beta", &[beta], 1)?;
    check_series("driver", &[driver], 1)?;
    let lam = l0 * (beta * driver).exp();
    check_rate("intensity", lam)
}

/// CVA with wrong-way risk estimated path by path, and the CVA of the same exposures and the
/// same marginal default probabilities taken as independent.
///
/// ```text
/// on path p:  S_p(t_k) = S_p(t_{k−1}) · exp(−λ_p(t_k) (t_k − t_{k−1})),  S_p(t_{−1}) = 1, t_{−1} = 0
///             c_p      = (1 − R) Σ_k D(t_k) · max(V_p(t_k), 0) · (S_p(t_{k−1}) − S_p(t_k))
/// CVA_wwr   = (1/N) Σ_p c_p,      SE = std(c_p) / √N
/// PD(t_k)   = (1/N) Σ_p (S_p(t_{k−1}) − S_p(t_k))                 marginal default probability
/// CVA_indep = (1 − R) Σ_k D(t_k) · EE(t_k) · PD(t_k)
/// CVA_wwr − CVA_indep = (1 − R) Σ_k D(t_k) · Cov_p(E_p(t_k), ΔS_p(t_k))   (> 0: wrong-way)
/// ```
///
/// λ_p(t_k) is the intensity over (t_{k−1}, t_k] (see [`driver_intensity`]). Reference: Hull and
/// White (2012) (CVA with a hazard rate that depends on the exposure's driver); Gregory (2020),
/// §17.2 (wrong-way risk).
///
/// ```
/// use derisk::risk::exposure::{wrong_way_cva, ValuePaths};
/// // two paths: the one with the large exposure also has the higher intensity
/// let v = ValuePaths::new(vec![10.0, 0.0], 2, vec![1.0])?;
/// let lam = ValuePaths::new(vec![0.2, 0.0], 2, vec![1.0])?;
/// let c = wrong_way_cva(&v, &lam, &[1.0], 0.0)?;
/// assert!((c.cva - 0.5 * 10.0 * (1.0 - (-0.2f64).exp())).abs() < 1e-12);
/// assert!(c.cva > c.cva_independent);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
///
/// # Errors
///
/// [`RiskError::LengthMismatch`] when the intensity grid or discount factors do not match the
/// values; [`RiskError::InvalidParameter`] for a negative intensity, a discount factor ≤ 0 or a
/// recovery outside [0, 1).
pub fn wrong_way_cva(
    values: &ValuePaths,
    intensity: &ValuePaths,
    discount: &[f64],
    recovery: f64,
) -> Result<WrongWayCva, RiskError> {
    let lgd = 1.0 - check_recovery(recovery)?;
    let k = values.dates();
    if intensity.paths() != values.paths() || intensity.dates() != k {
        return Err(RiskError::LengthMismatch {
            left_name: "intensity paths x dates",
            left: intensity.values().len(),
            right_name: "values paths x dates",
            right: values.values().len(),
        });
    }
    check_len("discount", discount.len(), k)?;
    check_series("discount", discount, k)?;
    if let Some(&d) = discount.iter().find(|&&d| d <= 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "discount factor",
            value: d,
            reason: "must be positive",
        });
    }
    if let Some(&l) = intensity.values().iter().find(|&&l| l < 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "intensity",
            value: l,
            reason: "must be non-negative",
        });
    }
    let times = values.times();
    let n = values.paths();
    let nf = n as f64;
    let mut ee = vec![Neumaier::default(); k];
    let mut pd = vec![Neumaier::default(); k];
    let mut sum = Neumaier::default();
    let mut sum_sq = Neumaier::default();
    for p in 0..n {
        let (v, lam) = (values.path(p), intensity.path(p));
        let (mut s_prev, mut t_prev) = (1.0, 0.0);
        let mut c = 0.0;
        for k in 0..k {
            let s = s_prev * (-lam[k] * (times[k] - t_prev)).exp();
            let e = v[k].max(0.0);
            c += discount[k] * e * (s_prev - s);
            ee[k].add(e);
            pd[k].add(s_prev - s);
            (s_prev, t_prev) = (s, times[k]);
        }
        let c = lgd * c;
        sum.add(c);
        sum_sq.add(c * c);
    }
    let cva = sum.value() / nf;
    let var = if n > 1 {
        ((sum_sq.value() - nf * cva * cva) / (nf - 1.0)).max(0.0)
    } else {
        0.0
    };
    let cva_independent = lgd
        * ee.iter()
            .zip(&pd)
            .zip(discount)
            .map(|((e, q), d)| d * (e.value() / nf) * (q.value() / nf))
            .sum::<f64>();
    Ok(WrongWayCva {
        cva,
        std_error: (var / nf).sqrt(),
        cva_independent,
    })
}

/// The result of [`wrong_way_cva`]: the path-wise CVA with its Monte Carlo standard error, and
/// the CVA of the same EE and marginal default probabilities taken as independent.
///
/// ```
/// use derisk::risk::exposure::{wrong_way_cva, ValuePaths};
/// let v = ValuePaths::new(vec![1.0, 1.0], 2, vec![1.0])?;
/// let lam = ValuePaths::new(vec![0.1, 0.1], 2, vec![1.0])?;
/// let c = wrong_way_cva(&v, &lam, &[1.0], 0.0)?;
/// assert!((c.cva - c.cva_independent).abs() < 1e-15); // nothing varies across paths
/// assert_eq!(c.std_error, 0.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WrongWayCva {
    /// CVA with the exposure and default intensity joint on each path (currency units).
    pub cva: f64,
    /// Monte Carlo standard error of `cva`.
    pub std_error: f64,
    /// CVA of the same EE and marginal PDs as if independent (currency units).
    pub cva_independent: f64,
}

/// Driver-linked intensities calibrated to a survival curve, with how each date's solve ended.
///
/// ```
/// use derisk::math::Termination;
/// use derisk::risk::exposure::{calibrate_driver_intensity, ValuePaths};
/// let x = ValuePaths::new(vec![0.1, -0.1], 2, vec![1.0])?;
/// let c = calibrate_driver_intensity(&x, 1.0, &[0.95])?;
/// assert_eq!(c.termination, vec![Termination::Converged]);
/// assert_eq!(c.intensity.paths(), 2);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CalibratedIntensity {
    /// λ_p(t_k) = c_k · exp(β x_p(t_k)) on every path and date.
    pub intensity: ValuePaths,
    /// The calibrated scale c_k per date (the exp(a(t)) of Hull and White).
    pub scale: Vec<f64>,
    /// How the root search for each c_k ended (`Converged` also when c_k = 0 needs no search).
    pub termination: Vec<Termination>,
}

/// Calibrates the wrong-way intensity λ_p(t_k) = c_k · exp(β · x_p(t_k)) so that the mean
/// path-wise survival matches a target survival curve (e.g. from the credit spread), date by
/// date, as Hull and White (2012) calibrate their a(t) to the counterparty's credit spreads.
///
/// ```text
/// S_p(t_k) = S_p(t_{k−1}) · exp(−c_k e^{β x_p(t_k)} (t_k − t_{k−1})),  S_p(t_{−1}) = 1
/// find c_k ≥ 0:  (1/N) Σ_p S_p(t_k) = S*(t_k)            (one Brent solve per date)
/// ```
///
/// The left side is decreasing in c_k, from the previous date's mean survival (c_k = 0) towards
/// 0, so a root exists whenever S* is non-increasing; c_k = 0 when S*(t_k) = S*(t_{k−1}). With the
/// result, [`wrong_way_cva`]'s `cva_independent` is the CVA at the target PDs and `cva` adds the
/// dependence. Solved with [`crate::math::brent`] (absolute tolerance 0: to rounding).
/// Reference: Hull and White (2012), "CVA and wrong-way risk", *FAJ* 68(5), §3 (calibration of
/// a(t) to the hazard rates implied by credit spreads).
///
/// # Errors
///
/// [`RiskError::NonFinite`] for a non-finite β; [`RiskError::LengthMismatch`] when `survival`
/// does not match the grid; [`RiskError::InvalidParameter`] for a survival curve outside
/// (0, 1] or increasing, or an intensity that overflows.
///
/// ```
/// use derisk::risk::exposure::{calibrate_driver_intensity, ValuePaths};
/// // two paths, one year: drivers ±0.5, β = 1, target survival e^{−0.05}
/// let x = ValuePaths::new(vec![0.5, -0.5], 2, vec![1.0])?;
/// let c = calibrate_driver_intensity(&x, 1.0, &[(-0.05f64).exp()])?;
/// let l = c.intensity.values();
/// let mean_s = 0.5 * ((-l[0]).exp() + (-l[1]).exp());
/// assert!((mean_s - (-0.05f64).exp()).abs() < 1e-15);
/// assert!(l[0] > l[1]); // the stressed path defaults faster
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn calibrate_driver_intensity(
    drivers: &ValuePaths,
    beta: f64,
    survival: &[f64],
) -> Result<CalibratedIntensity, RiskError> {
    check_series("beta", &[beta], 1)?;
    let k_dates = drivers.dates();
    check_len("survival", survival.len(), k_dates)?;
    let mut prev_target = 1.0;
    for &s in survival {
        if !(s > 0.0 && s <= prev_target) {
            return Err(RiskError::InvalidParameter {
                name: "target survival probability",
                value: s,
                reason: "must lie in (0, 1] and not increase",
            });
        }
        prev_target = s;
    }
    let n = drivers.paths();
    let nf = n as f64;
    let times = drivers.times();
    // weights e^{β x}, path by path, then overwritten by the intensities.
    let mut lam: Vec<f64> = drivers.values().iter().map(|x| (beta * x).exp()).collect();
    if let Some(&w) = lam.iter().find(|w| !w.is_finite()) {
        return Err(RiskError::InvalidParameter {
            name: "driver weight exp(beta x)",
            value: w,
            reason: "overflows: beta x is too large",
        });
    }
    let mut s_prev = vec![1.0; n];
    let mut scale = Vec::with_capacity(k_dates);
    let mut termination = Vec::with_capacity(k_dates);
    let mut t_prev = 0.0;
    let mut mean_prev = 1.0;
    for k in 0..k_dates {
        let dt = times[k] - t_prev;
        let target = survival[k];
        let mean_at = |c: f64| -> f64 {
            let mut acc = Neumaier::default();
            for (p, s) in s_prev.iter().enumerate() {
                acc.add(s * (-c * lam[p * k_dates + k] * dt).exp());
            }
            acc.value() / nf
        };
        let (c, how) = if target >= mean_prev || dt == 0.0 {
            (0.0, Termination::Converged)
        } else {
            // Bracket: start at the flat hazard of this step and double until below target.
            let mut hi = (-(target / mean_prev).ln() / dt).max(f64::MIN_POSITIVE);
            let mut tries = 0;
            while mean_at(hi) > target && tries < 2_000 {
                hi *= 2.0;
                tries += 1;
            }
            let root = brent(|c| mean_at(c) - target, 0.0, hi, &RootOptions::default());
            (root.x, root.termination)
        };
        if !c.is_finite() {
            return Err(RiskError::InvalidParameter {
                name: "calibrated intensity scale",
                value: c,
                reason: "no finite scale reaches the target survival",
            });
        }
        let mut acc = Neumaier::default();
        for (p, s) in s_prev.iter_mut().enumerate() {
            let l = &mut lam[p * k_dates + k];
            *l *= c;
            *s *= (-*l * dt).exp();
            acc.add(*s);
        }
        mean_prev = acc.value() / nf;
        scale.push(c);
        termination.push(how);
        t_prev = times[k];
    }
    if let Some(&l) = lam.iter().find(|l| !l.is_finite()) {
        return Err(RiskError::InvalidParameter {
            name: "intensity",
            value: l,
            reason: "overflows",
        });
    }
    Ok(CalibratedIntensity {
        intensity: ValuePaths::from_parts(lam, drivers),
        scale,
        termination,
    })
}
