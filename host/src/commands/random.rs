//! `mmfree random --shape SHAPE --seed N --out FILE`: a deterministic random model, as a Hugging
//! Face checkpoint when `FILE` ends in `/`, else as a packed model file.

use std::path::PathBuf;

use anyhow::Result;
use mmfree_model::FloatDtype;
use mmfree_spec::shape::ModelShape;

use crate::progress::Progress;

/// Arguments of `random`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// tiny, small, 370m, 1.3b or 2.7b.
    #[arg(long)]
    pub shape: String,
    /// Seed of the latent weights.
    #[arg(long)]
    pub seed: u64,
    /// Output: a directory (ending in '/') for the HF layout, otherwise a packed model file.
    #[arg(long)]
    pub out: String,
    /// Precision of the latent weights (bf16 like the released checkpoints, f16 or f32).
    #[arg(long, default_value = "bf16")]
    pub dtype: String,
    /// Largest safetensors shard of the HF layout, in bytes.
    #[arg(long, default_value_t = 4_980_000_000)]
    pub max_shard_bytes: u64,
}

/// Generates and writes.
pub fn run(a: Args) -> Result<()> {
    let shape = ModelShape::preset(&a.shape)?;
    let dtype = FloatDtype::parse(&a.dtype)?;
    let mut p = Progress::new("random", false);
    if a.out.ends_with('/') {
        let dir = PathBuf::from(&a.out);
        mmfree_model::random::write_hf(
            shape,
            a.seed,
            &dir,
            dtype,
            a.max_shard_bytes,
            &mut p.callback(),
        )?;
    } else {
        let model = mmfree_model::random::model(shape, a.seed, dtype, &mut p.callback())?;
        let source = format!(
            "random shape {} seed {} latent {}",
            a.shape,
            a.seed,
            dtype.name()
        );
        mmfree_model::packed::write(&model, std::path::Path::new(&a.out), &source)?;
    }
    eprintln!("wrote {}", a.out);
    Ok(())
}
