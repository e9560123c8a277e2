//! Elaboration parameters of the top-level kernel (docs/ACCELERATOR.md sections 1-4): every width
//! and depth of the sequencer, the data mover, the accumulator buffer and the code gather,
//! derived from one `HwConfig` and checked once with messages that say why. With batch `B` the
//! per-sequence state (vector units, accumulators, codes) is replicated `B` times.

use mmfree_spec::hw::HwConfig;
use mmfree_spec::regmap;

use crate::error::{Error, Result};
use crate::ternary_engine::{EngineConfig, acc_bits, addr_bits, cols_bits, rows_bits};
use crate::vpu::VpuConfig;

/// Instructions the on-chip instruction memory holds (a program is loaded once per start).
pub const IMEM_INSTRS: usize = 2048;
/// Bytes of one instruction (`mmfree_spec::isa::INSTR_BYTES`).
const INSTR_BITS: usize = 128;
/// Bytes of the BFP vector head and of the `sigma` head (`mmfree_spec::devmem`).
const HEAD_BYTES: usize = 64;
/// Widest AXI4 data port the masters of `mmfree-hdl` support.
const MAX_DATA_BITS: usize = 512;
/// Most sequences: the engine's limit and the debug window's 4-bit sequence select.
const MAX_BATCH: usize = 16;

/// Everything the top-level generator needs, derived from a [`HwConfig`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopConfig {
    /// The configuration's name (module names derive from it).
    pub name: String,
    /// Weight ports `P`.
    pub ports: usize,
    /// Bits of a weight beat `W`.
    pub port_bits: usize,
    /// Trits per weight beat `K`.
    pub lanes_k: usize,
    /// Vector lanes `L`.
    pub lanes: usize,
    /// Sequences `B` sharing each weight beat (one vector unit, accumulator buffer and code
    /// buffer each).
    pub batch: usize,
    /// Bits of a data-bank beat: one register row of `L` words.
    pub data_bits: usize,
    /// Elements of a vector register.
    pub vreg_words: usize,
    /// Accumulators.
    pub acc_rows: usize,
    /// Engine configuration (one per port).
    pub engine: EngineConfig,
    /// Vector-unit configuration.
    pub vpu: VpuConfig,
    /// Argument words of the control slave: the bank pointers, then the debug word.
    pub n_args: usize,
    /// Address bits of the control slave.
    pub ctrl_addr_bits: usize,
}

/// Bits that hold `n - 1` (at least 1): an index into `n` items.
pub const fn index_bits(n: usize) -> usize {
    if n <= 2 {
        1
    } else {
        (usize::BITS - (n - 1).leading_zeros()) as usize
    }
}

impl TopConfig {
    /// The top level of `hw`, or why it cannot be built.
    pub fn from_hw(hw: &HwConfig) -> Result<TopConfig> {
        hw.validate()?;
        let bad = |why: String| Err(Error::Unsupported { kernel: "top", why });
        let lanes = hw.vector_lanes as usize;
        let data_bits = 32 * lanes;
        if !(INSTR_BITS..=MAX_DATA_BITS).contains(&data_bits) {
            return bad(format!(
                "vector_lanes = {lanes} gives {data_bits}-bit data-bank beats; the data mover needs \
                 one register row per beat in {INSTR_BITS}..={MAX_DATA_BITS} bits (4..=16 lanes)"
            ));
        }
        let batch = hw.batch as usize;
        if batch > MAX_BATCH {
            return bad(format!(
                "batch = {batch}: the engines and the debug window hold 1..={MAX_BATCH} sequences"
            ));
        }
        let acc_rows = hw.acc_rows() as usize;
        if !acc_rows.is_multiple_of(lanes) {
            return bad(format!(
                "{acc_rows} accumulators are not a multiple of {lanes} lanes"
            ));
        }
        let engine = EngineConfig::from_hw(hw)?;
        let ports = hw.weight_ports as usize;
        let engine_rows = engine.max_rows * ports;
        if engine_rows < acc_rows {
            return bad(format!(
                "the engines hold {engine_rows} rows per GEMV, fewer than {acc_rows} accumulators"
            ));
        }
        let n_args = 2 * (1 + ports) + 1;
        let ctrl_end = regmap::end(hw) as usize + 4;
        Ok(TopConfig {
            name: hw.name.clone(),
            ports,
            port_bits: hw.port_bits as usize,
            lanes_k: hw.weights_per_beat() as usize,
            lanes,
            batch,
            data_bits,
            vreg_words: hw.vreg_words() as usize,
            acc_rows,
            engine,
            vpu: VpuConfig::from_hw(hw)?,
            n_args,
            ctrl_addr_bits: index_bits(ctrl_end).max(6),
        })
    }

    /// Byte offset of the debug control word (bit 0: stop after each instruction), after the
    /// bank pointers of `mmfree_spec::regmap`.
    pub fn debug_ctrl_offset(&self) -> u32 {
        regmap::ARGS + regmap::POINTER_BYTES * (1 + self.ports as u32)
    }

    /// Beats of a 64-byte head (exponent or `sigma`).
    pub fn head_beats(&self) -> usize {
        HEAD_BYTES * 8 / self.data_bits
    }

    /// Width of an engine accumulator.
    pub fn acc_width(&self) -> usize {
        acc_bits(self.engine.max_cols, self.lanes_k)
    }

    /// Width of an engine's `cols` port.
    pub fn cols_width(&self) -> usize {
        cols_bits(self.engine.max_cols, self.lanes_k)
    }

    /// Width of an engine's `rows` port.
    pub fn rows_width(&self) -> usize {
        rows_bits(self.engine.max_rows)
    }

    /// Width of an engine's code-buffer address.
    pub fn cb_addr_width(&self) -> usize {
        addr_bits(self.engine.max_cols, self.lanes_k)
    }

    /// Width of a sequence index (the engines' `cb_seq`, at least 1).
    pub fn seq_bits(&self) -> usize {
        self.engine.seq_bits()
    }

    /// Instructions per data-bank beat.
    pub fn instrs_per_beat(&self) -> usize {
        self.data_bits / INSTR_BITS
    }
}
