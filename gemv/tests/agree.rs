//! Every Pack2 kernel (scalar, AVX2, single-thread, parallel) and the Pack5 GEMV against an
//! independent oracle: unpack each row with `Packing::unpack_row` from the spec crate, then a
//! plain `i64` dot product. Failures print the seed, the shape and the first mismatching row.

use anyhow::{Result, ensure};
use mmfree_gemv::{Error, Kernel, gemv, gemv_pack5_scalar, gemv_scalar, gemv_single};
use mmfree_spec::pack::Packing;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Row stride of the model's packed matrices: 128-weight (32-byte) alignment.
fn padded_row_bytes(cols: usize) -> usize {
    cols.div_ceil(128) * 32
}

/// A random ternary matrix in Pack2 and Pack5 plus its trits.
struct Matrix {
    rows: usize,
    cols: usize,
    trits: Vec<Vec<i8>>,
}

impl Matrix {
    fn random(rng: &mut ChaCha8Rng, rows: usize, cols: usize) -> Matrix {
        let trits = (0..rows)
            .map(|_| (0..cols).map(|_| rng.gen_range(-1..=1)).collect())
            .collect();
        Matrix { rows, cols, trits }
    }

    fn filled(rows: usize, cols: usize, w: i8) -> Matrix {
        Matrix {
            rows,
            cols,
            trits: vec![vec![w; cols]; rows],
        }
    }

    /// Packs every row at `row_bytes`; padding weights after `cols` get random valid codes
    /// (not just the zero weight), since no result may depend on them.
    fn pack(&self, format: Packing, row_bytes: usize, rng: &mut ChaCha8Rng) -> Vec<u8> {
        let mut out = vec![0u8; self.rows * row_bytes];
        let per = format.weights_per_byte();
        for (row, bytes) in self.trits.iter().zip(out.chunks_exact_mut(row_bytes)) {
            let mut padded = row.clone();
            padded.extend((self.cols..row_bytes * per).map(|_| rng.gen_range(-1..=1)));
            format.pack_row(&padded, bytes).unwrap();
        }
        out
    }

    /// The oracle: unpack with the spec, then an exact dot product.
    fn expected(&self, format: Packing, packed: &[u8], row_bytes: usize, q: &[i8]) -> Vec<i32> {
        packed
            .chunks_exact(row_bytes)
            .map(|bytes| {
                let mut w = vec![0i8; self.cols];
                format.unpack_row(bytes, &mut w).unwrap();
                let dot: i64 = w
                    .iter()
                    .zip(q)
                    .map(|(&w, &x)| i64::from(w) * i64::from(x))
                    .sum();
                i32::try_from(dot).unwrap()
            })
            .collect()
    }
}

fn random_q(rng: &mut ChaCha8Rng, cols: usize, lo: i8) -> Vec<i8> {
    (0..cols).map(|_| rng.gen_range(lo..=127)).collect()
}

fn first_mismatch(what: &str, context: &str, got: &[i32], want: &[i32]) -> Result<()> {
    if let Some(r) = (0..want.len()).find(|&r| got[r] != want[r]) {
        anyhow::bail!(
            "{what} ({context}): row {r}: got {} want {}",
            got[r],
            want[r]
        );
    }
    ensure!(
        got.len() == want.len(),
        "{what} ({context}): length {} vs {}",
        got.len(),
        want.len()
    );
    Ok(())
}

