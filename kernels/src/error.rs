//! The kernels crate's error type.

/// Why a kernel could not be generated for a configuration.
// Variant fields are named for what they hold; each variant's message shows how they are used.
#[allow(missing_docs)]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration asks for something this kernel does not support.
    #[error("{kernel}: {why}")]
    Unsupported { kernel: &'static str, why: String },
    /// Elaborating a design failed outside rust-hdl's own checks (thread start, panic).
    #[error("{kernel}: elaboration failed: {why}")]
    Elaboration { kernel: &'static str, why: String },
    /// A kernel parameter is out of the range the kernel supports.
    #[error("{kernel}: {param} = {value} is invalid: {why}")]
    InvalidConfig {
        kernel: &'static str,
        param: &'static str,
        value: usize,
        why: String,
    },
    /// The declared type of a kernel does not match the configuration it is built from.
    #[error(
        "{kernel}: the declared type has {param} = {declared} but the configuration needs {config} \
         (declare the type with the configuration's values)"
    )]
    TypeMismatch {
        kernel: &'static str,
        param: &'static str,
        declared: usize,
        config: usize,
    },
    /// A synthesis target name that `mmfree synth` does not know.
    #[error("unknown synthesis target '{name}' (known: {known})")]
    UnknownTarget { name: String, known: &'static str },
    /// A synthesized design needs more of a resource than the target part has.
    #[error(
        "{config}: does not fit the {part}: {why} (found after synthesis, before place and route)"
    )]
    DoesNotFit {
        config: String,
        part: &'static str,
        why: String,
    },
    /// An output file or directory could not be written or read.
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// A building block refused its parameters.
    #[error(transparent)]
    Hdl(#[from] mmfree_hdl::Error),
    /// The hardware configuration itself is invalid.
    #[error(transparent)]
    Spec(#[from] mmfree_spec::Error),
}

/// Result alias of the kernels crate.
pub type Result<T> = std::result::Result<T, Error>;
