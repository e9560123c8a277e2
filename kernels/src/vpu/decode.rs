//! The instruction decoder of the vector unit (docs/ACCELERATOR.md section 3): for the current
//! operation and pass, which element pipeline runs in which mode, where the pass ends, what is
//! written, and which passes the operation has.
//!
//! | op | passes | element pipeline (mode) | exponent mode | writes |
//! |---|---|---|---|---|
//! | NORM | SQ, scalar (rho), OR, write | product (NORM) | NORM | `vd`, exponent |
//! | QUANT | SQ, scalar (QUANT), write | product (QCODE) | none | codes |
//! | DEQUANT | OR, write | product (DEQ), source accumulators | DEQ | `vd`, exponent |
//! | ADD, MLGRU | OR, write | alignment (ADD, MLGRU) | ADD, MLGRU | `vd`, exponent |
//! | MUL, GMUL | OR, write | product (MUL, GMUL) | MUL, GMUL | `vd`, exponent |
//! | SILU | OR, write | sigmoid then product (GMUL) | GMUL | `vd`, exponent |
//! | SIGMOID | write | sigmoid | gates | `vd`, exponent 0 |
//! | LBMIX, ONEMINUS | write | gates (LBMIX, ONEMINUS) | gates | `vd`, exponent 0 |
//! | ARGMAX | reduction | bypass, source accumulators | none | the index |
//!
//! SQ passes always run the product pipeline in SQ mode. Every pass but a write pass ends in the
//! reduction unit (and clears it first); a write pass ends in the normalizer.

use rust_hdl::prelude::*;

use crate::vpu::exponent::EXP_MODE_BITS;
use crate::vpu::product::PRODUCT_MODE_BITS;
use crate::vpu::select::FAMILY_BITS;

/// The operation being executed (`Invalid` for an opcode the unit does not execute).
#[derive(Copy, Clone, PartialEq, Eq, Debug, LogicState)]
pub enum OpKind {
    /// Not a vector-unit opcode.
    Invalid,
    /// NORM.
    Norm,
    /// QUANT.
    Quant,
    /// DEQUANT.
    Dequant,
    /// ADD.
    Add,
    /// MUL.
    Mul,
    /// GMUL.
    Gmul,
    /// SIGMOID.
    Sigmoid,
    /// SILU.
    Silu,
    /// LBMIX.
    Lbmix,
    /// ONEMINUS.
    Oneminus,
    /// MLGRU.
    Mlgru,
    /// ARGMAX.
    Argmax,
}

/// The pass (or scalar step) in progress.
#[derive(Copy, Clone, PartialEq, Eq, Debug, LogicState)]
pub enum Phase {
    /// Sum of squares (and QUANT's largest product).
    Sq,
    /// The scalar unit's program.
    Scalar,
    /// OR of the wide magnitudes: the normalization shift.
    Or,
    /// The final pass: normalized results, gates or codes written; or ARGMAX's reduction.
    Write,
}

/// Combinational decode of (operation, phase), see the module docs.
#[derive(LogicBlock, Default)]
pub struct Decode {
    /// Operation.
    pub op: Signal<In, OpKind>,
    /// Phase.
    pub phase: Signal<In, Phase>,
    /// Lane selector family (`select::Family`).
    pub family: Signal<Out, Bits<FAMILY_BITS>>,
    /// Product pipeline mode (`product::ProductMode`).
    pub product_mode: Signal<Out, Bits<PRODUCT_MODE_BITS>>,
    /// Exponent unit mode (`exponent::ExpMode`).
    pub exp_mode: Signal<Out, Bits<EXP_MODE_BITS>>,
    /// The product's scalar: 0 `rho.m`, 1 `sigma.m`, 2 `c.m`.
    pub scale_sel: Signal<Out, Bits<2>>,
    /// Alignment pipeline runs MLGRU.
    pub align_mlgru: Signal<Out, Bit>,
    /// Gate pipeline runs ONEMINUS.
    pub gate_oneminus: Signal<Out, Bit>,
    /// The product pipeline takes the sigmoid's outputs (SILU).
    pub silu: Signal<Out, Bit>,
    /// The first operand comes from the accumulator port.
    pub src_acc: Signal<Out, Bit>,
    /// The pass ends in the reduction unit (and clears it first).
    pub reduce_end: Signal<Out, Bit>,
    /// The write pass writes register `vd`.
    pub write_reg: Signal<Out, Bit>,
    /// The write pass sends codes.
    pub write_codes: Signal<Out, Bit>,
    /// The operation sets `vd`'s exponent.
    pub writes_exp: Signal<Out, Bit>,
    /// The operation has an SQ pass.
    pub has_sq: Signal<Out, Bit>,
    /// The operation has an OR pass.
    pub has_or: Signal<Out, Bit>,
    /// The scalar program is QUANT's (else RHO's).
    pub scalar_prog: Signal<Out, Bit>,
    /// `len` is bounded by the register length.
    pub uses_regs: Signal<Out, Bit>,
}

