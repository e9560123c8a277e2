//! The spiking-neuron unit in rust-hdl (docs/ACCELERATOR.md section 1; the datapath of
//! neuron-models.md sections 4.1 and 4.6 implementing the exact step of section 4.3, as
//! `mmfree_spec::neuron::step` defines it; the MatMul-free LM of arXiv 2406.02528 runs its MLGRU
//! recurrence on the `mlgru` preset).
//!
//! [`NeuronUnit`] has `LANES` lanes, each one neuron per cycle; every configuration that
//! `NeuronConfig::validate` accepts runs on it (state widths 16/24/32 chosen at run time, all
//! rounding and overflow rules, every fire rule, reset and gated form, the adaptive threshold),
//! unless the hardware configuration's lanes leave out some of the optional modes
//! (`HwConfig::neuron_modes`, `mmfree_spec::neuron::LaneModes`: the current stage, the adaptive
//! threshold, the gated product of the drive). Then their logic is not generated (the decoders
//! read the modes' switches as constants and synthesis removes what only they use), the lane
//! reports `u`, `th` and `r` as 0 (the reference leaves them alone and no trace shows them), and
//! the host refuses configurations that need them.
//! The configuration arrives as the register image of `mmfree_spec::neuron::regs`, per-neuron
//! state lives in one RAM per lane, inputs and results are valid/ready streams. Values travel as
//! 33-bit two's complement (`u`, `v`, `out`) or unsigned (`th`, `r`): one bit above the widest
//! state, since a `wrap_lava` register holds `+2^(W-1)`.
//!
//! [`build`] emits the Verilog of the unit for a hardware configuration.

mod bits;
mod config_regs;
mod delay;
mod fire;
mod fit;
mod front;
mod lane;
mod membrane;
mod mul_round;
mod params;
mod place;
mod reset;
mod round_shift;
mod sext;
mod signed_mul;
#[cfg(test)]
mod tests;
mod unit;

pub use bits::{from_bits, to_bits};
pub use config_regs::CFG_ADDR_BITS;
pub use delay::DelayStyle;
pub use lane::LANE_LATENCY;
pub use unit::{NEURON_UNIT_LATENCY, NeuronUnit};

use mmfree_spec::hw::HwConfig;
use rust_hdl::core::prelude::Block;

use crate::error::{Error, Result};

/// Width of `x`: signed 33-bit (`mmfree_spec::neuron::X_BITS`).
pub const X_BITS: usize = mmfree_spec::neuron::X_BITS as usize;
/// Width of the gate `f` in `[0, 2^30]`, unsigned.
pub const F_BITS: usize = mmfree_spec::neuron::MAX_G_FRAC as usize + 1;
/// Width of every state value and output: the widest state plus one.
pub const STATE_BITS: usize = 33;
/// Width of the unnarrowed sums (`x_eff`, `drive`, the pre-FIT values): `|.| < 2^51`.
pub const WIDE_BITS: usize = 52;
/// Width of thresholds and comparisons: `th + r <= 2^33`.
pub const THR_BITS: usize = 35;

/// Bits of one lane's input: `x` then `f`.
pub const IN_LANE_BITS: usize = 64;
/// Position of `x` in a lane's input.
pub const IN_X: usize = 0;
/// Position of `f` in a lane's input.
pub const IN_F: usize = X_BITS;

/// Bits of one neuron's stored state word: `u`, `v`, `th`, `r`.
pub const WORD_BITS: usize = 4 * STATE_BITS;
/// Position of `u` in a state word.
pub const WORD_U: usize = 0;
/// Position of `v` in a state word.
pub const WORD_V: usize = STATE_BITS;
/// Position of `th` in a state word.
pub const WORD_TH: usize = 2 * STATE_BITS;
/// Position of `r` in a state word.
pub const WORD_R: usize = 3 * STATE_BITS;

/// Bits of one lane's results: `out`, `v`, `u`, `th`, `r`.
pub const RECORD_BITS: usize = 5 * STATE_BITS;
/// Position of `out` in a lane's results.
pub const RECORD_OUT: usize = 0;
/// Position of `v` in a lane's results.
pub const RECORD_V: usize = STATE_BITS;
/// Position of `u` in a lane's results.
pub const RECORD_U: usize = 2 * STATE_BITS;
/// Position of `th` in a lane's results.
pub const RECORD_TH: usize = 3 * STATE_BITS;
/// Position of `r` in a lane's results.
pub const RECORD_R: usize = 4 * STATE_BITS;

const _: () = assert!(X_BITS + F_BITS <= IN_LANE_BITS);

crate::declare_neuron_unit!(NeuronUnit1x64, 1, 6);
crate::declare_neuron_unit!(NeuronUnit4x64, 4, 6);
crate::declare_neuron_unit!(NeuronUnit8x128, 8, 7);
crate::declare_neuron_unit!(NeuronUnit64x64, 64, 6);

/// Bits of a port of the unit that a lane without some mode neither reads nor drives: the `u`
/// field of the state words and records without the current stage, `th` and `r` without the
/// adaptive threshold (the lane reports them as 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdleBits {
    /// The port (`st_data` or `out_data`).
    pub port: &'static str,
    /// Lowest bit.
    pub lo: usize,
    /// Bits.
    pub width: usize,
}

