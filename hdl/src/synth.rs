//! Resource figures of emitted Verilog from yosys (toolchain.md sections 4 and Recommendations 3):
//! `synth_xilinx -family xcup -flatten -noiopad -noclkbuf` for UltraScale+ (carries map to
//! CARRY4 in yosys 0.23, so LUT counts are somewhat pessimistic against Vivado) and `synth_ice40
//! -dsp -abc9` for the iCE40 UP5K (ABC9's mapping takes about 7 % of the LUT4s off the `up5k`
//! engine and neuron lane, which it needs to fit the part). The cell counts of `stat` are grouped
//! into LUTs, flip-flops, DSPs, block RAMs and carries, the figures every hardware report quotes.
//! A design too large to flatten in one piece is synthesized hierarchically
//! ([`SynthOptions::keep_hierarchy`]): each named block is flattened and mapped once, `stat -top`
//! totals the design with every instance counted, and the logic depth is measured per block and
//! for the top's own logic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

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

/// The `name count` pairs of a `stat` listing (cell types, or the instance counts of a design
/// hierarchy), in the order given.
fn counted_names<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<(String, u64)> {
    lines
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(name), Some(count), None)
                    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    Some((name.to_string(), count.parse().ok()?))
                }
                _ => None,
            }
        })
        .collect()
}

impl Resources {
    /// Groups the cell list of yosys' `stat` output (the last module printed; with `stat -top`,
    /// the design hierarchy's totals, every instance counted).
    pub fn from_stat(stat: &str) -> Resources {
        let tail = stat
            .rfind("Number of cells:")
            .map_or(stat, |at| &stat[at..]);
        let cells: BTreeMap<String, u64> =
            counted_names(tail.lines().skip(1)).into_iter().collect();
        Resources::from_cells(cells)
    }

    /// Groups a cell-type count.
    fn from_cells(cells: BTreeMap<String, u64>) -> Resources {
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
        self.luts + self.memory_luts()
    }

    /// The LUTs under the LUT-RAMs and shift registers alone, which a LUT-per-operation figure
    /// shows apart from the logic.
    pub fn memory_luts(&self) -> u64 {
        self.cells
            .iter()
            .map(|(name, count)| count * luts_under(name))
            .sum()
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
fn luts_under(cell: &str) -> u64 {
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
    /// Modules kept as blocks of a hierarchical run (empty: the whole design is flattened). Each
    /// is flattened inside and mapped once however often it is instantiated, so a kernel with
    /// many copies of a large block synthesizes in the time of one copy.
    pub keep_hierarchy: Vec<String>,
}

/// The figures of one module of a hierarchical run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModuleFigures {
    /// Module name.
    pub module: String,
    /// Instances in the design (the top: 1).
    pub instances: u64,
    /// Grouped cell counts of one instance (the top: its own logic, without its blocks).
    pub resources: Resources,
    /// Most cells on a register-to-register path inside the module (the top: its own logic,
    /// from ports and block pins to ports and block pins), when asked for.
    pub logic_levels: Option<u64>,
}

/// The figures of one synthesis run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Synthesis {
    /// Grouped cell counts (a hierarchical run: the whole design, every instance counted).
    pub resources: Resources,
    /// Most cells on any path between two sequential cells, when asked for (a hierarchical run:
    /// the deepest module).
    pub logic_levels: Option<u64>,
    /// Wall time of the yosys run, which the figures quote beside the counts.
    pub seconds: f64,
    /// A hierarchical run's top and kept blocks, the top first; empty for a flattened run.
    pub modules: Vec<ModuleFigures>,
}

/// The cells that start and end a timing path, deleted before `ltp` so that it measures the
/// combinational cells (LUT, MUXF, carry segment, LUT-RAM read) between two registers.
fn sequential_cells(target: SynthTarget) -> &'static str {
    match target {
        SynthTarget::Xcup => "t:FD* t:RAMB* t:SRL* t:DSP48*",
        SynthTarget::Ice40 => "t:SB_DFF* t:SB_RAM40_4K t:SB_SPRAM256KA t:SB_MAC16",
    }
}

