//! Deribit's portfolio margin: the risk matrix of price moves × volatility shocks by time to
//! expiry, the extended table, delta and roll shocks and contingencies, per settlement currency.

use crate::market::{Currency, Instant, MarketState, Shock, VolAdjustment};
use crate::portfolio::{Book, Contract, Instrument, PositionId};

use super::super::error::{check_finite, MarginError};
use super::super::traits::{PortfolioMarginModel, PortfolioRequirement};
use super::book::{only, segregate, without};
use super::matrix::{RiskMatrix, VolScenario};

/// The parameters of Deribit's portfolio margin for one currency pair. Fields are public; every
/// use checks them as [`DeribitPortfolioMargin::validate`] does.
///
/// ```text
/// price moves   mᵢ = −R + i·R/b,  i = 0 … 2b        (R = price_range, b = buckets: ±16 % in 4 %)
/// days          d = max(days to expiry, 1)
/// vega scale    f(d) = (30/d)^p,  p = short_term_vega_power if d ≤ 30 else long_term_vega_power
/// vol up        σ·(1 + u·f(d)·max(1, σ_min/σ_atm(E)))      u = volatility_range_up
/// vol down      σ·(1 − w·f(d))                             w = volatility_range_down
/// extended      options' P&L at the extended moves, vol up, × extended_table_factor · R/|m|
/// delta shock   |Δ| · max_delta_shock · min(1, |Δ|·S / delta_total_liq_shock_threshold)   (coin)
/// roll shock    max over ± of −Σ_E Δ_E·F_E·(e^{±a·τ_E} − 1)/S                            (coin)
/// contingency   c_opt·Σ_strikes max(0, −net options) + c_fut·min(long, short futures notional)
/// IM = max(worst matrix loss, worst extended loss) + delta shock + roll shock + contingency
/// MM = mm_factor · IM
/// ```
///
/// Sources: Deribit API documentation `private/pme/simulate` (docs.deribit.com, its example
/// response's `model_params`, timestamp 1718619740501 = 2024-06-17: price_range 0.16,
/// buckets_count 4, volatility_range_up 0.5, volatility_range_down 0.25, short/long term vega
/// power 0.3/0.13, min_volatility_for_shock_up 0.5, extended_table_factor 1, max_delta_shock 0.1,
/// delta_total_liq_shock_threshold 20,000,000, annualised_move_risk 0.075, mm_factor 0.8);
/// Deribit support "Portfolio Margin" (article 25944756247837, read 2026-12-04: nine price
/// buckets, vol up/same/down, the extended moves −66 %…+500 % on vol up only at a fraction of
/// the P&L); deribit.com/pages/docs/portfoliomargin (contingencies 0.01 BTC per net short option
/// per strike, 1 % of offsetting futures). The venue publishes the parameter names and values,
/// not every formula: the vol-shock form, the extended fraction R/|m|, the delta and roll shocks
/// above are this crate's reading of them (docs/margin.md §portfolio margin says where), and the
/// extended dampener is not modelled.
///
/// ```
/// use derisk::margin::DeribitPortfolioMargin;
/// let p = DeribitPortfolioMargin::deribit_btc();
/// assert_eq!(p.price_moves()?.len(), 9);
/// assert!((p.vega_scale(15.0) - 2f64.powf(0.3)).abs() < 1e-15);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DeribitPortfolioMargin {
    /// R: the largest price move of the matrix (0.16 = ±16 %).
    pub price_range: f64,
    /// b: price buckets on each side of 0 (4 → nine rows).
    pub buckets: usize,
    /// u: relative vol shock up at 30 days.
    pub volatility_range_up: f64,
    /// w: relative vol shock down at 30 days.
    pub volatility_range_down: f64,
    /// Vega power up to 30 days.
    pub short_term_vega_power: f64,
    /// Vega power beyond 30 days.
    pub long_term_vega_power: f64,
    /// σ_min: the at-the-money vol below which the up shock is taken on σ_min instead.
    pub min_volatility_for_shock_up: f64,
    /// The extended table's price moves (vol up only).
    pub extended_moves: Vec<f64>,
    /// Multiplier of the extended table's fraction R/|m|.
    pub extended_table_factor: f64,
    /// Largest extra price move of the delta shock.
    pub max_delta_shock: f64,
    /// Delta (USD) at which the delta shock reaches its maximum.
    pub delta_total_liq_shock_threshold: f64,
    /// a: annualised basis move of the roll shock.
    pub annualised_move_risk: f64,
    /// Contingency per net short option per strike, in coins of the underlying.
    pub option_contingency: f64,
    /// Contingency rate on offsetting futures notional.
    pub futures_contingency: f64,
    /// MM = mm_factor × IM.
    pub mm_factor: f64,
}

