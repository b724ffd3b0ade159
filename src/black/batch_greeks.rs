//! Structure-of-arrays batch Greeks: the price and all fourteen Greeks of many options from
//! separate input slices, in chunks of [`LANES`] lanes of branch-free code (compiled for the
//! widest vectors the CPU has), with the lanes outside the central region on the scalar kernel.
//!
//! The lanes form the price exactly as the batch pricer does (`batch.rs`), and take Φ(θd₁),
//! Φ(θd₂) and φ(d₁) from the same erfc/erfcx evaluations (`lanes_greeks.rs`); the Greeks are
//! then the scalar kernel's own formulas (`kernel::greeks_and_cdf_d2`), operation for operation,
//! so cancellations (theta, charm, the price in the money) are treated as there.

use super::batch::{
    Chunk, COMPUTED_FORWARD_MIN_S, LANES, MAGNITUDE_MAX, MAGNITUDE_MIN, RATE_TIME_MAX,
};
use super::chunks::{black76_columns, black_scholes_columns, LaneKernel};
use super::coin::{coin_from_usd, coin_greeks_validated};
use super::error::PricingError;
use super::greeks::Greeks;
use super::kernel::{greeks_validated, ln_ratio, Inputs, Underlying};
use super::kind::OptionKind;
use super::lanes::{exp_lane, ln_ratio_lane, otm_call_lane};
use super::lanes_greeks::otm_tails_lane;
use super::lanes_implied::pdf_and_cdf_below_zero_lane;
use super::lanes_taylor::otm_call_taylor_region_lane;

/// 1/√(2π).
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// One value per lane.
type Lanes = [f64; LANES];

/// Price and Greeks of one chunk, field by field (so that the lane loop stores whole vectors).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct GreekLanes {
    price: Lanes,
    delta: Lanes,
    gamma: Lanes,
    vega: Lanes,
    theta: Lanes,
    rho: Lanes,
    dividend_rho: Lanes,
    vanna: Lanes,
    volga: Lanes,
    charm: Lanes,
    veta: Lanes,
    speed: Lanes,
    zomma: Lanes,
    color: Lanes,
    ultima: Lanes,
}

/// What the coin Greeks need beyond the USD Greeks, lane by lane: e^{−rT} and Φ(θd₂).
#[derive(Debug, Clone, Copy, Default)]
struct CoinInputs {
    discount: Lanes,
    cdf_d2: Lanes,
}

impl GreekLanes {
    /// Lane `l` as a [`Greeks`].
    #[inline(always)]
    pub(crate) fn lane(&self, l: usize) -> Greeks {
        Greeks {
            price: self.price[l],
            delta: self.delta[l],
            gamma: self.gamma[l],
            vega: self.vega[l],
            theta: self.theta[l],
            rho: self.rho[l],
            dividend_rho: self.dividend_rho[l],
            vanna: self.vanna[l],
            volga: self.volga[l],
            charm: self.charm[l],
            veta: self.veta[l],
            speed: self.speed[l],
            zomma: self.zomma[l],
            color: self.color[l],
            ultima: self.ultima[l],
        }
    }

    /// Sets lane `l` to `g`.
    #[inline(always)]
    fn set(&mut self, l: usize, g: &Greeks) {
        self.price[l] = g.price;
        self.delta[l] = g.delta;
        self.gamma[l] = g.gamma;
        self.vega[l] = g.vega;
        self.theta[l] = g.theta;
        self.rho[l] = g.rho;
        self.dividend_rho[l] = g.dividend_rho;
        self.vanna[l] = g.vanna;
        self.volga[l] = g.volga;
        self.charm[l] = g.charm;
        self.veta[l] = g.veta;
        self.speed[l] = g.speed;
        self.zomma[l] = g.zomma;
        self.color[l] = g.color;
        self.ultima[l] = g.ultima;
    }
}

