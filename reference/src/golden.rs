//! The golden f32 model: mmfree-model.md section 7, level A, exactly.
//!
//! Integer-faithful: every BitLinear quantizes its input to int8 codes per token (absmax, round half
//! away from zero as the fused Triton kernel's `roundf`), accumulates ternary products exactly in
//! integers, and dequantizes with f32 scales; everything else is f32 element-wise math. Sums of
//! squares are accumulated in f64 and rounded once, so the result does not depend on summation order.
//! The forms follow the released code, not the paper figure: the output gate is
//! `RMSNorm(g) * gamma * SiLU(h)`, layer 0 skips the forget-gate lower bound, `gate_proj` is one
//! `2I`-row BitLinear with one scale, and the lm_head is a ternary BitLinear with its own RMSNorm.

use mmfree_model::{BitLinear, Layer, Model};
use mmfree_spec::format::RMS_EPS;

use crate::matvec::ternary_matvec;
use crate::{Decoder, Result, Step, check_token};

/// `1 / sqrt(mean(x^2) + eps)` in f32, the square sum taken in f64.
pub fn rms_factor(x: &[f32]) -> f32 {
    let ss: f64 = x.iter().map(|&v| v as f64 * v as f64).sum();
    let mean = (ss / x.len() as f64) as f32;
    1.0 / (mean + RMS_EPS as f32).sqrt()
}

/// `RMSNorm(x) * gamma`.
pub fn rms_norm(x: &[f32], gamma: &[f32]) -> Vec<f32> {
    let r = rms_factor(x);
    x.iter().zip(gamma).map(|(&v, &g)| v * r * g).collect()
}

/// Logistic sigmoid in f32.
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// `x * sigmoid(x)` in f32.
pub fn silu(x: f32) -> f32 {
    x * sigmoid(x)
}

/// The int8 codes of a BitLinear input and its dequantization scale `alpha * r * M / 127`
/// (`u = gamma * x`, `M = max|u|`, `q = clamp(round_half_away(127 u / M), -127, 127)`).
pub fn quantize(x: &[f32], gamma: &[f32], alpha: f32) -> (Vec<i8>, f32) {
    let r = rms_factor(x);
    let u: Vec<f32> = x.iter().zip(gamma).map(|(&v, &g)| g * v).collect();
    let m = u.iter().fold(0f32, |a, &b| a.max(b.abs()));
    if m == 0.0 {
        return (vec![0; x.len()], 0.0);
    }
    let codes = u
        .iter()
        .map(|&v| (127.0 * v / m).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (codes, alpha * r * m / 127.0)
}

/// One FusedBitLinear: RMSNorm with its own weight, int8 codes, ternary product, dequantization.
pub fn bitlinear(x: &[f32], layer: &BitLinear) -> Vec<f32> {
    let (codes, scale) = quantize(x, &layer.norm.f32, layer.alpha);
    let mut acc = vec![0i32; layer.weight.rows];
    ternary_matvec(&layer.weight, &codes, &mut acc);
    acc.iter().map(|&a| a as f32 * scale).collect()
}

/// One HGRNBit block on one token: returns the new residual and updates the recurrent state `h`.
pub fn block(x: &[f32], layer: &Layer, index: usize, h: &mut [f32]) -> Vec<f32> {
    let a = rms_norm(x, &layer.attn_norm.f32);
    let i = bitlinear(&a, &layer.i_proj);
    let f_raw = bitlinear(&a, &layer.f_proj);
    let g = bitlinear(&a, &layer.g_proj);
    for (j, hj) in h.iter_mut().enumerate() {
        let mut f = sigmoid(f_raw[j]);
        if index > 0 {
            let lb = layer.lower_bound.f32[j];
            f = lb + (1.0 - lb) * f;
        }
        let c = silu(i[j]) * (1.0 - f);
        *hj = f * *hj + c;
    }
    let gn = rms_norm(&g, &layer.g_norm.f32);
    let o: Vec<f32> = gn
        .iter()
        .zip(h.iter())
        .map(|(&gv, &hv)| gv * silu(hv))
        .collect();
    let m = bitlinear(&o, &layer.o_proj);
    let s: Vec<f32> = x.iter().zip(&m).map(|(a, b)| a + b).collect();
    let b = rms_norm(&s, &layer.mlp_norm.f32);
    let gu = bitlinear(&b, &layer.gate_proj);
    let half = gu.len() / 2;
    let p: Vec<f32> = (0..half).map(|j| silu(gu[j]) * gu[half + j]).collect();
    let down = bitlinear(&p, &layer.down_proj);
    s.iter().zip(&down).map(|(a, b)| a + b).collect()
}

/// The golden model with its recurrent state.
pub struct Golden<'m> {
    model: &'m Model,
    h: Vec<Vec<f32>>,
}

impl<'m> Golden<'m> {
    /// A decoder at the start of a sequence.
    pub fn new(model: &'m Model) -> Golden<'m> {
        let h = vec![vec![0.0; model.shape.hidden]; model.layers.len()];
        Golden { model, h }
    }
}

impl Decoder for Golden<'_> {
    fn step(&mut self, token: u32) -> Result<Step> {
        let t = check_token(token, self.vocab())?;
        let mut x = self.model.embedding_row(t);
        for (l, (layer, h)) in self.model.layers.iter().zip(self.h.iter_mut()).enumerate() {
            x = block(&x, layer, l, h);
        }
        let xf = rms_norm(&x, &self.model.final_norm.f32);
        let logits = bitlinear(&xf, &self.model.lm_head);
        let argmax = argmax_f32(&logits);
        Ok(Step { logits, argmax })
    }

    fn reset(&mut self) {
        self.h.iter_mut().for_each(|h| h.fill(0.0));
    }

    fn vocab(&self) -> usize {
        self.model.shape.vocab
    }
}

/// Index of the largest value, first on ties.
pub fn argmax_f32(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}
