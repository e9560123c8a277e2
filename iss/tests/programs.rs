//! The ISS on hand-written programs: what a correct one computes (checked against the spec's
//! primitives called directly), every kind of bad program stopping with an error that names the
//! instruction index, and the `ap_ctrl_hs` behaviour of the card.

use std::time::Duration;

use mmfree_iss::{Counters, Iss};
use mmfree_spec::card::{Bank, Card};
use mmfree_spec::devmem::{self, Header, bfp_to_bytes, tag_hash};
use mmfree_spec::format::Bfp;
use mmfree_spec::hw::HwConfig;
use mmfree_spec::isa::{Instr, VecOp};
use mmfree_spec::{ops, regmap};

const PROGRAM: u32 = 256;
const PARAM: u32 = 4096;
const OUT: u32 = 6144;
const DATA_BYTES: usize = 8192;

fn cfg() -> HwConfig {
    HwConfig::preset("tiny").unwrap()
}

fn param() -> Bfp {
    Bfp::from_f32(&[1.0, -2.0, 0.5, 3.25, 0.0, -0.125, 7.0, 1.5])
}

/// An ISS with a data bank holding `program` at [`PROGRAM`] and [`param`] at [`PARAM`], a
/// 1 KiB weight bank, and both bank addresses passed as kernel arguments.
fn card(program: &[Instr], raw: &[[u8; 16]]) -> Iss {
    let cfg = cfg();
    let mut data = vec![0u8; DATA_BYTES];
    let header = Header {
        tag_hash: tag_hash(&cfg.tag()),
        batch: 1,
        vocab: 16,
        program: PROGRAM,
        program_len: (program.len() + raw.len()) as u32,
        tokens: 64,
        outputs: 128,
        data_bytes: DATA_BYTES as u32,
    };
    data[..64].copy_from_slice(&header.encode());
    let words = program
        .iter()
        .map(|i| i.encode())
        .chain(raw.iter().copied());
    for (k, w) in words.enumerate() {
        let at = PROGRAM as usize + 16 * k;
        data[at..at + 16].copy_from_slice(&w);
    }
    let p = bfp_to_bytes(&param());
    data[PARAM as usize..PARAM as usize + p.len()].copy_from_slice(&p);
    let mut iss = Iss::new(cfg).unwrap();
    for (bank, bytes) in [(Bank::Data, data), (Bank::Weight(0), vec![0x55u8; 1024])] {
        let a = iss.alloc(bank, bytes.len() as u64).unwrap();
        iss.write(bank, 0, &bytes).unwrap();
        iss.set_bank_arg(bank, a).unwrap();
    }
    iss
}

fn run(iss: &mut Iss) -> mmfree_spec::Result<()> {
    iss.start()?;
    iss.wait(Duration::from_secs(1))
}

fn load(vd: u8, len: u32) -> Instr {
    Instr::LoadV {
        vd,
        len,
        addr: PARAM,
        stride: 0,
    }
}

fn vec(op: VecOp, vd: u8, va: u8, vb: u8, len: u32) -> Instr {
    Instr::Vec {
        op,
        vd,
        va,
        vb,
        len,
    }
}

/// Runs `program` (plus `raw` words after it) and returns the one-line error.
fn fault(program: &[Instr], raw: &[[u8; 16]]) -> String {
    let e = run(&mut card(program, raw)).unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    e
}

#[test]
fn a_program_computes_the_spec_primitives() {
    let v = param();
    let program = [
        load(0, 8),
        vec(VecOp::Add, 1, 0, 0, 8),
        vec(VecOp::Sigmoid, 2, 1, 0, 8),
        vec(VecOp::GMul, 3, 1, 2, 8),
        Instr::StoreV {
            va: 3,
            len: 8,
            addr: OUT,
            stride: 0,
        },
        Instr::End,
    ];
    let mut iss = card(&program, &[]);
    run(&mut iss).unwrap();
    let mut out = vec![0u8; devmem::bfp_bytes(8)];
    iss.read(Bank::Data, OUT as u64, &mut out).unwrap();
    let sum = ops::add(&v, &v);
    let want = ops::gate_mul(&sum, &ops::sigmoid(&sum));
    assert_eq!(devmem::decode_bfp(&out, 8).unwrap(), want);
    assert_eq!(
        iss.run_counters(),
        Counters {
            instructions: 6,
            weight_bytes: 0,
            elements: 5 * 8,
            ternary_macs: 0
        }
    );
}

