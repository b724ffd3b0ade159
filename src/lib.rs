//! # derisk
//!
//! Quantitative risk for crypto derivatives, as an embeddable pure library: no I/O, no clock, no
//! global state. Inputs in, `Result` out.
//!
//! This release provides option pricing — Black–Scholes–Merton, Black-76 and coin-settled
//! (inverse, Deribit-style) options — with the price and all fourteen Greeks from one kernel that
//! keeps its relative precision deep out of the money and at very short expiries, behind the
//! [`PricingModel`](pricing::PricingModel) and [`Sensitivities`](pricing::Sensitivities) traits,
//! with any [`VolSurface`](vol::VolSurface) as the volatility source.
//!
//! ## Quick start
//!
//! ```
//! use derisk::prelude::*;
//!
//! // A BTC call on Deribit: coin-settled, on the expiry's forward, r = 0.
//! let model = InverseBlack76::flat(88_728.95, 0.0, 0.4323)?;
//! let call = EuropeanOption::call(82_000.0, 16.6 / 365.0)?;
//! let coin = model.price(&call)?;                 // premium in BTC
//! let usd = model.usd_model().price(&call)?;      // the same option valued in USD
//! assert!((coin * model.forward() - usd).abs() < 1e-9 * usd);
//!
//! // Spot Black–Scholes with every Greek in one pass.
//! let bs = BlackScholes::flat(42.0, 0.10, 0.0, 0.20)?;
//! let g = bs.greeks(&EuropeanOption::call(40.0, 0.5)?)?;
//! assert!((g.price - 4.759_422_392_871_533).abs() < 1e-13); // Hull, Example 15.6
//! println!("vega per vol point {:.4}, theta per day {:.4}", g.vega_per_point(), g.theta_per_day());
//! # Ok::<(), derisk::Error>(())
//! ```
//!
//! ## Modules
//!
//! | module | what |
//! |---|---|
//! | [`black`] | the Black kernel in forward / total-volatility coordinates: price, all fourteen Greeks in one pass, implied volatility (free functions on `f64`) |
//! | [`market`] | currencies and money, UTC instants and day counts, forward and discount curves, the `MarketState` and composable `Scenario`s; order books (walk, VWAP, slippage), square-root impact, Almgren–Chriss execution |
//! | [`portfolio`] | instruments (built-in `Contract`s and the `Instrument` trait), positions with stable ids, the `Book`: values in any currency, P&L, revaluation under many scenarios, Greeks by factor, hedges |
//! | [`margin`] | linear/inverse futures and perpetuals: P&L, funding, tiered maintenance margin, isolated and cross liquidation and bankruptcy prices, collateral haircuts, Deribit option margin; portfolio margin (Deribit risk matrix, SPAN); the liquidation engine (index, tiered partial liquidation, insurance fund, ADL, default waterfall, cascades, accounts as step functions) and DeFi lending liquidation (Aave, Compound, Maker) |
//! | [`math`] | normal pdf/cdf/inverse cdf and erfcx, accurate deep into the tails; root finding, minimisation, least squares; the two-sample Kolmogorov–Smirnov test |
//! | [`pricing`] | contracts, markets, the Black kernel, models, Greeks, batch APIs |
//! | [`vol`] | `Smile`, `VolSurface`, `Calibrate`; SVI/SVI-JW, SABR, SSVI and slice surfaces with calibration, arbitrage checks, local vol, density, ATM/RR/BF |
//! | [`risk`] | returns, annualisation, rolling and EWMA volatility; VaR and ES (historical with three quantile definitions, normal, Student-t, Cornish–Fisher) behind `RiskMeasure`; Kupiec, Christoffersen and Basel traffic-light backtests behind `Backtest`; historical P&L of a book by full revaluation; collateral haircuts (Basel comprehensive approach, a crypto haircut model) and Basel cryptoasset capital (SCO60); stress testing (historical crises, hypothetical grids, reverse stress); liquidity-adjusted VaR; counterparty exposure (EE, PFE, EPE, CSA, CVA with wrong-way risk, SA-CCR) in `risk::exposure` |
//! | [`garch`] | GARCH, GJR-GARCH, EGARCH and EWMA volatility: fits with standard errors (validated against `arch`), forecasts, simulation |
//! | [`sim`] | seeded paths with the caller's generator: GBM, Merton jumps, GARCH-driven, filtered historical simulation, Gaussian/t copulas with GARCH margins, antithetic variates, estimates with standard errors |
//!
//! ## Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `serde` | off | `Serialize`/`Deserialize` on contracts, markets, Greeks and models |
//! | `rayon` | off | `par_price_many`, `par_greeks_many` and `par_implied_vol_many` on rayon's thread pool (without it they exist too, sequential) |
//! | `simd` | on | batch pricing kernels also compiled for AVX2/AVX-512 with FMA and chosen at run time (`pulp`); without it they use the build target's vector width |
//!
//! ## Conventions
//!
//! Time in years (ACT/365 in the examples), continuously compounded rates, volatility as a
//! decimal per √year, Greeks as raw derivatives (theta per year as calendar time passes); desk
//! units are methods on [`Greeks`](pricing::Greeks). Errors are typed per domain and convert
//! into [`Error`]; no function returns NaN or ∞ to signal an error.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::all)]

pub mod black;
mod error;
pub mod garch;
pub mod margin;
pub mod market;
pub mod math;
pub mod portfolio;
pub mod pricing;
pub mod risk;
pub mod sim;
pub mod vol;

pub use crate::error::Error;

/// The names most programs need: `use derisk::prelude::*;`.
pub mod prelude {
    pub use crate::garch::{
        FitError, GarchFit, GarchModel, Innovation, InnovationFamily, MeanModel, VarianceForecast,
        Volatility,
    };
    pub use crate::margin::{
        CrossAccount, IsolatedPosition, LiquidationPrice, MarginError, MarginModel, Side, TierTable,
    };
    pub use crate::market::{
        Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketError, MarketState, Money,
        NamedScenario, Scenario, Shock, VolDynamics,
    };
    pub use crate::portfolio::{
        Book, Contract, Instrument, PortfolioError, Position, PositionId, RiskReport, Settlement,
    };
    pub use crate::pricing::{
        Black76, BlackScholes, EuropeanOption, Greeks, ImpliedVol, ImpliedVolError,
        ImpliedVolatility, InverseBlack76, Market, OptionKind, PricingError, PricingModel,
        Sensitivities,
    };
    pub use crate::risk::{
        Backtest, ExpectedShortfall, RiskError, RiskMeasure, TestOutcome, ValueAtRisk,
    };
    pub use crate::vol::{
        Calibrate, CalibrationError, CalibrationOptions, Sabr, SliceQuotes, SliceSurface, Ssvi, Svi,
    };
    pub use crate::vol::{FlatVol, Smile, VolSurface};
    pub use crate::Error;
}
