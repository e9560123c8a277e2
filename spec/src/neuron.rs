//! The unified fixed-point spiking neuron: configuration, presets, the exact integer step and the
//! JSON vector runner (neuron-models.md sections 4.2-4.4; `docs/NEURON.md` documents the semantics,
//! the presets, the defaults and the legal ranges); [`regs`] is the RTL unit's register map.
//!
//! One parameterised neuron covers Loihi CUBA LIF (bit-exact with lava), spikingjelly/FSVAE/TAID
//! LIF, lava-dl ALIF, the integer-valued I-LIF/IE-LIF family, Loihi 2 graded neurons and the
//! MatMul-free LM's MLGRU recurrence (arXiv 2406.02528), whose preset `mlgru` is exactly
//! [`crate::ops::mlgru`]. The RTL neuron unit is verified bit for bit against [`step`].

mod config;
pub mod json;
mod modes;
mod preset;
pub mod regs;
mod step;
mod validate;

#[cfg(test)]
mod json_tests;
#[cfg(test)]
mod tests;

pub use config::{
    Cmp, DEFAULT_DEC_FRAC, DEFAULT_STATE_FRAC, Fire, GAIN_BITS, GateForm, MAX_D, MAX_DEC_FRAC,
    MAX_G_FRAC, MAX_IN_FRAC, NeuronConfig, PARAM_BITS, Reset, STATE_WIDTHS, X_BITS, signed_range,
    state_range,
};
pub use modes::LaneModes;
pub use preset::{PRESET_NAMES, loihi_bias};
pub use step::{NeuronState, StepOutput, fit_state, step};
