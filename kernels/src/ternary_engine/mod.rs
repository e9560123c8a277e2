//! The ternary-accumulate engine (docs/ACCELERATOR.md section 1, "Ternary engines"; section 2 for
//! the weight-bank layout; the model is arXiv 2406.02528): one per weight port, it consumes one
//! `W`-bit beat of `K` packed trits per cycle, multiplies it by add/subtract/skip with `K` int8 codes
//! of each of `B` sequences, and emits one exact accumulator per row and sequence, rows in stream
//! order. No multiplier, no DSP block, no saturation anywhere.
//!
//! ```text
//!  w_valid/w_ready/w_data ──► BeatControl ──tags──► TritDecode ──► LaneReduce ──► RowAccumulate ──► FIFO ──► acc_valid/acc_ready/acc_data
//!  start/cols/rows ─────────┘      │ beat_addr      ▲ S1: trits, mask   (B + 1 adder trees)  D, acc
//!  cb_write/cb_seq/cb_addr/cb_data ─► CodeBuffer ───┘ then q / !q / 0
//! ```
//!
//! Latency ([`engine_latency`]): the edge that accepts a row's last beat (it also loads S1: decode,
//! code read) is followed, `latency = tree levels + 3` edges later, by that row's sums on
//! `acc_data` with `acc_valid` high (output FIFO empty): the tree levels (the select is
//! combinational in front of the first), D (difference), the accumulator and the FIFO. A job of `N`
//! beats without stalls takes `N + latency + 2` edges from the one that samples `start` to the one
//! after which `done` is high.
//! Throughput: one beat per cycle for as long as `w_valid` and `acc_ready` stay high, any row length.
//! Back-pressure: `acc_ready` low fills the output FIFO; the control then drops `w_ready` so that
//! every row in flight keeps a FIFO slot (nothing lost, nothing duplicated). Gaps in `w_valid` pass
//! through the pipeline as bubbles.
//!
//! Contract: the code buffer holds the job's codes before `start` and is not written while `busy`;
//! `cols <= max_cols` (the accumulator would still be exact up to the port's range, but the code
//! buffer addresses wrap); codes may be any int8 (the spec's are within `-127..=127`).

mod accumulate;
pub mod build;
mod code_buffer;
pub mod config;
mod control;
mod decode;
mod reduce;
#[cfg(test)]
mod test_util;

pub use accumulate::RowAccumulate;
pub use build::{EngineBuild, build};
pub use code_buffer::CodeBuffer;
pub use config::{
    EngineConfig, acc_bits, addr_bits, cols_bits, count_bits, engine_lanes, engine_latency,
    log_fifo_depth, neg_bits, rows_bits, seq_bits, sum_bits,
};
pub use control::BeatControl;
pub use decode::TritDecode;
pub use reduce::LaneReduce;

use mmfree_hdl::StreamFifo;
use rust_hdl::prelude::*;

use crate::error::{Error, Result};

/// Declares `type $name = TernaryEngine<..>` for a port width, packing, batch, maximum columns and
/// maximum rows, deriving every other width with the `config` functions; build it with
/// `$name::new(&cfg)` from the [`EngineConfig`] with the same values.
#[macro_export]
macro_rules! declare_ternary_engine {
    ($name: ident, $port_bits: expr, $packing: expr, $batch: expr, $max_cols: expr, $max_rows: expr) => {
        pub type $name = $crate::ternary_engine::TernaryEngine<
            { $port_bits },
            { $crate::ternary_engine::engine_lanes($port_bits, $packing) },
            { $crate::ternary_engine::engine_lanes($port_bits, $packing) * 8 },
            { $batch * $crate::ternary_engine::engine_lanes($port_bits, $packing) * 8 },
            {
                $crate::ternary_engine::count_bits($crate::ternary_engine::engine_lanes(
                    $port_bits, $packing,
                ))
            },
            {
                $crate::ternary_engine::sum_bits($crate::ternary_engine::engine_lanes(
                    $port_bits, $packing,
                ))
            },
            {
                $crate::ternary_engine::neg_bits($crate::ternary_engine::engine_lanes(
                    $port_bits, $packing,
                ))
            },
            {
                $batch
                    * $crate::ternary_engine::sum_bits($crate::ternary_engine::engine_lanes(
                        $port_bits, $packing,
                    ))
            },
            {
                $crate::ternary_engine::acc_bits(
                    $max_cols,
                    $crate::ternary_engine::engine_lanes($port_bits, $packing),
                )
            },
            {
                $batch
                    * $crate::ternary_engine::acc_bits(
                        $max_cols,
                        $crate::ternary_engine::engine_lanes($port_bits, $packing),
                    )
            },
            {
                $crate::ternary_engine::cols_bits(
                    $max_cols,
                    $crate::ternary_engine::engine_lanes($port_bits, $packing),
                )
            },
            { $crate::ternary_engine::rows_bits($max_rows) },
            {
                $crate::ternary_engine::addr_bits(
                    $max_cols,
                    $crate::ternary_engine::engine_lanes($port_bits, $packing),
                )
            },
            { $crate::ternary_engine::seq_bits($batch) },
            {
                $crate::ternary_engine::log_fifo_depth($crate::ternary_engine::engine_lanes(
                    $port_bits, $packing,
                ))
            },
            {
                $crate::ternary_engine::log_fifo_depth($crate::ternary_engine::engine_lanes(
                    $port_bits, $packing,
                )) + 1
            },
        >;
    };
}

