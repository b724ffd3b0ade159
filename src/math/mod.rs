//! Numerical kernels with no finance vocabulary: the normal distribution and error functions, the
//! one bracketed root finder ([`brent`], [`brent_log`]) and the bounded minimiser.
//!
//! These are total functions on `f64` in the IEEE sense: finite input gives a finite, in-range
//! output, and NaN propagates (as for `f64::exp`); functions with a restricted domain, such as
//! [`norm_inv_cdf`], return a [`MathError`] outside it.

mod elementary;
mod elementary_tables;
mod error;
mod ks;
pub(crate) mod least_squares;
mod normal;

pub(crate) use self::elementary::{exp_in_range, exp_of_madd, ln_normal_plus};
pub use self::error::MathError;
pub use self::ks::{ks_two_sample, KsTest};
pub use self::normal::{erfc, erfcx, norm_cdf, norm_inv_cdf, norm_pdf};
pub(crate) use self::normal::{
    erfc_near_zero, erfc_small, erfcx_asymptotic, erfcx_middle, exp_neg_half_square,
    exp_neg_half_square_parts, lower_inv_cdf_guess, ERFCX_P, ERFCX_Q, ERFCX_RATIONAL_MAX,
};
mod minimize;
mod root;
pub(crate) mod simd;
mod termination;
pub(crate) use self::minimize::minimize_bounded_many;
pub use self::minimize::{minimize_bounded, MinimizeOptions, Minimum};
pub use self::root::{brent, brent_log, Root, RootOptions};
pub use self::termination::Termination;
