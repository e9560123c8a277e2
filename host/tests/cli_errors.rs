//! Bad input to the `mmfree` binary: each case must exit non-zero with exactly one line on stderr
//! starting `error:`, never a panic or backtrace, and leave no output file behind.

mod common;

use std::path::{Path, PathBuf};

use common::{fails, mmfree};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A fresh tiny HF checkpoint in a temporary directory.
fn checkpoint(dir: &Path) -> PathBuf {
    let ckpt = dir.join("ckpt");
    let out = format!("{}/", ckpt.display());
    let (ok, _, err) = mmfree(&["random", "--shape", "tiny", "--seed", "5", "--out", &out]);
    assert!(ok, "{err}");
    ckpt
}

/// Converts `ckpt` to `out` expecting an error containing `want`, and checks no output remains.
fn convert_fails(ckpt: &Path, dir: &Path, want: &str) {
    let out = dir.join("out.mmf");
    let e = fails(&["convert", "--from", "hf", s(ckpt), "--out", s(&out)]);
    assert!(e.contains(want), "{e}");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with("out"))
        .collect();
    assert!(leftovers.is_empty(), "output left behind: {leftovers:?}");
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

/// Rewrites the safetensors header of `file` through `f` (keeping the data section).
fn edit_header(file: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let bytes = std::fs::read(file).unwrap();
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    f(&mut header);
    let mut text = serde_json::to_vec(&header).unwrap();
    while !text.len().is_multiple_of(8) {
        text.push(b' ');
    }
    let mut out = (text.len() as u64).to_le_bytes().to_vec();
    out.extend(text);
    out.extend(&bytes[8 + n..]);
    std::fs::write(file, out).unwrap();
}

#[test]
fn missing_config_json() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    std::fs::remove_file(c.join("config.json")).unwrap();
    convert_fails(&c, t.path(), "config.json");
}

#[test]
fn wrong_architecture() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    edit(&c.join("config.json"), |s| {
        s.replace("HGRNBitForCausalLM", "LlamaForCausalLM")
            .replace("hgrn_bit", "llama")
    });
    convert_fails(&c, t.path(), "architecture");
}

#[test]
fn missing_tensor() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    // Rename the tensor (removing it would leave a gap the safetensors format itself rejects).
    edit_header(&c.join("model.safetensors"), |h| {
        let m = h.as_object_mut().unwrap();
        let v = m.remove("model.layers.1.attn.o_proj.weight").unwrap();
        m.insert("model.layers.1.attn.o_proj.weight_renamed".into(), v);
    });
    convert_fails(&c, t.path(), "model.layers.1.attn.o_proj.weight");
}

#[test]
fn wrong_shape() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    edit_header(&c.join("model.safetensors"), |h| {
        h["model.norm.weight"]["shape"] = serde_json::json!([32, 2]);
    });
    convert_fails(&c, t.path(), "model.norm.weight");
}

#[test]
fn wrong_dtype() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    edit_header(&c.join("model.safetensors"), |h| {
        h["model.norm.weight"]["dtype"] = serde_json::json!("I16");
    });
    convert_fails(&c, t.path(), "I16");
}

#[test]
fn truncated_safetensors() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    let f = c.join("model.safetensors");
    let bytes = std::fs::read(&f).unwrap();
    std::fs::write(&f, &bytes[..bytes.len() - 1000]).unwrap();
    convert_fails(&c, t.path(), "model.safetensors");
}

#[test]
fn header_length_beyond_the_file() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    let f = c.join("model.safetensors");
    let mut bytes = std::fs::read(&f).unwrap();
    let beyond = (bytes.len() as u64 * 2).to_le_bytes();
    bytes[..8].copy_from_slice(&beyond);
    std::fs::write(&f, bytes).unwrap();
    convert_fails(&c, t.path(), "model.safetensors");
}

#[test]
fn shard_index_naming_a_missing_file() {
    let t = tempfile::tempdir().unwrap();
    let c = t.path().join("ckpt");
    let out = format!("{}/", c.display());
    let (ok, _, err) = mmfree(&[
        "random",
        "--shape",
        "tiny",
        "--seed",
        "5",
        "--out",
        &out,
        "--max-shard-bytes",
        "100000",
    ]);
    assert!(ok, "{err}");
    let shard = std::fs::read_dir(&c)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("-of-"))
        .unwrap();
    std::fs::remove_file(&shard).unwrap();
    convert_fails(&c, t.path(), &shard.file_name().unwrap().to_string_lossy());
}

fn packed(dir: &Path) -> PathBuf {
    let f = dir.join("m.mmf");
    let (ok, _, err) = mmfree(&["random", "--shape", "tiny", "--seed", "5", "--out", s(&f)]);
    assert!(ok, "{err}");
    f
}

#[test]
fn packed_file_with_a_bad_checksum() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    let mut bytes = std::fs::read(&f).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&f, bytes).unwrap();
    let e = fails(&["logits", "--model", s(&f), "--tokens", "1"]);
    assert!(e.contains("checksum"), "{e}");
}

#[test]
fn packed_file_with_an_unknown_version() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    let mut bytes = std::fs::read(&f).unwrap();
    bytes[8..12].copy_from_slice(&99u32.to_le_bytes());
    std::fs::write(&f, bytes).unwrap();
    let e = fails(&["logits", "--model", s(&f), "--tokens", "1"]);
    assert!(e.contains("version") && e.contains("99"), "{e}");
}

#[test]
fn token_id_out_of_range_and_empty_prompt() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    let e = fails(&["logits", "--model", s(&f), "--tokens", "1,256"]);
    assert_eq!(
        e,
        "error: token id 256 is out of range (vocabulary size 256)"
    );
    let e = fails(&[
        "generate",
        "--model",
        s(&f),
        "--device",
        "ref",
        "--tokens",
        "",
        "--max-new-tokens",
        "2",
    ]);
    assert!(e.contains("empty prompt"), "{e}");
    let e = fails(&[
        "generate",
        "--model",
        s(&f),
        "--device",
        "ref",
        "--prompt",
        "",
        "--max-new-tokens",
        "2",
    ]);
    assert!(e.contains("empty prompt"), "{e}");
}

#[test]
fn unknown_names_are_listed() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    assert!(fails(&["random", "--shape", "7b", "--seed", "1", "--out", "x.mmf"]).contains("2.7b"));
    assert!(
        fails(&[
            "generate",
            "--model",
            s(&f),
            "--device",
            "gpu",
            "--tokens",
            "1",
            "--max-new-tokens",
            "1"
        ])
        .contains("xrt:INDEX")
    );
    assert!(
        fails(&[
            "generate",
            "--model",
            s(&f),
            "--device",
            "ref",
            "--hw",
            "vu9p",
            "--tokens",
            "1",
            "--max-new-tokens",
            "1"
        ])
        .contains("u280")
    );
    assert!(
        fails(&[
            "logits",
            "--model",
            s(&t.path().join("none")),
            "--tokens",
            "1"
        ])
        .contains("none")
    );
    assert!(fails(&["frobnicate"]).contains("frobnicate"));
}
