//! The vector unit's sequencer (docs/ACCELERATOR.md section 3): takes one command at a time,
//! checks it, and runs its passes (decoder table in [`crate::vpu::decode`]): each pass issues the
//! rows `0..ceil(len / L)` one per cycle to the register file (or the accumulator port) and counts
//! them back at the pass's end (normalizer or reduction unit), where a write pass also writes
//! them; a gap of [`GAP_CYCLES`] lets the reduction's results reach the exponent unit before the
//! next pass; the scalar step starts the scalar unit and waits for it. `done` pulses at the end,
//! with `error` high if the command was refused (unknown opcode, `len = 0`, `len` beyond the
//! register length for an operation on registers, or DEQUANT's `first + len` beyond its group);
//! a refused command changes nothing.
//!
//! DEQUANT's passes differ in length: its OR pass reads the whole group `acc[0..group]` (the
//! exponent of `dequantize(acc[0..group], sigma)`), its write pass `acc[first..first + len]`.

use rust_hdl::prelude::*;

use crate::vpu::config::{LEN_BITS, MAX_ACC_LATENCY, REG_BITS, VpuConfig, VpuOp};
use crate::vpu::decode::{Decode, OpKind, Phase};
use crate::vpu::exponent::EXP_MODE_BITS;
use crate::vpu::product::PRODUCT_MODE_BITS;
use crate::vpu::regfile::REGFILE_READ_LATENCY;
use crate::vpu::select::FAMILY_BITS;
use crate::vpu::state_reg::StateReg;

/// Idle cycles between a pass and the next step.
pub const GAP_CYCLES: usize = 3;

/// Sequencer states.
#[derive(Copy, Clone, PartialEq, Eq, Debug, LogicState)]
pub enum CtlState {
    /// Waiting for a command.
    Idle,
    /// Validating it and choosing the first pass.
    Check,
    /// Clearing the counters of a pass.
    PassStart,
    /// Issuing and collecting rows.
    Pass,
    /// Letting results settle.
    Gap,
    /// Starting the scalar program.
    ScalarStart,
    /// Waiting for it.
    ScalarWait,
    /// Writing the exponent, pulsing `done`.
    Finish,
}

