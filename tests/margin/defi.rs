//! DeFi lending liquidation against tests/data/defi_reference.json (tools/gen_defi_reference.py:
//! an independent re-implementation of the protocols' integer arithmetic from their Solidity
//! sources — Aave v3.3 LiquidationLogic.sol, Compound III Comet.sol, Maker dss dog.sol/clip.sol/
//! abaci.sol). derisk computes in f64 and the contracts round to token decimals (USDC: 1e-6),
//! so amounts agree to the token's last unit: 1e-9 relative, or 2e-6 absolute for USDC amounts.

use derisk::margin::{
    bark, comet_quote_collateral, AaveAccount, AaveCollateral, AaveDebt, AaveParams, Abacus,
    ClipperParams, CometAccount, CometCollateral, MarginError,
};
use serde_json::Value;

fn data() -> Value {
    serde_json::from_str(include_str!("../data/defi_reference.json")).unwrap()
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or_else(|| panic!("{k}"))
}

fn close(got: f64, want: f64, abs: f64, what: &str) {
    let tol = abs.max(1e-9 * want.abs());
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs {want} (tol {tol})"
    );
}

#[test]
fn aave_v3_3_liquidation_call() {
    for case in data()["aave"].as_array().unwrap() {
        let i = &case["input"];
        let name = case["name"].as_str().unwrap();
        let a = AaveAccount::new(
            vec![AaveCollateral::new(
                f(i, "collateral"),
                f(i, "collateral_price"),
                f(i, "liquidation_threshold"),
                f(i, "liquidation_bonus"),
                f(i, "protocol_fee"),
            )
            .unwrap()],
            vec![AaveDebt::new(f(i, "debt"), f(i, "debt_price")).unwrap()],
        );
        let cover = i["debt_to_cover"].as_f64().unwrap_or(f64::MAX);
        let got = a.liquidate(0, 0, cover, &AaveParams::V3_3);
        match &case["expect"] {
            Value::String(s) if s == "not_liquidatable" => {
                assert!(
                    matches!(got, Err(MarginError::NotLiquidatable { .. })),
                    "{name}"
                )
            }
            Value::String(s) if s == "dust" => {
                assert!(matches!(got, Err(MarginError::LeavesDust { .. })), "{name}")
            }
            e => {
                let (_, l) = got.unwrap_or_else(|err| panic!("{name}: {err}"));
                close(l.debt_repaid, f(e, "debt_repaid"), 2e-6, name);
                close(
                    l.collateral_to_liquidator,
                    f(e, "collateral_to_liquidator"),
                    1e-15,
                    name,
                );
                close(l.protocol_fee, f(e, "protocol_fee"), 1e-15, name);
                close(l.deficit, f(e, "deficit"), 2e-6, name);
                close(
                    l.health_factor_before,
                    f(e, "health_factor_before"),
                    1e-15,
                    name,
                );
            }
        }
    }
}

#[test]
fn compound_iii_absorb_and_quote() {
    for case in data()["comet"].as_array().unwrap() {
        let i = &case["input"];
        let name = case["name"].as_str().unwrap();
        let assets: Vec<CometCollateral> = i["assets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                CometCollateral::new(
                    f(a, "amount"),
                    f(a, "price"),
                    f(a, "borrow_cf"),
                    f(a, "liquidate_cf"),
                    f(a, "liquidation_factor"),
                )
                .unwrap()
            })
            .collect();
        let acct =
            CometAccount::new(f(i, "base_balance"), f(i, "base_price"), assets.clone()).unwrap();
        let sf = f(i, "store_front_price_factor");
        match &case["expect"] {
            Value::String(_) => {
                assert!(!acct.is_liquidatable(), "{name}");
                assert!(matches!(
                    acct.absorb(sf),
                    Err(MarginError::NotLiquidatable { .. })
                ));
            }
            e => {
                close(
                    acct.liquidation_liquidity(),
                    f(e, "liquidation_liquidity"),
                    1e-9,
                    name,
                );
                let (after, out) = acct.absorb(sf).unwrap();
                close(out.credited, f(e, "credited"), 2e-6, name);
                close(out.new_base_balance, f(e, "new_base_balance"), 2e-6, name);
                close(
                    out.reserves_loss_at_store_front,
                    f(e, "reserves_loss_at_store_front"),
                    2e-6,
                    name,
                );
                assert!(after.collateral().is_empty());
                let a0 = &i["assets"][0];
                let q = comet_quote_collateral(
                    1_000.0,
                    f(i, "base_price"),
                    f(a0, "price"),
                    f(a0, "liquidation_factor"),
                    sf,
                )
                .unwrap();
                close(q, case["quote_1000"].as_f64().unwrap(), 1e-15, name);
            }
        }
    }
}

