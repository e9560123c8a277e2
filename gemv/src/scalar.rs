//! The plain Pack2 GEMV: the oracle every fast kernel is tested against (DESIGN.md section 5).
//!
//! `acc[r] = sum_j w[r][j] * q[j]` over the first `cols` weights of each row, with `w = code - 1`
//! read straight from the Pack2 layout (`spec::pack`): weight `j` in bits `[2(j%4)+1 : 2(j%4)]` of
//! byte `j/4`. Sums are exact in `i32` (`|acc| <= 128 * cols`).

use std::ops::Range;

use mmfree_spec::pack::Packing;

use crate::error::{Error, Result};
use crate::shape::MatrixShape;

/// The Pack2 code that is not a trit.
const BAD_CODE: u8 = 3;

/// Ternary GEMV, one weight at a time: the obviously-correct reference for the fast kernels.
///
/// `weights` holds `rows` rows of `row_bytes` bytes (Pack2, padding after `cols` weights ignored),
/// `q` the `cols` activation codes, `acc` receives the `rows` exact sums. Unlike the fast kernels,
/// the oracle refuses a code 3 among the first `cols` weights of a row ([`check_pack2_codes`]);
/// `acc` is then unchanged.
pub fn gemv_scalar(
    weights: &[u8],
    rows: usize,
    cols: usize,
    row_bytes: usize,
    q: &[i8],
    acc: &mut [i32],
) -> Result<()> {
    let shape = MatrixShape::check(Packing::Pack2, (rows, cols, row_bytes), weights, q, acc)?;
    codes_are_trits(&shape, weights)?;
    scalar_rows(&shape, weights, q, acc);
    Ok(())
}

/// Refuses a Pack2 code 3 among the first `cols` weights of any row (padding is not read), naming
/// the row, byte offset and byte. The fast kernels do not look for it (the model loader validates
/// every matrix once), so callers holding unvalidated rows (a device's banks) check them here.
pub fn check_pack2_codes(weights: &[u8], rows: usize, cols: usize, row_bytes: usize) -> Result<()> {
    let shape = MatrixShape::check_weights(Packing::Pack2, (rows, cols, row_bytes), weights)?;
    codes_are_trits(&shape, weights)
}

/// Bit `2k` of `b & b >> 1 & 0x55` is set exactly where field `k` of byte `b` is `0b11`; the
/// same mask over eight bytes at a time keeps the check near memory speed.
fn codes_are_trits(shape: &MatrixShape, weights: &[u8]) -> Result<()> {
    const LOW_BITS: u64 = 0x5555_5555_5555_5555;
    let (full, part) = (shape.cols / 4, shape.cols % 4);
    for r in 0..shape.rows {
        let row = shape.row(weights, r);
        let (words, rest) = row[..full].as_chunks::<8>();
        let words_bad = words.iter().any(|w| {
            let v = u64::from_le_bytes(*w);
            v & (v >> 1) & LOW_BITS != 0
        });
        let rest_bad = rest.iter().any(|&b| b & (b >> 1) & 0x55 != 0);
        let last_bad = part > 0 && {
            let b = row[full];
            b & (b >> 1) & 0x55 & ((1u8 << (2 * part)) - 1) != 0
        };
        if words_bad || rest_bad || last_bad {
            let j = (0..shape.cols)
                .find(|&j| (row[j / 4] >> (2 * (j % 4))) & 3 == BAD_CODE)
                .unwrap_or(0);
            return Err(Error::BadCode {
                format: "pack2",
                row: r,
                offset: j / 4,
                byte: row[j / 4],
            });
        }
    }
    Ok(())
}

/// Runs the scalar loop over the rows `weights` starts with (one per `acc` entry); the fast paths
/// use it as their fallback on other CPUs.
pub(crate) fn scalar_rows(shape: &MatrixShape, weights: &[u8], q: &[i8], acc: &mut [i32]) {
    for (r, out) in acc.iter_mut().enumerate() {
        *out = dot_cols(shape.row(weights, r), q, 0..shape.cols);
    }
}

/// `sum_{j in cols} w[j] * q[j]` of one packed row with `w = code - 1` (a code 3, which validated
/// rows never hold, counts as +2 here exactly as in the SIMD kernel's offset-code sum).
pub(crate) fn dot_cols(row: &[u8], q: &[i8], cols: Range<usize>) -> i32 {
    let mut sum = 0i32;
    for j in cols {
        let code = (row[j / 4] >> (2 * (j % 4))) & 3;
        sum += (i32::from(code) - 1) * i32::from(q[j]);
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_products() {
        // Row 0: weights -1, 0, +1, 0 | +1; row 1: all zero. Bytes per spec::pack known_layouts.
        let w = [0b01_10_01_00, 0b01_01_01_10, 0x55, 0x55];
        let q = [10, -20, 30, 40, -7];
        let mut acc = [99; 2];
        gemv_scalar(&w, 2, 5, 2, &q, &mut acc).unwrap();
        assert_eq!(acc, [-10 + 30 - 7, 0]);
    }

    #[test]
    fn code_three_is_named_but_padding_is_not_read() {
        let q = [1i8; 5];
        let mut acc = [0; 1];
        let e = gemv_scalar(&[0x55, 0b01_01_11_01], 1, 7, 2, &[1; 7], &mut acc).unwrap_err();
        assert_eq!(
            e,
            Error::BadCode {
                format: "pack2",
                row: 0,
                offset: 1,
                byte: 0b01_01_11_01
            }
        );
        // The same byte with the 3 in a padding position (weight 6 of a 5-weight row) is fine.
        gemv_scalar(&[0x55, 0b01_11_01_01], 1, 5, 2, &q, &mut acc).unwrap();
        assert_eq!(acc, [0]);
    }
}
