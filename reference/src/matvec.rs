//! The ternary matrix-vector product both models share: `acc = W * q`, exact in `i32`, on the fast
//! CPU kernel of `mmfree-gemv` (AVX2 where available, both cores).

use mmfree_model::Ternary;

use crate::Result;

/// `acc[r] = sum_j w[r][j] * q[j]` for the packed matrix `w`.
pub fn ternary_matvec(w: &Ternary, q: &[i8], acc: &mut [i32]) -> Result<()> {
    mmfree_gemv::gemv(&w.data, w.rows, w.cols, w.row_bytes(), q, acc)?;
    Ok(())
}
