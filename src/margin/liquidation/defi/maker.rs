//! Maker / Sky Liquidations 2.0: `Dog.bark` starts a Dutch auction of a vault's collateral,
//! the `Clipper`'s price falls along an abacus curve, keepers `take` at the current price.

use crate::margin::error::{check_amount, check_finite, check_price};
use crate::margin::MarginError;

/// The price curve of a Dutch auction (Maker's `abaci.sol`), as a function of the seconds since
/// the auction started.
///
/// ```text
/// Linear { tau }:                   top · max(0, tau − t) / tau
/// StairstepExponential { step, cut }: top · cut^⌊t / step⌋
/// Exponential { cut }:              top · cut^t
/// ```
///
/// ```
/// use derisk::margin::Abacus;
/// let a = Abacus::StairstepExponential { step: 90.0, cut: 0.99 };
/// assert_eq!(a.price(1_000.0, 179.0)?, 1_000.0 * 0.99);   // one step down after 90 s
/// assert_eq!(Abacus::Linear { tau: 100.0 }.price(1_000.0, 25.0)?, 750.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Abacus {
    /// Linear decrease to zero over `tau` seconds (`LinearDecrease`).
    Linear {
        /// Seconds to zero (> 0).
        tau: f64,
    },
    /// A multiplicative `cut` (in (0, 1]) every `step` seconds (`StairstepExponentialDecrease`).
    StairstepExponential {
        /// Seconds per step (> 0).
        step: f64,
        /// Factor per step.
        cut: f64,
    },
    /// A multiplicative `cut` per second (`ExponentialDecrease`).
    Exponential {
        /// Factor per second, in (0, 1].
        cut: f64,
    },
}

impl Abacus {
    /// The auction price `elapsed` seconds (≥ 0) after a start at `top` (> 0).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for `top`; [`MarginError::InvalidAmount`] for `elapsed`;
    /// [`MarginError::InvalidParameter`] for the curve's parameters.
    ///
    /// ```
    /// use derisk::margin::Abacus;
    /// assert!((Abacus::Exponential { cut: 0.999 }.price(100.0, 10.0)? - 100.0 * 0.999f64.powi(10)).abs() < 1e-12);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn price(&self, top: f64, elapsed: f64) -> Result<f64, MarginError> {
        let top = check_price(top)?;
        let t = check_amount("seconds elapsed", elapsed)?;
        let factor = |cut: f64| {
            if cut.is_finite() && cut > 0.0 && cut <= 1.0 {
                Ok(cut)
            } else {
                Err(MarginError::InvalidParameter {
                    name: "cut",
                    value: cut,
                })
            }
        };
        let positive = |name: &'static str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(v)
            } else {
                Err(MarginError::InvalidParameter { name, value: v })
            }
        };
        Ok(match *self {
            Self::Linear { tau } => {
                let tau = positive("tau", tau)?;
                if t >= tau {
                    0.0
                } else {
                    top * (tau - t) / tau
                }
            }
            Self::StairstepExponential { step, cut } => {
                top * factor(cut)?.powf((t / positive("step", step)?).floor())
            }
            Self::Exponential { cut } => top * factor(cut)?.powf(t),
        })
    }
}

/// A collateral type's liquidation parameters (`Dog` and `Clipper` settings).
///
/// ```
/// use derisk::margin::{Abacus, ClipperParams};
/// let eth_a = ClipperParams::new(1.13, 1.2, 8_400.0, 0.4, 0.001, 300.0, 7_500.0, Abacus::StairstepExponential { step: 90.0, cut: 0.99 })?;
/// assert_eq!(eth_a.chop(), 1.13);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClipperParams {
    chop: f64,
    buf: f64,
    tail: f64,
    cusp: f64,
    chip: f64,
    tip: f64,
    chost: f64,
    abacus: Abacus,
}

