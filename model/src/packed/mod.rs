//! The project's packed model file: ternary weights packed, every contract value stored in its
//! fixed-point format beside its `f32` value, a versioned JSON header, 64-byte aligned data and an
//! xxh3-64 checksum. The byte layout is specified in docs/FORMAT.md.

mod header;
mod read;
mod write;

pub use header::{Header, PackedDtype, ScaleEntry, TensorEntry};
pub use read::{read, read_with_header};
pub use write::write;

/// The first 8 bytes of every packed model file.
pub const MAGIC: [u8; 8] = *b"MMFREEPK";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;
/// Bytes before the JSON header: magic, version (`u32`), header length (`u32`).
pub const PREFIX_BYTES: usize = 16;
/// Bytes of the trailer: the xxh3-64 checksum (`u64`) of everything before it.
pub const TRAILER_BYTES: usize = 8;
/// Alignment of the data region and of each tensor.
pub const DATA_ALIGN: usize = 64;

/// `x` rounded up to a multiple of [`DATA_ALIGN`].
pub const fn align_up(x: usize) -> usize {
    x.div_ceil(DATA_ALIGN) * DATA_ALIGN
}