#[test]
fn gemv_reads_the_weight_bank_and_dequantizes() {
    // Row 0 of the matrix at offset 0: weights +1, -1, 0, ... (the rest of the bank is zeros).
    let mut row = [0u8; 8];
    mmfree_spec::pack::Packing::Pack2
        .pack_row(&[1, -1], &mut row)
        .unwrap();
    let program = [
        load(0, 8),
        load(1, 8),
        Instr::Quant {
            va: 0,
            vb: 1,
            len: 8,
            alpha: mmfree_spec::Scale::ONE,
        },
        Instr::Gemv {
            cols: 8,
            weights: 0,
            rows: 2,
        },
        Instr::StoreAcc {
            len: 2,
            addr: OUT,
            stride: 0,
        },
        Instr::End,
    ];
    let mut iss = card(&program, &[]);
    iss.write(Bank::Weight(0), 0, &row).unwrap();
    run(&mut iss).unwrap();
    let mut codes = [0i8; 8];
    let v = param();
    let sigma = ops::quantize(&v, &v, mmfree_spec::Scale::ONE, &mut codes);
    let mut out = vec![0u8; devmem::acc_output_bytes(2)];
    iss.read(Bank::Data, OUT as u64, &mut out).unwrap();
    assert_eq!(devmem::decode_scale(&out).unwrap(), sigma);
    let acc = devmem::decode_i32s(&out[64..], 2).unwrap();
    assert_eq!(acc, vec![codes[0] as i32 - codes[1] as i32, 0]);
    assert_eq!(iss.run_counters().weight_bytes, 2 * 8);
}

#[test]
fn bad_programs_stop_naming_the_instruction() {
    let end = Instr::End;
    let mut unknown = [0u8; 16];
    unknown[0] = 0xff;
    let e = fault(&[load(0, 8), load(1, 8)], &[unknown]);
    assert!(e.starts_with("instruction 2 (000000ff 00000000"), "{e}");
    assert!(e.contains("unknown opcode 0xff"), "{e}");

    let mut reg = vec(VecOp::Add, 0, 0, 0, 8).encode();
    reg[1] = 16;
    let e = fault(&[load(0, 8)], &[reg]);
    assert!(
        e.starts_with("instruction 1 ") && e.contains("vd = 16"),
        "{e}"
    );

    let far = Instr::LoadV {
        vd: 0,
        len: 8,
        addr: DATA_BYTES as u32 - 32,
        stride: 0,
    };
    let e = fault(&[far, end], &[]);
    assert!(
        e.starts_with("instruction 0 (LOADV") && e.contains("outside the data bank (8192 bytes)"),
        "{e}"
    );

    let e = fault(&[load(0, cfg().vreg_words() + 1), end], &[]);
    assert!(e.contains("len 1025 exceeds the 1024 elements"), "{e}");

    let e = fault(&[load(0, 8)], &[]);
    assert!(
        e.starts_with("instruction 1 (fetch)") && e.contains("no END"),
        "{e}"
    );

    let gemv = Instr::Gemv {
        cols: 8,
        weights: 0,
        rows: 8,
    };
    let e = fault(&[gemv, end], &[]);
    assert!(
        e.contains("cols 8 exceed the 0 codes of the last QUANT"),
        "{e}"
    );

    let e = fault(&[load(0, 8), vec(VecOp::Add, 1, 0, 5, 8), end], &[]);
    assert!(
        e.starts_with("instruction 1 (ADD") && e.contains("v5 holds 0 elements"),
        "{e}"
    );

    // A BFP register with negative values used as gates.
    let e = fault(&[load(0, 8), vec(VecOp::OneMinus, 1, 0, 0, 8), end], &[]);
    assert!(
        e.contains("v0 element 1 = ") && e.contains("not a gate"),
        "{e}"
    );

    let dq = Instr::Dequant {
        vd: 0,
        len: 4,
        first: 0,
        group: 4,
    };
    let e = fault(&[dq, end], &[]);
    assert!(e.contains("do not fit the 0 rows of the last GEMV"), "{e}");

    // The token slot holds 0 and the vocabulary is 16: a token at or above it is refused.
    let embed = Instr::Embed {
        vd: 0,
        len: 8,
        table: PARAM,
        row_stride: 0,
    };
    let mut iss = card(&[embed, end], &[]);
    iss.write(Bank::Data, 64, &16u32.to_le_bytes()).unwrap();
    let e = run(&mut iss).unwrap_err().to_string();
    assert!(
        e.contains("token id 16 of sequence 0 is not below the vocabulary size 16"),
        "{e}"
    );
}

