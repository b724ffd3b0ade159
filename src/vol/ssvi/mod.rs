//! SSVI: the surface, its curvature function φ, Gatheral–Jacquier's conditions, and its fit.

mod conditions;
mod fit;
mod phi;
mod surface;

pub use self::conditions::SsviConditions;
pub use self::phi::SsviPhi;
pub use self::surface::Ssvi;
