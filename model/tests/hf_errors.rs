//! Bad Hugging Face checkpoints: each one is refused with a precise one-line error, and nothing is
//! written where the converted model was going.

mod common;

use common::*;
use mmfree_model::FloatDtype;
use safetensors::Dtype;
use serde_json::json;

/// A tiny single-file bf16 checkpoint, a file in it, and an empty output directory.
fn setup() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let (tmp, dir) = tiny_checkpoint(FloatDtype::Bf16, u64::MAX);
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    (tmp, dir, out)
}

#[test]
fn missing_config_json() {
    let (_tmp, dir, out) = setup();
    std::fs::remove_file(dir.join("config.json")).unwrap();
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: not found (a Hugging Face checkpoint directory needs config.json)",
            dir.join("config.json").display()
        )
    );
}

#[test]
fn wrong_architecture() {
    let (_tmp, dir, out) = setup();
    set_config(&dir, "architectures", json!(["LlamaForCausalLM"]));
    set_config(&dir, "model_type", json!("llama"));
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: wrong architecture: architectures [\"LlamaForCausalLM\"], model_type \"llama\" (expected HGRNBitForCausalLM / model_type hgrn_bit)",
            dir.join("config.json").display()
        )
    );
}

#[test]
fn unsupported_config_value() {
    let (_tmp, dir, out) = setup();
    set_config(&dir, "use_short_conv", json!(true));
    let e = convert_expect_error(&dir, &out);
    assert!(e.ends_with("config.json: use_short_conv: true is not supported (no short convolution in the accelerator)"), "{e}");
}

#[test]
fn missing_tensor() {
    let (_tmp, dir, out) = setup();
    let file = dir.join("model.safetensors");
    rewrite(&file, |t| {
        t.retain(|t| t.name != "model.layers.1.attn.g_proj.weight")
    });
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: tensor model.layers.1.attn.g_proj.weight is missing",
            file.display()
        )
    );
}

#[test]
fn missing_lower_bounds_only_allowed_when_unused() {
    let (_tmp, dir, out) = setup();
    let file = dir.join("model.safetensors");
    rewrite(&file, |t| t.retain(|t| t.name != "model.lower_bounds"));
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!("{}: tensor model.lower_bounds is missing", file.display())
    );
    set_config(&dir, "use_lower_bound", json!(false));
    let m = mmfree_model::load(&dir).unwrap();
    assert!(
        m.layers
            .iter()
            .all(|l| l.lower_bound.f32.iter().all(|&x| x == 0.0)
                && l.lower_bound.fixed.iter().all(|&g| g == 0))
    );
}

#[test]
fn wrong_shape() {
    let (_tmp, dir, out) = setup();
    let file = dir.join("model.safetensors");
    rewrite(&file, |ts| {
        let t = ts
            .iter_mut()
            .find(|t| t.name == "model.layers.1.attn.f_proj.weight")
            .unwrap();
        t.shape = vec![64, 60];
        t.data.truncate(64 * 60 * 2);
    });
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: model.layers.1.attn.f_proj.weight: shape [64, 60], expected [64, 64]",
            file.display()
        )
    );
}

#[test]
fn wrong_dtype() {
    let (_tmp, dir, out) = setup();
    let file = dir.join("model.safetensors");
    rewrite(&file, |ts| {
        let t = ts
            .iter_mut()
            .find(|t| t.name == "model.norm.weight")
            .unwrap();
        t.dtype = Dtype::I32;
        t.data = vec![0; 64 * 4];
    });
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: model.norm.weight: dtype I32, expected BF16, F16 or F32",
            file.display()
        )
    );
}

#[test]
fn unexpected_extra_tensor() {
    let (_tmp, dir, out) = setup();
    let file = dir.join("model.safetensors");
    rewrite(&file, |ts| {
        ts.push(Tensor {
            name: "model.layers.0.attn.conv1d.weight".into(),
            dtype: Dtype::BF16,
            shape: vec![4],
            data: vec![0; 8],
        })
    });
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: unexpected tensor model.layers.0.attn.conv1d.weight",
            file.display()
        )
    );
}

#[test]
fn non_finite_weight() {
    let (_tmp, dir, out) = setup();
    let file = dir.join("model.safetensors");
    rewrite(&file, |ts| {
        let t = ts
            .iter_mut()
            .find(|t| t.name == "model.layers.0.mlp.down_proj.weight")
            .unwrap();
        t.data[10..12].copy_from_slice(&half::bf16::NAN.to_le_bytes());
    });
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: model.layers.0.mlp.down_proj.weight: element 5 is NaN, not a finite number",
            file.display()
        )
    );
}

#[test]
fn truncated_safetensors() {
    let (_tmp, dir, out) = setup();
    let file = dir.join("model.safetensors");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() - 100]).unwrap();
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: not a valid safetensors file: the data does not end where the header says (file of {} bytes truncated or padded)",
            file.display(),
            bytes.len() - 100
        )
    );
    std::fs::write(&file, &bytes[..5]).unwrap();
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: not a valid safetensors file: 5 bytes is too short for a header",
            file.display()
        )
    );
}

#[test]
fn header_length_beyond_the_file() {
    let (_tmp, dir, out) = setup();
    let file = dir.join("model.safetensors");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[..8].copy_from_slice(&50_000_000u64.to_le_bytes());
    std::fs::write(&file, &bytes).unwrap();
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: not a valid safetensors file: header length 50000000 runs past the end of the file ({} bytes)",
            file.display(),
            bytes.len()
        )
    );
}

#[test]
fn shard_index_naming_a_missing_file() {
    let (tmp, dir) = tiny_checkpoint(FloatDtype::Bf16, 100_000);
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::remove_file(dir.join("model-00002-of-00004.safetensors")).unwrap();
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: shard 'model-00002-of-00004.safetensors' is named by the index but not found",
            dir.join("model.safetensors.index.json").display()
        )
    );
}

#[test]
fn shard_index_escaping_the_directory() {
    let (tmp, dir) = tiny_checkpoint(FloatDtype::Bf16, 100_000);
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let index = dir.join("model.safetensors.index.json");
    let text = std::fs::read_to_string(&index)
        .unwrap()
        .replace("model-00003-of-00004", "../model-00003-of-00004");
    std::fs::write(&index, text).unwrap();
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: shard '../model-00003-of-00004.safetensors' is not a plain file name",
            index.display()
        )
    );
}

#[test]
fn no_weights_and_no_directory() {
    let (tmp, dir, out) = setup();
    std::fs::remove_file(dir.join("model.safetensors")).unwrap();
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: no model.safetensors or model.safetensors.index.json",
            dir.display()
        )
    );
    let e = convert_expect_error(&tmp.path().join("nowhere"), &out);
    assert!(
        e.ends_with("nowhere: not found (expected a checkpoint directory or a packed model file)"),
        "{e}"
    );
}

#[test]
fn config_claiming_absurd_sizes_fails_fast() {
    let (_tmp, dir, out) = setup();
    let file = dir.join("model.safetensors");
    set_config(&dir, "num_hidden_layers", json!(1_000_000_000_000_000u64));
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: model.lower_bounds: shape [2, 64], expected [1000000000000000, 64]",
            file.display()
        )
    );
    set_config(&dir, "use_lower_bound", json!(false));
    rewrite(&file, |t| t.retain(|t| t.name != "model.lower_bounds"));
    let e = convert_expect_error(&dir, &out);
    assert_eq!(
        e,
        format!(
            "{}: tensor model.layers.2.attn_norm.weight is missing",
            file.display()
        )
    );
}
