//! GEMV jobs for the engine tests and their independent expected results: rows of trits packed
//! with `mmfree_spec::pack` into weight beats (docs/ACCELERATOR.md section 2), code vectors laid out
//! as code-buffer words, and the oracle, which unpacks the packed bytes again with the spec crate and
//! dots them with the codes in plain Rust over the first `cols` columns only.

use mmfree_kernels::ternary_engine::EngineConfig;
use rand::Rng;

/// One job: `rows` (each `beats * K` trits, the part beyond `cols` possibly non-zero to prove it is
/// ignored) and one code vector per sequence (a whole buffer, beyond `cols` random).
#[derive(Clone, Debug)]
pub struct Job {
    /// Columns of every row.
    pub cols: usize,
    /// Trits of every row, padded to whole beats.
    pub rows: Vec<Vec<i8>>,
    /// Codes of every sequence, `buffer_words * K` of them.
    pub codes: Vec<Vec<i8>>,
}

/// How the random parts of a job are drawn.
#[derive(Clone, Copy, Debug)]
pub struct JobStyle {
    /// Probability that a trit is zero.
    pub p_zero: f64,
    /// Probability that a row's padding trits are random instead of zero.
    pub p_dirty_padding: f64,
    /// Codes: 0 uniform in -127..=127, 1 extremes (-128, -127, 127), 2 small (-3..=3).
    pub code_mode: u8,
}

impl Job {
    /// A job of `n_rows` random rows of `cols` columns.
    pub fn random(
        cfg: &EngineConfig,
        cols: usize,
        n_rows: usize,
        style: JobStyle,
        rng: &mut impl Rng,
    ) -> Job {
        let width = cfg.beats_per_row(cols) * cfg.lanes();
        let rows = (0..n_rows)
            .map(|_| {
                let dirty = rng.gen_bool(style.p_dirty_padding);
                (0..width)
                    .map(|j| {
                        if (j >= cols && !dirty) || rng.gen_bool(style.p_zero) {
                            0
                        } else if rng.r#gen() {
                            1
                        } else {
                            -1
                        }
                    })
                    .collect()
            })
            .collect();
        let codes = (0..cfg.batch)
            .map(|_| {
                (0..cfg.buffer_words() * cfg.lanes())
                    .map(|_| match style.code_mode {
                        1 => [-128, -127, 127][rng.gen_range(0..3)],
                        2 => rng.gen_range(-3..=3),
                        _ => rng.gen_range(-127..=127),
                    })
                    .collect()
            })
            .collect();
        Job { cols, rows, codes }
    }

    /// A job whose rows are given (padded with zeros to whole beats) and whose codes are `codes`
    /// repeated over the buffer for every sequence.
    pub fn directed(cfg: &EngineConfig, cols: usize, rows: Vec<Vec<i8>>, codes: &[Vec<i8>]) -> Job {
        let width = cfg.beats_per_row(cols) * cfg.lanes();
        let rows = rows
            .into_iter()
            .map(|mut r| {
                r.resize(width, 0);
                r
            })
            .collect();
        let n = cfg.buffer_words() * cfg.lanes();
        let codes = codes
            .iter()
            .map(|c| (0..n).map(|j| c[j % c.len()]).collect())
            .collect();
        Job { cols, rows, codes }
    }

    /// Every row's beats, in stream order, as the little-endian words of `w_data`.
    pub fn beats(&self, cfg: &EngineConfig) -> anyhow::Result<Vec<Vec<u32>>> {
        let beat_bytes = cfg.port_bits / 8;
        let mut out = Vec::new();
        for row in &self.rows {
            let bytes = self.packed(cfg, row)?;
            out.extend(bytes.chunks(beat_bytes).map(le_words));
        }
        Ok(out)
    }

    /// The code-buffer words: `(sequence, address, words of cb_data)`.
    pub fn code_words(&self, cfg: &EngineConfig) -> Vec<(usize, usize, Vec<u32>)> {
        let k = cfg.lanes();
        let mut out = Vec::new();
        for (b, codes) in self.codes.iter().enumerate() {
            for (a, word) in codes.chunks(k).enumerate() {
                let bytes: Vec<u8> = word.iter().map(|&c| c as u8).collect();
                out.push((b, a, le_words(&bytes)));
            }
        }
        out
    }

    /// The expected sums, `[row][sequence]`: the packed row unpacked by the spec crate (first
    /// `cols` trits) dotted with each sequence's first `cols` codes.
    pub fn expected(&self, cfg: &EngineConfig) -> anyhow::Result<Vec<Vec<i64>>> {
        let mut out = Vec::with_capacity(self.rows.len());
        for row in &self.rows {
            let bytes = self.packed(cfg, row)?;
            let mut trits = vec![0i8; self.cols];
            cfg.packing.unpack_row(&bytes, &mut trits)?;
            out.push(
                self.codes
                    .iter()
                    .map(|codes| {
                        trits
                            .iter()
                            .zip(codes)
                            .map(|(&w, &q)| w as i64 * q as i64)
                            .sum()
                    })
                    .collect(),
            );
        }
        Ok(out)
    }

    fn packed(&self, cfg: &EngineConfig, row: &[i8]) -> anyhow::Result<Vec<u8>> {
        let beats = cfg.beats_per_row(self.cols);
        let mut bytes = vec![0u8; beats * cfg.port_bits / 8];
        cfg.packing.pack_row(row, &mut bytes)?;
        Ok(bytes)
    }
}

/// Little-endian 32-bit words of `bytes` (the last word zero-filled).
pub fn le_words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks(4)
        .map(|c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            u32::from_le_bytes(w)
        })
        .collect()
}

/// The two's-complement field `[offset, offset + bits)` of a little-endian word vector.
pub fn field(words: &[u32], offset: usize, bits: usize) -> i64 {
    let mut raw = 0u64;
    for i in 0..bits {
        let bit = offset + i;
        raw |= (((words[bit / 32] >> (bit % 32)) & 1) as u64) << i;
    }
    ((raw << (64 - bits)) as i64) >> (64 - bits)
}

/// A random column count that favours the edges: 1, `K - 1`, `K`, `K + 1`, short rows, the maximum.
pub fn random_cols(cfg: &EngineConfig, rng: &mut impl Rng) -> usize {
    let (k, max) = (cfg.lanes(), cfg.max_cols);
    let cols = match rng.gen_range(0..20) {
        0 | 1 => 1,
        2 => k - 1,
        3 => k,
        4 => k + 1,
        5 => max,
        6..=12 => rng.gen_range(1..=3 * k),
        _ => rng.gen_range(1..=8 * k),
    };
    cols.clamp(1, max)
}
