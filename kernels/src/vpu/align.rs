//! The alignment family of element pipelines (NUMERICS.md section 5): `ops::add`, whose operands
//! are placed in the 62-bit window below the larger exponent's top bit, and `ops::mlgru`, whose
//! `h` and `c` are aligned one binary order above the larger and combined by the frozen neuron
//! `mlgru_aligned(h, f, c) = rne(h f, 30) + c`.
//!
//! Per lane: `A = align(mode ? z : x, shift_a)`, `B = align(y, shift_b)` with
//! `align(m, s) = shift_round(m, s, Rne)` (right shift with round-half-even for `s > 0`, exact left
//! shift otherwise); then `ADD: A + B`, `MLGRU: rne(A * f, 30) + B` with `f = x` (a gate). The
//! vector unit computes the shifts once per vector (exponent unit) and clamps right shifts at 33,
//! where every 32-bit mantissa has already rounded to zero. One 33 x 33 multiplier per lane
//! (MLGRU's `h f`; `|A| <= 2^30` there), registered like the product family's.

use mmfree_spec::ops::mlgru_aligned;
use mmfree_spec::round::{Round, shift_round};
use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::config::{SHIFT_BITS, WIDE_BITS, WORD_BITS};
use crate::vpu::lanes::{lane_s, lane_u, pack, sign_extend};
use crate::vpu::model::{Pipe, check_lanes, check_width};
use crate::vpu::verilog::{Body, concat, lane, lit, sext, zext};

/// Cycles from `in_valid` to `out_valid`.
pub const ALIGN_LATENCY: usize = 5;

/// One lane: `(x, y, z)` operands and the two shifts, `mlgru` selecting the neuron.
pub fn align_lane(mlgru: bool, shift_a: i32, shift_b: i32, x: i32, y: i32, z: i32) -> i128 {
    let a = shift_round(if mlgru { z } else { x } as i128, shift_a, Round::Rne);
    let b = shift_round(y as i128, shift_b, Round::Rne);
    if mlgru {
        mlgru_aligned(a as i64, x as u32, b as i64) as i128
    } else {
        a + b
    }
}

/// `L` lanes of aligned sums (ADD) or MLGRU updates, [`ALIGN_LATENCY`] cycles deep.
#[derive(LogicBlock)]
pub struct AlignUnit<const L: usize, const DW: usize, const WW: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// High when the operands hold a row.
    pub in_valid: Signal<In, Bit>,
    /// 0: ADD, 1: MLGRU (held for a pass).
    pub mode: Signal<In, Bit>,
    /// ADD: the first addend; MLGRU: the forget gate `f`.
    pub in_x: Signal<In, Bits<DW>>,
    /// ADD: the second addend; MLGRU: `c`.
    pub in_y: Signal<In, Bits<DW>>,
    /// MLGRU: the state `h` (unused by ADD).
    pub in_z: Signal<In, Bits<DW>>,
    /// Alignment shift of the first operand (`x` or `z`), two's complement in `-31..=63`.
    pub shift_a: Signal<In, Bits<SHIFT_BITS>>,
    /// Alignment shift of `y`.
    pub shift_b: Signal<In, Bits<SHIFT_BITS>>,
    /// `in_valid` delayed by [`ALIGN_LATENCY`].
    pub out_valid: Signal<Out, Bit>,
    /// The exact sums, to be normalized.
    pub out_wide: Signal<Out, Bits<WW>>,
    _pipe: Pipe<(bool, Vec<i128>)>,
}

impl<const L: usize, const DW: usize, const WW: usize> AlignUnit<L, DW, WW> {
    /// An alignment unit; the widths must be `32 L` and `65 L`.
    pub fn new() -> Result<Self> {
        check_lanes("AlignUnit", L)?;
        check_width("AlignUnit", "DW", DW, WORD_BITS * L)?;
        check_width("AlignUnit", "WW", WW, WIDE_BITS * L)?;
        Ok(AlignUnit {
            clock: Default::default(),
            in_valid: Default::default(),
            mode: Default::default(),
            in_x: Default::default(),
            in_y: Default::default(),
            in_z: Default::default(),
            shift_a: Default::default(),
            shift_b: Default::default(),
            out_valid: Default::default(),
            out_wide: Default::default(),
            _pipe: Pipe::new(ALIGN_LATENCY),
        })
    }
}

impl<const L: usize, const DW: usize, const WW: usize> Logic for AlignUnit<L, DW, WW> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let sa = sign_extend(self.shift_a.val().to_u64() as u128, SHIFT_BITS) as i32;
            let sb = sign_extend(self.shift_b.val().to_u64() as u128, SHIFT_BITS) as i32;
            let (x, y, z) = (self.in_x.val(), self.in_y.val(), self.in_z.val());
            let row = (0..L)
                .map(|i| {
                    let xi = lane_u(&x, i, 32) as u32 as i32;
                    align_lane(
                        self.mode.val(),
                        sa,
                        sb,
                        xi,
                        lane_s(&y, i, 32) as i32,
                        lane_s(&z, i, 32) as i32,
                    )
                })
                .collect();
            self._pipe.tick((self.in_valid.val(), row));
        }
        let (valid, row) = self._pipe.out().clone();
        self.out_valid.next = valid;
        self.out_wide.next = pack(if row.is_empty() { vec![0; L] } else { row }, WIDE_BITS);
    }

    fn connect(&mut self) {
        self.out_valid.connect();
        self.out_wide.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(L))
    }
}

