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

/// Neumaier's compensated accumulator (error bounded by ~2 ulps of Σ|x| independent of n).
#[derive(Clone, Copy, Default)]
pub(crate) struct Neumaier {
    s: f64,
    c: f64,
}

impl Neumaier {
    #[inline]
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.c += (self.s - t) + x;
        } else {
            self.c += (x - t) + self.s;
        }
        self.s = t;
    }

    pub(crate) fn value(self) -> f64 {
        self.s + self.c
    }
}

/// Neumaier's compensated sum.
pub(crate) fn sum<I: IntoIterator<Item = f64>>(xs: I) -> f64 {
    let mut acc = Neumaier::default();
    for x in xs {
        acc.add(x);
    }
    acc.value()
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
    /// Mean and m2 always; m3 and m4 only when `higher` (else 0). Two passes, the second one
    /// accumulating every central moment together, compensated.
    pub(crate) fn of(xs: &[f64], higher: bool) -> Self {
        let n = xs.len();
        let nf = n as f64;
        let mean = sum(xs.iter().copied()) / nf;
        if !higher {
            let m2 = sum(xs.iter().map(|x| (x - mean) * (x - mean))) / nf;
            return Self {
                mean,
                m2,
                m3: 0.0,
                m4: 0.0,
                n,
            };
        }
        let mut acc = [Neumaier::default(); 3];
        for x in xs {
            let d = x - mean;
            let d2 = d * d;
            acc[0].add(d2);
            acc[1].add(d2 * d);
            acc[2].add(d2 * d2);
        }
        let [m2, m3, m4] = acc.map(|a| a.value() / nf);
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
