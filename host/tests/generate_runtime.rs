//! The streaming runtime through `mmfree generate` (contracts.md "Generation and devices"): the
//! same seed gives the same sampled tokens on `ref`, `iss` and `sim`, with `--check` passing on the
//! accelerator devices; sampling at a high temperature leaves the greedy path; a prompts file
//! gives each sequence the tokens it gets alone, batched (`tiny-b2`) or one after another
//! (`tiny`); every bad sampling or prompt flag is a one-line error; `--check` on `ref` is refused;
//! a model without a tokenizer prints its token ids; the sim's cycles line starts a line of its
//! own.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{fails, mmfree};
use serde_json::Value;

/// A random model of `shape` (seed 3) in `dir`.
fn random_model(dir: &Path, shape: &str) -> String {
    let p = dir.join(format!("{shape}.mmfree"));
    let p = p.to_str().unwrap().to_string();
    let (ok, _, err) = mmfree(&["random", "--shape", shape, "--seed", "3", "--out", &p]);
    assert!(ok, "{err}");
    p
}

/// Runs `generate --json` with `args` after `--model m`; the JSON line.
fn generate(m: &str, args: &[&str]) -> Value {
    let mut all = vec!["generate", "--model", m, "--json"];
    all.extend_from_slice(args);
    let (ok, out, err) = mmfree(&all);
    assert!(ok, "{all:?}: {err}");
    serde_json::from_str(out.lines().last().expect("a JSON line")).unwrap()
}

fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .expect("a token list")
        .iter()
        .map(|t| t.as_u64().unwrap())
        .collect()
}

const SAMPLED: [&str; 8] = [
    "--temperature",
    "1.5",
    "--top-k",
    "40",
    "--top-p",
    "0.95",
    "--seed",
    "11",
];

#[test]
fn the_same_seed_samples_the_same_tokens_on_ref_iss_and_sim_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "tiny");
    let run = |device: &str, n: &str, extra: &[&str]| {
        let mut args = vec![
            "--device",
            device,
            "--tokens",
            "1,2,3",
            "--max-new-tokens",
            n,
        ];
        args.extend_from_slice(&SAMPLED);
        args.extend_from_slice(extra);
        generate(&m, &args)
    };
    let reference = run("ref", "12", &[]);
    let want = ids(&reference["tokens"]);
    assert_eq!(want.len(), 12);
    assert_eq!(reference["bit_exact"], Value::Null);
    let iss = run("iss", "12", &["--check"]);
    assert_eq!(iss["bit_exact"], true);
    assert_eq!(ids(&iss["tokens"]), want);
    // The RTL is slow: fewer tokens, the same prefix.
    let sim = run("sim", "4", &["--check"]);
    assert_eq!(sim["bit_exact"], true);
    assert_eq!(ids(&sim["tokens"]), want[..4]);
    // Another seed draws another sequence.
    let mut other = vec![
        "--device",
        "ref",
        "--tokens",
        "1,2,3",
        "--max-new-tokens",
        "12",
    ];
    other.extend_from_slice(&SAMPLED[..6]);
    other.extend(["--seed", "12"]);
    assert_ne!(ids(&generate(&m, &other)["tokens"]), want);
}

#[test]
fn a_high_temperature_leaves_the_greedy_path_and_zero_is_greedy() {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "tiny");
    let base = ["--device", "ref", "--tokens", "5", "--max-new-tokens", "16"];
    let greedy = ids(&generate(&m, &base)["tokens"]);
    let mut zero = base.to_vec();
    zero.extend(["--temperature", "0", "--seed", "9"]);
    assert_eq!(ids(&generate(&m, &zero)["tokens"]), greedy);
    // The greedy run's tokens are the argmax of the fixed-point model's logits, position by
    // position (an independent path: `logits --precision fixed`).
    let mut fed = vec![5u64];
    fed.extend(&greedy[..15]);
    let list = fed.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
    let (ok, out, err) = mmfree(&[
        "logits",
        "--model",
        &m,
        "--tokens",
        &list,
        "--precision",
        "fixed",
        "--json",
    ]);
    assert!(ok, "{err}");
    let logits: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(ids(&logits["argmax"]), greedy);
    let mut hot = base.to_vec();
    hot.extend(["--temperature", "5", "--seed", "1"]);
    let sampled = ids(&generate(&m, &hot)["tokens"]);
    assert_eq!(sampled.len(), 16);
    let same = sampled.iter().zip(&greedy).filter(|(a, b)| a == b).count();
    assert!(same < 8, "sampled {sampled:?} vs greedy {greedy:?}");
}

