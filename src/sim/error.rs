//! Errors of the simulation domain.

use crate::garch::FitError;
use crate::math::MathError;

/// Why a simulator rejected its set-up or could not finish a path.
///
/// Every variant names the input and carries its value; no simulator returns NaN or ±∞ in
/// place of an error.
///
/// ```
/// use derisk::sim::{Gbm, SimError};
/// let err = Gbm::new(0.0, -0.2, 1.0 / 365.0, 10).unwrap_err();
/// assert_eq!(
///     err,
///     SimError::InvalidParameter { name: "vol", value: -0.2, reason: "must be finite and non-negative" }
/// );
/// assert_eq!(err.to_string(), "invalid vol: -0.2 (must be finite and non-negative)");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A scalar setting outside its domain (negative volatility, zero steps, ν ≤ 0, …).
    #[error("invalid {name}: {value} ({reason})")]
    InvalidParameter {
        /// Which setting.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// An output buffer whose length does not fit the paths asked for.
    #[error("{name} has {len} values, expected {expected}")]
    BufferLength {
        /// Which buffer.
        name: &'static str,
        /// Its length.
        len: usize,
        /// The length needed (or the multiple it must be of).
        expected: usize,
    },
    /// A correlation matrix entry that is not a correlation (non-finite, |ρ| > 1, a diagonal
    /// other than 1, or not symmetric).
    #[error("correlation[{row}][{col}] = {value} is invalid: {reason}")]
    InvalidCorrelation {
        /// Row of the entry.
        row: usize,
        /// Column of the entry.
        col: usize,
        /// The entry.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// A correlation matrix that is not positive definite (its Cholesky factorisation fails).
    #[error("correlation matrix of {dim} assets is not positive definite")]
    NotPositiveDefinite {
        /// Number of assets.
        dim: usize,
    },
    /// An input series with fewer values than the simulator needs.
    #[error("{name} too short: {len} values, at least {min} needed")]
    TooShort {
        /// Which series.
        name: &'static str,
        /// Its length.
        len: usize,
        /// The least length accepted.
        min: usize,
    },
    /// A NaN or ±∞ inside an input series.
    #[error("{name}[{index}] is not finite: {value}")]
    NonFinite {
        /// Which series.
        name: &'static str,
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A simulated value overflowed (a path exploded).
    #[error("{name} overflows at step {step}: {value}")]
    Overflow {
        /// Which value.
        name: &'static str,
        /// The step reached.
        step: usize,
        /// The non-finite value.
        value: f64,
    },
    /// A GARCH path could not continue (a variance left (0, ∞)).
    #[error(transparent)]
    Garch(#[from] FitError),
    /// A math kernel rejected its input.
    #[error(transparent)]
    Math(#[from] MathError),
}

/// `Ok(x)` if finite and ≥ 0, else [`SimError::InvalidParameter`].
pub(crate) fn non_negative(name: &'static str, x: f64) -> Result<f64, SimError> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(SimError::InvalidParameter {
            name,
            value: x,
            reason: "must be finite and non-negative",
        })
    }
}

/// `Ok(x)` if finite and > 0, else [`SimError::InvalidParameter`].
pub(crate) fn positive(name: &'static str, x: f64) -> Result<f64, SimError> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(SimError::InvalidParameter {
            name,
            value: x,
            reason: "must be finite and positive",
        })
    }
}

/// `Ok(x)` if finite, else [`SimError::InvalidParameter`].
pub(crate) fn finite(name: &'static str, x: f64) -> Result<f64, SimError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(SimError::InvalidParameter {
            name,
            value: x,
            reason: "must be finite",
        })
    }
}

/// `Ok(n)` if 1 ≤ n ≤ [`MAX_STEPS`](super::MAX_STEPS), else [`SimError::InvalidParameter`].
pub(crate) fn steps(n: usize) -> Result<usize, SimError> {
    if (1..=super::MAX_STEPS).contains(&n) {
        Ok(n)
    } else {
        Err(SimError::InvalidParameter {
            name: "steps",
            value: n as f64,
            reason: "must be between 1 and MAX_STEPS",
        })
    }
}
