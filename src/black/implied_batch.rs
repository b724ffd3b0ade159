//! Structure-of-arrays batch implied volatility: many quotes from separate input slices, in
//! chunks of [`LANES`] lanes that run the scalar solver's algorithm as branch-free code LLVM
//! vectorises (the lane kernels of `lanes_implied.rs`), while every lane outside the lanes'
//! domain, or not converged after [`LANE_STEPS`] steps, goes to the scalar solver.
//!
//! In the lanes each quote is validated and reduced to the normalised out-of-the-money problem
//! exactly as `Quote::solve` reduces it (time value with one rounding, x = −|ln(F/K)|,
//! β, eˣ − β), its starting value is the scalar solver's closed-form start where that start is
//! closed-form (the near-the-money quadratic, the fitted far start, each corrected by the same
//! small-s model steps), and the price objective f − β takes the scalar solver's Householder(3)
//! steps with its convergence test (`solver::step_converged`). The scalar solver keeps everything
//! else: the tail and large-s starts on logarithmic objectives, bisection, the closed-form
//! answers at the intrinsic value or at the money, and every error.

use super::error::{ImpliedVolError, PricingError};
use super::implied::{implied_black76_volatility, implied_black_volatility, ImpliedVol};
use super::kind::OptionKind;
use super::lanes::ln_lane;
use super::lanes::{exp_lane, ln_ratio_lane};
use super::lanes_implied::{
    cdf_at_minus_inflection_lane, far_start_lane, floor_of, lower_inv_cdf_guess_lane,
    near_money_guess_lane, step_lane, Objective,
};
use super::solver::{FRAC_1_SQRT_2PI, NEAR_MONEY_RATIO};
use crate::math::simd::{dispatch, LaneJob};

/// Lanes per chunk (as the batch pricer's).
const LANES: usize = super::batch::LANES;

/// Householder steps every lane takes; a lane converges at the first step that meets the
/// scalar test (its `iterations`), later steps leave it unchanged. Two suffice for nearly every
/// quote whose start is closed-form (the scalar solver's mean is 1.24 steps).
pub(crate) const LANE_STEPS: u32 = 2;

/// Largest |rT| solved in the lanes (e^{±700} stays a normal double).
const RATE_TIME_MAX: f64 = 700.0;
/// Forward and strike magnitudes the lane logarithm handles (as the scalar `ln_ratio`).
const MAGNITUDE_MIN: f64 = 1e-290;
/// See [`MAGNITUDE_MIN`].
const MAGNITUDE_MAX: f64 = 1e290;
/// Largest |ln(F/K)| in the lanes: Φ(−s_c) needs √|x| inside the lane erfc's domain.
const LOG_MONEYNESS_MAX: f64 = 16.0;
/// The scalar solver's closed form at the money below this normalised price.
const AT_THE_MONEY_TINY: f64 = 1e-8;
/// The largest starting total volatility the scalar solver takes near the money on the upper
/// branch (`upper_start`).
const UPPER_NEAR_MONEY_MAX: f64 = 1.5;

/// One chunk's quotes, lane by lane: θ (+1 call, −1 put), price, forward, strike, expiry.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    theta: [f64; LANES],
    price: [f64; LANES],
    forward: [f64; LANES],
    strike: [f64; LANES],
    expiry: [f64; LANES],
}

/// The lanes' answers: σ, steps taken, and which lanes are solved (the others go scalar).
struct Solved {
    volatility: [f64; LANES],
    iterations: [u32; LANES],
    ok: [bool; LANES],
}

/// The normalised problem of one lane: x ≤ 0, β, eˣ, and whether the lane can solve it.
#[derive(Clone, Copy)]
struct Reduced {
    x: f64,
    beta: f64,
    complement: f64,
    b_max: f64,
    ok: bool,
}

