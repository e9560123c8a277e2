//! Random inputs of every kind the vector primitives can meet, and one case that runs every
//! primitive in its fast and its plain form and names the first difference (shared by the test
//! binaries of the AVX2 and the portable copies).

use mmfree_spec::Scale;
use mmfree_spec::format::{Bfp, GATE_ONE, ZERO_EXP};
use mmfree_spec::ops::{self, plain};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Mantissas where rounding, normalization or overflow could go wrong.
pub const EDGES: [i32; 17] = [
    0,
    1,
    -1,
    2,
    -3,
    1 << 29,
    -(1 << 29),
    (1 << 30) - 1,
    -(1 << 30) + 1,
    1 << 30,
    -(1 << 30),
    (1 << 30) + 1,
    3 << 28,
    -(3 << 28),
    i32::MAX,
    i32::MIN,
    i32::MIN + 1,
];

/// Random inputs of every kind the primitives can meet.
pub struct Gen(pub ChaCha8Rng);

impl Gen {
    pub fn len(&mut self) -> usize {
        match self.0.gen_range(0..10) {
            0 => *[0, 1, 2, 3, 5, 8, 31, 33].choose(&mut self.0).unwrap(),
            1 => 1024,
            2 => 2560,
            3 => 2816,
            _ => self.0.gen_range(1..2000),
        }
    }

