//! Simulation of returns and conditional variances with the caller's random generator; a
//! seeded generator gives the same path bit for bit.
//!
//! ```text
//! zₜ = F⁻¹(uₜ),  uₜ = ((xₜ ≫ 11) + ½)·2⁻⁵³,  xₜ = the t-th u64 of the caller's generator
//!      (e.g. ChaCha20 with key = a u64 seed as 8 little-endian bytes then 24 zero bytes)
//! εₜ = σₜ·zₜ,   yₜ = mean + εₜ,   σ²ₜ from the model's recursion
//! ```
//!
//! Start of a path ([`SimulationStart`]): from a model, the unconditional variance
//! ω/(1 − persistence) (GARCH/GJR, if stationary; else ω), or ω/(1 − Σβ) on the log scale
//! (EGARCH), then `burn` draws discarded; from a fit, by default its fitted state after the
//! last observation (as `arch`'s `forecast(method="simulation")`), or the unconditional start.
//! Lengths: burn + nobs at most [`MAX_SIMULATED_STEPS`].
//! Reference: D. J. Bernstein, "ChaCha, a variant of Salsa20" (2008).

use rand::Rng;

use super::error::FitError;
use super::fit::GarchModel;
use super::forecast::MAX_SIMULATED_STEPS;
use super::innovation::{outside, AnyInnovation};
use super::kernel::{Layout, MAX_PARAMS};
use super::mean::MeanModel;
use super::result::GarchFit;
use super::traits::Innovation;
use super::variance::Lags;

/// Where a simulation from a fitted model starts.
///
/// ```
/// use derisk::garch::SimulationStart;
/// assert_eq!(SimulationStart::default(), SimulationStart::FittedState);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum SimulationStart {
    /// From the fit's state after its last observation: the first simulated variance is the
    /// one-step forecast σ²_{T+1}, and an AR(1) mean continues from the last return (`arch`'s
    /// `forecast(method="simulation")`).
    #[default]
    FittedState,
    /// From the model's unconditional state, as [`GarchModel::simulate_with`]: every lag at the
    /// unconditional variance (ω/(1 − persistence), or ω where not stationary), the AR(1)
    /// mean at its unconditional mean.
    Unconditional,
}

/// Simulated returns and their conditional variances.
///
/// ```
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
/// let s = derisk::garch::GarchModel::garch11_t()
///     .simulate_with(&[0.0, 0.1, 0.1, 0.8, 5.0], 3, 0, &mut rng)?;
/// assert!((s.returns[0] - s.variances[0].sqrt() * s.innovations[0]).abs() < 1e-15);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Simulation {
    /// Returns yₜ (mean plus εₜ), in the units of the parameters (percent if fitted on percent).
    pub returns: Vec<f64>,
    /// Conditional variances σ²ₜ.
    pub variances: Vec<f64>,
    /// Standardised innovations zₜ.
    pub innovations: Vec<f64>,
}

/// The unconditional starting lags and previous return of a model at `params`.
fn unconditional_start(l: &Layout, params: &[f64]) -> (Lags<f64>, f64) {
    let (km, kv) = (l.k_mean(), l.k_vol());
    let (tm, tv) = (&params[..km], &params[km..km + kv]);
    let (p, o, _) = l.vol.orders();
    let start = if l.vol.is_egarch() {
        let sb: f64 = tv[1 + p + o..].iter().sum();
        if sb < 1.0 {
            tv[0] / (1.0 - sb)
        } else {
            tv[0]
        }
    } else {
        let pers: f64 = tv[1..1 + p].iter().sum::<f64>()
            + 0.5 * tv[1 + p..1 + p + o].iter().sum::<f64>()
            + tv[1 + p + o..].iter().sum::<f64>();
        if pers < 1.0 {
            tv[0] / (1.0 - pers)
        } else {
            tv[0]
        }
    };
    let y_prev = match l.mean {
        MeanModel::Ar1 if (tm[1]).abs() < 1.0 => tm[0] / (1.0 - tm[1]),
        MeanModel::Ar1 => tm[0],
        _ => 0.0,
    };
    (Lags::<f64>::new(&l.vol, start), y_prev)
}

