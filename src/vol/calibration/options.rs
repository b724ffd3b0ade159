//! Options common to every calibration.

use super::error::CalibrationError;

/// Options common to every calibration.
///
/// ```
/// use derisk::vol::CalibrationOptions;
/// let o = CalibrationOptions::default().with_no_arbitrage(true).with_sabr_beta(0.5);
/// assert!(o.no_arbitrage);
/// assert_eq!(o.sabr_beta, 0.5);
/// assert_eq!(o.max_iterations, 50_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OptionsData"))]
#[non_exhaustive]
pub struct CalibrationOptions {
    /// Iteration limit of each Levenberg–Marquardt run (one iteration = one damped
    /// normal-equation solve, i.e. one trial step, accepted or not); the quasi-explicit SVI
    /// start's Nelder–Mead gets the same number of evaluations when its first, short search is
    /// not enough. Default 50,000: on the 12 expiries of a real BTC chain (tests/vol/issue12.rs)
    /// eight SVI fits converge in under 300 iterations, but four have their optimum far along
    /// SVI's degenerate valley and need up to 17,246; a fit that converges stops long before
    /// the cap, which only bounds the cost of one that crawls (about 0.2 µs per iteration per
    /// 30 quotes). A fit that reaches it reports
    /// [`Termination::MaxIterations`](crate::math::Termination::MaxIterations).
    pub max_iterations: u32,
    /// Fit under the no-arbitrage constraints: SVI with Durrleman's g(k) ≥ 0 on
    /// k ∈ [−3, 3]·max(|k_quote|), SSVI under Gatheral–Jacquier's Theorems 4.1–4.2. Default false.
    pub no_arbitrage: bool,
    /// SABR's β ∈ [0, 1], fixed during the fit (β = 1: lognormal backbone, the usual crypto
    /// choice). Default 1.
    pub sabr_beta: f64,
    /// Upper bound of SABR's α in the fit, as the backbone volatility α·F^{β−1} (decimal per
    /// √year). Default 10 (1000 %). A fit that ends on it reports
    /// [`Termination::AtBound`](crate::math::Termination::AtBound).
    pub sabr_max_alpha_vol: f64,
    /// Upper bound of SABR's ν (vol of vol, per √year) in the fit. Default 20. A fit that ends
    /// on it reports [`Termination::AtBound`](crate::math::Termination::AtBound).
    pub sabr_max_nu: f64,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        Self {
            max_iterations: 50_000,
            no_arbitrage: false,
            sabr_beta: 1.0,
            sabr_max_alpha_vol: 10.0,
            sabr_max_nu: 20.0,
        }
    }
}

impl CalibrationOptions {
    /// These options with the iteration limit set.
    ///
    /// ```
    /// let o = derisk::vol::CalibrationOptions::default().with_max_iterations(50);
    /// assert_eq!(o.max_iterations, 50);
    /// ```
    #[must_use]
    pub const fn with_max_iterations(mut self, max_iterations: u32) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// These options with the no-arbitrage constraints on or off.
    ///
    /// ```
    /// assert!(derisk::vol::CalibrationOptions::default().with_no_arbitrage(true).no_arbitrage);
    /// ```
    #[must_use]
    pub const fn with_no_arbitrage(mut self, no_arbitrage: bool) -> Self {
        self.no_arbitrage = no_arbitrage;
        self
    }

    /// These options with SABR's β set (checked by the fit: 0 ≤ β ≤ 1).
    ///
    /// ```
    /// assert_eq!(derisk::vol::CalibrationOptions::default().with_sabr_beta(0.7).sabr_beta, 0.7);
    /// ```
    #[must_use]
    pub const fn with_sabr_beta(mut self, beta: f64) -> Self {
        self.sabr_beta = beta;
        self
    }

    /// These options with SABR's fit bounds set: α·F^{β−1} ≤ `max_alpha_vol`, ν ≤ `max_nu`.
    ///
    /// ```
    /// let o = derisk::vol::CalibrationOptions::default().with_sabr_bounds(5.0, 50.0);
    /// assert_eq!((o.sabr_max_alpha_vol, o.sabr_max_nu), (5.0, 50.0));
    /// ```
    #[must_use]
    pub const fn with_sabr_bounds(mut self, max_alpha_vol: f64, max_nu: f64) -> Self {
        self.sabr_max_alpha_vol = max_alpha_vol;
        self.sabr_max_nu = max_nu;
        self
    }

    /// Checks the options (every fit calls it first).
    ///
    /// # Errors
    ///
    /// [`CalibrationError::InvalidOption`] for β outside [0, 1], a SABR bound that is not
    /// finite and positive, or `max_iterations` = 0.
    ///
    /// ```
    /// use derisk::vol::{CalibrationError, CalibrationOptions};
    /// let e = CalibrationOptions::default().with_sabr_beta(1.5).validate().unwrap_err();
    /// assert!(matches!(e, CalibrationError::InvalidOption { name: "sabr_beta", .. }));
    /// ```
    pub fn validate(&self) -> Result<(), CalibrationError> {
        let bad = |name, value, requirement| {
            Err(CalibrationError::InvalidOption {
                name,
                value,
                requirement,
            })
        };
        if self.max_iterations == 0 {
            return bad("max_iterations", 0.0, "at least 1");
        }
        if !(0.0..=1.0).contains(&self.sabr_beta) {
            return bad("sabr_beta", self.sabr_beta, "0 <= beta <= 1");
        }
        for (name, value) in [
            ("sabr_max_alpha_vol", self.sabr_max_alpha_vol),
            ("sabr_max_nu", self.sabr_max_nu),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return bad(name, value, "finite and positive");
            }
        }
        Ok(())
    }
}

/// The serialised form of [`CalibrationOptions`], checked by
/// [`CalibrationOptions::validate`] on the way in.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct OptionsData {
    max_iterations: u32,
    no_arbitrage: bool,
    sabr_beta: f64,
    #[serde(default = "default_max_alpha_vol")]
    sabr_max_alpha_vol: f64,
    #[serde(default = "default_max_nu")]
    sabr_max_nu: f64,
}

#[cfg(feature = "serde")]
fn default_max_alpha_vol() -> f64 {
    CalibrationOptions::default().sabr_max_alpha_vol
}

#[cfg(feature = "serde")]
fn default_max_nu() -> f64 {
    CalibrationOptions::default().sabr_max_nu
}

#[cfg(feature = "serde")]
impl TryFrom<OptionsData> for CalibrationOptions {
    type Error = CalibrationError;
    fn try_from(d: OptionsData) -> Result<Self, CalibrationError> {
        let o = Self {
            max_iterations: d.max_iterations,
            no_arbitrage: d.no_arbitrage,
            sabr_beta: d.sabr_beta,
            sabr_max_alpha_vol: d.sabr_max_alpha_vol,
            sabr_max_nu: d.sabr_max_nu,
        };
        o.validate()?;
        Ok(o)
    }
}
