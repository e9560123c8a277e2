//! The iCE40 flow of `mmfree synth --target ice40` (toolchain.md section 4, "iCE40 UP5K"): yosys,
//! a fit check against the UP5K before place and route, nextpnr, icepack. Long tool runs report a
//! heartbeat through the progress callback, and the outputs (Verilog, PCF, bitstream, timing
//! summary, manifest) are written into the output directory only once every step has succeeded.

use std::path::Path;
use std::time::{Duration, Instant};

use mmfree_hdl::ice40;
use mmfree_hdl::{Resources, SynthOptions, SynthTarget, UP5K};
use mmfree_spec::hw::HwConfig;

use crate::error::{Error, Result};
use crate::synth::{
    ICE40_PINS, ICE40_TOP, PNR_SEED, PartFigures, SynthReport, ice40_pins,
    ice40_verilog_with_neuron, sha256_hex, utc_date, write_atomic,
};

/// How often a long tool run reports that it is still running.
const HEARTBEAT: Duration = Duration::from_secs(30);

/// Runs `f` (a tool run) on a scoped thread and reports `what: still running (N s)` every
/// [`HEARTBEAT`] until it returns, so that minutes of yosys or nextpnr are never silent.
fn with_heartbeat<T: Send>(
    what: &str,
    progress: &mut dyn FnMut(&str),
    f: impl FnOnce() -> T + Send,
) -> T {
    let start = Instant::now();
    std::thread::scope(|s| {
        let job = s.spawn(f);
        let mut next = HEARTBEAT;
        while !job.is_finished() {
            std::thread::sleep(Duration::from_millis(100));
            if start.elapsed() >= next {
                progress(&format!(
                    "{what}: still running ({:.0} s)",
                    start.elapsed().as_secs_f64()
                ));
                next += HEARTBEAT;
            }
        }
        job.join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Refuses a design that needs more logic cells, `SB_MAC16` or `SB_RAM40_4K` than the UP5K has
/// ([`Resources::fits`]), naming every resource that overflows.
pub fn check_fit(config: &str, r: &Resources) -> Result<()> {
    if r.fits(&UP5K) {
        return Ok(());
    }
    let over: Vec<String> = [
        (r.dsps as f64, UP5K.dsps, "SB_MAC16"),
        (r.luts as f64, UP5K.logic_cells, "SB_LUT4"),
        (r.ffs as f64, UP5K.logic_cells, "flip-flops"),
        (r.brams, UP5K.brams, "SB_RAM40_4K"),
    ]
    .into_iter()
    .filter(|&(used, has, _)| used > has as f64)
    .map(|(used, has, what)| format!("{used} {what} (the part has {has})"))
    .collect();
    Err(Error::DoesNotFit {
        config: config.into(),
        part: UP5K.name,
        why: over.join(", "),
    })
}

/// Builds the UP5K bitstream of `hw` in `scratch` and, on success only, writes the outputs into
/// `out_dir`.
pub fn run(
    hw: &HwConfig,
    out_dir: &Path,
    scratch: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<SynthReport> {
    progress("elaborating the engine, the neuron unit and their serial wrapper");
    let verilog = ice40_verilog_with_neuron(hw)?;
    let pcf = ice40::pcf(&ice40_pins());
    let verilog_path = scratch.join(format!("{ICE40_TOP}.v"));
    write_atomic(&verilog_path, verilog.as_bytes())?;
    let pcf_path = scratch.join(format!("{ICE40_TOP}.pcf"));
    write_atomic(&pcf_path, pcf.as_bytes())?;
    let step = "yosys synth_ice40 -dsp -abc9";
    progress(step);
    let netlist = scratch.join(format!("{ICE40_TOP}.json"));
    let options = SynthOptions {
        logic_levels: true,
        netlist: Some(netlist.clone()),
        ..SynthOptions::default()
    };
    let synthesis = with_heartbeat(step, progress, || {
        mmfree_hdl::synthesize_with(&verilog_path, ICE40_TOP, SynthTarget::Ice40, &options)
    })?;
    check_fit(&hw.name, &synthesis.resources)?;
    let freq_mhz = hw.clock_hz as f64 / 1e6;
    let step = format!(
        "nextpnr-ice40 --up5k --package {} at {freq_mhz} MHz",
        ice40::PACKAGE
    );
    progress(&step);
    let asc = scratch.join(format!("{ICE40_TOP}.asc"));
    let pnr = with_heartbeat(&step, progress, || {
        ice40::place_and_route(&netlist, &pcf_path, &asc, freq_mhz, PNR_SEED)
    })?;
    progress("icepack");
    let bin_scratch = scratch.join(format!("{ICE40_TOP}.bin"));
    ice40::pack(&asc, &bin_scratch)?;
    let bitstream = std::fs::read(&bin_scratch).map_err(|source| Error::Io {
        path: bin_scratch.clone(),
        source,
    })?;
    let bin = out_dir.join(format!("{ICE40_TOP}.bin"));
    let part = PartFigures {
        kernel: "ternary engine and neuron unit (serial wrapper)",
        module: ICE40_TOP.into(),
        copies: 1,
        synthesis,
    };
    let design = format!("{ICE40_TOP}: the ternary engine behind a four-pin serial wrapper");
    let mut report = SynthReport::from_parts(SynthTarget::Ice40, &hw.name, design, vec![part]);
    report.fmax_mhz = Some(pnr.fmax_mhz);
    report.bitstream = Some(bin.clone());
    report.logic_cells = Some(pnr.logic_cells);
    let manifest = manifest(hw, &report, &verilog, &bitstream)?;
    // Every step succeeded: only now does anything reach the output directory.
    let outputs: [(String, &[u8]); 5] = [
        (format!("{ICE40_TOP}.v"), verilog.as_bytes()),
        (format!("{ICE40_TOP}.pcf"), pcf.as_bytes()),
        (format!("{ICE40_TOP}.bin"), &bitstream),
        ("timing.txt".into(), pnr.summary.as_bytes()),
        ("manifest.json".into(), manifest.as_bytes()),
    ];
    for (name, bytes) in outputs {
        write_atomic(&out_dir.join(name), bytes)?;
    }
    Ok(report)
}

/// The manifest of a bitstream: configuration and parameters, tool versions, hashes of the
/// bitstream and of the Verilog it was built from, fmax, resources and the date.
fn manifest(
    hw: &HwConfig,
    report: &SynthReport,
    verilog: &str,
    bitstream: &[u8],
) -> Result<String> {
    let tools = ["yosys", "nextpnr-ice40", "icepack"]
        .into_iter()
        .map(|t| {
            Ok((
                t.to_string(),
                serde_json::Value::from(ice40::tool_version(t)?),
            ))
        })
        .collect::<Result<serde_json::Map<_, _>>>()?;
    let value = serde_json::json!({
        "config": hw.name,
        "parameters": hw,
        "design": format!("{ICE40_TOP}: the configuration's ternary engine and neuron unit behind a four-pin serial wrapper"),
        "top": ICE40_TOP,
        "pins": ICE40_PINS.iter().map(|(p, s)| serde_json::json!({"port": p, "site": s})).collect::<Vec<_>>(),
        "device": format!("iCE40 UP5K, package {}", ice40::PACKAGE),
        "nextpnr_seed": PNR_SEED,
        "tools": tools,
        "verilog_sha256": sha256_hex(verilog.as_bytes()),
        "bitstream_sha256": sha256_hex(bitstream),
        "bitstream_bytes": bitstream.len(),
        "fmax_mhz": report.fmax_mhz,
        "target_mhz": hw.clock_hz as f64 / 1e6,
        "resources": {
            "luts": report.luts,
            "ffs": report.ffs,
            "dsps": report.dsps,
            "brams": report.brams,
            "carry": report.carry,
            "logic_levels": report.logic_levels,
            "logic_cells": report.logic_cells,
        },
        "date": utc_date(std::time::SystemTime::now()),
    });
    serde_json::to_string_pretty(&value)
        .map(|s| s + "\n")
        .map_err(|e| Error::Unsupported {
            kernel: "synth",
            why: format!("manifest: {e}"),
        })
}
