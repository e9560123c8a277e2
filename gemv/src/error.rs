//! The GEMV crate's error type: every variant names the argument, shape or byte at fault.

/// Why a matrix-vector product or a bandwidth measurement was refused.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// A buffer does not have the length the shape asks for.
    #[error("{what}: expected {expected} elements, got {got}")]
    Length {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    /// The row stride cannot hold a row of `cols` weights in the given format.
    #[error("row_bytes {row_bytes} cannot hold {cols} {format} weights (needs at least {needed})")]
    RowStride {
        format: &'static str,
        cols: usize,
        row_bytes: usize,
        needed: usize,
    },
    /// `rows * row_bytes` does not fit in memory addresses.
    #[error("matrix of {rows} rows x {row_bytes} bytes overflows usize")]
    TooLarge { rows: usize, row_bytes: usize },
    /// Rows this long could overflow the exact `i32` sums.
    #[error("{cols} columns exceed the {max} that exact i32 sums allow")]
    TooManyColumns { cols: usize, max: usize },
    /// A packed weight byte holds a code that is not a trit.
    #[error("row {row}: byte {byte:#04x} at offset {offset} holds an invalid {format} code")]
    BadCode {
        format: &'static str,
        row: usize,
        offset: usize,
        byte: u8,
    },
    /// The requested kernel needs CPU features this machine lacks.
    #[error("GEMV kernel '{kernel}' is not supported by this CPU")]
    KernelUnavailable { kernel: &'static str },
    /// A measurement parameter is out of range.
    #[error("{name} = {value}: {why}")]
    BadArgument {
        name: &'static str,
        value: usize,
        why: &'static str,
    },
}

/// Result alias of the GEMV crate.
pub type Result<T> = std::result::Result<T, Error>;
