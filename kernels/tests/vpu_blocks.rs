//! Each arithmetic block of the vector unit under Verilator (DESIGN.md section 3, rung 2): its
//! emitted Verilog driven with random rows, every output compared exactly with the spec crate's
//! functions (`mmfree_spec::{ops, round, table, scale}`) at the block's documented latency.
//! Every check prints its seed and the first mismatch.

mod common;

use common::{first_mismatch, lanes_s, mantissa, pack, port_words, verilate};
use mmfree_kernels::vpu::config::{SHIFT_BITS, WIDE_BITS, WORD_BITS};
use mmfree_kernels::vpu::normalizer::{NORMALIZER_LATENCY, Normalizer};
use mmfree_sim::Batch;
use mmfree_spec::round::{Round, shift_round};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const L: usize = 4;

/// Random wide values for shift `k <= 34` (a 65-bit lane): `|w| < 2^(30 + k)` (the normalizer's precondition), with
/// exact ties (`w` an odd multiple of `2^(k-1)`) one time in four.
fn wide_for_shift(rng: &mut ChaCha8Rng, k: i32) -> i128 {
    let top = 30 + k;
    let w = match rng.gen_range(0..4) {
        0 if k > 0 => {
            let half = 1i128 << (k - 1);
            let odd = 2 * rng.gen_range(0..1i128 << (top - k).min(40)) + 1;
            odd * half
        }
        1 => (1i128 << top) - 1,
        _ => rng.gen_range(0..1i128 << top),
    };
    if rng.gen_bool(0.5) { -w } else { w }
}

#[test]
fn normalizer_rounds_like_shift_round() -> anyhow::Result<()> {
    let seed = 11;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = verilate(
        Normalizer::<L, { 65 * L }, { 32 * L }, { 8 * L }>::new()?,
        "vpu_norm_t",
    )?;
    let ports = [m.port("in_valid")?, m.port("in_wide")?, m.port("shift")?];
    let outs = [
        m.port("out_valid")?,
        m.port("out_data")?,
        m.port("out_codes")?,
    ];
    let cycles = 40_000;
    let mut batch = Batch::new(&ports, &outs, cycles)?;
    let mut want = Vec::new();
    let mut k = 0;
    for c in 0..cycles {
        if c % 16 == 0 {
            k = rng.gen_range(-30..=34);
        }
        let valid = rng.gen_bool(0.8);
        let w: Vec<i128> = (0..L).map(|_| wide_for_shift(&mut rng, k)).collect();
        batch.set(c, 0, valid as u64)?;
        batch.set_words(c, 1, &pack(&w, WIDE_BITS))?;
        batch.set_words(c, 2, &port_words(k as i128, SHIFT_BITS))?;
        let out: Vec<i128> = w.iter().map(|&x| shift_round(x, k, Round::Rne)).collect();
        want.push((valid, out));
    }
    m.run(&mut batch)?;
    let mut got = Vec::new();
    for c in NORMALIZER_LATENCY - 1..cycles {
        let data = lanes_s(batch.get_words(c, 1)?, L, WORD_BITS);
        let codes = lanes_s(batch.get_words(c, 2)?, L, 8);
        for (d, code) in data.iter().zip(&codes) {
            assert_eq!(
                *d as i8 as i128, *code,
                "codes are the low bytes, seed {seed} cycle {c}"
            );
        }
        got.push((batch.get(c, 0)? == 1, data));
    }
    want.truncate(got.len());
    assert_eq!(first_mismatch(&got, &want), None, "seed {seed}");
    assert!(mantissa(&mut rng).unsigned_abs() <= 1 << 30);
    Ok(())
}
