//! The fast vector primitives of `mmfree_spec::ops` against their plain definition
//! (`ops::plain`, NUMERICS.md section 5), bit for bit, the candle `vec_dot` / `vec_dot_unopt`
//! pattern: random vectors of every kind (normalized, raw `i32`, small, sparse, all zero, built from
//! edge values such as `±2^30`, `2^31 - 1`, `-2^31`), exponents equal, adjacent and far apart
//! (including `ZERO_EXP`), gates `0` and `2^30` and beyond, sigmoid inputs beyond `±32`, and code
//! ties. Every failure names the seed, the case, the primitive and the first differing element.
//! These run the copy the CPU selects (AVX2 where present); `ops_portable_equals_plain.rs` runs
//! the portable copy.
//!
//! The default tier runs a few million elements per primitive; the soak tier (`#[ignore]`) runs
//! a few hundred million over other seeds.

mod common;

use common::{EDGES, Gen, run};
use mmfree_spec::format::GATE_ONE;
use mmfree_spec::ops::{self, plain};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[test]
fn fast_primitives_equal_plain_on_random_vectors() {
    // About 3 million elements per primitive.
    run(2406, 3000);
}

#[test]
#[ignore = "soak: a few hundred million elements per primitive"]
fn soak_fast_primitives_equal_plain() {
    for seed in 1..=100 {
        run(seed, 3000);
    }
}

#[test]
fn sigmoid_equals_plain_beyond_the_table_and_at_every_segment_edge() {
    // Q7.24 inputs: every segment boundary and its neighbours, the clamp limits, far beyond.
    let lim = (32i64 << 24) - 1;
    let mut zs = vec![
        0,
        1,
        -1,
        lim,
        -lim,
        lim + 1,
        -lim - 1,
        1 << 40,
        -(1 << 40),
        i64::MAX,
        i64::MIN + 1,
    ];
    for seg in 0..=512i64 {
        for d in [-1, 0, 1, (1 << 19), (1 << 20) - 1] {
            zs.push((seg << 20) + d);
            zs.push(-(seg << 20) - d);
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    zs.extend((0..1_000_000).map(|_| rng.gen_range(-(40i64 << 24)..40 << 24)));
    for z in zs {
        assert_eq!(
            mmfree_spec::table::sigmoid_q24(z),
            plain::sigmoid_q24(z),
            "sigmoid_q24 z={z}"
        );
    }
    // Elements whose exponents put them far beyond ±32 (left shifts that saturate) or far below.
    for e in -80..=40 {
        for &m in EDGES.iter().chain(&[5, -5, 1 << 20, -(1 << 20)]) {
            assert_eq!(
                ops::sigmoid_element(m, e),
                plain::sigmoid_element(m, e),
                "sigmoid_element m={m} e={e}"
            );
        }
    }
}

#[test]
#[ignore = "soak: every Q7.24 sigmoid input"]
fn soak_sigmoid_equals_plain_on_every_q24_input() {
    let lim = 32i64 << 24;
    for z in -lim..=lim {
        assert_eq!(
            mmfree_spec::table::sigmoid_q24(z),
            plain::sigmoid_q24(z),
            "sigmoid_q24 z={z}"
        );
    }
}

#[test]
fn lower_bound_mix_equals_plain() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let edges = [
        0,
        1,
        2,
        (1 << 29) - 1,
        1 << 29,
        (1 << 29) + 1,
        GATE_ONE - 1,
        GATE_ONE,
    ];
    let mut pairs: Vec<(u32, u32)> = edges
        .iter()
        .flat_map(|&s| edges.map(|lb| (s, lb)))
        .collect();
    pairs
        .extend((0..1_000_000).map(|_| (rng.gen_range(0..=GATE_ONE), rng.gen_range(0..=GATE_ONE))));
    for (s, lb) in pairs {
        assert_eq!(
            ops::lower_bound_mix(s, lb),
            plain::lower_bound_mix(s, lb),
            "lower_bound_mix s={s} lb={lb}"
        );
    }
}

#[test]
fn quantize_with_known_rms_equals_quantize() {
    let mut g = Gen(ChaCha8Rng::seed_from_u64(13));
    for i in 0..500 {
        let n = g.len();
        let (y, gamma) = (g.bfp(n), g.bfp(n));
        let alpha = g.scale();
        let (mut q1, mut q2) = (vec![0i8; n], vec![0i8; n]);
        let s1 = ops::quantize(&y, &gamma, alpha, &mut q1);
        let s2 = ops::quantize_with_rms(&y, &gamma, alpha, ops::rms(&y), &mut q2);
        assert_eq!((s1, &q1), (s2, &q2), "case {i}");
    }
}
