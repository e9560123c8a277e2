//! Step 3 of neuron-models.md section 4.3 for one lane, the membrane:
//! leaky `v_pre = RND(v * beta_v, F_D, dec_round) + drive + bias`, or gated (MLGRU, `G = g_frac`)
//! `dyn_decay: RND(f * v, G) + drive`, `lerp: drive + RND(f * (v - drive), G)`,
//! `two_product: RND(f * v, G) + RND((2^G - f) * drive, G)`; then `v = FIT(v_pre, w_v, v_ovf)`.
//!
//! Two multipliers: `v * (beta_v | f)` starts at stage 0 from the stored `v` (every form but
//! `lerp` uses it), and the drive product `f * (v - drive)` or `(2^G - f) * drive` starts at
//! stage 7, when the front presents `drive`. Both are rounded by stage 11; the sum is registered
//! at 12 and `FIT(v)` at 13. The widest product is `f * (v - drive)`: 31 x 51 bits, below
//! `2^80`. Every rounded product is at most its wide operand in magnitude (`f <= 2^G`,
//! `beta <= 2^F_D`), so the sums stay below `2^51` and fit the 52-bit two's complement.
//! A lane without the drive product sums at stage 7 instead and delays the new membrane.

use mmfree_spec::neuron::LaneModes;
use mmfree_spec::neuron::regs::{self, REG_BITS};
use rust_hdl::prelude::*;

use super::delay::{Delay, DelayStyle};
use super::fit::{FIT_LATENCY, FitState};
use super::front::FRONT_LATENCY;
use super::mul_round::{MUL_ROUND_LATENCY, MulRound};
use super::params::NeuronParams;
use super::sext::SignExtend;
use super::{F_BITS, STATE_BITS, WIDE_BITS};

/// Stages from the lane's stage 0 to the new membrane.
pub const MEMBRANE_LATENCY: usize = FRONT_LATENCY + MUL_ROUND_LATENCY + 1 + FIT_LATENCY;

/// Stages the early sum's new membrane waits to leave at [`MEMBRANE_LATENCY`].
const EARLY_WAIT: usize = MEMBRANE_LATENCY - FRONT_LATENCY - 1 - FIT_LATENCY;

/// Width of the gate operand: `f` and `2^G - f` are at most `2^30`, positive in 32 bits.
const GATE_OPERAND_BITS: usize = 32;

/// The membrane update of one lane.
#[derive(LogicBlock)]
pub struct NeuronMembrane {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the pipeline advances only when high.
    pub ce: Signal<In, Bit>,
    /// The configuration register image.
    pub regs: Signal<In, Bits<REG_BITS>>,
    /// Stored membrane (stage 0).
    pub v: Signal<In, Bits<STATE_BITS>>,
    /// Gate `f` in `[0, 2^G]` (stage 0; read only when gated).
    pub f: Signal<In, Bits<F_BITS>>,
    /// The front's drive (stage [`FRONT_LATENCY`]).
    pub drive: Signal<In, Bits<WIDE_BITS>>,
    /// The new membrane before reset (stage [`MEMBRANE_LATENCY`]).
    pub v_next: Signal<Out, Bits<STATE_BITS>>,
    params: NeuronParams,
    v_mul: MulRound<STATE_BITS, GATE_OPERAND_BITS, 65>,
    drive_mul: MulRound<WIDE_BITS, GATE_OPERAND_BITS, 84>,
    v_late: Delay<Bits<STATE_BITS>, FRONT_LATENCY>,
    f_late: Delay<Bits<F_BITS>, FRONT_LATENCY>,
    v_product: Delay<Bits<WIDE_BITS>, { FRONT_LATENCY }>,
    drive_late: Delay<Bits<WIDE_BITS>, MUL_ROUND_LATENCY>,
    v_product_early: Delay<Bits<WIDE_BITS>, { FRONT_LATENCY - MUL_ROUND_LATENCY }>,
    v_next_late: Delay<Bits<STATE_BITS>, EARLY_WAIT>,
    early: Constant<Bit>,
    v_wide: SignExtend<STATE_BITS, WIDE_BITS>,
    v_pre: DFF<Bits<WIDE_BITS>>,
    fit_v: FitState<WIDE_BITS>,
    f_wide: Signal<Local, Bits<GATE_OPERAND_BITS>>,
    lerp: Signal<Local, Bit>,
    g_one: Constant<Bits<GATE_OPERAND_BITS>>,
    form_lerp: Constant<Bits<2>>,
    form_dyn: Constant<Bits<2>>,
    form_two: Constant<Bits<2>>,
}

impl Default for NeuronMembrane {
    fn default() -> Self {
        let code = |c: u64| Constant::new(Bits::<2>::from(c));
        NeuronMembrane {
            clock: Default::default(),
            ce: Default::default(),
            regs: Default::default(),
            v: Default::default(),
            f: Default::default(),
            drive: Default::default(),
            v_next: Default::default(),
            params: Default::default(),
            v_mul: Default::default(),
            drive_mul: Default::default(),
            v_late: Default::default(),
            f_late: Default::default(),
            v_product: Default::default(),
            drive_late: Default::default(),
            v_product_early: Default::default(),
            v_next_late: Default::default(),
            early: Constant::new(false),
            v_wide: Default::default(),
            v_pre: Default::default(),
            fit_v: Default::default(),
            f_wide: Default::default(),
            lerp: Default::default(),
            g_one: Constant::new(1u64.into()),
            form_lerp: code(regs::FORM_LERP),
            form_dyn: code(regs::FORM_DYN_DECAY),
            form_two: code(regs::FORM_TWO_PRODUCT),
        }
    }
}

