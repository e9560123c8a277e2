//! Tables for the non-linear functions (NUMERICS.md section 3), generated here and nowhere else:
//! the RTL ROMs are filled from these same numbers.
//!
//! - **Seed tables** for reciprocal and reciprocal square root: `2^k + 1` samples of the function and
//!   linear interpolation between neighbours, `y = T[i] + rne((T[i+1] - T[i]) * frac, F)`. One Newton
//!   step in [`crate::Scale`] then brings the result to 31-bit precision.
//! - **Sigmoid**: a piecewise cubic on `[0, 32)` in 512 segments of `1/16`, each fitted at Chebyshev
//!   nodes and evaluated by Horner's rule in integers; `sigmoid(-z) = 1 - sigmoid(z)` gives the
//!   negative half exactly. Error below 1.5 units of `2^-30`.
//!
//! Samples and coefficients are computed in `f64` and rounded half to even; a test pins a hash of
//! every table so that a platform whose libm rounds a value differently cannot drift silently.

use std::sync::OnceLock;

use crate::format::{GATE_FRAC, GATE_ONE};
use crate::round::{Round, rne_i64, rne_u64, shr_round};

/// An interpolated table: `samples.len() == intervals + 1`, `frac_bits` bits between samples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedTable {
    /// The function sampled at each interval boundary, in the output format.
    pub samples: Vec<i64>,
    /// Number of input bits that select a position between two samples.
    pub frac_bits: u32,
}

impl SeedTable {
    fn sample(
        intervals: usize,
        frac_bits: u32,
        out_frac: u32,
        f: impl Fn(usize) -> f64,
    ) -> SeedTable {
        let scale = (1u64 << out_frac) as f64;
        let samples = (0..=intervals)
            .map(|k| (f(k) * scale).round_ties_even() as i64)
            .collect();
        SeedTable { samples, frac_bits }
    }

    /// Linear interpolation at interval `idx`, position `frac` (`0 <= frac < 2^frac_bits`).
    pub fn interpolate(&self, idx: usize, frac: u64) -> i64 {
        let a = self.samples[idx] as i128;
        let b = self.samples[idx + 1] as i128;
        (a + shr_round((b - a) * frac as i128, self.frac_bits, Round::Rne)) as i64
    }
}

/// Reciprocal seed: `2^30 / (1 + k/1024)`, `k = 0..=1024`, input mantissa Q1.30 in `[1, 2)`.
pub const RECIP_SEED_FRAC_BITS: u32 = 20;
/// Reciprocal-square-root seed: `2^30 / sqrt(1 + k/256)`, `k = 0..=768`, input Q2.30 in `[1, 4)`.
pub const RSQRT_SEED_FRAC_BITS: u32 = 22;

/// The reciprocal seed table.
pub fn recip_table() -> &'static SeedTable {
    static T: OnceLock<SeedTable> = OnceLock::new();
    T.get_or_init(|| {
        let per_unit = 1usize << (30 - RECIP_SEED_FRAC_BITS);
        SeedTable::sample(per_unit, RECIP_SEED_FRAC_BITS, 30, |k| {
            1.0 / (1.0 + k as f64 / per_unit as f64)
        })
    })
}

/// The reciprocal-square-root seed table.
pub fn rsqrt_table() -> &'static SeedTable {
    static T: OnceLock<SeedTable> = OnceLock::new();
    T.get_or_init(|| {
        let per_unit = 1usize << (30 - RSQRT_SEED_FRAC_BITS);
        SeedTable::sample(3 * per_unit, RSQRT_SEED_FRAC_BITS, 30, |k| {
            1.0 / (1.0 + k as f64 / per_unit as f64).sqrt()
        })
    })
}

/// Seed `~ 2^30 / x` for a mantissa `m = x * 2^30` in `[2^30, 2^31)`.
pub fn recip_seed(m: u32) -> u32 {
    debug_assert!((1 << 30..1 << 31).contains(&m));
    let t = (m - (1 << 30)) as u64;
    recip_table().interpolate(
        (t >> RECIP_SEED_FRAC_BITS) as usize,
        t & ((1 << RECIP_SEED_FRAC_BITS) - 1),
    ) as u32
}

/// Seed `~ 2^30 / sqrt(x)` for a mantissa `m = x * 2^30` in `[2^30, 2^32)`.
pub fn rsqrt_seed(m: u64) -> u32 {
    debug_assert!((1 << 30..1 << 32).contains(&m));
    let t = m - (1 << 30);
    rsqrt_table().interpolate(
        (t >> RSQRT_SEED_FRAC_BITS) as usize,
        t & ((1 << RSQRT_SEED_FRAC_BITS) - 1),
    ) as u32
}

