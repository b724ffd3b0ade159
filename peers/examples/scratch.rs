use std::hint::black_box;
use std::time::Instant;
fn time<F: Fn(&derisk_peers::Quote) -> f64>(name: &str, qs: &[derisk_peers::Quote], f: F) {
    let mut best = f64::MAX;
    for _ in 0..200 {
        let t = Instant::now();
        let mut s = 0.0;
        for q in qs {
            s += f(black_box(q));
        }
        black_box(s);
        best = best.min(t.elapsed().as_secs_f64() / qs.len() as f64);
    }
    println!("{name:30} {:.1} ns", best * 1e9);
}
fn main() {
    let g = derisk_peers::implied_grid(1000);
    time("derisk implied", &g, |q| {
        derisk_peers::derisk_solver(q).unwrap_or(0.0)
    });
    time("implied-vol", &g, |q| {
        derisk_peers::implied_vol_crate(q).unwrap_or(0.0)
    });
    time("implied-vol jaeckel", &g, |q| {
        derisk_peers::implied_vol_crate_jaeckel(q).unwrap_or(0.0)
    });
    time("derisk price", &g, |q| {
        derisk::pricing::black(q.kind(), q.forward, q.strike, q.volatility * 0.5).unwrap_or(0.0)
    });
    let p = derisk_peers::pricing_grid(1000);
    let pq: Vec<derisk_peers::Quote> = p
        .iter()
        .map(|&(call, k, t, v, _)| derisk_peers::Quote {
            call,
            forward: 100.0,
            strike: k,
            expiry: t,
            volatility: v,
            price: 0.0,
        })
        .collect();
    time("derisk bs price", &pq, |q| {
        derisk::pricing::black_scholes_price(
            q.kind(),
            100.0,
            q.strike,
            q.expiry,
            q.volatility,
            0.03,
            0.0,
        )
        .unwrap_or(0.0)
    });
    time("bs crate price", &pq, |q| {
        if q.call {
            black_scholes::call(100.0, q.strike, 0.03, q.volatility, q.expiry)
        } else {
            black_scholes::put(100.0, q.strike, 0.03, q.volatility, q.expiry)
        }
    });
}
