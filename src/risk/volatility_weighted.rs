//! Volatility-weighted historical simulation (Hull and White, 1998): each past return rescaled
//! to today's volatility, then VaR/ES by the historical estimator.

use super::error::RiskError;
use super::returns::ewma_volatility;
use super::stats::{check_series, finite};
use crate::garch::{FitError, GarchFit, MeanModel};

/// Rescales each historical return to the current volatility (Hull–White), into `out`.
///
/// ```text
/// r*_t = r_t · σ_now / σ_t     (σ_t the volatility estimated for day t before it was seen)
/// ```
///
/// Allocation-free. Feed `out` to [`ValueAtRisk::historical`](super::ValueAtRisk::historical)
/// or [`historical_es`](super::historical_es). Reference: J. Hull and A. White, "Incorporating
/// volatility updating into the historical simulation method for value-at-risk", *Journal of
/// Risk* 1 (1998), eq. (1).
///
/// # Errors
///
/// [`RiskError::LengthMismatch`] unless `returns`, `sigma` and `out` have one length;
/// [`RiskError::TooShort`] for empty input; [`RiskError::NonFinite`];
/// [`RiskError::InvalidParameter`] for a volatility that is not positive; [`RiskError::Overflow`].
///
/// ```
/// let mut out = [0.0; 2];
/// derisk::risk::volatility_weighted_into(&[0.02, -0.01], &[0.01, 0.02], 0.04, &mut out)?;
/// assert_eq!(out, [0.08, -0.02]);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn volatility_weighted_into(
    returns: &[f64],
    sigma: &[f64],
    sigma_now: f64,
    out: &mut [f64],
) -> Result<(), RiskError> {
    for (name, len) in [("sigma", sigma.len()), ("out", out.len())] {
        if len != returns.len() {
            return Err(RiskError::LengthMismatch {
                left_name: "returns",
                left: returns.len(),
                right_name: name,
                right: len,
            });
        }
    }
    check_series("returns", returns, 1)?;
    check_series("sigma", sigma, 1)?;
    let positive = |s: f64| {
        if s > 0.0 && s.is_finite() {
            Ok(s)
        } else {
            Err(RiskError::InvalidParameter {
                name: "volatility",
                value: s,
                reason: "volatilities must be positive and finite",
            })
        }
    };
    let now = positive(sigma_now)?;
    for ((o, &r), &s) in out.iter_mut().zip(returns).zip(sigma) {
        *o = finite("volatility-weighted return", r * (now / positive(s)?))?;
    }
    Ok(())
}

/// Hull–White scenarios with RiskMetrics EWMA volatilities: σ_t from the returns before t,
/// σ_now the forecast for the day after the sample.
///
/// ```text
/// σ²_{t+1} = λσ²_t + (1 − λ) r_t²  (σ²_0 = arch's backcast),   r*_t = r_t · σ_n / σ_t
/// ```
///
/// Reference: Hull and White (1998), §2; RiskMetrics Technical Document (1996), §5.2.1.
///
/// # Errors
///
/// As [`ewma_volatility`](super::ewma_volatility) and [`volatility_weighted_into`].
///
/// ```
/// // Constant |r| keeps σ constant: the scenarios are the returns.
/// let s = derisk::risk::hull_white_ewma(&[0.01, -0.01, 0.01], 0.94)?;
/// assert!(s.iter().zip([0.01, -0.01, 0.01]).all(|(a, b)| (a - b).abs() < 1e-17));
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn hull_white_ewma(returns: &[f64], lambda: f64) -> Result<Vec<f64>, RiskError> {
    let sigma = ewma_volatility(returns, lambda)?;
    let n = returns.len();
    let mut out = vec![0.0; n];
    volatility_weighted_into(returns, &sigma[..n], sigma[n], &mut out)?;
    Ok(out)
}

/// Hull–White scenarios with a fitted GARCH model's volatilities, in the fit's units (divide by
/// 100 for a fit on percent returns): the residuals rescaled, the mean added back.
///
/// ```text
/// r*_t = μ_{T+1} + ε_t · σ_{T+1} / σ_t   (ε_t the fit's residuals, σ²_{T+1} its 1-step
///                                          forecast, μ_{T+1} = 0, μ, or c + φ·y_T for AR(1))
/// ```
///
/// For a zero or constant mean this is the returns rescaled about μ; for AR(1) one scenario per
/// residual (the first observation is held back). Reference: Hull and White (1998); G.
/// Barone-Adesi, K. Giannopoulos and L. Vosper, "VaR without correlations for portfolios of
/// derivative securities", *Journal of Futures Markets* 19 (1999) (filtered HS).
///
/// # Errors
///
/// [`RiskError::Garch`] (day 0) if the forecast fails; as [`volatility_weighted_into`].
///
/// ```
/// use derisk::garch::GarchModel;
/// let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
/// let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
/// let s = derisk::risk::hull_white_garch(&fit)?;
/// assert_eq!(s.len(), 300);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn hull_white_garch(fit: &GarchFit) -> Result<Vec<f64>, RiskError> {
    let to_risk = |source: FitError| RiskError::Garch { day: 0, source };
    let now = fit.forecast_return_variance(1).map_err(to_risk)?[0].sqrt();
    let p = fit.params();
    // The conditional mean of day T+1: μ, or c + φ·y_T for AR(1).
    let mu = match fit.model().mean() {
        MeanModel::Zero => 0.0,
        MeanModel::Ar1 => p[0] + p[1] * fit.last_y,
        _ => p[0],
    };
    let sigma = fit.conditional_volatility();
    let eps = fit.residuals();
    let mut out = vec![0.0; eps.len()];
    volatility_weighted_into(eps, &sigma, now, &mut out)?;
    for o in &mut out {
        *o += mu;
    }
    Ok(out)
}
