//! Seeded simulation is reproducible bit for bit, and pinned to an independent computation: the
//! ChaCha20 stream and two GARCH(1,1) paths in tests/data/garch_simulation.json were computed in
//! pure Python from the ChaCha paper (D. J. Bernstein, 2008) with scipy's normal and Student-t
//! quantiles (tools/gen_garch_reference.py). Also EWMA (RiskMetrics) against arch 8.0.0's
//! EWMAVariance(0.94) on the BTC returns.

use crate::common::{fixture, floats};
use derisk::garch::{
    Ewma, Garch, GarchModel, InnovationFamily, MeanModel, VarianceForecast, Volatility,
};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// The ChaCha20 generator these tests (and tools/gen_garch_reference.py) key from a u64 seed:
/// its 8 little-endian bytes, then 24 zero bytes, nonce 0.
pub(crate) fn seeded(seed: u64) -> ChaCha20Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    ChaCha20Rng::from_seed(key)
}

#[test]
fn chacha_stream_is_pinned() {
    let data = fixture("garch_simulation.json");
    let mut rng = seeded(42);
    for want in data["u64"].as_array().unwrap() {
        let want: u64 = want.as_str().unwrap().parse().unwrap();
        assert_eq!(rng.next_u64(), want);
    }
}

#[test]
fn simulated_paths_are_pinned() {
    let data = fixture("garch_simulation.json");
    let mut worst = 0.0f64;
    for path in data["paths"].as_array().unwrap() {
        let dist = match path["dist"].as_str().unwrap() {
            "normal" => InnovationFamily::Normal,
            _ => InnovationFamily::StudentT,
        };
        let model = GarchModel::new(
            MeanModel::Constant,
            Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
            dist,
        )
        .unwrap();
        let params = floats(&path["params"]);
        let (want_y, want_v) = (floats(&path["returns"]), floats(&path["variances"]));
        let seed = path["seed"].as_u64().unwrap();
        let burn = path["burn"].as_u64().unwrap() as usize;
        let sim = model
            .simulate_with(&params, want_y.len(), burn, &mut seeded(seed))
            .unwrap();
        for (got, want) in sim
            .returns
            .iter()
            .zip(&want_y)
            .chain(sim.variances.iter().zip(&want_v))
        {
            let e = ((got - want) / want).abs();
            assert!(e < 1e-12, "{dist:?}: {got} vs {want} rel {e:e}");
            worst = worst.max(e);
        }
        // Bit for bit the same on a second run.
        assert_eq!(
            sim,
            model
                .simulate_with(&params, want_y.len(), burn, &mut seeded(seed))
                .unwrap()
        );
    }
    println!("worst rel vs the Python path: {worst:.2e}");
}

#[test]
fn ewma_matches_arch_riskmetrics() {
    let data = fixture("garch_btc.json");
    let y = floats(&data["returns"]);
    let e = &data["ewma"];
    let fit = Ewma::new(e["lambda"].as_f64().unwrap())
        .unwrap()
        .fit(&y)
        .unwrap();
    let vol: Vec<f64> = fit.variance.iter().map(|v| v.sqrt()).collect();
    let (head, tail) = (floats(&e["cond_vol_head"]), floats(&e["cond_vol_tail"]));
    for (got, want) in vol[..5]
        .iter()
        .zip(&head)
        .chain(vol[vol.len() - 5..].iter().zip(&tail))
    {
        assert!(((got - want) / want).abs() < 1e-12, "{got} vs {want}");
    }
    let want_fc = floats(&e["forecast_variance"]);
    for (got, want) in fit
        .forecast_variance(want_fc.len())
        .unwrap()
        .iter()
        .zip(&want_fc)
    {
        assert!(((got - want) / want).abs() < 1e-12, "{got} vs {want}");
    }
}
