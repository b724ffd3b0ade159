//! Hypothetical stress: spot × vol grids, term-structured vol shocks, correlation breakdown and
//! funding-rate spikes.

use crate::market::{Currency, Instant, MarketState, Money, Shock, VolAdjustment, VolDynamics};
use crate::portfolio::{Book, Contract, Instrument, Settlement};
use crate::risk::error::RiskError;
use crate::risk::historical::book_pnl;

/// The book's P&L on a grid of spot and vol moves (rows: spot, columns: vol).
///
/// ```text
/// pnl[i][j] = V(m after S·(1 + spot_moves[i]) then σ + vol_moves[j]) − V(m)
/// ```
///
/// ```
/// let g = derisk::risk::PnlGrid { spot_moves: vec![0.0], vol_moves: vec![0.0, 0.1], pnl: vec![1.0, 2.0] };
/// assert_eq!(g.get(0, 1), Some(2.0));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PnlGrid {
    /// Relative spot moves (rows).
    pub spot_moves: Vec<f64>,
    /// Parallel vol moves in vol points, 0.10 = ten points (columns).
    pub vol_moves: Vec<f64>,
    /// P&L row-major: `pnl[i·vol_moves.len() + j]`.
    pub pnl: Vec<f64>,
}

impl PnlGrid {
    /// The P&L at spot move `i` and vol move `j` (`None` outside the grid).
    ///
    /// ```
    /// let g = derisk::risk::PnlGrid { spot_moves: vec![0.0], vol_moves: vec![0.0], pnl: vec![1.0] };
    /// assert_eq!(g.get(1, 0), None);
    /// ```
    #[must_use]
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        (i < self.spot_moves.len() && j < self.vol_moves.len())
            .then(|| self.pnl[i * self.vol_moves.len() + j])
    }
}

/// The book's P&L in `currency` over a spot × vol grid, by full revaluation.
///
/// ```text
/// scenario(i, j) = [ Shock::SpotRelative { asset, spot_moves[i], dynamics }, Shock::Vol { asset, Parallel(vol_moves[j]) } ]
/// pnl[i][j]      = V(scenario(i, j)(m)) − V(m)         (gain positive)
/// ```
///
/// `asset: None` moves every underlying and every surface together. The risk-matrix layout of
/// exchange portfolio margin (CME SPAN, Deribit portfolio margin: spot ± 15 %, vol ± points).
///
/// # Errors
///
/// [`RiskError::TooShort`] for an empty axis; [`RiskError::NonFinite`] for a non-finite move;
/// as [`book_pnl`](crate::risk::book_pnl) ([`RiskError::Scenario`] names the cell i·n_vol + j).
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, VolDynamics};
/// use derisk::portfolio::{Book, Contract, Position};
/// use derisk::risk::spot_vol_grid;
/// use derisk::vol::FlatVol;
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .vol_surface(Currency::BTC, FlatVol::new(0.5)?)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 2.0, 0.0)?);
/// let g = spot_vol_grid(&book, &m, Some(Currency::BTC), &[-0.1, 0.0, 0.1], &[0.0, 0.2], VolDynamics::StickyStrike, Currency::USD)?;
/// assert!((g.get(0, 1).unwrap() + 20_000.0).abs() < 1e-9); // spot has no vega
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn spot_vol_grid<I: Instrument + Sync>(
    book: &Book<I>,
    base: &MarketState,
    asset: Option<Currency>,
    spot_moves: &[f64],
    vol_moves: &[f64],
    dynamics: VolDynamics,
    currency: Currency,
) -> Result<PnlGrid, RiskError> {
    for (name, axis) in [("spot moves", spot_moves), ("vol moves", vol_moves)] {
        if axis.is_empty() {
            return Err(RiskError::TooShort {
                name,
                len: 0,
                min: 1,
            });
        }
        if let Some((index, &value)) = axis.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(RiskError::NonFinite { name, index, value });
        }
    }
    let mut scenarios = Vec::with_capacity(spot_moves.len() * vol_moves.len());
    for &s in spot_moves {
        for &v in vol_moves {
            scenarios.push([
                Shock::SpotRelative {
                    asset,
                    change: s,
                    dynamics,
                },
                Shock::Vol {
                    asset,
                    adjustment: VolAdjustment::Parallel(v),
                },
            ]);
        }
    }
    Ok(PnlGrid {
        spot_moves: spot_moves.to_vec(),
        vol_moves: vol_moves.to_vec(),
        pnl: book_pnl(book, base, &scenarios, currency)?,
    })
}

