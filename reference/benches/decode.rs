//! Whole-token decode of the fixed-point model (`Fixed`, the contract) and the f32 golden model
//! (`Golden<f32>`) at the 370M and 2.7B shapes, one `Decoder::step` per iteration on a running
//! sequence. Throughput is in bytes of packed ternary weights per token, so criterion's rate is
//! the weight stream a step sustains (DESIGN.md section 5).
//!
//! The random models (seed 1, as `mmfree random --shape S --seed 1`) are generated on the first
//! run and cached as packed files under the target directory (`mmfree-bench-models/`), so later
//! runs only map them.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use mmfree_model::{FloatDtype, Model};
use mmfree_reference::Decoder;
use mmfree_reference::fixed::Fixed;
use mmfree_reference::golden::Golden;
use mmfree_reference::weight_bytes_per_token;
use mmfree_spec::shape::ModelShape;

/// Seed of the cached models.
const SEED: u64 = 1;

/// The shapes benchmarked and the samples each takes (a 2.7B step is about 8x a 370M one).
const SHAPES: [(&str, usize); 2] = [("370m", 30), ("2.7b", 10)];

/// The directory the models are cached in: `<target>/mmfree-bench-models`, found from this
/// executable's path (`<target>/<profile>/deps/decode-HASH`), else the system temporary directory.
fn cache_dir() -> PathBuf {
    let exe = std::env::current_exe().ok();
    let target = exe
        .as_deref()
        .and_then(|e| e.ancestors().nth(3))
        .map(Path::to_path_buf);
    target
        .unwrap_or_else(std::env::temp_dir)
        .join("mmfree-bench-models")
}

/// The random model of `shape`, generated and written on first use.
fn cached_model(shape: &str) -> Result<Model> {
    let dir = cache_dir();
    let path = dir.join(format!("{shape}-seed{SEED}.mmf"));
    if !path.exists() {
        eprintln!("generating the {shape} model once into {}", path.display());
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let model = mmfree_model::random::model(
            ModelShape::preset(shape)?,
            SEED,
            FloatDtype::Bf16,
            &mut |_, _, _| {},
        )?;
        let source = format!("random shape {shape} seed {SEED} latent bf16");
        mmfree_model::packed::write(&model, &path, &source)?;
    }
    Ok(mmfree_model::load(&path)?)
}

/// Token ids the running sequence cycles through.
fn token(i: usize, vocab: usize) -> u32 {
    ((i * 7919 + 13) % vocab) as u32
}

fn bench_decoder(c: &mut Criterion, group: &str, model: &Model, samples: usize) {
    let mut g = c.benchmark_group(group);
    g.sample_size(samples)
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Bytes(weight_bytes_per_token(model)));
    let vocab = model.shape.vocab;
    let decoders: [(&str, Box<dyn Decoder + '_>); 2] = [
        ("fixed", Box::new(Fixed::new(model))),
        ("golden_f32", Box::new(Golden::<f32>::new(model))),
    ];
    for (name, mut decoder) in decoders {
        let mut i = 0;
        g.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                decoder.step(token(i, vocab)).expect("a valid token")
            })
        });
    }
    g.finish();
}

fn decode(c: &mut Criterion) {
    for (shape, samples) in SHAPES {
        let model = cached_model(shape).expect("the benchmark model");
        bench_decoder(c, &format!("decode_{shape}"), &model, samples);
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
