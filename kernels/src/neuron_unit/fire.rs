//! Step 5 of neuron-models.md section 4.3 for one lane: the output of the fire rule
//! (`binary`, `ternary`, `multi`, `graded`, `none`); [`super::reset::NeuronReset`] then applies
//! steps 6 and 7.
//!
//! Schedule (relative to the new membrane at stage 0 of this block): the MULTI quotient
//! `RND(v, q_shift, q_round)` starts at 0 and is ready at 2; the comparisons `v CMP thr`,
//! `v < vth_lo`, `(g_abs ? |v| : v) CMP thr` and the graded payload `v >> g_shift` are formed at 1
//! and registered at 2 (in 35 bits, compared as unsigned after flipping the sign bit); the output
//! is chosen at 2 and registered at 3, beside the membrane and the threshold it was found with.

use mmfree_spec::neuron::LaneModes;
use mmfree_spec::neuron::regs::{self, REG_BITS};
use rust_hdl::prelude::*;

use super::bits::to_bits;
use super::params::NeuronParams;
use super::round_shift::{ROUND_LATENCY, RoundShift};
use super::sext::SignExtend;
use super::{STATE_BITS, THR_BITS};

/// Stages from the new membrane to the block's outputs.
pub const FIRE_LATENCY: usize = ROUND_LATENCY + 1;

/// The fire rule of one lane.
#[derive(LogicBlock)]
pub struct NeuronFire {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the pipeline advances only when high.
    pub ce: Signal<In, Bit>,
    /// The configuration register image.
    pub regs: Signal<In, Bits<REG_BITS>>,
    // Stage 0
    /// The new membrane.
    pub v: Signal<In, Bits<STATE_BITS>>,
    /// The threshold of this step.
    pub thr: Signal<In, Bits<THR_BITS>>,
    // Stage FIRE_LATENCY
    /// The output (spike, trit, count, payload or membrane), 33-bit two's complement.
    pub out: Signal<Out, Bits<STATE_BITS>>,
    /// The membrane the output was found from.
    pub v_out: Signal<Out, Bits<STATE_BITS>>,
    /// The threshold the output was found with.
    pub thr_out: Signal<Out, Bits<THR_BITS>>,
    params: NeuronParams,
    quotient: RoundShift<STATE_BITS>,
    v_wide: SignExtend<STATE_BITS, THR_BITS>,
    v1: DFF<Bits<STATE_BITS>>,
    v2: DFF<Bits<STATE_BITS>>,
    v3: DFF<Bits<STATE_BITS>>,
    thr1: DFF<Bits<THR_BITS>>,
    thr2: DFF<Bits<THR_BITS>>,
    thr3: DFF<Bits<THR_BITS>>,
    hi: DFF<Bit>,
    lo: DFF<Bit>,
    graded_hi: DFF<Bit>,
    payload: DFF<Bits<STATE_BITS>>,
    out3: DFF<Bits<STATE_BITS>>,
    level: Signal<Local, Bits<THR_BITS>>,
    thr_now: Signal<Local, Bits<THR_BITS>>,
    ge: Signal<Local, Bit>,
    choice: Signal<Local, Bits<STATE_BITS>>,
    flip: Constant<Bits<THR_BITS>>,
    sign: Constant<Bits<STATE_BITS>>,
    one: Constant<Bits<STATE_BITS>>,
    minus_one: Constant<Bits<STATE_BITS>>,
    zero: Constant<Bits<STATE_BITS>>,
    zero_wide: Constant<Bits<THR_BITS>>,
    cmp_ge: Constant<Bit>,
    fire_codes: [Constant<Bits<3>>; 4],
}

impl Default for NeuronFire {
    fn default() -> Self {
        NeuronFire {
            clock: Default::default(),
            ce: Default::default(),
            regs: Default::default(),
            v: Default::default(),
            thr: Default::default(),
            out: Default::default(),
            v_out: Default::default(),
            thr_out: Default::default(),
            params: Default::default(),
            quotient: Default::default(),
            v_wide: Default::default(),
            v1: Default::default(),
            v2: Default::default(),
            v3: Default::default(),
            thr1: Default::default(),
            thr2: Default::default(),
            thr3: Default::default(),
            hi: Default::default(),
            lo: Default::default(),
            graded_hi: Default::default(),
            payload: Default::default(),
            out3: Default::default(),
            level: Default::default(),
            thr_now: Default::default(),
            ge: Default::default(),
            choice: Default::default(),
            flip: Constant::new(to_bits(1i128 << (THR_BITS - 1))),
            sign: Constant::new(to_bits(1i128 << (STATE_BITS - 1))),
            one: Constant::new(to_bits(1)),
            minus_one: Constant::new(to_bits(-1)),
            zero: Constant::new(to_bits(0)),
            zero_wide: Constant::new(to_bits(0)),
            cmp_ge: Constant::new(regs::CMP_GE == 1),
            fire_codes: [
                regs::FIRE_BINARY,
                regs::FIRE_TERNARY,
                regs::FIRE_MULTI,
                regs::FIRE_GRADED,
            ]
            .map(|c| Constant::new(Bits::<3>::from(c))),
        }
    }
}

