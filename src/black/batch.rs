//! Structure-of-arrays batch pricing: prices of many options from separate input slices, in
//! chunks of [`LANES`] lanes whose central region runs as branch-free code that LLVM vectorises
//! (the lane kernels of `lanes.rs`), while lanes in the tails (deep out of the money, tiny or huge
//! total volatility, extreme rates, invalid inputs) go through the exact scalar kernel.
//!
//! Every lane gets the same accuracy as the scalar kernel: the central-region formulas are the
//! scalar kernel's own with its branches turned into selects, and the exponential and logarithm
//! are within 2 ulps (docs/VALIDATION.md: the 50-digit references run through this path).

use super::error::{check_forward, check_strike, PricingError};
use super::kernel::{price_validated, Inputs, Underlying};
use super::kind::OptionKind;
use super::lanes::{exp_lane, ln_ratio_lane, otm_call_lane};

/// Lanes per chunk: two SSE2 vectors (or one AVX vector) of doubles.
pub(crate) const LANES: usize = 4;

/// Largest |rT| and |bT| priced in the lanes (e^{±700} stays a normal double).
const RATE_TIME_MAX: f64 = 700.0;
/// Underlying and strike magnitudes the lane logarithm handles (as the scalar `ln_ratio`).
const MAGNITUDE_MIN: f64 = 1e-290;
/// See [`MAGNITUDE_MIN`].
const MAGNITUDE_MAX: f64 = 1e290;
/// Below this total volatility a computed forward's intrinsic value needs K·expm1(x) (scalar).
const COMPUTED_FORWARD_MIN_S: f64 = 0.05;

/// A placeholder for lanes whose inputs failed validation (their result is the error).
const PLACEHOLDER: Inputs = Inputs {
    kind: OptionKind::Call,
    underlying: 1.0,
    strike: 1.0,
    expiry: 1.0,
    volatility: 0.5,
    rate: 0.0,
    model: Underlying::Forward,
};

/// Prices of the central lanes of one chunk, and which lanes those are.
// The masks use non-short-circuit `&` of comparisons (selects, not branches), not `contains`.
#[allow(clippy::manual_range_contains)]
#[inline]
fn price_lanes(inputs: &[Inputs; LANES]) -> ([f64; LANES], [bool; LANES]) {
    let mut theta = [0.0; LANES];
    let mut a = [0.0; LANES];
    let mut k = [0.0; LANES];
    let mut t = [0.0; LANES];
    let mut sigma = [0.0; LANES];
    let mut r = [0.0; LANES];
    let mut q = [0.0; LANES];
    let mut spot = [false; LANES];
    for l in 0..LANES {
        let i = &inputs[l];
        theta[l] = i.kind.sign();
        a[l] = i.underlying;
        k[l] = i.strike;
        t[l] = i.expiry;
        sigma[l] = i.volatility;
        r[l] = i.rate;
        (q[l], spot[l]) = match i.model {
            Underlying::Spot { dividend_yield } => (dividend_yield, true),
            Underlying::Forward => (0.0, false),
        };
    }
    // e^{bT} only where some lane has a dividend yield (never for Black-76): one branch a chunk.
    let mut growth = [1.0; LANES];
    if q.iter().any(|&q| q != 0.0) {
        for l in 0..LANES {
            growth[l] = exp_lane((r[l] - q[l]) * t[l]);
        }
    }
    let mut price = [0.0; LANES];
    let mut central = [false; LANES];
    // Straight-line lane code: every quantity is computed on every lane, then selected.
    for l in 0..LANES {
        let s = sigma[l] * t[l].sqrt();
        let rt = r[l] * t[l];
        let bt = if spot[l] { (r[l] - q[l]) * t[l] } else { 0.0 };
        let discount = exp_lane(-rt);
        let growth = growth[l];
        // F as the scalar kernel forms it: S/D without a dividend yield, S·e^{bT} with one.
        let spot_forward = if q[l] == 0.0 {
            a[l] / discount
        } else {
            a[l] * growth
        };
        let forward = if spot[l] { spot_forward } else { a[l] };
        let x = ln_ratio_lane(a[l], k[l]) + bt;
        // Out of the money in the normalised form: x ≤ 0, with eˣ as a ratio.
        let below = x <= 0.0;
        let (big, small) = if below {
            (k[l], forward)
        } else {
            (forward, k[l])
        };
        let (otm_normalised, applies) = otm_call_lane(-x.abs(), s, small / big);
        let otm = big * otm_normalised;
        // In the money add the intrinsic value F − K with its sign (exact put–call parity).
        let intrinsic = forward - k[l];
        let call = theta[l] > 0.0;
        let itm = if call { !below } else { below };
        let undiscounted = if itm { otm + theta[l] * intrinsic } else { otm };
        price[l] = discount * undiscounted;
        let ratio = a[l] / k[l];
        let magnitudes = (a[l] >= MAGNITUDE_MIN)
            & (a[l] <= MAGNITUDE_MAX)
            & (k[l] >= MAGNITUDE_MIN)
            & (k[l] <= MAGNITUDE_MAX)
            & (ratio >= MAGNITUDE_MIN)
            & (ratio <= MAGNITUDE_MAX);
        let rates = (rt.abs() <= RATE_TIME_MAX) & (bt.abs() <= RATE_TIME_MAX);
        let forward_ok = forward.is_normal() & !(spot[l] & (s < COMPUTED_FORWARD_MIN_S));
        central[l] =
            magnitudes & rates & forward_ok & applies & price[l].is_finite() & (price[l] >= 0.0);
    }
    (price, central)
}

