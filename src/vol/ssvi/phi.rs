//! SSVI's curvature function φ(θ).

use crate::vol::error::{check, VolError};

/// The curvature function φ(θ) of SSVI (Gatheral–Jacquier 2014, §4.3–4.4).
///
/// ```text
/// Heston-like:  φ(θ) = (1/(λθ))·(1 − (1 − e^{−λθ})/(λθ)),          λ > 0
/// Power law:    φ(θ) = η / (θ^γ·(1 + θ)^{1−γ}),                     η > 0, 0 < γ < 1
/// ```
///
/// The power law is Gatheral–Jacquier's eq. 4.5 form, which behaves like ηθ^{−γ} for small θ and
/// keeps θφ(θ) bounded for large θ; with γ ≤ ½ and η(1 + |ρ|) ≤ 2 the surface has no static
/// arbitrage (their Remark 4.4). The Heston-like form is free of static arbitrage when
/// λ ≥ (1 + |ρ|)/4 (their Corollary 4.1).
///
/// ```
/// use derisk::vol::SsviPhi;
/// let phi = SsviPhi::PowerLaw { eta: 1.0, gamma: 0.5 };
/// assert!((phi.value(1.0) - 1.0 / 2f64.sqrt()).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "crate::vol::serde_data::SsviPhiData")
)]
pub enum SsviPhi {
    /// φ(θ) = (1/(λθ))(1 − (1 − e^{−λθ})/(λθ)).
    Heston {
        /// λ > 0.
        lambda: f64,
    },
    /// φ(θ) = η/(θ^γ(1 + θ)^{1−γ}).
    PowerLaw {
        /// η > 0.
        eta: f64,
        /// 0 < γ < 1.
        gamma: f64,
    },
}

impl SsviPhi {
    /// φ(θ) at ATM total variance θ > 0.
    ///
    /// ```
    /// let phi = derisk::vol::SsviPhi::Heston { lambda: 1.0 };
    /// // (1 − (1 − e^{−1}))/1 = e^{−1}
    /// assert!((phi.value(1.0) - (-1f64).exp()).abs() < 1e-15);
    /// ```
    #[must_use]
    pub fn value(&self, theta: f64) -> f64 {
        match *self {
            Self::Heston { lambda } => {
                let x = lambda * theta;
                if x < 1e-4 {
                    // (1 − (1 − e^{−x})/x)/x = 1/2 − x/6 + x²/24 − …
                    0.5 - x / 6.0 + x * x / 24.0
                } else {
                    (1.0 - (-x).exp_m1() / -x) / x
                }
            }
            Self::PowerLaw { eta, gamma } => {
                eta / (theta.powf(gamma) * (1.0 + theta).powf(1.0 - gamma))
            }
        }
    }

    pub(crate) fn check(&self) -> Result<(), VolError> {
        match *self {
            Self::Heston { lambda } => {
                check("lambda", lambda, lambda > 0.0, "lambda > 0").map(|_| ())
            }
            Self::PowerLaw { eta, gamma } => {
                check("eta", eta, eta > 0.0, "eta > 0")?;
                check("gamma", gamma, gamma > 0.0 && gamma < 1.0, "0 < gamma < 1").map(|_| ())
            }
        }
    }

    pub(crate) fn params(&self) -> Vec<f64> {
        match *self {
            Self::Heston { lambda } => vec![lambda],
            Self::PowerLaw { eta, gamma } => vec![eta, gamma],
        }
    }

    pub(crate) fn with_params(&self, p: &[f64]) -> Self {
        match self {
            Self::Heston { .. } => Self::Heston { lambda: p[0] },
            Self::PowerLaw { .. } => Self::PowerLaw {
                eta: p[0],
                gamma: p[1],
            },
        }
    }

    pub(crate) fn bounds(&self) -> (Vec<f64>, Vec<f64>) {
        match self {
            Self::Heston { .. } => (vec![1e-4], vec![1e4]),
            Self::PowerLaw { .. } => (vec![1e-4, 1e-3], vec![1e2, 0.999]),
        }
    }
}
