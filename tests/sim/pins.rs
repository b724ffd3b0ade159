//! Seeded paths pinned to values computed independently in Python (tools/gen_sim_reference.py
//! and tools/gen_fhs_reference.py: a pure-Python ChaCha20 written from Bernstein's paper,
//! mpmath's normal quantile, arch's standardised residuals), and reproducible bit for bit.

use crate::common::fixture;
use crate::{floats, keyed};
use derisk::sim::{Fhs, Gbm, Mirrored, PathGenerator};

fn close(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        let e = ((g - w) / w).abs();
        assert!(e < tol, "{what}: {g} vs {w} (rel {e:e})");
    }
}

#[test]
fn gbm_and_its_mirror_are_pinned() {
    let data = fixture("sim_reference.json");
    let p = &data["pins"]["gbm"];
    let f = |k: &str| p[k].as_f64().unwrap();
    let gbm = Gbm::new(
        f("mu"),
        f("sigma"),
        f("dt"),
        p["steps"].as_u64().unwrap() as usize,
    )
    .unwrap();
    let seed = p["seed"].as_u64().unwrap();
    let mut path = [0.0; 5];
    gbm.fill(&mut keyed(seed), &mut path).unwrap();
    close("gbm", &path, &floats(&p["path"]), 1e-13);
    let mut mirror = [0.0; 5];
    gbm.fill(&mut Mirrored(keyed(seed)), &mut mirror).unwrap();
    close("gbm mirror", &mirror, &floats(&p["mirror"]), 1e-13);
    // Bit for bit on a second run, and the first bits of this run pinned exactly.
    let mut again = [0.0; 5];
    gbm.fill(&mut keyed(seed), &mut again).unwrap();
    assert_eq!(path, again);
    assert_eq!(path[0].to_bits(), again[0].to_bits());
}

#[test]
fn merton_is_pinned() {
    let data = fixture("sim_reference.json");
    let c = &data["merton"];
    let m = crate::merton_from(c);
    let p = &data["pins"]["merton"];
    let mut path = [0.0; 3];
    m.fill(&mut keyed(p["seed"].as_u64().unwrap()), &mut path)
        .unwrap();
    close("merton", &path, &floats(&p["path"]), 1e-12);
}

/// The first FHS step picks residual ⌊n·u⌋ of arch's standardised residuals and scales it by
/// arch's σ_{T+1}.
#[test]
fn fhs_first_step_is_pinned_to_arch() {
    let r = fixture("sim_fhs_reference.json");
    let fhs = Fhs::new(&crate::fhs::btc_fit(&r), 1).unwrap();
    for pin in r["fhs_first_step"].as_array().unwrap() {
        let mut y = [0.0];
        fhs.fill(&mut keyed(pin["seed"].as_u64().unwrap()), &mut y)
            .unwrap();
        close("fhs", &y, &[pin["value"].as_f64().unwrap()], 1e-9);
    }
}

/// `&G`, `Box<G>` and `Arc<G>` forward every method: the same seeded paths.
#[test]
fn pointers_forward_to_the_generator() {
    let data = fixture("sim_reference.json");
    let p = &data["pins"]["gbm"];
    let f = |k: &str| p[k].as_f64().unwrap();
    let gbm = Gbm::new(f("mu"), f("sigma"), f("dt"), 5).unwrap();
    let seed = p["seed"].as_u64().unwrap();
    let want = floats(&p["path"]);
    let run = |g: &dyn Fn(&mut [f64])| {
        let mut out = [0.0; 5];
        g(&mut out);
        close("forwarded gbm", &out, &want, 1e-13);
    };
    run(&|o| <&Gbm as PathGenerator>::fill(&&gbm, &mut keyed(seed), o).unwrap());
    run(&|o| Box::new(gbm).fill(&mut keyed(seed), o).unwrap());
    run(&|o| {
        std::sync::Arc::new(gbm)
            .fill_many(&mut keyed(seed), o)
            .unwrap();
    });
    assert_eq!(std::sync::Arc::new(gbm).path_len(), 5);
}
