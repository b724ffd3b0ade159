//! The chunk loops shared by the batch kernels: inputs gathered into [`LANES`]-wide chunks, a
//! lane kernel (the price, the price and Greeks, or the coin Greeks) on each chunk under
//! `math::simd::dispatch`; the lanes outside the kernel's central region go, after each block of
//! chunks, to its Taylor pass (every kernel here has one), and otherwise to the scalar function,
//! as does a remainder shorter than a chunk, so that a batch of one is the single-option
//! function bit for bit and every error is the scalar function's.

use std::marker::PhantomData;

use super::batch::{Chunk, LANES};
use super::error::PricingError;
use super::kernel::{Inputs, Underlying};
use super::kind::OptionKind;
use crate::math::simd::{dispatch, LaneJob};

/// What a batch computes on a chunk of lanes: the price, the price and the Greeks, or the coin
/// Greeks.
pub(crate) trait LaneKernel {
    /// One option's result.
    type Value;
    /// A chunk's results, lane by lane.
    type Lanes;
    /// The results of one chunk, and which lanes are exact there. The central pass
    /// (`TAYLOR = false`) runs on every chunk; the Taylor pass (`TAYLOR = true`: the scalar
    /// kernel's Taylor region, small total volatility next to the distance from the money) on
    /// chunks gathered from the lanes the central pass left. Every other lane is computed by
    /// [`LaneKernel::scalar`].
    fn lanes<const FUSED: bool, const TAYLOR: bool>(
        c: &Chunk,
        rate: f64,
        model: Underlying,
    ) -> (Self::Lanes, [bool; LANES]);
    /// Lane `l` of a chunk's results.
    fn lane(lanes: &Self::Lanes, l: usize) -> Self::Value;
    /// The scalar function on validated inputs.
    fn scalar(inputs: &Inputs) -> Result<Self::Value, PricingError>;
}

/// One input of a batch: a slice with a value per option, or one value for all.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Column<'a> {
    /// A value per option.
    Each(&'a [f64]),
    /// The same value for every option.
    All(f64),
}

impl Column<'_> {
    /// The value of option `i`.
    #[inline(always)]
    fn at(&self, i: usize) -> f64 {
        match self {
            Column::Each(values) => values[i],
            Column::All(value) => *value,
        }
    }

    /// The values of the options `base..base + LANES` into `lanes` (a copy the compiler turns
    /// into vector loads).
    #[inline(always)]
    fn load(&self, base: usize, lanes: &mut [f64; LANES]) {
        match self {
            Column::Each(values) => lanes.copy_from_slice(&values[base..base + LANES]),
            Column::All(value) => *lanes = [*value; LANES],
        }
    }
}

/// Chunks per block: the lanes the central pass leaves in a block are priced after it, so that
/// the chunk loop only notes their indices (with their inputs copied inside the loop, the
/// models' `price_many` measured 20 % slower; docs/PERFORMANCE.md).
const BLOCK_CHUNKS: usize = 64;
/// Lanes of a block kept for the Taylor pass (an eighth of it); further misses take the scalar
/// function at once.
const MISS_CAP: usize = BLOCK_CHUNKS;
/// Fewer gathered lanes than this in a last group take the scalar function: a chunk of Taylor
/// lanes costs about as much as one or two scalar Taylor prices (measured, docs/PERFORMANCE.md).
const GROUP_MIN: usize = 2;

/// The options whose lanes the central pass left in one block, for the Taylor pass of
/// [`LaneKernel::lanes`] after it: the short-dated far-from-the-money options of a chain are a few per cent of it, but
/// one at a time through the scalar kernel they took a fifth of the batch's time
/// (docs/PERFORMANCE.md). Only their indices are kept (copies of their inputs in the chunk loop
/// slowed it); the Taylor pass reads the inputs again.
struct Misses {
    index: [usize; MISS_CAP],
    count: usize,
}

impl Misses {
    fn new() -> Self {
        Misses {
            index: [0; MISS_CAP],
            count: 0,
        }
    }

    /// Keeps option `index`; false if the block's room is used up.
    #[inline(always)]
    fn push(&mut self, index: usize) -> bool {
        let p = self.count;
        if p == MISS_CAP {
            return false;
        }
        self.index[p] = index;
        self.count = p + 1;
        true
    }

