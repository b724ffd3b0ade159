//! Delta-gamma against full revaluation: an option book's VaR/ES on the same scenarios by
//! revaluing and by its Taylor expansion, and the parametric delta-gamma-normal and
//! Cornish–Fisher VaR of one underlying from the moments of the quadratic P&L.

use super::error::RiskError;
use super::historical::book_pnl;
use super::measures::{
    cornish_fisher_var, historical_es, historical_var, normal_var, QuantileMethod,
};
use super::stats::{check_confidence, check_series, finite};
use crate::market::{Currency, MarketState, Scenario};
use crate::portfolio::{Book, Instrument, PortfolioError};

/// An option book's P&L under each scenario by its delta-gamma(-vega-theta) expansion at
/// `base` ([`Book::approximate_pnl`] with the risks of [`Book::risk`]).
///
/// ```text
/// pnl_s ≈ Σ_positions Δ·dS_s + ½Γ·dS_s² + vega·dσ_s + θ·dt_s     (in `currency`, gain positive)
/// ```
///
/// Reference: Jorion, *Value at Risk* (2007), §14.3 (delta-gamma approximations).
///
/// # Errors
///
/// [`RiskError::Portfolio`] if the base risks do not compute; [`RiskError::Scenario`] with the
/// index of the first scenario that does not apply; [`RiskError::Overflow`].
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, Shock};
/// use derisk::portfolio::{Book, Contract, Position};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 2.0, 0.0)?);
/// let pnl = derisk::risk::delta_gamma_pnl(&book, &m,
///     &[Shock::spot_relative(Currency::BTC, 0.05)], Currency::USD)?;
/// assert!((pnl[0] - 10_000.0).abs() < 1e-9);   // linear: the expansion is exact
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn delta_gamma_pnl<I: Instrument, S: Scenario>(
    book: &Book<I>,
    base: &MarketState,
    scenarios: &[S],
    currency: Currency,
) -> Result<Vec<f64>, RiskError> {
    let risks = book.risk(base)?;
    scenarios
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let pnl = s
                .apply(base)
                .map_err(PortfolioError::from)
                .and_then(|m| book.approximate_pnl(&risks, base, &m, currency))
                .map_err(|source| RiskError::Scenario { index, source })?;
            finite("delta-gamma pnl", pnl.amount)
        })
        .collect()
}

/// Historical VaR and ES of a book on the same scenarios by full revaluation and by
/// delta-gamma, side by side (see [`revaluation_comparison`]).
///
/// ```
/// use derisk::risk::RevaluationComparison;
/// let c = RevaluationComparison { confidence: 0.99, full_var: 10.0, delta_gamma_var: 9.0,
///     full_es: 12.0, delta_gamma_es: 11.5 };
/// assert_eq!((c.var_difference(), c.es_difference()), (-1.0, -0.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RevaluationComparison {
    /// The confidence α.
    pub confidence: f64,
    /// Historical VaR of the fully revalued P&L (type 7).
    pub full_var: f64,
    /// Historical VaR of the delta-gamma P&L (type 7).
    pub delta_gamma_var: f64,
    /// Historical ES of the fully revalued P&L (Acerbi–Tasche).
    pub full_es: f64,
    /// Historical ES of the delta-gamma P&L (Acerbi–Tasche).
    pub delta_gamma_es: f64,
}

impl RevaluationComparison {
    /// Delta-gamma VaR minus full-revaluation VaR (negative: the expansion understates).
    ///
    /// ```text
    /// d = VaR_ΔΓ − VaR_full
    /// ```
    ///
    /// ```
    /// # let c = derisk::risk::RevaluationComparison { confidence: 0.99, full_var: 10.0,
    /// #     delta_gamma_var: 9.0, full_es: 12.0, delta_gamma_es: 11.5 };
    /// assert_eq!(c.var_difference(), -1.0);
    /// ```
    pub fn var_difference(&self) -> f64 {
        self.delta_gamma_var - self.full_var
    }

    /// Delta-gamma ES minus full-revaluation ES.
    ///
    /// ```text
    /// d = ES_ΔΓ − ES_full
    /// ```
    ///
    /// ```
    /// # let c = derisk::risk::RevaluationComparison { confidence: 0.99, full_var: 10.0,
    /// #     delta_gamma_var: 9.0, full_es: 12.0, delta_gamma_es: 11.5 };
    /// assert_eq!(c.es_difference(), -0.5);
    /// ```
    pub fn es_difference(&self) -> f64 {
        self.delta_gamma_es - self.full_es
    }
}

