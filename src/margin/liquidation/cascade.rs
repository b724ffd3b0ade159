//! Liquidation cascades: many leveraged accounts hit by a shock; forced orders move the mark
//! through a market-impact model, which crosses the next accounts' liquidation prices. The
//! insurance fund absorbs the gaps to the bankruptcy prices, or auto-deleveraging fires.

use rand::Rng;

use super::adl::bitmex_adl_score;
use super::index::LiquidationIndex;
use super::insurance::InsuranceFund;
use crate::garch::{Innovation, Normal};
use crate::margin::error::{check_amount, check_finite, check_price, check_size};
use crate::margin::{FlatRate, Instrument, IsolatedPosition, MarginError, Position, Side};
use crate::market::Currency;
use crate::portfolio::PositionId;

/// A market order's execution: its average price and the mark it leaves.
///
/// ```
/// use derisk::margin::Execution;
/// let e = Execution { vwap: 99.5, mark_after: 99.0 };
/// assert!(e.vwap > e.mark_after);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Execution {
    /// Volume-weighted average price of the order.
    pub vwap: f64,
    /// The mark after the order (its permanent impact).
    pub mark_after: f64,
}

/// How a market absorbs an order: any model from a price and a signed volume (coins; > 0 buys,
/// < 0 sells) to its [`Execution`]. Closures `Fn(f64, f64) -> Result<Execution, MarginError>`
/// implement it, so an order-book walk or a fitted impact law plugs in.
///
/// ```
/// use derisk::margin::{Execution, MarketImpact, MarginError};
/// // a book with a constant depth: 1 % per 100 coins, linear in price
/// let book = |mark: f64, v: f64| -> Result<Execution, MarginError> {
///     let after = mark * (1.0 + 0.01 * v / 100.0);
///     Ok(Execution { vwap: 0.5 * (mark + after), mark_after: after })
/// };
/// assert_eq!(book.execute(100.0, -100.0)?.mark_after, 99.0);
/// # Ok::<(), MarginError>(())
/// ```
pub trait MarketImpact {
    /// Executes `volume` at `mark`.
    ///
    /// # Errors
    ///
    /// A [`MarginError`] for inputs the model cannot price (an order beyond a book's depth).
    fn execute(&self, mark: f64, volume: f64) -> Result<Execution, MarginError>;
}

impl<F: Fn(f64, f64) -> Result<Execution, MarginError>> MarketImpact for F {
    fn execute(&self, mark: f64, volume: f64) -> Result<Execution, MarginError> {
        self(mark, volume)
    }
}

/// An order-book snapshot as an impact model: the book's shape relative to its mid, re-centred
/// on each mark (prices scaled by mark / mid), walked level by level; the mark after the order is
/// the last level it touched. The book is assumed to refill to the same shape after every order.
///
/// ```text
/// vwap = (mark / mid) · Fill::average_price;   mark_after = (mark / mid) · Fill::worst_price
/// ```
///
/// Errors: an order beyond the book's depth is [`MarginError::OutOfRange`] naming the unfilled
/// size (a liquidation engine should split it), a zero or non-finite size
/// [`MarginError::InvalidSize`].
///
/// ```
/// use derisk::margin::MarketImpact;
/// use derisk::market::{Level, OrderBook};
/// let book = OrderBook::new(
///     vec![Level::new(99.0, 1.0), Level::new(98.0, 2.0)],
///     vec![Level::new(101.0, 1.0), Level::new(102.0, 2.0)],
/// )?;
/// // sell 2 at a mark of 200 (twice the book's mid): 1 at 198 and 1 at 196
/// let e = book.execute(200.0, -2.0)?;
/// assert_eq!((e.vwap, e.mark_after), (197.0, 196.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl MarketImpact for crate::market::OrderBook {
    fn execute(&self, mark: f64, volume: f64) -> Result<Execution, MarginError> {
        let mark = check_price(mark)?;
        if volume == 0.0 {
            return Ok(Execution {
                vwap: mark,
                mark_after: mark,
            });
        }
        let side = if volume > 0.0 {
            crate::market::Side::Buy
        } else {
            crate::market::Side::Sell
        };
        let fill = self
            .walk(side, volume.abs())
            .map_err(|_| MarginError::InvalidSize { size: volume })?;
        if !fill.is_complete() {
            return Err(MarginError::OutOfRange {
                quantity: "order size beyond the book's depth (unfilled)",
                value: fill.unfilled,
            });
        }
        let scale = mark / self.mid();
        Ok(Execution {
            vwap: check_finite("vwap", fill.average_price * scale)?,
            mark_after: check_finite("mark after", fill.worst_price * scale)?,
        })
    }
}

