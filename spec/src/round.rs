//! Named rounding and overflow rules (neuron-models.md section 4.3, NUMERICS.md section 1).
//!
//! Every narrowing in the fixed-point model names one [`Round`] mode and one [`Overflow`] rule, so
//! that software and RTL make the same choice on purpose. Arithmetic is done on `i128`, wide enough
//! for every product in the contract, and narrowed only by [`fit`].
//!
//! [`shr_rne_i64`], [`rne_i64`] and [`shr_rhaz_i64`] are the two roundings of the vector
//! primitives on `i64`, branch-free so that their loops vectorize: every wide value of those
//! primitives fits `i64` (the bound is beside each primitive in [`crate::ops`]). They return
//! exactly what [`shr_round`] returns, for every `i64` input and every shift they accept.

use serde::{Deserialize, Serialize};

/// How a right shift by `n` bits (a division by `2^n`) rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Round {
    /// Toward minus infinity: the plain arithmetic shift `z >> n`.
    Floor,
    /// Toward zero: `sign(z) * (|z| >> n)` (Loihi/lava decays).
    Rtz,
    /// Half up: `(z + 2^(n-1)) >> n` (QSD's `floor(x + 0.5)`).
    Rhu,
    /// Half away from zero: `sign(z) * ((|z| + 2^(n-1)) >> n)` (CUDA `roundf`, lava `loihi2round`).
    Rhaz,
    /// Half to even (IEEE default, `torch.round`).
    Rne,
}

/// What happens when a value does not fit its destination width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Overflow {
    /// Two's-complement wrap.
    Wrap,
    /// lava's 24-bit wrap with its boundary quirks (neuron-models.md section 2.4): `+2^(W-1)` stays,
    /// `-2^(W-1)` becomes `+2^(W-1)`, so the result needs one bit more than `W` to be stored.
    WrapLava,
    /// Saturate to `[-2^(W-1), 2^(W-1) - 1]`.
    Sat,
    /// Saturate symmetrically to `[-(2^(W-1) - 1), 2^(W-1) - 1]`.
    SatSym,
}

/// `z / 2^n` rounded by `mode`; `n = 0` returns `z` unchanged.
pub fn shr_round(z: i128, n: u32, mode: Round) -> i128 {
    if n == 0 {
        return z;
    }
    // Beyond 126 bits every i128 shifts to 0 or -1 before rounding; clamp to keep shifts defined.
    let n = n.min(126);
    let half = 1i128 << (n - 1);
    match mode {
        Round::Floor => z >> n,
        Round::Rtz => z.signum() * (z.abs() >> n),
        Round::Rhu => (z + half) >> n,
        Round::Rhaz => z.signum() * ((z.abs() + half) >> n),
        Round::Rne => {
            let q = z >> n;
            let r = z - (q << n);
            if r > half || (r == half && q & 1 == 1) {
                q + 1
            } else {
                q
            }
        }
    }
}

/// `z * 2^-s` rounded by `mode`: a right shift with rounding when `s > 0`, an exact left shift when
/// `s <= 0` (the caller narrows with [`fit`]). Left shifts beyond 100 bits are clamped to 100 and the
/// product saturates at the `i128` range; both already overflow every destination format.
pub fn shift_round(z: i128, s: i32, mode: Round) -> i128 {
    if s >= 0 {
        shr_round(z, s as u32, mode)
    } else {
        let l = (-s).min(100) as u32;
        z.saturating_mul(1i128 << l)
    }
}

/// Narrows `z` to a `w`-bit signed value by `mode` (`1 <= w <= 64`).
pub fn fit(z: i128, w: u32, mode: Overflow) -> i64 {
    debug_assert!((1..=64).contains(&w));
    let m = 1i128 << (w - 1);
    let v = match mode {
        Overflow::Wrap => ((z + m).rem_euclid(2 * m)) - m,
        Overflow::WrapLava => {
            let y = if z > m { z - 2 * m } else { z };
            if y <= -m { z + 2 * m } else { y }
        }
        Overflow::Sat => z.clamp(-m, m - 1),
        Overflow::SatSym => z.clamp(-(m - 1), m - 1),
    };
    v as i64
}

/// Saturates to `i32`, the width of every activation in the contract.
pub fn sat32(z: i128) -> i32 {
    fit(z, 32, Overflow::Sat) as i32
}

