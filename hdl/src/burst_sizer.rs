//! The length of the next AXI4 burst (DESIGN.md section 4; AMBA AXI4 A3.4.1): the purely
//! combinational half of [`crate::BurstSplitter`], a block of its own so that the splitter's
//! burst outputs never share a Verilator process with its `burst_ready` input.
//!
//! `len = min(remaining, 256, (4096 - addr mod 4096) >> log_beat_bytes)` beats for a beat-aligned
//! `addr`; `last` says the burst ends the command (`len == remaining`).

use rust_hdl::prelude::*;

use crate::axi::{AXI_ADDR_BITS, AXI_MAX_BURST_BEATS, CMD_LEN_BITS};

/// Computes the next burst's length from the current address and the beats left.
#[derive(LogicBlock)]
pub struct BurstSizer {
    /// Byte address of the burst's first beat (beat aligned).
    pub addr: Signal<In, Bits<AXI_ADDR_BITS>>,
    /// Beats left in the command.
    pub remaining: Signal<In, Bits<CMD_LEN_BITS>>,
    /// Beats in the burst: 1..=256 when `remaining > 0`.
    pub len: Signal<Out, Bits<9>>,
    /// The burst takes every remaining beat.
    pub last: Signal<Out, Bit>,
    page_beats: Signal<Local, Bits<13>>,
    len_wide: Signal<Local, Bits<CMD_LEN_BITS>>,
    log_beat_bytes: Constant<Bits<8>>,
    max_beats: Constant<Bits<13>>,
}

impl BurstSizer {
    /// A sizer for beats of `2^log_beat_bytes` bytes (checked by the caller).
    pub(crate) fn new(log_beat_bytes: usize) -> Self {
        BurstSizer {
            addr: Default::default(),
            remaining: Default::default(),
            len: Default::default(),
            last: Default::default(),
            page_beats: Default::default(),
            len_wide: Default::default(),
            log_beat_bytes: Constant::new(Bits::from(log_beat_bytes as u64)),
            max_beats: Constant::new(Bits::from(AXI_MAX_BURST_BEATS)),
        }
    }
}

impl Logic for BurstSizer {
    #[hdl_gen]
    fn update(&mut self) {
        self.page_beats.next = (4096 - bit_cast::<13, AXI_ADDR_BITS>(self.addr.val() & 0xFFF))
            >> self.log_beat_bytes.val();
        self.len_wide.next = bit_cast::<CMD_LEN_BITS, 13>(self.page_beats.val());
        if self.page_beats.val() > self.max_beats.val() {
            self.len_wide.next = bit_cast::<CMD_LEN_BITS, 13>(self.max_beats.val());
        }
        if self.remaining.val() < self.len_wide.val() {
            self.len_wide.next = self.remaining.val();
        }
        self.len.next = bit_cast::<9, CMD_LEN_BITS>(self.len_wide.val());
        self.last.next = self.remaining.val() == self.len_wide.val();
    }
}
