//! Liquidity risk: liquidity-adjusted VaR with an exogenous spread term (Bangia et al. 1999) or
//! an endogenous cost from walking an order book or a square-root impact law; the time to
//! liquidate at a participation rate; liquidity horizons scaling risk (FRTB); concentration
//! flags. The maths is in docs/liquidity.md.

use super::error::RiskError;
use super::measures::sqrt_time_scale;
use super::stats::{check_confidence, check_series, finite, Moments};
use crate::market::{OrderBook, Side, SquareRootImpact};
use crate::math::norm_inv_cdf;

/// Mean and sample standard deviation of a relative bid–ask spread series (decimals:
/// 0.001 = 10 bps).
///
/// ```text
/// μ = (1/n) Σ sᵢ,   σ = √( Σ (sᵢ − μ)² / (n − 1) )
/// ```
///
/// ```
/// let s = derisk::risk::SpreadStats::from_series(&[0.001, 0.003])?;
/// assert!((s.mean - 0.002).abs() < 1e-18);
/// assert!((s.std - 0.002 / 2f64.sqrt()).abs() < 1e-18);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpreadStats {
    /// Mean relative spread μ.
    pub mean: f64,
    /// Sample standard deviation σ (divisor n − 1).
    pub std: f64,
}

impl SpreadStats {
    /// Statistics from a given mean and standard deviation.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] if either is negative or not finite.
    ///
    /// ```
    /// assert!(derisk::risk::SpreadStats::new(0.001, -1.0).is_err());
    /// ```
    pub fn new(mean: f64, std: f64) -> Result<Self, RiskError> {
        Ok(SpreadStats {
            mean: non_negative("spread mean", mean)?,
            std: non_negative("spread std", std)?,
        })
    }

    /// Mean and sample standard deviation of `spreads` (relative spreads, decimals).
    ///
    /// Reference: A. Bangia, F. X. Diebold, T. Schuermann and J. D. Stroughair, "Modeling
    /// liquidity risk, with implications for traditional market risk measurement and
    /// management", Wharton Financial Institutions Center WP 99-06 (1999).
    ///
    /// # Errors
    ///
    /// [`RiskError::TooShort`] for fewer than 2 values, [`RiskError::NonFinite`] for NaN or ±∞,
    /// [`RiskError::InvalidParameter`] for a negative spread.
    ///
    /// ```
    /// let s = derisk::risk::SpreadStats::from_series(&[0.001, 0.002, 0.003])?;
    /// assert!((s.mean - 0.002).abs() < 1e-18 && (s.std - 0.001).abs() < 1e-18);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn from_series(spreads: &[f64]) -> Result<Self, RiskError> {
        check_series("spreads", spreads, 2)?;
        if let Some(&s) = spreads.iter().find(|s| **s < 0.0) {
            return Err(RiskError::InvalidParameter {
                name: "spread",
                value: s,
                reason: "a bid-ask spread cannot be negative",
            });
        }
        let m = Moments::of(spreads, false);
        Ok(SpreadStats {
            mean: m.mean,
            std: finite("spread std", m.sample_std())?,
        })
    }
}

/// A VaR with its liquidity add-on (losses positive, in the position's currency).
///
/// ```text
/// lvar = market_var + liquidity_cost
/// ```
///
/// ```
/// let l = derisk::risk::exogenous_lvar(100.0, 1_000.0, derisk::risk::SpreadStats::new(0.01, 0.0)?, 3.0)?;
/// assert_eq!((l.market_var, l.liquidity_cost, l.lvar), (100.0, 5.0, 105.0));
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LiquidityAdjustedVar {
    /// The VaR of the mid price.
    pub market_var: f64,
    /// The cost of liquidation added to it.
    pub liquidity_cost: f64,
    /// Their sum.
    pub lvar: f64,
}

