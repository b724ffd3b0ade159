//! The price and its fourteen sensitivities, as raw mathematical derivatives.

use std::ops::Mul;

/// Price and Greeks of one option, as raw derivatives.
///
/// `S` is the underlying the model is written on: the spot for Black–Scholes, the forward for
/// Black-76 and coin-settled options. `t` is calendar time, so theta, charm, veta and color are
/// derivatives as time passes (−∂/∂T), per year. Vega-like Greeks are per 1.00 of volatility
/// (not per vol point); rates are per 1.00 (not per basis point). Desk units are methods.
///
/// ```text
/// delta  ∂V/∂S      gamma ∂²V/∂S²     vega  ∂V/∂σ       theta −∂V/∂T
/// rho    ∂V/∂r      dividend_rho ∂V/∂q
/// vanna  ∂²V/∂S∂σ   volga ∂²V/∂σ²     charm −∂²V/∂S∂T   veta  −∂²V/∂σ∂T
/// speed  ∂³V/∂S³    zomma ∂³V/∂S²∂σ   color −∂³V/∂S²∂T  ultima ∂³V/∂σ³
/// ```
///
/// Greeks scale (`* quantity`) but do not add: two options' deltas are taken against their own
/// forwards (Black-76) or in their own currencies (coin-settled), so a sum would mix units. A
/// book's Greeks come from `derisk::portfolio::Book::risk`, every one against the
/// spot, in the quote currency, grouped by underlying.
///
/// ```
/// use derisk::pricing::Greeks;
/// let one = Greeks { price: 2.0, delta: 0.5, ..Greeks::default() };
/// let short_four = one * -4.0;
/// assert_eq!(short_four.delta, -2.0);
/// assert_eq!(short_four.price, -8.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Greeks {
    /// Value V, in the model's currency (USD, or coin for coin-settled options).
    pub price: f64,
    /// ∂V/∂S.
    pub delta: f64,
    /// ∂²V/∂S².
    pub gamma: f64,
    /// ∂V/∂σ, per 1.00 of volatility.
    pub vega: f64,
    /// −∂V/∂T: value change per year as calendar time passes (usually negative for a long option).
    pub theta: f64,
    /// ∂V/∂r, per 1.00 of rate.
    pub rho: f64,
    /// ∂V/∂q, per 1.00 of dividend yield (zero for models on a forward).
    pub dividend_rho: f64,
    /// ∂²V/∂S∂σ.
    pub vanna: f64,
    /// ∂²V/∂σ² (also called vomma).
    pub volga: f64,
    /// −∂²V/∂S∂T: delta change per year as time passes (delta decay).
    pub charm: f64,
    /// −∂²V/∂σ∂T: vega change per year as time passes.
    pub veta: f64,
    /// ∂³V/∂S³.
    pub speed: f64,
    /// ∂³V/∂S²∂σ.
    pub zomma: f64,
    /// −∂³V/∂S²∂T: gamma change per year as time passes.
    pub color: f64,
    /// ∂³V/∂σ³.
    pub ultima: f64,
}

impl Greeks {
    /// Applies `f` to every field (price included).
    #[inline]
    fn map(self, f: impl Fn(f64) -> f64) -> Self {
        self.zip(self, |a, _| f(a))
    }

    /// Combines two sets field by field.
    #[inline]
    fn zip(self, o: Self, f: impl Fn(f64, f64) -> f64) -> Self {
        Self {
            price: f(self.price, o.price),
            delta: f(self.delta, o.delta),
            gamma: f(self.gamma, o.gamma),
            vega: f(self.vega, o.vega),
            theta: f(self.theta, o.theta),
            rho: f(self.rho, o.rho),
            dividend_rho: f(self.dividend_rho, o.dividend_rho),
            vanna: f(self.vanna, o.vanna),
            volga: f(self.volga, o.volga),
            charm: f(self.charm, o.charm),
            veta: f(self.veta, o.veta),
            speed: f(self.speed, o.speed),
            zomma: f(self.zomma, o.zomma),
            color: f(self.color, o.color),
            ultima: f(self.ultima, o.ultima),
        }
    }

