//! `mmfree synth` (contracts.md, "Hardware flows"; toolchain.md section 4): the design of a
//! hardware configuration, synthesized by yosys for UltraScale+ (`xcup`: resources and logic
//! depth) or for the iCE40 UP5K (`ice40`: placed and routed by nextpnr, packed into a bitstream,
//! fmax).
//!
//! For `xcup`, a configuration with a top-level kernel (`tiny`, `small`, `u280`, `u55c`, `u250`) is
//! synthesized as that kernel ([`crate::top::emit_top`]) by blocks: each block (vector unit,
//! engine, sequencer, weight streamer, data movers, control slave) is flattened and mapped once in
//! a yosys run of its own and counted per instance, so 32 engines cost the time of one. A
//! configuration without one (`up5k`), or any with [`XcupDesign::Kernels`], reports its kernels
//! ([`xcup_parts`]): one ternary engine, counted `weight_ports` times, and the neuron unit with
//! `neuron_lanes` lanes, its lanes merged and mapped once. For `ice40` the
//! design is the engine and the neuron unit in [`serial_top`], a wrapper with four pins
//! ([`ice40_verilog_with_neuron`]). A full neuron lane maps to 22 `SB_MAC16` (the UP5K has 8) and
//! about 6,600 `SB_LUT4` (5,280 logic cells); the `up5k` configuration's lane leaves out the modes
//! that need the extra multipliers (`HwConfig::neuron_modes`) and then needs 6 `SB_MAC16`, and with
//! `synth_ice40 -abc9` the engine, that lane and their wrapper place into the part.

use std::path::{Path, PathBuf};

use mmfree_hdl::ice40::Pin;
use mmfree_hdl::{SynthOptions, SynthTarget, Synthesis};
use mmfree_spec::hw::HwConfig;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::neuron_unit::IdleBits;
use crate::top::{self, BlockNames, TopConfig};
use crate::{neuron_unit, ternary_engine};

/// Target names `mmfree synth --target` takes.
pub const TARGET_NAMES: &str = "xcup, ice40";

/// The seed of every nextpnr run, so that a bitstream can be rebuilt bit for bit.
pub const PNR_SEED: u64 = 1;

/// The top module of the iCE40 build.
pub const ICE40_TOP: &str = "up5k_kernels";

/// The UP5K package pins of the wrapper's four ports: the clock on global buffer pin 35.
pub const ICE40_PINS: [(&str, u32); 4] = [("clk", 35), ("sin", 2), ("shift", 3), ("sout", 4)];

/// Parses a `--target` name.
pub fn parse_target(name: &str) -> Result<SynthTarget> {
    match name {
        "xcup" => Ok(SynthTarget::Xcup),
        "ice40" => Ok(SynthTarget::Ice40),
        _ => Err(Error::UnknownTarget {
            name: name.into(),
            known: TARGET_NAMES,
        }),
    }
}

/// The name of a target as `--target` spells it.
pub fn target_name(target: SynthTarget) -> &'static str {
    match target {
        SynthTarget::Xcup => "xcup",
        SynthTarget::Ice40 => "ice40",
    }
}

/// One kernel of a configuration's design: its Verilog and how many copies the design holds.
#[derive(Clone, Debug)]
pub struct Part {
    /// What it is (`ternary engine`, `neuron unit`).
    pub kernel: &'static str,
    /// Top module.
    pub module: String,
    /// Verilog text.
    pub verilog: String,
    /// Copies in the design (the engine: one per weight port).
    pub copies: u64,
    /// Modules synthesized as blocks of their own ([`SynthOptions::blocks`]) and the instances
    /// the top must hold of each (empty: the part is flattened whole).
    pub blocks: Vec<(String, u64)>,
}

