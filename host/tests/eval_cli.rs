//! `mmfree eval` on the bundled trained model, checked against an independent computation: the
//! golden model's logits from `mmfree logits --precision f32`, turned into bits per byte here.

mod common;

use common::{fails, mmfree};

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/demo.mmf");
const TEXT: &str = "In the beginning God created";

/// `-log2 softmax(row)[target]` in f64.
fn surprisal(row: &[f64], target: usize) -> f64 {
    let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = row.iter().map(|l| (l - max).exp()).sum();
    -(row[target] - max - sum.ln()) / std::f64::consts::LN_2
}

#[test]
fn eval_golden_equals_bits_per_byte_from_logits() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("t.txt");
    std::fs::write(&text, TEXT).unwrap();
    let ids: Vec<String> = TEXT.bytes().map(|b| b.to_string()).collect();
    let (ok, out, err) = mmfree(&[
        "logits",
        "--model",
        MODEL,
        "--tokens",
        &ids.join(","),
        "--precision",
        "f32",
        "--json",
    ]);
    assert!(ok, "{err}");
    let logits: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let rows = logits["logits"].as_array().unwrap();
    let bytes = TEXT.as_bytes();
    let bits: f64 = (0..bytes.len() - 1)
        .map(|k| {
            let row: Vec<f64> = rows[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            surprisal(&row, bytes[k + 1] as usize)
        })
        .sum();
    let want = bits / (bytes.len() - 1) as f64;

    let (ok, out, err) = mmfree(&[
        "eval",
        "--model",
        MODEL,
        "--device",
        "golden",
        "--text",
        text.to_str().unwrap(),
        "--json",
    ]);
    assert!(ok, "{err}");
    let got: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(got["device"], "golden");
    assert_eq!(got["bytes"], bytes.len() - 1);
    assert_eq!(got["tokens"], bytes.len() - 1);
    let bpb = got["bits_per_byte"].as_f64().unwrap();
    assert!((bpb - want).abs() < 1e-5, "eval {bpb} vs logits {want}");
    // A trained model predicts this text far better than uniform (8 bits per byte).
    assert!(bpb < 4.0, "{bpb}");
    let ppl = got["perplexity"].as_f64().unwrap();
    assert!((ppl - want.exp2()).abs() < 1e-3 * ppl, "{ppl}");
}

#[test]
fn eval_refuses_a_text_too_short_to_score() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("one.txt");
    std::fs::write(&text, "A").unwrap();
    let path = text.to_str().unwrap();
    let line = fails(&["eval", "--model", MODEL, "--device", "ref", "--text", path]);
    assert_eq!(
        line,
        format!(
            "error: {path}: 1 token(s); scoring needs at least two (the first is context only)"
        )
    );
}