/// Fraction bits of the sigmoid input (Q7.24, clamped to `(-32, 32)`).
pub const SIGMOID_IN_FRAC: u32 = 24;
/// Input bits inside one sigmoid segment (segments of `1/16`).
pub const SIGMOID_SEG_BITS: u32 = 20;
/// Number of sigmoid segments covering `[0, 32)`.
pub const SIGMOID_SEGMENTS: usize = 512;
/// Guard bits of the sigmoid coefficients below the GATE format.
pub const SIGMOID_GUARD: u32 = 6;

/// Piecewise-cubic coefficients `[c0, c1, c2, c3]` per segment, in units of `2^-(30 + guard)`, of
/// `p(s) = c0 + c1 s + c2 s^2 + c3 s^3` with `s` the position inside the segment in `[0, 1)`.
pub fn sigmoid_coefficients() -> &'static [[i64; 4]] {
    sigmoid_table()
}

/// The same coefficients as a fixed-size array, so that indexing by a segment below 512 needs
/// no bounds check in the element loops.
pub(crate) fn sigmoid_table() -> &'static [[i64; 4]; SIGMOID_SEGMENTS] {
    static T: OnceLock<[[i64; 4]; SIGMOID_SEGMENTS]> = OnceLock::new();
    T.get_or_init(|| {
        let h = 1.0 / (1u64 << (SIGMOID_IN_FRAC - SIGMOID_SEG_BITS)) as f64;
        let unit = (1u64 << (GATE_FRAC + SIGMOID_GUARD)) as f64;
        std::array::from_fn(|seg| {
            let a = chebyshev_cubic(|s| logistic(seg as f64 * h + s * h));
            a.map(|c| (c * unit).round_ties_even() as i64)
        })
    })
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Monomial coefficients of the cubic interpolating `g` at the four Chebyshev nodes of `[0, 1]`.
fn chebyshev_cubic(g: impl Fn(f64) -> f64) -> [f64; 4] {
    let nodes: [f64; 4] = std::array::from_fn(|k| {
        (1.0 - ((2 * k + 1) as f64 * std::f64::consts::PI / 8.0).cos()) / 2.0
    });
    // Newton divided differences, then expand to monomials.
    let mut dd: [f64; 4] = nodes.map(&g);
    for level in 1..4 {
        for i in (level..4).rev() {
            dd[i] = (dd[i] - dd[i - 1]) / (nodes[i] - nodes[i - level]);
        }
    }
    let mut coef = [0.0f64; 4];
    for i in (0..4).rev() {
        // coef = coef * (s - nodes[i]) + dd[i]
        let mut next = [0.0f64; 4];
        for k in 0..4 {
            if k + 1 < 4 {
                next[k + 1] += coef[k];
            }
            next[k] -= coef[k] * nodes[i];
        }
        next[0] += dd[i];
        coef = next;
    }
    coef
}

/// `sigmoid(z)` in GATE (Q0.30) for `z` in Q7.24; inputs beyond `±(32 - 2^-24)` are clamped.
pub fn sigmoid_q24(z: i64) -> u32 {
    sigmoid_q24_in(sigmoid_table(), z)
}

/// [`sigmoid_q24`] with the table in hand, inlined into the element loops.
#[inline(always)]
pub(crate) fn sigmoid_q24_in(table: &[[i64; 4]; SIGMOID_SEGMENTS], z: i64) -> u32 {
    sigmoid_cubic(z, &table[sigmoid_segment(z)])
}

/// The segment of the table that `z` (Q7.24) falls in, after the clamp to `±(32 - 2^-24)`.
#[inline(always)]
pub(crate) fn sigmoid_segment(z: i64) -> usize {
    // |t| <= lim < 2^29, so the segment is below 512 already; the mask only tells the compiler.
    (sigmoid_abs(z) >> SIGMOID_SEG_BITS) as usize & (SIGMOID_SEGMENTS - 1)
}

/// `|z|` clamped to the table's range, `32 - 2^-24`.
#[inline(always)]
fn sigmoid_abs(z: i64) -> i64 {
    let lim = (32i64 << SIGMOID_IN_FRAC) - 1;
    z.clamp(-lim, lim).abs()
}

