//! Job and beat control of the ternary-accumulate engine (docs/ACCELERATOR.md section 2: a row is
//! `ceil(cols / K)` beats, the last one zero-padded): accepts weight beats, tags each with its
//! code-buffer address, first/last flags and the number of its lanes inside `cols`, and throttles the
//! input so that the output FIFO can never overflow.
//!
//! No division: a column countdown starts at `cols` for every row and drops by `K` per beat; the
//! beat is the row's last when at most `K` columns remain, and then exactly that many lanes count.
//! Row credits: `inflight` counts rows whose last beat has entered but whose sum has not left; the
//! input is ready only while `inflight` is below the FIFO depth, so every row in the pipeline has a
//! FIFO slot. `w_ready` is a function of registers only (never of `w_valid` or `acc_ready`).

use rust_hdl::prelude::*;

/// Phase codes of the control (plain bits: rust-hdl 0.46 writes a register of a `LogicState` enum
/// with a 64-bit initial value and unused enum parameters, which `verilator -Wall` reports).
const IDLE: u64 = 0;
/// Accepting the job's beats.
const RUN: u64 = 1;
/// Every beat is in; waiting for the last sums to leave.
const DRAIN: u64 = 2;

/// The engine's controller; the const generics are the widths of `cols`, `rows`, the code-buffer
/// address, the lane count and the row-credit counter.
#[derive(LogicBlock)]
pub struct BeatControl<const CB: usize, const RB: usize, const AB: usize, const KB: usize> {
    /// Clock of every register.
    pub clock: Signal<In, Clock>,
    // Job interface
    /// Starts a job when idle (ignored while busy).
    pub start: Signal<In, Bit>,
    /// Columns of the job's rows (0 means an empty job).
    pub cols: Signal<In, Bits<CB>>,
    /// Rows this engine computes (0 means an empty job).
    pub rows: Signal<In, Bits<RB>>,
    /// High from the cycle after `start` until the last sum has left.
    pub busy: Signal<Out, Bit>,
    /// One-cycle pulse when a job has finished.
    pub done: Signal<Out, Bit>,
    // Weight-beat handshake
    /// The weight stream offers a beat.
    pub w_valid: Signal<In, Bit>,
    /// The engine takes the offered beat at the next edge.
    pub w_ready: Signal<Out, Bit>,
    /// A sum left the output FIFO at this edge (frees a row credit).
    pub acc_taken: Signal<In, Bit>,
    // The accepted beat, for the datapath
    /// A beat is accepted at this edge.
    pub beat_valid: Signal<Out, Bit>,
    /// It is the first beat of its row (the accumulator restarts).
    pub beat_first: Signal<Out, Bit>,
    /// It is the last beat of its row (the sum is emitted).
    pub beat_last: Signal<Out, Bit>,
    /// Its code-buffer word (the beat's index within the row).
    pub beat_addr: Signal<Out, Bits<AB>>,
    /// How many of its lanes lie inside `cols` (`K` except on a short last beat).
    pub beat_count: Signal<Out, Bits<KB>>,
    lanes: Constant<Bits<CB>>,
    credit_limit: Constant<Bits<8>>,
    idle: Constant<Bits<2>>,
    run: Constant<Bits<2>>,
    drain: Constant<Bits<2>>,
    phase: DFF<Bits<2>>,
    cols_q: DFF<Bits<CB>>,
    remaining: DFF<Bits<CB>>,
    rows_left: DFF<Bits<RB>>,
    addr: DFF<Bits<AB>>,
    inflight: DFF<Bits<8>>,
    done_q: DFF<Bit>,
    take: Signal<Local, Bit>,
    last: Signal<Local, Bit>,
    row_done: Signal<Local, Bit>,
}

impl<const CB: usize, const RB: usize, const AB: usize, const KB: usize>
    BeatControl<CB, RB, AB, KB>
{
    /// A controller for `lanes` trits per beat and an output FIFO of `fifo_depth` entries.
    pub fn new(lanes: usize, fifo_depth: usize) -> Self {
        BeatControl {
            clock: Default::default(),
            start: Default::default(),
            cols: Default::default(),
            rows: Default::default(),
            busy: Default::default(),
            done: Default::default(),
            w_valid: Default::default(),
            w_ready: Default::default(),
            acc_taken: Default::default(),
            beat_valid: Default::default(),
            beat_first: Default::default(),
            beat_last: Default::default(),
            beat_addr: Default::default(),
            beat_count: Default::default(),
            lanes: Constant::new(lanes.to_bits()),
            credit_limit: Constant::new(fifo_depth.to_bits()),
            idle: Constant::new(IDLE.into()),
            run: Constant::new(RUN.into()),
            drain: Constant::new(DRAIN.into()),
            phase: Default::default(),
            cols_q: Default::default(),
            remaining: Default::default(),
            rows_left: Default::default(),
            addr: Default::default(),
            inflight: Default::default(),
            done_q: Default::default(),
            take: Default::default(),
            last: Default::default(),
            row_done: Default::default(),
        }
    }
}

