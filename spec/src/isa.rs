//! The accelerator's instruction set (ACCELERATOR.md section 3, docs/ISA.md): one Rust enum shared by
//! the compiler, the instruction-set simulator, the RTL sequencer's tests and the disassembler
//! (STYLE.md: one ISA header for everyone).
//!
//! Every instruction is 16 bytes, four little-endian `u32` words:
//! `w0 = opcode | vd << 8 | va << 16 | vb << 24`, `w1 = len`, `w2`, `w3`. Fields an instruction does
//! not use must be zero, so that a corrupted word is refused by [`decode`] rather than executed.

use std::fmt;

use crate::error::{Error, Result};
use crate::scale::Scale;

/// Bytes of one encoded instruction.
pub const INSTR_BYTES: usize = 16;
/// Number of vector registers per sequence.
pub const N_VREGS: u8 = 16;

/// A vector register index (`0..N_VREGS`).
pub type Vreg = u8;

/// The element-wise and normalization operations of the vector unit and the neuron unit; each is one
/// primitive of [`crate::ops`] applied to registers `va` (and `vb`) with the result in `vd`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VecOp {
    /// `vd = rms_norm(va, vb)` (vb: the norm weight).
    Norm,
    /// `vd = add(va, vb)`.
    Add,
    /// `vd = mul(va, vb)`.
    Mul,
    /// `vd = gate_mul(va, gates vb)`.
    GMul,
    /// gates `vd = sigmoid(va)`.
    Sigmoid,
    /// `vd = silu(va)`.
    Silu,
    /// gates `vd = lower_bound_mix(gates va, gates vb)` element-wise.
    LbMix,
    /// gates `vd = one_minus(gates va)`.
    OneMinus,
    /// `vd = mlgru(vd, gates va, vb)`.
    Mlgru,
}

impl VecOp {
    /// Every vector operation, for tables and tests.
    pub const ALL: [VecOp; 9] = [
        VecOp::Norm,
        VecOp::Add,
        VecOp::Mul,
        VecOp::GMul,
        VecOp::Sigmoid,
        VecOp::Silu,
        VecOp::LbMix,
        VecOp::OneMinus,
        VecOp::Mlgru,
    ];

    /// The opcode byte.
    pub const fn opcode(self) -> u8 {
        match self {
            VecOp::Norm => 0x10,
            VecOp::Add => 0x20,
            VecOp::Mul => 0x21,
            VecOp::GMul => 0x22,
            VecOp::Sigmoid => 0x23,
            VecOp::Silu => 0x24,
            VecOp::LbMix => 0x25,
            VecOp::OneMinus => 0x26,
            VecOp::Mlgru => 0x27,
        }
    }

    /// Whether the operation reads a second operand `vb`.
    pub const fn binary(self) -> bool {
        !matches!(self, VecOp::Sigmoid | VecOp::Silu | VecOp::OneMinus)
    }

    /// The assembler mnemonic.
    pub const fn mnemonic(self) -> &'static str {
        match self {
            VecOp::Norm => "NORM",
            VecOp::Add => "ADD",
            VecOp::Mul => "MUL",
            VecOp::GMul => "GMUL",
            VecOp::Sigmoid => "SIGMOID",
            VecOp::Silu => "SILU",
            VecOp::LbMix => "LBMIX",
            VecOp::OneMinus => "ONEMINUS",
            VecOp::Mlgru => "MLGRU",
        }
    }
}