/// VaR and ES of a book on the same scenarios by full revaluation ([`book_pnl`]) and by
/// delta-gamma ([`delta_gamma_pnl`]); also returns the two P&L vectors (full, delta-gamma).
///
/// ```text
/// VaR = Q_L(α) (type 7), ES Acerbi–Tasche, of L = −pnl_full and of L = −pnl_ΔΓ
/// ```
///
/// Reference: Jorion, *Value at Risk* (2007), §14.3–14.4 (full revaluation vs. local valuation).
///
/// # Errors
///
/// [`RiskError::InvalidConfidence`]; as [`book_pnl`] and [`delta_gamma_pnl`];
/// [`RiskError::TooShort`] for no scenario.
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, Shock};
/// use derisk::portfolio::{Book, Contract, Position};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 1.0, 0.0)?);
/// let s: Vec<_> = [-0.1, 0.0, 0.1].iter().map(|&c| Shock::spot_relative(Currency::BTC, c)).collect();
/// let (c, _, _) = derisk::risk::revaluation_comparison(&book, &m, &s, Currency::USD, 0.5)?;
/// assert!(c.var_difference().abs() < 1e-9);
/// # Ok::<(), derisk::Error>(())
/// ```
#[allow(clippy::type_complexity)]
pub fn revaluation_comparison<I: Instrument + Sync, S: Scenario + Sync>(
    book: &Book<I>,
    base: &MarketState,
    scenarios: &[S],
    currency: Currency,
    confidence: f64,
) -> Result<(RevaluationComparison, Vec<f64>, Vec<f64>), RiskError> {
    let alpha = check_confidence(confidence)?;
    if scenarios.is_empty() {
        return Err(RiskError::TooShort {
            name: "scenarios",
            len: 0,
            min: 1,
        });
    }
    let full = book_pnl(book, base, scenarios, currency)?;
    let approx = delta_gamma_pnl(book, base, scenarios, currency)?;
    let mut s = Vec::with_capacity(full.len());
    let c = RevaluationComparison {
        confidence: alpha,
        full_var: historical_var(&full, alpha, QuantileMethod::Linear, &mut s)?,
        delta_gamma_var: historical_var(&approx, alpha, QuantileMethod::Linear, &mut s)?,
        full_es: historical_es(&full, alpha, &mut s)?,
        delta_gamma_es: historical_es(&approx, alpha, &mut s)?,
    };
    Ok((c, full, approx))
}

/// Moments of the delta-gamma P&L of one underlying over one period, with normal returns.
///
/// ```text
/// dS = S·σ·Z, Z ~ N(0, 1);  P = Δ·dS + ½Γ·dS² = a Z + b Z²,  a = ΔSσ, b = ½ΓS²σ²
/// mean = b,  variance = a² + 2b²,  μ₃ = 6a²b + 8b³,  μ₄ = 3a⁴ + 60a²b² + 60b⁴
/// skewness = μ₃ / variance^{3/2},  excess kurtosis = μ₄ / variance² − 3
/// ```
///
/// Reference: P. Zangari, "A VaR methodology for portfolios that include options",
/// *RiskMetrics Monitor* Q1 (1996); R. Britten-Jones and S. M. Schaefer, "Non-linear
/// value-at-risk", *European Finance Review* 2 (1999).
///
/// ```
/// let m = derisk::risk::delta_gamma_moments(1.0, 0.0, 100.0, 0.02)?;   // linear: normal
/// assert_eq!((m.mean, m.skewness, m.excess_kurtosis), (0.0, 0.0, 0.0));
/// assert!((m.std_dev - 2.0).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QuadraticMoments {
    /// Mean P&L, ½ΓS²σ².
    pub mean: f64,
    /// Standard deviation of the P&L.
    pub std_dev: f64,
    /// Skewness of the P&L.
    pub skewness: f64,
    /// Excess kurtosis of the P&L.
    pub excess_kurtosis: f64,
}

