//! The kernel's AXI4-Lite control slave with the Vitis `ap_ctrl_hs` protocol (DESIGN.md
//! section 4): a control word, global interrupt enable, interrupt enable and status, and
//! `N_ARGS` 32-bit argument words (a 64-bit pointer takes two, low word first).
//!
//! Register offsets come from the caller as a [`ControlLayout`] (the spec crate's register map at
//! the top level); the block only fixes the meaning of the bits, as Vitis HLS does:
//!
//! - control: bit 0 `ap_start` (a write of 1 sets it; it clears when the kernel raises `done`,
//!   which is also `ap_ready` for a kernel that starts one run at a time), bit 1 `ap_done`
//!   (sticky, cleared by reading the control word), bit 2 `ap_idle` (the `idle` input, registered),
//!   bit 3 `ap_ready` (sticky like `ap_done`); auto-restart is not implemented;
//! - global interrupt enable: bit 0;
//! - interrupt enable: bit 0 for done, bit 1 for ready;
//! - interrupt status: bit 0 done, bit 1 ready, set by the event when enabled, toggled by writing 1;
//!   `irq = gie & (status != 0)`.
//!
//! A kernel event on the same edge as a clearing read or a toggling write wins, so no event is
//! lost. Writes honour `wstrb` on argument words; unmapped addresses read as zero and ignore writes;
//! every response is OKAY. The slave raises `awready` and `wready` together for one cycle once
//! both valids are up and the previous response is taken, and answers a read in the cycle after
//! its handshake; every output is a register (or a function of registers only).

use rust_hdl::prelude::*;

use crate::axi::{AXI_RESP_BITS, derived, invalid};
use crate::error::Result;