/// The kernels of `hw` that the UltraScale+ figures cover: the ternary engine, flattened, and
/// the neuron unit; a unit of several lanes is synthesized by blocks, its lanes merged into one
/// module (rust-hdl writes one identical module per lane) that is mapped once.
pub fn xcup_parts(hw: &HwConfig) -> Result<Vec<Part>> {
    let engine = ternary_engine::build(hw)?;
    let neuron = neuron_unit::build(hw)?;
    let lanes = u64::from(hw.neuron_lanes);
    let (verilog, blocks) = if lanes > 1 {
        let merged = mmfree_hdl::merge_identical_modules(&neuron.verilog);
        let first = format!("{}__lanes__0", neuron.module);
        let lane = merged
            .kept_as
            .get(&first)
            .ok_or_else(|| Error::Elaboration {
                kernel: "neuron unit",
                why: format!("no lane module {first} in the emitted unit"),
            })?
            .clone();
        (merged.verilog, vec![(lane, lanes)])
    } else {
        (neuron.verilog, Vec::new())
    };
    // The vector unit is part of the top-level kernel, whose run by blocks reports it.
    Ok(vec![
        Part {
            kernel: "ternary engine",
            module: engine.module,
            verilog: engine.verilog,
            copies: u64::from(hw.weight_ports),
            blocks: Vec::new(),
        },
        Part {
            kernel: "neuron unit",
            module: neuron.module,
            verilog,
            copies: 1,
            blocks,
        },
    ])
}

/// A port of an emitted module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// Name.
    pub name: String,
    /// Input (true) or output.
    pub input: bool,
    /// Bits.
    pub width: usize,
}

/// The ports of `module` in emitted Verilog (non-ANSI header, one `input wire  [h:0] name;` or
/// `output reg ...` declaration per line after it, as rust-hdl writes them), in order.
pub fn module_ports(verilog: &str, module: &str) -> Result<Vec<Port>> {
    let header = format!("module {module}(");
    let missing = || Error::Unsupported {
        kernel: "synth",
        why: format!("no port list of module '{module}' in its Verilog"),
    };
    let start = verilog.find(&header).ok_or_else(missing)?;
    let mut ports = Vec::new();
    for line in verilog[start..].lines().skip(1) {
        let line = line.trim();
        let input = line.starts_with("input ");
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        if !input && !line.starts_with("output ") {
            break;
        }
        let decl = line.trim_end_matches(';');
        let name = decl.split_whitespace().last().ok_or_else(missing)?;
        let width = match (decl.find('['), decl.find(':')) {
            (Some(open), Some(colon)) => {
                decl[open + 1..colon]
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| missing())?
                    + 1
            }
            _ => 1,
        };
        ports.push(Port {
            name: name.into(),
            input,
            width,
        });
    }
    if ports.is_empty() {
        return Err(missing());
    }
    Ok(ports)
}

/// One kernel inside a [`serial_top`]: its module, instance name and ports.
#[derive(Clone, Debug)]
pub struct Inner {
    /// Module name.
    pub module: String,
    /// Instance name in the wrapper.
    pub instance: String,
    /// Its ports (the clock port is `clock`).
    pub ports: Vec<Port>,
    /// Port bits the kernel neither reads nor drives (`neuron_unit::idle_bits`): the wrapper
    /// ties such inputs to 0 and does not capture such outputs.
    pub idle: Vec<IdleBits>,
}

/// The bits of `port` outside `idle`, as (lowest bit, bits) runs in ascending order.
fn live_runs(port: &Port, instance_idle: &[IdleBits]) -> Vec<(usize, usize)> {
    let mut idle: Vec<(usize, usize)> = instance_idle
        .iter()
        .filter(|b| b.port == port.name)
        .map(|b| (b.lo, b.width))
        .collect();
    idle.sort_unstable();
    let mut runs = Vec::new();
    let mut at = 0;
    for (lo, width) in idle {
        if lo > at {
            runs.push((at, lo - at));
        }
        at = at.max(lo + width);
    }
    if at < port.width {
        runs.push((at, port.width - at));
    }
    runs
}

/// The connection of a port with idle bits at scan position `at`: inputs get a concatenation
/// of scan bits and zeros; outputs drive a wire whose live runs go to `results` (`assigns`).
fn partial_connection(
    inner: &Inner,
    p: &Port,
    runs: &[(usize, usize)],
    at: usize,
    wires: &mut String,
    assigns: &mut String,
) -> String {
    let mut offset = at;
    let mut pieces = Vec::new();
    let mut next = 0;
    for &(lo, width) in runs {
        if lo > next {
            pieces.push(format!("{}'d0", lo - next));
        }
        if p.input {
            pieces.push(format!("scan_in[{}:{offset}]", offset + width - 1));
        } else {
            assigns.push_str(&format!(
                "    assign results[{}:{offset}] = {}_{}[{}:{lo}];\n",
                offset + width - 1,
                inner.instance,
                p.name,
                lo + width - 1
            ));
        }
        offset += width;
        next = lo + width;
    }
    if next < p.width {
        pieces.push(format!("{}'d0", p.width - next));
    }
    if p.input {
        pieces.reverse();
        return format!("        .{}({{{}}})", p.name, pieces.join(", "));
    }
    let wire = format!("{}_{}", inner.instance, p.name);
    wires.push_str(&format!(
        "    /* verilator lint_off UNUSED */\n    wire [{}:0] {wire};\n    /* verilator lint_on UNUSED */\n",
        p.width - 1
    ));
    format!("        .{}({wire})", p.name)
}

