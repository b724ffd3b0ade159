//! Forward curves per underlying and discount curves per currency, on absolute instants.

use std::sync::Arc;

use super::error::{finite, positive, MarketError};
use super::time::{DayCount, Instant};

/// The forward prices of one underlying (in the quote currency, USD per coin) by delivery instant.
///
/// Built from futures or perpetual quotes ([`ForwardCurve::new`]) or from put–call parity on an
/// option chain ([`ForwardCurve::from_put_call_parity`]). Between the valuation instant v (where
/// the forward is the spot S) and the nodes, ln F is linear in time:
///
/// ```text
/// points: (v, S), (E₁, F₁), …, (Eₙ, Fₙ)   (nodes at or before v left out)
/// ln F(E) = ln Fᵢ + (E − Eᵢ)/(Eᵢ₊₁ − Eᵢ)·(ln Fᵢ₊₁ − ln Fᵢ)      Eᵢ ≤ E ≤ Eᵢ₊₁
/// E > Eₙ: the last segment's slope continued
/// ```
///
/// Log-linear interpolation is piecewise-constant carry b (F = S·e^{bτ}): forwards stay positive,
/// and a carry that is constant between listed expiries is what a cash-and-carry trader can lock
/// in with the two neighbouring futures, so the curve adds no arbitrage between them. Moving the
/// spot ([`ForwardCurve::with_spot`]) moves every node in proportion (the basis F/S is kept).
///
/// ```
/// use derisk::market::{ForwardCurve, Instant};
/// let v: Instant = "2025-12-30T17:31:15Z".parse()?;
/// let e1 = Instant::from_date_hour(2026, 3, 27, 8)?;
/// let curve = ForwardCurve::new(88_500.0, &[(e1, 89_559.35)])?;
/// assert_eq!(curve.forward(v, e1)?, 89_559.35);
/// assert_eq!(curve.forward(v, v)?, 88_500.0);
/// let mid = curve.forward(v, v.plus_seconds(v.seconds_until(e1) / 2.0)?)?;
/// assert!((mid - (88_500.0_f64 * 89_559.35).sqrt()).abs() < 1e-9); // geometric mean
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "ForwardCurveData", into = "ForwardCurveData")
)]
pub struct ForwardCurve {
    spot: f64,
    nodes: Arc<[(Instant, f64)]>,
    /// Multiplies every node: spot moves keep the basis.
    scale: f64,
}

/// The serialised form of a [`ForwardCurve`]: validated through [`ForwardCurve::new`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct ForwardCurveData {
    spot: f64,
    nodes: Vec<(Instant, f64)>,
}

#[cfg(feature = "serde")]
impl TryFrom<ForwardCurveData> for ForwardCurve {
    type Error = MarketError;
    fn try_from(d: ForwardCurveData) -> Result<Self, MarketError> {
        Self::new(d.spot, &d.nodes)
    }
}

#[cfg(feature = "serde")]
impl From<ForwardCurve> for ForwardCurveData {
    fn from(c: ForwardCurve) -> Self {
        Self {
            spot: c.spot,
            nodes: c.nodes().collect(),
        }
    }
}

