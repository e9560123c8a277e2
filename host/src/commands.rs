//! One module per subcommand, plus what several of them share.

pub mod bench;
pub mod compare;
pub mod compile;
pub mod convert;
pub mod devices;
pub mod eval;
pub mod generate;
pub mod logits;
pub mod neuron;
pub mod package;
pub mod random;
pub mod synth;

use std::path::Path;

use anyhow::Result;
use mmfree_model::Model;

use crate::progress::Progress;

/// Loads a model (checkpoint directory or packed file) with progress on stderr.
pub fn load_model(path: &Path, quiet: bool) -> Result<Model> {
    let mut p = Progress::new("load", quiet);
    Ok(mmfree_model::load_with_progress(path, &mut p.callback())?)
}

/// Prints one JSON value as the last line of stdout.
pub fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string(value).expect("JSON values serialize")
    );
}
