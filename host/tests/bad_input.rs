//! Bad input that used to cost data or silently change a result (issue 15): each case must fail
//! with one exact line, naming each part once, and leave every file as it was.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{fails, mmfree};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file under `dir` with its bytes, to show that a failed command changed nothing.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .flat_map(|p| {
            if p.is_dir() {
                snapshot(&p)
            } else {
                vec![(p.clone(), std::fs::read(&p).unwrap())]
            }
        })
        .collect();
    files.sort();
    files
}

/// Asserts that `line` names no part of the error chain twice.
fn once_each(line: &str) {
    let parts: Vec<&str> = line.split(": ").collect();
    for (i, p) in parts.iter().enumerate() {
        assert!(!parts[..i].contains(p), "`{p}` repeats in: {line}");
    }
}

/// Runs a command that must fail in `dir` leaving it byte for byte as it was; returns the line.
fn fails_unchanged(dir: &Path, args: &[&str]) -> String {
    let before = snapshot(dir);
    let line = fails(args);
    once_each(&line);
    assert_eq!(snapshot(dir), before, "{args:?} changed {}", dir.display());
    line
}

fn checkpoint(dir: &Path) -> PathBuf {
    let ckpt = dir.join("ckpt");
    let out = format!("{}/", ckpt.display());
    let (ok, _, err) = mmfree(&["random", "--shape", "tiny", "--seed", "5", "--out", &out]);
    assert!(ok, "{err}");
    ckpt
}

fn packed(dir: &Path) -> PathBuf {
    let f = dir.join("m.mmf");
    let (ok, _, err) = mmfree(&["random", "--shape", "tiny", "--seed", "5", "--out", s(&f)]);
    assert!(ok, "{err}");
    f
}

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
fn convert_refuses_an_output_inside_its_input() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    let out = c.join("model.safetensors");
    let line = fails_unchanged(
        t.path(),
        &["convert", "--from", "hf", s(&c), "--out", s(&out)],
    );
    assert_eq!(
        line,
        format!(
            "error: --out {}: lies inside the input {}",
            out.display(),
            c.display()
        )
    );
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

#[test]
fn convert_checks_the_tokenizer_before_writing() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    std::fs::write(c.join("tokenizer.json"), "{\"model\": 5}").unwrap();
    let out = t.path().join("out.mmf");
    let line = fails_unchanged(
        t.path(),
        &["convert", "--from", "hf", s(&c), "--out", s(&out)],
    );
    let tok = c.join("tokenizer.json");
    assert!(
        line.starts_with(&format!(
            "error: {}: cannot read tokenizer: ",
            tok.display()
        )),
        "{line}"
    );
}

#[test]
fn error_chains_name_each_part_once() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("adir");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("config.json"), "{").unwrap();
    let line = fails_unchanged(t.path(), &["logits", "--model", s(&dir), "--tokens", "1"]);
    assert!(line.contains("EOF while parsing"), "{line}");
}

#[test]
fn written_files_follow_the_umask() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("m.mmf");
    let script = format!(
        "umask 027 && exec '{}' random --shape tiny --seed 1 --out '{}'",
        env!("CARGO_BIN_EXE_mmfree"),
        f.display()
    );
    let status = std::process::Command::new("sh")
        .args(["-c", &script])
        .status()
        .unwrap();
    assert!(status.success());
    let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "{mode:o}");
}