/// Each line of `lines` run alone through `--prompt` on `device`/`hw` with `extra`.
fn one_at_a_time(m: &str, device: &str, hw: &str, lines: &[&str], extra: &[&str]) -> Vec<Value> {
    lines
        .iter()
        .map(|line| {
            let mut args = vec!["--device", device, "--hw", hw, "--prompt", line];
            args.extend_from_slice(extra);
            generate(m, &args)["tokens"].clone()
        })
        .collect()
}

#[test]
fn a_prompts_file_gives_each_sequence_its_own_tokens_batched_or_not() {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "tiny");
    // Three prompts of different lengths: tiny-b2 runs two, then one with a padded slot.
    let lines = ["hello there", "ab", "the quick brown fox"];
    let file = tmp.path().join("prompts.txt");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let f = file.to_str().unwrap();
    for extra in [vec![], SAMPLED.to_vec()] {
        let mut opts = vec!["--max-new-tokens", "6"];
        opts.extend(extra.iter().copied());
        let alone = one_at_a_time(&m, "ref", "tiny", &lines, &opts);
        for (device, hw) in [("iss", "tiny-b2"), ("iss", "tiny"), ("ref", "tiny")] {
            let mut args = vec!["--device", device, "--hw", hw, "--prompts-file", f];
            args.extend(opts.iter().copied());
            if device != "ref" {
                args.push("--check");
            }
            let json = generate(&m, &args);
            let seqs = json["sequences"].as_array().unwrap();
            let got: Vec<Value> = seqs.iter().map(|s| s["tokens"].clone()).collect();
            assert_eq!(got, alone, "{device} --hw {hw} {extra:?}");
            assert_eq!(json["tokens"], alone[0]);
            for (s, line) in seqs.iter().zip(lines) {
                let prompt: Vec<u64> = line.bytes().map(u64::from).collect();
                assert_eq!(ids(&s["prompt_tokens"]), prompt);
                let text: Vec<u8> = ids(&s["tokens"]).iter().map(|&t| t as u8).collect();
                assert_eq!(s["text"], String::from_utf8_lossy(&text).as_ref());
            }
        }
    }
    // The batch kernel under Verilator, checked, two sequences in one step.
    let two = tmp.path().join("two.txt");
    std::fs::write(&two, "hello there\nab").unwrap();
    let json = generate(
        &m,
        &[
            "--device",
            "sim",
            "--hw",
            "tiny-b2",
            "--prompts-file",
            two.to_str().unwrap(),
            "--max-new-tokens",
            "3",
            "--check",
        ],
    );
    assert_eq!(json["bit_exact"], true);
    let alone = one_at_a_time(&m, "ref", "tiny", &lines[..2], &["--max-new-tokens", "3"]);
    let got: Vec<Value> = json["sequences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tokens"].clone())
        .collect();
    assert_eq!(got, alone);
}