/// A term-structured vol shock: `points` (days to expiry, vol points) pillars, linear in time
/// between them and flat beyond, as a [`Shock`] of a market valued at `valuation`.
///
/// ```text
/// σ(E, K) → σ(E, K) + δ(E),   δ linear in E between (valuation + days_p, δ_p)
/// e.g. [(7, 0.30), (30, 0.15), (180, 0.05)]: short expiries shocked most, as in every crypto crash
/// ```
///
/// # Errors
///
/// [`RiskError::TooShort`] with no pillar; [`RiskError::InvalidParameter`] for days that are not
/// finite, positive and increasing; [`RiskError::NonFinite`] for a non-finite shift.
///
/// ```
/// use derisk::market::{Instant, Shock, VolAdjustment};
/// let s = derisk::risk::term_vol_shock(None, Instant::EPOCH, &[(7.0, 0.3), (30.0, 0.1)])?;
/// assert!(matches!(s, Shock::Vol { adjustment: VolAdjustment::ByExpiry(ref p), .. } if p.len() == 2));
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn term_vol_shock(
    asset: Option<Currency>,
    valuation: Instant,
    points: &[(f64, f64)],
) -> Result<Shock, RiskError> {
    if points.is_empty() {
        return Err(RiskError::TooShort {
            name: "vol shock pillars",
            len: 0,
            min: 1,
        });
    }
    let mut out = Vec::with_capacity(points.len());
    let mut previous = 0.0;
    for (index, &(days, shift)) in points.iter().enumerate() {
        if !(days.is_finite() && days > previous) {
            return Err(RiskError::InvalidParameter {
                name: "pillar days",
                value: days,
                reason: "pillars must be finite, positive and strictly increasing",
            });
        }
        if !shift.is_finite() {
            return Err(RiskError::NonFinite {
                name: "vol shift",
                index,
                value: shift,
            });
        }
        previous = days;
        out.push((valuation.plus_days(days)?, shift));
    }
    Ok(Shock::Vol {
        asset,
        adjustment: VolAdjustment::ByExpiry(out),
    })
}

fn positive(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite and positive",
        })
    }
}

/// Correlation breakdown: the follower's log move when its correlation with the leader goes to
/// one, given the leader's log move and both volatilities.
///
/// ```text
/// ρ = 1:  x_follower / σ_follower = x_leader / σ_leader    ⇒   x_follower = x_leader·σ_follower/σ_leader
/// ```
///
/// (the zero-mean conditional move E[x_f | x_l] = ρ·σ_f/σ_l·x_l at ρ = 1; the vols must be over
/// the same horizon, or both annualised). A BTC fall of 20 % (log) with σ_BTC = 50 %, σ_ETH = 70 %
/// gives ETH ln move −0.28. Reference: Kim and Finger, "A stress test to incorporate correlation
/// breakdown", RiskMetrics Journal (2000).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a vol that is not finite and positive;
/// [`RiskError::NonFinite`] for a non-finite move.
///
/// ```
/// let x = derisk::risk::correlated_move(-0.2, 0.5, 0.7)?;
/// assert!((x + 0.28).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn correlated_move(
    leader_log_move: f64,
    leader_vol: f64,
    follower_vol: f64,
) -> Result<f64, RiskError> {
    if !leader_log_move.is_finite() {
        return Err(RiskError::NonFinite {
            name: "leader log move",
            index: 0,
            value: leader_log_move,
        });
    }
    let l = positive("leader vol", leader_vol)?;
    let f = positive("follower vol", follower_vol)?;
    Ok(leader_log_move * (f / l))
}

