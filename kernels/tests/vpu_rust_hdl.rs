//! The vector unit in rust-hdl's own simulator (STYLE.md section 5): the sequencer, decoder and
//! register file as written in `#[hdl_gen]`, the arithmetic blocks as their behavioural models.
//! One command of every operation on short vectors must give the spec's results in exactly the
//! cycles of `vpu::cycles::op_cycles`, as the Verilated unit does (tests/vpu_ops.rs): the models'
//! latencies and the Verilog's agree.

use mmfree_kernels::declare_vpu;
use mmfree_kernels::vpu::cycles::{dequant_cycles, op_cycles};
use mmfree_kernels::vpu::{VpuConfig, VpuOp};
use mmfree_spec::Scale;
use mmfree_spec::format::{Bfp, GATE_ONE};
use mmfree_spec::ops;
use rust_hdl::prelude::*;

declare_vpu!(Sim4, 4, 2);

/// One clock cycle of the rust-hdl model.
fn tick(v: &mut Sim4) {
    for level in [true, false] {
        v.clock.next = Clock::from(level);
        assert!(simulate(v, 10_000), "rust-hdl did not settle");
    }
}

fn row(words: &[u32]) -> Bits<128> {
    let mut b = Bits::<128>::default();
    for (i, &w) in words.iter().enumerate() {
        b.set_bits::<32>(32 * i, (w as u64).into());
    }
    b
}

/// The register port is served while the unit is idle.
fn wait_idle(v: &mut Sim4) {
    while !v.cmd_ready.val() {
        tick(v);
    }
}

fn load(v: &mut Sim4, reg: u64, words: &[u32], exp: i32) {
    wait_idle(v);
    v.ext_write_reg.next = reg.into();
    for (r, chunk) in words.chunks(4).enumerate() {
        let mut w = chunk.to_vec();
        w.resize(4, 0);
        v.ext_write.next = true;
        v.ext_write_row.next = (r as u64).into();
        v.ext_write_data.next = row(&w);
        tick(v);
    }
    v.ext_write.next = false;
    v.ext_exp_write.next = true;
    v.ext_exp_data.next = (exp as u32 as u64).into();
    tick(v);
    v.ext_exp_write.next = false;
}

fn read(v: &mut Sim4, reg: u64, len: usize) -> (Vec<u32>, i32) {
    wait_idle(v);
    v.ext_read_reg.next = reg.into();
    let rows = len.div_ceil(4);
    let mut out = Vec::new();
    for k in 0..=rows {
        v.ext_read_row.next = (k.min(rows - 1) as u64).into();
        tick(v);
        if k >= 1 {
            let d = v.ext_read_data.val();
            out.extend((0..4).map(|i| d.get_bits::<32>(32 * i).to_u64() as u32));
        }
    }
    out.truncate(len);
    (out, v.ext_read_exp.val().to_u64() as u32 as i32)
}

/// Runs a command; answers accumulator reads from `acc` with latency 2; returns cycles and codes.
fn run(
    v: &mut Sim4,
    op: VpuOp,
    (vd, va, vb): (u64, u64, u64),
    len: u32,
    imm: (u32, u32),
    acc: &[i32],
) -> (u64, Vec<i8>) {
    wait_idle(v);
    v.cmd_op.next = (op.code() as u64).into();
    v.cmd_vd.next = vd.into();
    v.cmd_va.next = va.into();
    v.cmd_vb.next = vb.into();
    v.cmd_len.next = (len as u64).into();
    v.cmd_imm0.next = (imm.0 as u64).into();
    v.cmd_imm1.next = (imm.1 as u64).into();
    v.cmd_valid.next = true;
    tick(v);
    v.cmd_valid.next = false;
    let mut queue = std::collections::VecDeque::from(vec![None, None]);
    let (mut cycles, mut codes) = (0, vec![0i8; len.div_ceil(4) as usize * 4]);
    loop {
        let req = v
            .acc_read_enable
            .val()
            .then(|| v.acc_read_address.val().to_u64() as usize);
        queue.push_back(req);
        let answer = queue.pop_front().flatten();
        let words: Vec<u32> = (0..4)
            .map(|i| answer.map_or(0, |a| acc.get(a + i).copied().unwrap_or(0)) as u32)
            .collect();
        v.acc_read_data.next = row(&words);
        tick(v);
        cycles += 1;
        if v.code_valid.val() {
            let a = v.code_address.val().to_u64() as usize;
            let d = v.code_data.val();
            for i in 0..4 {
                codes[a + i] = d.get_bits::<8>(8 * i).to_u64() as u8 as i8;
            }
        }
        if v.done.val() {
            assert!(!v.error.val(), "{op:?} refused");
            return (cycles, codes);
        }
        assert!(cycles < 100_000, "{op:?} did not finish");
    }
}

fn mant(v: &Bfp) -> Vec<u32> {
    v.mant.iter().map(|&m| m as u32).collect()
}