/// One instruction. Addresses are byte offsets from the base of the bank the instruction reads;
/// `len` counts elements; every instruction applies to each of the B sequences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Instr {
    /// Done: raise `ap_done`.
    End,
    /// `vd` = the BFP vector at `addr + b * stride` of the data bank.
    LoadV {
        vd: Vreg,
        len: u32,
        addr: u32,
        stride: u32,
    },
    /// The BFP vector at `addr + b * stride` = `va`.
    StoreV {
        va: Vreg,
        len: u32,
        addr: u32,
        stride: u32,
    },
    /// `vd` = the gate vector at `addr` (a parameter, the same for every sequence).
    LoadG { vd: Vreg, len: u32, addr: u32 },
    /// `vd` = row `token[b]` of the BFP table at `table` (rows `row_stride` bytes apart).
    Embed {
        vd: Vreg,
        len: u32,
        table: u32,
        row_stride: u32,
    },
    /// A vector-unit or neuron-unit operation on `len` elements.
    Vec {
        op: VecOp,
        vd: Vreg,
        va: Vreg,
        vb: Vreg,
        len: u32,
    },
    /// Codes and `sigma = quantize(va, gamma vb, alpha)`.
    Quant {
        va: Vreg,
        vb: Vreg,
        len: u32,
        alpha: Scale,
    },
    /// `acc[0..rows] = W * codes[0..cols]`, `W` at byte offset `weights` of every weight bank.
    Gemv { cols: u32, weights: u32, rows: u32 },
    /// `vd` = elements `first..first + len` of `dequantize(acc[0..group], sigma)`: the whole group
    /// shares one normalization (the GLU's gate and up halves are one BitLinear output).
    Dequant {
        vd: Vreg,
        len: u32,
        first: u32,
        group: u32,
    },
    /// Output token `[b] = argmax(acc[0..len])`, written as a `u32` at `addr + 4 b`.
    Argmax { len: u32, addr: u32 },
    /// `sigma`, then `acc[0..len]`, at `addr + b * stride` (docs/ISA.md, outputs).
    StoreAcc { len: u32, addr: u32, stride: u32 },
}

/// Opcode bytes of the instructions that are not [`VecOp`]s.
pub mod opcode {
    /// END.
    pub const END: u8 = 0x00;
    /// LOADV.
    pub const LOADV: u8 = 0x01;
    /// STOREV.
    pub const STOREV: u8 = 0x02;
    /// LOADG.
    pub const LOADG: u8 = 0x03;
    /// EMBED.
    pub const EMBED: u8 = 0x04;
    /// QUANT.
    pub const QUANT: u8 = 0x11;
    /// GEMV.
    pub const GEMV: u8 = 0x12;
    /// DEQUANT.
    pub const DEQUANT: u8 = 0x13;
    /// ARGMAX.
    pub const ARGMAX: u8 = 0x30;
    /// STOREACC.
    pub const STOREACC: u8 = 0x31;
}

/// The raw fields of an instruction word, before any meaning is given to them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Fields {
    op: u8,
    vd: u8,
    va: u8,
    vb: u8,
    w1: u32,
    w2: u32,
    w3: u32,
}

impl Fields {
    fn from_words(w: [u32; 4]) -> Fields {
        let b = w[0].to_le_bytes();
        Fields {
            op: b[0],
            vd: b[1],
            va: b[2],
            vb: b[3],
            w1: w[1],
            w2: w[2],
            w3: w[3],
        }
    }

    fn words(self) -> [u32; 4] {
        [
            u32::from_le_bytes([self.op, self.vd, self.va, self.vb]),
            self.w1,
            self.w2,
            self.w3,
        ]
    }
}

impl Instr {
    /// The opcode byte.
    pub fn opcode(&self) -> u8 {
        self.fields().op
    }

