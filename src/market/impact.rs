//! Market impact models: the square-root law of a metaorder's impact and Almgren & Chriss's
//! optimal staged liquidation with linear temporary and permanent impact. Closed forms, no
//! iteration. The maths is in docs/liquidity.md.

use super::error::{finite, positive, MarketError};

/// The square-root impact law: the price moves against a metaorder of size Q by
///
/// ```text
/// ΔP/P = Y · σ · √(Q/V)        (decimal fraction of the price)
/// cost = ΔP/P · P · Q          (quote currency; the peak-impact, conservative convention)
/// ```
///
/// with σ the daily volatility (decimal per √day), V the daily traded volume and Q the order
/// size in the same base units, and Y a dimensionless constant of order 1 (calibrated per
/// market; 0.5–1 in the studies below).
///
/// References: B. Tóth, Y. Lempérière, C. Deremble, J. de Lataillade, J. Kockelkoren and
/// J.-P. Bouchaud, "Anomalous price impact and the critical nature of liquidity in financial
/// markets", Physical Review X 1, 021006 (2011), eq. (1); R. Almgren, C. Thum, E. Hauptmann and
/// H. Li, "Direct estimation of equity market impact", Risk (July 2005).
///
/// ```
/// use derisk::market::SquareRootImpact;
/// let law = SquareRootImpact::new(1.0, 0.02, 1_000_000.0)?;
/// // 1 % of daily volume at 2 % daily vol: 0.02 · √0.01 = 20 bps
/// assert!((law.impact_fraction(10_000.0)? - 0.002).abs() < 1e-17);
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SquareRootImpact {
    y: f64,
    daily_vol: f64,
    daily_volume: f64,
}

impl SquareRootImpact {
    /// A square-root law with constant `y`, daily volatility `daily_vol` (decimal per √day) and
    /// daily volume `daily_volume` (base units).
    ///
    /// Reference: see [`SquareRootImpact`].
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if any input is not finite and positive.
    ///
    /// ```
    /// use derisk::market::{MarketError, SquareRootImpact};
    /// assert!(matches!(SquareRootImpact::new(1.0, -0.02, 1e6), Err(MarketError::InvalidValue { name: "daily_vol", .. })));
    /// ```
    pub fn new(y: f64, daily_vol: f64, daily_volume: f64) -> Result<Self, MarketError> {
        Ok(SquareRootImpact {
            y: positive("y", y)?,
            daily_vol: positive("daily_vol", daily_vol)?,
            daily_volume: positive("daily_volume", daily_volume)?,
        })
    }

    /// The relative price impact `Y·σ·√(Q/V)` of an order of `quantity` base units (decimal).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if `quantity` is negative or not finite (0 gives 0), or
    /// the fraction overflows.
    ///
    /// ```
    /// use derisk::market::SquareRootImpact;
    /// let law = SquareRootImpact::new(0.5, 0.04, 400.0)?;
    /// assert_eq!(law.impact_fraction(100.0)?, 0.5 * 0.04 * 0.5);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn impact_fraction(&self, quantity: f64) -> Result<f64, MarketError> {
        let q = non_negative("quantity", quantity)?;
        finite(
            "impact fraction",
            self.y * self.daily_vol * (q / self.daily_volume).sqrt(),
        )
    }

    /// The cost in quote currency of trading `quantity` at reference `price`:
    /// `Y·σ·√(Q/V) · P · Q`.
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] for a negative or non-finite quantity, a non-positive or
    /// non-finite price, or a cost that overflows.
    ///
    /// ```
    /// use derisk::market::SquareRootImpact;
    /// let law = SquareRootImpact::new(1.0, 0.02, 1_000_000.0)?;
    /// assert!((law.cost(10_000.0, 50.0)? - 0.002 * 50.0 * 10_000.0).abs() < 1e-9);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn cost(&self, quantity: f64, price: f64) -> Result<f64, MarketError> {
        let price = positive("price", price)?;
        finite(
            "impact cost",
            self.impact_fraction(quantity)? * price * quantity,
        )
    }
}

/// Expected cost, variance and utility of one Almgren–Chriss trajectory (quote currency and its
/// square).
///
/// ```text
/// expected = E[x] ,  variance = V[x] ,  utility = E[x] + λ·V[x] ,  kappa = κ (per unit time)
/// ```
///
/// ```
/// use derisk::market::AlmgrenChriss;
/// let ac = AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
/// let c = ac.cost(0.0)?;
/// assert_eq!(c.utility, c.expected);
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExecutionCost {
    /// The risk aversion λ (per quote currency).
    pub lambda: f64,
    /// The trajectory's decay rate κ (per unit of time; 0 for the linear trajectory).
    pub kappa: f64,
    /// Expected implementation shortfall E (quote currency, cost positive).
    pub expected: f64,
    /// Its variance V (quote currency squared).
    pub variance: f64,
    /// E + λV.
    pub utility: f64,
}

