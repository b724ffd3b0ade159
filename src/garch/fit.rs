//! Maximum-likelihood estimation with `arch`-compatible backcast, bounds and constraints, exact
//! gradients (hand-derived, analytic for every specification; forward-mode dual numbers as the test reference), a bounded BFGS with an active set, several starts,
//! and inference: standard errors from the Hessian and the robust Bollerslev–Wooldridge sandwich.
//!
//! ```text
//! ℓ(θ) = Σₜ ln f(εₜ/σₜ; shape) − ½ ln σ²ₜ          (the density's ln f includes −½ ln σ²)
//! classic  Cov = (−∇²ℓ)⁻¹
//! robust   Cov = n·H⁻¹·S·H⁻¹,  H = −∇²ℓ,  S = sample covariance (n − 1) of the scores ∂ℓₜ/∂θ
//! AIC = −2ℓ + 2k,   BIC = −2ℓ + k·ln n
//! ```
//!
//! References: T. Bollerslev and J. M. Wooldridge, "Quasi-maximum likelihood estimation and
//! inference in dynamic models with time-varying covariances", Econometric Reviews 11 (1992);
//! K. Sheppard, `arch` 8.0 documentation (`ARCHModel.fit`, `compute_param_cov`).

use nalgebra::DMatrix;

use super::analytic_lanes::{covered, evaluate_many};
use super::error::FitError;
use super::innovation::{outside, AnyInnovation, InnovationFamily};
use super::kernel::{Layout, MAX_PARAMS};
use super::mean::MeanModel;
use super::result::GarchFit;
use super::variance::{backcast, filter_from, Volatility, GARCH11};
use crate::math::minimize_bounded_many;
use crate::math::simd::{dispatch_scalar, LaneJob};
use crate::math::{MinimizeOptions, Termination};

/// A GARCH-family model to fit: mean, variance recursion and innovation density.
///
/// Returns are whatever the caller passes; like `arch`, fits are best conditioned on percent
/// returns (100·ln(Pₜ/Pₜ₋₁)), and the variances are then in percent².
///
/// ```
/// use derisk::garch::{Garch, GarchModel, InnovationFamily, MeanModel, Volatility};
/// let m = GarchModel::new(MeanModel::Constant, Volatility::Garch(Garch::new(1, 0, 1)?),
///     InnovationFamily::StudentT)?;
/// assert_eq!(m.param_names(), vec!["mu", "omega", "alpha[1]", "beta[1]", "nu"]);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "super::serde_impl::GarchModelRaw",
        into = "super::serde_impl::GarchModelRaw"
    )
)]
pub struct GarchModel {
    layout: Layout,
}

/// Settings of [`GarchModel::fit_with`].
///
/// ```
/// use derisk::garch::{FitOptions, GarchModel};
/// let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
/// let o = FitOptions { starts: Some(3), ..FitOptions::default() };
/// assert_eq!(GarchModel::garch11_t().fit_with(&y, &o)?.convergence().unwrap().starts, 3);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FitOptions {
    /// A starting point (all parameters, `arch`'s order); `None` searches a grid of starts.
    pub start: Option<Vec<f64>>,
    /// How many of the best grid points to optimise from; `None`: one fixed start without a
    /// grid for EGARCH with Normal innovations (α = 0.1, γ = 0, β = 0.9), the best grid point
    /// for every other specification (issue 17: one start reaches the four-start optimum on
    /// every specification of the GARCH tests; docs/garch.md "Starting values").
    pub starts: Option<usize>,
    /// Iteration limit of each optimisation.
    pub max_iterations: usize,
}

impl Default for FitOptions {
    /// Grid search, automatic number of starts, 500 iterations each.
    fn default() -> Self {
        Self {
            start: None,
            starts: None,
            max_iterations: 500,
        }
    }
}

/// How the optimiser ended, reported beside every fit.
///
/// ```
/// use derisk::{garch::GarchModel, math::Termination};
/// let m = GarchModel::garch11_t();
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
/// let sim = m.simulate_with(&[0.0, 0.2, 0.1, 0.8, 6.0], 1000, 100, &mut rng)?;
/// let c = m.fit(&sim.returns)?.convergence().unwrap();
/// assert_eq!(c.termination, Termination::Converged);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Convergence {
    /// How the best run ended.
    pub termination: Termination,
    /// Its iterations.
    pub iterations: usize,
    /// Likelihood evaluations over all runs (a scores pass for the optimiser's first Hessian,
    /// t and skew-t, counts as one).
    pub evaluations: usize,
    /// Its final Newton decrement (of −ℓ/n).
    pub decrement: f64,
    /// Starting points optimised.
    pub starts: usize,
}

/// Data checked and prepared for a fit.
struct Prepared {
    backcast: f64,
    lower: Vec<f64>,
    upper: Vec<f64>,
    linear: Vec<(Vec<f64>, f64)>,
    ols: Vec<f64>,
    variance: f64,
}

