//! Valid/ready FIFO on a registered-read RAM with a synchronous reset (DESIGN.md section 4: a
//! Vitis kernel returns to idle on `ap_rst_n`, so every buffer of its AXI masters must empty on
//! reset, which rust-hdl-widgets' `SynchronousFIFO` behind [`crate::StreamFifo`] cannot do).
//!
//! Pointers are `LOG_DEPTH + 1` bits wide, so full (`write - read == depth`) and empty
//! (`read == write`) differ. The RAM reads on the clock edge (the block-RAM shape); its read
//! address is the read pointer after this cycle's pop, so one beat per cycle leaves when
//! `out_ready` stays high. A written entry becomes visible one edge after it is written (the
//! empty test uses a one-cycle-delayed copy of the write pointer), so the RAM never has to read
//! a word in the cycle it is written: a beat written into an empty FIFO is on `out_data` after the
//! next edge. `in_ready`, `out_valid` and `out_data` depend on registers only.

use rust_hdl::prelude::*;

/// Declares `type $name = RamFifo<$data, ..>` holding `$depth` beats (a power of two).
#[macro_export]
macro_rules! declare_ram_fifo {
    ($name: ident, $data: ty, $depth: expr) => {
        pub type $name = $crate::RamFifo<
            $data,
            { rust_hdl::core::bits::clog2($depth) },
            { rust_hdl::core::bits::clog2($depth) + 1 },
        >;
    };
}

/// A valid/ready FIFO of `2^LOG_DEPTH` beats of `D` that empties on `reset`; declare it with
/// [`declare_ram_fifo!`].
#[derive(LogicBlock)]
pub struct RamFifo<D: Synth, const LOG_DEPTH: usize, const LOG_DEPTH_P1: usize> {
    /// Clock of both sides.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset, active high: the FIFO is empty after an edge with `reset` high.
    pub reset: Signal<In, Bit>,
    // Input stream
    /// The producer offers `in_data`.
    pub in_valid: Signal<In, Bit>,
    /// The FIFO has room (from registers only).
    pub in_ready: Signal<Out, Bit>,
    /// The offered beat.
    pub in_data: Signal<In, D>,
    // Output stream
    /// `out_data` holds the oldest beat (from registers only).
    pub out_valid: Signal<Out, Bit>,
    /// The consumer takes `out_data` at the next rising edge.
    pub out_ready: Signal<In, Bit>,
    /// The oldest beat (the RAM's registered read port).
    pub out_data: Signal<Out, D>,
    ram: RAM<D, LOG_DEPTH>,
    write_ptr: DFF<Bits<LOG_DEPTH_P1>>,
    write_ptr_seen: DFF<Bits<LOG_DEPTH_P1>>,
    read_ptr: DFF<Bits<LOG_DEPTH_P1>>,
    can_write: Signal<Local, Bit>,
    can_read: Signal<Local, Bit>,
    depth: Constant<Bits<LOG_DEPTH_P1>>,
}

impl<D: Synth, const LOG_DEPTH: usize, const LOG_DEPTH_P1: usize> Default
    for RamFifo<D, LOG_DEPTH, LOG_DEPTH_P1>
{
    fn default() -> Self {
        assert_eq!(
            LOG_DEPTH + 1,
            LOG_DEPTH_P1,
            "RamFifo: LOG_DEPTH_P1 must be LOG_DEPTH + 1 (use declare_ram_fifo!)"
        );
        Self {
            clock: Default::default(),
            reset: Default::default(),
            in_valid: Default::default(),
            in_ready: Default::default(),
            in_data: Default::default(),
            out_valid: Default::default(),
            out_ready: Default::default(),
            out_data: Default::default(),
            ram: Default::default(),
            write_ptr: Default::default(),
            write_ptr_seen: Default::default(),
            read_ptr: Default::default(),
            can_write: Default::default(),
            can_read: Default::default(),
            depth: Constant::new(Bits::<LOG_DEPTH_P1>::from(1u64 << LOG_DEPTH)),
        }
    }
}

