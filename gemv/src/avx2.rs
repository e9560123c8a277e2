//! The AVX2 Pack2 kernel (DESIGN.md section 5; anchors.md section 2, bitnet.cpp I2_S and TQ2_0).
//!
//! The Pack2 code is `w + 1`, so `sum_j w_j q_j = sum_j code_j q_j - sum_j q_j`. This module computes
//! the code sums: for each 32-byte block of a row, the four bit planes (`(block >> 2k) & 3`, see
//! [`crate::planes`]) are multiplied with the reordered activations by `vpmaddubsw` (u8 code x i8
//! q, adjacent pairs summed to i16: `|pair| <= 2 * 3 * 128`, no saturation, even for code 3 and
//! q = -128), the four planes are added in i16 (`<= 3072` a block, summed over up to eight blocks)
//! and widened by `vpmaddwd` with ones into eight i32 lanes.
//!
//! Codes are not checked here: the model loader refuses a code 3 once per matrix, which measured
//! 16.5 to 19.6 GB/s from cache against the in-loop detector it replaced (docs/PERFORMANCE.md). A
//! code 3 in unvalidated rows counts as +2, as in the scalar loop.

use std::arch::x86_64::{
    __m256i, _mm_add_epi32, _mm_cvtsi128_si32, _mm_shuffle_epi32, _mm256_add_epi16,
    _mm256_add_epi32, _mm256_and_si256, _mm256_castsi256_si128, _mm256_extracti128_si256,
    _mm256_loadu_si256, _mm256_madd_epi16, _mm256_maddubs_epi16, _mm256_set1_epi8,
    _mm256_set1_epi16, _mm256_setzero_si256, _mm256_srli_epi16,
};

use crate::planes::BLOCK_BYTES;

/// Blocks whose i16 plane sums are added before widening to i32: each block adds at most
/// `4 * 2 * 3 * 128 = 3072` per i16 lane, so eight blocks stay below `2^15`.
const BLOCKS_PER_WIDEN: usize = 8;

/// Writes to `out[r]` the code sum `sum_j code[r][j] * q[j]` of row `r` of `weights` (consecutive
/// rows of `row_bytes`) over the `planes.len() / 4` blocks that `planes` (from
/// [`crate::planes::plane_order`]) covers.
///
/// Rows are read one after the other, so the weights stream strictly sequentially; interleaving
/// several rows to reuse the activation registers measured up to 2x slower from DRAM on rows of
/// 640 bytes or more (the prefetchers lose the streams), and the activations reload from L1 for free.
#[target_feature(enable = "avx2")]
pub(crate) fn code_sums(
    weights: &[u8],
    row_bytes: usize,
    planes: &[[u8; BLOCK_BYTES]],
    out: &mut [i32],
) {
    let span = planes.len() / 4 * BLOCK_BYTES;
    for (r, o) in out.iter_mut().enumerate() {
        let row = weights[r * row_bytes..][..span]
            .as_chunks::<BLOCK_BYTES>()
            .0;
        *o = row_code_sum(row, planes);
    }
}

/// The code sum of one row's blocks.
#[target_feature(enable = "avx2")]
fn row_code_sum(row: &[[u8; BLOCK_BYTES]], planes: &[[u8; BLOCK_BYTES]]) -> i32 {
    let mask = _mm256_set1_epi8(3);
    let ones = _mm256_set1_epi16(1);
    let mut acc = _mm256_setzero_si256();
    for (blocks, q4s) in row
        .chunks(BLOCKS_PER_WIDEN)
        .zip(planes.chunks(4 * BLOCKS_PER_WIDEN))
    {
        let mut sum16 = _mm256_setzero_si256();
        for (block, q4) in blocks.iter().zip(q4s.chunks_exact(4)) {
            let v = load(block);
            let p0 = _mm256_maddubs_epi16(_mm256_and_si256(v, mask), load(&q4[0]));
            let p1 = _mm256_maddubs_epi16(
                _mm256_and_si256(_mm256_srli_epi16::<2>(v), mask),
                load(&q4[1]),
            );
            let p2 = _mm256_maddubs_epi16(
                _mm256_and_si256(_mm256_srli_epi16::<4>(v), mask),
                load(&q4[2]),
            );
            let p3 = _mm256_maddubs_epi16(
                _mm256_and_si256(_mm256_srli_epi16::<6>(v), mask),
                load(&q4[3]),
            );
            sum16 = _mm256_add_epi16(
                sum16,
                _mm256_add_epi16(_mm256_add_epi16(p0, p1), _mm256_add_epi16(p2, p3)),
            );
        }
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(sum16, ones));
    }
    horizontal_sum(acc)
}

/// One unaligned 32-byte load.
#[target_feature(enable = "avx2")]
fn load(bytes: &[u8; BLOCK_BYTES]) -> __m256i {
    // SAFETY: `bytes` is a live reference to exactly 32 readable bytes, and `loadu` has no
    // alignment requirement, so the 256-bit read stays inside the borrowed array.
    unsafe { _mm256_loadu_si256(bytes.as_ptr().cast()) }
}

/// The sum of the eight i32 lanes (wrapping, as exact sums never exceed `i32`).
#[target_feature(enable = "avx2")]
fn horizontal_sum(v: __m256i) -> i32 {
    let s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256::<1>(v));
    let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b01_00_11_10>(s));
    let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b10_11_00_01>(s));
    _mm_cvtsi128_si32(s)
}