/// Bangia et al.'s exogenous cost of liquidation: half the spread at its `a`-scaled stressed
/// level, on the position's value.
///
/// ```text
/// COL = ½ · P · (μ + a·σ)      P = |position value| (currency), μ, σ of the relative spread
/// ```
///
/// Reference: Bangia, Diebold, Schuermann and Stroughair (1999), the exogenous "cost of
/// liquidity" term; their scaling a is chosen so that μ + aσ covers the 99 % spread (they
/// report values between 2 and 4.5 for the spread's fat tails).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a non-finite position value or a negative or non-finite
/// `a`; [`RiskError::Overflow`].
///
/// ```
/// let col = derisk::risk::exogenous_liquidity_cost(1e6, derisk::risk::SpreadStats::new(0.001, 0.0005)?, 2.0)?;
/// assert!((col - 1_000.0).abs() < 1e-9);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn exogenous_liquidity_cost(
    position_value: f64,
    spread: SpreadStats,
    a: f64,
) -> Result<f64, RiskError> {
    let p = finite_param("position value", position_value)?.abs();
    let a = non_negative("a", a)?;
    finite("liquidity cost", 0.5 * p * (spread.mean + a * spread.std))
}

/// Any VaR plus Bangia's exogenous spread cost [`exogenous_liquidity_cost`].
///
/// ```text
/// LVaR = VaR + ½ · P · (μ + a·σ)
/// ```
///
/// Reference: Bangia et al. (1999).
///
/// # Errors
///
/// As [`exogenous_liquidity_cost`]; [`RiskError::NonFinite`] for a non-finite VaR.
///
/// ```
/// use derisk::risk::{exogenous_lvar, SpreadStats};
/// let l = exogenous_lvar(50_000.0, 1e6, SpreadStats::new(0.0004, 0.0002)?, 3.0)?;
/// assert!((l.lvar - 50_500.0).abs() < 1e-9);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn exogenous_lvar(
    var: f64,
    position_value: f64,
    spread: SpreadStats,
    a: f64,
) -> Result<LiquidityAdjustedVar, RiskError> {
    check_series("var", &[var], 1)?;
    let cost = exogenous_liquidity_cost(position_value, spread, a)?;
    sum(var, cost)
}

/// Bangia et al.'s parametric liquidity-adjusted VaR: the normal VaR of the mid price on log
/// returns with zero mean, plus the exogenous spread cost.
///
/// ```text
/// VaR  = P · (1 − exp(−z·σ_r))      long position, value P > 0
/// VaR  = |P| · (exp(z·σ_r) − 1)     short position, value P < 0 (the price rises)
/// LVaR = VaR + ½ · |P| · (μ + a·σ),  z = Φ⁻¹(confidence)
/// ```
///
/// Reference: Bangia et al. (1999), the parametric mid-price VaR and its liquidity adjustment
/// (stated there for a long position; the short one is the same quantile on the other tail).
///
/// # Errors
///
/// [`RiskError::InvalidConfidence`]; [`RiskError::InvalidParameter`] for a negative or
/// non-finite σ_r and as [`exogenous_liquidity_cost`].
///
/// ```
/// use derisk::risk::{bangia_lvar, SpreadStats};
/// let l = bangia_lvar(1.0, 0.0, 0.99, SpreadStats::new(0.002, 0.001)?, 3.0)?;
/// assert_eq!(l.market_var, 0.0);
/// assert!((l.lvar - 0.0025).abs() < 1e-18);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn bangia_lvar(
    position_value: f64,
    return_sigma: f64,
    confidence: f64,
    spread: SpreadStats,
    a: f64,
) -> Result<LiquidityAdjustedVar, RiskError> {
    check_confidence(confidence)?;
    let sigma = non_negative("return sigma", return_sigma)?;
    let p = finite_param("position value", position_value)?;
    let z =
        norm_inv_cdf(confidence).map_err(|_| RiskError::InvalidConfidence { value: confidence })?;
    let var = if p >= 0.0 {
        -p * (-z * sigma).exp_m1()
    } else {
        -p * (z * sigma).exp_m1()
    };
    let var = finite("market var", var)?;
    let cost = exogenous_liquidity_cost(p, spread, a)?;
    sum(var, cost)
}

