//! The vector unit's top level (docs/ACCELERATOR.md sections 1 and 3): the sequencer (with its
//! decoder), the register file, the scalar unit and the element datapath, and the ports the
//! accelerator's top level uses. A thin wrapper: it only routes.
//!
//! - **Commands**: `cmd_valid`/`cmd_ready` with the instruction's fields; `busy`, `done` (a pulse)
//!   and `error` (valid with `done`).
//! - **Register port** (LOADV, STOREV, EMBED; used while idle): write a row of `L` words
//!   (`ext_write`) and an exponent (`ext_exp_write`) of register `ext_write_reg`; read a row of
//!   `ext_read_reg` (data two cycles later) and its exponent (combinational).
//! - **Codes** (QUANT): `code_valid` with the row's first element index and `L` int8 codes.
//! - **Accumulators** (DEQUANT, ARGMAX): `acc_read_address` (the row's first element index) with
//!   `acc_read_enable`; the buffer answers on `acc_read_data` exactly `acc_latency` cycles later.
//!   DEQUANT reads `acc[0..group]` (its exponent), then `acc[first..first + len]`; the top level
//!   bounds `group` by its buffer (the unit checks only `first + len <= group`).
//! - **Scalars**: `sigma` (written by QUANT, read by DEQUANT; readable, and restorable while idle
//!   with `sigma_write`) and the latest ARGMAX index.

use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::config::{EXP_BITS, LEN_BITS, REG_BITS, VpuConfig};
use crate::vpu::control::Control;
use crate::vpu::datapath::Datapath;
use crate::vpu::model::{check_lanes, check_width};
use crate::vpu::regfile::RegFile;
use crate::vpu::scalar::ScalarUnit;

/// Declares `type $name = Vpu<..>` for `$lanes` lanes and `$row_bits` row-address bits
/// (`VpuConfig::row_bits`), deriving every bus width.
#[macro_export]
macro_rules! declare_vpu {
    ($name: ident, $lanes: expr, $row_bits: expr) => {
        pub type $name = $crate::vpu::Vpu<
            { $lanes },
            { 32 * $lanes },
            { 65 * $lanes },
            { 63 * $lanes },
            { 8 * $lanes },
            { $row_bits },
        >;
    };
}

/// The vector unit (see the module docs); declare a concrete type with [`declare_vpu!`].
#[derive(LogicBlock)]
pub struct Vpu<
    const L: usize,
    const DW: usize,
    const WW: usize,
    const SW: usize,
    const CW: usize,
    const RA: usize,
> {
    /// Clock of every block.
    pub clock: Signal<In, Clock>,
    // Command interface.
    /// A command is offered.
    pub cmd_valid: Signal<In, Bit>,
    /// The unit takes it (idle).
    pub cmd_ready: Signal<Out, Bit>,
    /// Opcode.
    pub cmd_op: Signal<In, Bits<8>>,
    /// Destination register.
    pub cmd_vd: Signal<In, Bits<REG_BITS>>,
    /// First source register.
    pub cmd_va: Signal<In, Bits<REG_BITS>>,
    /// Second source register.
    pub cmd_vb: Signal<In, Bits<REG_BITS>>,
    /// Elements.
    pub cmd_len: Signal<In, Bits<LEN_BITS>>,
    /// Instruction word 2 (QUANT `alpha.m`, DEQUANT first row).
    pub cmd_imm0: Signal<In, Bits<32>>,
    /// Instruction word 3 (QUANT `alpha.e`, DEQUANT group of rows).
    pub cmd_imm1: Signal<In, Bits<32>>,
    /// A command is running.
    pub busy: Signal<Out, Bit>,
    /// One-cycle pulse at the end of a command.
    pub done: Signal<Out, Bit>,
    /// The command was refused (with `done`).
    pub error: Signal<Out, Bit>,
    // Register port.
    /// Writes `ext_write_data` into row `ext_write_row` of `ext_write_reg` (idle only).
    pub ext_write: Signal<In, Bit>,
    /// Register written by the port.
    pub ext_write_reg: Signal<In, Bits<REG_BITS>>,
    /// Row written by the port.
    pub ext_write_row: Signal<In, Bits<RA>>,
    /// Words written by the port.
    pub ext_write_data: Signal<In, Bits<DW>>,
    /// Writes `ext_exp_data` as the exponent of `ext_write_reg` (idle only).
    pub ext_exp_write: Signal<In, Bit>,
    /// Exponent written by the port.
    pub ext_exp_data: Signal<In, Bits<EXP_BITS>>,
    /// Register read by the port.
    pub ext_read_reg: Signal<In, Bits<REG_BITS>>,
    /// Row read by the port.
    pub ext_read_row: Signal<In, Bits<RA>>,
    /// Row `ext_read_row` of `ext_read_reg`, two cycles later.
    pub ext_read_data: Signal<Out, Bits<DW>>,
    /// Exponent of `ext_read_reg`.
    pub ext_read_exp: Signal<Out, Bits<EXP_BITS>>,
    // Codes.
    /// A row of codes.
    pub code_valid: Signal<Out, Bit>,
    /// Element index of its first code.
    pub code_address: Signal<Out, Bits<32>>,
    /// `L` int8 codes.
    pub code_data: Signal<Out, Bits<CW>>,
    // Accumulators.
    /// An accumulator row is requested.
    pub acc_read_enable: Signal<Out, Bit>,
    /// Element index of the row's first accumulator.
    pub acc_read_address: Signal<Out, Bits<32>>,
    /// The row requested `acc_latency` cycles earlier.
    pub acc_read_data: Signal<In, Bits<DW>>,
    // Scalars.
    /// `sigma`'s mantissa.
    pub sigma_m: Signal<Out, Bits<32>>,
    /// `sigma`'s exponent.
    pub sigma_e: Signal<Out, Bits<EXP_BITS>>,
    /// Restores `sigma` (idle only).
    pub sigma_write: Signal<In, Bit>,
    /// Mantissa to restore.
    pub sigma_m_in: Signal<In, Bits<32>>,
    /// Exponent to restore.
    pub sigma_e_in: Signal<In, Bits<EXP_BITS>>,
    /// Index found by the latest ARGMAX.
    pub argmax_index: Signal<Out, Bits<32>>,
    ctl: Control<RA>,
    regs: RegFile<DW, RA>,
    scalar: ScalarUnit,
    dp: Datapath<L, DW, WW, SW, CW>,
    acc_q: DFF<Bits<DW>>,
    argmax_q: DFF<Bits<32>>,
    src_x: Signal<Local, Bits<DW>>,
}