/// Deribit's portfolio margin of one settlement currency's book, component by component.
///
/// ```
/// let r = derisk::margin::DeribitMargin::default();
/// assert_eq!(r.initial, 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DeribitMargin {
    /// The risk matrix (price moves × vol up / same / down); `None` for an empty book.
    pub matrix: Option<RiskMatrix>,
    /// The options' P&L at each extended move (vol up), already scaled by the extended
    /// fraction (empty without options).
    pub extended: Vec<(f64, f64)>,
    /// Worst loss of the matrix (≥ 0).
    pub matrix_loss: f64,
    /// Worst scaled loss of the extended table (≥ 0).
    pub extended_loss: f64,
    /// Delta shock (≥ 0).
    pub delta_shock: f64,
    /// Roll shock (≥ 0).
    pub roll_shock: f64,
    /// Contingencies for net short options and offsetting futures (≥ 0).
    pub contingency: f64,
    /// Initial margin.
    pub initial: f64,
    /// Maintenance margin.
    pub maintenance: f64,
}

/// What one position does to the book's requirement.
///
/// ```
/// use derisk::margin::PositionEffect;
/// use derisk::portfolio::PositionId;
/// let e = PositionEffect { id: PositionId(3), standalone: 0.2, marginal: -0.05 };
/// assert!(e.offsets()); // it lowers the book's requirement: a hedge
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PositionEffect {
    /// The position.
    pub id: PositionId,
    /// Maintenance margin of the position alone.
    pub standalone: f64,
    /// MM(book) − MM(book without the position): negative when it hedges the rest.
    pub marginal: f64,
}

impl PositionEffect {
    /// `true` when the position lowers the book's requirement.
    #[must_use]
    pub fn offsets(&self) -> bool {
        self.marginal < 0.0
    }
}

/// An underlying with its relative vol shocks (up, down) by expiry.
type VolShocks = (Currency, Vec<(Instant, f64)>, Vec<(Instant, f64)>);

fn non_negative(name: &'static str, value: f64) -> Result<f64, MarginError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(MarginError::NegativeScanRange { name, value })
    }
}

impl DeribitPortfolioMargin {
    /// Deribit's BTC parameters of the API example dated 2024-06-17 (see the type's doc).
    #[must_use]
    pub fn deribit_btc() -> Self {
        Self {
            price_range: 0.16,
            buckets: 4,
            volatility_range_up: 0.5,
            volatility_range_down: 0.25,
            short_term_vega_power: 0.3,
            long_term_vega_power: 0.13,
            min_volatility_for_shock_up: 0.5,
            extended_moves: vec![-0.66, -0.33, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0],
            extended_table_factor: 1.0,
            max_delta_shock: 0.1,
            delta_total_liq_shock_threshold: 20_000_000.0,
            annualised_move_risk: 0.075,
            option_contingency: 0.01,
            futures_contingency: 0.01,
            mm_factor: 0.8,
        }
    }

