//! The activation order of the SIMD Pack2 kernels (DESIGN.md section 5; anchors.md section 2, the
//! I2_S "multiply-add" scheme).
//!
//! A 32-byte block of a Pack2 row holds 128 weights; byte `i` holds weights `4i..4i+4` of the
//! block, weight `4i + k` in bit plane `k` (bits `2k+1:2k`). Shifting the whole block right by `2k`
//! and masking with 3 leaves, in byte `i`, the code of weight `4i + k`: plane `k` is a vector of 32
//! codes for the activations `4i + k`, `i = 0..32`. Reordering `q` once per call into that order
//! lets every plane meet a contiguous activation vector:
//!
//! `planes[128 b + 32 k + i] = q[128 b + 4 i + k]` (zero past `cols`).

/// Bytes of one SIMD block of a Pack2 row (256 bits).
pub const BLOCK_BYTES: usize = 32;

/// Weights in one block (4 per byte).
pub const BLOCK_WEIGHTS: usize = 4 * BLOCK_BYTES;

/// Activations reordered to the block plane order for the first `blocks` blocks, as one 32-byte
/// vector per (block, plane); bytes are the `i8` codes' bit patterns, activations past `q.len()`
/// are zero so that padding weights contribute nothing.
pub(crate) fn plane_order(q: &[i8], blocks: usize) -> Vec<[u8; BLOCK_BYTES]> {
    let mut planes = vec![[0u8; BLOCK_BYTES]; 4 * blocks];
    for (b, block) in q.chunks(BLOCK_WEIGHTS).take(blocks).enumerate() {
        for (i, four) in block.chunks(4).enumerate() {
            for (k, &x) in four.iter().enumerate() {
                planes[4 * b + k][i] = x as u8;
            }
        }
    }
    planes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planes_follow_the_pack2_bit_layout() {
        // q[j] = j mod 127, over one full block and a partial second one.
        let q: Vec<i8> = (0..200).map(|j| (j % 127) as i8).collect();
        let planes = plane_order(&q, 2);
        assert_eq!(planes.len(), 8);
        assert_eq!(planes[0][..3], [0, 4, 8]); // block 0, plane 0: weights 0, 4, 8
        assert_eq!(planes[3][..2], [3, 7]); // block 0, plane 3: weights 3, 7
        assert_eq!(planes[5][0], 129 % 127); // block 1, plane 1: weight 129
        assert_eq!(planes[4][16], 192 % 127); // block 1, plane 0: weight 128 + 64
        assert_eq!(planes[4][17], 196 % 127);
        assert_eq!(planes[7][17], 199 % 127); // block 1, plane 3: the last weight below 200
        assert_eq!(planes[4][18], 0); // weight 200 is past cols
        assert_eq!(planes[5][17], 197 % 127);
        assert_eq!(planes[5][18], 0);
        assert_eq!(plane_order(&[-1], 1)[0][0], 0xff);
    }
}
