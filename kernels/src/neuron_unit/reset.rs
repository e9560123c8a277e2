//! Steps 6 and 7 of neuron-models.md section 4.3 for one lane, one register stage: after a
//! non-zero output of a fire rule other than `none`, the reset (`hard`: `v = v_reset`; `soft`:
//! `v -= out << q_shift` for `multi`, `v -= out * thr` otherwise, where `out` is 1 or -1; `none`
//! keeps `v`), then with `adapt` the adaptation `r += 2 th`, `th += th_step`.
//!
//! Neither is narrowed by `FIT` (section 4.3); validation keeps their results inside the
//! registers (docs/NEURON.md section 4), so they are computed modulo `2^33`, which is exact there.

use mmfree_spec::neuron::LaneModes;
use mmfree_spec::neuron::regs::{self, REG_BITS};
use rust_hdl::prelude::*;

use super::bits::to_bits;
use super::params::NeuronParams;
use super::{STATE_BITS, THR_BITS};

/// Stages from the output to the stored state.
pub const RESET_LATENCY: usize = 1;

/// Reset and adaptation of one lane.
#[derive(LogicBlock)]
pub struct NeuronReset {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the register loads only when high.
    pub ce: Signal<In, Bit>,
    /// The configuration register image.
    pub regs: Signal<In, Bits<REG_BITS>>,
    // Stage 0
    /// The fire rule's output.
    pub out: Signal<In, Bits<STATE_BITS>>,
    /// The membrane it was found from.
    pub v: Signal<In, Bits<STATE_BITS>>,
    /// The threshold it was found with.
    pub thr: Signal<In, Bits<THR_BITS>>,
    /// The decayed adaptive threshold.
    pub th: Signal<In, Bits<STATE_BITS>>,
    /// The decayed refractory state.
    pub r: Signal<In, Bits<STATE_BITS>>,
    // Stage RESET_LATENCY
    /// The output, unchanged.
    pub out_next: Signal<Out, Bits<STATE_BITS>>,
    /// The membrane after reset.
    pub v_next: Signal<Out, Bits<STATE_BITS>>,
    /// The adaptive threshold after the step.
    pub th_next: Signal<Out, Bits<STATE_BITS>>,
    /// The refractory state after the step.
    pub r_next: Signal<Out, Bits<STATE_BITS>>,
    params: NeuronParams,
    out_reg: DFF<Bits<STATE_BITS>>,
    v_reg: DFF<Bits<STATE_BITS>>,
    th_reg: DFF<Bits<STATE_BITS>>,
    r_reg: DFF<Bits<STATE_BITS>>,
    fired: Signal<Local, Bit>,
    thr_low: Signal<Local, Bits<STATE_BITS>>,
    zero: Constant<Bits<STATE_BITS>>,
    one: Constant<Bits<STATE_BITS>>,
    fire_multi: Constant<Bits<3>>,
    fire_none: Constant<Bits<3>>,
    reset_hard: Constant<Bits<2>>,
    reset_soft: Constant<Bits<2>>,
}

impl Default for NeuronReset {
    fn default() -> Self {
        NeuronReset {
            clock: Default::default(),
            ce: Default::default(),
            regs: Default::default(),
            out: Default::default(),
            v: Default::default(),
            thr: Default::default(),
            th: Default::default(),
            r: Default::default(),
            out_next: Default::default(),
            v_next: Default::default(),
            th_next: Default::default(),
            r_next: Default::default(),
            params: Default::default(),
            out_reg: Default::default(),
            v_reg: Default::default(),
            th_reg: Default::default(),
            r_reg: Default::default(),
            fired: Default::default(),
            thr_low: Default::default(),
            zero: Constant::new(to_bits(0)),
            one: Constant::new(to_bits(1)),
            fire_multi: Constant::new(Bits::<3>::from(regs::FIRE_MULTI)),
            fire_none: Constant::new(Bits::<3>::from(regs::FIRE_NONE)),
            reset_hard: Constant::new(Bits::<2>::from(regs::RESET_HARD)),
            reset_soft: Constant::new(Bits::<2>::from(regs::RESET_SOFT)),
        }
    }
}

impl NeuronReset {
    /// The reset stage of a lane that carries `modes` (without the adaptive threshold, no
    /// adaptation).
    pub fn new(modes: LaneModes) -> Self {
        NeuronReset {
            params: NeuronParams::new(modes),
            ..Default::default()
        }
    }
}

impl Logic for NeuronReset {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, out_reg, v_reg, th_reg, r_reg);
        self.params.regs.next = self.regs.val();
        self.fired.next = self.out.val() != self.zero.val();
        self.thr_low.next = bit_cast::<STATE_BITS, THR_BITS>(self.thr.val());
        if self.ce.val() {
            self.out_reg.d.next = self.out.val();
            self.v_reg.d.next = self.v.val();
            self.th_reg.d.next = self.th.val();
            self.r_reg.d.next = self.r.val();
            if self.fired.val() & (self.params.fire.val() != self.fire_none.val()) {
                if self.params.reset.val() == self.reset_hard.val() {
                    self.v_reg.d.next = self.params.v_reset.val();
                }
                if self.params.reset.val() == self.reset_soft.val() {
                    // out is -1 (ternary) or +1 here, unless the rule is multi.
                    self.v_reg.d.next = self.v.val() + self.thr_low.val();
                    if self.out.val() == self.one.val() {
                        self.v_reg.d.next = self.v.val() - self.thr_low.val();
                    }
                    if self.params.fire.val() == self.fire_multi.val() {
                        self.v_reg.d.next =
                            self.v.val() - (self.out.val() << self.params.q_shift.val());
                    }
                }
            }
            if self.fired.val() & self.params.adapt.val() {
                self.r_reg.d.next = self.r.val() + (self.th.val() << 1);
                self.th_reg.d.next = self.th.val() + self.params.th_step.val();
            }
        }
        self.out_next.next = self.out_reg.q.val();
        self.v_next.next = self.v_reg.q.val();
        self.th_next.next = self.th_reg.q.val();
        self.r_next.next = self.r_reg.q.val();
    }
}
