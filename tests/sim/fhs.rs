//! Filtered historical simulation and GARCH Monte Carlo against Python `arch` 8.0.0
//! (tests/data/sim_fhs_reference.json, tools/gen_fhs_reference.py): on the 2,686 BTC daily
//! percent returns at arch's GARCH(1,1)-normal parameters, 2,000 derisk paths and arch's 2,000
//! `forecast(method="bootstrap")` (resp. `"simulation"`) paths of the 1- and 10-day cumulative
//! return are one distribution by the two-sample Kolmogorov–Smirnov test (p > 0.01).

use crate::common::fixture;
use crate::floats;
use derisk::garch::{
    Garch, GarchFit, GarchModel, InnovationFamily, MeanModel, SimulationStart, Volatility,
};
use derisk::math::ks_two_sample;
use derisk::sim::{Fhs, GarchPaths, PathGenerator};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

pub(crate) fn btc_fit(reference: &serde_json::Value) -> GarchFit {
    let model = GarchModel::new(
        MeanModel::Constant,
        Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
        InnovationFamily::Normal,
    )
    .unwrap();
    let y = floats(&fixture("garch_btc.json")["returns"]);
    model.evaluate(&y, &floats(&reference["params"])).unwrap()
}

/// Cumulative h-step returns of `paths` paths of `g` (h = 1 and h = steps).
fn cumulative<G: PathGenerator>(g: &G, paths: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut all = vec![0.0; paths * g.path_len()];
    g.fill_many(&mut rng, &mut all).unwrap();
    let h1 = all.chunks_exact(g.path_len()).map(|p| p[0]).collect();
    let hn = all
        .chunks_exact(g.path_len())
        .map(|p| p.iter().sum())
        .collect();
    (h1, hn)
}

fn agree(name: &str, ours: &[f64], arch: &[f64]) {
    let t = ks_two_sample(ours, arch).unwrap();
    println!("{name}: KS D {:.4}, p {:.3}", t.statistic, t.p_value);
    assert!(t.p_value > 0.01, "{name}: KS p {}", t.p_value);
}

#[test]
fn fhs_matches_arch_bootstrap_in_distribution() {
    let r = fixture("sim_fhs_reference.json");
    let fit = btc_fit(&r);
    let fhs = Fhs::new(&fit, r["horizon"].as_u64().unwrap() as usize).unwrap();
    let (h1, h10) = cumulative(&fhs, 2_000, 31);
    agree("FHS 1-day", &h1, &floats(&r["bootstrap"]["h1"]));
    agree("FHS 10-day", &h10, &floats(&r["bootstrap"]["h10"]));
}

#[test]
fn garch_paths_match_arch_simulation_in_distribution() {
    let r = fixture("sim_fhs_reference.json");
    let fit = btc_fit(&r);
    let g = GarchPaths::new(&fit, 10, SimulationStart::FittedState).unwrap();
    let (h1, h10) = cumulative(&g, 2_000, 32);
    agree("GARCH MC 1-day", &h1, &floats(&r["simulation"]["h1"]));
    agree("GARCH MC 10-day", &h10, &floats(&r["simulation"]["h10"]));
}

/// The test has power: FHS 10-day returns against arch's 1-day ones are rejected.
#[test]
fn ks_rejects_different_horizons() {
    let r = fixture("sim_fhs_reference.json");
    let fhs = Fhs::new(&btc_fit(&r), 10).unwrap();
    let (_, h10) = cumulative(&fhs, 2_000, 33);
    let t = ks_two_sample(&h10, &floats(&r["bootstrap"]["h1"])).unwrap();
    assert!(t.p_value < 1e-6, "{t:?}");
}
