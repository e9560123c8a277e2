//! The vector primitives of the fixed-point model (NUMERICS.md section 5).
//!
//! The fixed-point model, the instruction-set simulator and the RTL vector unit all compute exactly
//! these functions; the model is a fixed sequence of them (NUMERICS.md section 6). Each one is
//! integer-only, uses multiplies no wider than 32 x 18 bits, and divides nowhere: the only
//! reciprocals are table-based [`Scale`] operations done once per vector.
//!
//! Block shifts: where a whole vector feeds a narrow multiplier or a sum of squares, it is first
//! shifted right (floor) by `k = max(0, bit_len(max|v|) - B)` so its largest element has `B` bits.

use crate::format::{ACT_FRAC, Bfp, CODE_MAX, GATE_FRAC, GATE_ONE, RMS_EPS, act_times_gate};
use crate::round::{Round, bit_len, sat32, shift_round, shr_round};
use crate::scale::Scale;
use crate::table::sigmoid;

/// Bits kept by the block shift before squaring (an 18 x 18 multiply).
pub const SQUARE_BITS: u32 = 17;
/// Bits kept by the block shift of `y * gamma` before multiplying by the code reciprocal.
pub const CODE_PRODUCT_BITS: u32 = 26;

/// Largest magnitude in a vector.
pub fn max_abs(v: &[i32]) -> u32 {
    v.iter().map(|x| x.unsigned_abs()).max().unwrap_or(0)
}

/// The block shift that leaves `max` with at most `bits` significant bits.
pub fn block_shift(max: u128, bits: u32) -> u32 {
    bit_len(max).saturating_sub(bits)
}

/// `1 / n` as a [`Scale`], through the reciprocal table (the mean's divisor).
pub fn inv_len(n: usize) -> Scale {
    Scale::from_u64(n as u64).recip()
}

/// The RMSNorm epsilon as a [`Scale`].
pub fn eps() -> Scale {
    Scale::from_f64(RMS_EPS).expect("epsilon is finite and positive")
}

/// `1 / 127` as a [`Scale`], through the reciprocal table.
pub fn inv_code_max() -> Scale {
    Scale::from_u64(CODE_MAX as u64).recip()
}

/// `rho = 1 / sqrt(mean(v^2) + eps)` of an ACT vector, squares taken after a 17-bit block shift.
pub fn rms_rsqrt(v: &[i32]) -> Scale {
    let k = block_shift(max_abs(v) as u128, SQUARE_BITS);
    let ss: u64 = v.iter().map(|&x| ((x >> k) as i64 * (x >> k) as i64) as u64).sum();
    let mean = Scale::new(ss as u128, 2 * k as i32 - 2 * ACT_FRAC as i32).mul(inv_len(v.len()));
    mean.add(eps()).rsqrt()
}

/// RMSNorm with weight: `out = v * rho(v) * gamma`, ACT in and out.
///
/// Per element, `c = rne(rho.m * gamma_j, 17)` (17 x 18 bits) then `out = rne(v_j * c)` (32 x 18 bits)
/// shifted to ACT and saturated.
pub fn rms_norm(v: &[i32], gamma: &Bfp, out: &mut [i32]) {
    let rho = rms_rsqrt(v);
    let shift = -(17 + rho.exponent() + gamma.exp);
    for ((o, &x), &g) in out.iter_mut().zip(v).zip(&gamma.mant) {
        let c = shr_round(rho.mantissa() as i128 * g as i128, 17, Round::Rne);
        *o = sat32(shift_round(x as i128 * c, shift, Round::Rne));
    }
}

/// BitLinear input stage: per-token absmax int8 codes of `y * rho(y) * gamma` (the codes do not
/// depend on `rho`) and the output scale `sigma = alpha * rho(y) * max|y * gamma| / 127`, so that the
/// BitLinear output is `acc * sigma` ([`dequantize`]). A zero vector gives zero codes and `sigma = 0`.
pub fn quantize(y: &[i32], gamma: &Bfp, alpha: Scale, codes: &mut [i8]) -> Scale {
    let rho = rms_rsqrt(y);
    let u = |j: usize| y[j] as i64 * gamma.mant[j] as i64;
    let m = (0..y.len()).map(|j| u(j).unsigned_abs()).max().unwrap_or(0);
    if m == 0 {
        codes.fill(0);
        return Scale::ZERO;
    }
    let k = block_shift(m as u128, CODE_PRODUCT_BITS);
    let c = Scale::from_u64(CODE_MAX as u64).mul(Scale::from_u64(m >> k).recip());
    for (j, q) in codes.iter_mut().enumerate() {
        let v = shift_round((u(j) >> k) as i128 * c.mantissa() as i128, -c.exponent(), Round::Rhaz);
        *q = v.clamp(-CODE_MAX as i128, CODE_MAX as i128) as i8;
    }
    let max_real = Scale::new(m as u128, gamma.exp - ACT_FRAC as i32);
    alpha.mul(rho).mul(max_real).mul(inv_code_max())
}

