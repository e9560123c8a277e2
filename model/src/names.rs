//! Tensor names and shapes of an `HGRNBitForCausalLM` checkpoint (mmfree-model.md section 3.1), in
//! PyTorch state-dict order: 15 tensors per layer plus 5 global ones.
//!
//! Components (a BitLinear with its internal norm, a plain norm, a layer's lower bound, the
//! embedding) are named by their *base*: `model.layers.3.attn.i_proj` holds the tensors
//! `model.layers.3.attn.i_proj.weight` and `model.layers.3.attn.i_proj.norm.weight`.

use mmfree_spec::shape::ModelShape;

/// Base name of the token embedding (note "embeddings", not "embed_tokens").
pub const EMBEDDING_BASE: &str = "model.embeddings";
/// The token embedding tensor.
pub const EMBEDDING: &str = "model.embeddings.weight";
/// The `[L, d]` lower-bound parameter (section 1.4).
pub const LOWER_BOUNDS: &str = "model.lower_bounds";
/// Base name of the final RMSNorm.
pub const FINAL_NORM: &str = "model.norm";
/// Base name of the ternary output head.
pub const LM_HEAD: &str = "lm_head";

/// What a layer component is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// A plain RMSNorm weight vector of length `d`.
    Norm,
    /// A `FusedBitLinear`: latent weight matrix plus its internal RMSNorm.
    Linear,
}

/// The components of one `HGRNBitBlock`, by their path inside the layer, in state-dict order.
/// [`crate::Layer::linears`] and [`crate::Layer::norms`] follow this order.
pub const LAYER_PARTS: [(&str, Part); 9] = [
    ("attn_norm", Part::Norm),
    ("attn.i_proj", Part::Linear),
    ("attn.f_proj", Part::Linear),
    ("attn.g_proj", Part::Linear),
    ("attn.g_norm", Part::Norm),
    ("attn.o_proj", Part::Linear),
    ("mlp_norm", Part::Norm),
    ("mlp.gate_proj", Part::Linear),
    ("mlp.down_proj", Part::Linear),
];

/// Base name of a component of layer `layer`.
pub fn layer_part(layer: usize, part: &str) -> String {
    format!("model.layers.{layer}.{part}")
}

/// Base name of the lower bound of layer `layer` (a derived quantity, not a checkpoint tensor).
pub fn layer_lower_bound(layer: usize) -> String {
    format!("model.layers.{layer}.lower_bound")
}

/// `[rows, cols]` of the BitLinear at `part` inside a layer (`[out, in]`, PyTorch layout).
pub fn linear_dims(shape: &ModelShape, part: &str) -> (usize, usize) {
    let (d, i) = (shape.hidden, shape.intermediate);
    match part {
        "mlp.gate_proj" => (2 * i, d),
        "mlp.down_proj" => (d, i),
        _ => (d, d),
    }
}

/// How a checkpoint tensor is used, which decides its conversion and its random distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A latent BitLinear weight matrix (ternarized on conversion).
    Latent,
    /// An RMSNorm weight vector.
    Norm,
    /// The lower-bound parameter.
    LowerBounds,
    /// The full-precision token embedding.
    Embedding,
}

/// One tensor a checkpoint must hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    /// Full tensor name.
    pub name: String,
    /// Exact shape.
    pub shape: Vec<usize>,
    /// Its role.
    pub kind: Kind,
}

impl Expected {
    fn new(name: String, shape: Vec<usize>, kind: Kind) -> Expected {
        Expected { name, shape, kind }
    }

    /// Number of elements.
    pub fn elements(&self) -> usize {
        self.shape.iter().product()
    }
}

/// The weight and internal-norm tensors of the BitLinear `base`.
fn linear_tensors(base: &str, rows: usize, cols: usize) -> [Expected; 2] {
    [
        Expected::new(format!("{base}.weight"), vec![rows, cols], Kind::Latent),
        Expected::new(format!("{base}.norm.weight"), vec![cols], Kind::Norm),
    ]
}

/// The tensors of one layer component.
fn part_tensors(shape: &ModelShape, layer: usize, part: &str, what: Part) -> Vec<Expected> {
    let base = layer_part(layer, part);
    match what {
        Part::Norm => vec![Expected::new(
            format!("{base}.weight"),
            vec![shape.hidden],
            Kind::Norm,
        )],
        Part::Linear => {
            let (rows, cols) = linear_dims(shape, part);
            linear_tensors(&base, rows, cols).into()
        }
    }
}

/// Every tensor of a checkpoint of `shape`, in state-dict order, generated lazily (a reader can
/// stop at the first missing tensor however many layers a hostile config claims). `lower_bounds`
/// decides whether `model.lower_bounds` is included.
pub fn tensors_of(
    shape: &ModelShape,
    lower_bounds: bool,
) -> impl Iterator<Item = Expected> + use<> {
    let s = *shape;
    let (d, v) = (s.hidden, s.vocab);
    let lb = lower_bounds
        .then(|| Expected::new(LOWER_BOUNDS.into(), vec![s.layers, d], Kind::LowerBounds));
    let embedding = Expected::new(EMBEDDING.into(), vec![v, d], Kind::Embedding);
    let layers = (0..s.layers).flat_map(move |l| {
        LAYER_PARTS
            .into_iter()
            .flat_map(move |(part, what)| part_tensors(&s, l, part, what))
    });
    let final_norm = Expected::new(format!("{FINAL_NORM}.weight"), vec![d], Kind::Norm);
    lb.into_iter()
        .chain(std::iter::once(embedding))
        .chain(layers)
        .chain(std::iter::once(final_norm))
        .chain(linear_tensors(LM_HEAD, v, d))
}

/// [`tensors_of`] collected, for shapes the caller trusts (presets, validated checkpoints).
pub fn checkpoint_tensors(shape: &ModelShape, lower_bounds: bool) -> Vec<Expected> {
    tensors_of(shape, lower_bounds).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_counts_match_the_released_checkpoints() {
        // mmfree-model.md 3.1: 365 keys for 24-layer models, 485 for the 2.7B.
        for (name, keys) in [("370m", 365), ("1.3b", 365), ("2.7b", 485)] {
            let s = ModelShape::preset(name).unwrap();
            let t = checkpoint_tensors(&s, true);
            assert_eq!(t.len(), keys, "{name}");
            let params: usize = t.iter().map(Expected::elements).sum();
            assert_eq!(params, s.parameters(), "{name}");
        }
    }

    #[test]
    fn names_and_shapes_are_the_huggingface_ones() {
        let s = ModelShape::preset("370m").unwrap();
        let t = checkpoint_tensors(&s, false);
        assert_eq!(t[0].name, "model.embeddings.weight");
        assert_eq!(t[1].name, "model.layers.0.attn_norm.weight");
        assert_eq!(t[2].name, "model.layers.0.attn.i_proj.weight");
        assert_eq!(t[3].name, "model.layers.0.attn.i_proj.norm.weight");
        let gate = t
            .iter()
            .find(|e| e.name == "model.layers.5.mlp.gate_proj.weight")
            .unwrap();
        assert_eq!(gate.shape, [5632, 1024]);
        let down_norm = t
            .iter()
            .find(|e| e.name == "model.layers.5.mlp.down_proj.norm.weight")
            .unwrap();
        assert_eq!(down_norm.shape, [2816]);
        let last: Vec<&str> = t[t.len() - 3..].iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            last,
            ["model.norm.weight", "lm_head.weight", "lm_head.norm.weight"]
        );
        assert_eq!(t[t.len() - 2].shape, [32000, 1024]);
    }
}
