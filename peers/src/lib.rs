//! Shared inputs for the side-by-side benchmarks of `derisk` against other Rust crates, and thin
//! adapters that call each peer the same way (undiscounted Black on a forward, r = 0), so every
//! bench and accuracy run measures the same function on the same quotes.

use derisk::pricing::{black, OptionKind};

/// One quote of a grid: an undiscounted Black price on a forward, with the volatility that made it.
#[derive(Debug, Clone, Copy)]
pub struct Quote {
    /// Call (true) or put.
    pub call: bool,
    /// Forward F.
    pub forward: f64,
    /// Strike K.
    pub strike: f64,
    /// Expiry T in years.
    pub expiry: f64,
    /// Volatility σ that produced `price`.
    pub volatility: f64,
    /// Undiscounted Black price.
    pub price: f64,
}

impl Quote {
    /// The derisk option kind.
    pub fn kind(&self) -> OptionKind {
        if self.call {
            OptionKind::Call
        } else {
            OptionKind::Put
        }
    }
}

/// The i-th point of a two-dimensional low-discrepancy sequence (R2, Roberts 2018): deterministic,
/// evenly spread, no random-number dependency.
fn r2(i: usize) -> (f64, f64) {
    const G: f64 = 1.324_717_957_244_746; // plastic number
    let (a1, a2) = (1.0 / G, 1.0 / (G * G));
    ((0.5 + a1 * i as f64).fract(), (0.5 + a2 * i as f64).fract())
}

/// `n` out-of-the-money (and at-the-money) quotes spanning issue 4's range: total volatility
/// s = σ√T log-uniform on [3e-4, 4], log-moneyness x = ln(F/K) uniform on [−8s, 8s], F = 100,
/// T = 1/4 year; the out-of-the-money side is quoted (calls above the forward, puts below).
/// Prices come from derisk's Black kernel (validated to 1e-13 against mpmath).
pub fn implied_grid(n: usize) -> Vec<Quote> {
    let (forward, expiry) = (100.0, 0.25);
    (0..n)
        .filter_map(|i| {
            let (u, v) = r2(i);
            let s = (3e-4_f64.ln() + u * (4.0_f64.ln() - 3e-4_f64.ln())).exp();
            let x = (2.0 * v - 1.0) * 8.0 * s;
            let strike = forward * (-x).exp();
            let call = strike >= forward;
            let kind = if call {
                OptionKind::Call
            } else {
                OptionKind::Put
            };
            let price = black(kind, forward, strike, s).ok()?;
            // Keep quotes a double can express with some precision (price ≥ 1e-280·F).
            (price > 1e-280 * forward).then_some(Quote {
                call,
                forward,
                strike,
                expiry,
                volatility: s / expiry.sqrt(),
                price,
            })
        })
        .collect()
}

/// `n` Black–Scholes inputs typical of a listed book: S = 100, K from 50 to 200, T from a day to
/// two years, σ from 10 % to 150 %, r = 3 %, no dividends; calls and puts alternate.
pub fn pricing_grid(n: usize) -> Vec<(bool, f64, f64, f64, f64)> {
    (0..n)
        .map(|i| {
            let (u, v) = r2(i);
            let strike = 50.0 * 4.0_f64.powf(u);
            let expiry = (1.0 / 365.0) + v * 2.0;
            let volatility = 0.1 + 1.4 * ((i * 7919) % 1000) as f64 / 1000.0;
            (i % 2 == 0, strike, expiry, volatility, 0.03)
        })
        .collect()
}

/// The implied-vol crate's default (hybrid) solver; `None` when it declines.
pub fn implied_vol_crate(q: &Quote) -> Option<f64> {
    implied_vol::ImpliedBlackVolatility::builder()
        .option_price(q.price)
        .forward(q.forward)
        .strike(q.strike)
        .expiry(q.expiry)
        .is_call(q.call)
        .build()?
        .calculate::<implied_vol::DefaultSpecialFn>()
}

/// The implied-vol crate with Jäckel's "Let's Be Rational" selected explicitly.
pub fn implied_vol_crate_jaeckel(q: &Quote) -> Option<f64> {
    implied_vol::ImpliedBlackVolatility::builder()
        .option_price(q.price)
        .forward(q.forward)
        .strike(q.strike)
        .expiry(q.expiry)
        .is_call(q.call)
        .build()?
        .calculate_with::<implied_vol::solver::Jaeckel>()
}

/// black_scholes's solver at r = 0 with the forward as the stock (undiscounted Black).
pub fn black_scholes_crate(q: &Quote) -> Option<f64> {
    let r = if q.call {
        black_scholes::call_iv(q.price, q.forward, q.strike, 0.0, q.expiry)
    } else {
        black_scholes::put_iv(q.price, q.forward, q.strike, 0.0, q.expiry)
    };
    r.ok()
}

/// quantrs's Newton solver at r = 0 on a spot equal to the forward (undiscounted Black).
pub fn quantrs_crate(q: &Quote) -> Option<f64> {
    use quantrs::options::{
        BlackScholesModel, EuropeanOption, Instrument, OptionPricing, OptionType,
    };
    let instrument = Instrument::new().with_spot(q.forward);
    let kind = if q.call {
        OptionType::Call
    } else {
        OptionType::Put
    };
    let option = EuropeanOption::new(instrument, q.strike, q.expiry, kind);
    Some(BlackScholesModel::new(0.0, 0.2).implied_volatility(&option, q.price))
}

/// derisk's solver.
pub fn derisk_solver(q: &Quote) -> Option<f64> {
    derisk::pricing::implied_black_volatility(q.kind(), q.price, q.forward, q.strike, q.expiry)
        .ok()
        .map(|iv| iv.volatility)
}

/// An implied-volatility solver as the harnesses call it.
pub type Solver = fn(&Quote) -> Option<f64>;

/// Every solver compared, with the name the tables print.
pub const SOLVERS: [(&str, Solver); 5] = [
    ("derisk", derisk_solver),
    ("implied-vol 2.1.0 (default hybrid)", implied_vol_crate),
    ("implied-vol 2.1.0 (Jaeckel)", implied_vol_crate_jaeckel),
    ("black_scholes 0.11.1", black_scholes_crate),
    ("quantrs 0.1.8", quantrs_crate),
];

/// Every quote of the Deribit BTC chain snapshot of 2025-12-30 (examples/data/btc_chain_full.csv:
/// mark prices in coin, so the undiscounted USD price is mark × forward; calls and puts, in and
/// out of the money): the strikes and expiries a desk actually inverts.
pub fn deribit_chain() -> Vec<Quote> {
    let csv = include_str!("../../examples/data/btc_chain_full.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name);
    let (Some(t), Some(kind), Some(k), Some(f), Some(mark), Some(iv)) = (
        column("time_to_maturity"),
        column("kind"),
        column("strike"),
        column("forward"),
        column("mark_coin"),
        column("mark_iv"),
    ) else {
        return Vec::new();
    };
    lines
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let number = |i: usize| cells.get(i)?.parse::<f64>().ok();
            let forward = number(f)?;
            Some(Quote {
                call: *cells.get(kind)? == "call",
                forward,
                strike: number(k)?,
                expiry: number(t)?,
                volatility: number(iv)?,
                price: number(mark)? * forward,
            })
        })
        .collect()
}
