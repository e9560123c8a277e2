//! The vector unit and the neuron unit (ACCELERATOR.md section 1): one `mmfree_spec::ops` primitive
//! per [`VecOp`] on the registers of one sequence, with the operand checks a program fault needs
//! (register too short, gate operand outside `[0, 1]`).

use mmfree_spec::format::{Bfp, GATE_ONE};
use mmfree_spec::isa::{VecOp, Vreg};
use mmfree_spec::ops;

/// Why an instruction faulted (the run loop adds the index and the instruction).
pub type Fault = String;

/// The first `n` elements of register `r` (an error if it holds fewer).
pub fn prefix(v: &Bfp, r: Vreg, n: usize) -> std::result::Result<Bfp, Fault> {
    if v.len() < n {
        return Err(format!("v{r} holds {} elements, {n} needed", v.len()));
    }
    Ok(Bfp {
        mant: v.mant[..n].to_vec(),
        exp: v.exp,
    })
}

/// The first `n` elements of register `r` as gates (an error if one is outside `[0, 1]`).
pub fn gates(v: &Bfp, r: Vreg, n: usize) -> std::result::Result<Vec<u32>, Fault> {
    let p = prefix(v, r, n)?;
    match p
        .mant
        .iter()
        .position(|&m| !(0..=GATE_ONE as i32).contains(&m))
    {
        Some(j) => Err(format!(
            "v{r} element {j} = {} is not a gate in [0, 2^30]",
            p.mant[j]
        )),
        None => Ok(p.mant.iter().map(|&m| m as u32).collect()),
    }
}

/// Gates held in a register (exponent 0, unused).
pub fn gates_reg(g: &[u32]) -> Bfp {
    Bfp {
        mant: g.iter().map(|&x| x as i32).collect(),
        exp: 0,
    }
}

/// One vector-unit or neuron-unit operation on the registers of one sequence.
pub fn vec_op(
    op: VecOp,
    regs: &[Bfp],
    vd: Vreg,
    va: Vreg,
    vb: Vreg,
    n: usize,
) -> std::result::Result<Bfp, Fault> {
    let bfp = |r: Vreg| prefix(&regs[r as usize], r, n);
    let gate = |r: Vreg| gates(&regs[r as usize], r, n);
    Ok(match op {
        VecOp::Norm => ops::rms_norm(&bfp(va)?, &bfp(vb)?),
        VecOp::Add => ops::add(&bfp(va)?, &bfp(vb)?),
        VecOp::Mul => ops::mul(&bfp(va)?, &bfp(vb)?),
        VecOp::GMul => ops::gate_mul(&bfp(va)?, &gate(vb)?),
        VecOp::Sigmoid => gates_reg(&ops::sigmoid(&bfp(va)?)),
        VecOp::Silu => ops::silu(&bfp(va)?),
        VecOp::LbMix => {
            let (s, lb) = (gate(va)?, gate(vb)?);
            gates_reg(
                &s.iter()
                    .zip(&lb)
                    .map(|(&s, &l)| ops::lower_bound_mix(s, l))
                    .collect::<Vec<_>>(),
            )
        }
        VecOp::OneMinus => gates_reg(
            &gate(va)?
                .iter()
                .map(|&g| ops::one_minus(g))
                .collect::<Vec<_>>(),
        ),
        VecOp::Mlgru => ops::mlgru(&bfp(vd)?, &gate(va)?, &bfp(vb)?),
    })
}