/// The two spot shocks of a correlation breakdown (see [`correlated_move`]): leader by its log
/// move, follower by the move perfect correlation implies, both sticky strike.
///
/// ```text
/// [ spot_relative(leader, exp(x_l) − 1), spot_relative(follower, exp(x_l·σ_f/σ_l) − 1) ]
/// ```
///
/// # Errors
///
/// As [`correlated_move`].
///
/// ```
/// use derisk::market::{Currency, Shock};
/// // ETH twice as volatile as BTC: twice BTC's log move
/// let s = derisk::risk::correlation_breakdown((Currency::BTC, -0.2, 0.4), (Currency::ETH, 0.8))?;
/// assert_eq!(s[1], Shock::spot_relative(Currency::ETH, (-0.4f64).exp_m1()));
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn correlation_breakdown(
    leader: (Currency, f64, f64),
    follower: (Currency, f64),
) -> Result<[Shock; 2], RiskError> {
    let (la, lx, lv) = leader;
    let fx = correlated_move(lx, lv, follower.1)?;
    Ok([
        Shock::spot_relative(la, lx.exp_m1()),
        Shock::spot_relative(follower.0, fx.exp_m1()),
    ])
}

/// The funding paid and received by the book's perpetuals on `asset` if the funding rate stays at
/// `rate_per_year` for `horizon_days`, at the market's spot, in `currency` (gain positive).
///
/// ```text
/// τ = horizon_days·86,400 / seconds per year of the market's day count
/// linear perpetual (c coins, settles in Q):   flow = −q·c·S·f·τ           in Q
/// inverse perpetual (c USD face, in coin):   flow = −q·(c/S)·f·τ          in the coin
/// f > 0: longs (q > 0) pay shorts
/// ```
///
/// Perpetuals are valued at the spot with funding as a cash flow (see
/// [`Contract`](crate::portfolio::Contract)), so a funding spike is not a revaluation but this
/// flow; pair it with [`Shock::Funding`] to record the rate in the market state. Binance caps
/// BTCUSDT funding at ±0.3 % per 8 hours (±3.285 per year), which it hit on 2020-03-13.
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a negative or non-finite horizon or a non-finite rate;
/// [`RiskError::Market`] for a missing spot or FX rate.
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Book, Contract, Position};
/// use derisk::risk::funding_spike_pnl;
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .fx_rate(Currency::USDT, 1.0)
///     .build()?;
/// let mut book = Book::new();
/// let perp = Contract::linear_perpetual(Currency::BTC, Currency::USDT, 0.001)?;
/// book.insert(Position::new(perp, 1_000.0, 100_000.0)?); // long 1 BTC
/// // 0.3 % per 8 h for one day = 0.9 % of 100,000 USDT
/// let pnl = funding_spike_pnl(&book, &m, Currency::BTC, 0.003 * 3.0 * 365.0, 1.0, Currency::USDT)?;
/// assert!((pnl + 900.0).abs() < 1e-9);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn funding_spike_pnl(
    book: &Book<Contract>,
    market: &MarketState,
    asset: Currency,
    rate_per_year: f64,
    horizon_days: f64,
    currency: Currency,
) -> Result<f64, RiskError> {
    if !(horizon_days.is_finite() && horizon_days >= 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "horizon days",
            value: horizon_days,
            reason: "a holding horizon must be finite and not negative",
        });
    }
    if !rate_per_year.is_finite() {
        return Err(RiskError::InvalidParameter {
            name: "funding rate",
            value: rate_per_year,
            reason: "must be finite",
        });
    }
    let tau = horizon_days * 86_400.0 / market.day_count().seconds_per_year();
    let spot = market.spot(asset)?;
    let mut total = 0.0;
    for (_, p) in book.iter() {
        if let Contract::Perpetual {
            underlying,
            settlement,
            contract_size,
        } = p.instrument
        {
            if underlying != asset {
                continue;
            }
            let flow = match settlement {
                Settlement::Linear(_) => -p.quantity * contract_size * spot * rate_per_year * tau,
                Settlement::Inverse => -p.quantity * contract_size / spot * rate_per_year * tau,
            };
            let money = Money::new(flow, settlement.currency(underlying));
            total += market.convert(money, currency)?.amount;
        }
    }
    if total.is_finite() {
        Ok(total)
    } else {
        Err(RiskError::Overflow {
            name: "funding flow",
            value: total,
        })
    }
}
