//! Model I/O for mmfree: the in-memory model ([`Model`]), Hugging Face `HGRNBitForCausalLM`
//! checkpoints ([`hf`]), the packed model file ([`packed`], docs/FORMAT.md), and deterministic
//! random models of the released shapes ([`random`]).
//!
//! Tensor names and shapes follow mmfree-model.md section 3.1; the conversion recipe (ternary
//! weights, absmean scales, lower bounds) follows sections 2.1, 1.4 and 3.2 ([`recipe`]).

#![warn(missing_docs)]

mod assemble;
mod check;
mod compare;
mod convert;
pub mod dtype;
pub mod error;
pub mod hf;
pub mod model;
pub mod names;
pub mod packed;
mod prefetch;
pub mod random;
pub mod recipe;
mod staged;

use std::path::Path;

pub use dtype::FloatDtype;
pub use error::{Error, Result};
pub use model::*;

/// A progress callback: `(what, done, total)`. The library reports through it and prints nothing.
pub type Progress<'a> = dyn FnMut(&str, usize, usize) + 'a;

/// Loads a model from `path`: a directory is converted as a Hugging Face checkpoint, a file is
/// read as a packed model file.
pub fn load(path: &Path) -> Result<Model> {
    load_with_progress(path, &mut |_, _, _| {})
}

/// [`load`] reporting conversion progress (one step per layer; packed files load at once).
pub fn load_with_progress(path: &Path, progress: &mut Progress<'_>) -> Result<Model> {
    if path.is_dir() {
        hf::convert(path, progress)
    } else if path.is_file() {
        packed::read(path)
    } else if let Ok(meta) = std::fs::metadata(path) {
        Err(Error::NotAModel {
            path: path.into(),
            kind: file_kind(&meta.file_type()),
        })
    } else {
        Err(Error::NotFound {
            path: path.into(),
            what: "expected a checkpoint directory or a packed model file",
        })
    }
}

/// What a path that is neither a directory nor a regular file is, for [`Error::NotAModel`].
fn file_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_char_device() {
        "character device"
    } else if t.is_block_device() {
        "block device"
    } else if t.is_fifo() {
        "named pipe"
    } else if t.is_socket() {
        "socket"
    } else {
        "special file"
    }
}
