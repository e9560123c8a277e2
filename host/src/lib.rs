//! The mmfree runtime and command-line tool: loads models, compiles them for the accelerator, runs
//! them on a device (the golden and fixed-point software models, the instruction-set simulator;
//! the Verilated RTL and a real card through XRT), checks every token bit for bit,
//! and measures. One streaming runtime ([`runtime`]) drives every device, greedy or sampled.
//!
//! Commands and their JSON follow `contracts.md`; see the README for usage.

pub mod accel;
pub mod cli;
pub mod commands;
pub mod device;
pub mod estimate;
pub mod figures;
pub mod machine;
pub mod paths;
pub mod power;
pub mod progress;
pub mod report;
pub mod results;
pub mod runtime;
pub mod sampling;
pub mod tokens;
pub mod xrt;
