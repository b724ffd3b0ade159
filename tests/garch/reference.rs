//! GARCH fits against Python's `arch` 8.0.0 (tests/data/garch_{btc,btc2020,sim}.json, written by
//! tools/gen_garch_reference.py with the versions pinned in its header). The BTC series are
//! 100·ln(Cₜ/Cₜ₋₁) of Yahoo Finance BTC-USD daily closes (examples/data/README.md); `sim` is a
//! GJR-GARCH(1,1,1)-t path simulated by arch.
//!
//! Bars (issue 5): our log-likelihood at our optimum ≥ arch's − 1e-6 relative; parameters within
//! 1e-3 relative of arch's (tight-tolerance) estimates, except parameters on a constraint
//! boundary, which must sit on the same boundary; standard errors (robust and classic, at arch's
//! parameters) within 1e-2 relative; analytic variance forecasts at arch's parameters within 1e-8
//! relative. We also check the likelihood, conditional volatilities, AIC/BIC and the diagnostics
//! (Ljung–Box from statsmodels, ARCH-LM from arch) at arch's parameters.

use crate::common::{fixture, floats};
use derisk::garch::{
    arch_lm, ljung_box, ConditionalVariance, Egarch, Garch, GarchModel, InnovationFamily,
    MeanModel, VarianceForecast, Volatility,
};

fn model(m: &serde_json::Value) -> GarchModel {
    let mean = match m["mean"].as_str().unwrap() {
        "Zero" => MeanModel::Zero,
        "Constant" => MeanModel::Constant,
        "AR" => MeanModel::Ar1,
        other => panic!("mean {other}"),
    };
    let (p, o, q) = (
        m["p"].as_u64().unwrap() as usize,
        m["o"].as_u64().unwrap() as usize,
        m["q"].as_u64().unwrap() as usize,
    );
    let vol = match m["vol"].as_str().unwrap() {
        "GARCH" => Volatility::Garch(Garch::new(p, o, q).unwrap()),
        "EGARCH" => Volatility::Egarch(Egarch::new(p, o, q).unwrap()),
        other => panic!("vol {other}"),
    };
    let dist = match m["dist"].as_str().unwrap() {
        "normal" => InnovationFamily::Normal,
        "t" => InnovationFamily::StudentT,
        "skewt" => InnovationFamily::SkewT,
        other => panic!("dist {other}"),
    };
    GarchModel::new(mean, vol, dist).unwrap()
}

fn rel(got: f64, want: f64) -> f64 {
    ((got - want) / want).abs()
}

#[derive(Default)]
struct Worst {
    loglik_at_arch: f64,
    loglik_gain: f64,
    loglik_min_gain: f64,
    params: f64,
    se_robust: f64,
    se_classic: f64,
    forecast: f64,
    cond_vol: f64,
    diagnostics: f64,
    egarch_z: f64,
}

/// Where arch's estimate sits on a bound at zero (αᵢ, γⱼ or βₖ = 0).
fn on_zero_bound(name: &str, value: f64) -> bool {
    let lag = name.starts_with("alpha") || name.starts_with("beta") || name.starts_with("gamma");
    lag && value.abs() < 1e-6
}

