//! Bad inputs to the compiled accelerator on the ISS, each refused with a one-line error, and a
//! disturbed weight located by the per-layer trace comparison of `--check`.

use anyhow::Result;
use mmfree_compiler::symbols;
use mmfree_host::accel::AccelDevice;
use mmfree_host::device::{self, first_layer_difference};
use mmfree_iss::Iss;
use mmfree_model::{FloatDtype, Model, random};
use mmfree_reference::fixed::Fixed;
use mmfree_spec::card::{Bank, Card};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::shape::ModelShape;

fn model(shape: &str) -> Model {
    let shape = ModelShape::preset(shape).unwrap();
    random::model(shape, 11, FloatDtype::Bf16, &mut |_, _, _| {}).unwrap()
}

fn tiny() -> HwConfig {
    HwConfig::preset("tiny").unwrap()
}

fn load(m: &Model, cfg: &HwConfig) -> Result<AccelDevice<Iss>> {
    device::accelerator(Iss::new(cfg.clone())?, m, cfg, true)
}

/// The error of `r` as the CLI prints it (the whole context chain), checked to be one line.
fn one_line<T>(r: Result<T>) -> String {
    let e = format!("{:#}", r.err().expect("an error"));
    assert!(!e.contains('\n'), "{e}");
    e
}

#[test]
fn a_model_larger_than_the_buffers_or_the_memory_is_refused() {
    let small = model("small");
    let e = one_line(load(&small, &HwConfig::preset("up5k").unwrap()));
    assert_eq!(
        e,
        "hidden size = 256 exceeds the max_hidden = 64 of hardware configuration 'up5k'"
    );
    let little = HwConfig {
        device_bytes: 1 << 20,
        ..tiny()
    };
    let e = one_line(load(&small, &little));
    assert!(
        e.contains("the image needs") && e.contains("has 1048576 bytes (1.0 MiB) of device memory"),
        "{e}"
    );
}

#[test]
fn a_token_outside_the_vocabulary_is_refused() {
    let m = model("tiny");
    let mut dev = load(&m, &tiny()).unwrap();
    let e = one_line(dev.step_batch(&[256]));
    assert_eq!(e, "token id 256 is out of range (vocabulary size 256)");
    let e = one_line(dev.step_batch(&[1, 2]));
    assert_eq!(e, "2 tokens given for a batch of 1");
    // The device still works after refusing.
    assert!(dev.step_batch(&[255]).is_ok());
}

#[test]
fn a_corrupted_instruction_stops_the_run_naming_it() {
    let m = model("tiny");
    let mut dev = load(&m, &tiny()).unwrap();
    let program = dev.layout().symbol(symbols::PROGRAM).unwrap().offset;
    // Instruction 5 becomes opcode 0x7f.
    dev.card_mut()
        .write(Bank::Data, program + 5 * 16, &[0x7f])
        .unwrap();
    let e = one_line(dev.step_batch(&[3]));
    assert!(
        e.starts_with("device 'iss': instruction 5 (0000007f ")
            && e.ends_with("unknown opcode 0x7f"),
        "{e}"
    );
}

#[test]
fn a_flipped_weight_is_located_by_layer() {
    let m = model("tiny");
    let cfg = tiny();
    let mut dev = load(&m, &cfg).unwrap();
    // Row 0 of layer 1's i_proj: turn its first weight into another trit (a valid code).
    let sym = dev
        .layout()
        .symbol("model.layers.1.attn.i_proj.weight")
        .unwrap()
        .clone();
    let mut byte = [0u8];
    dev.card_mut()
        .read(Bank::Weight(0), sym.offset, &mut byte)
        .unwrap();
    let code = byte[0] & 3;
    byte[0] = (byte[0] & !3) | ((code + 1) % 3);
    dev.card_mut()
        .write(Bank::Weight(0), sym.offset, &byte)
        .unwrap();
    let mut reference = Fixed::new(&m);
    let mut located = None;
    for (pos, token) in [1u32, 2, 3, 4, 5, 6, 7, 8].into_iter().enumerate() {
        let got = dev.step_batch(&[token]).unwrap().remove(0);
        let mut trace = Vec::new();
        reference.step_fixed(token, Some(&mut trace)).unwrap();
        if let Some(what) = first_layer_difference(got.trace.as_deref().unwrap(), &trace) {
            located = Some((pos, what));
            break;
        }
    }
    let (pos, what) = located.expect("a changed weight changes some token's outputs");
    println!("token {pos}: {what}");
    assert!(
        what.starts_with("layer 1: recurrent state h element "),
        "{what}"
    );
}
