//! Implied volatility of Black prices: the public solvers on `f64` (undiscounted on a forward,
//! Black-76, Black–Scholes–Merton on a spot, coin-settled), each reduced to the normalised
//! problem that `solver.rs` inverts.

use super::error::{
    check_dividend_yield, check_forward, check_rate, check_spot, check_strike, ImpliedVolError,
};
use super::kernel::{
    forward_coordinates, undiscounted as kernel_undiscounted, ForwardKind, Inputs, Underlying,
};
use super::kind::OptionKind;
use super::solver::{solve_normalised, Solution};
use crate::math::Termination;

/// An implied volatility and how the solver ended.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ImpliedVol {
    /// The implied volatility σ, decimal per √year.
    pub volatility: f64,
    /// Solver steps taken (0 when the answer is closed-form: the intrinsic value, so σ = 0, or a
    /// tiny at-the-money price). A solve that does not converge is an error
    /// ([`ImpliedVolError::NotConverged`]), never an `Ok`.
    pub iterations: u32,
}

/// A quote reduced to forward coordinates exactly as the pricer forms them, so that the
/// library's own prices round-trip wherever their time value survives rounding.
#[derive(Debug, Clone, Copy)]
struct Quote {
    kind: OptionKind,
    /// The price in the caller's units.
    price: f64,
    forward: f64,
    strike: f64,
    /// ln(F/K) as the pricer computes it.
    x: f64,
    forward_kind: ForwardKind,
    /// Caller's units per undiscounted unit: D (or D/F for a price in coin).
    scale: f64,
    /// |rT| + |qT|: the rounding of e^{−rT} and of F grows with it.
    rate_time: f64,
    expiry: f64,
}

impl Quote {
    /// The quote on validated kernel inputs (σ unused); `per_forward` for a price in coin
    /// (c = V/F).
    fn new(
        kind: OptionKind,
        price: f64,
        i: &Inputs,
        per_forward: bool,
    ) -> Result<Self, ImpliedVolError> {
        if !(price.is_finite() && price >= 0.0) {
            return Err(ImpliedVolError::InvalidPrice { price });
        }
        let c = forward_coordinates(i);
        if !c.forward.is_normal() {
            return Err(i.overflow("forward").into());
        }
        let scale = if per_forward {
            c.discount / c.forward
        } else {
            c.discount
        };
        if !(c.discount.is_normal() && scale.is_normal()) {
            return Err(i.overflow("discount factor").into());
        }
        let q = match i.model {
            Underlying::Spot { dividend_yield } => dividend_yield,
            Underlying::Forward => 0.0,
        };
        Ok(Self {
            kind,
            price,
            forward: c.forward,
            strike: i.strike,
            x: c.x,
            forward_kind: c.forward_kind,
            scale,
            rate_time: (i.rate * i.expiry).abs() + (q * i.expiry).abs(),
            expiry: i.expiry,
        })
    }

    /// Solves for σ.
    fn solve(&self) -> Result<ImpliedVol, ImpliedVolError> {
        let Self {
            kind,
            price,
            forward,
            strike,
            x,
            ..
        } = *self;
        let theta = kind.sign();
        let bound = if theta > 0.0 { forward } else { strike };
        // The undiscounted price: the pricer's D·B(F, K, s) divided back.
        let undiscounted = if self.scale == 1.0 {
            price
        } else {
            price / self.scale
        };
        if undiscounted >= bound {
            return Err(ImpliedVolError::AboveUpperBound {
                price,
                bound: bound * self.scale,
            });
        }
        // Time value = price − max(θ(F − K), 0) with at most one rounding: when the strike is
        // within a factor two of the forward F − K is exact (Sterbenz); otherwise the price of
        // an in-the-money option is within a factor two of its bound and price − bound is exact.
        let (near, far) = if theta > 0.0 {
            (forward, strike)
        } else {
            (strike, forward)
        };
        let time_value = if near <= far {
            undiscounted
        } else if far >= 0.5 * near {
            undiscounted - (near - far)
        } else {
            (undiscounted - near) + far
        };
        if time_value <= 0.0 {
            return self.at_intrinsic(undiscounted, time_value);
        }
        // The out-of-the-money option at this strike, normalised by its own strike.
        // Its bound is the forward (call) or the strike (put); bound − time value is exact when
        // the time value is over half the bound, which is where the complement is used.
        let (x_otm, otm_scale, otm_bound) = if x <= 0.0 {
            (x, strike, forward)
        } else {
            (-x, forward, strike)
        };
        let beta = time_value / otm_scale;
        let complement = (otm_bound - time_value) / otm_scale;
        // e^{x_otm} as the ratio of forward and strike: one rounding, no exponential.
        let b_max = if x <= 0.0 {
            forward / strike
        } else {
            strike / forward
        };
        // At the money the solver has a closed form for tiny β; elsewhere a subnormal β has too
        // few bits for the normalised problem.
        if beta < f64::MIN_POSITIVE && x != 0.0 {
            return Err(ImpliedVolError::TooSmall {
                price,
                normalised: beta,
            });
        }
        if complement.is_nan() || complement <= 0.0 || beta >= b_max {
            return Err(ImpliedVolError::AboveUpperBound {
                price,
                bound: bound * self.scale,
            });
        }
        let Solution {
            s,
            iterations,
            termination,
        } = solve_normalised(x_otm, beta, complement, b_max);
        let volatility = s / self.expiry.sqrt();
        if termination != Termination::Converged {
            return Err(ImpliedVolError::NotConverged {
                price,
                volatility,
                iterations,
                termination,
            });
        }
        if !volatility.is_finite() {
            return Err(ImpliedVolError::VolatilityOverflow {
                total_volatility: s,
                expiry: self.expiry,
            });
        }
        Ok(ImpliedVol {
            volatility,
            iterations,
        })
    }

