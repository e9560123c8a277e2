//! AXI4 burst write master (DESIGN.md section 4, ACCELERATOR.md section 2: state, outputs and
//! the lm_head accumulators go back to the data bank).
//!
//! Commands (address, length in beats) are split into INCR bursts of at most 256 beats that never
//! cross 4 KB ([`crate::BurstSplitter`]); the data stream fills the bursts in order, every strobe
//! set. `done` pulses once per (non-empty) command, in command order, after every B response of
//! that command is in.
//!
//! The AW request of a burst is issued as soon as the burst is known (at most `max_bursts` bursts
//! between issue and B response); its length also enters a small FIFO that the W side pops to
//! place `wlast`, and its "last of the command" flag enters a second FIFO that the B side pops to
//! raise `done`. The W side may therefore run ahead of the AW handshake, as AXI allows. Input
//! beats pass a 32-beat buffer that empties on `reset`; every `m_axi_*` output and `done` come
//! from registers. `error` is sticky: some B response was not OKAY.

use rust_hdl::prelude::*;

use crate::axi::{
    AXI_ADDR_BITS, AXI_BURST_BITS, AXI_LEN_BITS, AXI_RESP_BITS, AXI_SIZE_BITS, CMD_LEN_BITS,
    LOG_MAX_BURSTS, MasterParams, derived,
};
use crate::burst_splitter::BurstSplitter;
use crate::error::Result;
use crate::ram_fifo::RamFifo;

/// Declares `type $name = AxiWriteMaster<..>` for `$data_bits`-bit beats.
#[macro_export]
macro_rules! declare_axi_write_master {
    ($name: ident, $data_bits: expr) => {
        pub type $name = $crate::AxiWriteMaster<{ $data_bits }, { $data_bits / 8 }>;
    };
}

/// An AXI4 write master filling commands from one data stream; declare it with
/// [`declare_axi_write_master!`] and build it with [`AxiWriteMaster::new`].
#[derive(LogicBlock)]
pub struct AxiWriteMaster<const DATA_BITS: usize, const STRB_BITS: usize> {
    /// Clock of every port (`ap_clk` at the top level).
    pub clock: Signal<In, Clock>,
    /// Synchronous reset, active high: drops commands, buffered beats and pending flags.
    pub reset: Signal<In, Bit>,
    // Command stream
    /// A command is offered.
    pub cmd_valid: Signal<In, Bit>,
    /// The command buffer is empty (a register).
    pub cmd_ready: Signal<Out, Bit>,
    /// Byte address of the first beat (beat aligned; lower bits are ignored).
    pub cmd_addr: Signal<In, Bits<AXI_ADDR_BITS>>,
    /// Beats to write (zero: nothing happens and no `done`).
    pub cmd_len: Signal<In, Bits<CMD_LEN_BITS>>,
    // Data stream
    /// A beat is offered.
    pub in_valid: Signal<In, Bit>,
    /// The input buffer has room (from registers only).
    pub in_ready: Signal<Out, Bit>,
    /// The beat, in command order.
    pub in_data: Signal<In, Bits<DATA_BITS>>,
    /// One-cycle pulse: every burst of the oldest unfinished command has its B response.
    pub done: Signal<Out, Bit>,
    /// Sticky: a B response was not OKAY (cleared by `reset`).
    pub error: Signal<Out, Bit>,
    // AXI4 write address channel
    /// Burst start address.
    pub m_axi_awaddr: Signal<Out, Bits<AXI_ADDR_BITS>>,
    /// Beats minus one.
    pub m_axi_awlen: Signal<Out, Bits<AXI_LEN_BITS>>,
    /// log2 of the bytes per beat (always the full data width).
    pub m_axi_awsize: Signal<Out, Bits<AXI_SIZE_BITS>>,
    /// Always INCR.
    pub m_axi_awburst: Signal<Out, Bits<AXI_BURST_BITS>>,
    /// A burst request is offered.
    pub m_axi_awvalid: Signal<Out, Bit>,
    /// The memory takes the request.
    pub m_axi_awready: Signal<In, Bit>,
    // AXI4 write data channel
    /// Beat data.
    pub m_axi_wdata: Signal<Out, Bits<DATA_BITS>>,
    /// Byte strobes, all set.
    pub m_axi_wstrb: Signal<Out, Bits<STRB_BITS>>,
    /// Last beat of a burst.
    pub m_axi_wlast: Signal<Out, Bit>,
    /// A beat is offered.
    pub m_axi_wvalid: Signal<Out, Bit>,
    /// The memory takes the beat.
    pub m_axi_wready: Signal<In, Bit>,
    // AXI4 write response channel
    /// Response of a burst (OKAY = 0).
    pub m_axi_bresp: Signal<In, Bits<AXI_RESP_BITS>>,
    /// A response is offered.
    pub m_axi_bvalid: Signal<In, Bit>,
    /// The master takes the response (whenever a burst awaits one).
    pub m_axi_bready: Signal<Out, Bit>,
    splitter: BurstSplitter,
    beats: RamFifo<Bits<DATA_BITS>, 5, 6>,
    lens: RamFifo<Bits<9>, LOG_MAX_BURSTS, { LOG_MAX_BURSTS + 1 }>,
    ends: RamFifo<Bit, LOG_MAX_BURSTS, { LOG_MAX_BURSTS + 1 }>,
    awvalid: DFF<Bit>,
    awaddr: DFF<Bits<AXI_ADDR_BITS>>,
    awlen: DFF<Bits<AXI_LEN_BITS>>,
    wvalid: DFF<Bit>,
    wdata: DFF<Bits<DATA_BITS>>,
    wlast: DFF<Bit>,
    wcount: DFF<Bits<9>>,
    outstanding: DFF<Bits<9>>,
    done_reg: DFF<Bit>,
    error_flag: DFF<Bit>,
    issue: Signal<Local, Bit>,
    w_load: Signal<Local, Bit>,
    w_end: Signal<Local, Bit>,
    b_fire: Signal<Local, Bit>,
    max_bursts: Constant<Bits<9>>,
    size_code: Constant<Bits<AXI_SIZE_BITS>>,
    burst_code: Constant<Bits<AXI_BURST_BITS>>,
    strb_all: Constant<Bits<STRB_BITS>>,
}

