use std::hint::black_box;
fn main() {
    let p = derisk_peers::pricing_grid(1000);
    let mut s = 0.0;
    for _ in 0..20000 {
        for &(call, k, t, v, r) in &p {
            let kind = if call {
                derisk::pricing::OptionKind::Call
            } else {
                derisk::pricing::OptionKind::Put
            };
            s += derisk::pricing::black_scholes_price(kind, black_box(100.0), k, t, v, r, 0.0)
                .unwrap_or(0.0);
        }
    }
    println!("{s}");
}