    /// A price at or below the intrinsic value: σ = 0 if it is the pricer's σ = 0 price to
    /// within the pricer's own rounding, else [`ImpliedVolError::BelowIntrinsic`].
    #[cold]
    fn at_intrinsic(
        &self,
        undiscounted: f64,
        time_value: f64,
    ) -> Result<ImpliedVol, ImpliedVolError> {
        // The pricer's value at σ = 0, formed as it forms it (K·expm1(x) for a computed forward).
        let intrinsic = kernel_undiscounted(
            self.kind,
            self.x,
            self.forward,
            self.strike,
            0.0,
            self.forward_kind,
        );
        // The pricer's in-the-money value adds K·expm1(x) or F − K depending on s, and x, F
        // and D each carry roundings that grow with |x|, |rT| and |qT|, as does the division
        // of the discounted price back: within that the price has no time value left.
        let noise = 4.0
            * f64::EPSILON
            * (self.forward.max(self.strike) + self.forward * (self.x.abs() + self.rate_time));
        // Compared in the caller's units too, where the discounted intrinsic may underflow.
        if undiscounted >= intrinsic - noise
            || -time_value <= noise
            || self.price >= (intrinsic - noise) * self.scale
        {
            return Ok(ImpliedVol {
                volatility: 0.0,
                iterations: 0,
            });
        }
        Err(ImpliedVolError::BelowIntrinsic {
            price: self.price,
            intrinsic: intrinsic * self.scale,
        })
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
/// [`ImpliedVolError::Input`] for an invalid forward or strike (or a subnormal one:
/// [`PricingError::Overflow`](crate::black::PricingError::Overflow) naming the forward);
/// [`ImpliedVolError::TooSmall`] when the time value is a subnormal fraction of the strike
/// (too few bits to determine σ); [`ImpliedVolError::NotConverged`] if the solver stops
/// without converging (not expected: a defect to report); [`ImpliedVolError::VolatilityOverflow`]
/// if σ = s/√T overflows.
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
    let inputs = Inputs::forward(kind, forward, strike, expiry, 0.0, 0.0);
    Quote::new(kind, price, &inputs, false)?.solve()
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
    let forward = check_forward(forward)?;
    let strike = check_strike(strike)?;
    let inputs = Inputs::forward(kind, forward, strike, expiry, 0.0, rate);
    Quote::new(kind, price, &inputs, false)?.solve()
}

/// Implied volatility of a Black–Scholes–Merton price on a spot with dividend yield q.
///
/// ```text
/// find σ with  θ·S·e^{−qT}·Φ(θd₁) − θ·K·e^{−rT}·Φ(θd₂) = price
/// ```
///
/// Solved on the forward F = S·e^{(r−q)T} and the undiscounted price price·e^{rT}, both formed
/// exactly as [`black_scholes_price`](crate::black::black_scholes_price) forms them, so that
/// its own prices round-trip: a price within the pricer's rounding of the σ = 0 price
/// (a one-day deep in-the-money option, whose time value is lost in rounding) gives σ = 0.
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
    let strike = check_strike(strike)?;
    let inputs = Inputs::spot(kind, spot, strike, expiry, 0.0, rate, dividend_yield);
    Quote::new(kind, price, &inputs, false)?.solve()
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
    let rate = check_rate(rate)?;
    let expiry = check_positive_expiry(expiry)?;
    let strike = check_strike(strike)?;
    let inputs = Inputs::forward(kind, forward, strike, expiry, 0.0, rate);
    Quote::new(kind, coin_price, &inputs, true)?.solve()
}

/// T > 0 and finite: at T = 0 the volatility is undefined.
fn check_positive_expiry(expiry: f64) -> Result<f64, ImpliedVolError> {
    if expiry.is_finite() && expiry > 0.0 {
        Ok(expiry)
    } else {
        Err(ImpliedVolError::InvalidExpiry { expiry })
    }
}