impl ForwardCurve {
    /// A curve from the spot (index) price and forward quotes `(delivery instant, price)` with
    /// strictly increasing instants (futures' marks, Deribit's per-expiry forwards). A perpetual
    /// is not a node: its mark is the spot plus a premium that funding pulls back.
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] for a spot or forward that is not finite and positive;
    /// [`MarketError::InvalidCurve`] if the instants do not increase strictly. An empty node list
    /// is allowed (a flat curve F = S: no carry).
    ///
    /// ```
    /// use derisk::market::{ForwardCurve, Instant};
    /// let e = Instant::from_date_hour(2026, 3, 27, 8)?;
    /// assert!(ForwardCurve::new(f64::NAN, &[]).is_err());
    /// assert!(ForwardCurve::new(1.0, &[(e, 2.0), (e, 2.0)]).is_err());
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn new(spot: f64, nodes: &[(Instant, f64)]) -> Result<Self, MarketError> {
        positive("spot", spot)?;
        for pair in nodes.windows(2) {
            if pair[1].0 <= pair[0].0 {
                return Err(MarketError::InvalidCurve {
                    name: "forward curve",
                    reason: "delivery instants must increase strictly",
                });
            }
        }
        for &(_, f) in nodes {
            positive("forward", f)?;
        }
        Ok(Self {
            spot,
            nodes: nodes.into(),
            scale: 1.0,
        })
    }

    /// A curve whose nodes are the forwards implied by put–call parity on an option chain.
    ///
    /// `slices` holds, per expiry, the (strike, call price − put price) of every strike quoted on
    /// both sides, prices in the quote currency or in coin (the formula is the same). The parity
    /// C − P = D·(F − K) in USD, or D_coin·(1 − K/F) in coin, is linear in K; an ordinary
    /// least-squares line y = a + b·K through the points gives
    ///
    /// ```text
    /// F = −a / b        (USD: a = D·F, b = −D;  coin: a = D, b = −D/F)
    /// ```
    ///
    /// which uses every strike and needs no discount curve. Reference: the put–call parity of
    /// R. C. Merton, "Theory of rational option pricing", Bell J. Econ. 4 (1973).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidCurve`] for no expiries, an expiry with fewer than 2 distinct
    /// strikes or a line that does not slope down (b ≥ 0: no positive forward); as [`ForwardCurve::new`] otherwise.
    ///
    /// ```
    /// use derisk::market::{ForwardCurve, Instant};
    /// let v = Instant::from_date_hour(2026, 1, 1, 0)?;
    /// let e = Instant::from_date_hour(2026, 3, 27, 8)?;
    /// // coin prices with D = 1, F = 90,000: C − P = 1 − K/F
    /// let quotes: Vec<(f64, f64)> = [80e3, 90e3, 100e3].iter().map(|&k| (k, 1.0 - k / 90e3)).collect();
    /// let curve = ForwardCurve::from_put_call_parity(88_000.0, &[(e, &quotes[..])])?;
    /// assert!((curve.forward(v, e)? - 90_000.0).abs() < 1e-9);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn from_put_call_parity(
        spot: f64,
        slices: &[(Instant, &[(f64, f64)])],
    ) -> Result<Self, MarketError> {
        if slices.is_empty() {
            return Err(MarketError::InvalidCurve {
                name: "put-call parity forward",
                reason: "needs at least one expiry of quotes",
            });
        }
        let mut nodes = Vec::with_capacity(slices.len());
        for &(expiry, points) in slices {
            nodes.push((expiry, parity_forward(points)?));
        }
        Self::new(spot, &nodes)
    }

    /// The spot (index) price: the forward for immediate delivery.
    ///
    /// ```
    /// let c = derisk::market::ForwardCurve::new(100.0, &[])?;
    /// assert_eq!(c.spot(), 100.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    #[must_use]
    pub fn spot(&self) -> f64 {
        self.spot
    }

    /// The nodes `(delivery instant, forward)` as they stand (after any spot move).
    ///
    /// ```
    /// use derisk::market::{ForwardCurve, Instant};
    /// let e = Instant::from_date_hour(2026, 3, 27, 8)?;
    /// let c = ForwardCurve::new(100.0, &[(e, 101.0)])?.with_spot(110.0)?;
    /// assert!((c.nodes().next().unwrap().1 - 111.1).abs() < 1e-12);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn nodes(&self) -> impl Iterator<Item = (Instant, f64)> + '_ {
        self.nodes.iter().map(move |&(t, f)| (t, f * self.scale))
    }

    /// The same curve with the spot moved to `spot` and every node by the same ratio.
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] unless `spot` is finite and positive.
    ///
    /// ```
    /// let c = derisk::market::ForwardCurve::new(100.0, &[])?.with_spot(70.0)?;
    /// assert_eq!(c.spot(), 70.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn with_spot(&self, spot: f64) -> Result<Self, MarketError> {
        positive("spot", spot)?;
        let scale = self.scale * (spot / self.spot);
        positive("forward scale", scale)?;
        Ok(Self {
            spot,
            nodes: Arc::clone(&self.nodes),
            scale,
        })
    }

    /// The forward for delivery at `expiry` seen from `valuation` (see the type's formula); the
    /// spot when `expiry` = `valuation`. For instants already past use
    /// [`ForwardCurve::settlement_price`].
    ///
    /// # Errors
    ///
    /// [`MarketError::ExpiredAt`] if `expiry` is before `valuation` (`expiry == valuation` gives
    /// the spot); [`MarketError::InvalidValue`] if extrapolating the carry overflows.
    ///
    /// ```
    /// use derisk::market::{ForwardCurve, Instant};
    /// let v = Instant::from_date_hour(2026, 1, 1, 0)?;
    /// let c = ForwardCurve::new(100.0, &[(v.plus_days(100.0)?, 110.0)])?;
    /// // beyond the last node the carry of the last segment continues
    /// assert!((c.forward(v, v.plus_days(200.0)?)? - 121.0).abs() < 1e-12);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn forward(&self, valuation: Instant, expiry: Instant) -> Result<f64, MarketError> {
        if expiry < valuation {
            return Err(MarketError::ExpiredAt { expiry, valuation });
        }
        if expiry == valuation {
            return Ok(self.spot);
        }
        let first = self.nodes.partition_point(|&(t, _)| t <= valuation);
        in_range(self.interpolate((valuation, self.spot), &self.nodes[first..], expiry))
    }

    /// The settlement price of a delivery at `expiry` ≤ `valuation` under a frozen curve: the
    /// node's forward when `expiry` is a node; otherwise ln F interpolated through the past nodes
    /// and (v, S). Expired options and futures settle at it.
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if `expiry` is after `valuation` (use
    /// [`ForwardCurve::forward`]).
    ///
    /// ```
    /// use derisk::market::{ForwardCurve, Instant};
    /// let e = Instant::from_date_hour(2026, 1, 9, 8)?;
    /// let c = ForwardCurve::new(100.0, &[(e, 101.0)])?;
    /// assert_eq!(c.settlement_price(e.plus_days(2.0)?, e)?, 101.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn settlement_price(
        &self,
        valuation: Instant,
        expiry: Instant,
    ) -> Result<f64, MarketError> {
        if expiry > valuation {
            return Err(MarketError::InvalidValue {
                name: "settlement expiry (seconds after valuation)",
                value: valuation.seconds_until(expiry),
                reason: "a settlement price exists only for instants at or before the valuation",
            });
        }
        let past = self.nodes.partition_point(|&(t, _)| t <= valuation);
        let nodes = &self.nodes[..past];
        if let Ok(i) = nodes.binary_search_by(|&(t, _)| t.cmp(&expiry)) {
            return Ok(nodes[i].1 * self.scale);
        }
        // Walk backwards from (v, S) through the past nodes: same interpolation, time reversed.
        let after = nodes.partition_point(|&(t, _)| t < expiry);
        let (t1, f1) = nodes
            .get(after)
            .map_or((valuation, self.spot), |&(t, f)| (t, f * self.scale));
        match after.checked_sub(1).map(|i| nodes[i]) {
            Some((t0, f0)) => in_range(log_linear(t0, f0 * self.scale, t1, f1, expiry)),
            // Before every past node: the nearest point's value (no carry is known there).
            None => in_range(f1),
        }
    }

    /// d ln F(v, E)/dv per year of `day_count`: how the forward for a fixed delivery date moves
    /// as the valuation instant passes with the spot fixed (the roll of the carry). Zero between
    /// two nodes after v; between (v, S) and the first node E₁ (or beyond it when it is the only
    /// one), ln F = ln S + (ln F₁ − ln S)(E − v)/(E₁ − v), whose derivative in v is
    /// (ln F₁ − ln S)(E − E₁)/(E₁ − v)².
    ///
    /// ```
    /// use derisk::market::{DayCount, ForwardCurve, Instant};
    /// let v = Instant::from_date_hour(2026, 1, 1, 0)?;
    /// let e1 = v.plus_days(100.0)?;
    /// let c = ForwardCurve::new(100.0, &[(e1, 110.0)])?;
    /// assert_eq!(c.log_forward_drift(DayCount::Act365Fixed, v, e1), 0.0); // a node stays put
    /// let mid = v.plus_days(50.0)?;
    /// let expected = (1.1_f64).ln() * (-50.0) / (100.0 * 100.0) * 365.0;
    /// assert!((c.log_forward_drift(DayCount::Act365Fixed, v, mid) - expected).abs() < 1e-15);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    #[must_use]
    pub fn log_forward_drift(
        &self,
        day_count: DayCount,
        valuation: Instant,
        expiry: Instant,
    ) -> f64 {
        if expiry <= valuation {
            return 0.0;
        }
        let first = self.nodes.partition_point(|&(t, _)| t <= valuation);
        let nodes = &self.nodes[first..];
        let Some(&(e1, f1)) = nodes.first() else {
            return 0.0;
        };
        // Only the segment from (v, S) moves with v: before E₁, or beyond it with one node.
        if expiry > e1 && nodes.len() >= 2 {
            return 0.0;
        }
        let span = valuation.seconds_until(e1);
        // Logs apart: the ratio itself can overflow for extreme (valid) prices.
        let log_carry = f1.ln() + self.scale.ln() - self.spot.ln();
        let per_second = log_carry * e1.seconds_until(expiry) / (span * span);
        per_second * day_count.seconds_per_year()
    }

    fn interpolate(&self, origin: (Instant, f64), nodes: &[(Instant, f64)], at: Instant) -> f64 {
        let scale = self.scale;
        let after = nodes.partition_point(|&(t, _)| t < at);
        let point = |i: usize| (nodes[i].0, nodes[i].1 * scale);
        let (lo, hi) = match (after, nodes.len()) {
            (_, 0) => return origin.1,
            (0, _) => (origin, point(0)),
            (i, n) if i < n => (if i == 0 { origin } else { point(i - 1) }, point(i)),
            (_, n) => (if n >= 2 { point(n - 2) } else { origin }, point(n - 1)),
        };
        log_linear(lo.0, lo.1, hi.0, hi.1, at)
    }
}

