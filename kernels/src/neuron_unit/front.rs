//! Steps 1, 2 and 4 of neuron-models.md section 4.3 for one lane: the input affine
//! `x_eff = RND(x * in_gain, in_frac, in_round) + in_bias`, the current
//! `u = FIT(RND(u * beta_u, F_D, dec_round) + x_eff, w_u, u_ovf)` and the adaptive decays
//! `th = th0 + RND((th - th0) * beta_th, F_D)`, `r = RND(r * beta_r, F_D)` with the threshold
//! `thr = th + r` (or `vth`).
//!
//! Schedule (stage `t` is `t` enabled cycles after the lane's stage 0): the four products start
//! at 0 and are rounded at 4; `x_eff`, `th`, `r` are registered at 5; `u`'s sum and `thr` at 6;
//! `FIT(u)` at 7, where every output is presented. A stage that is switched off multiplies by 1
//! with no rounding, so its state passes unchanged (the reference leaves `u`, `th`, `r` alone).
//! Width bounds (docs/NEURON.md section 4): `|x * in_gain| <= 2^47`, `|x_eff| < 2^48 + 2^31`,
//! `|RND(u * beta_u)| <= 2^31`, so every sum fits the 52-bit two's complement exactly.

use mmfree_spec::neuron::LaneModes;
use mmfree_spec::neuron::regs::REG_BITS;
use rust_hdl::prelude::*;

use super::fit::{FIT_LATENCY, FitState};
use super::mul_round::{MUL_ROUND_LATENCY, MulRound};
use super::params::NeuronParams;
use super::sext::SignExtend;
use super::{STATE_BITS, THR_BITS, WIDE_BITS, X_BITS};

/// Stages from the lane's stage 0 to the front's outputs.
pub const FRONT_LATENCY: usize = MUL_ROUND_LATENCY + 2 + FIT_LATENCY;

/// The input and current stages and the adaptive threshold of one lane.
#[derive(LogicBlock, Default)]
pub struct NeuronFront {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the pipeline advances only when high.
    pub ce: Signal<In, Bit>,
    /// The configuration register image.
    pub regs: Signal<In, Bits<REG_BITS>>,
    // Stage 0
    /// Synaptic input, 33-bit two's complement.
    pub x: Signal<In, Bits<X_BITS>>,
    /// Stored current.
    pub u: Signal<In, Bits<STATE_BITS>>,
    /// Stored adaptive threshold (unsigned).
    pub th: Signal<In, Bits<STATE_BITS>>,
    /// Stored refractory state (unsigned).
    pub r: Signal<In, Bits<STATE_BITS>>,
    // Stage FRONT_LATENCY
    /// What drives the membrane: the new `u`, or `x_eff` without the current stage.
    pub drive: Signal<Out, Bits<WIDE_BITS>>,
    /// The new current.
    pub u_next: Signal<Out, Bits<STATE_BITS>>,
    /// The threshold of this step, `th + r` or `vth`.
    pub thr: Signal<Out, Bits<THR_BITS>>,
    /// The decayed adaptive threshold.
    pub th_next: Signal<Out, Bits<STATE_BITS>>,
    /// The decayed refractory state.
    pub r_next: Signal<Out, Bits<STATE_BITS>>,
    params: NeuronParams,
    gain: MulRound<X_BITS, 16, WIDE_BITS>,
    u_decay: MulRound<STATE_BITS, 17, WIDE_BITS>,
    th_decay: MulRound<34, 17, WIDE_BITS>,
    r_decay: MulRound<34, 17, WIDE_BITS>,
    fit_u: FitState<WIDE_BITS>,
    u_wide: SignExtend<STATE_BITS, WIDE_BITS>,
    x_eff: DFF<Bits<WIDE_BITS>>,
    u_dec: DFF<Bits<WIDE_BITS>>,
    th5: DFF<Bits<STATE_BITS>>,
    r5: DFF<Bits<STATE_BITS>>,
    u_pre: DFF<Bits<WIDE_BITS>>,
    x_eff6: DFF<Bits<WIDE_BITS>>,
    th6: DFF<Bits<STATE_BITS>>,
    r6: DFF<Bits<STATE_BITS>>,
    thr6: DFF<Bits<THR_BITS>>,
    x_eff7: DFF<Bits<WIDE_BITS>>,
    th7: DFF<Bits<STATE_BITS>>,
    r7: DFF<Bits<STATE_BITS>>,
    thr7: DFF<Bits<THR_BITS>>,
}

impl NeuronFront {
    /// The front of a lane that carries `modes`: without the current stage `u_next` is 0 and
    /// without the adaptive threshold `th_next` and `r_next` are 0 (the reference leaves those
    /// states alone and no trace reports them), so the stages' products are not generated.
    pub fn new(modes: LaneModes) -> Self {
        NeuronFront {
            params: NeuronParams::new(modes),
            ..Default::default()
        }
    }
}

