//! GARCH on real data: a GARCH(1,1) with Student-t innovations fitted to the embedded BTC daily
//! closes (or your own CSV with `-- --prices FILE`), with robust standard errors, persistence,
//! half-life, long-run volatility and a 1–30-day forecast — the quickstart's GARCH section alone.
//!
//! ```text
//! cargo run --release --example garch [-- --prices FILE]
//! ```

#[path = "sections/garch.rs"]
mod garch_section;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let csv = match (args.next().as_deref(), args.next()) {
        (Some("--prices"), Some(path)) => std::fs::read_to_string(path)?,
        (None, _) => include_str!("data/btc_daily_close.csv").to_string(),
        _ => return Err("usage: garch [--prices FILE]".into()),
    };
    garch_section::print_garch(&csv)
}
