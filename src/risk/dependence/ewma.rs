//! The EWMA (RiskMetrics) covariance matrix of several return series.

use crate::risk::error::RiskError;
use crate::risk::stats::check_series;

/// Weight of the backcast, as `garch::backcast` (and `arch`): wᵢ ∝ 0.94ⁱ over the first 75.
const BACKCAST_DECAY: f64 = 0.94;
const BACKCAST_LENGTH: usize = 75;

/// The EWMA (RiskMetrics) covariance forecast for the period after a sample of d return series.
///
/// ```text
/// Σ_0 = Σ_{i<τ} w_i r_i r_iᵀ,   w_i = 0.94^i / Σ_{k<τ} 0.94^k,   τ = min(75, T)
/// Σ_{t+1} = λ Σ_t + (1 − λ) r_t r_tᵀ,   t = 0 … T − 1;   returns Σ_T
/// ```
///
/// `returns` is T×d row-major (row t = the d returns of period t), the result d×d row-major,
/// symmetric, in the square of the returns' units per period. The mean is taken as zero, as in
/// RiskMetrics, and the start is the backcast of [`crate::garch::backcast`] applied to the outer
/// products, so the diagonal is (to rounding) the square of the last value of
/// [`ewma_volatility`](crate::risk::ewma_volatility) for each series. Reference: J.P.
/// Morgan/Reuters, *RiskMetrics — Technical Document*, 4th ed. (1996), §5.3.1 (λ = 0.94 for
/// daily data).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for d = 0, λ outside (0, 1) or a length not a multiple of d;
/// [`RiskError::TooShort`] for an empty sample; [`RiskError::NonFinite`];
/// [`RiskError::Overflow`] for returns near f64::MAX.
///
/// ```
/// // Two periods of two series, λ = 0.5: Σ_0 = (r₀r₀ᵀ + 0.94 r₁r₁ᵀ)/1.94.
/// let s = derisk::risk::ewma_covariance(&[1.0, 2.0, -1.0, 0.0], 2, 0.5)?;
/// let s0 = [(1.0 + 0.94) / 1.94, 2.0 / 1.94, 4.0 / 1.94];        // xx, xy, yy
/// let s1 = [0.5 * s0[0] + 0.5, 0.5 * s0[1] + 1.0, 0.5 * s0[2] + 2.0];
/// let s2 = [0.5 * s1[0] + 0.5, 0.5 * s1[1], 0.5 * s1[2]];
/// assert!((s[0] - s2[0]).abs() < 1e-15 && (s[1] - s2[1]).abs() < 1e-15);
/// assert_eq!(s[1], s[2]);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn ewma_covariance(
    returns: &[f64],
    dimension: usize,
    lambda: f64,
) -> Result<Vec<f64>, RiskError> {
    if dimension == 0 || !returns.len().is_multiple_of(dimension) {
        return Err(RiskError::InvalidParameter {
            name: "dimension",
            value: dimension as f64,
            reason: "the returns must hold a whole number of rows of d > 0 values",
        });
    }
    if !(lambda > 0.0 && lambda < 1.0) {
        return Err(RiskError::InvalidParameter {
            name: "lambda",
            value: lambda,
            reason: "the decay must lie strictly between 0 and 1",
        });
    }
    check_series("returns", returns, 1)?;
    let d = dimension;
    let rows = returns.chunks_exact(d);
    let mut sigma = vec![0.0; d * d];
    // Backcast start, upper triangle.
    let (mut w, mut den) = (1.0, 0.0);
    for r in rows.clone().take(BACKCAST_LENGTH) {
        add_outer(&mut sigma, r, w);
        den += w;
        w *= BACKCAST_DECAY;
    }
    for v in &mut sigma {
        *v /= den;
    }
    let gain = 1.0 - lambda;
    for r in rows {
        for i in 0..d {
            for j in i..d {
                let s = &mut sigma[i * d + j];
                *s = lambda * *s + gain * (r[i] * r[j]);
            }
        }
    }
    for i in 0..d {
        for j in i..d {
            let v = sigma[i * d + j];
            if !v.is_finite() {
                return Err(RiskError::Overflow {
                    name: "ewma covariance",
                    value: v,
                });
            }
            sigma[j * d + i] = v;
        }
    }
    Ok(sigma)
}

/// Adds w·r rᵀ to the upper triangle of `sigma`.
fn add_outer(sigma: &mut [f64], r: &[f64], w: f64) {
    let d = r.len();
    for i in 0..d {
        for j in i..d {
            sigma[i * d + j] += w * (r[i] * r[j]);
        }
    }
}
