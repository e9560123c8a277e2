//! The 370M shape end to end: random generation, packed write, packed read (default tier, about
//! 10 s on two cores), and the same model through a written Hugging Face checkpoint (ignored:
//! it writes 750 MB; run with `cargo test -p mmfree-model --test large -- --ignored --nocapture`).
//! Both print the time of each step.

mod common;

use std::time::Instant;

use common::*;
use mmfree_model::{FloatDtype, packed, random};
use mmfree_spec::shape::ModelShape;

#[test]
fn shape_370m_generates_writes_and_reads_back() {
    let shape = ModelShape::preset("370m").unwrap();
    let t = Instant::now();
    let model = random::model(shape, 1, FloatDtype::Bf16, &mut quiet()).unwrap();
    println!("random 370m model: {:.2} s", t.elapsed().as_secs_f64());
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("370m.mmfree");
    let t = Instant::now();
    packed::write(&model, &path, "random 370m seed 1").unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    println!(
        "packed write: {:.2} s ({:.1} MB)",
        t.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    let t = Instant::now();
    let back = packed::read(&path).unwrap();
    println!("packed read: {:.2} s", t.elapsed().as_secs_f64());
    assert_same(&model, &back);
    // 2-bit weights (1024 and 2816 are whole multiples of the 128-weight row unit), the bf16
    // embedding, norms as f32 + BFP mantissas (8 bytes each), lower bounds as f32 + GATE; the rest
    // is the JSON header and 64-byte alignment.
    let (l, d, i) = (shape.layers, shape.hidden, shape.intermediate);
    let norm_elems = l * (3 * d + 5 * d + i) + 2 * d;
    let tensor_bytes =
        shape.ternary_weights() / 4 + shape.vocab * d * 2 + 8 * norm_elems + 8 * l * d;
    assert_eq!(tensor_bytes, 153_124_864);
    assert!(
        (size as usize) > tensor_bytes && (size as usize) < tensor_bytes + 200_000,
        "{size}"
    );
}

#[test]
#[ignore = "370M shape as a Hugging Face checkpoint: writes 750 MB, run explicitly"]
fn shape_370m_checkpoint_converts_to_the_random_model() {
    let shape = ModelShape::preset("370m").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ckpt");
    let t = Instant::now();
    random::write_hf(shape, 1, &dir, FloatDtype::Bf16, 500_000_000, &mut quiet()).unwrap();
    println!(
        "write_hf 370m (2 shards): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let loaded = mmfree_model::hf::convert(&dir, &mut quiet()).unwrap();
    println!("hf convert 370m: {:.2} s", t.elapsed().as_secs_f64());
    let direct = random::model(shape, 1, FloatDtype::Bf16, &mut quiet()).unwrap();
    assert_same(&loaded, &direct);
}
