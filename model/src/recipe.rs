//! The conversion recipe from latent checkpoint values to the in-memory model: per-tensor absmean
//! ternarization (mmfree-model.md section 2.1), the forget-gate lower bounds (section 1.4) and the
//! embedding's storage precision (section 3.2). Both the Hugging Face conversion and the random
//! models go through these functions, so they cannot disagree.

use mmfree_spec::Scale;
use mmfree_spec::format::gate_from_f32;
use mmfree_spec::pack::Packing;
use rayon::prelude::*;

use crate::dtype::{FloatDtype, all_bf16_exact};
use crate::error::{Error, Result};
use crate::model::{BitLinear, Blob, Embedding, LowerBound, Norm, Ternary, row_bytes};

/// Lower clamp of the absmean scale (`w.abs().mean().clamp_(min=1e-5)`).
pub const ALPHA_MIN: f32 = 1e-5;

/// `alpha = max(mean|W|, 1e-5)`: the mean is computed in `f64` (each row summed left to right,
/// the row sums added in row order, so the result does not depend on the thread count) and
/// rounded to `f32` before the clamp.
pub fn absmean(values: &[f32], cols: usize) -> f32 {
    let row_sums: Vec<f64> = values
        .par_chunks(cols.max(1))
        .map(|row| row.iter().map(|&w| (w as f64).abs()).sum())
        .collect();
    let total: f64 = row_sums.iter().sum();
    let mean = (total / values.len() as f64) as f32;
    mean.max(ALPHA_MIN)
}

/// One ternary weight: `clamp(round_half_even(w * s), -1, 1)` with the product in `f32`.
///
/// Written as two comparisons, which is the same function for every finite product `x`:
/// `x > 0.5` rounds to at least 1 and clamps to 1; `x < -0.5` gives -1; on `[-0.5, 0.5]` the
/// half-even rounding gives 0 (the ties 0.5 and -0.5 go to the even 0). Inputs are checked
/// finite before conversion.
pub fn trit(w: f32, s: f32) -> i8 {
    let x = w * s;
    (x > 0.5) as i8 - (x < -0.5) as i8
}

/// Ternarizes a row-major `[rows, cols]` latent matrix with `s = 1 / alpha` (in `f32`) and packs
/// it with [`Packing::Pack2`] into rows of [`row_bytes`]`(cols)` bytes. Returns the packed matrix
/// and `alpha`.
pub fn ternarize(tensor: &str, values: &[f32], rows: usize, cols: usize) -> Result<(Ternary, f32)> {
    if values.len() != rows * cols {
        return Err(Error::Inconsistent {
            tensor: tensor.into(),
            why: format!("{} values for a [{rows}, {cols}] matrix", values.len()),
        });
    }
    let alpha = absmean(values, cols);
    let s = 1.0f32 / alpha;
    let stride = row_bytes(cols);
    let mut data = vec![0u8; rows * stride];
    data.par_chunks_mut(stride)
        .zip(values.par_chunks(cols.max(1)))
        .try_for_each_init(
            || vec![0i8; cols],
            |trits, (out, row)| {
                for (t, &w) in trits.iter_mut().zip(row) {
                    *t = trit(w, s);
                }
                Packing::Pack2.pack_row(trits, out)
            },
        )?;
    Ok((
        Ternary {
            rows,
            cols,
            data: data.into(),
        },
        alpha,
    ))
}

/// A complete BitLinear from its latent weights and its internal norm weights.
pub fn bit_linear(
    tensor: &str,
    weight: &[f32],
    rows: usize,
    cols: usize,
    norm: Vec<f32>,
) -> Result<BitLinear> {
    let (weight, alpha) = ternarize(tensor, weight, rows, cols)?;
    let alpha_fixed = Scale::from_f64(alpha as f64).ok_or_else(|| Error::Inconsistent {
        tensor: tensor.into(),
        why: format!("scale {alpha} is not finite"),
    })?;
    Ok(BitLinear {
        weight,
        alpha,
        alpha_fixed,
        norm: Norm::new(norm),
    })
}

/// The per-layer lower bounds from the `[L, d]` parameter: per channel `c`,
/// `P = softmax(lower_bounds[:, c])` over the layers and `LB[l] = sum_{k=1..l} P[k]`, all in `f64`,
/// then rounded to `f32` and to GATE. `LB[0]` is exactly zero.
pub fn lower_bounds(values: &[f32], layers: usize, hidden: usize) -> Vec<LowerBound> {
    let mut lb = vec![vec![0f32; hidden]; layers];
    for c in 0..hidden {
        let x: Vec<f64> = (0..layers).map(|l| values[l * hidden + c] as f64).collect();
        let max = x.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let e: Vec<f64> = x.iter().map(|v| (v - max).exp()).collect();
        let sum: f64 = e.iter().sum();
        let mut acc = 0f64;
        for l in 1..layers {
            acc += e[l] / sum;
            lb[l][c] = acc as f32;
        }
    }
    lb.into_iter().map(lower_bound_from_f32).collect()
}

/// All-zero lower bounds, for checkpoints with `use_lower_bound = false`.
pub fn zero_lower_bounds(layers: usize, hidden: usize) -> Vec<LowerBound> {
    (0..layers)
        .map(|_| lower_bound_from_f32(vec![0.0; hidden]))
        .collect()
}

fn lower_bound_from_f32(f32: Vec<f32>) -> LowerBound {
    let fixed = f32.iter().map(|&x| gate_from_f32(x)).collect();
    LowerBound { f32, fixed }
}

/// The embedding in its source precision: bf16 stays bf16 (the bytes are kept as they are, so a
/// mapped checkpoint is not copied); f16 and f32 become bf16 only when every value converts
/// exactly, else f32. `values` are the decoded `bytes`.
pub fn embedding(dtype: FloatDtype, bytes: Blob, values: &[f32]) -> Embedding {
    if dtype == FloatDtype::Bf16 {
        return Embedding::Bf16(bytes);
    }
    if all_bf16_exact(values) {
        Embedding::Bf16(FloatDtype::Bf16.encode(values).into())
    } else if dtype == FloatDtype::F32 {
        Embedding::F32(bytes)
    } else {
        Embedding::F32(FloatDtype::F32.encode(values).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trit_is_the_clamped_half_even_rounding() {
        let mut w: Vec<f32> = vec![
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            0.0,
            -0.0,
            0.49999997,
            0.50000006,
            -0.50000006,
            1e30,
            -1e30,
        ];
        w.extend((-3000..=3000).map(|i| i as f32 / 1000.0));
        for x in w {
            let literal = x.round_ties_even().clamp(-1.0, 1.0) as i8;
            assert_eq!(trit(x, 1.0), literal, "{x}");
        }
    }
}
