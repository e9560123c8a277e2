//! The scalar unit: the per-vector `Scale` arithmetic of `mmfree_spec::scale` and `ops::rms` /
//! `ops::quantize` (NUMERICS.md section 4), run once per vector between passes.
//!
//! Two programs: `RHO` computes `rho = rsqrt(Scale::new(ss, 2 ea) * inv_len(len) + eps)` for NORM;
//! `QUANT` continues with `kq = bit_len(umax) - 30`, `c = 127 * recip(shift_round(umax, kq))`
//! and `sigma = ((alpha * rho) * Scale::new(umax, ea + eb)) * inv_code_max` (zero when
//! `umax = 0`). Both are one plan ([`program`]): a list of micro-operations that expands into the
//! states of a sequential machine, so the Verilog and the behavioural model's cycle count
//! ([`scalar_cycles`]) come from the same list.
//!
//! Datapath, shared by every state: a 128-bit normalizer (`Scale::new`: bit length, shift with
//! round-half-even, carry out of the top), a radix-2 shift-and-add multiplier (32 cycles for a
//! product of up to 96 x 32 bits: every product of the programs has one factor of at most 32
//! bits, so no DSP is used; the widest is rsqrt's Newton product, 31 x 92 bits), and the two seed
//! ROMs of `mmfree_hdl` (`recip_seed_rom`, `rsqrt_seed_rom`) read twice per seed for the
//! interpolation. Results are latched into the output registers in the program's last state, when
//! `done` pulses.

use mmfree_hdl::table_rom::{
    RECIP_ROM_ADDR_BITS, RSQRT_ROM_ADDR_BITS, SEED_ROM_DATA_BITS, TableRom, recip_seed_rom,
    rsqrt_seed_rom,
};
use mmfree_spec::Scale;
use mmfree_spec::format::{CODE_MAX, MANT_BITS};
use mmfree_spec::ops::{eps, inv_code_max, inv_len};
use mmfree_spec::round::{Round, bit_len, shift_round};
use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::config::{EXP_BITS, SHIFT_BITS, SQUARE_BITS, SUM_SQ_BITS};
use crate::vpu::lanes::{field, word};

mod plan;

pub use plan::{Micro, Operand, ScalarProgram, program, scalar_cycles};

/// What a program starts from (latched on `start`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScalarInputs {
    /// Exact sum of squares of the normalized vector.
    pub sum_sq: u128,
    /// Exponent of that vector (`va`).
    pub ea: i32,
    /// Exponent of the norm weights (`vb`, QUANT only).
    pub eb: i32,
    /// Vector length.
    pub len: u32,
    /// Largest `|y g|` (QUANT only).
    pub umax: u64,
    /// QUANT's `alpha`: mantissa and exponent words of the instruction.
    pub alpha: (u32, i32),
}

/// What a program leaves in the output registers (each `Scale` as its raw mantissa and exponent
/// words: `sigma` may also be restored from outside).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScalarResults {
    /// `rho` (both programs).
    pub rho: (u32, i32),
    /// QUANT: `c = 127 / max30`.
    pub c: (u32, i32),
    /// QUANT: `kq`.
    pub kq: i32,
    /// QUANT: every code is zero.
    pub code_zero: bool,
    /// QUANT: `sigma`.
    pub sigma: (u32, i32),
}

/// A `Scale` as its raw words.
pub fn raw(s: Scale) -> (u32, i32) {
    (s.mantissa(), s.exponent())
}

/// The results the spec defines for `prog` on `inp` (the behavioural model).
pub fn scalar_results(
    prog: ScalarProgram,
    inp: &ScalarInputs,
    previous: &ScalarResults,
) -> ScalarResults {
    let mean = Scale::new(inp.sum_sq, 2 * inp.ea) * inv_len(inp.len as usize);
    let rho = (mean + eps()).rsqrt();
    if prog == ScalarProgram::Rho {
        return ScalarResults {
            rho: raw(rho),
            ..*previous
        };
    }
    let m = inp.umax as u128;
    let kq = bit_len(m) as i32 - MANT_BITS as i32;
    let max30 = shift_round(m as i128, kq, Round::Rne) as u64;
    let c = Scale::from_u64(CODE_MAX as u64) * Scale::from_u64(max30).recip();
    // `alpha * rho` on the raw instruction words (equal to Scale's `*` for a normalized alpha).
    let alpha_rho = Scale::new(
        inp.alpha.0 as u128 * rho.mantissa() as u128,
        inp.alpha.1 + rho.exponent(),
    );
    let sigma = if m == 0 {
        Scale::ZERO
    } else {
        alpha_rho * Scale::new(m, inp.ea + inp.eb) * inv_code_max()
    };
    ScalarResults {
        rho: raw(rho),
        c: raw(c),
        kq,
        code_zero: m == 0,
        sigma: raw(sigma),
    }
}

