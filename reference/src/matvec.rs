//! The ternary matrix-vector product both models share: `acc = W * q`, exact in `i32`.

use mmfree_model::Ternary;

/// `acc[r] = sum_j w[r][j] * q[j]` for the packed matrix `w`.
pub fn ternary_matvec(w: &Ternary, q: &[i8], acc: &mut [i32]) {
    debug_assert_eq!(q.len(), w.cols);
    debug_assert_eq!(acc.len(), w.rows);
    for (r, a) in acc.iter_mut().enumerate() {
        let row = w.row(r);
        let mut sum = 0i32;
        for (j, &x) in q.iter().enumerate() {
            let code = (row[j / 4] >> (2 * (j % 4))) & 3;
            sum += (code as i32 - 1) * x as i32;
        }
        *a = sum;
    }
}
