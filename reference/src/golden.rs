//! The golden model: mmfree-model.md section 7, level A, exactly, in `f32` (the contract's
//! `--precision f32`) or, with the same code, in `f64` (a near-exact reference used to show how much
//! of any disagreement is the `f32` golden's own rounding; NUMERICS.md section 8).
//!
//! Integer-faithful: every BitLinear quantizes its input to int8 codes per token (absmax, round half
//! away from zero as the fused Triton kernel's `roundf`), accumulates ternary products exactly in
//! integers, and dequantizes with floating-point scales; everything else is element-wise floating
//! point. Sums of squares are accumulated in f64 and rounded once, so the result does not depend on
//! summation order. The forms follow the released code, not the paper figure: the output gate is
//! `RMSNorm(g) * gamma * SiLU(h)`, layer 0 skips the forget-gate lower bound, `gate_proj` is one
//! `2I`-row BitLinear with one scale, and the lm_head is a ternary BitLinear with its own RMSNorm.

use mmfree_model::{BitLinear, Layer, Model};
use mmfree_spec::format::RMS_EPS;
use num_traits::Float;

use crate::matvec::{on_pool, ternary_matvec};
use crate::{Decoder, Result, Step, check_token};

/// The floating-point type the golden model computes in (`f32` or `f64`).
pub trait Real: Float + std::fmt::Debug + Send + Sync {
    /// Exact conversion from a stored `f32` parameter.
    fn of(x: f32) -> Self;
    /// Rounding from `f64` (sums of squares, constants).
    fn of64(x: f64) -> Self;
}

impl Real for f32 {
    fn of(x: f32) -> f32 {
        x
    }
    fn of64(x: f64) -> f32 {
        x as f32
    }
}

impl Real for f64 {
    fn of(x: f32) -> f64 {
        x as f64
    }
    fn of64(x: f64) -> f64 {
        x
    }
}

/// `1 / sqrt(mean(x^2) + eps)`, the square sum taken in f64.
pub fn rms_factor<T: Real>(x: &[T]) -> T {
    let ss: f64 = x.iter().map(|v| v.to_f64().unwrap().powi(2)).sum();
    let mean = T::of64(ss / x.len() as f64);
    T::one() / (mean + T::of64(RMS_EPS)).sqrt()
}

/// `RMSNorm(x) * gamma`.
pub fn rms_norm<T: Real>(x: &[T], gamma: &[f32]) -> Vec<T> {
    let r = rms_factor(x);
    x.iter()
        .zip(gamma)
        .map(|(&v, &g)| v * r * T::of(g))
        .collect()
}

/// Logistic sigmoid.
pub fn sigmoid<T: Real>(x: T) -> T {
    T::one() / (T::one() + (-x).exp())
}

/// `x * sigmoid(x)`.
pub fn silu<T: Real>(x: T) -> T {
    x * sigmoid(x)
}

/// The int8 codes of a BitLinear input and its dequantization scale `alpha * r * M / 127`
/// (`u = gamma * x`, `M = max|u|`, `q = clamp(round_half_away(127 u / M), -127, 127)`).
pub fn quantize<T: Real>(x: &[T], gamma: &[f32], alpha: f32) -> (Vec<i8>, T) {
    let r = rms_factor(x);
    let u: Vec<T> = x.iter().zip(gamma).map(|(&v, &g)| T::of(g) * v).collect();
    let m = u.iter().fold(T::zero(), |a, &b| a.max(b.abs()));
    if m == T::zero() {
        return (vec![0; x.len()], T::zero());
    }
    let c127 = T::of(127.0);
    let codes = u
        .iter()
        .map(|&v| (c127 * v / m).round().max(-c127).min(c127).to_i8().unwrap())
        .collect();
    (codes, T::of(alpha) * r * m / c127)
}