/// A VaR plus the endogenous cost of unwinding `quantity` through a real order book: the cost
/// against the mid of the taker order walked through the levels ([`OrderBook::walk`]).
///
/// ```text
/// LVaR = VaR + filled · s · (VWAP − mid)     (s = +1 for a buy, −1 for a sell)
/// ```
///
/// To close a long, pass [`Side::Sell`]; a short, [`Side::Buy`].
///
/// Reference: the endogenous liquidity adjustment of A. Berkowitz, "Incorporating liquidity
/// risk into VaR models" (2000), valued here on the book itself rather than on a fitted
/// price–quantity curve.
///
/// # Errors
///
/// [`RiskError::InsufficientDepth`] if the book cannot absorb the whole quantity;
/// [`RiskError::Market`] for an invalid quantity; [`RiskError::NonFinite`] for the VaR.
///
/// ```
/// use derisk::market::{Level, OrderBook, Side};
/// let book = OrderBook::new(vec![Level::new(99.0, 1.0), Level::new(97.0, 5.0)], vec![Level::new(101.0, 1.0)])?;
/// let l = derisk::risk::endogenous_lvar_book(10.0, &book, Side::Sell, 2.0)?;
/// assert_eq!(l.liquidity_cost, 1.0 + 3.0); // 1 unit at 99, 1 at 97, mid 100
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn endogenous_lvar_book(
    var: f64,
    book: &OrderBook,
    side: Side,
    quantity: f64,
) -> Result<LiquidityAdjustedVar, RiskError> {
    check_series("var", &[var], 1)?;
    let fill = book.walk(side, quantity)?;
    if !fill.is_complete() {
        return Err(RiskError::InsufficientDepth {
            requested: quantity,
            available: fill.filled,
        });
    }
    sum(var, fill.cost_vs_mid())
}

/// A VaR plus the endogenous cost of trading `quantity` at `price` under a square-root impact
/// law ([`SquareRootImpact::cost`]).
///
/// ```text
/// LVaR = VaR + Y·σ·√(Q/V) · P · Q
/// ```
///
/// Reference: Tóth et al. (2011) (see [`SquareRootImpact`]).
///
/// # Errors
///
/// [`RiskError::Market`] for an invalid quantity or price; [`RiskError::NonFinite`] for the VaR.
///
/// ```
/// use derisk::market::SquareRootImpact;
/// let law = SquareRootImpact::new(1.0, 0.02, 1_000_000.0)?;
/// let l = derisk::risk::endogenous_lvar_impact(100.0, &law, 10_000.0, 50.0)?;
/// assert!((l.liquidity_cost - 1_000.0).abs() < 1e-9);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn endogenous_lvar_impact(
    var: f64,
    law: &SquareRootImpact,
    quantity: f64,
    price: f64,
) -> Result<LiquidityAdjustedVar, RiskError> {
    check_series("var", &[var], 1)?;
    let cost = law.cost(quantity.abs(), price)?;
    sum(var, cost)
}

/// Days needed to trade out of `position` (base units, either sign) trading at most a
/// `participation` fraction of the `daily_volume`.
///
/// ```text
/// days = |Q| / (participation · V)
/// ```
///
/// Reference: the participation-rate ("percentage of volume") schedule of R. Almgren,
/// C. Thum, E. Hauptmann and H. Li, "Direct estimation of equity market impact", Risk (July
/// 2005), where an order of X traded at rate v of daily volume V lasts X/(vV) days.
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a participation outside (0, 1], a non-positive or
/// non-finite volume or a non-finite position.
///
/// ```
/// assert_eq!(derisk::risk::time_to_liquidate(-500.0, 10_000.0, 0.1)?, 0.5);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn time_to_liquidate(
    position: f64,
    daily_volume: f64,
    participation: f64,
) -> Result<f64, RiskError> {
    let q = finite_param("position", position)?.abs();
    let v = positive("daily volume", daily_volume)?;
    if !(participation > 0.0 && participation <= 1.0) {
        return Err(RiskError::InvalidParameter {
            name: "participation",
            value: participation,
            reason: "must lie in (0, 1]",
        });
    }
    finite("time to liquidate", q / (participation * v))
}

