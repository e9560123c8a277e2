//! The packed model file: exact round trips, zero-copy reading, and refusal of damaged files.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use mmfree_model::packed::{self, MAGIC, PackedDtype, VERSION};
use mmfree_model::{Blob, Embedding, FloatDtype, Model, random};

fn tiny_model(dtype: FloatDtype) -> Model {
    random::model(tiny(), 5, dtype, &mut quiet()).unwrap()
}

/// A tiny model written to a temporary directory.
fn packed_file() -> (tempfile::TempDir, PathBuf, Model) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tiny.mmfree");
    let model = tiny_model(FloatDtype::Bf16);
    packed::write(&model, &path, "random tiny seed 5").unwrap();
    (tmp, path, model)
}

fn read_err(path: &Path) -> String {
    let e = packed::read(path).unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    e
}

#[test]
fn round_trip_is_identical_and_zero_copy() {
    for dtype in [FloatDtype::Bf16, FloatDtype::F32] {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("m.mmfree");
        let model = tiny_model(dtype);
        packed::write(&model, &path, "random tiny seed 5").unwrap();
        assert_eq!(files_in(tmp.path()), ["m.mmfree"]);
        let (back, header) = packed::read_with_header(&path).unwrap();
        assert_same(&model, &back);
        assert_eq!(header.source, "random tiny seed 5");
        assert_eq!(header.shape, tiny());
        // Per layer: 6 BitLinears x 3 tensors + 3 norms x 2 + lower bound x 2 = 26; global:
        // embedding 1, final norm 2, lm_head 3.
        assert_eq!(header.tensors.len(), 2 * 26 + 6);
        assert_eq!(header.scales.len(), 13);
        assert!(back.lm_head.weight.data.is_mapped());
        assert!(back.layers[1].down_proj.weight.data.is_mapped());
        let (Embedding::Bf16(b) | Embedding::F32(b)) = &back.embedding;
        assert!(b.is_mapped());
        let emb = header
            .tensors
            .iter()
            .find(|t| t.name == "model.embeddings.weight")
            .unwrap();
        let want = if dtype == FloatDtype::Bf16 {
            PackedDtype::Bf16
        } else {
            PackedDtype::F32
        };
        assert_eq!(emb.dtype, want);
        assert!(header.tensors.iter().all(|t| t.offset % 64 == 0));
    }
}

#[test]
fn layout_matches_the_format_document() {
    let (_tmp, path, _) = packed_file();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes[..8], MAGIC);
    assert_eq!(
        u32::from_le_bytes(bytes[8..12].try_into().unwrap()),
        VERSION
    );
    let header_len = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[16..16 + header_len]).unwrap();
    let data_offset = (16 + header_len).div_ceil(64) * 64;
    let data_bytes = header["data_bytes"].as_u64().unwrap() as usize;
    assert_eq!(bytes.len(), data_offset + data_bytes + 8);
    let stored = u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().unwrap());
    assert_eq!(
        stored,
        xxhash_rust::xxh3::xxh3_64(&bytes[..bytes.len() - 8])
    );
    assert_eq!(header["packing"], "pack2");
    assert_eq!(header["row_align_weights"], 128);
    // A scale entry and the bytes of one tensor, located through the directory.
    let s = &header["scales"]["model.layers.0.attn.i_proj"];
    let m = random::model(tiny(), 5, FloatDtype::Bf16, &mut quiet()).unwrap();
    assert_eq!(
        s["alpha"].as_f64().unwrap() as f32,
        m.layers[0].i_proj.alpha
    );
    assert_eq!(s["mantissa"], m.layers[0].i_proj.alpha_fixed.mantissa());
    let t = header["tensors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "lm_head.weight")
        .unwrap();
    let off = data_offset + t["offset"].as_u64().unwrap() as usize;
    assert_eq!(
        &bytes[off..off + t["bytes"].as_u64().unwrap() as usize],
        &m.lm_head.weight.data[..]
    );
}

#[test]
fn rewriting_replaces_the_file_whole() {
    let (_tmp, path, _) = packed_file();
    let other = random::model(tiny(), 6, FloatDtype::Bf16, &mut quiet()).unwrap();
    packed::write(&other, &path, "seed 6").unwrap();
    assert_same(&packed::read(&path).unwrap(), &other);
    assert_eq!(files_in(path.parent().unwrap()), ["tiny.mmfree"]);
}

#[test]
fn bad_checksum() {
    let (_tmp, path, _) = packed_file();
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 100] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let e = read_err(&path);
    assert!(
        e.starts_with(&format!("{}: checksum mismatch (stored ", path.display())),
        "{e}"
    );
    assert!(e.ends_with("): the file is corrupt"), "{e}");
    // A damaged header is also reported as corruption, not as a JSON error.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[n - 100] ^= 1;
    bytes[20] = b'#';
    std::fs::write(&path, &bytes).unwrap();
    assert!(read_err(&path).contains("checksum mismatch"));
}

