//! Named neuron presets: the models of neuron-models.md section 4.4, with the parameter values of
//! sections 1 and 2 (the table with every value is in `docs/NEURON.md`).
//!
//! Non-Loihi presets use a Q12 state (`1.0 = 4096`) and 12-bit decays; learned or per-layer values
//! (thresholds, `k`, BN gains, Loihi `du`/`dv`/`bias`/`vth`) take the source's initial or default
//! value and are meant to be overridden per layer, as the JSON runner allows.

use super::config::{Cmp, Fire, GateForm, NeuronConfig, Reset};
use crate::error::{Error, Result};
use crate::format::GATE_FRAC;
use crate::round::{Overflow, Round};

/// Every preset name [`NeuronConfig::preset`] accepts.
pub const PRESET_NAMES: [&str; 16] = [
    "loihi_cuba",
    "loihi_cuba_wrap",
    "loihi_ternary",
    "spikingjelly_lif",
    "fsvae_lif",
    "taid_alif",
    "adaptive_alif",
    "ilif_coco",
    "ilif_gen1",
    "sdtrack_t1d4",
    "sdtrack_t2d2",
    "qsd_ielif",
    "loihi2_graded_relu",
    "loihi2_graded_vec",
    "mlgru",
    "integrate_fire",
];

/// 1.0 in the Q12 state and decay formats of the non-Loihi presets.
const ONE: i64 = 4096;

/// lava's Loihi bias `bias_mant << bias_exp`, or `bias_mant >> -bias_exp` (floor) for a negative
/// exponent (section 2.2; the bias is not shifted by 6), for the `bias` key of the Loihi presets.
/// The mantissa is 13-bit signed; the exponent is 3 bits (0..=7) and lava also accepts -7..=-1.
pub fn loihi_bias(bias_mant: i64, bias_exp: i64) -> Result<i64> {
    let bad = |key, value: i64, why: &str| Error::NeuronConfig {
        key,
        value: value.to_string(),
        why: why.into(),
    };
    if !(-4096..=4095).contains(&bias_mant) {
        return Err(bad(
            "bias_mant",
            bias_mant,
            "Loihi's bias mantissa is 13-bit signed, range [-4096, 4095]",
        ));
    }
    if !(-7..=7).contains(&bias_exp) {
        return Err(bad(
            "bias_exp",
            bias_exp,
            "Loihi's bias exponent is 3 bits, range [-7, 7] with lava's floor shift",
        ));
    }
    Ok(if bias_exp >= 0 {
        bias_mant << bias_exp
    } else {
        bias_mant >> -bias_exp
    })
}

/// Loihi CUBA LIF exactly as lava's `PyLifModelBitAcc` (section 2.2) with lava's default `du = dv = 0`,
/// `bias = 0`, `vth = 10`: `beta_u = 4096 - (du + 1)` (the hidden `ds_offset`), `beta_v = 4096 - dv`.
fn loihi_cuba(u_ovf: Overflow) -> NeuronConfig {
    NeuronConfig {
        w_v: 24,
        w_u: 24,
        v_ovf: Overflow::SatSym,
        u_ovf,
        in_gain: 64,
        in_round: Round::Rtz,
        use_u: true,
        beta_u: ONE - 1,
        beta_v: ONE,
        dec_round: Round::Rtz,
        fire: Fire::Binary,
        cmp: Cmp::Gt,
        vth: 10 << 6,
        vth_lo: -10 << 6,
        ..NeuronConfig::default()
    }
}

/// spikingjelly-style leaky neuron in Q12 with gain and decay `k` (`H = (1 - k) V + k X`), `v >= vth`.
fn decay_input_lif(k: i64, vth: i64) -> NeuronConfig {
    NeuronConfig {
        in_gain: k,
        in_frac: 12,
        beta_v: ONE - k,
        cmp: Cmp::Ge,
        vth,
        ..NeuronConfig::default()
    }
}

/// Integer-valued (MULTI) neuron in Q12 with soft reset, round-half-even (I-LIF family).
fn multi(d: i64, beta_v: i64) -> NeuronConfig {
    NeuronConfig {
        beta_v,
        fire: Fire::Multi,
        d,
        q_shift: 12,
        q_round: Round::Rne,
        reset: Reset::Soft,
        ..NeuronConfig::default()
    }
}

/// Loihi 2 graded neuron (`GradedReluVec` / `GradedVec`): no memory, `vth = 1` (lava's default).
fn graded(g_abs: bool) -> NeuronConfig {
    NeuronConfig {
        beta_v: 0,
        fire: Fire::Graded,
        cmp: Cmp::Gt,
        vth: 1,
        g_abs,
        ..NeuronConfig::default()
    }
}

impl NeuronConfig {
    /// The preset called `name` (one of [`PRESET_NAMES`]).
    pub fn preset(name: &str) -> Result<NeuronConfig> {
        let cfg = match name {
            "loihi_cuba" => loihi_cuba(Overflow::WrapLava),
            "loihi_cuba_wrap" => loihi_cuba(Overflow::Wrap),
            "loihi_ternary" => NeuronConfig {
                fire: Fire::Ternary,
                ..loihi_cuba(Overflow::WrapLava)
            },
            "spikingjelly_lif" => decay_input_lif(ONE / 2, ONE),
            "fsvae_lif" => NeuronConfig {
                beta_v: ONE / 4,
                cmp: Cmp::Gt,
                vth: 819,
                ..NeuronConfig::default()
            },
            "taid_alif" => decay_input_lif(ONE / 2, ONE / 2),
            "adaptive_alif" => NeuronConfig {
                in_gain: 64,
                use_u: true,
                beta_u: ONE - 1638,
                beta_v: ONE - 1638,
                dec_round: Round::Rtz,
                reset: Reset::None,
                adapt: true,
                th0: 5 << 6,
                th_step: 240,
                beta_th: ONE - 819,
                beta_r: ONE - 819,
                ..NeuronConfig::default()
            },
            "ilif_coco" => multi(4, ONE / 4),
            "ilif_gen1" => NeuronConfig {
                in_gain: ONE / 2,
                in_frac: 12,
                ..multi(4, ONE / 2)
            },
            "sdtrack_t1d4" => multi(4, 0),
            "sdtrack_t2d2" => multi(2, ONE / 4),
            "qsd_ielif" => NeuronConfig {
                in_gain: 4,
                q_round: Round::Rhu,
                ..multi(4, 0)
            },
            "loihi2_graded_relu" => graded(false),
            "loihi2_graded_vec" => graded(true),
            "mlgru" => NeuronConfig {
                w_v: 32,
                gated: true,
                g_frac: GATE_FRAC as i64,
                g_form: GateForm::DynDecay,
                g_round: Round::Rne,
                fire: Fire::None,
                reset: Reset::None,
                ..NeuronConfig::default()
            },
            "integrate_fire" => NeuronConfig::default(),
            _ => {
                let known = PRESET_NAMES.join(", ");
                return Err(Error::UnknownPreset {
                    kind: "neuron preset",
                    name: name.into(),
                    known,
                });
            }
        };
        Ok(cfg)
    }
}
