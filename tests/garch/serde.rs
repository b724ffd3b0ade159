//! serde (feature `serde`): GARCH models and fits round-trip, and deserialising validates
//! through the constructors (issue 12: `Deserialize` must not build what `new` rejects).

use derisk::garch::*;

fn series(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| ((i * 37 % 101) as f64 - 50.0) / 25.0)
        .collect()
}

#[test]
fn models_and_fits_round_trip() {
    let m = GarchModel::garch11_t();
    let fit = m.fit(&series(400)).unwrap();
    let text = serde_json::to_string(&fit).unwrap();
    let back: GarchFit = serde_json::from_str(&text).unwrap();
    assert_eq!(back, fit);
    assert_eq!(
        back.forecast_variance(5).unwrap(),
        fit.forecast_variance(5).unwrap()
    );
    let mt: GarchModel = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
    assert_eq!(mt, m);
    let e = Ewma::riskmetrics();
    let b: Ewma = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
    assert_eq!(b, e);
    let s = SimulationStart::Unconditional;
    let b: SimulationStart = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(b, s);
}

#[test]
fn deserialising_validates() {
    assert!(serde_json::from_str::<Garch>(r#"{"p":0,"o":0,"q":1}"#).is_err());
    assert!(serde_json::from_str::<Egarch>(r#"{"p":9,"o":0,"q":1}"#).is_err());
    assert!(serde_json::from_str::<StudentT>(r#"{"nu":1.5}"#).is_err());
    assert!(serde_json::from_str::<StudentT>(r#"{"nu":-1e300}"#).is_err());
    assert!(serde_json::from_str::<SkewT>(r#"{"eta":5.0,"lambda":1.0}"#).is_err());
    assert!(serde_json::from_str::<Ewma>(r#"{"lambda":1.0}"#).is_err());
    assert!(serde_json::from_str::<StudentT>(r#"{"nu":5.0}"#).is_ok());
    // A model whose variance part is invalid inside.
    let bad_model =
        r#"{"mean":"Constant","volatility":{"Garch":{"p":0,"o":0,"q":0}},"innovation":"Normal"}"#;
    assert!(serde_json::from_str::<GarchModel>(bad_model).is_err());
    // A fit whose parameters, variances or covariance were tampered with.
    let fit = GarchModel::garch11_t().fit(&series(400)).unwrap();
    let v: serde_json::Value = serde_json::to_value(&fit).unwrap();
    let tamper = |path: &[&str], value: serde_json::Value| {
        let mut w = v.clone();
        let mut cur = &mut w;
        for p in &path[..path.len() - 1] {
            cur = &mut cur[*p];
        }
        cur[path[path.len() - 1]] = value;
        serde_json::from_value::<GarchFit>(w)
    };
    assert!(tamper(&["params"], serde_json::json!([0.0, 0.1, 0.1, 0.8, -1e300])).is_err());
    assert!(tamper(&["params"], serde_json::json!([0.0, -0.1, 0.1, 0.8, 6.0])).is_err());
    assert!(tamper(&["params"], serde_json::json!([0.0, 0.1, 0.1])).is_err());
    assert!(tamper(&["loglik"], serde_json::Value::Null).is_err());
    let mut neg = fit.conditional_variance().to_vec();
    neg[3] = -1.0;
    assert!(tamper(&["variance"], serde_json::json!(neg)).is_err());
    assert!(tamper(&["cov_robust"], serde_json::json!([1.0, 2.0])).is_err());
}