impl Logic for NeuronFront {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, x_eff, u_dec, th5, r5, u_pre, x_eff6, th6, r6, thr6, x_eff7, th7, r7, thr7
        );
        self.params.regs.next = self.regs.val();
        clock!(self, clock, gain, u_decay, th_decay, r_decay, fit_u);
        self.gain.ce.next = self.ce.val();
        self.u_decay.ce.next = self.ce.val();
        self.th_decay.ce.next = self.ce.val();
        self.r_decay.ce.next = self.ce.val();
        self.fit_u.ce.next = self.ce.val();
        // Stage 0: the four products; a stage that is off multiplies by 1 and does not round.
        self.gain.a.next = self.x.val();
        self.gain.b.next = self.params.in_gain.val();
        self.gain.n.next = self.params.in_frac.val();
        self.gain.mode.next = self.params.in_round.val();
        self.u_decay.a.next = self.u.val();
        self.u_decay.b.next = 1u64.into();
        self.u_decay.n.next = 0u64.into();
        if self.params.use_u.val() {
            self.u_decay.b.next = bit_cast::<17, 16>(self.params.beta_u.val());
            self.u_decay.n.next = self.params.dec_frac.val();
        }
        self.u_decay.mode.next = self.params.dec_round.val();
        self.th_decay.a.next = bit_cast::<34, STATE_BITS>(self.th.val()) - self.params.th0.val();
        self.r_decay.a.next = bit_cast::<34, STATE_BITS>(self.r.val());
        self.th_decay.b.next = 1u64.into();
        self.r_decay.b.next = 1u64.into();
        self.th_decay.n.next = 0u64.into();
        self.r_decay.n.next = 0u64.into();
        if self.params.adapt.val() {
            self.th_decay.b.next = bit_cast::<17, 16>(self.params.beta_th.val());
            self.r_decay.b.next = bit_cast::<17, 16>(self.params.beta_r.val());
            self.th_decay.n.next = self.params.dec_frac.val();
            self.r_decay.n.next = self.params.dec_frac.val();
        }
        self.th_decay.mode.next = self.params.dec_round.val();
        self.r_decay.mode.next = self.params.dec_round.val();
        if self.ce.val() {
            // Stage 4 -> 5: x_eff, the decayed th and r.
            self.x_eff.d.next = self.gain.q.val() + self.params.in_bias.val();
            self.u_dec.d.next = self.u_decay.q.val();
            self.th5.d.next = bit_cast::<STATE_BITS, WIDE_BITS>(
                self.th_decay.q.val() + bit_cast::<WIDE_BITS, 34>(self.params.th0.val()),
            );
            self.r5.d.next = bit_cast::<STATE_BITS, WIDE_BITS>(self.r_decay.q.val());
            // Stage 5 -> 6: u's sum and the threshold.
            self.u_pre.d.next = self.u_dec.q.val();
            if self.params.use_u.val() {
                self.u_pre.d.next = self.u_dec.q.val() + self.x_eff.q.val();
            }
            self.thr6.d.next = self.params.vth.val();
            if self.params.adapt.val() {
                self.thr6.d.next = bit_cast::<THR_BITS, STATE_BITS>(self.th5.q.val())
                    + bit_cast::<THR_BITS, STATE_BITS>(self.r5.q.val());
            }
            self.x_eff6.d.next = self.x_eff.q.val();
            self.th6.d.next = self.th5.q.val();
            self.r6.d.next = self.r5.q.val();
            // Stage 6 -> 7 (FIT(u) registers itself).
            self.x_eff7.d.next = self.x_eff6.q.val();
            self.th7.d.next = self.th6.q.val();
            self.r7.d.next = self.r6.q.val();
            self.thr7.d.next = self.thr6.q.val();
        }
        self.fit_u.z.next = self.u_pre.q.val();
        self.fit_u.w.next = self.params.w_u.val();
        self.fit_u.ovf.next = self.params.u_ovf.val();
        // Stage 7: the outputs.
        self.u_wide.a.next = self.fit_u.q.val();
        self.drive.next = self.x_eff7.q.val();
        if self.params.use_u.val() {
            self.drive.next = self.u_wide.q.val();
        }
        self.u_next.next = self.fit_u.q.val();
        if !self.params.has_current.val() {
            self.u_next.next = 0u64.into();
        }
        self.thr.next = self.thr7.q.val();
        self.th_next.next = self.th7.q.val();
        self.r_next.next = self.r7.q.val();
        if !self.params.has_adapt.val() {
            self.th_next.next = 0u64.into();
            self.r_next.next = 0u64.into();
        }
    }
}