/// One FusedBitLinear: RMSNorm with its own weight, int8 codes, ternary product, dequantization.
pub fn bitlinear<T: Real>(x: &[T], layer: &BitLinear) -> Result<Vec<T>> {
    let (codes, scale) = quantize(x, &layer.norm.f32, layer.alpha);
    let mut acc = vec![0i32; layer.weight.rows];
    ternary_matvec(&layer.weight, &codes, &mut acc)?;
    Ok(acc.iter().map(|&a| T::of64(a as f64) * scale).collect())
}

/// One HGRNBit block on one token: returns the new residual and updates the recurrent state `h`.
pub fn block<T: Real>(x: &[T], layer: &Layer, index: usize, h: &mut [T]) -> Result<Vec<T>> {
    let a = rms_norm(x, &layer.attn_norm.f32);
    let i = bitlinear(&a, &layer.i_proj)?;
    let f_raw = bitlinear(&a, &layer.f_proj)?;
    let g = bitlinear(&a, &layer.g_proj)?;
    for (j, hj) in h.iter_mut().enumerate() {
        let mut f = sigmoid(f_raw[j]);
        if index > 0 {
            let lb = T::of(layer.lower_bound.f32[j]);
            f = lb + (T::one() - lb) * f;
        }
        let c = silu(i[j]) * (T::one() - f);
        *hj = f * *hj + c;
    }
    let gn = rms_norm(&g, &layer.g_norm.f32);
    let o: Vec<T> = gn
        .iter()
        .zip(h.iter())
        .map(|(&gv, &hv)| gv * silu(hv))
        .collect();
    let m = bitlinear(&o, &layer.o_proj)?;
    let s: Vec<T> = x.iter().zip(&m).map(|(&a, &b)| a + b).collect();
    let b = rms_norm(&s, &layer.mlp_norm.f32);
    let gu = bitlinear(&b, &layer.gate_proj)?;
    let half = gu.len() / 2;
    let p: Vec<T> = (0..half).map(|j| silu(gu[j]) * gu[half + j]).collect();
    let down = bitlinear(&p, &layer.down_proj)?;
    Ok(s.iter().zip(&down).map(|(&a, &b)| a + b).collect())
}

/// The golden model with its recurrent state.
pub struct Golden<'m, T: Real = f32> {
    model: &'m Model,
    h: Vec<Vec<T>>,
}

impl<'m, T: Real> Golden<'m, T> {
    /// A decoder at the start of a sequence.
    pub fn new(model: &'m Model) -> Golden<'m, T> {
        let h = vec![vec![T::zero(); model.shape.hidden]; model.layers.len()];
        Golden { model, h }
    }
}

impl<T: Real> Golden<'_, T> {
    fn step_on_worker(&mut self, token: u32) -> Result<Step> {
        let t = check_token(token, self.vocab())?;
        let mut x: Vec<T> = self.model.embedding_row(t).into_iter().map(T::of).collect();
        for (l, (layer, h)) in self.model.layers.iter().zip(self.h.iter_mut()).enumerate() {
            x = block(&x, layer, l, h)?;
        }
        let xf = rms_norm(&x, &self.model.final_norm.f32);
        let logits = bitlinear(&xf, &self.model.lm_head)?;
        let argmax = argmax(&logits);
        Ok(Step {
            logits: logits.iter().map(|v| v.to_f32().unwrap()).collect(),
            argmax,
        })
    }
}

impl<T: Real> Decoder for Golden<'_, T> {
    /// One token on a rayon worker ([`on_pool`]).
    fn step(&mut self, token: u32) -> Result<Step> {
        on_pool(|| self.step_on_worker(token))
    }

    fn reset(&mut self) {
        self.h.iter_mut().for_each(|h| h.fill(T::zero()));
    }

    fn vocab(&self) -> usize {
        self.model.shape.vocab
    }
}

/// Index of the largest value, first on ties.
pub fn argmax<T: PartialOrd>(v: &[T]) -> usize {
    let mut best = 0;
    for (i, x) in v.iter().enumerate() {
        if *x > v[best] {
            best = i;
        }
    }
    best
}
