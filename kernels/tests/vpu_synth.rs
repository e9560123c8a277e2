//! `vpu_is_synthesizable` (STYLE.md house rule 6): the unit for 1 and 4 lanes emitted, linted by
//! `verilator --lint-only -Wall` (no waiver beyond the emitter's documented ones) and elaborated
//! by yosys without latches. Cycle counts are asserted for a few lengths. The soak tier
//! (`--ignored`) runs `synth_xilinx -family xcup` for the resource counts and the logic depth
//! (printed for docs/HARDWARE.md) and emits and lints a 64-lane unit (the widest the unit accepts,
//! with the `u280` buffers).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use mmfree_kernels::declare_vpu;
use mmfree_kernels::vpu::cycles::op_cycles;
use mmfree_kernels::vpu::{VpuConfig, VpuOp};
use rust_hdl::prelude::*;

declare_vpu!(Vpu1, 1, 8);
declare_vpu!(Vpu4, 4, 8);
declare_vpu!(Vpu64, 64, 8);

/// Resource counts of one synthesis run.
#[derive(Debug, Default)]
struct Resources {
    luts: u64,
    lutram: u64,
    ffs: u64,
    dsps: u64,
    bram36: f64,
    carry: u64,
    depth: u64,
    cells: BTreeMap<String, u64>,
}

/// Emits `block` as `name` into `dir`, lints it and checks it in yosys; returns the file.
fn emit_and_check<B: Block>(mut block: B, name: &str, dir: &Path) -> anyhow::Result<PathBuf> {
    block.connect_all();
    let path = mmfree_hdl::emit_to_dir(&block, name, dir)?;
    mmfree_hdl::lint(&path)?;
    mmfree_hdl::synth_check(&path, name)?;
    Ok(path)
}

/// Runs a yosys script quietly (the script `tee`s its reports into files).
fn yosys(script: &str) -> anyhow::Result<()> {
    let out = Command::new("yosys").args(["-q", "-p", script]).output()?;
    anyhow::ensure!(
        out.status.success(),
        "yosys failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// Cell counts by type from yosys' `stat` output.
fn cells(stat: &str) -> BTreeMap<String, u64> {
    let mut cells = BTreeMap::new();
    let body = stat.rsplit("Number of cells:").next().unwrap_or("");
    for line in body.lines().skip(1) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some(name), Some(count)) => {
                if let Ok(n) = count.parse() {
                    cells.insert(name.to_string(), n);
                }
            }
            _ => break,
        }
    }
    cells
}

/// `synth_xilinx -family xcup` (flattened, out of context) for the cells, then `ltp -noff` for the
/// logic depth with the clocked cells (flip-flops, shift registers, DSPs, block RAMs) deleted:
/// yosys' `ltp` only knows its own flip-flop types, so this counts the LUT, MUXF and CARRY4
/// cells between clocked cells (a CARRY4 covers 4 bits of a carry chain).
fn synthesize(path: &Path, top: &str, dir: &Path) -> anyhow::Result<Resources> {
    let stat = dir.join(format!("{top}.stat"));
    let ltp = dir.join(format!("{top}.ltp"));
    yosys(&format!(
        "read_verilog {}; synth_xilinx -family xcup -top {top} -flatten -noiopad -noclkbuf; \
             tee -q -o {} stat; delete t:FD* t:SRL* t:DSP48E2 t:RAMB*; \
             tee -q -o {} ltp -noff",
        path.display(),
        stat.display(),
        ltp.display()
    ))?;
    let stat_text = std::fs::read_to_string(&stat)?;
    let ltp_text = std::fs::read_to_string(&ltp)?;
    let mut r = Resources {
        cells: cells(&stat_text),
        ..Resources::default()
    };
    for (cell, &n) in &r.cells {
        match cell.as_str() {
            c if c.starts_with("LUT") => r.luts += n,
            c if c.starts_with("RAM32") || c.starts_with("RAM64") || c.starts_with("RAM128") => {
                r.lutram += n
            }
            c if c.starts_with("FD") => r.ffs += n,
            "DSP48E2" => r.dsps += n,
            "RAMB36E2" => r.bram36 += n as f64,
            "RAMB18E2" => r.bram36 += n as f64 / 2.0,
            c if c.starts_with("CARRY") => r.carry += n,
            _ => {}
        }
    }
    if let Some(rest) = ltp_text.split("(length=").nth(1) {
        r.depth = rest.split(')').next().unwrap_or("").parse()?;
    }
    anyhow::ensure!(r.depth > 0, "no logic depth in the yosys output");
    Ok(r)
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
    let r1 = synthesize(&p1, "vpu1", dir.path())?;
    let r4 = synthesize(&p4, "vpu4", dir.path())?;
    for (l, r) in [(1, &r1), (4, &r4)] {
        eprintln!(
            "vpu L={l}: LUT {} (+{} LUTRAM), FF {}, DSP48E2 {}, BRAM36 {}, CARRY {}, logic depth {}",
            r.luts, r.lutram, r.ffs, r.dsps, r.bram36, r.carry, r.depth
        );
        eprintln!("  cells: {:?}", r.cells);
    }
    assert!(r1.dsps > 0, "multipliers must map to DSP48E2");
    // Element pipelines are per lane and the scalar unit uses no DSP: the count scales exactly.
    assert_eq!(r4.dsps, 4 * r1.dsps, "DSPs per lane");
    assert!(
        r1.bram36 >= 8.0 && r4.bram36 > r1.bram36,
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
