//! Every operation of the vector unit under Verilator (DESIGN.md section 3, rung 2): random
//! operands with the contract's extremes (lengths 1 and non-multiples of the lane count, `ZERO_EXP`
//! zero vectors, exponents further apart than ADD's 62-bit window, mantissas `±2^30, ±2^29, 0, ±1`,
//! gates `0` and `2^30`, sigmoid inputs beyond `±32`, QUANT codes that tie), each result compared
//! exactly with `mmfree_spec::ops` and each command's cycle count with `vpu::cycles::op_cycles`.
//! Lanes beyond `len` in the last row must come back zero. Every failure names the seed, the case
//! and the first mismatch. The soak tier (`--ignored`) runs 10,000,000 elements per operation.

mod common;

use std::time::Instant;

use common::vpu_rig::{Command, VpuRig};
use common::{Shape, bfp, first_mismatch, gate};
use mmfree_kernels::declare_vpu;
use mmfree_kernels::vpu::cycles::{dequant_cycles, op_cycles};
use mmfree_kernels::vpu::{VpuConfig, VpuOp};
use mmfree_spec::Scale;
use mmfree_spec::format::{Bfp, ZERO_EXP};
use mmfree_spec::ops;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

declare_vpu!(Vpu4, 4, 8);
declare_vpu!(Vpu1, 1, 8);

/// The two units of the default tier: 4 lanes (the `tiny` preset's registers of 1024, a
/// 2-cycle accumulator buffer) and 1 lane (the `up5k` preset's 256, a 3-cycle buffer).
fn rig(lanes: usize) -> anyhow::Result<VpuRig> {
    if lanes == 4 {
        let cfg = VpuConfig::new(4, 1024, 2)?;
        VpuRig::new(common::verilate(Vpu4::new(&cfg)?, "vpu4_ops")?, cfg)
    } else {
        let cfg = VpuConfig::new(1, 256, 3)?;
        VpuRig::new(common::verilate(Vpu1::new(&cfg)?, "vpu1_ops")?, cfg)
    }
}

/// What one case must produce.
enum Expect {
    /// `vd` holds this BFP vector.
    Vector(Bfp),
    /// `vd` holds these gates (exponent 0).
    Gates(Vec<u32>),
    /// These codes and this `sigma`.
    Codes(Vec<i8>, Scale),
    /// This index.
    Index(usize),
}

/// One case: registers to load, accumulators, `sigma`, the command, the expectation.
struct Case {
    loads: Vec<(u8, Vec<u32>, i32)>,
    acc: Vec<i32>,
    sigma: Option<Scale>,
    cmd: Command,
    expect: Expect,
}

fn words(v: &Bfp) -> Vec<u32> {
    v.mant.iter().map(|&m| m as u32).collect()
}

/// A length: 1, a few, a non-multiple of `lanes`, or anything up to `max`.
fn length(rng: &mut ChaCha8Rng, lanes: usize, max: usize) -> usize {
    match rng.gen_range(0..8) {
        0 => 1,
        1 => rng.gen_range(1..=3 * lanes).min(max),
        2 => max,
        3 => (rng.gen_range(1..=max / lanes) * lanes - 1).max(1),
        _ => rng.gen_range(1..=max),
    }
}

/// An exponent for a vector of `shape` (the zero vector's is `ZERO_EXP`).
fn exponent(rng: &mut ChaCha8Rng, shape: Shape) -> i32 {
    if shape == Shape::Zero {
        return ZERO_EXP;
    }
    match rng.gen_range(0..10) {
        0 => rng.gen_range(-2000..2000),
        _ => rng.gen_range(-70..10),
    }
}

fn vector(rng: &mut ChaCha8Rng, n: usize) -> Bfp {
    let shape = Shape::pick(rng);
    let e = exponent(rng, shape);
    bfp(rng, n, e, shape)
}

/// Three register numbers for `vd, va, vb`, aliased one time in five.
fn registers(rng: &mut ChaCha8Rng) -> (u8, u8, u8) {
    let va = rng.gen_range(0..16);
    let vb = if rng.gen_bool(0.1) {
        va
    } else {
        (va + rng.gen_range(1..16)) % 16
    };
    let vd = match rng.gen_range(0..10) {
        0 => va,
        1 => vb,
        _ => rng.gen_range(0..16),
    };
    (vd, va, vb)
}