/// One ternary-accumulate engine; declare a concrete type with [`declare_ternary_engine!`]. The
/// const generics are widths derived from an [`EngineConfig`] (see `config`): `W` beat, `K` lanes,
/// `K8`/`BK8` code words, `KB` lane count, `SUM`/`NEG`/`BSUM` tree outputs, `ACC`/`BACC`
/// accumulators, `CB`/`RB` job ports, `AB`/`SB` code-buffer address and sequence, `LOG`/`LOG1`
/// FIFO depth.
#[derive(LogicBlock)]
pub struct TernaryEngine<
    const W: usize,
    const K: usize,
    const K8: usize,
    const BK8: usize,
    const KB: usize,
    const SUM: usize,
    const NEG: usize,
    const BSUM: usize,
    const ACC: usize,
    const BACC: usize,
    const CB: usize,
    const RB: usize,
    const AB: usize,
    const SB: usize,
    const LOG: usize,
    const LOG1: usize,
> {
    /// Clock of the whole engine.
    pub clock: Signal<In, Clock>,
    // Job interface (sequencer)
    /// Starts a job when idle.
    pub start: Signal<In, Bit>,
    /// Columns of every row of the job (GEMV `len`).
    pub cols: Signal<In, Bits<CB>>,
    /// Rows this engine computes in the job.
    pub rows: Signal<In, Bits<RB>>,
    /// A job is running (from the edge after `start` until its last sum has been taken).
    pub busy: Signal<Out, Bit>,
    /// One-cycle pulse: the job's last sum has been taken.
    pub done: Signal<Out, Bit>,
    // Weight stream (weight streamer)
    /// A weight beat is offered.
    pub w_valid: Signal<In, Bit>,
    /// The engine takes the beat at the next edge (depends on registers only).
    pub w_ready: Signal<Out, Bit>,
    /// `K` packed trits (docs/ACCELERATOR.md section 2).
    pub w_data: Signal<In, Bits<W>>,
    // Code-buffer write port (vector unit)
    /// Write `cb_data` at the next edge.
    pub cb_write: Signal<In, Bit>,
    /// The sequence written.
    pub cb_seq: Signal<In, Bits<SB>>,
    /// The word written: codes `cb_addr*K .. cb_addr*K + K` of the sequence.
    pub cb_addr: Signal<In, Bits<AB>>,
    /// `K` int8 codes, code `j` in bits `[8j, 8j + 8)`.
    pub cb_data: Signal<In, Bits<K8>>,
    // Accumulator stream
    /// `acc_data` holds a row's sums.
    pub acc_valid: Signal<Out, Bit>,
    /// The consumer takes `acc_data` at the next edge.
    pub acc_ready: Signal<In, Bit>,
    /// Sequence `b`'s row sum in bits `[b*ACC, (b+1)*ACC)`, two's complement.
    pub acc_data: Signal<Out, Bits<BACC>>,
    control: BeatControl<CB, RB, AB, KB>,
    codes: CodeBuffer<K8, BK8, AB, SB>,
    decode: TritDecode<W, K, BK8, KB>,
    reduce: LaneReduce<K, K8, BK8, SUM, NEG, BSUM>,
    accumulate: RowAccumulate<SUM, BSUM, NEG, ACC, BACC>,
    fifo: StreamFifo<Bits<BACC>, LOG, LOG1>,
}

impl<
    const W: usize,
    const K: usize,
    const K8: usize,
    const BK8: usize,
    const KB: usize,
    const SUM: usize,
    const NEG: usize,
    const BSUM: usize,
    const ACC: usize,
    const BACC: usize,
    const CB: usize,
    const RB: usize,
    const AB: usize,
    const SB: usize,
    const LOG: usize,
    const LOG1: usize,
