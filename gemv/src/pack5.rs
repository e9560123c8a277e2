//! The 1.6-bit (Pack5) GEMV: plain and table-driven, for data in the hardware's optional format
//! (DESIGN.md section 4; the software reference itself reads Pack2).
//!
//! Each byte is five weights as the base-3 number `sum((w_i + 1) * 3^i)`; the spec's 256-entry
//! decode ROM (`pack5_decode_table`) turns it back into trits, exactly as the hardware decoder does.

use mmfree_spec::pack::{Packing, pack5_decode_table};

use crate::error::{Error, Result};
use crate::shape::MatrixShape;

/// Ternary GEMV over Pack5 rows: same contract as [`crate::gemv_scalar`], five weights per byte.
///
/// `row_bytes` must be at least `ceil(cols / 5)`; bytes after them are padding and not read. A byte
/// above 242 (not five trits) among the read bytes is an error; `acc` is then unspecified.
pub fn gemv_pack5_scalar(
    weights: &[u8],
    rows: usize,
    cols: usize,
    row_bytes: usize,
    q: &[i8],
    acc: &mut [i32],
) -> Result<()> {
    let shape = MatrixShape::check(Packing::Pack5, (rows, cols, row_bytes), weights, q, acc)?;
    let per = Packing::Pack5.weights_per_byte();
    let valid_bytes = 3usize.pow(per as u32);
    let table = pack5_decode_table();
    for (r, out) in acc.iter_mut().enumerate() {
        let row = &shape.row(weights, r)[..Packing::Pack5.bytes_for(cols)];
        let mut sum = 0i32;
        for ((offset, &byte), q5) in row.iter().enumerate().zip(q.chunks(per)) {
            if usize::from(byte) >= valid_bytes {
                return Err(Error::BadCode {
                    format: "pack5",
                    row: r,
                    offset,
                    byte,
                });
            }
            let trits = &table[usize::from(byte)];
            sum += trits
                .iter()
                .zip(q5)
                .map(|(&w, &x)| i32::from(w) * i32::from(x))
                .sum::<i32>();
        }
        *out = sum;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_products_and_bad_bytes() {
        // Weights +1, -1, 0, 0, 0 | -1 (then padding): byte 0 = 2 + 0*3 + 9 + 27 + 81 per spec.
        let w = [2 + 9 + 27 + 81, 0];
        let mut acc = [0; 1];
        gemv_pack5_scalar(&w, 1, 6, 2, &[5, 7, 100, -100, 3, -9], &mut acc).unwrap();
        assert_eq!(acc, [5 - 7 + 9]);
        let e = gemv_pack5_scalar(&[243, 0], 1, 6, 2, &[0; 6], &mut acc).unwrap_err();
        assert_eq!(
            e,
            Error::BadCode {
                format: "pack5",
                row: 0,
                offset: 0,
                byte: 243
            }
        );
        // Bytes past ceil(cols / 5) are padding and not read.
        gemv_pack5_scalar(&[121, 255], 1, 5, 2, &[1; 5], &mut acc).unwrap();
        assert_eq!(acc, [0]);
        let e = gemv_pack5_scalar(&[121], 1, 6, 1, &[1; 6], &mut acc).unwrap_err();
        assert!(matches!(e, Error::RowStride { needed: 2, .. }));
    }
}
