//! Risk by factor: sensitivities of positions in the quote currency, their aggregation by
//! underlying, expiry and strike bucket, and the delta-gamma-vega approximation of a move.

use crate::market::{Currency, Instant};

use super::error::{check_finite, PortfolioError};
use super::position::PositionId;

/// Value and sensitivities of one contract (or, in [`PositionRisk`], one position) in the market's
/// quote currency Q (USD), under sticky-strike vols and forwards that move with the spot:
///
/// ```text
/// value        V in the settlement currency;   value_quote  V_q = V × price(settlement) in Q
/// delta        ∂V_q/∂S          coins (the spot position with the same first-order USD P&L)
/// gamma        ∂²V_q/∂S²        coins per Q
/// vega         ∂V_q/∂σ          Q per 1.00 of vol (vega_per_point() for per vol point)
/// theta        ∂V_q/∂t          Q per year as the valuation instant passes (theta_per_day())
/// rho          ∂V_q/∂r          Q per 1.00 of the settlement currency's zero rates
/// ```
///
/// For a coin-settled (inverse) option this delta is the delta of its USD value, the number of
/// coins that hedges it; docs/market.md sets it beside the coin value's delta and the delta
/// Deribit displays, with a worked example.
///
/// ```
/// let s = derisk::portfolio::Sensitivity { vega: 250.0, theta: -365.0, ..Default::default() };
/// assert_eq!(s.vega_per_point(), 2.5);
/// assert_eq!(s.theta_per_day(), -1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Sensitivity {
    /// Value in the settlement currency.
    pub value: f64,
    /// Value in the quote currency.
    pub value_quote: f64,
    /// ∂V_q/∂S, in coins.
    pub delta: f64,
    /// ∂²V_q/∂S², per quote-currency unit.
    pub gamma: f64,
    /// ∂V_q/∂σ per 1.00 of volatility.
    pub vega: f64,
    /// ∂V_q/∂t per year.
    pub theta: f64,
    /// ∂V_q/∂r per 1.00 of rate.
    pub rho: f64,
}

impl Sensitivity {
    /// Vega per volatility point (per 0.01).
    #[must_use]
    pub fn vega_per_point(&self) -> f64 {
        self.vega / 100.0
    }

    /// Theta per calendar day (per year / 365).
    #[must_use]
    pub fn theta_per_day(&self) -> f64 {
        self.theta / 365.0
    }

    /// Cash delta: delta × spot, in the quote currency.
    #[must_use]
    pub fn cash_delta(&self, spot: f64) -> f64 {
        self.delta * spot
    }

    /// Every field times `factor` (a quantity).
    #[must_use]
    pub fn scaled(&self, factor: f64) -> Self {
        Self {
            value: self.value * factor,
            value_quote: self.value_quote * factor,
            delta: self.delta * factor,
            gamma: self.gamma * factor,
            vega: self.vega * factor,
            theta: self.theta * factor,
            rho: self.rho * factor,
        }
    }

    /// `Ok(self)` if every field is finite, else [`PortfolioError::NonFinite`] naming the first
    /// that is not (a quantity or price so large that a Greek overflows).
    pub(crate) fn checked(self) -> Result<Self, PortfolioError> {
        for (name, v) in [
            ("value", self.value),
            ("quote value", self.value_quote),
            ("delta", self.delta),
            ("gamma", self.gamma),
            ("vega", self.vega),
            ("theta", self.theta),
            ("rho", self.rho),
        ] {
            check_finite(name, v)?;
        }
        Ok(self)
    }

    /// Field-by-field sum (the caller makes sure both are in the same quote currency and on the
    /// same underlying; [`RiskReport`] does).
    #[must_use]
    pub fn plus(&self, o: &Self) -> Self {
        Self {
            value: self.value + o.value,
            value_quote: self.value_quote + o.value_quote,
            delta: self.delta + o.delta,
            gamma: self.gamma + o.gamma,
            vega: self.vega + o.vega,
            theta: self.theta + o.theta,
            rho: self.rho + o.rho,
        }
    }

    /// The second-order approximation of the change of V_q:
    ///
    /// ```text
    /// ΔV_q ≈ Δ·dS + ½Γ·dS² + vega·dσ + θ·dt + ρ·dr
    /// ```
    ///
    /// ```
    /// let s = derisk::portfolio::Sensitivity { delta: 2.0, gamma: 0.01, ..Default::default() };
    /// assert_eq!(s.approximate_change(10.0, 0.0, 0.0, 0.0), 20.5);
    /// ```
    #[must_use]
    pub fn approximate_change(&self, d_spot: f64, d_vol: f64, d_years: f64, d_rate: f64) -> f64 {
        self.delta * d_spot
            + 0.5 * self.gamma * d_spot * d_spot
            + self.vega * d_vol
            + self.theta * d_years
            + self.rho * d_rate
    }
}

