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