/// A quote reduced as `Quote::solve` reduces it: the undiscounted price, the time value (one
/// rounding), the out-of-the-money option normalised by its strike. `ok` only where the scalar
/// solver would reach its iteration (valid inputs strictly inside the no-arbitrage bounds, a
/// normal β, not the closed form at the money).
// The masks use non-short-circuit `&` of comparisons (selects, not branches), not `contains`.
#[allow(clippy::manual_range_contains)]
#[inline(always)]
fn reduce<const FUSED: bool>(
    theta: f64,
    price: f64,
    f: f64,
    k: f64,
    t: f64,
    rate: f64,
    discount: f64,
) -> Reduced {
    let undiscounted = if rate == 0.0 { price } else { price / discount };
    let call = theta > 0.0;
    let bound = if call { f } else { k };
    let (near, far) = if call { (f, k) } else { (k, f) };
    let time_value = if near <= far {
        undiscounted
    } else if far >= 0.5 * near {
        undiscounted - (near - far)
    } else {
        (undiscounted - near) + far
    };
    let ln_fk = ln_ratio_lane::<FUSED>(f, k);
    let below = ln_fk <= 0.0;
    let x = -ln_fk.abs();
    let (otm_scale, otm_bound) = if below { (k, f) } else { (f, k) };
    let beta = time_value / otm_scale;
    let complement = (otm_bound - time_value) / otm_scale;
    let b_max = if below { f / k } else { k / f };
    let ratio = f / k;
    let inputs = (price >= 0.0)
        & (price <= f64::MAX)
        & (f >= MAGNITUDE_MIN)
        & (f <= MAGNITUDE_MAX)
        & (k >= MAGNITUDE_MIN)
        & (k <= MAGNITUDE_MAX)
        & (ratio >= MAGNITUDE_MIN)
        & (ratio <= MAGNITUDE_MAX)
        & (t > 0.0)
        & (t <= f64::MAX)
        & ((rate * t).abs() <= RATE_TIME_MAX);
    let inside = (undiscounted < bound)
        & (time_value > 0.0)
        & (beta >= f64::MIN_POSITIVE)
        & (complement > 0.0)
        & (beta < b_max)
        & (x >= -LOG_MONEYNESS_MAX)
        & !((x == 0.0) & (beta < AT_THE_MONEY_TINY));
    Reduced {
        x,
        beta,
        complement,
        b_max,
        ok: inputs & inside,
    }
}

/// The scalar solver's start and objective where the start is closed-form: (s, lower branch,
/// total volatility at the inflection point s_c, objective, whether it applies). Not applied:
/// the lower tail asymptotics (|x|/s beyond the fitted far start).
#[inline(always)]
fn start<const FUSED: bool>(
    x: f64,
    beta: f64,
    complement: f64,
    b_max: f64,
) -> (f64, bool, f64, Objective, bool) {
    let s_c = (-2.0 * x).sqrt();
    // f(s_c) = eˣ/2 − Φ(−s_c) (d₁ = 0 there) and f'(s_c) = φ(s_c) = eˣ·φ(0).
    let b_c = 0.5 * b_max - cdf_at_minus_inflection_lane::<FUSED>(x);
    let vega_c = FRAC_1_SQRT_2PI * b_max;
    let lower = beta < b_c;
    let near_money = beta > NEAR_MONEY_RATIO * -x;
    let floor = floor_of(beta);
    // Lower branch: the tangent at s_c overestimates the root.
    let tangent_low = s_c - (b_c - beta) / vega_c;
    let cap_low = if tangent_low > floor {
        tangent_low.min(s_c)
    } else {
        s_c
    };
    // Upper branch: eˣ − f ≈ (1 + eˣ)·Φ(−s/2), or the tangent at s_c, which underestimates.
    let p = ((b_max - beta) / (1.0 + b_max)).min(0.5);
    let s_asymptotic = -2.0 * lower_inv_cdf_guess_lane::<FUSED>(p);
    let tangent_up = s_c + (beta - b_c) / vega_c;
    let s_up = s_asymptotic.max(tangent_up);
    let s_up = if s_up > s_c {
        s_up
    } else {
        s_c * (1.0 + 1e-3) + 1e-3
    };
    let upper_near = near_money & (s_up < UPPER_NEAR_MONEY_MAX);
    let cap = if lower { cap_low } else { 4.0 * s_up };
    let (near, near_ok) = near_money_guess_lane::<FUSED>(x, beta, b_max, cap, floor);
    let (far, far_ok) = far_start_lane::<FUSED>(x, beta, b_max, s_c, floor);
    // Above s_c away from the money: ln f − ln β while the price is under half its bound,
    // else ln(eˣ − f) − ln(eˣ − β).
    let log_complement = beta > 0.5 * b_max;
    let target = ln_lane::<FUSED>(if log_complement { complement } else { beta });
    let upper_log = !lower & !upper_near;
    let objective = Objective {
        log_price: upper_log & !log_complement,
        log_complement: upper_log & log_complement,
        target,
    };
    let s = if upper_log {
        s_up
    } else if near_money {
        near
    } else {
        far
    };
    let ok = if lower {
        if near_money {
            near_ok
        } else {
            far_ok
        }
    } else if upper_near {
        near_ok
    } else {
        (p >= f64::MIN_POSITIVE) & (complement >= f64::MIN_POSITIVE)
    };
    (s, lower, s_c, objective, ok)
}

