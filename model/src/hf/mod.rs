//! Hugging Face `HGRNBitForCausalLM` checkpoints (mmfree-model.md sections 1.7 and 3): reading
//! `config.json` and the safetensors weights (single file or sharded; bf16, f16 or f32) and
//! converting them into a [`Model`]; writing checkpoints in the same layout (for random models).

pub mod checkpoint;
pub mod config;
pub mod write;

use std::path::Path;

use crate::Progress;
use crate::error::Result;
use crate::model::Model;

pub use config::HfConfig;

/// Reads and checks a checkpoint directory (config, every tensor's presence, dtype and shape)
/// and converts it tensor by tensor. The progress callback gets one step per layer.
pub fn convert(dir: &Path, progress: &mut Progress<'_>) -> Result<Model> {
    let config = config::read(dir)?;
    let mut checkpoint = checkpoint::Checkpoint::open(dir)?;
    checkpoint.validate(&config)?;
    crate::convert::convert(
        config.shape,
        config.use_lower_bound,
        &mut checkpoint,
        progress,
    )
}
