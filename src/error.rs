//! The umbrella error: every domain's error converts into it, so `?` works across domains.

use crate::black::{ImpliedVolError, PricingError};
use crate::garch::FitError;
use crate::margin::MarginError;
use crate::market::MarketError;
use crate::math::MathError;
use crate::portfolio::PortfolioError;
use crate::risk::RiskError;
use crate::sim::SimError;
use crate::vol::{CalibrationError, VolError};

/// Any error of the crate. Each domain keeps its own small enum; this one wraps them.
///
/// ```
/// fn run() -> Result<f64, derisk::Error> {
///     let vol = derisk::vol::FlatVol::new(0.5)?;          // VolError
///     let x = derisk::math::norm_inv_cdf(0.99)?;          // MathError
///     let m = derisk::pricing::Black76::new(100.0, 0.0, vol)?; // PricingError
///     Ok(x * m.forward())
/// }
/// assert!(run().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// From the math kernels.
    #[error(transparent)]
    Math(#[from] MathError),
    /// From pricing.
    #[error(transparent)]
    Pricing(#[from] PricingError),
    /// From implied volatility.
    #[error(transparent)]
    ImpliedVol(#[from] ImpliedVolError),
    /// From the volatility domain.
    #[error(transparent)]
    Vol(#[from] VolError),
    /// From calibration of smiles and surfaces.
    #[error(transparent)]
    Calibration(#[from] CalibrationError),
    /// From margin and liquidation.
    #[error(transparent)]
    Margin(#[from] MarginError),
    /// From market data: currencies, instants, curves, market states, scenarios.
    #[error(transparent)]
    Market(#[from] MarketError),
    /// From instruments, positions and books.
    #[error(transparent)]
    Portfolio(#[from] PortfolioError),
    /// From GARCH fitting, forecasting and simulation.
    #[error(transparent)]
    Fit(#[from] FitError),
    /// From returns, risk measures, backtests and historical P&L.
    #[error(transparent)]
    Risk(#[from] RiskError),
    /// From simulation set-up and paths.
    #[error(transparent)]
    Sim(#[from] SimError),
}