/// The sequencer (see the module docs); `RA` is the row address width.
#[derive(LogicBlock)]
pub struct Control<const RA: usize> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    // Command interface.
    /// A command is offered.
    pub cmd_valid: Signal<In, Bit>,
    /// The unit takes the command (idle).
    pub cmd_ready: Signal<Out, Bit>,
    /// Opcode (docs/ACCELERATOR.md section 3).
    pub cmd_op: Signal<In, Bits<8>>,
    /// Destination register.
    pub cmd_vd: Signal<In, Bits<REG_BITS>>,
    /// First source register.
    pub cmd_va: Signal<In, Bits<REG_BITS>>,
    /// Second source register.
    pub cmd_vb: Signal<In, Bits<REG_BITS>>,
    /// Vector length.
    pub cmd_len: Signal<In, Bits<LEN_BITS>>,
    /// Instruction word 2 (QUANT's `alpha.m`, DEQUANT's first row).
    pub cmd_imm0: Signal<In, Bits<32>>,
    /// Instruction word 3 (QUANT's `alpha.e`, DEQUANT's group of rows).
    pub cmd_imm1: Signal<In, Bits<32>>,
    /// A command is running.
    pub busy: Signal<Out, Bit>,
    /// One-cycle pulse: the command finished.
    pub done: Signal<Out, Bit>,
    /// The last command was refused (valid with `done`).
    pub error: Signal<Out, Bit>,
    // The latched command.
    /// `vd`.
    pub vd: Signal<Out, Bits<REG_BITS>>,
    /// `va`.
    pub va: Signal<Out, Bits<REG_BITS>>,
    /// `vb`.
    pub vb: Signal<Out, Bits<REG_BITS>>,
    /// Elements of the current pass (`len`, or DEQUANT's group in its OR pass).
    pub len: Signal<Out, Bits<LEN_BITS>>,
    /// Word 2.
    pub imm0: Signal<Out, Bits<32>>,
    /// Word 3.
    pub imm1: Signal<Out, Bits<32>>,
    // The decoder's choices for the datapath (see `decode`).
    /// Lane selector family.
    pub family: Signal<Out, Bits<FAMILY_BITS>>,
    /// Product pipeline mode.
    pub product_mode: Signal<Out, Bits<PRODUCT_MODE_BITS>>,
    /// Exponent unit mode.
    pub exp_mode: Signal<Out, Bits<EXP_MODE_BITS>>,
    /// The product's scalar.
    pub scale_sel: Signal<Out, Bits<2>>,
    /// Alignment runs MLGRU.
    pub align_mlgru: Signal<Out, Bit>,
    /// Gates run ONEMINUS.
    pub gate_oneminus: Signal<Out, Bit>,
    /// The product takes the sigmoid's outputs.
    pub silu: Signal<Out, Bit>,
    /// The first operand comes from the accumulator port.
    pub src_acc: Signal<Out, Bit>,
    /// The scalar program is QUANT's.
    pub scalar_prog: Signal<Out, Bit>,
    // Pass ends.
    /// A row left the normalizer.
    pub norm_valid: Signal<In, Bit>,
    /// A row was absorbed by the reduction unit.
    pub red_valid: Signal<In, Bit>,
    /// The scalar program finished.
    pub scalar_done: Signal<In, Bit>,
    // Row sequencing.
    /// Row read from the register file.
    pub read_row: Signal<Out, Bits<RA>>,
    /// Accumulator read address (first element of the row).
    pub acc_address: Signal<Out, Bits<32>>,
    /// An accumulator row is read this cycle.
    pub acc_read_enable: Signal<Out, Bit>,
    /// The operands of a row are on the source buses.
    pub src_valid: Signal<Out, Bit>,
    /// Write the normalizer's row into `vd`.
    pub write_enable: Signal<Out, Bit>,
    /// Row written.
    pub write_row: Signal<Out, Bits<RA>>,
    /// The normalizer's row carries codes.
    pub code_valid: Signal<Out, Bit>,
    /// First element index of the code row.
    pub code_address: Signal<Out, Bits<32>>,
    /// Clears the lane selector's counter (every pass).
    pub pass_start: Signal<Out, Bit>,
    /// Clears the reduction unit (reduction passes).
    pub red_start: Signal<Out, Bit>,
    /// Starts the scalar program.
    pub scalar_start: Signal<Out, Bit>,
    /// Writes the result exponent of `vd`.
    pub exp_write: Signal<Out, Bit>,
    /// Latches the argmax index (on entering Finish, so it is valid with `done`).
    pub argmax_latch: Signal<Out, Bit>,
    dec: Decode,
    codes: [Constant<Bits<8>>; 12],
    lanes: Constant<Bits<32>>,
    reg_len: Constant<Bits<32>>,
    acc_tap: Constant<Bits<4>>,
    reg_tap: Constant<Bits<4>>,
    issue: Signal<Local, Bit>,
    end_valid: Signal<Local, Bit>,
    bad: Signal<Local, Bit>,
    state: StateReg<CtlState>,
    phase_q: StateReg<Phase>,
    op_q: StateReg<OpKind>,
    vd_q: DFF<Bits<REG_BITS>>,
    va_q: DFF<Bits<REG_BITS>>,
    vb_q: DFF<Bits<REG_BITS>>,
    len_q: DFF<Bits<LEN_BITS>>,
    pass_len: DFF<Bits<LEN_BITS>>,
    imm0_q: DFF<Bits<32>>,
    imm1_q: DFF<Bits<32>>,
    err: DFF<Bit>,
    acc_base: DFF<Bits<32>>,
    issue_row: DFF<Bits<32>>,
    issue_elems: DFF<Bits<32>>,
    done_row: DFF<Bits<32>>,
    done_elems: DFF<Bits<32>>,
    vsr: DFF<Bits<16>>,
    gap: DFF<Bits<4>>,
}

