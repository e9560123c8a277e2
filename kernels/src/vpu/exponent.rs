//! The exponent unit: every per-vector exponent and shift of `mmfree_spec::ops` (NUMERICS.md
//! section 5), computed once per pass from the registers' exponents, `rho`, `sigma` and the
//! reduction's bit length.
//!
//! | mode | result exponent before `k` | alignment shifts (`A`, `B`) |
//! |---|---|---|
//! | ADD | `base = max(ea, eb) + 31 - 62` | `base - ea`, `base - eb` |
//! | MLGRU | `e = max(ed, eb) + 1` (`h` in `vd`, `c` in `vb`) | `e - ed`, `e - eb` |
//! | MUL | `ea + eb` | |
//! | GMUL (and SILU) | `ea - 30` | |
//! | DEQ | `sigma.e` | |
//! | NORM | `ea + eb + rho.e + 31` | |
//!
//! Alignment shifts are clamped at 33 (every 32-bit mantissa rounds to zero there); the sigmoid
//! shift is `-(ea + 24)` clamped to `-31..=33`. `k = bit_len - 30` (0 for an all-zero result, whose
//! exponent is `ZERO_EXP`); gate operations (SIGMOID, LBMIX, ONEMINUS) give `k = 0` and exponent
//! 0, and QUANT's codes and ARGMAX `k = 0`. Differences are formed in 34 bits, so exponents
//! anywhere in the i32 range clamp correctly; the result exponent wraps like the spec's `i32`.
//! Outputs are registered (one cycle).

use mmfree_spec::format::{GATE_FRAC, MANT_BITS, ZERO_EXP};
use mmfree_spec::ops::ADD_WINDOW;
use mmfree_spec::table::SIGMOID_IN_FRAC;
use rust_hdl::prelude::*;

use crate::vpu::config::{EXP_BITS, SHIFT_BITS};
use crate::vpu::lanes::word;
use crate::vpu::model::Pipe;
use crate::vpu::reduction::OR_BITS_BITS;
use crate::vpu::verilog::{Body, lit};

/// Bits of the mode input.
pub const EXP_MODE_BITS: usize = 3;
/// Largest alignment or sigmoid right shift.
pub const MAX_RIGHT_SHIFT: i64 = 33;

/// How the unit derives the result exponent and shifts (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ExpMode {
    /// ADD.
    Add = 0,
    /// MLGRU.
    Mlgru = 1,
    /// MUL.
    Mul = 2,
    /// GMUL and SILU.
    Gmul = 3,
    /// DEQUANT.
    Deq = 4,
    /// NORM.
    Norm = 5,
    /// SIGMOID, LBMIX, ONEMINUS: exponent 0.
    Gates = 6,
    /// QUANT, ARGMAX: nothing is normalized.
    None = 7,
}

impl ExpMode {
    /// Every mode, by code.
    pub const ALL: [ExpMode; 8] = [
        ExpMode::Add,
        ExpMode::Mlgru,
        ExpMode::Mul,
        ExpMode::Gmul,
        ExpMode::Deq,
        ExpMode::Norm,
        ExpMode::Gates,
        ExpMode::None,
    ];
}

/// The unit's inputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExpInputs {
    /// Exponents of `va`, `vb`, `vd`.
    pub ea: i32,
    /// See `ea`.
    pub eb: i32,
    /// See `ea`.
    pub ed: i32,
    /// `rho.e` and `sigma.e`.
    pub rho_e: i32,
    /// See `rho_e`.
    pub sigma_e: i32,
    /// `bit_len` of the OR of the wide magnitudes.
    pub or_bits: u32,
}

/// The unit's outputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExpOutputs {
    /// Alignment shift of the first operand.
    pub shift_a: i32,
    /// Alignment shift of `vb`.
    pub shift_b: i32,
    /// Sigmoid input shift.
    pub sig_shift: i32,
    /// Normalizer shift `k`.
    pub norm_shift: i32,
    /// Exponent of the result register.
    pub out_exp: i32,
}

/// The unit's function (the behavioural model; formulas of the module docs).
pub fn exp_unit(mode: ExpMode, i: &ExpInputs) -> ExpOutputs {
    let (ea, eb, ed) = (i.ea as i64, i.eb as i64, i.ed as i64);
    let right = |s: i64| s.min(MAX_RIGHT_SHIFT) as i32;
    let window = MANT_BITS as i64 + 1 - ADD_WINDOW as i64;
    let (shift_a, shift_b, base) = match mode {
        ExpMode::Add => {
            let top = ea.max(eb);
            (
                right(top - ea + window),
                right(top - eb + window),
                top + window,
            )
        }
        ExpMode::Mlgru => {
            let e = ed.max(eb) + 1;
            (right(e - ed), right(e - eb), e)
        }
        ExpMode::Mul => (0, 0, ea + eb),
        ExpMode::Gmul => (0, 0, ea - GATE_FRAC as i64),
        ExpMode::Deq => (0, 0, i.sigma_e as i64),
        ExpMode::Norm => (0, 0, ea + eb + i.rho_e as i64 + 31),
        ExpMode::Gates | ExpMode::None => (0, 0, 0),
    };
    let normalizing = (mode as u8) < ExpMode::Gates as u8;
    let zero = i.or_bits == 0;
    let k = if zero {
        0
    } else {
        i.or_bits as i64 - MANT_BITS as i64
    };
    let out_exp = match (normalizing, zero) {
        (false, _) => 0,
        (true, true) => ZERO_EXP,
        (true, false) => (base + k) as i32,
    };
    ExpOutputs {
        shift_a,
        shift_b,
        sig_shift: (-(ea + SIGMOID_IN_FRAC as i64)).clamp(-31, MAX_RIGHT_SHIFT) as i32,
        norm_shift: if normalizing { k as i32 } else { 0 },
        out_exp,
    }
}

