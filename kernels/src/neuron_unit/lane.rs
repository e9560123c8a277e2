//! One lane of the neuron unit: the whole step of neuron-models.md section 4.3 for one neuron
//! per cycle (initiation interval 1), as three pipelined blocks, [`NeuronFront`] (steps 1, 2, 4),
//! [`NeuronMembrane`] (step 3) and [`NeuronFire`] (steps 5 to 7), with the delay lines that carry
//! `u`, `thr`, `th` and `r` past the stages that do not change them.

use mmfree_spec::neuron::LaneModes;
use mmfree_spec::neuron::regs::REG_BITS;
use rust_hdl::prelude::*;

use super::delay::{Delay, DelayStyle};
use super::fire::{FIRE_LATENCY, NeuronFire};
use super::front::{FRONT_LATENCY, NeuronFront};
use super::membrane::{MEMBRANE_LATENCY, NeuronMembrane};
use super::reset::{NeuronReset, RESET_LATENCY};
use super::{
    F_BITS, RECORD_BITS, RECORD_OUT, RECORD_R, RECORD_TH, RECORD_U, RECORD_V, STATE_BITS, THR_BITS,
    WORD_BITS, WORD_R, WORD_TH, WORD_U, WORD_V, X_BITS,
};

/// Stages from a lane's stage 0 (inputs and stored state) to its results.
pub const LANE_LATENCY: usize = MEMBRANE_LATENCY + FIRE_LATENCY + RESET_LATENCY;

/// One neuron per enabled cycle: stored state and inputs in, results and new state out
/// [`LANE_LATENCY`] enabled cycles later.
#[derive(LogicBlock)]
pub struct NeuronLane {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the whole lane advances only when high.
    pub ce: Signal<In, Bit>,
    /// The configuration register image.
    pub regs: Signal<In, Bits<REG_BITS>>,
    // Stage 0
    /// Synaptic input, 33-bit two's complement.
    pub x: Signal<In, Bits<X_BITS>>,
    /// Gate, unsigned (read only when gated).
    pub f: Signal<In, Bits<F_BITS>>,
    /// The neuron's stored state word (`u`, `v`, `th`, `r`).
    pub word: Signal<In, Bits<WORD_BITS>>,
    // Stage LANE_LATENCY
    /// The step's results (`out`, `v`, `u`, `th`, `r`).
    pub record: Signal<Out, Bits<RECORD_BITS>>,
    /// The state word to store back.
    pub word_next: Signal<Out, Bits<WORD_BITS>>,
    front: NeuronFront,
    membrane: NeuronMembrane,
    fire: NeuronFire,
    reset_stage: NeuronReset,
    u_late: Delay<Bits<STATE_BITS>, { LANE_LATENCY - FRONT_LATENCY }>,
    thr_late: Delay<Bits<THR_BITS>, { MEMBRANE_LATENCY - FRONT_LATENCY }>,
    th_late: Delay<Bits<STATE_BITS>, { LANE_LATENCY - RESET_LATENCY - FRONT_LATENCY }>,
    r_late: Delay<Bits<STATE_BITS>, { LANE_LATENCY - RESET_LATENCY - FRONT_LATENCY }>,
    at_word: [Constant<Bits<8>>; 4],
    at_record: [Constant<Bits<8>>; 5],
}

impl Default for NeuronLane {
    fn default() -> Self {
        NeuronLane::new(LaneModes::ALL, DelayStyle::Registers)
    }
}

impl NeuronLane {
    /// A lane that carries `modes` (`HwConfig::neuron_modes`): the logic of the others is not
    /// generated. Its long delay lines of live values are stored in `style`.
    pub fn new(modes: LaneModes, style: DelayStyle) -> Self {
        let at = |x: usize| Constant::new(Bits::<8>::from(x as u64));
        NeuronLane {
            clock: Default::default(),
            ce: Default::default(),
            regs: Default::default(),
            x: Default::default(),
            f: Default::default(),
            word: Default::default(),
            record: Default::default(),
            word_next: Default::default(),
            front: NeuronFront::new(modes),
            membrane: NeuronMembrane::new(modes, style),
            fire: NeuronFire::new(modes),
            reset_stage: NeuronReset::new(modes),
            u_late: Default::default(),
            thr_late: Delay::new(style),
            th_late: Default::default(),
            r_late: Default::default(),
            at_word: [WORD_U, WORD_V, WORD_TH, WORD_R].map(at),
            at_record: [RECORD_OUT, RECORD_V, RECORD_U, RECORD_TH, RECORD_R].map(at),
        }
    }
}