/// A top module `top` around the kernels `inners` (whose clock ports are `clock`) with four pins:
/// while `shift` is high, `sin` shifts into a register that drives every input of every kernel
/// and a second register shifts their captured outputs out on `sout`; while `shift` is low that
/// register captures every output each cycle. Every kernel port stays observable, so synthesis
/// keeps the whole of every kernel, and the design fits the 39 I/Os of the `sg48` package.
pub fn serial_top(top: &str, inners: &[Inner]) -> String {
    let (mut at_in, mut at_out) = (0, 0);
    let (mut instances, mut wires, mut assigns) = (String::new(), String::new(), String::new());
    for inner in inners {
        let mut connections = vec!["        .clock(clk)".to_string()];
        for p in inner.ports.iter().filter(|p| p.name != "clock") {
            let (bus, at) = if p.input {
                ("scan_in", &mut at_in)
            } else {
                ("results", &mut at_out)
            };
            let runs = live_runs(p, &inner.idle);
            if runs == [(0, p.width)] {
                connections.push(format!(
                    "        .{}({bus}[{}:{}])",
                    p.name,
                    *at + p.width - 1,
                    *at
                ));
            } else {
                connections.push(partial_connection(
                    inner,
                    p,
                    &runs,
                    *at,
                    &mut wires,
                    &mut assigns,
                ));
            }
            *at += runs.iter().map(|r| r.1).sum::<usize>();
        }
        instances.push_str(&format!(
            "    {} {}(\n{}\n    );\n",
            inner.module,
            inner.instance,
            connections.join(",\n")
        ));
    }
    let (n_in, n_out) = (at_in, at_out);
    let names: Vec<&str> = inners.iter().map(|i| i.module.as_str()).collect();
    format!(
        "// {top}: {} behind a four-pin serial wrapper, generated by mmfree-kernels; do not edit.\n\
         `default_nettype none\n\
         module {top}(clk, sin, shift, sout);\n\
         \x20   input wire clk;\n\
         \x20   input wire sin;\n\
         \x20   input wire shift;\n\
         \x20   output wire sout;\n\
         \x20   reg [{hi_in}:0] scan_in = {n_in}'d0;\n\
         \x20   reg [{hi_out}:0] scan_out = {n_out}'d0;\n\
         \x20   wire [{hi_out}:0] results;\n\
         \x20   always @(posedge clk) begin\n\
         \x20       if (shift) scan_in <= {{scan_in[{hi_in_1}:0], sin}};\n\
         \x20       if (shift) scan_out <= {{scan_out[{hi_out_1}:0], 1'b0}};\n\
         \x20       else scan_out <= results;\n\
         \x20   end\n\
         \x20   assign sout = scan_out[{hi_out}];\n\
         {wires}{instances}{assigns}\
         endmodule\n\
         `default_nettype wire\n",
        names.join(" and "),
        hi_in = n_in - 1,
        hi_out = n_out - 1,
        hi_in_1 = n_in.saturating_sub(2),
        hi_out_1 = n_out.saturating_sub(2),
    )
}

/// The engine of `hw` alone behind [`serial_top`], as one Verilog file: the smallest iCE40
/// design, linted on its own so that a wrapper fault shows without the neuron unit.
pub fn ice40_verilog(hw: &HwConfig) -> Result<String> {
    let engine = ternary_engine::build(hw)?;
    let inners = [Inner {
        ports: module_ports(&engine.verilog, &engine.module)?,
        module: engine.module,
        instance: "kernel".into(),
        idle: Vec::new(),
    }];
    Ok(format!(
        "{}{}",
        engine.verilog,
        serial_top(ICE40_TOP, &inners)
    ))
}