    /// Prices the kept options, a chunk at a time, by the Taylor pass on the inputs `lane(i, c, l)`
    /// writes into lane `l` of chunk `c` (the scalar function for the pass's misses and for a
    /// last group of fewer than [`GROUP_MIN`]), and empties the list.
    #[inline(always)]
    fn price<K: LaneKernel, const FUSED: bool>(
        &mut self,
        rate: f64,
        model: Underlying,
        out: &mut [Result<K::Value, PricingError>],
        lane: impl Fn(usize, &mut Chunk, usize),
        scalar: impl Fn(usize) -> Result<K::Value, PricingError>,
    ) {
        let mut start = 0;
        while start < self.count {
            let n = (self.count - start).min(LANES);
            let group = &self.index[start..start + n];
            // An `if`, not `bool::then` with a closure: LLVM does not inline a closure this
            // large into the job, so the Taylor lanes ran compiled for the base target, every
            // fused multiply–add a call to the C library's `fma` (issue 17, book revaluation).
            let taylor = if n >= GROUP_MIN {
                // Lanes past n keep valid placeholders and are not written.
                let mut c = Chunk::PLACEHOLDER;
                for (l, &index) in group.iter().enumerate() {
                    lane(index, &mut c, l);
                }
                Some(K::lanes::<FUSED, true>(&c, rate, model))
            } else {
                None
            };
            for (l, &index) in group.iter().enumerate() {
                out[index] = match &taylor {
                    Some((values, exact)) if exact[l] => Ok(K::lane(values, l)),
                    _ => scalar(index),
                };
            }
            start += n;
        }
        self.count = 0;
    }
}

/// A batch given as input columns (structure of arrays), every column as long as `out`
/// (checked by the caller); `scalar(i)` validates option `i` and computes it alone.
pub(crate) struct Columns<'a, K: LaneKernel, F> {
    pub(crate) out: &'a mut [Result<K::Value, PricingError>],
    pub(crate) kind: &'a [OptionKind],
    pub(crate) underlying: Column<'a>,
    pub(crate) strike: &'a [f64],
    pub(crate) expiry: Column<'a>,
    pub(crate) volatility: &'a [f64],
    pub(crate) rate: f64,
    pub(crate) model: Underlying,
    pub(crate) scalar: F,
    pub(crate) kernel: PhantomData<K>,
}

impl<K, F> LaneJob for Columns<'_, K, F>
where
    K: LaneKernel,
    F: Fn(usize) -> Result<K::Value, PricingError>,
{
    type Output = ();

    #[inline(always)]
    fn run<const FUSED: bool>(self) {
        let chunks = self.out.len() / LANES;
        let mut misses = Misses::new();
        let mut c = Chunk::PLACEHOLDER;
        for block in (0..chunks).step_by(BLOCK_CHUNKS) {
            for chunk in block..chunks.min(block + BLOCK_CHUNKS) {
                let base = chunk * LANES;
                for (theta, kind) in c.theta.iter_mut().zip(&self.kind[base..base + LANES]) {
                    *theta = kind.sign();
                }
                self.underlying.load(base, &mut c.underlying);
                c.strike.copy_from_slice(&self.strike[base..base + LANES]);
                self.expiry.load(base, &mut c.expiry);
                c.volatility
                    .copy_from_slice(&self.volatility[base..base + LANES]);
                let (values, central) = K::lanes::<FUSED, false>(&c, self.rate, self.model);
                for (l, &central) in central.iter().enumerate() {
                    // Two stores, not a store of a merged `Result`: the merge goes through a
                    // stack temporary whose partial rewrite stalls store forwarding on every lane.
                    if central {
                        self.out[base + l] = Ok(K::lane(&values, l));
                    } else if !misses.push(base + l) {
                        self.out[base + l] = (self.scalar)(base + l);
                    }
                }
            }
            let lane = |i: usize, c: &mut Chunk, l: usize| {
                c.theta[l] = self.kind[i].sign();
                c.underlying[l] = self.underlying.at(i);
                c.strike[l] = self.strike[i];
                c.expiry[l] = self.expiry.at(i);
                c.volatility[l] = self.volatility[i];
            };
            misses.price::<K, FUSED>(self.rate, self.model, self.out, lane, &self.scalar);
        }
        for (index, slot) in self.out.iter_mut().enumerate().skip(chunks * LANES) {
            *slot = (self.scalar)(index);
        }
    }
}

/// A batch given contract by contract: `inputs(i)` is contract `i`'s validated inputs or the
/// error it gets, all with the same `rate` and `model` (a pricing model's `*_many`).
pub(crate) struct Contracts<'a, K: LaneKernel, I> {
    pub(crate) out: &'a mut [Result<K::Value, PricingError>],
    pub(crate) rate: f64,
    pub(crate) model: Underlying,
    pub(crate) inputs: I,
    pub(crate) kernel: PhantomData<K>,
}

