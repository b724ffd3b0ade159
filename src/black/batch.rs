//! Structure-of-arrays batch pricing: prices of many options from separate input slices, in
//! chunks of [`LANES`] lanes whose central region runs as branch-free code that LLVM vectorises
//! (the lane kernels of `lanes.rs`), while lanes in the tails (deep out of the money, tiny or huge
//! total volatility, extreme rates, invalid inputs) go through the exact scalar kernel.
//!
//! Every lane gets the same accuracy as the scalar kernel: the central-region formulas are the
//! scalar kernel's own with its branches turned into selects, and the exponential and logarithm
//! are within 2 ulps (docs/VALIDATION.md: the 50-digit references run through this path).

use super::chunks::{
    black76_columns, black_scholes_columns, check_lengths, Column, Columns, LaneKernel,
};
use super::error::{check_forward, check_strike, PricingError};
use super::kernel::{price_validated, Inputs, Underlying};
use super::kind::OptionKind;
use super::lanes::{exp_lane, ln_ratio_lane, otm_call_lane};
use super::lanes_taylor::otm_call_taylor_region_lane;
use crate::math::simd::dispatch;
use std::marker::PhantomData;

/// Lanes per chunk: two AVX2 vectors (four SSE2 vectors) of doubles, so that independent
/// chains of arithmetic overlap.
pub(crate) const LANES: usize = 8;

/// Largest |rT| and |bT| priced in the lanes (e^{±700} stays a normal double).
pub(crate) const RATE_TIME_MAX: f64 = 700.0;
/// Underlying and strike magnitudes the lane logarithm handles (as the scalar `ln_ratio`).
pub(crate) const MAGNITUDE_MIN: f64 = 1e-290;
/// See [`MAGNITUDE_MIN`].
pub(crate) const MAGNITUDE_MAX: f64 = 1e290;
/// Below this total volatility a computed forward's intrinsic value needs K·expm1(x) (scalar).
pub(crate) const COMPUTED_FORWARD_MIN_S: f64 = 0.05;

/// One chunk's inputs, lane by lane: θ (+1 call, −1 put), underlying, strike, expiry, volatility.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk {
    pub(crate) theta: [f64; LANES],
    pub(crate) underlying: [f64; LANES],
    pub(crate) strike: [f64; LANES],
    pub(crate) expiry: [f64; LANES],
    pub(crate) volatility: [f64; LANES],
}

impl Chunk {
    /// Valid inputs in every lane (an at-the-money call, S = K = T = 1, σ = 0.5): what lanes
    /// that are not written yet, or hold an invalid option, are priced on.
    pub(crate) const PLACEHOLDER: Chunk = Chunk {
        theta: [1.0; LANES],
        underlying: [1.0; LANES],
        strike: [1.0; LANES],
        expiry: [1.0; LANES],
        volatility: [0.5; LANES],
    };
}

