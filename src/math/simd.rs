//! Runtime choice of the widest vector instructions for loops written as lane code.
//!
//! The batch kernels are plain `f64` code over fixed-size arrays that LLVM vectorises. Built for
//! the default x86-64 target that means SSE2 (two doubles per instruction); [`dispatch`] runs the
//! same code compiled for AVX-512 or AVX2 with FMA (eight or four doubles, fused multiply–adds)
//! when the CPU has them. Calling code compiled for a CPU feature needs `unsafe`, which this
//! crate forbids, so the dispatch is `pulp`'s (the `simd` feature, on by default;
//! docs/ARCHITECTURE.md records why). Everything the job calls must be `#[inline(always)]` to be
//! compiled inside it.

/// A loop to run under [`dispatch`]. Its `run` must be `#[inline(always)]` (as must everything it
/// calls on the vector path): a closure would not do, as LLVM does not inline a large closure
/// into the function compiled for the CPU feature.
pub(crate) trait LaneJob {
    /// What the loop returns.
    type Output;
    /// The loop itself; `FUSED` says that fused multiply–adds are single instructions here (use
    /// them through [`madd`]).
    fn run<const FUSED: bool>(self) -> Self::Output;
}

/// Adapts a [`LaneJob`] to `pulp`'s dispatch, in code compiled with FMA.
#[cfg(all(feature = "simd", target_arch = "x86_64"))]
struct Fused<J>(J);

#[cfg(all(feature = "simd", target_arch = "x86_64"))]
impl<J: LaneJob> pulp::WithSimd for Fused<J> {
    type Output = J::Output;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> J::Output {
        self.0.run::<true>()
    }
}

/// Runs `job` compiled for the best instruction set the CPU offers: AVX-512 or AVX2, with FMA, on
/// x86-64 with the `simd` feature; the build's target otherwise.
#[cfg(all(feature = "simd", target_arch = "x86_64"))]
#[inline]
pub(crate) fn dispatch<J: LaneJob>(job: J) -> J::Output {
    use pulp::Simd;
    match pulp::Arch::new() {
        pulp::Arch::V4(simd) => Simd::vectorize(simd, Fused(job)),
        pulp::Arch::V3(simd) => Simd::vectorize(simd, Fused(job)),
        _ => job.run::<false>(),
    }
}

/// Runs a short scalar `job` compiled with AVX2 and FMA when the CPU has them (the build's
/// target otherwise). Never AVX-512: code that writes the AVX-512 registers leaves the processor
/// in a state where the base target's SSE code that runs next is slowed (measured: the general
/// price path and the Greeks 25–40 % slower after an AVX-512 job, docs/PERFORMANCE.md).
#[cfg(all(feature = "simd", target_arch = "x86_64"))]
#[inline]
pub(crate) fn dispatch_scalar<J: LaneJob>(job: J) -> J::Output {
    use pulp::Simd;
    match pulp::x86::V3::try_new() {
        Some(simd) => Simd::vectorize(simd, Fused(job)),
        None => job.run::<false>(),
    }
}

/// Runs `job` as compiled for the build's target (no `simd` feature, or not x86-64).
#[cfg(not(all(feature = "simd", target_arch = "x86_64")))]
#[inline]
pub(crate) fn dispatch_scalar<J: LaneJob>(job: J) -> J::Output {
    job.run::<false>()
}

/// Runs `job` as compiled for the build's target (no `simd` feature, or not x86-64).
#[cfg(not(all(feature = "simd", target_arch = "x86_64")))]
#[inline]
pub(crate) fn dispatch<J: LaneJob>(job: J) -> J::Output {
    job.run::<false>()
}

/// a·b + c: one fused multiply–add (one rounding) when `FUSED`, which the dispatched AVX2 and
/// AVX-512 code has (`math::simd`); a product and a sum otherwise (without the FMA target feature
/// `mul_add` would be a library call).
#[inline(always)]
pub(crate) fn madd<const FUSED: bool>(a: f64, b: f64, c: f64) -> f64 {
    if FUSED {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}
