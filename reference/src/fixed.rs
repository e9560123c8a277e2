//! The fixed-point model: the contract the ISS, the RTL and a card implement bit for bit.
//!
//! Integer arithmetic only; every vector is block floating point and every primitive is one of the
//! spec crate's [`mmfree_spec::ops`], composed in the order NUMERICS.md section 6 lists:
//!
//! ```text
//! a  = norm(x, attn_norm)                         s  = x + m
//! i, f_raw, g = bitlinear(a, i/f/g_proj)          b  = norm(s, mlp_norm)
//! f  = sigmoid(f_raw); l > 0: f = lb + (1-lb) f   gu = bitlinear(b, gate_proj)   (2I rows, one scale)
//! c  = SiLU(i) (1 - f);  h = f h + c              p  = SiLU(gu[..I]) * gu[I..]
//! o  = norm(g, g_norm) * SiLU(h)                  x' = s + bitlinear(p, down_proj)
//! m  = bitlinear(o, o_proj)
//! head: acc = W_lm * quantize(norm(x, final_norm)); token = argmax(acc); logits = dequantize(acc)
//! ```

use mmfree_model::{BitLinear, Layer, Model};
use mmfree_spec::Scale;
use mmfree_spec::format::Bfp;
use mmfree_spec::ops;

use crate::matvec::{on_pool, ternary_matvec};
use crate::{Decoder, Result, Step, check_token};

/// The integer outputs of one step, for bit-exact comparison with a device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedStep {
    /// The lm_head accumulators (greedy decoding needs only these).
    pub acc: Vec<i32>,
    /// The dequantized logits.
    pub logits: Bfp,
    /// `argmax(acc)`, first on ties.
    pub argmax: usize,
}

/// The state each layer leaves behind on one token, for locating a device mismatch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerTrace {
    /// Residual stream after the layer.
    pub x: Bfp,
    /// Recurrent state after the layer.
    pub h: Bfp,
}

/// The integer part of a BitLinear: codes and output scale of `y`, then `acc = W * codes`.
pub fn bitlinear_acc(y: &Bfp, layer: &BitLinear) -> Result<(Vec<i32>, Scale)> {
    bitlinear_acc_rho(y, ops::rms(y), layer)
}

/// [`bitlinear_acc`] with `rho = rms(y)` given (the same result; one `rms` for several
/// projections of one vector).
fn bitlinear_acc_rho(y: &Bfp, rho: Scale, layer: &BitLinear) -> Result<(Vec<i32>, Scale)> {
    let mut codes = vec![0i8; y.len()];
    let sigma = ops::quantize_with_rms(y, &layer.norm.fixed, layer.alpha_fixed, rho, &mut codes);
    let mut acc = vec![0i32; layer.weight.rows];
    ternary_matvec(&layer.weight, &codes, &mut acc)?;
    Ok((acc, sigma))
}

/// BitLinear: quantize, ternary product, dequantize.
pub fn bitlinear(y: &Bfp, layer: &BitLinear) -> Result<Bfp> {
    bitlinear_rho(y, ops::rms(y), layer)
}

/// [`bitlinear`] with `rho = rms(y)` given.
fn bitlinear_rho(y: &Bfp, rho: Scale, layer: &BitLinear) -> Result<Bfp> {
    let (acc, sigma) = bitlinear_acc_rho(y, rho, layer)?;
    Ok(ops::dequantize(&acc, sigma))
}

/// Splits a vector into its first `n` elements and the rest (same exponent).
fn split(v: &Bfp, n: usize) -> (Bfp, Bfp) {
    let lo = Bfp {
        mant: v.mant[..n].to_vec(),
        exp: v.exp,
    };
    let hi = Bfp {
        mant: v.mant[n..].to_vec(),
        exp: v.exp,
    };
    (lo, hi)
}