/// `z / 2^n` rounded half to even: equal to `shr_round(z as i128, n, Round::Rne)` for every `z`
/// and `n` (the fast path of the vector primitives).
#[inline(always)]
pub fn shr_rne_i64(z: i64, n: u32) -> i64 {
    match n {
        0 => z,
        // |z| <= 2^63 <= 2^(n-1): the quotient is at most one half, and a tie rounds to even 0.
        64.. => 0,
        _ => rne_i64(z, n),
    }
}

/// [`shr_rne_i64`] for `1 <= n <= 63`, without branches (so loops over it vectorize).
#[inline(always)]
pub fn rne_i64(z: i64, n: u32) -> i64 {
    debug_assert!((1..=63).contains(&n));
    // z = q 2^n + r with 0 <= r < 2^n; round up iff r > half, or r == half and q is odd, that is
    // iff r + (q & 1) + half - 1 >= 2^n. The sum is below 2^n + 2^(n-1) < 2^64: no overflow.
    let q = z >> n;
    let r = z as u64 & ((1u64 << n) - 1);
    let half = 1u64 << (n - 1);
    q + ((r + (q as u64 & 1) + half - 1) >> n) as i64
}

/// [`rne_i64`] of a non-negative value, `1 <= n <= 63`: logical shifts only, which AVX2 has for
/// 64-bit lanes (it has no 64-bit arithmetic shift). Rounding half to even is symmetric,
/// `rne(-x) = -rne(x)`, so signed products are rounded as magnitudes and signed afterwards.
#[inline(always)]
pub fn rne_u64(p: u64, n: u32) -> u64 {
    debug_assert!((1..=63).contains(&n));
    let q = p >> n;
    let r = p & ((1u64 << n) - 1);
    q + ((r + (q & 1) + (1u64 << (n - 1)) - 1) >> n)
}

/// `z / 2^n` rounded half away from zero, for `1 <= n <= 63`: equal to
/// `shr_round(z as i128, n, Round::Rhaz)` there (the activation codes' rounding). Branch-free.
#[inline(always)]
pub fn shr_rhaz_i64(z: i64, n: u32) -> i64 {
    debug_assert!((1..=63).contains(&n));
    // |z| <= 2^63 and half <= 2^62, so |z| + half < 2^64; the quotient is below 2^63. The sign is
    // put back as (m ^ s) - s with s = 0 or -1.
    let m = ((z.unsigned_abs() + (1u64 << (n - 1))) >> n) as i64;
    let s = z >> 63;
    (m ^ s) - s
}

