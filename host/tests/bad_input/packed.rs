//! Issue 15 cases 2 and 7, packed files: every field's range and every weight code is checked once
//! at load, and each structural fault gets its own words.

use std::path::Path;

use super::{fails_unchanged, packed, s};

/// Rewrites the data of tensor `name` of packed file `f` through `edit` and restores a valid
/// checksum, so that only the reader's range checks stand between the file and a result.
fn tamper(f: &Path, name: &str, edit: impl FnOnce(&mut [u8])) {
    let mut bytes = std::fs::read(f).unwrap();
    let h = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[16..16 + h]).unwrap();
    let data = (16 + h).div_ceil(64) * 64;
    let t = header["tensors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no tensor {name}"));
    let at = data + t["offset"].as_u64().unwrap() as usize;
    let len = t["bytes"].as_u64().unwrap() as usize;
    edit(&mut bytes[at..at + len]);
    let body = bytes.len() - 8;
    let sum = xxhash_rust::xxh3::xxh3_64(&bytes[..body]);
    bytes[body..].copy_from_slice(&sum.to_le_bytes());
    std::fs::write(f, bytes).unwrap();
}

fn logits_fails(f: &Path) -> String {
    fails_unchanged(
        f.parent().unwrap(),
        &["logits", "--model", s(f), "--tokens", "1"],
    )
}

#[test]
fn packed_gate_value_that_is_not_its_lower_bound() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    tamper(&f, "model.layers.0.lower_bound.gate", |b| {
        b[..4].copy_from_slice(&((1u32 << 17) + 1).to_le_bytes())
    });
    let line = logits_fails(&f);
    assert_eq!(
        line,
        format!(
            "error: {}: not a valid mmfree packed model: model.layers.0.lower_bound.gate: element 0: GATE value 131073 is not the form of 0 (0 expected)",
            f.display()
        )
    );
}

#[test]
fn packed_bfp_mantissa_that_is_not_its_weight() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    tamper(&f, "model.norm.weight.bfp", |b| {
        b[..4].copy_from_slice(&(1i32 << 20).to_le_bytes())
    });
    let line = logits_fails(&f);
    assert!(
        line.starts_with(&format!(
            "error: {}: not a valid mmfree packed model: model.norm.weight.bfp: element 0: BFP mantissa 1048576 is not the form of ",
            f.display()
        )),
        "{line}"
    );
}

#[test]
fn packed_nan_norm_weight() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    tamper(&f, "model.norm.weight", |b| {
        b[4..8].copy_from_slice(&f32::NAN.to_le_bytes())
    });
    assert_eq!(
        logits_fails(&f),
        format!(
            "error: {}: not a valid mmfree packed model: model.norm.weight: element 1 is NaN",
            f.display()
        )
    );
}

#[test]
fn packed_weight_code_three() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    // Byte 1 holds weights 4..8; 0b11 in its second field is weight 5.
    tamper(&f, "lm_head.weight", |b| b[1] = 0b0000_1101);
    assert_eq!(
        logits_fails(&f),
        format!(
            "error: {}: not a valid mmfree packed model: lm_head.weight: row 0, weight 5: code 3 (byte 0x0d) is not a trit",
            f.display()
        )
    );
}

/// Rewrites the JSON header of packed file `f` through `edit`, keeping the data region and
/// restoring a valid checksum, so that only the reader's structural checks see the change.
fn edit_header(f: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let bytes = std::fs::read(f).unwrap();
    let h = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[16..16 + h]).unwrap();
    let data = &bytes[(16 + h).div_ceil(64) * 64..bytes.len() - 8];
    edit(&mut header);
    let text = serde_json::to_vec(&header).unwrap();
    let mut out = bytes[..12].to_vec();
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(&text);
    out.resize(out.len().div_ceil(64) * 64, 0);
    out.extend_from_slice(data);
    let sum = xxhash_rust::xxh3::xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    std::fs::write(f, out).unwrap();
}

fn header_len(f: &Path) -> usize {
    let bytes = std::fs::read(f).unwrap();
    u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize
}

fn not_valid(f: &Path, why: &str) -> String {
    format!(
        "error: {}: not a valid mmfree packed model: {why}",
        f.display()
    )
}

