//! What every fit shares: quotes, options, the result and its diagnostics, the error type.

mod calibrated;
mod diagnostics;
mod error;
mod options;
mod price_quote;
mod quotes;
mod vol_quote;
mod weighting;

pub use self::calibrated::Calibrated;
pub(crate) use self::calibrated::{diagnose, ErrorSums};
pub use self::diagnostics::FitDiagnostics;

pub use self::error::CalibrationError;
pub use self::options::CalibrationOptions;
pub use self::price_quote::PriceQuote;
pub use self::quotes::SliceQuotes;
pub use self::vol_quote::VolQuote;
pub use self::weighting::Weighting;
