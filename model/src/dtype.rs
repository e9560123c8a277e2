//! The floating-point dtypes a checkpoint may store (mmfree-model.md section 3.1: bf16 in the
//! released files; f16 and f32 in re-saved copies) and their exact little-endian codecs.

use rayon::prelude::*;
use safetensors::Dtype;

use crate::error::{Error, Result};

/// Elements decoded or encoded per parallel task.
const CHUNK: usize = 1 << 16;

/// A checkpoint tensor's floating-point storage type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FloatDtype {
    /// bfloat16, as the released checkpoints.
    #[default]
    Bf16,
    /// IEEE half precision.
    F16,
    /// IEEE single precision.
    F32,
}

impl FloatDtype {
    /// Short name (`bf16`, `f16`, `f32`), as command lines spell it.
    pub fn name(self) -> &'static str {
        match self {
            FloatDtype::Bf16 => "bf16",
            FloatDtype::F16 => "f16",
            FloatDtype::F32 => "f32",
        }
    }

    /// Parses a short name.
    pub fn parse(name: &str) -> Result<FloatDtype> {
        match name {
            "bf16" => Ok(FloatDtype::Bf16),
            "f16" => Ok(FloatDtype::F16),
            "f32" => Ok(FloatDtype::F32),
            _ => Err(Error::UnknownDtype { name: name.into() }),
        }
    }

    /// The `torch_dtype` value of a Hugging Face `config.json`.
    pub fn torch_name(self) -> &'static str {
        match self {
            FloatDtype::Bf16 => "bfloat16",
            FloatDtype::F16 => "float16",
            FloatDtype::F32 => "float32",
        }
    }

    /// Bytes per element.
    pub const fn size(self) -> usize {
        match self {
            FloatDtype::Bf16 | FloatDtype::F16 => 2,
            FloatDtype::F32 => 4,
        }
    }

    /// The accepted safetensors dtypes; anything else is refused by the reader.
    pub(crate) fn from_safetensors(d: Dtype) -> Option<FloatDtype> {
        match d {
            Dtype::BF16 => Some(FloatDtype::Bf16),
            Dtype::F16 => Some(FloatDtype::F16),
            Dtype::F32 => Some(FloatDtype::F32),
            _ => None,
        }
    }

    /// The safetensors dtype written for this type.
    pub(crate) fn to_safetensors(self) -> Dtype {
        match self {
            FloatDtype::Bf16 => Dtype::BF16,
            FloatDtype::F16 => Dtype::F16,
            FloatDtype::F32 => Dtype::F32,
        }
    }

    fn decode_one(self, b: &[u8]) -> f32 {
        match self {
            FloatDtype::Bf16 => half::bf16::from_le_bytes([b[0], b[1]]).to_f32(),
            FloatDtype::F16 => half::f16::from_le_bytes([b[0], b[1]]).to_f32(),
            FloatDtype::F32 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        }
    }

    fn encode_one(self, x: f32, out: &mut [u8]) {
        match self {
            FloatDtype::Bf16 => out.copy_from_slice(&half::bf16::from_f32(x).to_le_bytes()),
            FloatDtype::F16 => out.copy_from_slice(&half::f16::from_f32(x).to_le_bytes()),
            FloatDtype::F32 => out.copy_from_slice(&x.to_le_bytes()),
        }
    }

    /// Decodes little-endian values to `f32` (exact for all three types). A trailing partial
    /// element is ignored; callers pass whole tensors.
    pub fn decode(self, bytes: &[u8]) -> Vec<f32> {
        let size = self.size();
        let mut out = vec![0f32; bytes.len() / size];
        out.par_chunks_mut(CHUNK)
            .zip(bytes.par_chunks(CHUNK * size))
            .for_each(|(o, b)| {
                for (x, e) in o.iter_mut().zip(b.chunks_exact(size)) {
                    *x = self.decode_one(e);
                }
            });
        out
    }

    /// Encodes `f32` values, rounding to nearest even for the 16-bit types (as PyTorch's `.to()`).
    pub fn encode(self, values: &[f32]) -> Vec<u8> {
        let size = self.size();
        let mut out = vec![0u8; values.len() * size];
        out.par_chunks_mut(CHUNK * size)
            .zip(values.par_chunks(CHUNK))
            .for_each(|(o, v)| {
                for (e, &x) in o.chunks_exact_mut(size).zip(v) {
                    self.encode_one(x, e);
                }
            });
        out
    }
}

/// Whether every value is exactly representable in bf16 (the embedding keeps its precision).
pub fn all_bf16_exact(values: &[f32]) -> bool {
    values
        .par_iter()
        .all(|&x| half::bf16::from_f32(x).to_f32().to_bits() == x.to_bits())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codecs_round_trip_and_round_to_nearest_even() {
        let v = [1.0f32, -0.5, 0.1, 65504.0, 1e-8, 0.0, -0.0];
        for d in [FloatDtype::Bf16, FloatDtype::F16, FloatDtype::F32] {
            let once = d.decode(&d.encode(&v));
            assert_eq!(d.decode(&d.encode(&once)), once, "{d:?}");
            assert_eq!(once[0], 1.0);
            assert_eq!(once[6].to_bits(), (-0.0f32).to_bits());
        }
        // 1 + 2^-8 is halfway between two bf16 values; ties go to the even mantissa 1.0.
        let tie = 1.0 + 2f32.powi(-8);
        assert_eq!(
            FloatDtype::Bf16.encode(&[tie]),
            half::bf16::from_f32(1.0).to_le_bytes()
        );
        assert_eq!(FloatDtype::Bf16.encode(&[1.0]), [0x80, 0x3f]);
        assert_eq!(FloatDtype::F16.encode(&[1.0]), [0x00, 0x3c]);
        assert_eq!(FloatDtype::parse("f16").unwrap(), FloatDtype::F16);
        assert!(
            FloatDtype::parse("fp8")
                .unwrap_err()
                .to_string()
                .contains("'fp8'")
        );
    }

    #[test]
    fn bf16_exactness_is_bitwise() {
        assert!(all_bf16_exact(&[0.5, -0.25, 3.0, 0.0]));
        assert!(!all_bf16_exact(&[0.1]));
        assert!(!all_bf16_exact(&[1.0 + 2f32.powi(-10)]));
    }
}
