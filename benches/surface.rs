//! Placeholder until the surface benches land.
fn main() {}
