//! The vector primitives of the fixed-point model (NUMERICS.md section 5).
//!
//! The fixed-point model, the instruction-set simulator and the RTL vector unit all compute exactly
//! these functions; the model is a fixed sequence of them (NUMERICS.md section 6). Each is integer
//! only: exact products and sums of BFP mantissas, then one normalization that rounds half to even.
//! There is no division; the only reciprocals are [`Scale`] operations done once per vector.
//!
//! These are the fast forms. Every exact intermediate fits `i64`: the bound is written beside each
//! one, for any `i32` mantissa (`|m| <= 2^31`) and any `u32` gate, not only for normalized values.
//! Products are recomputed on the fly instead of collected ([`Bfp::from_wide_fn`]), roundings are
//! branch-free ([`rne_i64`], [`rne_u64`]), per-vector choices (shift directions) are made once
//! outside the loops, and the loops run from an AVX2 copy where the CPU has one (`simd`).
//! [`plain`] keeps the definition as first written, on `i128`; the two agree bit for bit on every
//! input (`spec/tests/ops_fast_equals_plain.rs`, `ops_portable_equals_plain.rs`).

pub mod plain;
mod simd;

use crate::format::{Bfp, CODE_MAX, GATE_FRAC, GATE_ONE, MANT_BITS, RMS_EPS};
use crate::round::{Round, bit_len, rne_i64, rne_u64, shr_round};
use crate::scale::Scale;
use crate::table::{
    SIGMOID_IN_FRAC, SIGMOID_SEGMENTS, sigmoid_cubic, sigmoid_q24, sigmoid_segment, sigmoid_table,
};
pub use simd::set_portable_only;
use simd::wide_fn;

/// Bits of the alignment window of [`add`]: the larger operand's top bit sits 62 bits above the
/// window's bottom, so operands within 31 binary orders add exactly.
pub const ADD_WINDOW: i32 = 62;

/// Right shifts of an `i32` mantissa by more than this round to 0 (`|m| <= 2^31` is at most half
/// a unit, and the one tie, `-2^31 / 2^32`, goes to even 0), so shifts are clamped to it.
const I32_SHIFT_MAX: i32 = 32;

/// Elements per block of [`sigmoid`]'s two passes.
const SIGMOID_BLOCK: usize = 256;

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

wide_fn! {
    /// `sum m_j^2`, exact. Each square is at most `2^62`; it is split at bit 32 and both halves
    /// are summed in `u64` (high halves `< 2^30`, low halves `< 2^32`, so `2^31` elements of either
    /// sum stay below `2^63`), then joined in `u128` once per `2^31` elements.
    fn sum_squares(mant: &[i32]) -> u128 {
        let mut total = 0u128;
        for chunk in mant.chunks(1 << 31) {
            let (mut hi, mut lo) = (0u64, 0u64);
            for &m in chunk {
                let sq = (m as i64 * m as i64) as u64;
                hi += sq >> 32;
                lo += sq & 0xffff_ffff;
            }
            total += ((hi as u128) << 32) + lo as u128;
        }
        total
    }
}

/// `rho = 1 / sqrt(mean(v^2) + eps)`; the sum of squares is exact.
pub fn rms(v: &Bfp) -> Scale {
    let mean = Scale::new(sum_squares(&v.mant), 2 * v.exp) * inv_len(v.len());
    (mean + eps()).rsqrt()
}

/// The common length of two operands and their mantissas cut to it (the zip of the definition).
fn common<'a, T>(a: &'a [i32], b: &'a [T]) -> (&'a [i32], &'a [T]) {
    let n = a.len().min(b.len());
    (&a[..n], &b[..n])
}

/// RMSNorm with weight: `v * rho(v) * gamma`. Per element `c = rne(gamma * rho.m, 31)` (31 x 31 bits),
/// then the exact product `v * c`, then one normalization.
pub fn rms_norm(v: &Bfp, gamma: &Bfp) -> Bfp {
    let rho = rms(v);
    let (x, g) = common(&v.mant, &gamma.mant);
    // rho.m < 2^31, so it is also an i32 (which lets AVX2 use its 32 x 32-bit multiply).
    let r = rho.mantissa() as i32;
    rms_norm_wide(x, g, r, v.exp + gamma.exp + rho.exponent() + 31)
}