impl<
    const L: usize,
    const DW: usize,
    const WW: usize,
    const SW: usize,
    const CW: usize,
    const RA: usize,
> Vpu<L, DW, WW, SW, CW, RA>
{
    /// The vector unit for `cfg`; the generic widths must be the ones [`declare_vpu!`] derives.
    pub fn new(cfg: &VpuConfig) -> Result<Self> {
        check_lanes("Vpu", L)?;
        check_width("Vpu", "L", L, cfg.lanes)?;
        check_width("Vpu", "RA", RA, cfg.row_bits())?;
        Ok(Vpu {
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
            ext_write: Default::default(),
            ext_write_reg: Default::default(),
            ext_write_row: Default::default(),
            ext_write_data: Default::default(),
            ext_exp_write: Default::default(),
            ext_exp_data: Default::default(),
            ext_read_reg: Default::default(),
            ext_read_row: Default::default(),
            ext_read_data: Default::default(),
            ext_read_exp: Default::default(),
            code_valid: Default::default(),
            code_address: Default::default(),
            code_data: Default::default(),
            acc_read_enable: Default::default(),
            acc_read_address: Default::default(),
            acc_read_data: Default::default(),
            sigma_m: Default::default(),
            sigma_e: Default::default(),
            sigma_write: Default::default(),
            sigma_m_in: Default::default(),
            sigma_e_in: Default::default(),
            argmax_index: Default::default(),
            ctl: Control::new(cfg),
            regs: RegFile::default(),
            scalar: ScalarUnit::new()?,
            dp: Datapath::new()?,
            acc_q: Default::default(),
            argmax_q: Default::default(),
            src_x: Default::default(),
        })
    }
}

impl<
    const L: usize,
    const DW: usize,
    const WW: usize,
    const SW: usize,
    const CW: usize,
    const RA: usize,
