//! Throughput of the ternary GEMV kernels against the machine's copy bandwidth (DESIGN.md
//! section 5), in bytes of packed weights per second.
//!
//! Decode streams every weight once per token and a whole model exceeds the last-level cache, so
//! each timed call reads its matrix from DRAM: every shape is cloned into enough copies to span
//! `COLD_SET_BYTES` and the calls rotate through them. Groups:
//! - `gemv_370m`, `gemv_2.7b`: the decode-step matrix shapes, one thread (`single`) and the rayon
//!   pool (`parallel`);
//! - `decode_370m`: all 145 matrices of one 370M decode step (85 MB) in order;
//! - `l3_resident`: one matrix that stays in cache, the kernels' compute ceiling (and the scalar
//!   oracle for scale);
//! - `stream_copy`: one STREAM Copy pass over 512 MiB, 1 and 2 threads (`2 * bytes` per pass);
//!   the best-of-N figure of `stream_copy_bandwidth` is printed beside it.

use std::hint::black_box;

use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
    measurement::WallTime,
};
use mmfree_gemv::{StreamCopy, gemv, gemv_scalar, gemv_single, stream_copy_bandwidth};
use mmfree_spec::shape::ModelShape;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Bytes of distinct weights a rotating benchmark cycles through: three times a 32 MiB L3.
const COLD_SET_BYTES: usize = 96 << 20;

/// Buffer size of the stream-copy measurement.
const STREAM_BYTES: usize = 512 << 20;

/// The pool the benchmarks run in: one thread per core (rayon's default).
fn pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .build()
            .expect("a rayon pool")
    })
}

/// The model's row stride: 128-weight alignment.
fn row_bytes(cols: usize) -> usize {
    cols.div_ceil(128) * 32
}

/// The GEMV shapes of one decode step: attention-like projections (`d x d`), the GLU gate
/// (`2I x d`), the down projection (`d x I`) and the lm_head (`V x d`).
fn decode_shapes(shape: &ModelShape) -> [(usize, usize); 4] {
    let (d, i) = (shape.hidden, shape.intermediate);
    [(d, d), (2 * i, d), (d, i), (shape.vocab, d)]
}

/// `bytes` of valid random Pack2 data (every byte four codes in 0..=2).
fn random_pack2(rng: &mut ChaCha8Rng, bytes: usize) -> Vec<u8> {
    let valid: Vec<u8> = (0..=255u8)
        .filter(|b| (0..4).all(|k| (b >> (2 * k)) & 3 != 3))
        .collect();
    let mut raw = vec![0u8; bytes];
    rng.fill_bytes(&mut raw);
    raw.iter()
        .map(|&r| valid[usize::from(r) % valid.len()])
        .collect()
}

fn random_q(rng: &mut ChaCha8Rng, cols: usize) -> Vec<i8> {
    (0..cols).map(|_| rng.gen_range(-127..=127)).collect()
}

type Gemv = fn(&[u8], usize, usize, usize, &[i8], &mut [i32]) -> mmfree_gemv::Result<()>;

/// Benchmarks `f` over `rows x cols`, rotating through `copies` copies of the matrix in `set`.
fn bench_rotating(
    group: &mut BenchmarkGroup<WallTime>,
    name: &str,
    f: Gemv,
    set: &[u8],
    dims: (usize, usize),
    q: &[i8],
) {
    let (rows, cols) = dims;
    let bytes = rows * row_bytes(cols);
    let copies = set.len() / bytes;
    let mut acc = vec![0i32; rows];
    let mut next = 0;
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(format!("{name}/{rows}x{cols}"), |b| {
        pool().install(|| {
            b.iter(|| {
                next = (next + 1) % copies;
                f(
                    black_box(&set[next * bytes..][..bytes]),
                    rows,
                    cols,
                    row_bytes(cols),
                    q,
                    &mut acc,
                )
                .unwrap();
                black_box(&acc);
            })
        })
    });
}

