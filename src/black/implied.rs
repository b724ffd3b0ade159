//! Implied volatility of Black prices: the public solvers on `f64` (undiscounted on a forward,
//! Black-76, Black–Scholes–Merton on a spot, coin-settled), each reduced to the normalised
//! problem that `solver.rs` inverts.

use super::error::{
    check_dividend_yield, check_forward, check_rate, check_spot, check_strike, ImpliedVolError,
};
use super::kernel::{discount_factor, ln_ratio};
use super::kind::OptionKind;
use super::solver::solve_normalised;

/// An implied volatility and how the solver ended.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ImpliedVol {
    /// The implied volatility σ, decimal per √year.
    pub volatility: f64,
    /// Householder steps taken (0 when the price is the intrinsic value, so σ = 0).
    pub iterations: u32,
}

/// Implied total volatility s = σ√T of an undiscounted Black price; validated inputs.
fn total_volatility(
    kind: OptionKind,
    price: f64,
    forward: f64,
    strike: f64,
) -> Result<(f64, u32), ImpliedVolError> {
    if !(price.is_finite() && price >= 0.0) {
        return Err(ImpliedVolError::InvalidPrice { price });
    }
    let x = ln_ratio(forward, strike);
    let theta = kind.sign();
    let bound = if theta > 0.0 { forward } else { strike };
    if price >= bound {
        return Err(ImpliedVolError::AboveUpperBound { price, bound });
    }
    // Time value = price − max(θ(F − K), 0) with at most one rounding: when the strike is
    // within a factor two of the forward F − K is exact (Sterbenz); otherwise the price of an
    // in-the-money option is within a factor two of its bound and price − bound is exact.
    let (near, far) = if theta > 0.0 {
        (forward, strike)
    } else {
        (strike, forward)
    };
    let time_value = if near <= far {
        price
    } else if far >= 0.5 * near {
        price - (near - far)
    } else {
        (price - near) + far
    };
    if time_value <= 0.0 {
        // Within two roundings of the intrinsic value the price carries no time value.
        if -time_value <= 2.0 * f64::EPSILON * price {
            return Ok((0.0, 0));
        }
        let intrinsic = (theta * strike * x.exp_m1()).max(0.0);
        return Err(ImpliedVolError::BelowIntrinsic { price, intrinsic });
    }
    // The out-of-the-money option at this strike, normalised by its own strike.
    // Its bound is the forward (call) or the strike (put); bound − time value is exact when
    // the time value is over half the bound, which is where the complement is used.
    let (x_otm, scale, otm_bound) = if x <= 0.0 {
        (x, strike, forward)
    } else {
        (-x, forward, strike)
    };
    let beta = time_value / scale;
    let complement = (otm_bound - time_value) / scale;
    // e^{x_otm} as the ratio of forward and strike: one rounding, no exponential.
    let b_max = if x <= 0.0 {
        forward / strike
    } else {
        strike / forward
    };
    if complement.is_nan() || complement <= 0.0 || beta >= b_max {
        return Err(ImpliedVolError::AboveUpperBound { price, bound });
    }
    Ok(solve_normalised(x_otm, beta, complement, b_max))
}

fn check_positive_expiry(expiry: f64) -> Result<f64, ImpliedVolError> {
    if expiry.is_finite() && expiry > 0.0 {
        Ok(expiry)
    } else {
        Err(ImpliedVolError::InvalidExpiry { expiry })
    }
}

/// Implied volatility of an undiscounted Black price on a forward.
///
/// ```text
/// find σ ≥ 0 with  θ·F·Φ(θd₁) − θ·K·Φ(θd₂) = price,   d₁,₂ = ln(F/K)/(σ√T) ± σ√T/2
/// ```
///
/// Units: price, F and K in one currency; T in years; σ per √year. A price equal to the
/// intrinsic value max(θ(F − K), 0), to within two roundings, gives σ = 0. Accuracy: relative error in σ ≤ 2e-13 on
/// out-of-the-money quotes over |ln(F/K)| ≤ 8σ√T, 3e-4 ≤ σ√T ≤ 4 and beyond (docs/VALIDATION.md);
/// in the money, the bits of the price that pay for the intrinsic value carry no information on
/// σ, and the error is bounded by ε·(price + |F − K|)/(σ√T·∂price/∂s) instead.
///
/// Reference: P. Jäckel, "Let's Be Rational", Wilmott (2015) (approach); the normalised
/// function and the solver are this crate's own (see docs/pricing.md).
///
/// # Errors
///
/// [`ImpliedVolError::InvalidPrice`] for a NaN, infinite or negative price;
/// [`ImpliedVolError::BelowIntrinsic`] and [`ImpliedVolError::AboveUpperBound`] outside the
/// no-arbitrage bounds; [`ImpliedVolError::InvalidExpiry`] unless T > 0;
/// [`ImpliedVolError::Input`] for an invalid forward or strike.
///
/// ```
/// use derisk::pricing::{black, implied_black_volatility, OptionKind};
/// let price = black(OptionKind::Call, 100.0, 120.0, 0.5 * 2.0_f64.sqrt())?;
/// let iv = implied_black_volatility(OptionKind::Call, price, 100.0, 120.0, 2.0)?;
/// assert!((iv.volatility - 0.5).abs() < 1e-15);
/// assert!(iv.iterations <= 4);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn implied_black_volatility(
    kind: OptionKind,
    price: f64,
    forward: f64,
    strike: f64,
    expiry: f64,
) -> Result<ImpliedVol, ImpliedVolError> {
    let forward = check_forward(forward)?;
    let strike = check_strike(strike)?;
    let expiry = check_positive_expiry(expiry)?;
    let (s, iterations) = total_volatility(kind, price, forward, strike)?;
    Ok(ImpliedVol {
        volatility: s / expiry.sqrt(),
        iterations,
    })
}