#[test]
fn invalid_weight_bytes_are_named() {
    let program = [
        load(0, 8),
        Instr::Quant {
            va: 0,
            vb: 0,
            len: 8,
            alpha: mmfree_spec::Scale::ONE,
        },
        Instr::Gemv {
            cols: 8,
            weights: 0,
            rows: 4,
        },
        Instr::End,
    ];
    let mut iss = card(&program, &[]);
    iss.write(Bank::Weight(0), 17, &[0xff]).unwrap();
    let e = run(&mut iss).unwrap_err().to_string();
    assert!(
        e.starts_with("instruction 2 (GEMV")
            && e.contains("byte 0xff at offset 0x11 of weight bank 0"),
        "{e}"
    );
}

#[test]
fn control_registers_follow_ap_ctrl_hs() {
    let mut iss = card(&[Instr::End], &[]);
    assert_eq!(iss.read_reg(regmap::CTRL).unwrap(), regmap::AP_IDLE);
    iss.write_reg(regmap::IER, 1).unwrap();
    iss.start().unwrap();
    let ctrl = iss.read_reg(regmap::CTRL).unwrap();
    assert_eq!(
        ctrl & (regmap::AP_DONE | regmap::AP_IDLE),
        regmap::AP_DONE | regmap::AP_IDLE
    );
    // ap_done is clear on read; the interrupt status is toggle on write.
    assert_eq!(iss.read_reg(regmap::CTRL).unwrap() & regmap::AP_DONE, 0);
    assert_eq!(iss.read_reg(regmap::ISR).unwrap(), 1);
    iss.write_reg(regmap::ISR, 1).unwrap();
    assert_eq!(iss.read_reg(regmap::ISR).unwrap(), 0);
    iss.wait(Duration::from_secs(1)).unwrap();
    let e = iss.wait(Duration::from_secs(1)).unwrap_err().to_string();
    assert!(e.contains("wait without a start"), "{e}");
    let e = iss.read_reg(0x1000).unwrap_err().to_string();
    assert!(e.contains("0x1000 does not exist"), "{e}");
}

#[test]
fn card_refuses_bad_memory_and_arguments() {
    let mut iss = card(&[Instr::End], &[]);
    let e = iss
        .write(Bank::Data, DATA_BYTES as u64 - 2, &[0; 4])
        .unwrap_err();
    assert!(
        e.to_string().contains("outside the bank (8192 bytes)"),
        "{e}"
    );
    let e = iss.alloc(Bank::Weight(0), 64 << 20).unwrap_err();
    assert!(
        e.to_string()
            .contains("of device memory are already allocated"),
        "{e}"
    );
    let e = iss.alloc(Bank::Weight(3), 64).unwrap_err();
    assert!(
        e.to_string().contains("weight bank 3 does not exist"),
        "{e}"
    );
    // A wrong base address in the kernel arguments.
    iss.write_reg(regmap::weight_bank_arg(0), 0x1234).unwrap();
    let e = run(&mut iss).unwrap_err().to_string();
    assert!(
        e.contains("weight bank 0 is 0x20000001234, not an allocated"),
        "{e}"
    );
    // An image compiled for another configuration.
    let mut other = Iss::new(HwConfig { batch: 2, ..cfg() }).unwrap();
    let mut data = vec![0u8; DATA_BYTES];
    card(&[Instr::End], &[])
        .read(Bank::Data, 0, &mut data)
        .unwrap();
    for (bank, bytes) in [(Bank::Data, data), (Bank::Weight(0), vec![0u8; 64])] {
        let a = other.alloc(bank, bytes.len() as u64).unwrap();
        other.write(bank, 0, &bytes).unwrap();
        other.set_bank_arg(bank, a).unwrap();
    }
    let e = run(&mut other).unwrap_err().to_string();
    assert!(e.contains("another hardware configuration"), "{e}");
}
