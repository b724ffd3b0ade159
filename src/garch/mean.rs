//! Mean models: zero, constant and AR(1), with `arch`'s parameter names.
//!
//! ```text
//! Zero      εₜ = yₜ
//! Constant  εₜ = yₜ − μ
//! AR(1)     εₜ = yₜ − φ₀ − φ₁yₜ₋₁   (t ≥ 2: the first observation is held back)
//! ```

use super::dual::Scalar;

/// The conditional mean of the returns.
///
/// ```
/// use derisk::garch::MeanModel;
/// assert_eq!(MeanModel::Ar1.num_params(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MeanModel {
    /// Zero mean: the returns are the residuals.
    Zero,
    /// A constant μ (`arch`'s `"mu"`).
    #[default]
    Constant,
    /// AR(1) with a constant (`arch`'s `"Const"`, `"y[1]"`).
    Ar1,
}

impl MeanModel {
    /// Number of mean parameters (0, 1 or 2).
    ///
    /// ```
    /// assert_eq!(derisk::garch::MeanModel::Zero.num_params(), 0);
    /// ```
    pub fn num_params(self) -> usize {
        match self {
            Self::Zero => 0,
            Self::Constant => 1,
            Self::Ar1 => 2,
        }
    }

    /// Observations held back at the start (1 for AR(1)).
    ///
    /// ```
    /// assert_eq!(derisk::garch::MeanModel::Ar1.hold_back(), 1);
    /// ```
    pub fn hold_back(self) -> usize {
        usize::from(self == Self::Ar1)
    }

    pub(crate) fn names(self) -> &'static [&'static str] {
        match self {
            Self::Zero => &[],
            Self::Constant => &["mu"],
            Self::Ar1 => &["Const", "y[1]"],
        }
    }

    /// Residual εᵢ of observation `i` (i ≥ hold_back).
    #[inline(always)]
    pub(crate) fn residual<S: Scalar>(self, th: &[S], y: &[f64], i: usize) -> S {
        match self {
            Self::Zero => S::cst(y[i]),
            Self::Constant => -th[0] + y[i],
            Self::Ar1 => -(th[0] + th[1] * y[i - 1]) + y[i],
        }
    }

    /// Least-squares estimates (the sample mean; OLS of yₜ on (1, yₜ₋₁)), `arch`'s start.
    pub(crate) fn ols(self, y: &[f64]) -> Vec<f64> {
        match self {
            Self::Zero => vec![],
            Self::Constant => vec![y.iter().sum::<f64>() / y.len() as f64],
            Self::Ar1 => {
                let x = &y[..y.len() - 1];
                let z = &y[1..];
                let m = x.len() as f64;
                let (mx, mz) = (x.iter().sum::<f64>() / m, z.iter().sum::<f64>() / m);
                let sxz: f64 = x.iter().zip(z).map(|(a, b)| (a - mx) * (b - mz)).sum();
                let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
                let phi = if sxx > 0.0 { sxz / sxx } else { 0.0 };
                vec![mz - phi * mx, phi]
            }
        }
    }
}