/// BitLinear output stage: `out = acc * sigma` in ACT, rounded half to even and saturated.
pub fn dequantize(acc: &[i32], sigma: Scale, out: &mut [i32]) {
    for (o, &a) in out.iter_mut().zip(acc) {
        *o = sat32(sigma.apply(a as i64, ACT_FRAC, Round::Rne));
    }
}

/// `SiLU(x) = x * sigmoid(x)`, ACT in and out (exact identity for `x >= 16`, zero for `x <= -16`).
pub fn silu(x: i32) -> i32 {
    act_times_gate(x, sigmoid(x))
}

/// Forget-gate lower bound (mmfree-model.md section 1.4): `f = lb + (1 - lb) * s`, all GATE.
pub fn lower_bound_mix(s: u32, lb: u32) -> u32 {
    lb + shr_round((GATE_ONE - lb) as i128 * s as i128, GATE_FRAC, Round::Rne) as u32
}

/// MLGRU candidate `c = SiLU(i) * (1 - f)`, given `SiLU(i)` in ACT and `f` in GATE.
pub fn candidate(silu_i: i32, f: u32) -> i32 {
    act_times_gate(silu_i, GATE_ONE - f)
}

/// The MLGRU neuron, frozen in the `dyn_decay` form: `h' = rne(f * h, 17) + c`, saturated to ACT.
pub fn mlgru(h: i32, f: u32, c: i32) -> i32 {
    sat32(shr_round(h as i128 * f as i128, GATE_FRAC, Round::Rne) + c as i128)
}

/// Element-wise product of two ACT vectors with `b` block-shifted to 18 bits (a 32 x 18 multiply).
/// Used only where the result is normalized and quantized next, so relative precision suffices.
pub fn bfp_mul(a: &[i32], b: &[i32], out: &mut [i32]) {
    let k = block_shift(max_abs(b) as u128, SQUARE_BITS);
    let shift = ACT_FRAC as i32 - k as i32;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = sat32(shift_round(x as i128 * (y >> k) as i128, shift, Round::Rne));
    }
}

