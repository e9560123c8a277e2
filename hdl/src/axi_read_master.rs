//! AXI4 burst read master (DESIGN.md section 4, ACCELERATOR.md section 1: the weight streamers
//! and the data port read their banks in long bursts with several reads outstanding).
//!
//! Commands (address, length in beats) are split into INCR bursts of at most 256 beats that never
//! cross 4 KB ([`crate::BurstSplitter`]); the data beats come out as one valid/ready stream in
//! command order, `out_last` marking the last beat of each command.
//!
//! **Credits.** A burst is issued only when the data FIFO has room for all of its beats on top of
//! every beat already requested and not yet taken by the consumer (`reserved`), and fewer than
//! `max_bursts` bursts are in flight. So `m_axi_rready` never falls while a burst returns and
//! back-pressure on `out_ready` throttles the requests, never the bus. In steady state (consumer
//! never stalls) the R channel carries one beat per cycle as long as the requested beats cover the
//! memory's round trip:
//!
//! `latency + 3 <= min(depth - B, (max_bursts - 1) * B)`, with `B = min(256, 4096 / beat_bytes)`
//!
//! the longest burst (64 beats for 512-bit data) and `latency` the memory's cycles from the AR
//! handshake to the first R handshake. A command's first AR handshake can come two cycles after
//! the command's, and an R beat is on `out_data` two cycles after its handshake.
//!
//! A burst's "last of its command" flag waits in a small FIFO from issue until its `rlast`;
//! every `m_axi_*` output comes from a register. `error` is sticky: some R beat carried a
//! non-OKAY response.

use rust_hdl::prelude::*;

use crate::axi::{
    AXI_ADDR_BITS, AXI_BURST_BITS, AXI_LEN_BITS, AXI_RESP_BITS, AXI_SIZE_BITS, CMD_LEN_BITS,
    LOG_MAX_BURSTS, MasterParams, derived, invalid,
};
use crate::burst_splitter::BurstSplitter;
use crate::error::Result;
use crate::ram_fifo::RamFifo;

/// Declares `type $name = AxiReadMaster<..>` for `$data_bits`-bit beats and a data FIFO of
/// `$depth` beats (a power of two, at least 256).
#[macro_export]
macro_rules! declare_axi_read_master {
    ($name: ident, $data_bits: expr, $depth: expr) => {
        pub type $name = $crate::AxiReadMaster<
            { $data_bits },
            { $data_bits + 1 },
            { rust_hdl::core::bits::clog2($depth) },
            { rust_hdl::core::bits::clog2($depth) + 1 },
        >;
    };
}

/// An AXI4 read master streaming commands' data in order; declare it with
/// [`declare_axi_read_master!`] and build it with [`AxiReadMaster::new`].
#[derive(LogicBlock)]
pub struct AxiReadMaster<
    const DATA_BITS: usize,
    const FIFO_BITS: usize,
    const LOG_DEPTH: usize,
    const LOG_DEPTH_P1: usize,
> {
    /// Clock of every port (`ap_clk` at the top level).
    pub clock: Signal<In, Clock>,
    /// Synchronous reset, active high: drops commands, flags and buffered data.
    pub reset: Signal<In, Bit>,
    // Command stream
    /// A command is offered.
    pub cmd_valid: Signal<In, Bit>,
    /// The command buffer is empty (a register).
    pub cmd_ready: Signal<Out, Bit>,
    /// Byte address of the first beat (beat aligned; lower bits are ignored).
    pub cmd_addr: Signal<In, Bits<AXI_ADDR_BITS>>,
    /// Beats to read (zero: nothing happens).
    pub cmd_len: Signal<In, Bits<CMD_LEN_BITS>>,
    // Data stream
    /// `out_data` holds a beat.
    pub out_valid: Signal<Out, Bit>,
    /// The consumer takes the beat at the next rising edge.
    pub out_ready: Signal<In, Bit>,
    /// The beat, in command order.
    pub out_data: Signal<Out, Bits<DATA_BITS>>,
    /// The beat is the last one of its command.
    pub out_last: Signal<Out, Bit>,
    /// Sticky: an R beat came back with a non-OKAY response (cleared by `reset`).
    pub error: Signal<Out, Bit>,
    // AXI4 read address channel
    /// Burst start address.
    pub m_axi_araddr: Signal<Out, Bits<AXI_ADDR_BITS>>,
    /// Beats minus one.
    pub m_axi_arlen: Signal<Out, Bits<AXI_LEN_BITS>>,
    /// log2 of the bytes per beat (always the full data width).
    pub m_axi_arsize: Signal<Out, Bits<AXI_SIZE_BITS>>,
    /// Always INCR.
    pub m_axi_arburst: Signal<Out, Bits<AXI_BURST_BITS>>,
    /// A burst request is offered.
    pub m_axi_arvalid: Signal<Out, Bit>,
    /// The memory takes the request.
    pub m_axi_arready: Signal<In, Bit>,
    // AXI4 read data channel
    /// Beat data.
    pub m_axi_rdata: Signal<In, Bits<DATA_BITS>>,
    /// Beat response (OKAY = 0).
    pub m_axi_rresp: Signal<In, Bits<AXI_RESP_BITS>>,
    /// Last beat of a burst.
    pub m_axi_rlast: Signal<In, Bit>,
    /// A beat is offered.
    pub m_axi_rvalid: Signal<In, Bit>,
    /// The master takes the beat (room is reserved before a burst is issued).
    pub m_axi_rready: Signal<Out, Bit>,
    splitter: BurstSplitter,
    data: RamFifo<Bits<FIFO_BITS>, LOG_DEPTH, LOG_DEPTH_P1>,
    ends: RamFifo<Bit, LOG_MAX_BURSTS, { LOG_MAX_BURSTS + 1 }>,
    arvalid: DFF<Bit>,
    araddr: DFF<Bits<AXI_ADDR_BITS>>,
    arlen: DFF<Bits<AXI_LEN_BITS>>,
    outstanding: DFF<Bits<9>>,
    reserved: DFF<Bits<LOG_DEPTH_P1>>,
    error_flag: DFF<Bit>,
    issue: Signal<Local, Bit>,
    r_fire: Signal<Local, Bit>,
    burst_done: Signal<Local, Bit>,
    reserved_next: Signal<Local, Bits<LOG_DEPTH_P1>>,
    max_bursts: Constant<Bits<9>>,
    depth: Constant<Bits<LOG_DEPTH_P1>>,
    size_code: Constant<Bits<AXI_SIZE_BITS>>,
    burst_code: Constant<Bits<AXI_BURST_BITS>>,
    last_shift: Constant<Bits<16>>,
}

