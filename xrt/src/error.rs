//! The crate's one error type. Every message is one line that names the card, file or argument.

/// What to check when XRT finds no card, appended to [`Error::NoCard`] and [`Error::NoRuntime`].
pub const NO_CARD_HINT: &str = "check that an Alveo card is installed and its XRT driver (xocl) \
     is loaded, that XILINX_XRT names the XRT install (Debian's libxrt1 works unset), and that \
     `xbutil examine` lists the card";

/// Why an XRT request failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// XRT loaded but opened no card at the index.
    #[error("no XRT card found at index {index} ({why}): {NO_CARD_HINT}")]
    NoCard { index: u32, why: String },
    /// The XRT runtime itself cannot start (libraries missing, `XILINX_XRT` unusable).
    #[error("no XRT runtime ({why}): {NO_CARD_HINT}")]
    NoRuntime { why: String },
    /// An XRT call failed; `what` is the shim's message (call name and reason).
    #[error("xrt:{index}: {what}")]
    Call { index: u32, what: String },
    /// An xclbin file that cannot be read or does not hold the `axlf` layout.
    #[error("{path}: {why}")]
    Xclbin { path: String, why: String },
    /// An xclbin whose kernel was built for another configuration than the one requested.
    #[error(
        "{path}: the xclbin's kernel {found} does not match configuration {config}, whose kernel is {expected}"
    )]
    Mismatch {
        path: String,
        config: String,
        found: String,
        expected: String,
    },
    /// A file or directory of the runtime environment could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Result alias of the crate.
pub type Result<T> = std::result::Result<T, Error>;
