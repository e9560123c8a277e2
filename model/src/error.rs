//! The model crate's error type: every variant names the file, tensor, shape or value at fault, and
//! prints as one line.

use std::path::PathBuf;

/// Why a checkpoint or packed model could not be read, converted or written.
// Variant fields are named after what they hold (path, tensor, shape, value); the variant docs
// and messages say the rest.
#[allow(missing_docs)]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A spec-level rule was broken (shape, packing).
    #[error(transparent)]
    Spec(#[from] mmfree_spec::Error),
    /// A file's model shape breaks a rule of the spec (zero layers, sizes that do not divide).
    #[error("{}: {source}", .path.display())]
    Shape {
        path: PathBuf,
        source: mmfree_spec::Error,
    },
    /// A path exists but is neither a checkpoint directory nor a regular file (a device, a FIFO).
    #[error("{}: not a model file (a {kind}; expected a checkpoint directory or a packed model file)", .path.display())]
    NotAModel { path: PathBuf, kind: &'static str },
    /// A file or directory that must exist does not.
    #[error("{}: not found ({what})", .path.display())]
    NotFound { path: PathBuf, what: &'static str },
    /// A JSON file (config, shard index) does not parse, or parses to the wrong structure.
    #[error("{}: {}: {source}", .path.display(), json_problem(.source))]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// The checkpoint is not an `HGRNBitForCausalLM`.
    #[error("{}: wrong architecture: {found} (expected HGRNBitForCausalLM / model_type hgrn_bit)", .path.display())]
    WrongArchitecture { path: PathBuf, found: String },
    /// A `config.json` key holds a value this project does not support.
    #[error("{}: {key}: {why}", .path.display())]
    Config {
        path: PathBuf,
        key: &'static str,
        why: String,
    },
    /// A checkpoint directory holds neither `model.safetensors` nor a shard index.
    #[error("{}: no model.safetensors or model.safetensors.index.json", .dir.display())]
    NoWeights { dir: PathBuf },
    /// A safetensors file is malformed (truncated, bad header, inconsistent offsets).
    #[error("{}: not a valid safetensors file: {why}", .path.display())]
    Safetensors { path: PathBuf, why: String },
    /// The shard index names a shard that is not a plain file name or does not exist.
    #[error("{}: shard '{shard}' {why}", .path.display())]
    Shard {
        path: PathBuf,
        shard: String,
        why: &'static str,
    },
    /// An expected tensor is absent.
    #[error("{}: tensor {tensor} is missing", .path.display())]
    MissingTensor { path: PathBuf, tensor: String },
    /// A tensor that the model does not have is present.
    #[error("{}: unexpected tensor {tensor}", .path.display())]
    UnexpectedTensor { path: PathBuf, tensor: String },
    /// A shard holds a tensor that the index does not assign to it.
    #[error("{}: tensor {tensor} is not assigned to this shard by the index", .path.display())]
    Unindexed { path: PathBuf, tensor: String },
    /// A tensor has a dtype this reader does not accept.
    #[error("{}: {tensor}: dtype {dtype}, expected {expected}", .path.display())]
    TensorDtype {
        path: PathBuf,
        tensor: String,
        dtype: String,
        expected: &'static str,
    },
    /// A tensor has the wrong shape.
    #[error("{}: {tensor}: shape {shape:?}, expected {expected:?}", .path.display())]
    TensorShape {
        path: PathBuf,
        tensor: String,
        shape: Vec<usize>,
        expected: Vec<usize>,
    },
    /// A tensor holds NaN or an infinity.
    #[error("{origin}: {tensor}: element {index} is {value}, not a finite number")]
    NonFinite {
        origin: String,
        tensor: String,
        index: usize,
        value: f32,
    },
    /// A packed model file is structurally invalid.
    #[error("{}: not a valid mmfree packed model: {why}", .path.display())]
    Packed { path: PathBuf, why: String },
    /// A packed model file has a format version this build cannot read.
    #[error("{}: packed model format version {version} is not supported (this build reads version {supported})", .path.display())]
    PackedVersion {
        path: PathBuf,
        version: u32,
        supported: u32,
    },
    /// A packed model file's checksum does not match its contents.
    #[error("{}: checksum mismatch (stored {stored:016x}, computed {computed:016x}): the file is corrupt", .path.display())]
    Checksum {
        path: PathBuf,
        stored: u64,
        computed: u64,
    },
    /// A file is shorter than its header says.
    #[error("{}: truncated: {len} bytes, expected {expected}", .path.display())]
    Truncated {
        path: PathBuf,
        len: u64,
        expected: u64,
    },
    /// An in-memory model is inconsistent with its own shape (refused by the writer).
    #[error("{tensor}: {why}")]
    Inconsistent { tensor: String, why: String },
    /// A floating-point dtype name is not one of `bf16`, `f16`, `f32`.
    #[error("unknown dtype '{name}' (known: bf16, f16, f32)")]
    UnknownDtype { name: String },
}

/// "invalid JSON" only for text that is not JSON; valid JSON of the wrong structure says so.
fn json_problem(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Data => "unexpected JSON structure",
        _ => "invalid JSON",
    }
}

impl Error {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result alias of the model crate.
pub type Result<T> = std::result::Result<T, Error>;
