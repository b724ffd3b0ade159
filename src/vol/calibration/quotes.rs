//! Quotes of one expiry, as implied volatilities in log-moneyness, ready for calibration.

use super::error::{positive, CalibrationError};
use super::price_quote::PriceQuote;
use super::vol_quote::VolQuote;
use super::weighting::Weighting;
use crate::black::{implied_black_volatility, OptionKind};
use crate::vol::Smile;

/// The quotes of one expiry: T in years, the forward F, and implied volatilities in
/// log-moneyness k = ln(K/F), sorted by k.
///
/// ```
/// use derisk::vol::{SliceQuotes, VolQuote};
/// let q = SliceQuotes::new(0.5, 100.0, vec![
///     VolQuote { log_moneyness: 0.1, volatility: 0.5, weight: 1.0 },
///     VolQuote { log_moneyness: -0.1, volatility: 0.6, weight: 1.0 },
/// ])?;
/// assert_eq!(q.quotes()[0].log_moneyness, -0.1);
/// # Ok::<(), derisk::vol::CalibrationError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "crate::vol::serde_data::SliceQuotesData")
)]
pub struct SliceQuotes {
    expiry: f64,
    forward: f64,
    quotes: Vec<VolQuote>,
}

impl SliceQuotes {
    /// Validated quotes of one expiry T > 0 on the forward F > 0, sorted by log-moneyness.
    ///
    /// # Errors
    ///
    /// [`CalibrationError::InvalidInput`] for a non-positive or non-finite expiry, forward,
    /// volatility or weight, or a non-finite log-moneyness.
    ///
    /// ```
    /// use derisk::vol::{SliceQuotes, VolQuote};
    /// let bad = VolQuote { log_moneyness: 0.0, volatility: f64::NAN, weight: 1.0 };
    /// assert!(SliceQuotes::new(1.0, 100.0, vec![bad]).is_err());
    /// ```
    pub fn new(
        expiry: f64,
        forward: f64,
        mut quotes: Vec<VolQuote>,
    ) -> Result<Self, CalibrationError> {
        let expiry = positive("expiry", expiry)?;
        let forward = positive("forward", forward)?;
        for q in &quotes {
            if !q.log_moneyness.is_finite() {
                return Err(CalibrationError::InvalidInput {
                    name: "log-moneyness",
                    value: q.log_moneyness,
                    requirement: "must be finite",
                });
            }
            positive("volatility", q.volatility)?;
            positive("weight", q.weight)?;
        }
        quotes.sort_by(|a, b| a.log_moneyness.total_cmp(&b.log_moneyness));
        Ok(Self {
            expiry,
            forward,
            quotes,
        })
    }

    /// Quotes from strikes and implied volatilities, every weight 1.
    ///
    /// # Errors
    ///
    /// As [`SliceQuotes::new`], [`CalibrationError::InvalidInput`] for a strike that is not
    /// finite and positive, and [`CalibrationError::LengthMismatch`] when there are not as many
    /// vols as strikes.
    ///
    /// ```
    /// let q = derisk::vol::SliceQuotes::from_strikes(1.0, 100.0, &[90.0, 110.0], &[0.3, 0.25])?;
    /// assert!((q.quotes()[0].log_moneyness - (0.9f64).ln()).abs() < 1e-15);
    /// # Ok::<(), derisk::vol::CalibrationError>(())
    /// ```
    pub fn from_strikes(
        expiry: f64,
        forward: f64,
        strikes: &[f64],
        vols: &[f64],
    ) -> Result<Self, CalibrationError> {
        if strikes.len() != vols.len() {
            return Err(CalibrationError::LengthMismatch {
                name: "vols",
                found: vols.len(),
                expected: strikes.len(),
                per: "strike",
            });
        }
        let forward = positive("forward", forward)?;
        let quotes = strikes
            .iter()
            .zip(vols)
            .map(|(&k, &v)| {
                Ok(VolQuote {
                    log_moneyness: (positive("strike", k)? / forward).ln(),
                    volatility: v,
                    weight: 1.0,
                })
            })
            .collect::<Result<Vec<_>, CalibrationError>>()?;
        Self::new(expiry, forward, quotes)
    }