impl<
    const DATA_BITS: usize,
    const FIFO_BITS: usize,
    const LOG_DEPTH: usize,
    const LOG_DEPTH_P1: usize,
> AxiReadMaster<DATA_BITS, FIFO_BITS, LOG_DEPTH, LOG_DEPTH_P1>
{
    /// A read master keeping at most `max_bursts` (1..=64) bursts in flight.
    pub fn new(max_bursts: usize) -> Result<Self> {
        const BLOCK: &str = "AxiReadMaster";
        let p = MasterParams::new(BLOCK, DATA_BITS, max_bursts)?;
        let rule = "(use declare_axi_read_master!)";
        derived(
            BLOCK,
            "FIFO_BITS",
            FIFO_BITS,
            DATA_BITS + 1,
            &format!("DATA_BITS + 1 {rule}"),
        )?;
        derived(
            BLOCK,
            "LOG_DEPTH_P1",
            LOG_DEPTH_P1,
            LOG_DEPTH + 1,
            &format!("LOG_DEPTH + 1 {rule}"),
        )?;
        if !(8..=16).contains(&LOG_DEPTH) {
            return Err(invalid(
                BLOCK,
                "LOG_DEPTH",
                LOG_DEPTH,
                "the data FIFO holds 256..=65536 beats (at least one full burst)",
            ));
        }
        Ok(AxiReadMaster {
            clock: Default::default(),
            reset: Default::default(),
            cmd_valid: Default::default(),
            cmd_ready: Default::default(),
            cmd_addr: Default::default(),
            cmd_len: Default::default(),
            out_valid: Default::default(),
            out_ready: Default::default(),
            out_data: Default::default(),
            out_last: Default::default(),
            error: Default::default(),
            m_axi_araddr: Default::default(),
            m_axi_arlen: Default::default(),
            m_axi_arsize: Default::default(),
            m_axi_arburst: Default::default(),
            m_axi_arvalid: Default::default(),
            m_axi_arready: Default::default(),
            m_axi_rdata: Default::default(),
            m_axi_rresp: Default::default(),
            m_axi_rlast: Default::default(),
            m_axi_rvalid: Default::default(),
            m_axi_rready: Default::default(),
            splitter: BurstSplitter::new(p.beat_bytes)?,
            data: Default::default(),
            ends: Default::default(),
            arvalid: Default::default(),
            araddr: Default::default(),
            arlen: Default::default(),
            outstanding: Default::default(),
            reserved: Default::default(),
            error_flag: Default::default(),
            issue: Default::default(),
            r_fire: Default::default(),
            burst_done: Default::default(),
            reserved_next: Default::default(),
            max_bursts: Constant::new(Bits::from(max_bursts as u64)),
            depth: Constant::new(Bits::from(1u64 << LOG_DEPTH)),
            size_code: Constant::new(Bits::from(p.size_code)),
            burst_code: Constant::new(Bits::from(p.burst_code)),
            last_shift: Constant::new(Bits::from(DATA_BITS as u64)),
        })
    }
}

impl<
    const DATA_BITS: usize,
    const FIFO_BITS: usize,
    const LOG_DEPTH: usize,
    const LOG_DEPTH_P1: usize,
