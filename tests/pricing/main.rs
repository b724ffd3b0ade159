//! Pricing, the Black kernel, implied volatility and the normal kernels: one integration binary.
//!
//! Each module is one former test file; reference tables cite their source in the module docs.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/counting_alloc.rs"]
mod counting_alloc;

mod adversarial;
mod api;
mod bad_input;
mod batch;
mod batch_greeks;
mod central_path;
mod implied_batch;
mod implied_properties;
mod implied_reference;
mod inverse;
mod issue12;
mod normal;
mod normalised_reference;
mod properties;
mod reference;