/// Prices of validated-or-failed inputs into `out`: chunks of [`LANES`] through the lanes, the
/// lanes outside the central region and a remainder shorter than a chunk through the scalar
/// kernel (so a batch of one is bit for bit the single price).
#[inline]
fn price_inputs_many(
    out: &mut [Result<f64, PricingError>],
    inputs: impl Fn(usize) -> Result<Inputs, PricingError>,
) {
    let chunks = out.len() / LANES;
    for chunk in 0..chunks {
        let base = chunk * LANES;
        let mut lanes = [PLACEHOLDER; LANES];
        let mut errors: [Option<PricingError>; LANES] = [None; LANES];
        for l in 0..LANES {
            match inputs(base + l) {
                Ok(i) => lanes[l] = i,
                Err(e) => errors[l] = Some(e),
            }
        }
        let (price, central) = price_lanes(&lanes);
        for l in 0..LANES {
            out[base + l] = match errors[l] {
                Some(e) => Err(e),
                None if central[l] => Ok(price[l]),
                None => price_validated(&lanes[l]),
            };
        }
    }
    for (index, slot) in out.iter_mut().enumerate().skip(chunks * LANES) {
        *slot = inputs(index).and_then(|i| price_validated(&i));
    }
}

/// `Err(LengthMismatch)` unless every input slice is as long as the output.
fn check_lengths(inputs: &[usize], outputs: usize) -> Result<(), PricingError> {
    match inputs.iter().find(|&&n| n != outputs) {
        Some(&n) => Err(PricingError::LengthMismatch { inputs: n, outputs }),
        None => Ok(()),
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
    check_lengths(
        &[
            kind.len(),
            forward.len(),
            strike.len(),
            expiry.len(),
            volatility.len(),
        ],
        out.len(),
    )?;
    price_inputs_many(out, |i| {
        Inputs::forward(
            kind[i],
            forward[i],
            strike[i],
            expiry[i],
            volatility[i],
            rate,
        )
        .validated()
    });
    Ok(())
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
    check_lengths(
        &[kind.len(), strike.len(), expiry.len(), volatility.len()],
        out.len(),
    )?;
    price_inputs_many(out, |i| {
        Inputs::spot(
            kind[i],
            spot,
            strike[i],
            expiry[i],
            volatility[i],
            rate,
            dividend_yield,
        )
        .validated()
    });
    Ok(())
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
    price_inputs_many(out, |i| {
        let f = check_forward(forward[i])?;
        let k = check_strike(strike[i])?;
        let s = total_volatility[i];
        if !(s.is_finite() && s >= 0.0) {
            return Err(PricingError::InvalidTotalVolatility {
                total_volatility: s,
            });
        }
        // T = 1 and σ = s: the discounted Black-76 kernel at r = 0 is B(F, K, s) bit for bit.
        Ok(Inputs::forward(kind[i], f, k, 1.0, s, 0.0))
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Most of a mixed chain (the bench's: F = 100, strikes 50..200, a day to two years,
    /// σ 10 %..150 %) takes the vectorised lanes; the rest is the scalar kernel.
    #[test]
    fn most_of_a_mixed_chain_is_central() {
        let mut central_lanes = 0;
        let n = 1000;
        for chunk in 0..n / LANES {
            let mut lanes = [PLACEHOLDER; LANES];
            for (l, lane) in lanes.iter_mut().enumerate() {
                let i = (chunk * LANES + l) as f64;
                let u = (0.5 + i * 0.754_877_666_246_692_7).fract();
                let v = (0.5 + i * 0.569_840_290_998_053_3).fract();
                let w = (0.5 + i * 0.618_033_988_749_895).fract();
                let kind = if l % 2 == 0 {
                    OptionKind::Call
                } else {
                    OptionKind::Put
                };
                let strike = 50.0 * 4.0_f64.powf(u);
                *lane = Inputs::forward(
                    kind,
                    100.0,
                    strike,
                    1.0 / 365.0 + 2.0 * v,
                    0.1 + 1.4 * w,
                    0.03,
                );
            }
            let (price, central) = price_lanes(&lanes);
            for l in 0..LANES {
                if central[l] {
                    central_lanes += 1;
                    let scalar = price_validated(&lanes[l]).unwrap();
                    assert!(
                        ((price[l] - scalar) / scalar).abs() < 1e-13,
                        "{:?}",
                        lanes[l]
                    );
                }
            }
        }
        println!("{central_lanes} of {n} central");
        assert!(central_lanes >= n * 3 / 4, "{central_lanes} of {n} central");
    }
}