/// Declares `type $name = AxiLiteControl<..>` with `$n_args` argument words and `$addr_bits`-bit
/// byte addresses.
#[macro_export]
macro_rules! declare_axi_lite_control {
    ($name: ident, $n_args: expr, $addr_bits: expr) => {
        pub type $name = $crate::AxiLiteControl<{ $n_args }, { 32 * $n_args }, { $addr_bits }>;
    };
}

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
    fn check(&self, n_args: usize, addr_bits: usize) -> Result<()> {
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

/// The `ap_ctrl_hs` AXI4-Lite slave with `N_ARGS` argument words; declare it with
/// [`declare_axi_lite_control!`] and build it with [`AxiLiteControl::new`].
#[derive(LogicBlock)]
pub struct AxiLiteControl<const N_ARGS: usize, const ARG_BITS: usize, const ADDR_BITS: usize> {
    /// Clock (`ap_clk`).
    pub clock: Signal<In, Clock>,
    /// Synchronous reset, active high (`!ap_rst_n`): every register returns to zero.
    pub reset: Signal<In, Bit>,
    // AXI4-Lite write address channel
    /// Byte address of the write.
    pub s_axil_awaddr: Signal<In, Bits<ADDR_BITS>>,
    /// The host offers a write address.
    pub s_axil_awvalid: Signal<In, Bit>,
    /// The slave takes it (one cycle, together with `wready`).
    pub s_axil_awready: Signal<Out, Bit>,
    // AXI4-Lite write data channel
    /// Write data.
    pub s_axil_wdata: Signal<In, Bits<32>>,
    /// Byte strobes.
    pub s_axil_wstrb: Signal<In, Bits<4>>,
    /// The host offers write data.
    pub s_axil_wvalid: Signal<In, Bit>,
    /// The slave takes it.
    pub s_axil_wready: Signal<Out, Bit>,
    // AXI4-Lite write response channel
    /// Always OKAY.
    pub s_axil_bresp: Signal<Out, Bits<AXI_RESP_BITS>>,
    /// A write response is offered.
    pub s_axil_bvalid: Signal<Out, Bit>,
    /// The host takes it.
    pub s_axil_bready: Signal<In, Bit>,
    // AXI4-Lite read address channel
    /// Byte address of the read.
    pub s_axil_araddr: Signal<In, Bits<ADDR_BITS>>,
    /// The host offers a read address.
    pub s_axil_arvalid: Signal<In, Bit>,
    /// The slave takes it (one cycle).
    pub s_axil_arready: Signal<Out, Bit>,
    // AXI4-Lite read data channel
    /// Read data.
    pub s_axil_rdata: Signal<Out, Bits<32>>,
    /// Always OKAY.
    pub s_axil_rresp: Signal<Out, Bits<AXI_RESP_BITS>>,
    /// Read data is offered.
    pub s_axil_rvalid: Signal<Out, Bit>,
    /// The host takes it.
    pub s_axil_rready: Signal<In, Bit>,
    // Kernel side
    /// `ap_start`: the host asked for a run and the kernel has not finished it.
    pub start: Signal<Out, Bit>,
    /// `ap_done` (and `ap_ready`): a one-cycle pulse when a run finishes.
    pub done: Signal<In, Bit>,
    /// `ap_idle`: the kernel is not running.
    pub idle: Signal<In, Bit>,
    /// Level interrupt to the platform (`interrupt` at the top level).
    pub irq: Signal<Out, Bit>,
    /// The argument words, word `i` in bits `[32 i, 32 i + 32)`.
    pub args: Signal<Out, Bits<ARG_BITS>>,
    awready: DFF<Bit>,
    wready: DFF<Bit>,
    bvalid: DFF<Bit>,
    arready: DFF<Bit>,
    rvalid: DFF<Bit>,
    rdata: DFF<Bits<32>>,
    ap_start: DFF<Bit>,
    ap_done: DFF<Bit>,
    ap_ready: DFF<Bit>,
    ap_idle: DFF<Bit>,
    gie: DFF<Bit>,
    ier: DFF<Bits<2>>,
    isr: DFF<Bits<2>>,
    arg_words: DFF<Bits<ARG_BITS>>,
    w_fire: Signal<Local, Bit>,
    r_fire: Signal<Local, Bit>,
    waddr: Signal<Local, Bits<ADDR_BITS>>,
    raddr: Signal<Local, Bits<ADDR_BITS>>,
    wmask: Signal<Local, Bits<32>>,
    isr_next: Signal<Local, Bits<2>>,
    wmask_wide: Signal<Local, Bits<ARG_BITS>>,
    wdata_wide: Signal<Local, Bits<ARG_BITS>>,
    arg_word: Signal<Local, Bits<ARG_BITS>>,
    word_mask: Constant<Bits<ADDR_BITS>>,
    control_at: Constant<Bits<ADDR_BITS>>,
    gie_at: Constant<Bits<ADDR_BITS>>,
    ier_at: Constant<Bits<ADDR_BITS>>,
    isr_at: Constant<Bits<ADDR_BITS>>,
    arg_at: [Constant<Bits<ADDR_BITS>>; N_ARGS],
    arg_shift: [Constant<Bits<16>>; N_ARGS],
}

impl<const N_ARGS: usize, const ARG_BITS: usize, const ADDR_BITS: usize>
    AxiLiteControl<N_ARGS, ARG_BITS, ADDR_BITS>
{
    /// A control slave with its registers at the offsets of `layout`.
    pub fn new(layout: ControlLayout) -> Result<Self> {
        const BLOCK: &str = "AxiLiteControl";
        if N_ARGS == 0 {
            return Err(invalid(
                BLOCK,
                "N_ARGS",
                N_ARGS,
                "at least one argument word",
            ));
        }
        derived(
            BLOCK,
            "ARG_BITS",
            ARG_BITS,
            32 * N_ARGS,
            "32 * N_ARGS (use declare_axi_lite_control!)",
        )?;
        if !(4..=32).contains(&ADDR_BITS) {
            return Err(invalid(
                BLOCK,
                "ADDR_BITS",
                ADDR_BITS,
                "4..=32 address bits",
            ));
        }
        layout.check(N_ARGS, ADDR_BITS)?;
        let at = |offset: u64| Constant::new(Bits::<ADDR_BITS>::from(offset));
        Ok(AxiLiteControl {
            clock: Default::default(),
            reset: Default::default(),
            s_axil_awaddr: Default::default(),
            s_axil_awvalid: Default::default(),
            s_axil_awready: Default::default(),
            s_axil_wdata: Default::default(),
            s_axil_wstrb: Default::default(),
            s_axil_wvalid: Default::default(),
            s_axil_wready: Default::default(),
            s_axil_bresp: Default::default(),
            s_axil_bvalid: Default::default(),
            s_axil_bready: Default::default(),
            s_axil_araddr: Default::default(),
            s_axil_arvalid: Default::default(),
            s_axil_arready: Default::default(),
            s_axil_rdata: Default::default(),
            s_axil_rresp: Default::default(),
            s_axil_rvalid: Default::default(),
            s_axil_rready: Default::default(),
            start: Default::default(),
            done: Default::default(),
            idle: Default::default(),
            irq: Default::default(),
            args: Default::default(),
            awready: Default::default(),
            wready: Default::default(),
            bvalid: Default::default(),
            arready: Default::default(),
            rvalid: Default::default(),
            rdata: Default::default(),
            ap_start: Default::default(),
            ap_done: Default::default(),
            ap_ready: Default::default(),
            ap_idle: Default::default(),
            gie: Default::default(),
            ier: Default::default(),
            isr: Default::default(),
            arg_words: Default::default(),
            w_fire: Default::default(),
            r_fire: Default::default(),
            waddr: Default::default(),
            raddr: Default::default(),
            wmask: Default::default(),
            isr_next: Default::default(),
            wmask_wide: Default::default(),
            wdata_wide: Default::default(),
            arg_word: Default::default(),
            word_mask: at(((1u64 << ADDR_BITS) - 1) & !(WORD_BYTES - 1)),
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
    for AxiLiteControl<N_ARGS, ARG_BITS, ADDR_BITS>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, awready, wready, bvalid, arready, rvalid, rdata, ap_start, ap_done,
            ap_ready, ap_idle, gie, ier, isr, arg_words
        );
        // Outputs: registers only.
        self.s_axil_awready.next = self.awready.q.val();
        self.s_axil_wready.next = self.wready.q.val();
        self.s_axil_bvalid.next = self.bvalid.q.val();
        self.s_axil_bresp.next = 0.into();
        self.s_axil_arready.next = self.arready.q.val();
        self.s_axil_rvalid.next = self.rvalid.q.val();
        self.s_axil_rdata.next = self.rdata.q.val();
        self.s_axil_rresp.next = 0.into();
        self.start.next = self.ap_start.q.val();
        self.irq.next = self.gie.q.val() & self.isr.q.val().any();
        self.args.next = self.arg_words.q.val();
        // Write channel: both readies for one cycle once both valids are up and B is free.
        self.awready.d.next = self.s_axil_awvalid.val()
            & self.s_axil_wvalid.val()
            & !self.awready.q.val()
            & !self.bvalid.q.val();
        self.wready.d.next = self.s_axil_awvalid.val()
            & self.s_axil_wvalid.val()
            & !self.awready.q.val()
            & !self.bvalid.q.val();
        self.w_fire.next = self.awready.q.val() & self.s_axil_awvalid.val();
        if self.bvalid.q.val() & self.s_axil_bready.val() {
            self.bvalid.d.next = false;
        }
        if self.w_fire.val() {
            self.bvalid.d.next = true;
        }
        self.waddr.next = self.s_axil_awaddr.val() & self.word_mask.val();
        self.wmask.next = 0.into();
        if self.s_axil_wstrb.val().get_bit(0) {
            self.wmask.next = self.wmask.val() | 0xFF;
        }
        if self.s_axil_wstrb.val().get_bit(1) {
            self.wmask.next = self.wmask.val() | 0xFF00;
        }
        if self.s_axil_wstrb.val().get_bit(2) {
            self.wmask.next = self.wmask.val() | 0xFF_0000;
        }
        if self.s_axil_wstrb.val().get_bit(3) {
            self.wmask.next = self.wmask.val() | 0xFF00_0000_u64;
        }
        // `ap_start` clears when the run finishes, unless the host sets it again on that edge.
        if self.done.val() {
            self.ap_start.d.next = false;
        }
        self.isr_next.next = self.isr.q.val();
        if self.w_fire.val() & self.s_axil_wstrb.val().get_bit(0) {
            if (self.waddr.val() == self.control_at.val()) & self.s_axil_wdata.val().get_bit(0) {
                self.ap_start.d.next = true;
            }
            if self.waddr.val() == self.gie_at.val() {
                self.gie.d.next = self.s_axil_wdata.val().get_bit(0);
            }
            if self.waddr.val() == self.ier_at.val() {
                self.ier.d.next = self.s_axil_wdata.val().get_bits::<2>(0);
            }
            if self.waddr.val() == self.isr_at.val() {
                self.isr_next.next = self.isr_next.val() ^ self.s_axil_wdata.val().get_bits::<2>(0);
            }
        }
        // (rust-hdl evaluates `bit_cast` outside loops, so the casts happen before this one.)
        self.wmask_wide.next = bit_cast::<ARG_BITS, 32>(self.wmask.val());
        self.wdata_wide.next = bit_cast::<ARG_BITS, 32>(self.s_axil_wdata.val() & self.wmask.val());
        for i in 0..N_ARGS {
            if self.w_fire.val() & (self.waddr.val() == self.arg_at[i].val()) {
                self.arg_words.d.next = (self.arg_words.q.val()
                    & !(self.wmask_wide.val() << self.arg_shift[i].val()))
                    | (self.wdata_wide.val() << self.arg_shift[i].val());
            }
        }
        // Read channel: ready for one cycle, then the data in the cycle after the handshake.
        self.arready.d.next =
            self.s_axil_arvalid.val() & !self.arready.q.val() & !self.rvalid.q.val();
        self.r_fire.next = self.arready.q.val() & self.s_axil_arvalid.val();
        if self.rvalid.q.val() & self.s_axil_rready.val() {
            self.rvalid.d.next = false;
        }
        self.raddr.next = self.s_axil_araddr.val() & self.word_mask.val();
        self.arg_word.next = 0.into();
        if self.r_fire.val() {
            self.rvalid.d.next = true;
            self.rdata.d.next = 0.into();
            if self.raddr.val() == self.control_at.val() {
                self.rdata.d.next = bit_cast::<32, 1>(self.ap_start.q.val().into())
                    | (bit_cast::<32, 1>(self.ap_done.q.val().into()) << 1)
                    | (bit_cast::<32, 1>(self.ap_idle.q.val().into()) << 2)
                    | (bit_cast::<32, 1>(self.ap_ready.q.val().into()) << 3);
                self.ap_done.d.next = false;
                self.ap_ready.d.next = false;
            }
            if self.raddr.val() == self.gie_at.val() {
                self.rdata.d.next = bit_cast::<32, 1>(self.gie.q.val().into());
            }
            if self.raddr.val() == self.ier_at.val() {
                self.rdata.d.next = bit_cast::<32, 2>(self.ier.q.val());
            }
            if self.raddr.val() == self.isr_at.val() {
                self.rdata.d.next = bit_cast::<32, 2>(self.isr.q.val());
            }
            for i in 0..N_ARGS {
                if self.raddr.val() == self.arg_at[i].val() {
                    self.arg_word.next = self.arg_words.q.val() >> self.arg_shift[i].val();
                    self.rdata.d.next = bit_cast::<32, ARG_BITS>(self.arg_word.val());
                }
            }
        }
        // Kernel events win over a clearing read or a toggling write on the same edge.
        self.ap_idle.d.next = self.idle.val();
        if self.done.val() {
            self.ap_done.d.next = true;
            self.ap_ready.d.next = true;
            self.isr_next.next = self.isr_next.val() | self.ier.q.val();
        }
        self.isr.d.next = self.isr_next.val();
        if self.reset.val() {
            self.awready.d.next = false;
            self.wready.d.next = false;
            self.bvalid.d.next = false;
            self.arready.d.next = false;
            self.rvalid.d.next = false;
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

    declare_axi_lite_control!(Control8, 8, 7);

    /// The ap_ctrl_hs offsets of DESIGN.md section 4, written out independently of the spec crate.
    const HS: ControlLayout = ControlLayout {
        control: 0x00,
        global_interrupt_enable: 0x04,
        interrupt_enable: 0x08,
        interrupt_status: 0x0c,
        args: 0x10,
    };

    /// One clock cycle with the given host-side inputs; returns (awready, wready, bvalid,
    /// arready, rvalid, rdata) as seen before the edge.
    fn cycle(
        uut: &mut Control8,
        write: Option<(u64, u32, u8)>,
        read: Option<u64>,
        done: bool,
    ) -> (bool, bool, bool, bool, bool, u32) {
        let (waddr, wdata, wstrb) = write.unwrap_or_default();
        uut.s_axil_awvalid.next = write.is_some();
        uut.s_axil_wvalid.next = write.is_some();
        uut.s_axil_awaddr.next = waddr.into();
        uut.s_axil_wdata.next = (wdata as u64).into();
        uut.s_axil_wstrb.next = (wstrb as u64).into();
        uut.s_axil_bready.next = true;
        uut.s_axil_arvalid.next = read.is_some();
        uut.s_axil_araddr.next = read.unwrap_or_default().into();
        uut.s_axil_rready.next = true;
        uut.done.next = done;
        uut.idle.next = !uut.start.val();
        uut.clock.next = Clock::from(false);
        assert!(simulate(uut, 100));
        let seen = (
            uut.s_axil_awready.val(),
            uut.s_axil_wready.val(),
            uut.s_axil_bvalid.val(),
            uut.s_axil_arready.val(),
            uut.s_axil_rvalid.val(),
            uut.s_axil_rdata.val().to_u64() as u32,
        );
        uut.clock.next = Clock::from(true);
        assert!(simulate(uut, 100));
        seen
    }

    fn write(uut: &mut Control8, addr: u64, data: u32, strb: u8) {
        for _ in 0..10 {
            let (aw, w, ..) = cycle(uut, Some((addr, data, strb)), None, false);
            if aw && w {
                return;
            }
        }
        panic!("write to {addr:#x} never completed");
    }

    fn read(uut: &mut Control8, addr: u64) -> u32 {
        let mut taken = false;
        for _ in 0..10 {
            let (.., ar, rv, rdata) = cycle(uut, None, (!taken).then_some(addr), false);
            if rv {
                return rdata;
            }
            taken |= ar;
        }
        panic!("read of {addr:#x} never completed");
    }

    #[test]
    fn registers_in_the_rust_hdl_simulation() {
        let mut uut = Control8::new(HS).unwrap();
        uut.connect_all();
        write(&mut uut, 0x10, 0xdead_beef, 0xf);
        write(&mut uut, 0x14, 0x0123_4567, 0x5);
        assert_eq!(read(&mut uut, 0x10), 0xdead_beef);
        assert_eq!(read(&mut uut, 0x14), 0x0023_0067);
        assert_eq!(
            uut.args.val().get_bits::<64>(0).to_u64(),
            0x0023_0067_dead_beef
        );
        assert_eq!(read(&mut uut, 0x00) & 0b1111, 0b0100, "idle, not started");
        write(&mut uut, 0x00, 1, 0x1);
        assert!(uut.start.val());
        cycle(&mut uut, None, None, true);
        assert!(!uut.start.val(), "done must clear ap_start");
        assert_eq!(read(&mut uut, 0x00) & 0b1111, 0b1110, "done, idle, ready");
        assert_eq!(
            read(&mut uut, 0x00) & 0b1111,
            0b0100,
            "done and ready clear on read"
        );
        assert_eq!(read(&mut uut, 0x7c), 0, "unmapped");
    }

    #[test]
    fn layouts_are_checked() {
        assert!(Control8::new(HS).is_ok());
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
            assert!(Control8::new(layout).is_err(), "{layout:?}");
        }
        assert!(AxiLiteControl::<2, 32, 7>::new(HS).is_err());
        assert!(AxiLiteControl::<0, 0, 7>::new(HS).is_err());
    }

    #[test]
    fn axi_lite_control_is_synthesizable() {
        crate::stream_test::lint_and_synth(Control8::new(HS).unwrap(), "axi_lite_control8");
    }
}