    /// The assembler mnemonic.
    pub fn mnemonic(&self) -> &'static str {
        match self {
            Instr::End => "END",
            Instr::LoadV { .. } => "LOADV",
            Instr::StoreV { .. } => "STOREV",
            Instr::LoadG { .. } => "LOADG",
            Instr::Embed { .. } => "EMBED",
            Instr::Vec { op, .. } => op.mnemonic(),
            Instr::Quant { .. } => "QUANT",
            Instr::Gemv { .. } => "GEMV",
            Instr::Dequant { .. } => "DEQUANT",
            Instr::Argmax { .. } => "ARGMAX",
            Instr::StoreAcc { .. } => "STOREACC",
        }
    }

    fn fields(&self) -> Fields {
        let f = Fields::default();
        match *self {
            Instr::End => f,
            Instr::LoadV {
                vd,
                len,
                addr,
                stride,
            } => Fields {
                op: opcode::LOADV,
                vd,
                w1: len,
                w2: addr,
                w3: stride,
                ..f
            },
            Instr::StoreV {
                va,
                len,
                addr,
                stride,
            } => Fields {
                op: opcode::STOREV,
                va,
                w1: len,
                w2: addr,
                w3: stride,
                ..f
            },
            Instr::LoadG { vd, len, addr } => Fields {
                op: opcode::LOADG,
                vd,
                w1: len,
                w2: addr,
                ..f
            },
            Instr::Embed {
                vd,
                len,
                table,
                row_stride,
            } => Fields {
                op: opcode::EMBED,
                vd,
                w1: len,
                w2: table,
                w3: row_stride,
                ..f
            },
            Instr::Vec {
                op,
                vd,
                va,
                vb,
                len,
            } => Fields {
                op: op.opcode(),
                vd,
                va,
                vb,
                w1: len,
                ..f
            },
            Instr::Quant { va, vb, len, alpha } => Fields {
                op: opcode::QUANT,
                va,
                vb,
                w1: len,
                w2: alpha.mantissa(),
                w3: alpha.exponent() as u32,
                ..f
            },
            Instr::Gemv {
                cols,
                weights,
                rows,
            } => Fields {
                op: opcode::GEMV,
                w1: cols,
                w2: weights,
                w3: rows,
                ..f
            },
            Instr::Dequant {
                vd,
                len,
                first,
                group,
            } => Fields {
                op: opcode::DEQUANT,
                vd,
                w1: len,
                w2: first,
                w3: group,
                ..f
            },
            Instr::Argmax { len, addr } => Fields {
                op: opcode::ARGMAX,
                w1: len,
                w2: addr,
                ..f
            },
            Instr::StoreAcc { len, addr, stride } => Fields {
                op: opcode::STOREACC,
                w1: len,
                w2: addr,
                w3: stride,
                ..f
            },
        }
    }

    /// The four instruction words.
    pub fn words(&self) -> [u32; 4] {
        self.fields().words()
    }

    /// The 16 bytes of the instruction as stored in the data bank.
    pub fn encode(&self) -> [u8; INSTR_BYTES] {
        let mut out = [0u8; INSTR_BYTES];
        for (chunk, w) in out.chunks_exact_mut(4).zip(self.words()) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// The vector registers the instruction names, for range checks.
    pub fn registers(&self) -> Vec<Vreg> {
        let f = self.fields();
        let (d, a, b) = uses(f.op).map_or((false, false, false), |u| (u.vd, u.va, u.vb));
        [(d, f.vd), (a, f.va), (b, f.vb)]
            .into_iter()
            .filter_map(|(used, r)| used.then_some(r))
            .collect()
    }
}

/// Which fields an opcode uses; every other field must be zero.
#[derive(Clone, Copy)]
struct Uses {
    vd: bool,
    va: bool,
    vb: bool,
    w1: bool,
    w2: bool,
    w3: bool,
}

fn uses(op: u8) -> Option<Uses> {
    let u = |vd, va, vb, w1, w2, w3| {
        Some(Uses {
            vd,
            va,
            vb,
            w1,
            w2,
            w3,
        })
    };
    if let Some(v) = vec_op(op) {
        return u(true, true, v.binary(), true, false, false);
    }
    match op {
        opcode::END => u(false, false, false, false, false, false),
        opcode::LOADV | opcode::EMBED => u(true, false, false, true, true, true),
        opcode::STOREV => u(false, true, false, true, true, true),
        opcode::LOADG => u(true, false, false, true, true, false),
        opcode::QUANT => u(false, true, true, true, true, true),
        opcode::GEMV | opcode::STOREACC => u(false, false, false, true, true, true),
        opcode::DEQUANT => u(true, false, false, true, true, true),
        opcode::ARGMAX => u(false, false, false, true, true, false),
        _ => None,
    }
}

fn vec_op(op: u8) -> Option<VecOp> {
    VecOp::ALL.into_iter().find(|v| v.opcode() == op)
}

/// Formats the four words of an instruction for error messages and dumps.
pub fn hex_words(w: [u32; 4]) -> String {
    format!("{:08x} {:08x} {:08x} {:08x}", w[0], w[1], w[2], w[3])
}