/// A power-law permanent impact in log price, walked as a continuous book.
///
/// ```text
/// ln(P(x)/P) = sign(V) · c · x^β   for x ∈ [0, |V|] coins walked
/// mark_after = P(|V|);   vwap = P · ∫₀¹ exp(sign(V) · c · |V|^β · u^β) du
/// ```
///
/// β = ½ is the square-root law (Tóth et al., "Anomalous price impact and the critical nature
/// of liquidity in financial markets", PRX 2011): c = Y·σ/√(daily volume) with Y ≈ 1. The
/// average is an 8-point Gauss–Legendre quadrature (exact to ~1e-12 for impacts below 50 %).
///
/// ```
/// use derisk::margin::{MarketImpact, PowerImpact};
/// let sqrt_law = PowerImpact::new(0.001, 0.5)?;     // 0.1 % for one coin, 1 % for 100
/// let e = sqrt_law.execute(100_000.0, -100.0)?;
/// assert!((e.mark_after - 100_000.0 * (-0.01f64).exp()).abs() < 1e-9);
/// assert!(e.vwap < 100_000.0 && e.vwap > e.mark_after);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PowerImpact {
    coefficient: f64,
    exponent: f64,
}

impl PowerImpact {
    /// Impact `coefficient` c ≥ 0 (log price per coin^β) and `exponent` β in (0, 1].
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`] outside those ranges.
    ///
    /// ```
    /// # use derisk::margin::{MarginError, PowerImpact};
    /// assert!(matches!(PowerImpact::new(0.001, 1.5), Err(MarginError::InvalidParameter { .. })));
    /// ```
    pub fn new(coefficient: f64, exponent: f64) -> Result<Self, MarginError> {
        if !(coefficient.is_finite() && coefficient >= 0.0) {
            return Err(MarginError::InvalidParameter {
                name: "impact coefficient",
                value: coefficient,
            });
        }
        if !(exponent > 0.0 && exponent <= 1.0) {
            return Err(MarginError::InvalidParameter {
                name: "impact exponent",
                value: exponent,
            });
        }
        Ok(Self {
            coefficient,
            exponent,
        })
    }
}

// Gauss–Legendre nodes and weights on [0, 1] (8 points).
const GL_NODES: [f64; 8] = [
    0.019_855_071_751_231_856,
    0.101_666_761_293_186_63,
    0.237_233_795_041_835_5,
    0.408_282_678_752_175_1,
    0.591_717_321_247_825,
    0.762_766_204_958_164_5,
    0.898_333_238_706_813_4,
    0.980_144_928_248_768_1,
];
const GL_WEIGHTS: [f64; 8] = [
    0.050_614_268_145_188_13,
    0.111_190_517_226_687_24,
    0.156_853_322_938_943_64,
    0.181_341_891_689_181,
    0.181_341_891_689_181,
    0.156_853_322_938_943_64,
    0.111_190_517_226_687_24,
    0.050_614_268_145_188_13,
];