/// `-c.e` as the unit reports it: clamped to `0..=127`.
pub fn c_shift(c_e: i32) -> u32 {
    (-(c_e as i64)).clamp(0, 127) as u32
}

/// The per-vector `Scale` programs: one at a time, `done` after [`scalar_cycles`] cycles.
#[derive(LogicBlock)]
pub struct ScalarUnit {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Starts `prog` on the inputs (ignored while busy).
    pub start: Signal<In, Bit>,
    /// 0: RHO, 1: QUANT.
    pub prog: Signal<In, Bit>,
    /// Exact sum of squares.
    pub sum_sq: Signal<In, Bits<SUM_SQ_BITS>>,
    /// Exponent of the vector.
    pub ea: Signal<In, Bits<EXP_BITS>>,
    /// Exponent of the norm weights.
    pub eb: Signal<In, Bits<EXP_BITS>>,
    /// Vector length.
    pub len: Signal<In, Bits<32>>,
    /// Largest `|y g|`.
    pub umax: Signal<In, Bits<SQUARE_BITS>>,
    /// `alpha`'s mantissa.
    pub alpha_m: Signal<In, Bits<32>>,
    /// `alpha`'s exponent.
    pub alpha_e: Signal<In, Bits<EXP_BITS>>,
    /// Restores `sigma` from `sigma_m_in`/`sigma_e_in` (when idle).
    pub sigma_write: Signal<In, Bit>,
    /// `sigma` mantissa to restore.
    pub sigma_m_in: Signal<In, Bits<32>>,
    /// `sigma` exponent to restore.
    pub sigma_e_in: Signal<In, Bits<EXP_BITS>>,
    /// A program is running.
    pub busy: Signal<Out, Bit>,
    /// One-cycle pulse: the program finished and the outputs hold its results.
    pub done: Signal<Out, Bit>,
    /// `rho` mantissa.
    pub rho_m: Signal<Out, Bits<32>>,
    /// `rho` exponent.
    pub rho_e: Signal<Out, Bits<EXP_BITS>>,
    /// `c` mantissa (QUANT).
    pub c_m: Signal<Out, Bits<32>>,
    /// `-c.e` clamped to `0..=127` (QUANT).
    pub c_shift: Signal<Out, Bits<SHIFT_BITS>>,
    /// `kq` (QUANT), two's complement.
    pub q_shift: Signal<Out, Bits<SHIFT_BITS>>,
    /// Every product was zero (QUANT).
    pub code_zero: Signal<Out, Bit>,
    /// `sigma` mantissa.
    pub sigma_m: Signal<Out, Bits<32>>,
    /// `sigma` exponent.
    pub sigma_e: Signal<Out, Bits<EXP_BITS>>,
    recip_rom: TableRom<SEED_ROM_DATA_BITS, RECIP_ROM_ADDR_BITS>,
    rsqrt_rom: TableRom<SEED_ROM_DATA_BITS, RSQRT_ROM_ADDR_BITS>,
    _run: Option<(usize, ScalarProgram, ScalarInputs)>,
    _out: ScalarResults,
    _done: bool,
}

impl ScalarUnit {
    /// A scalar unit with its seed ROMs.
    pub fn new() -> Result<Self> {
        Ok(ScalarUnit {
            clock: Default::default(),
            start: Default::default(),
            prog: Default::default(),
            sum_sq: Default::default(),
            ea: Default::default(),
            eb: Default::default(),
            len: Default::default(),
            umax: Default::default(),
            alpha_m: Default::default(),
            alpha_e: Default::default(),
            sigma_write: Default::default(),
            sigma_m_in: Default::default(),
            sigma_e_in: Default::default(),
            busy: Default::default(),
            done: Default::default(),
            rho_m: Default::default(),
            rho_e: Default::default(),
            c_m: Default::default(),
            c_shift: Default::default(),
            q_shift: Default::default(),
            code_zero: Default::default(),
            sigma_m: Default::default(),
            sigma_e: Default::default(),
            recip_rom: recip_seed_rom()?,
            rsqrt_rom: rsqrt_seed_rom()?,
            _run: None,
            _out: ScalarResults::default(),
            _done: false,
        })
    }

