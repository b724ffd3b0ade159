//! Errors of the Black kernel and of pricing: why a price, a Greek or an implied volatility
//! could not be computed.

use crate::math::Termination;

/// Why a price or a Greek could not be computed.
///
/// Every variant names the offending input and carries its value, so that a log line says what
/// was wrong and why (`"volatility -0.2 must be finite and non-negative"`).
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PricingError {
    /// The spot price of the underlying is not a positive finite number.
    #[error("spot {spot} must be finite and positive")]
    InvalidSpot {
        /// The offending spot price.
        spot: f64,
    },
    /// The forward (or futures) price is not a positive finite number.
    #[error("forward {forward} must be finite and positive")]
    InvalidForward {
        /// The offending forward price.
        forward: f64,
    },
    /// The strike is not a positive finite number.
    #[error("strike {strike} must be finite and positive")]
    InvalidStrike {
        /// The offending strike.
        strike: f64,
    },
    /// The time to expiry (years) is negative or not finite.
    #[error("expiry {expiry} (years) must be finite and non-negative")]
    InvalidExpiry {
        /// The offending expiry in years.
        expiry: f64,
    },
    /// The volatility (decimal per √year) is negative or not finite.
    #[error("volatility {volatility} must be finite and non-negative")]
    InvalidVolatility {
        /// The offending volatility.
        volatility: f64,
    },
    /// The total volatility σ√T is negative or not finite.
    #[error("total volatility {total_volatility} must be finite and non-negative")]
    InvalidTotalVolatility {
        /// The offending total volatility.
        total_volatility: f64,
    },
    /// The continuously compounded interest rate is not finite.
    #[error("rate {rate} must be finite")]
    InvalidRate {
        /// The offending rate.
        rate: f64,
    },
    /// The continuously compounded dividend yield (or foreign rate, or borrow cost) is not finite.
    #[error("dividend yield {dividend_yield} must be finite")]
    InvalidDividendYield {
        /// The offending yield.
        dividend_yield: f64,
    },
    /// The inputs are valid but a result is not a finite double (for example the gamma of a
    /// near-expiry at-the-money option on a spot of 1e-300, a put discounted at r = −800, or
    /// Greeks where the forward S·e^{(r−q)T} or e^{−rT} leaves the doubles). The inputs are the
    /// caller's; they are not repeated here so that `Result<f64, PricingError>` stays four
    /// words (batch outputs are slices of it; with the six inputs `price_many` was 40-60 %
    /// slower).
    #[error("{quantity} does not fit a double for these inputs")]
    Overflow {
        /// Which output overflowed (`"price"`, `"gamma"`, `"forward"`, `"discount factor"`, ...).
        quantity: &'static str,
    },
    /// A volatility source's parameter is outside its domain (the target of
    /// `From<VolError>` for `derisk::vol::VolError::InvalidParameter`:
    /// the parameter's name and value are kept).
    #[error("volatility parameter {name} = {value} is outside its domain")]
    InvalidVolParameter {
        /// The parameter's name as in the model's documentation (`"rho"`, `"sigma"`, …).
        name: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A batch call was given an output slice of the wrong length.
    #[error("output slice has length {outputs} but there are {inputs} inputs")]
    LengthMismatch {
        /// Number of inputs.
        inputs: usize,
        /// Length of the output slice.
        outputs: usize,
    },
}

pub(crate) fn check_spot(spot: f64) -> Result<f64, PricingError> {
    if spot.is_finite() && spot > 0.0 {
        Ok(spot)
    } else {
        Err(PricingError::InvalidSpot { spot })
    }
}

pub(crate) fn check_forward(forward: f64) -> Result<f64, PricingError> {
    if forward.is_finite() && forward > 0.0 {
        Ok(forward)
    } else {
        Err(PricingError::InvalidForward { forward })
    }
}

pub(crate) fn check_strike(strike: f64) -> Result<f64, PricingError> {
    if strike.is_finite() && strike > 0.0 {
        Ok(strike)
    } else {
        Err(PricingError::InvalidStrike { strike })
    }
}

pub(crate) fn check_expiry(expiry: f64) -> Result<f64, PricingError> {
    if expiry.is_finite() && expiry >= 0.0 {
        Ok(expiry)
    } else {
        Err(PricingError::InvalidExpiry { expiry })
    }
}

pub(crate) fn check_volatility(volatility: f64) -> Result<f64, PricingError> {
    if volatility.is_finite() && volatility >= 0.0 {
        Ok(volatility)
    } else {
        Err(PricingError::InvalidVolatility { volatility })
    }
}

pub(crate) fn check_rate(rate: f64) -> Result<f64, PricingError> {
    if rate.is_finite() {
        Ok(rate)
    } else {
        Err(PricingError::InvalidRate { rate })
    }
}

pub(crate) fn check_dividend_yield(dividend_yield: f64) -> Result<f64, PricingError> {
    if dividend_yield.is_finite() {
        Ok(dividend_yield)
    } else {
        Err(PricingError::InvalidDividendYield { dividend_yield })
    }
}

/// Why an implied volatility could not be found.
///
/// Prices are in the units of the function called (USD, or coin for coin-settled options);
/// `intrinsic` and `bound` are reported in the same units.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ImpliedVolError {
    /// The option price is NaN, infinite or negative.
    #[error("option price {price} must be finite and non-negative")]
    InvalidPrice {
        /// The offending price.
        price: f64,
    },
    /// The price is below the option's intrinsic value: no volatility reproduces it.
    #[error("price {price} is below the intrinsic value {intrinsic}")]
    BelowIntrinsic {
        /// The quoted price.
        price: f64,
        /// The (discounted) intrinsic value of the forward.
        intrinsic: f64,
    },
    /// The price reaches the no-arbitrage upper bound (the discounted forward for a call, the
    /// discounted strike for a put), which only an infinite volatility attains.
    #[error("price {price} is at or above the upper bound {bound}")]
    AboveUpperBound {
        /// The quoted price.
        price: f64,
        /// The upper bound.
        bound: f64,
    },
    /// The time to expiry is not a finite positive number (at T = 0 the volatility is undefined).
    #[error("expiry {expiry} (years) must be finite and positive for an implied volatility")]
    InvalidExpiry {
        /// The offending expiry.
        expiry: f64,
    },
    /// The time value of the price, as a fraction of the strike (of the forward for an
    /// out-of-the-money put), is below the smallest normal double, 2.2e-308: it has too few
    /// significant bits to determine a volatility.
    #[error(
        "price {price} leaves a time value of {normalised:e} of the strike (of the forward for \
         a put out of the money), below 2.2e-308: too few significant bits to determine a \
         volatility"
    )]
    TooSmall {
        /// The quoted price.
        price: f64,
        /// The time value over the strike (subnormal or zero).
        normalised: f64,
    },
    /// The solver stopped without meeting its convergence test (a defect: report it with the
    /// inputs); `volatility` is the best point found, not an answer.
    #[error(
        "implied volatility solver stopped ({termination:?}) after {iterations} steps for price \
         {price}, best volatility {volatility}"
    )]
    NotConverged {
        /// The quoted price.
        price: f64,
        /// The best volatility found (per √year); not reliable.
        volatility: f64,
        /// Steps taken.
        iterations: u32,
        /// How the solver ended (never [`Termination::Converged`]).
        termination: Termination,
    },
    /// The implied total volatility s = σ√T is finite but σ = s/√T is not (T below ~1e-300).
    #[error(
        "implied volatility {total_volatility}/√{expiry} does not fit a double: the expiry is \
         too small"
    )]
    VolatilityOverflow {
        /// The implied total volatility σ√T.
        total_volatility: f64,
        /// The expiry in years.
        expiry: f64,
    },
    /// Another input is invalid; the inner error names it.
    #[error(transparent)]
    Input(#[from] PricingError),
}
