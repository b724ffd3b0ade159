//! Options common to every calibration.

/// Options common to every calibration.
///
/// ```
/// use derisk::vol::CalibrationOptions;
/// let o = CalibrationOptions::default().with_no_arbitrage(true).with_sabr_beta(0.5);
/// assert!(o.no_arbitrage);
/// assert_eq!(o.sabr_beta, 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CalibrationOptions {
    /// Iteration limit of the optimiser (Levenberg–Marquardt iterations; Nelder–Mead
    /// evaluations per start for the quasi-explicit SVI method). Default 200.
    pub max_iterations: u32,
    /// Fit under the no-arbitrage constraints: SVI with Durrleman's g(k) ≥ 0 on
    /// k ∈ [−3, 3]·max(|k_quote|), SSVI under Gatheral–Jacquier's Theorems 4.1–4.2. Default false.
    pub no_arbitrage: bool,
    /// SABR's β ∈ [0, 1], fixed during the fit (β = 1: lognormal backbone, the usual crypto
    /// choice). Default 1.
    pub sabr_beta: f64,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        Self {
            max_iterations: 200,
            no_arbitrage: false,
            sabr_beta: 1.0,
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

    /// These options with SABR's β set (clamped into [0, 1] by the fit).
    ///
    /// ```
    /// assert_eq!(derisk::vol::CalibrationOptions::default().with_sabr_beta(0.7).sabr_beta, 0.7);
    /// ```
    #[must_use]
    pub const fn with_sabr_beta(mut self, beta: f64) -> Self {
        self.sabr_beta = beta;
        self
    }
}
