//! Private numerical helpers of the risk domain: validation, compensated sums and moments.

use super::error::RiskError;

/// Rejects a confidence outside (0, 1) (NaN included).
pub(crate) fn check_confidence(value: f64) -> Result<f64, RiskError> {
    if value > 0.0 && value < 1.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidConfidence { value })
    }
}

/// Rejects a series shorter than `min` or holding a non-finite value.
pub(crate) fn check_series(name: &'static str, xs: &[f64], min: usize) -> Result<(), RiskError> {
    if xs.len() < min {
        return Err(RiskError::TooShort {
            name,
            len: xs.len(),
            min,
        });
    }
    match xs.iter().position(|x| !x.is_finite()) {
        Some(index) => Err(RiskError::NonFinite {
            name,
            index,
            value: xs[index],
        }),
        None => Ok(()),
    }
}

/// A finite result, or [`RiskError::Overflow`].
pub(crate) fn finite(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(RiskError::Overflow { name, value })
    }
}

/// Neumaier's compensated sum (error bounded by ~2 ulps of Σ|x| independent of n).
pub(crate) fn sum<I: IntoIterator<Item = f64>>(xs: I) -> f64 {
    let (mut s, mut c) = (0.0_f64, 0.0_f64);
    for x in xs {
        let t = s + x;
        if s.abs() >= x.abs() {
            c += (s - t) + x;
        } else {
            c += (x - t) + s;
        }
        s = t;
    }
    s + c
}

/// Mean, population central moments m2, m3, m4 (two-pass, compensated).
pub(crate) struct Moments {
    pub mean: f64,
    pub m2: f64,
    pub m3: f64,
    pub m4: f64,
    pub n: usize,
}

impl Moments {
    pub(crate) fn of(xs: &[f64]) -> Self {
        let n = xs.len();
        let nf = n as f64;
        let mean = sum(xs.iter().copied()) / nf;
        let m2 = sum(xs.iter().map(|x| (x - mean).powi(2))) / nf;
        let m3 = sum(xs.iter().map(|x| (x - mean).powi(3))) / nf;
        let m4 = sum(xs.iter().map(|x| (x - mean).powi(4))) / nf;
        Self {
            mean,
            m2,
            m3,
            m4,
            n,
        }
    }

    /// Sample standard deviation (divisor n − 1).
    pub(crate) fn sample_std(&self) -> f64 {
        let nf = self.n as f64;
        (self.m2 * nf / (nf - 1.0)).sqrt()
    }

    /// Population skewness m3 / m2^{3/2} (0 for a constant sample).
    pub(crate) fn skewness(&self) -> f64 {
        if self.m2 > 0.0 {
            self.m3 / self.m2.powf(1.5)
        } else {
            0.0
        }
    }

    /// Population excess kurtosis m4 / m2² − 3 (0 for a constant sample).
    pub(crate) fn excess_kurtosis(&self) -> f64 {
        if self.m2 > 0.0 {
            self.m4 / (self.m2 * self.m2) - 3.0
        } else {
            0.0
        }
    }
}

/// Sample standard deviation (divisor n − 1) of a slice of at least two values.
pub(crate) fn sample_std(xs: &[f64]) -> f64 {
    let nf = xs.len() as f64;
    let mean = sum(xs.iter().copied()) / nf;
    (sum(xs.iter().map(|x| (x - mean).powi(2))) / (nf - 1.0)).sqrt()
}
