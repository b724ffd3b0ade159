//! Returns, aggregation, annualisation, rolling and EWMA volatility of the first BTC closes
//! against mpmath at 50 digits (tools/gen_risk_reference.py, section "returns"; the rolling
//! volatility also against numpy.std(ddof=1) inside the script).

use super::common::{abs, f, floats, log_returns, prices, reference, rel};
use derisk::risk::{
    aggregate_log_returns, aggregate_simple_returns, ewma_volatility, rolling_volatility,
    simple_returns, Annualisation, Overlap,
};

#[test]
fn log_and_simple_returns() {
    let r = reference();
    let lr = log_returns();
    let sr = simple_returns(&prices()).unwrap();
    assert_eq!(lr.len(), 2686);
    // ln of a binary64 ratio: ≤ half an ulp of the ratio (1.1e-16) plus the log's rounding.
    for (i, want) in floats(&r["returns"]["log_returns_first10"])
        .iter()
        .enumerate()
    {
        abs(lr[i], *want, 3e-16, "log return");
    }
    for (i, want) in floats(&r["returns"]["simple_returns_first10"])
        .iter()
        .enumerate()
    {
        abs(sr[i], *want, 3e-16, "simple return");
    }
}

#[test]
fn aggregation_overlapping_and_not() {
    let r = &reference()["returns"];
    let lr = log_returns();
    let sr = simple_returns(&prices()).unwrap();
    let cases = [
        (
            "agg_log_h5_overlapping",
            aggregate_log_returns(&lr[..23], 5, Overlap::Overlapping),
        ),
        (
            "agg_log_h5_nonoverlapping",
            aggregate_log_returns(&lr[..23], 5, Overlap::NonOverlapping),
        ),
        (
            "agg_simple_h5_overlapping",
            aggregate_simple_returns(&sr[..23], 5, Overlap::Overlapping),
        ),
        (
            "agg_simple_h5_nonoverlapping",
            aggregate_simple_returns(&sr[..23], 5, Overlap::NonOverlapping),
        ),
    ];
    for (key, got) in cases {
        let got = got.unwrap();
        let want = floats(&r[key]);
        assert_eq!(
            got.len(),
            want.len(),
            "{key}: 19 overlapping, 4 non-overlapping"
        );
        for (g, w) in got.iter().zip(&want) {
            abs(*g, *w, 2e-15, key);
        }
    }
}

#[test]
fn rolling_ewma_and_annualised_volatility() {
    let r = &reference()["returns"];
    let lr = log_returns();
    let roll = rolling_volatility(&lr[..60], 20).unwrap();
    let want = floats(&r["rolling_vol_w20_first60"]);
    assert_eq!(roll.len(), 41);
    for (g, w) in roll.iter().zip(&want) {
        rel(*g, *w, 1e-12, "rolling volatility");
    }
    let ew = ewma_volatility(&lr[..100], 0.94).unwrap();
    let want = floats(&r["ewma_vol_l094_first100"]);
    assert_eq!(ew.len(), 101);
    for (g, w) in ew.iter().zip(&want) {
        rel(*g, *w, 1e-12, "ewma volatility");
    }
    let annual = Annualisation::default().volatility(roll[0]).unwrap();
    rel(
        annual,
        f(&r["annual_vol_of_rolling0"]),
        1e-12,
        "annualised volatility (365)",
    );
}
