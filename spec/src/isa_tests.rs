use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// One instruction of every kind with random fields (registers in range, a normalized scale).
fn random_instrs(rng: &mut ChaCha8Rng) -> Vec<Instr> {
    let mut r = || rng.r#gen::<u32>();
    let reg = |x: u32| (x % N_VREGS as u32) as u8;
    let (a, b, c, d, e, g) = (r(), r(), r(), r(), r(), r());
    let alpha = Scale::from_parts((1 << 30) | (e >> 2), g as i32).unwrap();
    let mut v = vec![
        Instr::End,
        Instr::LoadV {
            vd: reg(a),
            len: b,
            addr: c,
            stride: d,
        },
        Instr::StoreV {
            va: reg(a),
            len: b,
            addr: c,
            stride: d,
        },
        Instr::LoadG {
            vd: reg(b),
            len: c,
            addr: d,
        },
        Instr::Embed {
            vd: reg(c),
            len: d,
            table: a,
            row_stride: b,
        },
        Instr::Quant {
            va: reg(a),
            vb: reg(b),
            len: c,
            alpha,
        },
        Instr::Gemv {
            cols: a,
            weights: b,
            rows: c,
        },
        Instr::Dequant {
            vd: reg(d),
            len: a,
            first: b,
            group: c,
        },
        Instr::Argmax { len: a, addr: b },
        Instr::StoreAcc {
            len: a,
            addr: b,
            stride: c,
        },
    ];
    for op in VecOp::ALL {
        v.push(Instr::Vec {
            op,
            vd: reg(a),
            va: reg(b),
            vb: if op.binary() { reg(c) } else { 0 },
            len: d,
        });
    }
    v
}

#[test]
fn every_opcode_round_trips_with_random_fields() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..2000 {
        for i in random_instrs(&mut rng) {
            let bytes = i.encode();
            assert_eq!(decode(&bytes).unwrap(), i, "{i} {}", hex_words(i.words()));
            seen.insert(i.opcode());
        }
    }
    // Every opcode of the table in ACCELERATOR.md section 3.
    let table = [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
        0x26, 0x27, 0x30, 0x31,
    ];
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), table);
}

#[test]
fn known_encoding() {
    let i = Instr::Vec {
        op: VecOp::Add,
        vd: 1,
        va: 2,
        vb: 15,
        len: 1024,
    };
    assert_eq!(i.words(), [0x0f02_0120, 1024, 0, 0]);
    assert_eq!(
        i.encode(),
        [
            0x20, 0x01, 0x02, 0x0f, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        ]
    );
    let q = Instr::Quant {
        va: 3,
        vb: 4,
        len: 64,
        alpha: Scale::ONE,
    };
    assert_eq!(q.words(), [0x0403_0011, 64, 1 << 30, (-30i32) as u32]);
    assert_eq!(q.to_string(), "QUANT    v3, v4, len=64, alpha=1.000000e0");
    assert_eq!(
        Instr::Gemv {
            cols: 64,
            weights: 0x40,
            rows: 256
        }
        .to_string(),
        "GEMV     cols=64, weights=0x40, rows=256"
    );
}

fn decode_err(w: [u32; 4]) -> String {
    decode_words(w).unwrap_err().to_string()
}

#[test]
fn bad_words_are_refused_naming_the_word() {
    let e = decode_err([0x0000_00ff, 0, 0, 0]);
    assert!(
        e.contains("000000ff 00000000 00000000 00000000") && e.contains("unknown opcode 0xff"),
        "{e}"
    );
    let e = decode_err([0x0000_1020, 8, 0, 0]); // ADD vd=16
    assert!(e.contains("vd = 16 is not below 16"), "{e}");
    let e = decode_err([0x0500_0123, 8, 0, 0]); // SIGMOID with vb = 5
    assert!(e.contains("unused field vb = 5"), "{e}");
    let e = decode_err([0x0000_0000, 0, 7, 0]); // END with w2
    assert!(e.contains("unused word w2 = 0x00000007"), "{e}");
    let e = decode_err([0x0000_0011, 8, 12345, 0]); // QUANT, unnormalized alpha
    assert!(e.contains("not a normalized scale"), "{e}");
    let e = decode(&[0u8; 15]).unwrap_err().to_string();
    assert!(e.contains("expected 16"), "{e}");
}

#[test]
fn registers_lists_the_named_operands() {
    let i = Instr::Vec {
        op: VecOp::Silu,
        vd: 3,
        va: 9,
        vb: 0,
        len: 4,
    };
    assert_eq!(i.registers(), vec![3, 9]);
    assert_eq!(Instr::End.registers(), Vec::<Vreg>::new());
}
