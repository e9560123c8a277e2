//! The in-memory model: what the golden model, the fixed-point model and the compiler read.
//!
//! Every quantity that the fixed-point contract needs is stored twice: as `f32` for the golden
//! model and in its fixed-point format (NUMERICS.md section 2) for the contract. Ternary weights are
//! stored once, packed ([`mmfree_spec::pack::Packing::Pack2`]), with each row padded to
//! [`ROW_ALIGN_WEIGHTS`] weights so that SIMD kernels read whole blocks.

use std::ops::Deref;
use std::sync::Arc;

use mmfree_spec::Scale;
use mmfree_spec::format::Bfp;
use mmfree_spec::shape::ModelShape;

/// Row padding of packed weight matrices, in weights (32 bytes of Pack2).
pub const ROW_ALIGN_WEIGHTS: usize = 128;

/// Bytes of one packed row of `cols` weights, padded to [`ROW_ALIGN_WEIGHTS`].
pub const fn row_bytes(cols: usize) -> usize {
    cols.div_ceil(ROW_ALIGN_WEIGHTS) * ROW_ALIGN_WEIGHTS / 4
}

/// Bytes owned in memory or borrowed from a memory-mapped file (zero-copy loading).
#[derive(Clone, Debug)]
pub enum Blob {
    /// Owned bytes.
    Owned(Arc<Vec<u8>>),
    /// A byte range of a mapped file.
    Mapped(Arc<memmap2::Mmap>, std::ops::Range<usize>),
}

impl Deref for Blob {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Blob::Owned(v) => v,
            Blob::Mapped(m, r) => &m[r.clone()],
        }
    }
}

impl Blob {
    /// Whether the bytes borrow a memory-mapped file (zero-copy loading).
    pub fn is_mapped(&self) -> bool {
        matches!(self, Blob::Mapped(..))
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Blob {
        Blob::Owned(Arc::new(v))
    }
}

/// A packed ternary matrix `[rows, cols]` (PyTorch `[out, in]` layout), Pack2, rows padded.
#[derive(Clone, Debug)]
pub struct Ternary {
    /// Output features.
    pub rows: usize,
    /// Input features.
    pub cols: usize,
    /// `rows * row_bytes(cols)` bytes.
    pub data: Blob,
}

impl Ternary {
    /// Bytes of one padded row.
    pub fn row_bytes(&self) -> usize {
        row_bytes(self.cols)
    }

    /// The packed bytes of row `r`.
    pub fn row(&self, r: usize) -> &[u8] {
        let n = self.row_bytes();
        &self.data[r * n..(r + 1) * n]
    }
}

/// An RMSNorm weight vector, in `f32` and in BFP18.
#[derive(Clone, Debug)]
pub struct Norm {
    /// Golden-model values.
    pub f32: Vec<f32>,
    /// Contract values.
    pub fixed: Bfp,
}

impl Norm {
    /// Builds both representations from `f32` values.
    pub fn new(values: Vec<f32>) -> Norm {
        let fixed = Bfp::from_f32(&values);
        Norm { f32: values, fixed }
    }
}

/// One `FusedBitLinear`: its internal RMSNorm weight, ternary weights and absmean scale.
#[derive(Clone, Debug)]
pub struct BitLinear {
    /// The ternarized weights.
    pub weight: Ternary,
    /// `alpha = max(mean|W|, 1e-5)` of the latent weights (the dequantization scale), `f32`.
    pub alpha: f32,
    /// `alpha` as a [`Scale`] (contract).
    pub alpha_fixed: Scale,
    /// The internal RMSNorm weight, length `cols`.
    pub norm: Norm,
}

/// The per-layer forget-gate lower bound `LB[l]` (mmfree-model.md section 1.4), precomputed.
#[derive(Clone, Debug)]
pub struct LowerBound {
    /// Golden-model values (computed in `f64` from the stored parameter, rounded to `f32`).
    pub f32: Vec<f32>,
    /// GATE (Q0.17) values.
    pub fixed: Vec<u32>,
}

/// One `HGRNBitBlock`.
#[derive(Clone, Debug)]
pub struct Layer {
    /// `attn_norm`, before the token mixer.
    pub attn_norm: Norm,
    /// Input projection (candidate).
    pub i_proj: BitLinear,
    /// Forget-gate projection.
    pub f_proj: BitLinear,
    /// Output-gate projection.
    pub g_proj: BitLinear,
    /// `g_norm`, the RMSNorm of the output gate.
    pub g_norm: Norm,
    /// Output projection.
    pub o_proj: BitLinear,
    /// `mlp_norm`, after the first residual add.
    pub mlp_norm: Norm,
    /// GLU gate and up projections in one matrix of `2I` rows (gate first).
    pub gate_proj: BitLinear,
    /// GLU down projection, `[d, I]`.
    pub down_proj: BitLinear,
    /// Forget-gate lower bound of this layer (all zero and unused in layer 0).
    pub lower_bound: LowerBound,
}

impl Layer {
    /// The six BitLinears, in [`crate::names::LAYER_PARTS`] order (i, f, g, o, gate, down).
    pub fn linears(&self) -> [&BitLinear; 6] {
        [
            &self.i_proj,
            &self.f_proj,
            &self.g_proj,
            &self.o_proj,
            &self.gate_proj,
            &self.down_proj,
        ]
    }

