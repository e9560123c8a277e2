//! A pseudo-float for the per-token scalars of the fixed-point model (NUMERICS.md section 4).
//!
//! Scales such as `alpha * rho * M / 127` span many orders of magnitude, so they are carried as a
//! 31-bit normalized mantissa and an exponent: `value = m * 2^e`, `m` in `[2^30, 2^31)` (or `m = 0`).
//! Every operation is exact integer arithmetic followed by one round-half-to-even back to 31 bits,
//! reproducible by a small hardware scalar unit. Reciprocal and reciprocal square root start from an
//! interpolated seed table ([`crate::table`]) and take one Newton step, which brings them to within
//! about one unit in the last place.

use crate::round::{Round, bit_len, shr_round};
use crate::table::{recip_seed, rsqrt_seed};

/// Mantissa bits of a [`Scale`].
pub const SCALE_MANT_BITS: u32 = 31;

/// A non-negative pseudo-float `m * 2^e` with a 31-bit normalized mantissa.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Scale {
    m: u32,
    e: i32,
}

impl Scale {
    /// Zero (mantissa 0, exponent 0).
    pub const ZERO: Scale = Scale { m: 0, e: 0 };
    /// One.
    pub const ONE: Scale = Scale { m: 1 << 30, e: -30 };

    /// `x * 2^e`, rounded half to even to 31 significant bits.
    pub fn new(x: u128, e: i32) -> Scale {
        if x == 0 {
            return Scale::ZERO;
        }
        let b = bit_len(x);
        if b <= SCALE_MANT_BITS {
            let l = SCALE_MANT_BITS - b;
            return Scale {
                m: (x << l) as u32,
                e: e - l as i32,
            };
        }
        let s = b - SCALE_MANT_BITS;
        let m = shr_round(x as i128, s, Round::Rne) as u64;
        if m == 1 << SCALE_MANT_BITS {
            Scale {
                m: 1 << (SCALE_MANT_BITS - 1),
                e: e + s as i32 + 1,
            }
        } else {
            Scale {
                m: m as u32,
                e: e + s as i32,
            }
        }
    }

    /// Rebuilds a scale from a stored mantissa and exponent, checking normalization.
    pub fn from_parts(m: u32, e: i32) -> Option<Scale> {
        match m {
            0 if e == 0 => Some(Scale::ZERO),
            m if (1 << 30..1 << 31).contains(&m) => Some(Scale { m, e }),
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
        let (mant, exp) = if biased == 0 {
            (frac, -1074)
        } else {
            (frac | 1 << 52, biased - 1075)
        };
        Some(Scale::new(mant as u128, exp))
    }

    /// The 31-bit mantissa (0 for zero).
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

    /// The real value (for reports and comparisons only).
    pub fn to_f64(self) -> f64 {
        self.m as f64 * 2f64.powi(self.e)
    }

    /// `1 / sqrt(self)`: seed from the table, then one Newton step `r (3 - x r^2) / 2` in integers.
    /// Zero maps to zero (callers add epsilon first).
    pub fn rsqrt(self) -> Scale {
        if self.is_zero() {
            return Scale::ZERO;
        }
        // Even exponent so the square root of 2^e is exact: x = m2 / 2^30 in [1, 4).
        let (m2, e2) = if self.e.rem_euclid(2) == 1 {
            ((self.m as u64) << 1, self.e - 1)
        } else {
            (self.m as u64, self.e)
        };
        let r0 = rsqrt_seed(m2) as u128; // ~ 2^30 / sqrt(x)
        let y = m2 as u128 * r0 * r0; // x * r0^2 * 2^90
        let d = (3u128 << 90) - y; // (3 - x r0^2) * 2^90, positive for any seed within 1%
        let r1 = shr_round((r0 * d) as i128, 90, Round::Rne) as u128; // ~ 2^31 / sqrt(x)
        // 1/sqrt(m2 * 2^e2) = (r1 / 2^31) * 2^-((30 + e2) / 2).
        Scale::new(r1, -31 - (30 + e2) / 2)
    }

    /// `1 / self`: seed from the table, then one Newton step `r (2 - x r)` in integers.
    /// Zero maps to zero.
    pub fn recip(self) -> Scale {
        if self.is_zero() {
            return Scale::ZERO;
        }
        let m = self.m as u128; // x = m / 2^30 in [1, 2)
        let r0 = recip_seed(self.m) as u128; // ~ 2^30 / x
        let d = (2u128 << 60) - m * r0; // (2 - x r0) * 2^60
        let r1 = shr_round((r0 * d) as i128, 59, Round::Rne) as u128; // ~ 2^31 / x
        // 1/(m * 2^e) = (r1 / 2^31) * 2^-(30 + e).
        Scale::new(r1, -31 - 30 - self.e)
    }

    /// `x * self` as an exact wide integer at exponent `self.exponent()` (the caller normalizes).
    pub fn times(self, x: i64) -> i128 {
        x as i128 * self.m as i128
    }
}

impl std::ops::Mul for Scale {
    type Output = Scale;
    /// Product, rounded once.
    fn mul(self, o: Scale) -> Scale {
        Scale::new(self.m as u128 * o.m as u128, self.e + o.e)
    }
}

impl std::ops::Add for Scale {
    type Output = Scale;
    /// Sum, rounded once. An addend whose exponent is more than 64 below the other's is below a
    /// quarter of an ulp of the result and cannot change it, so it is dropped before aligning.
    fn add(self, o: Scale) -> Scale {
        let (hi, lo) = if self.e >= o.e { (self, o) } else { (o, self) };
        if lo.is_zero() || hi.is_zero() || hi.e - lo.e > 64 {
            return if hi.is_zero() { lo } else { hi };
        }
        let shift = (hi.e - lo.e) as u32;
        Scale::new(((hi.m as u128) << shift) + lo.m as u128, lo.e)
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
        assert_eq!(Scale::from_u64(1), Scale::ONE);
        let s = Scale::from_u64((1 << 31) + 1); // 32 bits: 2^30 + 0.5 ties to even 2^30
        assert_eq!(s, Scale::from_parts(1 << 30, 1).unwrap());
        let s = Scale::from_u64((1 << 31) + 3); // 2^30 + 1.5 -> 2^30 + 2
        assert_eq!(s, Scale::from_parts((1 << 30) + 2, 1).unwrap());
        assert_eq!(
            Scale::from_u64((1 << 32) - 1),
            Scale::from_parts(1 << 30, 2).unwrap()
        );
        assert_eq!(Scale::from_f64(0.75).unwrap().to_f64(), 0.75);
        assert_eq!(Scale::from_f64(-1.0), None);
        assert_eq!(Scale::from_f64(f64::NAN), None);
        assert_eq!(Scale::from_parts(5, 0), None);
    }

