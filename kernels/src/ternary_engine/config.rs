//! Elaboration parameters of the ternary-accumulate engine (docs/ACCELERATOR.md sections 1 and 2):
//! one plain [`EngineConfig`] derived from `HwConfig`, the `const fn`s that derive every width from
//! it (so that the type declared by [`crate::declare_ternary_engine!`] and the configuration agree by
//! construction), and the engine's fixed pipeline latency.
//!
//! Widths: `K` lanes per beat (`W/2` for pack2, `5W/8` for pack5); the `cols` port holds
//! `max(max_cols, K)`; the accumulator holds `128 * (2^cols_bits - 1)` in magnitude (every int8
//! code, every `cols` the port can carry), so no sum anywhere can wrap.

use mmfree_hdl::{adder_tree_latency, adder_tree_out_bits};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::pack::Packing;
use rust_hdl::core::bits::clog2;

use crate::error::{Error, Result};

/// Bits of one activation code (int8, NUMERICS.md: codes are `quantize` outputs).
pub const CODE_BITS: usize = 8;
/// Every adder level of the reduction trees is registered (one carry chain per cycle at 300 MHz).
pub const TREE_REGISTER_EVERY: usize = 1;
/// Width of the in-flight row counter that throttles the input against the output FIFO.
pub const INFLIGHT_BITS: usize = 8;
/// Edges from the one that writes a result into the (empty) output FIFO to the one after which
/// `acc_valid` shows it.
pub const FIFO_LATENCY: usize = 1;
/// Pipeline registers after the accepting edge (which itself loads S1: decode and code read),
/// outside the adder trees (whose first level also holds the select) and the FIFO: difference (D),
/// accumulator.
pub const FIXED_STAGES: usize = 2;

/// Bits that hold the unsigned value `n` (at least 1).
pub const fn bits_for(n: usize) -> usize {
    let mut bits = 1;
    while bits < usize::BITS as usize && n >> bits != 0 {
        bits += 1;
    }
    bits
}

const fn max(a: usize, b: usize) -> usize {
    if a > b { a } else { b }
}

/// Lanes (trits) per beat: `W/2` for pack2, `W/8 * 5` for pack5 (`HwConfig::weights_per_beat`).
pub const fn engine_lanes(port_bits: usize, packing: Packing) -> usize {
    match packing {
        Packing::Pack2 => port_bits / 2,
        Packing::Pack5 => port_bits / 8 * 5,
    }
}

/// Width of the `cols` port and of the column countdown.
pub const fn cols_bits(max_cols: usize, lanes: usize) -> usize {
    bits_for(max(max_cols, lanes))
}

/// Width of the `rows` port and of the row countdown.
pub const fn rows_bits(max_rows: usize) -> usize {
    bits_for(max_rows)
}

/// Address bits of the code buffer: one word per beat of the longest row.
pub const fn addr_bits(max_cols: usize, lanes: usize) -> usize {
    max(1, clog2(max_cols.div_ceil(lanes)))
}

/// Width of a lane count `0..=K` (the lanes of a beat that lie inside `cols`).
pub const fn count_bits(lanes: usize) -> usize {
    bits_for(lanes)
}

/// Width of the code-buffer sequence select.
pub const fn seq_bits(batch: usize) -> usize {
    max(1, clog2(batch))
}

/// Width of one beat's reduced sum (the adder tree's output over `K` 8-bit lanes).
pub const fn sum_bits(lanes: usize) -> usize {
    adder_tree_out_bits(lanes, CODE_BITS)
}

/// Width of the negative-weight count tree's output (`K` 1-bit lanes).
pub const fn neg_bits(lanes: usize) -> usize {
    adder_tree_out_bits(lanes, 1)
}

/// Accumulator width: `|acc| <= 128 * (2^cols_bits - 1) < 2^(cols_bits + 7)`, plus the sign.
pub const fn acc_bits(max_cols: usize, lanes: usize) -> usize {
    cols_bits(max_cols, lanes) + CODE_BITS
}

