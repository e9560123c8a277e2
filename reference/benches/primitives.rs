//! The element-wise primitives of the fixed-point model (NUMERICS.md section 5) at the vector
//! lengths of a decode step (`d = 1024` for 370M, `d = 2560` for 2.7B), each in its fast form
//! (`mmfree_spec::ops`, what the model runs) and its plain form (`ops::plain`, the oracle), so the
//! gain of the fast forms is measured, not assumed. Throughput is in elements.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use mmfree_spec::Scale;
use mmfree_spec::format::{Bfp, GATE_ONE};
use mmfree_spec::ops::{self, plain};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The vector lengths benchmarked: the hidden sizes of the 370M and 2.7B shapes.
const LENGTHS: [usize; 2] = [1024, 2560];

/// Normalized random vectors and gates of one length, as a decode step meets them.
struct Inputs {
    a: Bfp,
    b: Bfp,
    gates: Vec<u32>,
    acc: Vec<i32>,
    sigma: Scale,
}

impl Inputs {
    fn new(n: usize, seed: u64) -> Inputs {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut vector = |scale: f32| {
            let v: Vec<f32> = (0..n)
                .map(|_| rng.gen_range(-1.0f32..1.0) * scale)
                .collect();
            Bfp::from_f32(&v)
        };
        // f_raw-like values around +-4 put sigmoid on many segments.
        let (a, b) = (vector(4.0), vector(0.7));
        let gates = (0..n).map(|_| rng.gen_range(0..=GATE_ONE)).collect();
        let acc = (0..n).map(|_| rng.gen_range(-30_000..30_000)).collect();
        let sigma = Scale::from_f64(3.1e-5).expect("a positive scale");
        Inputs {
            a,
            b,
            gates,
            acc,
            sigma,
        }
    }
}

/// Benchmarks one primitive in both forms.
fn pair<R>(
    group: &mut BenchmarkGroup<WallTime>,
    name: &str,
    n: usize,
    fast: impl Fn() -> R,
    plain: impl Fn() -> R,
) {
    group.bench_function(format!("{name}/fast/{n}"), |b| b.iter(|| black_box(fast())));
    group.bench_function(format!("{name}/plain/{n}"), |b| {
        b.iter(|| black_box(plain()))
    });
}

fn primitives(c: &mut Criterion) {
    let mut group = c.benchmark_group("primitives");
    group.sample_size(30);
    for n in LENGTHS {
        let x = Inputs::new(n, n as u64);
        let (a, b, g) = (&x.a, &x.b, &x.gates[..]);
        let alpha = Scale::from_f64(0.03).expect("a positive scale");
        group.throughput(Throughput::Elements(n as u64));
        pair(
            &mut group,
            "rms_norm",
            n,
            || ops::rms_norm(a, b),
            || plain::rms_norm(a, b),
        );
        let mut codes = vec![0i8; n];
        let mut codes2 = vec![0i8; n];
        group.bench_function(format!("quantize/fast/{n}"), |bn| {
            bn.iter(|| black_box(ops::quantize(a, b, alpha, &mut codes)))
        });
        group.bench_function(format!("quantize/plain/{n}"), |bn| {
            bn.iter(|| black_box(plain::quantize(a, b, alpha, &mut codes2)))
        });
        pair(
            &mut group,
            "dequantize",
            n,
            || ops::dequantize(&x.acc, x.sigma),
            || plain::dequantize(&x.acc, x.sigma),
        );
        pair(&mut group, "add", n, || ops::add(a, b), || plain::add(a, b));
        pair(&mut group, "mul", n, || ops::mul(a, b), || plain::mul(a, b));
        pair(
            &mut group,
            "gate_mul",
            n,
            || ops::gate_mul(a, g),
            || plain::gate_mul(a, g),
        );
        pair(
            &mut group,
            "sigmoid",
            n,
            || ops::sigmoid(a),
            || plain::sigmoid(a),
        );
        pair(&mut group, "silu", n, || ops::silu(a), || plain::silu(a));
        pair(
            &mut group,
            "mlgru",
            n,
            || ops::mlgru(b, g, a),
            || plain::mlgru(b, g, a),
        );
    }
    group.finish();
}

criterion_group!(benches, primitives);
criterion_main!(benches);