/// The iCE40 design of `hw` that `mmfree synth --target ice40` builds and `bitstreams/up5k` holds:
/// its neuron unit beside the engine (lanes carrying the modes of `hw.neuron_modes()`), behind
/// one [`serial_top`], as one Verilog file (docs/HARDWARE.md, "The neuron lane on the UP5K").
pub fn ice40_verilog_with_neuron(hw: &HwConfig) -> Result<String> {
    let engine = ternary_engine::build(hw)?;
    let neuron = neuron_unit::build(hw)?;
    let inners = [
        Inner {
            ports: module_ports(&engine.verilog, &engine.module)?,
            module: engine.module,
            instance: "engine".into(),
            idle: Vec::new(),
        },
        Inner {
            ports: module_ports(&neuron.verilog, &neuron.module)?,
            module: neuron.module,
            instance: "neuron".into(),
            idle: neuron_unit::idle_bits(hw),
        },
    ];
    Ok(format!(
        "{}{}{}",
        engine.verilog,
        neuron.verilog,
        serial_top(ICE40_TOP, &inners)
    ))
}

/// The wrapper's pins on the UP5K package.
pub fn ice40_pins() -> Vec<Pin> {
    ICE40_PINS
        .iter()
        .map(|(port, site)| Pin {
            port: (*port).into(),
            site: *site,
        })
        .collect()
}

/// The figures of one synthesized kernel.
#[derive(Clone, Debug)]
pub struct PartFigures {
    /// What it is.
    pub kernel: &'static str,
    /// Top module.
    pub module: String,
    /// Copies in the design.
    pub copies: u64,
    /// yosys's counts and depth of one copy.
    pub synthesis: Synthesis,
}

/// What `mmfree synth` reports (contracts.md: the JSON keys are these fields' names).
#[derive(Clone, Debug)]
pub struct SynthReport {
    /// `xcup` or `ice40`.
    pub target: &'static str,
    /// Hardware configuration name.
    pub config: String,
    /// What was synthesized (the top-level kernel, or the configuration's kernels).
    pub design: String,
    /// LUTs (UltraScale+: logic LUTs and the LUTs under LUT-RAMs and shift registers; iCE40:
    /// `SB_LUT4`), every copy counted.
    pub luts: u64,
    /// Flip-flops.
    pub ffs: u64,
    /// DSP blocks (`DSP48E2` or `SB_MAC16`).
    pub dsps: u64,
    /// Block RAMs (36-kbit units, or 4-kbit EBRs).
    pub brams: f64,
    /// Carry cells (`CARRY4` or `SB_CARRY`).
    pub carry: u64,
    /// Most cells on a register-to-register path over every kernel (or block of the top level).
    pub logic_levels: u64,
    /// nextpnr's fmax (iCE40 only).
    pub fmax_mhz: Option<f64>,
    /// The bitstream written (iCE40 only).
    pub bitstream: Option<PathBuf>,
    /// Logic cells nextpnr placed (iCE40 only).
    pub logic_cells: Option<u64>,
    /// Each kernel's own figures.
    pub parts: Vec<PartFigures>,
}

impl SynthReport {
    /// Sums the parts' figures, each counted as many times as it has copies.
    pub(crate) fn from_parts(
        target: SynthTarget,
        config: &str,
        design: String,
        parts: Vec<PartFigures>,
    ) -> SynthReport {
        let sum = |f: &dyn Fn(&PartFigures) -> u64| parts.iter().map(|p| p.copies * f(p)).sum();
        SynthReport {
            target: target_name(target),
            config: config.into(),
            design,
            luts: sum(&|p| p.synthesis.resources.occupied_luts()),
            ffs: sum(&|p| p.synthesis.resources.ffs),
            dsps: sum(&|p| p.synthesis.resources.dsps),
            brams: parts
                .iter()
                .map(|p| p.copies as f64 * p.synthesis.resources.brams)
                .sum(),
            carry: sum(&|p| p.synthesis.resources.carry),
            logic_levels: parts
                .iter()
                .filter_map(|p| p.synthesis.logic_levels)
                .max()
                .unwrap_or(0),
            fmax_mhz: None,
            bitstream: None,
            logic_cells: None,
            parts,
        }
    }
}

