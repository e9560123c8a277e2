//! One timestep of the unified neuron: the exact integer semantics of neuron-models.md section 4.3.
//!
//! ```text
//! 1 x_eff = RND(x*in_gain, in_frac, in_round) + in_bias
//! 2 if use_u: u = FIT(RND(u*beta_u, F_D, dec_round) + x_eff, w_u, u_ovf); drive = u   else drive = x_eff
//! 3 if gated: v_pre = dyn_decay: RND(f*v, G) + drive | lerp: drive + RND(f*(v - drive), G)
//!                     | two_product: RND(f*v, G) + RND((2^G - f)*drive, G)          (G = g_frac, g_round)
//!   else      v_pre = RND(v*beta_v, F_D, dec_round) + drive + bias
//!   v = FIT(v_pre, w_v, v_ovf)
//! 4 thr = vth; if adapt: th = th0 + RND((th - th0)*beta_th, F_D, dec_round);
//!                        r = RND(r*beta_r, F_D, dec_round); thr = th + r
//! 5 out = binary: v CMP thr | ternary: +1 if v CMP thr, -1 if v < vth_lo, else 0
//!       | multi: clamp(RND(v, q_shift, q_round), 0, d) | graded: (g_abs ? |v| : v) CMP thr ? v >> g_shift : 0
//!       | none: v (no reset)
//! 6 if out != 0: hard: v = v_reset; soft: v -= (multi ? out << q_shift : out*thr)
//! 7 if adapt and out != 0: r += 2*th; th += th_step
//! ```
//!
//! **No intermediate overflows `i128`** for a configuration, state and input that pass validation:
//! `|x| <= 2^32`, `|in_gain| <= 2^15`, `|in_bias| < 2^31`, so `|x_eff| < 2^48`; states satisfy
//! `|u|, |v| <= 2^31` and `0 <= th, r <= 2^32`; decay multipliers are `<= 2^15` and the gate
//! `f <= 2^30`. Hence `|u*beta_u| <= 2^46` and the step-2 sum is `< 2^49`; `|drive| < 2^49`; the
//! step-3 sums are `< 2^51`; the widest products are lerp's `f*(v - drive) < 2^30 * 2^50 = 2^80`
//! and two_product's `(2^G - f)*drive < 2^30 * 2^49 = 2^79`; the adaptive products are `< 2^48`,
//! and a soft reset subtracts at most `15 * 2^31` or `2^33`. Every value is below `2^81`, far
//! inside `i128`. `FIT` is applied only where section 4.3 says
//! (steps 2 and 3); validation guarantees that the unnarrowed values of steps 6 and 7 still lie in
//! their registers (`docs/NEURON.md`, "Why the state stays in range").

use serde::{Deserialize, Serialize};

use super::config::{Cmp, Fire, GateForm, NeuronConfig, Reset};
use crate::error::Result;
use crate::round::{Overflow, fit, shr_round};

/// The per-neuron state kept between timesteps (the RTL's state RAM word).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NeuronState {
    /// Synaptic current (read only with `use_u`).
    pub u: i64,
    /// Membrane potential after reset.
    pub v: i64,
    /// Adaptive threshold (read only with `adapt`).
    pub th: i64,
    /// Refractory state (read only with `adapt`).
    pub r: i64,
}

impl NeuronState {
    /// The state at the start of a sample: `u = v = r = 0`, `th = th0` (docs/NEURON.md section 7).
    pub fn initial(cfg: &NeuronConfig) -> NeuronState {
        NeuronState {
            u: 0,
            v: 0,
            th: cfg.th0,
            r: 0,
        }
    }
}

/// What one step emits, and the state it leaves (values after reset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StepOutput {
    /// Spike, trit, count, graded payload or membrane, by the fire rule.
    pub out: i64,
    /// Membrane after reset.
    pub v: i64,
    /// Current after the step (unchanged without `use_u`).
    pub u: i64,
    /// Adaptive threshold after the step (unchanged without `adapt`).
    pub th: i64,
    /// Refractory state after the step (unchanged without `adapt`).
    pub r: i64,
}

/// Advances `state` by one timestep with input `x` and gate `f` (read only when gated), after
/// checking the configuration, the state and the inputs.
pub fn step(cfg: &NeuronConfig, state: &mut NeuronState, x: i64, f: i64) -> Result<StepOutput> {
    cfg.check_state(state)?;
    cfg.check_input(x, f)?;
    Ok(step_checked(cfg, state, x, f))
}

