//! Resource figures of emitted Verilog from yosys (toolchain.md sections 4 and Recommendations 3):
//! `synth_xilinx -family xcup -flatten -noiopad -noclkbuf` for UltraScale+ (carries map to
//! CARRY4 in yosys 0.23, so LUT counts are somewhat pessimistic against Vivado) and `synth_ice40`
//! for the iCE40 UP5K (`-dsp`). The cell counts of `stat` are grouped into LUTs, flip-flops, DSPs, block
//! RAMs and carries, the figures every hardware report quotes.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

/// Which yosys flow to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynthTarget {
    /// AMD UltraScale+ (Alveo U250/U280/U55C), `synth_xilinx -family xcup`.
    Xcup,
    /// Lattice iCE40 UP5K, `synth_ice40 -dsp` (multipliers into `SB_MAC16`).
    Ice40,
}

/// What a device offers, for a first fit check before place and route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device {
    /// Name for reports.
    pub name: &'static str,
    /// Logic cells (iCE40: one LUT4 and one flip-flop each).
    pub logic_cells: u64,
    /// DSP blocks.
    pub dsps: u64,
    /// Block RAMs (iCE40: 4-kbit EBRs).
    pub brams: u64,
}

/// The iCE40 UP5K: 5280 logic cells, 8 `SB_MAC16`, 30 EBRs.
pub const UP5K: Device = Device {
    name: "iCE40 UP5K",
    logic_cells: 5280,
    dsps: 8,
    brams: 30,
};

/// Grouped cell counts of one synthesized top module.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resources {
    /// Logic LUTs (`LUT1`..`LUT6`, or `SB_LUT4`).
    pub luts: u64,
    /// LUTs used as memory or shift registers (`SRL*`, `RAM32*`/`RAM64*`/`RAM128*`/`RAM256*` cells).
    pub lut_memories: u64,
    /// Flip-flops (`FD*`, or `SB_DFF*`).
    pub ffs: u64,
    /// DSP blocks (`DSP48E2`, or `SB_MAC16`).
    pub dsps: u64,
    /// Block RAMs in 36-kbit units (`RAMB36E2` + `RAMB18E2 / 2`), or 4-kbit `SB_RAM40_4K`.
    pub brams: f64,
    /// Carry cells (`CARRY4`/`CARRY8`, or `SB_CARRY`).
    pub carry: u64,
    /// Every cell type and its count, as `stat` printed them.
    pub cells: BTreeMap<String, u64>,
}

impl Resources {
    /// Groups the cell list of yosys' `stat` output (the last module printed).
    pub fn from_stat(stat: &str) -> Resources {
        let mut cells = BTreeMap::new();
        for line in stat.lines().rev() {
            let line = line.trim();
            if line.starts_with("Number of cells:") {
                break;
            }
            let mut parts = line.split_whitespace();
            if let (Some(name), Some(count), None) = (parts.next(), parts.next(), parts.next())
                && let Ok(count) = count.parse::<u64>()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                cells.insert(name.to_string(), count);
            }
        }
        let sum = |keep: &dyn Fn(&str) -> bool| -> u64 {
            cells.iter().filter(|(n, _)| keep(n)).map(|(_, c)| c).sum()
        };
        let lut6 = |n: &str| n.len() == 4 && n.starts_with("LUT");
        Resources {
            luts: sum(&|n| lut6(n) || n == "SB_LUT4"),
            lut_memories: sum(&|n| {
                n.starts_with("SRL") || n.starts_with("RAM") && !n.starts_with("RAMB")
            }),
            ffs: sum(&|n| n.starts_with("FD") || n.starts_with("SB_DFF")),
            dsps: sum(&|n| n.starts_with("DSP48") || n == "SB_MAC16"),
            brams: sum(&|n| n == "RAMB36E2" || n == "SB_RAM40_4K") as f64
                + sum(&|n| n == "RAMB18E2") as f64 / 2.0,
            carry: sum(&|n| n.starts_with("CARRY") || n == "SB_CARRY"),
            cells,
        }
    }

    /// Whether the design fits `device` by these counts (a necessary condition: place and route
    /// decides). An iCE40 logic cell holds one LUT4 and one flip-flop.
    pub fn fits(&self, device: &Device) -> bool {
        self.luts.max(self.ffs) <= device.logic_cells
            && self.dsps <= device.dsps
            && self.brams <= device.brams as f64
    }
}

