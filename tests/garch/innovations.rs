//! Innovation densities against arch 8.0.0's Normal, StudentsT and SkewStudent (Hansen 1994)
//! (tests/data/garch_innovations.json, tools/gen_garch_reference.py): ln pdf, cdf and quantile
//! (arch's ppf, built on scipy's Student-t) of the standardised densities.

use crate::common::{fixture, floats};
use derisk::garch::{AnyInnovation, Innovation, Normal, SkewT, StudentT};

#[test]
fn densities_match_arch() {
    let data = fixture("garch_innovations.json");
    let (z, u) = (floats(&data["z"]), floats(&data["u"]));
    let (mut w_pdf, mut w_cdf, mut w_q) = (0.0f64, 0.0f64, 0.0f64);
    for case in data["cases"].as_array().unwrap() {
        let p = floats(&case["params"]);
        let d = match case["dist"].as_str().unwrap() {
            "Normal" => AnyInnovation::Normal(Normal),
            "Standardized Student's t" => AnyInnovation::StudentT(StudentT::new(p[0]).unwrap()),
            "Standardized Skew Student's t" => {
                AnyInnovation::SkewT(SkewT::new(p[0], p[1]).unwrap())
            }
            other => panic!("{other}"),
        };
        for (i, &zi) in z.iter().enumerate() {
            let (want_pdf, want_cdf) = (floats(&case["ln_pdf"])[i], floats(&case["cdf"])[i]);
            let e_pdf = ((d.ln_pdf(zi) - want_pdf) / want_pdf).abs();
            let e_cdf = ((d.cdf(zi) - want_cdf) / want_cdf).abs();
            assert!(e_pdf < 1e-13, "{d:?} ln_pdf({zi}) rel {e_pdf:e}");
            assert!(
                e_cdf < 1e-12,
                "{d:?} cdf({zi}) = {} vs {want_cdf} rel {e_cdf:e}",
                d.cdf(zi)
            );
            w_pdf = w_pdf.max(e_pdf);
            w_cdf = w_cdf.max(e_cdf);
        }
        for (i, &ui) in u.iter().enumerate() {
            let want = floats(&case["ppf"])[i];
            let got = d.quantile(ui).unwrap();
            let e = if want == 0.0 {
                got.abs()
            } else {
                ((got - want) / want).abs()
            };
            assert!(
                e < 1e-12,
                "{d:?} quantile({ui}) = {got} vs {want} rel {e:e}"
            );
            w_q = w_q.max(e);
        }
    }
    println!("worst rel: ln pdf {w_pdf:.2e}, cdf {w_cdf:.2e}, quantile {w_q:.2e}");
}

#[test]
fn quantile_rejects_probabilities_outside_the_open_unit_interval() {
    let t = StudentT::new(4.0).unwrap();
    for p in [0.0, 1.0, -0.1, f64::NAN] {
        assert!(t.quantile(p).is_err());
        assert!(Normal.quantile(p).is_err());
    }
}

/// Issue 12: the t quantile went through statrs' `inv_beta_reg`, which panicked for p below
/// ~1e-162 and never returned for ν ≥ 3e7 (or ν = 500, p = 1e-80). Against mpmath at 50 digits
/// (tests/data/garch_t_quantile.json, tools/gen_t_quantile_reference.py): 588 points, p from
/// 1e-300 to 1 − 1e-16, ν from 2.0001 to 1e8, each within 1e-12 relative, and cdf(quantile(p))
/// = p back to 1e-12 relative (in the tail asked for).
#[test]
fn student_t_quantile_matches_mpmath_from_1e_300_to_1_minus_1e_16() {
    let data = fixture("garch_t_quantile.json");
    let (mut worst, mut at) = (0.0f64, (0.0, 0.0));
    for pt in data["points"].as_array().unwrap() {
        let (nu, p, want) = (
            pt["nu"].as_f64().unwrap(),
            pt["p"].as_f64().unwrap(),
            pt["z"].as_f64().unwrap(),
        );
        let t = StudentT::new(nu).unwrap();
        let got = t.quantile(p).unwrap();
        let e = if want == 0.0 {
            got.abs()
        } else {
            ((got - want) / want).abs()
        };
        assert!(
            e < 1e-12,
            "nu {nu} p {p:e}: {got} vs mpmath {want} (rel {e:.2e})"
        );
        if e > worst {
            (worst, at) = (e, (nu, p));
        }
        // Round trip through the cdf, in the tail that was asked for.
        let back = if p < 0.5 {
            t.cdf(got)
        } else {
            1.0 - t.cdf(got)
        };
        let target = if p < 0.5 { p } else { 1.0 - p };
        assert!(
            ((back - target) / target).abs() < 1e-12 * (1.0 + want.abs()),
            "nu {nu} p {p:e}: cdf(quantile) = {back:e} vs {target:e}"
        );
    }
    println!("worst relative error {worst:.2e} at (nu, p) = {at:?}");
}

/// The triggering inputs of issue 12 by name: p = 1e-170 (panicked), ν = 3e7 and ν = 500 with
/// p = 1e-80 (hung). Expected values from mpmath 1.3.0 at 50 digits (same generator).
#[test]
fn student_t_quantile_triggering_inputs() {
    let data = fixture("garch_t_quantile.json");
    let want = |nu: f64, p: f64| {
        data["points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|pt| pt["nu"].as_f64() == Some(nu) && pt["p"].as_f64() == Some(p))
            .map(|pt| pt["z"].as_f64().unwrap())
            .unwrap()
    };
    for (nu, p) in [(5.0, 1e-200), (3e7, 0.05), (500.0, 1e-80), (1e8, 1e-300)] {
        let got = StudentT::new(nu).unwrap().quantile(p).unwrap();
        let w = want(nu, p);
        assert!(
            ((got - w) / w).abs() < 1e-12,
            "nu {nu} p {p:e}: {got} vs {w}"
        );
    }
    // Skew-t through the same kernel: finite, monotone, and cdf(quantile(p)) = p deep in the
    // left tail.
    let s = SkewT::new(4.0, -0.3).unwrap();
    for p in [1e-300, 1e-200, 1e-170, 1e-80] {
        let q = s.quantile(p).unwrap();
        assert!(q.is_finite() && q < 0.0);
        assert!(
            ((s.cdf(q) - p) / p).abs() < 1e-12,
            "p {p:e}: {:e}",
            s.cdf(q)
        );
    }
}
