//! Resource figures of emitted Verilog from yosys (toolchain.md sections 4 and Recommendations 3):
//! `synth_xilinx -family xcup -flatten -noiopad -noclkbuf` for UltraScale+ (carries map to
//! CARRY4 in yosys 0.23, so LUT counts are somewhat pessimistic against Vivado) and `synth_ice40
//! -dsp -abc9` for the iCE40 UP5K (ABC9's mapping takes about 7 % of the LUT4s off the `up5k`
//! engine and neuron lane, which it needs to fit the part). The cell counts of `stat` are grouped
//! into LUTs, flip-flops, DSPs, block RAMs and carries, the figures every hardware report quotes.
//! A design too large to flatten in one piece is synthesized block by block
//! ([`SynthOptions::blocks`]): each named block is flattened and mapped once, in a yosys run of
//! its own (several at a time), the top is mapped with the blocks as black boxes, and the totals
//! count every instance; the logic depth is measured per block and for the top's own logic. One
//! process per block keeps each run small and lets the blocks use every core, where one
//! hierarchical run maps them one after another.

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

/// The `name count` pairs of a `stat` cell listing, in the order given.
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
    /// Groups the cell list of yosys' `stat` output (the last module printed).
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
    /// Modules synthesized as blocks of their own (empty: the whole design is flattened). Each
    /// is flattened inside and mapped once however often the top instantiates it, so a kernel
    /// with many copies of a large block synthesizes in the time of one copy. Every block must
    /// be instantiated by the top itself (a block inside a block would be counted twice).
    pub blocks: Vec<String>,
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
    /// Wall time of the module's yosys run.
    pub seconds: f64,
}

/// The figures of one synthesis run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Synthesis {
    /// Grouped cell counts (a run by blocks: the whole design, every instance counted).
    pub resources: Resources,
    /// Most cells on any path between two sequential cells, when asked for (a run by blocks:
    /// the deepest module).
    pub logic_levels: Option<u64>,
    /// Wall time of the yosys runs, which the figures quote beside the counts.
    pub seconds: f64,
    /// A run by blocks: the top and every block, the top first; empty for a flattened run.
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
/// `blocks`, this is the top's run: the blocks are black boxes, so `stat` lists the top's own
/// cells and one cell per block instance, and `ltp` runs after deleting the sequential cells and
/// the block instances, so the top's own logic is measured alone.
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
    let blocks = &options.blocks;
    let mut script = format!("read_verilog {file}; ");
    if !blocks.is_empty() {
        script += &format!("hierarchy -top {top}; blackbox {}; ", blocks.join(" "));
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
    script += &format!("{}stat", tee(reports.map(|r| r.0)));
    if options.logic_levels {
        script += &format!("; delete {}", sequential_cells(target));
        if !blocks.is_empty() {
            let cells: Vec<String> = blocks.iter().map(|b| format!("{top}/t:{b}")).collect();
            script += &format!("; delete {}", cells.join(" "));
        }
        script += &format!("; {}ltp", tee(reports.map(|r| r.1)));
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
    if options.blocks.is_empty() {
        let run = run_yosys(path, top, target, options)?;
        return Ok(Synthesis {
            resources: Resources::from_stat(&run.stat),
            logic_levels: run.depth,
            seconds: run.seconds,
            modules: Vec::new(),
        });
    }
    synthesize_by_blocks(path, top, target, options)
}

/// What one yosys run reported.
struct Run {
    /// The `stat` listing.
    stat: String,
    /// The longest `ltp` path, when asked for.
    depth: Option<u64>,
    /// Wall time.
    seconds: f64,
}

/// Runs yosys on `top` of `path` (with `options.blocks` as black boxes) and reads its reports.
fn run_yosys(path: &Path, top: &str, target: SynthTarget, options: &SynthOptions) -> Result<Run> {
    let stat = tempfile_path(path, top, "stat")?;
    let ltp = tempfile_path(path, top, "ltp")?;
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
        let _ = std::fs::remove_file(&stat);
        let _ = std::fs::remove_file(&ltp);
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
    let depth = if options.logic_levels {
        let text = read_and_remove(&ltp)?;
        let depth = longest_paths(&text).into_values().max();
        if depth.is_none() {
            return Err(Error::Synth {
                module: top.into(),
                first: format!("no path length in yosys ltp output: {}", text.trim()),
            });
        }
        depth
    } else {
        None
    };
    Ok(Run {
        stat: stat_text,
        depth,
        seconds,
    })
}

/// [`synthesize_with`] for a design with blocks: the top with the blocks as black boxes and each
/// block flattened, in yosys runs of their own, as many at a time as there are cores.
fn synthesize_by_blocks(
    path: &Path,
    top: &str,
    target: SynthTarget,
    options: &SynthOptions,
) -> Result<Synthesis> {
    if options.netlist.is_some() {
        return Err(Error::Synth {
            module: top.into(),
            first: "a netlist is written by a flattened run only, not by a run by blocks".into(),
        });
    }
    let started = Instant::now();
    let flat = SynthOptions {
        logic_levels: options.logic_levels,
        ..SynthOptions::default()
    };
    // The blocks in the order given (the costliest first, as callers list them), the top last.
    let names: Vec<&str> = options
        .blocks
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(top))
        .collect();
    let runs = parallel_map(&names, |&name| {
        let opts = if name == top { options } else { &flat };
        run_yosys(path, name, target, opts)
    });
    let mut runs = runs.into_iter().collect::<Result<Vec<Run>>>()?;
    let shell = runs.pop().expect("the top's run is last");
    let mut own = Resources::from_stat(&shell.stat).cells;
    let mut modules = Vec::with_capacity(names.len());
    let mut blocks = Vec::new();
    for (name, run) in names.iter().zip(runs) {
        let instances = own.remove(*name).ok_or_else(|| Error::Synth {
            module: top.into(),
            first: format!("block {name} is not instantiated by {top}"),
        })?;
        blocks.push(ModuleFigures {
            module: name.to_string(),
            instances,
            resources: Resources::from_stat(&run.stat),
            logic_levels: run.depth,
            seconds: run.seconds,
        });
    }
    modules.push(ModuleFigures {
        module: top.into(),
        instances: 1,
        resources: Resources::from_cells(own),
        logic_levels: shell.depth,
        seconds: shell.seconds,
    });
    modules.extend(blocks);
    Ok(Synthesis {
        resources: total(&modules),
        logic_levels: modules.iter().filter_map(|m| m.logic_levels).max(),
        seconds: started.elapsed().as_secs_f64(),
        modules,
    })
}

