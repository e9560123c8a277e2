//! The neuron configuration record (neuron-models.md section 4.2) with the defaults of section 4.3.
//!
//! Every field is a primitive with the contract's lower-case name (docs/NEURON.md section 7), so
//! the same record is the JSON `config` object, the RTL's per-group parameter set and the input of
//! [`NeuronConfig::validate`](super::NeuronConfig::validate). Fields of a stage that is switched off
//! are ignored, and they are neither read nor validated.

use serde::{Deserialize, Serialize};

use crate::format::GATE_FRAC;
use crate::round::{Overflow, Round};

/// State widths of `u` and `v` that the reference and the RTL support.
pub const STATE_WIDTHS: [i64; 3] = [16, 24, 32];
/// Width of the signed per-step input `x`: one bit wider than the widest state, so that the extreme
/// inputs `±2^31` are legal at every state width.
pub const X_BITS: u32 = 33;
/// Width of the signed input gain `in_gain` (one 16-bit multiplier operand).
pub const GAIN_BITS: u32 = 16;
/// Width of the constants added to or compared with a state (`in_bias`, `bias`, `vth`,
/// `vth_lo`): s24 at every state width (neuron-models.md section 4.2), or the state's width when
/// it is wider; the stages FIT() what they receive.
pub const PARAM_BITS: i64 = 24;
/// Largest `in_frac` (a 5-bit shift field).
pub const MAX_IN_FRAC: i64 = 31;
/// Largest `dec_frac` (a 4-bit field; decay multipliers are then at most 16 bits unsigned).
pub const MAX_DEC_FRAC: i64 = 15;
/// Largest `g_frac`: the gate `f` of the LM's MLGRU has 17 fraction bits (the GATE format).
pub const MAX_G_FRAC: i64 = GATE_FRAC as i64;
/// Largest MULTI count `d` (a 4-bit field).
pub const MAX_D: i64 = 15;
/// Default fraction bits of the decay multipliers (Loihi's decay unity 4096).
pub const DEFAULT_DEC_FRAC: i64 = 12;
/// Default state fraction: thresholds of the non-Loihi presets are 1.0 = `2^12` (Q12 state).
pub const DEFAULT_STATE_FRAC: i64 = 12;

/// Output rule of the fire stage (section 4.3 step 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fire {
    /// One bit: `v CMP thr`.
    Binary,
    /// `+1` if `v CMP thr`, `-1` if `v < vth_lo`, else 0 (lava TernaryLIF).
    Ternary,
    /// An integer count `clamp(RND(v, q_shift, q_round), 0, d)` (I-LIF, IE-LIF).
    Multi,
    /// A graded payload `v >> g_shift` when `(g_abs ? |v| : v) CMP thr`, else 0 (Loihi 2).
    Graded,
    /// The membrane itself, with no reset (MLGRU).
    None,
}

/// Threshold comparison (section 0 finding 1: models disagree on it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cmp {
    /// Strict `v > thr` (Loihi, FSVAE).
    Gt,
    /// `v >= thr` (spikingjelly, lava-dl).
    Ge,
}

/// What a non-zero output does to the stored membrane (section 4.3 step 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reset {
    /// `v = v_reset`.
    Hard,
    /// `v -= out << q_shift` (MULTI) or `v -= out * thr` (BINARY, TERNARY).
    Soft,
    /// `v` is kept (lava-dl ALIF, where the refractory state `r` plays the reset's role).
    None,
}

/// Form of the gated (MLGRU) membrane update (section 3.4); the forms differ by 1 LSB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateForm {
    /// `RND(f*v, G) + drive`: the LM's factorisation, `(1-f)*c` formed upstream.
    DynDecay,
    /// `drive + RND(f*(v - drive), G)`: one multiplier, `drive = c`.
    Lerp,
    /// `RND(f*v, G) + RND((2^G - f)*drive, G)`: two products, `drive = c`.
    TwoProduct,
}

