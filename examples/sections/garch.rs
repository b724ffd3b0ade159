//! Quickstart section: GARCH(1,1) with Student-t innovations fitted to daily closes, and the
//! price-file parser behind `--prices FILE`.
//!
//! Returns are 100·ln(Cₜ/Cₜ₋₁) (percent, as `arch` prefers), so variances are in percent² per
//! day; annualised with √365 (crypto trades every day).

use derisk::garch::{GarchFit, GarchModel, VarianceForecast};

/// Days per year used to annualise (crypto trades every calendar day).
const DAYS_PER_YEAR: f64 = 365.0;
/// Fewest price rows accepted: a GARCH(1,1)-t fit needs a few hundred returns to mean much.
const MIN_ROWS: usize = 100;

/// A price history read from CSV: dates (as written) and closes, oldest first.
pub struct Prices {
    /// The date column, as written in the file.
    pub dates: Vec<String>,
    /// The close (or price) column.
    pub closes: Vec<f64>,
}

fn clean(field: &str) -> String {
    field.trim().trim_matches('"').trim().to_ascii_lowercase()
}

/// Parses a CSV with a header row. The date column is the one named `date`, `day`, `time`,
/// `timestamp` or `datetime` (case-insensitive); the price column is `close`, then `adj close`
/// / `adj_close`, then `price`, `close_price` or `last`, then any header containing `close` or
/// `price`. Rows are sorted by nothing: they must be oldest first.
pub fn parse_prices(csv: &str) -> Result<Prices, String> {
    let mut lines = csv
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err("the price file is empty: expected a header row such as `Date,Close`".into());
    };
    let names: Vec<String> = header.split(',').map(clean).collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    let date_col = find(&["date", "day", "time", "timestamp", "datetime"]).ok_or_else(|| {
        format!("no date column: the header `{header}` has none named date, day, time, timestamp or datetime")
    })?;
    let close_col = find(&["close"])
        .or_else(|| find(&["adj close", "adj_close", "adjclose"]))
        .or_else(|| find(&["price", "close_price", "last"]))
        .or_else(|| names.iter().position(|n| n.contains("close") || n.contains("price")))
        .ok_or_else(|| {
            format!("no close/price column: the header `{header}` has none named close, adj close, price or last")
        })?;
    let mut prices = Prices {
        dates: Vec::new(),
        closes: Vec::new(),
    };
    let mut errors = Vec::new();
    for (i, line) in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let line_no = i + 1;
        let (Some(date), Some(raw)) = (fields.get(date_col), fields.get(close_col)) else {
            errors.push(format!(
                "line {line_no}: {} fields, expected at least {}",
                fields.len(),
                date_col.max(close_col) + 1
            ));
            continue;
        };
        match raw.trim().trim_matches('"').parse::<f64>() {
            Ok(c) if c.is_finite() && c > 0.0 => {
                prices.dates.push(date.trim().trim_matches('"').to_string());
                prices.closes.push(c);
            }
            Ok(c) => errors.push(format!(
                "line {line_no}: price {c} is not a positive finite number"
            )),
            Err(_) => errors.push(format!(
                "line {line_no}: price `{}` is not a number",
                raw.trim()
            )),
        }
    }
    if !errors.is_empty() {
        let shown = errors
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        let more = if errors.len() > 5 {
            format!(" (and {} more)", errors.len() - 5)
        } else {
            String::new()
        };
        return Err(format!(
            "{} unparsable price rows: {shown}{more}",
            errors.len()
        ));
    }
    if prices.closes.len() < MIN_ROWS {
        return Err(format!(
            "only {} price rows: at least {MIN_ROWS} are needed to fit a GARCH model",
            prices.closes.len()
        ));
    }
    Ok(prices)
}

/// Percent log returns 100·ln(Cₜ/Cₜ₋₁).
fn percent_returns(closes: &[f64]) -> Vec<f64> {
    closes
        .windows(2)
        .map(|w| 100.0 * (w[1] / w[0]).ln())
        .collect()
}

