//! The `ap_ctrl_hs` register file of the kernel's control slave (DESIGN.md section 4): the
//! register half of [`crate::AxiLiteControl`], fed by [`crate::axil_reg_if::AxilRegIf`]'s write
//! and read strobes. Offsets come from a [`ControlLayout`] (the spec crate's register map at the
//! top level); the block fixes the meaning of the bits, as Vitis HLS does:
//!
//! - control: bit 0 `ap_start` (a write of 1 sets it; it clears when the kernel raises `done`,
//!   which is also `ap_ready` for a kernel that starts one run at a time, unless the host sets it
//!   again on that edge), bit 1 `ap_done` (sticky, cleared by reading the control word), bit 2
//!   `ap_idle` (the `idle` input, registered), bit 3 `ap_ready` (sticky like `ap_done`);
//!   auto-restart is not implemented;
//! - global interrupt enable: bit 0;
//! - interrupt enable: bit 0 for done, bit 1 for ready;
//! - interrupt status: bit 0 done, bit 1 ready, set by the event when enabled, toggled by writing
//!   1; `irq = gie & (status != 0)`;
//! - `N_ARGS` argument words from `args` (a 64-bit pointer takes two, low word first), written
//!   under the byte strobes.
//!
//! A kernel event on the same edge as a clearing read or a toggling write wins, so no event is
//! lost. Unmapped addresses read as zero and ignore writes. `rd_data` is a function of the
//! registers and `rd_addr` only.

use rust_hdl::prelude::*;

use crate::axi::invalid;
use crate::error::Result;

/// Byte offsets of the control registers (the top level takes them from the spec crate's
/// register map; DESIGN.md section 4 gives the `ap_ctrl_hs` layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ControlLayout {
    /// The `ap_start`/`ap_done`/`ap_idle`/`ap_ready` word.
    pub control: u64,
    /// Global interrupt enable.
    pub global_interrupt_enable: u64,
    /// Interrupt enable (done, ready).
    pub interrupt_enable: u64,
    /// Interrupt status (done, ready), toggle on write.
    pub interrupt_status: u64,
    /// First argument word; word `i` is at `args + 4 i`.
    pub args: u64,
}

/// Bytes per register word.
const WORD_BYTES: u64 = 4;

impl ControlLayout {
    /// Checks the layout for `n_args` argument words in an `addr_bits`-bit address space: word
    /// aligned, no two registers at one offset, everything addressable.
    pub(crate) fn check(&self, n_args: usize, addr_bits: usize) -> Result<()> {
        const BLOCK: &str = "AxiLiteControl";
        let singles = [
            ("control", self.control),
            ("global_interrupt_enable", self.global_interrupt_enable),
            ("interrupt_enable", self.interrupt_enable),
            ("interrupt_status", self.interrupt_status),
            ("args", self.args),
        ];
        let limit = 1u64 << addr_bits;
        let args_end = (WORD_BYTES * n_args as u64)
            .checked_add(self.args)
            .filter(|&end| end <= limit)
            .ok_or_else(|| {
                invalid(
                    BLOCK,
                    "args",
                    self.args as usize,
                    &format!("{n_args} argument words must end within {addr_bits}-bit addresses"),
                )
            })?;
        for (i, &(name, offset)) in singles.iter().enumerate() {
            if offset % WORD_BYTES != 0 || offset >= limit {
                return Err(invalid(
                    BLOCK,
                    name,
                    offset as usize,
                    &format!("a multiple of 4 bytes below {limit:#x}"),
                ));
            }
            let overlaps_args = (self.args..args_end).contains(&offset);
            let repeated = singles[..i].iter().any(|&(_, o)| o == offset);
            if i < 4 && overlaps_args || repeated {
                return Err(invalid(
                    BLOCK,
                    name,
                    offset as usize,
                    "overlaps another register",
                ));
            }
        }
        Ok(())
    }
}

