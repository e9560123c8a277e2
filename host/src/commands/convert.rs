//! `mmfree convert --from hf DIR --out FILE`: a Hugging Face checkpoint into a packed model file.
//! A `tokenizer.json` in the checkpoint is copied beside the output as `FILE`'s stem plus
//! `.tokenizer.json`, where `--prompt` finds it.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::progress::Progress;
use crate::tokens::Tokenizer;

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
    crate::paths::refuse_output_in_input(&a.out, &a.dir)?;
    let mut p = Progress::new("convert", false);
    let model = mmfree_model::hf::convert(&a.dir, &mut p.callback())?;
    let tok = a.dir.join("tokenizer.json");
    let copy_tokenizer = tok.is_file();
    if copy_tokenizer {
        // A tokenizer that cannot load would only fail later, at `generate --prompt`.
        Tokenizer::for_model(&a.dir, model.shape.vocab, None)?;
    }
    mmfree_model::packed::write(&model, &a.out, &a.dir.display().to_string())?;
    if copy_tokenizer {
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
