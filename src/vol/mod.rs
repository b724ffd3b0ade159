//! Volatility: the [`Smile`] and [`VolSurface`] traits that pricers take as a type parameter,
//! smiles (raw SVI and SVI-JW, SABR, a non-parametric smile), surfaces (SSVI, slices
//! interpolated in total variance), their calibration behind [`Calibrate`], static-arbitrage
//! checks, and the outputs a desk reads (local volatility, density, ATM vol, 25-delta risk
//! reversal and butterfly). The maths is in docs/vol.md.

mod analytics;
mod arbitrage;
mod butterfly_report;
mod calendar_violation;
mod calibrate;
mod calibration_error;
mod diagnostics;
mod error;
mod flat;
mod interpolated;
mod interval;
mod options;
mod price_quote;
mod quotes;
mod sabr;
mod slice_surface;
mod ssvi;
mod ssvi_conditions;
mod ssvi_phi;
mod surface_slice;
mod svi;
mod svi_fit;
mod svi_jw;
mod termination;
mod traits;
mod vol_quote;
mod weighting;

pub use self::analytics::{local_volatility, risk_neutral_density, smile_summary, SmileSummary};
pub use self::arbitrage::{check_butterfly, check_calendar, durrleman_g, lee_wing_slopes};
pub use self::butterfly_report::ButterflyReport;
pub use self::calendar_violation::CalendarViolation;
pub use self::calibrate::Calibrated;
pub use self::calibration_error::CalibrationError;
pub use self::diagnostics::FitDiagnostics;
pub use self::error::VolError;
pub use self::flat::FlatVol;
pub use self::interpolated::InterpolatedSmile;
pub use self::interval::Interval;
pub use self::options::CalibrationOptions;
pub use self::price_quote::PriceQuote;
pub use self::quotes::SliceQuotes;
pub use self::sabr::{sabr_volatility, Sabr};
pub use self::slice_surface::SliceSurface;
pub use self::ssvi::Ssvi;
pub use self::ssvi_conditions::SsviConditions;
pub use self::ssvi_phi::SsviPhi;
pub use self::surface_slice::SurfaceSlice;
pub use self::svi::Svi;
pub use self::svi_jw::SviJw;
pub use self::termination::Termination;
pub use self::traits::{Calibrate, Smile, VolSurface};
pub use self::vol_quote::VolQuote;
pub use self::weighting::Weighting;