/// The exponent unit (see the module docs).
#[derive(LogicBlock)]
pub struct ExpUnit {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// [`ExpMode`] of the operation.
    pub mode: Signal<In, Bits<EXP_MODE_BITS>>,
    /// Exponent of `va`.
    pub ea: Signal<In, Bits<EXP_BITS>>,
    /// Exponent of `vb`.
    pub eb: Signal<In, Bits<EXP_BITS>>,
    /// Exponent of `vd`.
    pub ed: Signal<In, Bits<EXP_BITS>>,
    /// `rho.e`.
    pub rho_e: Signal<In, Bits<EXP_BITS>>,
    /// `sigma.e`.
    pub sigma_e: Signal<In, Bits<EXP_BITS>>,
    /// The reduction's bit length.
    pub or_bits: Signal<In, Bits<OR_BITS_BITS>>,
    /// Alignment shift of the first operand.
    pub shift_a: Signal<Out, Bits<SHIFT_BITS>>,
    /// Alignment shift of `vb`.
    pub shift_b: Signal<Out, Bits<SHIFT_BITS>>,
    /// Sigmoid input shift.
    pub sig_shift: Signal<Out, Bits<SHIFT_BITS>>,
    /// Normalizer shift `k`.
    pub norm_shift: Signal<Out, Bits<SHIFT_BITS>>,
    /// Result exponent.
    pub out_exp: Signal<Out, Bits<EXP_BITS>>,
    _pipe: Pipe<ExpOutputs>,
}

impl Default for ExpUnit {
    fn default() -> Self {
        ExpUnit {
            clock: Default::default(),
            mode: Default::default(),
            ea: Default::default(),
            eb: Default::default(),
            ed: Default::default(),
            rho_e: Default::default(),
            sigma_e: Default::default(),
            or_bits: Default::default(),
            shift_a: Default::default(),
            shift_b: Default::default(),
            sig_shift: Default::default(),
            norm_shift: Default::default(),
            out_exp: Default::default(),
            _pipe: Pipe::new(1),
        }
    }
}

impl Logic for ExpUnit {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let s = |b: Bits<32>| b.to_u64() as u32 as i32;
            let inputs = ExpInputs {
                ea: s(self.ea.val()),
                eb: s(self.eb.val()),
                ed: s(self.ed.val()),
                rho_e: s(self.rho_e.val()),
                sigma_e: s(self.sigma_e.val()),
                or_bits: self.or_bits.val().to_u64() as u32,
            };
            let mode = ExpMode::ALL[self.mode.val().to_u64() as usize];
            self._pipe.tick(exp_unit(mode, &inputs));
        }
        let o = *self._pipe.out();
        self.shift_a.next = word::<SHIFT_BITS>(o.shift_a as i128);
        self.shift_b.next = word::<SHIFT_BITS>(o.shift_b as i128);
        self.sig_shift.next = word::<SHIFT_BITS>(o.sig_shift as i128);
        self.norm_shift.next = word::<SHIFT_BITS>(o.norm_shift as i128);
        self.out_exp.next = word::<EXP_BITS>(o.out_exp as i128);
    }

    fn connect(&mut self) {
        self.shift_a.connect();
        self.shift_b.connect();
        self.sig_shift.connect();
        self.norm_shift.connect();
        self.out_exp.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog())
    }
}

