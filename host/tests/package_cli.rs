//! `mmfree package` and `make xclbin` (contracts.md, "Packaging for Vitis"): for the `u280`,
//! `u55c` and `u250` every generated file is checked against what the card and the kernel's
//! register map (ACCELERATOR.md section 4) say it must hold, with `kernel.xml` read by an XML
//! parser; bad input and missing vendor tools are one-line errors that leave nothing behind.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{fails, mmfree};

/// What a card configuration's package must hold, from the card's datasheet and the kernel's
/// structure, written out here rather than taken from the code under test.
struct Expected {
    config: &'static str,
    platform: &'static str,
    /// Weight ports (one AXI master each).
    ports: usize,
    /// Data bits of a weight port.
    port_bits: usize,
    /// Data bits of the data-bank port: one register row of 16 lanes x 32 bits.
    data_bits: usize,
    /// `HBM` or `DDR`.
    bank: &'static str,
    /// Pseudo-channels or banks of the card.
    channels: usize,
    /// Address bits of the control slave.
    ctrl_addr_bits: u32,
}

const CARDS: [Expected; 3] = [
    Expected {
        config: "u280",
        platform: "xilinx_u280_gen3x16_xdma_1_202211_1",
        ports: 32,
        port_bits: 256,
        data_bits: 512,
        bank: "HBM",
        channels: 32,
        ctrl_addr_bits: 9,
    },
    Expected {
        config: "u55c",
        platform: "xilinx_u55c_gen3x16_xdma_3_202210_1",
        ports: 32,
        port_bits: 256,
        data_bits: 512,
        bank: "HBM",
        channels: 32,
        ctrl_addr_bits: 9,
    },
    Expected {
        config: "u250",
        platform: "xilinx_u250_gen3x16_xdma_4_1_202210_1",
        ports: 4,
        port_bits: 512,
        data_bits: 512,
        bank: "DDR",
        channels: 4,
        ctrl_addr_bits: 6,
    },
];

fn kernel_name(e: &Expected) -> String {
    format!("mmfree_{}", e.config)
}