/// Implied volatility of a Black-76 price (an option on a forward or futures, discounted at r).
///
/// ```text
/// find σ with  e^{−rT}·(θF·Φ(θd₁) − θK·Φ(θd₂)) = price
/// ```
///
/// # Errors
///
/// As [`implied_black_volatility`] (bounds discounted by e^{−rT}), and
/// [`ImpliedVolError::Input`] for a non-finite rate.
///
/// ```
/// use derisk::pricing::{black76_price, implied_black76_volatility, OptionKind};
/// let p = black76_price(OptionKind::Put, 20.0, 20.0, 4.0 / 12.0, 0.25, 0.09)?;
/// let iv = implied_black76_volatility(OptionKind::Put, p, 20.0, 20.0, 4.0 / 12.0, 0.09)?;
/// assert!((iv.volatility - 0.25).abs() < 1e-14);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn implied_black76_volatility(
    kind: OptionKind,
    price: f64,
    forward: f64,
    strike: f64,
    expiry: f64,
    rate: f64,
) -> Result<ImpliedVol, ImpliedVolError> {
    let rate = check_rate(rate)?;
    let expiry = check_positive_expiry(expiry)?;
    let discount = discount_factor(rate, expiry);
    restate(
        implied_black_volatility(kind, price / discount, forward, strike, expiry),
        price,
        |undiscounted| undiscounted * discount,
    )
}

/// Implied volatility of a Black–Scholes–Merton price on a spot with dividend yield q.
///
/// ```text
/// find σ with  θ·S·e^{−qT}·Φ(θd₁) − θ·K·e^{−rT}·Φ(θd₂) = price
/// ```
///
/// Solved on the forward F = S·e^{(r−q)T} and the undiscounted price price·e^{rT}.
///
/// # Errors
///
/// As [`implied_black_volatility`], and [`ImpliedVolError::Input`] for an invalid spot, rate or
/// dividend yield.
///
/// ```
/// use derisk::pricing::{implied_black_scholes_volatility, OptionKind};
/// // Hull, Example 15.6: the call at 4.7594 implies σ = 20 %.
/// let iv = implied_black_scholes_volatility(
///     OptionKind::Call, 4.759_422_392_871_533, 42.0, 40.0, 0.5, 0.1, 0.0)?;
/// assert!((iv.volatility - 0.2).abs() < 1e-14);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn implied_black_scholes_volatility(
    kind: OptionKind,
    price: f64,
    spot: f64,
    strike: f64,
    expiry: f64,
    rate: f64,
    dividend_yield: f64,
) -> Result<ImpliedVol, ImpliedVolError> {
    let spot = check_spot(spot)?;
    let rate = check_rate(rate)?;
    let dividend_yield = check_dividend_yield(dividend_yield)?;
    let expiry = check_positive_expiry(expiry)?;
    let forward = spot * ((rate - dividend_yield) * expiry).exp();
    let discount = discount_factor(rate, expiry);
    restate(
        implied_black_volatility(kind, price / discount, forward, strike, expiry),
        price,
        |undiscounted| undiscounted * discount,
    )
}

/// Implied volatility of a coin-settled option quoted in coin (Deribit's `mark_price`,
/// `bid_price`, `ask_price`): the USD price is coin × F.
///
/// ```text
/// find σ with  e^{−rT}·θ·(Φ(θd₁) − (K/F)·Φ(θd₂)) = coin price
/// ```
///
/// # Errors
///
/// As [`implied_black76_volatility`]; the bounds are reported in coin.
///
/// ```
/// use derisk::pricing::{implied_coin_volatility, OptionKind};
/// // BTC-16JAN26-82000-C on Deribit, 2025-12-30: mark 0.08550357 BTC on F = 88,728.95;
/// // Deribit's mark IV was 43.23 % (re-solved from the mark price it is 43.29 %).
/// let iv = implied_coin_volatility(
///     OptionKind::Call, 0.085_503_57, 88_728.95, 82_000.0, 0.045_457_324_252_129_436, 0.0)?;
/// assert!((iv.volatility - 0.4323).abs() < 1e-3);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn implied_coin_volatility(
    kind: OptionKind,
    coin_price: f64,
    forward: f64,
    strike: f64,
    expiry: f64,
    rate: f64,
) -> Result<ImpliedVol, ImpliedVolError> {
    let forward = check_forward(forward)?;
    restate(
        implied_black76_volatility(kind, coin_price * forward, forward, strike, expiry, rate),
        coin_price,
        |usd| usd / forward,
    )
}

/// Restates the price errors of a solve on a converted price (undiscounted, or in USD) in the
/// caller's units: the caller's `price`, and the bounds converted back by `convert`.
fn restate(
    r: Result<ImpliedVol, ImpliedVolError>,
    price: f64,
    convert: impl Fn(f64) -> f64,
) -> Result<ImpliedVol, ImpliedVolError> {
    r.map_err(|e| match e {
        ImpliedVolError::BelowIntrinsic { intrinsic, .. } => ImpliedVolError::BelowIntrinsic {
            price,
            intrinsic: convert(intrinsic),
        },
        ImpliedVolError::AboveUpperBound { bound, .. } => ImpliedVolError::AboveUpperBound {
            price,
            bound: convert(bound),
        },
        ImpliedVolError::InvalidPrice { .. } => ImpliedVolError::InvalidPrice { price },
        other => other,
    })
}
