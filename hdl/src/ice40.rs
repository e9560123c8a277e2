//! The iCE40 UP5K back end (toolchain.md section 4, "iCE40 UP5K"): pin constraints, place and
//! route with `nextpnr-ice40 --up5k --package sg48` (fmax from its JSON report), packing the
//! placed design into a bitstream with `icepack`, and the versions of the tools for a manifest.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

/// The UP5K package every flow here targets (48-pin QFN, 39 user I/Os).
pub const PACKAGE: &str = "sg48";

/// One top-level port placed on a package pin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pin {
    /// Port name of the top module.
    pub port: String,
    /// Package pin number (`sg48`).
    pub site: u32,
}

/// The pin constraint file (PCF) that places `pins`.
pub fn pcf(pins: &[Pin]) -> String {
    pins.iter()
        .map(|p| format!("set_io {} {}\n", p.port, p.site))
        .collect()
}

/// What place and route reports.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceRoute {
    /// Highest clock frequency nextpnr's timing analysis allows after routing, in MHz (the lowest
    /// over the design's clocks).
    pub fmax_mhz: f64,
    /// Logic cells used (`ICESTORM_LC`).
    pub logic_cells: u64,
    /// Logic cells the device has.
    pub logic_cells_available: u64,
    /// The timing and utilization lines of nextpnr's log: the report a reader checks.
    pub summary: String,
}

/// Places and routes the yosys JSON `netlist` on an UP5K with the pins of `pcf_file`, aiming at
/// `freq_mhz`, and writes the placed design to `asc`. A fixed `seed` makes the result repeatable.
pub fn place_and_route(
    netlist: &Path,
    pcf_file: &Path,
    asc: &Path,
    freq_mhz: f64,
    seed: u64,
) -> Result<PlaceRoute> {
    let report = asc.with_extension("report.json");
    let out = Command::new("nextpnr-ice40")
        .args(["--up5k", "--package", PACKAGE, "--json"])
        .arg(netlist)
        .arg("--pcf")
        .arg(pcf_file)
        .arg("--asc")
        .arg(asc)
        .arg("--report")
        .arg(&report)
        .args([
            "--freq",
            &format!("{freq_mhz}"),
            "--seed",
            &seed.to_string(),
        ])
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: "nextpnr-ice40",
            source,
        })?;
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(Error::Tool {
            tool: "nextpnr-ice40",
            first: first_error(&log),
        });
    }
    let text = std::fs::read_to_string(&report).map_err(|source| Error::Io {
        path: report.clone(),
        source,
    })?;
    let _ = std::fs::remove_file(&report);
    let parsed = parse_report(&text).ok_or_else(|| Error::Tool {
        tool: "nextpnr-ice40",
        first: format!("no fmax or ICESTORM_LC in its report {}", report.display()),
    })?;
    Ok(PlaceRoute {
        summary: summary(&log),
        ..parsed
    })
}

/// Packs a placed design into a bitstream (`icepack ASC BIN`).
pub fn pack(asc: &Path, bin: &Path) -> Result<()> {
    let out = Command::new("icepack")
        .arg(asc)
        .arg(bin)
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: "icepack",
            source,
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Tool {
            tool: "icepack",
            first: first_error(&String::from_utf8_lossy(&out.stderr)),
        })
    }
}

/// The version line of yosys, nextpnr-ice40 or icepack, for a bitstream's manifest. icepack
/// prints none, so its version is the installed package's (`fpga-icestorm`) where the system
/// knows it.
pub fn tool_version(tool: &'static str) -> Result<String> {
    let run = |program: &str, args: &[&str]| -> Result<String> {
        let out = Command::new(program)
            .args(args)
            .output()
            .map_err(|source| Error::ToolMissing { tool, source })?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(text.lines().next().unwrap_or("").trim().to_string())
    };
    match tool {
        "icepack" => {
            // The tool must exist even when the package database does not know it.
            Command::new("icepack")
                .arg("-h")
                .output()
                .map_err(|source| Error::ToolMissing { tool, source })?;
            let package =
                run("dpkg-query", &["-W", "-f", "${Version}", "fpga-icestorm"]).unwrap_or_default();
            Ok(if package.is_empty() || package.contains("no packages") {
                "icepack (fpga-icestorm, version not reported)".into()
            } else {
                format!("icepack (fpga-icestorm {package})")
            })
        }
        "yosys" => run("yosys", &["-V"]),
        _ => run(tool, &["--version"]),
    }
}