/// A forward that extrapolation or a spot move pushed out of the normal range is an error.
fn in_range(forward: f64) -> Result<f64, MarketError> {
    if forward.is_normal() && forward > 0.0 {
        Ok(forward)
    } else {
        Err(MarketError::InvalidValue {
            name: "forward",
            value: forward,
            reason: "the curve's carry over this horizon overflows or underflows",
        })
    }
}

/// ln F linear in time through (t0, f0) and (t1, f1), evaluated at `at` (inside or beyond).
fn log_linear(t0: Instant, f0: f64, t1: Instant, f1: f64, at: Instant) -> f64 {
    if at == t1 {
        return f1;
    }
    if at == t0 {
        return f0;
    }
    let w = t0.seconds_until(at) / t0.seconds_until(t1);
    f0 * ((f1 / f0).ln() * w).exp()
}

/// F = −a/b from the least-squares line of (strike, C − P), strikes centred for conditioning.
fn parity_forward(points: &[(f64, f64)]) -> Result<f64, MarketError> {
    for &(k, y) in points {
        positive("parity strike", k)?;
        finite("parity call minus put", y)?;
    }
    let n = points.len() as f64;
    let mean_k = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for &(k, y) in points {
        sxx += (k - mean_k) * (k - mean_k);
        sxy += (k - mean_k) * (y - mean_y);
    }
    if points.len() < 2 || sxx <= 0.0 {
        return Err(MarketError::InvalidCurve {
            name: "put-call parity forward",
            reason: "needs at least 2 distinct strikes per expiry",
        });
    }
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_k;
    if slope >= 0.0 || slope.is_nan() {
        return Err(MarketError::InvalidCurve {
            name: "put-call parity forward",
            reason: "call minus put must fall with the strike",
        });
    }
    positive("parity forward", -intercept / slope)
}

