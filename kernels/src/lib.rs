//! The accelerator's kernels in rust-hdl (docs/ACCELERATOR.md section 1), each parameterized by the
//! hardware configuration and verified bit for bit against the spec crate under Verilator.

pub mod error;
pub mod vpu;

pub use error::{Error, Result};