impl<const RA: usize> Control<RA> {
    /// The sequencer of a unit built for `cfg`.
    pub fn new(cfg: &VpuConfig) -> Self {
        debug_assert!(cfg.acc_latency <= MAX_ACC_LATENCY);
        Control {
            clock: Default::default(),
            cmd_valid: Default::default(),
            cmd_ready: Default::default(),
            cmd_op: Default::default(),
            cmd_vd: Default::default(),
            cmd_va: Default::default(),
            cmd_vb: Default::default(),
            cmd_len: Default::default(),
            cmd_imm0: Default::default(),
            cmd_imm1: Default::default(),
            busy: Default::default(),
            done: Default::default(),
            error: Default::default(),
            vd: Default::default(),
            va: Default::default(),
            vb: Default::default(),
            len: Default::default(),
            imm0: Default::default(),
            imm1: Default::default(),
            src_acc: Default::default(),
            norm_valid: Default::default(),
            red_valid: Default::default(),
            scalar_done: Default::default(),
            read_row: Default::default(),
            acc_address: Default::default(),
            acc_read_enable: Default::default(),
            src_valid: Default::default(),
            write_enable: Default::default(),
            write_row: Default::default(),
            code_valid: Default::default(),
            code_address: Default::default(),
            pass_start: Default::default(),
            red_start: Default::default(),
            scalar_start: Default::default(),
            exp_write: Default::default(),
            argmax_latch: Default::default(),
            family: Default::default(),
            product_mode: Default::default(),
            exp_mode: Default::default(),
            scale_sel: Default::default(),
            align_mlgru: Default::default(),
            gate_oneminus: Default::default(),
            silu: Default::default(),
            scalar_prog: Default::default(),
            dec: Decode::default(),
            codes: VpuOp::ALL.map(|op| Constant::new((op.code() as u64).into())),
            lanes: Constant::new((cfg.lanes as u64).into()),
            reg_len: Constant::new((cfg.reg_len as u64).into()),
            acc_tap: Constant::new((cfg.acc_latency as u64).into()),
            reg_tap: Constant::new((REGFILE_READ_LATENCY as u64 - 1).into()),
            issue: Default::default(),
            end_valid: Default::default(),
            bad: Default::default(),
            state: Default::default(),
            phase_q: Default::default(),
            op_q: Default::default(),
            vd_q: Default::default(),
            va_q: Default::default(),
            vb_q: Default::default(),
            len_q: Default::default(),
            pass_len: Default::default(),
            imm0_q: Default::default(),
            imm1_q: Default::default(),
            err: Default::default(),
            acc_base: Default::default(),
            issue_row: Default::default(),
            issue_elems: Default::default(),
            done_row: Default::default(),
            done_elems: Default::default(),
            vsr: Default::default(),
            gap: Default::default(),
        }
    }
}