fn cmd(op: VpuOp, (vd, va, vb): (u8, u8, u8), len: usize, imm: (u32, u32)) -> Command {
    Command {
        op,
        vd,
        va,
        vb,
        len: len as u32,
        imm,
    }
}

/// `y` and `g` whose largest product is `2^29` (so `c = 127 / 2^29` exactly) and whose other
/// products sit exactly on a code's rounding tie, `x30 * 127 = 2^28 (mod 2^29)`.
fn quant_ties(rng: &mut ChaCha8Rng, n: usize) -> (Bfp, Bfp) {
    // 127^-1 modulo 2^29 by Newton's iteration.
    let mut inv: u64 = 1;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(127u64.wrapping_mul(inv))) & ((1 << 29) - 1);
    }
    let tie = ((1u64 << 28) * inv % (1 << 29)) as i32;
    let mant: Vec<i32> = (0..n)
        .map(|j| match (j, rng.gen_range(0..4)) {
            (0, _) => 1 << 29,
            (_, 0) => tie,
            (_, 1) => -tie,
            (_, 2) => rng.gen_range(-(1 << 29)..=1 << 29),
            _ => tie ^ 1,
        })
        .collect();
    let e = rng.gen_range(-60..0);
    (
        Bfp { mant, exp: e },
        Bfp {
            mant: vec![1; n],
            exp: rng.gen_range(-5..5),
        },
    )
}