impl NeuronFire {
    /// The fire rule of a lane that carries `modes`. Without the adaptive threshold the threshold
    /// is `vth`, static while the pipeline runs, so it is read from the registers instead of
    /// travelling down the pipeline.
    pub fn new(modes: LaneModes) -> Self {
        NeuronFire {
            params: NeuronParams::new(modes),
            ..Default::default()
        }
    }
}

impl Logic for NeuronFire {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, v1, v2, v3, thr1, thr2, thr3, hi, lo, graded_hi, payload, out3
        );
        self.params.regs.next = self.regs.val();
        self.quotient.clock.next = self.clock.val();
        self.quotient.ce.next = self.ce.val();
        self.quotient.z.next = self.v.val();
        self.quotient.n.next = self.params.q_shift.val();
        self.quotient.mode.next = self.params.q_round.val();
        // Stage 1 -> 2: comparisons in 35 bits with the sign bit flipped (unsigned order), so
        // that they meet the MULTI quotient at stage 2.
        self.v_wide.a.next = self.v1.q.val();
        self.level.next = self.v_wide.q.val();
        if self.params.g_abs.val() & (self.v1.q.val() & self.sign.val()).any() {
            self.level.next = self.zero_wide.val() - self.v_wide.q.val();
        }
        self.ge.next = self.params.cmp.val() == self.cmp_ge.val();
        self.thr_now.next = self.thr1.q.val();
        if !self.params.has_adapt.val() {
            self.thr_now.next = self.params.vth.val();
        }
        if self.ce.val() {
            self.hi.d.next =
                (self.v_wide.q.val() ^ self.flip.val()) > (self.thr_now.val() ^ self.flip.val());
            self.graded_hi.d.next =
                (self.level.val() ^ self.flip.val()) > (self.thr_now.val() ^ self.flip.val());
            if self.ge.val() {
                self.hi.d.next = (self.v_wide.q.val() ^ self.flip.val())
                    >= (self.thr_now.val() ^ self.flip.val());
                self.graded_hi.d.next =
                    (self.level.val() ^ self.flip.val()) >= (self.thr_now.val() ^ self.flip.val());
            }
            self.lo.d.next = (self.v_wide.q.val() ^ self.flip.val())
                < (self.params.vth_lo.val() ^ self.flip.val());
            self.payload.d.next = ((self.v1.q.val() ^ self.sign.val())
                >> self.params.g_shift.val())
                - (self.sign.val() >> self.params.g_shift.val());
            self.v1.d.next = self.v.val();
            self.v2.d.next = self.v1.q.val();
            self.v3.d.next = self.v2.q.val();
            self.thr1.d.next = self.thr.val();
            self.thr2.d.next = self.thr1.q.val();
            self.thr3.d.next = self.thr2.q.val();
        }
        // Stage 2 -> 3: the output of the fire rule (`none` passes the membrane).
        self.choice.next = self.v2.q.val();
        if self.params.fire.val() == self.fire_codes[0].val() {
            self.choice.next = bit_cast::<STATE_BITS, 1>(self.hi.q.val().into());
        }
        if self.params.fire.val() == self.fire_codes[1].val() {
            self.choice.next = self.zero.val();
            if self.lo.q.val() {
                self.choice.next = self.minus_one.val();
            }
            if self.hi.q.val() {
                self.choice.next = self.one.val();
            }
        }
        if self.params.fire.val() == self.fire_codes[2].val() {
            self.choice.next = self.quotient.q.val();
            if self.quotient.q.val() > self.params.d.val() {
                self.choice.next = self.params.d.val();
            }
            if (self.quotient.q.val() & self.sign.val()).any() {
                self.choice.next = self.zero.val();
            }
        }
        if self.params.fire.val() == self.fire_codes[3].val() {
            self.choice.next = self.zero.val();
            if self.graded_hi.q.val() {
                self.choice.next = self.payload.q.val();
            }
        }
        if self.ce.val() {
            self.out3.d.next = self.choice.val();
        }
        // Stage 3: the output beside its membrane and threshold.
        self.out.next = self.out3.q.val();
        self.v_out.next = self.v3.q.val();
        self.thr_out.next = self.thr3.q.val();
        if !self.params.has_adapt.val() {
            self.thr_out.next = self.params.vth.val();
        }
    }
}
