//! Steps 5 to 7 of neuron-models.md section 4.3 for one lane: the output of the fire rule, the
//! reset, and the adaptation of `th` and `r`.
//!
//! Schedule (relative to the new membrane at stage 0 of this block): the MULTI quotient
//! `RND(v, q_shift, q_round)` starts at 0 and is ready at 2; the comparisons `v CMP thr`,
//! `v < vth_lo`, `(g_abs ? |v| : v) CMP thr` and the graded payload `v >> g_shift` are formed at 1
//! and registered at 2 (in 35 bits, compared as unsigned after flipping the sign bit); the output
//! is chosen at 2 and registered at 3; the reset and the adaptation are registered at 4. The reset and the adaptation are not
//! narrowed (section 4.3 steps 6 and 7); validation keeps their results inside the registers
//! (docs/NEURON.md section 4), so they are computed modulo `2^33`, which is exact there.

use mmfree_spec::neuron::regs::{self, REG_BITS};
use rust_hdl::prelude::*;

use super::bits::to_bits;
use super::params::NeuronParams;
use super::round_shift::{ROUND_LATENCY, RoundShift};
use super::sext::SignExtend;
use super::{STATE_BITS, THR_BITS};

/// Stages from the new membrane to the block's outputs.
pub const FIRE_LATENCY: usize = ROUND_LATENCY + 2;

/// Fire, reset and adaptation of one lane.
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
    // Stage FIRE_LATENCY - 1
    /// The decayed adaptive threshold.
    pub th: Signal<In, Bits<STATE_BITS>>,
    /// The decayed refractory state.
    pub r: Signal<In, Bits<STATE_BITS>>,
    // Stage FIRE_LATENCY
    /// The output (spike, trit, count, payload or membrane), 33-bit two's complement.
    pub out: Signal<Out, Bits<STATE_BITS>>,
    /// The membrane after reset.
    pub v_next: Signal<Out, Bits<STATE_BITS>>,
    /// The adaptive threshold after the step.
    pub th_next: Signal<Out, Bits<STATE_BITS>>,
    /// The refractory state after the step.
    pub r_next: Signal<Out, Bits<STATE_BITS>>,
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
    out4: DFF<Bits<STATE_BITS>>,
    v4: DFF<Bits<STATE_BITS>>,
    th4: DFF<Bits<STATE_BITS>>,
    r4: DFF<Bits<STATE_BITS>>,
    level: Signal<Local, Bits<THR_BITS>>,
    ge: Signal<Local, Bit>,
    choice: Signal<Local, Bits<STATE_BITS>>,
    fired: Signal<Local, Bit>,
    flip: Constant<Bits<THR_BITS>>,
    sign: Constant<Bits<STATE_BITS>>,
    one: Constant<Bits<STATE_BITS>>,
    minus_one: Constant<Bits<STATE_BITS>>,
    zero: Constant<Bits<STATE_BITS>>,
    zero_wide: Constant<Bits<THR_BITS>>,
    cmp_ge: Constant<Bit>,
    fire_codes: [Constant<Bits<3>>; 5],
    reset_hard: Constant<Bits<2>>,
    reset_soft: Constant<Bits<2>>,
}

impl Default for NeuronFire {
    fn default() -> Self {
        NeuronFire {
            clock: Default::default(),
            ce: Default::default(),
            regs: Default::default(),
            v: Default::default(),
            thr: Default::default(),
            th: Default::default(),
            r: Default::default(),
            out: Default::default(),
            v_next: Default::default(),
            th_next: Default::default(),
            r_next: Default::default(),
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
            out4: Default::default(),
            v4: Default::default(),
            th4: Default::default(),
            r4: Default::default(),
            level: Default::default(),
            ge: Default::default(),
            choice: Default::default(),
            fired: Default::default(),
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
                regs::FIRE_NONE,
            ]
            .map(|c| Constant::new(Bits::<3>::from(c))),
            reset_hard: Constant::new(Bits::<2>::from(regs::RESET_HARD)),
            reset_soft: Constant::new(Bits::<2>::from(regs::RESET_SOFT)),
        }
    }
}

impl Logic for NeuronFire {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, v1, v2, v3, thr1, thr2, thr3, hi, lo, graded_hi, payload, out3, out4, v4,
            th4, r4
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
        if self.ce.val() {
            self.hi.d.next =
                (self.v_wide.q.val() ^ self.flip.val()) > (self.thr1.q.val() ^ self.flip.val());
            self.graded_hi.d.next =
                (self.level.val() ^ self.flip.val()) > (self.thr1.q.val() ^ self.flip.val());
            if self.ge.val() {
                self.hi.d.next = (self.v_wide.q.val() ^ self.flip.val())
                    >= (self.thr1.q.val() ^ self.flip.val());
                self.graded_hi.d.next =
                    (self.level.val() ^ self.flip.val()) >= (self.thr1.q.val() ^ self.flip.val());
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
        // Stage 2 -> 3: the output of the fire rule.
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
        // Stage 3 -> 4: reset and adaptation.
        self.fired.next = self.out3.q.val() != self.zero.val();
        if self.ce.val() {
            self.out3.d.next = self.choice.val();
            self.out4.d.next = self.out3.q.val();
            self.v4.d.next = self.v3.q.val();
            self.th4.d.next = self.th.val();
            self.r4.d.next = self.r.val();
            if self.fired.val() & (self.params.fire.val() != self.fire_codes[4].val()) {
                if self.params.reset.val() == self.reset_hard.val() {
                    self.v4.d.next = self.params.v_reset.val();
                }
                if self.params.reset.val() == self.reset_soft.val() {
                    self.v4.d.next =
                        self.v3.q.val() + bit_cast::<STATE_BITS, THR_BITS>(self.thr3.q.val());
                    if self.out3.q.val() == self.one.val() {
                        self.v4.d.next =
                            self.v3.q.val() - bit_cast::<STATE_BITS, THR_BITS>(self.thr3.q.val());
                    }
                    if self.params.fire.val() == self.fire_codes[2].val() {
                        self.v4.d.next =
                            self.v3.q.val() - (self.out3.q.val() << self.params.q_shift.val());
                    }
                }
            }
            if self.fired.val() & self.params.adapt.val() {
                self.r4.d.next = self.r.val() + (self.th.val() << 1);
                self.th4.d.next = self.th.val() + self.params.th_step.val();
            }
        }
        self.out.next = self.out4.q.val();
        self.v_next.next = self.v4.q.val();
        self.th_next.next = self.th4.q.val();
        self.r_next.next = self.r4.q.val();
    }
}