/// One position's [`Sensitivity`] (already times its quantity), with what it is exposed to.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PositionRisk {
    /// The position.
    pub id: PositionId,
    /// The asset whose spot drives it.
    pub underlying: Option<Currency>,
    /// The currency its `sensitivity.value` is in.
    pub settlement: Currency,
    /// The currency of `value_quote` and every Greek.
    pub quote: Currency,
    /// Its expiry, if any.
    pub expiry: Option<Instant>,
    /// Its strike, if any.
    pub strike: Option<f64>,
    /// The spot of the underlying (for cash delta and moneyness), 0 without one.
    pub spot: f64,
    /// Value and Greeks of the whole position.
    pub sensitivity: Sensitivity,
}

impl PositionRisk {
    /// Cash delta: delta × spot, in the quote currency.
    #[must_use]
    pub fn cash_delta(&self) -> f64 {
        self.sensitivity.cash_delta(self.spot)
    }
}

/// Sums of position risks in groups: by underlying, by expiry and underlying, by strike bucket.
/// Greeks of different underlyings are never added: every group is keyed by its underlying, and
/// all are in the one quote currency of the market they were computed in.
///
/// ```
/// # use derisk::market::Currency;
/// # use derisk::portfolio::{PositionId, PositionRisk, RiskReport, Sensitivity};
/// let r = |id, delta| PositionRisk { id: PositionId(id), underlying: Some(Currency::BTC),
///     settlement: Currency::BTC, quote: Currency::USD, expiry: None, strike: None, spot: 1e5,
///     sensitivity: Sensitivity { delta, ..Default::default() } };
/// let report = RiskReport::new(&[r(0, 1.5), r(1, -0.5)], &[]);
/// assert_eq!(report.by_underlying[0].1.delta, 1.0);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RiskReport {
    /// Per underlying (positions without one, such as stablecoin cash, are left out).
    pub by_underlying: Vec<(Currency, Sensitivity)>,
    /// Per underlying and expiry (positions without an expiry are under `None`), by date.
    pub by_expiry: Vec<(Currency, Option<Instant>, Sensitivity)>,
    /// Per underlying and log-moneyness bucket of the options: bucket `i` holds ln(K/S) in
    /// \[edges\[i−1\], edges\[i\]) with −∞ and +∞ at the ends (so `edges.len() + 1` buckets).
    pub by_strike: Vec<(Currency, usize, Sensitivity)>,
    /// The bucket edges in ln(K/S) used for `by_strike`.
    pub strike_edges: Vec<f64>,
}

impl RiskReport {
    /// Groups `risks`; `strike_edges` (increasing ln(K/S) values, e.g. [−0.2, −0.05, 0.05, 0.2])
    /// bucket the options by moneyness.
    #[must_use]
    pub fn new(risks: &[PositionRisk], strike_edges: &[f64]) -> Self {
        let mut report = Self {
            strike_edges: strike_edges.to_vec(),
            ..Self::default()
        };
        for r in risks {
            let Some(u) = r.underlying else { continue };
            add_to(&mut report.by_underlying, (u,), &r.sensitivity);
            add_to3(&mut report.by_expiry, (u, r.expiry), &r.sensitivity);
            if let (Some(k), true) = (r.strike, r.spot > 0.0) {
                let x = (k / r.spot).ln();
                let bucket = strike_edges.partition_point(|&e| e <= x);
                add_to3(&mut report.by_strike, (u, bucket), &r.sensitivity);
            }
        }
        report.by_expiry.sort_by_key(|a| (a.0, a.1));
        report.by_strike.sort_by_key(|a| (a.0, a.1));
        report
    }
}

fn add_to(list: &mut Vec<(Currency, Sensitivity)>, key: (Currency,), s: &Sensitivity) {
    match list.iter_mut().find(|e| e.0 == key.0) {
        Some(e) => e.1 = e.1.plus(s),
        None => list.push((key.0, *s)),
    }
}

fn add_to3<K: PartialEq + Copy>(
    list: &mut Vec<(Currency, K, Sensitivity)>,
    key: (Currency, K),
    s: &Sensitivity,
) {
    match list.iter_mut().find(|e| e.0 == key.0 && e.1 == key.1) {
        Some(e) => e.2 = e.2.plus(s),
        None => list.push((key.0, key.1, *s)),
    }
}
