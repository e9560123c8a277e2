//! Skid buffer (register slice) for valid/ready streams (DESIGN.md section 4): cuts every
//! combinational path between the two sides, including the ready path, without losing a beat.
//!
//! Two registers: the output register and a skid register. `in_ready` is simply "the skid register
//! is empty", so it is a flop output. When the consumer stalls while a beat is arriving, that beat
//! lands in the skid register; the next free output cycle drains it before new input is accepted.
//! Full throughput (one beat per cycle) whenever `out_ready` stays high; latency one cycle.

use rust_hdl::prelude::*;

/// A two-entry register slice for a stream of `D`.
#[derive(LogicBlock, Default)]
pub struct SkidBuffer<D: Synth> {
    /// Clock of both sides.
    pub clock: Signal<In, Clock>,
    // Input stream
    /// The producer offers `in_data`.
    pub in_valid: Signal<In, Bit>,
    /// The skid register is empty (a flop output: never a function of `out_ready`).
    pub in_ready: Signal<Out, Bit>,
    /// The offered beat.
    pub in_data: Signal<In, D>,
    // Output stream
    /// `out_data` holds a beat (a flop output).
    pub out_valid: Signal<Out, Bit>,
    /// The consumer takes `out_data` at the next rising edge.
    pub out_ready: Signal<In, Bit>,
    /// The beat on offer (a flop output).
    pub out_data: Signal<Out, D>,
    out_valid_reg: DFF<Bit>,
    out_data_reg: DFF<D>,
    skid_valid: DFF<Bit>,
    skid_data: DFF<D>,
}

impl<D: Synth> Logic for SkidBuffer<D> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            out_valid_reg,
            out_data_reg,
            skid_valid,
            skid_data
        );
        self.in_ready.next = !self.skid_valid.q.val();
        self.out_valid.next = self.out_valid_reg.q.val();
        self.out_data.next = self.out_data_reg.q.val();
        if self.out_ready.val() | !self.out_valid_reg.q.val() {
            // The output register frees up: refill it from the skid register first.
            if self.skid_valid.q.val() {
                self.out_valid_reg.d.next = true;
                self.out_data_reg.d.next = self.skid_data.q.val();
                self.skid_valid.d.next = false;
            } else {
                self.out_valid_reg.d.next = self.in_valid.val();
                self.out_data_reg.d.next = self.in_data.val();
            }
        } else if self.in_valid.val() & !self.skid_valid.q.val() {
            // Output stalled while a beat arrives: catch it in the skid register.
            self.skid_valid.d.next = true;
            self.skid_data.d.next = self.in_data.val();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream_test::{StreamRig, run_stream};

    #[test]
    fn order_and_completeness_under_stalls_and_back_pressure() {
        for (seed, p_valid, p_ready) in [
            (11, 0.5, 0.5),
            (12, 0.9, 0.3),
            (13, 0.3, 0.9),
            (14, 1.0, 0.5),
        ] {
            run_stream(
                &mut StreamRig::new(SkidBuffer::<Bits<8>>::default()),
                8,
                3000,
                seed,
                p_valid,
                p_ready,
            );
            run_stream(
                &mut StreamRig::new(SkidBuffer::<Bits<100>>::default()),
                100,
                1000,
                seed,
                p_valid,
                p_ready,
            );
        }
    }

    #[test]
    fn full_throughput_without_back_pressure() {
        let mut rig = StreamRig::new(SkidBuffer::<Bits<8>>::default());
        let fired = (0..100)
            .filter(|&i| rig.cycle(true, i, true).in_fire)
            .count();
        assert_eq!(fired, 100);
    }

    #[test]
    fn in_ready_does_not_follow_out_ready_combinationally() {
        let mut rig = StreamRig::new(SkidBuffer::<Bits<8>>::default());
        rig.cycle(true, 1, false);
        rig.cycle(true, 2, false); // output holds 1, skid holds 2: in_ready low
        for out_ready in [false, true, false, true] {
            let seen = rig.settle(true, 3, out_ready);
            assert!(
                !seen.in_ready,
                "in_ready rose with out_ready = {out_ready} before a clock edge"
            );
        }
    }

    #[test]
    fn skid_buffer_is_synthesizable() {
        crate::stream_test::lint_and_synth(SkidBuffer::<Bits<72>>::default(), "skid_buffer72");
    }
}
