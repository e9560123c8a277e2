//! The fixed-point formats of the contract (NUMERICS.md section 2) and the exact conversions from the
//! checkpoint's floating-point values into them.
//!
//! Four formats cover the whole model:
//! - **ACT** (`i32`, Q15.16): residual stream, recurrent state `h`, every BitLinear output and every
//!   element-wise result. 32 bits so that the 2.7B shape cannot degenerate the way a 16-bit format does.
//! - **GATE** (`u32` holding `[0, 2^17]`, Q0.17): sigmoid outputs, the forget gate `f`, `1 - f` and the
//!   per-layer lower bound. 18 bits so that `1 - f` keeps precision when `f` is close to 1.
//! - **CODE** (`i8` in `[-127, 127]`): per-token absmax activation codes, as the released model.
//! - **BFP18** ([`Bfp`]): norm weight vectors, an 18-bit signed mantissa per element and one shared
//!   exponent per vector, so trained vectors of any magnitude keep 17 significant bits.

use crate::round::{Round, bit_len, sat32};

/// Fraction bits of the ACT format.
pub const ACT_FRAC: u32 = 16;
/// Fraction bits of the GATE format.
pub const GATE_FRAC: u32 = 17;
/// The GATE encoding of 1.0.
pub const GATE_ONE: u32 = 1 << GATE_FRAC;
/// Largest magnitude of an activation code (codes are symmetric, as in the released model).
pub const CODE_MAX: i32 = 127;
/// Mantissa magnitude bits of a [`Bfp`] element (the mantissa is signed, so 18 bits wide).
pub const BFP_MANT_BITS: u32 = 17;
/// Epsilon of every RMSNorm in the released model (mmfree-model.md section 1.6).
pub const RMS_EPS: f64 = 1e-6;

/// A vector in block floating point: `value[j] = mant[j] * 2^exp`, `|mant[j]| < 2^17`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Bfp {
    /// Signed 18-bit mantissas.
    pub mant: Vec<i32>,
    /// Shared exponent of the vector.
    pub exp: i32,
}

impl Bfp {
    /// Converts floating-point values exactly: the exponent is the smallest that keeps every rounded
    /// mantissa below `2^17`, and mantissas round half to even. An all-zero vector has exponent 0.
    pub fn from_f32(values: &[f32]) -> Bfp {
        let max = values.iter().fold(0f64, |m, &v| m.max((v as f64).abs()));
        if max == 0.0 || !max.is_finite() {
            return Bfp { mant: vec![0; values.len()], exp: 0 };
        }
        let mut exp = floor_log2(max) - BFP_MANT_BITS as i32 + 1;
        loop {
            let mant: Vec<i32> =
                values.iter().map(|&v| ((v as f64) * pow2(-exp)).round_ties_even() as i32).collect();
            if mant.iter().all(|m| m.unsigned_abs() < 1 << BFP_MANT_BITS) {
                return Bfp { mant, exp };
            }
            exp += 1;
        }
    }

    /// The real value of element `j`, for reports and the golden-vs-fixed comparison.
    pub fn value(&self, j: usize) -> f64 {
        self.mant[j] as f64 * pow2(self.exp)
    }
}

/// Converts a real value to ACT: `round_half_even(x * 2^16)`, saturated to `i32`.
pub fn act_from_f32(x: f32) -> i32 {
    if x.is_nan() {
        return 0;
    }
    let scaled = (x as f64 * pow2(ACT_FRAC as i32)).round_ties_even();
    scaled.clamp(i32::MIN as f64, i32::MAX as f64) as i32
}

/// The real value of an ACT integer.
pub fn act_to_f64(x: i32) -> f64 {
    x as f64 * pow2(-(ACT_FRAC as i32))
}

/// Converts a real value in `[0, 1]` to GATE: `round_half_even(x * 2^17)`, clamped to `[0, 2^17]`.
pub fn gate_from_f32(x: f32) -> u32 {
    if x.is_nan() {
        return 0;
    }
    (x as f64 * pow2(GATE_FRAC as i32)).round_ties_even().clamp(0.0, GATE_ONE as f64) as u32
}

/// The real value of a GATE integer.
pub fn gate_to_f64(g: u32) -> f64 {
    g as f64 * pow2(-(GATE_FRAC as i32))
}