/// Cycles of the adder trees.
pub const fn tree_latency(lanes: usize) -> usize {
    adder_tree_latency(lanes, TREE_REGISTER_EVERY)
}

/// Edges from the one that accepts a row's last beat (and loads S1) to the one after which
/// `acc_valid` shows the row's sums (output FIFO empty, no stalls): the tree levels (the first one
/// after the select), D, the accumulator, the FIFO.
pub const fn engine_latency(lanes: usize) -> usize {
    FIXED_STAGES + tree_latency(lanes) + FIFO_LATENCY
}

/// Log2 of the output FIFO depth: it must hold every row in flight (`latency + 2` of them at full
/// rate with one-beat rows), so the input never has to wait for a free-flowing output.
pub const fn log_fifo_depth(lanes: usize) -> usize {
    clog2(engine_latency(lanes) + 2)
}

/// The engine's elaboration parameters; the const generics of its type derive from these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineConfig {
    /// Data bits of one weight beat (`W`, the weight port width).
    pub port_bits: usize,
    /// Ternary packing of the weight stream.
    pub packing: Packing,
    /// Sequences sharing each weight beat (`B` code vectors, `B` accumulators per row).
    pub batch: usize,
    /// Longest row (GEMV `cols`) the code buffer holds.
    pub max_cols: usize,
    /// Most rows one engine computes in one job.
    pub max_rows: usize,
}

