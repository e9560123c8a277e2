//! `mmfree compile --model PATH --hw NAME [--trace] [--dump] [--json]`: compiles a model for a
//! hardware configuration and reports the image (ISA.md section 5); `--dump` prints the symbol
//! table and the disassembled program.

use anyhow::Result;
use mmfree_compiler::{Options, compile};
use mmfree_spec::hw::HwConfig;
use serde_json::json;

use crate::cli::ModelArgs;
use crate::commands::{load_model, print_json};

/// Arguments of `compile`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Hardware configuration to compile for: tiny, tiny-b2, small, u280, u55c, u250 or up5k.
    #[arg(long, default_value = "tiny")]
    pub hw: String,
    /// Store the residual stream after every layer (for locating mismatches).
    #[arg(long)]
    pub trace: bool,
    /// Print the symbol table and the disassembled program.
    #[arg(long)]
    pub dump: bool,
    /// Print a JSON summary as the last line.
    #[arg(long)]
    pub json: bool,
}

/// Compiles and reports.
pub fn run(a: Args) -> Result<()> {
    let hw = HwConfig::preset(&a.hw)?;
    let model = load_model(&a.model.model, a.json)?;
    let image = compile(&model, &hw, &Options { trace: a.trace })?;
    if a.dump {
        print!("{}", image.dump());
    }
    let weight_bank = image.weights.first().map_or(0, |w| w.len());
    if a.json {
        print_json(&json!({
            "config": image.layout.config_tag, "data_bytes": image.data.len(),
            "weight_banks": image.weights.len(), "weight_bank_bytes": weight_bank,
            "total_bytes": image.total_bytes(), "instructions": image.program.len(),
            "device_bytes": hw.device_bytes,
        }));
    } else if !a.dump {
        println!(
            "{}: data bank {} bytes, {} weight banks of {} bytes, {} bytes in all ({:.1} MiB of {:.1} MiB), {} instructions",
            image.layout.config_tag,
            image.data.len(),
            image.weights.len(),
            weight_bank,
            image.total_bytes(),
            image.total_bytes() as f64 / (1u64 << 20) as f64,
            hw.device_bytes as f64 / (1u64 << 20) as f64,
            image.program.len()
        );
    }
    Ok(())
}
