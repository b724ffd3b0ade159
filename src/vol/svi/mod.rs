//! Raw SVI and its jump-wings reading, with the SVI calibration.

mod fit;
mod jw;
mod raw;

pub use self::jw::SviJw;
pub(crate) use self::raw::durrleman;
pub use self::raw::Svi;