/// A random case of `op` on a unit with `lanes` lanes and registers of `reg_len`.
fn case(rng: &mut ChaCha8Rng, op: VpuOp, lanes: usize, reg_len: usize) -> Case {
    let n = length(rng, lanes, reg_len);
    let regs = registers(rng);
    let (vd, va, vb) = regs;
    let no_acc = (Vec::new(), None);
    let gates = |rng: &mut ChaCha8Rng| -> Vec<u32> { (0..n).map(|_| gate(rng)).collect() };
    let (loads, (acc, sigma), cmd, expect) = match op {
        VpuOp::Norm => {
            let v = vector(rng, n);
            let g = if va == vb { v.clone() } else { vector(rng, n) };
            let out = ops::rms_norm(&v, &g);
            (
                vec![(va, words(&v), v.exp), (vb, words(&g), g.exp)],
                no_acc,
                cmd(op, regs, n, (0, 0)),
                Expect::Vector(out),
            )
        }
        VpuOp::Quant => {
            let (y, g) = if rng.gen_bool(0.15) {
                quant_ties(rng, n)
            } else {
                (vector(rng, n), vector(rng, n))
            };
            let g = if va == vb { y.clone() } else { g };
            let alpha = match rng.gen_range(0..10) {
                0 => Scale::ONE,
                1 => Scale::ZERO,
                _ => Scale::from_f64(rng.gen_range(1e-4..50.0)).expect("finite"),
            };
            let mut codes = vec![0i8; n];
            let sigma = ops::quantize(&y, &g, alpha, &mut codes);
            let imm = (alpha.mantissa(), alpha.exponent() as u32);
            (
                vec![(va, words(&y), y.exp), (vb, words(&g), g.exp)],
                no_acc,
                cmd(op, regs, n, imm),
                Expect::Codes(codes, sigma),
            )
        }
        VpuOp::Dequant => {
            // A slice of a group: at its start, its end, or inside it.
            let first = rng.gen_range(0..64);
            let group = first + n + [0, 0, rng.gen_range(1..64)][rng.gen_range(0..3)];
            let acc: Vec<i32> = (0..group)
                .map(|_| match rng.gen_range(0..8) {
                    0 => [i32::MIN, i32::MAX, 0, 1, -1][rng.gen_range(0..5)],
                    1 => rng.gen_range(-100..100),
                    _ => rng.r#gen::<i32>() >> rng.gen_range(0..31),
                })
                .collect();
            let sigma = match rng.gen_range(0..10) {
                0 => Scale::ZERO,
                _ => Scale::from_f64(rng.gen_range(1e-9..1e3)).expect("finite"),
            };
            let all = ops::dequantize(&acc, sigma);
            let out = Bfp {
                mant: all.mant[first..first + n].to_vec(),
                exp: all.exp,
            };
            (
                Vec::new(),
                (acc, Some(sigma)),
                cmd(op, regs, n, (first as u32, group as u32)),
                Expect::Vector(out),
            )
        }
        VpuOp::Add | VpuOp::Mul => {
            let a = vector(rng, n);
            let mut b = vector(rng, n);
            if op == VpuOp::Add && b.exp != ZERO_EXP && a.exp != ZERO_EXP && rng.gen_bool(0.5) {
                // Exponents 0..=70 apart: inside, at and beyond the 62-bit window.
                b.exp = a.exp + rng.gen_range(-70..=70);
            }
            let b = if va == vb { a.clone() } else { b };
            let out = if op == VpuOp::Add {
                ops::add(&a, &b)
            } else {
                ops::mul(&a, &b)
            };
            (
                vec![(va, words(&a), a.exp), (vb, words(&b), b.exp)],
                no_acc,
                cmd(op, regs, n, (0, 0)),
                Expect::Vector(out),
            )
        }
        VpuOp::Gmul => {
            let a = vector(rng, n);
            // With va = vb the mantissas are the gates (and the register keeps a's exponent).
            let g = if va == vb { words(&a) } else { gates(rng) };
            let out = ops::gate_mul(&a, &g);
            let gate_exp = if va == vb { a.exp } else { 0 };
            (
                vec![(va, words(&a), a.exp), (vb, g, gate_exp)],
                no_acc,
                cmd(op, regs, n, (0, 0)),
                Expect::Vector(out),
            )
        }
        VpuOp::Sigmoid | VpuOp::Silu => {
            let shape = Shape::pick(rng);
            // Values from far below 2^-24 to far beyond 32 in magnitude.
            let e = if shape == Shape::Zero {
                ZERO_EXP
            } else {
                rng.gen_range(-64..8)
            };
            let x = bfp(rng, n, e, shape);
            let expect = if op == VpuOp::Sigmoid {
                Expect::Gates(ops::sigmoid(&x))
            } else {
                Expect::Vector(ops::silu(&x))
            };
            (
                vec![(va, words(&x), x.exp)],
                no_acc,
                cmd(op, regs, n, (0, 0)),
                expect,
            )
        }
        VpuOp::Lbmix => {
            let (s, lb) = (gates(rng), gates(rng));
            let lb = if va == vb { s.clone() } else { lb };
            let out = s
                .iter()
                .zip(&lb)
                .map(|(&s, &l)| ops::lower_bound_mix(s, l))
                .collect();
            (
                vec![(va, s, 0), (vb, lb, 0)],
                no_acc,
                cmd(op, regs, n, (0, 0)),
                Expect::Gates(out),
            )
        }
        VpuOp::Oneminus => {
            let g = gates(rng);
            let out = g.iter().map(|&v| ops::one_minus(v)).collect();
            (
                vec![(va, g, 0)],
                no_acc,
                cmd(op, regs, n, (0, 0)),
                Expect::Gates(out),
            )
        }
        VpuOp::Mlgru => {
            // h in vd, gates f in va, c in vb; distinct registers (aliasing h with f or c would
            // make one register both a gate vector and a BFP vector).
            let (vd, va, vb) = (vd, (vd + 1 + va % 7) % 16, (vd + 8 + vb % 7) % 16);
            let h = vector(rng, n);
            let f = gates(rng);
            let c = vector(rng, n);
            let out = ops::mlgru(&h, &f, &c);
            let loads = vec![(vd, words(&h), h.exp), (va, f, 0), (vb, words(&c), c.exp)];
            (
                loads,
                no_acc,
                cmd(op, (vd, va, vb), n, (0, 0)),
                Expect::Vector(out),
            )
        }
        VpuOp::Argmax => {
            let n = rng.gen_range(1..=3 * reg_len);
            let top = rng.gen_range(1..=32);
            let acc: Vec<i32> = (0..n)
                .map(|_| match rng.gen_range(0..10) {
                    0 => i32::MAX,
                    1 => i32::MIN,
                    _ => (rng.r#gen::<i32>() >> (32 - top)).max(-(1 << 30)),
                })
                .collect();
            let idx = ops::argmax(&acc);
            (
                Vec::new(),
                (acc, None),
                cmd(op, regs, n, (0, 0)),
                Expect::Index(idx),
            )
        }
    };
    Case {
        loads,
        acc,
        sigma,
        cmd,
        expect,
    }
}

/// Runs one case; returns the elements it checked.
fn run_case(rig: &mut VpuRig, c: Case) -> anyhow::Result<usize> {
    for (reg, w, exp) in &c.loads {
        rig.write_reg(*reg, w, *exp)?;
    }
    rig.acc = c.acc;
    if let Some(s) = c.sigma {
        rig.set_sigma(s)?;
    }
    let out = rig.run(c.cmd, 1 << 22)?;
    anyhow::ensure!(!out.error, "{:?} was refused", c.cmd);
    let want_cycles = match c.cmd.op {
        VpuOp::Dequant => dequant_cycles(&rig.cfg, c.cmd.len as usize, c.cmd.imm.1 as usize),
        op => op_cycles(&rig.cfg, op, c.cmd.len as usize),
    };
    anyhow::ensure!(
        out.cycles == want_cycles,
        "{:?}: {} cycles, formula {want_cycles}",
        c.cmd,
        out.cycles
    );
    let n = c.cmd.len as usize;
    let padded = n.div_ceil(rig.cfg.lanes) * rig.cfg.lanes;
    match c.expect {
        Expect::Vector(want) => {
            let (got, exp) = rig.read_reg(c.cmd.vd, padded)?;
            let mant: Vec<i32> = got[..n].iter().map(|&w| w as i32).collect();
            if let Some(m) = first_mismatch(&mant, &want.mant) {
                anyhow::bail!("{:?}: mantissa {m}", c.cmd);
            }
            anyhow::ensure!(
                exp == want.exp,
                "{:?}: exponent {exp}, want {}",
                c.cmd,
                want.exp
            );
            anyhow::ensure!(
                got[n..].iter().all(|&w| w == 0),
                "{:?}: lanes beyond len not zero",
                c.cmd
            );
        }
        Expect::Gates(want) => {
            let (got, exp) = rig.read_reg(c.cmd.vd, padded)?;
            if let Some(m) = first_mismatch(&got[..n], &want[..]) {
                anyhow::bail!("{:?}: gate {m}", c.cmd);
            }
            anyhow::ensure!(exp == 0, "{:?}: a gate register's exponent is {exp}", c.cmd);
            anyhow::ensure!(
                got[n..].iter().all(|&w| w == 0),
                "{:?}: lanes beyond len not zero",
                c.cmd
            );
        }
        Expect::Codes(want, sigma) => {
            let mut got = vec![0i8; padded];
            let mut rows = 0;
            for (addr, codes) in &out.codes {
                for (i, &code) in codes.iter().enumerate() {
                    got[*addr as usize + i] = code;
                }
                rows += 1;
            }
            anyhow::ensure!(
                rows == padded / rig.cfg.lanes,
                "{:?}: {rows} code rows",
                c.cmd
            );
            if let Some(m) = first_mismatch(&got[..n], &want[..]) {
                anyhow::bail!("{:?}: code {m}", c.cmd);
            }
            anyhow::ensure!(
                got[n..].iter().all(|&v| v == 0),
                "{:?}: codes beyond len not zero",
                c.cmd
            );
            let s = rig.sigma()?;
            anyhow::ensure!(
                s == (sigma.mantissa(), sigma.exponent()),
                "{:?}: sigma {s:?}, want {sigma:?}",
                c.cmd
            );
        }
        Expect::Index(want) => {
            let got = rig.argmax()? as usize;
            anyhow::ensure!(got == want, "{:?}: argmax {got}, want {want}", c.cmd);
        }
    }
    Ok(n)
}

/// Checks `op` on `elements` random elements with the `lanes`-lane unit.
fn check(op: VpuOp, lanes: usize, elements: usize, seed: u64) -> anyhow::Result<()> {
    let mut rig = rig(lanes)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut done, mut cases) = (0, 0);
    let start = Instant::now();
    let ticks = rig.ticks;
    while done < elements {
        let c = case(&mut rng, op, lanes, rig.cfg.reg_len);
        done += run_case(&mut rig, c)
            .map_err(|e| anyhow::anyhow!("{} seed {seed} case {cases}: {e}", op.name()))?;
        cases += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{:<8} L={lanes}: {done} elements in {cases} cases, {} cycles, {:.1} s ({:.2} M cycles/s)",
        op.name(),
        rig.ticks - ticks,
        secs,
        (rig.ticks - ticks) as f64 / secs / 1e6
    );
    Ok(())
}