fn print_fit(title: &str, fit: &GarchFit) -> Result<(), Box<dyn std::error::Error>> {
    let se = fit.std_errors()?;
    let t = fit.t_stats()?;
    let p = fit.p_values()?;
    let conv = fit.convergence().ok_or("no convergence report")?;
    println!("{title}");
    println!(
        "  {:<10} {:>10} {:>10} {:>8} {:>8}",
        "parameter", "estimate", "robust se", "t", "p"
    );
    for (i, name) in fit.param_names().iter().enumerate() {
        println!(
            "  {:<10} {:>10.4} {:>10.4} {:>8.2} {:>8.4}",
            name,
            fit.params()[i],
            se[i],
            t[i],
            p[i]
        );
    }
    println!(
        "  log-likelihood {:.2}, AIC {:.2}, BIC {:.2}, {} returns; optimiser: {:?} after {} iterations",
        fit.loglik(),
        fit.aic(),
        fit.bic(),
        fit.nobs(),
        conv.termination,
        conv.iterations
    );
    let pers = fit.persistence();
    match (fit.half_life(), fit.unconditional_variance()) {
        (Some(h), Some(v)) => {
            println!(
                "  persistence α+β {pers:.4}, half-life {h:.1} days, long-run vol {:.1} % annualised (√365)",
                (v * DAYS_PER_YEAR).sqrt()
            );
            if pers > 0.99 {
                println!("  (persistence near 1: the long-run level is approached only over years and is poorly determined)");
            }
        }
        _ => println!(
            "  persistence α+β {pers:.4}: on the stationarity boundary (integrated GARCH), so shocks \
             never decay: no half-life and no finite long-run variance"
        ),
    }
    Ok(())
}

/// Fits GARCH(1,1)-t to the closes of a price CSV and prints the estimates with robust standard
/// errors, persistence, half-life, long-run annualised volatility and a 1..30-day forecast.
pub fn print_garch(csv: &str) -> Result<(), Box<dyn std::error::Error>> {
    let prices = parse_prices(csv)?;
    let returns = percent_returns(&prices.closes);
    let model = GarchModel::garch11_t();
    let fit = model.fit(&returns)?;
    let (first, last) = (&prices.dates[1], &prices.dates[prices.dates.len() - 1]);
    print_fit(
        &format!(
            "GARCH(1,1)-t on daily percent log returns, {first} to {last} (constant mean, Student-t; as arch's arch_model(r, dist=\"t\"))"
        ),
        &fit,
    )?;
    // On a long crypto history α + β often reaches 1; a recent window shows the current regime.
    let mut forecast_fit = fit;
    if forecast_fit.half_life().is_none() && returns.len() > 730 {
        let recent = &returns[returns.len() - 730..];
        let fit = model.fit(recent)?;
        print_fit(
            &format!(
                "Same model on the last 730 returns ({} to {last})",
                prices.dates[prices.dates.len() - 730]
            ),
            &fit,
        )?;
        forecast_fit = fit;
    }
    let variance = forecast_fit.forecast_variance(30)?;
    let term = forecast_fit.annualized_vol_term_structure(30, DAYS_PER_YEAR)?;
    println!("  volatility forecast from {last} (percent; annualised with √365)");
    println!(
        "  {:>4} {:>10} {:>14} {:>16}",
        "day", "daily %", "annualised %", "avg to day, ann %"
    );
    for h in [1, 2, 3, 5, 7, 10, 14, 21, 30] {
        let v = variance[h - 1];
        println!(
            "  {:>4} {:>10.3} {:>14.1} {:>16.1}",
            h,
            v.sqrt(),
            (v * DAYS_PER_YEAR).sqrt(),
            term[h - 1]
        );
    }
    println!();
    Ok(())
}