/// The `ap_ctrl_hs` registers and `N_ARGS` argument words.
#[derive(LogicBlock)]
pub struct ApCtrlRegs<const N_ARGS: usize, const ARG_BITS: usize, const ADDR_BITS: usize> {
    /// Clock (`ap_clk`).
    pub clock: Signal<In, Clock>,
    /// Synchronous reset, active high: every register returns to zero.
    pub reset: Signal<In, Bit>,
    // Register access
    /// Write `wr_data` under `wr_strb` to the register at `wr_addr` at this edge.
    pub wr_valid: Signal<In, Bit>,
    /// Word-aligned byte address of the write.
    pub wr_addr: Signal<In, Bits<ADDR_BITS>>,
    /// Data of the write.
    pub wr_data: Signal<In, Bits<32>>,
    /// Byte strobes of the write.
    pub wr_strb: Signal<In, Bits<4>>,
    /// The register at `rd_addr` is read at this edge (clears `ap_done`/`ap_ready`).
    pub rd_valid: Signal<In, Bit>,
    /// Word-aligned byte address of the read.
    pub rd_addr: Signal<In, Bits<ADDR_BITS>>,
    /// The value of the register at `rd_addr`.
    pub rd_data: Signal<Out, Bits<32>>,
    // Kernel side
    /// `ap_start`: the host asked for a run and the kernel has not finished it.
    pub start: Signal<Out, Bit>,
    /// `ap_done` (and `ap_ready`): a one-cycle pulse when a run finishes.
    pub done: Signal<In, Bit>,
    /// `ap_idle`: the kernel is not running.
    pub idle: Signal<In, Bit>,
    /// Level interrupt to the platform.
    pub irq: Signal<Out, Bit>,
    /// The argument words, word `i` in bits `[32 i, 32 i + 32)`.
    pub args: Signal<Out, Bits<ARG_BITS>>,
    ap_start: DFF<Bit>,
    ap_done: DFF<Bit>,
    ap_ready: DFF<Bit>,
    ap_idle: DFF<Bit>,
    gie: DFF<Bit>,
    ier: DFF<Bits<2>>,
    isr: DFF<Bits<2>>,
    arg_words: DFF<Bits<ARG_BITS>>,
    wmask: Signal<Local, Bits<32>>,
    isr_next: Signal<Local, Bits<2>>,
    wmask_wide: Signal<Local, Bits<ARG_BITS>>,
    wdata_wide: Signal<Local, Bits<ARG_BITS>>,
    arg_word: Signal<Local, Bits<ARG_BITS>>,
    control_at: Constant<Bits<ADDR_BITS>>,
    gie_at: Constant<Bits<ADDR_BITS>>,
    ier_at: Constant<Bits<ADDR_BITS>>,
    isr_at: Constant<Bits<ADDR_BITS>>,
    arg_at: [Constant<Bits<ADDR_BITS>>; N_ARGS],
    arg_shift: [Constant<Bits<16>>; N_ARGS],
}

impl<const N_ARGS: usize, const ARG_BITS: usize, const ADDR_BITS: usize>
    ApCtrlRegs<N_ARGS, ARG_BITS, ADDR_BITS>
{
    /// The registers at the offsets of `layout` (checked here).
    pub(crate) fn new(layout: ControlLayout) -> Result<Self> {
        layout.check(N_ARGS, ADDR_BITS)?;
        let at = |offset: u64| Constant::new(Bits::<ADDR_BITS>::from(offset));
        Ok(ApCtrlRegs {
            clock: Default::default(),
            reset: Default::default(),
            wr_valid: Default::default(),
            wr_addr: Default::default(),
            wr_data: Default::default(),
            wr_strb: Default::default(),
            rd_valid: Default::default(),
            rd_addr: Default::default(),
            rd_data: Default::default(),
            start: Default::default(),
            done: Default::default(),
            idle: Default::default(),
            irq: Default::default(),
            args: Default::default(),
            ap_start: Default::default(),
            ap_done: Default::default(),
            ap_ready: Default::default(),
            ap_idle: Default::default(),
            gie: Default::default(),
            ier: Default::default(),
            isr: Default::default(),
            arg_words: Default::default(),
            wmask: Default::default(),
            isr_next: Default::default(),
            wmask_wide: Default::default(),
            wdata_wide: Default::default(),
            arg_word: Default::default(),
            control_at: at(layout.control),
            gie_at: at(layout.global_interrupt_enable),
            ier_at: at(layout.interrupt_enable),
            isr_at: at(layout.interrupt_status),
            arg_at: std::array::from_fn(|i| at(layout.args + WORD_BYTES * i as u64)),
            arg_shift: std::array::from_fn(|i| Constant::new(Bits::from(32 * i as u64))),
        })
    }
}