    /// Checks every parameter.
    ///
    /// # Errors
    ///
    /// [`MarginError::NegativeScanRange`] for a negative or non-finite range, shock or rate;
    /// [`MarginError::EmptyScenarioGrid`] for zero buckets; [`MarginError::InvalidParameter`]
    /// for an extended move ≤ −1 or 0, an mm_factor outside (0, 1], or a down shock that would
    /// take a vol to zero or below at one day (w·30^p ≥ 1).
    ///
    /// ```
    /// use derisk::margin::{DeribitPortfolioMargin, MarginError};
    /// let mut p = DeribitPortfolioMargin::deribit_btc();
    /// p.price_range = -0.1;
    /// assert_eq!(p.validate(), Err(MarginError::NegativeScanRange { name: "price range", value: -0.1 }));
    /// ```
    pub fn validate(&self) -> Result<(), MarginError> {
        non_negative("price range", self.price_range)?;
        if self.buckets == 0 {
            return Err(MarginError::EmptyScenarioGrid {
                what: "price buckets",
            });
        }
        non_negative("volatility range up", self.volatility_range_up)?;
        non_negative("volatility range down", self.volatility_range_down)?;
        non_negative("short term vega power", self.short_term_vega_power)?;
        non_negative("long term vega power", self.long_term_vega_power)?;
        non_negative(
            "min volatility for shock up",
            self.min_volatility_for_shock_up,
        )?;
        non_negative("extended table factor", self.extended_table_factor)?;
        non_negative("max delta shock", self.max_delta_shock)?;
        non_negative("annualised move risk", self.annualised_move_risk)?;
        non_negative("option contingency", self.option_contingency)?;
        non_negative("futures contingency", self.futures_contingency)?;
        let bad = |name, value| Err(MarginError::InvalidParameter { name, value });
        if !(self.delta_total_liq_shock_threshold.is_finite()
            && self.delta_total_liq_shock_threshold > 0.0)
        {
            return bad(
                "delta total liquidation shock threshold",
                self.delta_total_liq_shock_threshold,
            );
        }
        if !(self.mm_factor > 0.0 && self.mm_factor <= 1.0) {
            return bad("mm factor", self.mm_factor);
        }
        for &m in &self.extended_moves {
            if !(m.is_finite() && m > -1.0 && m != 0.0) {
                return bad("extended move", m);
            }
        }
        if self.volatility_range_down * self.vega_scale(1.0) >= 1.0 {
            return bad(
                "volatility range down at one day",
                self.volatility_range_down * self.vega_scale(1.0),
            );
        }
        Ok(())
    }

    /// The matrix rows mᵢ = −R + i·R/b, i = 0 … 2b.
    ///
    /// # Errors
    ///
    /// As [`DeribitPortfolioMargin::validate`].
    pub fn price_moves(&self) -> Result<Vec<f64>, MarginError> {
        self.validate()?;
        let b = self.buckets as f64;
        Ok((0..=2 * self.buckets)
            .map(|i| self.price_range * (i as f64 - b) / b)
            .collect())
    }

    /// f(d) = (30/max(d, 1))^p with the short-term power up to 30 days, the long-term one beyond.
    #[must_use]
    pub fn vega_scale(&self, days: f64) -> f64 {
        let d = days.max(1.0);
        let p = if d <= 30.0 {
            self.short_term_vega_power
        } else {
            self.long_term_vega_power
        };
        (30.0 / d).powf(p)
    }

    /// The relative vol shocks (up, down) of every expiry the book holds, per underlying.
    fn vol_shocks(
        &self,
        book: &Book<Contract>,
        market: &MarketState,
    ) -> Result<Vec<VolShocks>, MarginError> {
        let mut out: Vec<VolShocks> = Vec::new();
        for (_, p) in book.iter() {
            let Contract::Option {
                underlying, expiry, ..
            } = p.instrument
            else {
                continue;
            };
            let entry = match out.iter_mut().position(|e| e.0 == underlying) {
                Some(i) => &mut out[i],
                None => {
                    out.push((underlying, Vec::new(), Vec::new()));
                    out.last_mut().expect("just pushed")
                }
            };
            if entry.1.iter().any(|x| x.0 == expiry) {
                continue;
            }
            let days = market.valuation().seconds_until(expiry) / 86_400.0;
            let f = self.vega_scale(days);
            let atm = market
                .forward(underlying, expiry)
                .and_then(|f| market.implied_vol(underlying, expiry, f))
                .map_err(crate::portfolio::PortfolioError::from)?;
            let floor = (self.min_volatility_for_shock_up / atm).max(1.0);
            entry.1.push((expiry, self.volatility_range_up * f * floor));
            entry.2.push((expiry, -self.volatility_range_down * f));
        }
        for e in &mut out {
            e.1.sort_by_key(|x| x.0);
            e.2.sort_by_key(|x| x.0);
        }
        Ok(out)
    }

