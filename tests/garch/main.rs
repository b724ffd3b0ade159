//! The GARCH integration tests, one binary (issue 12): agreement with Python's `arch`,
//! innovations against mpmath, seeded simulation, parameter recovery, bad and adversarial
//! input, allocation-free hot paths, `Send + Sync`.

#[path = "../common/mod.rs"]
mod common;

mod adversarial;
mod alloc;
mod bad_input;
mod gradients;
mod innovations;
mod kink;
mod recovery;
mod reference;
mod regressions;
mod send_sync;
#[cfg(feature = "serde")]
mod serde;
mod simulation;
mod starts;
