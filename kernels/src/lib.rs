//! The accelerator's kernels in rust-hdl (docs/ACCELERATOR.md section 1), each parameterized by the
//! hardware configuration and verified bit for bit against the spec crate under Verilator.

#![warn(missing_docs)]

pub mod error;
mod ice40_flow;
pub mod neuron_unit;
pub mod synth;
pub mod ternary_engine;
pub mod top;
pub mod vpu;

pub use error::{Error, Result};