/// Almgren & Chriss (2000) optimal liquidation of X units over [0, T] in N equal periods
/// τ = T/N, with arithmetic random-walk prices (σ per √time, no drift), linear permanent
/// impact g(v) = γv and linear temporary impact h(v) = ε·sgn(v) + ηv:
///
/// ```text
/// η̃ = η − γτ/2 (> 0)                      cosh(κτ) = 1 + λσ²τ²/(2η̃)
/// x_j = X · sinh(κ(T − t_j)) / sinh(κT)    holdings after period j, t_j = jτ (x_j = X(1 − j/N) at λ = 0)
/// n_j = x_{j−1} − x_j                      units sold in period j
/// E = ½γX² + ε Σ|n_j| + (η̃/τ) Σ n_j²       expected shortfall vs the pre-trade price S₀·X
/// V = σ² τ Σ_{j=1}^{N} x_j²                its variance
/// ```
///
/// The trajectory minimises E + λV for risk aversion λ ≥ 0; varying λ traces the efficient
/// frontier. Units: X in base units (shares, coins), T in any time unit with σ per √(that
/// unit), ε in quote per unit, η in quote per unit per (unit/time), γ in quote per unit².
///
/// Reference: R. Almgren and N. Chriss, "Optimal execution of portfolio transactions",
/// Journal of Risk 3(2) (2000), §1.5 and §2.2 (the closed forms of E and V); Table 1 gives the sample
/// stock used in the doctest and the tests.
///
/// ```
/// use derisk::market::AlmgrenChriss;
/// // The paper's sample stock: 1e6 shares over 5 days in 5 steps.
/// let ac = AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
/// let linear = ac.cost(0.0)?;
/// assert!((linear.expected - 662_500.0).abs() < 1e-6);          // ½γX² + εX + η̃X²/T
/// assert!((linear.variance - 1.083e12).abs() < 1e-3);           // σ²τ Σ x_j²
/// assert!((ac.cost(1e-6)?.kappa - 0.607_076_163_247_062_7).abs() < 1e-15);
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AlmgrenChriss {
    x: f64,
    t: f64,
    n: usize,
    sigma: f64,
    epsilon: f64,
    eta: f64,
    gamma: f64,
}

