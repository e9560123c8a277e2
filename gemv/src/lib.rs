//! Ternary matrix-vector products on the CPU for the mmfree software reference (DESIGN.md
//! section 5; the MatMul-free LM of arXiv 2406.02528).
//!
//! `acc[r] = sum_j w[r][j] * q[j]`: `w` in {-1, 0, +1} packed by `mmfree_spec::pack`, `q` the `i8`
//! activation codes, `acc` exact `i32`. Inputs are raw slices, so the fixed-point model and the
//! instruction-set simulator share the kernels without sharing a model type.
//!
//! - [`gemv_scalar`]: the plain loop, the oracle.
//! - [`check_pack2_codes`]: refuses a code 3, for rows no loader validated (the fast kernels
//!   do not look for it).
//! - [`gemv_single`] / [`Kernel::gemv`]: the fast kernel on one thread (AVX2 where available).
//! - [`gemv`]: the fast kernel with rows split over the rayon pool; what the reference calls.
//! - [`gemv_pack5_scalar`]: the same product over 1.6-bit (Pack5) rows.
//! - [`stream_copy_bandwidth`]: the memory bandwidth the GEMV rates are measured against.

#[cfg(target_arch = "x86_64")]
mod avx2;
pub mod error;
mod kernel;
mod pack5;
mod parallel;
pub mod planes;
mod scalar;
mod shape;
mod stream;

pub use error::{Error, Result};
pub use kernel::{Kernel, gemv_single};
pub use pack5::gemv_pack5_scalar;
pub use parallel::gemv;
pub use scalar::{check_pack2_codes, gemv_scalar};
pub use shape::MAX_COLS;
pub use stream::{STREAM_RUNS, StreamCopy, stream_copy_bandwidth};
