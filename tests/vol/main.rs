//! Volatility smiles and surfaces: one integration binary, one module per topic.
//!
//! Every reference number names its source (mpmath, QuantLib, scipy) and the tools/ script that
//! produced it; fixtures are read from tests/data via `CARGO_MANIFEST_DIR`.

#[path = "../common/mod.rs"]
mod common;

mod adversarial;
mod bad_input;
mod issue12;
mod quantlib;
mod ssvi;
mod surface;
mod svi;