impl<const N_ARGS: usize, const ARG_BITS: usize, const ADDR_BITS: usize> Logic
    for ApCtrlRegs<N_ARGS, ARG_BITS, ADDR_BITS>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, ap_start, ap_done, ap_ready, ap_idle, gie, ier, isr, arg_words
        );
        self.start.next = self.ap_start.q.val();
        self.irq.next = self.gie.q.val() & self.isr.q.val().any();
        self.args.next = self.arg_words.q.val();
        // Read mux: registers and `rd_addr` only.
        self.rd_data.next = 0.into();
        self.arg_word.next = 0.into();
        if self.rd_addr.val() == self.control_at.val() {
            self.rd_data.next = bit_cast::<32, 1>(self.ap_start.q.val().into())
                | (bit_cast::<32, 1>(self.ap_done.q.val().into()) << 1)
                | (bit_cast::<32, 1>(self.ap_idle.q.val().into()) << 2)
                | (bit_cast::<32, 1>(self.ap_ready.q.val().into()) << 3);
        }
        if self.rd_addr.val() == self.gie_at.val() {
            self.rd_data.next = bit_cast::<32, 1>(self.gie.q.val().into());
        }
        if self.rd_addr.val() == self.ier_at.val() {
            self.rd_data.next = bit_cast::<32, 2>(self.ier.q.val());
        }
        if self.rd_addr.val() == self.isr_at.val() {
            self.rd_data.next = bit_cast::<32, 2>(self.isr.q.val());
        }
        for i in 0..N_ARGS {
            if self.rd_addr.val() == self.arg_at[i].val() {
                self.arg_word.next = self.arg_words.q.val() >> self.arg_shift[i].val();
                self.rd_data.next = bit_cast::<32, ARG_BITS>(self.arg_word.val());
            }
        }
        // Writes. `ap_start` clears when the run finishes, unless the host sets it on that edge.
        if self.done.val() {
            self.ap_start.d.next = false;
        }
        self.isr_next.next = self.isr.q.val();
        if self.wr_valid.val() & self.wr_strb.val().get_bit(0) {
            if (self.wr_addr.val() == self.control_at.val()) & self.wr_data.val().get_bit(0) {
                self.ap_start.d.next = true;
            }
            if self.wr_addr.val() == self.gie_at.val() {
                self.gie.d.next = self.wr_data.val().get_bit(0);
            }
            if self.wr_addr.val() == self.ier_at.val() {
                self.ier.d.next = self.wr_data.val().get_bits::<2>(0);
            }
            if self.wr_addr.val() == self.isr_at.val() {
                self.isr_next.next = self.isr_next.val() ^ self.wr_data.val().get_bits::<2>(0);
            }
        }
        self.wmask.next = 0.into();
        if self.wr_strb.val().get_bit(0) {
            self.wmask.next = self.wmask.val() | 0xFF;
        }
        if self.wr_strb.val().get_bit(1) {
            self.wmask.next = self.wmask.val() | 0xFF00;
        }
        if self.wr_strb.val().get_bit(2) {
            self.wmask.next = self.wmask.val() | 0xFF_0000;
        }
        if self.wr_strb.val().get_bit(3) {
            self.wmask.next = self.wmask.val() | 0xFF00_0000_u64;
        }
        // (rust-hdl evaluates `bit_cast` outside loops, so the casts happen before this one.)
        self.wmask_wide.next = bit_cast::<ARG_BITS, 32>(self.wmask.val());
        self.wdata_wide.next = bit_cast::<ARG_BITS, 32>(self.wr_data.val() & self.wmask.val());
        for i in 0..N_ARGS {
            if self.wr_valid.val() & (self.wr_addr.val() == self.arg_at[i].val()) {
                self.arg_words.d.next = (self.arg_words.q.val()
                    & !(self.wmask_wide.val() << self.arg_shift[i].val()))
                    | (self.wdata_wide.val() << self.arg_shift[i].val());
            }
        }
        // Clear on read; kernel events win over it and over a toggling write on the same edge.
        if self.rd_valid.val() & (self.rd_addr.val() == self.control_at.val()) {
            self.ap_done.d.next = false;
            self.ap_ready.d.next = false;
        }
        self.ap_idle.d.next = self.idle.val();
        if self.done.val() {
            self.ap_done.d.next = true;
            self.ap_ready.d.next = true;
            self.isr_next.next = self.isr_next.val() | self.ier.q.val();
        }
        self.isr.d.next = self.isr_next.val();
        if self.reset.val() {
            self.ap_start.d.next = false;
            self.ap_done.d.next = false;
            self.ap_ready.d.next = false;
            self.gie.d.next = false;
            self.ier.d.next = 0.into();
            self.isr.d.next = 0.into();
            self.arg_words.d.next = 0.into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ap_ctrl_hs offsets of DESIGN.md section 4, written out independently of the spec crate.
    const HS: ControlLayout = ControlLayout {
        control: 0x00,
        global_interrupt_enable: 0x04,
        interrupt_enable: 0x08,
        interrupt_status: 0x0c,
        args: 0x10,
    };

    #[test]
    fn layouts_are_checked() {
        assert!(HS.check(8, 7).is_ok());
        let bad = [
            ControlLayout {
                control: 0x02,
                ..HS
            },
            ControlLayout {
                global_interrupt_enable: 0x00,
                ..HS
            },
            ControlLayout { args: 0x08, ..HS },
            ControlLayout { args: 0x70, ..HS },
            ControlLayout {
                control: 0x80,
                ..HS
            },
            ControlLayout {
                args: u64::MAX - 3,
                ..HS
            },
        ];
        for layout in bad {
            assert!(layout.check(8, 7).is_err(), "{layout:?}");
        }
        let e = ControlLayout { args: 0x70, ..HS }
            .check(8, 7)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "AxiLiteControl: parameter args = 112 is invalid: 8 argument words must end within 7-bit addresses"
        );
    }

    #[test]
    fn ap_ctrl_regs_is_synthesizable() {
        let regs = ApCtrlRegs::<4, 128, 6>::new(HS).unwrap();
        crate::stream_test::lint_and_synth(regs, "ap_ctrl_regs4");
    }
}