impl MarketImpact for PowerImpact {
    fn execute(&self, mark: f64, volume: f64) -> Result<Execution, MarginError> {
        let mark = check_price(mark)?;
        check_finite("order volume", volume)?;
        if volume == 0.0 {
            return Ok(Execution {
                vwap: mark,
                mark_after: mark,
            });
        }
        let total = volume.signum() * self.coefficient * volume.abs().powf(self.exponent);
        let average: f64 = GL_NODES
            .iter()
            .zip(GL_WEIGHTS)
            .map(|(&u, w)| w * (total * u.powf(self.exponent)).exp())
            .sum();
        Ok(Execution {
            vwap: check_finite("vwap", mark * average)?,
            mark_after: check_finite("mark after", mark * total.exp())?,
        })
    }
}

/// One leveraged account of a cascade: an isolated linear perpetual position.
///
/// ```
/// use derisk::margin::{LeveragedAccount, Side};
/// let a = LeveragedAccount { side: Side::Long, size: 2.0, entry: 100_000.0, leverage: 20.0 };
/// assert_eq!(a.size * a.entry / a.leverage, 10_000.0); // its margin
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LeveragedAccount {
    /// Long or short.
    pub side: Side,
    /// Size in coins (> 0).
    pub size: f64,
    /// Entry price (> 0).
    pub entry: f64,
    /// Leverage at entry (> 0): margin = size · entry / leverage.
    pub leverage: f64,
}

/// How to draw a population of leveraged accounts (seeded, reproducible).
///
/// ```text
/// side:      long with probability long_share
/// leverage:  log-uniform on [min_leverage, max_leverage]
/// entry:     price · exp(entry_spread · Z),  Z ~ N(0, 1)
/// size:      open_interest / accounts · exp(size_dispersion · Z' − size_dispersion²/2)
/// ```
///
/// Accounts already past their liquidation price at the starting price are dropped (they would
/// not be open), so the population can be smaller than `accounts`.
///
/// ```
/// use derisk::margin::PopulationSpec;
/// use rand::SeedableRng;
/// let spec = PopulationSpec { accounts: 1_000, ..PopulationSpec::default() };
/// let pop = spec.sample(100_000.0, &mut rand_chacha::ChaCha20Rng::seed_from_u64(7))?;
/// assert!(pop.len() <= 1_000 && pop.len() > 900);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PopulationSpec {
    /// Number of accounts drawn.
    pub accounts: usize,
    /// Share of longs in [0, 1].
    pub long_share: f64,
    /// Lowest leverage (≥ 1).
    pub min_leverage: f64,
    /// Highest leverage (≥ min).
    pub max_leverage: f64,
    /// Dispersion of entry prices (log, ≥ 0).
    pub entry_spread: f64,
    /// Total open interest (coins, > 0), split across accounts.
    pub open_interest: f64,
    /// Dispersion of account sizes (log, ≥ 0).
    pub size_dispersion: f64,
}

impl Default for PopulationSpec {
    /// 10,000 accounts, 60 % long, 2–100x, entries spread 3 %, 10,000 coins of open interest,
    /// sizes spread by a factor e.
    fn default() -> Self {
        Self {
            accounts: 10_000,
            long_share: 0.6,
            min_leverage: 2.0,
            max_leverage: 100.0,
            entry_spread: 0.03,
            open_interest: 10_000.0,
            size_dispersion: 1.0,
        }
    }
}