/// The Verilog body (see the module docs).
fn verilog() -> String {
    let window = MANT_BITS as i64 + 1 - ADD_WINDOW as i64;
    let mut b = Body::default();
    let decoded = [
        ExpMode::Add,
        ExpMode::Mlgru,
        ExpMode::Mul,
        ExpMode::Gmul,
        ExpMode::Deq,
        ExpMode::Gates,
    ];
    for (name, m) in decoded
        .iter()
        .map(|&m| (format!("is_{m:?}").to_lowercase(), m))
    {
        b.wire(
            &name,
            1,
            false,
            &format!("mode == {}", lit(EXP_MODE_BITS, m as u128)),
        );
    }
    let s34 = |n: &str| format!("$signed({{{{2{{{n}[31]}}}}, {n}}})");
    for n in ["ea", "eb", "ed"] {
        b.wire(&format!("{n}34"), 34, true, &s34(n));
    }
    b.wire("top_add", 34, true, "ea34 > eb34 ? ea34 : eb34");
    b.wire(
        "top_mlgru",
        34,
        true,
        "(ed34 > eb34 ? ed34 : eb34) + 34'sd1",
    );
    let w = if window < 0 {
        format!("- 34'sd{}", -window)
    } else {
        format!("+ 34'sd{window}")
    };
    b.wire(
        "raw_a",
        34,
        true,
        &format!("is_add ? top_add - ea34 {w} : top_mlgru - ed34"),
    );
    b.wire(
        "raw_b",
        34,
        true,
        &format!("is_add ? top_add - eb34 {w} : top_mlgru - eb34"),
    );
    b.wire("align", 1, false, "is_add | is_mlgru");
    let clamp_right =
        |v: &str| format!("{v} > 34'sd{MAX_RIGHT_SHIFT} ? 7'd{MAX_RIGHT_SHIFT} : {v}[6:0]");
    b.reg(
        "shift_a_r",
        SHIFT_BITS,
        false,
        &format!("align ? ({}) : 7'd0", clamp_right("raw_a")),
    );
    b.reg(
        "shift_b_r",
        SHIFT_BITS,
        false,
        &format!("align ? ({}) : 7'd0", clamp_right("raw_b")),
    );
    b.wire(
        "sig_raw",
        34,
        true,
        &format!("34'sd0 - ea34 - 34'sd{SIGMOID_IN_FRAC}"),
    );
    b.reg(
        "sig_r",
        SHIFT_BITS,
        false,
        &format!("sig_raw > 34'sd{MAX_RIGHT_SHIFT} ? 7'd{MAX_RIGHT_SHIFT} : sig_raw < -34'sd31 ? 7'h61 : sig_raw[6:0]"),
    );
    b.wire(
        "base",
        32,
        false,
        &format!(
            "is_add ? top_add[31:0] {w32} : is_mlgru ? top_mlgru[31:0] : is_mul ? ea + eb : is_gmul ? ea - 32'd{GATE_FRAC} : \
             is_deq ? sigma_e : ea + eb + rho_e + 32'd31",
            w32 = if window < 0 { format!("- 32'd{}", -window) } else { format!("+ 32'd{window}") }
        ),
    );
    b.wire("normalizing", 1, false, "!(is_gates | mode == 3'd7)");
    b.wire("zero", 1, false, "or_bits == 7'd0");
    b.wire(
        "k",
        7,
        false,
        &format!("zero ? 7'd0 : or_bits - 7'd{MANT_BITS}"),
    );
    b.reg("k_r", SHIFT_BITS, false, "normalizing ? k : 7'd0");
    b.reg(
        "exp_r",
        EXP_BITS,
        false,
        &format!(
            "!normalizing ? 32'd0 : zero ? 32'h{:08x} : base + {{{{25{{k[6]}}}}, k}}",
            ZERO_EXP as u32
        ),
    );
    b.unused(&[
        "top_add[33:32]".into(),
        "top_mlgru[33:32]".into(),
        "raw_a[33:7]".into(),
        "raw_b[33:7]".into(),
        "sig_raw[33:7]".into(),
    ]);
    b.output("shift_a", "shift_a_r");
    b.output("shift_b", "shift_b_r");
    b.output("sig_shift", "sig_r");
    b.output("norm_shift", "k_r");
    b.output("out_exp", "exp_r");
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmfree_spec::format::Bfp;
    use mmfree_spec::ops;

    #[test]
    fn modes_follow_the_spec_ops() {
        let i = ExpInputs {
            ea: -40,
            eb: -100,
            ed: 3,
            rho_e: -61,
            sigma_e: -70,
            or_bits: 40,
        };
        let add = exp_unit(ExpMode::Add, &i);
        // add(): base = max + 31 - 62 = -71; a shifts left 31, b right 29 (clamped at 33 if more).
        assert_eq!((add.shift_a, add.shift_b, add.out_exp), (-31, 29, -71 + 10));
        let h = Bfp {
            mant: vec![],
            exp: 3,
        };
        let c = Bfp {
            mant: vec![],
            exp: -100,
        };
        let e = ops::mlgru_exponent(&h, &c);
        let m = exp_unit(ExpMode::Mlgru, &i);
        assert_eq!((m.shift_a, m.shift_b, m.out_exp), (1, 33, e + 10));
        assert_eq!(
            exp_unit(ExpMode::Norm, &i).out_exp,
            -40 - 100 - 61 + 31 + 10
        );
        assert_eq!(
            exp_unit(ExpMode::Mul, &ExpInputs { or_bits: 0, ..i }).out_exp,
            ZERO_EXP
        );
        assert_eq!(
            exp_unit(ExpMode::Gates, &i),
            ExpOutputs {
                sig_shift: 16,
                ..Default::default()
            }
        );
        assert_eq!(
            exp_unit(ExpMode::Gmul, &ExpInputs { ea: ZERO_EXP, ..i }).sig_shift,
            33
        );
        assert_eq!(
            exp_unit(ExpMode::Gmul, &ExpInputs { ea: 100, ..i }).sig_shift,
            -31
        );
    }

    #[test]
    fn exp_unit_is_synthesizable() {
        crate::vpu::check::lint_and_synth(ExpUnit::default(), "vpu_exponent");
    }
}
