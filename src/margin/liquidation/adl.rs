//! Auto-deleveraging: each venue's ranking score, the queue, and the execution of a bankrupt
//! position against the ranked winners on the other side.

use crate::margin::error::{check_finite, check_price, check_size};
use crate::margin::MarginError;
use crate::portfolio::PositionId;

/// A position that auto-deleveraging may close: an opposing, ranked position.
///
/// ```
/// use derisk::margin::AdlCandidate;
/// use derisk::portfolio::PositionId;
/// let c = AdlCandidate::new(PositionId(2), 10.0, 6.0)?;
/// assert_eq!((c.contracts, c.score), (10.0, 6.0));
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AdlCandidate {
    /// The position.
    pub id: PositionId,
    /// Its size in contracts (> 0).
    pub contracts: f64,
    /// Its ranking score (higher is deleveraged first), from one of the venue formulas.
    pub score: f64,
}

impl AdlCandidate {
    /// A candidate of `contracts` (> 0) with a finite `score`.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidSize`] for the size; [`MarginError::OutOfRange`] for a score that
    /// is NaN or ±∞.
    ///
    /// ```
    /// # use derisk::{margin::{AdlCandidate, MarginError}, portfolio::PositionId};
    /// assert!(matches!(AdlCandidate::new(PositionId(1), 1.0, f64::NAN), Err(MarginError::OutOfRange { .. })));
    /// ```
    pub fn new(id: PositionId, contracts: f64, score: f64) -> Result<Self, MarginError> {
        Ok(Self {
            id,
            contracts: check_size(contracts)?,
            score: check_finite("ADL score", score)?,
        })
    }
}

/// BitMEX's ADL score from signed position values (long positive, short negative, in the
/// settlement currency).
///
/// ```text
/// pnl% = (mark_value − entry_value) / |entry_value|
/// effective_leverage = |mark_value| / (mark_value − bankrupt_value)
/// score = pnl% × effective_leverage   if pnl% > 0
///       = pnl% / effective_leverage   otherwise
/// ```
///
/// Source: BitMEX, "Auto-Deleveraging", support.bitmex.com article 18589621443357 and
/// bitmex.com/app/autoDeleveraging (read 2026-12-04).
///
/// # Errors
///
/// [`MarginError::OutOfRange`] when the inputs are not finite, the entry value is zero, or the
/// position is at or past bankruptcy (mark_value − bankrupt_value ≤ 0, leverage undefined).
///
/// ```
/// use derisk::margin::bitmex_adl_score;
/// // long 1 BTC (linear) entered at 100, mark 120, bankrupt at 80:
/// // pnl% = 0.2, leverage = 120/40 = 3 → score 0.6
/// assert!((bitmex_adl_score(120.0, 100.0, 80.0)? - 0.6).abs() < 1e-15);
/// // the same position as a short (values negative), now losing: −0.2 / (120/40)
/// assert!((bitmex_adl_score(-120.0, -100.0, -160.0)? - (-0.2 / 3.0)).abs() < 1e-15);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn bitmex_adl_score(
    mark_value: f64,
    entry_value: f64,
    bankrupt_value: f64,
) -> Result<f64, MarginError> {
    for (name, v) in [
        ("mark value", mark_value),
        ("entry value", entry_value),
        ("bankrupt value", bankrupt_value),
    ] {
        check_finite(name, v)?;
    }
    if entry_value == 0.0 {
        return Err(MarginError::OutOfRange {
            quantity: "entry value",
            value: entry_value,
        });
    }
    let cushion = mark_value - bankrupt_value;
    if cushion.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Err(MarginError::OutOfRange {
            quantity: "mark value − bankrupt value",
            value: cushion,
        });
    }
    let pnl = (mark_value - entry_value) / entry_value.abs();
    let leverage = mark_value.abs() / cushion;
    let score = if pnl > 0.0 {
        pnl * leverage
    } else {
        pnl / leverage
    };
    check_finite("ADL score", score)
}