    fn inputs(&self) -> ScalarInputs {
        let s32 = |b: Bits<32>| b.to_u64() as u32 as i32;
        ScalarInputs {
            sum_sq: field(&self.sum_sq.val(), 0, SUM_SQ_BITS),
            ea: s32(self.ea.val()),
            eb: s32(self.eb.val()),
            len: self.len.val().to_u64() as u32,
            umax: field(&self.umax.val(), 0, SQUARE_BITS) as u64,
            alpha: (self.alpha_m.val().to_u64() as u32, s32(self.alpha_e.val())),
        }
    }

    /// One rising edge of the model.
    fn clock_edge(&mut self) {
        self._done = false;
        match self._run.take() {
            Some((1, prog, inp)) => {
                self._out = scalar_results(prog, &inp, &self._out);
                self._done = true;
            }
            Some((n, prog, inp)) => self._run = Some((n - 1, prog, inp)),
            None if self.start.val() => {
                let prog = if self.prog.val() {
                    ScalarProgram::Quant
                } else {
                    ScalarProgram::Rho
                };
                self._run = Some((scalar_cycles(prog), prog, self.inputs()));
            }
            None if self.sigma_write.val() => {
                self._out.sigma = (
                    self.sigma_m_in.val().to_u64() as u32,
                    self.sigma_e_in.val().to_u64() as u32 as i32,
                );
            }
            None => {}
        }
    }
}

impl Logic for ScalarUnit {
    fn update(&mut self) {
        self.recip_rom.clock.next = self.clock.val();
        self.rsqrt_rom.clock.next = self.clock.val();
        self.recip_rom.address.next = 0.into();
        self.rsqrt_rom.address.next = 0.into();
        if self.clock.pos_edge() {
            self.clock_edge();
        }
        let o = self._out;
        self.busy.next = self._run.is_some();
        self.done.next = self._done;
        self.rho_m.next = (o.rho.0 as u64).into();
        self.rho_e.next = word::<32>(o.rho.1 as i128);
        self.c_m.next = (o.c.0 as u64).into();
        self.c_shift.next = (c_shift(o.c.1) as u64).into();
        self.q_shift.next = word::<SHIFT_BITS>(o.kq as i128);
        self.code_zero.next = o.code_zero;
        self.sigma_m.next = (o.sigma.0 as u64).into();
        self.sigma_e.next = word::<32>(o.sigma.1 as i128);
    }

    fn connect(&mut self) {
        for s in [&mut self.busy, &mut self.done, &mut self.code_zero] {
            s.connect();
        }
        for s in [
            &mut self.rho_m,
            &mut self.rho_e,
            &mut self.c_m,
            &mut self.sigma_m,
            &mut self.sigma_e,
        ] {
            s.connect();
        }
        self.c_shift.connect();
        self.q_shift.connect();
        self.recip_rom.clock.connect();
        self.recip_rom.address.connect();
        self.rsqrt_rom.clock.connect();
        self.rsqrt_rom.address.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(plan::verilog())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_follow_the_spec_programs() {
        let inp = ScalarInputs {
            sum_sq: 4 << 60,
            ea: -30,
            eb: -30,
            len: 4,
            umax: 1 << 60,
            alpha: (1 << 30, -30),
        };
        let r = scalar_results(ScalarProgram::Quant, &inp, &ScalarResults::default());
        // Four elements of 1.0: mean 1, rho ~ 1 / sqrt(1 + 1e-6).
        let rho = Scale::from_parts(r.rho.0, r.rho.1).unwrap();
        assert!((rho.to_f64() - 1.0 / (1.0f64 + 1e-6).sqrt()).abs() < 1e-9);
        assert_eq!(r.kq, 31);
        assert!(!r.code_zero);
        let zero = scalar_results(ScalarProgram::Quant, &ScalarInputs { umax: 0, ..inp }, &r);
        assert!(zero.code_zero && zero.sigma == (0, 0));
        let rho_only = scalar_results(ScalarProgram::Rho, &inp, &r);
        assert_eq!(rho_only.sigma, r.sigma, "RHO leaves sigma alone");
    }

    #[test]
    fn scalar_unit_is_synthesizable() {
        crate::vpu::check::lint_and_synth(ScalarUnit::new().unwrap(), "vpu_scalar");
    }
}
