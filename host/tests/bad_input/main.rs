//! Bad input that used to cost data or silently change a result, or got the wrong words: each
//! case must fail with one exact line, naming each part once, and leave every file as it was.
//! This file holds the shared helpers and the cases about writing outputs; the other modules group
//! the packed and checkpoint readers, the neuron vectors, the simulator and synthesis.

#[path = "../common/mod.rs"]
mod common;
mod hf_config;
mod messages;
mod neuron;
mod packed;
mod synth;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{fails, fails_with_env, mmfree};

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
    fails_unchanged_env(dir, args, &[])
}

/// [`fails_unchanged`] with environment variables set for the run.
fn fails_unchanged_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let before = snapshot(dir);
    let line = match env {
        [] => fails(args),
        _ => fails_with_env(args, env),
    };
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