/// Number of bits needed to write the unsigned value `x` (0 for 0).
pub const fn bit_len(x: u128) -> u32 {
    128 - x.leading_zeros()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rounds `z / 2^n` with exact rational arithmetic, written independently of `shr_round`.
    fn oracle(z: i128, n: u32, mode: Round) -> i128 {
        let d = 1i128 << n;
        let fl = z.div_euclid(d);
        let rem = z.rem_euclid(d); // z = fl*d + rem, 0 <= rem < d
        let twice = 2 * rem;
        match mode {
            Round::Floor => fl,
            Round::Rtz => {
                if z < 0 && rem != 0 {
                    fl + 1
                } else {
                    fl
                }
            }
            Round::Rhu => {
                if twice >= d {
                    fl + 1
                } else {
                    fl
                }
            }
            Round::Rhaz => {
                if twice > d || (twice == d && z > 0) {
                    fl + 1
                } else {
                    fl
                }
            }
            Round::Rne => {
                if twice > d || (twice == d && fl.rem_euclid(2) == 1) {
                    fl + 1
                } else {
                    fl
                }
            }
        }
    }

    const MODES: [Round; 5] = [
        Round::Floor,
        Round::Rtz,
        Round::Rhu,
        Round::Rhaz,
        Round::Rne,
    ];

    #[test]
    fn rounding_matches_rational_oracle_exhaustively_on_small_values() {
        for n in 0..8 {
            for z in -1024i128..=1024 {
                for mode in MODES {
                    assert_eq!(
                        shr_round(z, n, mode),
                        oracle(z, n, mode),
                        "z={z} n={n} {mode:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn rounding_ties_follow_their_names() {
        // v/θ = 0.5, 1.5, 2.5, -0.5, -1.5 with θ = 2 (n = 1): neuron-models.md T6 style ties.
        let z = [1i128, 3, 5, -1, -3];
        let expect = |m| match m {
            Round::Floor => [0, 1, 2, -1, -2],
            Round::Rtz => [0, 1, 2, 0, -1],
            Round::Rhu => [1, 2, 3, 0, -1],
            Round::Rhaz => [1, 2, 3, -1, -2],
            Round::Rne => [0, 2, 2, 0, -2],
        };
        for mode in MODES {
            let got: Vec<i128> = z.iter().map(|&v| shr_round(v, 1, mode)).collect();
            assert_eq!(got, expect(mode), "{mode:?}");
        }
    }

    #[test]
    fn rounding_extremes_do_not_overflow() {
        for mode in MODES {
            for n in [1, 30, 63, 64, 100, 126, 200] {
                let hi = shr_round(i64::MAX as i128, n, mode);
                let lo = shr_round(i64::MIN as i128, n, mode);
                assert!(hi >= 0 && lo <= 0, "{mode:?} n={n}");
            }
        }
        assert_eq!(shr_round(-1, 200, Round::Floor), -1);
        assert_eq!(shr_round(-1, 200, Round::Rtz), 0);
    }

    #[test]
    fn overflow_rules_at_24_bits() {
        let m = 1i128 << 23;
        assert_eq!(fit(m, 24, Overflow::Wrap), -(m as i64));
        assert_eq!(fit(-m, 24, Overflow::Wrap), -(m as i64));
        assert_eq!(fit(m + 5, 24, Overflow::Wrap), -(m as i64) + 5);
        // lava quirks, neuron-models.md section 2.4 and vectors T4a/T4b.
        assert_eq!(fit(m, 24, Overflow::WrapLava), m as i64);
        assert_eq!(fit(-m, 24, Overflow::WrapLava), m as i64);
        assert_eq!(fit(m + 5, 24, Overflow::WrapLava), -(m as i64) + 5);
        assert_eq!(fit(-m - 5, 24, Overflow::WrapLava), m as i64 - 5);
        assert_eq!(fit(m, 24, Overflow::Sat), m as i64 - 1);
        assert_eq!(fit(-m - 9, 24, Overflow::Sat), -(m as i64));
        assert_eq!(fit(-m, 24, Overflow::SatSym), -(m as i64) + 1);
        assert_eq!(fit(12345, 24, Overflow::SatSym), 12345);
    }

    #[test]
    fn wrap_agrees_with_native_twos_complement() {
        for z in [-70000i128, -32769, -32768, -1, 0, 1, 32767, 32768, 99999] {
            assert_eq!(fit(z, 16, Overflow::Wrap), z as i16 as i64);
        }
    }

    /// `i64` values where rounding changes: powers of two and their neighbours, ties, the ends.
    fn edge_values() -> Vec<i64> {
        let mut v = vec![
            0,
            1,
            -1,
            2,
            -2,
            3,
            -3,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
            i64::MAX - 1,
        ];
        for b in 0..63 {
            for d in [-1i64, 0, 1] {
                v.push((1i64 << b) + d);
                v.push(-(1i64 << b) + d);
                v.push((3i64 << b >> 1) + d);
                v.push(-(3i64 << b >> 1) + d);
            }
        }
        v
    }

    #[test]
    fn i64_roundings_equal_the_i128_rules() {
        let mut values = edge_values();
        // A fixed linear congruential sequence spread over every magnitude.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..20_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            values.push((x as i64) >> (i % 64));
        }
        for &z in &values {
            for n in 0..=70 {
                let want = shr_round(z as i128, n, Round::Rne);
                assert_eq!(shr_rne_i64(z, n) as i128, want, "rne z={z} n={n}");
                if (1..=63).contains(&n) {
                    assert_eq!(rne_i64(z, n) as i128, want, "rne z={z} n={n}");
                    let mag = shr_round(z.unsigned_abs() as i128, n, Round::Rne);
                    assert_eq!(
                        rne_u64(z.unsigned_abs(), n) as i128,
                        mag,
                        "rne |z|={z} n={n}"
                    );
                    let want = shr_round(z as i128, n, Round::Rhaz);
                    assert_eq!(shr_rhaz_i64(z, n) as i128, want, "rhaz z={z} n={n}");
                }
            }
        }
    }

    #[test]
    fn left_shifts_are_exact_and_bounded() {
        assert_eq!(shift_round(3, -4, Round::Rne), 48);
        assert_eq!(shift_round(-3, -4, Round::Rne), -48);
        assert_eq!(sat32(shift_round(1, -100, Round::Rne)), i32::MAX);
        assert_eq!(bit_len(0), 0);
        assert_eq!(bit_len(1), 1);
        assert_eq!(bit_len(131071), 17);
    }
}