impl GarchModel {
    /// A model from its three parts.
    ///
    /// # Errors
    ///
    /// [`FitError::TooManyParameters`] above 16 parameters.
    ///
    /// ```
    /// use derisk::garch::{Egarch, GarchModel, InnovationFamily, MeanModel, Volatility};
    /// let m = GarchModel::new(MeanModel::Zero, Volatility::Egarch(Egarch::new(1, 1, 1)?),
    ///     InnovationFamily::Normal)?;
    /// assert_eq!(m.num_params(), 4);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn new(mean: MeanModel, vol: Volatility, dist: InnovationFamily) -> Result<Self, FitError> {
        let layout = Layout { mean, vol, dist };
        if layout.k() > MAX_PARAMS {
            return Err(FitError::TooManyParameters {
                count: layout.k(),
                max: MAX_PARAMS,
            });
        }
        Ok(Self { layout })
    }

    /// Constant mean, GARCH(1, 1), Student-t: the usual model for crypto returns.
    ///
    /// ```
    /// assert_eq!(derisk::garch::GarchModel::garch11_t().num_params(), 5);
    /// ```
    pub fn garch11_t() -> Self {
        Self {
            layout: Layout {
                mean: MeanModel::Constant,
                vol: Volatility::Garch(GARCH11),
                dist: InnovationFamily::StudentT,
            },
        }
    }

    /// Number of parameters k.
    ///
    /// ```
    /// assert_eq!(derisk::garch::GarchModel::garch11_t().num_params(), 5);
    /// ```
    pub fn num_params(&self) -> usize {
        self.layout.k()
    }

    /// The mean model.
    ///
    /// ```
    /// use derisk::garch::{GarchModel, MeanModel};
    /// assert_eq!(GarchModel::garch11_t().mean(), MeanModel::Constant);
    /// ```
    pub fn mean(&self) -> MeanModel {
        self.layout.mean
    }

    /// The variance recursion.
    ///
    /// ```
    /// assert_eq!(derisk::garch::GarchModel::garch11_t().volatility().orders(), (1, 0, 1));
    /// ```
    pub fn volatility(&self) -> Volatility {
        self.layout.vol
    }

    /// The innovation family.
    ///
    /// ```
    /// use derisk::garch::{GarchModel, InnovationFamily};
    /// assert_eq!(GarchModel::garch11_t().innovation(), InnovationFamily::StudentT);
    /// ```
    pub fn innovation(&self) -> InnovationFamily {
        self.layout.dist
    }

    /// Parameter names in `arch`'s order and spelling.
    ///
    /// ```
    /// assert_eq!(derisk::garch::GarchModel::garch11_t().param_names()[4], "nu");
    /// ```
    pub fn param_names(&self) -> Vec<String> {
        let l = &self.layout;
        let mut v: Vec<String> = l.mean.names().iter().map(|s| s.to_string()).collect();
        v.extend(l.vol.param_names());
        v.extend(l.dist.names().iter().map(|s| s.to_string()));
        v
    }

    pub(crate) fn layout(&self) -> &Layout {
        &self.layout
    }

    fn prepare(&self, y: &[f64]) -> Result<Prepared, FitError> {
        if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(FitError::NonFinite { index, value });
        }
        let k = self.num_params();
        let observations = y.len().saturating_sub(self.layout.mean.hold_back());
        let required = (3 * k).max(20);
        if observations < required {
            return Err(FitError::TooFewObservations {
                observations,
                required,
            });
        }
        if y.iter().all(|&v| v == y[0]) {
            return Err(FitError::ConstantSeries { value: y[0] });
        }
        let ols = self.layout.mean.ols(y);
        let resid: Vec<f64> = (self.layout.mean.hold_back()..y.len())
            .map(|i| self.layout.mean.residual(&ols, y, i))
            .collect();
        let v = resid.iter().map(|e| e * e).sum::<f64>() / resid.len() as f64;
        if v.is_nan() || v <= 0.0 {
            return Err(FitError::ConstantSeries { value: y[0] });
        }
        let bc = backcast(&resid);
        let (km, (p, o, q)) = (self.layout.k_mean(), self.layout.vol.orders());
        let mut lower = vec![f64::NEG_INFINITY; km];
        let mut upper = vec![f64::INFINITY; km];
        let mut linear = Vec::new();
        let kv = self.layout.k_vol();
        let row = |f: &dyn Fn(usize) -> f64| -> Vec<f64> { (0..k).map(f).collect() };
        match self.layout.vol {
            Volatility::Garch(_) => {
                lower.push(1e-8 * v);
                upper.push(10.0 * v);
                for _ in 0..p {
                    lower.push(0.0);
                    upper.push(1.0);
                }
                for j in 0..o {
                    lower.push(if j < p { -1.0 } else { 0.0 });
                    upper.push(2.0);
                    if j < p {
                        // −(αⱼ + γⱼ) ≤ 0
                        let (ia, ig) = (km + 1 + j, km + 1 + p + j);
                        linear.push((row(&|c| if c == ia || c == ig { -1.0 } else { 0.0 }), 0.0));
                    }
                }
                for _ in 0..q {
                    lower.push(0.0);
                    upper.push(1.0);
                }
                let w = |c: usize| {
                    if c <= km || c >= km + kv {
                        0.0
                    } else if c >= km + 1 + p && c < km + 1 + p + o {
                        0.5
                    } else {
                        1.0
                    }
                };
                linear.push((row(&w), 1.0));
            }
            Volatility::Egarch(_) => {
                let lnv = v.ln();
                lower.push(lnv - 10_000f64.ln());
                upper.push(lnv + 10_000f64.ln());
                for _ in 0..p + o {
                    lower.push(f64::NEG_INFINITY);
                    upper.push(f64::INFINITY);
                }
                for _ in 0..q {
                    lower.push(0.0);
                    upper.push(q as f64);
                }
                let w = |c: usize| {
                    if c >= km + 1 + p + o && c < km + kv {
                        1.0
                    } else {
                        0.0
                    }
                };
                linear.push((row(&w), 1.0));
            }
        }
        for (l, u) in self.layout.dist.bounds() {
            lower.push(l);
            upper.push(u);
        }
        let backcast = if self.layout.vol.is_egarch() {
            bc.ln()
        } else {
            bc
        };
        Ok(Prepared {
            backcast,
            lower,
            upper,
            linear,
            ols,
            variance: v,
        })
    }

    pub(crate) fn check_params(&self, params: &[f64]) -> Result<(), FitError> {
        if params.len() != self.num_params() {
            return Err(FitError::ParameterCount {
                expected: self.num_params(),
                got: params.len(),
            });
        }
        if let Some((i, &v)) = params.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(outside(&self.param_names()[i], v, "finite"));
        }
        // The GARCH/GJR sign constraints (a variance recursion with ω ≤ 0 or a negative
        // coefficient is not a variance model, even where its values happen to stay positive).
        if let Volatility::Garch(_) = self.layout.vol {
            let km = self.layout.k_mean();
            let (p, o, q) = self.layout.vol.orders();
            let names = || self.param_names();
            let tv = &params[km..km + self.layout.k_vol()];
            if tv[0] <= 0.0 {
                return Err(outside(&names()[km], tv[0], "omega > 0"));
            }
            for i in (1..1 + p).chain(1 + p + o..1 + p + o + q) {
                if tv[i] < 0.0 {
                    return Err(outside(&names()[km + i], tv[i], "alpha >= 0 and beta >= 0"));
                }
            }
            for j in 0..o {
                let alpha = if j < p { tv[1 + j] } else { 0.0 };
                if alpha + tv[1 + p + j] < 0.0 {
                    return Err(outside(
                        "alpha + gamma",
                        alpha + tv[1 + p + j],
                        "alpha[j] + gamma[j] >= 0",
                    ));
                }
            }
        }
        self.shape_check(params)?;
        Ok(())
    }

    /// The checks of the likelihood entry points: data long enough and finite, parameters
    /// admissible ([`GarchModel::check_params`]), backcast finite (and positive on the σ² scale).
    fn check_unchecked(&self, y: &[f64], params: &[f64], backcast: f64) -> Result<(), FitError> {
        let hold = self.layout.mean.hold_back();
        if y.len() <= hold {
            return Err(FitError::TooFewObservations {
                observations: y.len().saturating_sub(hold),
                required: 1,
            });
        }
        if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(FitError::NonFinite { index, value });
        }
        self.check_params(params)?;
        let ok = if self.layout.vol.is_egarch() {
            backcast.is_finite()
        } else {
            backcast > 0.0 && backcast.is_finite()
        };
        if !ok {
            return Err(FitError::InvalidSetting {
                name: "backcast",
                value: backcast,
            });
        }
        Ok(())
    }

    /// The log-likelihood ℓ(θ) of the returns `y` at `params` (with `arch`'s backcast).
    ///
    /// # Errors
    ///
    /// Those of [`GarchModel::fit`] for bad data; [`FitError::ParameterCount`];
    /// [`FitError::OutsideConstraints`] as for [`GarchModel::log_likelihood_with_backcast`];
    /// [`FitError::UndefinedLikelihood`] where a variance is not positive.
    ///
    /// ```
    /// use derisk::garch::GarchModel;
    /// let y: Vec<f64> = (0..40).map(|i| ((i * 7 % 11) as f64 - 5.0) / 3.0).collect();
    /// let ll = GarchModel::garch11_t().log_likelihood(&y, &[0.0, 0.1, 0.1, 0.8, 8.0])?;
    /// assert!(ll < 0.0);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn log_likelihood(&self, y: &[f64], params: &[f64]) -> Result<f64, FitError> {
        let prep = self.prepare(y)?;
        self.check_params(params)?;
        self.layout
            .log_likelihood(params, y, prep.backcast, |_, _, _, _| {})
            .map_err(|(index, variance)| FitError::UndefinedLikelihood { index, variance })
    }

    /// ℓ(θ) with a given backcast, allocation-free (the hot path of a fit; `backcast` on the
    /// recursion's scale: σ² for GARCH, ln σ² for EGARCH — see [`backcast`](crate::garch::backcast)).
    /// Validated as [`GarchModel::log_likelihood`]: data, parameters and backcast are checked
    /// (in O(n), without allocating) before the recursion runs.
    ///
    /// # Errors
    ///
    /// [`FitError::TooFewObservations`] (no observation after the mean's lags);
    /// [`FitError::NonFinite`]; [`FitError::ParameterCount`]; [`FitError::OutsideConstraints`]
    /// for a non-finite parameter, ω ≤ 0, a negative α or β, α + γ < 0 (GARCH/GJR) or a shape
    /// outside its domain (ν, η ≤ 2, |λ| ≥ 1); [`FitError::InvalidSetting`] for a backcast that
    /// is not finite (or not positive on the σ² scale); [`FitError::UndefinedLikelihood`].
    ///
    /// ```
    /// use derisk::garch::{backcast, GarchModel};
    /// let y: Vec<f64> = (0..40).map(|i| ((i * 7 % 11) as f64 - 5.0) / 3.0).collect();
    /// let m = GarchModel::garch11_t();
    /// let th = [0.0, 0.1, 0.1, 0.8, 8.0];
    /// let mean = y.iter().sum::<f64>() / 40.0;
    /// let r: Vec<f64> = y.iter().map(|v| v - mean).collect();
    /// let a = m.log_likelihood_with_backcast(&y, &th, backcast(&r))?;
    /// assert!((a - m.log_likelihood(&y, &th)?).abs() < 1e-12);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn log_likelihood_with_backcast(
        &self,
        y: &[f64],
        params: &[f64],
        backcast: f64,
    ) -> Result<f64, FitError> {
        self.check_unchecked(y, params, backcast)?;
        self.layout
            .value(params, y, backcast)
            .ok_or(FitError::UndefinedLikelihood {
                index: 0,
                variance: f64::NAN,
            })
    }

    /// ℓ(θ) and its exact gradient ∂ℓ/∂θ (analytic, checked against forward-mode dual numbers), allocation-free.
    ///
    /// # Errors
    ///
    /// [`FitError::ParameterCount`] (also for a `grad` of the wrong length); the others of
    /// [`GarchModel::log_likelihood_with_backcast`].
    ///
    /// ```
    /// use derisk::garch::GarchModel;
    /// let y: Vec<f64> = (0..40).map(|i| ((i * 7 % 11) as f64 - 5.0) / 3.0).collect();
    /// let m = GarchModel::garch11_t();
    /// let (th, mut g) = ([0.0, 0.1, 0.1, 0.8, 8.0], [0.0; 5]);
    /// let l0 = m.log_likelihood_gradient(&y, &th, 1.0, &mut g)?;
    /// let h = 1e-6;
    /// let l1 = m.log_likelihood_with_backcast(&y, &[0.0, 0.1, 0.1 + h, 0.8, 8.0], 1.0)?;
    /// assert!(((l1 - l0) / h - g[2]).abs() < 1e-3 * g[2].abs().max(1.0));
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn log_likelihood_gradient(
        &self,
        y: &[f64],
        params: &[f64],
        backcast: f64,
        grad: &mut [f64],
    ) -> Result<f64, FitError> {
        if grad.len() != self.num_params() {
            return Err(FitError::ParameterCount {
                expected: self.num_params(),
                got: grad.len(),
            });
        }
        self.check_unchecked(y, params, backcast)?;
        self.layout
            .value_and_gradient(params, y, backcast, grad)
            // A gradient that overflowed is as undefined as the value.
            .filter(|_| grad.iter().all(|g| g.is_finite()))
            .ok_or(FitError::UndefinedLikelihood {
                index: 0,
                variance: f64::NAN,
            })
    }

    fn shape_check(&self, params: &[f64]) -> Result<AnyInnovation, FitError> {
        let k0 = self.layout.k_mean() + self.layout.k_vol();
        self.layout.dist.with_params(&params[k0..])
    }

    /// Fits by maximum likelihood from a grid of starting values ([`FitOptions::default`]).
    ///
    /// # Errors
    ///
    /// [`FitError::NonFinite`] (with the index), [`FitError::TooFewObservations`] (fewer than
    /// max(20, 3k) after the mean's lags), [`FitError::ConstantSeries`].
    ///
    /// ```
    /// use derisk::garch::{GarchModel, Innovation};
    /// // Simulate from known parameters, then fit.
    /// let m = GarchModel::garch11_t();
    /// use rand::SeedableRng;
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
    /// let sim = m.simulate_with(&[0.05, 0.1, 0.1, 0.85, 6.0], 3000, 500, &mut rng)?;
    /// let fit = m.fit(&sim.returns)?;
    /// assert!((fit.params()[3] - 0.85).abs() < 0.1);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn fit(&self, y: &[f64]) -> Result<GarchFit, FitError> {
        self.fit_with(y, &FitOptions::default())
    }

    /// Fits with explicit options.
    ///
    /// # Errors
    ///
    /// As [`GarchModel::fit`], and [`FitError::OutsideConstraints`] or
    /// [`FitError::ParameterCount`] for a starting point that is not admissible.
    ///
    /// ```
    /// use derisk::garch::{FitError, FitOptions, GarchModel};
    /// let y: Vec<f64> = (0..200).map(|i| ((i * 37 % 101) as f64 - 50.0) / 25.0).collect();
    /// let bad = FitOptions { start: Some(vec![0.0, 0.1, 0.6, 0.6, 8.0]), ..FitOptions::default() };
    /// assert!(matches!(GarchModel::garch11_t().fit_with(&y, &bad),
    ///     Err(FitError::OutsideConstraints { .. })));
    /// ```
    pub fn fit_with(&self, y: &[f64], options: &FitOptions) -> Result<GarchFit, FitError> {
        let prep = self.prepare(y)?;
        let n = (y.len() - self.layout.mean.hold_back()) as f64;
        // EGARCH-Normal by default: one fixed start, no grid (docs/garch.md "Starting values").
        let fixed = match (&options.start, options.starts) {
            (None, None) => self.egarch_normal_start(&prep),
            _ => None,
        };
        let mut starts = match (&options.start, &fixed) {
            (Some(s), _) => {
                self.check_params(s)?;
                self.check_feasible(s, &prep)?;
                vec![s.clone()]
            }
            (None, Some(s)) => vec![s.clone()],
            (None, None) => self.grid(y, &prep, options.starts.unwrap_or(1).max(1)),
        };
        let layout = self.layout;
        let bc = prep.backcast;
        // The optimiser works in 1/ν (1/η) for the tail parameter: the likelihood is close to
        // linear in 1/ν, and nearly flat in ν when the data are close to normal.
        let tail = (self.layout.dist != InnovationFamily::Normal)
            .then(|| self.layout.k_mean() + self.layout.k_vol());
        let to_inner = |x: &[f64]| -> Vec<f64> {
            let mut u = x.to_vec();
            if let Some(i) = tail {
                u[i] = 1.0 / x[i];
            }
            u
        };
        let (mut lower, mut upper) = (prep.lower.clone(), prep.upper.clone());
        if let Some(i) = tail {
            (lower[i], upper[i]) = (1.0 / prep.upper[i], 1.0 / prep.lower[i]);
        }
        // The optimiser's coordinates u → the model's parameters x (the tail parameter as 1/u).
        let outer = |u: &[f64]| {
            let mut x = [0.0; MAX_PARAMS];
            x[..u.len()].copy_from_slice(u);
            if let Some(i) = tail {
                x[i] = 1.0 / u[i];
            }
            x
        };
        // ℓ and ∂ℓ/∂x at x → the objective −ℓ/n and its gradient in u.
        let scaled = |v: f64, x: &[f64], g: &mut [f64]| {
            for gi in g.iter_mut() {
                *gi = -*gi / n;
            }
            if let Some(i) = tail {
                g[i] *= -x[i] * x[i];
            }
            -v / n
        };
        let objective = |u: &[f64], g: &mut [f64]| {
            let x = outer(u);
            let v = layout.value_and_gradient(&x[..u.len()], y, bc, g)?;
            Some(scaled(v, &x, g))
        };
        // The same at several points in one multi-point pass (the start and the forward
        // differences of the optimiser's first Hessian).
        let many = |us: &[&[f64]], gs: &mut [Vec<f64>], vs: &mut [Option<f64>]| {
            let xs: Vec<[f64; MAX_PARAMS]> = us.iter().map(|u| outer(u)).collect();
            let refs: Vec<&[f64]> = xs.iter().zip(us).map(|(x, u)| &x[..u.len()]).collect();
            let mut raw = vec![[0.0; MAX_PARAMS]; us.len()];
            evaluate_many::<true>(&layout, &refs, y, bc, &mut raw, vs);
            for ((g, r), (v, x)) in gs.iter_mut().zip(&raw).zip(vs.iter_mut().zip(&xs)) {
                let k = g.len();
                g.copy_from_slice(&r[..k]);
                *v = v.map(|v| scaled(v, x, g));
            }
        };
        // Only where the multi-point lanes cover the model does a batch beat separate passes.
        let lanes = covered(&layout);
        let mopts = MinimizeOptions {
            max_iterations: options.max_iterations,
            decrement_tolerance: 1e-12,
        };
        let mut best: Option<crate::math::Minimum> = None;
        let mut evaluations = 0;
        let mut optimise = |starts: &[Vec<f64>], best: &mut Option<crate::math::Minimum>| {
            for s in starts {
                // The outer product of the scores approximates the Hessian where the density
                // fits the tails (t, skew-t); for Normal innovations on fat-tailed returns it
                // overstates the curvature, and forward differences start better.
                let h0 = tail.and_then(|_| self.opg_start(s, y, bc, tail));
                let m = minimize_bounded_many(
                    objective,
                    lanes.then_some(many),
                    &to_inner(s),
                    &lower,
                    &upper,
                    &prep.linear,
                    h0.as_deref(),
                    &mopts,
                );
                evaluations += m.evaluations + usize::from(h0.is_some());
                if m.termination == Termination::InvalidStart {
                    continue;
                }
                if best.as_ref().is_none_or(|b| m.value < b.value) {
                    *best = Some(m);
                }
            }
        };
        optimise(&starts, &mut best);
        if best.is_none() && fixed.is_some() {
            // The fixed start is undefined on these data: fall back to the grid.
            starts = self.grid(y, &prep, 1);
            optimise(&starts, &mut best);
        }
        let Some(mut best) = best else {
            return Err(FitError::UndefinedLikelihood {
                index: 0,
                variance: f64::NAN,
            });
        };
        if let Some(i) = tail {
            best.x[i] = (1.0 / best.x[i]).clamp(prep.lower[i], prep.upper[i]);
        }
        // The optimiser keeps a·x ≤ b in its own summation order; the persistence reported by
        // the fit sums in another. Where rounding puts it a few ulps above 1, shrink the
        // variance coefficients by as many ulps (ℓ changes by ~1e-16 relative), so the
        // estimate lies inside the constraints however they are summed.
        let (km, kv) = (self.layout.k_mean(), self.layout.k_vol());
        for _ in 0..16 {
            let over = self.persistence_of(&best.x) > 1.0
                || (!self.layout.vol.is_egarch() && self.check_feasible(&best.x, &prep).is_err());
            if !over {
                break;
            }
            for v in &mut best.x[km + 1..km + kv] {
                *v *= 1.0 - 4.0 * f64::EPSILON;
            }
        }
        let convergence = Convergence {
            termination: best.termination,
            iterations: best.iterations,
            evaluations,
            decrement: best.decrement,
            starts: starts.len(),
        };
        self.inference(y, &best.x, &prep, Some(convergence))
    }

    /// Inference at given parameters (no optimisation): log-likelihood, standard errors,
    /// conditional variances, forecasts — for example at another package's estimates.
    ///
    /// # Errors
    ///
    /// As [`GarchModel::log_likelihood`].
    ///
    /// ```
    /// use derisk::garch::GarchModel;
    /// let y: Vec<f64> = (0..100).map(|i| ((i * 37 % 101) as f64 - 50.0) / 25.0).collect();
    /// let at = GarchModel::garch11_t().evaluate(&y, &[0.0, 0.2, 0.1, 0.8, 8.0])?;
    /// assert_eq!(at.conditional_volatility().len(), 100);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn evaluate(&self, y: &[f64], params: &[f64]) -> Result<GarchFit, FitError> {
        let prep = self.prepare(y)?;
        self.check_params(params)?;
        self.inference(y, params, &prep, None)
    }

    /// Σα + ½Σγ + Σβ (GARCH/GJR) or Σβ (EGARCH) of a full parameter vector.
    pub(crate) fn persistence_of(&self, params: &[f64]) -> f64 {
        let (p, o, _) = self.layout.vol.orders();
        let km = self.layout.k_mean();
        let th = &params[km..km + self.layout.k_vol()];
        if self.layout.vol.is_egarch() {
            th[1 + p + o..].iter().sum()
        } else {
            th[1..1 + p].iter().sum::<f64>()
                + 0.5 * th[1 + p..1 + p + o].iter().sum::<f64>()
                + th[1 + p + o..].iter().sum::<f64>()
        }
    }

    fn check_feasible(&self, s: &[f64], prep: &Prepared) -> Result<(), FitError> {
        let names = self.param_names();
        for (i, &v) in s.iter().enumerate() {
            if v < prep.lower[i] || v > prep.upper[i] {
                return Err(outside(&names[i], v, "within the parameter's bounds"));
            }
        }
        for (a, b) in &prep.linear {
            let lhs: f64 = a.iter().zip(s).map(|(x, y)| x * y).sum();
            if lhs > *b {
                let (name, constraint) = if *b == 1.0 {
                    (
                        "persistence",
                        "sum(alpha) + sum(gamma)/2 + sum(beta) <= 1 (egarch: sum(beta) <= 1)",
                    )
                } else {
                    ("alpha + gamma", "alpha[j] + gamma[j] >= 0")
                };
                return Err(outside(
                    name,
                    if *b == 1.0 { lhs } else { -lhs },
                    constraint,
                ));
            }
        }
        self.shape_check(s)?;
        Ok(())
    }

    /// The residuals εₜ and variances σ²ₜ written to `residuals` and `variance` (the filter's
    /// recursion, the likelihood kernel's arithmetic); `None` where a variance is undefined.
    fn filtered(
        &self,
        params: &[f64],
        y: &[f64],
        backcast: f64,
        residuals: &mut [f64],
        variance: &mut [f64],
    ) -> Option<()> {
        let l = &self.layout;
        let (km, kv) = (l.k_mean(), l.k_vol());
        let hold = l.mean.hold_back();
        for (r, i) in residuals.iter_mut().zip(hold..y.len()) {
            *r = l.mean.residual(&params[..km], y, i);
        }
        filter_from(&l.vol, &params[km..km + kv], residuals, backcast, variance).ok()
    }

    /// The optimiser's initial inverse Hessian of −ℓ/n (row-major, in its coordinates: the tail
    /// parameter as 1/ν) from the outer product of the scores at `x` — one pass, where forward
    /// differences of the gradient take k (Berndt, Hall, Hall and Hausman, Ann. Econ. Soc. Meas.
    /// 3 (1974)): `None` where ℓ is undefined at `x` or the product is singular.
    ///
    /// ```text
    /// −∇²ℓ ≈ Σₜ sₜ sₜᵀ,  sₜ = ∂ℓₜ/∂θ;   ∂ℓₜ/∂(1/ν) = −ν² ∂ℓₜ/∂ν
    /// ```
    fn opg_start(&self, x: &[f64], y: &[f64], bc: f64, tail: Option<usize>) -> Option<Vec<f64>> {
        let k = x.len();
        let mut g = [0.0; MAX_PARAMS];
        let (_, rows) = self.layout.scores(x, y, bc, &mut g[..k])?;
        let sc = rows.scores;
        let n = (sc.len() / k) as f64;
        let scale = tail.map(|i| (i, -x[i] * x[i]));
        let mut m = outer_product_sum(&sc, k, &[0.0; MAX_PARAMS][..k], scale);
        m /= n;
        let inv = m.cholesky()?.inverse();
        let out: Vec<f64> = inv.transpose().as_slice().to_vec();
        out.iter().all(|v| v.is_finite()).then_some(out)
    }

    /// The default start of EGARCH with Normal innovations, `None` for other models (or where
    /// it is outside the bounds; where ℓ is undefined there the fit falls back to the grid):
    /// least-squares mean, α = 0.1, γ = 0, β = 0.9 (each split evenly
    /// over its lags) and ω = (1 − β)·ln(sample variance), a point of `arch`'s own EGARCH grid.
    /// Its likelihood has nearly flat ridges with optima 1e-8 relative apart (issue 17): from
    /// this point the optimiser reaches `arch`'s optimum on every series of the GARCH tests, in
    /// fewer evaluations than the best two of [`GarchModel::grid`]'s points (which it replaced).
    fn egarch_normal_start(&self, prep: &Prepared) -> Option<Vec<f64>> {
        if !self.layout.vol.is_egarch() || self.layout.dist != InnovationFamily::Normal {
            return None;
        }
        let (p, o, q) = self.layout.vol.orders();
        let (alpha, beta) = (0.1, 0.9);
        let mut x = prep.ols.clone();
        x.push(prep.variance.ln() * (1.0 - beta));
        x.extend(std::iter::repeat_n(alpha / p.max(1) as f64, p));
        x.extend(std::iter::repeat_n(0.0, o));
        x.extend(std::iter::repeat_n(beta / q.max(1) as f64, q));
        self.check_feasible(&x, prep).is_ok().then_some(x)
    }

    /// Candidate starts (a small grid like `arch`'s), best `keep` by log-likelihood.
    fn grid(&self, y: &[f64], prep: &Prepared, keep: usize) -> Vec<Vec<f64>> {
        let (p, o, q) = self.layout.vol.orders();
        let v = prep.variance;
        let mut vols: Vec<Vec<f64>> = Vec::new();
        if self.layout.vol.is_egarch() {
            // With t and skew-t innovations β = 0.97 won on every series of the GARCH tests, by
            // 6–73 in ℓ (issue 17, sixth step): β = 0.9 is left out, and the four points take
            // one multi-point pass. Normal keeps both: its grid is a fallback and `starts`.
            let betas: &[f64] = match self.layout.dist {
                InnovationFamily::Normal => &[0.9, 0.97],
                _ => &[0.97],
            };
            for &a in &[0.1, 0.2] {
                for &g in &[0.0, -0.05] {
                    for &b in betas {
                        let mut th = vec![v.ln() * (1.0 - b)];
                        th.extend(std::iter::repeat_n(a / p.max(1) as f64, p));
                        th.extend(std::iter::repeat_n(g / o.max(1) as f64, o));
                        th.extend(std::iter::repeat_n(b / q.max(1) as f64, q));
                        vols.push(th);
                    }
                }
            }
        } else {
            let gammas: &[f64] = if o > 0 { &[0.0, 0.1] } else { &[0.0] };
            for &a in &[0.03, 0.07, 0.15] {
                for &g in gammas {
                    for &pers in &[0.9, 0.97] {
                        let b = pers - a - 0.5 * g;
                        if b < 0.0 || (q == 0 && b > 0.0) {
                            continue;
                        }
                        let mut th = vec![v * (1.0 - pers)];
                        th.extend(std::iter::repeat_n(a / p.max(1) as f64, p));
                        th.extend(std::iter::repeat_n(g / o.max(1) as f64, o));
                        th.extend(std::iter::repeat_n(b / q.max(1) as f64, q));
                        vols.push(th);
                    }
                }
            }
        }
        let shapes: Vec<Vec<f64>> = match self.layout.dist {
            InnovationFamily::Normal => vec![vec![]],
            InnovationFamily::StudentT => vec![vec![6.0]],
            InnovationFamily::SkewT => vec![vec![6.0, 0.0]],
        };
        let mut points: Vec<Vec<f64>> = Vec::new();
        for th in &vols {
            for sh in &shapes {
                let mut x = prep.ols.clone();
                x.extend(th);
                x.extend(sh);
                let x: Vec<f64> = x
                    .iter()
                    .enumerate()
                    .map(|(i, v)| v.clamp(prep.lower[i], prep.upper[i]))
                    .collect();
                if self.check_feasible(&x, prep).is_ok() {
                    points.push(x);
                }
            }
        }
        // The grid's values in one multi-point pass per four points (src/garch/analytic_lanes.rs).
        let refs: Vec<&[f64]> = points.iter().map(Vec::as_slice).collect();
        let mut values = vec![None; points.len()];
        let mut unused = vec![[0.0; MAX_PARAMS]; points.len()];
        evaluate_many::<false>(
            &self.layout,
            &refs,
            y,
            prep.backcast,
            &mut unused,
            &mut values,
        );
        let mut cands: Vec<(f64, Vec<f64>)> = values
            .into_iter()
            .zip(points)
            .filter_map(|(v, x)| Some((v?, x)))
            .collect();
        cands.sort_by(|a, b| b.0.total_cmp(&a.0));
        cands.into_iter().take(keep).map(|c| c.1).collect()
    }

    fn inference(
        &self,
        y: &[f64],
        params: &[f64],
        prep: &Prepared,
        convergence: Option<Convergence>,
    ) -> Result<GarchFit, FitError> {
        let l = &self.layout;
        let n = y.len() - l.mean.hold_back();
        let mut residuals = vec![0.0; n];
        let mut variance = vec![0.0; n];
        let k = params.len();
        // ℓ, the gradient at θ, the scores and the variances from one pass (issue 17: the
        // variance filter was one more pass); the residuals from the mean. Where the pass gives
        // no variances (the dual-number path) they come from the filter; where either fails,
        // the per-observation kernel finds the index and the variance (and ℓ by the fast kernel
        // where only the scores failed).
        let mut g0 = vec![0.0; k];
        let scores = l.scores(params, y, prep.backcast, &mut g0);
        let fast = match &scores {
            Some((v, rows)) if rows.variance.len() == n => {
                let (km, hold) = (l.k_mean(), l.mean.hold_back());
                for (r, i) in residuals.iter_mut().zip(hold..y.len()) {
                    *r = l.mean.residual(&params[..km], y, i);
                }
                variance.copy_from_slice(&rows.variance);
                Some(*v)
            }
            _ => self
                .filtered(params, y, prep.backcast, &mut residuals, &mut variance)
                .and_then(|()| match &scores {
                    Some((v, _)) => Some(*v),
                    None => l.value(params, y, prep.backcast),
                }),
        };
        let loglik = match fast {
            Some(v) => v,
            None => l
                .log_likelihood(params, y, prep.backcast, |t, _, s2, e| {
                    residuals[t] = e;
                    variance[t] = s2;
                })
                .map_err(|(index, variance)| FitError::UndefinedLikelihood { index, variance })?,
        };
        let scores = scores.map(|(_, rows)| rows.scores);
        // Hessian of −ℓ by forward differences of the exact gradient (backward where the step
        // leaves the domain), symmetrised. The k stepped points are known in advance, so they
        // go through the multi-point kernel together (src/garch/analytic_lanes.rs).
        let mut hess = DMatrix::<f64>::zeros(k, k);
        let mut ok = scores.is_some();
        if ok {
            let steps: Vec<f64> = params.iter().map(|p| 1e-7 * p.abs().max(1e-2)).collect();
            let stepped: Vec<Vec<f64>> = (0..k)
                .map(|j| {
                    let mut xp = params.to_vec();
                    xp[j] += steps[j];
                    xp
                })
                .collect();
            let refs: Vec<&[f64]> = stepped.iter().map(Vec::as_slice).collect();
            let mut grads = vec![[0.0; MAX_PARAMS]; k];
            let mut values = vec![None; k];
            evaluate_many::<true>(l, &refs, y, prep.backcast, &mut grads, &mut values);
            for j in 0..k {
                let mut h = steps[j];
                if values[j].is_none() {
                    h = -h;
                    let mut xp = params.to_vec();
                    xp[j] = params[j] + h;
                    ok = l
                        .value_and_gradient(&xp, y, prep.backcast, &mut grads[j][..k])
                        .is_some();
                    if !ok {
                        break;
                    }
                }
                for i in 0..k {
                    hess[(i, j)] = -(grads[j][i] - g0[i]) / h;
                }
            }
        }
        let hess = (&hess + hess.transpose()) * 0.5;
        let inv = if ok { hess.clone().try_inverse() } else { None };
        let (cov_classic, cov_robust) = match (inv, scores) {
            (Some(hinv), Some(sc)) => {
                // Sample covariance of the scores (demeaned, n − 1), as numpy's `cov`.
                let mut mean = vec![0.0; k];
                for row in sc.chunks_exact(k) {
                    for (m, v) in mean.iter_mut().zip(row) {
                        *m += v / n as f64;
                    }
                }
                let mut c = outer_product_sum(&sc, k, &mean, None);
                c /= (n - 1) as f64;
                let robust = &hinv * c * &hinv * n as f64;
                (
                    Some(hinv.as_slice().to_vec()),
                    Some(robust.as_slice().to_vec()),
                )
            }
            _ => (None, None),
        };
        Ok(GarchFit {
            model: *self,
            params: params.to_vec(),
            loglik,
            backcast: prep.backcast,
            residuals,
            variance,
            cov_classic,
            cov_robust,
            convergence,
            last_y: y[y.len() - 1],
        })
    }
}

