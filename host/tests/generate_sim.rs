//! `mmfree generate --device sim` (contracts.md "Generation and devices"): the generated RTL under
//! Verilator, every token checked bit for bit against the fixed-point reference, with the cycles
//! per token and the projected rate in the JSON line; bad inputs and a kernel that never finishes
//! are one-line errors, never a hang. The batch kernel (`tiny-b2`) runs two different token
//! streams through `AccelDevice::step_batch`, each sequence checked against its own reference;
//! `bench` refuses it with a one-line error (`generate` runs it: tests/generate_runtime.rs).

use std::path::Path;
use std::process::{Command, Output};

use mmfree_host::device;
use mmfree_model::Model;
use mmfree_reference::fixed::Fixed;
use mmfree_sim::card::SimCard;
use mmfree_spec::card::{Bank, Card};
use mmfree_spec::devmem::{HEADER_BYTES, Header, tag_hash};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::isa::Instr;
use mmfree_spec::regmap;
use mmfree_spec::shape::ModelShape;

fn mmfree(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mmfree"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("the mmfree binary runs")
}

fn random_model(dir: &Path, shape: &str) -> String {
    let p = dir
        .join(format!("{shape}.mmfree"))
        .to_str()
        .unwrap()
        .to_string();
    let out = mmfree(
        &["random", "--shape", shape, "--seed", "3", "--out", &p],
        &[],
    );
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

/// The one error line of `generate` on the `sim` device with a fresh `tiny` model and `extra`
/// arguments.
fn sim_error(extra: &[&str], env: &[(&str, &str)]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), "tiny");
    let mut args = vec!["generate", "--model", &m, "--device", "sim"];
    args.extend_from_slice(extra);
    error_line(&mmfree(&args, env))
}

