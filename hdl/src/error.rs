//! The hdl crate's error type: every variant names the block, file, tool or value at fault.

use std::path::PathBuf;

/// Why a block could not be built, emitted, linted or synthesized.
// Variant fields are named for what they hold; each variant's message shows how they are used.
#[allow(missing_docs)]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An elaboration parameter of a block is out of range.
    #[error("{block}: parameter {param} = {value} is invalid: {why}")]
    InvalidParameter {
        block: &'static str,
        param: &'static str,
        value: i128,
        why: String,
    },
    /// A table value does not fit the ROM word, or the table does not fit the ROM depth.
    #[error("table ROM: {what} = {value} does not fit ({limit})")]
    TableOverflow {
        what: &'static str,
        value: i128,
        limit: String,
    },
    /// A spec-crate table or packing rule refused a value.
    #[error(transparent)]
    Spec(#[from] mmfree_spec::Error),
    /// rust-hdl's structural checks refused the design (open signal, logic loop, write to input).
    #[error("design '{module}' fails rust-hdl checks: {detail}")]
    Check { module: String, detail: String },
    /// A module name is not a legal Verilog identifier or two emitted modules would collide.
    #[error("module name '{name}': {why}")]
    ModuleName { name: String, why: String },
    /// A file could not be written or read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An external tool (verilator, yosys) could not be started.
    #[error("cannot run '{tool}': {source} (is it installed and on PATH?)")]
    ToolMissing {
        tool: &'static str,
        source: std::io::Error,
    },
    /// Verilator's lint reported warnings or errors.
    #[error("verilator lint of {path} failed: {first}")]
    Lint { path: PathBuf, first: String },
    /// nextpnr or icepack ran but failed (the design does not fit, a pin is wrong, a report is
    /// missing).
    #[error("{tool} failed: {first}")]
    Tool { tool: &'static str, first: String },
    /// yosys refused the design or found a latch, an undriven wire or a multiple driver.
    #[error("yosys check of module '{module}' failed: {first}")]
    Synth { module: String, first: String },
}

/// Result alias of the hdl crate.
pub type Result<T> = std::result::Result<T, Error>;