/// Binance futures' "LeveragePnL" ADL score of an account.
///
/// ```text
/// pnl% = max(0, unrealised_pnl) / max(1, wallet_balance)
/// margin_ratio = maintenance_margin / (wallet_balance + unrealised_pnl)   if the sum > 0, else 0
/// score = pnl% × margin_ratio
/// ```
///
/// Source: Binance, "What Is Auto-Deleveraging (ADL) and How Does It Work", FAQ 360033525471
/// (2019-09-09), formula as quoted in full on dev.binance.vision/t/17801 (a secondary copy; the
/// FAQ's text says the same in words: "unrealized PnL/collateral multiplied by the margin ratio").
/// Amounts in the margin asset (USDT).
///
/// # Errors
///
/// [`MarginError::OutOfRange`] for a NaN or ±∞ input; [`MarginError::InvalidAmount`] for a
/// negative maintenance margin.
///
/// ```
/// use derisk::margin::binance_adl_score;
/// // the forum's worked numbers: UP 40.2, WB 4.27 → pnl% 9.4145; with MM/(WB+UP) = 0.1342 → 1.26
/// let mm = 0.1342 * (4.27 + 40.2);
/// assert!((binance_adl_score(40.2, 4.27, mm)? - 40.2 / 4.27 * 0.1342).abs() < 1e-12);
/// assert_eq!(binance_adl_score(-5.0, 100.0, 1.0)?, 0.0); // losers are never ranked up
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn binance_adl_score(
    unrealised_pnl: f64,
    wallet_balance: f64,
    maintenance_margin: f64,
) -> Result<f64, MarginError> {
    check_finite("unrealised pnl", unrealised_pnl)?;
    check_finite("wallet balance", wallet_balance)?;
    crate::margin::error::check_amount("maintenance margin", maintenance_margin)?;
    let pnl = unrealised_pnl.max(0.0) / wallet_balance.max(1.0);
    let equity = wallet_balance + unrealised_pnl;
    let ratio = if equity > 0.0 {
        maintenance_margin / equity
    } else {
        0.0
    };
    check_finite("ADL score", pnl * ratio)
}

/// Hyperliquid's ADL sorting index of a position in profit.
///
/// ```text
/// long:  score = (mark / entry) × (notional / account_value)
/// short: score = (entry / mark) × (notional / account_value)
/// ```
///
/// Source: Hyperliquid docs, "Auto-deleveraging" (hyperliquid.gitbook.io, read 2026-12-04):
/// "(mark_price / entry_price) * (notional_position / account_value)", positions closed "at the
/// previous mark price" (not a bankruptcy price). The page writes the long form only; for a short
/// the price ratio is inverted here so that the more profitable short ranks higher, as the page's
/// "ranked by unrealized pnl and leverage used" requires (our reading, documented in
/// docs/margin.md).
///
/// # Errors
///
/// [`MarginError::InvalidPrice`] for the prices; [`MarginError::InvalidAmount`] for a negative
/// notional; [`MarginError::OutOfRange`] for an account value that is not positive.
///
/// ```
/// use derisk::margin::{hyperliquid_adl_score, Side};
/// // long entered at 100, mark 110, notional 1,100 on an account worth 550: 1.1 × 2
/// assert!((hyperliquid_adl_score(Side::Long, 110.0, 100.0, 1_100.0, 550.0)? - 2.2).abs() < 1e-15);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn hyperliquid_adl_score(
    side: crate::margin::Side,
    mark: f64,
    entry: f64,
    notional: f64,
    account_value: f64,
) -> Result<f64, MarginError> {
    let (mark, entry) = (check_price(mark)?, check_price(entry)?);
    crate::margin::error::check_amount("notional", notional)?;
    let account_value =
        crate::margin::error::check_positive_result("account value", account_value)?;
    let ratio = match side {
        crate::margin::Side::Long => mark / entry,
        crate::margin::Side::Short => entry / mark,
    };
    check_finite("ADL score", ratio * (notional / account_value))
}

/// Sorts candidates into the ADL queue: highest score first; equal scores by ascending
/// [`PositionId`] (a documented, deterministic tie rule: the older position first).
///
/// ```
/// use derisk::margin::{rank_adl, AdlCandidate};
/// use derisk::portfolio::PositionId;
/// let mut q = [
///     AdlCandidate::new(PositionId(1), 10.0, 3.0)?,
///     AdlCandidate::new(PositionId(2), 10.0, 6.0)?,
///     AdlCandidate::new(PositionId(3), 20.0, 3.0)?,
/// ];
/// rank_adl(&mut q);
/// let ids: Vec<u64> = q.iter().map(|c| c.id.0).collect();
/// assert_eq!(ids, [2, 1, 3]);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn rank_adl(candidates: &mut [AdlCandidate]) {
    // scores are finite by construction (AdlCandidate::new), so total_cmp is the numeric order
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
}

