//! The spec crate's error type: invalid shapes, configurations and packed data.

/// Why a spec-level request was refused; every variant names the offending value.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// A named preset (model shape or hardware configuration) does not exist.
    #[error("unknown {kind} '{name}' (known: {known})")]
    UnknownPreset {
        kind: &'static str,
        name: String,
        known: String,
    },
    /// A hardware configuration breaks one of its rules.
    #[error("hardware configuration '{name}': {why}")]
    InvalidHwConfig { name: String, why: String },
    /// A model shape breaks one of its rules.
    #[error("model shape: {why}")]
    InvalidShape { why: String },
    /// Packed ternary data holds a code that is not a trit.
    #[error("packed weights: byte {byte} at offset {offset} is not a valid {format} code")]
    BadTritCode {
        format: &'static str,
        offset: usize,
        byte: u8,
    },
    /// A weight value is not in {-1, 0, +1}.
    #[error("weight {value} at index {index} is not a trit")]
    NotATrit { index: usize, value: i8 },
    /// Buffer lengths do not agree with the shape they are meant to hold.
    #[error("{what}: expected {expected} elements, got {got}")]
    Length {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    /// A neuron configuration field is outside the set the reference and the RTL support.
    #[error("neuron config: {key} = {value}: {why}")]
    NeuronConfig {
        key: &'static str,
        value: String,
        why: String,
    },
    /// A neuron state or step input is outside the range its configuration allows.
    #[error("{key} = {value}: {why}")]
    NeuronValue {
        key: &'static str,
        value: i64,
        why: String,
    },
    /// A neuron vector file is malformed; `at` names the case and the key.
    #[error("neuron vectors: {at}: {why}")]
    NeuronVectors { at: String, why: String },
    /// A neuron vector case was refused by a rule of the spec; `at` names the case (and step).
    #[error("neuron vectors: {at}: {source}")]
    NeuronCase { at: String, source: Box<Error> },
    /// An instruction word that is not a valid instruction (docs/ISA.md).
    #[error("bad instruction word {word}: {why}")]
    BadInstruction { word: String, why: String },
    /// A device-memory image or region does not hold what its layout says (header, BFP vector).
    #[error("device memory: {what}: {why}")]
    DeviceMemory { what: String, why: String },
    /// A card access outside an allocated bank.
    #[error("{bank}: access of {len} bytes at offset {offset} is outside the bank ({size} bytes)")]
    OutOfBank {
        bank: String,
        offset: u64,
        len: u64,
        size: u64,
    },
    /// A bank allocation the card cannot satisfy.
    #[error("{bank}: cannot allocate {bytes} bytes: {why}")]
    Alloc {
        bank: String,
        bytes: u64,
        why: String,
    },
    /// A control register offset outside the register map.
    #[error("control register 0x{offset:02x} does not exist (register map ends at 0x{end:02x})")]
    Register { offset: u32, end: u32 },
    /// The kernel did not finish in time.
    #[error("{backend}: kernel did not finish within {ms} ms")]
    Timeout { backend: String, ms: u128 },
    /// The program stopped on a fault; `index` is the instruction's position in the program.
    #[error("instruction {index} ({instr}): {why}")]
    Program {
        index: usize,
        instr: String,
        why: String,
    },
    /// A backend that cannot run here (no card, no driver) or refused a request.
    #[error("{backend}: {why}")]
    Backend { backend: String, why: String },
}

/// Result alias of the spec crate.
pub type Result<T> = std::result::Result<T, Error>;
