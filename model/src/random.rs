//! Deterministic random models of any shape (contracts.md `mmfree random`), as an in-memory
//! [`Model`] or as a Hugging Face checkpoint directory.
//!
//! Every tensor has its own ChaCha8 stream: the key comes from the seed
//! (`ChaCha8Rng::seed_from_u64(seed)`) and the 64-bit stream id is the xxh3-64 hash of the tensor
//! name, so a tensor's values do not depend on which other tensors exist or in which order they
//! are generated. Latent values are drawn in `f32` from `StandardNormal` (rand_distr) and mapped to
//! `mean + std * z`: BitLinear weights and the embedding N(0, 0.02), norm weights 1 + 0.1 N(0, 1),
//! the lower-bound parameter N(0, 1). They are then rounded to the checkpoint dtype, and the model
//! is converted from those rounded values, so that `hf::convert(write_hf(..))` equals `model(..)`
//! bit for bit.

use std::path::Path;

use mmfree_spec::shape::ModelShape;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use xxhash_rust::xxh3::xxh3_64;

use crate::Progress;
use crate::convert::{RawTensor, Source, convert};
use crate::dtype::FloatDtype;
use crate::error::{Error, Result};
use crate::hf;
use crate::model::Model;
use crate::names::{self, Expected, Kind};
use crate::prefetch::Prefetcher;

/// Standard deviation of latent BitLinear weights and of the embedding (`initializer_range`).
pub const LATENT_STD: f32 = 0.02;
/// Standard deviation of norm weights around 1.
pub const NORM_STD: f32 = 0.1;

/// The random stream of one tensor.
pub fn rng(seed: u64, tensor: &str) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(xxh3_64(tensor.as_bytes()));
    rng
}

/// `(mean, std)` of a tensor's latent distribution.
pub fn distribution(kind: Kind) -> (f32, f32) {
    match kind {
        Kind::Latent | Kind::Embedding => (0.0, LATENT_STD),
        Kind::Norm => (1.0, NORM_STD),
        Kind::LowerBounds => (0.0, 1.0),
    }
}

/// The `f32` latent values of one tensor, before rounding to the checkpoint dtype.
pub fn latent_values(seed: u64, tensor: &Expected) -> Vec<f32> {
    let mut rng = rng(seed, &tensor.name);
    let (mean, std) = distribution(tensor.kind);
    (0..tensor.elements())
        .map(|_| {
            let z: f32 = rng.sample(StandardNormal);
            mean + std * z
        })
        .collect()
}

/// The checkpoint bytes of one tensor in `dtype`.
pub fn tensor_bytes(seed: u64, tensor: &Expected, dtype: FloatDtype) -> Vec<u8> {
    dtype.encode(&latent_values(seed, tensor))
}

/// Serves generated tensors to the converter.
struct RandomSource<'g> {
    seed: u64,
    dtype: FloatDtype,
    prefetch: Prefetcher<'g>,
}

impl Source for RandomSource<'_> {
    fn origin(&self, _tensor: &str) -> String {
        format!("random model (seed {}, {})", self.seed, self.dtype.name())
    }

    fn tensor(&mut self, tensor: &str) -> Result<RawTensor> {
        let i = self
            .prefetch
            .position(tensor)
            .ok_or_else(|| Error::MissingTensor {
                path: self.origin(tensor).into(),
                tensor: tensor.into(),
            })?;
        Ok(RawTensor {
            dtype: self.dtype,
            bytes: self.prefetch.take(i).into(),
        })
    }
}

/// A random model of `shape` whose latent weights are stored as `dtype` (bf16 like the released
/// checkpoints by default), converted with the same recipe as a real checkpoint.
pub fn model(
    shape: ModelShape,
    seed: u64,
    dtype: FloatDtype,
    progress: &mut Progress<'_>,
) -> Result<Model> {
    shape.validate()?;
    let generate = |t: &Expected| tensor_bytes(seed, t, dtype);
    let prefetch = Prefetcher::new(names::checkpoint_tensors(&shape, true), &generate);
    convert(
        shape,
        true,
        &mut RandomSource {
            seed,
            dtype,
            prefetch,
        },
        progress,
    )
}

/// Writes a random model of `shape` into `dir` as a Hugging Face checkpoint (`config.json` with
/// every key of the released 370M configuration, `model.safetensors` or shards of at most
/// `max_shard_bytes` plus `model.safetensors.index.json`). The progress callback gets one step
/// per tensor.
pub fn write_hf(
    shape: ModelShape,
    seed: u64,
    dir: &Path,
    dtype: FloatDtype,
    max_shard_bytes: u64,
    progress: &mut Progress<'_>,
) -> Result<()> {
    shape.validate()?;
    let generate = |t: &Expected| tensor_bytes(seed, t, dtype);
    let config = hf::config::to_json(&shape, dtype);
    let tensors = names::checkpoint_tensors(&shape, true);
    hf::write::write_checkpoint(
        dir,
        &config,
        &tensors,
        dtype,
        max_shard_bytes,
        &generate,
        progress,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(name: &str, n: usize, kind: Kind) -> Expected {
        Expected {
            name: name.into(),
            shape: vec![n],
            kind,
        }
    }

    #[test]
    fn streams_depend_on_seed_and_name_only() {
        let a = latent_values(7, &expected("x.weight", 1000, Kind::Latent));
        let b = latent_values(7, &expected("x.weight", 1000, Kind::Latent));
        let c = latent_values(8, &expected("x.weight", 1000, Kind::Latent));
        let d = latent_values(7, &expected("y.weight", 1000, Kind::Latent));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        // A longer tensor of the same name starts with the same values.
        let long = latent_values(7, &expected("x.weight", 2000, Kind::Latent));
        assert_eq!(long[..1000], a[..]);
    }

    #[test]
    fn distributions_have_the_documented_moments() {
        let n = 200_000;
        for (kind, mean, std) in [
            (Kind::Latent, 0.0, 0.02),
            (Kind::Norm, 1.0, 0.1),
            (Kind::LowerBounds, 0.0, 1.0),
        ] {
            let v = latent_values(1, &expected("t", n, kind));
            let m = v.iter().map(|&x| x as f64).sum::<f64>() / n as f64;
            let s = (v.iter().map(|&x| (x as f64 - m).powi(2)).sum::<f64>() / n as f64).sqrt();
            // Standard error of the mean is std / sqrt(n) ~ std / 447; allow 5 of them.
            assert!(
                (m - mean).abs() < 5.0 * std / (n as f64).sqrt(),
                "{kind:?} mean {m}"
            );
            assert!((s / std - 1.0).abs() < 0.01, "{kind:?} std {s}");
        }
    }
}
