//! The vector primitives of the fixed-point model (NUMERICS.md section 5).
//!
//! The fixed-point model, the instruction-set simulator and the RTL vector unit all compute exactly
//! these functions; the model is a fixed sequence of them (NUMERICS.md section 6). Each is integer
//! only: exact products and sums of BFP mantissas, then one normalization ([`Bfp::from_wide`]) that
//! rounds half to even. There is no division; the only reciprocals are [`Scale`] operations done once
//! per vector.

use crate::format::{Bfp, CODE_MAX, GATE_FRAC, GATE_ONE, MANT_BITS, RMS_EPS};
use crate::round::{Round, bit_len, shift_round, shr_round};
use crate::scale::Scale;
use crate::table::{SIGMOID_IN_FRAC, sigmoid_q24};

/// Bits of the alignment window of [`add`]: the larger operand's top bit sits 62 bits above the
/// window's bottom, so operands within 31 binary orders add exactly.
pub const ADD_WINDOW: i32 = 62;

/// `1 / n` as a [`Scale`] (the mean's divisor).
pub fn inv_len(n: usize) -> Scale {
    Scale::from_u64(n as u64).recip()
}

/// The RMSNorm epsilon as a [`Scale`].
pub fn eps() -> Scale {
    Scale::from_f64(RMS_EPS).expect("epsilon is finite and positive")
}

/// `1 / 127` as a [`Scale`].
pub fn inv_code_max() -> Scale {
    Scale::from_u64(CODE_MAX as u64).recip()
}

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

/// `1 - g` in GATE, exact.
pub fn one_minus(g: u32) -> u32 {
    GATE_ONE - g
}

/// Exponent to which [`mlgru`] aligns its operands: one above the larger, so the aligned sum fits.
pub fn mlgru_exponent(h: &Bfp, c: &Bfp) -> i32 {
    h.exp.max(c.exp) + 1
}