/// Greeks of the central lanes of one chunk, and which lanes those are: the lanes the batch
/// pricer prices itself (valid inputs, every lane kernel exact) whose e^{−qT} is a normal double
/// and whose fifteen values are all finite. The caller sends the other lanes to the scalar
/// function, which also reports their errors.
///
/// With `TAYLOR` (the pass over the lanes the central pass left, below the scalar kernel's
/// Taylor boundary): the price is the batch pricer's, bit for bit (its central lanes where they
/// apply, else its Taylor lanes), and Φ(θd₁), Φ(θd₂), φ(d₁) are taken at the scalar kernel's own
/// x (`ln_ratio`), d₁ and d₂, as `norm_cdf`/`norm_pdf` take them there: at |d| near 5 each turns
/// an ulp of its argument into d² ulps, and the out-of-the-money formulation of the central
/// pass measured 20 ulps from the scalar gamma.
// The masks use non-short-circuit `&` of comparisons (selects, not branches), not `contains`.
#[allow(clippy::manual_range_contains)]
#[inline(always)]
fn greeks_lanes<const FUSED: bool, const TAYLOR: bool>(
    c: &Chunk,
    rate: f64,
    model: Underlying,
) -> (GreekLanes, [bool; LANES], CoinInputs) {
    let (spot, q) = match model {
        Underlying::Spot { dividend_yield } => (true, dividend_yield),
        Underlying::Forward => (false, 0.0),
    };
    let r = rate;
    // e^{bT} and e^{−qT} only with a dividend yield, e^{−rT} only with a rate: a branch a batch.
    let mut growth = [1.0; LANES];
    let mut dividend_discount = [1.0; LANES];
    if spot && q != 0.0 {
        for l in 0..LANES {
            growth[l] = exp_lane::<FUSED>((r - q) * c.expiry[l]);
            dividend_discount[l] = exp_lane::<FUSED>(-q * c.expiry[l]);
        }
    }
    let mut discount = [1.0; LANES];
    if r != 0.0 {
        for (d, t) in discount.iter_mut().zip(&c.expiry) {
            *d = exp_lane::<FUSED>(-r * t);
        }
    }
    // The Taylor pass takes x = ln(S/K) + bT from the scalar kernel's own logarithm: at |d|
    // near 5, φ(d) turns an ulp of x into d² ulps, and the scalar Greeks are the reference.
    let x_scalar = if TAYLOR {
        scalar_log_moneyness(c, rate, model)
    } else {
        [0.0; LANES]
    };
    let mut g = GreekLanes::default();
    let mut coin = CoinInputs::default();
    let mut central = [false; LANES];
    for l in 0..LANES {
        let (a, k, t) = (c.underlying[l], c.strike[l], c.expiry[l]);
        let theta = c.theta[l];
        let sigma = c.volatility[l];
        let sqrt_t = t.sqrt();
        let s = sigma * sqrt_t;
        let rt = r * t;
        let bt = if spot { (r - q) * t } else { 0.0 };
        let disc = discount[l];
        // The price exactly as `batch::price_lanes` forms it.
        let spot_forward = if q == 0.0 { a / disc } else { a * growth[l] };
        let forward = if spot { spot_forward } else { a };
        let call = theta > 0.0;
        // The price from x and the normalised out-of-the-money value f(−|x|, s).
        let price_at = |x: f64, otm_normalised: f64| {
            let below = x <= 0.0;
            let big = if below { k } else { forward };
            let otm = big * otm_normalised;
            let intrinsic = forward - k;
            let itm = if call { !below } else { below };
            let undiscounted = if itm { otm + theta * intrinsic } else { otm };
            disc * undiscounted
        };
        let x_lane = ln_ratio_lane::<FUSED>(a, k) + bt;
        let x = if TAYLOR { x_scalar[l] } else { x_lane };
        let below = x <= 0.0;
        let (big, small) = if below { (k, forward) } else { (forward, k) };
        let x_otm = -x.abs();
        let (price, applies) = if TAYLOR {
            // The batch pricer's price, bit for bit: its central lanes where they apply, else its
            // Taylor lanes, both at the lane x.
            let (big_l, small_l) = if x_lane <= 0.0 {
                (k, forward)
            } else {
                (forward, k)
            };
            let (f_central, central_applies) =
                otm_call_lane::<FUSED>(-x_lane.abs(), s, small_l / big_l);
            let (f_taylor, taylor_applies) = otm_call_taylor_region_lane::<FUSED>(-x_lane.abs(), s);
            if central_applies {
                (price_at(x_lane, f_central), true)
            } else {
                (price_at(x_lane, f_taylor), taylor_applies)
            }
        } else {
            let (f, applies) = otm_call_lane::<FUSED>(x_otm, s, small / big);
            (price_at(x, f), applies)
        };

        // Φ and φ from the price's own erfc/erfcx evaluations, in the out-of-the-money
        // coordinates x′ = −|x|: below the money d₁,₂ = d₁′,₂′; above, d₁ = −d₂′, d₂ = −d₁′.
        let inv_ex = big / small;
        let tails = otm_tails_lane::<FUSED>(x_otm, s, inv_ex);
        let (cdf_d1o, cdf_neg_d1o) = if tails.z1_nonnegative {
            (tails.tail_d1, 1.0 - tails.tail_d1)
        } else {
            (1.0 - tails.tail_d1, tails.tail_d1)
        };
        let (cdf_d2o, cdf_neg_d2o) = (tails.cdf_d2, 1.0 - tails.cdf_d2);
        let (cdf_d1, cdf_neg_d1, cdf_d2, cdf_neg_d2) = if below {
            (cdf_d1o, cdf_neg_d1o, cdf_d2o, cdf_neg_d2o)
        } else {
            (cdf_neg_d2o, cdf_d2o, cdf_neg_d1o, cdf_d1o)
        };
        let nd1_central = if call { cdf_d1 } else { cdf_neg_d1 };
        let nd2_central = if call { cdf_d2 } else { cdf_neg_d2 };
        // exp(−z₀²/2) = √(2π)·φ(d₂′): φ(d₁) = φ(d₂)·e⁻ˣ below the money, φ(d₂′) above.
        let gauss = if below {
            tails.gauss * inv_ex
        } else {
            tails.gauss
        };
        // x/s bit for bit (−(x′/s) = (−x′)/s).
        let h = x_otm / s;
        let x_over_s = if below { h } else { -h };
        let d1 = x_over_s + 0.5 * s;
        let d2 = x_over_s - 0.5 * s;
        // The Taylor pass takes Φ(θd₁), Φ(θd₂) and φ(d₁) at the scalar kernel's own d₁, d₂ (as
        // `norm_cdf`, `norm_pdf` there): at |d| near 5 each of them turns an ulp of its
        // argument into d² ulps, so the other formulation would differ from the scalar Greeks
        // by more than their rounding.
        let (nd1, nd2, pdf, tails_exact) = if TAYLOR {
            let (pdf1, low1, ok1) = pdf_and_cdf_below_zero_lane::<FUSED>(-d1.abs());
            let (_, low2, ok2) = pdf_and_cdf_below_zero_lane::<FUSED>(-d2.abs());
            let cdf_at = |d: f64, low: f64| if theta * d <= 0.0 { low } else { 1.0 - low };
            (cdf_at(d1, low1), cdf_at(d2, low2), pdf1, ok1 & ok2)
        } else {
            (nd1_central, nd2_central, FRAC_1_SQRT_2PI * gauss, true)
        };

        // The scalar kernel's formulas (`kernel::greeks_and_cdf_d2`), in its order.
        let carry = if spot { r - q } else { 0.0 };
        let (carry_discount, carry_less_rate) = if spot {
            (dividend_discount[l], -q)
        } else {
            (disc, -r)
        };
        let delta = theta * carry_discount * nd1;
        let (rho, dividend_rho) = if spot {
            (theta * k * t * disc * nd2, -t * a * delta)
        } else {
            (-t * price, 0.0)
        };
        let d1_dt = carry / s - d2 / (2.0 * t);
        let gamma = carry_discount * pdf / (a * s);
        let vega = carry_discount * a * pdf * sqrt_t;
        let theta_greek = (r * price - carry * a * delta) - 0.5 * carry_discount * a * pdf * s / t;
        let charm = -carry_less_rate * delta - carry_discount * pdf * d1_dt;
        let vanna = -carry_discount * pdf * d2 / sigma;
        let volga = vega * d1 * d2 / sigma;
        let veta = -vega * (carry_less_rate - d1 * d1_dt + 0.5 / t);
        let speed = -gamma / a * (1.0 + d1 / s);
        let zomma = gamma * (d1 * d2 - 1.0) / sigma;
        let color = -gamma * (carry_less_rate - d1 * d1_dt - 0.5 / t);
        let p = d1 * d2;
        let ultima = -vega / (sigma * sigma) * (p * (1.0 - p) + d1 * d1 + d2 * d2);

        let greeks = Greeks {
            price,
            delta,
            gamma,
            vega,
            theta: theta_greek,
            rho,
            dividend_rho,
            vanna,
            volga,
            charm,
            veta,
            speed,
            zomma,
            color,
            ultima,
        };
        g.set(l, &greeks);
        coin.discount[l] = disc;
        coin.cdf_d2[l] = nd2;

        // The batch pricer's mask, then e^{−qT} in exp_lane's domain and every value finite.
        let ratio = a / k;
        let magnitudes = (a >= MAGNITUDE_MIN)
            & (a <= MAGNITUDE_MAX)
            & (k >= MAGNITUDE_MIN)
            & (k <= MAGNITUDE_MAX)
            & (ratio >= MAGNITUDE_MIN)
            & (ratio <= MAGNITUDE_MAX);
        let rates = (rt.abs() <= RATE_TIME_MAX)
            & (bt.abs() <= RATE_TIME_MAX)
            & ((q * t).abs() <= RATE_TIME_MAX);
        let forward_ok = (forward >= f64::MIN_POSITIVE)
            & (forward <= f64::MAX)
            & !(spot & (s < COMPUTED_FORWARD_MIN_S));
        let finite = all_finite(&greeks);
        // The central pass keeps the scalar kernel's region boundary (2η ≥ 0.1·max(m, 1)); the
        // lanes below it (where the price lanes still take the erfcx difference down to 0.02,
        // or the scalar kernel sums its Taylor series) take the Taylor pass, with the scalar x.
        let scalar_region = TAYLOR
            | (s * std::f64::consts::FRAC_1_SQRT_2
                >= 0.1 * (-x_otm / (s * std::f64::consts::SQRT_2)).max(1.0));
        central[l] = magnitudes
            & rates
            & forward_ok
            & applies
            & scalar_region
            & tails_exact
            & (price >= 0.0)
            & (price <= f64::MAX)
            & finite;
    }
    (g, central, coin)
}

