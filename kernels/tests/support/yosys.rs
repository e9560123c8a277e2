//! Resource counts from yosys's UltraScale+ flow (toolchain.md section 4):
//! `synth_xilinx -family xcup -flatten -noiopad -noclkbuf`, then `stat` (cells by type) and the
//! logic depth: `ltp` after deleting the flip-flops, block RAMs and shift registers, i.e. the most
//! cells (LUT, MUXF, CARRY4 segment, LUT-RAM read) on any path between two registers.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, ensure};

/// The yosys script run on `file` with top module `top`, as written beside the figures.
pub fn xcup_script(file: &str, top: &str, depth: bool) -> String {
    let ltp = if depth {
        "; delete t:FD* t:RAMB* t:SRL*; tee -o ltp.txt ltp"
    } else {
        ""
    };
    format!(
        "read_verilog {file}; synth_xilinx -family xcup -top {top} -flatten -noiopad -noclkbuf; \
         tee -o stat.txt stat{ltp}"
    )
}

/// Cell counts of a synthesized design.
#[derive(Clone, Debug, Default)]
pub struct XcupStat {
    /// Cells by type (`LUT6`, `FDRE`, `CARRY4`, `RAMB18E2`, `DSP48E2`, ...).
    pub cells: BTreeMap<String, u64>,
    /// Longest register-to-register path in cells, when asked for.
    pub depth: Option<u64>,
    /// Wall time of the yosys run.
    pub seconds: f64,
}

impl XcupStat {
    /// Cells whose type starts with any of `prefixes`.
    pub fn count(&self, prefixes: &[&str]) -> u64 {
        self.cells
            .iter()
            .filter(|(t, _)| prefixes.iter().any(|p| t.starts_with(p)))
            .map(|(_, n)| n)
            .sum()
    }
    /// LUTs used as logic (LUT1..LUT6).
    pub fn lut_logic(&self) -> u64 {
        self.count(&["LUT"])
    }
    /// LUTs used as memory: LUT-RAM primitives counted as the LUTs they occupy, shift registers
    /// (SRL16E, SRLC32E) as one each.
    pub fn lut_memory(&self) -> u64 {
        const LUTS: [(&str, u64); 12] = [
            ("RAM32M16", 8),
            ("RAM64M8", 8),
            ("RAM32M", 4),
            ("RAM64M", 4),
            ("RAM32X1D", 2),
            ("RAM64X1D", 2),
            ("RAM128X1D", 4),
            ("RAM32X1S", 1),
            ("RAM64X1S", 1),
            ("RAM128X1S", 2),
            ("SRL16E", 1),
            ("SRLC32E", 1),
        ];
        LUTS.iter()
            .map(|(t, n)| self.cells.get(*t).copied().unwrap_or(0) * n)
            .sum()
    }
    /// Every LUT, as logic or memory.
    pub fn luts(&self) -> u64 {
        self.lut_logic() + self.lut_memory()
    }
    /// Flip-flops.
    pub fn ffs(&self) -> u64 {
        self.count(&["FDRE", "FDSE", "FDCE", "FDPE"])
    }
    /// DSP blocks.
    pub fn dsps(&self) -> u64 {
        self.count(&["DSP48"])
    }
    /// Block RAMs in 36 Kb units (a RAMB18E2 is half of one).
    pub fn bram36(&self) -> f64 {
        self.count(&["RAMB36"]) as f64 + self.count(&["RAMB18"]) as f64 / 2.0
    }
    /// Carry chains.
    pub fn carries(&self) -> u64 {
        self.count(&["CARRY"])
    }
}

/// Synthesizes `verilog` (top module `top`) for UltraScale+ and parses the statistics.
pub fn synth_xcup(verilog: &Path, top: &str, depth: bool) -> anyhow::Result<XcupStat> {
    let dir = tempfile::tempdir()?;
    let t = std::time::Instant::now();
    let file = verilog.canonicalize()?;
    let out = Command::new("yosys")
        .current_dir(dir.path())
        .args([
            "-q",
            "-p",
            &xcup_script(&file.display().to_string(), top, depth),
        ])
        .output()
        .context("cannot run yosys (is it installed and on PATH?)")?;
    ensure!(
        out.status.success(),
        "yosys synth_xilinx of {top} failed: {}",
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .take(4)
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let stat = std::fs::read_to_string(dir.path().join("stat.txt"))?;
    let cells = parse_cells(&stat);
    ensure!(
        !cells.is_empty(),
        "no cell list in yosys stat output for {top}: {stat}"
    );
    let depth = if depth {
        let ltp = std::fs::read_to_string(dir.path().join("ltp.txt"))?;
        Some(parse_depth(&ltp).with_context(|| format!("no path length in ltp output: {ltp}"))?)
    } else {
        None
    };
    Ok(XcupStat {
        cells,
        depth,
        seconds: t.elapsed().as_secs_f64(),
    })
}

/// The `CELLTYPE  COUNT` lines that follow `Number of cells:` in a `stat` report.
fn parse_cells(stat: &str) -> BTreeMap<String, u64> {
    let mut cells = BTreeMap::new();
    let mut inside = false;
    for line in stat.lines() {
        let t = line.trim();
        if t.starts_with("Number of cells:") {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        let parts: Vec<&str> = t.split_whitespace().collect();
        match parts.as_slice() {
            [name, n] if n.parse::<u64>().is_ok() => {
                cells.insert(name.to_string(), n.parse().unwrap_or(0));
            }
            _ if t.is_empty() && !cells.is_empty() => inside = false,
            _ => {}
        }
    }
    cells
}

/// The `length=N` of `ltp`'s `Longest topological path in <top> (length=N):` line.
fn parse_depth(ltp: &str) -> Option<u64> {
    let at = ltp.find("(length=")? + "(length=".len();
    ltp[at..].split(')').next()?.trim().parse().ok()
}

#[test]
fn stat_and_ltp_reports_are_parsed() {
    let stat = "=== design ===\n\n   Number of wires:   10\n   Number of cells:   7\n     CARRY4   2\n     FDRE   3\n     LUT6   2\n\n";
    let cells = parse_cells(stat);
    assert_eq!(cells.get("FDRE"), Some(&3));
    assert_eq!(cells.len(), 3);
    assert_eq!(
        parse_depth("Longest topological path in top (length=17):\n  0: x\n"),
        Some(17)
    );
}
