//! Generic rust-hdl building blocks shared by the mmfree kernels, and the Verilog emitter that makes
//! their output combinable (DESIGN.md sections 3 and 4; the model is arXiv 2406.02528).
//!
//! Blocks: [`AdderTree`] (pipelined signed reduction), [`table_rom`] (a ROM whose contents come
//! from a spec-crate table), [`StreamFifo`] (valid/ready FIFO), [`SkidBuffer`] (a register slice that
//! breaks the ready path), [`RamFifo`] (a resettable FIFO on block RAM), and the Vitis kernel's AXI
//! infrastructure: [`AxiReadMaster`] and [`AxiWriteMaster`] (AXI4 burst masters built on
//! [`BurstSplitter`]) and [`AxiLiteControl`] (the `ap_ctrl_hs` control slave). [`emit`] writes a
//! design as Verilog with unique module names; [`check`] lints it with Verilator and elaborates it
//! with yosys; [`synth`] reports its resources after yosys synthesis for UltraScale+ or iCE40, and
//! [`ice40`] places, routes and packs an UP5K bitstream.

#![warn(missing_docs)]

pub mod adder_tree;
mod adder_tree_verilog;
pub mod ap_ctrl_regs;
pub mod axi;
pub mod axi_lite_control;
pub mod axi_read_master;
pub mod axi_write_master;
pub mod axil_reg_if;
pub mod burst_sizer;
pub mod burst_splitter;
pub mod check;
pub mod emit;
pub mod error;
pub mod ice40;
pub mod merge;
pub mod ram_fifo;
pub mod skid_buffer;
pub mod stream_fifo;
#[cfg(test)]
mod stream_test;
pub mod synth;
pub mod table_rom;

pub use adder_tree::{AdderTree, adder_tree_latency, adder_tree_out_bits};
pub use ap_ctrl_regs::ControlLayout;
pub use axi_lite_control::AxiLiteControl;
pub use axi_read_master::AxiReadMaster;
pub use axi_write_master::AxiWriteMaster;
pub use burst_splitter::BurstSplitter;
pub use check::{lint, lint_top, synth_check};
pub use emit::{emit, emit_to_dir};
pub use error::{Error, Result};
pub use merge::{Merged, merge_identical_modules};
pub use ram_fifo::RamFifo;
pub use skid_buffer::SkidBuffer;
pub use stream_fifo::StreamFifo;
pub use synth::{
    Device, ModuleFigures, Resources, SynthOptions, SynthTarget, Synthesis, UP5K, script,
    synthesize, synthesize_with,
};
pub use table_rom::{
    TableRom, pack5_decode_rom, recip_seed_rom, rsqrt_seed_rom, sigmoid_coefficient_rom, table_rom,
};
