//! Interpolated lookup tables for the non-linear functions (NUMERICS.md section 3).
//!
//! One mechanism serves sigmoid, reciprocal square root and reciprocal: a table of `2^k + 1` sample
//! points and linear interpolation between neighbours, `y = T[i] + rne((T[i+1] - T[i]) * frac, F)`.
//! The hardware holds each table in one ROM (an 18-bit-wide BRAM36 of 2048 entries suffices) and
//! needs one small multiply; the ROM contents come from [`Table::samples`], the same numbers the
//! software uses. Sample values are computed in `f64` and rounded half to even; a test pins a hash
//! of every table so a platform whose libm differs in the last place cannot drift silently.

use std::sync::OnceLock;

use crate::format::{ACT_FRAC, GATE_FRAC};
use crate::round::{Round, shr_round};

/// An interpolated table: `samples.len() == intervals + 1`, `frac_bits` bits between samples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The function sampled at each interval boundary, in the output format.
    pub samples: Vec<i32>,
    /// Number of input bits that select a position between two samples.
    pub frac_bits: u32,
}

impl Table {
    /// Samples `f` at `intervals + 1` points `x0 + k * step` and rounds `f * 2^out_frac`.
    fn sample(intervals: usize, frac_bits: u32, out_frac: u32, f: impl Fn(usize) -> f64) -> Table {
        let scale = (1u64 << out_frac) as f64;
        let samples = (0..=intervals).map(|k| (f(k) * scale).round_ties_even() as i32).collect();
        Table { samples, frac_bits }
    }

    /// Linear interpolation at interval `idx`, position `frac` (`0 <= frac < 2^frac_bits`).
    pub fn interpolate(&self, idx: usize, frac: u32) -> i32 {
        let a = self.samples[idx] as i128;
        let b = self.samples[idx + 1] as i128;
        (a + shr_round((b - a) * frac as i128, self.frac_bits, Round::Rne)) as i32
    }

    /// Number of intervals (ROM depth minus one).
    pub fn intervals(&self) -> usize {
        self.samples.len() - 1
    }
}

/// Sigmoid: input ACT clamped to `[-16, 16)`, 2048 intervals of `1/64`, output GATE (Q0.17).
pub const SIGMOID_RANGE_LOG2: u32 = 4;
/// Input bits below one sigmoid interval (ACT LSBs per `1/64`).
pub const SIGMOID_FRAC_BITS: u32 = ACT_FRAC - 6;
/// Reciprocal square root: input mantissa in `[1, 4)` (Q2.16), 768 intervals of `1/256`, output Q1.17.
pub const RSQRT_FRAC_BITS: u32 = 8;
/// Reciprocal: input mantissa in `[1, 2)` (Q1.16), 1024 intervals of `1/1024`, output Q1.17.
pub const RECIP_FRAC_BITS: u32 = 6;

/// The sigmoid table (GATE output); see [`sigmoid`].
pub fn sigmoid_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let lo = -(1i64 << SIGMOID_RANGE_LOG2) as f64;
        let intervals = 1usize << (SIGMOID_RANGE_LOG2 + 1 + ACT_FRAC - SIGMOID_FRAC_BITS);
        let step = 1.0 / (1u64 << (ACT_FRAC - SIGMOID_FRAC_BITS)) as f64;
        Table::sample(intervals, SIGMOID_FRAC_BITS, GATE_FRAC, |k| {
            1.0 / (1.0 + (-(lo + k as f64 * step)).exp())
        })
    })
}

/// The reciprocal-square-root table: `2^17 / sqrt(1 + k/256)` for `k = 0..=768`.
pub fn rsqrt_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let per_unit = 1usize << (16 - RSQRT_FRAC_BITS);
        Table::sample(3 * per_unit, RSQRT_FRAC_BITS, 17, |k| {
            1.0 / (1.0 + k as f64 / per_unit as f64).sqrt()
        })
    })
}

/// The reciprocal table: `2^17 / (1 + k/1024)` for `k = 0..=1024`.
pub fn recip_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let per_unit = 1usize << (16 - RECIP_FRAC_BITS);
        Table::sample(per_unit, RECIP_FRAC_BITS, 17, |k| 1.0 / (1.0 + k as f64 / per_unit as f64))
    })
}

/// Logistic sigmoid of an ACT value, as GATE: the input is clamped to `[-16, 16 - 2^-16]`.
pub fn sigmoid(x: i32) -> u32 {
    let hi = (1i64 << (SIGMOID_RANGE_LOG2 + ACT_FRAC)) - 1;
    let t = (x as i64).clamp(-hi - 1, hi) + hi + 1; // [0, 2^21)
    let idx = (t >> SIGMOID_FRAC_BITS) as usize;
    let frac = (t & ((1 << SIGMOID_FRAC_BITS) - 1)) as u32;
    sigmoid_table().interpolate(idx, frac) as u32
}