    fn mantissas(&mut self, n: usize) -> Vec<i32> {
        let r = &mut self.0;
        match r.gen_range(0..8) {
            // Normalized: the largest has 30 bits.
            0 | 1 => {
                let wide: Vec<i128> = (0..n)
                    .map(|_| r.gen_range(-(1i128 << 50)..1 << 50))
                    .collect();
                Bfp::from_wide(&wide, 0).mant
            }
            // Any i32, including magnitudes above the contract's 2^30.
            2 => (0..n).map(|_| r.r#gen()).collect(),
            // Small magnitudes (normalizing shifts left).
            3 => {
                let bits = r.gen_range(0..31);
                (0..n)
                    .map(|_| r.gen_range(-(1i64 << bits)..=1 << bits) as i32)
                    .collect()
            }
            // Edge values mixed with random ones.
            4 => (0..n)
                .map(|_| {
                    if r.gen_bool(0.7) {
                        *EDGES.choose(r).unwrap()
                    } else {
                        r.gen_range(-(1 << 30)..=1 << 30)
                    }
                })
                .collect(),
            // Sparse.
            5 => (0..n)
                .map(|_| {
                    if r.gen_bool(0.05) {
                        r.gen_range(-(1 << 30)..=1 << 30)
                    } else {
                        0
                    }
                })
                .collect(),
            // All zero (with a real exponent; `bfp` also makes canonical zero vectors).
            6 => vec![0; n],
            // Contract range, uniform.
            _ => (0..n).map(|_| r.gen_range(-(1 << 30)..=1 << 30)).collect(),
        }
    }

    fn exp(&mut self) -> i32 {
        if self.0.gen_bool(0.05) {
            ZERO_EXP
        } else {
            self.0.gen_range(-90..40)
        }
    }

    pub fn bfp(&mut self, n: usize) -> Bfp {
        if self.0.gen_bool(0.05) {
            return Bfp::zeros(n);
        }
        let mant = self.mantissas(n);
        Bfp {
            mant,
            exp: self.exp(),
        }
    }

    /// A second vector whose exponent is a chosen distance from `a`'s (equal, adjacent, at the
    /// edges of the add window, far apart, or the zero vector's).
    fn partner(&mut self, a: &Bfp) -> Bfp {
        let mut b = self.bfp(a.len());
        if b.exp != ZERO_EXP && a.exp != ZERO_EXP && self.0.gen_bool(0.7) {
            let d = *[0, 1, 2, 29, 30, 31, 32, 33, 61, 62, 63, 64, 65, 100, 1000]
                .choose(&mut self.0)
                .unwrap();
            b.exp = if self.0.gen_bool(0.5) {
                a.exp + d
            } else {
                a.exp - d
            };
        }
        b
    }

    fn gates(&mut self, n: usize) -> Vec<u32> {
        let r = &mut self.0;
        let wild = r.gen_bool(0.1);
        (0..n)
            .map(|_| match r.gen_range(0..6) {
                0 => 0,
                1 => GATE_ONE,
                2 => GATE_ONE - 1,
                3 if wild => r.r#gen(),
                _ => r.gen_range(0..=GATE_ONE),
            })
            .collect()
    }

    pub fn scale(&mut self) -> Scale {
        match self.0.gen_range(0..10) {
            0 => Scale::ZERO,
            1 => Scale::ONE,
            _ => Scale::from_parts(
                self.0.gen_range(1 << 30..1u32 << 31),
                self.0.gen_range(-90..30),
            )
            .unwrap(),
        }
    }

    fn accumulators(&mut self, n: usize) -> Vec<i32> {
        let r = &mut self.0;
        let wide = r.gen_bool(0.2);
        (0..n)
            .map(|_| match r.gen_range(0..20) {
                0 => i32::MIN,
                1 => i32::MAX,
                2 => 0,
                _ if wide => r.r#gen(),
                _ => r.gen_range(-(127 * 16384)..=127 * 16384),
            })
            .collect()
    }

    /// `y` and `gamma` whose products hit exact code ties `127 u / max = k + 1/2`: `gamma`
    /// constant, `y` odd multiples of `t` against a largest element `254 t`.
    fn code_ties(&mut self, n: usize) -> (Bfp, Bfp) {
        let r = &mut self.0;
        let t: i32 = r.gen_range(1..(1 << 22));
        let mut mant: Vec<i32> = (0..n)
            .map(|_| (2 * r.gen_range(-127..127) + 1) * t)
            .collect();
        if let Some(first) = mant.first_mut() {
            *first = 254 * t;
        }
        let g = 1 << r.gen_range(0..31);
        let y = Bfp {
            mant,
            exp: r.gen_range(-60..10),
        };
        (
            y,
            Bfp {
                mant: vec![g; n],
                exp: r.gen_range(-60..10),
            },
        )
    }
}

/// Names the first difference between two vectors, with what is needed to replay it.
fn same(what: &str, at: &str, fast: &Bfp, plain: &Bfp) {
    if fast == plain {
        return;
    }
    let j = fast.mant.iter().zip(&plain.mant).position(|(a, b)| a != b);
    panic!(
        "{what} {at}: fast exp {} len {}, plain exp {} len {}, first differing element {j:?}: {:?} vs {:?}",
        fast.exp,
        fast.len(),
        plain.exp,
        plain.len(),
        j.map(|j| fast.mant[j]),
        j.map(|j| plain.mant[j]),
    );
}

fn same_gates(what: &str, at: &str, fast: &[u32], plain: &[u32]) {
    if let Some(j) = fast.iter().zip(plain).position(|(a, b)| a != b) {
        panic!("{what} {at}: element {j}: {} vs {}", fast[j], plain[j]);
    }
    assert_eq!(fast.len(), plain.len(), "{what} {at}: lengths");
}

/// One case: every primitive on one set of random inputs.
pub fn case(g: &mut Gen, at: &str) {
    let n = g.len();
    let a = g.bfp(n);
    let b = g.partner(&a);
    let gates = g.gates(n);

    assert_eq!(ops::rms(&a), plain::rms(&a), "rms {at}");
    same(
        "rms_norm",
        at,
        &ops::rms_norm(&a, &b),
        &plain::rms_norm(&a, &b),
    );
    same("add", at, &ops::add(&a, &b), &plain::add(&a, &b));
    same("mul", at, &ops::mul(&a, &b), &plain::mul(&a, &b));
    same(
        "gate_mul",
        at,
        &ops::gate_mul(&a, &gates),
        &plain::gate_mul(&a, &gates),
    );
    same_gates("sigmoid", at, &ops::sigmoid(&a), &plain::sigmoid(&a));
    same("silu", at, &ops::silu(&a), &plain::silu(&a));
    same(
        "mlgru",
        at,
        &ops::mlgru(&a, &gates, &b),
        &plain::mlgru(&a, &gates, &b),
    );

    let alpha = g.scale();
    let (y, gamma) = if g.0.gen_bool(0.2) {
        g.code_ties(n)
    } else {
        (a.clone(), b.clone())
    };
    // Longer code buffers keep their tail in both forms (the codes zip with the products).
    let extra = if g.0.gen_bool(0.1) { 3 } else { 0 };
    let (mut qf, mut qp) = (vec![9i8; n + extra], vec![9i8; n + extra]);
    let sf = ops::quantize(&y, &gamma, alpha, &mut qf);
    let sp = plain::quantize(&y, &gamma, alpha, &mut qp);
    assert_eq!(sf, sp, "quantize scale {at}");
    if let Some(j) = qf.iter().zip(&qp).position(|(x, z)| x != z) {
        panic!("quantize {at}: code {j}: {} vs {}", qf[j], qp[j]);
    }

    let acc = g.accumulators(n);
    let sigma = g.scale();
    same(
        "dequantize",
        at,
        &ops::dequantize(&acc, sigma),
        &plain::dequantize(&acc, sigma),
    );
}

pub fn run(seed: u64, cases: usize) {
    let mut g = Gen(ChaCha8Rng::seed_from_u64(seed));
    for i in 0..cases {
        case(&mut g, &format!("(seed {seed}, case {i})"));
    }
}
