//! Model I/O for mmfree: the in-memory model ([`Model`]), Hugging Face `HGRNBitForCausalLM`
//! checkpoints, the packed model file, and deterministic random models of the released shapes.
//!
//! Tensor names and shapes follow mmfree-model.md section 3.1; the conversion recipe (ternary
//! weights, absmean scales, lower bounds) follows sections 2.1, 1.4 and 3.2.

pub mod error;
pub mod model;

pub use error::{Error, Result};
pub use model::*;
