//! Volatility: the [`Smile`] and [`VolSurface`] traits that pricers take as a type parameter,
//! and the flat volatility. SVI, SSVI and SABR surfaces come next (see the README's status table).

mod error;
mod flat;
mod traits;

pub use self::error::VolError;
pub use self::flat::FlatVol;
pub use self::traits::{Smile, VolSurface};
