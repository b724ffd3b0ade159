//! GARCH-family conditional volatility: variance recursions (GARCH, GJR-GARCH, EGARCH, EWMA),
//! standardised innovations (Normal, Student-t, Hansen's skew-t), maximum-likelihood fits with
//! exact gradients and robust standard errors, forecasts, seeded simulation and diagnostics —
//! validated against Python's `arch` 8.0 (docs/VALIDATION.md, docs/garch.md).
//!
//! ```
//! use derisk::garch::{GarchModel, VarianceForecast};
//! let model = GarchModel::garch11_t();                  // constant mean, GARCH(1,1), Student-t
//! use rand::SeedableRng;
//! let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(11);
//! let sim = model.simulate_with(&[0.05, 0.2, 0.1, 0.85, 6.0], 2000, 500, &mut rng)?;
//! let fit = model.fit(&sim.returns)?;                   // percent returns in, percent² out
//! let se = fit.std_errors()?;                           // robust (Bollerslev–Wooldridge)
//! assert!((fit.params()[3] - 0.85).abs() < 5.0 * se[3]);
//! let vols = fit.annualized_vol_term_structure(30, 365.0)?;
//! assert_eq!(vols.len(), 30);
//! # Ok::<(), derisk::garch::FitError>(())
//! ```

mod analytic;
mod analytic_density;
mod analytic_lanes;
mod diagnostics;
mod dual;
mod error;
mod ewma;
mod fit;
mod forecast;
mod innovation;
mod kernel;
mod mean;
mod result;
#[cfg(feature = "serde")]
mod serde_impl;
mod simulate;
mod student;
mod traits;
mod variance;

pub use self::diagnostics::{arch_lm, ljung_box, TestStatistic, MAX_LAGS};
pub use self::error::FitError;
pub use self::ewma::{Ewma, EwmaFit};
pub use self::fit::{Convergence, FitOptions, GarchModel};
pub use self::forecast::{
    EGARCH_FORECAST_PATHS, MAX_FORECAST_PATHS, MAX_HORIZON, MAX_SIMULATED_STEPS,
};
pub(crate) use self::innovation::{t_quantile, uniform_open};
pub use self::innovation::{AnyInnovation, InnovationFamily, Normal, SkewT, StudentT};
pub use self::kernel::MAX_PARAMS;
pub use self::mean::MeanModel;
pub use self::result::GarchFit;
pub(crate) use self::simulate::PathState;
pub use self::simulate::{Simulation, SimulationStart};
pub(crate) use self::student::{ln_gamma_half_ratio, t_cdf};
pub use self::traits::{ConditionalVariance, Innovation, VarianceForecast};
pub use self::variance::{backcast, Egarch, Garch, Volatility, MAX_ORDER};