/// `2^e` as an exact `f64` (for `|e| < 1000`).
pub fn pow2(e: i32) -> f64 {
    f64::from_bits(((1023 + e as i64) as u64) << 52)
}

/// `floor(log2(x))` for finite positive `x`, exact (reads the binary exponent).
pub fn floor_log2(x: f64) -> i32 {
    debug_assert!(x > 0.0 && x.is_finite());
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Subnormal: the leading one sits inside the mantissa.
        let mant = bits & ((1 << 52) - 1);
        -1074 + bit_len(mant as u128) as i32 - 1
    } else {
        biased - 1023
    }
}

/// Saturating addition of two ACT values (residual adds).
pub fn act_add(a: i32, b: i32) -> i32 {
    sat32(a as i128 + b as i128)
}

/// `x * g`, an ACT value times a GATE value, rounded half to even back to ACT.
pub fn act_times_gate(x: i32, g: u32) -> i32 {
    sat32(crate::round::shr_round(x as i128 * g as i128, GATE_FRAC, Round::Rne))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn act_conversion_rounds_half_even_and_saturates() {
        assert_eq!(act_from_f32(1.0), 65536);
        assert_eq!(act_from_f32(-0.5), -32768);
        // 2^-17 is exactly half an ACT LSB: ties go to even.
        assert_eq!(act_from_f32(2f32.powi(-17)), 0);
        assert_eq!(act_from_f32(3.0 * 2f32.powi(-17)), 2);
        assert_eq!(act_from_f32(1e9), i32::MAX);
        assert_eq!(act_from_f32(-1e9), i32::MIN);
        assert_eq!(act_from_f32(f32::NAN), 0);
        assert_eq!(act_to_f64(98304), 1.5);
    }

    #[test]
    fn gate_conversion_clamps_to_unit_interval() {
        assert_eq!(gate_from_f32(1.0), GATE_ONE);
        assert_eq!(gate_from_f32(1.5), GATE_ONE);
        assert_eq!(gate_from_f32(-0.1), 0);
        assert_eq!(gate_from_f32(0.25), GATE_ONE / 4);
        assert_eq!(gate_to_f64(GATE_ONE / 2), 0.5);
    }

    #[test]
    fn bfp_keeps_17_significant_bits_at_any_magnitude() {
        for scale in [1e-30f32, 1e-3, 1.0, 3.0, 1234.5, 1e30] {
            let v: Vec<f32> = [0.7f32, -1.0, 0.001, 0.99999].iter().map(|x| x * scale).collect();
            let b = Bfp::from_f32(&v);
            let max = b.mant.iter().map(|m| m.unsigned_abs()).max().unwrap();
            assert!((1 << 16..1 << 17).contains(&max), "scale {scale}: max mantissa {max}");
            for (j, &x) in v.iter().enumerate() {
                let err = (b.value(j) - x as f64).abs();
                assert!(err <= pow2(b.exp) / 2.0, "scale {scale} j {j}");
            }
        }
        // A maximum that rounds up to 2^17 moves to the next exponent.
        let b = Bfp::from_f32(&[(131071.75f64 / 131072.0) as f32]);
        assert!(b.mant[0] < 1 << 17);
        assert_eq!(Bfp::from_f32(&[0.0, 0.0]), Bfp { mant: vec![0, 0], exp: 0 });
    }

    #[test]
    fn floor_log2_is_exact() {
        assert_eq!(floor_log2(1.0), 0);
        assert_eq!(floor_log2(0.75), -1);
        assert_eq!(floor_log2(1024.0), 10);
        assert_eq!(floor_log2(1023.99), 9);
        assert_eq!(floor_log2(f64::MIN_POSITIVE / 4.0), -1024);
        assert_eq!(pow2(-3), 0.125);
    }

    #[test]
    fn act_gate_products_round_half_even() {
        assert_eq!(act_times_gate(65536, GATE_ONE / 2), 32768);
        assert_eq!(act_times_gate(3, GATE_ONE / 2), 2); // 1.5 -> 2
        assert_eq!(act_times_gate(5, GATE_ONE / 2), 2); // 2.5 -> 2
        assert_eq!(act_times_gate(-5, GATE_ONE / 2), -2);
        assert_eq!(act_times_gate(i32::MIN, GATE_ONE), i32::MIN);
        assert_eq!(act_add(i32::MAX, 1), i32::MAX);
    }
}