/// x = ln(S/K) + bT of each lane of `c` exactly as the scalar kernel forms it
/// (`kernel::forward_coordinates`: `ln_ratio` and the carry (r − q)·T).
#[inline(always)]
pub(crate) fn scalar_log_moneyness(c: &Chunk, rate: f64, model: Underlying) -> [f64; LANES] {
    let carry = match model {
        Underlying::Spot { dividend_yield } => rate - dividend_yield,
        Underlying::Forward => 0.0,
    };
    let mut x = [0.0; LANES];
    for (l, x) in x.iter_mut().enumerate() {
        let bt = if carry == 0.0 {
            0.0
        } else {
            carry * c.expiry[l]
        };
        *x = ln_ratio(c.underlying[l], c.strike[l]) + bt;
    }
    x
}

/// Whether every Greek (the price aside) is finite, as a mask (no branches).
#[inline(always)]
fn all_finite(g: &Greeks) -> bool {
    g.to_array()[1..]
        .iter()
        .fold(true, |ok, (_, v)| ok & (v.abs() <= f64::MAX))
}

/// The batch price and Greeks: [`greeks_lanes`] on the lanes, [`greeks_validated`] elsewhere.
pub(crate) struct PriceAndGreeks;

/// The batch Greeks of coin-settled options on forwards (`pricing::InverseBlack76`): the USD
/// Greeks and Φ(θd₂) of [`greeks_lanes`], then `coin::coin_from_usd` lane by lane; lanes whose
/// coin values are not all finite, and the others, take [`coin_greeks_validated`].
pub(crate) struct CoinGreeks;

