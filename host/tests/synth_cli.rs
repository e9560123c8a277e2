//! `mmfree synth` (contracts.md, "Hardware flows"): bad flags and a missing yosys are one-line
//! errors; the tiny configuration's engine synthesizes for UltraScale+ with the figures its
//! structure implies and the contract's JSON keys.

use std::process::Command;

use mmfree_kernels::synth::{self, Part};
use mmfree_spec::hw::HwConfig;

/// Runs `mmfree synth ARGS` with `path` as PATH (None: the inherited one).
fn synth_cmd(args: &[&str], path: Option<&str>) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mmfree"));
    cmd.arg("synth").args(args);
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    let out = cmd.output().expect("mmfree runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The one `error:` line of a failing run (it must also be the last line of stderr).
fn one_error(args: &[&str], path: Option<&str>) -> String {
    let (ok, _, err) = synth_cmd(args, path);
    assert!(!ok, "{args:?} succeeded");
    assert!(!err.contains("panicked"), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!(err.lines().last(), Some(errors[0]), "{err}");
    errors[0].to_string()
}

#[test]
fn unknown_config_and_target_are_named() {
    let e = one_error(&["--target", "xcup", "--config", "huge"], None);
    assert!(
        e.contains("huge") && e.contains(&mmfree_spec::hw::HW_NAMES.join(", ")),
        "{e}"
    );
    let e = one_error(&["--target", "ecp5", "--config", "tiny"], None);
    assert_eq!(
        e,
        "error: unknown synthesis target 'ecp5' (known: xcup, ice40)"
    );
    let e = one_error(&["--config", "tiny"], None);
    assert!(e.contains("--target"), "{e}");
    let e = one_error(
        &["--target", "ice40", "--config", "up5k", "--kernels"],
        None,
    );
    assert!(e.contains("xcup report") && e.contains("ice40"), "{e}");
}

#[test]
fn a_missing_yosys_is_one_line() {
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_str().unwrap();
    let e = one_error(&["--target", "xcup", "--config", "up5k"], Some(path));
    assert!(
        e.contains("cannot run 'yosys'") && e.contains("PATH"),
        "{e}"
    );
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("b");
    let e = one_error(
        &[
            "--target",
            "ice40",
            "--config",
            "up5k",
            "--out",
            dir.to_str().unwrap(),
        ],
        Some(path),
    );
    assert!(e.contains("cannot run 'yosys'"), "{e}");
    assert!(
        !dir.join("up5k_kernels.bin").exists(),
        "no bitstream without tools"
    );
}

/// Bits of the adders of a pipelined tree over `lanes` inputs of `width` bits: level `d`
/// (from 1) has `ceil(lanes / 2^d)` nodes of `width + d` bits, an odd node passing through.
fn tree_adder_bits(lanes: usize, width: usize) -> usize {
    let (mut nodes, mut level, mut bits) = (lanes, 1, 0);
    while nodes > 1 {
        bits += (nodes / 2) * (width + level);
        nodes = nodes.div_ceil(2);
        level += 1;
    }
    bits
}

#[test]
fn tiny_engine_figures_follow_its_structure() {
    let hw = HwConfig::preset("tiny").unwrap();
    let parts = synth::xcup_parts(&hw).unwrap();
    let engine: &Part = &parts[0];
    assert_eq!(engine.kernel, "ternary engine");
    assert_eq!(engine.copies, 1, "tiny has one weight port");
    let scratch = tempfile::tempdir().unwrap();
    let f = synth::synthesize_part(engine, mmfree_hdl::SynthTarget::Xcup, scratch.path()).unwrap();
    let r = &f.synthesis.resources;
    // Add, subtract or skip: no multiplier anywhere.
    assert_eq!(r.dsps, 0, "{r:?}");
    // K = 32 lanes: one tree of 32 8-bit codes (305 adder bits) and one of 32 1-bit negative
    // counts (88 bits); each adder bit is at least one LUT, every registered tree bit a flip-flop.
    let k = 32;
    let trees = tree_adder_bits(k, 8) + tree_adder_bits(k, 1);
    assert_eq!(trees, 305 + 88);
    let luts = r.occupied_luts() as usize;
    assert!(
        (trees..3 * trees).contains(&luts),
        "LUTs {luts} outside [{trees}, {}) : {r:?}",
        3 * trees
    );
    assert!(
        r.ffs as usize >= trees,
        "every tree level is registered: {r:?}"
    );
    let depth = f.synthesis.logic_levels.unwrap();
    assert!((2..=30).contains(&depth), "logic levels {depth}");
}

/// The UP5K flow end to end (about 4 minutes, most of it nextpnr): the contract's keys, a real
/// bitstream, the lane's 6 `SB_MAC16`, an fmax above the configuration's 12 MHz clock.
#[test]
fn ice40_json_report_has_the_contract_keys() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("up5k");
    let (ok, stdout, err) = synth_cmd(
        &[
            "--target",
            "ice40",
            "--config",
            "up5k",
            "--json",
            "--out",
            dir.to_str().unwrap(),
        ],
        None,
    );
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "bitstream",
            "brams",
            "carry",
            "config",
            "dsps",
            "ffs",
            "fmax_mhz",
            "logic_levels",
            "luts",
            "target"
        ]
    );
    assert_eq!(
        (json["target"].as_str(), json["config"].as_str()),
        (Some("ice40"), Some("up5k"))
    );
    assert_eq!(json["dsps"], 6);
    assert!(json["fmax_mhz"].as_f64().unwrap() > 12.0, "{json}");
    let bin = std::path::PathBuf::from(json["bitstream"].as_str().unwrap());
    assert_eq!(std::fs::metadata(&bin).unwrap().len(), 104_090);
    for f in [
        "up5k_kernels.v",
        "up5k_kernels.pcf",
        "timing.txt",
        "manifest.json",
    ] {
        assert!(dir.join(f).exists(), "{f}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// The U280 (XCU280) capacity: 1,303,680 LUTs (1,304K in round figures), 9,024
/// DSP48E2, 2,016 BRAM36.
const U280_CAPACITY: (u64, u64, f64) = (1_303_680, 9_024, 2_016.0);

/// The sum of a run by blocks' modules, each times its instances, field by field.
fn sum_of_modules(s: &mmfree_hdl::Synthesis) -> (u64, u64, u64, f64) {
    s.modules.iter().fold((0, 0, 0, 0.0), |acc, m| {
        let r = &m.resources;
        let n = m.instances;
        (
            acc.0 + n * r.occupied_luts(),
            acc.1 + n * r.ffs,
            acc.2 + n * r.dsps,
            acc.3 + n as f64 * r.brams,
        )
    })
}

/// The `u280` top-level kernel by blocks (soak tier: about 40 minutes of yosys on two cores, the
/// vector unit the longest run): every block counted as often as the configuration instantiates
/// it, the totals their sum, no DSP in an engine, and the whole within the U280.
#[test]
#[ignore]
fn u280_kernel_by_blocks_fits_the_card() {
    let hw = HwConfig::preset("u280").unwrap();
    let part = synth::xcup_top(&hw)
        .unwrap()
        .expect("u280 has a top-level kernel");
    let scratch = tempfile::tempdir().unwrap();
    let f = synth::synthesize_part(&part, mmfree_hdl::SynthTarget::Xcup, scratch.path()).unwrap();
    let s = &f.synthesis;
    let count = |suffix: &str| {
        let m = s
            .modules
            .iter()
            .find(|m| m.module == format!("mmfree_u280_{suffix}"))
            .unwrap_or_else(|| panic!("no block {suffix}: {s:?}"));
        (m.instances, m.resources.dsps)
    };
    assert_eq!(count("engine"), (32, 0));
    assert_eq!(count("weight_read").0, 32);
    assert_eq!(count("vpu").0, 1);
    let r = &s.resources;
    assert_eq!(
        sum_of_modules(s),
        (r.occupied_luts(), r.ffs, r.dsps, r.brams)
    );
    let (luts, dsps, brams) = U280_CAPACITY;
    assert!(
        r.occupied_luts() < luts && r.dsps < dsps && r.brams < brams,
        "{r:?}"
    );
    eprintln!(
        "u280 kernel: LUT {}, FF {}, DSP {}, BRAM36 {}, logic levels {:?}, {:.0} s",
        r.occupied_luts(),
        r.ffs,
        r.dsps,
        r.brams,
        s.logic_levels,
        s.seconds
    );
}

/// The `u280` neuron unit by lanes (soak tier): 64 instances of one merged lane module, every
/// lane with the same DSPs, the totals the lane's times 64 plus the unit's own logic.
#[test]
#[ignore]
fn u280_neuron_unit_by_lanes() {
    let hw = HwConfig::preset("u280").unwrap();
    let parts = synth::xcup_parts(&hw).unwrap();
    let unit = parts.iter().find(|p| p.kernel == "neuron unit").unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let f = synth::synthesize_part(unit, mmfree_hdl::SynthTarget::Xcup, scratch.path()).unwrap();
    let s = &f.synthesis;
    assert_eq!(s.modules.len(), 2, "{s:?}");
    let lane = &s.modules[1];
    assert_eq!(lane.instances, 64);
    assert!(lane.resources.dsps > 0, "{lane:?}");
    let r = &s.resources;
    assert_eq!(
        sum_of_modules(s),
        (r.occupied_luts(), r.ffs, r.dsps, r.brams)
    );
    assert_eq!(
        r.dsps,
        64 * lane.resources.dsps + s.modules[0].resources.dsps
    );
}
