//! Placeholder until the implied benches land.
fn main() {}