impl<K, I> LaneJob for Contracts<'_, K, I>
where
    K: LaneKernel,
    I: Fn(usize) -> Result<Inputs, PricingError>,
{
    type Output = ();

    // One index fills five lane arrays and the validity mask.
    #[allow(clippy::needless_range_loop)]
    #[inline(always)]
    fn run<const FUSED: bool>(self) {
        let inputs = &self.inputs;
        let scalar = |i: usize| inputs(i).and_then(|x| K::scalar(&x));
        let chunks = self.out.len() / LANES;
        let mut misses = Misses::new();
        for block in (0..chunks).step_by(BLOCK_CHUNKS) {
            for chunk in block..chunks.min(block + BLOCK_CHUNKS) {
                let base = chunk * LANES;
                // Lanes whose inputs are an error keep a valid placeholder and take the scalar
                // path. (Built here, not copied from `Chunk::PLACEHOLDER`: the copy, overwritten
                // lane by lane and then read as vectors, measured 5–10 % slower.)
                let mut c = Chunk {
                    theta: [1.0; LANES],
                    underlying: [1.0; LANES],
                    strike: [1.0; LANES],
                    expiry: [1.0; LANES],
                    volatility: [0.5; LANES],
                };
                let mut valid = [false; LANES];
                for l in 0..LANES {
                    if let Ok(x) = inputs(base + l) {
                        valid[l] = x.rate == self.rate && x.model == self.model;
                        c.theta[l] = x.kind.sign();
                        c.underlying[l] = x.underlying;
                        c.strike[l] = x.strike;
                        c.expiry[l] = x.expiry;
                        c.volatility[l] = x.volatility;
                    }
                }
                let (values, central) = K::lanes::<FUSED, false>(&c, self.rate, self.model);
                for l in 0..LANES {
                    // Two stores, not a merged `Result` (see `Columns`).
                    if valid[l] & central[l] {
                        self.out[base + l] = Ok(K::lane(&values, l));
                    } else if !(valid[l] && misses.push(base + l)) {
                        self.out[base + l] = scalar(base + l);
                    }
                }
            }
            // Only valid lanes were kept: their inputs are `Ok`.
            let lane = |i: usize, c: &mut Chunk, l: usize| {
                if let Ok(x) = inputs(i) {
                    c.theta[l] = x.kind.sign();
                    c.underlying[l] = x.underlying;
                    c.strike[l] = x.strike;
                    c.expiry[l] = x.expiry;
                    c.volatility[l] = x.volatility;
                }
            };
            misses.price::<K, FUSED>(self.rate, self.model, self.out, lane, scalar);
        }
        for (index, slot) in self.out.iter_mut().enumerate().skip(chunks * LANES) {
            *slot = scalar(index);
        }
    }
}

/// Runs `kernel` over contracts given one by one (see [`Contracts`]); allocation-free.
#[inline]
pub(crate) fn contracts_batch<K, I>(
    out: &mut [Result<K::Value, PricingError>],
    rate: f64,
    model: Underlying,
    inputs: I,
) where
    K: LaneKernel,
    I: Fn(usize) -> Result<Inputs, PricingError>,
{
    dispatch(Contracts::<K, I> {
        out,
        rate,
        model,
        inputs,
        kernel: PhantomData,
    });
}

/// `kernel` over a Black-76 batch given as slices (the body of `black76_price_batch` and
/// `black76_greeks_batch`): lengths checked, then lanes and per-option scalar fallbacks.
#[allow(clippy::too_many_arguments)]
#[inline]
pub(crate) fn black76_columns<K: LaneKernel>(
    kind: &[OptionKind],
    forward: &[f64],
    strike: &[f64],
    expiry: &[f64],
    volatility: &[f64],
    rate: f64,
    out: &mut [Result<K::Value, PricingError>],
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
    dispatch(Columns::<K, _> {
        out,
        kind,
        underlying: Column::Each(forward),
        strike,
        expiry: Column::Each(expiry),
        volatility,
        rate,
        model: Underlying::Forward,
        scalar: |i: usize| {
            Inputs::forward(
                kind[i],
                forward[i],
                strike[i],
                expiry[i],
                volatility[i],
                rate,
            )
            .validated()
            .and_then(|inputs| K::scalar(&inputs))
        },
        kernel: PhantomData,
    });
    Ok(())
}

/// `kernel` over a Black–Scholes batch on one spot given as slices (the body of
/// `black_scholes_price_batch` and `black_scholes_greeks_batch`).
#[allow(clippy::too_many_arguments)]
#[inline]
pub(crate) fn black_scholes_columns<K: LaneKernel>(
    kind: &[OptionKind],
    spot: f64,
    strike: &[f64],
    expiry: &[f64],
    volatility: &[f64],
    rate: f64,
    dividend_yield: f64,
    out: &mut [Result<K::Value, PricingError>],
) -> Result<(), PricingError> {
    check_lengths(
        &[kind.len(), strike.len(), expiry.len(), volatility.len()],
        out.len(),
    )?;
    dispatch(Columns::<K, _> {
        out,
        kind,
        underlying: Column::All(spot),
        strike,
        expiry: Column::Each(expiry),
        volatility,
        rate,
        model: Underlying::Spot { dividend_yield },
        scalar: |i: usize| {
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
            .and_then(|inputs| K::scalar(&inputs))
        },
        kernel: PhantomData,
    });
    Ok(())
}

/// `Err(LengthMismatch)` unless every input slice is as long as the output.
pub(crate) fn check_lengths(inputs: &[usize], outputs: usize) -> Result<(), PricingError> {
    match inputs.iter().find(|&&n| n != outputs) {
        Some(&n) => Err(PricingError::LengthMismatch { inputs: n, outputs }),
        None => Ok(()),
    }
}
