//! The JSON header of the packed model file (docs/FORMAT.md section 3).

use std::collections::BTreeMap;

use mmfree_spec::pack::Packing;
use mmfree_spec::shape::ModelShape;
use serde::{Deserialize, Serialize};

/// Element type of a tensor in the data region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackedDtype {
    /// Bytes: packed ternary rows.
    U8,
    /// bfloat16 (the embedding).
    Bf16,
    /// `f32` values (golden-model vectors, an f32 embedding).
    F32,
    /// `i32` values (BFP18 mantissas).
    I32,
    /// `u32` values (GATE lower bounds).
    U32,
}

impl PackedDtype {
    /// Bytes per element.
    pub const fn size(self) -> usize {
        match self {
            PackedDtype::U8 => 1,
            PackedDtype::Bf16 => 2,
            PackedDtype::F32 | PackedDtype::I32 | PackedDtype::U32 => 4,
        }
    }
}

/// One entry of the tensor directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TensorEntry {
    /// Tensor name (docs/FORMAT.md section 4).
    pub name: String,
    /// Element type.
    pub dtype: PackedDtype,
    /// Shape, row-major.
    pub shape: Vec<usize>,
    /// Byte offset from the start of the data region (a multiple of `data_align`).
    pub offset: u64,
    /// Byte length (`product(shape) * dtype size`).
    pub bytes: u64,
}

/// A BitLinear's absmean scale in both representations.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScaleEntry {
    /// `alpha` as `f32` (golden model); JSON keeps every `f32` exactly.
    pub alpha: f32,
    /// [`mmfree_spec::Scale`] mantissa (17 bits, normalized).
    pub mantissa: u32,
    /// [`mmfree_spec::Scale`] exponent.
    pub exponent: i32,
}

/// Everything about the file except the tensor bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Model dimensions.
    pub shape: ModelShape,
    /// Free text: where the model came from (checkpoint, random seed).
    pub source: String,
    /// Ternary packing of the weight rows.
    pub packing: Packing,
    /// Weights per padded row unit ([`crate::ROW_ALIGN_WEIGHTS`]).
    pub row_align_weights: usize,
    /// Alignment of the data region and of every tensor in it, in bytes.
    pub data_align: usize,
    /// Length of the data region in bytes.
    pub data_bytes: u64,
    /// The tensor directory, in file order.
    pub tensors: Vec<TensorEntry>,
    /// Absmean scales by BitLinear base name.
    pub scales: BTreeMap<String, ScaleEntry>,
    /// BFP18 exponents by norm tensor name.
    pub bfp_exponents: BTreeMap<String, i32>,
}
