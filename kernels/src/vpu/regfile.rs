//! The vector register file (docs/ACCELERATOR.md section 3): 16 registers of `reg_len` 32-bit
//! words (BFP mantissas or gates) and one exponent each.
//!
//! Each register is its own simple-dual-port memory of `reg_len / L` rows of `L` words, so a row of
//! three different registers (`x`, `y`, `z`: `va`, `vb` and `vd` of an instruction) is read in one
//! cycle while a fourth row is written: every operation streams rows at one per cycle with no bank
//! conflict. All 16 memories read the same row; registered 16-to-1 multiplexers pick the three
//! operands. Read latency 2 (memory, multiplexer). Exponents live in flip-flops; their multiplexers
//! are combinational. The vector unit's wrapper shares these ports between its own sequencing and
//! the external port (LOADV/STOREV/EMBED) when idle.

use rust_hdl::prelude::*;

use crate::vpu::config::{EXP_BITS, N_REGS, REG_BITS};

/// Cycles from `read_row` (and the selects) to `x_data`/`y_data`/`z_data`.
pub const REGFILE_READ_LATENCY: usize = 2;

/// 16 vector registers of rows of `DW` bits, `2^RA` rows deep.
#[derive(LogicBlock, Default)]
pub struct RegFile<const DW: usize, const RA: usize> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Row read from every register.
    pub read_row: Signal<In, Bits<RA>>,
    /// Register of the first operand.
    pub sel_x: Signal<In, Bits<REG_BITS>>,
    /// Register of the second operand.
    pub sel_y: Signal<In, Bits<REG_BITS>>,
    /// Register of the third operand.
    pub sel_z: Signal<In, Bits<REG_BITS>>,
    /// Row `read_row` of `sel_x`, two cycles later.
    pub x_data: Signal<Out, Bits<DW>>,
    /// Row `read_row` of `sel_y`, two cycles later.
    pub y_data: Signal<Out, Bits<DW>>,
    /// Row `read_row` of `sel_z`, two cycles later.
    pub z_data: Signal<Out, Bits<DW>>,
    /// Exponent of `sel_x` (combinational).
    pub exp_x: Signal<Out, Bits<EXP_BITS>>,
    /// Exponent of `sel_y` (combinational).
    pub exp_y: Signal<Out, Bits<EXP_BITS>>,
    /// Exponent of `sel_z` (combinational).
    pub exp_z: Signal<Out, Bits<EXP_BITS>>,
    /// Writes `write_data` into row `write_row` of `write_reg`.
    pub write_enable: Signal<In, Bit>,
    /// Register written.
    pub write_reg: Signal<In, Bits<REG_BITS>>,
    /// Row written.
    pub write_row: Signal<In, Bits<RA>>,
    /// Row of words written.
    pub write_data: Signal<In, Bits<DW>>,
    /// Writes `exp_write_data` as the exponent of `exp_write_reg`.
    pub exp_write: Signal<In, Bit>,
    /// Register whose exponent is written.
    pub exp_write_reg: Signal<In, Bits<REG_BITS>>,
    /// Exponent written.
    pub exp_write_data: Signal<In, Bits<EXP_BITS>>,
    rams: [RAM<Bits<DW>, RA>; N_REGS],
    exps: [DFF<Bits<EXP_BITS>>; N_REGS],
    sel_x_q: DFF<Bits<REG_BITS>>,
    sel_y_q: DFF<Bits<REG_BITS>>,
    sel_z_q: DFF<Bits<REG_BITS>>,
    x_q: DFF<Bits<DW>>,
    y_q: DFF<Bits<DW>>,
    z_q: DFF<Bits<DW>>,
}

impl<const DW: usize, const RA: usize> Logic for RegFile<DW, RA> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, sel_x_q, sel_y_q, sel_z_q, x_q, y_q, z_q);
        self.sel_x_q.d.next = self.sel_x.val();
        self.sel_y_q.d.next = self.sel_y.val();
        self.sel_z_q.d.next = self.sel_z.val();
        self.x_q.d.next = self.rams[0].read_data.val();
        self.y_q.d.next = self.rams[0].read_data.val();
        self.z_q.d.next = self.rams[0].read_data.val();
        self.exp_x.next = self.exps[0].q.val();
        self.exp_y.next = self.exps[0].q.val();
        self.exp_z.next = self.exps[0].q.val();
        for i in 0..16 {
            self.rams[i].read_clock.next = self.clock.val();
            self.rams[i].write_clock.next = self.clock.val();
            self.rams[i].read_address.next = self.read_row.val();
            self.rams[i].write_address.next = self.write_row.val();
            self.rams[i].write_data.next = self.write_data.val();
            self.rams[i].write_enable.next =
                self.write_enable.val() & (self.write_reg.val().index() == i);
            self.exps[i].clock.next = self.clock.val();
            self.exps[i].d.next = self.exps[i].q.val();
            if self.exp_write.val() & (self.exp_write_reg.val().index() == i) {
                self.exps[i].d.next = self.exp_write_data.val();
            }
            if self.sel_x_q.q.val().index() == i {
                self.x_q.d.next = self.rams[i].read_data.val();
            }
            if self.sel_y_q.q.val().index() == i {
                self.y_q.d.next = self.rams[i].read_data.val();
            }
            if self.sel_z_q.q.val().index() == i {
                self.z_q.d.next = self.rams[i].read_data.val();
            }
            if self.sel_x.val().index() == i {
                self.exp_x.next = self.exps[i].q.val();
            }
            if self.sel_y.val().index() == i {
                self.exp_y.next = self.exps[i].q.val();
            }
            if self.sel_z.val().index() == i {
                self.exp_z.next = self.exps[i].q.val();
            }
        }
        self.x_data.next = self.x_q.q.val();
        self.y_data.next = self.y_q.q.val();
        self.z_data.next = self.z_q.q.val();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tick(rf: &mut RegFile<64, 3>) {
        for level in [true, false] {
            rf.clock.next = Clock::from(level);
            assert!(simulate(rf, 1000));
        }
    }

    #[test]
    fn rows_and_exponents_round_trip_with_two_cycle_reads() {
        let mut rf = RegFile::<64, 3>::default();
        rf.connect_all();
        for (reg, row) in [(0u64, 1u64), (5, 1), (15, 7)] {
            rf.write_enable.next = true;
            rf.write_reg.next = reg.into();
            rf.write_row.next = row.into();
            rf.write_data.next = (reg * 1000 + row).into();
            rf.exp_write.next = true;
            rf.exp_write_reg.next = reg.into();
            rf.exp_write_data.next = (reg + 40).into();
            tick(&mut rf);
        }
        rf.write_enable.next = false;
        rf.exp_write.next = false;
        rf.read_row.next = 1.into();
        rf.sel_x.next = 5.into();
        rf.sel_y.next = 0.into();
        rf.sel_z.next = 15.into();
        assert!(simulate(&mut rf, 1000));
        assert_eq!(rf.exp_x.val().to_u64(), 45);
        tick(&mut rf);
        tick(&mut rf);
        assert_eq!(rf.x_data.val().to_u64(), 5001);
        assert_eq!(rf.y_data.val().to_u64(), 1);
        assert_eq!(
            rf.z_data.val().to_u64(),
            0,
            "row 1 of register 15 was never written"
        );
        assert_eq!((rf.exp_y.val().to_u64(), rf.exp_z.val().to_u64()), (40, 55));
    }

    #[test]
    fn regfile_is_synthesizable() {
        crate::vpu::check::lint_and_synth(RegFile::<128, 8>::default(), "vpu_regfile4");
    }
}