impl ClipperParams {
    /// `chop` liquidation penalty (≥ 1, e.g. 1.13), `buf` start-price multiplier over the oracle
    /// (≥ 1), `tail` maximum auction seconds, `cusp` lowest price / start price before a reset,
    /// `chip` (share of the tab) and `tip` (flat DAI) keeper incentives, `chost` the dust left
    /// by a partial take (`ilk.dust · chop`), and the price curve.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`] naming the parameter.
    ///
    /// ```
    /// # use derisk::margin::{Abacus, ClipperParams, MarginError};
    /// let e = ClipperParams::new(0.9, 1.2, 100.0, 0.4, 0.0, 0.0, 0.0, Abacus::Linear { tau: 100.0 });
    /// assert!(matches!(e, Err(MarginError::InvalidParameter { name: "chop", .. })));
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        chop: f64,
        buf: f64,
        tail: f64,
        cusp: f64,
        chip: f64,
        tip: f64,
        chost: f64,
        abacus: Abacus,
    ) -> Result<Self, MarginError> {
        let check = |name: &'static str, v: f64, ok: bool| {
            if v.is_finite() && ok {
                Ok(v)
            } else {
                Err(MarginError::InvalidParameter { name, value: v })
            }
        };
        Ok(Self {
            chop: check("chop", chop, chop >= 1.0)?,
            buf: check("buf", buf, buf >= 1.0)?,
            tail: check("tail", tail, tail > 0.0)?,
            cusp: check("cusp", cusp, (0.0..1.0).contains(&cusp))?,
            chip: check("chip", chip, (0.0..1.0).contains(&chip))?,
            tip: check("tip", tip, tip >= 0.0)?,
            chost: check("chost", chost, chost >= 0.0)?,
            abacus,
        })
    }

    /// The liquidation penalty multiplier.
    ///
    /// ```
    /// # use derisk::margin::{Abacus, ClipperParams};
    /// assert_eq!(ClipperParams::new(1.1, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, Abacus::Linear { tau: 1.0 })?.chop(), 1.1);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub const fn chop(&self) -> f64 {
        self.chop
    }
}

/// A running Dutch auction (a `Clipper` sale): DAI still to raise, collateral left, start price.
///
/// ```
/// use derisk::margin::Auction;
/// let a = Auction { tab: 11_300.0, lot: 10.0, top: 2_400.0, keeper_incentive: 411.3 };
/// assert_eq!(a.lot, 10.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Auction {
    /// DAI to raise (debt × chop).
    pub tab: f64,
    /// Collateral for sale.
    pub lot: f64,
    /// Starting price (oracle × buf).
    pub top: f64,
    /// Paid to the keeper who started it: tip + chip · tab (a cost to the protocol).
    pub keeper_incentive: f64,
}

/// `Dog.bark` of a whole unsafe vault (no `hole`/`Hole` limits): the auction it starts.
///
/// ```text
/// unsafe:  ink · price / mat < art · rate          (collateral at the liquidation ratio mat)
/// tab = art · rate · chop;  lot = ink;  top = price · buf;  incentive = tip + chip · tab
/// ```
///
/// Source: makerdao/dss `src/dog.sol` (`bark`) and `src/clip.sol` (`kick`); the `hole`/`Hole`
/// caps on the amount in auction are left to the caller.
///
/// # Errors
///
/// [`MarginError::InvalidAmount`] / [`MarginError::InvalidPrice`] / [`MarginError::InvalidParameter`]
/// for the inputs; [`MarginError::NotLiquidatable`] for a safe vault (its `health_factor` is
/// ink · price / mat / debt).
///
/// ```
/// use derisk::margin::{bark, Abacus, ClipperParams};
/// let p = ClipperParams::new(1.13, 1.2, 8_400.0, 0.4, 0.001, 300.0, 7_500.0, Abacus::StairstepExponential { step: 90.0, cut: 0.99 })?;
/// // 10 ETH, 10,000 DAI debt, mat 1.45: unsafe below 1,450 USD; at 1,400:
/// let a = bark(10.0, 10_000.0, 1.0, 1_400.0, 1.45, &p)?;
/// assert!((a.tab - 11_300.0).abs() < 1e-9);
/// assert!((a.top - 1_680.0).abs() < 1e-9);
/// assert!((a.keeper_incentive - (300.0 + 11.3)).abs() < 1e-9);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn bark(
    ink: f64,
    art: f64,
    rate: f64,
    price: f64,
    mat: f64,
    params: &ClipperParams,
) -> Result<Auction, MarginError> {
    let ink = check_amount("ink", ink)?;
    let art = check_amount("art", art)?;
    let rate = check_price(rate)?;
    let price = check_price(price)?;
    if !(mat.is_finite() && mat >= 1.0) {
        return Err(MarginError::InvalidParameter {
            name: "mat",
            value: mat,
        });
    }
    let debt = art * rate;
    let capacity = ink * price / mat;
    if capacity >= debt {
        return Err(MarginError::NotLiquidatable {
            health_factor: if debt > 0.0 {
                capacity / debt
            } else {
                f64::MAX
            },
        });
    }
    let tab = check_finite("tab", debt * params.chop)?;
    Ok(Auction {
        tab,
        lot: ink,
        top: check_finite("top", price * params.buf)?,
        keeper_incentive: params.tip + params.chip * tab,
    })
}

/// What a `take` did, and the auction after it (`None` when it ended).
///
/// ```
/// use derisk::margin::TakeOutcome;
/// let t = TakeOutcome { collateral: 1.0, dai: 1_500.0, price: 1_500.0, auction: None, returned_to_owner: 0.0, bad_debt: 0.0 };
/// assert_eq!(t.collateral * t.price, t.dai);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TakeOutcome {
    /// Collateral bought.
    pub collateral: f64,
    /// DAI paid.
    pub dai: f64,
    /// The auction price paid.
    pub price: f64,
    /// The auction after the take; `None` when it ended (tab raised or lot sold).
    pub auction: Option<Auction>,
    /// Collateral returned to the vault owner when the tab was raised in full.
    pub returned_to_owner: f64,
    /// DAI of the tab not raised when the lot ran out: the protocol's bad debt.
    pub bad_debt: f64,
}