/// Parameters of one neuron group (section 4.2). Missing JSON keys take the [`Default`] values,
/// which are documented on each field.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NeuronConfig {
    /// Width of `v` in bits: 16, 24 or 32. Default 24 (section 4.3 recommended default).
    pub w_v: i64,
    /// Width of `u` in bits: 16, 24 or 32. Default 24, like `w_v`.
    pub w_u: i64,
    /// Overflow rule of `v`. Default `sat` (section 4.3 recommended default).
    pub v_ovf: Overflow,
    /// Overflow rule of `u`. Default `sat`, like `v_ovf`.
    pub u_ovf: Overflow,
    /// Signed 16-bit input gain `g` of `x_eff = RND(x*g, in_frac, in_round) + in_bias`. Default 1.
    pub in_gain: i64,
    /// Fraction bits of `in_gain`, 0..=31. Default 0 (the gain is an integer).
    pub in_frac: i64,
    /// Rounding of the input product. Default `rne`.
    pub in_round: Round,
    /// Bias added after the gain (folded BN), in units of the state it feeds. Default 0.
    pub in_bias: i64,
    /// Whether the CUBA current stage `u` is present. Default `false` (`x_eff` drives `v`).
    pub use_u: bool,
    /// Fraction bits `F_D` of every decay multiplier, 0..=15. Default 12 (unity 4096).
    pub dec_frac: i64,
    /// Decay multiplier of `u` in `[0, 2^dec_frac]` (1 - decay). Default 4096: no leak.
    pub beta_u: i64,
    /// Decay multiplier of `v` in `[0, 2^dec_frac]`. Default 4096: no leak.
    pub beta_v: i64,
    /// Rounding of every decay product. Default `rne` (section 4.3 recommended default).
    pub dec_round: Round,
    /// Constant added to `v` each step (not gated). Default 0.
    pub bias: i64,
    /// Output rule. Default `binary`.
    pub fire: Fire,
    /// Threshold comparison of `binary`, `ternary` and `graded`. Default `ge`.
    pub cmp: Cmp,
    /// Threshold in state units (ignored when `adapt`). Default 4096 (1.0 in Q12).
    pub vth: i64,
    /// Lower threshold of `ternary` (`-1` if `v < vth_lo`). Default -4096.
    pub vth_lo: i64,
    /// Largest count of `multi`, 1..=15. Default 4 (MultiSpike4).
    pub d: i64,
    /// `multi` threshold `2^q_shift`, 0..=w_v-1. Default 12 (1.0 in Q12).
    pub q_shift: i64,
    /// Rounding of `v / 2^q_shift` in `multi`. Default `rne` (`torch.round`, section 4.3).
    pub q_round: Round,
    /// Right shift (floor) of the `graded` payload, 0..=w_v-1. Default 0.
    pub g_shift: i64,
    /// Whether `graded` compares `|v|` (GradedVec) instead of `v` (graded ReLU). Default `false`.
    pub g_abs: bool,
    /// What a non-zero output does to `v`. Default `hard`.
    pub reset: Reset,
    /// Membrane value after a hard reset. Default 0.
    pub v_reset: i64,
    /// Whether the adaptive threshold `th` and refractory state `r` are present. Default `false`.
    pub adapt: bool,
    /// Resting value of the adaptive threshold, `>= 0`. Default 4096 (1.0 in Q12).
    pub th0: i64,
    /// Increment of `th` per non-zero output, `>= 0`. Default 0.
    pub th_step: i64,
    /// Decay multiplier of `th - th0`, in `[0, 2^dec_frac]`. Default 4096: no decay.
    pub beta_th: i64,
    /// Decay multiplier of `r`, in `[0, 2^dec_frac]`. Default 4096: no decay.
    pub beta_r: i64,
    /// Whether `v` is updated by the gated (MLGRU) rule with the per-step gate `f`. Default `false`.
    pub gated: bool,
    /// Fraction bits `G` of the gate `f` in `[0, 2^G]`, 0..=17. Default 12.
    pub g_frac: i64,
    /// Form of the gated update. Default `dyn_decay` (the LM's frozen form).
    pub g_form: GateForm,
    /// Rounding of the gated products. Default `rne` (as the LM's `mlgru`).
    pub g_round: Round,
}