/// The yosys commands of a run on `file`: what a figure quotes. `reports` names the files that
/// `stat` and `ltp` write (none: the reports go to the log, as when the script is quoted). With
/// `keep_hierarchy`, each kept block is mapped once and `stat -top` counts every instance; `ltp`
/// then runs per module after deleting the sequential cells and the top's block instances, so the
/// top's own logic is measured alone.
fn commands(
    file: &str,
    top: &str,
    target: SynthTarget,
    options: &SynthOptions,
    reports: Option<(&Path, &Path)>,
) -> String {
    let tee = |report: Option<&Path>| {
        report.map_or(String::new(), |p| format!("tee -q -o {} ", p.display()))
    };
    let keep = &options.keep_hierarchy;
    let mut script = format!("read_verilog {file}; ");
    if !keep.is_empty() {
        script += &format!(
            "hierarchy -top {top}; setattr -mod -set keep_hierarchy 1 {}; ",
            keep.join(" ")
        );
    }
    script += &match target {
        SynthTarget::Xcup => {
            format!("synth_xilinx -family xcup -flatten -noiopad -noclkbuf -top {top}; ")
        }
        SynthTarget::Ice40 => format!("synth_ice40 -dsp -abc9 -top {top}; "),
    };
    if let Some(netlist) = &options.netlist {
        script += &format!("write_json {}; ", netlist.display());
    }
    let stat_top = if keep.is_empty() {
        String::new()
    } else {
        format!(" -top {top}")
    };
    script += &format!("{}stat{stat_top}", tee(reports.map(|r| r.0)));
    if options.logic_levels {
        script += &format!("; delete {}", sequential_cells(target));
        if !keep.is_empty() {
            let blocks: Vec<String> = keep.iter().map(|k| format!("{top}/t:{k}")).collect();
            script += &format!("; delete {}", blocks.join(" "));
        }
        let modules = if keep.is_empty() {
            String::new()
        } else {
            format!(" {top} {}", keep.join(" "))
        };
        script += &format!("; {}ltp{modules}", tee(reports.map(|r| r.1)));
    }
    script
}

/// The yosys script [`synthesize_with`] runs on `file`, reports to the log: the method a figure
/// quotes beside its numbers.
pub fn script(file: &str, top: &str, target: SynthTarget, options: &SynthOptions) -> String {
    commands(file, top, target, options, None)
}

/// Synthesizes `top` of `path` for `target`, with the extras `options` asks for.
pub fn synthesize_with(
    path: &Path,
    top: &str,
    target: SynthTarget,
    options: &SynthOptions,
) -> Result<Synthesis> {
    let stat = tempfile_path(path, "stat")?;
    let ltp = tempfile_path(path, "ltp")?;
    let script = commands(
        &path.display().to_string(),
        top,
        target,
        options,
        Some((&stat, &ltp)),
    );
    let started = Instant::now();
    let out = Command::new("yosys")
        .args(["-q", "-p", &script])
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: "yosys",
            source,
        })?;
    let seconds = started.elapsed().as_secs_f64();
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
    let stat_text = read_and_remove(&stat)?;
    if !stat_text.contains("Number of cells:") {
        return Err(Error::Synth {
            module: top.into(),
            first: format!("no cell list in yosys stat output: {}", stat_text.trim()),
        });
    }
    let resources = Resources::from_stat(&stat_text);
    let depths = if options.logic_levels {
        let text = read_and_remove(&ltp)?;
        let depths = longest_paths(&text);
        if depths.is_empty() {
            return Err(Error::Synth {
                module: top.into(),
                first: format!("no path length in yosys ltp output: {}", text.trim()),
            });
        }
        Some(depths)
    } else {
        None
    };
    let modules = if options.keep_hierarchy.is_empty() {
        Vec::new()
    } else {
        hierarchy_figures(&stat_text, top, depths.as_ref())?
    };
    Ok(Synthesis {
        resources,
        logic_levels: depths.and_then(|d| d.values().copied().max()),
        seconds,
        modules,
    })
}

