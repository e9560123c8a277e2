//! Structural validation of an in-memory [`Model`] against its own shape (mmfree-model.md section
//! 3.1): every matrix, vector and byte buffer has the size its name implies. Writers call it so
//! that they never produce a file their reader would refuse.

use crate::error::{Error, Result};
use crate::model::{BitLinear, Embedding, LowerBound, Model, Norm, row_bytes};
use crate::names::{self, LAYER_PARTS, Part};

fn inconsistent(tensor: &str, why: String) -> Error {
    Error::Inconsistent {
        tensor: tensor.into(),
        why,
    }
}

fn check_norm(name: &str, n: &Norm, len: usize) -> Result<()> {
    if n.f32.len() != len || n.fixed.mant.len() != len {
        return Err(inconsistent(
            name,
            format!(
                "norm of {} / {} values, expected {len}",
                n.f32.len(),
                n.fixed.mant.len()
            ),
        ));
    }
    Ok(())
}

fn check_linear(name: &str, b: &BitLinear, rows: usize, cols: usize) -> Result<()> {
    let w = &b.weight;
    if (w.rows, w.cols) != (rows, cols) {
        return Err(inconsistent(
            name,
            format!("shape [{}, {}], expected [{rows}, {cols}]", w.rows, w.cols),
        ));
    }
    if w.data.len() != rows * row_bytes(cols) {
        return Err(inconsistent(
            name,
            format!(
                "{} packed bytes, expected {}",
                w.data.len(),
                rows * row_bytes(cols)
            ),
        ));
    }
    check_norm(&format!("{name}.norm"), &b.norm, cols)
}

fn check_lower_bound(name: &str, lb: &LowerBound, len: usize) -> Result<()> {
    if lb.f32.len() != len || lb.fixed.len() != len {
        return Err(inconsistent(
            name,
            format!(
                "{} / {} values, expected {len}",
                lb.f32.len(),
                lb.fixed.len()
            ),
        ));
    }
    Ok(())
}

impl Model {
    /// Checks every part's dimensions against [`Model::shape`].
    pub fn check(&self) -> Result<()> {
        let s = &self.shape;
        s.validate()?;
        if self.layers.len() != s.layers {
            return Err(inconsistent(
                "model.layers",
                format!("{} layers, expected {}", self.layers.len(), s.layers),
            ));
        }
        let (bytes, size) = match &self.embedding {
            Embedding::Bf16(b) => (b.len(), 2),
            Embedding::F32(b) => (b.len(), 4),
        };
        if bytes != s.vocab * s.hidden * size {
            return Err(inconsistent(
                names::EMBEDDING,
                format!("{bytes} bytes, expected {}", s.vocab * s.hidden * size),
            ));
        }
        for (l, layer) in self.layers.iter().enumerate() {
            let linear_parts = LAYER_PARTS.iter().filter(|(_, k)| *k == Part::Linear);
            for ((part, _), b) in linear_parts.zip(layer.linears()) {
                let (rows, cols) = names::linear_dims(s, part);
                check_linear(&names::layer_part(l, part), b, rows, cols)?;
            }
            let norm_parts = LAYER_PARTS.iter().filter(|(_, k)| *k == Part::Norm);
            for ((part, _), n) in norm_parts.zip(layer.norms()) {
                check_norm(&names::layer_part(l, part), n, s.hidden)?;
            }
            check_lower_bound(&names::layer_lower_bound(l), &layer.lower_bound, s.hidden)?;
        }
        check_norm(names::FINAL_NORM, &self.final_norm, s.hidden)?;
        check_linear(names::LM_HEAD, &self.lm_head, s.vocab, s.hidden)
    }
}
