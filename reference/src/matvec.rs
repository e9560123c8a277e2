//! The ternary matrix-vector product both models share: `acc = W * q`, exact in `i32`, on the fast
//! CPU kernel of `mmfree-gemv` (AVX2 where available, both cores), and the pool a decode step runs
//! in so that the product's fork-join stays cheap.

use mmfree_model::{Model, Ternary};

use crate::Result;

/// `acc[r] = sum_j w[r][j] * q[j]` for the packed matrix `w`.
pub fn ternary_matvec(w: &Ternary, q: &[i8], acc: &mut [i32]) -> Result<()> {
    mmfree_gemv::gemv(&w.data, w.rows, w.cols, w.row_bytes(), q, acc)?;
    Ok(())
}

/// Runs `step` on a worker of the current rayon pool (the global one outside any pool), inline
/// when already on one. A decode step makes about 150 parallel products; from a worker each one
/// starts at once with the worker taking the first rows itself, instead of waking the pool and
/// blocking the caller on every product (the pattern `mmfree_gemv::gemv` asks for).
pub fn on_pool<R: Send>(step: impl FnOnce() -> R + Send) -> R {
    // `join` from outside a pool runs both closures in the global pool while the caller blocks.
    rayon::join(step, || ()).0
}

/// Bytes of packed ternary weights one decode step reads: every BitLinear of every layer and the
/// lm_head, each once (the figure tokens/s is judged by against the memory bandwidth).
pub fn weight_bytes_per_token(model: &Model) -> u64 {
    let layers: usize = model
        .layers
        .iter()
        .flat_map(|l| l.linears())
        .map(|b| b.weight.data.len())
        .sum();
    (layers + model.lm_head.weight.data.len()) as u64
}