#[test]
fn packed_values_out_of_range_are_named_with_tensor_and_place() {
    let t = tempfile::tempdir().unwrap();
    let nan = f32::NAN.to_le_bytes();
    let cases: [(&str, [u8; 4], usize, &str); 3] = [
        (
            "model.layers.0.lower_bound",
            nan,
            8,
            "model.layers.0.lower_bound: element 2 is NaN",
        ),
        (
            "model.layers.1.attn_norm.weight",
            f32::INFINITY.to_le_bytes(),
            0,
            "model.layers.1.attn_norm.weight: element 0 is inf",
        ),
        (
            "model.embeddings.weight",
            // bf16 NaN (0x7fc0) at element 65: row 1, column 1 of the 64-wide embedding.
            [0xc0, 0x7f, 0, 0],
            130,
            "model.embeddings.weight: row 1, column 1 is not a finite number",
        ),
    ];
    for (tensor, value, at, why) in cases {
        let f = packed(t.path());
        let n = if tensor == "model.embeddings.weight" {
            2
        } else {
            4
        };
        tamper(&f, tensor, |b| b[at..at + n].copy_from_slice(&value[..n]));
        assert_eq!(logits_fails(&f), not_valid(&f, why), "{tensor}");
    }
}

#[test]
fn packed_scale_that_is_not_the_form_of_its_alpha() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    let mut was = (0, 0, 0.0);
    edit_header(&f, |h| {
        let sc = &mut h["scales"]["lm_head"];
        let (m, e, a) = (
            sc["mantissa"].as_u64().unwrap(),
            sc["exponent"].as_i64().unwrap(),
            sc["alpha"].as_f64().unwrap(),
        );
        // Still normalized, so only the consistency check can refuse it.
        let m = if m + 1 < 1 << 17 { m + 1 } else { m - 1 };
        sc["mantissa"] = m.into();
        was = (m, e, a as f32);
    });
    let (m, e, a) = was;
    assert_eq!(
        logits_fails(&f),
        not_valid(
            &f,
            &format!("scale of lm_head: mantissa {m} exponent {e} is not the form of alpha {a}")
        )
    );
}

#[test]
fn packed_unaligned_tensor_offset_says_unaligned() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    let mut offset = 0;
    edit_header(&f, |h| {
        let tensors = h["tensors"].as_array_mut().unwrap();
        let e = tensors
            .iter_mut()
            .find(|e| e["name"] == "lm_head.weight")
            .unwrap();
        offset = e["offset"].as_u64().unwrap() + 4;
        e["offset"] = offset.into();
    });
    assert_eq!(
        logits_fails(&f),
        not_valid(
            &f,
            &format!(
                "tensor lm_head.weight: offset {offset} is unaligned (a multiple of 64 is required)"
            )
        )
    );
}

#[test]
fn packed_file_cut_right_after_its_header_is_truncated() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    let full = std::fs::metadata(&f).unwrap().len();
    let cut = 16 + header_len(&f);
    let bytes = std::fs::read(&f).unwrap();
    std::fs::write(&f, &bytes[..cut]).unwrap();
    assert_eq!(
        logits_fails(&f),
        format!(
            "error: {}: truncated: {cut} bytes, expected {full}",
            f.display()
        )
    );
    // Cut inside the header: the header itself runs past the end.
    std::fs::write(&f, &bytes[..cut - 1]).unwrap();
    let h = cut - 16;
    assert_eq!(
        logits_fails(&f),
        not_valid(
            &f,
            &format!(
                "header of {h} bytes after the 16-byte prefix runs past the end of the file ({} bytes)",
                cut - 1
            )
        )
    );
}

#[test]
fn packed_shape_with_zero_layers_names_the_file() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    edit_header(&f, |h| h["shape"]["layers"] = 0.into());
    assert_eq!(
        logits_fails(&f),
        format!("error: {}: model shape: layers size is zero", f.display())
    );
}

#[test]
fn a_path_that_is_not_a_model_file_says_so() {
    let t = tempfile::tempdir().unwrap();
    let line = fails_unchanged(
        t.path(),
        &["logits", "--model", "/dev/null", "--tokens", "1"],
    );
    assert_eq!(
        line,
        "error: /dev/null: not a model file (a character device; expected a checkpoint directory or a packed model file)"
    );
    let missing = t.path().join("nothing.mmf");
    let line = fails_unchanged(
        t.path(),
        &["logits", "--model", s(&missing), "--tokens", "1"],
    );
    assert_eq!(
        line,
        format!(
            "error: {}: not found (expected a checkpoint directory or a packed model file)",
            missing.display()
        )
    );
    let f = t.path().join("notes.mmf");
    std::fs::write(&f, "this is not a model, but long enough to have a prefix").unwrap();
    assert_eq!(logits_fails(&f), not_valid(&f, "bad magic bytes"));
}