> Logic for AxiReadMaster<DATA_BITS, FIFO_BITS, LOG_DEPTH, LOG_DEPTH_P1>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            arvalid,
            araddr,
            arlen,
            outstanding,
            reserved,
            error_flag
        );
        clock!(self, clock, splitter, data, ends);
        self.splitter.reset.next = self.reset.val();
        self.data.reset.next = self.reset.val();
        self.ends.reset.next = self.reset.val();
        // Commands into the splitter.
        self.splitter.cmd_valid.next = self.cmd_valid.val();
        self.splitter.cmd_addr.next = self.cmd_addr.val();
        self.splitter.cmd_len.next = self.cmd_len.val();
        self.cmd_ready.next = self.splitter.cmd_ready.val();
        // Issue a burst: AR register free, a burst slot free, FIFO room for every beat.
        self.issue.next = self.splitter.burst_valid.val()
            & (!self.arvalid.q.val() | self.m_axi_arready.val())
            & (self.outstanding.q.val() < self.max_bursts.val())
            & (self.reserved.q.val()
                <= self.depth.val() - bit_cast::<LOG_DEPTH_P1, 9>(self.splitter.burst_len.val()));
        self.splitter.burst_ready.next = self.issue.val();
        self.ends.in_valid.next = self.issue.val();
        self.ends.in_data.next = self.splitter.burst_last.val();
        if self.issue.val() {
            self.arvalid.d.next = true;
            self.araddr.d.next = self.splitter.burst_addr.val();
            self.arlen.d.next = bit_cast::<AXI_LEN_BITS, 9>(self.splitter.burst_len.val() - 1);
        } else if self.m_axi_arready.val() {
            self.arvalid.d.next = false;
        }
        self.m_axi_araddr.next = self.araddr.q.val();
        self.m_axi_arlen.next = self.arlen.q.val();
        self.m_axi_arsize.next = self.size_code.val();
        self.m_axi_arburst.next = self.burst_code.val();
        self.m_axi_arvalid.next = self.arvalid.q.val();
        // R beats into the data FIFO, tagged with the command's end.
        self.m_axi_rready.next = self.data.in_ready.val();
        self.r_fire.next = self.m_axi_rvalid.val() & self.data.in_ready.val();
        self.burst_done.next = self.r_fire.val() & self.m_axi_rlast.val();
        self.data.in_valid.next = self.m_axi_rvalid.val();
        self.data.in_data.next = bit_cast::<FIFO_BITS, DATA_BITS>(self.m_axi_rdata.val())
            | (bit_cast::<FIFO_BITS, 1>(
                (self.ends.out_data.val() & self.m_axi_rlast.val()).into(),
            ) << self.last_shift.val());
        self.ends.out_ready.next = self.burst_done.val();
        if self.r_fire.val() & self.m_axi_rresp.val().any() {
            self.error_flag.d.next = true;
        }
        self.error.next = self.error_flag.q.val();
        // Data stream out.
        self.out_valid.next = self.data.out_valid.val();
        self.out_data.next = self.data.out_data.val().get_bits::<DATA_BITS>(0);
        self.out_last.next = (self.data.out_data.val() >> self.last_shift.val()).any();
        self.data.out_ready.next = self.out_ready.val();
        // Book-keeping: bursts in flight and beats reserved in the FIFO.
        if self.issue.val() & !self.burst_done.val() {
            self.outstanding.d.next = self.outstanding.q.val() + 1;
        } else if !self.issue.val() & self.burst_done.val() {
            self.outstanding.d.next = self.outstanding.q.val() - 1;
        }
        self.reserved_next.next = self.reserved.q.val();
        if self.issue.val() {
            self.reserved_next.next = self.reserved_next.val()
                + bit_cast::<LOG_DEPTH_P1, 9>(self.splitter.burst_len.val());
        }
        if self.data.out_valid.val() & self.out_ready.val() {
            self.reserved_next.next = self.reserved_next.val() - 1;
        }
        self.reserved.d.next = self.reserved_next.val();
        if self.reset.val() {
            self.arvalid.d.next = false;
            self.outstanding.d.next = 0.into();
            self.reserved.d.next = 0.into();
            self.error_flag.d.next = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    declare_axi_read_master!(Read64, 64, 256);
    declare_axi_read_master!(Read512, 512, 512);

    #[test]
    fn parameters_are_checked() {
        assert!(Read64::new(0).is_err());
        assert!(Read64::new(65).is_err());
        assert!(Read64::new(4).is_ok());
        // A FIFO smaller than one full burst could never issue it.
        assert!(AxiReadMaster::<64, 65, 7, 8>::new(2).is_err());
        assert!(AxiReadMaster::<64, 64, 8, 9>::new(2).is_err());
        assert!(AxiReadMaster::<96, 97, 8, 9>::new(2).is_err());
    }

    #[test]
    fn axi_read_master_is_synthesizable() {
        crate::stream_test::lint_and_synth(Read64::new(4).unwrap(), "axi_read_master64");
        crate::stream_test::lint_and_synth(Read512::new(8).unwrap(), "axi_read_master512");
    }
}
