//! The reference crate's error type.

/// Why a model could not run on the given input.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A token id is not below the vocabulary size.
    #[error("token id {token} is out of range (vocabulary size {vocab})")]
    TokenOutOfRange { token: u32, vocab: usize },
    /// A ternary product was refused (a corrupt weight code, a shape that does not fit).
    #[error("ternary product: {0}")]
    Gemv(#[from] mmfree_gemv::Error),
}

/// Result alias of the reference crate.
pub type Result<T> = std::result::Result<T, Error>;