impl EngineConfig {
    /// The configuration of each of the `weight_ports` engines of `hw`: rows are interleaved over
    /// the ports (docs/ACCELERATOR.md section 2), columns are at most the larger buffer size.
    pub fn from_hw(hw: &HwConfig) -> Result<EngineConfig> {
        hw.validate()?;
        let widest = hw.max_vocab.max(hw.max_intermediate).max(hw.max_hidden) as usize;
        let cfg = EngineConfig {
            port_bits: hw.port_bits as usize,
            packing: hw.packing,
            batch: hw.batch as usize,
            max_cols: hw.max_hidden.max(hw.max_intermediate) as usize,
            max_rows: widest.div_ceil(hw.weight_ports as usize),
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks the rules the engine's blocks rely on.
    pub fn validate(&self) -> Result<()> {
        let bad = |param: &'static str, value: usize, why: &str| {
            Err(Error::InvalidConfig {
                kernel: "TernaryEngine",
                param,
                value,
                why: why.into(),
            })
        };
        if !(16..=1024).contains(&self.port_bits) || !self.port_bits.is_power_of_two() {
            return bad("port_bits", self.port_bits, "a power of two in 16..=1024");
        }
        if self.batch == 0 || self.batch > 16 {
            return bad("batch", self.batch, "1..=16 sequences");
        }
        if self.max_cols == 0 || self.max_cols > 1 << 24 {
            return bad("max_cols", self.max_cols, "1..=2^24 columns");
        }
        if self.max_rows == 0 || self.max_rows > 1 << 24 {
            return bad("max_rows", self.max_rows, "1..=2^24 rows");
        }
        if self.log_fifo_depth() >= INFLIGHT_BITS {
            return bad(
                "lanes",
                self.lanes(),
                "the pipeline is too deep for the row credits",
            );
        }
        Ok(())
    }

    /// `K`: trits per beat.
    pub const fn lanes(&self) -> usize {
        engine_lanes(self.port_bits, self.packing)
    }
    /// Width of the `cols` port.
    pub const fn cols_bits(&self) -> usize {
        cols_bits(self.max_cols, self.lanes())
    }
    /// Width of the `rows` port.
    pub const fn rows_bits(&self) -> usize {
        rows_bits(self.max_rows)
    }
    /// Code-buffer address width.
    pub const fn addr_bits(&self) -> usize {
        addr_bits(self.max_cols, self.lanes())
    }
    /// Width of a per-beat lane count.
    pub const fn count_bits(&self) -> usize {
        count_bits(self.lanes())
    }
    /// Width of the code-buffer sequence select.
    pub const fn seq_bits(&self) -> usize {
        seq_bits(self.batch)
    }
    /// Width of one beat's value sum.
    pub const fn sum_bits(&self) -> usize {
        sum_bits(self.lanes())
    }
    /// Width of one beat's negative-weight count.
    pub const fn neg_bits(&self) -> usize {
        neg_bits(self.lanes())
    }
    /// Width of one accumulator.
    pub const fn acc_bits(&self) -> usize {
        acc_bits(self.max_cols, self.lanes())
    }
    /// Pack5 decoder ROMs (one per byte of a beat); none for pack2.
    pub const fn decode_roms(&self) -> usize {
        match self.packing {
            Packing::Pack2 => 0,
            Packing::Pack5 => self.port_bits / 8,
        }
    }
    /// Adder-tree cycles.
    pub const fn tree_latency(&self) -> usize {
        tree_latency(self.lanes())
    }
    /// Last-beat-to-result latency, see [`engine_latency`].
    pub const fn latency(&self) -> usize {
        engine_latency(self.lanes())
    }
    /// Log2 of the output FIFO depth, see [`log_fifo_depth`].
    pub const fn log_fifo_depth(&self) -> usize {
        log_fifo_depth(self.lanes())
    }
    /// Beats of a row of `cols` columns.
    pub const fn beats_per_row(&self, cols: usize) -> usize {
        cols.div_ceil(self.lanes())
    }
    /// Code-buffer words per sequence.
    pub const fn buffer_words(&self) -> usize {
        1 << self.addr_bits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_of_the_u280_engine() {
        let cfg = EngineConfig::from_hw(&HwConfig::preset("u280").unwrap()).unwrap();
        assert_eq!(cfg.lanes(), 160);
        assert_eq!(cfg.max_cols, 16384);
        assert_eq!(cfg.max_rows, 1024); // 32768 vocabulary rows over 32 ports
        assert_eq!(cfg.cols_bits(), 15);
        assert_eq!(cfg.acc_bits(), 23); // 128 * 32767 < 2^22
        assert_eq!(cfg.addr_bits(), 7); // 103 beats per 16384-column row
        assert_eq!(cfg.sum_bits(), 16);
        assert_eq!(cfg.neg_bits(), 9);
        assert_eq!(cfg.tree_latency(), 8);
        assert_eq!(cfg.latency(), 11);
        assert_eq!(cfg.log_fifo_depth(), 4);
        assert_eq!(cfg.decode_roms(), 32);
    }

    #[test]
    fn accumulator_holds_every_sum() {
        for (w, p, cols) in [
            (16, Packing::Pack2, 1),
            (64, Packing::Pack2, 1024),
            (512, Packing::Pack5, 16384),
            (1024, Packing::Pack2, 100),
        ] {
            let cfg = EngineConfig {
                port_bits: w,
                packing: p,
                batch: 1,
                max_cols: cols,
                max_rows: 1,
            };
            let largest = 128i64 * ((1i64 << cfg.cols_bits()) - 1);
            assert!(largest < 1i64 << (cfg.acc_bits() - 1), "{cfg:?}");
            // One beat's sum plus the negative count fits too.
            assert!(cfg.sum_bits() < cfg.acc_bits(), "{cfg:?}");
        }
        assert_eq!(bits_for(0), 1);
        assert_eq!(bits_for(255), 8);
        assert_eq!(bits_for(256), 9);
    }

    #[test]
    fn bad_configs_say_why() {
        let mut cfg = EngineConfig {
            port_bits: 48,
            packing: Packing::Pack2,
            batch: 1,
            max_cols: 8,
            max_rows: 8,
        };
        let e = cfg.validate().unwrap_err().to_string();
        assert!(e.contains("port_bits = 48"), "{e}");
        cfg.port_bits = 64;
        cfg.batch = 0;
        assert!(cfg.validate().unwrap_err().to_string().contains("batch"));
    }
}
