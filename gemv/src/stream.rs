//! Stream-copy memory bandwidth: the yardstick for the GEMV rates (DESIGN.md section 5).
//!
//! Decode at batch 1 streams every packed weight once per token, so a GEMV kernel is judged by the
//! fraction of the machine's copy bandwidth it reaches. The figure follows the STREAM "Copy"
//! convention (`a[i] = b[i]`, counted as `2 * bytes` per pass: each byte is read once and written
//! once; write-allocate traffic is not counted) and is the best of [`STREAM_RUNS`] passes, as
//! STREAM reports the best time.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Passes of which the fastest is reported.
pub const STREAM_RUNS: usize = 5;

/// A source and a destination buffer of equal size, both faulted in, for timed copies.
pub struct StreamCopy {
    src: Vec<u8>,
    dst: Vec<u8>,
}

impl StreamCopy {
    /// Allocates and touches two `bytes`-byte buffers (so no pass pays for page faults).
    pub fn new(bytes: usize) -> Result<StreamCopy> {
        if bytes == 0 {
            return Err(Error::BadArgument {
                name: "bytes",
                value: bytes,
                why: "nothing to copy",
            });
        }
        // Non-zero fills: a zeroed allocation could map the shared zero page and never hit DRAM.
        Ok(StreamCopy {
            src: filled(bytes, 0x5a)?,
            dst: filled(bytes, 0xa5)?,
        })
    }

    /// Bytes counted per pass under the STREAM Copy convention (read + write).
    pub fn bytes_moved(&self) -> u64 {
        2 * self.src.len() as u64
    }

    /// Copies the source into the destination with `threads` threads, each a contiguous
    /// `copy_from_slice` of its share, and returns the wall time of the pass.
    pub fn pass(&mut self, threads: usize) -> Result<Duration> {
        if threads == 0 {
            return Err(Error::BadArgument {
                name: "threads",
                value: threads,
                why: "need at least one thread",
            });
        }
        let share = self.src.len().div_ceil(threads);
        let start = Instant::now();
        std::thread::scope(|scope| {
            for (dst, src) in self.dst.chunks_mut(share).zip(self.src.chunks(share)) {
                scope.spawn(move || dst.copy_from_slice(src));
            }
        });
        Ok(start.elapsed())
    }
}

/// A `bytes`-long buffer of `value`, or a named error when memory runs out.
fn filled(bytes: usize, value: u8) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(bytes).map_err(|_| Error::BadArgument {
        name: "bytes",
        value: bytes,
        why: "cannot allocate a buffer this large",
    })?;
    v.resize(bytes, value);
    Ok(v)
}

/// The machine's copy bandwidth in bytes per second (`2 * bytes / best pass time`, STREAM Copy)
/// with `threads` threads over `bytes`-byte buffers, best of [`STREAM_RUNS`] passes. Use buffers
/// well beyond the last-level cache (the benchmarks use 512 MiB).
pub fn stream_copy_bandwidth(bytes: usize, threads: usize) -> Result<f64> {
    let mut copy = StreamCopy::new(bytes)?;
    let mut best = Duration::MAX;
    for _ in 0..STREAM_RUNS {
        best = best.min(copy.pass(threads)?);
    }
    Ok(copy.bytes_moved() as f64 / best.as_secs_f64().max(f64::MIN_POSITIVE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_every_byte_and_reports_a_rate() {
        let mut c = StreamCopy::new(1 << 20).unwrap();
        c.src
            .iter_mut()
            .enumerate()
            .for_each(|(i, b)| *b = (i % 251) as u8);
        c.pass(3).unwrap();
        assert_eq!(c.dst, c.src);
        assert_eq!(c.bytes_moved(), 2 << 20);
        let rate = stream_copy_bandwidth(1 << 20, 2).unwrap();
        assert!(rate.is_finite() && rate > 1e8, "{rate}");
    }

    #[test]
    fn bad_arguments_are_named() {
        assert_eq!(
            stream_copy_bandwidth(0, 1).unwrap_err().to_string(),
            "bytes = 0: nothing to copy"
        );
        let e = StreamCopy::new(usize::MAX).err().unwrap();
        let want = format!(
            "bytes = {}: cannot allocate a buffer this large",
            usize::MAX
        );
        assert_eq!(e.to_string(), want);
        let e = stream_copy_bandwidth(64, 0).unwrap_err();
        assert_eq!(
            e,
            Error::BadArgument {
                name: "threads",
                value: 0,
                why: "need at least one thread"
            }
        );
    }
}