    /// The scenario of price move `m` and vol column `vol`: shocks applied in order.
    fn scenario(m: f64, vol: VolScenario, shocks: &[VolShocks]) -> Vec<Shock> {
        let mut s = vec![Shock::SpotRelative {
            asset: None,
            change: m,
            dynamics: crate::market::VolDynamics::StickyStrike,
        }];
        for (asset, up, down) in shocks {
            let points = match vol {
                VolScenario::Up => up.clone(),
                VolScenario::Down => down.clone(),
                VolScenario::Unchanged => continue,
            };
            s.push(Shock::Vol {
                asset: Some(*asset),
                adjustment: VolAdjustment::RelativeByExpiry(points),
            });
        }
        s
    }

    /// The full calculation for the positions of `book` settling in `currency`.
    ///
    /// # Errors
    ///
    /// As [`DeribitPortfolioMargin::validate`]; [`MarginError::ExpiredPosition`];
    /// [`MarginError::Portfolio`] when a scenario cannot be valued (no surface for an option's
    /// underlying, no price for the currency).
    ///
    /// ```
    /// use derisk::margin::DeribitPortfolioMargin;
    /// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
    /// use derisk::portfolio::{Book, Contract, Position};
    /// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
    ///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?).build()?;
    /// let mut book = Book::new();
    /// // long 10,000 USD of BTC-PERPETUAL: 0.1 BTC of delta, loses 0.1·(1/0.84 − 1) BTC at −16 %
    /// book.insert(Position::new(Contract::inverse_perpetual(Currency::BTC, 10.0)?, 1_000.0, 100_000.0)?);
    /// let r = DeribitPortfolioMargin::deribit_btc().margin(&book, &m, Currency::BTC)?;
    /// assert!((r.matrix_loss - 0.1 * (1.0 / 0.84 - 1.0)).abs() < 1e-12);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn margin(
        &self,
        book: &Book<Contract>,
        market: &MarketState,
        currency: Currency,
    ) -> Result<DeribitMargin, MarginError> {
        let moves = self.price_moves()?;
        let (book, _) = segregate(book, market, currency)?;
        if book.is_empty() {
            return Ok(DeribitMargin::default());
        }
        let shocks = self.vol_shocks(&book, market)?;
        // The base value comes from the same batch (a zero move, vols unchanged), so every
        // number of the matrix goes through the one cached revaluation path.
        let mut scenarios = Vec::with_capacity(moves.len() * 3 + 1);
        scenarios.push(Self::scenario(0.0, VolScenario::Unchanged, &shocks));
        for &m in &moves {
            for v in VolScenario::ALL {
                scenarios.push(Self::scenario(m, v, &shocks));
            }
        }
        // The extended table is for options far out of the money: futures and perpetuals,
        // whose coin P&L at −66 % would otherwise swamp it, stay out of it. For a book of
        // options only, its scenarios join the matrix's batch (one base value, one cache).
        let extended_scenarios: Vec<Vec<Shock>> = self
            .extended_moves
            .iter()
            .map(|&m| Self::scenario(m, VolScenario::Up, &shocks))
            .collect();
        let options_only = book
            .iter()
            .all(|(_, p)| matches!(p.instrument, Contract::Option { .. }));
        let in_batch = options_only && !extended_scenarios.is_empty();
        let matrix_points = scenarios.len() - 1;
        if in_batch {
            scenarios.extend(extended_scenarios.iter().cloned());
        }
        let mut pnl = pnl_under(&book, market, &scenarios, currency)?;
        let extended_pnl = if in_batch {
            pnl.split_off(matrix_points)
        } else {
            let mut options = Book::new();
            for (_, p) in book.iter() {
                if matches!(p.instrument, Contract::Option { .. }) {
                    options.insert(p.clone());
                }
            }
            if options.is_empty() || extended_scenarios.is_empty() {
                Vec::new()
            } else {
                let mut scenarios = extended_scenarios;
                scenarios.insert(0, Self::scenario(0.0, VolScenario::Unchanged, &shocks));
                pnl_under(&options, market, &scenarios, currency)?
            }
        };
        let matrix = RiskMatrix::new(currency, moves, VolScenario::ALL.to_vec(), pnl)?;
        let matrix_loss = matrix.worst().loss();
        let extended: Vec<(f64, f64)> = self
            .extended_moves
            .iter()
            .zip(extended_pnl)
            .map(|(&m, p)| {
                (
                    m,
                    p * self.extended_table_factor * self.price_range / m.abs(),
                )
            })
            .collect();
        let extended_loss = extended.iter().fold(0.0_f64, |a, x| a.max(-x.1));
        let (delta_shock, roll_shock) = self.shocks(&book, market, currency)?;
        let contingency = self.contingency(&book, market, currency)?;
        let initial = check_finite(
            "portfolio initial margin",
            matrix_loss.max(extended_loss) + delta_shock + roll_shock + contingency,
        )?;
        Ok(DeribitMargin {
            matrix: Some(matrix),
            extended,
            matrix_loss,
            extended_loss,
            delta_shock,
            roll_shock,
            contingency,
            initial,
            maintenance: initial * self.mm_factor,
        })
    }

    /// Delta shock and roll shock, in `currency`.
    fn shocks(
        &self,
        book: &Book<Contract>,
        market: &MarketState,
        currency: Currency,
    ) -> Result<(f64, f64), MarginError> {
        let risks = book.risk(market)?;
        let to_ccy = market
            .price_of(currency)
            .map_err(crate::portfolio::PortfolioError::from)?;
        let mut assets: Vec<Currency> = Vec::new();
        for r in &risks {
            if let Some(u) = r.underlying
                && !assets.contains(&u)
            {
                assets.push(u);
            }
        }
        let (mut delta_shock, mut roll_shock) = (0.0, 0.0);
        for a in assets {
            let s = market
                .spot(a)
                .map_err(crate::portfolio::PortfolioError::from)?;
            let delta: f64 = risks
                .iter()
                .filter(|r| r.underlying == Some(a))
                .map(|r| r.sensitivity.delta)
                .sum();
            let usd = (delta * s).abs();
            let shock =
                self.max_delta_shock * (usd / self.delta_total_liq_shock_threshold).min(1.0);
            delta_shock += usd * shock / to_ccy;
            let (mut up, mut down) = (0.0, 0.0);
            for r in risks.iter().filter(|r| r.underlying == Some(a)) {
                let Some(e) = r.expiry else { continue };
                let f = market
                    .forward(a, e)
                    .map_err(crate::portfolio::PortfolioError::from)?;
                let tau = market.year_fraction(e);
                let x = r.sensitivity.delta * f;
                up += x * (self.annualised_move_risk * tau).exp_m1();
                down += x * (-self.annualised_move_risk * tau).exp_m1();
            }
            roll_shock += (-up).max(-down).max(0.0) / to_ccy;
        }
        Ok((
            check_finite("delta shock", delta_shock)?,
            check_finite("roll shock", roll_shock)?,
        ))
    }

    /// Contingencies for net short options per strike and offsetting futures, in `currency`.
    fn contingency(
        &self,
        book: &Book<Contract>,
        market: &MarketState,
        currency: Currency,
    ) -> Result<f64, MarginError> {
        let price = |c: Currency| {
            market
                .price_of(c)
                .map_err(|e| MarginError::Portfolio(e.into()))
        };
        let to_ccy = price(currency)?;
        // (underlying, expiry, strike) → net coins of options
        let mut strikes: Vec<(Currency, Instant, u64, f64)> = Vec::new();
        // (underlying, expiry) → net futures notional in coins (the same contract nets)
        let mut futures: Vec<(Currency, Option<Instant>, f64)> = Vec::new();
        for (_, p) in book.iter() {
            let q = p.quantity;
            match p.instrument {
                Contract::Option {
                    underlying,
                    strike,
                    expiry,
                    contract_size,
                    ..
                } => {
                    let key = strike.to_bits();
                    match strikes
                        .iter_mut()
                        .find(|s| s.0 == underlying && s.1 == expiry && s.2 == key)
                    {
                        Some(s) => s.3 += q * contract_size,
                        None => strikes.push((underlying, expiry, key, q * contract_size)),
                    }
                }
                Contract::Future {
                    underlying,
                    settlement,
                    contract_size,
                    ..
                }
                | Contract::Perpetual {
                    underlying,
                    settlement,
                    contract_size,
                } => {
                    let s = market
                        .spot(underlying)
                        .map_err(crate::portfolio::PortfolioError::from)?;
                    let coins = match settlement {
                        crate::portfolio::Settlement::Inverse => q * contract_size / s,
                        crate::portfolio::Settlement::Linear(_) => q * contract_size,
                    };
                    let expiry = p.instrument.expiry();
                    match futures
                        .iter_mut()
                        .find(|f| f.0 == underlying && f.1 == expiry)
                    {
                        Some(f) => f.2 += coins,
                        None => futures.push((underlying, expiry, coins)),
                    }
                }
                _ => {}
            }
        }
        let mut total = 0.0;
        for (u, _, _, net) in strikes {
            if net < 0.0 {
                total += -net * self.option_contingency * price(u)?;
            }
        }
        let mut done: Vec<Currency> = Vec::new();
        for &(u, _, _) in &futures {
            if done.contains(&u) {
                continue;
            }
            done.push(u);
            let nets = futures.iter().filter(|f| f.0 == u).map(|f| f.2);
            let long: f64 = nets.clone().map(|x| x.max(0.0)).sum();
            let short: f64 = nets.map(|x| (-x).max(0.0)).sum();
            total += long.min(short) * self.futures_contingency * price(u)?;
        }
        check_finite("contingency", total / to_ccy)
    }

    /// What each position of the book (settling in `currency`) does to its maintenance margin:
    /// alone, and at the margin (the book's requirement with it minus without it).
    ///
    /// # Errors
    ///
    /// As [`DeribitPortfolioMargin::margin`].
    pub fn position_effects(
        &self,
        book: &Book<Contract>,
        market: &MarketState,
        currency: Currency,
    ) -> Result<Vec<PositionEffect>, MarginError> {
        let (own, ids) = segregate(book, market, currency)?;
        let total = self.margin(&own, market, currency)?.maintenance;
        let own_ids: Vec<PositionId> = own.iter().map(|(id, _)| id).collect();
        let mut out = Vec::with_capacity(ids.len());
        for (k, id) in ids.into_iter().enumerate() {
            let local = own_ids[k];
            let alone = self
                .margin(&only(&own, local), market, currency)?
                .maintenance;
            let rest = self
                .margin(&without(&own, local), market, currency)?
                .maintenance;
            out.push(PositionEffect {
                id,
                standalone: alone,
                marginal: total - rest,
            });
        }
        Ok(out)
    }
}