impl<D: Synth, const LOG_DEPTH: usize, const LOG_DEPTH_P1: usize> Logic
    for RamFifo<D, LOG_DEPTH, LOG_DEPTH_P1>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, write_ptr, write_ptr_seen, read_ptr);
        self.ram.write_clock.next = self.clock.val();
        self.ram.read_clock.next = self.clock.val();
        // Outputs read registers only. The input-driven logic below recomputes the same tests in
        // its own locals: Verilator keeps statements that share a local in one process, and a
        // process mixing `out_ready` with `out_valid` would form a false loop with a consumer
        // whose ready follows our valid.
        self.in_ready.next = (self.write_ptr.q.val() - self.read_ptr.q.val()) != self.depth.val();
        self.out_valid.next = self.read_ptr.q.val() != self.write_ptr_seen.q.val();
        self.can_write.next = self.in_valid.val()
            & ((self.write_ptr.q.val() - self.read_ptr.q.val()) != self.depth.val());
        self.can_read.next =
            self.out_ready.val() & (self.read_ptr.q.val() != self.write_ptr_seen.q.val());
        // Write side.
        self.ram.write_enable.next = self.can_write.val();
        self.ram.write_address.next = bit_cast::<LOG_DEPTH, LOG_DEPTH_P1>(self.write_ptr.q.val());
        self.ram.write_data.next = self.in_data.val();
        if self.can_write.val() {
            self.write_ptr.d.next = self.write_ptr.q.val() + 1;
        }
        self.write_ptr_seen.d.next = self.write_ptr.q.val();
        // Read side: the RAM reads the entry that will be at the head after this edge.
        self.ram.read_address.next = bit_cast::<LOG_DEPTH, LOG_DEPTH_P1>(self.read_ptr.q.val());
        if self.can_read.val() {
            self.read_ptr.d.next = self.read_ptr.q.val() + 1;
            self.ram.read_address.next =
                bit_cast::<LOG_DEPTH, LOG_DEPTH_P1>(self.read_ptr.q.val() + 1);
        }
        self.out_data.next = self.ram.read_data.val();
        if self.reset.val() {
            self.write_ptr.d.next = 0.into();
            self.write_ptr_seen.d.next = 0.into();
            self.read_ptr.d.next = 0.into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream_test::{StreamRig, run_stream};

    declare_ram_fifo!(Fifo8x16, Bits<8>, 16);
    declare_ram_fifo!(Fifo2x72, Bits<72>, 2);

    #[test]
    fn order_and_completeness_under_stalls_and_back_pressure() {
        for (seed, p_valid, p_ready) in [
            (21, 0.5, 0.5),
            (22, 0.9, 0.2),
            (23, 0.2, 0.9),
            (24, 1.0, 1.0),
        ] {
            run_stream(
                &mut StreamRig::new(Fifo8x16::default()),
                8,
                3000,
                seed,
                p_valid,
                p_ready,
            );
            run_stream(
                &mut StreamRig::new(Fifo2x72::default()),
                72,
                1000,
                seed,
                p_valid,
                p_ready,
            );
        }
    }

    #[test]
    fn holds_exactly_its_depth() {
        let mut rig = StreamRig::new(Fifo8x16::default());
        let accepted = (0..40)
            .filter(|&i| rig.cycle(true, i, false).in_fire)
            .count();
        assert_eq!(accepted, 16);
    }

    #[test]
    fn streams_one_beat_per_cycle() {
        // Both sides always willing: a beat in on every cycle, and out on every cycle from the
        // third on (a beat written at an edge is visible after the following edge).
        let mut rig = StreamRig::new(Fifo8x16::default());
        for i in 0..200u128 {
            let seen = rig.cycle(true, i, true);
            assert!(seen.in_fire, "cycle {i}: input refused");
            assert_eq!(seen.out_fire, i >= 2, "cycle {i}");
            if i >= 2 {
                assert_eq!(seen.out_data, i - 2, "cycle {i}");
            }
        }
    }

    #[test]
    fn reset_empties_the_fifo() {
        let mut rig = StreamRig::new(Fifo8x16::default());
        for i in 0..5 {
            rig.cycle(true, i, false);
        }
        rig.uut_mut().reset.next = true;
        rig.cycle(false, 0, false);
        rig.uut_mut().reset.next = false;
        for _ in 0..3 {
            assert!(
                !rig.cycle(false, 0, true).out_fire,
                "a beat survived the reset"
            );
        }
        let accepted = (0..40)
            .filter(|&i| rig.cycle(true, i, false).in_fire)
            .count();
        assert_eq!(accepted, 16, "the reset FIFO does not hold its depth");
    }

    #[test]
    fn ram_fifo_is_synthesizable() {
        crate::stream_test::lint_and_synth(Fifo8x16::default(), "ram_fifo8x16");
    }
}
