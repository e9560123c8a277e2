//! Resource figures of emitted Verilog from yosys (toolchain.md sections 4 and Recommendations 3):
//! `synth_xilinx -family xcup -flatten -noiopad -noclkbuf` for UltraScale+ (carries map to
//! CARRY4 in yosys 0.23, so LUT counts are somewhat pessimistic against Vivado) and `synth_ice40
//! -dsp -abc9` for the iCE40 UP5K (ABC9's mapping takes about 7 % of the LUT4s off the `up5k`
//! engine and neuron lane, which it needs to fit the part). The cell counts of `stat` are grouped
//! into LUTs, flip-flops, DSPs, block RAMs and carries, the figures every hardware report quotes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// Which yosys flow to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynthTarget {
    /// AMD UltraScale+ (Alveo U250/U280/U55C), `synth_xilinx -family xcup`.
    Xcup,
    /// Lattice iCE40 UP5K, `synth_ice40 -dsp -abc9` (multipliers into `SB_MAC16`).
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

    /// Every LUT the design occupies: logic LUTs plus the LUTs under its LUT-RAMs and shift
    /// registers (UltraScale+: a `RAM64M8` is eight LUTs, an `SRL16E` one; iCE40 has none).
    pub fn occupied_luts(&self) -> u64 {
        self.luts
            + self
                .cells
                .iter()
                .map(|(name, count)| count * memory_luts(name))
                .sum::<u64>()
    }

    /// Whether the design fits `device` by these counts (a necessary condition: place and route
    /// decides). An iCE40 logic cell holds one LUT4 and one flip-flop.
    pub fn fits(&self, device: &Device) -> bool {
        self.luts.max(self.ffs) <= device.logic_cells
            && self.dsps <= device.dsps
            && self.brams <= device.brams as f64
    }
}

/// LUTs under one UltraScale+ LUT-RAM or shift-register cell (0 for any other cell).
fn memory_luts(cell: &str) -> u64 {
    match cell {
        "RAM32M16" | "RAM64M8" => 8,
        "RAM32M" | "RAM64M" | "RAM128X1D" => 4,
        "RAM32X1D" | "RAM64X1D" | "RAM128X1S" | "RAM256X1S" => 2,
        "RAM32X1S" | "RAM64X1S" | "SRL16E" | "SRLC32E" => 1,
        _ => 0,
    }
}

/// Synthesizes `top` of the Verilog file `path` for `target` and returns its grouped cell counts.
pub fn synthesize(path: &Path, top: &str, target: SynthTarget) -> Result<Resources> {
    Ok(synthesize_with(path, top, target, &SynthOptions::default())?.resources)
}

/// What a synthesis run reports beyond the cell counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SynthOptions {
    /// Also measure the logic depth (yosys `ltp` between registers).
    pub logic_levels: bool,
    /// Also write the mapped netlist as yosys JSON here (the input of nextpnr).
    pub netlist: Option<PathBuf>,
}

/// The figures of one synthesis run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Synthesis {
    /// Grouped cell counts.
    pub resources: Resources,
    /// Most cells on any path between two sequential cells, when asked for.
    pub logic_levels: Option<u64>,
}

/// The cells that start and end a timing path, deleted before `ltp` so that it measures the
/// combinational cells (LUT, MUXF, carry segment, LUT-RAM read) between two registers.
fn sequential_cells(target: SynthTarget) -> &'static str {
    match target {
        SynthTarget::Xcup => "t:FD* t:RAMB* t:SRL* t:DSP48*",
        SynthTarget::Ice40 => "t:SB_DFF* t:SB_RAM40_4K t:SB_SPRAM256KA t:SB_MAC16",
    }
}

/// Synthesizes `top` of `path` for `target`, with the extras `options` asks for.
pub fn synthesize_with(
    path: &Path,
    top: &str,
    target: SynthTarget,
    options: &SynthOptions,
) -> Result<Synthesis> {
    let synth = match target {
        SynthTarget::Xcup => {
            format!("synth_xilinx -family xcup -flatten -noiopad -noclkbuf -top {top}")
        }
        SynthTarget::Ice40 => format!("synth_ice40 -dsp -abc9 -top {top}"),
    };
    let stat = tempfile_path(path, "stat")?;
    let ltp = tempfile_path(path, "ltp")?;
    let mut script = format!("read_verilog {}; {synth}; ", path.display());
    if let Some(netlist) = &options.netlist {
        script += &format!("write_json {}; ", netlist.display());
    }
    script += &format!("tee -q -o {} stat", stat.display());
    if options.logic_levels {
        script += &format!(
            "; delete {}; tee -q -o {} ltp",
            sequential_cells(target),
            ltp.display()
        );
    }
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
    let resources = Resources::from_stat(&read_and_remove(&stat)?);
    let logic_levels = if options.logic_levels {
        let text = read_and_remove(&ltp)?;
        Some(longest_path(&text).ok_or_else(|| Error::Synth {
            module: top.into(),
            first: format!("no path length in yosys ltp output: {}", text.trim()),
        })?)
    } else {
        None
    };
    Ok(Synthesis {
        resources,
        logic_levels,
    })
}

/// Reads a scratch file yosys wrote and removes it.
fn read_and_remove(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    let _ = std::fs::remove_file(path);
    Ok(text)
}

/// The `N` of `ltp`'s `Longest topological path in <top> (length=N):` line.
fn longest_path(ltp: &str) -> Option<u64> {
    let at = ltp.find("(length=")? + "(length=".len();
    ltp[at..].split(')').next()?.trim().parse().ok()
}

/// A scratch file beside `path` for yosys to write.
fn tempfile_path(path: &Path, ext: &str) -> Result<PathBuf> {
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
        assert_eq!(r.occupied_luts(), 1532 + 1715 + 19 * 8 + 308);
    }

    #[test]
    fn ltp_length_is_parsed() {
        let text = "Longest topological path in top (length=17):\n    0: a\n";
        assert_eq!(longest_path(text), Some(17));
        assert_eq!(longest_path("no path"), None);
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
        // Registers on both sides of the multiplier: on UltraScale+ the DSP (a deleted
        // sequential cell) leaves no combinational cell between registers.
        let deep = synthesize_with(
            &path,
            "mac",
            SynthTarget::Xcup,
            &SynthOptions {
                logic_levels: true,
                netlist: None,
            },
        )
        .unwrap();
        assert_eq!(deep.resources, x);
        assert!(deep.logic_levels.is_some_and(|l| l <= 2), "{deep:?}");
    }
}
