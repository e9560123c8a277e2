//! Hugging Face checkpoints that must load: every dtype, sharded and unsharded, and the
//! equivalence of a written random checkpoint with the in-memory random model.

mod common;

use common::*;
use mmfree_model::{Embedding, FloatDtype, hf, random};
use mmfree_spec::Scale;
use mmfree_spec::pack::Packing;
use safetensors::Dtype;

#[test]
fn every_dtype_converts_to_the_random_model_of_the_same_dtype() {
    for dtype in [FloatDtype::Bf16, FloatDtype::F16, FloatDtype::F32] {
        let (_tmp, dir) = tiny_checkpoint(dtype, u64::MAX);
        let mut steps = Vec::new();
        let loaded = hf::convert(&dir, &mut |what: &str, done, total| {
            steps.push((what.to_string(), done, total))
        })
        .unwrap();
        let direct = random::model(tiny(), 11, dtype, &mut quiet()).unwrap();
        assert_same(&loaded, &direct);
        // One progress step for the embedding, one per layer, one for the head.
        assert_eq!(steps.len(), 4, "{dtype:?}");
        assert_eq!(steps[3], ("lm_head".to_string(), 4, 4));
        // Random N(0, 0.02) latents are not bf16-exact in f16/f32, so those embeddings stay f32.
        let want_bf16 = dtype == FloatDtype::Bf16;
        assert_eq!(
            matches!(loaded.embedding, Embedding::Bf16(_)),
            want_bf16,
            "{dtype:?}"
        );
        // The bf16 embedding is served straight from the mapped checkpoint.
        if let Embedding::Bf16(b) = &loaded.embedding {
            assert!(b.is_mapped());
        }
    }
}

#[test]
fn dtypes_give_different_models() {
    let a = random::model(tiny(), 11, FloatDtype::Bf16, &mut quiet()).unwrap();
    let b = random::model(tiny(), 11, FloatDtype::F32, &mut quiet()).unwrap();
    let c = random::model(tiny(), 12, FloatDtype::Bf16, &mut quiet()).unwrap();
    assert!(a.first_difference(&b).is_some());
    assert!(a.first_difference(&c).is_some());
}

#[test]
fn sharded_and_unsharded_are_identical() {
    let (_t1, single) = tiny_checkpoint(FloatDtype::Bf16, u64::MAX);
    let (_t2, sharded) = tiny_checkpoint(FloatDtype::Bf16, 100_000);
    assert_eq!(files_in(&single), ["config.json", "model.safetensors"]);
    assert_eq!(
        files_in(&sharded),
        [
            "config.json",
            "model-00001-of-00004.safetensors",
            "model-00002-of-00004.safetensors",
            "model-00003-of-00004.safetensors",
            "model-00004-of-00004.safetensors",
            "model.safetensors.index.json"
        ]
    );
    // The index maps every tensor to the shard that holds it and totals the tensor bytes.
    let index: serde_json::Value = serde_json::from_slice(
        &std::fs::read(sharded.join("model.safetensors.index.json")).unwrap(),
    )
    .unwrap();
    let map = index["weight_map"].as_object().unwrap();
    assert_eq!(map.len(), 35);
    let mut total = 0;
    for k in 1..=4 {
        let shard = format!("model-{k:05}-of-00004.safetensors");
        let tensors = read_tensors(&sharded.join(&shard));
        assert!(!tensors.is_empty());
        for t in tensors {
            assert_eq!(map[&t.name], shard.as_str(), "{}", t.name);
            total += t.data.len();
        }
    }
    assert_eq!(index["metadata"]["total_size"], total);
    assert_eq!(total, tiny().parameters() * 2);
    let a = hf::convert(&single, &mut quiet()).unwrap();
    let b = hf::convert(&sharded, &mut quiet()).unwrap();
    assert_same(&a, &b);
}