impl LaneKernel for CoinGreeks {
    type Value = Greeks;
    type Lanes = GreekLanes;

    #[inline(always)]
    fn lanes<const FUSED: bool, const TAYLOR: bool>(
        c: &Chunk,
        rate: f64,
        model: Underlying,
    ) -> (GreekLanes, [bool; LANES]) {
        let (usd, mut central, inputs) = greeks_lanes::<FUSED, TAYLOR>(c, rate, model);
        let mut coin = GreekLanes::default();
        for (l, central) in central.iter_mut().enumerate() {
            let g = coin_from_usd(
                &usd.lane(l),
                inputs.cdf_d2[l],
                c.theta[l],
                inputs.discount[l],
                c.strike[l],
                c.underlying[l],
            );
            coin.set(l, &g);
            *central &= all_finite(&g) & (g.price.abs() <= f64::MAX);
        }
        (coin, central)
    }

    #[inline(always)]
    fn lane(lanes: &GreekLanes, l: usize) -> Greeks {
        lanes.lane(l)
    }

    #[inline]
    fn scalar(inputs: &Inputs) -> Result<Greeks, PricingError> {
        coin_greeks_validated(inputs)
    }
}

impl LaneKernel for PriceAndGreeks {
    type Value = Greeks;
    type Lanes = GreekLanes;

    #[inline(always)]
    fn lanes<const FUSED: bool, const TAYLOR: bool>(
        c: &Chunk,
        rate: f64,
        model: Underlying,
    ) -> (GreekLanes, [bool; LANES]) {
        let (g, central, _) = greeks_lanes::<FUSED, TAYLOR>(c, rate, model);
        (g, central)
    }

