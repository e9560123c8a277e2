//! The number formats of the contract (NUMERICS.md section 2) and the exact conversions from the
//! checkpoint's floating-point values into them.
//!
//! Four formats cover the whole model:
//! - **BFP** ([`Bfp`]): every activation vector (residual stream, recurrent state, every BitLinear
//!   output, every element-wise result) and every norm weight vector. Signed 31-bit mantissas (at most
//!   `2^30` in magnitude) sharing one exponent per vector. Vectors are kept normalized (largest
//!   mantissa between `2^29` and `2^30`), so each element is exact to `2^-30` of the vector's
//!   largest element whatever the vector's magnitude. That is finer than the f32 golden model's own
//!   rounding (`2^-24`), which matters: int8 absmax quantization turns any tiny disagreement into
//!   flipped codes, and those grow through the layers (NUMERICS.md section 1).
//! - **GATE** (`u32` holding `[0, 2^30]`, Q0.30): sigmoid outputs, the forget gate `f`, `1 - f` and
//!   the per-layer lower bound.
//! - **CODE** (`i8` in `[-127, 127]`): per-token absmax activation codes, as the released model.
//! - **Scale** ([`crate::Scale`]): per-token scalars, a 31-bit mantissa and an exponent.

use crate::round::{Round, bit_len, rne_i64, shift_round, shr_round};

/// Magnitude bits of a normalized BFP mantissa: `2^29 <= max|mant| <= 2^30`.
pub const MANT_BITS: u32 = 30;
/// Exponent of the all-zero vector: far below any real exponent, so that aligning a zero vector
/// with a real one never moves the real one.
pub const ZERO_EXP: i32 = -(1 << 24);
/// Fraction bits of the GATE format.
pub const GATE_FRAC: u32 = 30;
/// The GATE encoding of 1.0.
pub const GATE_ONE: u32 = 1 << GATE_FRAC;
/// Largest magnitude of an activation code (codes are symmetric, as in the released model).
pub const CODE_MAX: i32 = 127;
/// Epsilon of every RMSNorm in the released model (mmfree-model.md section 1.6).
pub const RMS_EPS: f64 = 1e-6;

/// A block-floating-point vector: `value[j] = mant[j] * 2^exp`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bfp {
    /// Signed mantissas, `|mant| <= 2^30`.
    pub mant: Vec<i32>,
    /// Shared exponent ([`ZERO_EXP`] for the all-zero vector).
    pub exp: i32,
}

impl Default for Bfp {
    fn default() -> Self {
        Bfp {
            mant: Vec::new(),
            exp: ZERO_EXP,
        }
    }
}

impl Bfp {
    /// The all-zero vector of length `n`.
    pub fn zeros(n: usize) -> Bfp {
        Bfp {
            mant: vec![0; n],
            exp: ZERO_EXP,
        }
    }

    /// Normalizes exact wide values `wide[j] * 2^exp`: shifts so that the largest magnitude has
    /// exactly 30 bits (left shifts are exact; right shifts round half to even, which may carry the
    /// largest mantissa to `2^30`). An all-zero input gives the canonical zero vector.
    pub fn from_wide(wide: &[i128], exp: i32) -> Bfp {
        let max = wide.iter().map(|w| w.unsigned_abs()).max().unwrap_or(0);
        if max == 0 {
            return Bfp::zeros(wide.len());
        }
        let k = bit_len(max) as i32 - MANT_BITS as i32;
        let mant = wide
            .iter()
            .map(|&w| shift_round(w, k, Round::Rne) as i32)
            .collect();
        Bfp { mant, exp: exp + k }
    }

    /// [`Bfp::from_wide`] over `n` exact `i64` values `wide(j) * 2^exp`: the same result, bit for
    /// bit, without an `i128` buffer. `wide` is called twice per element (once for the largest
    /// magnitude, once to shift), so it should be a cheap recomputation such as a product of two
    /// slice elements; inlined into the caller, both passes are plain loops that vectorize.
    #[inline(always)]
    pub fn from_wide_fn(n: usize, exp: i32, wide: impl Fn(usize) -> i64) -> Bfp {
        // The shift depends only on bit_len(max |w|), which is bit_len(OR of all |w|): an OR
        // vectorizes where a 64-bit max does not on AVX2.
        let mut bits = 0u64;
        for j in 0..n {
            bits |= wide(j).unsigned_abs();
        }
        if bits == 0 {
            return Bfp::zeros(n);
        }
        // |w| <= 2^63, so b <= 64 and 0 < k <= 34 on the right-shift side.
        let k = bit_len(bits as u128) as i32 - MANT_BITS as i32;
        let mut mant = vec![0i32; n];
        if k <= 0 {
            // b <= 30: |w| < 2^b, so |w << -k| < 2^30, exact.
            let l = (-k) as u32;
            for (j, m) in mant.iter_mut().enumerate() {
                *m = (wide(j) << l) as i32;
            }
        } else {
            // The largest result is at most 2^30 (a carry): every one fits i32.
            let k = k as u32;
            for (j, m) in mant.iter_mut().enumerate() {
                *m = rne_i64(wide(j), k) as i32;
            }
        }
        Bfp { mant, exp: exp + k }
    }

    /// Converts floating-point values exactly, then normalizes (rounding half to even only where a
    /// value has significant bits more than 30 binary orders below the largest one).
    pub fn from_f32(values: &[f32]) -> Bfp {
        let parts: Vec<(i64, i32)> = values.iter().map(|&v| f32_parts(v)).collect();
        let top = parts
            .iter()
            .filter(|p| p.0 != 0)
            .map(|&(m, e)| e + bit_len(m.unsigned_abs() as u128) as i32)
            .max();
        let Some(top) = top else {
            return Bfp::zeros(values.len());
        };
        // 40 guard bits: only values more than 70 binary orders below the largest are rounded twice,
        // and those round to zero either way.
        let base = top - MANT_BITS as i32 - 41;
        let wide: Vec<i128> = parts
            .iter()
            .map(|&(m, e)| shift_round(m as i128, base - e, Round::Rne))
            .collect();
        Bfp::from_wide(&wide, base)
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.mant.len()
    }

