//! The fuzz library's errors: setting up seeds and the work folder (the fuzzed calls' own errors
//! are expected results, not failures).

use std::path::{Path, PathBuf};

/// Why a fuzz run could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file of the work folder or the findings folder.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing a seed model.
    #[error("seed model: {0}")]
    Model(#[from] mmfree_model::Error),
    /// The seed shape.
    #[error("seed shape: {0}")]
    Spec(#[from] mmfree_spec::Error),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result of the fuzz library.
pub type Result<T> = std::result::Result<T, Error>;