/// The MLGRU neuron on aligned integers, the frozen `dyn_decay` form `v = rne(f * h, 30) + c`: the
/// part the neuron unit computes. `|h|, |c| <= 2^29` after alignment, so `|v| <= 2^30`.
pub fn mlgru_aligned(h: i64, f: u32, c: i64) -> i64 {
    (shr_round(h as i128 * f as i128, GATE_FRAC, Round::Rne) + c as i128) as i64
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
    use crate::format::gate_to_f64;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    const LSB: f64 = 1.0 / (1u64 << 30) as f64;

    fn random(rng: &mut ChaCha8Rng, n: usize, scale: f32) -> (Vec<f64>, Bfp) {
        let v: Vec<f32> = (0..n)
            .map(|_| rng.gen_range(-1.0f32..1.0) * scale)
            .collect();
        let b = Bfp::from_f32(&v);
        ((0..n).map(|j| b.value(j)).collect(), b)
    }

    /// Asserts `got` equals `exact` to within `lsbs` units of `2^-30` of `exact`'s largest magnitude
    /// (one final rounding is half a mantissa LSB, at most `2^-30` of the maximum since the largest
    /// normalized mantissa is at least `2^29`).
    fn close(got: &Bfp, exact: &[f64], lsbs: f64, what: &str) {
        let max = exact.iter().fold(0f64, |m, e| m.max(e.abs()));
        for (j, &e) in exact.iter().enumerate() {
            let err = (got.value(j) - e).abs();
            assert!(
                err <= lsbs * LSB * max,
                "{what}: j={j} got {} exact {e} ({} lsb)",
                got.value(j),
                err / LSB / max
            );
        }
    }

    fn rms_f64(v: &[f64]) -> f64 {
        1.0 / (v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64 + 1e-6).sqrt()
    }

    #[test]
    fn rms_norm_matches_f64_to_30_bits() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for (n, scale) in [
            (64, 1.0),
            (1024, 0.01),
            (2816, 300.0),
            (5, 20000.0),
            (7, 1e-5),
        ] {
            let (v, vb) = random(&mut rng, n, scale);
            let (g, gb) = random(&mut rng, n, 3.0);
            let out = rms_norm(&vb, &gb);
            let r = rms_f64(&v);
            let exact: Vec<f64> = (0..n).map(|j| v[j] * r * g[j]).collect();
            close(&out, &exact, 4.0, "rms_norm");
        }
    }

    #[test]
    fn quantize_codes_match_exact_rounding_away_from_ties() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for (n, scale) in [(1024, 1.0), (256, 0.001), (6912, 50.0)] {
            let (y, yb) = random(&mut rng, n, scale);
            let (g, gb) = random(&mut rng, n, 2.0);
            let mut codes = vec![0i8; n];
            let sigma = quantize(&yb, &gb, Scale::from_f64(0.03).unwrap(), &mut codes);
            let u: Vec<f64> = (0..n).map(|j| y[j] * g[j]).collect();
            let m = u.iter().fold(0f64, |a, &b| a.max(b.abs()));
            for j in 0..n {
                let exact = 127.0 * u[j] / m;
                if (exact.abs().fract() - 0.5).abs() > 1e-6 {
                    assert_eq!(codes[j] as f64, exact.round(), "j={j} exact={exact}");
                }
            }
            let exact_sigma = 0.03 * rms_f64(&y) * m / 127.0;
            assert!(
                ((sigma.to_f64() - exact_sigma) / exact_sigma).abs() < 8.0 * LSB,
                "{sigma:?} vs {exact_sigma}"
            );
        }
    }

    #[test]
    fn quantize_of_zero_vector_is_zero() {
        let g = Bfp::from_f32(&[1.0; 8]);
        let mut codes = [5i8; 8];
        assert_eq!(
            quantize(&Bfp::zeros(8), &g, Scale::ONE, &mut codes),
            Scale::ZERO
        );
        assert_eq!(codes, [0; 8]);
        assert_eq!(rms_norm(&Bfp::zeros(8), &g), Bfp::zeros(8));
    }

    #[test]
    fn dequantize_add_mul_are_exact_then_rounded() {
        let s = Scale::from_f64(0.25).unwrap();
        let d = dequantize(&[4, -4, 1, 0], s);
        assert_eq!(
            (0..4).map(|j| d.value(j)).collect::<Vec<_>>(),
            vec![1.0, -1.0, 0.25, 0.0]
        );
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for (sa, sb) in [(1.0, 1.0), (1.0, 1e-6), (1e-12, 3.0), (5.0, 5.0)] {
            let (a, ab) = random(&mut rng, 300, sa);
            let (b, bb) = random(&mut rng, 300, sb);
            let sum: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
            close(&add(&ab, &bb), &sum, 1.0, "add");
            let prod: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x * y).collect();
            close(&mul(&ab, &bb), &prod, 1.0, "mul");
        }
        // Zero vectors are neutral whatever the other operand's exponent.
        let (_, tiny) = random(&mut rng, 4, 1e-30);
        assert_eq!(add(&tiny, &Bfp::zeros(4)), tiny);
        assert_eq!(add(&Bfp::zeros(4), &tiny), tiny);
    }

    #[test]
    fn silu_and_gates_match_f64() {
        let xs = [
            -40.0f32, -20.0, -16.0, -3.3, -1.0, -0.01, 0.0, 0.5, 1.27, 8.0, 15.99, 31.0, 300.0,
        ];
        let xb = Bfp::from_f32(&xs);
        let s = silu(&xb);
        let max = 300.0f64;
        for (j, &x) in xs.iter().enumerate() {
            let exact = x as f64 / (1.0 + (-(x as f64)).exp());
            assert!(
                (s.value(j) - exact).abs() < 4.0 * LSB * max,
                "silu({x}) = {} vs {exact}",
                s.value(j)
            );
        }
        assert_eq!(s.value(12), 300.0);
        let f = lower_bound_mix(GATE_ONE / 2, GATE_ONE / 4);
        assert_eq!(gate_to_f64(f), 0.625);
        assert_eq!(lower_bound_mix(0, 1000), 1000);
        assert_eq!(lower_bound_mix(GATE_ONE, 1000), GATE_ONE);
    }

    #[test]
    fn mlgru_matches_f64_and_keeps_h_a_convex_combination() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let (s, sb) = random(&mut rng, 64, 2.5);
        let mut h = Bfp::zeros(64);
        let mut hf = vec![0f64; 64];
        for step in 0..500 {
            let f: Vec<u32> = (0..64).map(|_| rng.gen_range(0..=GATE_ONE)).collect();
            let omf: Vec<u32> = f.iter().map(|&g| one_minus(g)).collect();
            let c = gate_mul(&sb, &omf);
            h = mlgru(&h, &f, &c);
            for j in 0..64 {
                hf[j] = gate_to_f64(f[j]) * hf[j] + s[j] * gate_to_f64(omf[j]);
                assert!(
                    h.value(j).abs() <= s[j].abs().max(1e-300) * (1.0 + 1e-6) + 1e-12 || step == 0,
                    "convexity"
                );
            }
            close(&h, &hf, 64.0, "mlgru");
        }
        // f = 1 holds h, f = 0 copies c.
        let one = vec![GATE_ONE; 64];
        assert_eq!(mlgru(&sb, &one, &Bfp::zeros(64)), sb);
        assert_eq!(mlgru(&Bfp::zeros(64), &vec![0; 64], &sb), sb);
    }

    #[test]
    fn argmax_takes_first_of_ties() {
        assert_eq!(argmax(&[1, 5, 5, 2]), 1);
        assert_eq!(argmax(&[-3]), 0);
    }
}
