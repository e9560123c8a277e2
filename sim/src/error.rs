//! The sim crate's error type: each variant is one line naming the tool, file, port or value at fault.

use std::path::PathBuf;

/// Why a design could not be built, loaded or driven.
// Variant fields are named for what they hold; each variant's message shows how they are used.
#[allow(missing_docs)]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An external program (verilator, the C++ compiler) could not be started.
    #[error("cannot run '{tool}': {source} (is it installed and on PATH?)")]
    ToolMissing {
        tool: String,
        source: std::io::Error,
    },
    /// The top module or its port list could not be read from the Verilog text.
    #[error("module '{top}': {why}")]
    Parse { top: String, why: String },
    /// Verilator refused the design.
    #[error("verilator failed on module '{top}': {first}")]
    Verilate { top: String, first: String },
    /// The C++ compiler failed on one file.
    #[error("compiling {file} failed: {first}")]
    Compile { file: PathBuf, first: String },
    /// Linking the shared library failed.
    #[error("linking {file} failed: {first}")]
    Link { file: PathBuf, first: String },
    /// The shared library or one of its symbols could not be loaded.
    #[error("loading {file}: {detail}")]
    Load { file: PathBuf, detail: String },
    /// A file or directory of the build cache could not be written or read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// No port of that name.
    #[error("module '{top}' has no port '{name}' (ports: {known})")]
    UnknownPort {
        top: String,
        name: String,
        known: String,
    },
    /// A value does not fit the port.
    #[error("port '{port}' is {width} bits wide; {value} does not fit")]
    Width {
        port: String,
        width: u32,
        value: String,
    },
    /// An input was read as an output or the other way round.
    #[error("port '{port}' is an {actual}, not an {wanted}")]
    Direction {
        port: String,
        actual: &'static str,
        wanted: &'static str,
    },
    /// `tick` needs a clock input.
    #[error("module '{top}' has no clock input '{clock}' to tick (set Options::clock)")]
    NoClock { top: String, clock: String },
    /// A batch was indexed outside its cycles or slots.
    #[error("batch: {what} {index} is out of range (0..{len})")]
    BatchIndex {
        what: &'static str,
        index: usize,
        len: usize,
    },
    /// A bus model was configured with a value it cannot honour.
    #[error("{bus}: {what} = {value} is invalid: {why}")]
    Config {
        bus: String,
        what: &'static str,
        value: String,
        why: String,
    },
    /// A bus model's ports are missing or do not match its configuration.
    #[error("{bus}: cannot bind to module '{top}': {why}")]
    Bind {
        bus: String,
        top: String,
        why: String,
    },
    /// The design broke a rule of the bus protocol (AXI4 or AXI4-Lite) on this cycle.
    #[error("{bus}: cycle {cycle}: {rule}")]
    Protocol {
        bus: String,
        cycle: u64,
        rule: String,
    },
    /// Test code touched bytes outside a memory model.
    #[error("{bus}: {len} bytes at {addr:#x} are outside the memory [{base:#x}, {end:#x})")]
    Address {
        bus: String,
        addr: u64,
        len: u64,
        base: u64,
        end: u64,
    },
    /// A bus transaction did not complete in time.
    #[error("{bus}: {what} did not complete within {cycles} cycles")]
    Timeout {
        bus: String,
        what: String,
        cycles: u64,
    },
    /// A slave answered a transaction with an error response.
    #[error("{bus}: {what} answered {resp} (not OKAY)")]
    Response {
        bus: String,
        what: String,
        resp: &'static str,
    },
}

/// Result alias of the sim crate.
pub type Result<T> = std::result::Result<T, Error>;
