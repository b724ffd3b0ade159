//! Volatility: the [`Smile`] and [`VolSurface`] traits that pricers take as a type parameter,
//! smiles (raw SVI and SVI-JW, SABR, a non-parametric smile), surfaces (SSVI, slices
//! interpolated in total variance), their calibration behind [`Calibrate`], static-arbitrage
//! checks, and the outputs a desk reads (local volatility, density, ATM vol, 25-delta risk
//! reversal and butterfly). The maths is in docs/vol.md.
//!
//! Layout: each model sits with its fit in one folder (`svi/`, `ssvi/`, `sabr/`); what every
//! fit shares (quotes, options, diagnostics, errors) is in `calibration/`; static-arbitrage
//! checks in `arbitrage/`. Every public item is re-exported here by name.

mod analytics;
mod arbitrage;
mod calibration;
mod error;
mod flat;
mod interpolated;
mod sabr;
#[cfg(feature = "serde")]
mod serde_data;
mod slice_surface;
mod ssvi;
mod surface_slice;
mod svi;
mod traits;

pub use self::analytics::{local_volatility, risk_neutral_density, smile_summary, SmileSummary};
pub use self::arbitrage::{
    check_butterfly, check_calendar, durrleman_g, lee_wing_slopes, ButterflyReport,
    CalendarViolation, Interval, MAX_GRID_POINTS,
};
pub use self::calibration::{
    Calibrated, CalibrationError, CalibrationOptions, FitDiagnostics, PriceQuote, SliceQuotes,
    VolQuote, Weighting,
};
pub use self::error::VolError;
pub use self::flat::FlatVol;
pub use self::interpolated::InterpolatedSmile;
pub use self::sabr::{sabr_volatility, Sabr};
pub use self::slice_surface::SliceSurface;
pub use self::ssvi::{Ssvi, SsviConditions, SsviPhi};
pub use self::surface_slice::SurfaceSlice;
pub use self::svi::{Svi, SviJw};
pub use self::traits::{vol_from_total_variance, Calibrate, Smile, VolSurface};
