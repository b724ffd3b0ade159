//! Antithetic variates: a random stream whose every word is complemented.

use rand::RngCore;

/// The antithetic twin of a random stream: every bit of every word is flipped.
///
/// The crate's draws take the top 53 bits k of a `u64` to u = (k + ½)·2⁻⁵³; flipping the word
/// gives k' = 2⁵³ − 1 − k, so u' = 1 − u (to within one rounding), and every draw by inversion becomes its
/// mirror image (a normal z becomes −z, a bootstrap index i becomes about n − 1 − i). Replay a
/// cloned generator through it to get the antithetic path of the same stream, as
/// [`PathGenerator::terminal_antithetic`](super::PathGenerator::terminal_antithetic) does.
///
/// ```text
/// x' = !x   (bitwise NOT of each u64 / u32 / byte)   ⇒   u' = 1 − u
/// ```
///
/// Reference: J. M. Hammersley and K. W. Morton, "A new Monte Carlo technique: antithetic
/// variates", *Proc. Cambridge Philos. Soc.* 52 (1956).
///
/// ```
/// use derisk::sim::Mirrored;
/// use rand::{RngCore, SeedableRng};
/// let mut a = rand_chacha::ChaCha20Rng::seed_from_u64(1);
/// let mut b = Mirrored(a.clone());
/// assert_eq!(a.next_u64(), !b.next_u64());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirrored<R>(pub R);

impl<R: RngCore> RngCore for Mirrored<R> {
    fn next_u32(&mut self) -> u32 {
        !self.0.next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        !self.0.next_u64()
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        self.0.fill_bytes(dst);
        for b in dst {
            *b = !*b;
        }
    }
}