/// Runs `shape` on `hw` for `n` tokens with `--check` and checks the JSON line.
fn generate_checked(shape: &str, hw: &str, n: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let m = random_model(tmp.path(), shape);
    let n_s = n.to_string();
    let args = [
        "generate",
        "--model",
        &m,
        "--device",
        "sim",
        "--hw",
        hw,
        "--tokens",
        "1",
        "--max-new-tokens",
        &n_s,
        "--check",
        "--json",
    ];
    let out = mmfree(&args, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(json["bit_exact"], true);
    assert_eq!(json["device"], "sim");
    assert_eq!(json["tokens"].as_array().unwrap().len(), n);
    let cycles = json["cycles_per_token"].as_f64().expect("cycles per token");
    let projected = json["projected_tokens_per_s"].as_f64().unwrap();
    let clock = HwConfig::preset(hw).unwrap().clock_hz as f64;
    assert!((projected - clock / cycles).abs() < 1e-6 * projected);
    eprintln!("{shape} on {hw}: {cycles:.0} cycles per token, {projected:.1} tokens/s projected");
    // The same tokens as the ISS.
    let mut iss = args.to_vec();
    iss[4] = "iss";
    let out = mmfree(&iss, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let want: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(json["tokens"], want["tokens"]);
}

#[test]
fn tiny_model_on_tiny_hw_64_tokens_bit_exact() {
    generate_checked("tiny", "tiny", 64);
}

#[test]
fn small_model_on_small_hw_16_tokens_bit_exact() {
    generate_checked("small", "small", 16);
}

/// The `u280` kernel (32 weight ports, 32 engines) built by Verilator and run: about 4 minutes
/// cold on two cores, most of it the C++ compile (docs/HARDWARE.md, "Top level").
#[test]
fn tiny_model_on_u280_hw_4_tokens_bit_exact() {
    generate_checked("tiny", "u280", 4);
}

#[test]
#[ignore = "soak: 1,000 tokens through the RTL (several minutes)"]
fn tiny_model_soak_1000_tokens() {
    generate_checked("tiny", "tiny", 1000);
}

#[test]
fn a_watchdog_stops_a_kernel_that_does_not_finish() {
    let e = sim_error(
        &["--tokens", "1", "--max-new-tokens", "2"],
        &[("MMFREE_SIM_WATCHDOG", "50")],
    );
    assert!(e.contains("did not raise ap_done within 50 cycles"), "{e}");
    assert!(e.contains("program counter"), "{e}");
}

#[test]
fn a_token_id_outside_the_vocabulary_is_refused() {
    let e = sim_error(&["--tokens", "256", "--max-new-tokens", "2"], &[]);
    assert!(e.contains("256"), "{e}");
}

#[test]
fn a_configuration_the_kernel_cannot_build_is_refused() {
    let e = sim_error(
        &["--hw", "up5k", "--tokens", "1", "--max-new-tokens", "1"],
        &[],
    );
    assert!(e.contains("vector_lanes = 1"), "{e}");
}

/// A data bank holding a header and `program` for `hw`.
fn image(hw: &HwConfig, program: &[Instr], program_len: u32) -> Vec<u8> {
    let mut data = vec![0u8; 4096];
    let header = Header {
        tag_hash: tag_hash(&hw.tag()),
        batch: 1,
        vocab: 16,
        program: 1024,
        program_len,
        tokens: 64,
        outputs: 128,
        data_bytes: data.len() as u32,
    };
    data[..HEADER_BYTES].copy_from_slice(&header.encode());
    for (i, instr) in program.iter().enumerate() {
        data[1024 + 16 * i..][..16].copy_from_slice(&instr.encode());
    }
    data
}

fn run(card: &mut SimCard, data: &[u8]) -> String {
    let address = card.alloc(Bank::Data, data.len() as u64).unwrap();
    card.write(Bank::Data, 0, data).unwrap();
    card.set_bank_arg(Bank::Data, address).unwrap();
    card.start().unwrap();
    let e = card
        .wait(std::time::Duration::from_secs(60))
        .unwrap_err()
        .to_string();
    assert_eq!(e.lines().count(), 1, "{e}");
    e
}

#[test]
fn bad_programs_are_one_line_faults() {
    let hw = HwConfig::preset("tiny").unwrap();
    let mut card = SimCard::new(hw.clone()).unwrap();
    // A bank larger than the device memory (a model that does not fit).
    let e = card
        .alloc(Bank::Data, hw.device_bytes + 1)
        .unwrap_err()
        .to_string();
    assert!(e.contains("device memory"), "{e}");
    let load = Instr::LoadV {
        vd: 1,
        len: 4,
        addr: 256,
        stride: 0,
    };
    // No END: the sequencer runs off the program's end.
    let e = run(&mut card, &image(&hw, &[load], 1));
    assert!(e.contains("instruction 1") && e.contains("no END"), "{e}");
    // An access outside the data bank.
    let far = Instr::LoadV {
        vd: 1,
        len: 4,
        addr: 8192,
        stride: 0,
    };
    let e = run(&mut card, &image(&hw, &[far, Instr::End], 2));
    assert!(
        e.contains("instruction 0") && e.contains("outside the data bank"),
        "{e}"
    );
    // A program longer than the instruction memory.
    let e = run(&mut card, &image(&hw, &[Instr::End], 1 << 20));
    assert!(e.contains("does not fit"), "{e}");
    // A token id at or above the header's vocabulary.
    let embed = Instr::Embed {
        vd: 0,
        len: 4,
        table: 256,
        row_stride: 128,
    };
    let mut data = image(&hw, &[embed, Instr::End], 2);
    data[64..68].copy_from_slice(&99u32.to_le_bytes());
    let e = run(&mut card, &data);
    assert!(e.contains("vocabulary"), "{e}");
    // The kernel still runs a good program afterwards.
    let ok = image(&hw, &[load, Instr::End], 2);
    let address = card.alloc(Bank::Data, ok.len() as u64).unwrap();
    card.write(Bank::Data, 0, &ok).unwrap();
    card.set_bank_arg(Bank::Data, address).unwrap();
    card.write_reg(regmap::CTRL, regmap::AP_START).unwrap();
    card.wait(std::time::Duration::from_secs(60)).unwrap();
    assert!(card.cycles().unwrap() > 0);
}

/// Greedy decoding of one stream per sequence on `hw_name` through `step_batch` for `steps`
/// steps, every sequence's outputs checked bit for bit against its own fixed-point reference;
/// the generated streams and the mean kernel cycles of a step (all sequences).
fn batched_streams(
    model: &Model,
    hw_name: &str,
    starts: &[u32],
    steps: usize,
) -> anyhow::Result<(Vec<Vec<u32>>, f64)> {
    let hw = HwConfig::preset(hw_name)?;
    let mut dev = device::accelerator(SimCard::new(hw.clone())?, model, &hw, false)?;
    let mut refs: Vec<Fixed> = starts.iter().map(|_| Fixed::new(model)).collect();
    let mut tokens = starts.to_vec();
    let mut streams = vec![Vec::new(); starts.len()];
    let mut cycles = 0;
    for step in 0..steps {
        let out = dev.step_batch(&tokens)?;
        cycles += dev
            .card()
            .cycles()
            .expect("the simulated card counts cycles");
        for (b, got) in out.iter().enumerate() {
            let want = refs[b].step_fixed(tokens[b], None)?;
            if let Some(what) = device::first_difference(&got.fixed, &want) {
                anyhow::bail!("{hw_name}, step {step}, sequence {b}: {what}");
            }
            assert_eq!(got.fixed, want, "{hw_name}, step {step}, sequence {b}");
            tokens[b] = got.fixed.argmax as u32;
            streams[b].push(tokens[b]);
        }
    }
    Ok((streams, cycles as f64 / steps as f64))
}

#[test]
fn batch_kernel_runs_two_streams_bit_exact_sharing_the_weight_stream() -> anyhow::Result<()> {
    let model = mmfree_model::random::model(
        ModelShape::preset("tiny")?,
        3,
        Default::default(),
        &mut |_, _, _| {},
    )?;
    let (streams, b2) = batched_streams(&model, "tiny-b2", &[1, 7], 32)?;
    assert_ne!(streams[0], streams[1], "the two sequences must differ");
    let (_, b1) = batched_streams(&model, "tiny", &[1], 8)?;
    eprintln!(
        "tiny model: {b1:.0} cycles per step at batch 1, {b2:.0} at batch 2 ({:.2}x for 2 tokens)",
        b2 / b1
    );
    assert!(
        b2 < 1.5 * b1,
        "a batch-2 step takes {b2:.0} cycles, not well below twice the batch-1 {b1:.0}"
    );
    Ok(())
}

#[test]
fn eval_refuses_the_batch_configuration() {
    // `generate` and `bench` drive every sequence of a batch (host/tests/generate_runtime.rs,
    // host/tests/cli_bench.rs); `eval` scores one sequence.
    let args = [
        "eval",
        "--model",
        "unused.mmfree",
        "--device",
        "sim",
        "--hw",
        "tiny-b2",
        "--text",
        "unused.txt",
    ];
    let e = error_line(&mmfree(&args, &[]));
    assert!(
        e.contains("batch 2") && e.contains("eval") && e.contains("--hw tiny"),
        "{e}"
    );
}
