//! AXI4-Lite slave interface to a register file (DESIGN.md section 4: the kernel's
//! `s_axi_control` port): the bus half of [`crate::AxiLiteControl`], which turns AXI4-Lite
//! handshakes into one-cycle register write and read strobes, as verilog-axi's `axil_reg_if` does.
//!
//! Writes: once both AWVALID and WVALID are up and the previous response was taken, AWREADY and
//! WREADY rise together for one cycle; that edge is the write (`wr_valid`), and BVALID follows.
//! Reads: ARREADY rises for one cycle once ARVALID is up and no read data waits; that edge
//! samples `rd_data` for `rd_addr` (`rd_valid`), and RVALID follows. Addresses are aligned down
//! to the 32-bit word; every response is OKAY; every bus output is a register.

use rust_hdl::prelude::*;

use crate::axi::AXI_RESP_BITS;

/// Turns AXI4-Lite transfers into register strobes; build it with [`AxilRegIf::new`].
#[derive(LogicBlock)]
pub struct AxilRegIf<const ADDR_BITS: usize> {
    /// Clock (`ap_clk`).
    pub clock: Signal<In, Clock>,
    /// Synchronous reset, active high: drops any transfer in progress.
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
    // Register side
    /// The register at `wr_addr` takes `wr_data` (under `wr_strb`) at this edge.
    pub wr_valid: Signal<Out, Bit>,
    /// Word-aligned byte address of the write.
    pub wr_addr: Signal<Out, Bits<ADDR_BITS>>,
    /// Data of the write.
    pub wr_data: Signal<Out, Bits<32>>,
    /// Byte strobes of the write.
    pub wr_strb: Signal<Out, Bits<4>>,
    /// The register at `rd_addr` is read at this edge (for side effects such as clear on read).
    pub rd_valid: Signal<Out, Bit>,
    /// Word-aligned byte address of the read.
    pub rd_addr: Signal<Out, Bits<ADDR_BITS>>,
    /// The value of the register at `rd_addr`, sampled when `rd_valid`.
    pub rd_data: Signal<In, Bits<32>>,
    wr_ready: DFF<Bit>,
    bvalid: DFF<Bit>,
    arready: DFF<Bit>,
    rvalid: DFF<Bit>,
    rdata: DFF<Bits<32>>,
    word_mask: Constant<Bits<ADDR_BITS>>,
}

impl<const ADDR_BITS: usize> AxilRegIf<ADDR_BITS> {
    /// An interface for `ADDR_BITS`-bit byte addresses (checked by the caller: 4..=32).
    pub(crate) fn new() -> Self {
        AxilRegIf {
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
            wr_valid: Default::default(),
            wr_addr: Default::default(),
            wr_data: Default::default(),
            wr_strb: Default::default(),
            rd_valid: Default::default(),
            rd_addr: Default::default(),
            rd_data: Default::default(),
            wr_ready: Default::default(),
            bvalid: Default::default(),
            arready: Default::default(),
            rvalid: Default::default(),
            rdata: Default::default(),
            word_mask: Constant::new(Bits::from(((1u64 << ADDR_BITS) - 1) & !3)),
        }
    }
}

impl<const ADDR_BITS: usize> Logic for AxilRegIf<ADDR_BITS> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, wr_ready, bvalid, arready, rvalid, rdata);
        self.s_axil_awready.next = self.wr_ready.q.val();
        self.s_axil_wready.next = self.wr_ready.q.val();
        self.s_axil_bvalid.next = self.bvalid.q.val();
        self.s_axil_bresp.next = 0.into();
        self.s_axil_arready.next = self.arready.q.val();
        self.s_axil_rvalid.next = self.rvalid.q.val();
        self.s_axil_rdata.next = self.rdata.q.val();
        self.s_axil_rresp.next = 0.into();
        // Register strobes: the handshake edges.
        self.wr_valid.next = self.wr_ready.q.val() & self.s_axil_awvalid.val();
        self.wr_addr.next = self.s_axil_awaddr.val() & self.word_mask.val();
        self.wr_data.next = self.s_axil_wdata.val();
        self.wr_strb.next = self.s_axil_wstrb.val();
        self.rd_valid.next = self.arready.q.val() & self.s_axil_arvalid.val();
        self.rd_addr.next = self.s_axil_araddr.val() & self.word_mask.val();
        // Write: both readies for one cycle, then the response.
        self.wr_ready.d.next = self.s_axil_awvalid.val()
            & self.s_axil_wvalid.val()
            & !self.wr_ready.q.val()
            & !self.bvalid.q.val();
        if self.bvalid.q.val() & self.s_axil_bready.val() {
            self.bvalid.d.next = false;
        }
        if self.wr_ready.q.val() & self.s_axil_awvalid.val() {
            self.bvalid.d.next = true;
        }
        // Read: ready for one cycle, then the data.
        self.arready.d.next =
            self.s_axil_arvalid.val() & !self.arready.q.val() & !self.rvalid.q.val();
        if self.rvalid.q.val() & self.s_axil_rready.val() {
            self.rvalid.d.next = false;
        }
        if self.arready.q.val() & self.s_axil_arvalid.val() {
            self.rvalid.d.next = true;
            self.rdata.d.next = self.rd_data.val();
        }
        if self.reset.val() {
            self.wr_ready.d.next = false;
            self.bvalid.d.next = false;
            self.arready.d.next = false;
            self.rvalid.d.next = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axil_reg_if_is_synthesizable() {
        crate::stream_test::lint_and_synth(AxilRegIf::<12>::new(), "axil_reg_if12");
    }
}
