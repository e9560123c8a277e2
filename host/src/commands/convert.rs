//! `mmfree convert --from hf DIR --out FILE`: a Hugging Face checkpoint into a packed model file.
//! A `tokenizer.json` in the checkpoint is copied beside the output as `FILE`'s stem plus
//! `.tokenizer.json`, where `--prompt` finds it.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::progress::Progress;

/// Arguments of `convert`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Source format (only `hf`).
    #[arg(long, value_parser = ["hf"])]
    pub from: String,
    /// The checkpoint directory (config.json plus model.safetensors or an index and shards).
    pub dir: PathBuf,
    /// The packed model file to write.
    #[arg(long)]
    pub out: PathBuf,
}

/// Converts, writes atomically, copies the tokenizer.
pub fn run(a: Args) -> Result<()> {
    let mut p = Progress::new("convert", false);
    let model = mmfree_model::hf::convert(&a.dir, &mut p.callback())?;
    mmfree_model::packed::write(&model, &a.out, &a.dir.display().to_string())?;
    let tok = a.dir.join("tokenizer.json");
    if tok.is_file() {
        let dest = a.out.with_extension("tokenizer.json");
        let tmp = dest.with_extension("tokenizer.json.tmp");
        std::fs::copy(&tok, &tmp)
            .with_context(|| format!("{}: cannot copy the tokenizer", tmp.display()))?;
        std::fs::rename(&tmp, &dest)
            .with_context(|| format!("{}: cannot move the tokenizer into place", dest.display()))?;
    }
    eprintln!(
        "wrote {} ({} layers, d = {}, vocabulary {})",
        a.out.display(),
        model.shape.layers,
        model.shape.hidden,
        model.shape.vocab
    );
    Ok(())
}