/// Default tier: 100,000 elements per operation on the 4-lane unit, 25,000 on the 1-lane one.
macro_rules! op_tests {
    ($($name: ident: $op: expr, $seed: expr;)*) => {
        $(
            #[test]
            fn $name() -> anyhow::Result<()> {
                check($op, 4, 100_000, $seed)?;
                check($op, 1, 25_000, $seed + 1)
            }
        )*
    };
}

op_tests! {
    norm_matches_rms_norm: VpuOp::Norm, 100;
    quant_matches_quantize: VpuOp::Quant, 200;
    dequant_matches_dequantize: VpuOp::Dequant, 300;
    add_matches_add: VpuOp::Add, 400;
    mul_matches_mul: VpuOp::Mul, 500;
    gmul_matches_gate_mul: VpuOp::Gmul, 600;
    sigmoid_matches_sigmoid: VpuOp::Sigmoid, 700;
    silu_matches_silu: VpuOp::Silu, 800;
    lbmix_matches_lower_bound_mix: VpuOp::Lbmix, 900;
    oneminus_matches_one_minus: VpuOp::Oneminus, 1000;
    mlgru_matches_mlgru: VpuOp::Mlgru, 1100;
    argmax_matches_argmax: VpuOp::Argmax, 1200;
}

#[test]
fn refused_commands_change_nothing() -> anyhow::Result<()> {
    let mut rig = rig(4)?;
    let v = Bfp::from_f32(&[1.5, -2.0, 3.25]);
    rig.write_bfp(2, &v)?;
    for c in [
        Command {
            op: VpuOp::Add,
            vd: 2,
            va: 2,
            vb: 2,
            len: 0,
            imm: (0, 0),
        },
        Command {
            op: VpuOp::Mul,
            vd: 2,
            va: 2,
            vb: 2,
            len: 1025,
            imm: (0, 0),
        },
        // DEQUANT of elements 5..9 of a group of 8 rows.
        Command {
            op: VpuOp::Dequant,
            vd: 2,
            va: 0,
            vb: 0,
            len: 4,
            imm: (5, 8),
        },
        // first + len overflowing 32 bits.
        Command {
            op: VpuOp::Dequant,
            vd: 2,
            va: 0,
            vb: 0,
            len: 4,
            imm: (u32::MAX - 1, 8),
        },
    ] {
        let out = rig.run(c, 100)?;
        assert!(out.error, "{c:?} accepted");
        assert_eq!(out.cycles, 1);
        assert_eq!(rig.read_bfp(2, 3)?, v, "{c:?} changed the register");
    }
    Ok(())
}

