//! Conversion of a source of latent tensors (a Hugging Face checkpoint or a random generator) into
//! a [`Model`], applying the recipe of [`crate::recipe`] (mmfree-model.md sections 1.4, 2.1, 3.2)
//! tensor by tensor, so that no more than one latent matrix is held as `f32` at a time.

use mmfree_spec::shape::ModelShape;

use crate::Progress;
use crate::assemble::{Parts, assemble};
use crate::dtype::FloatDtype;
use crate::error::{Error, Result};
use crate::model::{BitLinear, Blob, Embedding, LowerBound, Model, Norm};
use crate::names;
use crate::recipe;

/// A checkpoint tensor's raw little-endian bytes and their dtype.
pub(crate) struct RawTensor {
    /// Storage type of the bytes.
    pub dtype: FloatDtype,
    /// The values, owned or borrowed from a mapped file.
    pub bytes: Blob,
}

/// Where latent tensors come from. Shapes are the source's responsibility (validated or correct
/// by construction).
pub(crate) trait Source {
    /// Names the file or generator holding `tensor`, for error messages.
    fn origin(&self, tensor: &str) -> String;
    /// The bytes of `tensor`.
    fn tensor(&mut self, tensor: &str) -> Result<RawTensor>;
}

struct Converter<'s> {
    source: &'s mut dyn Source,
    lower_bounds: Vec<LowerBound>,
}

/// Decodes a fetched tensor to `f32`, refusing NaN and infinities with the first offending
/// element.
fn decode(source: &dyn Source, tensor: &str, raw: &RawTensor) -> Result<Vec<f32>> {
    match raw.dtype.decode_checked(&raw.bytes) {
        (values, None) => Ok(values),
        (values, Some(index)) => Err(Error::NonFinite {
            origin: source.origin(tensor),
            tensor: tensor.into(),
            index,
            value: values[index],
        }),
    }
}

/// Fetches and decodes `tensor`.
fn floats(source: &mut dyn Source, tensor: &str) -> Result<Vec<f32>> {
    let raw = source.tensor(tensor)?;
    decode(source, tensor, &raw)
}

impl Parts for Converter<'_> {
    fn linear(&mut self, base: &str, rows: usize, cols: usize) -> Result<BitLinear> {
        let name = format!("{base}.weight");
        let weight = floats(self.source, &name)?;
        let norm = floats(self.source, &format!("{base}.norm.weight"))?;
        recipe::bit_linear(&name, &weight, rows, cols, norm)
    }

    fn norm(&mut self, base: &str, _len: usize) -> Result<Norm> {
        Ok(Norm::new(floats(self.source, &format!("{base}.weight"))?))
    }

    fn lower_bound(&mut self, layer: usize, _len: usize) -> Result<LowerBound> {
        Ok(self.lower_bounds[layer].clone())
    }

    fn embedding(&mut self, _vocab: usize, _hidden: usize) -> Result<Embedding> {
        let raw = self.source.tensor(names::EMBEDDING)?;
        let values = decode(self.source, names::EMBEDDING, &raw)?;
        Ok(recipe::embedding(raw.dtype, raw.bytes, &values))
    }
}

/// Converts every tensor of `source`. With `use_lower_bound` false the lower bounds are zero and
/// `model.lower_bounds` is not read.
pub(crate) fn convert(
    shape: ModelShape,
    use_lower_bound: bool,
    source: &mut dyn Source,
    progress: &mut Progress<'_>,
) -> Result<Model> {
    shape.validate()?;
    let lower_bounds = if use_lower_bound {
        recipe::lower_bounds(
            &floats(source, names::LOWER_BOUNDS)?,
            shape.layers,
            shape.hidden,
        )
    } else {
        recipe::zero_lower_bounds(shape.layers, shape.hidden)
    };
    assemble(
        shape,
        &mut Converter {
            source,
            lower_bounds,
        },
        progress,
    )
}