wide_fn! {
    /// The element loop of [`rms_norm`] over equal-length `x`, `g`.
    fn rms_norm_wide(x: &[i32], g: &[i32], r: i32, exp: i32) -> Bfp {
        let n = x.len().min(g.len());
        let (x, g) = (&x[..n], &g[..n]);
        Bfp::from_wide_fn(n, exp, |j| {
            // |g| <= 2^31 and r < 2^31: |g r| < 2^62, and after the shift
            // |c| <= (2^62 - 2^31) / 2^31 = 2^31 - 1, an i32. |x c| < 2^62.
            let c = rne_i64(g[j] as i64 * r as i64, 31) as i32;
            x[j] as i64 * c as i64
        })
    }
}

/// BitLinear input stage: the per-token absmax int8 codes of `y * rho(y) * gamma` (they do not depend
/// on `rho`) and the output scale `sigma = alpha * rho(y) * max|y * gamma| / 127`, so that the
/// BitLinear output is `acc * sigma` ([`dequantize`]). A zero product gives zero codes and `sigma = 0`.
pub fn quantize(y: &Bfp, gamma: &Bfp, alpha: Scale, codes: &mut [i8]) -> Scale {
    quantize_with_rms(y, gamma, alpha, rms(y), codes)
}

/// [`quantize`] with `rho = rms(y)` already known: the same codes and scale. A token's three
/// projections `i`, `f`, `g` quantize the same vector, so the model computes `rms` once for them.
pub fn quantize_with_rms(
    y: &Bfp,
    gamma: &Bfp,
    alpha: Scale,
    rho: Scale,
    codes: &mut [i8],
) -> Scale {
    let (ym, gm) = common(&y.mant, &gamma.mant);
    // Every rounding below is symmetric (half to even, half away from zero, the clamp to ±127), so
    // the codes are computed on magnitudes `|u| = |y| |g|` (at most 2^62, a 32 x 32-bit unsigned
    // product) and given the sign of `y g` at the end.
    let m = max_magnitude(ym, gm);
    if m == 0 {
        codes.fill(0);
        return Scale::ZERO;
    }
    // Shift the products so the largest has 30 bits, then multiply by 127 / max.
    let k = bit_len(m as u128) as i32 - MANT_BITS as i32;
    let max30 = if k <= 0 {
        m << -k
    } else {
        rne_u64(m, k as u32)
    };
    let c = Scale::from_u64(CODE_MAX as u64) * Scale::from_u64(max30).recip();
    // max30 is in [2^29, 2^30], so 127 / max30 has exponent -53 or -54 and the shift is 53 or 54.
    codes_wide(ym, gm, k, c, codes);
    let max_real = Scale::new(m as u128, y.exp + gamma.exp);
    alpha * rho * max_real * inv_code_max()
}

wide_fn! {
    /// `max_j |y_j g_j|`, exact (at most `2^62`).
    fn max_magnitude(y: &[i32], g: &[i32]) -> u64 {
        let n = y.len().min(g.len());
        let (y, g) = (&y[..n], &g[..n]);
        let mut m = 0i64;
        for j in 0..n {
            m = m.max((y[j].unsigned_abs() as u64 * g[j].unsigned_abs() as u64) as i64);
        }
        m as u64
    }
}

wide_fn! {
    /// The codes of [`quantize_with_rms`]: `|u_j|` shifted by `k` to 30 bits, times `c`, rounded
    /// half away from zero, at most 127, signed as `y_j g_j`.
    fn codes_wide(y: &[i32], g: &[i32], k: i32, c: Scale, codes: &mut [i8]) {
        let n = y.len().min(g.len()).min(codes.len());
        let (y, g, out) = (&y[..n], &g[..n], &mut codes[..n]);
        let (cm, s) = (c.mantissa() as u64, (-c.exponent()) as u32);
        let mag = |j: usize| y[j].unsigned_abs() as u64 * g[j].unsigned_abs() as u64;
        // x30 <= 2^30 and cm < 2^31, both u32: the product is below 2^61.
        let code = |x30: u64, j: usize| {
            let v = ((x30 as u32 as u64 * cm + (1 << (s - 1))) >> s).min(CODE_MAX as u64) as i8;
            if (y[j] ^ g[j]) < 0 { -v } else { v }
        };
        if k <= 0 {
            // |u| <= max < 2^(30 + k): the left shift is exact and below 2^30.
            let l = (-k) as u32;
            for (j, q) in out.iter_mut().enumerate() {
                *q = code(mag(j) << l, j);
            }
        } else {
            let k = k as u32;
            for (j, q) in out.iter_mut().enumerate() {
                *q = code(rne_u64(mag(j), k), j);
            }
        }
    }
}

