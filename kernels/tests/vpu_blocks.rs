//! Each arithmetic block of the vector unit under Verilator (DESIGN.md section 3, rung 2): its
//! emitted Verilog driven with random rows, every output compared exactly with the spec crate's
//! functions (`mmfree_spec::{ops, round, table, scale}`) at the block's documented latency.
//! Every check prints its seed and the first mismatch. The default tier keeps the blocks whose
//! input space the whole-unit tests (tests/vpu_ops.rs) cannot sweep (the scalar unit's programs,
//! the exponent unit over the i32 range); the others, whose every output the whole-unit tests
//! check element by element, run in the soak tier (`--ignored`), saving their Verilator builds.

mod common;

use common::{first_mismatch, lanes_s, mantissa, pack, port_words, verilate};
use mmfree_kernels::vpu::align::{ALIGN_LATENCY, AlignUnit};
use mmfree_kernels::vpu::config::{SHIFT_BITS, WIDE_BITS, WORD_BITS};
use mmfree_kernels::vpu::exponent::{ExpInputs, ExpMode, ExpUnit, exp_unit};
use mmfree_kernels::vpu::gates::{GATE_LATENCY, GateUnit};
use mmfree_kernels::vpu::normalizer::{NORMALIZER_LATENCY, Normalizer};
use mmfree_kernels::vpu::product::{PRODUCT_LATENCY, ProductMode, ProductUnit};
use mmfree_kernels::vpu::reduction::{Reduction, reduction_latency};
use mmfree_kernels::vpu::scalar::{ScalarProgram, ScalarUnit, scalar_cycles};
use mmfree_kernels::vpu::select::{Family, LaneSelect};
use mmfree_kernels::vpu::sigmoid::{SIGMOID_LATENCY, SigmoidUnit};
use mmfree_sim::Batch;
use mmfree_spec::Scale;
use mmfree_spec::format::ZERO_EXP;
use mmfree_spec::ops;
use mmfree_spec::round::{Round, bit_len, shift_round};
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
#[ignore = "soak tier: covered element by element through the whole unit in vpu_ops"]
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

/// One pass of the reduction test: per row the lanes' (wide, square, umag), and the vector length.
struct ReductionPass {
    rows: Vec<Vec<(i128, u128, u128)>>,
    len: usize,
}

/// The expected results, written independently of the unit's tree order: `bit_len` of the
/// largest magnitude, the plain sum, the plain maximum, and the first index of the maximum.
fn reduction_oracle(p: &ReductionPass) -> (u32, u128, u128, u32) {
    let elems: Vec<&(i128, u128, u128)> = p.rows.iter().flatten().take(p.len).collect();
    let max_mag = p
        .rows
        .iter()
        .flatten()
        .map(|e| e.0.unsigned_abs())
        .max()
        .unwrap_or(0);
    let sum = p.rows.iter().flatten().map(|e| e.1).sum();
    let umax = p.rows.iter().flatten().map(|e| e.2).max().unwrap_or(0);
    let values: Vec<i32> = elems.iter().map(|e| e.0 as i32).collect();
    let best = values.iter().copied().max().unwrap_or(i32::MIN);
    let first = values.iter().position(|&v| v == best).unwrap_or(0);
    (bit_len(max_mag), sum, umax, first as u32)
}

