//! The kernels crate's error type.

/// Why a kernel could not be generated for a configuration.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration asks for something this kernel does not support.
    #[error("{kernel}: {why}")]
    Unsupported { kernel: &'static str, why: String },
    /// A block's generic widths disagree with the configuration it is built for.
    #[error("{block}: parameter {param} = {value} is invalid: {why}")]
    InvalidParameter {
        block: &'static str,
        param: &'static str,
        value: usize,
        why: String,
    },
    /// A building block refused its parameters.
    #[error(transparent)]
    Hdl(#[from] mmfree_hdl::Error),
}

/// Result alias of the kernels crate.
pub type Result<T> = std::result::Result<T, Error>;
