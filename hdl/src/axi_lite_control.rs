//! The kernel's AXI4-Lite control slave with the Vitis `ap_ctrl_hs` protocol (DESIGN.md
//! section 4): a control word, global interrupt enable, interrupt enable and status, and
//! `N_ARGS` 32-bit argument words (a 64-bit pointer takes two, low word first).
//!
//! It composes the bus half, [`crate::axil_reg_if::AxilRegIf`] (AWREADY and WREADY together for
//! one cycle once both valids are up and the previous response is taken; a read answered in the
//! cycle after its handshake; every response OKAY), and the register half,
//! [`crate::ap_ctrl_regs::ApCtrlRegs`] (the bit meanings, clear on read, interrupts and argument
//! words). Register offsets come from the caller as a [`ControlLayout`] (the spec crate's register
//! map at the top level). Every output is a register or a function of registers only.

use rust_hdl::prelude::*;

use crate::ap_ctrl_regs::{ApCtrlRegs, ControlLayout};
use crate::axi::{AXI_RESP_BITS, derived, invalid};
use crate::axil_reg_if::AxilRegIf;
use crate::error::Result;

/// Declares `type $name = AxiLiteControl<..>` with `$n_args` argument words and `$addr_bits`-bit
/// byte addresses.
#[macro_export]
macro_rules! declare_axi_lite_control {
    ($name: ident, $n_args: expr, $addr_bits: expr) => {
        pub type $name = $crate::AxiLiteControl<{ $n_args }, { 32 * $n_args }, { $addr_bits }>;
    };
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
    bus: AxilRegIf<ADDR_BITS>,
    regs: ApCtrlRegs<N_ARGS, ARG_BITS, ADDR_BITS>,
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
            bus: AxilRegIf::new(),
            regs: ApCtrlRegs::new(layout)?,
        })
    }
}

impl<const N_ARGS: usize, const ARG_BITS: usize, const ADDR_BITS: usize> Logic
    for AxiLiteControl<N_ARGS, ARG_BITS, ADDR_BITS>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, bus, regs);
        self.bus.reset.next = self.reset.val();
        self.regs.reset.next = self.reset.val();
        // Host side.
        self.bus.s_axil_awaddr.next = self.s_axil_awaddr.val();
        self.bus.s_axil_awvalid.next = self.s_axil_awvalid.val();
        self.s_axil_awready.next = self.bus.s_axil_awready.val();
        self.bus.s_axil_wdata.next = self.s_axil_wdata.val();
        self.bus.s_axil_wstrb.next = self.s_axil_wstrb.val();
        self.bus.s_axil_wvalid.next = self.s_axil_wvalid.val();
        self.s_axil_wready.next = self.bus.s_axil_wready.val();
        self.s_axil_bresp.next = self.bus.s_axil_bresp.val();
        self.s_axil_bvalid.next = self.bus.s_axil_bvalid.val();
        self.bus.s_axil_bready.next = self.s_axil_bready.val();
        self.bus.s_axil_araddr.next = self.s_axil_araddr.val();
        self.bus.s_axil_arvalid.next = self.s_axil_arvalid.val();
        self.s_axil_arready.next = self.bus.s_axil_arready.val();
        self.s_axil_rdata.next = self.bus.s_axil_rdata.val();
        self.s_axil_rresp.next = self.bus.s_axil_rresp.val();
        self.s_axil_rvalid.next = self.bus.s_axil_rvalid.val();
        self.bus.s_axil_rready.next = self.s_axil_rready.val();
        // Register strobes.
        self.regs.wr_valid.next = self.bus.wr_valid.val();
        self.regs.wr_addr.next = self.bus.wr_addr.val();
        self.regs.wr_data.next = self.bus.wr_data.val();
        self.regs.wr_strb.next = self.bus.wr_strb.val();
        self.regs.rd_valid.next = self.bus.rd_valid.val();
        self.regs.rd_addr.next = self.bus.rd_addr.val();
        self.bus.rd_data.next = self.regs.rd_data.val();
        // Kernel side.
        self.start.next = self.regs.start.val();
        self.regs.done.next = self.done.val();
        self.regs.idle.next = self.idle.val();
        self.irq.next = self.regs.irq.val();
        self.args.next = self.regs.args.val();
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
    fn parameters_are_checked() {
        assert!(Control8::new(HS).is_ok());
        // The layout is checked by the register half (see its tests).
        assert!(Control8::new(ControlLayout { args: 0x08, ..HS }).is_err());
        assert!(AxiLiteControl::<2, 32, 7>::new(HS).is_err());
        assert!(AxiLiteControl::<0, 0, 7>::new(HS).is_err());
        assert!(AxiLiteControl::<1, 32, 3>::new(HS).is_err());
    }

    #[test]
    fn axi_lite_control_is_synthesizable() {
        crate::stream_test::lint_and_synth(Control8::new(HS).unwrap(), "axi_lite_control8");
    }
}