    /// Whether the vector has no elements.
    pub fn is_empty(&self) -> bool {
        self.mant.is_empty()
    }

    /// Whether every element is zero.
    pub fn is_zero(&self) -> bool {
        self.mant.iter().all(|&m| m == 0)
    }

    /// The real value of element `j` (for reports and comparisons; exact in f64 up to its range).
    pub fn value(&self, j: usize) -> f64 {
        self.mant[j] as f64 * pow2(self.exp)
    }

    /// All values rounded to f32 (for JSON output and the golden-vs-fixed comparison).
    pub fn to_f32(&self) -> Vec<f32> {
        // The same product as `value(j)`, with the power of two taken once.
        let p = pow2(self.exp);
        self.mant.iter().map(|&m| (m as f64 * p) as f32).collect()
    }
}

/// An f32 as an exact `(mantissa, exponent)` pair, `v = m * 2^e` (non-finite values become 0).
fn f32_parts(v: f32) -> (i64, i32) {
    if !v.is_finite() || v == 0.0 {
        return (0, 0);
    }
    let bits = v.to_bits();
    let biased = ((bits >> 23) & 0xff) as i32;
    let frac = (bits & 0x7f_ffff) as i64;
    let (m, e) = if biased == 0 {
        (frac, -149)
    } else {
        (frac | 1 << 23, biased - 150)
    };
    (if v < 0.0 { -m } else { m }, e)
}

/// Converts a real value in `[0, 1]` to GATE: `round_half_even(x * 2^30)`, clamped to `[0, 2^30]`.
pub fn gate_from_f32(x: f32) -> u32 {
    if x.is_nan() {
        return 0;
    }
    (x as f64 * pow2(GATE_FRAC as i32))
        .round_ties_even()
        .clamp(0.0, GATE_ONE as f64) as u32
}

/// The real value of a GATE integer.
pub fn gate_to_f64(g: u32) -> f64 {
    g as f64 * pow2(-(GATE_FRAC as i32))
}

/// `2^e` as an `f64` (0 or infinity outside the f64 range).
pub fn pow2(e: i32) -> f64 {
    2f64.powi(e)
}

/// `round_half_even(x * 2^-shift)` for a GATE-by-integer product (used where a gate scales a value).
pub fn gate_scale(x: i128, g: u32) -> i128 {
    shr_round(x * g as i128, GATE_FRAC, Round::Rne)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_wide_normalizes_to_30_bits() {
        let b = Bfp::from_wide(&[3, -1, 0], 0);
        assert_eq!(b.mant, vec![3 << 28, -(1 << 28), 0]);
        assert_eq!(b.exp, -28);
        assert_eq!(b.value(0), 3.0);
        // Right shift rounds half to even: 2^31 + 1 -> 2^29 (drop 2 bits: 0.25 rounds down).
        let b = Bfp::from_wide(&[(1 << 31) + 1, (1 << 31) + 2, (1 << 31) + 6], 0);
        assert_eq!(b.mant, vec![1 << 29, 1 << 29, (1 << 29) + 2]);
        // The largest mantissa may round up to 2^30 exactly.
        let b = Bfp::from_wide(&[(1 << 31) - 1], 0);
        assert_eq!(b.mant, vec![1 << 30]);
        assert_eq!(Bfp::from_wide(&[0, 0], 17), Bfp::zeros(2));
        assert_eq!(Bfp::zeros(2).exp, ZERO_EXP);
    }

    #[test]
    fn from_f32_is_exact_within_30_binary_orders() {
        for scale in [1e-30f32, 1e-3, 1.0, 3.0, 1234.5, 1e30] {
            let v: Vec<f32> = [0.7f32, -1.0, 0.001, 0.99999, 0.0]
                .iter()
                .map(|x| x * scale)
                .collect();
            let b = Bfp::from_f32(&v);
            let max = b.mant.iter().map(|m| m.unsigned_abs()).max().unwrap();
            assert!(
                (1 << 29..=1 << 30).contains(&max),
                "scale {scale}: max mantissa {max}"
            );
            for (j, &x) in v.iter().enumerate() {
                let err = (b.value(j) - x as f64).abs();
                assert!(err <= pow2(b.exp) / 2.0, "scale {scale} j {j}");
                if j != 2 {
                    assert_eq!(b.value(j), x as f64, "scale {scale} j {j} should be exact");
                }
            }
        }
        assert_eq!(Bfp::from_f32(&[0.0, f32::NAN]), Bfp::zeros(2));
        let sub = Bfp::from_f32(&[f32::from_bits(1), 1e-45]);
        assert_eq!(sub.value(0), f32::from_bits(1) as f64);
    }

    #[test]
    fn gate_conversion_clamps_to_unit_interval() {
        assert_eq!(gate_from_f32(1.0), GATE_ONE);
        assert_eq!(gate_from_f32(1.5), GATE_ONE);
        assert_eq!(gate_from_f32(-0.1), 0);
        assert_eq!(gate_from_f32(0.25), GATE_ONE / 4);
        assert_eq!(gate_to_f64(GATE_ONE / 2), 0.5);
        assert_eq!(gate_scale(3, GATE_ONE / 2), 2);
        assert_eq!(gate_scale(5, GATE_ONE / 2), 2);
    }
}