/// The moments of the delta-gamma P&L (see [`QuadraticMoments`]).
///
/// `delta` and `gamma` are the book's (value units per unit of spot, and per spot²), `spot` the
/// underlying's price, `sigma` the return volatility over the horizon (decimal, e.g. 0.03 for a
/// day of 57 % annual vol).
///
/// # Errors
///
/// [`RiskError::NonFinite`] for NaN or ±∞; [`RiskError::InvalidParameter`] for a spot or σ
/// that is not positive; [`RiskError::Undefined`] for Δ = Γ = 0 (no risk);
/// [`RiskError::Overflow`].
///
/// ```
/// let m = derisk::risk::delta_gamma_moments(0.0, 2.0, 10.0, 0.1)?;  // b = 1: P = Z²
/// assert_eq!(m.mean, 1.0);
/// assert!((m.std_dev - 2f64.sqrt()).abs() < 1e-15);
/// assert!((m.excess_kurtosis - 12.0).abs() < 1e-13);                // χ²₁: 12
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn delta_gamma_moments(
    delta: f64,
    gamma: f64,
    spot: f64,
    sigma: f64,
) -> Result<QuadraticMoments, RiskError> {
    check_series("delta-gamma inputs", &[delta, gamma, spot, sigma], 4)?;
    for (name, v) in [("spot", spot), ("sigma", sigma)] {
        if v <= 0.0 {
            return Err(RiskError::InvalidParameter {
                name,
                value: v,
                reason: "must be positive",
            });
        }
    }
    let a = delta * spot * sigma;
    let b = 0.5 * gamma * spot * spot * sigma * sigma;
    let (a2, b2) = (a * a, b * b);
    let variance = finite("delta-gamma variance", a2 + 2.0 * b2)?;
    if variance <= 0.0 {
        return Err(RiskError::Undefined {
            statistic: "delta-gamma moments",
            reason: "delta and gamma are both zero: the p&l has no variance",
        });
    }
    let m3 = 6.0 * a2 * b + 8.0 * b2 * b;
    let m4 = 3.0 * a2 * a2 + 60.0 * a2 * b2 + 60.0 * b2 * b2;
    Ok(QuadraticMoments {
        mean: b,
        std_dev: variance.sqrt(),
        skewness: finite("delta-gamma skewness", m3 / (variance * variance.sqrt()))?,
        excess_kurtosis: finite("delta-gamma kurtosis", m4 / (variance * variance) - 3.0)?,
    })
}

/// Parametric delta-gamma VaR of one underlying: delta-normal, delta-gamma-normal and
/// delta-gamma Cornish–Fisher, side by side.
///
/// ```text
/// delta-normal         VaR = |Δ|Sσ·z_α
/// delta-gamma-normal   VaR = −mean + sd·z_α                 (moments of QuadraticMoments)
/// Cornish–Fisher       VaR = −(mean + sd·w),  w the CF quantile at 1 − α with skew and kurtosis
/// ```
///
/// Reference: Zangari (1996); Britten-Jones and Schaefer (1999); Jorion (2007), §14.3.
///
/// ```
/// let v = derisk::risk::delta_gamma_var(1.0, 0.0, 100.0, 0.02, 0.99)?;
/// assert!((v.cornish_fisher - v.delta_normal).abs() < 1e-13);   // linear: all agree
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DeltaGammaVar {
    /// The moments used.
    pub moments: QuadraticMoments,
    /// Delta-normal VaR (gamma ignored).
    pub delta_normal: f64,
    /// Delta-gamma-normal VaR (normal with the quadratic form's mean and variance).
    pub delta_gamma_normal: f64,
    /// Delta-gamma Cornish–Fisher VaR.
    pub cornish_fisher: f64,
}

/// The parametric delta-gamma VaRs (see [`DeltaGammaVar`]).
///
/// # Errors
///
/// As [`delta_gamma_moments`], and [`RiskError::InvalidConfidence`].
///
/// ```
/// // Short gamma: the Cornish–Fisher VaR exceeds the delta-gamma-normal one.
/// let v = derisk::risk::delta_gamma_var(0.0, -2.0, 10.0, 0.1, 0.99)?;   // P = −Z²
/// assert!(v.cornish_fisher > v.delta_gamma_normal);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn delta_gamma_var(
    delta: f64,
    gamma: f64,
    spot: f64,
    sigma: f64,
    confidence: f64,
) -> Result<DeltaGammaVar, RiskError> {
    let alpha = check_confidence(confidence)?;
    let m = delta_gamma_moments(delta, gamma, spot, sigma)?;
    Ok(DeltaGammaVar {
        moments: m,
        delta_normal: normal_var(0.0, (delta * spot * sigma).abs(), alpha)?,
        delta_gamma_normal: normal_var(m.mean, m.std_dev, alpha)?,
        cornish_fisher: cornish_fisher_var(
            m.mean,
            m.std_dev,
            m.skewness,
            m.excess_kurtosis,
            alpha,
        )?,
    })
}
