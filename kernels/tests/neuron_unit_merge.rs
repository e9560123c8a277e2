//! The neuron unit as `mmfree synth --kernels` synthesizes it: rust-hdl writes one module per
//! lane (and per lane's registers), all of the same text; merged, one lane module remains, the
//! unit instantiates it once per lane, and the merged Verilog still passes `verilator --lint-only
//! -Wall`. The run by blocks then maps that lane once and checks yosys counts one instance per lane.

use std::time::Instant;

use mmfree_kernels::synth;
use mmfree_spec::hw::HwConfig;

/// The neuron unit part of `config`, its lane block and lane count, checked for the merge.
fn merged_unit(config: &str) -> anyhow::Result<synth::Part> {
    let hw = HwConfig::preset(config)?;
    let t = Instant::now();
    let parts = synth::xcup_parts(&hw)?;
    let unit = parts
        .into_iter()
        .find(|p| p.kernel == "neuron unit")
        .expect("a neuron unit part");
    let lanes = u64::from(hw.neuron_lanes);
    let lane = format!("{}__lanes__0", unit.module);
    assert_eq!(unit.blocks, [(lane.clone(), lanes)], "{config}");
    let declared: Vec<&str> = unit
        .verilog
        .lines()
        .filter_map(|l| l.strip_prefix("module "))
        .filter_map(|l| l.split('(').next())
        .collect();
    let prefix = format!("{}__lanes__", unit.module);
    let lane_modules: Vec<&&str> = declared.iter().filter(|m| m.starts_with(&prefix)).collect();
    assert!(
        lane_modules
            .iter()
            .all(|m| m.starts_with(&format!("{lane}__")) || **m == lane),
        "{config}: a module of another lane survived: {lane_modules:?}"
    );
    let instances = unit
        .verilog
        .lines()
        .filter(|l| l.trim_start().starts_with(&format!("{lane} ")))
        .count() as u64;
    assert_eq!(instances, lanes, "{config}: one instance per lane");
    eprintln!(
        "{config}: {lanes} lanes merged into {lane}, {} modules, {} bytes, {:.1} s",
        declared.len(),
        unit.verilog.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(unit)
}

#[test]
fn tiny_unit_lanes_merge_into_one_module_that_lints_clean() -> anyhow::Result<()> {
    let unit = merged_unit("tiny")?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(format!("{}.v", unit.module));
    std::fs::write(&path, &unit.verilog)?;
    mmfree_hdl::lint_top(&path, &unit.module)?;
    Ok(())
}

#[test]
fn u280_unit_lanes_merge_into_one_module() -> anyhow::Result<()> {
    merged_unit("u280")?;
    Ok(())
}

#[test]
fn a_one_lane_unit_is_flattened_whole() -> anyhow::Result<()> {
    let hw = HwConfig::preset("up5k")?;
    let parts = synth::xcup_parts(&hw)?;
    assert!(
        parts.iter().all(|p| p.blocks.is_empty()),
        "{:?}",
        parts[1].blocks
    );
    Ok(())
}