/// `Err(InvalidSetting)` unless burn + nobs ≤ [`MAX_SIMULATED_STEPS`] (checked, no overflow).
fn check_length(nobs: usize, burn: usize) -> Result<usize, FitError> {
    match nobs.checked_add(burn) {
        Some(total) if total <= MAX_SIMULATED_STEPS => Ok(total),
        _ => Err(FitError::InvalidSetting {
            name: "burn + nobs",
            value: nobs as f64 + burn as f64,
        }),
    }
}

/// The state of one simulated path of a model: its parameters, innovation density, lagged
/// variance terms and previous return. [`PathState::step`] is the one return/variance
/// recursion of the crate's simulations (this module, and `sim`'s GARCH, filtered historical
/// and copula paths), so every simulator advances a GARCH path the same way.
#[derive(Clone, Copy)]
pub(crate) struct PathState {
    layout: Layout,
    params: [f64; MAX_PARAMS],
    innov: AnyInnovation,
    lags: Lags<f64>,
    y_prev: f64,
}

impl PathState {
    fn new(l: &Layout, params: &[f64], innov: AnyInnovation, lags: Lags<f64>, y_prev: f64) -> Self {
        let mut p = [0.0; MAX_PARAMS];
        p[..params.len()].copy_from_slice(params);
        Self {
            layout: *l,
            params: p,
            innov,
            lags,
            y_prev,
        }
    }

    /// The standardised innovation density of the model.
    pub(crate) fn innovation(&self) -> &AnyInnovation {
        &self.innov
    }

    /// Advances one step with the standardised innovation `z`: returns (yₜ, σ²ₜ).
    ///
    /// ```text
    /// σ²ₜ from the lags,  εₜ = σₜ·zₜ,  yₜ = mean(yₜ₋₁) + εₜ,  lags ← (εₜ, σ²ₜ)
    /// ```
    ///
    /// `index` only labels the error: [`FitError::UndefinedLikelihood`] if σ²ₜ leaves (0, ∞) or
    /// yₜ overflows.
    #[inline]
    pub(crate) fn step(&mut self, z: f64, index: usize) -> Result<(f64, f64), FitError> {
        let l = &self.layout;
        let (km, kv) = (l.k_mean(), l.k_vol());
        let (tm, tv) = (&self.params[..km], &self.params[km..km + kv]);
        let (s2, ln_s2) = self.lags.variance(&l.vol, tv);
        if !(s2 > 0.0 && s2.is_finite()) {
            return Err(FitError::UndefinedLikelihood {
                index,
                variance: s2,
            });
        }
        let eps = z * s2.sqrt();
        let y = match l.mean {
            MeanModel::Zero => eps,
            MeanModel::Constant => tm[0] + eps,
            MeanModel::Ar1 => tm[0] + tm[1] * self.y_prev + eps,
        };
        if !y.is_finite() {
            return Err(FitError::UndefinedLikelihood {
                index,
                variance: s2,
            });
        }
        self.y_prev = y;
        self.lags.push(&l.vol, eps, s2, ln_s2);
        Ok((y, s2))
    }
}

/// One path: `burn` discarded draws, then `nobs` kept, from the given state.
fn run<R: Rng + ?Sized>(
    mut state: PathState,
    nobs: usize,
    burn: usize,
    rng: &mut R,
) -> Result<Simulation, FitError> {
    let mut out = Simulation {
        returns: Vec::with_capacity(nobs),
        variances: Vec::with_capacity(nobs),
        innovations: Vec::with_capacity(nobs),
    };
    for t in 0..burn + nobs {
        let z = state.innov.sample(rng);
        let (y, s2) = state.step(z, t)?;
        if t >= burn {
            out.returns.push(y);
            out.variances.push(s2);
            out.innovations.push(z);
        }
    }
    Ok(out)
}

