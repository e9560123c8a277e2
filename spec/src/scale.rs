//! A pseudo-float for the per-token scalars of the fixed-point model (NUMERICS.md section 4).
//!
//! Scales such as `alpha * rho * M / 127` span many orders of magnitude, so they are carried as a
//! 17-bit normalized mantissa and an exponent: `value = m * 2^e`, `m` in `[2^16, 2^17)` (or `m = 0`).
//! Every operation is exact arithmetic followed by one round-half-to-even back to 17 bits, so it is
//! simple to reproduce in a hardware scalar unit with one 18x18 multiplier. Reciprocal and
//! reciprocal square root use the interpolated tables of [`crate::table`].

use crate::round::{Round, bit_len, shr_round};
use crate::table::{recip_mantissa, rsqrt_mantissa};

/// Mantissa bits of a [`Scale`].
pub const SCALE_MANT_BITS: u32 = 17;

/// A non-negative pseudo-float `m * 2^e` with a 17-bit normalized mantissa.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Scale {
    m: u32,
    e: i32,
}

impl Scale {
    /// Zero (mantissa 0, exponent 0).
    pub const ZERO: Scale = Scale { m: 0, e: 0 };
    /// One.
    pub const ONE: Scale = Scale { m: 1 << 16, e: -16 };

    /// `x * 2^e`, rounded half to even to 17 significant bits.
    pub fn new(x: u128, e: i32) -> Scale {
        if x == 0 {
            return Scale::ZERO;
        }
        let b = bit_len(x);
        if b <= SCALE_MANT_BITS {
            let l = SCALE_MANT_BITS - b;
            return Scale { m: (x << l) as u32, e: e - l as i32 };
        }
        let s = b - SCALE_MANT_BITS;
        let m = shr_round(x as i128, s, Round::Rne) as u32;
        if m == 1 << SCALE_MANT_BITS {
            Scale { m: 1 << (SCALE_MANT_BITS - 1), e: e + s as i32 + 1 }
        } else {
            Scale { m, e: e + s as i32 }
        }
    }

    /// Rebuilds a scale from its stored mantissa and exponent, checking normalization.
    pub fn from_parts(m: u32, e: i32) -> Option<Scale> {
        match m {
            0 if e == 0 => Some(Scale::ZERO),
            m if (1 << 16..1 << 17).contains(&m) => Some(Scale { m, e }),
            _ => None,
        }
    }

    /// An unsigned integer.
    pub fn from_u64(x: u64) -> Scale {
        Scale::new(x as u128, 0)
    }

    /// A finite non-negative `f64`, exactly decomposed then rounded half to even (`None` otherwise).
    pub fn from_f64(x: f64) -> Option<Scale> {
        if !x.is_finite() || x < 0.0 {
            return None;
        }
        if x == 0.0 {
            return Some(Scale::ZERO);
        }
        let bits = x.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        let (mant, exp) = if biased == 0 { (frac, -1074) } else { (frac | 1 << 52, biased - 1075) };
        Some(Scale::new(mant as u128, exp))
    }

    /// The 17-bit mantissa (0 for zero).
    pub fn mantissa(self) -> u32 {
        self.m
    }

    /// The binary exponent.
    pub fn exponent(self) -> i32 {
        self.e
    }

    /// Whether this is zero.
    pub fn is_zero(self) -> bool {
        self.m == 0
    }

    /// The exact real value (for reports and comparisons only).
    pub fn to_f64(self) -> f64 {
        self.m as f64 * 2f64.powi(self.e)
    }

    /// Product, rounded once.
    pub fn mul(self, o: Scale) -> Scale {
        Scale::new(self.m as u128 * o.m as u128, self.e + o.e)
    }

    /// `self * 2^k`, exact.
    pub fn shl(self, k: i32) -> Scale {
        if self.is_zero() { self } else { Scale { m: self.m, e: self.e + k } }
    }

    /// Sum, rounded once. An addend more than 40 binary orders below the other is below half an
    /// ulp of the result and cannot change it, so it is dropped before aligning.
    pub fn add(self, o: Scale) -> Scale {
        let (hi, lo) = if self.e >= o.e { (self, o) } else { (o, self) };
        if lo.is_zero() || hi.e - lo.e > 40 {
            return if hi.is_zero() { lo } else { hi };
        }
        let shift = (hi.e - lo.e) as u32;
        Scale::new(((hi.m as u128) << shift) + lo.m as u128, lo.e)
    }

