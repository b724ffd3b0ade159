//! Margin and liquidation: one integration binary (issue 12 groups the tests by domain).
//!
//! | module | what |
//! |---|---|
//! | `reference` | the venues' worked examples and formulas (sources named in each test) |
//! | `properties` | proptest of the defining equations (equity at the LP = requirement, ...) |
//! | `bad_input` | every `MarginError` from its input, `Send + Sync`, serde that validates |
//! | `regressions` | issue 12's margin defects, each with the input that triggered it |
//! | `adversarial` | every public fallible function over hostile values (seeded) |
//! | `alloc` | the hot paths allocate nothing (a counting global allocator for this binary) |

mod adversarial;
mod alloc;
mod bad_input;
mod defi;
mod liquidation_engine;
mod properties;
mod reference;
mod regressions;
mod spine;
