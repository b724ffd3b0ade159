//! Volatility: the [`Smile`] and [`VolSurface`] traits that pricers take as a type parameter,
//! smiles (raw SVI and SVI-JW, SABR, a non-parametric smile), surfaces (SSVI, slices
//! interpolated in total variance), their calibration behind [`Calibrate`], static-arbitrage
//! checks, and the outputs a desk reads (local volatility, density, ATM vol, 25-delta risk
//! reversal and butterfly). The maths is in docs/vol.md.

mod analytics;
mod arbitrage;
mod calibrate;
mod calibration_error;
mod error;
mod flat;
mod interpolated;
mod quotes;
mod sabr;
mod slice_surface;
mod ssvi;
mod svi;
mod svi_fit;
mod svi_jw;
mod traits;

pub use self::analytics::{
    local_volatility, risk_neutral_density, smile_summary, SmileSummary, SurfaceSlice,
};
pub use self::arbitrage::{
    check_butterfly, check_calendar, durrleman_g, lee_wing_slopes, ButterflyReport,
    CalendarViolation, Interval,
};
pub use self::calibrate::{Calibrated, CalibrationOptions, FitDiagnostics, Termination};
pub use self::calibration_error::CalibrationError;
pub use self::error::VolError;
pub use self::flat::FlatVol;
pub use self::interpolated::InterpolatedSmile;
pub use self::quotes::{PriceQuote, SliceQuotes, VolQuote, Weighting};
pub use self::sabr::{sabr_volatility, Sabr};
pub use self::slice_surface::SliceSurface;
pub use self::ssvi::{Ssvi, SsviConditions, SsviPhi};
pub use self::svi::Svi;
pub use self::svi_jw::SviJw;
pub use self::traits::{Calibrate, Smile, VolSurface};