    /// The fields as `(name, value)` pairs, price first, in declaration order.
    ///
    /// ```
    /// let g = derisk::pricing::Greeks::default();
    /// assert_eq!(g.to_array()[1].0, "delta");
    /// ```
    #[must_use]
    pub fn to_array(&self) -> [(&'static str, f64); 15] {
        [
            ("price", self.price),
            ("delta", self.delta),
            ("gamma", self.gamma),
            ("vega", self.vega),
            ("theta", self.theta),
            ("rho", self.rho),
            ("dividend_rho", self.dividend_rho),
            ("vanna", self.vanna),
            ("volga", self.volga),
            ("charm", self.charm),
            ("veta", self.veta),
            ("speed", self.speed),
            ("zomma", self.zomma),
            ("color", self.color),
            ("ultima", self.ultima),
        ]
    }

    /// Vega per volatility point: ∂V/∂σ × 0.01 (value change for σ + 1 %).
    ///
    /// ```
    /// let g = derisk::pricing::Greeks { vega: 25.0, ..Default::default() };
    /// assert_eq!(g.vega_per_point(), 0.25);
    /// ```
    #[inline]
    #[must_use]
    pub fn vega_per_point(&self) -> f64 {
        self.vega * 0.01
    }

    /// Theta per calendar day on ACT/365: θ / 365.
    ///
    /// ```
    /// let g = derisk::pricing::Greeks { theta: -36.5, ..Default::default() };
    /// assert_eq!(g.theta_per_day(), -0.1);
    /// ```
    #[inline]
    #[must_use]
    pub fn theta_per_day(&self) -> f64 {
        self.theta / 365.0
    }

    /// Rho per basis point: ∂V/∂r × 1e-4.
    ///
    /// ```
    /// let g = derisk::pricing::Greeks { rho: 50.0, ..Default::default() };
    /// assert!((g.rho_per_bp() - 0.005).abs() < 1e-18);
    /// ```
    #[inline]
    #[must_use]
    pub fn rho_per_bp(&self) -> f64 {
        self.rho * 1e-4
    }

    /// Cash (dollar) delta S·Δ: the position's exposure in currency to the underlying.
    ///
    /// ```
    /// let g = derisk::pricing::Greeks { delta: 0.5, ..Default::default() };
    /// assert_eq!(g.cash_delta(90_000.0), 45_000.0);
    /// ```
    #[inline]
    #[must_use]
    pub fn cash_delta(&self, underlying: f64) -> f64 {
        self.delta * underlying
    }

    /// Gamma per 1 % move: the change in delta when S rises 1 %, Γ·S/100.
    ///
    /// ```
    /// let g = derisk::pricing::Greeks { gamma: 0.02, ..Default::default() };
    /// assert!((g.gamma_per_percent(100.0) - 0.02).abs() < 1e-17);
    /// ```
    #[inline]
    #[must_use]
    pub fn gamma_per_percent(&self, underlying: f64) -> f64 {
        self.gamma * underlying * 0.01
    }

    /// Cash gamma for a 1 % move: the second-order P&L ½·Γ·(S/100)², in currency.
    ///
    /// ```
    /// let g = derisk::pricing::Greeks { gamma: 0.02, ..Default::default() };
    /// assert!((g.cash_gamma_per_percent(100.0) - 0.01).abs() < 1e-17);
    /// ```
    #[inline]
    #[must_use]
    pub fn cash_gamma_per_percent(&self, underlying: f64) -> f64 {
        let move_ = underlying * 0.01;
        0.5 * self.gamma * move_ * move_
    }

    /// Charm per calendar day on ACT/365: the change in delta over one day, charm / 365.
    ///
    /// ```
    /// let g = derisk::pricing::Greeks { charm: -0.365, ..Default::default() };
    /// assert!((g.charm_per_day() + 0.001).abs() < 1e-18);
    /// ```
    #[inline]
    #[must_use]
    pub fn charm_per_day(&self) -> f64 {
        self.charm / 365.0
    }

    /// True if every field is finite.
    ///
    /// ```
    /// assert!(derisk::pricing::Greeks::default().is_finite());
    /// ```
    #[must_use]
    pub fn is_finite(&self) -> bool {
        self.to_array().iter().all(|(_, v)| v.is_finite())
    }
}

impl Mul<f64> for Greeks {
    type Output = Greeks;
    /// Scales every field, e.g. by a signed position quantity.
    #[inline]
    fn mul(self, quantity: f64) -> Greeks {
        self.map(|a| a * quantity)
    }
}

impl Mul<Greeks> for f64 {
    type Output = Greeks;
    #[inline]
    fn mul(self, greeks: Greeks) -> Greeks {
        greeks * self
    }
}
