//! The vector primitives written plainly (NUMERICS.md section 5): exact `i128` products and sums
//! collected into a vector, then one [`Bfp::from_wide`]. This is the definition as first written
//! and the oracle of the fast primitives in [`crate::ops`], which must equal it bit for bit on
//! every input (`spec/tests/ops_fast_equals_plain.rs`); it is slower by a few times and allocates
//! every intermediate, so nothing else calls it.

use crate::format::{Bfp, CODE_MAX, GATE_FRAC, GATE_ONE, MANT_BITS};
use crate::ops::{ADD_WINDOW, eps, inv_code_max, inv_len, mlgru_aligned, mlgru_exponent};
use crate::round::{Round, bit_len, shift_round, shr_round};
use crate::scale::Scale;
use crate::table::{SIGMOID_GUARD, SIGMOID_IN_FRAC, SIGMOID_SEG_BITS, sigmoid_coefficients};

/// `rho = 1 / sqrt(mean(v^2) + eps)`; the sum of squares is exact.
pub fn rms(v: &Bfp) -> Scale {
    let ss: u128 = v
        .mant
        .iter()
        .map(|&m| (m as i128 * m as i128) as u128)
        .sum();
    let mean = Scale::new(ss, 2 * v.exp) * inv_len(v.len());
    (mean + eps()).rsqrt()
}

/// RMSNorm with weight: `v * rho(v) * gamma`. Per element `c = rne(gamma * rho.m, 31)` (31 x 31 bits),
/// then the exact product `v * c`, then one normalization.
pub fn rms_norm(v: &Bfp, gamma: &Bfp) -> Bfp {
    let rho = rms(v);
    let wide: Vec<i128> = v
        .mant
        .iter()
        .zip(&gamma.mant)
        .map(|(&x, &g)| x as i128 * shr_round(g as i128 * rho.mantissa() as i128, 31, Round::Rne))
        .collect();
    Bfp::from_wide(&wide, v.exp + gamma.exp + rho.exponent() + 31)
}

/// BitLinear input stage: the per-token absmax int8 codes of `y * rho(y) * gamma` (they do not depend
/// on `rho`) and the output scale `sigma = alpha * rho(y) * max|y * gamma| / 127`, so that the
/// BitLinear output is `acc * sigma` ([`dequantize`]). A zero product gives zero codes and `sigma = 0`.
pub fn quantize(y: &Bfp, gamma: &Bfp, alpha: Scale, codes: &mut [i8]) -> Scale {
    let u: Vec<i64> = y
        .mant
        .iter()
        .zip(&gamma.mant)
        .map(|(&a, &b)| a as i64 * b as i64)
        .collect();
    let m = u.iter().map(|x| x.unsigned_abs()).max().unwrap_or(0);
    if m == 0 {
        codes.fill(0);
        return Scale::ZERO;
    }
    // Shift the products so the largest has 30 bits, then multiply by 127 / max.
    let k = bit_len(m as u128) as i32 - MANT_BITS as i32;
    let max30 = shift_round(m as i128, k, Round::Rne) as u64;
    let c = Scale::from_u64(CODE_MAX as u64) * Scale::from_u64(max30).recip();
    for (q, &x) in codes.iter_mut().zip(&u) {
        let x30 = shift_round(x as i128, k, Round::Rne);
        let v = shift_round(x30 * c.mantissa() as i128, -c.exponent(), Round::Rhaz);
        *q = v.clamp(-CODE_MAX as i128, CODE_MAX as i128) as i8;
    }
    let max_real = Scale::new(m as u128, y.exp + gamma.exp);
    alpha * rms(y) * max_real * inv_code_max()
}

/// BitLinear output stage: `acc * sigma`, exact then normalized.
pub fn dequantize(acc: &[i32], sigma: Scale) -> Bfp {
    let wide: Vec<i128> = acc.iter().map(|&a| sigma.times(a as i64)).collect();
    Bfp::from_wide(&wide, sigma.exponent())
}

fn align(x: i128, e: i32, base: i32) -> i128 {
    shift_round(x, base - e, Round::Rne)
}