impl PopulationSpec {
    /// Draws the population around `price` with the caller's RNG.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`] / [`MarginError::InvalidPrice`] for the spec.
    ///
    /// ```
    /// use derisk::margin::PopulationSpec;
    /// use rand::SeedableRng;
    /// let spec = PopulationSpec { accounts: 10, ..PopulationSpec::default() };
    /// let a = spec.sample(50_000.0, &mut rand_chacha::ChaCha20Rng::seed_from_u64(1))?;
    /// let b = spec.sample(50_000.0, &mut rand_chacha::ChaCha20Rng::seed_from_u64(1))?;
    /// assert_eq!(a, b); // seeded: bit for bit
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn sample<R: Rng + ?Sized>(
        &self,
        price: f64,
        rng: &mut R,
    ) -> Result<Vec<LeveragedAccount>, MarginError> {
        let price = check_price(price)?;
        let bad = |name: &'static str, value: f64| MarginError::InvalidParameter { name, value };
        if !(0.0..=1.0).contains(&self.long_share) {
            return Err(bad("long share", self.long_share));
        }
        if !(self.min_leverage >= 1.0
            && self.max_leverage >= self.min_leverage
            && self.max_leverage.is_finite())
        {
            return Err(bad("leverage range", self.max_leverage));
        }
        for (name, v) in [
            ("entry spread", self.entry_spread),
            ("size dispersion", self.size_dispersion),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(bad(name, v));
            }
        }
        check_size(self.open_interest)?;
        let mean_size = self.open_interest / self.accounts.max(1) as f64;
        let (ln_lo, ln_hi) = (self.min_leverage.ln(), self.max_leverage.ln());
        let mut out = Vec::with_capacity(self.accounts);
        for _ in 0..self.accounts {
            let side = if rng.random::<f64>() < self.long_share {
                Side::Long
            } else {
                Side::Short
            };
            let leverage = (ln_lo + (ln_hi - ln_lo) * rng.random::<f64>()).exp();
            let entry = price * (self.entry_spread * Normal.sample(rng)).exp();
            let s = self.size_dispersion;
            let size = mean_size * (s * Normal.sample(rng) - 0.5 * s * s).exp();
            // an account already past its liquidation price would not be open
            let margin = 1.0 / leverage;
            let alive = match side {
                Side::Long => price > entry * (1.0 - margin),
                Side::Short => price < entry * (1.0 + margin),
            };
            if alive && size > 0.0 {
                out.push(LeveragedAccount {
                    side,
                    size,
                    entry,
                    leverage,
                });
            }
        }
        Ok(out)
    }
}

/// The settings of a cascade run.
///
/// ```
/// use derisk::margin::CascadeConfig;
/// let c = CascadeConfig::default();
/// assert_eq!(c.maintenance_rate, 0.004);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CascadeConfig {
    /// Maintenance margin rate of every position (a flat bracket, e.g. Binance's first 0.4 %).
    pub maintenance_rate: f64,
    /// Starting insurance fund (quote currency, ≥ 0).
    pub insurance_fund: f64,
    /// Share of each step's transient impact that decays by the next step, in [0, 1]: 0 keeps
    /// all impact (permanent), 1 lets the price fall back to the exogenous path at once.
    pub resilience: f64,
}

impl Default for CascadeConfig {
    /// 0.4 % maintenance, no insurance fund, permanent impact.
    fn default() -> Self {
        Self {
            maintenance_rate: 0.004,
            insurance_fund: 0.0,
            resilience: 0.0,
        }
    }
}

/// What happened in one step of a cascade.
///
/// ```
/// use derisk::margin::CascadeStep;
/// let s = CascadeStep { mark: 1.0, forced_sold: 0.0, forced_bought: 0.0, liquidated: 0, adl_events: 0, adl_volume: 0.0, insurance_fund: 0.0, bad_debt: 0.0 };
/// assert_eq!(s.liquidated, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CascadeStep {
    /// The mark at the end of the step.
    pub mark: f64,
    /// Coins sold by the liquidation engine (liquidated longs).
    pub forced_sold: f64,
    /// Coins bought by the liquidation engine (liquidated shorts).
    pub forced_bought: f64,
    /// Positions liquidated.
    pub liquidated: usize,
    /// Positions closed by auto-deleveraging (winners on the other side).
    pub adl_events: usize,
    /// Coins closed by auto-deleveraging.
    pub adl_volume: f64,
    /// Insurance fund balance after the step.
    pub insurance_fund: f64,
    /// Cumulative loss neither the fund nor ADL covered (quote currency).
    pub bad_debt: f64,
}

struct Open {
    account: LeveragedAccount,
    bankruptcy: f64,
    closed: bool,
}

