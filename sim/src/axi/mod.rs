//! AXI models for the Verilator harness (DESIGN.md section 4: the kernel's AXI4 masters and its
//! AXI4-Lite control slave): [`Memory`], a cycle-level AXI4 slave with an HBM-like timing model
//! that checks the master's protocol, and [`LiteDriver`], an AXI4-Lite master that programs a
//! control slave.

mod checks;
pub mod config;
pub mod lite;
pub mod memory;
mod pins;
pub mod signals;

pub use config::{MemoryConfig, Rate, Stalls, Timing};
pub use lite::LiteDriver;
pub use memory::{Burst, Memory, Stats};
pub use signals::{MasterSignals, Request, SlaveSignals};
