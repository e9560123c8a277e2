//! The vector unit's elaboration parameters and instruction codes (docs/ACCELERATOR.md sections 1
//! and 3; STYLE.md house rule 1: derived from `HwConfig`, validated once, with messages that say why).
//!
//! Widths of the lane buses follow from the contract (`mmfree_spec::format`): a register element is
//! one 32-bit word (a BFP mantissa or a GATE value); a "wide" lane value, the exact result of an
//! element-wise product or aligned sum before normalization, needs [`WIDE_BITS`] bits for any 32-bit
//! operands; squares and product magnitudes need [`SQUARE_BITS`].

use mmfree_spec::hw::HwConfig;

use crate::error::{Error, Result};

/// Bits of one register element (a BFP mantissa or a GATE value).
pub const WORD_BITS: usize = 32;
/// Bits of a wide lane value: `|aligned a + aligned b| <= 2^63` for any 32-bit mantissas.
pub const WIDE_BITS: usize = 65;
/// Bits of a lane's square `x^2` or product magnitude `|x y|` (at most `2^62`).
pub const SQUARE_BITS: usize = 63;
/// Bits of one activation code.
pub const CODE_BITS: usize = 8;
/// Bits of a register exponent and of every exponent the unit computes (two's complement).
pub const EXP_BITS: usize = 32;
/// Bits of the exact sum of squares: `len * 2^62` for any `len < 2^17`.
pub const SUM_SQ_BITS: usize = 80;
/// Bits of a signed per-vector shift amount (`-31..=35`).
pub const SHIFT_BITS: usize = 7;
/// Bits of the instruction's length field and of every element counter.
pub const LEN_BITS: usize = 32;
/// Number of vector registers.
pub const N_REGS: usize = 16;
/// Bits of a register number.
pub const REG_BITS: usize = 4;
/// Longest external accumulator read latency the unit accepts.
pub const MAX_ACC_LATENCY: usize = 8;
/// Read latency of the accumulator buffer assumed by [`VpuConfig::from_hw`] (a block RAM with an
/// output register).
pub const DEFAULT_ACC_LATENCY: usize = 2;

/// What the vector unit is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VpuConfig {
    /// Elements processed per cycle (`vector_lanes`).
    pub lanes: usize,
    /// Elements per vector register (`max(max_hidden, max_intermediate)`).
    pub reg_len: usize,
    /// Cycles from an accumulator read address to its data (see `docs/HARDWARE.md`).
    pub acc_latency: usize,
}

impl VpuConfig {
    /// A checked configuration.
    pub fn new(lanes: usize, reg_len: usize, acc_latency: usize) -> Result<VpuConfig> {
        let bad = |why: String| Err(Error::Unsupported { kernel: "vpu", why });
        if !lanes.is_power_of_two() || lanes > 64 {
            return bad(format!(
                "lanes = {lanes} must be a power of two in 1..=64 (the reduction trees pair lanes)"
            ));
        }
        if reg_len == 0 || !reg_len.is_multiple_of(lanes) || reg_len >= 1 << 17 {
            return bad(format!(
                "register length {reg_len} must be a positive multiple of lanes = {lanes} below \
                 2^17 (the sum of squares is {SUM_SQ_BITS} bits)"
            ));
        }
        if !(1..=MAX_ACC_LATENCY).contains(&acc_latency) {
            return bad(format!(
                "accumulator latency {acc_latency} must be in 1..={MAX_ACC_LATENCY}"
            ));
        }
        Ok(VpuConfig {
            lanes,
            reg_len,
            acc_latency,
        })
    }

    /// The vector unit of a hardware configuration.
    pub fn from_hw(hw: &HwConfig) -> Result<VpuConfig> {
        VpuConfig::new(
            hw.vector_lanes as usize,
            hw.max_hidden.max(hw.max_intermediate) as usize,
            DEFAULT_ACC_LATENCY,
        )
    }

    /// Rows of `lanes` elements per register.
    pub const fn rows(&self) -> usize {
        self.reg_len / self.lanes
    }

    /// Bits of a row address (at least 1).
    pub const fn row_bits(&self) -> usize {
        let r = self.rows();
        if r <= 2 {
            1
        } else {
            (usize::BITS - (r - 1).leading_zeros()) as usize
        }
    }

    /// Bits of a lane index (at least 1).
    pub const fn lane_bits(&self) -> usize {
        lane_bits(self.lanes)
    }
}

/// Bits of a lane index for `lanes` lanes (at least 1).
pub const fn lane_bits(lanes: usize) -> usize {
    if lanes <= 2 {
        1
    } else {
        (usize::BITS - (lanes - 1).leading_zeros()) as usize
    }
}