/// Decodes one 16-byte instruction; a word with an unknown opcode, a register outside
/// `0..N_VREGS`, a non-zero unused field or an unnormalized QUANT scale is refused, naming the word.
pub fn decode(bytes: &[u8]) -> Result<Instr> {
    let Some(bytes) = bytes.get(..INSTR_BYTES) else {
        return Err(Error::Length {
            what: "instruction bytes",
            expected: INSTR_BYTES,
            got: bytes.len(),
        });
    };
    let mut w = [0u32; 4];
    for (x, c) in w.iter_mut().zip(bytes.chunks_exact(4)) {
        *x = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
    decode_words(w)
}

/// [`decode`] from the four words.
pub fn decode_words(w: [u32; 4]) -> Result<Instr> {
    let f = Fields::from_words(w);
    let bad = |why: String| Error::BadInstruction {
        word: hex_words(w),
        why,
    };
    let u = uses(f.op).ok_or_else(|| bad(format!("unknown opcode 0x{:02x}", f.op)))?;
    for (name, used, r) in [("vd", u.vd, f.vd), ("va", u.va, f.va), ("vb", u.vb, f.vb)] {
        if used && r >= N_VREGS {
            return Err(bad(format!("register {name} = {r} is not below {N_VREGS}")));
        }
        if !used && r != 0 {
            return Err(bad(format!("unused field {name} = {r} is not zero")));
        }
    }
    for (name, used, x) in [("w1", u.w1, f.w1), ("w2", u.w2, f.w2), ("w3", u.w3, f.w3)] {
        if !used && x != 0 {
            return Err(bad(format!("unused word {name} = 0x{x:08x} is not zero")));
        }
    }
    let (vd, va, vb, len) = (f.vd, f.va, f.vb, f.w1);
    if let Some(op) = vec_op(f.op) {
        return Ok(Instr::Vec {
            op,
            vd,
            va,
            vb,
            len,
        });
    }
    Ok(match f.op {
        opcode::END => Instr::End,
        opcode::LOADV => Instr::LoadV {
            vd,
            len,
            addr: f.w2,
            stride: f.w3,
        },
        opcode::STOREV => Instr::StoreV {
            va,
            len,
            addr: f.w2,
            stride: f.w3,
        },
        opcode::LOADG => Instr::LoadG {
            vd,
            len,
            addr: f.w2,
        },
        opcode::EMBED => Instr::Embed {
            vd,
            len,
            table: f.w2,
            row_stride: f.w3,
        },
        opcode::QUANT => Instr::Quant {
            va,
            vb,
            len,
            alpha: Scale::from_parts(f.w2, f.w3 as i32).ok_or_else(|| {
                bad(format!(
                    "alpha = 0x{:08x} * 2^{} is not a normalized scale",
                    f.w2, f.w3 as i32
                ))
            })?,
        },
        opcode::GEMV => Instr::Gemv {
            cols: len,
            weights: f.w2,
            rows: f.w3,
        },
        opcode::DEQUANT => Instr::Dequant {
            vd,
            len,
            first: f.w2,
            group: f.w3,
        },
        opcode::ARGMAX => Instr::Argmax { len, addr: f.w2 },
        _ => Instr::StoreAcc {
            len,
            addr: f.w2,
            stride: f.w3,
        },
    })
}

impl fmt::Display for Instr {
    /// Assembler syntax: mnemonic, registers, then the named immediates (docs/ISA.md, dumps).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.mnemonic();
        match *self {
            Instr::End => write!(f, "{m}"),
            Instr::LoadV {
                vd,
                len,
                addr,
                stride,
            } => write!(
                f,
                "{m:<8} v{vd}, len={len}, addr=0x{addr:x}, stride={stride}"
            ),
            Instr::StoreV {
                va,
                len,
                addr,
                stride,
            } => write!(
                f,
                "{m:<8} v{va}, len={len}, addr=0x{addr:x}, stride={stride}"
            ),
            Instr::LoadG { vd, len, addr } => write!(f, "{m:<8} v{vd}, len={len}, addr=0x{addr:x}"),
            Instr::Embed {
                vd,
                len,
                table,
                row_stride,
            } => write!(
                f,
                "{m:<8} v{vd}, len={len}, table=0x{table:x}, row_stride={row_stride}"
            ),
            Instr::Vec {
                op,
                vd,
                va,
                vb,
                len,
            } if op.binary() => write!(f, "{m:<8} v{vd}, v{va}, v{vb}, len={len}"),
            Instr::Vec { vd, va, len, .. } => write!(f, "{m:<8} v{vd}, v{va}, len={len}"),
            Instr::Quant { va, vb, len, alpha } => write!(
                f,
                "{m:<8} v{va}, v{vb}, len={len}, alpha={:.6e}",
                alpha.to_f64()
            ),
            Instr::Gemv {
                cols,
                weights,
                rows,
            } => write!(f, "{m:<8} cols={cols}, weights=0x{weights:x}, rows={rows}"),
            Instr::Dequant {
                vd,
                len,
                first,
                group,
            } => write!(f, "{m:<8} v{vd}, len={len}, first={first}, group={group}"),
            Instr::Argmax { len, addr } => write!(f, "{m:<8} len={len}, addr=0x{addr:x}"),
            Instr::StoreAcc { len, addr, stride } => {
                write!(f, "{m:<8} len={len}, addr=0x{addr:x}, stride={stride}")
            }
        }
    }
}

#[cfg(test)]
#[path = "isa_tests.rs"]
mod tests;
