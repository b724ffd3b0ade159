//! Pricing in a few lines: a Deribit BTC call valued in coin and in USD with all its Greeks, the
//! implied volatility of its bid and ask, and the same kernel on spot Black–Scholes.
//!
//! ```text
//! cargo run --release --example pricing
//! ```

use derisk::pricing::{
    BlackScholes, EuropeanOption, ImpliedVolatility, InverseBlack76, PricingModel, Sensitivities,
};

fn main() -> Result<(), derisk::Error> {
    // BTC-16JAN26-82000-C on 2025-12-30 17:31 UTC: forward 88,728.95, mark IV 43.23 %,
    // 0.045457 years to expiry (ACT/365.25, as Deribit counts), r = 0.
    let call = EuropeanOption::call(82_000.0, 0.045_457_324_252_129_436)?;
    let coin = InverseBlack76::flat(88_728.95, 0.0, 0.4323)?;
    let g = coin.usd_model().greeks(&call)?;
    println!("premium {:.6} BTC = {:.2} USD", coin.price(&call)?, g.price);
    println!(
        "delta {:.4} (premium-adjusted {:.4}), gamma {:.3e}, vega {:.2} USD/pt, theta {:.2} USD/day",
        g.delta,
        coin.premium_adjusted_delta(&call)?,
        g.gamma,
        g.vega_per_point(),
        g.theta_per_day()
    );
    let quotes = InverseBlack76::flat(88_728.95, 0.0, 0.0)?;
    let bid = quotes.implied_vol(&call, 0.084)?.volatility;
    let ask = quotes.implied_vol(&call, 0.088)?.volatility;
    println!(
        "implied vol: bid {:.2} %, ask {:.2} %",
        bid * 100.0,
        ask * 100.0
    );

    // Spot Black–Scholes (Hull, Example 15.6): S = 42, K = 40, r = 10 %, σ = 20 %, T = 0.5.
    let bs = BlackScholes::flat(42.0, 0.10, 0.0, 0.20)?;
    println!(
        "Hull 15.6 call: {:.4}",
        bs.price(&EuropeanOption::call(40.0, 0.5)?)?
    );
    Ok(())
}
