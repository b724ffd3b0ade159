//! Residual diagnostics: Ljung–Box portmanteau test and Engle's ARCH-LM test.
//!
//! ```text
//! Ljung–Box  Q = n(n+2)·Σ_{k=1}^{m} ρ̂ₖ²/(n−k),  ρ̂ₖ = Σ(xₜ−x̄)(xₜ₊ₖ−x̄)/Σ(xₜ−x̄)²,  Q ~ χ²(m)
//! ARCH-LM    regress x²ₜ on (1, x²ₜ₋₁, …, x²ₜ₋ₘ);  LM = n·R²  (n = all observations, as arch)
//! ```
//!
//! References: G. M. Ljung and G. E. P. Box, Biometrika 65 (1978); R. F. Engle, Econometrica 50
//! (1982). Apply to standardised residuals and their squares to check a fitted model.

use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::error::FitError;

/// A test statistic with its χ² p-value.
///
/// ```
/// let x: Vec<f64> = (0..100).map(|i| ((i * 37 % 101) as f64 - 50.0) / 25.0).collect();
/// let t = derisk::garch::ljung_box(&x, 5)?;
/// assert!(t.df == 5 && (0.0..=1.0).contains(&t.p_value));
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TestStatistic {
    /// The statistic.
    pub statistic: f64,
    /// P(χ²(df) > statistic).
    pub p_value: f64,
    /// Degrees of freedom.
    pub df: usize,
}

/// Largest lag order of [`ljung_box`] and [`arch_lm`] (the ARCH-LM regression has lags + 1
/// columns and its normal matrix (lags + 1)² entries).
///
/// ```
/// let x: Vec<f64> = (0..3000).map(|i| ((i * 37 % 101) as f64 - 50.0) / 25.0).collect();
/// assert!(derisk::garch::ljung_box(&x, derisk::garch::MAX_LAGS + 1).is_err());
/// ```
pub const MAX_LAGS: usize = 1_000;

fn check(x: &[f64], lags: usize) -> Result<(), FitError> {
    if lags == 0 || lags > MAX_LAGS {
        return Err(FitError::InvalidSetting {
            name: "lags",
            value: lags as f64,
        });
    }
    // Checked: lags near usize::MAX must not wrap (issue 12).
    if x.len() < 3 || lags > x.len() - 3 {
        return Err(FitError::TooFewObservations {
            observations: x.len(),
            required: lags.saturating_add(3),
        });
    }
    if let Some((index, &value)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(FitError::NonFinite { index, value });
    }
    if x.iter().all(|&v| v == x[0]) {
        return Err(FitError::ConstantSeries { value: x[0] });
    }
    Ok(())
}

/// A statistic that overflowed (x² or the sums beyond f64) is an error, not `Ok(NaN)`.
fn finite(statistic: f64) -> Result<(), FitError> {
    if statistic.is_finite() {
        Ok(())
    } else {
        Err(FitError::UndefinedLikelihood {
            index: 0,
            variance: statistic,
        })
    }
}

fn p_value(stat: f64, df: usize) -> f64 {
    ChiSquared::new(df as f64).map_or(f64::NAN, |c| c.sf(stat))
}

/// Ljung–Box Q statistic of `x` up to lag `lags`.
///
/// # Errors
///
/// [`FitError::InvalidSetting`] for `lags` = 0 or above [`MAX_LAGS`]; [`FitError::TooFewObservations`] below
/// lags + 3 observations (also for any `lags` up to `usize::MAX`); [`FitError::NonFinite`];
/// [`FitError::ConstantSeries`]; [`FitError::UndefinedLikelihood`] if the statistic overflows
/// (values above ~1e150).
///
/// ```
/// // Alternating signs: ρ̂₁ = −(n−1)/n exactly for mean-zero ±1.
/// let x: Vec<f64> = (0..100).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
/// let q = derisk::garch::ljung_box(&x, 1)?;
/// assert!((q.statistic - 100.0 * 102.0 * 0.99f64.powi(2) / 99.0).abs() < 1e-9);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
pub fn ljung_box(x: &[f64], lags: usize) -> Result<TestStatistic, FitError> {
    check(x, lags)?;
    let n = x.len();
    let mean = x.iter().sum::<f64>() / n as f64;
    let d: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let c0: f64 = d.iter().map(|v| v * v).sum();
    let mut q = 0.0;
    for k in 1..=lags {
        let ck: f64 = d[..n - k].iter().zip(&d[k..]).map(|(a, b)| a * b).sum();
        let r = ck / c0;
        q += r * r / (n - k) as f64;
    }
    let statistic = q * n as f64 * (n as f64 + 2.0);
    finite(statistic)?;
    Ok(TestStatistic {
        statistic,
        p_value: p_value(statistic, lags),
        df: lags,
    })
}

/// Engle's ARCH-LM statistic of `x` with `lags` lags of x² (n·R², `arch`'s convention).
///
/// # Errors
///
/// As [`ljung_box`].
///
/// ```
/// let x: Vec<f64> = (0..200).map(|i| ((i * 37 % 101) as f64 - 50.0) / 25.0).collect();
/// let lm = derisk::garch::arch_lm(&x, 5)?;
/// assert!(lm.statistic >= 0.0 && lm.df == 5);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
pub fn arch_lm(x: &[f64], lags: usize) -> Result<TestStatistic, FitError> {
    check(x, lags)?;
    let n = x.len();
    let x2: Vec<f64> = x.iter().map(|v| v * v).collect();
    let rows = n - lags;
    let design = DMatrix::from_fn(
        rows,
        lags + 1,
        |r, c| if c == 0 { 1.0 } else { x2[lags + r - c] },
    );
    let target = DVector::from_fn(rows, |r, _| x2[lags + r]);
    let xtx = design.transpose() * &design;
    let xty = design.transpose() * &target;
    let beta = xtx.lu().solve(&xty).ok_or(FitError::SingularHessian)?;
    let fitted = &design * beta;
    let mean = target.mean();
    let ssr: f64 = (&target - &fitted).iter().map(|e| e * e).sum();
    let sst: f64 = target.iter().map(|v| (v - mean) * (v - mean)).sum();
    let r2 = if sst > 0.0 { 1.0 - ssr / sst } else { 0.0 };
    let statistic = n as f64 * r2;
    finite(statistic)?;
    Ok(TestStatistic {
        statistic,
        p_value: p_value(statistic, lags),
        df: lags,
    })
}