impl Logic for NeuronLane {
    #[hdl_gen]
    fn update(&mut self) {
        clock!(
            self,
            clock,
            front,
            membrane,
            fire,
            reset_stage,
            u_late,
            thr_late,
            th_late,
            r_late
        );
        self.front.ce.next = self.ce.val();
        self.membrane.ce.next = self.ce.val();
        self.fire.ce.next = self.ce.val();
        self.reset_stage.ce.next = self.ce.val();
        self.u_late.ce.next = self.ce.val();
        self.thr_late.ce.next = self.ce.val();
        self.th_late.ce.next = self.ce.val();
        self.r_late.ce.next = self.ce.val();
        self.front.regs.next = self.regs.val();
        self.membrane.regs.next = self.regs.val();
        self.fire.regs.next = self.regs.val();
        self.reset_stage.regs.next = self.regs.val();
        // Stage 0.
        self.front.x.next = self.x.val();
        self.front.u.next = self
            .word
            .val()
            .get_bits::<STATE_BITS>(self.at_word[0].val().index());
        self.front.th.next = self
            .word
            .val()
            .get_bits::<STATE_BITS>(self.at_word[2].val().index());
        self.front.r.next = self
            .word
            .val()
            .get_bits::<STATE_BITS>(self.at_word[3].val().index());
        self.membrane.v.next = self
            .word
            .val()
            .get_bits::<STATE_BITS>(self.at_word[1].val().index());
        self.membrane.f.next = self.f.val();
        // Stage FRONT_LATENCY.
        self.membrane.drive.next = self.front.drive.val();
        self.u_late.d.next = self.front.u_next.val();
        self.thr_late.d.next = self.front.thr.val();
        self.th_late.d.next = self.front.th_next.val();
        self.r_late.d.next = self.front.r_next.val();
        // Stage MEMBRANE_LATENCY and on.
        self.fire.v.next = self.membrane.v_next.val();
        self.fire.thr.next = self.thr_late.q.val();
        self.reset_stage.out.next = self.fire.out.val();
        self.reset_stage.v.next = self.fire.v_out.val();
        self.reset_stage.thr.next = self.fire.thr_out.val();
        self.reset_stage.th.next = self.th_late.q.val();
        self.reset_stage.r.next = self.r_late.q.val();
        // Stage LANE_LATENCY.
        self.record.next = (bit_cast::<RECORD_BITS, STATE_BITS>(self.reset_stage.out_next.val())
            << self.at_record[0].val())
            | (bit_cast::<RECORD_BITS, STATE_BITS>(self.reset_stage.v_next.val())
                << self.at_record[1].val())
            | (bit_cast::<RECORD_BITS, STATE_BITS>(self.u_late.q.val()) << self.at_record[2].val())
            | (bit_cast::<RECORD_BITS, STATE_BITS>(self.reset_stage.th_next.val())
                << self.at_record[3].val())
            | (bit_cast::<RECORD_BITS, STATE_BITS>(self.reset_stage.r_next.val())
                << self.at_record[4].val());
        self.word_next.next = (bit_cast::<WORD_BITS, STATE_BITS>(self.u_late.q.val())
            << self.at_word[0].val())
            | (bit_cast::<WORD_BITS, STATE_BITS>(self.reset_stage.v_next.val())
                << self.at_word[1].val())
            | (bit_cast::<WORD_BITS, STATE_BITS>(self.reset_stage.th_next.val())
                << self.at_word[2].val())
            | (bit_cast::<WORD_BITS, STATE_BITS>(self.reset_stage.r_next.val())
                << self.at_word[3].val());
    }
}