#[test]
#[ignore = "soak tier: covered element by element through the whole unit in vpu_ops"]
fn reduction_is_exact_and_keeps_the_first_maximum() -> anyhow::Result<()> {
    let seed = 12;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = verilate(
        Reduction::<L, { 65 * L }, { 63 * L }>::new()?,
        "vpu_reduction_t",
    )?;
    let ins = [
        "start",
        "in_valid",
        "in_mask",
        "in_wide",
        "in_square",
        "in_umag",
    ]
    .map(|n| m.port(n))
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let outs = ["out_valid", "or_bits", "sum_sq", "umax", "arg_index"]
        .map(|n| m.port(n))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let passes: Vec<ReductionPass> = (0..400)
        .map(|_| {
            let n_rows = rng.gen_range(1..=12);
            let len = (n_rows - 1) * L + rng.gen_range(1..=L);
            let small = rng.gen_bool(0.3);
            let rows = (0..n_rows)
                .map(|r| {
                    (0..L)
                        .map(|i| {
                            let w = match rng.gen_range(0..6) {
                                0 => [i32::MIN as i128, i32::MAX as i128, -(1i128 << 63), 1 << 63]
                                    [rng.gen_range(0..4)],
                                _ if small => rng.gen_range(-3..=3),
                                _ => {
                                    let top = rng.gen_range(1..64);
                                    rng.gen_range(-(1i128 << top)..1i128 << 40)
                                }
                            };
                            let inside = r * L + i < len;
                            let sq = if inside {
                                rng.gen_range(0..1u128 << 63)
                            } else {
                                0
                            };
                            let top = rng.gen_range(1..=63);
                            let um = if inside {
                                rng.gen_range(0..1u128 << top)
                            } else {
                                0
                            };
                            (if inside { w } else { 0 }, sq, um)
                        })
                        .collect()
                })
                .collect();
            ReductionPass { rows, len }
        })
        .collect();
    let latency = reduction_latency(L);
    let cycles: usize = passes.iter().map(|p| 1 + 2 * p.rows.len() + latency).sum();
    let mut batch = Batch::new(&ins, &outs, cycles)?;
    let mut c = 0;
    let mut checks = Vec::new();
    for p in &passes {
        batch.set(c, 0, 1)?;
        c += 1;
        for (r, row) in p.rows.iter().enumerate() {
            c += rng.gen_range(0..2);
            let mask: u64 = (0..L).filter(|i| r * L + i < p.len).map(|i| 1 << i).sum();
            batch.set(c, 1, 1)?;
            batch.set(c, 2, mask)?;
            batch.set_words(
                c,
                3,
                &pack(&row.iter().map(|e| e.0).collect::<Vec<_>>(), WIDE_BITS),
            )?;
            batch.set_words(
                c,
                4,
                &pack(&row.iter().map(|e| e.1 as i128).collect::<Vec<_>>(), 63),
            )?;
            batch.set_words(
                c,
                5,
                &pack(&row.iter().map(|e| e.2 as i128).collect::<Vec<_>>(), 63),
            )?;
            c += 1;
        }
        checks.push((c - 1 + latency - 1, reduction_oracle(p)));
        c += latency;
    }
    m.run(&mut batch)?;
    let got: Vec<(bool, u32, u128, u128, u32)> = checks
        .iter()
        .map(|&(at, _)| {
            Ok((
                batch.get(at, 0)? == 1,
                batch.get(at, 1)? as u32,
                common::lane_u(batch.get_words(at, 2)?, 0, 80),
                common::lane_u(batch.get_words(at, 3)?, 0, 63),
                batch.get(at, 4)? as u32,
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let want: Vec<(bool, u32, u128, u128, u32)> = checks
        .iter()
        .map(|&(_, (o, s, u, a))| (true, o, s, u, a))
        .collect();
    assert_eq!(first_mismatch(&got, &want), None, "seed {seed}");
    Ok(())
}

/// The spec's meaning of one product-unit lane in `mode` (the outputs that mode defines), written
/// from `mmfree_spec::ops`: `rms`'s square and `quantize`'s `|y g|`, `rms_norm`'s element, `mul`,
/// `gate_mul`, `dequantize` (`Scale::times`), and `quantize`'s code.
fn product_oracle(
    mode: ProductMode,
    m: u32,
    kq: i32,
    c: Scale,
    zero: bool,
    x: i32,
    y: u32,
) -> (i128, u128, u128) {
    let (xi, yi) = (x as i128, y as i32 as i128);
    match mode {
        ProductMode::Sq => (
            0,
            (xi * xi) as u128,
            (x as i64 * y as i32 as i64).unsigned_abs() as u128,
        ),
        ProductMode::Norm => (
            xi * mmfree_spec::round::shr_round(yi * m as i128, 31, Round::Rne),
            0,
            0,
        ),
        ProductMode::Mul => (xi * yi, 0, 0),
        ProductMode::Gmul => (xi * y as i128, 0, 0),
        ProductMode::Deq => (
            Scale::from_parts(m, 0).map_or(0, |s| s.times(x as i64)),
            0,
            0,
        ),
        ProductMode::Qcode if zero => (0, 0, 0),
        ProductMode::Qcode => {
            let x30 = shift_round(xi * yi, kq, Round::Rne);
            let v = shift_round(x30 * c.mantissa() as i128, -c.exponent(), Round::Rhaz);
            (v.clamp(-127, 127), 0, 0)
        }
    }
}

#[test]
#[ignore = "soak tier: covered element by element through the whole unit in vpu_ops"]
fn product_unit_matches_the_spec_in_every_mode() -> anyhow::Result<()> {
    let seed = 13;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = verilate(
        ProductUnit::<L, { 32 * L }, { 65 * L }, { 63 * L }>::new()?,
        "vpu_product_t",
    )?;
    let ins = [
        "in_valid",
        "mode",
        "in_x",
        "in_y",
        "scale_m",
        "q_shift",
        "c_shift",
        "code_zero",
    ]
    .map(|n| m.port(n))
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let outs = ["out_valid", "out_wide", "out_square", "out_umag"]
        .map(|n| m.port(n))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let (passes, rows) = (600, 24);
    let cycles = passes * (rows + PRODUCT_LATENCY);
    let mut batch = Batch::new(&ins, &outs, cycles)?;
    let mut checks = Vec::new();
    let mut c = 0;
    for _ in 0..passes {
        let mode = ProductMode::ALL[rng.gen_range(0..6)];
        let data: Vec<Vec<(i32, u32)>> = (0..rows)
            .map(|_| {
                (0..L)
                    .map(|_| match mode {
                        ProductMode::Gmul => (mantissa(&mut rng), common::gate(&mut rng)),
                        ProductMode::Deq => (rng.r#gen::<i32>(), 0),
                        _ => (mantissa(&mut rng), mantissa(&mut rng) as u32),
                    })
                    .collect()
            })
            .collect();
        let scale_m = rng.gen_range(1u32 << 30..1 << 31);
        // QUANT's per-vector values as `quantize` derives them from the largest product.
        let umax = data
            .iter()
            .flatten()
            .map(|&(x, y)| (x as i64 * y as i32 as i64).unsigned_abs())
            .max()
            .unwrap_or(0);
        let zero = umax == 0 || rng.gen_bool(0.05);
        let kq = bit_len(umax.max(1) as u128) as i32 - 30;
        let max30 = shift_round(umax.max(1) as i128, kq, Round::Rne) as u64;
        let cq = if rng.gen_bool(0.8) {
            Scale::from_u64(127) * Scale::from_u64(max30).recip()
        } else {
            Scale::from_parts(rng.gen_range(1u32 << 30..1 << 31), -rng.gen_range(40..64)).unwrap()
        };
        let (sm, cs) = if mode == ProductMode::Qcode {
            (cq.mantissa(), -cq.exponent())
        } else {
            (scale_m, 0)
        };
        for row in &data {
            batch.set(c, 0, 1)?;
            batch.set(c, 1, mode as u64)?;
            batch.set_words(
                c,
                2,
                &pack(&row.iter().map(|e| e.0 as i128).collect::<Vec<_>>(), 32),
            )?;
            batch.set_words(
                c,
                3,
                &pack(&row.iter().map(|e| e.1 as i128).collect::<Vec<_>>(), 32),
            )?;
            batch.set(c, 4, sm as u64)?;
            batch.set_words(c, 5, &port_words(kq as i128, SHIFT_BITS))?;
            batch.set(c, 6, cs as u64)?;
            batch.set(c, 7, zero as u64)?;
            let want: Vec<(i128, u128, u128)> = row
                .iter()
                .map(|&(x, y)| product_oracle(mode, sm, kq, cq, zero, x, y))
                .collect();
            checks.push((c + PRODUCT_LATENCY - 1, mode, want));
            c += 1;
        }
        for _ in 0..PRODUCT_LATENCY {
            batch.set(c, 1, mode as u64)?;
            batch.set(c, 4, sm as u64)?;
            batch.set_words(c, 5, &port_words(kq as i128, SHIFT_BITS))?;
            batch.set(c, 6, cs as u64)?;
            batch.set(c, 7, zero as u64)?;
            c += 1;
        }
    }
    m.run(&mut batch)?;
    let mut got = Vec::new();
    let mut want = Vec::new();
    for (at, mode, w) in checks {
        let wide = lanes_s(batch.get_words(at, 1)?, L, WIDE_BITS);
        let sq = common::lanes_u(batch.get_words(at, 2)?, L, 63);
        let um = common::lanes_u(batch.get_words(at, 3)?, L, 63);
        let g: Vec<(i128, u128, u128)> = (0..L)
            .map(|i| match mode {
                ProductMode::Sq => (0, sq[i], um[i]),
                _ => (wide[i], 0, 0),
            })
            .collect();
        got.push((batch.get(at, 0)? == 1, mode, g));
        want.push((true, mode, w));
    }
    assert_eq!(first_mismatch(&got, &want), None, "seed {seed}");
    Ok(())
}

/// A random exponent: mostly near 0, sometimes far apart, sometimes `ZERO_EXP`.
fn exponent(rng: &mut ChaCha8Rng) -> i32 {
    match rng.gen_range(0..8) {
        0 => ZERO_EXP,
        1 => rng.gen_range(-200..200),
        _ => rng.gen_range(-40..10),
    }
}

#[test]
#[ignore = "soak tier: covered element by element through the whole unit in vpu_ops"]
fn align_unit_adds_in_the_window_and_runs_the_neuron() -> anyhow::Result<()> {
    let seed = 14;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = verilate(
        AlignUnit::<L, { 32 * L }, { 65 * L }>::new()?,
        "vpu_align_t",
    )?;
    let ins = [
        "in_valid", "mode", "in_x", "in_y", "in_z", "shift_a", "shift_b",
    ]
    .map(|n| m.port(n))
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let outs = [m.port("out_valid")?, m.port("out_wide")?];
    let (passes, rows) = (1500, 8);
    let cycles = passes * (rows + ALIGN_LATENCY);
    let mut batch = Batch::new(&ins, &outs, cycles)?;
    let (mut checks, mut c) = (Vec::new(), 0);
    for _ in 0..passes {
        let mlgru = rng.gen_bool(0.5);
        let (e1, e2) = (exponent(&mut rng), exponent(&mut rng));
        // The shifts the exponent unit derives: ADD (ops::add) and MLGRU (ops::mlgru).
        let (base, s1, s2) = if mlgru {
            let e = ops::mlgru_exponent(
                &mmfree_spec::format::Bfp {
                    mant: vec![],
                    exp: e1,
                },
                &mmfree_spec::format::Bfp {
                    mant: vec![],
                    exp: e2,
                },
            );
            (e, e - e1, e - e2)
        } else {
            let base = e1.max(e2) + 31 - ops::ADD_WINDOW;
            (base, base - e1, base - e2)
        };
        let _ = base;
        let clamp = |s: i32| s.min(33);
        for _ in 0..rows {
            let row: Vec<(i32, i32, i32)> = (0..L)
                .map(|_| {
                    let x = if mlgru {
                        common::gate(&mut rng) as i32
                    } else {
                        mantissa(&mut rng)
                    };
                    (x, mantissa(&mut rng), mantissa(&mut rng))
                })
                .collect();
            batch.set(c, 0, 1)?;
            batch.set(c, 1, mlgru as u64)?;
            for (slot, f) in [(2, 0), (3, 1), (4, 2)] {
                let v: Vec<i128> = row.iter().map(|e| [e.0, e.1, e.2][f] as i128).collect();
                batch.set_words(c, slot, &pack(&v, 32))?;
            }
            batch.set_words(c, 5, &port_words(clamp(s1) as i128, SHIFT_BITS))?;
            batch.set_words(c, 6, &port_words(clamp(s2) as i128, SHIFT_BITS))?;
            let want: Vec<i128> = row
                .iter()
                .map(|&(x, y, z)| {
                    if mlgru {
                        let h = shift_round(z as i128, s1, Round::Rne) as i64;
                        let cc = shift_round(y as i128, s2, Round::Rne) as i64;
                        ops::mlgru_aligned(h, x as u32, cc) as i128
                    } else {
                        shift_round(x as i128, s1, Round::Rne)
                            + shift_round(y as i128, s2, Round::Rne)
                    }
                })
                .collect();
            checks.push((c + ALIGN_LATENCY - 1, want));
            c += 1;
        }
        for _ in 0..ALIGN_LATENCY {
            batch.set(c, 1, mlgru as u64)?;
            batch.set_words(c, 5, &port_words(clamp(s1) as i128, SHIFT_BITS))?;
            batch.set_words(c, 6, &port_words(clamp(s2) as i128, SHIFT_BITS))?;
            c += 1;
        }
    }
    m.run(&mut batch)?;
    let got = checks
        .iter()
        .map(|(at, _)| {
            Ok((
                batch.get(*at, 0)? == 1,
                lanes_s(batch.get_words(*at, 1)?, L, WIDE_BITS),
            ))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let want: Vec<(bool, Vec<i128>)> = checks.into_iter().map(|(_, w)| (true, w)).collect();
    assert_eq!(first_mismatch(&got, &want), None, "seed {seed}");
    Ok(())
}

#[test]
#[ignore = "soak tier: covered element by element through the whole unit in vpu_ops"]
fn gate_unit_matches_lower_bound_mix_and_one_minus() -> anyhow::Result<()> {
    let seed = 15;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = verilate(GateUnit::<L, { 32 * L }>::new()?, "vpu_gates_t")?;
    let ins = [
        m.port("in_valid")?,
        m.port("mode")?,
        m.port("in_x")?,
        m.port("in_y")?,
    ];
    let outs = [m.port("out_valid")?, m.port("out_data")?];
    let cycles = 30_000;
    let mut batch = Batch::new(&ins, &outs, cycles)?;
    let mut want = Vec::new();
    let mut oneminus = false;
    for c in 0..cycles {
        if c % 32 == 0 {
            oneminus = rng.gen_bool(0.5);
        }
        let row: Vec<(u32, u32)> = (0..L)
            .map(|_| (common::gate(&mut rng), common::gate(&mut rng)))
            .collect();
        // The mode is held for a pass: no row enters in the last cycles before it changes.
        let valid = rng.gen_bool(0.9) && c % 32 < 32 - GATE_LATENCY;
        batch.set(c, 0, valid as u64)?;
        batch.set(c, 1, oneminus as u64)?;
        batch.set_words(
            c,
            2,
            &pack(&row.iter().map(|e| e.0 as i128).collect::<Vec<_>>(), 32),
        )?;
        batch.set_words(
            c,
            3,
            &pack(&row.iter().map(|e| e.1 as i128).collect::<Vec<_>>(), 32),
        )?;
        let out: Vec<u128> = row
            .iter()
            .map(|&(x, y)| if oneminus { ops::one_minus(x) } else { ops::lower_bound_mix(x, y) } as u128)
            .collect();
        want.push((valid, out));
    }
    m.run(&mut batch)?;
    let got = (GATE_LATENCY - 1..cycles)
        .map(|c| {
            Ok((
                batch.get(c, 0)? == 1,
                common::lanes_u(batch.get_words(c, 1)?, L, 32),
            ))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    want.truncate(got.len());
    let valid_got: Vec<_> = got.into_iter().filter(|g| g.0).collect();
    let want: Vec<_> = want.into_iter().filter(|w| w.0).collect();
    let got = valid_got;
    assert_eq!(first_mismatch(&got, &want), None, "seed {seed}");
    Ok(())
}

#[test]
#[ignore = "soak tier: covered element by element through the whole unit in vpu_ops"]
fn sigmoid_unit_matches_sigmoid_element() -> anyhow::Result<()> {
    let seed = 16;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = verilate(SigmoidUnit::<L, { 32 * L }>::new()?, "vpu_sigmoid_t")?;
    let ins = [m.port("in_valid")?, m.port("in_x")?, m.port("shift")?];
    let outs = [m.port("out_valid")?, m.port("out_gate")?, m.port("out_x")?];
    let (passes, rows) = (2500, 12);
    let cycles = passes * (rows + SIGMOID_LATENCY);
    let mut batch = Batch::new(&ins, &outs, cycles)?;
    let (mut checks, mut c) = (Vec::new(), 0);
    for _ in 0..passes {
        // Exponents that put the values anywhere from far below 2^-24 to far beyond +-32.
        let e = match rng.gen_range(0..10) {
            0 => ZERO_EXP,
            1 => rng.gen_range(-100..40),
            _ => rng.gen_range(-56..-20),
        };
        let s = (-(e + 24)).clamp(-31, 33);
        for _ in 0..rows {
            let x: Vec<i32> = (0..L)
                .map(|_| if e == ZERO_EXP { 0 } else { mantissa(&mut rng) })
                .collect();
            batch.set(c, 0, 1)?;
            batch.set_words(
                c,
                1,
                &pack(&x.iter().map(|&v| v as i128).collect::<Vec<_>>(), 32),
            )?;
            batch.set_words(c, 2, &port_words(s as i128, SHIFT_BITS))?;
            let want: Vec<(u128, i128)> = x
                .iter()
                .map(|&v| (ops::sigmoid_element(v, e) as u128, v as i128))
                .collect();
            checks.push((c + SIGMOID_LATENCY - 1, want));
            c += 1;
        }
        for _ in 0..SIGMOID_LATENCY {
            batch.set_words(c, 2, &port_words(s as i128, SHIFT_BITS))?;
            c += 1;
        }
    }
    m.run(&mut batch)?;
    let got = checks
        .iter()
        .map(|(at, _)| {
            let g = common::lanes_u(batch.get_words(*at, 1)?, L, 32);
            let x = lanes_s(batch.get_words(*at, 2)?, L, 32);
            Ok((
                batch.get(*at, 0)? == 1,
                g.into_iter().zip(x).collect::<Vec<_>>(),
            ))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let want: Vec<_> = checks.into_iter().map(|(_, w)| (true, w)).collect();
    assert_eq!(first_mismatch(&got, &want), None, "seed {seed}");
    let saturated = want
        .iter()
        .flat_map(|w| &w.1)
        .filter(|e| e.0 == 0 || e.0 == 1 << 30)
        .count();
    assert!(saturated > 1000, "too few inputs beyond +-32: {saturated}");
    Ok(())
}

/// A random BFP vector: length 1..=48, random exponent, mantissas from [`mantissa`].
fn bfp(rng: &mut ChaCha8Rng, n: usize) -> mmfree_spec::format::Bfp {
    let exp = rng.gen_range(-60..20);
    mmfree_spec::format::Bfp {
        mant: (0..n).map(|_| mantissa(rng)).collect(),
        exp,
    }
}

#[test]
fn scalar_unit_matches_rms_and_quantize_scales() -> anyhow::Result<()> {
    let seed = 17;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = verilate(ScalarUnit::new()?, "vpu_scalar_t")?;
    let names = [
        "start", "prog", "sum_sq", "ea", "eb", "len", "umax", "alpha_m", "alpha_e",
    ];
    let ins = names
        .map(|n| m.port(n))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let outs = [
        "done",
        "rho_m",
        "rho_e",
        "c_m",
        "c_shift",
        "q_shift",
        "code_zero",
        "sigma_m",
        "sigma_e",
        "busy",
    ]
    .map(|n| m.port(n))
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let cases = 1200;
    let (rho_cycles, quant_cycles) = (
        scalar_cycles(ScalarProgram::Rho),
        scalar_cycles(ScalarProgram::Quant),
    );
    let cycles = cases * (quant_cycles + 2);
    let mut batch = Batch::new(&ins, &outs, cycles)?;
    let (mut c, mut checks) = (0, Vec::new());
    for case in 0..cases {
        let quant = case % 2 == 1;
        let n = rng.gen_range(1..=48);
        let (y, g) = (bfp(&mut rng, n), bfp(&mut rng, n));
        let zero = quant && rng.gen_bool(0.05);
        let y = if zero {
            mmfree_spec::format::Bfp {
                mant: vec![0; n],
                exp: y.exp,
            }
        } else {
            y
        };
        let alpha = Scale::from_f64(rng.gen_range(1e-4..10.0)).unwrap();
        let ss: u128 = y
            .mant
            .iter()
            .map(|&v| (v as i128 * v as i128) as u128)
            .sum();
        let umax = y
            .mant
            .iter()
            .zip(&g.mant)
            .map(|(&a, &b)| (a as i64 * b as i64).unsigned_abs())
            .max()
            .unwrap();
        let rho = ops::rms(&y);
        let mut codes = vec![0i8; n];
        let sigma = ops::quantize(&y, &g, alpha, &mut codes);
        let kq = bit_len(umax as u128) as i32 - 30;
        let cq = Scale::from_u64(127)
            * Scale::from_u64(shift_round(umax as i128, kq, Round::Rne) as u64).recip();
        let values: [u128; 9] = [
            1,
            quant as u128,
            ss,
            y.exp as u32 as u128,
            g.exp as u32 as u128,
            n as u128,
            umax as u128,
            alpha.mantissa() as u128,
            alpha.exponent() as u32 as u128,
        ];
        for (slot, &v) in values.iter().enumerate() {
            batch.set_words(
                c,
                slot,
                &port_words(v as i128, [1, 1, 80, 32, 32, 32, 63, 32, 32][slot]),
            )?;
        }
        // `done` shows after the `scalar_cycles`-th edge following the one that took `start`.
        let at = c + if quant { quant_cycles } else { rho_cycles };
        checks.push((at, quant, rho, cq, kq, umax == 0, sigma));
        c += quant_cycles + 2;
    }
    m.run(&mut batch)?;
    let mut got = Vec::new();
    let mut want = Vec::new();
    for &(at, quant, rho, cq, kq, zero, sigma) in &checks {
        let g = |slot| batch.get(at, slot);
        let before = batch.get(at - 1, 0)?;
        let mut row = vec![g(0)?, before, g(1)?, g(2)? as u32 as u64];
        let mut w = vec![1, 0, rho.mantissa() as u64, rho.exponent() as u32 as u64];
        if quant {
            row.extend([g(3)?, g(4)?, sign7(g(5)?) as u64, g(6)?, g(7)?, g(8)?]);
            w.extend([
                cq.mantissa() as u64,
                (-cq.exponent()).clamp(0, 127) as u64,
                kq as u64,
                zero as u64,
                sigma.mantissa() as u64,
                sigma.exponent() as u32 as u64,
            ]);
        }
        got.push(row);
        want.push(w);
    }
    assert_eq!(
        first_mismatch(&got, &want),
        None,
        "seed {seed} (done, done a cycle early, rho, [c, -c.e, kq, zero, sigma])"
    );
    Ok(())
}

/// A 7-bit two's-complement port value as `i64`.
fn sign7(v: u64) -> i64 {
    ((v << 57) as i64) >> 57
}

#[test]
fn exponent_unit_matches_its_formulas_over_the_i32_range() -> anyhow::Result<()> {
    let seed = 18;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = verilate(ExpUnit::default(), "vpu_exponent_t")?;
    let ins = ["mode", "ea", "eb", "ed", "rho_e", "sigma_e", "or_bits"]
        .map(|n| m.port(n))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let outs = ["shift_a", "shift_b", "sig_shift", "norm_shift", "out_exp"]
        .map(|n| m.port(n))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let cycles = 50_000;
    let mut batch = Batch::new(&ins, &outs, cycles)?;
    let mut want = Vec::new();
    for c in 0..cycles {
        let e = |rng: &mut ChaCha8Rng| match rng.gen_range(0..4) {
            0 => rng.r#gen::<i32>() / 4,
            1 => ZERO_EXP,
            _ => rng.gen_range(-120..60),
        };
        let i = ExpInputs {
            ea: e(&mut rng),
            eb: e(&mut rng),
            ed: e(&mut rng),
            rho_e: rng.gen_range(-90..0),
            sigma_e: e(&mut rng),
            or_bits: rng.gen_range(0..=64),
        };
        let mode = ExpMode::ALL[rng.gen_range(0..8)];
        for (slot, v) in [
            mode as i32,
            i.ea,
            i.eb,
            i.ed,
            i.rho_e,
            i.sigma_e,
            i.or_bits as i32,
        ]
        .iter()
        .enumerate()
        {
            batch.set_words(
                c,
                slot,
                &port_words(*v as i128, [3, 32, 32, 32, 32, 32, 7][slot]),
            )?;
        }
        let o = exp_unit(mode, &i);
        want.push(vec![
            o.shift_a as i64,
            o.shift_b as i64,
            o.sig_shift as i64,
            o.norm_shift as i64,
            o.out_exp as i64,
        ]);
    }
    m.run(&mut batch)?;
    let got = (0..cycles)
        .map(|c| {
            Ok((0..5)
                .map(|s| batch.get_signed(c, s))
                .collect::<Result<Vec<_>, _>>()?)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    assert_eq!(first_mismatch(&got, &want), None, "seed {seed}");
    Ok(())
}

#[test]
#[ignore = "soak tier: covered element by element through the whole unit in vpu_ops"]
fn lane_select_masks_the_tail_and_picks_the_family() -> anyhow::Result<()> {
    let seed = 19;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = verilate(
        LaneSelect::<L, { 32 * L }, { 65 * L }, { 63 * L }>::new()?,
        "vpu_select_t",
    )?;
    let names = [
        "start",
        "family",
        "len",
        "prod_valid",
        "prod_wide",
        "prod_square",
        "prod_umag",
        "align_valid",
        "align_wide",
        "gate_valid",
        "gate_data",
        "sig_valid",
        "sig_gate",
        "byp_valid",
        "byp_x",
    ];
    let ins = names
        .map(|n| m.port(n))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let outs = [
        "out_valid",
        "out_mask",
        "out_wide",
        "out_square",
        "out_umag",
    ]
    .map(|n| m.port(n))
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let passes = 2000;
    let cycles = passes * 16;
    let mut batch = Batch::new(&ins, &outs, cycles)?;
    let (mut c, mut checks) = (0, Vec::new());
    for _ in 0..passes {
        let family = [
            Family::Product,
            Family::Align,
            Family::Gate,
            Family::Sigmoid,
            Family::Bypass,
        ][rng.gen_range(0..5)];
        let len = rng.gen_range(1..=10 * L);
        batch.set(c, 0, 1)?;
        c += 1;
        let mut index = 0;
        while index < len {
            let r = |rng: &mut ChaCha8Rng, bits: u32| -> Vec<i128> {
                (0..L).map(|_| rng.gen_range(0..1i128 << bits)).collect()
            };
            let (pw, ps, pu, aw) = (
                r(&mut rng, 65),
                r(&mut rng, 63),
                r(&mut rng, 63),
                r(&mut rng, 65),
            );
            let (gd, sg, bx) = (r(&mut rng, 32), r(&mut rng, 32), r(&mut rng, 32));
            let valid = rng.gen_bool(0.8);
            batch.set(c, 1, family as u64)?;
            batch.set(c, 2, len as u64)?;
            for (slot, family_of_slot) in [
                (3, Family::Product),
                (7, Family::Align),
                (9, Family::Gate),
                (11, Family::Sigmoid),
                (13, Family::Bypass),
            ] {
                batch.set(c, slot, (valid && family_of_slot == family) as u64)?;
            }
            for (slot, v, bits) in [
                (4, &pw, 65),
                (5, &ps, 63),
                (6, &pu, 63),
                (8, &aw, 65),
                (10, &gd, 32),
                (12, &sg, 32),
                (14, &bx, 32),
            ] {
                batch.set_words(c, slot, &pack(v, bits))?;
            }
            if valid {
                let sext32 = |v: i128| ((v as u32) as i32) as i128;
                let lanes: Vec<(bool, i128, u128, u128)> = (0..L)
                    .map(|i| {
                        let inside = index + i < len;
                        let wide = match family {
                            Family::Product => common::lane_s(&pack(&pw, 65), i, 65),
                            Family::Align => common::lane_s(&pack(&aw, 65), i, 65),
                            Family::Gate => gd[i],
                            Family::Sigmoid => sg[i],
                            Family::Bypass => sext32(bx[i]),
                        };
                        let prod = family == Family::Product;
                        match inside {
                            false => (false, 0, 0, 0),
                            true if prod => (true, wide, ps[i] as u128, pu[i] as u128),
                            true => (true, wide, 0, 0),
                        }
                    })
                    .collect();
                checks.push((c, lanes));
                index += L;
            }
            c += 1;
        }
        c += 1;
    }
    m.run(&mut batch)?;
    let (mut got, mut want) = (Vec::new(), Vec::new());
    for (at, lanes) in checks {
        let mask = batch.get(at, 1)?;
        let wide = lanes_s(batch.get_words(at, 2)?, L, 65);
        let sq = common::lanes_u(batch.get_words(at, 3)?, L, 63);
        let um = common::lanes_u(batch.get_words(at, 4)?, L, 63);
        got.push((
            batch.get(at, 0)? == 1,
            (0..L)
                .map(|i| (mask >> i & 1 == 1, wide[i], sq[i], um[i]))
                .collect::<Vec<_>>(),
        ));
        want.push((true, lanes));
    }
    assert_eq!(first_mismatch(&got, &want), None, "seed {seed}");
    Ok(())
}