#[test]
fn config_has_every_key_of_the_released_370m_config() {
    let (_tmp, dir) = tiny_checkpoint(FloatDtype::F16, u64::MAX);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("config.json")).unwrap()).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let released = [
        "architectures",
        "attn_mode",
        "bos_token_id",
        "conv_size",
        "eos_token_id",
        "expand_ratio",
        "fuse_cross_entropy",
        "hidden_act",
        "hidden_ratio",
        "hidden_size",
        "initializer_range",
        "intermediate_size",
        "max_position_embeddings",
        "model_type",
        "num_heads",
        "num_hidden_layers",
        "rms_norm_eps",
        "share_conv_kernel",
        "tie_word_embeddings",
        "torch_dtype",
        "transformers_version",
        "use_cache",
        "use_lower_bound",
        "use_short_conv",
        "vocab_size",
    ];
    assert_eq!(keys, released);
    assert_eq!(v["torch_dtype"], "float16");
    assert_eq!(v["hidden_size"], 64);
    assert!(v["intermediate_size"].is_null());
}

/// An independent oracle for one BitLinear: straight loops over the latent values read with the
/// safetensors crate, compared with the unpacked weights of the converted model.
#[test]
fn converted_weights_match_a_plain_oracle() {
    let (_tmp, dir) = tiny_checkpoint(FloatDtype::Bf16, u64::MAX);
    let model = hf::convert(&dir, &mut quiet()).unwrap();
    let tensors = read_tensors(&dir.join("model.safetensors"));
    let latent = |name: &str| -> Vec<f32> {
        let t = tensors.iter().find(|t| t.name == name).unwrap();
        assert_eq!(t.dtype, Dtype::BF16);
        t.data
            .chunks(2)
            .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect()
    };
    let cases = [
        (
            "model.layers.1.mlp.gate_proj.weight",
            &model.layers[1].gate_proj,
        ),
        ("lm_head.weight", &model.lm_head),
    ];
    for (name, b) in cases {
        let w = latent(name);
        let mut sum = 0f64;
        for &x in &w {
            sum += (x as f64).abs();
        }
        let alpha = ((sum / w.len() as f64) as f32).max(1e-5);
        assert_eq!(b.alpha, alpha, "{name}");
        // The contract scale is alpha rounded to 17 significant bits.
        assert_eq!(
            b.alpha_fixed,
            Scale::from_f64(alpha as f64).unwrap(),
            "{name}"
        );
        assert!(
            (b.alpha_fixed.to_f64() / alpha as f64 - 1.0).abs() <= 2f64.powi(-17),
            "{name}"
        );
        let s = 1.0f32 / alpha;
        let mut row = vec![0i8; b.weight.cols];
        for r in 0..b.weight.rows {
            Packing::Pack2
                .unpack_row(b.weight.row(r), &mut row)
                .unwrap();
            for (c, &t) in row.iter().enumerate() {
                let want = (w[r * b.weight.cols + c] * s)
                    .round_ties_even()
                    .clamp(-1.0, 1.0) as i8;
                assert_eq!(t, want, "{name} [{r}, {c}]");
            }
        }
        let norm = latent(&name.replace(".weight", ".norm.weight"));
        assert_eq!(b.norm.f32, norm);
    }
}

#[test]
fn bf16_exact_f16_embedding_is_stored_as_bf16() {
    let (_tmp, dir) = tiny_checkpoint(FloatDtype::F16, u64::MAX);
    rewrite(&dir.join("model.safetensors"), |ts| {
        let e = ts
            .iter_mut()
            .find(|t| t.name == "model.embeddings.weight")
            .unwrap();
        // Multiples of 1/64 in [-2, 2): exact in f16 and in bf16.
        e.data = (0..256 * 64)
            .flat_map(|i| half::f16::from_f32(((i % 256) as f32 - 128.0) / 64.0).to_le_bytes())
            .collect();
    });
    let m = hf::convert(&dir, &mut quiet()).unwrap();
    assert!(matches!(m.embedding, Embedding::Bf16(_)));
    let row = m.embedding_row(3);
    let want: Vec<f32> = (3 * 64..4 * 64)
        .map(|i| ((i % 256) as f32 - 128.0) / 64.0)
        .collect();
    assert_eq!(row, want);
}
