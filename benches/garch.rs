//! Placeholder until the garch benches land.
fn main() {}
