//! Model shapes: the released MMfreeLM checkpoints and the small test shapes (contracts.md `--shape`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The dimensions that fix every tensor of an `HGRNBitForCausalLM` model (mmfree-model.md 1.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModelShape {
    /// Hidden size `d`.
    pub hidden: usize,
    /// Number of layers `L`.
    pub layers: usize,
    /// Vocabulary size `V`.
    pub vocab: usize,
    /// GLU intermediate size `I` (gate_proj has `2I` rows).
    pub intermediate: usize,
}

/// Preset names accepted by `--shape`, in size order.
pub const SHAPE_NAMES: [&str; 5] = ["tiny", "small", "370m", "1.3b", "2.7b"];

impl ModelShape {
    /// The shape with `intermediate` from the released code's formula
    /// `I = 256 * ceil(floor(d * 4 * 2/3) / 256)` (mmfree-model.md section 1.5).
    pub const fn new(hidden: usize, layers: usize, vocab: usize) -> ModelShape {
        ModelShape {
            hidden,
            layers,
            vocab,
            intermediate: default_intermediate(hidden),
        }
    }

    /// A named preset.
    pub fn preset(name: &str) -> Result<ModelShape> {
        Ok(match name {
            "tiny" => ModelShape::new(64, 2, 256),
            "small" => ModelShape::new(256, 4, 4096),
            "370m" => ModelShape::new(1024, 24, 32000),
            "1.3b" => ModelShape::new(2048, 24, 32000),
            "2.7b" => ModelShape::new(2560, 32, 32000),
            _ => {
                return Err(Error::UnknownPreset {
                    kind: "model shape",
                    name: name.into(),
                    known: SHAPE_NAMES.join(", "),
                });
            }
        })
    }

    /// Rejects shapes the formats cannot hold: empty dimensions, or vectors too long for the
    /// 48-bit sum of squares (`n * 2^34 < 2^48`).
    pub fn validate(&self) -> Result<()> {
        let dims = [
            ("hidden", self.hidden),
            ("layers", self.layers),
            ("vocab", self.vocab),
            ("intermediate", self.intermediate),
        ];
        if let Some((name, _)) = dims.iter().find(|(_, v)| *v == 0) {
            return Err(Error::InvalidShape {
                why: format!("{name} size is zero"),
            });
        }
        let longest = self.hidden.max(self.intermediate);
        if longest > MAX_VECTOR {
            return Err(Error::InvalidShape {
                why: format!("vector length {longest} exceeds {MAX_VECTOR}"),
            });
        }
        Ok(())
    }

    /// Parameter count of the checkpoint (embedding, lm_head and all norms included).
    pub const fn parameters(&self) -> usize {
        let (d, i) = (self.hidden, self.intermediate);
        let per_layer = 4 * d * d + 2 * i * d + i * d + 8 * d + i;
        self.layers * per_layer + 2 * self.vocab * d + self.layers * d + 2 * d
    }

    /// Ternary weights streamed per decoded token (7 matrices a layer plus the lm_head).
    pub const fn ternary_weights(&self) -> usize {
        let (d, i) = (self.hidden, self.intermediate);
        self.layers * (4 * d * d + 3 * i * d) + self.vocab * d
    }
}

/// Longest vector the fixed-point formats support.
pub const MAX_VECTOR: usize = 1 << 14;

/// The released code's default intermediate size. Saturates for sizes no model has (a
/// `hidden_size` of 2^63 - 1 in a config overflowed here; found by fuzzing), so that
/// [`ModelShape::validate`] refuses them with its one-line error.
pub const fn default_intermediate(hidden: usize) -> usize {
    (hidden.saturating_mul(8) / 3).div_ceil(256) * 256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_hidden_size_is_refused_not_an_overflow() {
        let hidden = i64::MAX as usize;
        let shape = ModelShape {
            intermediate: default_intermediate(hidden),
            ..ModelShape::new(64, 2, 256)
        };
        assert!(shape.intermediate > MAX_VECTOR);
        let why = ModelShape { hidden, ..shape }
            .validate()
            .unwrap_err()
            .to_string();
        assert!(why.contains("exceeds 16384"), "{why}");
    }

    #[test]
    fn released_shapes_match_the_checkpoints() {
        // Parameter counts from mmfree-model.md section 1.7.
        let expect = [
            ("370m", 2816, 374_108_160),
            ("1.3b", 5632, 1_364_779_008),
            ("2.7b", 6912, 2_702_357_504),
        ];
        for (name, i, params) in expect {
            let s = ModelShape::preset(name).unwrap();
            assert_eq!(s.intermediate, i, "{name}");
            assert_eq!(s.parameters(), params, "{name}");
            s.validate().unwrap();
        }
        assert_eq!(ModelShape::preset("tiny").unwrap().intermediate, 256);
        assert_eq!(ModelShape::preset("small").unwrap().intermediate, 768);
    }

    #[test]
    fn unknown_presets_and_bad_shapes_are_named() {
        let e = ModelShape::preset("7b").unwrap_err().to_string();
        assert!(e.contains("'7b'") && e.contains("2.7b"), "{e}");
        let bad = ModelShape {
            hidden: 0,
            ..ModelShape::new(64, 2, 256)
        };
        assert!(bad.validate().unwrap_err().to_string().contains("hidden"));
        assert!(ModelShape::new(20000, 1, 10).validate().is_err());
    }
}