/// `2^17 / sqrt(m / 2^16)` for a mantissa `m` in `[2^16, 2^18)`; the result is in `(2^16, 2^17]`.
pub fn rsqrt_mantissa(m: u32) -> u32 {
    debug_assert!((1 << 16..1 << 18).contains(&m));
    let t = m - (1 << 16);
    rsqrt_table().interpolate((t >> RSQRT_FRAC_BITS) as usize, t & ((1 << RSQRT_FRAC_BITS) - 1)) as u32
}

/// `2^17 / (m / 2^16)` for a mantissa `m` in `[2^16, 2^17)`; the result is in `(2^16, 2^17]`.
pub fn recip_mantissa(m: u32) -> u32 {
    debug_assert!((1 << 16..1 << 17).contains(&m));
    let t = m - (1 << 16);
    recip_table().interpolate((t >> RECIP_FRAC_BITS) as usize, t & ((1 << RECIP_FRAC_BITS) - 1)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fnv(samples: &[i32]) -> u64 {
        samples.iter().fold(0xcbf29ce484222325u64, |h, &s| {
            s.to_le_bytes().iter().fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3))
        })
    }

    #[test]
    fn table_shapes_fit_one_bram36_each() {
        for (t, n) in [(sigmoid_table(), 2048), (rsqrt_table(), 768), (recip_table(), 1024)] {
            assert_eq!(t.intervals(), n);
            assert!(t.samples.iter().all(|&s| (0..=1 << 17).contains(&s)));
        }
    }

    #[test]
    fn tables_are_pinned() {
        // If this fails, the host's libm rounds a sample differently: the contract would change.
        let got = [fnv(&sigmoid_table().samples), fnv(&rsqrt_table().samples), fnv(&recip_table().samples)];
        assert_eq!(got, PINNED_TABLE_HASHES, "table hashes changed: {got:#x?}");
    }

    const PINNED_TABLE_HASHES: [u64; 3] = [0xad32dcaf283eb130, 0x24fa24fa92620e95, 0x6c77474e716a8b4e];

    #[test]
    fn sigmoid_error_is_below_half_a_millionth_of_range() {
        let mut worst = 0f64;
        for x in (-(20 << 16)..(20 << 16)).step_by(97) {
            let exact = 1.0 / (1.0 + (-(x as f64) / 65536.0).exp());
            let err = (sigmoid(x) as f64 / (1 << 17) as f64 - exact).abs();
            worst = worst.max(err);
        }
        // Interpolation error bound h^2/8 * max|s''| = 2^-12/8 * 0.0962 plus half an LSB.
        assert!(worst < 3.0 * 2f64.powi(-17) + 2f64.powi(-12) / 8.0 * 0.0962 , "worst {worst}");
        assert_eq!(sigmoid(0), 1 << 16);
        assert_eq!(sigmoid(i32::MAX), 1 << 17);
        assert_eq!(sigmoid(i32::MIN), 0);
    }

    #[test]
    fn sigmoid_is_monotone_and_symmetric() {
        let mut prev = 0;
        for x in (-(17 << 16)..(17 << 16)).step_by(13) {
            let s = sigmoid(x);
            assert!(s >= prev, "x={x}");
            prev = s;
        }
        for x in (0..(16 << 16)).step_by(1021) {
            let sum = sigmoid(x) as i64 + sigmoid(-x) as i64;
            assert!((sum - (1 << 17)).abs() <= 1, "x={x} sum={sum}");
        }
    }

    #[test]
    fn rsqrt_and_recip_mantissas_are_within_their_error_bound() {
        // Bound: half an LSB from each rounded sample, half from the output rounding, plus the
        // interpolation error h^2/8 * max|f''| (0.19 LSB for rsqrt, 0.03 for recip).
        for m in (1u32 << 16..1 << 18).step_by(7) {
            let exact = (1u64 << 17) as f64 / (m as f64 / 65536.0).sqrt();
            assert!((rsqrt_mantissa(m) as f64 - exact).abs() <= 1.19, "m={m}");
        }
        for m in (1u32 << 16..1 << 17).step_by(3) {
            let exact = (1u64 << 17) as f64 / (m as f64 / 65536.0);
            assert!((recip_mantissa(m) as f64 - exact).abs() <= 1.03, "m={m}");
        }
        assert_eq!(rsqrt_mantissa(1 << 16), 1 << 17);
        assert_eq!(recip_mantissa(1 << 16), 1 << 17);
    }
}
