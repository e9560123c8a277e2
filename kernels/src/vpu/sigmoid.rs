//! The sigmoid evaluator (NUMERICS.md section 3; `mmfree_spec::ops::sigmoid_element` and
//! `mmfree_spec::table::sigmoid_q24`): per lane, the element `m * 2^e` is rounded to Q7.24 by one
//! per-vector shift `s = -(e + 24)` (clamped to `-31..=33` by the exponent unit: a left shift of 31
//! saturates every non-zero mantissa, a right shift of 33 rounds every one to zero), saturated to
//! `±(32 - 2^-24)`, split into a segment (9 bits) and a position `u` (20 bits), and the segment's
//! cubic is evaluated by Horner's rule, `acc = rne(acc u, 20) + c_k`, from the four coefficient
//! ROMs of `mmfree_hdl::sigmoid_coefficient_rom` (the spec's table, one ROM set per lane). Negative
//! inputs use `1 - sigmoid(|z|)`.
//!
//! Stages: input register; shift, saturation and sign; ROM read; three Horner steps of a 43 x 21
//! multiplier (two registers) and an add; the final rounding by the 6 guard bits, clamp to
//! `[0, 2^30]` and mirror. Accumulators stay below `2^42` (`|rne(a u, 20)| <= |a|` since
//! `u < 2^20`, and every coefficient is below `2^39`). The input `x` travels alongside, so SiLU can
//! multiply it by its gate.

use mmfree_hdl::table_rom::{
    SIGMOID_ROM_ADDR_BITS, SIGMOID_ROM_DATA_BITS, TableRom, sigmoid_coefficient_rom,
};
use mmfree_spec::round::{Round, shift_round};
use mmfree_spec::table::{SIGMOID_GUARD, SIGMOID_IN_FRAC, SIGMOID_SEG_BITS, sigmoid_q24};
use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::config::{SHIFT_BITS, WIDE_BITS, WORD_BITS};
use crate::vpu::lanes::{lane_s, pack, sign_extend};
use crate::vpu::model::{Pipe, check_lanes, check_width};
use crate::vpu::verilog::{Body, concat, lane, lit, sext, zext};

/// Cycles from `in_valid` to `out_valid`.
pub const SIGMOID_LATENCY: usize = 13;
/// Bits of a Horner accumulator.
const ACC_BITS: usize = 43;
/// Bits of a Horner product (`43 x 21`).
const PROD_BITS: usize = 64;

/// One lane: the gate of `x` rounded by the per-vector shift `s` (as `sigmoid_element` with
/// `s = -(e + 24)`).
pub fn sigmoid_lane(x: i32, s: i32) -> u32 {
    let z = shift_round(x as i128, s, Round::Rne);
    sigmoid_q24(z.clamp(-(1 << 40), 1 << 40) as i64)
}

/// `L` lanes of the piecewise-cubic sigmoid, [`SIGMOID_LATENCY`] cycles deep.
#[derive(LogicBlock)]
pub struct SigmoidUnit<const L: usize, const DW: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// High when `in_x` holds a row.
    pub in_valid: Signal<In, Bit>,
    /// Mantissas.
    pub in_x: Signal<In, Bits<DW>>,
    /// The vector's `s = -(e + 24)`, clamped to `-31..=33`, two's complement (held for a pass).
    pub shift: Signal<In, Bits<SHIFT_BITS>>,
    /// `in_valid` delayed by [`SIGMOID_LATENCY`].
    pub out_valid: Signal<Out, Bit>,
    /// The gates (Q0.30).
    pub out_gate: Signal<Out, Bits<DW>>,
    /// `in_x` delayed alongside (SiLU's other factor).
    pub out_x: Signal<Out, Bits<DW>>,
    /// Coefficient ROMs, `4 i + k` holding coefficient `k` for lane `i`.
    roms: Vec<TableRom<SIGMOID_ROM_DATA_BITS, SIGMOID_ROM_ADDR_BITS>>,
    _pipe: Pipe<(bool, Vec<(u32, i32)>)>,
}

impl<const L: usize, const DW: usize> SigmoidUnit<L, DW> {
    /// A sigmoid unit; the width must be `32 L`.
    pub fn new() -> Result<Self> {
        check_lanes("SigmoidUnit", L)?;
        check_width("SigmoidUnit", "DW", DW, WORD_BITS * L)?;
        let roms = (0..4 * L)
            .map(|j| sigmoid_coefficient_rom(j % 4))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(SigmoidUnit {
            clock: Default::default(),
            in_valid: Default::default(),
            in_x: Default::default(),
            shift: Default::default(),
            out_valid: Default::default(),
            out_gate: Default::default(),
            out_x: Default::default(),
            roms,
            _pipe: Pipe::new(SIGMOID_LATENCY),
        })
    }
}

