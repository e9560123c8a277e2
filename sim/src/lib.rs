//! Verilator harness for mmfree's emitted Verilog (DESIGN.md section 3, rung 2; toolchain.md
//! section 3; the model is arXiv 2406.02528).
//!
//! [`Verilated::build`] takes Verilog text and a top module name, reads the port list, generates a
//! small `extern "C"` C++ shim, runs `verilator --cc`, compiles and links the result into a shared
//! library at run time (cached by content hash) and loads it. The model is then driven port by port
//! ([`Verilated::set`], [`Verilated::tick`], [`Verilated::get`]) or a batch of cycles at a time
//! ([`Batch`], [`Verilated::run`]). It builds at run time so that a hardware configuration chosen on
//! the command line can be simulated without recompiling the caller. [`neuron`] drives the
//! neuron unit of `mmfree-kernels` and runs `mmfree neuron` vector files through it.

#![warn(missing_docs)]

pub mod axi;
pub mod batch;
mod builder;
pub mod card;
pub mod error;
pub mod model;
pub mod neuron;
pub mod ports;
mod shim;

pub use batch::Batch;
pub use builder::BuildInfo;
pub use error::{Error, Result};
pub use model::{Options, Port, Verilated};
pub use ports::{Direction, PortInfo, parse_ports};
pub use shim::words_for;