/// Runs a cascade: each step applies the exogenous log return `shock[t]` to the fundamental
/// price, liquidates every account the mark crosses (found through a [`LiquidationIndex`]),
/// executes their net forced flow through `impact`, books the fund's gain or loss against each
/// bankruptcy price, and auto-deleverages (BitMEX ranking, at the bankruptcy price) any
/// position whose loss the fund cannot carry.
///
/// ```text
/// ln mark_t = ln fundamental_t + transient_t
/// transient_t = (1 − resilience) · transient_{t−1} + ln(mark_after / mark)  of step t's flow
/// fund += side · size · (vwap − bankruptcy)  per liquidated position (if the fund can carry it)
/// ```
///
/// The population's liquidation and bankruptcy prices come from
/// [`IsolatedPosition::liquidation_price`] and [`IsolatedPosition::bankruptcy_price`] with a
/// flat maintenance rate. Deterministic given its inputs (draw the population with a seeded RNG).
///
/// # Errors
///
/// [`MarginError`]s for the inputs and from `impact`.
///
/// ```
/// use derisk::margin::{simulate_cascade, CascadeConfig, LeveragedAccount, PowerImpact, Side};
/// let accounts = [
///     LeveragedAccount { side: Side::Long, size: 10.0, entry: 100.0, leverage: 20.0 },
///     LeveragedAccount { side: Side::Long, size: 10.0, entry: 100.0, leverage: 10.0 },
/// ];
/// let impact = PowerImpact::new(0.006, 1.0)?;     // 0.6 % of log price per coin sold
/// // a 5 % drop liquidates the 20x long (LP = 950/9.96 ≈ 95.38); its 10 coins push the price
/// // 6 % lower, through the 10x long's LP (900/9.96 ≈ 90.36): the cascade takes both
/// let config = CascadeConfig { insurance_fund: 1e6, ..CascadeConfig::default() };
/// let steps = simulate_cascade(&accounts, 100.0, &[-0.05, 0.0, 0.0], &impact, &config)?;
/// assert_eq!(steps[0].liquidated, 1);
/// assert_eq!(steps[1].liquidated, 1);
/// assert_eq!(steps[2].liquidated, 0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn simulate_cascade<I: MarketImpact + ?Sized>(
    accounts: &[LeveragedAccount],
    price: f64,
    shock: &[f64],
    impact: &I,
    config: &CascadeConfig,
) -> Result<Vec<CascadeStep>, MarginError> {
    let price = check_price(price)?;
    // the cap on leverage is irrelevant here (no initial margin is checked)
    let model = FlatRate::new(config.maintenance_rate, 1_000.0)?;
    let instrument = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?;
    if !(0.0..=1.0).contains(&config.resilience) {
        return Err(MarginError::InvalidParameter {
            name: "resilience",
            value: config.resilience,
        });
    }
    let mut fund = InsuranceFund::new(config.insurance_fund)?;
    let mut index = LiquidationIndex::new();
    let mut open = Vec::with_capacity(accounts.len());
    for (i, a) in accounts.iter().enumerate() {
        let p = Position::new(instrument, a.side, a.size, a.entry)?;
        let margin = check_amount("margin", a.size * a.entry / a.leverage)?;
        let iso = IsolatedPosition::new(p, margin)?;
        let bankruptcy = iso.bankruptcy_price(&model).price().unwrap_or(0.0);
        if let Some(lp) = iso.liquidation_price(&model).price() {
            index.insert(PositionId(i as u64), a.side, lp)?;
        }
        open.push(Open {
            account: *a,
            bankruptcy,
            closed: false,
        });
    }
    let mut fundamental = price.ln();
    let mut transient = 0.0;
    let mut bad_debt = 0.0;
    let mut steps = Vec::with_capacity(shock.len());
    for &r in shock {
        fundamental += check_finite("shock", r)?;
        let mark = check_finite("mark", (fundamental + transient).exp())?;
        let hit = index.take_triggered(mark);
        let flow: f64 = hit
            .iter()
            .map(|id| {
                let a = &open[id.0 as usize].account;
                -a.side.sign() * a.size
            })
            .sum();
        // first pass: which positions the fund can carry at this flow's price
        let tentative = impact.execute(mark, flow)?;
        let (mut market_flow, mut adl_list) = (0.0, Vec::new());
        let mut balance = fund.balance();
        for id in &hit {
            let o = &open[id.0 as usize];
            let pnl = o.account.side.sign() * o.account.size * (tentative.vwap - o.bankruptcy);
            if balance + pnl >= 0.0 {
                balance += pnl;
                market_flow -= o.account.side.sign() * o.account.size;
            } else {
                adl_list.push(*id);
            }
        }
        let exec = impact.execute(mark, market_flow)?;
        let (mut sold, mut bought) = (0.0, 0.0);
        for id in &hit {
            if adl_list.contains(id) {
                continue;
            }
            let o = &mut open[id.0 as usize];
            o.closed = true;
            let a = o.account;
            let pnl = a.side.sign() * a.size * (exec.vwap - o.bankruptcy);
            match a.side {
                Side::Long => sold += a.size,
                Side::Short => bought += a.size,
            }
            let after = fund.balance() + pnl;
            if after < 0.0 {
                bad_debt -= after;
            }
            fund = InsuranceFund::new(after.max(0.0))?;
        }
        let (adl_events, adl_volume, lost) =
            auto_deleverage(&mut open, &mut index, &adl_list, exec.mark_after)?;
        bad_debt += lost;
        transient = (1.0 - config.resilience) * transient + (exec.mark_after / mark).ln();
        let end_mark = check_finite("mark", (fundamental + transient).exp())?;
        steps.push(CascadeStep {
            mark: end_mark,
            forced_sold: sold,
            forced_bought: bought,
            liquidated: hit.len() - adl_list.len(),
            adl_events,
            adl_volume,
            insurance_fund: fund.balance(),
            bad_debt,
        });
    }
    Ok(steps)
}

