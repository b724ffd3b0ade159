//! Innovation densities against arch 8.0.0's Normal, StudentsT and SkewStudent (Hansen 1994)
//! (tests/data/garch_innovations.json, tools/gen_garch_reference.py): ln pdf, cdf and quantile
//! (arch's ppf, built on scipy's Student-t) of the standardised densities.

mod common;

use common::fixture;
use derisk::garch::{AnyInnovation, Innovation, Normal, SkewT, StudentT};

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

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
