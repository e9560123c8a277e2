//! `mmfree neuron --vectors FILE.json --engine ref|rtl [--hw NAME] --json`: spiking-neuron test
//! vectors through the fixed-point reference (`ref`) or the neuron-unit RTL under Verilator
//! (`rtl`, `mmfree_sim::neuron`); both print the same document.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use mmfree_spec::hw::HwConfig;

/// Arguments of `neuron`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The vectors file (format: docs/NEURON.md section 7).
    #[arg(long)]
    pub vectors: PathBuf,
    /// ref (software reference) or rtl (the neuron unit under Verilator).
    #[arg(long, default_value = "ref")]
    pub engine: String,
    /// Hardware configuration whose neuron unit the rtl engine builds.
    #[arg(long, default_value = "tiny")]
    pub hw: String,
    /// Print JSON (the only output format; accepted for the contract).
    #[arg(long)]
    pub json: bool,
}

/// Runs the vectors and prints the results.
pub fn run(a: Args) -> Result<()> {
    let text = std::fs::read_to_string(&a.vectors)
        .with_context(|| format!("{}: cannot read", a.vectors.display()))?;
    let file = a.vectors.display().to_string();
    let out = match a.engine.as_str() {
        "ref" => mmfree_spec::neuron::json::run_json(&text).context(file)?,
        "rtl" => {
            let hw = HwConfig::preset(&a.hw)?;
            mmfree_sim::neuron::run_json(&text, &hw, &Default::default()).context(file)?
        }
        e => bail!("unknown engine '{e}' (known: ref, rtl)"),
    };
    println!("{out}");
    Ok(())
}