/// Synthesizes `top` of the Verilog file `path` for `target` and returns its grouped cell counts.
pub fn synthesize(path: &Path, top: &str, target: SynthTarget) -> Result<Resources> {
    let synth = match target {
        SynthTarget::Xcup => {
            format!("synth_xilinx -family xcup -flatten -noiopad -noclkbuf -top {top}")
        }
        SynthTarget::Ice40 => format!("synth_ice40 -dsp -top {top}"),
    };
    let stat = tempfile_path(path, "stat")?;
    let script = format!(
        "read_verilog {}; {synth}; tee -q -o {} stat",
        path.display(),
        stat.display()
    );
    let out = Command::new("yosys")
        .args(["-q", "-p", &script])
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: "yosys",
            source,
        })?;
    if !out.status.success() {
        let text = String::from_utf8_lossy(&out.stderr);
        let first = text
            .lines()
            .chain(String::from_utf8_lossy(&out.stdout).lines())
            .find(|l| l.contains("ERROR"))
            .unwrap_or("yosys failed")
            .trim()
            .to_string();
        return Err(Error::Synth {
            module: top.into(),
            first,
        });
    }
    let text = std::fs::read_to_string(&stat).map_err(|source| Error::Io {
        path: stat.clone(),
        source,
    })?;
    let _ = std::fs::remove_file(&stat);
    Ok(Resources::from_stat(&text))
}

/// A scratch file beside `path` for yosys to write.
fn tempfile_path(path: &Path, ext: &str) -> Result<std::path::PathBuf> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "design".into());
    Ok(path.with_file_name(format!("{stem}.{}.{ext}", std::process::id())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const XCUP_STAT: &str = "\
=== top ===

   Number of wires:               3636
   Number of cells:               9680
     CARRY4                        681
     DSP48E2                        18
     FDRE                         2995
     FDSE                            4
     LUT2                         1532
     LUT6                         1715
     RAM64M8                        19
     RAMB18E2                        3
     RAMB36E2                        2
     SRL16E                        308
";

    #[test]
    fn stat_cells_are_grouped() {
        let r = Resources::from_stat(XCUP_STAT);
        assert_eq!(r.luts, 1532 + 1715);
        assert_eq!(r.ffs, 2999);
        assert_eq!(r.dsps, 18);
        assert_eq!(r.carry, 681);
        assert_eq!(r.lut_memories, 19 + 308);
        assert_eq!(r.brams, 3.5);
        assert_eq!(r.cells.len(), 10);
    }

    #[test]
    fn fit_checks_every_resource() {
        let r = Resources {
            luts: 5000,
            ffs: 5300,
            dsps: 8,
            ..Resources::default()
        };
        assert!(!r.fits(&UP5K), "5300 flip-flops need 5300 cells");
        let r = Resources { ffs: 5000, ..r };
        assert!(r.fits(&UP5K));
        assert!(!Resources { dsps: 9, ..r }.fits(&UP5K));
    }

    #[test]
    fn a_tiny_design_synthesizes_for_both_targets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mac.v");
        std::fs::write(
            &path,
            "module mac(clk, a, b, p);\ninput wire clk;\ninput wire [15:0] a, b;\noutput reg [31:0] p;\nalways @(posedge clk) p <= a * b;\nendmodule\n",
        )
        .unwrap();
        let x = synthesize(&path, "mac", SynthTarget::Xcup).unwrap();
        assert_eq!(x.dsps, 1, "{x:?}");
        let i = synthesize(&path, "mac", SynthTarget::Ice40).unwrap();
        assert_eq!(i.dsps, 1, "{i:?}");
        assert!(i.fits(&UP5K));
    }
}