/// Declares the shared shift decode of one alignment shift (`prefix_kr`, `_kl`, masks).
fn shift_decode(b: &mut Body, prefix: &str, port: &str) {
    let w = WIDE_BITS;
    b.wire(&format!("{prefix}_left"), 1, false, &format!("{port}[6]"));
    b.wire(
        &format!("{prefix}_kr"),
        6,
        false,
        &format!("{prefix}_left ? 6'd0 : {port}[5:0]"),
    );
    b.wire(
        &format!("{prefix}_kl"),
        6,
        false,
        &format!("{prefix}_left ? 6'd0 - {port}[5:0] : 6'd0"),
    );
    b.wire(
        &format!("{prefix}_below"),
        w,
        false,
        &format!("({} << {prefix}_kr) - {}", lit(w, 1), lit(w, 1)),
    );
    b.wire(
        &format!("{prefix}_sticky"),
        w,
        false,
        &format!("{prefix}_below >> 1"),
    );
    b.wire(
        &format!("{prefix}_round"),
        w,
        false,
        &format!("{prefix}_below ^ {prefix}_sticky"),
    );
}

/// Declares `name = shift_round(value, shift, Rne)` for a 65-bit signed `value`, using the decode
/// of `prefix`.
fn align_expr(b: &mut Body, name: &str, value: &str, prefix: &str) {
    let w = WIDE_BITS;
    b.wire(
        &format!("{name}_q"),
        w,
        true,
        &format!("{value} >>> {prefix}_kr"),
    );
    b.wire(
        &format!("{name}_up"),
        1,
        false,
        &format!("(|({value} & {prefix}_round)) & ((|({value} & {prefix}_sticky)) | {name}_q[0])"),
    );
    b.wire(
        name,
        w,
        true,
        &format!(
            "{prefix}_left ? {value} <<< {prefix}_kl : {name}_q + {}",
            zext(&format!("{name}_up"), 1, w)
        ),
    );
}

/// The Verilog body (see the module docs).
fn verilog(lanes: usize) -> String {
    let w = WIDE_BITS;
    let mut b = Body::default();
    shift_decode(&mut b, "sa", "shift_a");
    shift_decode(&mut b, "sb", "shift_b");
    let mut outs = Vec::new();
    for i in 0..lanes {
        let p = format!("l{i}_");
        b.reg(&format!("{p}x0"), 32, false, &lane("in_x", i, 32));
        b.reg(&format!("{p}y0"), 32, false, &lane("in_y", i, 32));
        b.reg(&format!("{p}z0"), 32, false, &lane("in_z", i, 32));
        b.wire(
            &format!("{p}za"),
            32,
            false,
            &format!("mode ? {p}z0 : {p}x0"),
        );
        b.wire(
            &format!("{p}src"),
            w,
            true,
            &format!("$signed({})", sext(&format!("{p}za"), 32, w)),
        );
        b.wire(
            &format!("{p}ys"),
            w,
            true,
            &format!("$signed({})", sext(&format!("{p}y0"), 32, w)),
        );
        align_expr(&mut b, &format!("{p}al"), &format!("{p}src"), "sa");
        align_expr(&mut b, &format!("{p}bl"), &format!("{p}ys"), "sb");
        b.reg(&format!("{p}a1"), w, true, &format!("{p}al"));
        b.reg(&format!("{p}b1"), w, true, &format!("{p}bl"));
        b.reg(
            &format!("{p}f1"),
            33,
            true,
            &format!("$signed({})", zext(&format!("{p}x0"), 32, 33)),
        );
        // MLGRU: h f (|h| <= 2^30 once aligned: the low 33 bits hold it).
        b.wire(&format!("{p}h33"), 33, true, &format!("{p}a1[32:0]"));
        b.wire(&format!("{p}m"), w, true, &format!("{p}h33 * {p}f1"));
        b.reg(&format!("{p}pa"), w, true, &format!("{p}m"));
        b.reg(&format!("{p}p"), w, true, &format!("{p}pa"));
        b.reg(&format!("{p}sum2"), w, true, &format!("{p}a1 + {p}b1"));
        let sum = b.delay(&format!("{p}sum"), w, true, &format!("{p}sum2"), 1);
        let c = b.delay(&format!("{p}c"), w, true, &format!("{p}b1"), 2);
        b.wire(&format!("{p}q30"), w, true, &format!("{p}p >>> 30"));
        b.wire(
            &format!("{p}up30"),
            1,
            false,
            &format!("{p}p[29] & ((|{p}p[28:0]) | {p}q30[0])"),
        );
        b.reg(
            &format!("{p}wide"),
            w,
            true,
            &format!(
                "mode ? {p}q30 + {} + {c} : {sum}",
                zext(&format!("{p}up30"), 1, w)
            ),
        );
        outs.push(format!("{p}wide"));
    }
    b.unused(
        &(0..lanes)
            .map(|i| format!("l{i}_a1[{}:33]", w - 1))
            .collect::<Vec<_>>(),
    );
    let valid = b.delay("valid", 1, false, "in_valid", ALIGN_LATENCY);
    b.output("out_valid", &valid);
    b.output("out_wide", &concat(&outs));
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_add_in_the_window_and_run_the_neuron() {
        // ADD: 3 << 2 + rne(5 / 2) = 12 + 2.
        assert_eq!(align_lane(false, -2, 1, 3, 5, 0), 14);
        // MLGRU: h = rne(7 / 2) = 4, c = rne(-3 / 2) = -2, f = 1/2: rne(4 / 2) - 2 = 0.
        assert_eq!(align_lane(true, 1, 1, 1 << 29, -3, 7), 0);
        assert_eq!(align_lane(false, 33, 33, i32::MIN, i32::MIN, 0), 0);
    }

    #[test]
    fn align_unit_is_synthesizable() {
        crate::vpu::check::lint_and_synth(AlignUnit::<4, 128, 260>::new().unwrap(), "vpu_align4");
        crate::vpu::check::lint_and_synth(AlignUnit::<1, 32, 65>::new().unwrap(), "vpu_align1");
    }
}