impl AlmgrenChriss {
    /// The liquidation problem of `holdings` X over `horizon` T in `periods` N steps, with price
    /// volatility `sigma`, fixed cost `epsilon`, temporary impact `eta` and permanent impact
    /// `gamma` (units on [`AlmgrenChriss`]).
    ///
    /// Reference: see [`AlmgrenChriss`].
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if X, T, σ or η is not finite and positive, N = 0, ε or γ
    /// is negative or not finite, or η̃ = η − γτ/2 ≤ 0 (the paper's condition for a convex
    /// problem).
    ///
    /// ```
    /// use derisk::market::{AlmgrenChriss, MarketError};
    /// let err = AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 1e-7, 2.5e-7).unwrap_err();
    /// assert!(matches!(err, MarketError::InvalidValue { name: "eta - gamma*tau/2", .. }));
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        holdings: f64,
        horizon: f64,
        periods: usize,
        sigma: f64,
        epsilon: f64,
        eta: f64,
        gamma: f64,
    ) -> Result<Self, MarketError> {
        let ac = AlmgrenChriss {
            x: positive("holdings", holdings)?,
            t: positive("horizon", horizon)?,
            n: periods,
            sigma: positive("sigma", sigma)?,
            epsilon: non_negative("epsilon", epsilon)?,
            eta: positive("eta", eta)?,
            gamma: non_negative("gamma", gamma)?,
        };
        if periods == 0 {
            return Err(MarketError::InvalidValue {
                name: "periods",
                value: 0.0,
                reason: "at least one trading period is needed",
            });
        }
        let eta_tilde = ac.eta_tilde();
        if eta_tilde <= 0.0 {
            return Err(MarketError::InvalidValue {
                name: "eta - gamma*tau/2",
                value: eta_tilde,
                reason: "temporary impact must exceed half the permanent impact per period",
            });
        }
        Ok(ac)
    }

    /// The period length τ = T/N.
    ///
    /// ```
    /// let ac = derisk::market::AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
    /// assert_eq!(ac.tau(), 1.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn tau(&self) -> f64 {
        self.t / self.n as f64
    }

    /// The number of periods N.
    ///
    /// ```
    /// let ac = derisk::market::AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
    /// assert_eq!(ac.periods(), 5);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn periods(&self) -> usize {
        self.n
    }

    /// The adjusted temporary impact η̃ = η − γτ/2.
    ///
    /// ```
    /// let ac = derisk::market::AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
    /// assert!((ac.eta_tilde() - 2.375e-6).abs() < 1e-21);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn eta_tilde(&self) -> f64 {
        self.eta - 0.5 * self.gamma * self.tau()
    }

    /// The decay rate κ of the optimal trajectory for risk aversion λ:
    ///
    /// ```text
    /// κ = arccosh(1 + u)/τ = ln(1 + u + √(u(2 + u)))/τ,   u = λσ²τ²/(2η̃)
    /// ```
    ///
    /// (the second form keeps full precision for small λ).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if λ is negative or not finite, or κ overflows.
    ///
    /// ```
    /// let ac = derisk::market::AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
    /// assert_eq!(ac.kappa(0.0)?, 0.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn kappa(&self, lambda: f64) -> Result<f64, MarketError> {
        let lambda = non_negative("lambda", lambda)?;
        let tau = self.tau();
        let u = lambda * self.sigma * self.sigma * tau * tau / (2.0 * self.eta_tilde());
        finite("kappa", (u + (u * (2.0 + u)).sqrt()).ln_1p() / tau)
    }

    /// Writes the optimal holdings x₀ = X, x₁, …, x_N = 0 for risk aversion λ into `out`
    /// (length N + 1). Allocates nothing.
    ///
    /// ```text
    /// x_j = X · e^{−κ t_j} · (1 − e^{−2κ(T − t_j)}) / (1 − e^{−2κT})    (= sinh(κ(T − t_j))/sinh(κT) · X, overflow-free)
    /// ```
    ///
    /// # Errors
    ///
    /// As [`AlmgrenChriss::kappa`]; [`MarketError::BufferLength`] if `out.len() != N + 1`.
    ///
    /// ```
    /// let ac = derisk::market::AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
    /// let mut x = [0.0; 6];
    /// ac.holdings(0.0, &mut x)?;
    /// assert_eq!(x, [1e6, 8e5, 6e5, 4e5, 2e5, 0.0]);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn holdings(&self, lambda: f64, out: &mut [f64]) -> Result<(), MarketError> {
        self.check_len("holdings", out.len(), self.n + 1)?;
        let path = Path::new(self, self.kappa(lambda)?);
        for (j, x) in out.iter_mut().enumerate() {
            *x = path.holding(j, path.decay(j));
        }
        Ok(())
    }

    /// Writes the optimal trade list n₁, …, n_N (units sold in each period) for risk aversion λ
    /// into `out` (length N). Allocates nothing.
    ///
    /// ```text
    /// n_j = 2 sinh(κτ/2) cosh(κ(T − t_{j−½})) / sinh(κT) · X
    ///     = X · e^{−κ t_{j−1}} (1 − e^{−κτ}) (1 + e^{−2κ(T − t_{j−½})}) / (1 − e^{−2κT})
    /// ```
    ///
    /// (computed directly rather than as a difference of holdings, so small late trades keep
    /// their relative precision).
    ///
    /// # Errors
    ///
    /// As [`AlmgrenChriss::kappa`]; [`MarketError::BufferLength`] if `out.len() != N`.
    ///
    /// ```
    /// let ac = derisk::market::AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
    /// let mut n = [0.0; 5];
    /// ac.trades(1e-6, &mut n)?;
    /// assert!((n.iter().sum::<f64>() - 1e6).abs() < 1e-9);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn trades(&self, lambda: f64, out: &mut [f64]) -> Result<(), MarketError> {
        self.check_len("trades", out.len(), self.n)?;
        let path = Path::new(self, self.kappa(lambda)?);
        for (j, n) in out.iter_mut().enumerate() {
            *n = path.trade(j + 1, path.decay(j));
        }
        Ok(())
    }

    /// Expected cost E, variance V and utility E + λV of the optimal trajectory for risk
    /// aversion λ (formulas on [`AlmgrenChriss`]). Allocates nothing.
    ///
    /// # Errors
    ///
    /// As [`AlmgrenChriss::kappa`]; [`MarketError::InvalidValue`] if E or V overflows.
    ///
    /// ```
    /// let ac = derisk::market::AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
    /// let (slow, fast) = (ac.cost(1e-7)?, ac.cost(1e-5)?);
    /// assert!(fast.expected > slow.expected && fast.variance < slow.variance);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn cost(&self, lambda: f64) -> Result<ExecutionCost, MarketError> {
        let kappa = self.kappa(lambda)?;
        let tau = self.tau();
        let (mut abs_sum, mut sq_sum, mut x_sq_sum) = (0.0, 0.0, 0.0);
        let path = Path::new(self, kappa);
        let mut decay_prev = 1.0;
        for j in 1..=self.n {
            // Each e^{−κ t_j} is its own exp (no running product): no drift over many periods.
            let decay_j = path.decay(j);
            let n = path.trade(j, decay_prev);
            let x = path.holding(j, decay_j);
            decay_prev = decay_j;
            abs_sum += n.abs();
            sq_sum += n * n;
            x_sq_sum += x * x;
        }
        let expected = finite(
            "expected cost",
            0.5 * self.gamma * self.x * self.x
                + self.epsilon * abs_sum
                + self.eta_tilde() / tau * sq_sum,
        )?;
        let variance = finite("cost variance", self.sigma * self.sigma * tau * x_sq_sum)?;
        Ok(ExecutionCost {
            lambda,
            kappa,
            expected,
            variance,
            utility: expected + lambda * variance,
        })
    }

    /// The efficient frontier: [`AlmgrenChriss::cost`] at each λ of `lambdas`, written into
    /// `out` (same length). Allocates nothing.
    ///
    /// # Errors
    ///
    /// As [`AlmgrenChriss::cost`]; [`MarketError::BufferLength`] if the lengths differ.
    ///
    /// ```
    /// use derisk::market::{AlmgrenChriss, ExecutionCost};
    /// let ac = AlmgrenChriss::new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7)?;
    /// let mut out = [ExecutionCost::default(); 3];
    /// ac.frontier(&[0.0, 1e-6, 1e-5], &mut out)?;
    /// assert!(out[0].variance > out[1].variance && out[1].variance > out[2].variance);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn frontier(&self, lambdas: &[f64], out: &mut [ExecutionCost]) -> Result<(), MarketError> {
        self.check_len("frontier", out.len(), lambdas.len())?;
        for (lambda, cost) in lambdas.iter().zip(out.iter_mut()) {
            *cost = self.cost(*lambda)?;
        }
        Ok(())
    }

    fn check_len(
        &self,
        name: &'static str,
        len: usize,
        expected: usize,
    ) -> Result<(), MarketError> {
        if len == expected {
            Ok(())
        } else {
            Err(MarketError::BufferLength {
                name,
                len,
                expected,
            })
        }
    }
}