> TernaryEngine<W, K, K8, BK8, KB, SUM, NEG, BSUM, ACC, BACC, CB, RB, AB, SB, LOG, LOG1>
{
    /// The engine for `cfg`; refuses a configuration the declared type does not match.
    pub fn new(cfg: &EngineConfig) -> Result<Self> {
        cfg.validate()?;
        let b = cfg.batch;
        for (param, declared, config) in [
            ("W", W, cfg.port_bits),
            ("K", K, cfg.lanes()),
            ("K8", K8, 8 * cfg.lanes()),
            ("BK8", BK8, 8 * b * cfg.lanes()),
            ("KB", KB, cfg.count_bits()),
            ("SUM", SUM, cfg.sum_bits()),
            ("NEG", NEG, cfg.neg_bits()),
            ("BSUM", BSUM, b * cfg.sum_bits()),
            ("ACC", ACC, cfg.acc_bits()),
            ("BACC", BACC, b * cfg.acc_bits()),
            ("CB", CB, cfg.cols_bits()),
            ("RB", RB, cfg.rows_bits()),
            ("AB", AB, cfg.addr_bits()),
            ("SB", SB, cfg.seq_bits()),
            ("LOG", LOG, cfg.log_fifo_depth()),
            ("LOG1", LOG1, cfg.log_fifo_depth() + 1),
        ] {
            if declared != config {
                return Err(Error::TypeMismatch {
                    kernel: "TernaryEngine",
                    param,
                    declared,
                    config,
                });
            }
        }
        let reduce = LaneReduce::new()?;
        debug_assert_eq!(reduce.latency(), cfg.tree_latency());
        Ok(TernaryEngine {
            clock: Default::default(),
            start: Default::default(),
            cols: Default::default(),
            rows: Default::default(),
            busy: Default::default(),
            done: Default::default(),
            w_valid: Default::default(),
            w_ready: Default::default(),
            w_data: Default::default(),
            cb_write: Default::default(),
            cb_seq: Default::default(),
            cb_addr: Default::default(),
            cb_data: Default::default(),
            acc_valid: Default::default(),
            acc_ready: Default::default(),
            acc_data: Default::default(),
            control: BeatControl::new(K, 1 << LOG),
            codes: CodeBuffer::new(),
            decode: TritDecode::new(cfg.packing)?,
            reduce,
            accumulate: RowAccumulate::new(),
            fifo: Default::default(),
        })
    }
}

impl<
    const W: usize,
    const K: usize,
    const K8: usize,
    const BK8: usize,
    const KB: usize,
    const SUM: usize,
    const NEG: usize,
    const BSUM: usize,
    const ACC: usize,
    const BACC: usize,
    const CB: usize,
    const RB: usize,
    const AB: usize,
    const SB: usize,
    const LOG: usize,
    const LOG1: usize,
> Logic for TernaryEngine<W, K, K8, BK8, KB, SUM, NEG, BSUM, ACC, BACC, CB, RB, AB, SB, LOG, LOG1>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(
            self, clock, control, codes, decode, reduce, accumulate, fifo
        );
        // Job and weight handshake.
        self.control.start.next = self.start.val();
        self.control.cols.next = self.cols.val();
        self.control.rows.next = self.rows.val();
        self.control.w_valid.next = self.w_valid.val();
        self.control.acc_taken.next = self.fifo.out_valid.val() & self.acc_ready.val();
        self.busy.next = self.control.busy.val();
        self.done.next = self.control.done.val();
        self.w_ready.next = self.control.w_ready.val();
        // Code buffer: written by the vector unit, read at the accepted beat's word.
        self.codes.write.next = self.cb_write.val();
        self.codes.write_seq.next = self.cb_seq.val();
        self.codes.write_addr.next = self.cb_addr.val();
        self.codes.write_codes.next = self.cb_data.val();
        self.codes.read_addr.next = self.control.beat_addr.val();
        // Decode (S1) and select.
        self.decode.in_valid.next = self.control.beat_valid.val();
        self.decode.in_first.next = self.control.beat_first.val();
        self.decode.in_last.next = self.control.beat_last.val();
        self.decode.in_count.next = self.control.beat_count.val();
        self.decode.w_data.next = self.w_data.val();
        self.decode.codes.next = self.codes.read_codes.val();
        // Reduce.
        self.reduce.in_valid.next = self.decode.out_valid.val();
        self.reduce.in_first.next = self.decode.out_first.val();
        self.reduce.in_last.next = self.decode.out_last.val();
        self.reduce.lanes.next = self.decode.lanes.val();
        self.reduce.neg.next = self.decode.neg.val();
        // Accumulate.
        self.accumulate.in_valid.next = self.reduce.out_valid.val();
        self.accumulate.in_first.next = self.reduce.out_first.val();
        self.accumulate.in_last.next = self.reduce.out_last.val();
        self.accumulate.sums.next = self.reduce.sums.val();
        self.accumulate.neg_sum.next = self.reduce.neg_sum.val();
        // Output FIFO (never full: the control holds a slot for every row in flight).
        self.fifo.in_valid.next = self.accumulate.out_write.val();
        self.fifo.in_data.next = self.accumulate.out_data.val();
        self.fifo.out_ready.next = self.acc_ready.val();
        self.acc_valid.next = self.fifo.out_valid.val();
        self.acc_data.next = self.fifo.out_data.val();
    }
}
