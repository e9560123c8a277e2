//! Shared test rig of the vector unit's Verilator tests: building a block into a Verilated model,
//! packing lane values into port words, random operands with the contract's extreme values, and
//! the first-mismatch report every check prints with its seed.

#![allow(dead_code)]

pub mod vpu_rig;

use mmfree_sim::{Options, Verilated};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::*;

/// Emits `block` as module `name` and builds (or fetches from the cache) its Verilated model.
pub fn verilate<B: Block>(mut block: B, name: &str) -> anyhow::Result<Verilated> {
    block.connect_all();
    let verilog = mmfree_hdl::emit(&block, name)?;
    Ok(Verilated::build(&verilog, name, &Options::default())?)
}

/// Little-endian 32-bit words of a bus of `width`-bit lanes holding `values` (two's complement).
pub fn pack(values: &[i128], width: usize) -> Vec<u32> {
    let mut words = vec![0u32; (values.len() * width).div_ceil(32)];
    for (i, &v) in values.iter().enumerate() {
        for b in 0..width {
            if (v >> b.min(127)) & 1 == 1 {
                let bit = i * width + b;
                words[bit / 32] |= 1 << (bit % 32);
            }
        }
    }
    words
}

/// Lane `i` of `width` bits of a packed bus, unsigned.
pub fn lane_u(words: &[u32], i: usize, width: usize) -> u128 {
    let mut v = 0u128;
    for b in 0..width {
        let bit = i * width + b;
        v |= ((words[bit / 32] >> (bit % 32)) as u128 & 1) << b;
    }
    v
}

/// Lane `i` of `width` bits of a packed bus, sign-extended.
pub fn lane_s(words: &[u32], i: usize, width: usize) -> i128 {
    let shift = 128 - width as u32;
    ((lane_u(words, i, width) << shift) as i128) >> shift
}

/// All `n` lanes, unsigned.
pub fn lanes_u(words: &[u32], n: usize, width: usize) -> Vec<u128> {
    (0..n).map(|i| lane_u(words, i, width)).collect()
}

/// All `n` lanes, signed.
pub fn lanes_s(words: &[u32], n: usize, width: usize) -> Vec<i128> {
    (0..n).map(|i| lane_s(words, i, width)).collect()
}

/// A value as the words of a `width`-bit port (two's complement).
pub fn port_words(value: i128, width: usize) -> Vec<u32> {
    pack(&[value], width)
}

/// The contract's extreme mantissas: `0, ±1, ±2^29, ±2^30` and their neighbours.
pub const MANT_EXTREMES: [i32; 9] = [
    0,
    1,
    -1,
    1 << 29,
    -(1 << 29),
    1 << 30,
    -(1 << 30),
    (1 << 30) - 1,
    -(1 << 30) + 1,
];

/// A random mantissa `|m| <= 2^30`: one in eight an extreme, one in four a small integer shifted
/// left (many trailing zeros: exact ties when a shift drops them), the rest uniform at a random
/// magnitude.
pub fn mantissa(rng: &mut ChaCha8Rng) -> i32 {
    match rng.gen_range(0..8) {
        0 => MANT_EXTREMES[rng.gen_range(0..MANT_EXTREMES.len())],
        1 | 2 => {
            let small = rng.gen_range(-64i32..=64);
            let shift = rng.gen_range(0..=24);
            (small << shift).clamp(-(1 << 30), 1 << 30)
        }
        _ => {
            let bits = rng.gen_range(1..=31);
            rng.gen_range(-(1i64 << (bits - 1))..=(1i64 << (bits - 1))) as i32
        }
    }
}

/// A random gate in `[0, 2^30]`, one in six `0` or `2^30`.
pub fn gate(rng: &mut ChaCha8Rng) -> u32 {
    match rng.gen_range(0..6) {
        0 => 0,
        1 => 1 << 30,
        2 => rng.gen_range(0..64) << rng.gen_range(0..=24),
        _ => rng.gen_range(0..=1 << 30),
    }
    .min(1 << 30)
}

/// Position and values of the first difference, for assertion messages.
pub fn first_mismatch<T: PartialEq + std::fmt::Debug>(got: &[T], want: &[T]) -> Option<String> {
    if got.len() != want.len() {
        return Some(format!(
            "lengths differ: got {} want {}",
            got.len(),
            want.len()
        ));
    }
    got.iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .map(|i| format!("element {i}: got {:?} want {:?}", got[i], want[i]))
}

/// A random BFP vector of `n` elements around exponent `exp` (see [`Shape`]).
pub fn bfp(rng: &mut ChaCha8Rng, n: usize, exp: i32, shape: Shape) -> mmfree_spec::format::Bfp {
    use mmfree_spec::format::Bfp;
    match shape {
        Shape::Zero => Bfp::zeros(n),
        Shape::ZeroMantissas => Bfp {
            mant: vec![0; n],
            exp,
        },
        Shape::Raw => Bfp {
            mant: (0..n).map(|_| mantissa(rng)).collect(),
            exp,
        },
        Shape::Normalized => {
            let top = rng.gen_range(1..=50);
            let wide: Vec<i128> = (0..n)
                .map(|_| match rng.gen_range(0..10) {
                    0 => 0,
                    1 => rng.gen_range(-64..=64) << rng.gen_range(0..top.min(40)),
                    _ => rng.gen_range(-(1i128 << top)..=1i128 << top),
                })
                .collect();
            // The largest wide value has about `top + 1` bits: normalized, the exponent is near `exp`.
            Bfp::from_wide(&wide, exp - top + 29)
        }
    }
}

/// How [`bfp`] fills a vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The canonical zero vector (`ZERO_EXP`).
    Zero,
    /// Zero mantissas with an ordinary exponent.
    ZeroMantissas,
    /// Mantissas from [`mantissa`] (not normalized).
    Raw,
    /// A normalized vector (largest mantissa in `[2^29, 2^30]`), as every unit result is.
    Normalized,
}

impl Shape {
    /// Mostly normalized, often raw, sometimes zero.
    pub fn pick(rng: &mut ChaCha8Rng) -> Shape {
        match rng.gen_range(0..20) {
            0 => Shape::Zero,
            1 => Shape::ZeroMantissas,
            2..=7 => Shape::Raw,
            _ => Shape::Normalized,
        }
    }
}