/// Prices of the central lanes of one chunk, and which lanes those are. A lane is central only
/// if its inputs are valid (positive finite underlying and strike, and a total volatility
/// σ√T in the lanes' domain, which needs finite non-negative σ and T) and every lane kernel is
/// exact there; the caller prices the other lanes with the scalar function, which also reports
/// their errors.
// The masks use non-short-circuit `&` of comparisons (selects, not branches), not `contains`.
#[allow(clippy::manual_range_contains)]
///
/// With `TAYLOR` the normalised price is the scalar kernel's Taylor region's
/// (`lanes_taylor::otm_call_taylor_region_lane`) instead of the erfcx difference: the batch runs
/// that on chunks gathered from the lanes the central pass left.
#[inline(always)]
pub(crate) fn price_lanes<const FUSED: bool, const TAYLOR: bool>(
    c: &Chunk,
    rate: f64,
    model: Underlying,
) -> ([f64; LANES], [bool; LANES]) {
    let (spot, q) = match model {
        Underlying::Spot { dividend_yield } => (true, dividend_yield),
        Underlying::Forward => (false, 0.0),
    };
    let r = rate;
    // e^{bT} only with a dividend yield (never for Black-76): one branch a batch.
    let mut growth = [1.0; LANES];
    if spot && q != 0.0 {
        for (g, t) in growth.iter_mut().zip(&c.expiry) {
            *g = exp_lane::<FUSED>((r - q) * t);
        }
    }
    let mut discount = [1.0; LANES];
    if r != 0.0 {
        for (d, t) in discount.iter_mut().zip(&c.expiry) {
            *d = exp_lane::<FUSED>(-r * t);
        }
    }
    let mut price = [0.0; LANES];
    let mut central = [false; LANES];
    // Straight-line lane code: every quantity is computed on every lane, then selected.
    for l in 0..LANES {
        let (a, k, t) = (c.underlying[l], c.strike[l], c.expiry[l]);
        let theta = c.theta[l];
        let s = c.volatility[l] * t.sqrt();
        let rt = r * t;
        let bt = if spot { (r - q) * t } else { 0.0 };
        let discount = discount[l];
        // F as the scalar kernel forms it: S/D without a dividend yield, S·e^{bT} with one.
        let spot_forward = if q == 0.0 {
            a / discount
        } else {
            a * growth[l]
        };
        let forward = if spot { spot_forward } else { a };
        let x = ln_ratio_lane::<FUSED>(a, k) + bt;
        // Out of the money in the normalised form: x ≤ 0, with eˣ as a ratio.
        let below = x <= 0.0;
        let (big, small) = if below { (k, forward) } else { (forward, k) };
        let (otm_normalised, applies) = if TAYLOR {
            otm_call_taylor_region_lane::<FUSED>(-x.abs(), s)
        } else {
            otm_call_lane::<FUSED>(-x.abs(), s, small / big)
        };
        let otm = big * otm_normalised;
        // In the money add the intrinsic value F − K with its sign (exact put–call parity).
        let intrinsic = forward - k;
        let call = theta > 0.0;
        let itm = if call { !below } else { below };
        let undiscounted = if itm { otm + theta * intrinsic } else { otm };
        price[l] = discount * undiscounted;
        let magnitudes = (a >= MAGNITUDE_MIN)
            & (a <= MAGNITUDE_MAX)
            & (k >= MAGNITUDE_MIN)
            & (k <= MAGNITUDE_MAX)
            & (x.abs() <= RATE_TIME_MAX);
        let rates = (rt.abs() <= RATE_TIME_MAX) & (bt.abs() <= RATE_TIME_MAX);
        let forward_ok = (forward >= f64::MIN_POSITIVE)
            & (forward <= f64::MAX)
            & !(spot & (s < COMPUTED_FORWARD_MIN_S));
        central[l] =
            magnitudes & rates & forward_ok & applies & (price[l] >= 0.0) & (price[l] <= f64::MAX);
    }
    (price, central)
}

/// The batch price: [`price_lanes`] on the lanes, [`price_validated`] elsewhere.
pub(crate) struct Prices;

impl LaneKernel for Prices {
    type Value = f64;
    type Lanes = [f64; LANES];

    #[inline(always)]
    fn lanes<const FUSED: bool, const TAYLOR: bool>(
        c: &Chunk,
        rate: f64,
        model: Underlying,
    ) -> ([f64; LANES], [bool; LANES]) {
        price_lanes::<FUSED, TAYLOR>(c, rate, model)
    }

    #[inline(always)]
    fn lane(lanes: &[f64; LANES], l: usize) -> f64 {
        lanes[l]
    }

    #[inline]
    fn scalar(inputs: &Inputs) -> Result<f64, PricingError> {
        price_validated(inputs)
    }
}

/// Black-76 prices of many options on forwards, from separate input slices (structure of
/// arrays), one `Result` per option into `out`; vectorised in chunks, allocation-free.
///
/// ```text
/// out[i] = e^{−r·Tᵢ}·(θᵢFᵢ·Φ(θᵢd₁) − θᵢKᵢ·Φ(θᵢd₂)),   d₁,₂ = (ln(Fᵢ/Kᵢ) ± σᵢ²Tᵢ/2)/(σᵢ√Tᵢ)
/// ```
///
/// Each value equals [`black76_price`](crate::black::black76_price) of the same inputs to the
/// scalar kernel's accuracy (1e-13 relative against 50-digit references; lanes outside the
/// central region, and a remainder shorter than a chunk, are that very function). Units: those
/// of F and K; T in years, σ per √year, r continuously compounded.
///
/// Reference: F. Black, "The pricing of commodity contracts", J. Financial Economics 3 (1976).
///
/// # Errors
///
/// [`PricingError::LengthMismatch`] if an input slice's length differs from `out.len()`
/// (nothing is written). An invalid input of one option is that option's `Err` in `out` (the
/// same error as the scalar function), and does not stop the batch.
///
/// ```
/// use derisk::black::{black76_price_batch, OptionKind};
/// let kinds = [OptionKind::Put; 5];
/// let forwards = [20.0; 5];
/// let strikes = [20.0, 18.0, 22.0, 20.0, -1.0];
/// let expiries = [4.0 / 12.0; 5];
/// let vols = [0.25; 5];
/// let mut out = [Ok(0.0); 5];
/// black76_price_batch(&kinds, &forwards, &strikes, &expiries, &vols, 0.09, &mut out)?;
/// // Hull, Example 18.6: p = 1.1166414565589435 (mpmath)
/// assert!((out[0]? - 1.116_641_456_558_943_5).abs() < 1e-13);
/// assert!(out[4].is_err()); // a negative strike is that option's error
/// # Ok::<(), derisk::black::PricingError>(())
/// ```
pub fn black76_price_batch(
    kind: &[OptionKind],
    forward: &[f64],
    strike: &[f64],
    expiry: &[f64],
    volatility: &[f64],
    rate: f64,
    out: &mut [Result<f64, PricingError>],
) -> Result<(), PricingError> {
    black76_columns::<Prices>(kind, forward, strike, expiry, volatility, rate, out)
}