/// Synthesizes one kernel in `scratch` for `target` with its logic depth, by blocks when the
/// part names some, and checks that the top holds as many instances of each as the part says.
pub fn synthesize_part(part: &Part, target: SynthTarget, scratch: &Path) -> Result<PartFigures> {
    let path = scratch.join(format!("{}.v", part.module));
    write_atomic(&path, part.verilog.as_bytes())?;
    let options = SynthOptions {
        logic_levels: true,
        blocks: part.blocks.iter().map(|(m, _)| m.clone()).collect(),
        ..SynthOptions::default()
    };
    let synthesis = mmfree_hdl::synthesize_with(&path, &part.module, target, &options)?;
    for (block, want) in &part.blocks {
        let found = synthesis
            .modules
            .iter()
            .find(|m| &m.module == block)
            .map_or(0, |m| m.instances);
        if found != *want {
            return Err(Error::Elaboration {
                kernel: part.kernel,
                why: format!(
                    "{want} instances of {block} expected in {}, yosys counted {found}",
                    part.module
                ),
            });
        }
    }
    Ok(PartFigures {
        kernel: part.kernel,
        module: part.module.clone(),
        copies: part.copies,
        synthesis,
    })
}

/// The top-level kernel of `hw` for a run by blocks, or `None` when the configuration has none
/// (`TopConfig::from_hw` refuses it).
pub fn xcup_top(hw: &HwConfig) -> Result<Option<Part>> {
    if TopConfig::from_hw(hw).is_err() {
        return Ok(None);
    }
    // `emit_top` elaborates the blocks on a thread with the stack they need.
    let v = top::emit_top(hw)?;
    let blocks = BlockNames::new(&v.top)
        .blocks(hw.weight_ports as usize, hw.batch as usize)
        .iter()
        .map(|(module, _, copies)| (module.to_string(), *copies as u64))
        .collect();
    Ok(Some(Part {
        kernel: "top-level kernel",
        module: v.top,
        verilog: v.text,
        copies: 1,
        blocks,
    }))
}

/// Synthesizes the top-level kernel `part` ([`xcup_top`]) of configuration `config` by blocks in
/// `scratch`: the report's totals count every instance, its parts are the top's own logic and
/// each block, once, with its instance count.
pub fn synthesize_top(part: &Part, config: &str, scratch: &Path) -> Result<SynthReport> {
    let whole = synthesize_part(part, SynthTarget::Xcup, scratch)?;
    let names = BlockNames::new(&part.module);
    let blocks = names.blocks(0, 0);
    let kernel = |module: &str| {
        blocks
            .iter()
            .find(|(m, _, _)| *m == module)
            .map_or("top level (wiring)", |(_, k, _)| k)
    };
    let synthesis = whole.synthesis;
    let parts = synthesis
        .modules
        .iter()
        .map(|m| PartFigures {
            kernel: kernel(&m.module),
            module: m.module.clone(),
            copies: m.instances,
            synthesis: Synthesis {
                resources: m.resources.clone(),
                logic_levels: m.logic_levels,
                seconds: m.seconds,
                modules: Vec::new(),
            },
        })
        .collect();
    let r = &synthesis.resources;
    Ok(SynthReport {
        target: target_name(SynthTarget::Xcup),
        config: config.into(),
        design: format!(
            "top-level kernel {}, synthesized by blocks in {:.0} s",
            part.module, synthesis.seconds
        ),
        luts: r.occupied_luts(),
        ffs: r.ffs,
        dsps: r.dsps,
        brams: r.brams,
        carry: r.carry,
        logic_levels: synthesis.logic_levels.unwrap_or(0),
        fmax_mhz: None,
        bitstream: None,
        logic_cells: None,
        parts,
    })
}

/// Which design an `xcup` run synthesizes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum XcupDesign {
    /// The top-level kernel where the configuration has one, else its kernels.
    #[default]
    TopLevel,
    /// The kernels one by one (engine and neuron unit), also where there is a top-level kernel:
    /// the standalone neuron unit is not part of the top level, so this is how it is measured.
    Kernels,
}

/// Where an iCE40 build goes unless told otherwise: `bitstreams/<config>`, where the committed
/// bitstreams live.
pub fn default_out_dir(hw: &HwConfig) -> PathBuf {
    Path::new("bitstreams").join(&hw.name)
}

