//! The two software models of the MatMul-free LM (arXiv 2406.02528) that every device is checked
//! against:
//! - [`golden`]: the integer-faithful f32 model of mmfree-model.md section 7 level A (int8 activation
//!   codes, integer accumulation, f32 scales and f32 element-wise math), which measures how close the
//!   contract is to the trained model;
//! - [`fixed`]: the fixed-point model, integer arithmetic only, that defines what "bit-exact" means for
//!   the ISS, the RTL and a real card (NUMERICS.md).
//!
//! Both run one token at a time through a [`Decoder`] that owns the recurrent state.

pub mod compare;
pub mod error;
pub mod fixed;
pub mod golden;
mod matvec;

pub use error::{Error, Result};
pub use matvec::{on_pool, weight_bytes_per_token};

/// The result of one decoding step: the logits of the next token and the greedy choice.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// One logit per vocabulary entry (dequantized fixed-point values for the fixed model).
    pub logits: Vec<f32>,
    /// Index of the largest logit (first on ties).
    pub argmax: usize,
}

/// A model that consumes tokens one at a time and keeps its recurrent state between them.
pub trait Decoder {
    /// Feeds one token and returns the logits for the next position.
    fn step(&mut self, token: u32) -> Result<Step>;
    /// Clears the recurrent state (a new sequence).
    fn reset(&mut self);
    /// Vocabulary size, for validating token ids.
    fn vocab(&self) -> usize;
}

/// Rejects token ids outside the vocabulary.
pub fn check_token(token: u32, vocab: usize) -> Result<usize> {
    let t = token as usize;
    if t < vocab {
        Ok(t)
    } else {
        Err(Error::TokenOutOfRange { token, vocab })
    }
}