#[test]
fn every_operation_in_rust_hdl_simulation() {
    let cfg = VpuConfig::new(4, 16, 2).unwrap();
    let mut v = Sim4::new(&cfg).unwrap();
    v.connect_all();
    let a = Bfp::from_f32(&[1.0, -2.5, 3.0, 0.125, 40.0, -0.001, 7.0]);
    let b = Bfp::from_f32(&[0.5, 2.0, -1.0, 8.0, 1e-4, 3.0, -6.0]);
    let g: Vec<u32> = vec![
        0,
        GATE_ONE,
        GATE_ONE / 3,
        12345,
        GATE_ONE / 2,
        7,
        GATE_ONE - 1,
    ];
    let n = a.len();
    load(&mut v, 1, &mant(&a), a.exp);
    load(&mut v, 2, &mant(&b), b.exp);
    load(&mut v, 3, &g, 0);
    let check = |v: &mut Sim4, op: VpuOp, cycles: u64, want: (Vec<u32>, i32)| {
        assert_eq!(cycles, op_cycles(&cfg, op, n), "{op:?} cycles");
        assert_eq!(read(v, 4, n), want, "{op:?}");
    };
    let bfp = |x: Bfp| (mant(&x), x.exp);
    for (op, want) in [
        (VpuOp::Add, bfp(ops::add(&a, &b))),
        (VpuOp::Mul, bfp(ops::mul(&a, &b))),
        (VpuOp::Norm, bfp(ops::rms_norm(&a, &b))),
        (VpuOp::Silu, bfp(ops::silu(&a))),
        (VpuOp::Sigmoid, (ops::sigmoid(&a), 0)),
    ] {
        let (cycles, _) = run(&mut v, op, (4, 1, 2), n as u32, (0, 0), &[]);
        check(&mut v, op, cycles, want);
    }
    let (cycles, _) = run(&mut v, VpuOp::Gmul, (4, 1, 3), n as u32, (0, 0), &[]);
    check(&mut v, VpuOp::Gmul, cycles, bfp(ops::gate_mul(&a, &g)));
    let lb: Vec<u32> = g
        .iter()
        .map(|&s| ops::lower_bound_mix(s, GATE_ONE / 4))
        .collect();
    load(&mut v, 5, &vec![GATE_ONE / 4; n], 0);
    let (cycles, _) = run(&mut v, VpuOp::Lbmix, (4, 3, 5), n as u32, (0, 0), &[]);
    check(&mut v, VpuOp::Lbmix, cycles, (lb, 0));
    let (cycles, _) = run(&mut v, VpuOp::Oneminus, (4, 3, 3), n as u32, (0, 0), &[]);
    check(
        &mut v,
        VpuOp::Oneminus,
        cycles,
        (g.iter().map(|&x| ops::one_minus(x)).collect(), 0),
    );
    load(&mut v, 4, &mant(&b), b.exp);
    let (cycles, _) = run(&mut v, VpuOp::Mlgru, (4, 3, 1), n as u32, (0, 0), &[]);
    check(&mut v, VpuOp::Mlgru, cycles, bfp(ops::mlgru(&b, &g, &a)));
    // QUANT: codes and sigma; then DEQUANT and ARGMAX from accumulators.
    let alpha = Scale::from_f64(0.37).unwrap();
    let mut codes = vec![0i8; n];
    let sigma = ops::quantize(&a, &b, alpha, &mut codes);
    let (cycles, got) = run(
        &mut v,
        VpuOp::Quant,
        (0, 1, 2),
        n as u32,
        (alpha.mantissa(), alpha.exponent() as u32),
        &[],
    );
    assert_eq!(cycles, op_cycles(&cfg, VpuOp::Quant, n));
    assert_eq!(&got[..n], &codes[..]);
    assert_eq!(
        (
            v.sigma_m.val().to_u64() as u32,
            v.sigma_e.val().to_u64() as u32 as i32
        ),
        (sigma.mantissa(), sigma.exponent())
    );
    // DEQUANT of acc[2..9] in the group acc[0..10], whose largest element (outside the slice)
    // sets the exponent.
    let acc: Vec<i32> = vec![5, -7, 1 << 20, 9, -3, 1 << 19, 3, 0, 11, i32::MIN];
    let group = acc.len();
    let (cycles, _) = run(
        &mut v,
        VpuOp::Dequant,
        (4, 0, 0),
        n as u32,
        (2, group as u32),
        &acc,
    );
    assert_eq!(cycles, dequant_cycles(&cfg, n, group));
    let all = ops::dequantize(&acc, sigma);
    assert_eq!(read(&mut v, 4, n), (mant(&all)[2..2 + n].to_vec(), all.exp));
    let (cycles, _) = run(
        &mut v,
        VpuOp::Argmax,
        (0, 0, 0),
        acc.len() as u32,
        (0, 0),
        &acc,
    );
    assert_eq!(cycles, op_cycles(&cfg, VpuOp::Argmax, acc.len()));
    assert_eq!(v.argmax_index.val().to_u64() as usize, ops::argmax(&acc));
}