/// The queue position shown to traders, in steps of 20 % (BitMEX's five lights): the share of
/// the ranked quantity up to and including each candidate, rounded up to a fifth.
///
/// ```text
/// percentile_i = ⌈5 · Σ_{j ≤ i} contracts_j / Σ_j contracts_j⌉ / 5      (ranked order)
/// ```
///
/// Source: BitMEX, "Auto Deleveraging Examples" (bitmex.com/app/autoDeleveragingExamples): six
/// longs of 10, 10, 20, 30, 20, 10 contracts give 20 %, 40 %, 60 %, 80 %, 80 %, 100 %.
/// Writes into `out` (same length as `ranked`); allocates nothing.
///
/// # Errors
///
/// [`MarginError::IndexOutOfRange`] when `out` is shorter than `ranked`.
///
/// ```
/// use derisk::margin::{adl_percentiles, AdlCandidate};
/// use derisk::portfolio::PositionId;
/// let q: Vec<AdlCandidate> = [(2, 10.0), (5, 20.0), (4, 30.0), (1, 10.0), (6, 10.0), (3, 20.0)]
///     .iter().map(|&(id, n)| AdlCandidate::new(PositionId(id), n, 0.0)).collect::<Result<_, _>>()?;
/// let mut pct = [0.0; 6];
/// adl_percentiles(&q, &mut pct)?;
/// assert_eq!(pct, [0.2, 0.4, 0.6, 0.8, 0.8, 1.0]);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn adl_percentiles(ranked: &[AdlCandidate], out: &mut [f64]) -> Result<(), MarginError> {
    if out.len() < ranked.len() {
        return Err(MarginError::IndexOutOfRange {
            index: ranked.len(),
            len: out.len(),
        });
    }
    let total: f64 = ranked.iter().map(|c| c.contracts).sum();
    let mut cumulative = 0.0;
    for (c, o) in ranked.iter().zip(out.iter_mut()) {
        cumulative += c.contracts;
        *o = (5.0 * cumulative / total).ceil() / 5.0;
    }
    Ok(())
}

/// One auto-deleveraging fill: part or all of a ranked position closed at `price`.
///
/// ```
/// use derisk::margin::AdlFill;
/// use derisk::portfolio::PositionId;
/// let f = AdlFill { id: PositionId(5), contracts: 10.0, price: 650.0 };
/// assert_eq!(f.contracts * f.price, 6_500.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AdlFill {
    /// The deleveraged position.
    pub id: PositionId,
    /// Contracts closed (> 0).
    pub contracts: f64,
    /// The closing price: the bankruptcy price of the liquidated order (BitMEX, Binance,
    /// Bybit) or the previous mark (Hyperliquid).
    pub price: f64,
}

/// Closes `contracts` of a bankrupt position against the ranked queue at `price`: the first
/// candidate is closed in full, then the next, until the size is placed. Fills are appended to
/// `fills`; the return value is the size that the queue could not take (0 when it could).
///
/// ```text
/// fill_i = min(contracts_i, remaining);  remaining −= fill_i;  in rank order
/// ```
///
/// Source: BitMEX's example (bitmex.com/app/autoDeleveragingExamples): a short of 20 liquidated
/// at a bankruptcy price of 650 closes account 2's 10 contracts in full and 10 of account 5's 20.
///
/// # Errors
///
/// [`MarginError::InvalidSize`] or [`MarginError::InvalidPrice`] for the order.
///
/// ```
/// use derisk::margin::{deleverage, rank_adl, AdlCandidate};
/// use derisk::portfolio::PositionId;
/// let mut q: Vec<AdlCandidate> = [(1, 10.0, 3.0), (2, 10.0, 6.0), (3, 20.0, 1.0), (4, 30.0, 4.0), (5, 20.0, 5.0), (6, 10.0, 2.0)]
///     .iter().map(|&(id, n, s)| AdlCandidate::new(PositionId(id), n, s)).collect::<Result<_, _>>()?;
/// rank_adl(&mut q);
/// let mut fills = Vec::new();
/// let left = deleverage(&q, 20.0, 650.0, &mut fills)?;
/// assert_eq!(left, 0.0);
/// assert_eq!(fills.len(), 2);
/// assert_eq!((fills[0].id, fills[0].contracts), (PositionId(2), 10.0));
/// assert_eq!((fills[1].id, fills[1].contracts), (PositionId(5), 10.0));
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn deleverage(
    ranked: &[AdlCandidate],
    contracts: f64,
    price: f64,
    fills: &mut Vec<AdlFill>,
) -> Result<f64, MarginError> {
    let mut remaining = check_size(contracts)?;
    let price = check_price(price)?;
    for c in ranked {
        if remaining <= 0.0 {
            break;
        }
        let take = c.contracts.min(remaining);
        fills.push(AdlFill {
            id: c.id,
            contracts: take,
            price,
        });
        remaining -= take;
    }
    Ok(remaining.max(0.0))
}
