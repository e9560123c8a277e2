//! Cycle counts of the vector unit's operations (docs/HARDWARE.md, VPU section), derived from the
//! blocks' latencies and the sequencer's states, so the documentation, the top level's scheduler
//! and the tests (which assert them on the Verilated unit) share one formula.
//!
//! From the edge that takes a command to the edge after which `done` is high:
//! `1 (check) + sum over passes of (1 + R + D + 1 + GAP)` plus, for NORM and QUANT,
//! `2 + scalar_cycles + GAP` (start, then `done` seen the cycle after it rises), where `R = ceil(len / L)` and `D` is the pass's depth: the source
//! latency (register file 2, accumulators `acc_latency + 1`), the element pipeline, the lane
//! selector (1) and the pass's end (normalizer 2, or reduction `log2 L + 3`). A refused command
//! takes 1 cycle. DEQUANT's OR pass spans its group of rows ([`dequant_cycles`]).

use crate::vpu::align::ALIGN_LATENCY;
use crate::vpu::config::{VpuConfig, VpuOp};
use crate::vpu::control::GAP_CYCLES;
use crate::vpu::gates::GATE_LATENCY;
use crate::vpu::normalizer::NORMALIZER_LATENCY;
use crate::vpu::product::PRODUCT_LATENCY;
use crate::vpu::reduction::reduction_latency;
use crate::vpu::regfile::REGFILE_READ_LATENCY;
use crate::vpu::scalar::{ScalarProgram, scalar_cycles};
use crate::vpu::select::SELECT_LATENCY;
use crate::vpu::sigmoid::SIGMOID_LATENCY;

/// Where a pass ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Normalizer,
    Reduction,
}

/// The passes of `op`: (element pipeline latency, end) each, and the scalar program if any.
fn passes(op: VpuOp) -> (Vec<(usize, End)>, Option<ScalarProgram>) {
    use End::*;
    let p = PRODUCT_LATENCY;
    match op {
        VpuOp::Norm => (
            vec![(p, Reduction), (p, Reduction), (p, Normalizer)],
            Some(ScalarProgram::Rho),
        ),
        VpuOp::Quant => (
            vec![(p, Reduction), (p, Normalizer)],
            Some(ScalarProgram::Quant),
        ),
        VpuOp::Dequant | VpuOp::Mul | VpuOp::Gmul => (vec![(p, Reduction), (p, Normalizer)], None),
        VpuOp::Add | VpuOp::Mlgru => (
            vec![(ALIGN_LATENCY, Reduction), (ALIGN_LATENCY, Normalizer)],
            None,
        ),
        VpuOp::Silu => {
            let d = SIGMOID_LATENCY + p;
            (vec![(d, Reduction), (d, Normalizer)], None)
        }
        VpuOp::Sigmoid => (vec![(SIGMOID_LATENCY, Normalizer)], None),
        VpuOp::Lbmix | VpuOp::Oneminus => (vec![(GATE_LATENCY, Normalizer)], None),
        VpuOp::Argmax => (vec![(0, Reduction)], None),
    }
}

/// Source latency of `op`'s operand rows.
fn source_latency(cfg: &VpuConfig, op: VpuOp) -> usize {
    match op {
        VpuOp::Dequant | VpuOp::Argmax => cfg.acc_latency + 1,
        _ => REGFILE_READ_LATENCY,
    }
}

/// Cycles of `op` on `len` elements (`len >= 1` and within the register length for register
/// operations; see the module docs); DEQUANT as if its group were `len` rows.
pub fn op_cycles(cfg: &VpuConfig, op: VpuOp, len: usize) -> u64 {
    cycles(cfg, op, len, len)
}

/// Cycles of DEQUANT writing `len` elements of a group of `group` accumulator rows.
pub fn dequant_cycles(cfg: &VpuConfig, len: usize, group: usize) -> u64 {
    cycles(cfg, VpuOp::Dequant, len, group)
}

/// Cycles of `op` whose write pass covers `len` elements and other passes `first_len`.
fn cycles(cfg: &VpuConfig, op: VpuOp, len: usize, first_len: usize) -> u64 {
    let (passes, scalar) = passes(op);
    let src = source_latency(cfg, op);
    let last = passes.len() - 1;
    let mut cycles = 1;
    for (i, (pipe, end)) in passes.into_iter().enumerate() {
        let rows = if i == last { len } else { first_len }.div_ceil(cfg.lanes);
        let end = match end {
            End::Normalizer => NORMALIZER_LATENCY,
            End::Reduction => reduction_latency(cfg.lanes),
        };
        let depth = src + pipe + SELECT_LATENCY + end;
        cycles += 1 + rows + depth + 1 + GAP_CYCLES;
    }
    if let Some(prog) = scalar {
        cycles += 2 + scalar_cycles(prog) + GAP_CYCLES;
    }
    cycles as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_grow_with_rows_and_passes() {
        let c4 = VpuConfig::new(4, 1024, 2).unwrap();
        // ADD on 5 elements: 2 rows; OR pass depth 2 + 5 + 1 + 5, write pass 2 + 5 + 1 + 2.
        assert_eq!(
            op_cycles(&c4, VpuOp::Add, 5),
            1 + (1 + 2 + 13 + 1 + 3) + (1 + 2 + 10 + 1 + 3)
        );
        assert_eq!(op_cycles(&c4, VpuOp::Add, 8), op_cycles(&c4, VpuOp::Add, 5));
        assert_eq!(
            op_cycles(&c4, VpuOp::Add, 9),
            op_cycles(&c4, VpuOp::Add, 5) + 2
        );
        let c1 = VpuConfig::new(1, 256, 2).unwrap();
        assert_eq!(
            op_cycles(&c1, VpuOp::Norm, 100) - op_cycles(&c4, VpuOp::Norm, 100),
            3 * (100 - 25) - 2 * 2,
            "three passes of four times the rows; two end in a reduction two levels shallower"
        );
        // DEQUANT's OR pass reads the group, its write pass the slice.
        assert_eq!(
            dequant_cycles(&c4, 8, 40) - op_cycles(&c4, VpuOp::Dequant, 8),
            (40 - 8) / 4
        );
    }
}