/// Solves the lanes of one chunk: reduce, start, [`LANE_STEPS`] Householder steps kept inside
/// the scalar solver's bracket ((0, s_c) below the inflection point, (s_c, ∞) above). Each stage
/// is its own loop over the lanes with a straight-line body, which LLVM vectorises.
#[inline(always)]
fn solve_lanes<const FUSED: bool>(c: &Chunk, rate: f64) -> Solved {
    let mut discount = [1.0; LANES];
    if rate != 0.0 {
        for (d, t) in discount.iter_mut().zip(&c.expiry) {
            *d = exp_lane::<FUSED>(-rate * t);
        }
    }
    let mut x = [0.0; LANES];
    let mut beta = [0.0; LANES];
    let mut complement = [0.0; LANES];
    let mut b_max = [0.0; LANES];
    let mut ok = [false; LANES];
    for l in 0..LANES {
        let q = reduce::<FUSED>(
            c.theta[l],
            c.price[l],
            c.forward[l],
            c.strike[l],
            c.expiry[l],
            rate,
            discount[l],
        );
        x[l] = q.x;
        beta[l] = q.beta;
        complement[l] = q.complement;
        b_max[l] = q.b_max;
        ok[l] = q.ok;
    }
    let mut s = [0.0; LANES];
    let mut lo = [0.0; LANES];
    let mut hi = [0.0; LANES];
    // The objectives as structure of arrays (an array of structs with bools does not vectorise).
    let mut log_price = [false; LANES];
    let mut log_complement = [false; LANES];
    let mut target = [0.0; LANES];
    for l in 0..LANES {
        let (start_s, lower, s_c, o, start_ok) =
            start::<FUSED>(x[l], beta[l], complement[l], b_max[l]);
        log_price[l] = o.log_price;
        log_complement[l] = o.log_complement;
        target[l] = o.target;
        s[l] = start_s;
        lo[l] = if lower { 0.0 } else { s_c };
        hi[l] = if lower { s_c } else { f64::INFINITY };
        ok[l] &= start_ok;
    }
    let mut done = [false; LANES];
    let mut iterations = [0.0; LANES];
    let mut step = 1;
    while step <= LANE_STEPS {
        for l in 0..LANES {
            let (s_l, lo_l, hi_l) = (s[l], lo[l], hi[l]);
            let objective = Objective {
                log_price: log_price[l],
                log_complement: log_complement[l],
                target: target[l],
            };
            let r = step_lane::<FUSED>(x[l], beta[l], b_max[l], s_l, objective);
            let active = !done[l];
            // The scalar solver's bracket update, then its checks: a Newton step wider than
            // twice the bracket (it bisects) or a step leaving it (it bisects or lands on an
            // end) are left to it.
            let lo_next = if r.above { lo_l } else { s_l };
            let hi_next = if r.above { s_l } else { hi_l };
            let fits = r.newton.abs() <= 2.0 * (hi_next - lo_next);
            let inside = (r.next > lo_next) & (r.next < hi_next);
            let good = r.valid & (r.converged | (fits & inside));
            ok[l] &= done[l] | good;
            s[l] = if active { r.next } else { s_l };
            lo[l] = if active { lo_next } else { lo_l };
            hi[l] = if active { hi_next } else { hi_l };
            iterations[l] = if active { step as f64 } else { iterations[l] };
            done[l] |= r.converged;
        }
        // One branch a chunk: no lane left to step (converged, or left to the scalar solver).
        let mut pending = false;
        for l in 0..LANES {
            pending |= ok[l] & !done[l];
        }
        if !pending {
            break;
        }
        step += 1;
    }
    let mut solved = Solved {
        volatility: [0.0; LANES],
        iterations: [0; LANES],
        ok: [false; LANES],
    };
    for l in 0..LANES {
        let volatility = s[l] / c.expiry[l].sqrt();
        solved.volatility[l] = volatility;
        solved.iterations[l] = iterations[l] as u32;
        solved.ok[l] = ok[l] & done[l] & (volatility <= f64::MAX);
    }
    solved
}

