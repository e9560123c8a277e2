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
/// `q` the `cols` activation codes, `acc` receives the `rows` exact sums. A code 3 among the first
/// `cols` weights of a row is an error; `acc` is then unspecified.
pub fn gemv_scalar(
    weights: &[u8],
    rows: usize,
    cols: usize,
    row_bytes: usize,
    q: &[i8],
    acc: &mut [i32],
) -> Result<()> {
    let shape = MatrixShape::check(Packing::Pack2, (rows, cols, row_bytes), weights, q, acc)?;
    scalar_rows(&shape, weights, 0, q, acc)
}

/// Runs the scalar loop over rows `first_row..first_row + acc.len()` (`weights` starts at
/// `first_row`); the fast paths use it as their fallback on other CPUs.
pub(crate) fn scalar_rows(
    shape: &MatrixShape,
    weights: &[u8],
    first_row: usize,
    q: &[i8],
    acc: &mut [i32],
) -> Result<()> {
    for (r, out) in acc.iter_mut().enumerate() {
        *out = dot_cols(shape.row(weights, r), q, 0..shape.cols, first_row + r)?;
    }
    Ok(())
}

/// `sum_{j in cols} w[j] * q[j]` of one packed row; `row_index` only names the row in errors.
pub(crate) fn dot_cols(row: &[u8], q: &[i8], cols: Range<usize>, row_index: usize) -> Result<i32> {
    let mut sum = 0i32;
    for j in cols {
        let byte = row[j / 4];
        let code = (byte >> (2 * (j % 4))) & 3;
        if code == BAD_CODE {
            return Err(Error::BadCode {
                format: "pack2",
                row: row_index,
                offset: j / 4,
                byte,
            });
        }
        sum += (i32::from(code) - 1) * i32::from(q[j]);
    }
    Ok(sum)
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