/// The cells of a design by blocks: each module's cells times its instances.
fn total(modules: &[ModuleFigures]) -> Resources {
    let mut cells = BTreeMap::new();
    for m in modules {
        for (name, count) in &m.resources.cells {
            *cells.entry(name.clone()).or_insert(0) += count * m.instances;
        }
    }
    Resources::from_cells(cells)
}

/// How many yosys runs of a run by blocks proceed at once: one per core.
pub fn parallel_runs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` over `items` on as many threads as there are cores (each call runs its own process), the
/// results in the order of `items`; the items are taken in order, so the first start first.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = parallel_runs().min(items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    done.lock()
                        .expect("no worker panics holding the lock")
                        .push((i, r));
                }
            });
        }
    });
    let mut done = done
        .into_inner()
        .expect("no worker panicked holding the lock");
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
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

/// A scratch file beside `path` for the yosys run of `module` to write (runs of several modules
/// of one file proceed at once).
fn tempfile_path(path: &Path, module: &str, ext: &str) -> Result<PathBuf> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "design".into());
    Ok(path.with_file_name(format!("{stem}.{module}.{}.{ext}", std::process::id())))
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

    #[test]
    fn a_run_by_blocks_maps_a_block_once_and_counts_it_per_instance() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.v");
        std::fs::write(
            &path,
            "module blk(input wire clk, input wire [7:0] a, output reg [7:0] q);\n\
             always @(posedge clk) q <= q + a;\nendmodule\n\
             module top(input wire clk, input wire [7:0] a, output wire [7:0] x, output wire [7:0] y,\n\
             output wire [8:0] s);\nblk b0(.clk(clk), .a(a), .q(x));\nblk b1(.clk(clk), .a(~a), .q(y));\n\
             assign s = x + y;\nendmodule\n\
             module spare(input wire clk, output reg q);\nalways @(posedge clk) q <= ~q;\nendmodule\n",
        )
        .unwrap();
        let options = SynthOptions {
            logic_levels: true,
            blocks: vec!["blk".into()],
            ..SynthOptions::default()
        };
        assert_eq!(
            script("h.v", "top", SynthTarget::Xcup, &options),
            "read_verilog h.v; hierarchy -top top; blackbox blk; \
             synth_xilinx -family xcup -flatten -noiopad -noclkbuf -top top; stat; \
             delete t:FD* t:RAMB* t:SRL* t:DSP48*; delete top/t:blk; ltp"
        );
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
        // The totals are the flattened design's: nothing crosses the block pins to optimize.
        let flat = synthesize(&path, "top", SynthTarget::Xcup).unwrap();
        assert_eq!(h.resources, flat);
        assert!(!h.modules[0].resources.cells.contains_key("blk"), "{h:?}");
        // A block the top does not instantiate is refused by name.
        let stray = SynthOptions {
            blocks: vec!["blk".into(), "spare".into()],
            ..SynthOptions::default()
        };
        let e = synthesize_with(&path, "top", SynthTarget::Xcup, &stray).unwrap_err();
        assert!(
            e.to_string()
                .contains("block spare is not instantiated by top"),
            "{e}"
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