#[test]
fn bad_sampling_and_prompt_flags_are_one_line_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "tiny");
    let empty_line = tmp.path().join("gap.txt");
    std::fs::write(&empty_line, "one\n\nthree\n").unwrap();
    let nothing = tmp.path().join("none.txt");
    std::fs::write(&nothing, "").unwrap();
    let (gap, none) = (empty_line.to_str().unwrap(), nothing.to_str().unwrap());
    let cases: [(&[&str], &[&str]); 13] = [
        (&["--temperature", "-1"], &["--temperature", ">= 0", "-1"]),
        (&["--temperature", "inf"], &["finite"]),
        (&["--temperature", "nan"], &["finite"]),
        (&["--temperature", "hot"], &["'hot'"]),
        (&["--top-p", "0"], &["--top-p", "(0, 1]"]),
        (
            &["--top-p", "1.5", "--temperature", "1"],
            &["(0, 1]", "1.5"],
        ),
        (&["--top-k", "0"], &["--top-k", ">= 1"]),
        (&["--top-k", "-2"], &[">= 1", "-2"]),
        (&["--seed", "-1"], &["--seed", ">= 0", "-1"]),
        (&["--top-k", "5"], &["--temperature"]),
        (&["--prompts-file", gap], &["gap.txt line 2", "empty"]),
        (&["--prompts-file", none], &["none.txt", "no prompts"]),
        (
            &["--tokens", "1", "--prompt", "a"],
            &["--prompt", "--tokens"],
        ),
    ];
    for (extra, wants) in cases {
        let mut args = vec!["generate", "--model", &m, "--device", "ref"];
        args.extend(["--max-new-tokens", "2"]);
        if !extra.contains(&"--prompts-file") && !extra.contains(&"--tokens") {
            args.extend(["--tokens", "1"]);
        }
        args.extend_from_slice(extra);
        let e = fails(&args);
        for w in wants {
            assert!(e.contains(w), "{extra:?}: {e}");
        }
    }
    let missing = tmp.path().join("absent.txt");
    let e = fails(&[
        "generate",
        "--model",
        &m,
        "--device",
        "ref",
        "--max-new-tokens",
        "2",
        "--prompts-file",
        missing.to_str().unwrap(),
    ]);
    assert!(e.contains("absent.txt") && e.contains("cannot read"), "{e}");
    // No prompt at all names every way of giving one.
    let e = fails(&[
        "generate",
        "--model",
        &m,
        "--device",
        "ref",
        "--max-new-tokens",
        "2",
    ]);
    for w in ["--prompt", "--tokens", "--prompts-file"] {
        assert!(e.contains(w), "{e}");
    }
}

#[test]
fn check_on_the_reference_itself_is_refused() {
    // Refused before the model is read: the path need not exist.
    let e = fails(&[
        "generate",
        "--model",
        "unused.mmfree",
        "--device",
        "ref",
        "--tokens",
        "1",
        "--max-new-tokens",
        "2",
        "--check",
    ]);
    assert!(
        e.contains("--device ref") && e.contains("itself") && e.contains("iss"),
        "{e}"
    );
}

#[test]
fn without_a_tokenizer_the_text_is_the_token_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "small");
    let args = [
        "generate",
        "--model",
        &m,
        "--device",
        "ref",
        "--tokens",
        "1,2",
        "--max-new-tokens",
        "3",
    ];
    let (ok, out, err) = mmfree(&args);
    assert!(ok, "{err}");
    let tokens = ids(&generate(&m, &args[3..])["tokens"]);
    let want = tokens
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(out, format!("{want}\n"));
}

#[test]
fn the_sim_cycles_line_does_not_share_the_text_line() {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "tiny");
    // stdout and stderr into one file, as a terminal shows them.
    let log = tmp.path().join("both.txt");
    let file = std::fs::File::create(&log).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_mmfree"))
        .args([
            "generate",
            "--model",
            &m,
            "--device",
            "sim",
            "--tokens",
            "1",
            "--max-new-tokens",
            "3",
        ])
        .stdout(Stdio::from(file.try_clone().unwrap()))
        .stderr(Stdio::from(file))
        .status()
        .unwrap();
    assert!(status.success());
    let both = std::fs::read_to_string(&log).unwrap();
    let line = both
        .lines()
        .find(|l| l.contains("cycles per token"))
        .unwrap_or_else(|| panic!("no cycles line in:\n{both}"));
    let first = line.split_whitespace().next().unwrap();
    assert!(
        first.parse::<u64>().is_ok(),
        "the cycles line must start with the count: {line:?}"
    );
}