/// A discount curve of one currency: continuously compounded zero rates.
///
/// ```text
/// Flat:       D(v, E) = exp(−(r + s)·τ(v, E))
/// Piecewise:  ln P(t) linear in time through (t₀, 0), (tᵢ, −rᵢ·τ(t₀, tᵢ)), last slope continued;
///             D(v, E) = P(E)/P(v) · exp(−s·τ(v, E))
/// ```
///
/// with τ the market's day count and s a parallel shift ([`DiscountCurve::shifted`]). Log-linear
/// discount factors are piecewise-constant instantaneous forward rates (the "raw" interpolation
/// of P. Hagan and G. West, "Interpolation methods for curve construction", Appl. Math. Finance
/// 13, 2006): positive discount factors, no look-ahead, and a curve that rolls with time at
/// unchanged forward rates. Crypto venues price with r = 0 (Deribit); a USD or stablecoin curve
/// matters for USD-settled options and funding.
///
/// ```
/// use derisk::market::{DayCount, DiscountCurve, Instant};
/// let v = Instant::from_date_hour(2026, 1, 1, 0)?;
/// let flat = DiscountCurve::flat(0.04)?;
/// let d = flat.discount(DayCount::Act365Fixed, v, v.plus_days(365.0)?)?;
/// assert!((d - (-0.04_f64).exp()).abs() < 1e-16);
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "DiscountCurveData", into = "DiscountCurveData")
)]
pub struct DiscountCurve {
    shape: Shape,
    shift: f64,
}

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Flat(f64),
    /// Anchor instant and (instant, zero rate from the anchor) nodes.
    Piecewise(Instant, DayCount, Arc<[(Instant, f64)]>),
}