impl NeuronMembrane {
    /// The membrane of a lane that carries `modes`: without the gated product of the drive
    /// (`lerp`, `two_product`) the drive multiplier is not generated and the sum is taken at
    /// stage [`FRONT_LATENCY`], as soon as the drive arrives: the 33-bit new membrane then waits
    /// instead of the 52-bit product and drive. The waiting values sit in delay lines of `style`.
    pub fn new(modes: LaneModes, style: DelayStyle) -> Self {
        NeuronMembrane {
            params: NeuronParams::new(modes),
            v_product: Delay::new(style),
            drive_late: Delay::new(style),
            v_product_early: Delay::new(style),
            v_next_late: Delay::new(style),
            early: Constant::new(!modes.gate_drive),
            ..Default::default()
        }
    }
}

impl Logic for NeuronMembrane {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, v_pre);
        clock!(
            self,
            clock,
            v_mul,
            drive_mul,
            v_late,
            f_late,
            v_product,
            drive_late,
            v_product_early,
            v_next_late,
            fit_v
        );
        self.params.regs.next = self.regs.val();
        self.v_mul.ce.next = self.ce.val();
        self.drive_mul.ce.next = self.ce.val();
        self.v_late.ce.next = self.ce.val();
        self.f_late.ce.next = self.ce.val();
        self.v_product.ce.next = self.ce.val();
        self.drive_late.ce.next = self.ce.val();
        self.v_product_early.ce.next = self.ce.val();
        self.v_next_late.ce.next = self.ce.val();
        self.fit_v.ce.next = self.ce.val();
        // Stage 0: v * beta_v, or v * f when gated.
        self.v_mul.a.next = self.v.val();
        self.v_mul.b.next = bit_cast::<GATE_OPERAND_BITS, 16>(self.params.beta_v.val());
        self.v_mul.n.next = self.params.dec_frac.val();
        self.v_mul.mode.next = self.params.dec_round.val();
        if self.params.gated.val() {
            self.v_mul.b.next = bit_cast::<GATE_OPERAND_BITS, F_BITS>(self.f.val());
            self.v_mul.n.next = self.params.g_frac.val();
            self.v_mul.mode.next = self.params.g_round.val();
        }
        self.v_late.d.next = self.v.val();
        self.f_late.d.next = self.f.val();
        self.v_product.d.next = bit_cast::<WIDE_BITS, 65>(self.v_mul.q.val());
        self.v_product_early.d.next = bit_cast::<WIDE_BITS, 65>(self.v_mul.q.val());
        // Stage 7: the drive product, f * (v - drive) for lerp, (2^G - f) * drive otherwise.
        self.v_wide.a.next = self.v_late.q.val();
        self.f_wide.next = bit_cast::<GATE_OPERAND_BITS, F_BITS>(self.f_late.q.val());
        self.lerp.next = self.params.g_form.val() == self.form_lerp.val();
        self.drive_mul.a.next = self.drive.val();
        self.drive_mul.b.next = (self.g_one.val() << self.params.g_frac.val()) - self.f_wide.val();
        if self.lerp.val() {
            self.drive_mul.a.next = self.v_wide.q.val() - self.drive.val();
            self.drive_mul.b.next = self.f_wide.val();
        }
        self.drive_mul.n.next = self.params.g_frac.val();
        self.drive_mul.mode.next = self.params.g_round.val();
        self.drive_late.d.next = self.drive.val();
        // Stage 11 -> 12: the sum of the form.
        if self.ce.val() {
            self.v_pre.d.next =
                self.v_product.q.val() + self.drive_late.q.val() + self.params.bias.val();
            if self.params.gated.val() {
                if self.params.g_form.val() == self.form_dyn.val() {
                    self.v_pre.d.next = self.v_product.q.val() + self.drive_late.q.val();
                }
                if self.lerp.val() {
                    self.v_pre.d.next =
                        self.drive_late.q.val() + bit_cast::<WIDE_BITS, 84>(self.drive_mul.q.val());
                }
                if self.params.g_form.val() == self.form_two.val() {
                    self.v_pre.d.next =
                        self.v_product.q.val() + bit_cast::<WIDE_BITS, 84>(self.drive_mul.q.val());
                }
            }
            // Without the drive product: the sum of stage 7 -> 8 (leaky, or dyn_decay).
            if self.early.val() {
                self.v_pre.d.next =
                    self.v_product_early.q.val() + self.drive.val() + self.params.bias.val();
                if self.params.gated.val() {
                    self.v_pre.d.next = self.v_product_early.q.val() + self.drive.val();
                }
            }
        }
        // Stage 12 -> 13: FIT(v).
        self.fit_v.z.next = self.v_pre.q.val();
        self.fit_v.w.next = self.params.w_v.val();
        self.fit_v.ovf.next = self.params.v_ovf.val();
        self.v_next_late.d.next = self.fit_v.q.val();
        self.v_next.next = self.fit_v.q.val();
        if self.early.val() {
            self.v_next.next = self.v_next_late.q.val();
        }
    }
}
