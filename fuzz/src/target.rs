//! The fuzz targets: each is a set of files written into a work folder and the library call the
//! CLI makes on them (`mmfree_model::load` for packed files and checkpoints, the tokenizer lookup
//! and round trip of `convert` and `generate`, the `neuron` vector runner). Seeds are written by the
//! same functions as `mmfree random --shape tiny`.

use std::path::Path;

use mmfree_host::tokens::Tokenizer;
use mmfree_model::FloatDtype;
use mmfree_spec::shape::ModelShape;

use crate::error::{Error, Result};
use crate::layout::Layout;

/// What is fuzzed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// The packed model file reader.
    Packed,
    /// A Hugging Face checkpoint: `config.json` and one `model.safetensors`.
    Hf,
    /// A sharded checkpoint: `config.json`, the index JSON and its shards.
    HfSharded,
    /// `tokenizer.json` as `convert` checks it and `generate --prompt` uses it.
    Tokenizer,
    /// The `neuron --vectors` JSON.
    Neuron,
}

/// Every target, in the order `make fuzz` runs them.
pub const ALL: [Target; 5] = [
    Target::Packed,
    Target::Hf,
    Target::HfSharded,
    Target::Tokenizer,
    Target::Neuron,
];

/// One file of an input: its name in the work folder, its layout and its bytes.
#[derive(Clone, Debug)]
pub struct File {
    /// Name inside the work folder.
    pub name: String,
    /// How it is mutated.
    pub layout: Layout,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// The seed of the tokenizer target: a small SentencePiece-style BPE with byte fallback, a
/// normalizer, a template post-processor and a decoder sequence, like the released tokenizer.
const TOKENIZER_SEED: &str = include_str!("../seeds/tokenizer.json");

/// The seed of the neuron target: every case key, presets, overrides, gated and adaptive cases.
const NEURON_SEED: &str = include_str!("../seeds/neuron.json");

/// The prompt the tokenizer target encodes and decodes.
const PROMPT: &str = "And God said, Let there be light: and there was light. \u{e9}\u{4e2d}";

/// The seed shape: the `tiny` preset of `mmfree random`.
const SEED_SHAPE: &str = "tiny";

/// Shard limit of the sharded seed: small enough for three or more shards of `tiny`.
const SHARD_BYTES: u64 = 96 * 1024;

impl Target {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Target::Packed => "packed",
            Target::Hf => "hf",
            Target::HfSharded => "hf-sharded",
            Target::Tokenizer => "tokenizer",
            Target::Neuron => "neuron",
        }
    }

    /// Writes the valid seed input into `dir` (an empty scratch folder) and returns its files.
    pub fn seed(self, dir: &Path) -> Result<Vec<File>> {
        let shape = ModelShape::preset(SEED_SHAPE)?;
        match self {
            Target::Packed => {
                let model =
                    mmfree_model::random::model(shape, 1, FloatDtype::Bf16, &mut |_, _, _| {})?;
                let path = dir.join("model.mmf");
                mmfree_model::packed::write(&model, &path, "fuzz seed: random tiny seed 1")?;
                Ok(vec![read(dir, "model.mmf", Layout::Packed)?])
            }
            Target::Hf | Target::HfSharded => {
                let limit = if self == Target::Hf {
                    u64::MAX
                } else {
                    SHARD_BYTES
                };
                mmfree_model::random::write_hf(
                    shape,
                    1,
                    dir,
                    FloatDtype::Bf16,
                    limit,
                    &mut |_, _, _| {},
                )?;
                let mut names: Vec<String> = std::fs::read_dir(dir)
                    .map_err(|e| Error::io(dir, e))?
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .collect();
                names.sort();
                names
                    .iter()
                    .map(|n| {
                        let layout = if n.ends_with(".json") {
                            Layout::Json
                        } else {
                            Layout::Safetensors
                        };
                        read(dir, n, layout)
                    })
                    .collect()
            }
            Target::Tokenizer => Ok(vec![File {
                name: "tokenizer.json".into(),
                layout: Layout::Json,
                bytes: TOKENIZER_SEED.as_bytes().to_vec(),
            }]),
            Target::Neuron => Ok(vec![File {
                name: "vectors.json".into(),
                layout: Layout::Json,
                bytes: NEURON_SEED.as_bytes().to_vec(),
            }]),
        }
    }

    /// Runs the CLI's parsing on the input written in `dir`: `Ok` when it accepted the input,
    /// else the one-line error it gave (the loop learns from distinct errors).
    pub fn run(self, dir: &Path) -> std::result::Result<(), String> {
        match self {
            Target::Packed => mmfree_model::load(&dir.join("model.mmf"))
                .map(drop)
                .map_err(|e| e.to_string()),
            Target::Hf | Target::HfSharded => {
                mmfree_model::load(dir).map(drop).map_err(|e| e.to_string())
            }
            Target::Tokenizer => {
                let file = dir.join("tokenizer.json");
                let vocab = ModelShape::preset(SEED_SHAPE)
                    .map_err(|e| e.to_string())?
                    .vocab;
                let round_trip = || -> anyhow::Result<()> {
                    let t = Tokenizer::for_model(dir, vocab, Some(&file))?;
                    let ids = t.encode(PROMPT, vocab)?;
                    t.decode(&ids)?;
                    Ok(())
                };
                round_trip().map_err(|e| format!("{e:#}"))
            }
            Target::Neuron => {
                let path = dir.join("vectors.json");
                let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
                mmfree_spec::neuron::json::run_json(&text)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
        }
    }
}

fn read(dir: &Path, name: &str, layout: Layout) -> Result<File> {
    let path = dir.join(name);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    Ok(File {
        name: name.into(),
        layout,
        bytes,
    })
}