wide_fn! {
    /// BitLinear output stage: `acc * sigma`, exact then normalized.
    pub fn dequantize(acc: &[i32], sigma: Scale) -> Bfp {
        // sigma.m < 2^31 is also an i32; |acc| <= 2^31: the product is below 2^62.
        let s = sigma.mantissa() as i32 as i64;
        Bfp::from_wide_fn(acc.len(), sigma.exponent(), |j| acc[j] as i64 * s)
    }
}

/// Where [`add`] and [`mlgru`] place a mantissa: `s = base - e` is a left shift when `s <= 0`
/// (exact; both callers keep `s >= -31`, so `|m << -s| <= 2^62`), else a right shift rounded half
/// to even (clamped to [`I32_SHIFT_MAX`], beyond which every `i32` rounds to 0 anyway). The
/// direction is chosen once, so each loop is branch-free.
#[inline(always)]
fn aligned(m: &[i32], s: i32) -> Vec<i64> {
    if s <= 0 {
        let l = (-s) as u32;
        m.iter().map(|&x| (x as i64) << l).collect()
    } else {
        let r = s.min(I32_SHIFT_MAX) as u32;
        m.iter().map(|&x| rne_i64(x as i64, r)).collect()
    }
}

/// Element-wise sum (the residual adds). Both operands are placed in a 62-bit window below the
/// larger exponent's top bit (exact when the exponents differ by at most 31; otherwise the smaller
/// operand is rounded half to even at the window's bottom), added exactly, and normalized.
pub fn add(a: &Bfp, b: &Bfp) -> Bfp {
    let base = a.exp.max(b.exp) + MANT_BITS as i32 + 1 - ADD_WINDOW;
    let (x, y) = common(&a.mant, &b.mant);
    add_wide(x, y, (base - a.exp, base - b.exp), base)
}

wide_fn! {
    /// The element loop of [`add`]: shifts `base - e` of both operands, both at least `-31`
    /// (`base - max(e_a, e_b) = -31`).
    fn add_wide(x: &[i32], y: &[i32], shifts: (i32, i32), base: i32) -> Bfp {
        let n = x.len().min(y.len());
        let (x, y) = (aligned(&x[..n], shifts.0), aligned(&y[..n], shifts.1));
        let (x, y) = (&x[..n], &y[..n]);
        // Each aligned term is in [-2^62, 2^62), so the sum is in [-2^63, 2^63), an i64.
        Bfp::from_wide_fn(n, base, |j| x[j] + y[j])
    }
}

/// Element-wise product of two BFP vectors, exact then normalized.
pub fn mul(a: &Bfp, b: &Bfp) -> Bfp {
    let (x, y) = common(&a.mant, &b.mant);
    mul_wide(x, y, a.exp + b.exp)
}

wide_fn! {
    /// The element loop of [`mul`].
    fn mul_wide(x: &[i32], y: &[i32], exp: i32) -> Bfp {
        let n = x.len().min(y.len());
        let (x, y) = (&x[..n], &y[..n]);
        // |x|, |y| <= 2^31: |x y| <= 2^62.
        Bfp::from_wide_fn(n, exp, |j| x[j] as i64 * y[j] as i64)
    }
}

/// Element-wise product of a BFP vector and gates, exact then normalized.
pub fn gate_mul(a: &Bfp, g: &[u32]) -> Bfp {
    let (x, g) = common(&a.mant, g);
    gate_mul_wide(x, g, a.exp - GATE_FRAC as i32)
}

wide_fn! {
    /// The element loop of [`gate_mul`].
    fn gate_mul_wide(x: &[i32], g: &[u32], exp: i32) -> Bfp {
        let n = x.len().min(g.len());
        let (x, g) = (&x[..n], &g[..n]);
        // |x| <= 2^31 and g < 2^32: |x g| < 2^63.
        Bfp::from_wide_fn(n, exp, |j| x[j] as i64 * g[j] as i64)
    }
}

/// Sigmoid of one element `m * 2^e`: the value is rounded to Q7.24 (saturating beyond `±32`) and
/// evaluated by [`sigmoid_q24`].
pub fn sigmoid_element(m: i32, e: i32) -> u32 {
    let s = -(e + SIGMOID_IN_FRAC as i32);
    let z = if s >= 0 {
        crate::round::shr_rne_i64(m as i64, s as u32)
    } else {
        // A left shift: any non-zero m shifted by 41 or more is beyond 2^40, so clamping the
        // shift to 62 and saturating gives the same clamped value.
        (m as i64).saturating_mul(1i64 << (-s).min(62))
    };
    sigmoid_q24(z.clamp(-(1 << 40), 1 << 40))
}