> Logic for Vpu<L, DW, WW, SW, CW, RA>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, ctl, regs, scalar, dp);
        dff_setup!(self, clock, acc_q, argmax_q);
        // Sequencer and decoder.
        self.ctl.cmd_valid.next = self.cmd_valid.val();
        self.ctl.cmd_op.next = self.cmd_op.val();
        self.ctl.cmd_vd.next = self.cmd_vd.val();
        self.ctl.cmd_va.next = self.cmd_va.val();
        self.ctl.cmd_vb.next = self.cmd_vb.val();
        self.ctl.cmd_len.next = self.cmd_len.val();
        self.ctl.cmd_imm0.next = self.cmd_imm0.val();
        self.ctl.cmd_imm1.next = self.cmd_imm1.val();
        self.cmd_ready.next = self.ctl.cmd_ready.val();
        self.busy.next = self.ctl.busy.val();
        self.done.next = self.ctl.done.val();
        self.error.next = self.ctl.error.val();
        self.ctl.norm_valid.next = self.dp.norm_valid.val();
        self.ctl.red_valid.next = self.dp.red_valid.val();
        self.ctl.scalar_done.next = self.scalar.done.val();
        // Register file: the sequencer while busy, the external port while idle.
        self.regs.read_row.next = self.ext_read_row.val();
        self.regs.sel_x.next = self.ext_read_reg.val();
        self.regs.write_enable.next = self.ext_write.val();
        self.regs.write_reg.next = self.ext_write_reg.val();
        self.regs.write_row.next = self.ext_write_row.val();
        self.regs.write_data.next = self.ext_write_data.val();
        self.regs.exp_write.next = self.ext_exp_write.val();
        self.regs.exp_write_reg.next = self.ext_write_reg.val();
        self.regs.exp_write_data.next = self.ext_exp_data.val();
        if self.ctl.busy.val() {
            self.regs.read_row.next = self.ctl.read_row.val();
            self.regs.sel_x.next = self.ctl.va.val();
            self.regs.write_enable.next = self.ctl.write_enable.val();
            self.regs.write_reg.next = self.ctl.vd.val();
            self.regs.write_row.next = self.ctl.write_row.val();
            self.regs.write_data.next = self.dp.norm_data.val();
            self.regs.exp_write.next = self.ctl.exp_write.val();
            self.regs.exp_write_reg.next = self.ctl.vd.val();
            self.regs.exp_write_data.next = self.dp.out_exp.val();
        }
        self.regs.sel_y.next = self.ctl.vb.val();
        self.regs.sel_z.next = self.ctl.vd.val();
        self.ext_read_data.next = self.regs.x_data.val();
        self.ext_read_exp.next = self.regs.exp_x.val();
        // Operands: the first from the accumulator port (registered) for DEQUANT and ARGMAX.
        self.acc_read_enable.next = self.ctl.acc_read_enable.val();
        self.acc_read_address.next = self.ctl.acc_address.val();
        self.acc_q.d.next = self.acc_read_data.val();
        self.src_x.next = self.regs.x_data.val();
        if self.ctl.src_acc.val() {
            self.src_x.next = self.acc_q.q.val();
        }
        self.dp.src_valid.next = self.ctl.src_valid.val();
        self.dp.src_x.next = self.src_x.val();
        self.dp.src_y.next = self.regs.y_data.val();
        self.dp.src_z.next = self.regs.z_data.val();
        self.dp.family.next = self.ctl.family.val();
        self.dp.product_mode.next = self.ctl.product_mode.val();
        self.dp.exp_mode.next = self.ctl.exp_mode.val();
        self.dp.scale_sel.next = self.ctl.scale_sel.val();
        self.dp.align_mlgru.next = self.ctl.align_mlgru.val();
        self.dp.gate_oneminus.next = self.ctl.gate_oneminus.val();
        self.dp.silu.next = self.ctl.silu.val();
        self.dp.pass_start.next = self.ctl.pass_start.val();
        self.dp.red_start.next = self.ctl.red_start.val();
        self.dp.len.next = self.ctl.len.val();
        self.dp.ea.next = self.regs.exp_x.val();
        self.dp.eb.next = self.regs.exp_y.val();
        self.dp.ed.next = self.regs.exp_z.val();
        self.dp.rho_m.next = self.scalar.rho_m.val();
        self.dp.rho_e.next = self.scalar.rho_e.val();
        self.dp.sigma_m.next = self.scalar.sigma_m.val();
        self.dp.sigma_e.next = self.scalar.sigma_e.val();
        self.dp.c_m.next = self.scalar.c_m.val();
        self.dp.c_shift.next = self.scalar.c_shift.val();
        self.dp.q_shift.next = self.scalar.q_shift.val();
        self.dp.code_zero.next = self.scalar.code_zero.val();
        // Scalar unit.
        self.scalar.start.next = self.ctl.scalar_start.val();
        self.scalar.prog.next = self.ctl.scalar_prog.val();
        self.scalar.sum_sq.next = self.dp.sum_sq.val();
        self.scalar.ea.next = self.regs.exp_x.val();
        self.scalar.eb.next = self.regs.exp_y.val();
        self.scalar.len.next = self.ctl.len.val();
        self.scalar.umax.next = self.dp.umax.val();
        self.scalar.alpha_m.next = self.ctl.imm0.val();
        self.scalar.alpha_e.next = self.ctl.imm1.val();
        self.scalar.sigma_write.next = self.sigma_write.val() & !self.ctl.busy.val();
        self.scalar.sigma_m_in.next = self.sigma_m_in.val();
        self.scalar.sigma_e_in.next = self.sigma_e_in.val();
        self.sigma_m.next = self.scalar.sigma_m.val();
        self.sigma_e.next = self.scalar.sigma_e.val();
        // Codes and the argmax index.
        self.code_valid.next = self.ctl.code_valid.val();
        self.code_address.next = self.ctl.code_address.val();
        self.code_data.next = self.dp.norm_codes.val();
        if self.ctl.argmax_latch.val() {
            self.argmax_q.d.next = self.dp.arg_index.val();
        }
        self.argmax_index.next = self.argmax_q.q.val();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::declare_vpu!(Vpu1, 1, 4);

    #[test]
    fn widths_must_match_the_configuration() {
        let cfg = VpuConfig::new(1, 16, 2).unwrap();
        assert!(Vpu1::new(&cfg).is_ok());
        let other = VpuConfig::new(1, 64, 2).unwrap();
        assert!(
            Vpu1::new(&other).is_err(),
            "row bits 4 cannot address 64 rows"
        );
    }
}