impl Logic for Decode {
    #[hdl_gen]
    fn update(&mut self) {
        self.family.next = 0.into();
        self.product_mode.next = 2.into();
        self.exp_mode.next = 7.into();
        self.scale_sel.next = 0.into();
        self.align_mlgru.next = false;
        self.gate_oneminus.next = false;
        self.silu.next = false;
        self.src_acc.next = false;
        self.write_reg.next = true;
        self.write_codes.next = false;
        self.writes_exp.next = true;
        self.has_sq.next = false;
        self.has_or.next = true;
        self.scalar_prog.next = false;
        self.uses_regs.next = true;
        match self.op.val() {
            OpKind::Norm => {
                self.product_mode.next = 1.into();
                self.exp_mode.next = 5.into();
                self.has_sq.next = true;
            }
            OpKind::Quant => {
                self.product_mode.next = 5.into();
                self.scale_sel.next = 2.into();
                self.write_reg.next = false;
                self.write_codes.next = true;
                self.writes_exp.next = false;
                self.has_sq.next = true;
                self.has_or.next = false;
                self.scalar_prog.next = true;
            }
            OpKind::Dequant => {
                self.product_mode.next = 4.into();
                self.exp_mode.next = 4.into();
                self.scale_sel.next = 1.into();
                self.src_acc.next = true;
            }
            OpKind::Add => {
                self.family.next = 1.into();
                self.exp_mode.next = 0.into();
            }
            OpKind::Mul => {
                self.exp_mode.next = 2.into();
            }
            OpKind::Gmul => {
                self.product_mode.next = 3.into();
                self.exp_mode.next = 3.into();
            }
            OpKind::Sigmoid => {
                self.family.next = 3.into();
                self.exp_mode.next = 6.into();
                self.has_or.next = false;
            }
            OpKind::Silu => {
                self.product_mode.next = 3.into();
                self.exp_mode.next = 3.into();
                self.silu.next = true;
            }
            OpKind::Lbmix => {
                self.family.next = 2.into();
                self.exp_mode.next = 6.into();
                self.has_or.next = false;
            }
            OpKind::Oneminus => {
                self.family.next = 2.into();
                self.exp_mode.next = 6.into();
                self.gate_oneminus.next = true;
                self.has_or.next = false;
            }
            OpKind::Mlgru => {
                self.family.next = 1.into();
                self.exp_mode.next = 1.into();
                self.align_mlgru.next = true;
            }
            OpKind::Argmax => {
                self.family.next = 4.into();
                self.src_acc.next = true;
                self.write_reg.next = false;
                self.writes_exp.next = false;
                self.has_or.next = false;
                self.uses_regs.next = false;
            }
            OpKind::Invalid => {
                self.write_reg.next = false;
                self.writes_exp.next = false;
            }
        }
        // Every pass but a write pass ends in the reduction; SQ passes run the product in SQ mode.
        match self.phase.val() {
            Phase::Sq => {
                self.reduce_end.next = true;
                self.family.next = 0.into();
                self.product_mode.next = 0.into();
            }
            Phase::Scalar => {
                self.reduce_end.next = true;
            }
            Phase::Or => {
                self.reduce_end.next = true;
            }
            Phase::Write => {
                self.reduce_end.next = self.op.val() == OpKind::Argmax;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vpu::exponent::ExpMode;
    use crate::vpu::product::ProductMode;
    use crate::vpu::select::Family;

    fn decode(op: OpKind, phase: Phase) -> Decode {
        let mut d = Decode::default();
        d.connect_all();
        d.op.next = op;
        d.phase.next = phase;
        assert!(simulate(&mut d, 100));
        d
    }

    /// The literals of the decoder are the enums' codes (they cannot drift).
    #[test]
    fn codes_match_the_block_enums() {
        let cases = [
            (
                OpKind::Norm,
                Family::Product,
                ProductMode::Norm,
                ExpMode::Norm,
            ),
            (
                OpKind::Quant,
                Family::Product,
                ProductMode::Qcode,
                ExpMode::None,
            ),
            (
                OpKind::Dequant,
                Family::Product,
                ProductMode::Deq,
                ExpMode::Deq,
            ),
            (OpKind::Add, Family::Align, ProductMode::Mul, ExpMode::Add),
            (OpKind::Mul, Family::Product, ProductMode::Mul, ExpMode::Mul),
            (
                OpKind::Gmul,
                Family::Product,
                ProductMode::Gmul,
                ExpMode::Gmul,
            ),
            (
                OpKind::Sigmoid,
                Family::Sigmoid,
                ProductMode::Mul,
                ExpMode::Gates,
            ),
            (
                OpKind::Silu,
                Family::Product,
                ProductMode::Gmul,
                ExpMode::Gmul,
            ),
            (
                OpKind::Lbmix,
                Family::Gate,
                ProductMode::Mul,
                ExpMode::Gates,
            ),
            (
                OpKind::Oneminus,
                Family::Gate,
                ProductMode::Mul,
                ExpMode::Gates,
            ),
            (
                OpKind::Mlgru,
                Family::Align,
                ProductMode::Mul,
                ExpMode::Mlgru,
            ),
            (
                OpKind::Argmax,
                Family::Bypass,
                ProductMode::Mul,
                ExpMode::None,
            ),
        ];
        for (op, family, mode, exp) in cases {
            let d = decode(op, Phase::Write);
            assert_eq!(d.family.val().to_u64(), family as u64, "{op:?}");
            assert_eq!(d.product_mode.val().to_u64(), mode as u64, "{op:?}");
            assert_eq!(d.exp_mode.val().to_u64(), exp as u64, "{op:?}");
        }
        let sq = decode(OpKind::Quant, Phase::Sq);
        assert_eq!(sq.product_mode.val().to_u64(), ProductMode::Sq as u64);
        assert!(sq.reduce_end.val());
        assert!(!decode(OpKind::Norm, Phase::Write).reduce_end.val());
        assert!(decode(OpKind::Argmax, Phase::Write).reduce_end.val());
        assert!(!decode(OpKind::Invalid, Phase::Write).writes_exp.val());
    }

    #[test]
    fn decode_is_synthesizable() {
        crate::vpu::check::lint_and_synth(Decode::default(), "vpu_decode");
    }
}