    /// The three plain norms, in [`crate::names::LAYER_PARTS`] order (attn, g, mlp).
    pub fn norms(&self) -> [&Norm; 3] {
        [&self.attn_norm, &self.g_norm, &self.mlp_norm]
    }

    /// Builds a layer from its parts in the order of [`Layer::linears`] and [`Layer::norms`].
    pub fn from_parts(linears: [BitLinear; 6], norms: [Norm; 3], lower_bound: LowerBound) -> Layer {
        let [i_proj, f_proj, g_proj, o_proj, gate_proj, down_proj] = linears;
        let [attn_norm, g_norm, mlp_norm] = norms;
        Layer {
            attn_norm,
            i_proj,
            f_proj,
            g_proj,
            g_norm,
            o_proj,
            mlp_norm,
            gate_proj,
            down_proj,
            lower_bound,
        }
    }
}

/// The full-precision token embedding `[V, d]`.
#[derive(Clone, Debug)]
pub enum Embedding {
    /// bf16 values, little-endian, row-major.
    Bf16(Blob),
    /// f32 values, little-endian, row-major.
    F32(Blob),
}

/// A whole `HGRNBitForCausalLM`, ready for inference.
#[derive(Clone, Debug)]
pub struct Model {
    /// Dimensions.
    pub shape: ModelShape,
    /// Token embedding.
    pub embedding: Embedding,
    /// The blocks, in order.
    pub layers: Vec<Layer>,
    /// `model.norm`, the final RMSNorm.
    pub final_norm: Norm,
    /// The ternary lm_head (with its own RMSNorm).
    pub lm_head: BitLinear,
}

/// A borrowed part of a [`Model`], as listed by [`Model::components`].
#[derive(Clone, Copy, Debug)]
pub enum Component<'a> {
    /// A BitLinear (weights, scale, internal norm).
    Linear(&'a BitLinear),
    /// A plain RMSNorm.
    Norm(&'a Norm),
    /// A layer's precomputed lower bound.
    LowerBound(&'a LowerBound),
    /// The token embedding.
    Embedding(&'a Embedding),
}

impl Model {
    /// Every part of the model with its base name ([`crate::names`]), in checkpoint order: the
    /// embedding, each layer's parts then its lower bound, the final norm, the lm_head. Writers and
    /// comparisons walk this list so that no part can be forgotten.
    pub fn components(&self) -> Vec<(String, Component<'_>)> {
        use crate::names::{self, LAYER_PARTS, Part};
        let mut out = vec![(
            names::EMBEDDING_BASE.to_string(),
            Component::Embedding(&self.embedding),
        )];
        for (l, layer) in self.layers.iter().enumerate() {
            let (mut linears, mut norms) = (layer.linears().into_iter(), layer.norms().into_iter());
            for (part, what) in LAYER_PARTS {
                let c = match what {
                    Part::Linear => linears.next().map(Component::Linear),
                    Part::Norm => norms.next().map(Component::Norm),
                };
                out.extend(c.map(|c| (names::layer_part(l, part), c)));
            }
            out.push((
                names::layer_lower_bound(l),
                Component::LowerBound(&layer.lower_bound),
            ));
        }
        out.push((names::FINAL_NORM.into(), Component::Norm(&self.final_norm)));
        out.push((names::LM_HEAD.into(), Component::Linear(&self.lm_head)));
        out
    }

    /// The embedding row of `token` as `f32` (the caller checks `token < vocab`).
    pub fn embedding_row(&self, token: usize) -> Vec<f32> {
        let d = self.shape.hidden;
        match &self.embedding {
            Embedding::Bf16(b) => b[token * d * 2..(token + 1) * d * 2]
                .chunks_exact(2)
                .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
            Embedding::F32(b) => b[token * d * 4..(token + 1) * d * 4]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        }
    }
}