/// Black–Scholes–Merton prices of many options on one spot with carry, from separate input
/// slices (structure of arrays), one `Result` per option into `out`; vectorised in chunks,
/// allocation-free.
///
/// ```text
/// out[i] = θᵢS·e^{−qTᵢ}·Φ(θᵢd₁) − θᵢKᵢ·e^{−rTᵢ}·Φ(θᵢd₂),
/// d₁,₂ = (ln(S/Kᵢ) + (r − q ± σᵢ²/2)Tᵢ)/(σᵢ√Tᵢ)
/// ```
///
/// Each value equals [`black_scholes_price`](crate::black::black_scholes_price) of the same
/// inputs to the scalar kernel's accuracy (lanes outside the central region, and a remainder
/// shorter than a chunk, are that very function). Units as there.
///
/// Reference: F. Black and M. Scholes (1973); R. C. Merton, Bell J. Econ. 4 (1973).
///
/// # Errors
///
/// [`PricingError::LengthMismatch`] if an input slice's length differs from `out.len()`
/// (nothing is written). Per option, the scalar function's error in `out`.
///
/// ```
/// use derisk::black::{black_scholes_price_batch, OptionKind};
/// let mut out = [Ok(0.0); 4];
/// let kinds = [OptionKind::Call, OptionKind::Put, OptionKind::Call, OptionKind::Put];
/// black_scholes_price_batch(&kinds, 42.0, &[40.0; 4], &[0.5; 4], &[0.2; 4], 0.1, 0.0, &mut out)?;
/// // Hull, Example 15.6: c = 4.759422392871533, p = 0.80859937290009358 (mpmath)
/// assert!((out[0]? - 4.759_422_392_871_533).abs() < 1e-13);
/// assert!((out[1]? - 0.808_599_372_900_093_6).abs() < 1e-13);
/// # Ok::<(), derisk::black::PricingError>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn black_scholes_price_batch(
    kind: &[OptionKind],
    spot: f64,
    strike: &[f64],
    expiry: &[f64],
    volatility: &[f64],
    rate: f64,
    dividend_yield: f64,
    out: &mut [Result<f64, PricingError>],
) -> Result<(), PricingError> {
    black_scholes_columns::<Prices>(
        kind,
        spot,
        strike,
        expiry,
        volatility,
        rate,
        dividend_yield,
        out,
    )
}