/// A one-day VaR scaled to the position's own liquidity horizon: the days it takes to
/// liquidate ([`time_to_liquidate`]), floored at one day.
///
/// ```text
/// h = max(1, |Q| / (participation · V)),   VaR_h = VaR_1d · √h
/// ```
///
/// Reference: the √(horizon) scaling of the FRTB liquidity-horizon method, Basel Committee,
/// *Minimum capital requirements for market risk* (January 2019, rev. 2020), MAR33.4 (the
/// formula) and MAR33.12 (liquidity horizons per risk factor); here the horizon is the
/// position's own time to liquidate instead of the regulatory bucket.
///
/// # Errors
///
/// As [`time_to_liquidate`] and [`sqrt_time_scale`].
///
/// ```
/// let v = derisk::risk::liquidity_horizon_var(10.0, 4_000.0, 1_000.0, 1.0)?; // 4 days
/// assert_eq!(v, 20.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn liquidity_horizon_var(
    var_1d: f64,
    position: f64,
    daily_volume: f64,
    participation: f64,
) -> Result<f64, RiskError> {
    let days = time_to_liquidate(position, daily_volume, participation)?;
    sqrt_time_scale(var_1d, days.max(1.0))
}

/// The FRTB liquidity-adjusted expected shortfall: expected shortfalls at the base horizon
/// T = 10 days, cascaded over the regulatory liquidity horizons LH = 10, 20, 40, 60, 120 days.
///
/// ```text
/// ES = √( ES_T(P)² + Σ_{j≥2} ( ES_T(P, j) · √((LH_j − LH_{j−1})/T) )² )
/// ```
///
/// `es[0]` is ES_T(P) with all risk factors shocked; `es[j]` (j = 1..4) is ES_T(P, j+1) with
/// only the factors whose liquidity horizon is at least LH_{j+1} shocked. Fewer than five
/// values mean the longer horizons are empty.
///
/// Reference: Basel Committee on Banking Supervision, *Minimum capital requirements for market
/// risk* (January 2019, rev. 2020), MAR33.4 (the formula, T = 10 days) and MAR33.12 (the
/// liquidity horizons of risk factors).
///
/// # Errors
///
/// [`RiskError::TooShort`] for an empty slice; [`RiskError::LengthMismatch`] for more than 5
/// values; [`RiskError::NonFinite`]; [`RiskError::InvalidParameter`] for a negative ES.
///
/// ```
/// // Only 10-day factors: the ES itself.
/// assert_eq!(derisk::risk::frtb_liquidity_adjusted_es(&[3.0])?, 3.0);
/// // ES_T(P) = 3, ES_T(P, 2) = 4 over (20 − 10)/10 = 1: √(9 + 16) = 5.
/// assert_eq!(derisk::risk::frtb_liquidity_adjusted_es(&[3.0, 4.0])?, 5.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn frtb_liquidity_adjusted_es(es: &[f64]) -> Result<f64, RiskError> {
    const LH: [f64; 5] = [10.0, 20.0, 40.0, 60.0, 120.0];
    check_series("es", es, 1)?;
    if es.len() > LH.len() {
        return Err(RiskError::LengthMismatch {
            left_name: "es",
            left: es.len(),
            right_name: "liquidity horizons",
            right: LH.len(),
        });
    }
    if let Some(&v) = es.iter().find(|v| **v < 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "es",
            value: v,
            reason: "an expected shortfall (a loss) cannot be negative",
        });
    }
    let mut total = es[0] * es[0];
    for j in 1..es.len() {
        let scale = (LH[j] - LH[j - 1]) / LH[0];
        total += es[j] * es[j] * scale;
    }
    finite("liquidity-adjusted es", total.sqrt())
}