/// Implied Black-76 volatilities of quotes given one by one into `out`: `load(i)` is quote `i`'s
/// (kind, price, forward, strike, expiry), all at `rate`, and `scalar(i)` its scalar solve (a
/// pricing model's `implied_vol_many`); allocation-free.
pub(crate) fn implied_black76_quotes_batch<L, F>(
    out: &mut [Result<ImpliedVol, ImpliedVolError>],
    rate: f64,
    load: L,
    scalar: F,
) where
    L: Fn(usize) -> (OptionKind, f64, f64, f64, f64),
    F: Fn(usize) -> Result<ImpliedVol, ImpliedVolError>,
{
    dispatch(ImpliedJob {
        out,
        load,
        rate,
        scalar,
    });
}

/// The loop over chunks, as a job for `math::simd::dispatch`.
struct ImpliedJob<'a, L, F> {
    out: &'a mut [Result<ImpliedVol, ImpliedVolError>],
    load: L,
    rate: f64,
    scalar: F,
}

impl<L, F> LaneJob for ImpliedJob<'_, L, F>
where
    L: Fn(usize) -> (OptionKind, f64, f64, f64, f64),
    F: Fn(usize) -> Result<ImpliedVol, ImpliedVolError>,
{
    type Output = ();

    #[inline(always)]
    fn run<const FUSED: bool>(self) {
        let ImpliedJob {
            out,
            load,
            rate,
            scalar,
        } = self;
        let chunks = out.len() / LANES;
        for chunk in 0..chunks {
            let base = chunk * LANES;
            let mut c = Chunk {
                theta: [0.0; LANES],
                price: [0.0; LANES],
                forward: [0.0; LANES],
                strike: [0.0; LANES],
                expiry: [0.0; LANES],
            };
            for l in 0..LANES {
                let (kind, p, f, k, t) = load(base + l);
                c.theta[l] = kind.sign();
                c.price[l] = p;
                c.forward[l] = f;
                c.strike[l] = k;
                c.expiry[l] = t;
            }
            let solved = solve_lanes::<FUSED>(&c, rate);
            for l in 0..LANES {
                out[base + l] = if solved.ok[l] {
                    Ok(ImpliedVol {
                        volatility: solved.volatility[l],
                        iterations: solved.iterations[l],
                    })
                } else {
                    scalar(base + l)
                };
            }
        }
        for (index, slot) in out.iter_mut().enumerate().skip(chunks * LANES) {
            *slot = scalar(index);
        }
    }
}

/// `Err(Input(LengthMismatch))` unless every input slice is as long as the output.
fn check_lengths(inputs: &[usize], outputs: usize) -> Result<(), ImpliedVolError> {
    match inputs.iter().find(|&&n| n != outputs) {
        Some(&n) => Err(PricingError::LengthMismatch { inputs: n, outputs }.into()),
        None => Ok(()),
    }
}