impl<const L: usize, const DW: usize> Logic for SigmoidUnit<L, DW> {
    fn update(&mut self) {
        // The ROMs are part of the Verilog; the model computes the cubic from the spec's table.
        for rom in &mut self.roms {
            rom.clock.next = self.clock.val();
            rom.address.next = 0.into();
        }
        if self.clock.pos_edge() {
            let s = sign_extend(self.shift.val().to_u64() as u128, SHIFT_BITS) as i32;
            let x = self.in_x.val();
            let row = (0..L)
                .map(|i| {
                    let xi = lane_s(&x, i, 32) as i32;
                    (sigmoid_lane(xi, s), xi)
                })
                .collect();
            self._pipe.tick((self.in_valid.val(), row));
        }
        let (valid, row) = self._pipe.out().clone();
        let row = if row.is_empty() { vec![(0, 0); L] } else { row };
        self.out_valid.next = valid;
        self.out_gate.next = pack(row.iter().map(|r| r.0 as i128), WORD_BITS);
        self.out_x.next = pack(row.iter().map(|r| r.1 as i128), WORD_BITS);
    }

    fn connect(&mut self) {
        self.out_valid.connect();
        self.out_gate.connect();
        self.out_x.connect();
        for rom in &mut self.roms {
            rom.clock.connect();
            rom.address.connect();
        }
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(L))
    }
}

/// One Horner step on lane prefix `p`: from accumulator `acc` (a net of [`ACC_BITS`]) and the
/// coefficient net `coef`, registers `rne(acc u, 20) + coef` as `<p>acc<k>` three cycles later.
fn horner_step(b: &mut Body, p: &str, k: usize, acc: &str, u: &str, coef: &str) -> String {
    b.wire(
        &format!("{p}m{k}"),
        PROD_BITS,
        true,
        &format!("{acc} * {u}"),
    );
    b.reg(&format!("{p}pa{k}"), PROD_BITS, true, &format!("{p}m{k}"));
    b.reg(&format!("{p}p{k}"), PROD_BITS, true, &format!("{p}pa{k}"));
    let pp = format!("{p}p{k}");
    b.wire(
        &format!("{p}q{k}"),
        PROD_BITS,
        true,
        &format!("{pp} >>> {SIGMOID_SEG_BITS}"),
    );
    b.wire(
        &format!("{p}up{k}"),
        1,
        false,
        &format!("{pp}[19] & ((|{pp}[18:0]) | {p}q{k}[0])"),
    );
    let name = format!("{p}acc{k}");
    b.reg(
        &name,
        ACC_BITS,
        true,
        &format!(
            "{p}q{k}[{}:0] + {} + $signed({})",
            ACC_BITS - 1,
            zext(&format!("{p}up{k}"), 1, ACC_BITS),
            sext(coef, SIGMOID_ROM_DATA_BITS, ACC_BITS)
        ),
    );
    name
}