impl<const RA: usize> Logic for Control<RA> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            state,
            phase_q,
            op_q,
            vd_q,
            va_q,
            vb_q,
            len_q,
            pass_len,
            imm0_q,
            imm1_q,
            err,
            acc_base,
            issue_row,
            issue_elems,
            done_row,
            done_elems,
            vsr,
            gap
        );
        // The latched command and its decode.
        self.dec.op.next = self.op_q.q.val();
        self.dec.phase.next = self.phase_q.q.val();
        self.family.next = self.dec.family.val();
        self.product_mode.next = self.dec.product_mode.val();
        self.exp_mode.next = self.dec.exp_mode.val();
        self.scale_sel.next = self.dec.scale_sel.val();
        self.align_mlgru.next = self.dec.align_mlgru.val();
        self.gate_oneminus.next = self.dec.gate_oneminus.val();
        self.silu.next = self.dec.silu.val();
        self.src_acc.next = self.dec.src_acc.val();
        self.scalar_prog.next = self.dec.scalar_prog.val();
        self.vd.next = self.vd_q.q.val();
        self.va.next = self.va_q.q.val();
        self.vb.next = self.vb_q.q.val();
        self.len.next = self.pass_len.q.val();
        self.imm0.next = self.imm0_q.q.val();
        self.imm1.next = self.imm1_q.q.val();
        self.error.next = self.err.q.val();
        // Rows: issue while elements remain; count back at the pass's end.
        self.issue.next = (self.state.q.val() == CtlState::Pass)
            & (self.issue_elems.q.val() < self.pass_len.q.val());
        self.end_valid.next = self.norm_valid.val();
        if self.dec.reduce_end.val() {
            self.end_valid.next = self.red_valid.val();
        }
        self.read_row.next = bit_cast::<RA, 32>(self.issue_row.q.val());
        self.acc_address.next = self.acc_base.q.val() + self.issue_elems.q.val();
        self.acc_read_enable.next = self.issue.val() & self.dec.src_acc.val();
        self.write_row.next = bit_cast::<RA, 32>(self.done_row.q.val());
        self.code_address.next = self.done_elems.q.val();
        self.write_enable.next = (self.state.q.val() == CtlState::Pass)
            & (self.phase_q.q.val() == Phase::Write)
            & self.norm_valid.val()
            & self.dec.write_reg.val();
        self.code_valid.next = (self.state.q.val() == CtlState::Pass)
            & (self.phase_q.q.val() == Phase::Write)
            & self.norm_valid.val()
            & self.dec.write_codes.val();
        if self.issue.val() {
            self.issue_row.d.next = self.issue_row.q.val() + 1;
            self.issue_elems.d.next = self.issue_elems.q.val() + self.lanes.val();
        }
        if (self.state.q.val() == CtlState::Pass) & self.end_valid.val() {
            self.done_row.d.next = self.done_row.q.val() + 1;
            self.done_elems.d.next = self.done_elems.q.val() + self.lanes.val();
        }
        // Operands arrive REGFILE_READ_LATENCY (or acc_latency + 1) cycles after the issue.
        self.vsr.d.next = self.vsr.q.val() << 1;
        if self.issue.val() {
            self.vsr.d.next = (self.vsr.q.val() << 1) | bits::<16>(1);
        }
        self.src_valid.next = self.vsr.q.val().get_bit(self.reg_tap.val().index());
        if self.dec.src_acc.val() {
            self.src_valid.next = self.vsr.q.val().get_bit(self.acc_tap.val().index());
        }
        self.bad.next = (self.op_q.q.val() == OpKind::Invalid)
            | (self.len_q.q.val() == 0)
            | (self.dec.uses_regs.val() & (self.len_q.q.val() > self.reg_len.val()))
            | ((self.op_q.q.val() == OpKind::Dequant)
                & ((self.len_q.q.val() > self.imm1_q.q.val())
                    | (self.imm0_q.q.val() > self.imm1_q.q.val() - self.len_q.q.val())));
        self.cmd_ready.next = false;
        self.busy.next = true;
        self.done.next = false;
        self.pass_start.next = false;
        self.red_start.next = false;
        self.scalar_start.next = false;
        self.exp_write.next = false;
        self.argmax_latch.next = false;
        match self.state.q.val() {
            CtlState::Idle => {
                self.cmd_ready.next = true;
                self.busy.next = false;
                if self.cmd_valid.val() {
                    self.op_q.d.next = OpKind::Invalid;
                    if self.cmd_op.val() == self.codes[0].val() {
                        self.op_q.d.next = OpKind::Norm;
                    }
                    if self.cmd_op.val() == self.codes[1].val() {
                        self.op_q.d.next = OpKind::Quant;
                    }
                    if self.cmd_op.val() == self.codes[2].val() {
                        self.op_q.d.next = OpKind::Dequant;
                    }
                    if self.cmd_op.val() == self.codes[3].val() {
                        self.op_q.d.next = OpKind::Add;
                    }
                    if self.cmd_op.val() == self.codes[4].val() {
                        self.op_q.d.next = OpKind::Mul;
                    }
                    if self.cmd_op.val() == self.codes[5].val() {
                        self.op_q.d.next = OpKind::Gmul;
                    }
                    if self.cmd_op.val() == self.codes[6].val() {
                        self.op_q.d.next = OpKind::Sigmoid;
                    }
                    if self.cmd_op.val() == self.codes[7].val() {
                        self.op_q.d.next = OpKind::Silu;
                    }
                    if self.cmd_op.val() == self.codes[8].val() {
                        self.op_q.d.next = OpKind::Lbmix;
                    }
                    if self.cmd_op.val() == self.codes[9].val() {
                        self.op_q.d.next = OpKind::Oneminus;
                    }
                    if self.cmd_op.val() == self.codes[10].val() {
                        self.op_q.d.next = OpKind::Mlgru;
                    }
                    if self.cmd_op.val() == self.codes[11].val() {
                        self.op_q.d.next = OpKind::Argmax;
                    }
                    self.vd_q.d.next = self.cmd_vd.val();
                    self.va_q.d.next = self.cmd_va.val();
                    self.vb_q.d.next = self.cmd_vb.val();
                    self.len_q.d.next = self.cmd_len.val();
                    self.imm0_q.d.next = self.cmd_imm0.val();
                    self.imm1_q.d.next = self.cmd_imm1.val();
                    self.state.d.next = CtlState::Check;
                }
            }
            CtlState::Check => {
                self.err.d.next = self.bad.val();
                self.phase_q.d.next = Phase::Write;
                if self.dec.has_or.val() {
                    self.phase_q.d.next = Phase::Or;
                }
                if self.dec.has_sq.val() {
                    self.phase_q.d.next = Phase::Sq;
                }
                self.state.d.next = CtlState::PassStart;
                if self.bad.val() {
                    self.state.d.next = CtlState::Finish;
                }
            }
            CtlState::PassStart => {
                self.pass_start.next = true;
                self.red_start.next = self.dec.reduce_end.val();
                // DEQUANT: the OR pass spans the group, the write pass starts at `first`.
                self.pass_len.d.next = self.len_q.q.val();
                self.acc_base.d.next = 0.into();
                if self.op_q.q.val() == OpKind::Dequant {
                    if self.phase_q.q.val() == Phase::Or {
                        self.pass_len.d.next = self.imm1_q.q.val();
                    } else {
                        self.acc_base.d.next = self.imm0_q.q.val();
                    }
                }
                self.issue_row.d.next = 0.into();
                self.issue_elems.d.next = 0.into();
                self.done_row.d.next = 0.into();
                self.done_elems.d.next = 0.into();
                self.state.d.next = CtlState::Pass;
            }
            CtlState::Pass => {
                if self.done_elems.q.val() >= self.pass_len.q.val() {
                    self.gap.d.next = 0.into();
                    self.state.d.next = CtlState::Gap;
                }
            }
            CtlState::Gap => {
                self.gap.d.next = self.gap.q.val() + 1;
                if self.gap.q.val() == 2 {
                    match self.phase_q.q.val() {
                        Phase::Sq => {
                            self.phase_q.d.next = Phase::Scalar;
                            self.state.d.next = CtlState::ScalarStart;
                        }
                        Phase::Scalar => {
                            self.phase_q.d.next = Phase::Write;
                            if self.dec.has_or.val() {
                                self.phase_q.d.next = Phase::Or;
                            }
                            self.state.d.next = CtlState::PassStart;
                        }
                        Phase::Or => {
                            self.phase_q.d.next = Phase::Write;
                            self.state.d.next = CtlState::PassStart;
                        }
                        _ => {
                            // ARGMAX's index is latched on entering Finish, valid with done.
                            self.argmax_latch.next =
                                (self.op_q.q.val() == OpKind::Argmax) & !self.err.q.val();
                            self.state.d.next = CtlState::Finish;
                        }
                    }
                }
            }
            CtlState::ScalarStart => {
                self.scalar_start.next = true;
                self.state.d.next = CtlState::ScalarWait;
            }
            CtlState::ScalarWait => {
                if self.scalar_done.val() {
                    self.gap.d.next = 0.into();
                    self.state.d.next = CtlState::Gap;
                }
            }
            _ => {
                self.done.next = true;
                self.exp_write.next = self.dec.writes_exp.val() & !self.err.q.val();
                self.state.d.next = CtlState::Idle;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_is_synthesizable() {
        let cfg = VpuConfig::new(4, 64, 2).unwrap();
        crate::vpu::check::lint_and_synth(Control::<4>::new(&cfg), "vpu_control");
    }
}
