//! `mmfree synth --target xcup|ice40 --config NAME [--json] [--out DIR] [--kernels]` (contracts.md, "Hardware
//! flows"): parses the flags, runs `mmfree_kernels::synth::run` with progress on stderr, and
//! prints the report.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use mmfree_kernels::synth::{self, SynthReport, XcupDesign};
use mmfree_spec::hw::HwConfig;
use serde_json::json;

/// Arguments of `synth`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// xcup (UltraScale+ resources and depth) or ice40 (UP5K place and route, bitstream, fmax).
    #[arg(long)]
    pub target: String,
    /// Hardware configuration (tiny, tiny-b2, small, u280, u55c, u250, up5k).
    #[arg(long)]
    pub config: String,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Output directory (ice40 default: bitstreams/<config>; xcup: Verilog only when given).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// xcup: synthesize the kernels one by one (ternary engine, neuron unit) instead of the
    /// top-level kernel; the standalone neuron unit is measured this way.
    #[arg(long)]
    pub kernels: bool,
}

/// Synthesizes the configuration and prints the report.
pub fn run(a: Args) -> Result<()> {
    let target = synth::parse_target(&a.target)?;
    let hw = HwConfig::preset(&a.config)?;
    let start = Instant::now();
    let mut progress = |step: &str| {
        eprintln!(
            "synth {}/{}: {step} ({:.0} s)",
            a.target,
            a.config,
            start.elapsed().as_secs_f64()
        );
    };
    let design = if a.kernels {
        XcupDesign::Kernels
    } else {
        XcupDesign::TopLevel
    };
    let report = synth::run(&hw, target, design, a.out.as_deref(), &mut progress)?;
    if a.json {
        super::print_json(&report_json(&report));
    } else {
        print!("{}", report_text(&report));
    }
    Ok(())
}

/// The contract's JSON object.
pub fn report_json(r: &SynthReport) -> serde_json::Value {
    json!({
        "target": r.target,
        "config": r.config,
        "luts": r.luts,
        "ffs": r.ffs,
        "dsps": r.dsps,
        "brams": r.brams,
        "carry": r.carry,
        "logic_levels": r.logic_levels,
        "fmax_mhz": r.fmax_mhz,
        "bitstream": r.bitstream.as_ref().map(|p| p.display().to_string()),
    })
}

/// The human-readable report: totals, then each kernel and how often it is counted.
fn report_text(r: &SynthReport) -> String {
    let mut out = format!(
        "{} {}: LUT {}, FF {}, DSP {}, BRAM {}, carry {}, logic levels {}\n  design: {}\n",
        r.target, r.config, r.luts, r.ffs, r.dsps, r.brams, r.carry, r.logic_levels, r.design
    );
    for p in &r.parts {
        let s = &p.synthesis.resources;
        out += &format!(
            "  {} ({}), counted x{}: LUT {}, FF {}, DSP {}, BRAM {}, carry {}, logic levels {} ({:.0} s of yosys)\n",
            p.kernel,
            p.module,
            p.copies,
            s.occupied_luts(),
            s.ffs,
            s.dsps,
            s.brams,
            s.carry,
            p.synthesis.logic_levels.unwrap_or(0),
            p.synthesis.seconds
        );
        if p.copies > 1 {
            out += &format!(
                "    (one per weight port: synthesized once, counts multiplied by {})\n",
                p.copies
            );
        }
        for m in &p.synthesis.modules {
            let s = &m.resources;
            out += &format!(
                "    block {} x{}: LUT {}, FF {}, DSP {}, BRAM {}, logic levels {} ({:.0} s of yosys)\n",
                m.module,
                m.instances,
                s.occupied_luts(),
                s.ffs,
                s.dsps,
                s.brams,
                m.logic_levels.unwrap_or(0),
                m.seconds
            );
        }
    }
    if let Some(f) = r.fmax_mhz {
        out += &format!("fmax {f:.2} MHz (nextpnr-ice40, after routing)\n");
    }
    if let Some(lc) = r.logic_cells {
        out += &format!("logic cells placed: {lc}\n");
    }
    if let Some(b) = &r.bitstream {
        out += &format!("bitstream: {}\n", b.display());
    }
    out
}
