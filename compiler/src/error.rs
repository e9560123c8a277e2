//! The compiler's error type: every refusal names the model dimension, buffer or region at fault.

/// Why a model could not be compiled for a hardware configuration.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A spec-level rule was broken (configuration, shape, packing).
    #[error(transparent)]
    Spec(#[from] mmfree_spec::Error),
    /// A model vector is longer than the configuration's on-chip buffer for it.
    #[error("{what} = {value} exceeds the {buffer} = {limit} of hardware configuration '{config}'")]
    Buffer {
        what: &'static str,
        value: usize,
        buffer: &'static str,
        limit: u32,
        config: String,
    },
    /// The image does not fit the configuration's device memory.
    #[error(
        "the image needs {need} bytes ({need_mib:.1} MiB) but hardware configuration '{config}' has {have} bytes ({have_mib:.1} MiB) of device memory"
    )]
    DeviceMemory {
        need: u64,
        need_mib: f64,
        have: u64,
        have_mib: f64,
        config: String,
    },
    /// A bank is larger than the 32-bit byte offsets of the instruction set can address.
    #[error("{bank} needs {bytes} bytes, beyond the 4 GiB that 32-bit instruction addresses reach")]
    Addressing { bank: String, bytes: u64 },
    /// A symbol the caller asked for is not in the image.
    #[error("the image has no region named '{name}'")]
    NoSymbol { name: String },
}

/// Result alias of the compiler crate.
pub type Result<T> = std::result::Result<T, Error>;