/// [`step`] for a configuration, state and inputs that have already passed their checks.
pub(crate) fn step_checked(
    cfg: &NeuronConfig,
    state: &mut NeuronState,
    x: i64,
    f: i64,
) -> StepOutput {
    let x_eff = shr_round(
        x as i128 * cfg.in_gain as i128,
        cfg.in_frac as u32,
        cfg.in_round,
    ) + cfg.in_bias as i128;
    let drive = if cfg.use_u {
        state.u = fit_state(
            decay(cfg, state.u as i128, cfg.beta_u) + x_eff,
            cfg.w_u,
            cfg.u_ovf,
        );
        state.u as i128
    } else {
        x_eff
    };
    let v = fit_state(
        membrane(cfg, state.v as i128, drive, f as i128),
        cfg.w_v,
        cfg.v_ovf,
    ) as i128;
    let thr = if cfg.adapt {
        state.th = cfg.th0 + decay(cfg, (state.th - cfg.th0) as i128, cfg.beta_th) as i64;
        state.r = decay(cfg, state.r as i128, cfg.beta_r) as i64;
        (state.th + state.r) as i128
    } else {
        cfg.vth as i128
    };
    let out = fire(cfg, v, thr);
    state.v = reset(cfg, v, out, thr) as i64;
    if cfg.adapt && out != 0 {
        state.r += 2 * state.th;
        state.th += cfg.th_step;
    }
    StepOutput {
        out: out as i64,
        v: state.v,
        u: state.u,
        th: state.th,
        r: state.r,
    }
}

/// `RND(z * beta, F_D, dec_round)`: one decay product.
fn decay(cfg: &NeuronConfig, z: i128, beta: i64) -> i128 {
    shr_round(z * beta as i128, cfg.dec_frac as u32, cfg.dec_round)
}

/// Step 3 before `FIT`: the gated or the leaky membrane update.
fn membrane(cfg: &NeuronConfig, v: i128, drive: i128, f: i128) -> i128 {
    if !cfg.gated {
        return decay(cfg, v, cfg.beta_v) + drive + cfg.bias as i128;
    }
    let g = cfg.g_frac as u32;
    let rnd = |z: i128| shr_round(z, g, cfg.g_round);
    match cfg.g_form {
        GateForm::DynDecay => rnd(f * v) + drive,
        GateForm::Lerp => drive + rnd(f * (v - drive)),
        GateForm::TwoProduct => rnd(f * v) + rnd(((1i128 << g) - f) * drive),
    }
}

fn compare(cmp: Cmp, a: i128, thr: i128) -> bool {
    match cmp {
        Cmp::Gt => a > thr,
        Cmp::Ge => a >= thr,
    }
}

/// Step 5: the output of the fire rule.
fn fire(cfg: &NeuronConfig, v: i128, thr: i128) -> i128 {
    match cfg.fire {
        Fire::Binary => compare(cfg.cmp, v, thr) as i128,
        Fire::Ternary if compare(cfg.cmp, v, thr) => 1,
        Fire::Ternary if v < cfg.vth_lo as i128 => -1,
        Fire::Ternary => 0,
        Fire::Multi => shr_round(v, cfg.q_shift as u32, cfg.q_round).clamp(0, cfg.d as i128),
        Fire::Graded => {
            let level = if cfg.g_abs { v.abs() } else { v };
            if compare(cfg.cmp, level, thr) {
                v >> cfg.g_shift
            } else {
                0
            }
        }
        Fire::None => v,
    }
}

/// Step 6: the stored membrane after a non-zero output (`none` never resets).
fn reset(cfg: &NeuronConfig, v: i128, out: i128, thr: i128) -> i128 {
    if out == 0 || cfg.fire == Fire::None {
        return v;
    }
    match cfg.reset {
        Reset::Hard => cfg.v_reset as i128,
        Reset::Soft if cfg.fire == Fire::Multi => v - (out << cfg.q_shift),
        Reset::Soft => v - out * thr,
        Reset::None => v,
    }
}

/// `FIT` of section 4.3 into a `w`-bit state register. `wrap_lava` is section 2.4's formula, which
/// equals two's-complement wrap with `-2^(w-1)` read as `+2^(w-1)` on `(-3*2^(w-1), 3*2^(w-1)]`, the
/// only sums lava produces; wider sums (a large `x * in_gain`) are wrapped first so that the rule
/// keeps that meaning everywhere and the result always fits the register.
pub fn fit_state(z: i128, w: i64, ovf: Overflow) -> i64 {
    let w = w as u32;
    match ovf {
        Overflow::WrapLava => fit(fit(z, w, Overflow::Wrap) as i128, w, Overflow::WrapLava),
        _ => fit(z, w, ovf),
    }
}