fn configure(group: &mut BenchmarkGroup<WallTime>) {
    group.sample_size(20).sampling_mode(SamplingMode::Flat);
}

fn model_shapes(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for name in ["370m", "2.7b"] {
        let shape = ModelShape::preset(name).unwrap();
        let mut group = c.benchmark_group(format!("gemv_{name}"));
        configure(&mut group);
        for (rows, cols) in decode_shapes(&shape) {
            let bytes = rows * row_bytes(cols);
            let one = random_pack2(&mut rng, bytes);
            let set = one.repeat(COLD_SET_BYTES.div_ceil(bytes));
            let q = random_q(&mut rng, cols);
            bench_rotating(&mut group, "single", gemv_single, &set, (rows, cols), &q);
            bench_rotating(&mut group, "parallel", gemv, &set, (rows, cols), &q);
        }
        group.finish();
    }
}

fn decode_step(c: &mut Criterion) {
    let shape = ModelShape::preset("370m").unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let [attn, gate, down, head] = decode_shapes(&shape);
    let mut step: Vec<(usize, usize)> = (0..shape.layers)
        .flat_map(|_| [attn, attn, attn, attn, gate, down])
        .collect();
    step.push(head);
    let mats: Vec<(Vec<u8>, (usize, usize))> = step
        .iter()
        .map(|&(r, c)| (random_pack2(&mut rng, r * row_bytes(c)), (r, c)))
        .collect();
    let total: usize = mats.iter().map(|(m, _)| m.len()).sum();
    assert_eq!(
        total * 4,
        shape.ternary_weights(),
        "one decode step streams every ternary weight once"
    );
    let qs = [shape.hidden, shape.intermediate].map(|n| random_q(&mut rng, n));
    let mut acc = vec![0i32; shape.vocab.max(2 * shape.intermediate)];
    let mut group = c.benchmark_group("decode_370m");
    configure(&mut group);
    group.throughput(Throughput::Bytes(total as u64));
    for (name, f) in [("single", gemv_single as Gemv), ("parallel", gemv)] {
        group.bench_function(name, |b| {
            pool().install(|| {
                b.iter(|| {
                    for (m, (rows, cols)) in &mats {
                        let q = if *cols == shape.hidden {
                            &qs[0]
                        } else {
                            &qs[1]
                        };
                        f(
                            black_box(m),
                            *rows,
                            *cols,
                            row_bytes(*cols),
                            q,
                            &mut acc[..*rows],
                        )
                        .unwrap();
                    }
                    black_box(&acc);
                })
            })
        });
    }
    group.finish();
}

fn l3_resident(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let (rows, cols) = (5632, 1024);
    let m = random_pack2(&mut rng, rows * row_bytes(cols));
    let q = random_q(&mut rng, cols);
    let mut group = c.benchmark_group("l3_resident");
    configure(&mut group);
    for (name, f) in [
        ("scalar", gemv_scalar as Gemv),
        ("single", gemv_single),
        ("parallel", gemv),
    ] {
        bench_rotating(&mut group, name, f, &m, (rows, cols), &q);
    }
    group.finish();
}

fn stream_copy(c: &mut Criterion) {
    let mut copy = StreamCopy::new(STREAM_BYTES).unwrap();
    let mut group = c.benchmark_group("stream_copy");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Bytes(copy.bytes_moved()));
    for threads in [1, 2] {
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| copy.pass(threads).unwrap())
        });
    }
    group.finish();
    drop(copy);
    for threads in [1, 2] {
        let rate = stream_copy_bandwidth(STREAM_BYTES, threads).unwrap();
        println!(
            "stream_copy_bandwidth(512 MiB, {threads} threads) = {:.2} GB/s (best of {})",
            rate / 1e9,
            mmfree_gemv::STREAM_RUNS
        );
    }
}

criterion_group!(benches, stream_copy, model_shapes, decode_step, l3_resident);
criterion_main!(benches);