/// Runs every Pack2 entry point on one matrix and compares each with `want`. Kernels the CPU
/// lacks must refuse with `KernelUnavailable`; the names of those that ran are returned.
fn check_pack2(
    packed: &[u8],
    m: &Matrix,
    row_bytes: usize,
    q: &[i8],
    want: &[i32],
    context: &str,
) -> Result<Vec<&'static str>> {
    let (rows, cols) = (m.rows, m.cols);
    let mut ran = Vec::new();
    let mut acc = vec![i32::MIN; rows];
    gemv_scalar(packed, rows, cols, row_bytes, q, &mut acc)?;
    first_mismatch("gemv_scalar", context, &acc, want)?;
    for kernel in [Kernel::Scalar, Kernel::Avx2] {
        let mut acc = vec![i32::MIN; rows];
        match kernel.gemv(packed, rows, cols, row_bytes, q, &mut acc) {
            Ok(()) => {
                first_mismatch(kernel.name(), context, &acc, want)?;
                ran.push(kernel.name());
            }
            Err(Error::KernelUnavailable { kernel: name }) if !kernel.is_available() => {
                ensure!(name == kernel.name())
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut acc = vec![i32::MIN; rows];
    gemv_single(packed, rows, cols, row_bytes, q, &mut acc)?;
    first_mismatch("gemv_single", context, &acc, want)?;
    let mut acc = vec![i32::MIN; rows];
    gemv(packed, rows, cols, row_bytes, q, &mut acc)?;
    first_mismatch("gemv (parallel)", context, &acc, want)?;
    Ok(ran)
}

#[test]
fn random_matrices_of_many_shapes_agree_with_the_unpacking_oracle() -> Result<()> {
    let seed = 0x6e6d_7631;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ran = Vec::new();
    let mut cases = 0;
    for rows in [1, 3, 4, 5, 33] {
        for cols in [1, 64, 100, 127, 128, 129, 1000, 1024, 2816] {
            let m = Matrix::random(&mut rng, rows, cols);
            // The model's padded stride, the tightest stride, and an odd one with a partial block.
            for row_bytes in [
                padded_row_bytes(cols),
                cols.div_ceil(4),
                padded_row_bytes(cols) + 7,
            ] {
                let packed = m.pack(Packing::Pack2, row_bytes, &mut rng);
                for lo in [-127, -128] {
                    let q = random_q(&mut rng, cols, lo);
                    let want = m.expected(Packing::Pack2, &packed, row_bytes, &q);
                    let context =
                        format!("seed {seed:#x}, {rows}x{cols}, row_bytes {row_bytes}, q >= {lo}");
                    ran = check_pack2(&packed, &m, row_bytes, &q, &want, &context)?;
                    cases += 1;
                }
            }
        }
    }
    println!("{cases} cases, kernels exercised: {ran:?}");
    ensure!(ran.contains(&"scalar"));
    Ok(())
}

#[test]
fn large_matrices_split_across_threads_agree() -> Result<()> {
    let seed = 7;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for (rows, cols) in [(5632, 1024), (1024, 2816), (2001, 1000)] {
        let m = Matrix::random(&mut rng, rows, cols);
        let row_bytes = padded_row_bytes(cols);
        let packed = m.pack(Packing::Pack2, row_bytes, &mut rng);
        let q = random_q(&mut rng, cols, -127);
        let want = m.expected(Packing::Pack2, &packed, row_bytes, &q);
        // An odd pool size gives uneven chunks.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build()?;
        let context = format!("seed {seed}, {rows}x{cols}");
        pool.install(|| check_pack2(&packed, &m, row_bytes, &q, &want, &context))?;
        check_pack2(&packed, &m, row_bytes, &q, &want, &context)?;
    }
    Ok(())
}

#[test]
fn extreme_codes_reach_127_times_cols() -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for (rows, cols) in [(1, 64), (3, 1000), (33, 2816), (5, 16384)] {
        let row_bytes = padded_row_bytes(cols);
        let n = cols as i32;
        let extremes = [
            (1, 127, 127 * n),
            (-1, -127, 127 * n),
            (1, -127, -127 * n),
            (-1, -128, 128 * n),
            (1, -128, -128 * n),
        ];
        for (w, x, want) in extremes {
            let m = Matrix::filled(rows, cols, w);
            let packed = m.pack(Packing::Pack2, row_bytes, &mut rng);
            let want = vec![want; rows];
            let context = format!("all w = {w}, all q = {x}, {rows}x{cols}");
            check_pack2(&packed, &m, row_bytes, &vec![x; cols], &want, &context)?;
        }
    }
    Ok(())
}

#[test]
fn all_zero_inputs_give_zero() -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for (rows, cols) in [(1, 1), (3, 129), (33, 2816)] {
        let row_bytes = padded_row_bytes(cols);
        let zero_w = Matrix::filled(rows, cols, 0);
        let packed = zero_w.pack(Packing::Pack2, row_bytes, &mut rng);
        check_pack2(
            &packed,
            &zero_w,
            row_bytes,
            &random_q(&mut rng, cols, -128),
            &vec![0; rows],
            "zero weights",
        )?;
        let m = Matrix::random(&mut rng, rows, cols);
        let packed = m.pack(Packing::Pack2, row_bytes, &mut rng);
        check_pack2(
            &packed,
            &m,
            row_bytes,
            &vec![0; cols],
            &vec![0; rows],
            "zero activations",
        )?;
    }
    // Empty shapes are valid and leave nothing to compute.
    check_pack2(
        &[],
        &Matrix::filled(0, 1024, 0),
        256,
        &[1; 1024],
        &[],
        "zero rows",
    )?;
    check_pack2(
        &[],
        &Matrix::filled(4, 0, 0),
        0,
        &[],
        &[0; 4],
        "zero columns",
    )?;
    Ok(())
}

#[test]
fn pack5_gemv_equals_pack2_gemv() -> Result<()> {
    let seed = 5;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for rows in [1, 3, 33] {
        for cols in [1, 5, 64, 1000, 2816] {
            let m = Matrix::random(&mut rng, rows, cols);
            let q = random_q(&mut rng, cols, -127);
            let (rb2, rb5) = (padded_row_bytes(cols), cols.div_ceil(5) + 3);
            let (p2, p5) = (
                m.pack(Packing::Pack2, rb2, &mut rng),
                m.pack(Packing::Pack5, rb5, &mut rng),
            );
            let (mut a2, mut a5) = (vec![0; rows], vec![i32::MIN; rows]);
            gemv(&p2, rows, cols, rb2, &q, &mut a2)?;
            gemv_pack5_scalar(&p5, rows, cols, rb5, &q, &mut a5)?;
            let context = format!("seed {seed}, {rows}x{cols}");
            first_mismatch("pack5 vs pack2", &context, &a5, &a2)?;
            first_mismatch(
                "pack5 vs oracle",
                &context,
                &a5,
                &m.expected(Packing::Pack5, &p5, rb5, &q),
            )?;
        }
    }
    Ok(())
}