/// P&L of `book` under scenarios 1… from its value under scenario 0 (the unshocked market).
fn pnl_under(
    book: &Book<Contract>,
    market: &MarketState,
    scenarios: &[Vec<Shock>],
    currency: Currency,
) -> Result<Vec<f64>, MarginError> {
    let Some((base, rest)) = scenarios.split_first() else {
        return Ok(Vec::new());
    };
    // A scenario equal to the base (the matrix's zero move with vols unchanged) has a P&L of
    // exactly zero: it is not revalued again.
    let distinct: Vec<&Vec<Shock>> = std::iter::once(base)
        .chain(rest.iter().filter(|s| *s != base))
        .collect();
    let mut values = vec![Ok(0.0); distinct.len()];
    book.revalue_many(market, &distinct, currency, &mut values)?;
    let mut values = values.into_iter();
    let base_value = values.next().unwrap_or(Ok(0.0))?;
    rest.iter()
        .map(|s| {
            if s == base {
                return Ok(0.0);
            }
            let v = values.next().unwrap_or(Ok(base_value))?;
            check_finite("scenario pnl", v - base_value)
        })
        .collect()
}

impl PortfolioMarginModel for DeribitPortfolioMargin {
    fn requirement(
        &self,
        book: &Book<Contract>,
        market: &MarketState,
        currency: Currency,
    ) -> Result<PortfolioRequirement, MarginError> {
        let m = self.margin(book, market, currency)?;
        Ok(PortfolioRequirement {
            currency,
            initial: m.initial,
            maintenance: m.maintenance,
        })
    }
}