/// The cubic of `z`'s segment (coefficients `c`) evaluated at `z`, by Horner's rule on `i64`; the
/// same values as on `i128` (`crate::ops::plain::sigmoid_q24`): the coefficients are below `2^39`
/// in magnitude (pinned by `table_sizes_fit_block_rams`) and `u < 2^20`, so `|acc|` stays below
/// `2^40`, `2^41`, `2^42` after the three steps.
#[inline(always)]
pub(crate) fn sigmoid_cubic(z: i64, c: &[i64; 4]) -> u32 {
    let u = sigmoid_abs(z) & ((1 << SIGMOID_SEG_BITS) - 1);
    let mut acc = c[3];
    acc = horner_step(acc, u) + c[2];
    acc = horner_step(acc, u) + c[1];
    acc = horner_step(acc, u) + c[0];
    let pos = rne_i64(acc, SIGMOID_GUARD).clamp(0, GATE_ONE as i64) as u32;
    if z < 0 { GATE_ONE - pos } else { pos }
}

/// `rne(acc * u, 20)` for `|acc| < 2^42`, `0 <= u < 2^20`, with 32 x 32-bit products only:
/// `acc = hi 2^20 + lo` (`|hi| < 2^22`, `0 <= lo < 2^20`), and `hi u 2^20` is a multiple of
/// `2^20` that passes the rounding unchanged, so the result is `hi u + rne(lo u, 20)`.
#[inline(always)]
fn horner_step(acc: i64, u: i64) -> i64 {
    let hi = acc >> SIGMOID_SEG_BITS;
    let lo = acc & ((1 << SIGMOID_SEG_BITS) - 1);
    let exact_part = (hi as i32 as i64) * (u as i32 as i64);
    let low_part = lo as u32 as u64 * u as u32 as u64;
    exact_part + rne_u64(low_part, SIGMOID_SEG_BITS) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fnv(words: impl Iterator<Item = i64>) -> u64 {
        words.fold(0xcbf29ce484222325u64, |h, s| {
            s.to_le_bytes()
                .iter()
                .fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3))
        })
    }

    #[test]
    fn tables_are_pinned() {
        // If this fails, the host's libm rounds a sample differently: the contract would change.
        let got = [
            fnv(recip_table().samples.iter().copied()),
            fnv(rsqrt_table().samples.iter().copied()),
            fnv(sigmoid_coefficients().iter().flatten().copied()),
        ];
        assert_eq!(got, PINNED, "table hashes changed: {got:#x?}");
    }

    const PINNED: [u64; 3] = [0x32479de60fca302a, 0x1fbbdc4e53a5faf5, 0x1241d64b6c27ac22];

    #[test]
    fn table_sizes_fit_block_rams() {
        assert_eq!(recip_table().samples.len(), 1025);
        assert_eq!(rsqrt_table().samples.len(), 769);
        assert_eq!(sigmoid_coefficients().len(), 512);
        // Coefficients fit 40 bits signed: 512 x 160 bits = 80 Kbit, three 18x1024 BRAM36 wide.
        assert!(
            sigmoid_coefficients()
                .iter()
                .flatten()
                .all(|c| c.unsigned_abs() < 1 << 39)
        );
    }

    #[test]
    fn sigmoid_error_is_below_one_and_a_half_lsb() {
        let lsb = 2f64.powi(-30);
        let mut worst = 0f64;
        let step = 1 << 10;
        for z in (-(33i64 << 24)..(33i64 << 24)).step_by(step) {
            let exact = logistic(z as f64 / (1u64 << 24) as f64);
            let got = sigmoid_q24(z) as f64 * lsb;
            worst = worst.max((got - exact).abs());
        }
        assert!(worst < 1.5 * lsb, "worst error {} lsb", worst / lsb);
        assert_eq!(sigmoid_q24(0), GATE_ONE / 2);
        assert_eq!(sigmoid_q24(i64::MAX), GATE_ONE);
        assert_eq!(sigmoid_q24(i64::MIN + 1), 0);
    }

    #[test]
    fn sigmoid_is_symmetric() {
        for z in (0..(40i64 << 24)).step_by(99991) {
            assert_eq!(
                sigmoid_q24(z) as u64 + sigmoid_q24(-z) as u64,
                GATE_ONE as u64,
                "z={z}"
            );
        }
    }

    #[test]
    fn seeds_are_within_their_interpolation_bound() {
        // Seeds only need to be good enough for one Newton step (< 2^-18 relative).
        for m in (1u32 << 30..u32::MAX >> 1).step_by(4099) {
            let exact = (1u64 << 30) as f64 / (m as f64 / (1u64 << 30) as f64);
            assert!(
                (recip_seed(m) as f64 / exact - 1.0).abs() < 2f64.powi(-20),
                "m={m}"
            );
        }
        for m in ((1u64 << 30)..(1u64 << 32)).step_by(16411) {
            let exact = (1u64 << 30) as f64 / (m as f64 / (1u64 << 30) as f64).sqrt();
            assert!(
                (rsqrt_seed(m) as f64 / exact - 1.0).abs() < 2f64.powi(-18),
                "m={m}"
            );
        }
    }
}