/// Index of the largest value, the first one on ties (greedy decoding).
pub fn argmax(v: &[i32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{act_from_f32, act_to_f64, gate_to_f64};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random_act(rng: &mut ChaCha8Rng, n: usize, scale: f32) -> Vec<i32> {
        (0..n).map(|_| act_from_f32(rng.gen_range(-1.0f32..1.0) * scale)).collect()
    }

    fn gamma(rng: &mut ChaCha8Rng, n: usize) -> (Vec<f32>, Bfp) {
        let g: Vec<f32> = (0..n).map(|_| rng.gen_range(0.2f32..3.0)).collect();
        let b = Bfp::from_f32(&g);
        (g, b)
    }

    #[test]
    fn rms_norm_matches_f64_to_17_bits_of_the_vector_maximum() {
        // gamma is stored with 17 bits relative to its largest element (BFP18), and rho*gamma is
        // rounded to 18 bits, so each output is exact to about 2^-16 of the output's maximum.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for (n, scale) in [(64, 1.0), (1024, 0.01), (2816, 300.0), (5, 20000.0)] {
            let v = random_act(&mut rng, n, scale);
            let (gf, g) = gamma(&mut rng, n);
            let mut out = vec![0; n];
            rms_norm(&v, &g, &mut out);
            let ms: f64 = v.iter().map(|&x| act_to_f64(x).powi(2)).sum::<f64>() / n as f64;
            let rho = 1.0 / (ms + 1e-6).sqrt();
            let exact: Vec<f64> = (0..n).map(|j| act_to_f64(v[j]) * rho * gf[j] as f64).collect();
            let max = exact.iter().fold(0f64, |m, e| m.max(e.abs()));
            for j in 0..n {
                let err = (act_to_f64(out[j]) - exact[j]).abs();
                assert!(err <= max * 2f64.powi(-16) + 2f64.powi(-16), "n={n} j={j} {} vs {}", exact[j], act_to_f64(out[j]));
            }
        }
    }

    #[test]
    fn quantize_codes_match_exact_rounding_away_from_ties() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for (n, scale) in [(1024, 1.0), (256, 0.001), (6912, 50.0)] {
            let y = random_act(&mut rng, n, scale);
            let (_, g) = gamma(&mut rng, n);
            let alpha = Scale::from_f64(0.03).unwrap();
            let mut codes = vec![0i8; n];
            let sigma = quantize(&y, &g, alpha, &mut codes);
            let u: Vec<f64> = (0..n).map(|j| y[j] as f64 * g.mant[j] as f64).collect();
            let m = u.iter().fold(0f64, |a, &b| a.max(b.abs()));
            let mut checked = 0;
            for j in 0..n {
                let exact = 127.0 * u[j] / m;
                if (exact.abs().fract() - 0.5).abs() > 1e-3 {
                    assert_eq!(codes[j] as f64, exact.round(), "j={j} exact={exact}");
                    checked += 1;
                }
            }
            assert!(checked > n * 99 / 100);
            assert!(codes.iter().any(|&q| q.abs() == 127));
            // sigma = alpha * rho * max|y*gamma| / 127
            let ms: f64 = y.iter().map(|&x| act_to_f64(x).powi(2)).sum::<f64>() / n as f64;
            let rho = 1.0 / (ms + 1e-6).sqrt();
            let exact_sigma = 0.03 * rho * m * 2f64.powi(g.exp - 16) / 127.0;
            assert!(((sigma.to_f64() - exact_sigma) / exact_sigma).abs() < 1e-4, "{sigma:?} vs {exact_sigma}");
        }
    }

    #[test]
    fn quantize_of_zero_vector_is_zero() {
        let g = Bfp::from_f32(&[1.0; 8]);
        let mut codes = [5i8; 8];
        assert_eq!(quantize(&[0; 8], &g, Scale::ONE, &mut codes), Scale::ZERO);
        assert_eq!(codes, [0; 8]);
        let mut out = [9; 8];
        rms_norm(&[0; 8], &g, &mut out);
        assert_eq!(out, [0; 8]);
    }

    #[test]
    fn quantize_survives_extreme_inputs() {
        let g = Bfp::from_f32(&[1.0, 2.0, 0.5]);
        let mut codes = [0i8; 3];
        let s = quantize(&[i32::MIN, i32::MAX, -1], &g, Scale::ONE, &mut codes);
        assert_eq!(codes, [-64, 127, 0]);
        assert!(!s.is_zero());
    }

    #[test]
    fn dequantize_is_exact_integer_scaling() {
        let s = Scale::from_f64(0.25).unwrap();
        let mut out = [0; 4];
        dequantize(&[4, -4, 1, 0], s, &mut out);
        assert_eq!(out, [65536, -65536, 16384, 0]);
        dequantize(&[i32::MAX, i32::MIN, 0, 0], Scale::from_u64(1 << 20), &mut out);
        assert_eq!(&out[..2], &[i32::MAX, i32::MIN]);
    }

    #[test]
    fn silu_and_gates_match_f64() {
        for xf in [-20.0f32, -16.0, -3.3, -1.0, -0.01, 0.0, 0.5, 1.27, 8.0, 15.99, 16.0, 300.0] {
            let x = act_from_f32(xf);
            let exact = xf as f64 / (1.0 + (-(xf as f64)).exp());
            assert!((act_to_f64(silu(x)) - exact).abs() < 1e-4 * exact.abs().max(1.0), "silu({xf})");
        }
        assert_eq!(silu(act_from_f32(300.0)), act_from_f32(300.0));
        assert_eq!(silu(act_from_f32(-17.0)), 0);
        let f = lower_bound_mix(GATE_ONE / 2, GATE_ONE / 4);
        assert_eq!(gate_to_f64(f), 0.625);
        assert_eq!(lower_bound_mix(0, 1000), 1000);
        assert_eq!(lower_bound_mix(GATE_ONE, 1000), GATE_ONE);
    }

    #[test]
    fn mlgru_keeps_h_a_convex_combination() {
        // f = 1 holds h, f = 0 copies c (neuron-models.md T11 in Q0.17).
        assert_eq!(mlgru(1000, GATE_ONE, 0), 1000);
        assert_eq!(mlgru(1000, 0, 77), 77);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let s = act_from_f32(2.5);
        let mut h = 0;
        for _ in 0..1000 {
            let f = rng.gen_range(0..=GATE_ONE);
            h = mlgru(h, f, candidate(s, f));
            assert!(h.abs() <= s + 1, "h={h}");
        }
    }

    #[test]
    fn bfp_mul_matches_f64_relative_to_vector_max() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let a = random_act(&mut rng, 500, 3.0);
        let b = random_act(&mut rng, 500, 1000.0);
        let mut out = vec![0; 500];
        bfp_mul(&a, &b, &mut out);
        let bmax = b.iter().map(|&x| act_to_f64(x).abs()).fold(0.0, f64::max);
        for j in 0..500 {
            let exact = act_to_f64(a[j]) * act_to_f64(b[j]);
            let bound = 3.0 * bmax * 2f64.powi(-16) + 2f64.powi(-16);
            assert!((act_to_f64(out[j]) - exact).abs() <= bound, "j={j}");
        }
        // Small b is not shifted at all: exact Q16 product.
        let mut o = [0];
        bfp_mul(&[3 << 16], &[5 << 16], &mut o);
        assert_eq!(o, [15 << 16]);
    }

    #[test]
    fn argmax_takes_first_of_ties() {
        assert_eq!(argmax(&[1, 5, 5, 2]), 1);
        assert_eq!(argmax(&[-3]), 0);
        assert_eq!(argmax(&[i32::MIN, i32::MIN]), 0);
    }
}
