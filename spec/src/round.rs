//! Named rounding and overflow rules (neuron-models.md section 4.3, NUMERICS.md section 1).
//!
//! Every narrowing in the fixed-point model names one [`Round`] mode and one [`Overflow`] rule, so
//! that software and RTL make the same choice on purpose. Arithmetic is done on `i128`, wide enough
//! for every product in the contract, and narrowed only by [`fit`].

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