/// Thresholds above which a position counts as concentrated: its size as a fraction of the
/// daily traded volume, and of the order-book depth that could absorb it.
///
/// ```text
/// volume_fraction = |Q| / V          flagged if > max_volume_fraction
/// depth_fraction  = |Q| / D          flagged if > max_depth_fraction
/// ```
///
/// Reference: the position-to-volume and position-to-depth screens of endogenous liquidity
/// risk (Bangia et al. 1999, on positions large against the quoted depth); the thresholds are
/// a policy choice, not a published standard, hence configurable.
///
/// ```
/// use derisk::risk::ConcentrationLimits;
/// let limits = ConcentrationLimits::new(0.1, 0.5)?;
/// let f = limits.check(30.0, 100.0, 50.0)?;
/// assert!(f.exceeds_volume && f.exceeds_depth && f.is_concentrated());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ConcentrationLimits {
    max_volume_fraction: f64,
    max_depth_fraction: f64,
}

/// How concentrated one position is against its limits ([`ConcentrationLimits::check`]).
///
/// ```
/// let f = derisk::risk::ConcentrationLimits::default().check(1.0, 100.0, 10.0)?;
/// assert_eq!((f.volume_fraction, f.depth_fraction), (0.01, 0.1));
/// assert!(!f.is_concentrated());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ConcentrationFlags {
    /// |Q| / daily volume.
    pub volume_fraction: f64,
    /// |Q| / book depth.
    pub depth_fraction: f64,
    /// volume_fraction above its limit.
    pub exceeds_volume: bool,
    /// depth_fraction above its limit.
    pub exceeds_depth: bool,
}

impl ConcentrationFlags {
    /// Whether any limit is exceeded.
    ///
    /// ```
    /// let f = derisk::risk::ConcentrationLimits::default().check(20.0, 100.0, 1_000.0)?;
    /// assert!(f.is_concentrated()); // 20 % of daily volume > 10 %
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn is_concentrated(&self) -> bool {
        self.exceeds_volume || self.exceeds_depth
    }
}

impl Default for ConcentrationLimits {
    /// 10 % of daily volume and 100 % of the visible depth.
    fn default() -> Self {
        ConcentrationLimits {
            max_volume_fraction: 0.1,
            max_depth_fraction: 1.0,
        }
    }
}

impl ConcentrationLimits {
    /// Limits as fractions (0.1 = 10 %) of daily volume and of book depth.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] if either is not finite and positive.
    ///
    /// ```
    /// assert!(derisk::risk::ConcentrationLimits::new(0.0, 1.0).is_err());
    /// ```
    pub fn new(max_volume_fraction: f64, max_depth_fraction: f64) -> Result<Self, RiskError> {
        Ok(ConcentrationLimits {
            max_volume_fraction: positive("max volume fraction", max_volume_fraction)?,
            max_depth_fraction: positive("max depth fraction", max_depth_fraction)?,
        })
    }

    /// Flags for a position of `position` base units (either sign) against `daily_volume` and
    /// the `book_depth` that would absorb it (e.g. [`OrderBook::depth_within`] or
    /// [`OrderBook::total_size`] of the closing side).
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] for a non-finite position or a non-positive or
    /// non-finite volume or depth.
    ///
    /// ```
    /// let f = derisk::risk::ConcentrationLimits::new(0.25, 2.0)?.check(-30.0, 100.0, 10.0)?;
    /// assert!(f.exceeds_volume && f.exceeds_depth);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn check(
        &self,
        position: f64,
        daily_volume: f64,
        book_depth: f64,
    ) -> Result<ConcentrationFlags, RiskError> {
        let q = finite_param("position", position)?.abs();
        let volume_fraction = q / positive("daily volume", daily_volume)?;
        let depth_fraction = q / positive("book depth", book_depth)?;
        Ok(ConcentrationFlags {
            volume_fraction,
            depth_fraction,
            exceeds_volume: volume_fraction > self.max_volume_fraction,
            exceeds_depth: depth_fraction > self.max_depth_fraction,
        })
    }
}

fn sum(var: f64, cost: f64) -> Result<LiquidityAdjustedVar, RiskError> {
    Ok(LiquidityAdjustedVar {
        market_var: var,
        liquidity_cost: cost,
        lvar: finite("liquidity-adjusted var", var + cost)?,
    })
}

fn finite_param(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite",
        })
    }
}

fn non_negative(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite and not negative",
        })
    }
}

fn positive(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite and positive",
        })
    }
}