/// Undiscounted Black prices B(F, K, s) of many options at total volatilities s = σ√T, from
/// separate input slices, one `Result` each into `out`; vectorised in chunks, allocation-free.
///
/// ```text
/// out[i] = θᵢFᵢ·Φ(θᵢd₁) − θᵢKᵢ·Φ(θᵢd₂),   d₁,₂ = ln(Fᵢ/Kᵢ)/sᵢ ± sᵢ/2
/// ```
///
/// Each value equals [`black`](crate::black::black) of the same inputs to the scalar kernel's
/// accuracy. Reference: F. Black, J. Financial Economics 3 (1976).
///
/// # Errors
///
/// [`PricingError::LengthMismatch`] if an input slice's length differs from `out.len()`. Per
/// option, as [`black`](crate::black::black): an invalid forward, strike or total volatility.
///
/// ```
/// use derisk::black::{black_batch, OptionKind};
/// let mut out = [Ok(0.0); 4];
/// black_batch(&[OptionKind::Call; 4], &[100.0; 4], &[100.0, 90.0, 110.0, 100.0],
///     &[0.2, 0.3, 0.3, f64::NAN], &mut out)?;
/// // at the money: F·(2Φ(s/2) − 1) = 7.965567455405797 (mpmath)
/// assert!((out[0]? - 7.965_567_455_405_797).abs() < 1e-13);
/// assert!(out[3].is_err());
/// # Ok::<(), derisk::black::PricingError>(())
/// ```
pub fn black_batch(
    kind: &[OptionKind],
    forward: &[f64],
    strike: &[f64],
    total_volatility: &[f64],
    out: &mut [Result<f64, PricingError>],
) -> Result<(), PricingError> {
    check_lengths(
        &[
            kind.len(),
            forward.len(),
            strike.len(),
            total_volatility.len(),
        ],
        out.len(),
    )?;
    // T = 1 and σ = s: the discounted Black-76 kernel at r = 0 is B(F, K, s) bit for bit.
    dispatch(Columns::<Prices, _> {
        out,
        kind,
        underlying: Column::Each(forward),
        strike,
        expiry: Column::All(1.0),
        volatility: total_volatility,
        rate: 0.0,
        model: Underlying::Forward,
        scalar: |i: usize| {
            let f = check_forward(forward[i])?;
            let k = check_strike(strike[i])?;
            let s = total_volatility[i];
            if !(s.is_finite() && s >= 0.0) {
                return Err(PricingError::InvalidTotalVolatility {
                    total_volatility: s,
                });
            }
            price_validated(&Inputs::forward(kind[i], f, k, 1.0, s, 0.0))
        },
        kernel: PhantomData,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Most of a mixed chain (the bench's: F = 100, strikes 50..200, a day to two years,
    /// σ 10 %..150 %) takes the vectorised lanes, each within 1e-13 of the scalar kernel, and
    /// the Taylor lanes take what the central lanes leave, to the same bar.
    #[test]
    fn most_of_a_mixed_chain_is_central() {
        let (mut central_lanes, mut taylor_lanes) = (0, 0);
        let n = 1000;
        for chunk in 0..n / LANES {
            let mut c = Chunk {
                underlying: [100.0; LANES],
                ..Chunk::PLACEHOLDER
            };
            for l in 0..LANES {
                let i = (chunk * LANES + l) as f64;
                let u = (0.5 + i * 0.754_877_666_246_692_7).fract();
                let v = (0.5 + i * 0.569_840_290_998_053_3).fract();
                let w = (0.5 + i * 0.618_033_988_749_895).fract();
                c.theta[l] = if l % 2 == 0 { 1.0 } else { -1.0 };
                c.strike[l] = 50.0 * 4.0_f64.powf(u);
                c.expiry[l] = 1.0 / 365.0 + 2.0 * v;
                c.volatility[l] = 0.1 + 1.4 * w;
            }
            let (price, central) = price_lanes::<false, false>(&c, 0.03, Underlying::Forward);
            let (fused, fused_central) = price_lanes::<true, false>(&c, 0.03, Underlying::Forward);
            assert_eq!(central, fused_central);
            let (taylor, taylor_exact) = price_lanes::<false, true>(&c, 0.03, Underlying::Forward);
            let (fused_taylor, fused_exact) =
                price_lanes::<true, true>(&c, 0.03, Underlying::Forward);
            assert_eq!(taylor_exact, fused_exact);
            for l in 0..LANES {
                let (price, fused) = if central[l] {
                    central_lanes += 1;
                    (price[l], fused[l])
                } else {
                    taylor_lanes += usize::from(taylor_exact[l]);
                    (taylor[l], fused_taylor[l])
                };
                if central[l] | taylor_exact[l] {
                    let kind = if l % 2 == 0 {
                        OptionKind::Call
                    } else {
                        OptionKind::Put
                    };
                    let inputs = Inputs::forward(
                        kind,
                        100.0,
                        c.strike[l],
                        c.expiry[l],
                        c.volatility[l],
                        0.03,
                    );
                    let scalar = price_validated(&inputs).unwrap();
                    // Both builds of the lanes: with and without fused multiply–adds.
                    for p in [price, fused] {
                        assert!(((p - scalar) / scalar).abs() < 1e-13, "{inputs:?}");
                    }
                }
            }
        }
        println!("{central_lanes} of {n} central, {taylor_lanes} in the Taylor lanes");
        assert!(central_lanes >= n * 3 / 4, "{central_lanes} of {n} central");
        assert!(
            central_lanes + taylor_lanes >= n - 5,
            "{taylor_lanes} Taylor lanes"
        );
    }
}