fn check_series(file: &str, w: &mut Worst) {
    let data = fixture(file);
    let y = floats(&data["returns"]);
    for (name, m) in data["models"].as_object().unwrap() {
        let label = format!("{file} {name}");
        let model = model(m);
        let names = model.param_names();
        let want_names: Vec<String> = m["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, want_names, "{label}");
        let arch = floats(&m["params_tight"]);

        // 1. The likelihood, conditional volatility and forecasts at arch's own parameters.
        let at = model.evaluate(&y, &arch).unwrap();
        let e = rel(at.loglik(), m["loglik_tight"].as_f64().unwrap());
        assert!(e < 1e-10, "{label}: loglik at arch's params rel {e:e}");
        w.loglik_at_arch = w.loglik_at_arch.max(e);
        assert!(
            rel(at.aic(), m["aic_tight"].as_f64().unwrap()) < 1e-10,
            "{label} aic"
        );
        assert!(
            rel(at.bic(), m["bic_tight"].as_f64().unwrap()) < 1e-10,
            "{label} bic"
        );
        assert_eq!(at.nobs() as u64, m["nobs"].as_u64().unwrap());
        let cv = at.conditional_volatility();
        let head = floats(&m["cond_vol_head"]);
        let tail = floats(&m["cond_vol_tail"]);
        for (got, want) in cv[..5]
            .iter()
            .zip(&head)
            .chain(cv[cv.len() - 5..].iter().zip(&tail))
        {
            let e = rel(*got, *want);
            assert!(e < 1e-10, "{label}: conditional vol {got} vs {want}");
            w.cond_vol = w.cond_vol.max(e);
        }
        let want_fc = floats(&m["forecast_variance"]);
        // arch reports the variance of the forecast return (the AR(1) impulse response included).
        let fc = at.forecast_return_variance(want_fc.len()).unwrap();
        let h = if m["vol"] == "EGARCH" {
            1
        } else {
            want_fc.len()
        };
        for (i, (got, want)) in fc.iter().zip(&want_fc).take(h).enumerate() {
            let e = rel(*got, *want);
            assert!(
                e < 1e-8,
                "{label}: forecast h={} {got} vs {want} rel {e:e}",
                i + 1
            );
            w.forecast = w.forecast.max(e);
        }

        // EGARCH beyond one step: both simulate; ours (10,000 seeded paths) and arch's mean over
        // its paths must agree within 4 Monte Carlo standard errors of the difference.
        if let Some(sim) = m.get("forecast_variance_sim") {
            let (want, sd) = (floats(sim), floats(&m["forecast_variance_sim_path_sd"]));
            let theirs = m["forecast_variance_sim_paths"].as_f64().unwrap();
            let ours_paths = derisk::garch::EGARCH_FORECAST_PATHS as f64;
            let ours = at.forecast_variance(want.len()).unwrap();
            assert_eq!(ours.len(), 10);
            for (h, (got, (want, sd))) in ours.iter().zip(want.iter().zip(&sd)).enumerate().skip(1)
            {
                let se = sd * (1.0 / ours_paths + 1.0 / theirs).sqrt();
                let z = (got - want) / se;
                assert!(
                    z.abs() < 4.0,
                    "{label}: EGARCH h={} {got} vs arch {want}: {z:.2} MC se",
                    h + 1
                );
                w.egarch_z = w.egarch_z.max(z.abs());
            }
        }

        // 2. Standard errors at arch's parameters.
        let (rob, cla) = (at.std_errors().unwrap(), at.std_errors_classic().unwrap());
        for (i, n) in names.iter().enumerate() {
            let (wr, wc) = (floats(&m["se_robust"])[i], floats(&m["se_classic"])[i]);
            let (er, ec) = (rel(rob[i], wr), rel(cla[i], wc));
            assert!(
                er < 1e-2,
                "{label}: robust se {n} {} vs arch {wr} rel {er:e}",
                rob[i]
            );
            assert!(
                ec < 1e-2,
                "{label}: classic se {n} {} vs arch {wc} rel {ec:e}",
                cla[i]
            );
            w.se_robust = w.se_robust.max(er);
            w.se_classic = w.se_classic.max(ec);
        }

        // 3. Diagnostics of arch's standardised residuals.
        let z = at.standardized_residuals();
        let z2: Vec<f64> = z.iter().map(|v| v * v).collect();
        for (got, key) in [
            (ljung_box(&z, 10).unwrap().statistic, "ljung_box_std_10"),
            (ljung_box(&z2, 10).unwrap().statistic, "ljung_box_sq_10"),
            (arch_lm(&z, 10).unwrap().statistic, "arch_lm_10"),
            (
                ljung_box(&z, 10).unwrap().p_value,
                "ljung_box_std_10_pvalue",
            ),
            (arch_lm(&z, 10).unwrap().p_value, "arch_lm_10_pvalue"),
        ] {
            // p-values (χ² survival, statrs vs scipy) compared absolutely below 1e-300.
            let want = m[key].as_f64().unwrap();
            let e = if want.abs() < 1e-300 {
                got.abs()
            } else {
                rel(got, want)
            };
            assert!(e < 1e-8, "{label}: {key} {got} vs {want} rel {e:e}");
            w.diagnostics = w.diagnostics.max(e);
        }

        // The public filters reproduce the conditional variances of the likelihood.
        let (p, o, q) = model.volatility().orders();
        let km = model.mean().num_params();
        let vol_params = &arch[km..km + model.volatility().num_params()];
        let resid = at.residuals();
        let mean_model_resid: Vec<f64> = resid.to_vec();
        let mut filtered = vec![0.0; resid.len()];
        let ols_backcast = {
            // arch's backcast: from the least-squares residuals (sample mean / OLS), not θ̂'s.
            let hb = model.mean().hold_back();
            let ys = &y[hb..];
            let r: Vec<f64> = match model.mean() {
                MeanModel::Zero => ys.to_vec(),
                MeanModel::Constant => {
                    let mu = ys.iter().sum::<f64>() / ys.len() as f64;
                    ys.iter().map(|v| v - mu).collect()
                }
                _ => Vec::new(),
            };
            (!r.is_empty()).then(|| derisk::garch::backcast(&r))
        };
        if let Some(bc) = ols_backcast {
            match model.volatility() {
                Volatility::Garch(_) => Garch::new(p, o, q)
                    .unwrap()
                    .filter(vol_params, &mean_model_resid, bc, &mut filtered)
                    .unwrap(),
                _ => Egarch::new(p, o, q)
                    .unwrap()
                    .filter(vol_params, &mean_model_resid, bc, &mut filtered)
                    .unwrap(),
            }
            for (got, want) in filtered.iter().zip(at.conditional_variance()) {
                assert!(rel(*got, *want) < 1e-13, "{label}: filter {got} vs {want}");
            }
        }

        // 4. Our fit.
        let fit = model.fit(&y).unwrap();
        let ll = fit.loglik();
        for key in ["loglik", "loglik_tight"] {
            let theirs = m[key].as_f64().unwrap();
            assert!(
                ll >= theirs - 1e-6 * theirs.abs(),
                "{label}: our loglik {ll} < arch {key} {theirs}"
            );
            w.loglik_gain = w.loglik_gain.max((ll - theirs) / theirs.abs());
            w.loglik_min_gain = w.loglik_min_gain.min((ll - theirs) / theirs.abs());
        }
        let persistence_at_one = !model.volatility().orders().eq(&(0, 0, 0))
            && m["vol"] == "GARCH"
            && (at.persistence() - 1.0).abs() < 1e-6;
        for (i, n) in names.iter().enumerate() {
            let (got, want) = (fit.params()[i], arch[i]);
            if on_zero_bound(n, want) {
                assert!(
                    got.abs() < 1e-6,
                    "{label}: {n} = {got}, arch {want} on the bound 0"
                );
                continue;
            }
            let e = rel(got, want);
            assert!(e < 1e-3, "{label}: {n} ours {got} arch {want} rel {e:e}");
            w.params = w.params.max(e);
        }
        if persistence_at_one {
            // arch's estimate sits on α + ½γ + β = 1: ours must reach the same boundary.
            assert!(
                fit.persistence() > 1.0 - 1e-6,
                "{label}: persistence {}",
                fit.persistence()
            );
            // On the boundary there is no half-life and no finite long-run variance.
            if fit.persistence() > 1.0 - 1e-8 {
                assert!(fit.half_life().is_none() && fit.unconditional_variance().is_none());
            }
        }
        println!(
            "{label:<40} ll ours {ll:.6} arch {:.6} ({:?}, {} it)",
            m["loglik_tight"].as_f64().unwrap(),
            fit.convergence().unwrap().termination,
            fit.convergence().unwrap().iterations
        );
    }
}

fn run(file: &str) {
    let mut w = Worst::default();
    check_series(file, &mut w);
    println!(
        "{file} smallest (our loglik − arch's)/|arch's| {:.2e}; EGARCH simulated forecasts within {:.2} MC se of arch's",
        w.loglik_min_gain, w.egarch_z
    );
    println!("{file} worst rel: loglik at arch's params {:.2e}; our loglik − arch's {:.2e} (positive = ours higher); params {:.2e}; robust se {:.2e}; classic se {:.2e}; forecasts {:.2e}; cond vol {:.2e}; diagnostics {:.2e}",
        w.loglik_at_arch, w.loglik_gain, w.params, w.se_robust, w.se_classic, w.forecast, w.cond_vol, w.diagnostics);
}

#[test]
fn agrees_with_arch_on_btc() {
    run("garch_btc.json");
}

#[test]
fn agrees_with_arch_on_btc_2020_window() {
    run("garch_btc2020.json");
}

#[test]
fn agrees_with_arch_on_simulated_gjr_t() {
    run("garch_sim.json");
}