impl<const CB: usize, const RB: usize, const AB: usize, const KB: usize> Logic
    for BeatControl<CB, RB, AB, KB>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, phase, cols_q, remaining, rows_left, addr, inflight, done_q
        );
        // Handshake: ready while running and a FIFO slot is free for every row in flight.
        self.w_ready.next = (self.phase.q.val() == self.run.val())
            & (self.inflight.q.val() < self.credit_limit.val());
        self.take.next = self.w_valid.val()
            & (self.phase.q.val() == self.run.val())
            & (self.inflight.q.val() < self.credit_limit.val());
        self.last.next = self.remaining.q.val() <= self.lanes.val();
        self.row_done.next = self.take.val() & self.last.val();
        // The accepted beat.
        self.beat_valid.next = self.take.val();
        self.beat_first.next = self.addr.q.val() == 0;
        self.beat_last.next = self.last.val();
        self.beat_addr.next = self.addr.q.val();
        self.beat_count.next = bit_cast::<KB, CB>(self.lanes.val());
        if self.last.val() {
            self.beat_count.next = bit_cast::<KB, CB>(self.remaining.q.val());
        }
        // Row credits.
        if self.row_done.val() & !self.acc_taken.val() {
            self.inflight.d.next = self.inflight.q.val() + 1;
        }
        if !self.row_done.val() & self.acc_taken.val() {
            self.inflight.d.next = self.inflight.q.val() - 1;
        }
        self.busy.next = self.phase.q.val() != self.idle.val();
        self.done.next = self.done_q.q.val();
        self.done_q.d.next = false;
        if (self.phase.q.val() == self.idle.val()) & self.start.val() {
            self.cols_q.d.next = self.cols.val();
            self.remaining.d.next = self.cols.val();
            self.rows_left.d.next = self.rows.val();
            self.addr.d.next = 0.into();
            if (self.cols.val() == 0) | (self.rows.val() == 0) {
                self.done_q.d.next = true;
            } else {
                self.phase.d.next = self.run.val();
            }
        }
        if self.take.val() {
            if self.last.val() {
                self.remaining.d.next = self.cols_q.q.val();
                self.addr.d.next = 0.into();
                self.rows_left.d.next = self.rows_left.q.val() - 1;
                if self.rows_left.q.val() == 1 {
                    self.phase.d.next = self.drain.val();
                }
            } else {
                self.remaining.d.next = self.remaining.q.val() - self.lanes.val();
                self.addr.d.next = self.addr.q.val() + 1;
            }
        }
        if (self.phase.q.val() == self.drain.val()) & (self.inflight.q.val() == 0) {
            self.phase.d.next = self.idle.val();
            self.done_q.d.next = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ternary_engine::test_util::{Clocked, edge, lint_and_synth, settle};

    /// 8 lanes per beat, a 4-row FIFO.
    type Control = BeatControl<8, 4, 3, 4>;

    impl Clocked for Control {
        fn clock(&mut self) -> &mut Signal<In, Clock> {
            &mut self.clock
        }
    }

    fn control() -> Control {
        let mut uut = Control::new(8, 4);
        uut.connect_all();
        uut
    }

    /// A job of 5 rows of 19 columns (beats of 8, 8 and 3 lanes): every accepted beat carries the
    /// right tags, the input stops with 4 rows unaccounted for, a second `start` changes nothing, and
    /// `done` follows the last sum.
    #[test]
    fn beats_are_tagged_and_rows_are_throttled_by_credits() {
        let mut uut = control();
        uut.cols.next = 19u64.into();
        uut.rows.next = 5u64.into();
        uut.start.next = true;
        edge(&mut uut);
        uut.start.next = false;
        let tags = [
            (true, false, 0, 8),
            (false, false, 1, 8),
            (false, true, 2, 3),
        ];
        let (mut beats, mut taken, mut done_at) = (0usize, 0usize, None);
        for cycle in 0..200 {
            // The consumer takes one sum every 7th cycle from cycle 40 on.
            let take = cycle >= 40 && cycle % 7 == 0 && taken < beats / 3;
            uut.w_valid.next = true;
            uut.acc_taken.next = take;
            // A start while busy is ignored.
            uut.start.next = cycle == 20;
            uut.cols.next = 1u64.into();
            settle(&mut uut);
            let rows_in = beats / 3;
            let ready = rows_in < 5 && rows_in - taken < 4;
            assert_eq!(uut.w_ready.val(), ready, "cycle {cycle}");
            assert_eq!(uut.beat_valid.val(), ready, "cycle {cycle}");
            if ready {
                let (first, last, addr, count) = tags[beats % 3];
                assert_eq!(uut.beat_first.val(), first, "cycle {cycle}");
                assert_eq!(uut.beat_last.val(), last, "cycle {cycle}");
                assert_eq!(uut.beat_addr.val().index(), addr, "cycle {cycle}");
                assert_eq!(uut.beat_count.val().index(), count, "cycle {cycle}");
                beats += 1;
            }
            taken += take as usize;
            if uut.done.val() {
                assert!(done_at.is_none(), "a second done at cycle {cycle}");
                done_at = Some(cycle);
            }
            assert_eq!(uut.busy.val(), done_at.is_none(), "cycle {cycle}");
            edge(&mut uut);
        }
        assert_eq!((beats, taken), (15, 5));
        // The 5th sum is taken at cycle 70; the control sees zero rows in flight at 71.
        assert_eq!(done_at, Some(72));
    }

    #[test]
    fn empty_jobs_are_done_at_once() {
        let mut uut = control();
        for (cols, rows) in [(0u64, 3u64), (5, 0)] {
            uut.cols.next = cols.into();
            uut.rows.next = rows.into();
            uut.start.next = true;
            edge(&mut uut);
            uut.start.next = false;
            settle(&mut uut);
            assert!(uut.done.val() && !uut.busy.val() && !uut.w_ready.val());
            edge(&mut uut);
            settle(&mut uut);
            assert!(!uut.done.val());
        }
    }

    #[test]
    fn beat_control_is_synthesizable() {
        lint_and_synth(&control(), "beat_control");
    }
}