    #[test]
    fn arithmetic_is_within_half_an_ulp() {
        let vals = [1e-9, 3.7e-6, 0.013, 1.0, 2.5, 127.0, 6912.0, 1.7e7, 9.99e20];
        for &a in &vals {
            for &b in &vals {
                let (sa, sb) = (Scale::from_f64(a).unwrap(), Scale::from_f64(b).unwrap());
                let exact_mul = sa.to_f64() * sb.to_f64();
                assert!(
                    rel((sa * sb).to_f64(), exact_mul) <= 2f64.powi(-31),
                    "{a}*{b}"
                );
                let exact_add = sa.to_f64() + sb.to_f64();
                assert!(
                    rel((sa + sb).to_f64(), exact_add) <= 2f64.powi(-31),
                    "{a}+{b}"
                );
            }
        }
    }

    #[test]
    fn rsqrt_and_recip_are_within_two_ulps_everywhere() {
        // Sweep mantissas densely over a binade pair and check against f64 (exact to 2^-52).
        let mut worst = (0f64, 0f64);
        for i in 0..200_000u64 {
            let m = (1u64 << 30) + i * 5368; // spans [2^30, 2^31)
            for e in [-40, -31, -30, 7] {
                let s = Scale::from_parts(m as u32, e).unwrap();
                let x = s.to_f64();
                worst.0 = worst.0.max(rel(s.rsqrt().to_f64(), 1.0 / x.sqrt()));
                worst.1 = worst.1.max(rel(s.recip().to_f64(), 1.0 / x));
            }
        }
        assert!(
            worst.0 < 2.0 * 2f64.powi(-30) && worst.1 < 2.0 * 2f64.powi(-30),
            "{worst:?}"
        );
    }

    #[test]
    fn powers_of_two_invert_exactly() {
        for k in -40..40 {
            let s = Scale::ONE.shl(k);
            assert_eq!(s.recip(), Scale::ONE.shl(-k), "recip 2^{k}");
            if k % 2 == 0 {
                assert_eq!(s.rsqrt(), Scale::ONE.shl(-k / 2), "rsqrt 2^{k}");
            }
        }
        assert_eq!(Scale::ZERO.recip(), Scale::ZERO);
        assert_eq!(Scale::ZERO.rsqrt(), Scale::ZERO);
    }

    #[test]
    fn tiny_addends_do_not_change_the_sum() {
        let big = Scale::from_u64(1 << 40);
        let tiny = Scale::from_f64(1e-30).unwrap();
        assert_eq!(big + tiny, big);
        assert_eq!(tiny + Scale::ZERO, tiny);
        assert_eq!(Scale::ZERO + Scale::ZERO, Scale::ZERO);
    }

    impl Scale {
        fn shl(self, k: i32) -> Scale {
            Scale {
                m: self.m,
                e: self.e + k,
            }
        }
    }
}
