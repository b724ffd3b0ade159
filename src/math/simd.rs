//! Runtime choice of the widest vector instructions for loops written as lane code.
//!
//! The batch kernels are plain `f64` code over fixed-size arrays that LLVM vectorises. Built for
//! the default x86-64 target that means SSE2 (two doubles per instruction); [`dispatch`] runs the
//! same closure compiled for AVX2 + FMA (four doubles, fused multiply–adds) when the CPU has them.
//! Calling code compiled for a CPU feature needs `unsafe`, which this crate forbids, so the
//! dispatch is `pulp`'s (the `simd` feature, on by default; docs/ARCHITECTURE.md records why).
//! Everything the closure calls must be `#[inline(always)]` to be compiled inside it.

/// A loop to run under [`dispatch`]. Its `run` must be `#[inline(always)]` (as must everything it
/// calls on the vector path): a closure would not do, as LLVM does not inline a large closure
/// into the function compiled for the CPU feature.
pub(crate) trait LaneJob {
    /// What the loop returns.
    type Output;
    /// The loop itself.
    fn run(self) -> Self::Output;
}

/// Adapts a [`LaneJob`] to `pulp`'s dispatch.
#[cfg(feature = "simd")]
struct Dispatched<J>(J);

#[cfg(feature = "simd")]
impl<J: LaneJob> pulp::WithSimd for Dispatched<J> {
    type Output = J::Output;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> J::Output {
        self.0.run()
    }
}

/// Runs `job` compiled for the best instruction set the CPU offers (AVX2 + FMA on x86-64 with
/// the `simd` feature; otherwise the build's target).
#[cfg(feature = "simd")]
#[inline]
pub(crate) fn dispatch<J: LaneJob>(job: J) -> J::Output {
    pulp::Arch::new().dispatch(Dispatched(job))
}

/// Runs `job` as compiled for the build's target (the `simd` feature is off).
#[cfg(not(feature = "simd"))]
#[inline]
pub(crate) fn dispatch<J: LaneJob>(job: J) -> J::Output {
    job.run()
}
