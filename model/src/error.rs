//! The model crate's error type: every variant names the file, tensor, shape or value at fault.

use std::path::PathBuf;

/// Why a checkpoint or packed model could not be read, converted or written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A spec-level rule was broken (shape, packing).
    #[error(transparent)]
    Spec(#[from] mmfree_spec::Error),
}

/// Result alias of the model crate.
pub type Result<T> = std::result::Result<T, Error>;