/// Implied volatilities of many Black-76 prices (options on forwards, discounted at one rate r),
/// from separate input slices (structure of arrays), one `Result` per quote into `out`;
/// vectorised in chunks, allocation-free.
///
/// ```text
/// find σᵢ with  e^{−r·Tᵢ}·(θᵢFᵢ·Φ(θᵢd₁) − θᵢKᵢ·Φ(θᵢd₂)) = priceᵢ,
/// d₁,₂ = ln(Fᵢ/Kᵢ)/(σᵢ√Tᵢ) ± σᵢ√Tᵢ/2
/// ```
///
/// Each answer is [`implied_black76_volatility`]'s to that solver's accuracy (2e-13 relative
/// out of the money, docs/VALIDATION.md): the vectorised lanes run its algorithm (same
/// reduction, same closed-form starts, same Householder(3) steps on the normalised price and the
/// same convergence test), and a lane outside their domain, not converged after two steps, or a
/// remainder shorter than a chunk, is that very function. `iterations` is the number of steps
/// that lane took. Units: those of F, K and the price; T in years; σ per √year; r continuously
/// compounded.
///
/// Reference: P. Jäckel, "Let's Be Rational", Wilmott (2015) (approach); F. Black, J. Financial
/// Economics 3 (1976) (the price); the solver is this crate's own (docs/pricing.md).
///
/// # Errors
///
/// [`ImpliedVolError::Input`] with
/// [`PricingError::LengthMismatch`](crate::black::PricingError::LengthMismatch) if an input
/// slice's length differs from `out.len()` (nothing is written). A bad quote (NaN price, below
/// the intrinsic value, at or above the bound, invalid forward, strike, expiry or rate) is that
/// quote's `Err` in `out`, the same error as [`implied_black76_volatility`], and does not stop
/// the batch.
///
/// ```
/// use derisk::black::{black76_price, implied_black76_volatility_batch, ImpliedVol, OptionKind};
/// let kinds = [OptionKind::Put; 9];
/// let strikes = [16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0];
/// let mut prices = [0.0; 9];
/// for (p, k) in prices.iter_mut().zip(&strikes) {
///     *p = black76_price(OptionKind::Put, 20.0, *k, 4.0 / 12.0, 0.25, 0.09)?;
/// }
/// prices[8] = f64::NAN;
/// let mut out = [Ok(ImpliedVol { volatility: 0.0, iterations: 0 }); 9];
/// implied_black76_volatility_batch(
///     &kinds, &prices, &[20.0; 9], &strikes, &[4.0 / 12.0; 9], 0.09, &mut out)?;
/// // Hull, Example 18.6's put (F = K = 20, r = 9 %, four months) implies σ = 25 %.
/// assert!((out[4]?.volatility - 0.25).abs() < 1e-14);
/// assert!(out[8].is_err()); // a NaN price is that quote's error
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn implied_black76_volatility_batch(
    kind: &[OptionKind],
    price: &[f64],
    forward: &[f64],
    strike: &[f64],
    expiry: &[f64],
    rate: f64,
    out: &mut [Result<ImpliedVol, ImpliedVolError>],
) -> Result<(), ImpliedVolError> {
    check_lengths(
        &[
            kind.len(),
            price.len(),
            forward.len(),
            strike.len(),
            expiry.len(),
        ],
        out.len(),
    )?;
    dispatch(ImpliedJob {
        out,
        load: |i: usize| (kind[i], price[i], forward[i], strike[i], expiry[i]),
        rate,
        scalar: |i: usize| {
            implied_black76_volatility(kind[i], price[i], forward[i], strike[i], expiry[i], rate)
        },
    });
    Ok(())
}

