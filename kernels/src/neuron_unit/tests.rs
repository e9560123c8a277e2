//! rust-hdl simulations of the neuron unit's arithmetic blocks against the spec crate's
//! definitions (DESIGN.md section 3, rung 1): [`RoundShift`] against `round::shr_round`,
//! [`FitState`] against `neuron::fit_state`, [`MulRound`] against `shr_round` of the exact product,
//! every mode, with the extremes of each width among seeded random values.

use mmfree_spec::neuron::fit_state;
use mmfree_spec::neuron::regs::{overflow_code, round_code};
use mmfree_spec::round::{Overflow, Round, shr_round};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::*;

use super::bits::{from_bits, to_bits};
use super::fit::{FIT_LATENCY, FitState};
use super::mul_round::{MUL_ROUND_LATENCY, MulRound};
use super::round_shift::{ROUND_LATENCY, RoundShift};

const ROUNDS: [Round; 5] = [
    Round::Floor,
    Round::Rtz,
    Round::Rhu,
    Round::Rhaz,
    Round::Rne,
];
const OVERFLOWS: [Overflow; 4] = [
    Overflow::Wrap,
    Overflow::WrapLava,
    Overflow::Sat,
    Overflow::SatSym,
];

/// Extremes and near-extremes of an `n`-bit two's-complement value, then random ones.
fn values(rng: &mut ChaCha8Rng, n: u32, count: usize) -> Vec<i128> {
    let m = 1i128 << (n - 1);
    let mut v = vec![
        0,
        1,
        -1,
        2,
        -2,
        m - 1,
        -m,
        -m + 1,
        m / 2,
        -m / 2,
        3,
        -3,
        5,
        -5,
    ];
    v.extend((0..count).map(|_| {
        let bits = rng.gen_range(1..n);
        rng.gen_range(-(1i128 << (bits - 1))..(1i128 << (bits - 1)))
    }));
    v
}

/// Settles the block with the clock low, then with a rising edge.
fn cycle<B: Block>(uut: &mut B, clock: impl Fn(&mut B, bool)) {
    for level in [false, true] {
        clock(uut, level);
        assert!(simulate(uut, 100), "logic did not settle");
    }
}

#[test]
fn round_shift_equals_shr_round_in_every_mode() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut uut = RoundShift::<52>::default();
    uut.connect_all();
    uut.ce.next = true;
    let zs = values(&mut rng, 52, 200);
    let mut checked = 0;
    for mode in ROUNDS {
        for n in 0..=31u32 {
            uut.n.next = (n as u64).into();
            uut.mode.next = round_code(mode).into();
            let mut outs = Vec::new();
            for z in zs.iter().chain(&[0; ROUND_LATENCY]) {
                uut.z.next = to_bits(*z);
                cycle(&mut uut, |u, c| u.clock.next = Clock::from(c));
                outs.push(from_bits(uut.q.val()));
            }
            for (z, got) in zs.iter().zip(&outs[ROUND_LATENCY - 1..]) {
                assert_eq!(*got, shr_round(*z, n, mode), "RND({z}, {n}, {mode:?})");
                checked += 1;
            }
        }
    }
    assert!(checked > 30_000);
}

#[test]
fn fit_state_equals_the_reference_at_every_width_and_rule() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut uut = FitState::<52>::default();
    uut.connect_all();
    uut.ce.next = true;
    let mut zs = values(&mut rng, 52, 300);
    for w in [16i128, 24, 32] {
        let m = 1i128 << (w - 1);
        zs.extend([
            m,
            m - 1,
            m + 1,
            -m,
            -m - 1,
            -m + 1,
            2 * m,
            -2 * m,
            3 * m,
            -3 * m,
        ]);
    }
    for (code, w) in [(0u64, 16i64), (1, 24), (2, 32)] {
        for ovf in OVERFLOWS {
            uut.w.next = code.into();
            uut.ovf.next = overflow_code(ovf).into();
            let mut outs = Vec::new();
            for z in zs.iter().chain(&[0; FIT_LATENCY]) {
                uut.z.next = to_bits(*z);
                cycle(&mut uut, |u, c| u.clock.next = Clock::from(c));
                outs.push(from_bits(uut.q.val()));
            }
            for (z, got) in zs.iter().zip(&outs[FIT_LATENCY - 1..]) {
                assert_eq!(
                    *got,
                    fit_state(*z, w, ovf) as i128,
                    "FIT({z}, {w}, {ovf:?})"
                );
            }
        }
    }
}

#[test]
fn mul_round_is_the_rounded_exact_product() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut uut = MulRound::<52, 32, 84>::default();
    uut.connect_all();
    uut.ce.next = true;
    let a = values(&mut rng, 52, 60);
    let b = values(&mut rng, 32, 60);
    for (mode, n) in [
        (Round::Rne, 30u32),
        (Round::Rtz, 0),
        (Round::Rhaz, 17),
        (Round::Floor, 1),
    ] {
        uut.n.next = (n as u64).into();
        uut.mode.next = round_code(mode).into();
        let pairs: Vec<(i128, i128)> = a
            .iter()
            .zip(b.iter().cycle())
            .map(|(x, y)| (*x, *y))
            .collect();
        let mut outs = Vec::new();
        for (x, y) in pairs.iter().chain(&[(0, 0); MUL_ROUND_LATENCY]) {
            uut.a.next = to_bits(*x);
            uut.b.next = to_bits(*y);
            cycle(&mut uut, |u, c| u.clock.next = Clock::from(c));
            outs.push(from_bits(uut.q.val()));
        }
        for ((x, y), got) in pairs.iter().zip(&outs[MUL_ROUND_LATENCY - 1..]) {
            assert_eq!(
                *got,
                shr_round(x * y, n, mode),
                "RND({x} * {y}, {n}, {mode:?})"
            );
        }
    }
}

#[test]
fn a_disabled_clock_enable_holds_the_pipeline() {
    let mut uut = RoundShift::<33>::default();
    uut.connect_all();
    uut.n.next = 1u64.into();
    uut.mode.next = round_code(Round::Rne).into();
    uut.ce.next = true;
    for z in [5i128, 7] {
        uut.z.next = to_bits(z);
        cycle(&mut uut, |u, c| u.clock.next = Clock::from(c));
    }
    uut.ce.next = false;
    uut.z.next = to_bits(100);
    for _ in 0..5 {
        cycle(&mut uut, |u, c| u.clock.next = Clock::from(c));
        assert_eq!(
            from_bits(uut.q.val()),
            2,
            "RND(5, 1) = 2 stays while ce is low"
        );
    }
    uut.ce.next = true;
    cycle(&mut uut, |u, c| u.clock.next = Clock::from(c));
    assert_eq!(
        from_bits(uut.q.val()),
        4,
        "then RND(7, 1) = 4 (half to even)"
    );
}