/// Element-wise sum (the residual adds). Both operands are placed in a 62-bit window below the
/// larger exponent's top bit (exact when the exponents differ by at most 31; otherwise the smaller
/// operand is rounded half to even at the window's bottom), added exactly, and normalized.
pub fn add(a: &Bfp, b: &Bfp) -> Bfp {
    let base = a.exp.max(b.exp) + MANT_BITS as i32 + 1 - ADD_WINDOW;
    let wide: Vec<i128> = a
        .mant
        .iter()
        .zip(&b.mant)
        .map(|(&x, &y)| align(x as i128, a.exp, base) + align(y as i128, b.exp, base))
        .collect();
    Bfp::from_wide(&wide, base)
}

/// Element-wise product of two BFP vectors, exact then normalized.
pub fn mul(a: &Bfp, b: &Bfp) -> Bfp {
    let wide: Vec<i128> = a
        .mant
        .iter()
        .zip(&b.mant)
        .map(|(&x, &y)| x as i128 * y as i128)
        .collect();
    Bfp::from_wide(&wide, a.exp + b.exp)
}

/// Element-wise product of a BFP vector and gates, exact then normalized.
pub fn gate_mul(a: &Bfp, g: &[u32]) -> Bfp {
    let wide: Vec<i128> = a
        .mant
        .iter()
        .zip(g)
        .map(|(&x, &y)| x as i128 * y as i128)
        .collect();
    Bfp::from_wide(&wide, a.exp - GATE_FRAC as i32)
}

/// Sigmoid of one element `m * 2^e`: the value is rounded to Q7.24 (saturating beyond `±32`) and
/// evaluated by [`sigmoid_q24`].
pub fn sigmoid_element(m: i32, e: i32) -> u32 {
    let z = shift_round(m as i128, -(e + SIGMOID_IN_FRAC as i32), Round::Rne);
    sigmoid_q24(z.clamp(-(1 << 40), 1 << 40) as i64)
}

/// Element-wise sigmoid, as gates.
pub fn sigmoid(x: &Bfp) -> Vec<u32> {
    x.mant.iter().map(|&m| sigmoid_element(m, x.exp)).collect()
}

/// Element-wise `SiLU(x) = x * sigmoid(x)`, exact product then normalized.
pub fn silu(x: &Bfp) -> Bfp {
    gate_mul(x, &sigmoid(x))
}

/// Forget-gate lower bound (mmfree-model.md section 1.4): `f = lb + (1 - lb) * s`, all GATE.
pub fn lower_bound_mix(s: u32, lb: u32) -> u32 {
    lb + shr_round((GATE_ONE - lb) as i128 * s as i128, GATE_FRAC, Round::Rne) as u32
}

/// The MLGRU recurrence `h' = f * h + c` (`c` already holds the `(1 - f)` factor): align `h` and
/// `c` to [`mlgru_exponent`] (round half to even), apply [`mlgru_aligned`], normalize.
pub fn mlgru(h: &Bfp, f: &[u32], c: &Bfp) -> Bfp {
    let e = mlgru_exponent(h, c);
    let wide: Vec<i128> = (0..h.len())
        .map(|j| {
            let ha = align(h.mant[j] as i128, h.exp, e) as i64;
            let ca = align(c.mant[j] as i128, c.exp, e) as i64;
            mlgru_aligned(ha, f[j], ca) as i128
        })
        .collect();
    Bfp::from_wide(&wide, e)
}

/// `sigmoid(z)` in GATE for `z` in Q7.24 (NUMERICS.md section 3), Horner's rule on `i128`: the
/// oracle of [`crate::table::sigmoid_q24`].
pub fn sigmoid_q24(z: i64) -> u32 {
    let lim = (32i64 << SIGMOID_IN_FRAC) - 1;
    let t = z.clamp(-lim, lim).abs();
    let seg = (t >> SIGMOID_SEG_BITS) as usize;
    let u = (t & ((1 << SIGMOID_SEG_BITS) - 1)) as i128;
    let c = sigmoid_coefficients()[seg];
    let mut acc = c[3] as i128;
    for k in (0..3).rev() {
        acc = shr_round(acc * u, SIGMOID_SEG_BITS, Round::Rne) + c[k] as i128;
    }
    let pos = shr_round(acc, SIGMOID_GUARD, Round::Rne).clamp(0, GATE_ONE as i128) as u32;
    if z < 0 { GATE_ONE - pos } else { pos }
}