/// Runs `mmfree synth`: builds the design of `hw`, synthesizes it for `target` and, for `ice40`,
/// places, routes and packs it into `out_dir` (default [`default_out_dir`]; Verilog, PCF, bitstream, timing summary,
/// `manifest.json`, each written atomically). For `xcup`, `out_dir` (if any) receives the Verilog.
/// `progress` hears each long step.
pub fn run(
    hw: &HwConfig,
    target: SynthTarget,
    design: XcupDesign,
    out_dir: Option<&Path>,
    progress: &mut dyn FnMut(&str),
) -> Result<SynthReport> {
    // The iCE40 outputs are written only on success, so its scratch does not touch the output
    // directory.
    let scratch = Scratch::new(out_dir.filter(|_| target == SynthTarget::Xcup))?;
    match target {
        SynthTarget::Xcup => {
            let top = match design {
                XcupDesign::TopLevel => {
                    progress("elaborating the top-level kernel");
                    xcup_top(hw)?
                }
                XcupDesign::Kernels => None,
            };
            if let Some(part) = top {
                if let Some(dir) = out_dir {
                    write_atomic(
                        &dir.join(format!("{}.v", part.module)),
                        part.verilog.as_bytes(),
                    )?;
                }
                progress(&format!(
                    "yosys synth_xilinx -family xcup by blocks ({} runs, {} at a time): {}",
                    part.blocks.len() + 1,
                    mmfree_hdl::synth::parallel_runs(),
                    part.module
                ));
                return synthesize_top(&part, &hw.name, &scratch.0);
            }
            progress(match design {
                XcupDesign::TopLevel => {
                    "no top-level kernel for this configuration: elaborating its kernels"
                }
                XcupDesign::Kernels => "elaborating the kernels",
            });
            let parts = xcup_parts(hw)?;
            let mut figures = Vec::new();
            for part in &parts {
                if let Some(dir) = out_dir {
                    write_atomic(
                        &dir.join(format!("{}.v", part.module)),
                        part.verilog.as_bytes(),
                    )?;
                }
                let method = match part.blocks.first() {
                    Some((block, n)) => format!("by blocks, {block} mapped once for {n}"),
                    None => "flattened".to_string(),
                };
                progress(&format!(
                    "yosys synth_xilinx -family xcup: {} ({}, {method})",
                    part.kernel, part.module
                ));
                let done = synthesize_part(part, target, &scratch.0)?;
                let r = &done.synthesis.resources;
                progress(&format!(
                    "{}: LUT {}, FF {}, DSP {}, BRAM {}, carry {}, logic levels {} (one copy, {:.0} s of yosys)",
                    part.kernel,
                    r.occupied_luts(),
                    r.ffs,
                    r.dsps,
                    r.brams,
                    r.carry,
                    done.synthesis.logic_levels.unwrap_or(0),
                    done.synthesis.seconds
                ));
                figures.push(done);
            }
            let what = match design {
                XcupDesign::TopLevel => "the configuration's kernels (it has no top-level kernel)",
                XcupDesign::Kernels => "the configuration's kernels, one by one",
            };
            Ok(SynthReport::from_parts(
                target,
                &hw.name,
                what.to_string(),
                figures,
            ))
        }
        SynthTarget::Ice40 if design == XcupDesign::Kernels => Err(Error::Unsupported {
            kernel: "synth",
            why: "the kernels one by one are an xcup report; ice40 builds the up5k design".into(),
        }),
        SynthTarget::Ice40 => {
            let dir = out_dir.map_or_else(|| default_out_dir(hw), Path::to_path_buf);
            crate::ice40_flow::run(hw, &dir, &scratch.0, progress)
        }
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `YYYY-MM-DD` (UTC) of a time, the date a bitstream manifest records.
pub fn utc_date(t: std::time::SystemTime) -> String {
    let mut stamp = humantime::format_rfc3339_seconds(t).to_string();
    stamp.truncate("YYYY-MM-DD".len());
    stamp
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so a reader
/// never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|source| Error::Io {
        path: tmp.clone(),
        source,
    })?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// A scratch directory for tool files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    /// A fresh directory under the system's temporary directory (or under `near`, so that the
    /// outputs can be renamed into place).
    fn new(near: Option<&Path>) -> Result<Scratch> {
        let base = near.map_or_else(std::env::temp_dir, Path::to_path_buf);
        let dir = base.join(format!(".mmfree-synth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_unknown_ones_are_named() {
        assert_eq!(parse_target("xcup").unwrap(), SynthTarget::Xcup);
        assert_eq!(parse_target("ice40").unwrap(), SynthTarget::Ice40);
        let e = parse_target("ecp5").unwrap_err().to_string();
        assert_eq!(e, "unknown synthesis target 'ecp5' (known: xcup, ice40)");
    }

    #[test]
    fn ports_are_read_from_a_non_ansi_header() {
        let v = "module m(clock,a,b);\n    \n    // Module arguments\n    input wire  clock;\n    input wire  [15:0] a;\n    output reg  [16:0] b;\n\n    reg x;\nendmodule\n";
        let ports = module_ports(v, "m").unwrap();
        let got: Vec<(&str, bool, usize)> = ports
            .iter()
            .map(|p| (p.name.as_str(), p.input, p.width))
            .collect();
        assert_eq!(got, [("clock", true, 1), ("a", true, 16), ("b", false, 17)]);
        assert!(module_ports(v, "other").is_err());
    }

    #[test]
    fn the_wrapper_covers_every_port_bit() {
        let ports = [
            Port {
                name: "clock".into(),
                input: true,
                width: 1,
            },
            Port {
                name: "a".into(),
                input: true,
                width: 3,
            },
            Port {
                name: "go".into(),
                input: true,
                width: 1,
            },
            Port {
                name: "y".into(),
                input: false,
                width: 5,
            },
        ];
        let second = Inner {
            module: "n".into(),
            instance: "second".into(),
            idle: Vec::new(),
            ports: vec![
                ports[0].clone(),
                Port {
                    name: "b".into(),
                    input: true,
                    width: 2,
                },
                Port {
                    name: "z".into(),
                    input: false,
                    width: 1,
                },
            ],
        };
        let first = Inner {
            module: "m".into(),
            instance: "first".into(),
            ports: ports.to_vec(),
            idle: Vec::new(),
        };
        let v = serial_top("t", &[first, second]);
        for expected in [
            "// t: m and n behind",
            "reg [5:0] scan_in = 6'd0;",
            "reg [5:0] scan_out = 6'd0;",
            "m first(\n        .clock(clk)",
            ".a(scan_in[2:0])",
            ".go(scan_in[3:3])",
            ".y(results[4:0])",
            "n second(\n        .clock(clk)",
            ".b(scan_in[5:4])",
            ".z(results[5:5])",
            "scan_in <= {scan_in[4:0], sin};",
            "assign sout = scan_out[5];",
        ] {
            assert!(v.contains(expected), "{expected} in\n{v}");
        }
    }

    #[test]
    fn idle_bits_are_tied_off_and_left_unread() {
        let port = |name: &str, input, width| Port {
            name: name.into(),
            input,
            width,
        };
        let idle = |port: &'static str, lo, width| IdleBits { port, lo, width };
        let inner = Inner {
            module: "m".into(),
            instance: "k".into(),
            ports: vec![
                port("clock", true, 1),
                port("a", true, 8),
                port("y", false, 6),
            ],
            idle: vec![idle("a", 0, 2), idle("a", 5, 1), idle("y", 2, 4)],
        };
        let v = serial_top("t", &[inner]);
        for expected in [
            "reg [4:0] scan_in = 5'd0;",
            "reg [1:0] scan_out = 2'd0;",
            ".a({scan_in[4:3], 1'd0, scan_in[2:0], 2'd0})",
            "wire [5:0] k_y;",
            ".y(k_y)",
            "assign results[1:0] = k_y[1:0];",
        ] {
            assert!(v.contains(expected), "{expected} in\n{v}");
        }
        assert_eq!(
            live_runs(&port("a", true, 8), &[idle("a", 5, 1), idle("a", 0, 2)]),
            [(2, 3), (6, 2)]
        );
    }

    #[test]
    fn dates_are_civil_utc() {
        let at = |s: u64| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s);
        assert_eq!(utc_date(at(0)), "1970-01-01");
        assert_eq!(utc_date(at(951_782_400)), "2000-02-29");
        assert_eq!(utc_date(at(1_709_251_199)), "2024-02-29");
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
