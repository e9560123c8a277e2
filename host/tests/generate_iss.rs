//! `mmfree generate --device iss --check` and `mmfree compile` through the binary (contracts.md):
//! the JSON line, and one-line errors with a non-zero exit on bad input.

use std::path::Path;
use std::process::{Command, Output};

fn mmfree(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mmfree"))
        .args(args)
        .output()
        .expect("the mmfree binary runs")
}

fn random_model(dir: &Path, shape: &str) -> String {
    let path = dir.join(format!("{shape}.mmfree"));
    let p = path.to_str().unwrap().to_string();
    let out = mmfree(&["random", "--shape", shape, "--seed", "3", "--out", &p]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    p
}

fn error_line(out: &Output) -> String {
    assert!(!out.status.success());
    let e = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(e.lines().count(), 1, "{e}");
    e
}

#[test]
fn generate_on_the_iss_is_checked_bit_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "tiny");
    let args = [
        "generate",
        "--model",
        &m,
        "--device",
        "iss",
        "--hw",
        "tiny",
        "--tokens",
        "1,2,3",
        "--max-new-tokens",
        "8",
        "--check",
        "--json",
    ];
    let out = mmfree(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(json["bit_exact"], true);
    assert_eq!(json["device"], "iss");
    // The same tokens as the fixed-point reference device (unchecked: it is the reference).
    let mut reference: Vec<&str> = args.iter().copied().filter(|&a| a != "--check").collect();
    reference[4] = "ref";
    let out = mmfree(&reference);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let want: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(json["tokens"], want["tokens"]);
    assert_eq!(json["tokens"].as_array().unwrap().len(), 8);
}

#[test]
fn bad_inputs_are_one_line_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "tiny");
    let e = error_line(&mmfree(&[
        "generate",
        "--model",
        &m,
        "--device",
        "iss",
        "--tokens",
        "256",
        "--max-new-tokens",
        "1",
    ]));
    assert!(
        e.contains("256") && e.contains("vocabulary size 256"),
        "{e}"
    );
    let small = random_model(tmp.path(), "small");
    let e = error_line(&mmfree(&[
        "generate",
        "--model",
        &small,
        "--device",
        "iss",
        "--hw",
        "up5k",
        "--tokens",
        "1",
        "--max-new-tokens",
        "1",
    ]));
    assert_eq!(
        e,
        "error: hidden size = 256 exceeds the max_hidden = 64 of hardware configuration 'up5k'"
    );
    let e = error_line(&mmfree(&["compile", "--model", &m, "--hw", "vu9p"]));
    assert!(e.contains("unknown hardware configuration 'vu9p'"), "{e}");
}

#[test]
fn compile_dump_lists_symbols_and_program() {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "tiny");
    let out = mmfree(&[
        "compile", "--model", &m, "--hw", "tiny", "--dump", "--trace",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = String::from_utf8_lossy(&out.stdout);
    assert!(dump.contains("trace.layers.1") && dump.contains("state.layers.0"));
    assert!(dump.contains("; head") && dump.contains("ARGMAX"));
    let json = mmfree(&["compile", "--model", &m, "--hw", "tiny", "--json"]);
    let v: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&json.stdout)
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(v["instructions"], 99);
    assert_eq!(v["weight_bank_bytes"], 36864);
}