/// The fmax (lowest over clocks) and logic-cell use of nextpnr's `--report` JSON.
fn parse_report(text: &str) -> Option<PlaceRoute> {
    let report: serde_json::Value = serde_json::from_str(text).ok()?;
    let fmax_mhz = report["fmax"]
        .as_object()?
        .values()
        .filter_map(|clock| clock["achieved"].as_f64())
        .reduce(f64::min)?;
    let lc = &report["utilization"]["ICESTORM_LC"];
    Some(PlaceRoute {
        fmax_mhz,
        logic_cells: lc["used"].as_u64()?,
        logic_cells_available: lc["available"].as_u64()?,
        summary: String::new(),
    })
}

/// The utilization table after packing and the final timing lines of nextpnr's log.
fn summary(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let utilization = lines
        .iter()
        .rposition(|l| l.contains("Device utilisation:"))
        .map(|at| {
            lines[at..]
                .iter()
                .take_while(|l| {
                    !l.trim_start_matches("Info:").trim().is_empty() || l == &&lines[at]
                })
                .map(|l| l.trim_start_matches("Info:").trim_end())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    // The last analysis, after "Routing complete", is the routed one.
    let routed = lines
        .iter()
        .rposition(|l| l.contains("Routing complete"))
        .unwrap_or(0);
    let last_timing: Vec<&str> = lines[routed..]
        .iter()
        .filter(|l| l.contains("Max frequency for clock") || l.contains("Max delay"))
        .map(|l| l.trim_start_matches("Info:").trim_end())
        .collect();
    let mut out = utilization.join("\n");
    out.push_str("\n\nAfter routing:\n");
    out.push_str(&last_timing.join("\n"));
    out.push('\n');
    out
}

/// The first error line of a tool's log, or its last line.
fn first_error(log: &str) -> String {
    log.lines()
        .find(|l| l.contains("ERROR") || l.contains("Error"))
        .or_else(|| log.lines().last())
        .unwrap_or("failed without a message")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcf_places_every_port() {
        let pins = [
            Pin {
                port: "clk".into(),
                site: 35,
            },
            Pin {
                port: "sout".into(),
                site: 3,
            },
        ];
        assert_eq!(pcf(&pins), "set_io clk 35\nset_io sout 3\n");
    }

    #[test]
    fn report_gives_the_lowest_fmax_and_the_cells() {
        let text = r#"{"utilization": {"ICESTORM_LC": {"available": 5280, "used": 1234},
            "SB_IO": {"available": 96, "used": 4}},
            "fmax": {"clk$SB_IO_IN_$glb_clk": {"achieved": 31.5, "constraint": 24.0},
                     "other": {"achieved": 48.25, "constraint": 24.0}}}"#;
        let r = parse_report(text).unwrap();
        assert_eq!(r.fmax_mhz, 31.5);
        assert_eq!((r.logic_cells, r.logic_cells_available), (1234, 5280));
        assert!(parse_report("{}").is_none());
    }

    #[test]
    fn summary_keeps_utilization_and_the_routed_timing() {
        let log = "Info: Device utilisation:\nInfo: \t ICESTORM_LC:  100/ 5280  1%\nInfo: \n\
                   Info: Max frequency for clock 'clk': 20.00 MHz (PASS at 12.00 MHz)\n\
                   Info: Routing complete.\n\
                   Info: Max frequency for clock 'clk': 25.00 MHz (PASS at 12.00 MHz)\n";
        let s = summary(log);
        assert!(s.contains("ICESTORM_LC:  100/ 5280"), "{s}");
        assert!(s.contains("25.00 MHz") && !s.contains("20.00 MHz"), "{s}");
    }
}