/// The figures of the top and of every block of a hierarchical `stat -top` listing, the top
/// first, with the depth of each module from `depths`.
fn hierarchy_figures(
    stat: &str,
    top: &str,
    depths: Option<&BTreeMap<String, u64>>,
) -> Result<Vec<ModuleFigures>> {
    let sections = stat_sections(stat);
    let missing = |what: &str| Error::Synth {
        module: top.into(),
        first: format!("no {what} in yosys stat -top output"),
    };
    let hierarchy = sections
        .get("design hierarchy")
        .ok_or_else(|| missing("design hierarchy"))?;
    let instances = counted_names(
        hierarchy
            .lines()
            .take_while(|l| !l.trim_start().starts_with("Number of")),
    );
    if instances.first().map(|(n, _)| n.as_str()) != Some(top) {
        return Err(missing(&format!("instance count of {top}")));
    }
    instances
        .into_iter()
        .map(|(module, count)| {
            let text = sections
                .get(module.as_str())
                .ok_or_else(|| missing(&format!("section of {module}")))?;
            let mut resources = Resources::from_stat(text);
            // The top's listing counts its block instances as cells.
            resources
                .cells
                .retain(|name, _| !sections.contains_key(name.as_str()));
            Ok(ModuleFigures {
                logic_levels: depths.and_then(|d| d.get(&module).copied()),
                instances: count,
                resources: Resources::from_cells(resources.cells),
                module,
            })
        })
        .collect()
}

/// The sections of a `stat` listing by the name between `===` marks.
fn stat_sections(stat: &str) -> BTreeMap<&str, &str> {
    let mut sections = BTreeMap::new();
    let mut rest = stat;
    while let Some(at) = rest.find("=== ") {
        let after = &rest[at + 4..];
        let Some(end) = after.find(" ===") else { break };
        let name = &after[..end];
        let body = &after[end + 4..];
        let next = body.find("=== ").unwrap_or(body.len());
        sections.insert(name, &body[..next]);
        rest = &body[next..];
    }
    sections
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

/// Every module's `N` of `ltp`'s `Longest topological path in <module> (length=N):` lines.
fn longest_paths(ltp: &str) -> BTreeMap<String, u64> {
    ltp.lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("Longest topological path in ")?;
            let (module, length) = rest.split_once(" (length=")?;
            let n = length.split(')').next()?.trim().parse().ok()?;
            Some((module.trim_start_matches('\\').to_string(), n))
        })
        .collect()
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
        assert_eq!(r.memory_luts(), 19 * 8 + 308);
        assert_eq!(r.occupied_luts(), 1532 + 1715 + 19 * 8 + 308);
    }

    #[test]
    fn the_last_cell_list_is_read_up_to_its_blank_line() {
        // Two modules (the totals come last), and the blank lines yosys ends a report with.
        let stat = "=== sub ===\n\n   Number of cells:   4\n     LUT6   4\n\n\
                    === design ===\n\n   Number of wires:   10\n   Number of cells:   7\n\
                    \x20    CARRY4   2\n     FDRE   3\n     LUT6   2\n\n";
        let r = Resources::from_stat(stat);
        assert_eq!(r.cells.len(), 3, "{:?}", r.cells);
        assert_eq!((r.luts, r.ffs, r.carry), (2, 3, 2));
        assert_eq!(r.memory_luts(), 0);
    }

    #[test]
    fn the_quoted_script_is_the_flow_that_runs() {
        let options = SynthOptions {
            logic_levels: true,
            ..SynthOptions::default()
        };
        assert_eq!(
            script("e.v", "e", SynthTarget::Xcup, &options),
            "read_verilog e.v; synth_xilinx -family xcup -flatten -noiopad -noclkbuf -top e; \
             stat; delete t:FD* t:RAMB* t:SRL* t:DSP48*; ltp"
        );
        let reports = (Path::new("s.txt"), Path::new("l.txt"));
        let run = commands(
            "e.v",
            "e",
            SynthTarget::Ice40,
            &SynthOptions::default(),
            Some(reports),
        );
        assert_eq!(
            run,
            "read_verilog e.v; synth_ice40 -dsp -abc9 -top e; tee -q -o s.txt stat"
        );
    }

    #[test]
    fn ltp_lengths_are_parsed_per_module() {
        let text = "Longest topological path in top (length=17):\n    0: a\nLongest topological path in \\blk (length=3):\n";
        let got: Vec<(String, u64)> = longest_paths(text).into_iter().collect();
        assert_eq!(got, [("blk".to_string(), 3), ("top".to_string(), 17)]);
        assert!(longest_paths("no path").is_empty());
    }

    /// `stat -top top` of yosys 0.23 for a top with two instances of `blk` kept as hierarchy.
    const HIERARCHY_STAT: &str = "\
=== blk ===

   Number of wires:                  6
   Number of cells:                 18
     CARRY4                          2
     FDRE                            8
     LUT2                            8