    /// `1 / sqrt(self)` through the interpolated table; zero maps to zero (callers add epsilon first).
    pub fn rsqrt(self) -> Scale {
        if self.is_zero() {
            return Scale::ZERO;
        }
        // Make the exponent even so that the square root of 2^e is exact: mantissa in [2^16, 2^18).
        let (m2, e2) = if self.e.rem_euclid(2) == 1 { (self.m << 1, self.e - 1) } else { (self.m, self.e) };
        let r = rsqrt_mantissa(m2);
        // 1/sqrt(m2 * 2^e2) = (r / 2^17) * 2^-((16 + e2) / 2), where 16 + e2 is even.
        Scale::new(r as u128, -17 - (16 + e2) / 2)
    }

    /// `1 / self` through the interpolated table; zero maps to zero.
    pub fn recip(self) -> Scale {
        if self.is_zero() {
            return Scale::ZERO;
        }
        // 1/(m * 2^e) = (r / 2^17) * 2^-(16 + e).
        Scale::new(recip_mantissa(self.m) as u128, -17 - 16 - self.e)
    }

    /// `x * self` with the product shifted by `2^frac` and rounded by `mode`: how an integer
    /// (an accumulator, a code) is turned into a fixed-point value with `frac` fraction bits.
    pub fn apply(self, x: i64, frac: u32, mode: Round) -> i128 {
        crate::round::shift_round(x as i128 * self.m as i128, -(self.e + frac as i32), mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn construction_normalizes_and_rounds_half_even() {
        let s = Scale::from_u64(1);
        assert_eq!((s.mantissa(), s.exponent()), (1 << 16, -16));
        assert_eq!(Scale::from_u64(1), Scale::ONE);
        // 2^17 + 1 has 18 bits: 131073 / 2 = 65536.5 ties to even 65536.
        assert_eq!(Scale::from_u64(131073), Scale::from_parts(65536, 1).unwrap());
        assert_eq!(Scale::from_u64(131075), Scale::from_parts(65538, 1).unwrap());
        // Rounding up past 2^17 renormalizes.
        assert_eq!(Scale::from_u64((1 << 18) - 1), Scale::from_parts(1 << 16, 2).unwrap());
        assert_eq!(Scale::from_f64(0.75).unwrap().to_f64(), 0.75);
        assert_eq!(Scale::from_f64(-1.0), None);
        assert_eq!(Scale::from_f64(f64::NAN), None);
        assert_eq!(Scale::from_parts(5, 0), None);
    }

    #[test]
    fn arithmetic_is_within_half_an_ulp() {
        let vals = [1e-9, 3.7e-6, 0.013, 1.0, 2.5, 127.0, 6912.0, 1.7e7];
        for &a in &vals {
            for &b in &vals {
                let (sa, sb) = (Scale::from_f64(a).unwrap(), Scale::from_f64(b).unwrap());
                let exact_mul = sa.to_f64() * sb.to_f64();
                assert!(rel(sa.mul(sb).to_f64(), exact_mul) <= 2f64.powi(-17), "{a}*{b}");
                let exact_add = sa.to_f64() + sb.to_f64();
                assert!(rel(sa.add(sb).to_f64(), exact_add) <= 2f64.powi(-17), "{a}+{b}");
            }
            let s = Scale::from_f64(a).unwrap();
            assert!(rel(s.rsqrt().to_f64(), 1.0 / s.to_f64().sqrt()) < 2f64.powi(-15), "rsqrt {a}");
            assert!(rel(s.recip().to_f64(), 1.0 / s.to_f64()) < 2f64.powi(-15), "recip {a}");
        }
    }

    #[test]
    fn powers_of_two_invert_exactly() {
        for k in -40..40 {
            let s = Scale::ONE.shl(k);
            assert_eq!(s.recip(), Scale::ONE.shl(-k));
            if k % 2 == 0 {
                assert_eq!(s.rsqrt(), Scale::ONE.shl(-k / 2));
            }
        }
        assert_eq!(Scale::ZERO.recip(), Scale::ZERO);
        assert_eq!(Scale::ZERO.rsqrt(), Scale::ZERO);
    }

    #[test]
    fn tiny_addends_do_not_change_the_sum() {
        let big = Scale::from_u64(1 << 40);
        let tiny = Scale::from_f64(1e-6).unwrap();
        assert_eq!(big.add(tiny), big);
        assert_eq!(tiny.add(Scale::ZERO), tiny);
        assert_eq!(Scale::ZERO.add(Scale::ZERO), Scale::ZERO);
    }

    #[test]
    fn apply_turns_integers_into_fixed_point() {
        let half = Scale::from_f64(0.5).unwrap();
        assert_eq!(half.apply(3, 16, Round::Rne), 3 * 32768);
        assert_eq!(half.apply(3, 0, Round::Rne), 2);
        assert_eq!(half.apply(5, 0, Round::Rne), 2);
        assert_eq!(half.apply(-3, 0, Round::Rhaz), -2);
    }
}
