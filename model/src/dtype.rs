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

    /// Decodes little-endian values to `f32` (exact for all three types). A trailing partial
    /// element is ignored; callers pass whole tensors.
    pub fn decode(self, bytes: &[u8]) -> Vec<f32> {
        self.decode_checked(bytes).0
    }

    /// Decodes like [`FloatDtype::decode`] and also returns the index of the first value that is
    /// NaN or infinite, found in the same pass.
    pub fn decode_checked(self, bytes: &[u8]) -> (Vec<f32>, Option<usize>) {
        let size = self.size();
        let mut out = vec![0f32; bytes.len() / size];
        let bad = out
            .par_chunks_mut(CHUNK)
            .zip(bytes.par_chunks(CHUNK * size))
            .enumerate()
            .filter_map(|(k, (o, b))| {
                let first = match self {
                    FloatDtype::Bf16 => fill(o, b.chunks_exact(2), |c| {
                        half::bf16::from_le_bytes([c[0], c[1]]).to_f32()
                    }),
                    FloatDtype::F16 => fill(o, b.chunks_exact(2), |c| {
                        half::f16::from_le_bytes([c[0], c[1]]).to_f32()
                    }),
                    FloatDtype::F32 => fill(o, b.chunks_exact(4), |c| {
                        f32::from_le_bytes([c[0], c[1], c[2], c[3]])
                    }),
                };
                first.map(|i| k * CHUNK + i)
            })
            .min();
        (out, bad)
    }

    /// Encodes `f32` values, rounding to nearest even for the 16-bit types (as PyTorch's `.to()`).
    pub fn encode(self, values: &[f32]) -> Vec<u8> {
        let size = self.size();
        let mut out = vec![0u8; values.len() * size];
        out.par_chunks_mut(CHUNK * size)
            .zip(values.par_chunks(CHUNK))
            .for_each(|(o, v)| match self {
                FloatDtype::Bf16 => put(o.chunks_exact_mut(2), v, |x| {
                    half::bf16::from_f32(x).to_le_bytes()
                }),
                FloatDtype::F16 => put(o.chunks_exact_mut(2), v, |x| {
                    half::f16::from_f32(x).to_le_bytes()
                }),
                FloatDtype::F32 => put(o.chunks_exact_mut(4), v, f32::to_le_bytes),
            });
        out
    }
}

/// One monomorphic decoding loop per dtype (the dtype match stays outside the loop); returns the
/// position of the first non-finite value.
fn fill<'a>(
    out: &mut [f32],
    elems: impl Iterator<Item = &'a [u8]>,
    f: impl Fn(&[u8]) -> f32,
) -> Option<usize> {
    let mut all_finite = true;
    for (x, e) in out.iter_mut().zip(elems) {
        *x = f(e);
        all_finite &= x.is_finite();
    }
    if all_finite {
        None
    } else {
        out.iter().position(|x| !x.is_finite())
    }
}

/// One monomorphic encoding loop per dtype.
fn put<'a, const N: usize>(
    out: impl Iterator<Item = &'a mut [u8]>,
    values: &[f32],
    f: impl Fn(f32) -> [u8; N],
) {
    for (e, &x) in out.zip(values) {
        e.copy_from_slice(&f(x));
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
    fn decoding_finds_the_first_non_finite_value() {
        let mut v = vec![0.5f32; 3 * CHUNK];
        assert_eq!(
            FloatDtype::F32
                .decode_checked(&FloatDtype::F32.encode(&v))
                .1,
            None
        );
        v[CHUNK + 7] = f32::INFINITY;
        v[2 * CHUNK] = f32::NAN;
        for d in [FloatDtype::Bf16, FloatDtype::F16, FloatDtype::F32] {
            let (back, bad) = d.decode_checked(&d.encode(&v));
            assert_eq!(bad, Some(CHUNK + 7), "{d:?}");
            assert_eq!(back[CHUNK + 6], 0.5);
        }
    }

    #[test]
    fn bf16_exactness_is_bitwise() {
        assert!(all_bf16_exact(&[0.5, -0.25, 3.0, 0.0]));
        assert!(!all_bf16_exact(&[0.1]));
        assert!(!all_bf16_exact(&[1.0 + 2f32.powi(-10)]));
    }
}