/// The serialised form of a [`DiscountCurve`]: validated through its constructors.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum DiscountCurveData {
    Flat {
        rate: f64,
        shift: f64,
    },
    Piecewise {
        anchor: Instant,
        day_count: DayCount,
        nodes: Vec<(Instant, f64)>,
        shift: f64,
    },
}

#[cfg(feature = "serde")]
impl TryFrom<DiscountCurveData> for DiscountCurve {
    type Error = MarketError;
    fn try_from(d: DiscountCurveData) -> Result<Self, MarketError> {
        match d {
            DiscountCurveData::Flat { rate, shift } => Self::flat(rate)?.shifted(shift),
            DiscountCurveData::Piecewise {
                anchor,
                day_count,
                nodes,
                shift,
            } => Self::piecewise(anchor, day_count, &nodes)?.shifted(shift),
        }
    }
}

#[cfg(feature = "serde")]
impl From<DiscountCurve> for DiscountCurveData {
    fn from(c: DiscountCurve) -> Self {
        match c.shape {
            Shape::Flat(rate) => Self::Flat {
                rate,
                shift: c.shift,
            },
            Shape::Piecewise(anchor, day_count, nodes) => Self::Piecewise {
                anchor,
                day_count,
                nodes: nodes.to_vec(),
                shift: c.shift,
            },
        }
    }
}

/// Rates beyond this magnitude overflow exp() over a year of discounting: rejected.
const MAX_RATE: f64 = 10.0;

fn check_rate(name: &'static str, rate: f64) -> Result<f64, MarketError> {
    if rate.is_finite() && rate.abs() <= MAX_RATE {
        Ok(rate)
    } else {
        Err(MarketError::InvalidValue {
            name,
            value: rate,
            reason: "must be finite and within ±10 (±1000 % a year)",
        })
    }
}

impl DiscountCurve {
    /// A flat continuously compounded zero rate `rate` (0.04 = 4 % a year).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] unless |rate| ≤ 10 and finite.
    ///
    /// ```
    /// assert!(derisk::market::DiscountCurve::flat(f64::NAN).is_err());
    /// ```
    pub fn flat(rate: f64) -> Result<Self, MarketError> {
        Ok(Self {
            shape: Shape::Flat(check_rate("zero rate", rate)?),
            shift: 0.0,
        })
    }

    /// A zero curve from `(instant, zero rate from anchor)` nodes after `anchor`, with rates
    /// measured in `day_count` (see the type's formula).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidCurve`] for no nodes or instants not strictly increasing after the
    /// anchor; [`MarketError::InvalidValue`] for a rate that is not finite or beyond ±10.
    ///
    /// ```
    /// use derisk::market::{DayCount, DiscountCurve, Instant};
    /// let v = Instant::from_date_hour(2026, 1, 1, 0)?;
    /// let c = DiscountCurve::piecewise(v, DayCount::Act365Fixed,
    ///     &[(v.plus_days(73.0)?, 0.03), (v.plus_days(365.0)?, 0.04)])?;
    /// let d = c.discount(DayCount::Act365Fixed, v, v.plus_days(365.0)?)?;
    /// assert!((d - (-0.04_f64).exp()).abs() < 1e-15);
    /// assert!(DiscountCurve::piecewise(v, DayCount::Act365Fixed, &[]).is_err());
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn piecewise(
        anchor: Instant,
        day_count: DayCount,
        nodes: &[(Instant, f64)],
    ) -> Result<Self, MarketError> {
        let increasing = nodes
            .iter()
            .map(|n| n.0)
            .try_fold(anchor, |prev, t| (t > prev).then_some(t));
        if nodes.is_empty() || increasing.is_none() {
            return Err(MarketError::InvalidCurve {
                name: "discount curve",
                reason: "needs nodes strictly increasing after the anchor",
            });
        }
        for &(_, r) in nodes {
            check_rate("zero rate", r)?;
        }
        Ok(Self {
            shape: Shape::Piecewise(anchor, day_count, nodes.into()),
            shift: 0.0,
        })
    }

