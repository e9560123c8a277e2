//! `mmfree neuron --vectors FILE.json --engine ref|rtl --json`: spiking-neuron test vectors through
//! the fixed-point reference (`ref`) or the neuron-kernel RTL under Verilator (`rtl`).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

/// Arguments of `neuron`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The vectors file (contracts.md format).
    #[arg(long)]
    pub vectors: PathBuf,
    /// ref (software reference) or rtl (the neuron unit under Verilator).
    #[arg(long, default_value = "ref")]
    pub engine: String,
    /// Print JSON (the only output format; accepted for the contract).
    #[arg(long)]
    pub json: bool,
}

/// Runs the vectors and prints the results.
pub fn run(a: Args) -> Result<()> {
    let text = std::fs::read_to_string(&a.vectors)
        .with_context(|| format!("{}: cannot read", a.vectors.display()))?;
    let out = match a.engine.as_str() {
        "ref" => mmfree_spec::neuron::json::run_json(&text)
            .with_context(|| a.vectors.display().to_string())?,
        "rtl" => {
            bail!("engine 'rtl' needs the neuron-unit RTL, which is not part of this build yet")
        }
        e => bail!("unknown engine '{e}' (known: ref, rtl)"),
    };
    println!("{out}");
    Ok(())
}