/// One optimal trajectory, with the constants every period shares computed once.
struct Path {
    x: f64,
    n: usize,
    t: f64,
    tau: f64,
    kappa: f64,
    /// X / (1 − e^{−2κT}).
    scale: f64,
    /// 1 − e^{−κτ}.
    step: f64,
}

impl Path {
    fn new(ac: &AlmgrenChriss, kappa: f64) -> Path {
        let scale = if kappa == 0.0 {
            0.0
        } else {
            ac.x / -(-2.0 * kappa * ac.t).exp_m1()
        };
        Path {
            x: ac.x,
            n: ac.n,
            t: ac.t,
            tau: ac.tau(),
            kappa,
            scale,
            step: -(-kappa * ac.tau()).exp_m1(),
        }
    }

    /// e^{−κ t_j}.
    fn decay(&self, j: usize) -> f64 {
        (-self.kappa * j as f64 * self.tau).exp()
    }

    /// x_j, given e^{−κ t_j}.
    fn holding(&self, j: usize, decay_j: f64) -> f64 {
        if j >= self.n {
            0.0
        } else if self.kappa == 0.0 {
            self.x * (self.n - j) as f64 / self.n as f64
        } else {
            let rest = self.t - j as f64 * self.tau;
            self.scale * decay_j * -(-2.0 * self.kappa * rest).exp_m1()
        }
    }

    /// n_j (j ≥ 1), given e^{−κ t_{j−1}}.
    fn trade(&self, j: usize, decay_prev: f64) -> f64 {
        if self.kappa == 0.0 {
            return self.x / self.n as f64;
        }
        let rest = self.t - (j as f64 - 0.5) * self.tau;
        self.scale * decay_prev * self.step * (1.0 + (-2.0 * self.kappa * rest).exp())
    }
}

/// `Ok(x)` if `x` is finite and ≥ 0, else [`MarketError::InvalidValue`] naming it.
fn non_negative(name: &'static str, value: f64) -> Result<f64, MarketError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(MarketError::InvalidValue {
            name,
            value,
            reason: "must be finite and not negative",
        })
    }
}
