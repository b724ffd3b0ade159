//! Placeholder until the margin benches land.
fn main() {}