/// The [`IdleBits`] of `hw`'s unit, every lane, in ascending order per port; empty when the
/// lanes carry every mode. A wrapper ties the inputs among them to 0 and leaves the outputs
/// unread, so neither costs it a register.
pub fn idle_bits(hw: &HwConfig) -> Vec<IdleBits> {
    let modes = hw.neuron_modes();
    let (lanes, _) = shape(hw);
    let mut word = Vec::new();
    let mut record = Vec::new();
    if !modes.current {
        word.push(WORD_U);
        record.push(RECORD_U);
    }
    if !modes.adapt {
        word.extend([WORD_TH, WORD_R]);
        record.extend([RECORD_TH, RECORD_R]);
    }
    let mut idle = Vec::new();
    for (port, stride, at) in [
        ("st_data", WORD_BITS, &word),
        ("out_data", RECORD_BITS, &record),
    ] {
        for lane in 0..lanes {
            idle.extend(at.iter().map(|a| IdleBits {
                port,
                lo: lane * stride + a,
                width: STATE_BITS,
            }));
        }
    }
    idle
}

/// The (lanes, neurons per lane) shapes with a declared type.
pub const BUILT_SHAPES: [(usize, usize); 4] = [(1, 64), (4, 64), (8, 128), (64, 64)];

/// Stack for elaborating a unit: rust-hdl designs are plain structs (toolchain.md section 1).
const ELABORATION_STACK_BYTES: usize = 512 << 20;

/// The emitted Verilog of one unit and the shape the driver needs.
#[derive(Clone, Debug)]
pub struct NeuronUnitBuild {
    /// Verilog text (one file, every module name unique).
    pub verilog: String,
    /// Name of the top module.
    pub module: String,
    /// Lanes.
    pub lanes: usize,
    /// Neurons per lane (a power of two).
    pub depth: usize,
    /// Width of the neuron index ports.
    pub addr_bits: usize,
}

impl NeuronUnitBuild {
    /// Neurons one configuration group can hold: `lanes * depth`.
    pub fn capacity(&self) -> usize {
        self.lanes * self.depth
    }
}

/// The unit's shape for a hardware configuration: `neuron_lanes` lanes, each holding its share of
/// `max_hidden * batch` neurons (the LM's MLGRU state), rounded up to a power of two.
pub fn shape(hw: &HwConfig) -> (usize, usize) {
    let lanes = hw.neuron_lanes.max(1) as usize;
    let neurons = hw.max_hidden as usize * hw.batch.max(1) as usize;
    (lanes, neurons.div_ceil(lanes).next_power_of_two())
}

/// The top module's name: `neuron_unit_<lanes>x<depth>`, followed by the optional modes the lanes
/// carry when they leave some out (`_base` when they carry none).
pub fn module_name(hw: &HwConfig) -> String {
    let (lanes, depth) = shape(hw);
    let modes = hw.neuron_modes();
    match (modes.all(), modes.names().join("_")) {
        (true, _) => format!("neuron_unit_{lanes}x{depth}"),
        (false, names) if names.is_empty() => format!("neuron_unit_{lanes}x{depth}_base"),
        (false, names) => format!("neuron_unit_{lanes}x{depth}_{names}"),
    }
}

/// Emits the Verilog of the neuron unit of `hw` (its shape and the modes its lanes carry), with
/// top module [`module_name`].
pub fn build(hw: &HwConfig) -> Result<NeuronUnitBuild> {
    let (lanes, depth) = shape(hw);
    let module = module_name(hw);
    let modes = hw.neuron_modes();
    let style = DelayStyle::for_config(hw);
    let verilog = match (lanes, depth) {
        (1, 64) => elaborate(&module, move || NeuronUnit1x64::with_modes(modes, style))?,
        (4, 64) => elaborate(&module, move || NeuronUnit4x64::with_modes(modes, style))?,
        (8, 128) => elaborate(&module, move || NeuronUnit8x128::with_modes(modes, style))?,
        (64, 64) => elaborate(&module, move || NeuronUnit64x64::with_modes(modes, style))?,
        _ => {
            let known: Vec<String> = BUILT_SHAPES
                .iter()
                .map(|(l, d)| format!("{l}x{d}"))
                .collect();
            return Err(Error::Unsupported {
                kernel: "neuron unit",
                why: format!(
                    "hardware configuration '{}' asks for {lanes} lanes x {depth} neurons; built shapes are {}",
                    hw.name,
                    known.join(", ")
                ),
            });
        }
    };
    Ok(NeuronUnitBuild {
        verilog,
        module,
        lanes,
        depth,
        addr_bits: depth.trailing_zeros() as usize,
    })
}

/// Builds (with `make`), connects and emits a unit on a thread with a big stack.
fn elaborate<U: Block + 'static>(
    module: &str,
    make: impl FnOnce() -> U + Send + 'static,
) -> Result<String> {
    let module = module.to_string();
    let worker = std::thread::Builder::new()
        .stack_size(ELABORATION_STACK_BYTES)
        .spawn(move || {
            let mut unit = Box::new(make());
            unit.connect_all();
            mmfree_hdl::emit(unit.as_ref(), &module)
        })
        .map_err(|e| Error::Elaboration {
            kernel: "neuron unit",
            why: format!("cannot start a thread: {e}"),
        })?;
    match worker.join() {
        Ok(result) => Ok(result?),
        Err(_) => Err(Error::Elaboration {
            kernel: "neuron unit",
            why: "rust-hdl panicked".into(),
        }),
    }
}
