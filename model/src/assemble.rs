//! Builds a [`Model`] part by part in checkpoint order (mmfree-model.md section 3.1). The part
//! constructors differ between loaders (conversion from latent weights, reading a packed file);
//! the walk over the model's structure and its names is written once, here.

use mmfree_spec::shape::ModelShape;

use crate::Progress;
use crate::error::{Error, Result};
use crate::model::{BitLinear, Embedding, Layer, LowerBound, Model, Norm};
use crate::names::{self, LAYER_PARTS, Part};

/// Constructs the parts of a model from base names ([`crate::names`]) and expected dimensions.
pub(crate) trait Parts {
    /// The BitLinear `base` of `[rows, cols]` with its internal norm of length `cols`.
    fn linear(&mut self, base: &str, rows: usize, cols: usize) -> Result<BitLinear>;
    /// The plain norm `base` of length `len`.
    fn norm(&mut self, base: &str, len: usize) -> Result<Norm>;
    /// The lower bound of `layer`, of length `len`.
    fn lower_bound(&mut self, layer: usize, len: usize) -> Result<LowerBound>;
    /// The `[vocab, hidden]` embedding.
    fn embedding(&mut self, vocab: usize, hidden: usize) -> Result<Embedding>;
}

fn layer(shape: &ModelShape, l: usize, parts: &mut dyn Parts) -> Result<Layer> {
    let (mut linears, mut norms) = (Vec::with_capacity(6), Vec::with_capacity(3));
    for (part, what) in LAYER_PARTS {
        let base = names::layer_part(l, part);
        match what {
            Part::Linear => {
                let (rows, cols) = names::linear_dims(shape, part);
                linears.push(parts.linear(&base, rows, cols)?);
            }
            Part::Norm => norms.push(parts.norm(&base, shape.hidden)?),
        }
    }
    let lower_bound = parts.lower_bound(l, shape.hidden)?;
    let miscount = |what: &str| Error::Inconsistent {
        tensor: names::layer_part(l, "*"),
        why: format!("wrong number of {what}"),
    };
    let linears = linears.try_into().map_err(|_| miscount("BitLinears"))?;
    let norms = norms.try_into().map_err(|_| miscount("norms"))?;
    Ok(Layer::from_parts(linears, norms, lower_bound))
}

/// Builds the whole model, reporting one progress step for the embedding, one per layer and one
/// for the head.
pub(crate) fn assemble(
    shape: ModelShape,
    parts: &mut dyn Parts,
    progress: &mut Progress<'_>,
) -> Result<Model> {
    shape.validate()?;
    let total = shape.layers + 2;
    let embedding = parts.embedding(shape.vocab, shape.hidden)?;
    progress(names::EMBEDDING_BASE, 1, total);
    let mut layers = Vec::with_capacity(shape.layers);
    for l in 0..shape.layers {
        layers.push(layer(&shape, l, parts)?);
        progress(&format!("model.layers.{l}"), l + 2, total);
    }
    let final_norm = parts.norm(names::FINAL_NORM, shape.hidden)?;
    let lm_head = parts.linear(names::LM_HEAD, shape.vocab, shape.hidden)?;
    progress(names::LM_HEAD, total, total);
    Ok(Model {
        shape,
        embedding,
        layers,
        final_norm,
        lm_head,
    })
}
