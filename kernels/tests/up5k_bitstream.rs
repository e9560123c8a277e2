//! The committed iCE40 UP5K bitstream (`bitstreams/up5k/`) belongs to the current design, the
//! `up5k` engine and its neuron lane behind the serial wrapper: the Verilog regenerated from the
//! `up5k` configuration hashes to the manifest's `verilog_sha256` and equals the committed file,
//! the committed bitstream hashes to `bitstream_sha256`, the manifest's resources fit the part and
//! its fmax meets the configuration's 12 MHz clock, and the wrapped designs (with and without the
//! lane) lint clean. A change to the engine, the lane or the wrapper without a new bitstream
//! (`mmfree synth --target ice40 --config up5k` from the workspace root) fails here.

use std::path::PathBuf;

use anyhow::{Context, Result, ensure};
use mmfree_kernels::synth::{ICE40_TOP, ice40_verilog, ice40_verilog_with_neuron, sha256_hex};
use mmfree_spec::hw::HwConfig;

fn bitstream_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bitstreams/up5k")
}

fn manifest() -> Result<serde_json::Value> {
    let path = bitstream_dir().join("manifest.json");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    Ok(serde_json::from_str(&text)?)
}

#[test]
fn committed_bitstream_matches_the_regenerated_verilog() -> Result<()> {
    let manifest = manifest()?;
    let verilog = ice40_verilog_with_neuron(&HwConfig::preset("up5k")?)?;
    ensure!(
        manifest["verilog_sha256"] == sha256_hex(verilog.as_bytes()).as_str(),
        "the up5k design changed since the committed bitstream was built: run \
         `mmfree synth --target ice40 --config up5k` from the workspace root and commit bitstreams/up5k"
    );
    let committed = std::fs::read_to_string(bitstream_dir().join(format!("{ICE40_TOP}.v")))?;
    ensure!(committed == verilog, "the committed Verilog differs");
    let bin = std::fs::read(bitstream_dir().join(format!("{ICE40_TOP}.bin")))?;
    assert_eq!(manifest["bitstream_sha256"], sha256_hex(&bin).as_str());
    assert_eq!(manifest["bitstream_bytes"], bin.len());
    // The UP5K's configuration image size (toolchain.md section 4: 104,090 bytes).
    assert_eq!(bin.len(), 104_090);
    assert_eq!(manifest["config"], "up5k");
    assert_eq!(
        manifest["parameters"],
        serde_json::to_value(HwConfig::preset("up5k")?)?
    );
    // The 12 MHz of the preset (HFOSC 48 MHz / 4) is the clock nextpnr was given.
    assert_eq!(manifest["target_mhz"], 12.0);
    // The design fits the UP5K's 8 SB_MAC16 and 5,280 logic cells; the lane's rounded products
    // (`x * in_gain`, `v * (beta_v | f)`) are its 6 SB_MAC16.
    let resources = &manifest["resources"];
    let dsps = resources["dsps"].as_u64().context("dsps")?;
    ensure!(dsps == 6, "{dsps} SB_MAC16, the up5k lane maps to 6");
    let cells = resources["logic_cells"].as_u64().context("logic_cells")?;
    ensure!(cells <= 5_280, "{cells} logic cells");
    let fmax = manifest["fmax_mhz"].as_f64().context("fmax_mhz")?;
    ensure!(
        fmax >= manifest["target_mhz"].as_f64().context("target_mhz")?,
        "the committed bitstream misses its clock target: {fmax} MHz"
    );
    Ok(())
}

#[test]
fn the_wrapped_up5k_engine_lints_clean() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(format!("{ICE40_TOP}.v"));
    std::fs::write(&path, ice40_verilog(&HwConfig::preset("up5k")?)?)?;
    mmfree_hdl::lint_top(&path, ICE40_TOP)?;
    mmfree_hdl::synth_check(&path, ICE40_TOP)?;
    Ok(())
}

#[test]
fn the_up5k_engine_with_its_neuron_lane_lints_clean() -> Result<()> {
    let hw = HwConfig::preset("up5k")?;
    let verilog = ice40_verilog_with_neuron(&hw)?;
    let unit = mmfree_kernels::neuron_unit::module_name(&hw);
    ensure!(unit == "neuron_unit_1x64_base", "{unit}");
    ensure!(
        verilog.contains(&format!("    {unit} neuron(\n")),
        "no neuron unit instance"
    );
    ensure!(verilog.contains(" engine(\n"), "no engine instance");
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(format!("{ICE40_TOP}.v"));
    std::fs::write(&path, verilog)?;
    mmfree_hdl::lint_top(&path, ICE40_TOP)?;
    mmfree_hdl::synth_check(&path, ICE40_TOP)?;
    Ok(())
}