impl Auction {
    /// Whether the auction needs a reset (`Clipper.status`): older than `tail` seconds or its
    /// price below `cusp` × `top`.
    ///
    /// # Errors
    ///
    /// From [`Abacus::price`].
    ///
    /// ```
    /// use derisk::margin::{bark, Abacus, ClipperParams};
    /// let p = ClipperParams::new(1.13, 1.2, 8_400.0, 0.4, 0.0, 0.0, 0.0, Abacus::Linear { tau: 10_000.0 })?;
    /// let a = bark(10.0, 10_000.0, 1.0, 1_400.0, 1.45, &p)?;
    /// assert!(!a.needs_reset(5_000.0, &p)?);
    /// assert!(a.needs_reset(6_001.0, &p)?);     // price fell below 40 % of the start
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn needs_reset(&self, elapsed: f64, params: &ClipperParams) -> Result<bool, MarginError> {
        let price = params.abacus.price(self.top, elapsed)?;
        Ok(elapsed > params.tail || price / self.top < params.cusp)
    }

    /// `Clipper.take`: buy up to `amount` of collateral at the current price if it is at most
    /// `max_price`.
    ///
    /// ```text
    /// slice = min(lot, amount);  owe = slice · price
    /// owe > tab:               owe = tab, slice = owe / price
    /// owe < tab, slice < lot:  if tab − owe < chost: owe = tab − chost, slice = owe / price
    /// tab −= owe; lot −= slice
    /// lot = 0 → ends, the tab left is bad debt;  tab = 0 → ends, the lot left goes back
    /// ```
    ///
    /// Source: makerdao/dss `src/clip.sol`, `take`.
    ///
    /// # Errors
    ///
    /// [`MarginError::AuctionClosed`] when it needs a reset, when the price is above
    /// `max_price`, or when a partial take would leave a tab below `chost` that the contract
    /// forbids (`no-partial-purchase`); input errors as [`Abacus::price`].
    ///
    /// ```
    /// use derisk::margin::{bark, Abacus, ClipperParams};
    /// let p = ClipperParams::new(1.13, 1.2, 8_400.0, 0.4, 0.0, 0.0, 0.0, Abacus::Linear { tau: 10_000.0 })?;
    /// let a = bark(10.0, 10_000.0, 1.0, 1_400.0, 1.45, &p)?;   // tab 11,300, top 1,680
    /// let t = a.take(2_500.0, 100.0, f64::MAX, &p)?;           // price 1,680 × 0.75 = 1,260
    /// assert_eq!(t.price, 1_260.0);
    /// assert!(t.auction.is_none());                            // 10 ETH raise 12,600 > tab:
    /// assert!((t.collateral - 11_300.0 / 1_260.0).abs() < 1e-12); // only the tab is bought
    /// assert!((t.returned_to_owner - (10.0 - 11_300.0 / 1_260.0)).abs() < 1e-12);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn take(
        &self,
        elapsed: f64,
        amount: f64,
        max_price: f64,
        params: &ClipperParams,
    ) -> Result<TakeOutcome, MarginError> {
        let amount = check_amount("amount", amount)?;
        if self.needs_reset(elapsed, params)? {
            return Err(MarginError::AuctionClosed {
                reason: "needs reset (past tail or below cusp)",
            });
        }
        let price = params.abacus.price(self.top, elapsed)?;
        if max_price < price {
            return Err(MarginError::AuctionClosed {
                reason: "price above the taker's maximum",
            });
        }
        let mut slice = self.lot.min(amount);
        let mut owe = slice * price;
        if owe > self.tab {
            owe = self.tab;
            slice = owe / price;
        } else if owe < self.tab && slice < self.lot && self.tab - owe < params.chost {
            if self.tab <= params.chost {
                return Err(MarginError::AuctionClosed {
                    reason: "no partial purchase: the tab is below chost",
                });
            }
            owe = self.tab - params.chost;
            slice = owe / price;
        }
        let tab = self.tab - owe;
        let lot = self.lot - slice;
        let (auction, returned_to_owner, bad_debt) = if lot <= 0.0 {
            (None, 0.0, tab.max(0.0))
        } else if tab <= 0.0 {
            (None, lot, 0.0)
        } else {
            (Some(Self { tab, lot, ..*self }), 0.0, 0.0)
        };
        Ok(TakeOutcome {
            collateral: slice,
            dai: owe,
            price,
            auction,
            returned_to_owner,
            bad_debt,
        })
    }
}