/// The tie construction really ties: with the largest product `2^29`, `c = 127 / 2^29` exactly
/// and the tie value's code sits exactly halfway (`x30 * c.m` has exactly `2^(s-1)` below the
/// shift), so QUANT's round-half-away-from-zero decides it.
#[test]
fn quant_tie_inputs_land_exactly_on_half() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (y, g) = quant_ties(&mut rng, 64);
    let c = Scale::from_u64(127) * Scale::from_u64(1 << 29).recip();
    assert_eq!((c.mantissa(), c.exponent()), (127 << 24, -53));
    let s = -c.exponent() as u32;
    let ties = y
        .mant
        .iter()
        .zip(&g.mant)
        .filter(|&(&a, &b)| {
            let p = (a as i128 * b as i128).abs() * c.mantissa() as i128;
            p & ((1 << s) - 1) == 1 << (s - 1)
        })
        .count();
    assert!(ties >= 16, "only {ties} ties in 64 elements");
}

/// Soak tier: 10,000,000 elements per operation on the 4-lane unit and 1,000,000 on the 1-lane
/// one, with seeds apart from the default tier's.
#[test]
#[ignore]
fn soak_every_operation() -> anyhow::Result<()> {
    for (i, op) in VpuOp::ALL.into_iter().enumerate() {
        let seed = 50_000 + 100 * i as u64;
        check(op, 4, 10_000_000, seed)?;
        check(op, 1, 1_000_000, seed + 1)?;
    }
    Ok(())
}
