//! Kernel selection and the single-thread fast path over a range of rows (DESIGN.md section 5).
//!
//! [`Kernel::detect`] picks AVX2 when the CPU has it and the scalar loop otherwise. A [`Call`]
//! holds what one GEMV computes once for all rows (the reordered activations and their sum), so
//! the parallel driver can hand row ranges of the same call to several threads.

use std::ops::Range;

use mmfree_spec::pack::Packing;

use crate::error::{Error, Result};
use crate::planes::{BLOCK_BYTES, BLOCK_WEIGHTS, plane_order};
use crate::scalar::{dot_cols, scalar_rows};
use crate::shape::MatrixShape;

/// The Pack2 GEMV implementations, so callers and benchmarks can name the one they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kernel {
    /// The plain loop ([`crate::gemv_scalar`]); runs everywhere.
    Scalar,
    /// 256-bit `vpmaddubsw` over bit planes; x86-64 CPUs with AVX2.
    Avx2,
}

impl Kernel {
    /// The fastest kernel this CPU runs.
    pub fn detect() -> Kernel {
        if Kernel::Avx2.is_available() {
            Kernel::Avx2
        } else {
            Kernel::Scalar
        }
    }

    /// Whether this CPU can run the kernel.
    pub fn is_available(self) -> bool {
        match self {
            Kernel::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(not(target_arch = "x86_64"))]
            Kernel::Avx2 => false,
        }
    }

    /// The kernel's name in reports and errors.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Scalar => "scalar",
            Kernel::Avx2 => "avx2",
        }
    }

    /// Pack2 GEMV with this kernel on the calling thread; same contract and results as
    /// [`crate::gemv_scalar`], or [`Error::KernelUnavailable`] if the CPU lacks the features.
    pub fn gemv(
        self,
        weights: &[u8],
        rows: usize,
        cols: usize,
        row_bytes: usize,
        q: &[i8],
        acc: &mut [i32],
    ) -> Result<()> {
        let call = Call::new(self, (rows, cols, row_bytes), weights, q, acc)?;
        call.run(weights, acc);
        Ok(())
    }
}

/// Pack2 GEMV on the calling thread with the fastest kernel of this CPU: the single-thread figure
/// of the benchmarks, and the path for callers that parallelise over something else.
pub fn gemv_single(
    weights: &[u8],
    rows: usize,
    cols: usize,
    row_bytes: usize,
    q: &[i8],
    acc: &mut [i32],
) -> Result<()> {
    Kernel::detect().gemv(weights, rows, cols, row_bytes, q, acc)
}

/// One checked GEMV call, ready to run over any range of its rows.
pub(crate) struct Call<'q> {
    shape: MatrixShape,
    kernel: Kernel,
    q: &'q [i8],
    /// Activations in plane order for the blocks the SIMD kernel reads.
    planes: Vec<[u8; BLOCK_BYTES]>,
    /// `sum q[j]` over the columns the SIMD kernel covers (the offset-code correction).
    q_sum: i32,
    /// Columns left to the scalar loop when `row_bytes` is not padded to whole blocks.
    tail: Range<usize>,
}

impl<'q> Call<'q> {
    /// Checks the buffers and prepares the activations for `kernel`.
    pub fn new(
        kernel: Kernel,
        dims: (usize, usize, usize),
        weights: &[u8],
        q: &'q [i8],
        acc: &[i32],
    ) -> Result<Call<'q>> {
        if !kernel.is_available() {
            return Err(Error::KernelUnavailable {
                kernel: kernel.name(),
            });
        }
        let shape = MatrixShape::check(Packing::Pack2, dims, weights, q, acc)?;
        let blocks = match kernel {
            Kernel::Scalar => 0,
            Kernel::Avx2 => shape
                .cols
                .div_ceil(BLOCK_WEIGHTS)
                .min(shape.row_bytes / BLOCK_BYTES),
        };
        let covered = (blocks * BLOCK_WEIGHTS).min(shape.cols);
        let q_sum = q[..covered].iter().map(|&x| i32::from(x)).sum();
        let planes = plane_order(q, blocks);
        Ok(Call {
            shape,
            kernel,
            q,
            planes,
            q_sum,
            tail: covered..shape.cols,
        })
    }

    /// Computes `acc[r]` for the rows `weights` starts with (one per `acc` entry). Codes are not
    /// checked: the model loader validates every matrix once, and a code 3 counts as +2 in every
    /// kernel ([`crate::check_pack2_codes`] refuses it for callers with unvalidated rows).
    pub fn run(&self, weights: &[u8], acc: &mut [i32]) {
        match self.kernel {
            Kernel::Scalar => scalar_rows(&self.shape, weights, self.q, acc),
            Kernel::Avx2 => self.run_avx2(weights, acc),
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn run_avx2(&self, weights: &[u8], acc: &mut [i32]) {
        // SAFETY: a `Call` with `Kernel::Avx2` exists only after `is_available` confirmed AVX2.
        unsafe { crate::avx2::code_sums(weights, self.shape.row_bytes, &self.planes, acc) };
        for (r, out) in acc.iter_mut().enumerate() {
            *out -= self.q_sum;
            if !self.tail.is_empty() {
                *out += dot_cols(self.shape.row(weights, r), self.q, self.tail.clone());
            }
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn run_avx2(&self, _: &[u8], _: &mut [i32]) {
        unreachable!("a Call with Kernel::Avx2 exists only where is_available confirmed AVX2")
    }
}
