//! Regression tests of issue 12's GARCH defects, each with the input that triggered it.

use crate::common::fixture;
use derisk::garch::*;

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn probe_garch22() {
    for (name, mean, dist) in [
        ("btc", MeanModel::Constant, InnovationFamily::Normal),
        ("btc", MeanModel::Constant, InnovationFamily::StudentT),
        ("btc2020", MeanModel::Constant, InnovationFamily::Normal),
        ("btc2020", MeanModel::Constant, InnovationFamily::StudentT),
        ("sim", MeanModel::Constant, InnovationFamily::Normal),
        ("sim", MeanModel::Zero, InnovationFamily::SkewT),
    ] {
        let y = floats(&fixture(&format!("garch_{name}.json"))["returns"]);
        for (p, o, q) in [(2, 0, 2), (1, 1, 2), (2, 1, 2), (1, 0, 2), (2, 0, 1)] {
            let m = GarchModel::new(mean, Volatility::Garch(Garch::new(p, o, q).unwrap()), dist)
                .unwrap();
            let f = m.fit(&y).unwrap();
            println!(
                "{name} {p}{o}{q} {dist:?} pers-1 {:e} {:?} {:?}",
                f.persistence() - 1.0,
                f.convergence().unwrap().termination,
                f.params()
            );
        }
    }
}
