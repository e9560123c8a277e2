//! `vpu_is_synthesizable` (STYLE.md house rule 6): the unit for 1 and 4 lanes emitted, linted by
//! `verilator --lint-only -Wall` (no waiver beyond the emitter's documented ones) and elaborated
//! by yosys without latches. Cycle counts are asserted for a few lengths. The soak tier
//! (`--ignored`) runs `synth_xilinx -family xcup` for the resource counts and the logic depth
//! (printed for docs/HARDWARE.md) and emits and lints a 64-lane unit (the widest the unit accepts,
//! with the `u280` buffers).

use std::path::{Path, PathBuf};

use mmfree_hdl::{Resources, SynthOptions, SynthTarget};
use mmfree_kernels::declare_vpu;
use mmfree_kernels::vpu::cycles::op_cycles;
use mmfree_kernels::vpu::{VpuConfig, VpuOp};
use rust_hdl::prelude::*;

declare_vpu!(Vpu1, 1, 8);
declare_vpu!(Vpu4, 4, 8);
declare_vpu!(Vpu64, 64, 8);

/// Emits `block` as `name` into `dir`, lints it and checks it in yosys; returns the file.
fn emit_and_check<B: Block>(mut block: B, name: &str, dir: &Path) -> anyhow::Result<PathBuf> {
    block.connect_all();
    let path = mmfree_hdl::emit_to_dir(&block, name, dir)?;
    mmfree_hdl::lint(&path)?;
    mmfree_hdl::synth_check(&path, name)?;
    Ok(path)
}

/// `synth_xilinx -family xcup` (flattened, out of context) for the cells and the logic depth:
/// `ltp` with the clocked cells (flip-flops, shift registers, DSPs, block RAMs) deleted, i.e. the
/// LUT, MUXF and CARRY4 cells between clocked cells (a CARRY4 covers 4 bits of a carry chain).
fn synthesize(path: &Path, top: &str) -> anyhow::Result<(Resources, u64)> {
    let options = SynthOptions {
        logic_levels: true,
        ..SynthOptions::default()
    };
    let run = mmfree_hdl::synthesize_with(path, top, SynthTarget::Xcup, &options)?;
    let depth = run.logic_levels.unwrap_or(0);
    anyhow::ensure!(depth > 0, "no logic depth in the yosys output");
    Ok((run.resources, depth))
}

/// Default tier: the 1- and 4-lane units emit, lint clean and elaborate without latches.
#[test]
fn vpu_is_synthesizable() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    emit_and_check(Vpu1::new(&VpuConfig::new(1, 256, 2)?)?, "vpu1", dir.path())?;
    emit_and_check(Vpu4::new(&VpuConfig::new(4, 1024, 2)?)?, "vpu4", dir.path())?;
    Ok(())
}

/// Soak tier (several minutes of yosys): resource counts and logic depth for 1 and 4 lanes,
/// printed for docs/HARDWARE.md and checked against the structure (DSPs per lane, the register
/// file in block RAM).
#[test]
#[ignore]
fn vpu_resources() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let p1 = emit_and_check(Vpu1::new(&VpuConfig::new(1, 256, 2)?)?, "vpu1", dir.path())?;
    let p4 = emit_and_check(Vpu4::new(&VpuConfig::new(4, 1024, 2)?)?, "vpu4", dir.path())?;
    let (r1, depth1) = synthesize(&p1, "vpu1")?;
    let (r4, depth4) = synthesize(&p4, "vpu4")?;
    for (l, r, depth) in [(1, &r1, depth1), (4, &r4, depth4)] {
        eprintln!(
            "vpu L={l}: LUT {} (+{} as LUT-RAM/SRL), FF {}, DSP48E2 {}, BRAM36 {}, CARRY {}, logic depth {depth}",
            r.luts,
            r.memory_luts(),
            r.ffs,
            r.dsps,
            r.brams,
            r.carry
        );
        eprintln!("  cells: {:?}", r.cells);
    }
    assert!(r1.dsps > 0, "multipliers must map to DSP48E2");
    // Element pipelines are per lane and the scalar unit uses no DSP: the count scales exactly.
    assert_eq!(r4.dsps, 4 * r1.dsps, "DSPs per lane");
    assert!(
        r1.brams >= 8.0 && r4.brams > r1.brams,
        "register file in block RAM"
    );
    assert!(r4.luts > r1.luts && r4.ffs > r1.ffs);
    Ok(())
}

#[test]
fn cycle_counts_for_a_few_lengths() {
    let c1 = VpuConfig::new(1, 256, 2).unwrap();
    let c4 = VpuConfig::new(4, 1024, 2).unwrap();
    // ADD, 2 passes: rows + depth + 5 each (+1 check): depth 13 (OR pass) and 10 (write) at L = 4.
    assert_eq!(
        op_cycles(&c4, VpuOp::Add, 1024),
        1 + (256 + 13 + 5) + (256 + 10 + 5)
    );
    assert_eq!(
        op_cycles(&c1, VpuOp::Add, 1),
        1 + (1 + 11 + 5) + (1 + 10 + 5)
    );
    // One pass for the gate operations, none but a reduction for ARGMAX.
    assert_eq!(op_cycles(&c4, VpuOp::Oneminus, 1000), 1 + 250 + 10 + 5);
    assert_eq!(
        op_cycles(&c4, VpuOp::Argmax, 32000),
        1 + 8000 + 3 + 1 + 5 + 5
    );
    // NORM: three passes and the RHO program; QUANT: two passes and the longer program.
    let norm = op_cycles(&c4, VpuOp::Norm, 1024);
    let quant = op_cycles(&c4, VpuOp::Quant, 1024);
    assert_eq!(norm - op_cycles(&c4, VpuOp::Norm, 512), 3 * 128);
    assert_eq!(quant - op_cycles(&c4, VpuOp::Quant, 512), 2 * 128);
    for op in VpuOp::ALL {
        eprintln!(
            "{:<8} L=1: {:>6} cycles at len 256 | L=4: {:>6} at len 1024, {:>5} at len 64",
            op.name(),
            op_cycles(&c1, op, 256),
            op_cycles(&c4, op, 1024),
            op_cycles(&c4, op, 64)
        );
    }
}

/// Soak tier: a 64-lane unit with the `u280` preset's registers of 16384 emitted and linted (the
/// preset itself has 16 lanes: a data-bank beat holds one register row).
#[test]
#[ignore]
fn vpu_scales_to_64_lanes() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let cfg = VpuConfig::new(64, 16384, 2)?;
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || -> anyhow::Result<()> {
            let p = emit_and_check(Vpu64::new(&cfg)?, "vpu64", dir.path())?;
            eprintln!(
                "vpu L=64: {} bytes of Verilog, lint and yosys check clean",
                std::fs::metadata(p)?.len()
            );
            Ok(())
        })?
        .join()
        .map_err(|_| anyhow::anyhow!("the 64-lane build panicked"))?
}