impl<const DATA_BITS: usize, const STRB_BITS: usize> AxiWriteMaster<DATA_BITS, STRB_BITS> {
    /// A write master keeping at most `max_bursts` (1..=64) bursts between AW and B.
    pub fn new(max_bursts: usize) -> Result<Self> {
        const BLOCK: &str = "AxiWriteMaster";
        let p = MasterParams::new(BLOCK, DATA_BITS, max_bursts)?;
        derived(
            BLOCK,
            "STRB_BITS",
            STRB_BITS,
            DATA_BITS / 8,
            "DATA_BITS / 8 (use declare_axi_write_master!)",
        )?;
        Ok(AxiWriteMaster {
            clock: Default::default(),
            reset: Default::default(),
            cmd_valid: Default::default(),
            cmd_ready: Default::default(),
            cmd_addr: Default::default(),
            cmd_len: Default::default(),
            in_valid: Default::default(),
            in_ready: Default::default(),
            in_data: Default::default(),
            done: Default::default(),
            error: Default::default(),
            m_axi_awaddr: Default::default(),
            m_axi_awlen: Default::default(),
            m_axi_awsize: Default::default(),
            m_axi_awburst: Default::default(),
            m_axi_awvalid: Default::default(),
            m_axi_awready: Default::default(),
            m_axi_wdata: Default::default(),
            m_axi_wstrb: Default::default(),
            m_axi_wlast: Default::default(),
            m_axi_wvalid: Default::default(),
            m_axi_wready: Default::default(),
            m_axi_bresp: Default::default(),
            m_axi_bvalid: Default::default(),
            m_axi_bready: Default::default(),
            splitter: BurstSplitter::new(p.beat_bytes)?,
            beats: Default::default(),
            lens: Default::default(),
            ends: Default::default(),
            awvalid: Default::default(),
            awaddr: Default::default(),
            awlen: Default::default(),
            wvalid: Default::default(),
            wdata: Default::default(),
            wlast: Default::default(),
            wcount: Default::default(),
            outstanding: Default::default(),
            done_reg: Default::default(),
            error_flag: Default::default(),
            issue: Default::default(),
            w_load: Default::default(),
            w_end: Default::default(),
            b_fire: Default::default(),
            max_bursts: Constant::new(Bits::from(max_bursts as u64)),
            size_code: Constant::new(Bits::from(p.size_code)),
            burst_code: Constant::new(Bits::from(p.burst_code)),
            strb_all: Constant::new(Bits::<STRB_BITS>::mask()),
        })
    }
}