/// Implied volatilities of many undiscounted Black prices on forwards, from separate input
/// slices, one `Result` per quote into `out`; vectorised in chunks, allocation-free.
///
/// ```text
/// find σᵢ with  θᵢFᵢ·Φ(θᵢd₁) − θᵢKᵢ·Φ(θᵢd₂) = priceᵢ,   d₁,₂ = ln(Fᵢ/Kᵢ)/(σᵢ√Tᵢ) ± σᵢ√Tᵢ/2
/// ```
///
/// Each answer is [`implied_black_volatility`]'s to that solver's accuracy, as
/// [`implied_black76_volatility_batch`] at r = 0. Reference: P. Jäckel, "Let's Be Rational",
/// Wilmott (2015) (approach); F. Black, J. Financial Economics 3 (1976).
///
/// # Errors
///
/// [`ImpliedVolError::Input`] with
/// [`PricingError::LengthMismatch`](crate::black::PricingError::LengthMismatch) if an input
/// slice's length differs from `out.len()`. Per quote, [`implied_black_volatility`]'s error.
///
/// ```
/// use derisk::black::{black, implied_black_volatility_batch, ImpliedVol, OptionKind};
/// let strikes = [80.0, 90.0, 100.0, 110.0, 120.0, 130.0, 140.0, 150.0];
/// let mut prices = [0.0; 8];
/// for (p, k) in prices.iter_mut().zip(&strikes) {
///     *p = black(OptionKind::Call, 100.0, *k, 0.5 * 2.0_f64.sqrt())?; // σ = 50 %, T = 2
/// }
/// let mut out = [Ok(ImpliedVol { volatility: 0.0, iterations: 0 }); 8];
/// implied_black_volatility_batch(
///     &[OptionKind::Call; 8], &prices, &[100.0; 8], &strikes, &[2.0; 8], &mut out)?;
/// for iv in &out {
///     assert!((iv.as_ref().unwrap().volatility - 0.5).abs() < 1e-14);
/// }
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn implied_black_volatility_batch(
    kind: &[OptionKind],
    price: &[f64],
    forward: &[f64],
    strike: &[f64],
    expiry: &[f64],
    out: &mut [Result<ImpliedVol, ImpliedVolError>],
) -> Result<(), ImpliedVolError> {
    check_lengths(
        &[
            kind.len(),
            price.len(),
            forward.len(),
            strike.len(),
            expiry.len(),
        ],
        out.len(),
    )?;
    dispatch(ImpliedJob {
        out,
        load: |i: usize| (kind[i], price[i], forward[i], strike[i], expiry[i]),
        rate: 0.0,
        scalar: |i: usize| {
            implied_black_volatility(kind[i], price[i], forward[i], strike[i], expiry[i])
        },
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::black::black76_price;

    /// The bench's mixed chain (F = 100, strikes 50..200, a day to two years, σ 10 %..150 %,
    /// calls and puts, r = 3 %).
    fn mixed_chunk(chunk: usize) -> Chunk {
        let mut c = Chunk {
            theta: [0.0; LANES],
            price: [0.0; LANES],
            forward: [100.0; LANES],
            strike: [0.0; LANES],
            expiry: [0.0; LANES],
        };
        for l in 0..LANES {
            let i = (chunk * LANES + l) as f64;
            let u = (0.5 + i * 0.754_877_666_246_692_7).fract();
            let v = (0.5 + i * 0.569_840_290_998_053_3).fract();
            let w = (0.5 + i * 0.618_033_988_749_895).fract();
            let kind = if l % 2 == 0 {
                OptionKind::Call
            } else {
                OptionKind::Put
            };
            c.theta[l] = kind.sign();
            c.strike[l] = 50.0 * 4.0_f64.powf(u);
            c.expiry[l] = 1.0 / 365.0 + 2.0 * v;
            let sigma = 0.1 + 1.4 * w;
            c.price[l] = black76_price(kind, 100.0, c.strike[l], c.expiry[l], sigma, 0.03).unwrap();
        }
        c
    }

    /// Most of the mixed chain is solved in the lanes, each lane within 2e-13 of the scalar
    /// solver and with the scalar solver's step count (the same start and steps), give or take
    /// one where a start differs in its last bits.
    #[test]
    fn most_of_a_mixed_chain_is_solved_in_the_lanes() {
        let n = 1000;
        let (mut in_lanes, mut same_steps) = (0, 0);
        for chunk in 0..n / LANES {
            let c = mixed_chunk(chunk);
            let solved = solve_lanes::<false>(&c, 0.03);
            for l in 0..LANES {
                if !solved.ok[l] {
                    continue;
                }
                in_lanes += 1;
                let kind = if c.theta[l] > 0.0 {
                    OptionKind::Call
                } else {
                    OptionKind::Put
                };
                let scalar = implied_black76_volatility(
                    kind,
                    c.price[l],
                    100.0,
                    c.strike[l],
                    c.expiry[l],
                    0.03,
                )
                .unwrap();
                let rel = ((solved.volatility[l] - scalar.volatility) / scalar.volatility).abs();
                assert!(rel <= 2e-13, "lane {l} of chunk {chunk}: rel {rel:e}");
                let steps = solved.iterations[l];
                assert!((1..=LANE_STEPS).contains(&steps));
                assert!(steps.abs_diff(scalar.iterations) <= 1);
                same_steps += usize::from(steps == scalar.iterations);
            }
        }
        println!("{in_lanes} of {n} in the lanes, {same_steps} with the scalar step count");
        assert!(in_lanes >= n * 3 / 4, "{in_lanes} of {n} in the lanes");
        assert!(same_steps >= in_lanes * 95 / 100);
    }
}

#[cfg(test)]
mod reference_coverage {
    use super::*;

    /// The 50-digit reference quotes (tests/data/implied_reference.json, mpmath 1.3.0) that the
    /// batch accuracy test (tests/pricing/implied_batch.rs) runs through full chunks: this counts
    /// how many of them the lanes themselves solve, so that test is known to exercise the lanes
    /// and not only the scalar fallback.
    #[test]
    fn most_reference_quotes_are_solved_in_the_lanes() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/implied_reference.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
        let cases = reference["cases"].as_array().unwrap();
        let mut in_lanes = 0;
        for case in cases {
            let f = |k: &str| case[k].as_f64().unwrap();
            let theta = if case["kind"] == "call" { 1.0 } else { -1.0 };
            let c = Chunk {
                theta: [theta; LANES],
                price: [f("price"); LANES],
                forward: [f("forward"); LANES],
                strike: [f("strike"); LANES],
                expiry: [f("expiry"); LANES],
            };
            let solved = solve_lanes::<false>(&c, 0.0);
            in_lanes += usize::from(solved.ok[0]);
        }
        println!(
            "{in_lanes} of {} reference quotes solved in the lanes",
            cases.len()
        );
        assert!(in_lanes * 2 >= cases.len(), "{in_lanes} of {}", cases.len());
    }
}