    /// Quotes read off a smile at the given log-moneyness points (weights 1): synthetic data for
    /// tests and round trips.
    ///
    /// # Errors
    ///
    /// As [`SliceQuotes::new`] (for example where the smile's variance is not positive).
    ///
    /// ```
    /// use derisk::vol::{FlatVol, SliceQuotes, Svi};
    /// let s = Svi::new(0.04, 0.0, 0.0, 0.0, 0.1)?;
    /// let q = SliceQuotes::from_smile(&s, 1.0, 100.0, &[0.0])?;
    /// assert!((q.quotes()[0].volatility - 0.2).abs() < 1e-15);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn from_smile<S: Smile + ?Sized>(
        smile: &S,
        expiry: f64,
        forward: f64,
        log_moneyness: &[f64],
    ) -> Result<Self, CalibrationError> {
        let quotes = log_moneyness
            .iter()
            .map(|&k| {
                Ok(VolQuote {
                    log_moneyness: k,
                    volatility: smile.implied_vol(expiry, k)?,
                    weight: 1.0,
                })
            })
            .collect::<Result<Vec<_>, CalibrationError>>()?;
        Self::new(expiry, forward, quotes)
    }

    /// Quotes from option prices through the implied-volatility solver: per strike the
    /// out-of-the-money side (put below F, call at or above) when both are quoted, the mid
    /// price's implied volatility, and weights by `weighting`.
    ///
    /// ```text
    /// σᵢ = implied vol of (bid + ask)/2 / D,   D = discount factor e^{−rT}
    /// ```
    ///
    /// # Errors
    ///
    /// [`CalibrationError::CrossedQuote`] if a bid exceeds its ask;
    /// [`CalibrationError::InvalidInput`] for a non-finite or negative price, a non-positive
    /// strike, forward, expiry or discount; [`CalibrationError::NoImpliedVolatility`] when a
    /// mid price lies outside the no-arbitrage bounds.
    ///
    /// ```
    /// use derisk::pricing::{black, OptionKind};
    /// use derisk::vol::{PriceQuote, SliceQuotes, Weighting};
    /// let p = black(OptionKind::Call, 100.0, 110.0, 0.5)?; // σ = 0.5, T = 1
    /// let q = PriceQuote { kind: OptionKind::Call, strike: 110.0, bid: p - 0.1, ask: p + 0.1 };
    /// let s = SliceQuotes::from_prices(1.0, 100.0, 1.0, &[q], Weighting::Uniform)?;
    /// assert!((s.quotes()[0].volatility - 0.5).abs() < 1e-12);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn from_prices(
        expiry: f64,
        forward: f64,
        discount: f64,
        quotes: &[PriceQuote],
        weighting: Weighting,
    ) -> Result<Self, CalibrationError> {
        let expiry = positive("expiry", expiry)?;
        let forward = positive("forward", forward)?;
        let discount = positive("discount", discount)?;
        for q in quotes {
            positive("strike", q.strike)?;
            for p in [q.bid, q.ask] {
                if !(p.is_finite() && p >= 0.0) {
                    return Err(CalibrationError::InvalidInput {
                        name: "price",
                        value: p,
                        requirement: "must be finite and non-negative",
                    });
                }
            }
            if q.bid > q.ask {
                return Err(CalibrationError::CrossedQuote {
                    strike: q.strike,
                    bid: q.bid,
                    ask: q.ask,
                });
            }
        }
        let otm = |q: &PriceQuote| match q.kind {
            OptionKind::Call => q.strike >= forward,
            OptionKind::Put => q.strike < forward,
        };
        let mut out = Vec::with_capacity(quotes.len());
        let mut vegas = Vec::with_capacity(quotes.len());
        for (i, q) in quotes.iter().enumerate() {
            // Skip a quote when the other side of its strike is quoted and out of the money.
            let shadowed = !otm(q)
                && quotes
                    .iter()
                    .enumerate()
                    .any(|(j, o)| j != i && o.strike == q.strike && o.kind != q.kind && otm(o));
            if shadowed {
                continue;
            }
            let solve = |price: f64| {
                implied_black_volatility(q.kind, price / discount, forward, q.strike, expiry)
                    .map(|v| v.volatility)
            };
            let mid = 0.5 * (q.bid + q.ask);
            let vol = solve(mid).map_err(|source| CalibrationError::NoImpliedVolatility {
                strike: q.strike,
                source,
            })?;
            if vol.is_nan() || vol <= 0.0 {
                return Err(CalibrationError::InvalidInput {
                    name: "volatility",
                    value: vol,
                    requirement: "the implied volatility of the mid price must be positive",
                });
            }
            let weight = match weighting {
                Weighting::Uniform => 1.0,
                Weighting::InverseSpread => {
                    let ask = solve(q.ask).unwrap_or(vol);
                    let spread = match solve(q.bid) {
                        Ok(b) if q.bid > 0.0 => ask - b,
                        _ => 2.0 * (ask - vol),
                    };
                    1.0 / spread.max(0.005)
                }
                Weighting::Vega => 1.0,
            };
            let k = (q.strike / forward).ln();
            let s = vol * expiry.sqrt();
            // Undiscounted Black vega ∂C/∂σ = F·φ(d₁)·√T.
            let d1 = -k / s + 0.5 * s;
            vegas.push(forward * crate::math::norm_pdf(d1) * expiry.sqrt());
            out.push(VolQuote {
                log_moneyness: k,
                volatility: vol,
                weight,
            });
        }
        if weighting == Weighting::Vega {
            let max = vegas.iter().copied().fold(0.0_f64, f64::max);
            for (q, v) in out.iter_mut().zip(&vegas) {
                q.weight = (v / max).max(1e-6);
            }
        }
        Self::new(expiry, forward, out)
    }

    /// The expiry T in years.
    #[must_use]
    pub const fn expiry(&self) -> f64 {
        self.expiry
    }

    /// The forward F.
    #[must_use]
    pub const fn forward(&self) -> f64 {
        self.forward
    }

    /// The quotes, sorted by log-moneyness.
    #[must_use]
    pub fn quotes(&self) -> &[VolQuote] {
        &self.quotes
    }
}