/// The MLGRU token mixer: updates `h` and returns the mixer output `m`.
pub fn token_mixer(a: &Bfp, layer: &Layer, index: usize, h: &mut Bfp) -> Result<Bfp> {
    let rho = ops::rms(a);
    let i = bitlinear_rho(a, rho, &layer.i_proj)?;
    let f_raw = bitlinear_rho(a, rho, &layer.f_proj)?;
    let g = bitlinear_rho(a, rho, &layer.g_proj)?;
    let mut f = ops::sigmoid(&f_raw);
    if index > 0 {
        for (fj, &lb) in f.iter_mut().zip(&layer.lower_bound.fixed) {
            *fj = ops::lower_bound_mix(*fj, lb);
        }
    }
    let one_minus_f: Vec<u32> = f.iter().map(|&v| ops::one_minus(v)).collect();
    let c = ops::gate_mul(&ops::silu(&i), &one_minus_f);
    *h = ops::mlgru(h, &f, &c);
    let o = ops::mul(&ops::rms_norm(&g, &layer.g_norm.fixed), &ops::silu(h));
    bitlinear(&o, &layer.o_proj)
}

/// The GLU channel mixer.
pub fn channel_mixer(b: &Bfp, layer: &Layer) -> Result<Bfp> {
    let gu = bitlinear(b, &layer.gate_proj)?;
    let (gate, up) = split(&gu, gu.len() / 2);
    bitlinear(&ops::mul(&ops::silu(&gate), &up), &layer.down_proj)
}

/// One block: returns the new residual stream; `h` is updated.
pub fn block(x: &Bfp, layer: &Layer, index: usize, h: &mut Bfp) -> Result<Bfp> {
    let m = token_mixer(&ops::rms_norm(x, &layer.attn_norm.fixed), layer, index, h)?;
    let s = ops::add(x, &m);
    let d = channel_mixer(&ops::rms_norm(&s, &layer.mlp_norm.fixed), layer)?;
    Ok(ops::add(&s, &d))
}

/// The embedding row of `token` as a BFP vector.
pub fn embed(model: &Model, token: usize) -> Bfp {
    Bfp::from_f32(&model.embedding_row(token))
}

/// The lm_head on the final residual stream.
pub fn head(model: &Model, x: &Bfp) -> Result<FixedStep> {
    let xf = ops::rms_norm(x, &model.final_norm.fixed);
    let (acc, sigma) = bitlinear_acc(&xf, &model.lm_head)?;
    let logits = ops::dequantize(&acc, sigma);
    let argmax = ops::argmax(&acc);
    Ok(FixedStep {
        acc,
        logits,
        argmax,
    })
}

/// The fixed-point model with its recurrent state.
pub struct Fixed<'m> {
    model: &'m Model,
    h: Vec<Bfp>,
}

impl<'m> Fixed<'m> {
    /// A decoder at the start of a sequence.
    pub fn new(model: &'m Model) -> Fixed<'m> {
        Fixed {
            model,
            h: vec![Bfp::zeros(model.shape.hidden); model.layers.len()],
        }
    }

    /// One token, integer outputs; with `trace`, the state each layer leaves behind is recorded.
    /// The step runs on a rayon worker ([`on_pool`]).
    pub fn step_fixed(
        &mut self,
        token: u32,
        trace: Option<&mut Vec<LayerTrace>>,
    ) -> Result<FixedStep> {
        on_pool(|| self.step_on_worker(token, trace))
    }

    fn step_on_worker(
        &mut self,
        token: u32,
        mut trace: Option<&mut Vec<LayerTrace>>,
    ) -> Result<FixedStep> {
        let t = check_token(token, self.model.shape.vocab)?;
        let mut x = embed(self.model, t);
        for (l, (layer, h)) in self.model.layers.iter().zip(self.h.iter_mut()).enumerate() {
            x = block(&x, layer, l, h)?;
            if let Some(tr) = trace.as_deref_mut() {
                tr.push(LayerTrace {
                    x: x.clone(),
                    h: h.clone(),
                });
            }
        }
        head(self.model, &x)
    }

    /// The recurrent state of every layer.
    pub fn state(&self) -> &[Bfp] {
        &self.h
    }
}

impl Decoder for Fixed<'_> {
    fn step(&mut self, token: u32) -> Result<Step> {
        let s = self.step_fixed(token, None)?;
        Ok(Step {
            logits: s.logits.to_f32(),
            argmax: s.argmax,
        })
    }

    fn reset(&mut self) {
        let d = self.model.shape.hidden;
        self.h.iter_mut().for_each(|h| *h = Bfp::zeros(d));
    }

    fn vocab(&self) -> usize {
        self.model.shape.vocab
    }
}