/// Element-wise sigmoid, as gates.
pub fn sigmoid(x: &Bfp) -> Vec<u32> {
    let s = -(x.exp + SIGMOID_IN_FRAC as i32);
    if s <= 0 {
        // Values of 2^7 and more per mantissa unit (far beyond the table): element by element.
        return x.mant.iter().map(|&m| sigmoid_element(m, x.exp)).collect();
    }
    // A right shift: |z| <= 2^30 needs no clamp before the table's own.
    sigmoid_wide(&x.mant, s.min(I32_SHIFT_MAX) as u32, sigmoid_table())
}

wide_fn! {
    /// The element loops of [`sigmoid`] for inputs `m >> s` (rounded half to even, `s >= 1`).
    /// Per block of elements, two passes: the table lookups one by one (AVX2 gathers are slow),
    /// then the cubics, which vectorize. The block's inputs and coefficients stay on the stack
    /// (10 KiB), so nothing but the result is allocated (a heap scratch of a 2816-element
    /// vector cost page faults on every call).
    fn sigmoid_wide(m: &[i32], s: u32, table: &[[i64; 4]; SIGMOID_SEGMENTS]) -> Vec<u32> {
        let mut out = vec![0u32; m.len()];
        // Inputs and the four coefficients, one array each, so the second pass loads them
        // contiguously.
        let mut z = [0i64; SIGMOID_BLOCK];
        let mut coef = [[0i64; SIGMOID_BLOCK]; 4];
        for (o, m) in out.chunks_mut(SIGMOID_BLOCK).zip(m.chunks(SIGMOID_BLOCK)) {
            let n = m.len().min(o.len()).min(SIGMOID_BLOCK);
            for j in 0..n {
                z[j] = rne_i64(m[j] as i64, s);
                let c = &table[sigmoid_segment(z[j])];
                for (k, ck) in coef.iter_mut().enumerate() {
                    ck[j] = c[k];
                }
            }
            for j in 0..n {
                let c = [coef[0][j], coef[1][j], coef[2][j], coef[3][j]];
                o[j] = sigmoid_cubic(z[j], &c);
            }
        }
        out
    }
}

/// Element-wise `SiLU(x) = x * sigmoid(x)`, exact product then normalized.
pub fn silu(x: &Bfp) -> Bfp {
    gate_mul(x, &sigmoid(x))
}

/// Forget-gate lower bound (mmfree-model.md section 1.4): `f = lb + (1 - lb) * s`, all GATE.
pub fn lower_bound_mix(s: u32, lb: u32) -> u32 {
    // Both factors are u32: the product is below 2^64.
    let p = (GATE_ONE - lb) as u64 * s as u64;
    let q = p >> GATE_FRAC;
    let r = p & ((1 << GATE_FRAC) - 1);
    let half = 1 << (GATE_FRAC - 1);
    lb + (q + u64::from(r > half || (r == half && q & 1 == 1))) as u32
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
    let n = h.len();
    // Shorter gate or input vectors are refused as the indexing definition refuses them.
    let (f, cm) = (&f[..n], &c.mant[..n]);
    mlgru_wide(&h.mant, f, cm, (e - h.exp, e - c.exp), e)
}

wide_fn! {
    /// The element loop of [`mlgru`]: both shifts `e - e_h`, `e - e_c` are at least 1, so
    /// `|h'|, |c'| <= 2^30`; `f < 2^32`, so `|f h'| < 2^62` and `|v| < 2^33`.
    fn mlgru_wide(h: &[i32], f: &[u32], c: &[i32], shifts: (i32, i32), e: i32) -> Bfp {
        let n = h.len().min(f.len()).min(c.len());
        let (ha, ca) = (aligned(&h[..n], shifts.0), aligned(&c[..n], shifts.1));
        let (ha, ca, f) = (&ha[..n], &ca[..n], &f[..n]);
        Bfp::from_wide_fn(n, e, |j| {
            // Half to even is symmetric: round the magnitude (a 32 x 32-bit unsigned product),
            // then give it the sign of h'.
            let p = rne_u64(ha[j].unsigned_abs() as u32 as u64 * f[j] as u64, GATE_FRAC) as i64;
            let sign = ha[j] >> 63;
            ((p ^ sign) - sign) + ca[j]
        })
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