/// The vector unit's instructions (docs/ACCELERATOR.md section 3); the discriminant is the opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum VpuOp {
    /// `vd = rms_norm(va, vb)`.
    Norm = 0x10,
    /// Codes and `sigma = quantize(va, vb, alpha)`.
    Quant = 0x11,
    /// `vd = dequantize(acc[0..group], sigma)[first..first + len]`.
    Dequant = 0x13,
    /// `vd = add(va, vb)`.
    Add = 0x20,
    /// `vd = mul(va, vb)`.
    Mul = 0x21,
    /// `vd = gate_mul(va, gates vb)`.
    Gmul = 0x22,
    /// Gates `vd = sigmoid(va)`.
    Sigmoid = 0x23,
    /// `vd = silu(va)`.
    Silu = 0x24,
    /// Gates `vd = lower_bound_mix(va, vb)`.
    Lbmix = 0x25,
    /// Gates `vd = one_minus(va)`.
    Oneminus = 0x26,
    /// `vd = mlgru(vd, gates va, vb)`.
    Mlgru = 0x27,
    /// `argmax(acc[0..len])`.
    Argmax = 0x30,
}

impl VpuOp {
    /// Every operation, in opcode order.
    pub const ALL: [VpuOp; 12] = [
        VpuOp::Norm,
        VpuOp::Quant,
        VpuOp::Dequant,
        VpuOp::Add,
        VpuOp::Mul,
        VpuOp::Gmul,
        VpuOp::Sigmoid,
        VpuOp::Silu,
        VpuOp::Lbmix,
        VpuOp::Oneminus,
        VpuOp::Mlgru,
        VpuOp::Argmax,
    ];

    /// The opcode byte.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The operation with opcode `code`, if the vector unit executes it.
    pub fn from_code(code: u8) -> Option<VpuOp> {
        VpuOp::ALL.into_iter().find(|op| op.code() == code)
    }

    /// Instruction name as in docs/ACCELERATOR.md.
    pub const fn name(self) -> &'static str {
        match self {
            VpuOp::Norm => "NORM",
            VpuOp::Quant => "QUANT",
            VpuOp::Dequant => "DEQUANT",
            VpuOp::Add => "ADD",
            VpuOp::Mul => "MUL",
            VpuOp::Gmul => "GMUL",
            VpuOp::Sigmoid => "SIGMOID",
            VpuOp::Silu => "SILU",
            VpuOp::Lbmix => "LBMIX",
            VpuOp::Oneminus => "ONEMINUS",
            VpuOp::Mlgru => "MLGRU",
            VpuOp::Argmax => "ARGMAX",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_give_valid_units() {
        for name in mmfree_spec::hw::HW_NAMES {
            let hw = HwConfig::preset(name).unwrap();
            let c = VpuConfig::from_hw(&hw).unwrap();
            assert_eq!(c.rows() * c.lanes, c.reg_len, "{name}");
        }
        let tiny = VpuConfig::from_hw(&HwConfig::preset("tiny").unwrap()).unwrap();
        assert_eq!((tiny.lanes, tiny.reg_len, tiny.rows()), (4, 1024, 256));
        assert_eq!(tiny.row_bits(), 8);
        assert_eq!(VpuConfig::new(1, 2, 1).unwrap().row_bits(), 1);
        assert_eq!(VpuConfig::new(4, 20, 1).unwrap().row_bits(), 3);
        assert_eq!(
            (lane_bits(1), lane_bits(2), lane_bits(4), lane_bits(64)),
            (1, 1, 2, 6)
        );
    }

    #[test]
    fn bad_configs_say_why() {
        let e = VpuConfig::new(3, 12, 2).unwrap_err().to_string();
        assert!(e.contains("lanes = 3 must be a power of two"), "{e}");
        let e = VpuConfig::new(4, 10, 2).unwrap_err().to_string();
        assert!(e.contains("multiple of lanes"), "{e}");
        let e = VpuConfig::new(4, 16, 0).unwrap_err().to_string();
        assert!(e.contains("accumulator latency 0"), "{e}");
    }

    #[test]
    fn opcodes_round_trip() {
        for op in VpuOp::ALL {
            assert_eq!(VpuOp::from_code(op.code()), Some(op), "{}", op.name());
        }
        assert_eq!(VpuOp::from_code(0x12), None, "GEMV is not a vector-unit op");
        assert_eq!(VpuOp::Mlgru.code(), 0x27);
    }
}
