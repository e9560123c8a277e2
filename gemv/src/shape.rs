//! Argument checking shared by every kernel: one packed matrix, one activation vector, one output.
//!
//! A matrix is `rows` rows of `row_bytes` bytes each, row `r` at byte `r * row_bytes`, holding the
//! first `cols` weights of the row in a spec packing format (DESIGN.md section 4); the bytes after
//! them are padding that no kernel result depends on.

use mmfree_spec::pack::Packing;

use crate::error::{Error, Result};

/// Longest row: every partial sum stays exact in `i32`, even the offset-code sums of the SIMD
/// kernels (`|code * q| <= 3 * 128` per weight).
pub const MAX_COLS: usize = i32::MAX as usize / (3 * 128);

/// A matrix shape whose buffers have been checked against each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MatrixShape {
    /// Output length.
    pub rows: usize,
    /// Activation length: weights per row that count.
    pub cols: usize,
    /// Stride between rows, padding included.
    pub row_bytes: usize,
}

impl MatrixShape {
    /// Checks that `weights`, `q` and `acc` have the lengths that `rows x cols` in `format` with a
    /// `row_bytes` stride needs.
    pub fn check(
        format: Packing,
        dims: (usize, usize, usize),
        weights: &[u8],
        q: &[i8],
        acc: &[i32],
    ) -> Result<MatrixShape> {
        let shape = MatrixShape::check_weights(format, dims, weights)?;
        expect_len("activations q (cols)", shape.cols, q.len())?;
        expect_len("accumulators acc (rows)", shape.rows, acc.len())?;
        Ok(shape)
    }

    /// Checks the matrix alone: `cols` within [`MAX_COLS`], a stride that holds a row, and
    /// `weights` of `rows * row_bytes` bytes.
    pub fn check_weights(
        format: Packing,
        (rows, cols, row_bytes): (usize, usize, usize),
        weights: &[u8],
    ) -> Result<MatrixShape> {
        if cols > MAX_COLS {
            return Err(Error::TooManyColumns {
                cols,
                max: MAX_COLS,
            });
        }
        let needed = format.bytes_for(cols);
        if row_bytes < needed {
            let format = format_name(format);
            return Err(Error::RowStride {
                format,
                cols,
                row_bytes,
                needed,
            });
        }
        let total = rows
            .checked_mul(row_bytes)
            .ok_or(Error::TooLarge { rows, row_bytes })?;
        expect_len("packed weights (rows * row_bytes)", total, weights.len())?;
        Ok(MatrixShape {
            rows,
            cols,
            row_bytes,
        })
    }

    /// The bytes of row `r` of `weights` (`weights` starts at row 0 of the range it covers).
    pub fn row<'w>(&self, weights: &'w [u8], r: usize) -> &'w [u8] {
        &weights[r * self.row_bytes..(r + 1) * self.row_bytes]
    }
}

/// The name a format goes by in error messages.
pub(crate) fn format_name(format: Packing) -> &'static str {
    match format {
        Packing::Pack2 => "pack2",
        Packing::Pack5 => "pack5",
    }
}

fn expect_len(what: &'static str, expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::Length {
            what,
            expected,
            got,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_checked_and_named() {
        let w = vec![0x55u8; 3 * 32];
        let (q, acc) = (vec![0i8; 100], vec![0i32; 3]);
        let ok = MatrixShape::check(Packing::Pack2, (3, 100, 32), &w, &q, &acc).unwrap();
        assert_eq!(
            ok,
            MatrixShape {
                rows: 3,
                cols: 100,
                row_bytes: 32
            }
        );
        assert_eq!(ok.row(&w, 2).len(), 32);
        let e = MatrixShape::check(Packing::Pack2, (3, 100, 24), &w, &q, &acc).unwrap_err();
        assert_eq!(
            e,
            Error::RowStride {
                format: "pack2",
                cols: 100,
                row_bytes: 24,
                needed: 25
            }
        );
        let e = MatrixShape::check(Packing::Pack2, (4, 100, 32), &w, &q, &[0; 4]).unwrap_err();
        assert_eq!(
            e,
            Error::Length {
                what: "packed weights (rows * row_bytes)",
                expected: 128,
                got: 96
            }
        );
        let e = MatrixShape::check(Packing::Pack2, (3, 100, 32), &w, &q[1..], &acc).unwrap_err();
        assert!(
            e.to_string()
                .contains("activations q (cols): expected 100 elements, got 99"),
            "{e}"
        );
        let e = MatrixShape::check(Packing::Pack2, (3, 100, 32), &w, &q, &acc[1..]).unwrap_err();
        assert!(matches!(
            e,
            Error::Length {
                expected: 3,
                got: 2,
                ..
            }
        ));
        let e = MatrixShape::check(Packing::Pack5, (usize::MAX, 5, 2), &w, &q, &acc).unwrap_err();
        assert_eq!(
            e,
            Error::TooLarge {
                rows: usize::MAX,
                row_bytes: 2
            }
        );
        let e = MatrixShape::check(Packing::Pack2, (1, MAX_COLS + 1, 1 << 21), &w, &q, &acc)
            .unwrap_err();
        assert_eq!(
            e,
            Error::TooManyColumns {
                cols: MAX_COLS + 1,
                max: 5_592_405
            }
        );
    }
}