/// Σₜ (rₜ − c)(rₜ − c)ᵀ over the rows rₜ (length k) of `rows`, with column `scale.0` of every
/// row first multiplied by `scale.1`. The scores have 2,686 rows on BTC: indexing a `DMatrix`
/// there cost as much as a likelihood pass, so the sum runs on stack arrays whose length is a
/// constant for the common k (the loops unroll).
fn outer_product_sum(
    rows: &[f64],
    k: usize,
    center: &[f64],
    scale: Option<(usize, f64)>,
) -> DMatrix<f64> {
    match k {
        3 => outer_fixed::<3>(rows, center, scale),
        4 => outer_fixed::<4>(rows, center, scale),
        5 => outer_fixed::<5>(rows, center, scale),
        6 => outer_fixed::<6>(rows, center, scale),
        7 => outer_fixed::<7>(rows, center, scale),
        _ => outer_sum::<MAX_PARAMS>(rows, center, scale),
    }
}

/// [`outer_product_sum`] for k = `W` as a `math::simd::dispatch_scalar` job: compiled for AVX2
/// where the CPU has it, the k × k sums stay in vector registers (issue 17, seventh step: on
/// BTC-sized scores 27.7 → 15 µs at k = 5, 38 → 20 µs at k = 6, minimum of 30 batches). No fused
/// operation: every product and sum is rounded as in the base build, the same bits.
fn outer_fixed<const W: usize>(
    rows: &[f64],
    center: &[f64],
    scale: Option<(usize, f64)>,
) -> DMatrix<f64> {
    let acc = dispatch_scalar(OuterSum::<W> {
        rows,
        center,
        scale,
    });
    DMatrix::from_fn(W, W, |i, j| {
        let (i, j) = if j <= i { (i, j) } else { (j, i) };
        acc[i][j]
    })
}