=== top ===

   Number of wires:                 17
   Number of cells:                 21
     CARRY4                          3
     INV                             8
     LUT2                            8
     blk                             2

=== design hierarchy ===

   top                               1
     blk                             2

   Number of wires:                 29
   Number of cells:                 55
     CARRY4                          7
     FDRE                           16
     INV                             8
     LUT2                           24
";

    #[test]
    fn a_hierarchy_listing_gives_totals_and_each_module() {
        let total = Resources::from_stat(HIERARCHY_STAT);
        assert_eq!((total.luts, total.ffs, total.carry), (24, 16, 7));
        let depths = BTreeMap::from([("top".to_string(), 4), ("blk".to_string(), 3)]);
        let m = hierarchy_figures(HIERARCHY_STAT, "top", Some(&depths)).unwrap();
        let got: Vec<(&str, u64, u64, u64, Option<u64>)> = m
            .iter()
            .map(|f| {
                let r = &f.resources;
                (
                    f.module.as_str(),
                    f.instances,
                    r.luts,
                    r.ffs,
                    f.logic_levels,
                )
            })
            .collect();
        assert_eq!(got, [("top", 1, 8, 0, Some(4)), ("blk", 2, 8, 8, Some(3))]);
        assert!(!m[0].resources.cells.contains_key("blk"), "{:?}", m[0]);
        // The sum over instances is yosys's total.
        let sum: u64 = m.iter().map(|f| f.instances * f.resources.luts).sum();
        assert_eq!(sum, total.luts);
        let e = hierarchy_figures(XCUP_STAT, "top", None).unwrap_err();
        assert!(e.to_string().contains("design hierarchy"), "{e}");
    }

    #[test]
    fn a_hierarchical_run_maps_a_block_once_and_counts_it_per_instance() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.v");
        std::fs::write(
            &path,
            "module blk(input wire clk, input wire [7:0] a, output reg [7:0] q);\n\
             always @(posedge clk) q <= q + a;\nendmodule\n\
             module top(input wire clk, input wire [7:0] a, output wire [7:0] x, output wire [7:0] y,\n\
             output wire [8:0] s);\nblk b0(.clk(clk), .a(a), .q(x));\nblk b1(.clk(clk), .a(~a), .q(y));\n\
             assign s = x + y;\nendmodule\n",
        )
        .unwrap();
        let options = SynthOptions {
            logic_levels: true,
            keep_hierarchy: vec!["blk".into()],
            ..SynthOptions::default()
        };
        let h = synthesize_with(&path, "top", SynthTarget::Xcup, &options).unwrap();
        let names: Vec<(&str, u64)> = h
            .modules
            .iter()
            .map(|m| (m.module.as_str(), m.instances))
            .collect();
        assert_eq!(names, [("top", 1), ("blk", 2)]);
        // Each accumulator is 8 flip-flops; the top's own logic (the 9-bit sum) has none.
        assert_eq!((h.resources.ffs, h.modules[0].resources.ffs), (16, 0));
        assert_eq!(h.modules[1].resources.ffs, 8);
        assert!(h.modules.iter().all(|m| m.logic_levels.is_some()), "{h:?}");
        assert_eq!(
            h.logic_levels,
            h.modules.iter().filter_map(|m| m.logic_levels).max()
        );
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
                ..SynthOptions::default()
            },
        )
        .unwrap();
        assert_eq!(deep.resources, x);
        assert!(deep.logic_levels.is_some_and(|l| l <= 2), "{deep:?}");
    }
}
