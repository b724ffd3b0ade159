//! Many paths into the caller's buffer allocate nothing per path: a counting global allocator
//! (per thread, so parallel tests do not disturb it) sees zero allocations while GBM, Merton,
//! GARCH-driven and FHS generators write 200 paths, and one (the margin states, once per call)
//! for a copula with GARCH margins.

use derisk::garch::{GarchModel, SimulationStart};
use derisk::sim::{Copula, CopulaGarch, Correlation, Fhs, GarchPaths, Gbm, Merton, PathGenerator};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

#[path = "../common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::count;

fn paths_allocate<G: PathGenerator>(g: &G) -> usize {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut out = vec![0.0; 200 * g.path_len()];
    let mut scratch = vec![0.0; g.path_len()];
    let (mut a, mut b) = (vec![0.0; 200 * g.assets()], vec![0.0; 200 * g.assets()]);
    count(|| {
        g.fill_many(&mut rng, &mut out).unwrap();
        g.terminal_antithetic(&mut rng, &mut scratch, &mut a, &mut b)
            .unwrap();
    })
}

#[test]
fn generators_do_not_allocate_per_path() {
    let y: Vec<f64> = (0..300)
        .map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0)
        .collect();
    let fit = GarchModel::garch11_t()
        .evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])
        .unwrap();
    assert_eq!(paths_allocate(&Gbm::new(0.0, 0.6, 0.01, 10).unwrap()), 0);
    assert_eq!(
        paths_allocate(&Merton::new(0.0, 0.6, 5.0, -0.05, 0.1, 0.01, 10).unwrap()),
        0
    );
    let g = GarchPaths::new(&fit, 10, SimulationStart::FittedState).unwrap();
    assert_eq!(paths_allocate(&g), 0);
    assert_eq!(paths_allocate(&Fhs::new(&fit, 10).unwrap()), 0);
    let cop = Copula::student_t(Correlation::new(2, &[1.0, 0.5, 0.5, 1.0]).unwrap(), 5.0).unwrap();
    let joint = CopulaGarch::new(cop, &[fit.clone(), fit], 10).unwrap();
    let mut out = vec![0.0; 200 * joint.path_len()];
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    assert_eq!(
        count(|| assert_eq!(joint.fill_many(&mut rng, &mut out).unwrap(), 200)),
        1
    );
}