    #[inline(always)]
    fn lane(lanes: &GreekLanes, l: usize) -> Greeks {
        lanes.lane(l)
    }

    #[inline]
    fn scalar(inputs: &Inputs) -> Result<Greeks, PricingError> {
        greeks_validated(inputs)
    }
}

/// Black-76 price and all fourteen Greeks of many options on forwards, from separate input
/// slices (structure of arrays), one `Result` per option into `out`; vectorised in chunks,
/// allocation-free.
///
/// ```text
/// V = e^{−rTᵢ}·(θᵢFᵢ·Φ(θᵢd₁) − θᵢKᵢ·Φ(θᵢd₂)),   d₁,₂ = (ln(Fᵢ/Kᵢ) ± σᵢ²Tᵢ/2)/(σᵢ√Tᵢ)
/// Δ = θe^{−rT}Φ(θd₁)   Γ = e^{−rT}φ(d₁)/(Fσ√T)   vega = Fe^{−rT}φ(d₁)√T
/// theta = rV − ½σ²F²Γ   ρ = −T·V   dividend ρ = 0   (and the rest as black76_greeks)
/// ```
///
/// Each `out[i]` is [`black76_greeks`](crate::black::black76_greeks) of the same inputs to that
/// function's accuracy (the 50-digit references of the scalar tests pass through this path at
/// the same bars: 1e-13 relative for the price and first-order Greeks, 1e-12 for the others);
/// lanes outside the central region, and a remainder shorter than a chunk, are that very
/// function, so a batch of one is it bit for bit. Definitions, units and signs of the Greeks:
/// [`Greeks`] (derivatives w.r.t. F, per 1.00 of σ and r, theta per year of calendar time).
///
/// Reference: F. Black, "The pricing of commodity contracts", J. Financial Economics 3 (1976);
/// E. G. Haug, *The Complete Guide to Option Pricing Formulas*, 2nd ed. (2007), §2.
///
/// # Errors
///
/// [`PricingError::LengthMismatch`] if an input slice's length differs from `out.len()`
/// (nothing is written). An invalid input of one option, or a Greek that overflows, is that
/// option's `Err` in `out` (the scalar function's error), and does not stop the batch.
///
/// ```
/// use derisk::black::{black76_greeks_batch, Greeks, OptionKind};
/// let n = 9; // one chunk of eight lanes and a remainder
/// let mut out = vec![Ok(Greeks::default()); n];
/// let mut vols = vec![0.2; n];
/// vols[3] = -0.2;
/// black76_greeks_batch(&vec![OptionKind::Call; n], &vec![100.0; n], &vec![100.0; n],
///     &vec![1.0; n], &vols, 0.0, &mut out)?;
/// let g = out[0]?;
/// assert!((g.delta - 0.539_827_837_277_029).abs() < 1e-15); // Φ(0.1) (mpmath)
/// assert!((g.rho + g.price).abs() < 1e-15); // ρ = −T·V with T = 1
/// assert!(out[3].is_err()); // a negative volatility is that option's error
/// # Ok::<(), derisk::black::PricingError>(())
/// ```
pub fn black76_greeks_batch(
    kind: &[OptionKind],
    forward: &[f64],
    strike: &[f64],
    expiry: &[f64],
    volatility: &[f64],
    rate: f64,
    out: &mut [Result<Greeks, PricingError>],
) -> Result<(), PricingError> {
    black76_columns::<PriceAndGreeks>(kind, forward, strike, expiry, volatility, rate, out)
}