impl Default for NeuronConfig {
    /// A leak-free integrate-and-fire neuron with unity gain, `v >= 1.0` (Q12) and a hard reset to 0.
    fn default() -> Self {
        let one = 1 << DEFAULT_STATE_FRAC;
        let dec_one = 1 << DEFAULT_DEC_FRAC;
        NeuronConfig {
            w_v: 24,
            w_u: 24,
            v_ovf: Overflow::Sat,
            u_ovf: Overflow::Sat,
            in_gain: 1,
            in_frac: 0,
            in_round: Round::Rne,
            in_bias: 0,
            use_u: false,
            dec_frac: DEFAULT_DEC_FRAC,
            beta_u: dec_one,
            beta_v: dec_one,
            dec_round: Round::Rne,
            bias: 0,
            fire: Fire::Binary,
            cmp: Cmp::Ge,
            vth: one,
            vth_lo: -one,
            d: 4,
            q_shift: DEFAULT_STATE_FRAC,
            q_round: Round::Rne,
            g_shift: 0,
            g_abs: false,
            reset: Reset::Hard,
            v_reset: 0,
            adapt: false,
            th0: one,
            th_step: 0,
            beta_th: dec_one,
            beta_r: dec_one,
            gated: false,
            g_frac: 12,
            g_form: GateForm::DynDecay,
            g_round: Round::Rne,
        }
    }
}

/// The values a `w`-bit state register holds under `ovf`: `[-2^(w-1), 2^(w-1) - 1]`, except that
/// `wrap_lava` never produces `-2^(w-1)` but may produce `+2^(w-1)`, so its register reads the bit
/// pattern `100...0` as `+2^(w-1)` and holds `[-(2^(w-1) - 1), 2^(w-1)]` in the same `w` bits.
/// `w` is a validated width (`1..=63`).
pub fn state_range(w: u32, ovf: Overflow) -> (i64, i64) {
    let m = 1i64 << (w - 1);
    match ovf {
        Overflow::WrapLava => (-(m - 1), m),
        _ => (-m, m - 1),
    }
}

/// The range of a `w`-bit two's-complement constant (`1 <= w <= 63`).
pub fn signed_range(w: u32) -> (i64, i64) {
    let m = 1i64 << (w - 1);
    (-m, m - 1)
}

impl NeuronConfig {
    /// Whether the fire rule compares against a threshold (`vth` or the adaptive `th + r`).
    pub fn thresholded(&self) -> bool {
        matches!(self.fire, Fire::Binary | Fire::Ternary | Fire::Graded)
    }

    /// Whether a non-zero output changes `v` (every fire rule but `none`, and a reset other than `none`).
    pub fn resets(&self) -> bool {
        self.fire != Fire::None && self.reset != Reset::None
    }

    /// Whether any stage multiplies by a decay `beta_*` with `dec_frac` fraction bits.
    pub fn decays(&self) -> bool {
        self.use_u || !self.gated || self.adapt
    }

    /// Width of the state that `x_eff` feeds: `u` with the current stage, else `v`.
    pub fn drive_bits(&self) -> i64 {
        if self.use_u { self.w_u } else { self.w_v }
    }

    /// The range of a constant beside a `w`-bit state: signed `max(PARAM_BITS, w)`-bit.
    pub fn param_range(w: i64) -> (i64, i64) {
        signed_range(w.max(PARAM_BITS) as u32)
    }

    /// Largest value of the adaptive state `th` and `r`, `2^w_v` (see `docs/NEURON.md`): the RTL
    /// stores each in `w_v + 1` bits unsigned.
    pub fn adapt_max(&self) -> i64 {
        1i64 << self.w_v
    }
}