impl GarchModel {
    /// Simulates `nobs` returns after `burn` discarded ones with the caller's random generator,
    /// starting from the unconditional state ([`SimulationStart::Unconditional`]). The library
    /// never creates a generator: pass a seeded one (e.g. `ChaCha20Rng`) for a path that is
    /// reproducible bit for bit.
    ///
    /// ```text
    /// zₜ = F⁻¹(uₜ) (one u64 per draw),  εₜ = σₜ·zₜ,  yₜ = mean + εₜ,  σ²ₜ from the recursion
    /// ```
    ///
    /// Reference: T. Bollerslev, "Generalized autoregressive conditional heteroskedasticity",
    /// *Journal of Econometrics* 31 (1986).
    ///
    /// # Errors
    ///
    /// [`FitError::ParameterCount`]; [`FitError::OutsideConstraints`] for an invalid shape
    /// parameter or non-finite parameter; [`FitError::InvalidSetting`] if burn + nobs exceeds
    /// [`MAX_SIMULATED_STEPS`]; [`FitError::UndefinedLikelihood`] if a variance leaves (0, ∞)
    /// or a return overflows.
    ///
    /// ```
    /// use derisk::garch::GarchModel;
    /// use rand::SeedableRng;
    /// let m = GarchModel::garch11_t();
    /// let th = [0.0, 0.1, 0.1, 0.8, 5.0];
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    /// let s = m.simulate_with(&th, 5, 0, &mut rng)?;
    /// assert_eq!(s.returns.len(), 5);
    /// let mut again = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    /// assert_eq!(s, m.simulate_with(&th, 5, 0, &mut again)?);   // bit for bit
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn simulate_with<R: Rng + ?Sized>(
        &self,
        params: &[f64],
        nobs: usize,
        burn: usize,
        rng: &mut R,
    ) -> Result<Simulation, FitError> {
        let l = *self.layout();
        if params.len() != l.k() {
            return Err(FitError::ParameterCount {
                expected: l.k(),
                got: params.len(),
            });
        }
        if let Some((i, &v)) = params.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(outside(&self.param_names()[i], v, "finite"));
        }
        check_length(nobs, burn)?;
        let innov = l.dist.with_params(&params[l.k_mean() + l.k_vol()..])?;
        let (lags, y_prev) = unconditional_start(&l, params);
        run(
            PathState::new(&l, params, innov, lags, y_prev),
            nobs,
            burn,
            rng,
        )
    }
}

impl GarchFit {
    /// Simulates `nobs` returns from the fitted model, starting from `start` (by default the
    /// fitted state after the last observation), with the caller's random generator.
    ///
    /// ```text
    /// FittedState:    σ²₁ = σ²_{T+1} (the one-step forecast), y₀ = y_T
    /// Unconditional:  σ²₁ from lags at ω/(1 − persistence), y₀ = the unconditional mean
    /// ```
    ///
    /// # Errors
    ///
    /// [`FitError::InvalidSetting`] if nobs exceeds [`MAX_SIMULATED_STEPS`];
    /// [`FitError::UndefinedLikelihood`] if a variance leaves (0, ∞) or a return overflows.
    ///
    /// ```
    /// use derisk::garch::{GarchModel, SimulationStart, VarianceForecast};
    /// use rand::SeedableRng;
    /// let m = GarchModel::garch11_t();
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    /// let sim = m.simulate_with(&[0.0, 0.2, 0.1, 0.8, 8.0], 500, 100, &mut rng)?;
    /// let fit = m.evaluate(&sim.returns, &[0.0, 0.2, 0.1, 0.8, 8.0])?;
    /// let path = fit.simulate(3, SimulationStart::FittedState, &mut rng)?;
    /// assert_eq!(path.variances[0], fit.forecast_variance(1)?[0]);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn simulate<R: Rng + ?Sized>(
        &self,
        nobs: usize,
        start: SimulationStart,
        rng: &mut R,
    ) -> Result<Simulation, FitError> {
        check_length(nobs, 0)?;
        run(self.path_state(start), nobs, 0, rng)
    }

    /// The state a simulated path of this fit starts from (see [`GarchFit::simulate`]).
    pub(crate) fn path_state(&self, start: SimulationStart) -> PathState {
        let l = *self.model.layout();
        let (lags, y_prev) = match start {
            SimulationStart::FittedState => (self.end_state(), self.last_y),
            SimulationStart::Unconditional => unconditional_start(&l, &self.params),
        };
        PathState::new(&l, &self.params, self.innovation(), lags, y_prev)
    }
}