#[test]
fn unknown_version() {
    let (_tmp, path, _) = packed_file();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[8..12].copy_from_slice(&7u32.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(
        read_err(&path),
        format!(
            "{}: packed model format version 7 is not supported (this build reads version 1)",
            path.display()
        )
    );
}

#[test]
fn truncated_file() {
    let (_tmp, path, _) = packed_file();
    let bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    std::fs::write(&path, &bytes[..n / 2]).unwrap();
    assert_eq!(
        read_err(&path),
        format!(
            "{}: truncated: {} bytes, expected {n}",
            path.display(),
            n / 2
        )
    );
    std::fs::write(&path, &bytes[..10]).unwrap();
    assert_eq!(
        read_err(&path),
        format!("{}: truncated: 10 bytes, expected 24", path.display())
    );
}

#[test]
fn header_length_beyond_the_file_and_bad_magic() {
    let (_tmp, path, _) = packed_file();
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[12..16].copy_from_slice(&(n as u32).to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(
        read_err(&path),
        format!(
            "{}: not a valid mmfree packed model: header of {n} bytes after the 16-byte prefix runs past the end of the file ({n} bytes)",
            path.display()
        )
    );
    bytes[..8].copy_from_slice(b"GGUF\0\0\0\0");
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(
        read_err(&path),
        format!(
            "{}: not a valid mmfree packed model: bad magic bytes",
            path.display()
        )
    );
}

#[test]
fn inconsistent_model_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let mut model = tiny_model(FloatDtype::Bf16);
    model.layers[1].o_proj.weight.data = Blob::from(vec![0u8; 10]);
    let out = tmp.path().join("sub").join("m.mmfree");
    let e = packed::write(&model, &out, "x").unwrap_err().to_string();
    assert_eq!(
        e,
        "model.layers.1.attn.o_proj: 10 packed bytes, expected 2048"
    );
    assert!(files_in(tmp.path()).is_empty());
    // A directory is not a file path.
    let e = packed::write(&tiny_model(FloatDtype::Bf16), tmp.path(), "x")
        .unwrap_err()
        .to_string();
    assert!(e.ends_with(": not a file path"), "{e}");
    assert!(files_in(tmp.path()).is_empty());
}

#[test]
fn load_dispatches_on_directory_or_file() {
    let (_t1, dir) = tiny_checkpoint(FloatDtype::Bf16, u64::MAX);
    let from_hf = mmfree_model::load(&dir).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("m.mmfree");
    packed::write(&from_hf, &path, "hf tiny").unwrap();
    let from_packed = mmfree_model::load(&path).unwrap();
    assert_same(&from_hf, &from_packed);
}

/// Rewrites the JSON header of a packed file (and its checksum), as a hostile writer could.
fn rewrite_header(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let bytes = std::fs::read(path).unwrap();
    let header_len = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let mut header: serde_json::Value =
        serde_json::from_slice(&bytes[16..16 + header_len]).unwrap();
    edit(&mut header);
    let json = serde_json::to_vec(&header).unwrap();
    let old_data = (16 + header_len).div_ceil(64) * 64;
    let new_data = (16 + json.len()).div_ceil(64) * 64;
    let mut out = bytes[..8].to_vec();
    out.extend(VERSION.to_le_bytes());
    out.extend((json.len() as u32).to_le_bytes());
    out.extend(&json);
    out.resize(new_data, 0);
    out.extend(&bytes[old_data..bytes.len() - 8]);
    let digest = xxhash_rust::xxh3::xxh3_64(&out);
    out.extend(digest.to_le_bytes());
    std::fs::write(path, out).unwrap();
}

#[test]
fn hostile_headers_with_valid_checksums_are_refused() {
    let (_tmp, path, model) = packed_file();
    // Unchanged header: still readable (the rewriter itself is sound).
    rewrite_header(&path, |_| {});
    assert_same(&packed::read(&path).unwrap(), &model);
    rewrite_header(&path, |h| {
        h["shape"]["layers"] = serde_json::json!(1u64 << 60)
    });
    let e = read_err(&path);
    assert!(
        e.ends_with(&format!(
            "58 tensors listed, a model of {} layers has more than can be addressed",
            1u64 << 60
        )),
        "{e}"
    );
    rewrite_header(&path, |h| h["shape"]["layers"] = serde_json::json!(3));
    assert!(read_err(&path).ends_with("58 tensors listed, a model of 3 layers has 84"));
    let (_tmp, path, _) = packed_file();
    rewrite_header(&path, |h| {
        h["shape"]["vocab"] = serde_json::json!(1u64 << 62)
    });
    let e = read_err(&path);
    assert!(
        e.contains("model.embeddings.weight: shape [256, 64], expected [4611686018427387904, 64]"),
        "{e}"
    );
    let (_tmp, path, _) = packed_file();
    rewrite_header(&path, |h| {
        h["tensors"][3]["offset"] = serde_json::json!(u64::MAX - 63)
    });
    assert!(read_err(&path).contains("do not fit its shape or the data region"));
    let (_tmp, path, _) = packed_file();
    rewrite_header(&path, |h| {
        h["scales"]["lm_head"]["mantissa"] = serde_json::json!(5)
    });
    assert!(read_err(&path).ends_with("scale of lm_head: mantissa 5 is not normalized"));
}