    /// The same curve with every zero rate moved by `shift` (a parallel shift; +0.0001 = 1 bp).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] unless the total shift is finite and within ±10.
    ///
    /// ```
    /// use derisk::market::{DayCount, DiscountCurve, Instant};
    /// let v = Instant::from_date_hour(2026, 1, 1, 0)?;
    /// let c = DiscountCurve::flat(0.01)?.shifted(0.02)?;
    /// let d = c.discount(DayCount::Act365Fixed, v, v.plus_days(365.0)?)?;
    /// assert!((d - (-0.03_f64).exp()).abs() < 1e-16);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn shifted(&self, shift: f64) -> Result<Self, MarketError> {
        Ok(Self {
            shape: self.shape.clone(),
            shift: check_rate("rate shift", self.shift + shift)?,
        })
    }

    /// The discount factor D(v, E) from `valuation` back from `expiry` (1 when E ≤ v: cash
    /// already paid is not discounted).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if the factor overflows (rates × time too large).
    ///
    /// ```
    /// use derisk::market::{DayCount, DiscountCurve, Instant};
    /// let v = Instant::from_date_hour(2026, 1, 1, 0)?;
    /// assert_eq!(DiscountCurve::flat(0.05)?.discount(DayCount::Act365Fixed, v, v)?, 1.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn discount(
        &self,
        day_count: DayCount,
        valuation: Instant,
        expiry: Instant,
    ) -> Result<f64, MarketError> {
        if expiry <= valuation {
            return Ok(1.0);
        }
        let tau = day_count.year_fraction(valuation, expiry);
        let ln_d = match &self.shape {
            Shape::Flat(r) => -(r + self.shift) * tau,
            Shape::Piecewise(anchor, dc, nodes) => {
                ln_p(*anchor, *dc, nodes, expiry)
                    - ln_p(*anchor, *dc, nodes, valuation)
                    - self.shift * tau
            }
        };
        let d = ln_d.exp();
        if d.is_finite() && d > 0.0 {
            Ok(d)
        } else {
            Err(MarketError::InvalidValue {
                name: "log discount factor",
                value: ln_d,
                reason: "the discount factor overflows or underflows",
            })
        }
    }
}

impl DiscountCurve {
    /// d ln D(v, E)/dv per year: how the discount factor to a fixed date grows as the valuation
    /// instant passes: the instantaneous forward rate at v plus the shift (r + s when flat).
    /// Zero when E ≤ v.
    ///
    /// ```
    /// use derisk::market::{DayCount, DiscountCurve, Instant};
    /// let v = Instant::from_date_hour(2026, 1, 1, 0)?;
    /// let c = DiscountCurve::flat(0.04)?;
    /// assert_eq!(c.log_discount_drift(DayCount::Act365Fixed, v, v.plus_days(10.0)?), 0.04);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    #[must_use]
    pub fn log_discount_drift(
        &self,
        day_count: DayCount,
        valuation: Instant,
        expiry: Instant,
    ) -> f64 {
        if expiry <= valuation {
            return 0.0;
        }
        match &self.shape {
            Shape::Flat(r) => r + self.shift,
            Shape::Piecewise(anchor, dc, nodes) => {
                // −d ln P/dt at v, per year of the market's day count.
                let h = 1.0; // one second: ln P is linear inside a segment, exact unless v is a node
                let next = valuation.plus_seconds(h).unwrap_or(valuation);
                let slope = (ln_p(*anchor, *dc, nodes, next)
                    - ln_p(*anchor, *dc, nodes, valuation))
                    / valuation.seconds_until(next).max(f64::MIN_POSITIVE);
                -slope * day_count.seconds_per_year() + self.shift
            }
        }
    }
}

/// ln P(t) of a piecewise curve: log-linear through (anchor, 0) and the nodes, end slopes continued.
fn ln_p(anchor: Instant, dc: DayCount, nodes: &[(Instant, f64)], t: Instant) -> f64 {
    let point = |i: usize| -> (Instant, f64) {
        if i == 0 {
            (anchor, 0.0)
        } else {
            let (ti, r) = nodes[i - 1];
            (ti, -r * dc.year_fraction(anchor, ti))
        }
    };
    let n = nodes.len() + 1; // points including the anchor
    let after = 1 + nodes.partition_point(|&(ti, _)| ti < t);
    let (i0, i1) = if t <= anchor {
        (0, 1)
    } else if after < n {
        (after - 1, after)
    } else {
        (n - 2, n - 1)
    };
    let (t0, y0) = point(i0);
    let (t1, y1) = point(i1);
    y0 + (y1 - y0) * t0.seconds_until(t) / t0.seconds_until(t1)
}