/// The arguments of [`outer_fixed`] (`center.len()` = `W`).
struct OuterSum<'a, const W: usize> {
    rows: &'a [f64],
    center: &'a [f64],
    scale: Option<(usize, f64)>,
}

impl<const W: usize> LaneJob for OuterSum<'_, W> {
    type Output = [[f64; W]; W];

    #[inline(always)]
    fn run<const FUSED: bool>(self) -> [[f64; W]; W] {
        let mut acc = [[0.0; W]; W];
        let mut c = [0.0; W];
        c.copy_from_slice(self.center);
        let (si, sf) = self.scale.unwrap_or((0, 1.0));
        for row in self.rows.chunks_exact(W) {
            let mut d = [0.0; W];
            for j in 0..W {
                d[j] = row[j] - c[j];
            }
            if self.scale.is_some() {
                d[si] *= sf;
            }
            // The full square, as in `outer_sum` (the upper half is discarded).
            for i in 0..W {
                for j in 0..W {
                    acc[i][j] += d[i] * d[j];
                }
            }
        }
        acc
    }
}

/// [`outer_product_sum`] for k ≤ `W` (k = `center.len()`), in the build's target (k > 7).
fn outer_sum<const W: usize>(
    rows: &[f64],
    center: &[f64],
    scale: Option<(usize, f64)>,
) -> DMatrix<f64> {
    let k = center.len();
    let mut acc = [[0.0; W]; W];
    let mut d = [0.0; W];
    for row in rows.chunks_exact(k) {
        for ((di, r), c) in d.iter_mut().zip(row).zip(center) {
            *di = r - c;
        }
        if let Some((i, f)) = scale {
            d[i] *= f;
        }
        // The full square (the upper half is discarded): fixed trip counts unroll and vectorise.
        for (ai, &di) in acc.iter_mut().zip(&d) {
            for (a, &dj) in ai.iter_mut().zip(&d) {
                *a += di * dj;
            }
        }
    }
    DMatrix::from_fn(k, k, |i, j| {
        let (i, j) = if j <= i { (i, j) } else { (j, i) };
        acc[i][j]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stack-array sum equals the plain definition Σₜ (rₜ − c)(rₜ − c)ᵀ, accumulated in the
    /// same order in a `DMatrix`, bit for bit, for every k of the dispatch (3…7 and the
    /// general width), with and without the scaled column.
    #[test]
    fn outer_product_sum_is_the_definition() {
        for k in [3, 4, 5, 6, 7, 9] {
            let rows: Vec<f64> = (0..40 * k)
                .map(|i| ((i * 37 % 101) as f64 - 50.0) / 7.0)
                .collect();
            let center: Vec<f64> = (0..k).map(|i| 0.3 * i as f64 - 0.5).collect();
            for scale in [None, Some((k - 1, -2.5))] {
                let mut want = DMatrix::<f64>::zeros(k, k);
                for row in rows.chunks_exact(k) {
                    let mut d: Vec<f64> = row.iter().zip(&center).map(|(r, c)| r - c).collect();
                    if let Some((i, f)) = scale {
                        d[i] *= f;
                    }
                    for i in 0..k {
                        for j in 0..=i {
                            want[(i, j)] += d[i] * d[j];
                        }
                    }
                }
                for i in 0..k {
                    for j in 0..i {
                        want[(j, i)] = want[(i, j)];
                    }
                }
                assert_eq!(outer_product_sum(&rows, k, &center, scale), want, "k = {k}");
            }
        }
    }
}