/// Closes each position of `adl_list` at its bankruptcy price against the open accounts on the
/// other side ranked by BitMEX's score at `mark`. Returns the events, the volume and the value
/// (quote currency) that no counterparty could take.
fn auto_deleverage(
    open: &mut [Open],
    index: &mut LiquidationIndex,
    adl_list: &[PositionId],
    mark: f64,
) -> Result<(usize, f64, f64), MarginError> {
    if adl_list.is_empty() {
        return Ok((0, 0.0, 0.0));
    }
    let (mut events, mut volume, mut lost) = (0, 0.0, 0.0);
    for id in adl_list {
        let target = open[id.0 as usize].account;
        let bankruptcy = open[id.0 as usize].bankruptcy;
        open[id.0 as usize].closed = true;
        let mut ranked: Vec<(f64, usize)> = open
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.closed && o.account.side == target.side.opposite())
            .filter_map(|(i, o)| {
                let s = o.account.side.sign();
                let (mv, ev) = (
                    s * o.account.size * mark,
                    s * o.account.size * o.account.entry,
                );
                bitmex_adl_score(mv, ev, s * o.account.size * o.bankruptcy)
                    .ok()
                    .map(|score| (score, i))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut remaining = target.size;
        for (_, i) in ranked {
            if remaining <= 0.0 {
                break;
            }
            let take = open[i].account.size.min(remaining);
            remaining -= take;
            volume += take;
            events += 1;
            if take >= open[i].account.size {
                open[i].closed = true;
                index.remove(PositionId(i as u64));
            } else {
                open[i].account.size -= take;
            }
        }
        // what no counterparty took is closed at the mark: its gap to bankruptcy is lost
        lost += remaining * (target.side.sign() * (bankruptcy - mark)).max(0.0);
    }
    Ok((events, volume, lost))
}