#[test]
fn maker_liquidations_2_bark_and_take() {
    for case in data()["maker"].as_array().unwrap() {
        let i = &case["input"];
        let name = case["name"].as_str().unwrap();
        let ab = &i["abacus"];
        let abacus = match ab["kind"].as_str().unwrap() {
            "linear" => Abacus::Linear { tau: f(ab, "tau") },
            _ => Abacus::StairstepExponential {
                step: f(ab, "step"),
                cut: f(ab, "cut"),
            },
        };
        let p = ClipperParams::new(
            f(i, "chop"),
            f(i, "buf"),
            f(i, "tail"),
            f(i, "cusp"),
            f(i, "chip"),
            f(i, "tip"),
            f(i, "chost"),
            abacus,
        )
        .unwrap();
        let got = bark(
            f(i, "ink"),
            f(i, "art"),
            f(i, "rate"),
            f(i, "price"),
            f(i, "mat"),
            &p,
        );
        let e = &case["expect"];
        if e.is_string() {
            assert!(
                matches!(got, Err(MarginError::NotLiquidatable { .. })),
                "{name}"
            );
            continue;
        }
        let mut auction = got.unwrap();
        close(auction.tab, f(e, "tab"), 1e-9, name);
        close(auction.top, f(e, "top"), 1e-9, name);
        close(
            auction.keeper_incentive,
            f(e, "keeper_incentive"),
            1e-9,
            name,
        );
        for (t, want) in i["takes"]
            .as_array()
            .unwrap()
            .iter()
            .zip(e["takes"].as_array().unwrap())
        {
            let t = t.as_array().unwrap();
            let out = auction
                .take(
                    t[0].as_f64().unwrap(),
                    t[1].as_f64().unwrap(),
                    t[2].as_f64().unwrap(),
                    &p,
                )
                .unwrap();
            close(out.price, f(want, "price"), 1e-9, name);
            close(out.collateral, f(want, "collateral"), 1e-9, name);
            close(out.dai, f(want, "dai"), 1e-9, name);
            if want["ended"].as_bool().unwrap() {
                assert!(out.auction.is_none(), "{name}");
                close(out.bad_debt, f(want, "bad_debt"), 1e-9, name);
                close(out.returned_to_owner, f(want, "returned"), 1e-9, name);
                break;
            }
            auction = out.auction.unwrap();
            close(auction.tab, f(want, "tab"), 1e-9, name);
            close(auction.lot, f(want, "lot"), 1e-9, name);
        }
    }
}

/// Value conservation of an Aave liquidation: the liquidator's collateral plus the treasury's fee
/// is worth the repaid debt times the bonus (before the collateral cap), and what left the
/// account equals what the liquidator and the treasury received.
#[test]
fn aave_liquidation_conserves_collateral() {
    let a = AaveAccount::new(
        vec![AaveCollateral::new(10.0, 2_000.0, 0.825, 1.05, 0.1).unwrap()],
        vec![AaveDebt::new(18_000.0, 1.0).unwrap()],
    );
    let (after, l) = a.liquidate(0, 0, 9_000.0, &AaveParams::V3_3).unwrap();
    let left_account = 10.0 - after.collateral[0].amount();
    assert!((left_account - (l.collateral_to_liquidator + l.protocol_fee)).abs() < 1e-12);
    assert!(
        ((l.collateral_to_liquidator + l.protocol_fee) * 2_000.0 - 9_000.0 * 1.05).abs() < 1e-9
    );
    assert_eq!(after.debt[0].amount(), 9_000.0);
}
