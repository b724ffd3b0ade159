//! The Greeks of a coin-settled ("inverse") option from its USD Black-76 Greeks: the value in
//! coin is c = V_usd/F, so every F-derivative follows from V's (`pricing::InverseBlack76`, which
//! documents the contract; Deribit knowledge base, "Inverse options").
//!
//! ```text
//! c⁽ⁿ⁾ = (V⁽ⁿ⁾ − n·c⁽ⁿ⁻¹⁾)/F,   ∂c/∂F = θ·e^{−rT}·(K/F)·Φ(θd₂)/F  (formed directly: V′ − c cancels)
//! ```
//!
//! One formula serves the single Greeks and the batch lanes (`batch_greeks::CoinGreeks`).

use super::error::PricingError;
use super::greeks::Greeks;
use super::kernel::{discount_factor, greeks_and_cdf_d2, Inputs};

/// The coin Greeks from the USD Greeks `g` of the same option, its Φ(θd₂) (`cdf_d2`), θ (+1 call,
/// −1 put), e^{−rT}, strike and forward. All in coin: delta per USD of F, gamma per USD², vega per
/// 1.00 of σ, theta per year (raw derivatives, F as the underlying; dividend ρ is zero).
#[inline(always)]
pub(crate) fn coin_from_usd(
    g: &Greeks,
    cdf_d2: f64,
    theta_sign: f64,
    discount: f64,
    strike: f64,
    forward: f64,
) -> Greeks {
    // One division; the products below differ from quotients by at most an ulp.
    let inv_f = 1.0 / forward;
    let premium_adjusted = theta_sign * discount * (strike * inv_f) * cdf_d2;
    let delta = premium_adjusted * inv_f;
    let gamma = (g.gamma - 2.0 * delta) * inv_f;
    let vega = g.vega * inv_f;
    let vanna = (g.vanna - vega) * inv_f;
    let theta = g.theta * inv_f;
    let charm = (g.charm - theta) * inv_f;
    Greeks {
        price: g.price * inv_f,
        delta,
        gamma,
        vega,
        theta,
        rho: g.rho * inv_f,
        dividend_rho: 0.0,
        vanna,
        volga: g.volga * inv_f,
        charm,
        veta: g.veta * inv_f,
        speed: (g.speed - 3.0 * gamma) * inv_f,
        zomma: (g.zomma - 2.0 * vanna) * inv_f,
        color: (g.color - 2.0 * charm) * inv_f,
        ultima: g.ultima * inv_f,
    }
}

/// The coin Greeks of an option on a forward (validated Black-76 inputs), or the USD Greeks' error,
/// or [`PricingError::Overflow`] for the first coin value that is not finite.
#[inline]
pub(crate) fn coin_greeks_validated(i: &Inputs) -> Result<Greeks, PricingError> {
    let (g, cdf_d2) = greeks_and_cdf_d2(i)?;
    let c = coin_from_usd(
        &g,
        cdf_d2,
        i.kind.sign(),
        discount_factor(i.rate, i.expiry),
        i.strike,
        i.underlying,
    );
    for (name, value) in c.to_array() {
        i.finite(value, name)?;
    }
    Ok(c)
}
