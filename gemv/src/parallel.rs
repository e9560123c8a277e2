//! The parallel Pack2 GEMV: rows split across the rayon pool (DESIGN.md section 5).
//!
//! Decode is a stream over the packed weights, so each thread should read long contiguous runs
//! (the hardware prefetchers follow them, and a run of whole rows never shares a cache line of
//! output with another thread for long). The rows are cut into `CHUNKS_PER_THREAD` chunks per pool
//! thread, but never below `MIN_CHUNK_BYTES` of weights, where the fork-join cost would dominate.

use rayon::prelude::*;

use crate::error::Result;
use crate::kernel::{Call, Kernel};

/// Chunks per pool thread. Rayon splits the chunk list in halves, so on a quiet machine each
/// thread still walks one contiguous run of `1 / threads` of the matrix; the finer cut only lets a
/// thread that was descheduled (the machine is shared) hand the end of its run to the other.
const CHUNKS_PER_THREAD: usize = 4;

/// Smallest chunk worth a task, in bytes of packed weights.
const MIN_CHUNK_BYTES: usize = 64 << 10;

/// Pack2 GEMV over the current rayon pool with the fastest kernel of this CPU: the entry point of
/// the software reference. Same contract and results as [`crate::gemv_scalar`].
///
/// For a sequence of calls (a decode step), run the whole loop inside the pool
/// (`ThreadPool::install`): the calling worker then takes the first chunks itself while the
/// others steal the rest, instead of waking sleeping workers and waiting for them on every call.
pub fn gemv(
    weights: &[u8],
    rows: usize,
    cols: usize,
    row_bytes: usize,
    q: &[i8],
    acc: &mut [i32],
) -> Result<()> {
    let call = Call::new(Kernel::detect(), (rows, cols, row_bytes), weights, q, acc)?;
    let chunk_rows = chunk_rows(rows, row_bytes, rayon::current_num_threads());
    if chunk_rows >= rows {
        call.run(weights, acc);
        return Ok(());
    }
    acc.par_chunks_mut(chunk_rows)
        .zip(weights.par_chunks(chunk_rows * row_bytes))
        .for_each(|(acc, weights)| call.run(weights, acc));
    Ok(())
}

/// Rows per chunk for `threads` threads (at least one row; `rows` or more means "do not split").
fn chunk_rows(rows: usize, row_bytes: usize, threads: usize) -> usize {
    let by_threads = rows.div_ceil(threads.max(1) * CHUNKS_PER_THREAD);
    let by_size = MIN_CHUNK_BYTES.div_ceil(row_bytes.max(1));
    by_threads.max(by_size).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_long_and_cover_the_threads() {
        // 32000 x 1024 lm_head on 2 threads: 8 chunks of 4000 rows (1 MB each).
        assert_eq!(chunk_rows(32000, 256, 2), 4000);
        // 1024 x 1024: 4 chunks of 256 rows = 64 KiB, the smallest chunk.
        assert_eq!(chunk_rows(1024, 256, 2), 256);
        assert_eq!(chunk_rows(1024, 256, 16), 256);
        // Small matrices are not split.
        assert!(chunk_rows(33, 32, 2) >= 33);
        // Empty rows (no columns) are never split: par_chunks cannot take a zero-byte chunk.
        assert!(chunk_rows(1000, 0, 2) >= 1000);
    }
}