/// The Verilog body (see the module docs for the stages).
fn verilog(lanes: usize) -> String {
    let w = WIDE_BITS;
    let lim = (32u128 << SIGMOID_IN_FRAC) - 1;
    let cb = SIGMOID_ROM_DATA_BITS;
    let mut b = Body::default();
    b.wire("left", 1, false, "shift[6]");
    b.wire("kr", 6, false, "left ? 6'd0 : shift[5:0]");
    b.wire("kl", 6, false, "left ? 6'd0 - shift[5:0] : 6'd0");
    b.wire(
        "below",
        w,
        false,
        &format!("({} << kr) - {}", lit(w, 1), lit(w, 1)),
    );
    b.wire("sticky_mask", w, false, "below >> 1");
    b.wire("round_mask", w, false, "below ^ sticky_mask");
    let (mut gates, mut xs, mut unused) = (vec![], vec![], vec![]);
    for i in 0..lanes {
        let p = format!("l{i}_");
        let rom = |k: usize| format!("roms${}", 4 * i + k);
        b.reg(&format!("{p}x0"), 32, true, &lane("in_x", i, 32));
        b.wire(
            &format!("{p}xw"),
            w,
            true,
            &format!("$signed({})", sext(&format!("{p}x0"), 32, w)),
        );
        // z = shift_round(x, s, Rne), saturated to +-lim.
        b.wire(&format!("{p}q"), w, true, &format!("{p}xw >>> kr"));
        b.wire(
            &format!("{p}up"),
            1,
            false,
            &format!("(|({p}xw & round_mask)) & ((|({p}xw & sticky_mask)) | {p}q[0])"),
        );
        b.wire(
            &format!("{p}z"),
            w,
            true,
            &format!(
                "left ? {p}xw <<< kl : {p}q + {}",
                zext(&format!("{p}up"), 1, w)
            ),
        );
        b.wire(
            &format!("{p}mag"),
            w,
            false,
            &format!("{p}z[{}] ? -{p}z : {p}z", w - 1),
        );
        b.reg(
            &format!("{p}t"),
            29,
            false,
            &format!("{p}mag > {} ? 29'd{lim} : {p}mag[28:0]", lit(w, lim)),
        );
        b.reg(&format!("{p}neg1"), 1, false, &format!("{p}z[{}]", w - 1));
        // ROM read (registered inside the ROMs); u, sign and x wait alongside.
        for k in 0..4 {
            b.raw_comb(&format!("{}$clock = clock;", rom(k)));
            b.raw_comb(&format!(
                "{}$address = {p}t[28:{SIGMOID_SEG_BITS}];",
                rom(k)
            ));
        }
        b.reg(
            &format!("{p}u2"),
            21,
            true,
            &format!("$signed({{1'b0, {p}t[19:0]}})"),
        );
        let neg = b.delay(&format!("{p}neg"), 1, false, &format!("{p}neg1"), 10);
        let x_out = b.delay(
            &format!("{p}xd"),
            32,
            false,
            &format!("{p}x0"),
            SIGMOID_LATENCY - 1,
        );
        // Horner: step n (0, 1, 2) multiplies 3n cycles after the ROM read and adds its
        // coefficient one cycle before its result registers, 3n + 2 cycles after the read.
        b.wire(
            &format!("{p}c3"),
            ACC_BITS,
            true,
            &format!(
                "$signed({})",
                sext(&format!("{}$data", rom(3)), cb, ACC_BITS)
            ),
        );
        let u_at = |b: &mut Body, step: usize| {
            b.delay(
                &format!("{p}u_s{step}"),
                21,
                true,
                &format!("{p}u2"),
                3 * step,
            )
        };
        let c_at = |b: &mut Body, k: usize, step: usize| {
            b.delay(
                &format!("{p}c{k}_s{step}"),
                cb,
                false,
                &format!("{}$data", rom(k)),
                3 * step + 2,
            )
        };
        let u0 = u_at(&mut b, 0);
        let c2 = c_at(&mut b, 2, 0);
        let acc2 = horner_step(&mut b, &p, 2, &format!("{p}c3"), &u0, &c2);
        let u1 = u_at(&mut b, 1);
        let c1 = c_at(&mut b, 1, 1);
        let acc1 = horner_step(&mut b, &p, 1, &acc2, &u1, &c1);
        let u2 = u_at(&mut b, 2);
        let c0 = c_at(&mut b, 0, 2);
        let acc0 = horner_step(&mut b, &p, 0, &acc1, &u2, &c0);
        // pos = clamp(rne(acc0, 6), 0, 2^30); the gate mirrors it for negative inputs.
        b.wire(
            &format!("{p}r"),
            ACC_BITS,
            true,
            &format!("{acc0} >>> {SIGMOID_GUARD}"),
        );
        b.wire(
            &format!("{p}rup"),
            1,
            false,
            &format!("{acc0}[5] & ((|{acc0}[4:0]) | {p}r[0])"),
        );
        b.wire(
            &format!("{p}pos"),
            ACC_BITS,
            true,
            &format!("{p}r + {}", zext(&format!("{p}rup"), 1, ACC_BITS)),
        );
        b.wire(
            &format!("{p}posc"),
            32,
            false,
            &format!(
                "{p}pos[{}] ? 32'd0 : {p}pos > {} ? 32'h40000000 : {p}pos[31:0]",
                ACC_BITS - 1,
                lit(ACC_BITS, 1 << 30)
            ),
        );
        b.reg(
            &format!("{p}gate"),
            32,
            false,
            &format!("{neg} ? 32'h40000000 - {p}posc : {p}posc"),
        );
        gates.push(format!("{p}gate"));
        xs.push(x_out);
        for k in 0..3 {
            unused.push(format!("{p}q{k}[{}:{}]", PROD_BITS - 1, ACC_BITS));
        }
        unused.extend([
            format!("{p}mag[{}:29]", w - 1),
            format!("{p}r[{}:0]", ACC_BITS - 1),
            format!("{p}pos[{}:32]", ACC_BITS - 2),
        ]);
    }
    b.unused(&unused);
    let valid = b.delay("valid", 1, false, "in_valid", SIGMOID_LATENCY);
    b.output("out_valid", &valid);
    b.output("out_gate", &concat(&gates));
    b.output("out_x", &concat(&xs));
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmfree_spec::ops::sigmoid_element;

    #[test]
    fn lane_is_the_spec_element_for_clamped_shifts() {
        for (m, e) in [
            (1 << 29, -24),
            (-(1 << 30), -20),
            (5, 10),
            (7, -60),
            (0, -(1 << 24)),
        ] {
            let s = (-(e + SIGMOID_IN_FRAC as i32)).clamp(-31, 33);
            assert_eq!(sigmoid_lane(m, s), sigmoid_element(m, e), "m={m} e={e}");
        }
    }

    #[test]
    fn sigmoid_unit_is_synthesizable() {
        crate::vpu::check::lint_and_synth(SigmoidUnit::<1, 32>::new().unwrap(), "vpu_sigmoid1");
        crate::vpu::check::lint_and_synth(SigmoidUnit::<2, 64>::new().unwrap(), "vpu_sigmoid2");
    }
}
