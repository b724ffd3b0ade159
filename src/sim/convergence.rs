//! Monte Carlo estimates reported with their standard error.

use super::error::SimError;

/// A Monte Carlo estimate with its standard error and the number of paths behind it.
///
/// ```text
/// mean:               θ̂ = (1/n) Σ xᵢ,                 SE = s/√n,  s² = Σ (xᵢ − θ̂)²/(n − 1)
/// antithetic mean:    yᵢ = (xᵢ + x̃ᵢ)/2,  θ̂ = ȳ,       SE = s_y/√(n_pairs),  paths = 2·n_pairs
/// ```
///
/// (Quantile and expected-shortfall estimates with their standard errors are in
/// `risk::simulated_var_es`, beside the quantile definitions they use.) A truth θ lies within
/// 3 SE of θ̂ with probability ≈ 99.7 % for large n (central limit theorem).
/// Reference: Glasserman (2003), §1.1.3 and §4.2.
///
/// ```
/// use derisk::sim::McEstimate;
/// let e = McEstimate::mean(&[1.0, 2.0, 3.0, 4.0])?;
/// assert_eq!(e.estimate, 2.5);
/// assert!((e.standard_error - (5.0f64 / 12.0).sqrt()).abs() < 1e-15);  // s² = 5/3, n = 4
/// assert_eq!(e.paths, 4);
/// # Ok::<(), derisk::sim::SimError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct McEstimate {
    /// The estimate θ̂.
    pub estimate: f64,
    /// Its standard error (the standard deviation of θ̂ across repetitions, estimated).
    pub standard_error: f64,
    /// The number of simulated paths behind it.
    pub paths: usize,
}

impl McEstimate {
    /// The sample mean of i.i.d. draws and its standard error.
    ///
    /// ```text
    /// θ̂ = (1/n) Σ xᵢ,   SE = √(Σ (xᵢ − θ̂)² / (n(n − 1)))
    /// ```
    ///
    /// Two passes (mean, then centred squares) for accuracy. Reference: Glasserman (2003), §1.1.3.
    ///
    /// # Errors
    ///
    /// [`SimError::TooShort`] for fewer than 2 samples; [`SimError::NonFinite`] for NaN or ±∞.
    ///
    /// ```
    /// use derisk::sim::{McEstimate, SimError};
    /// assert!(matches!(McEstimate::mean(&[1.0]), Err(SimError::TooShort { .. })));
    /// ```
    pub fn mean(samples: &[f64]) -> Result<Self, SimError> {
        check_samples("samples", samples)?;
        let n = samples.len() as f64;
        let m = samples.iter().sum::<f64>() / n;
        let ss: f64 = samples.iter().map(|x| (x - m) * (x - m)).sum();
        finish(m, (ss / (n * (n - 1.0))).sqrt(), samples.len())
    }

    /// The antithetic mean of paired draws: the mean of the pair averages and its standard
    /// error (pairs are i.i.d.; the two halves of a pair are not).
    ///
    /// ```text
    /// yᵢ = (xᵢ + x̃ᵢ)/2,   θ̂ = ȳ,   SE = s_y/√n_pairs,   paths = 2·n_pairs
    /// ```
    ///
    /// Reference: Glasserman (2003), §4.2.
    ///
    /// # Errors
    ///
    /// [`SimError::BufferLength`] if the halves differ in length; as [`McEstimate::mean`].
    ///
    /// ```
    /// let e = derisk::sim::McEstimate::antithetic_mean(&[1.0, 3.0], &[-1.0, 1.0])?;
    /// assert_eq!((e.estimate, e.standard_error, e.paths), (1.0, 1.0, 4)); // pair means 0, 2
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn antithetic_mean(plain: &[f64], mirror: &[f64]) -> Result<Self, SimError> {
        if plain.len() != mirror.len() {
            return Err(SimError::BufferLength {
                name: "mirror",
                len: mirror.len(),
                expected: plain.len(),
            });
        }
        check_samples("plain", plain)?;
        check_samples("mirror", mirror)?;
        let n = plain.len() as f64;
        let pair = |i: usize| 0.5 * (plain[i] + mirror[i]);
        let m = (0..plain.len()).map(pair).sum::<f64>() / n;
        let ss: f64 = (0..plain.len()).map(|i| (pair(i) - m).powi(2)).sum();
        finish(m, (ss / (n * (n - 1.0))).sqrt(), 2 * plain.len())
    }

    /// How many standard errors θ̂ lies from `truth`.
    ///
    /// ```text
    /// z = (θ̂ − θ)/SE    (±∞ if SE = 0 and θ̂ ≠ θ; 0 if both agree exactly)
    /// ```
    ///
    /// Reference: Glasserman (2003), §1.1.3.
    ///
    /// ```
    /// let e = derisk::sim::McEstimate { estimate: 1.1, standard_error: 0.05, paths: 100 };
    /// assert!((e.z_score(1.0) - 2.0).abs() < 1e-12);
    /// ```
    pub fn z_score(&self, truth: f64) -> f64 {
        let d = self.estimate - truth;
        if d == 0.0 {
            0.0
        } else {
            d / self.standard_error
        }
    }
}

/// At least two finite samples.
fn check_samples(name: &'static str, xs: &[f64]) -> Result<(), SimError> {
    if xs.len() < 2 {
        return Err(SimError::TooShort {
            name,
            len: xs.len(),
            min: 2,
        });
    }
    match xs.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        Some((index, &value)) => Err(SimError::NonFinite { name, index, value }),
        None => Ok(()),
    }
}

/// The estimate, or [`SimError::Overflow`] if the sums overflowed.
fn finish(estimate: f64, standard_error: f64, paths: usize) -> Result<McEstimate, SimError> {
    for (name, value) in [("estimate", estimate), ("standard error", standard_error)] {
        if !value.is_finite() {
            return Err(SimError::Overflow {
                name,
                step: paths,
                value,
            });
        }
    }
    Ok(McEstimate {
        estimate,
        standard_error,
        paths,
    })
}