/// Runs `mmfree package` for `e` into `out` and returns its JSON line.
fn package(e: &Expected, out: &Path) -> serde_json::Value {
    let started = std::time::Instant::now();
    let (ok, stdout, stderr) = mmfree(&[
        "package",
        "--config",
        e.config,
        "--platform",
        e.platform,
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(ok, "{}: {stderr}", e.config);
    eprintln!(
        "{}: packaged in {:.1} s",
        e.config,
        started.elapsed().as_secs_f64()
    );
    serde_json::from_str(stdout.lines().last().unwrap()).unwrap()
}

fn hex(s: &str) -> u64 {
    u64::from_str_radix(s.trim_start_matches("0x").trim_start_matches("0X"), 16)
        .unwrap_or_else(|_| panic!("{s} is not hex"))
}

/// Checks `kernel.xml`: the kernel, its ports and every register-map argument.
fn check_kernel_xml(e: &Expected, text: &str) {
    let doc = roxmltree::Document::parse(text).expect("kernel.xml is well-formed XML");
    let kernel = doc
        .descendants()
        .find(|n| n.has_tag_name("kernel"))
        .expect("a <kernel>");
    assert_eq!(kernel.attribute("name"), Some(kernel_name(e).as_str()));
    assert_eq!(kernel.attribute("language"), Some("ip_c"));
    assert_eq!(kernel.attribute("hwControlProtocol"), Some("ap_ctrl_hs"));
    assert_eq!(kernel.attribute("interrupt"), Some("true"));
    let ports: BTreeMap<&str, roxmltree::Node> = kernel
        .descendants()
        .filter(|n| n.has_tag_name("port"))
        .map(|n| (n.attribute("name").unwrap(), n))
        .collect();
    assert_eq!(ports.len(), 2 + e.ports, "{}: ports", e.config);
    let ctrl = ports["s_axi_control"];
    assert_eq!(ctrl.attribute("mode"), Some("slave"));
    assert_eq!(ctrl.attribute("dataWidth"), Some("32"));
    assert_eq!(hex(ctrl.attribute("range").unwrap()), 1 << e.ctrl_addr_bits);
    let mut masters = vec![("m_axi_data".to_string(), e.data_bits)];
    masters.extend((0..e.ports).map(|p| (format!("m_axi_w{p}"), e.port_bits)));
    for (name, bits) in &masters {
        let p = ports
            .get(name.as_str())
            .unwrap_or_else(|| panic!("{}: no port {name}", e.config));
        assert_eq!(p.attribute("mode"), Some("master"), "{name}");
        assert_eq!(p.attribute("dataWidth"), Some(bits.to_string().as_str()));
        assert_eq!(p.attribute("portType"), Some("addressable"));
    }
    let args: Vec<roxmltree::Node> = kernel
        .descendants()
        .filter(|n| n.has_tag_name("arg"))
        .collect();
    // The data bank, every weight bank, then the debug word.
    assert_eq!(args.len(), e.ports + 2, "{}: args", e.config);
    for (i, a) in args.iter().enumerate() {
        let attr = |k: &str| a.attribute(k).unwrap_or_else(|| panic!("arg {i}: no {k}"));
        assert_eq!(attr("id"), i.to_string());
        if i <= e.ports {
            let (name, port) = if i == 0 {
                ("data".to_string(), "m_axi_data".to_string())
            } else {
                (format!("w{}", i - 1), format!("m_axi_w{}", i - 1))
            };
            assert_eq!(attr("name"), name);
            assert_eq!(attr("port"), port);
            assert_eq!(attr("addressQualifier"), "1");
            assert_eq!(hex(attr("offset")), 0x10 + 8 * i as u64, "{name}");
            assert_eq!(hex(attr("size")), 8, "{name}");
        } else {
            assert_eq!(attr("name"), "debug_ctrl");
            assert_eq!(attr("port"), "s_axi_control");
            assert_eq!(attr("addressQualifier"), "0");
            assert_eq!(hex(attr("offset")), 0x10 + 8 * (e.ports as u64 + 1));
            assert_eq!(hex(attr("size")), 4);
        }
        // Every offset lies inside the control slave's address range.
        assert!(hex(attr("offset")) + hex(attr("size")) <= 1 << e.ctrl_addr_bits);
    }
}

/// Checks the link configuration: platform, clock, one compute unit and one `sp=` line per master,
/// each on a bank the card has, weight bank `p` on channel `p`.
fn check_cfg(e: &Expected, text: &str) {
    let kernel = kernel_name(e);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(lines.contains(&format!("platform={}", e.platform).as_str()));
    assert!(lines.contains(&"kernel_frequency=300"));
    let section = lines.iter().position(|l| *l == "[connectivity]").unwrap();
    assert!(lines.contains(&format!("nk={kernel}:1:{kernel}_1").as_str()));
    let mut sp = BTreeMap::new();
    for l in &lines[section + 1..] {
        let Some(rest) = l.strip_prefix("sp=") else {
            continue;
        };
        let (arg, bank) = rest.split_once(':').expect("sp=CU.ARG:BANK");
        let arg = arg
            .strip_prefix(&format!("{kernel}_1."))
            .unwrap_or_else(|| panic!("{l}: not on the compute unit"));
        let index: usize = bank
            .strip_prefix(e.bank)
            .and_then(|b| b.strip_prefix('['))
            .and_then(|b| b.strip_suffix(']'))
            .and_then(|b| b.parse().ok())
            .unwrap_or_else(|| panic!("{l}: not a {} bank", e.bank));
        assert!(index < e.channels, "{l}: the card has {}", e.channels);
        assert!(sp.insert(arg.to_string(), index).is_none(), "{l}: twice");
    }
    assert_eq!(sp.len(), e.ports + 1, "{}: sp lines", e.config);
    assert_eq!(sp["data"], 0);
    for p in 0..e.ports {
        assert_eq!(sp[&format!("w{p}")], p, "w{p}");
    }
}

/// Checks the Vitis shell: the top module carries exactly the kernel's interface with the widths
/// of `kernel.xml`, and the core's debug window stays inside.
fn check_verilog(e: &Expected, text: &str) {
    let kernel = kernel_name(e);
    let head = format!("module {kernel} (");
    let start = text.find(&head).expect("the kernel's top module");
    let ports = &text[start..start + text[start..].find(");").unwrap()];
    assert!(
        !ports.contains("dbg_"),
        "the shell exposes the debug window"
    );
    assert!(text.contains(&format!("module {kernel}_core (")));
    let has = |decl: String| assert!(ports.contains(&decl), "{}: no `{decl}`", e.config);
    has("input  wire ap_clk".into());
    has("input  wire ap_rst_n".into());
    has("output wire interrupt".into());
    has(format!(
        "input  wire [{}:0] s_axi_control_awaddr",
        e.ctrl_addr_bits - 1
    ));
    has(format!(
        "input  wire [{}:0] m_axi_data_rdata",
        e.data_bits - 1
    ));
    has(format!(
        "output wire [{}:0] m_axi_data_wdata",
        e.data_bits - 1
    ));
    for p in 0..e.ports {
        has(format!(
            "input  wire [{}:0] m_axi_w{p}_rdata",
            e.port_bits - 1
        ));
        has(format!("output wire [63:0] m_axi_w{p}_araddr"));
    }
    assert!(!ports.contains(&format!("m_axi_w{}_", e.ports)));
    assert!(!ports.contains("m_axi_w0_wdata"), "weight ports only read");
}

/// Checks the Tcl script names the kernel and the files beside it, and every interface.
fn check_tcl(e: &Expected, text: &str, out: &Path) {
    let kernel = kernel_name(e);
    assert!(text.contains(&format!("set kernel {kernel}\n")));
    assert!(text.contains(&format!("add_files -norecurse $here/{kernel}.v")));
    assert!(out.join(format!("{kernel}.v")).is_file());
    assert!(text.contains("-kernel_xml $here/kernel.xml"));
    assert!(text.contains("package_xo -force -xo_path $here/$kernel.xo -kernel_name $kernel"));
    assert!(text.contains("set_property sdx_kernel_type rtl $core"));
    let mut interfaces = vec!["s_axi_control".to_string(), "m_axi_data".into()];
    interfaces.extend((0..e.ports).map(|p| format!("m_axi_w{p}")));
    for i in interfaces {
        assert!(
            text.contains(&format!(
                "ipx::associate_bus_interfaces -busif {i} -clock ap_clk $core\n"
            )),
            "{i}"
        );
    }
    assert!(text.contains(&format!(
        "set reg [ipx::add_register w{} $block]\nset_property address_offset {:#x} $reg",
        e.ports - 1,
        0x10 + 8 * e.ports
    )));
}

#[test]
fn every_card_configuration_packages_files_that_agree_with_the_card() {
    let t = tempfile::tempdir().unwrap();
    for e in &CARDS {
        let out = t.path().join(e.config);
        let json = package(e, &out);
        let kernel = kernel_name(e);
        let files = [
            format!("{kernel}.v"),
            "kernel.xml".into(),
            "package_xo.tcl".into(),
            format!("{kernel}.cfg"),
        ];
        assert_eq!(json["kernel"], kernel.as_str());
        assert_eq!(json["config"], e.config);
        assert_eq!(json["platform"], e.platform);
        assert_eq!(json["files"], serde_json::json!(files));
        let mut listed: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|f| f.unwrap().file_name().into_string().unwrap())
            .collect();
        listed.sort();
        let mut want = files.to_vec();
        want.sort();
        assert_eq!(listed, want, "{}: files", e.config);
        let read = |n: &str| std::fs::read_to_string(out.join(n)).unwrap();
        check_kernel_xml(e, &read("kernel.xml"));
        check_cfg(e, &read(&files[3]));
        check_verilog(e, &read(&files[0]));
        check_tcl(e, &read("package_xo.tcl"), &out);
        // No temporary directory is left beside the package.
        let stray: Vec<_> = std::fs::read_dir(t.path())
            .unwrap()
            .filter_map(|f| f.ok())
            .filter(|f| f.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");
    }
}

#[test]
fn the_u250_package_lints_clean_under_verilator() {
    let t = tempfile::tempdir().unwrap();
    let e = &CARDS[2];
    package(e, t.path());
    let kernel = kernel_name(e);
    let started = std::time::Instant::now();
    mmfree_hdl::lint_top(&t.path().join(format!("{kernel}.v")), &kernel).unwrap();
    eprintln!(
        "u250 package linted in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn bad_packaging_requests_are_one_line_and_write_nothing() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("pkg");
    let o = out.to_str().unwrap();
    let run = |config: &str, platform: &str| {
        fails(&[
            "package",
            "--config",
            config,
            "--platform",
            platform,
            "--out",
            o,
        ])
    };
    let e = run("u999", "xilinx_u280_gen3x16_xdma_1_202211_1");
    assert!(e.contains("u999") && e.contains("u55c"), "{e}");
    let e = run("tiny", "xilinx_u280_gen3x16_xdma_1_202211_1");
    assert!(e.contains("targets no Alveo card"), "{e}");
    let e = run("u280", "xilinx_u250_gen3x16_xdma_4_1_202210_1");
    assert!(e.contains("not an Alveo U280 platform"), "{e}");
    assert!(!out.exists());
    // An output inside the platform file given as input is refused.
    let xpfm = t.path().join("xilinx_u280_custom.xpfm");
    std::fs::create_dir(&xpfm).unwrap();
    let inside = xpfm.join("pkg");
    let e = fails(&[
        "package",
        "--config",
        "u280",
        "--platform",
        xpfm.to_str().unwrap(),
        "--out",
        inside.to_str().unwrap(),
    ]);
    assert!(e.contains("lies inside the input"), "{e}");
    // A foreign non-empty directory is never replaced.
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let e = run("u250", "xilinx_u250_gen3x16_xdma_4_1_202210_1");
    assert!(e.contains("not an earlier package"), "{e}");
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn make_xclbin_without_vendor_tools_packages_then_names_what_is_missing() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("xclbin");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    // A PATH with the system tools make and sh need but no Vivado or v++.
    let out_run = Command::new("make")
        .current_dir(root)
        .env("PATH", "/usr/bin:/bin")
        // Run as a top-level make even when the tests run under `make test`, so its note of the
        // failed recipe reads `make: ***` and no parent's jobserver flags leak in.
        .env_remove("MAKELEVEL")
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .args([
            "-s",
            "xclbin",
            "CONFIG=u250",
            "PLATFORM=xilinx_u250_gen3x16_xdma_4_1_202210_1",
            &format!("MMFREE={}", env!("CARGO_BIN_EXE_mmfree")),
            &format!("XCLBIN_OUT={}", out.display()),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out_run.stderr);
    assert!(!out_run.status.success(), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains("missing on PATH: vivado v++"),
        "{stderr}"
    );
    // The only other line is make's own note of the failed recipe.
    assert!(
        stderr
            .lines()
            .all(|l| l.starts_with("error:") || l.starts_with("make: ***")),
        "{stderr}"
    );
    // The package itself was written before the tools were looked for.
    assert!(out.join("kernel.xml").is_file());
    assert!(out.join("mmfree_u250.cfg").is_file());
}
