//! The likelihood hot path allocates nothing: a counting global allocator sees zero allocations
//! during the filter, the log-likelihood and its exact gradient. The count is per thread, so
//! the other tests of this binary, running in parallel, do not disturb it.

use derisk::garch::{ConditionalVariance, Garch, GarchModel};

#[path = "../common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::allocations;

#[test]
fn likelihood_and_gradient_do_not_allocate() {
    let y: Vec<f64> = (0..500)
        .map(|i| ((i * 37 % 101) as f64 - 50.0) / 25.0)
        .collect();
    let m = GarchModel::garch11_t();
    let th = [0.0, 0.1, 0.1, 0.8, 6.0];
    let mut grad = [0.0; 5];
    let mut out = vec![0.0; y.len()];
    let g = Garch::new(1, 0, 1).unwrap();
    let before = allocations();
    let a = m.log_likelihood_with_backcast(&y, &th, 1.0).unwrap();
    let b = m.log_likelihood_gradient(&y, &th, 1.0, &mut grad).unwrap();
    g.filter(&th[1..4], &y, 1.0, &mut out).unwrap();
    let after = allocations();
    assert_eq!(after - before, 0, "allocations on the hot path");
    assert!(((a - b) / a).abs() < 1e-13, "{a} vs {b}");
}