impl<const DATA_BITS: usize, const STRB_BITS: usize> Logic
    for AxiWriteMaster<DATA_BITS, STRB_BITS>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            awvalid,
            awaddr,
            awlen,
            wvalid,
            wdata,
            wlast,
            wcount,
            outstanding,
            done_reg,
            error_flag
        );
        clock!(self, clock, splitter, beats, lens, ends);
        self.splitter.reset.next = self.reset.val();
        self.beats.reset.next = self.reset.val();
        self.lens.reset.next = self.reset.val();
        self.ends.reset.next = self.reset.val();
        // Commands and data in.
        self.splitter.cmd_valid.next = self.cmd_valid.val();
        self.splitter.cmd_addr.next = self.cmd_addr.val();
        self.splitter.cmd_len.next = self.cmd_len.val();
        self.cmd_ready.next = self.splitter.cmd_ready.val();
        self.beats.in_valid.next = self.in_valid.val();
        self.beats.in_data.next = self.in_data.val();
        self.in_ready.next = self.beats.in_ready.val();
        // AW: issue a burst when the AW register is free and a burst slot is free.
        self.issue.next = self.splitter.burst_valid.val()
            & (!self.awvalid.q.val() | self.m_axi_awready.val())
            & (self.outstanding.q.val() < self.max_bursts.val());
        self.splitter.burst_ready.next = self.issue.val();
        self.lens.in_valid.next = self.issue.val();
        self.lens.in_data.next = self.splitter.burst_len.val();
        self.ends.in_valid.next = self.issue.val();
        self.ends.in_data.next = self.splitter.burst_last.val();
        if self.issue.val() {
            self.awvalid.d.next = true;
            self.awaddr.d.next = self.splitter.burst_addr.val();
            self.awlen.d.next = bit_cast::<AXI_LEN_BITS, 9>(self.splitter.burst_len.val() - 1);
        } else if self.m_axi_awready.val() {
            self.awvalid.d.next = false;
        }
        self.m_axi_awaddr.next = self.awaddr.q.val();
        self.m_axi_awlen.next = self.awlen.q.val();
        self.m_axi_awsize.next = self.size_code.val();
        self.m_axi_awburst.next = self.burst_code.val();
        self.m_axi_awvalid.next = self.awvalid.q.val();
        // W: load the output register with the next beat of the oldest issued burst.
        self.w_load.next = (!self.wvalid.q.val() | self.m_axi_wready.val())
            & self.beats.out_valid.val()
            & self.lens.out_valid.val();
        self.w_end.next = (self.wcount.q.val() + 1) == self.lens.out_data.val();
        self.beats.out_ready.next = self.w_load.val();
        self.lens.out_ready.next = self.w_load.val() & self.w_end.val();
        if self.w_load.val() {
            self.wvalid.d.next = true;
            self.wdata.d.next = self.beats.out_data.val();
            self.wlast.d.next = self.w_end.val();
            self.wcount.d.next = self.wcount.q.val() + 1;
            if self.w_end.val() {
                self.wcount.d.next = 0.into();
            }
        } else if self.m_axi_wready.val() {
            self.wvalid.d.next = false;
        }
        self.m_axi_wdata.next = self.wdata.q.val();
        self.m_axi_wstrb.next = self.strb_all.val();
        self.m_axi_wlast.next = self.wlast.q.val();
        self.m_axi_wvalid.next = self.wvalid.q.val();
        // B: one response per burst, in order; the command's last one raises `done`.
        self.m_axi_bready.next = self.ends.out_valid.val();
        self.b_fire.next = self.m_axi_bvalid.val() & self.ends.out_valid.val();
        self.ends.out_ready.next = self.b_fire.val();
        self.done_reg.d.next = self.b_fire.val() & self.ends.out_data.val();
        if self.b_fire.val() & self.m_axi_bresp.val().any() {
            self.error_flag.d.next = true;
        }
        self.done.next = self.done_reg.q.val();
        self.error.next = self.error_flag.q.val();
        if self.issue.val() & !self.b_fire.val() {
            self.outstanding.d.next = self.outstanding.q.val() + 1;
        } else if !self.issue.val() & self.b_fire.val() {
            self.outstanding.d.next = self.outstanding.q.val() - 1;
        }
        if self.reset.val() {
            self.awvalid.d.next = false;
            self.wvalid.d.next = false;
            self.wcount.d.next = 0.into();
            self.outstanding.d.next = 0.into();
            self.done_reg.d.next = false;
            self.error_flag.d.next = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    declare_axi_write_master!(Write64, 64);
    declare_axi_write_master!(Write512, 512);

    #[test]
    fn parameters_are_checked() {
        assert!(Write64::new(0).is_err());
        assert!(Write64::new(65).is_err());
        assert!(Write64::new(8).is_ok());
        assert!(AxiWriteMaster::<64, 4>::new(2).is_err());
    }

    #[test]
    fn axi_write_master_is_synthesizable() {
        crate::stream_test::lint_and_synth(Write64::new(4).unwrap(), "axi_write_master64");
        crate::stream_test::lint_and_synth(Write512::new(8).unwrap(), "axi_write_master512");
    }
}
