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
}

/// Result alias of the spec crate.
pub type Result<T> = std::result::Result<T, Error>;