/// Black–Scholes–Merton price and all fourteen Greeks of many options on one spot with a
/// continuous dividend yield, from separate input slices (structure of arrays), one `Result` per
/// option into `out`; vectorised in chunks, allocation-free.
///
/// ```text
/// V = θS·e^{−qTᵢ}·Φ(θd₁) − θKᵢ·e^{−rTᵢ}·Φ(θd₂),  d₁,₂ = (ln(S/Kᵢ) + (r − q ± σᵢ²/2)Tᵢ)/(σᵢ√Tᵢ)
/// Δ = θe^{−qT}Φ(θd₁)   Γ = e^{−qT}φ(d₁)/(Sσ√T)   vega = Se^{−qT}φ(d₁)√T
/// theta = rV − (r − q)SΔ − ½σ²S²Γ   ρ = θKTe^{−rT}Φ(θd₂)   ∂V/∂q = −TSΔ   ...
/// ```
///
/// Each `out[i]` is [`black_scholes_greeks`](crate::black::black_scholes_greeks) of the same
/// inputs to that function's accuracy (the 50-digit references pass through this path at the
/// scalar tests' bars); lanes outside the central region, and a remainder shorter than a chunk,
/// are that very function. Definitions, units and signs: [`Greeks`].
///
/// Reference: F. Black and M. Scholes (1973); R. C. Merton, Bell J. Econ. 4 (1973);
/// E. G. Haug, *The Complete Guide to Option Pricing Formulas*, 2nd ed. (2007), §2.
///
/// # Errors
///
/// [`PricingError::LengthMismatch`] if an input slice's length differs from `out.len()`
/// (nothing is written). Per option, the scalar function's error in `out`.
///
/// ```
/// use derisk::black::{black_scholes_greeks_batch, Greeks, OptionKind};
/// let n = 8;
/// let mut out = vec![Ok(Greeks::default()); n];
/// black_scholes_greeks_batch(&vec![OptionKind::Call; n], 42.0, &vec![40.0; n], &vec![0.5; n],
///     &vec![0.2; n], 0.1, 0.0, &mut out)?;
/// // Hull, Example 15.6: c = 4.759422392871533, Δ = Φ(d₁) = 0.7791312909426689 (mpmath)
/// let g = out[7]?;
/// assert!((g.price - 4.759_422_392_871_533).abs() < 1e-13);
/// assert!((g.delta - 0.779_131_290_942_668_9).abs() < 1e-14);
/// # Ok::<(), derisk::black::PricingError>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn black_scholes_greeks_batch(
    kind: &[OptionKind],
    spot: f64,
    strike: &[f64],
    expiry: &[f64],
    volatility: &[f64],
    rate: f64,
    dividend_yield: f64,
    out: &mut [Result<Greeks, PricingError>],
) -> Result<(), PricingError> {
    black_scholes_columns::<PriceAndGreeks>(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::black::batch::price_lanes;

    /// The bench's mixed chain (F = 100, strikes 50..200, a day to two years, σ 10 %..150 %):
    /// the Greeks lanes admit a subset of the price lanes (no Greek overflows here and
    /// |qT| is small) and give the batch price bit for bit.
    #[test]
    fn greeks_lanes_price_like_the_price_lanes() {
        let n = 1000;
        let (mut central_lanes, mut taylor_lanes) = (0, 0);
        for model in [
            Underlying::Forward,
            Underlying::Spot {
                dividend_yield: 0.01,
            },
        ] {
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
                // Both builds of the lanes: without and with fused multiply–adds.
                let (price, price_central) = price_lanes::<false, false>(&c, 0.03, model);
                let (greeks, central, _) = greeks_lanes::<false, false>(&c, 0.03, model);
                let (fused_price, _) = price_lanes::<true, false>(&c, 0.03, model);
                let (fused_greeks, fused_central, _) = greeks_lanes::<true, false>(&c, 0.03, model);
                assert_eq!(central, fused_central);
                // The Taylor passes of both, on the same chunk.
                let (taylor_price, taylor_price_exact) =
                    price_lanes::<false, true>(&c, 0.03, model);
                let (taylor_greeks, taylor_exact, _) = greeks_lanes::<false, true>(&c, 0.03, model);
                for l in 0..LANES {
                    // The Greeks lanes are a subset of the price lanes (they keep the scalar
                    // kernel's Taylor boundary).
                    assert!(!central[l] | price_central[l]);
                    if central[l] {
                        central_lanes += 1;
                        assert_eq!(greeks.price[l].to_bits(), price[l].to_bits());
                        assert_eq!(fused_greeks.price[l].to_bits(), fused_price[l].to_bits());
                    } else if taylor_exact[l] {
                        // A lane the Greeks' central pass leaves: its price is the batch
                        // pricer's, from its central pass or its Taylor pass.
                        taylor_lanes += 1;
                        let batch_price = if price_central[l] {
                            price[l]
                        } else {
                            assert!(taylor_price_exact[l]);
                            taylor_price[l]
                        };
                        assert_eq!(taylor_greeks.price[l].to_bits(), batch_price.to_bits());
                    }
                }
            }
        }
        println!(
            "{central_lanes} of {} central, {taylor_lanes} in the Taylor pass",
            2 * n
        );
        assert!(central_lanes + taylor_lanes >= 2 * n - 40, "{taylor_lanes}");
        assert!(
            central_lanes >= 2 * n * 3 / 4,
            "{central_lanes} of {}",
            2 * n
        );
    }
}
