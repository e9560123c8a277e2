//! The gate family of element pipelines (mmfree-model.md section 1.4; `mmfree_spec::ops`): the
//! forget gate's lower bound `lower_bound_mix(s, lb) = lb + rne((2^30 - lb) s, 30)` and
//! `one_minus(g) = 2^30 - g`, both on GATE values (Q0.30). One 32 x 32 unsigned multiplier per
//! lane; results wrap to 32 bits like the register words (gates stay in `[0, 2^30]`).

use mmfree_spec::format::GATE_ONE;
use mmfree_spec::round::{Round, shr_round};
use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::config::WORD_BITS;
use crate::vpu::lanes::{lane_u, pack};
use crate::vpu::model::{Pipe, check_lanes, check_width};
use crate::vpu::verilog::{Body, concat, lane};

/// Cycles from `in_valid` to `out_valid`.
pub const GATE_LATENCY: usize = 5;

/// One lane: LBMIX (`mode = false`) of `s = x`, `lb = y`, or ONEMINUS (`mode = true`) of `x`.
pub fn gate_lane(oneminus: bool, x: u32, y: u32) -> u32 {
    if oneminus {
        return GATE_ONE.wrapping_sub(x);
    }
    let d = GATE_ONE.wrapping_sub(y) as u64;
    y.wrapping_add(shr_round((d * x as u64) as i128, 30, Round::Rne) as u32)
}

/// `L` lanes of LBMIX or ONEMINUS, [`GATE_LATENCY`] cycles deep.
#[derive(LogicBlock)]
pub struct GateUnit<const L: usize, const DW: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// High when the operands hold a row.
    pub in_valid: Signal<In, Bit>,
    /// 0: LBMIX, 1: ONEMINUS (held for a pass).
    pub mode: Signal<In, Bit>,
    /// The sigmoid gates `s` (LBMIX) or the gates `g` (ONEMINUS).
    pub in_x: Signal<In, Bits<DW>>,
    /// The lower bounds `lb` (LBMIX).
    pub in_y: Signal<In, Bits<DW>>,
    /// `in_valid` delayed by [`GATE_LATENCY`].
    pub out_valid: Signal<Out, Bit>,
    /// The resulting gates.
    pub out_data: Signal<Out, Bits<DW>>,
    _pipe: Pipe<(bool, Vec<u32>)>,
}

impl<const L: usize, const DW: usize> GateUnit<L, DW> {
    /// A gate unit; the width must be `32 L`.
    pub fn new() -> Result<Self> {
        check_lanes("GateUnit", L)?;
        check_width("GateUnit", "DW", DW, WORD_BITS * L)?;
        Ok(GateUnit {
            clock: Default::default(),
            in_valid: Default::default(),
            mode: Default::default(),
            in_x: Default::default(),
            in_y: Default::default(),
            out_valid: Default::default(),
            out_data: Default::default(),
            _pipe: Pipe::new(GATE_LATENCY),
        })
    }
}

impl<const L: usize, const DW: usize> Logic for GateUnit<L, DW> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let (x, y) = (self.in_x.val(), self.in_y.val());
            let row = (0..L)
                .map(|i| {
                    gate_lane(
                        self.mode.val(),
                        lane_u(&x, i, 32) as u32,
                        lane_u(&y, i, 32) as u32,
                    )
                })
                .collect();
            self._pipe.tick((self.in_valid.val(), row));
        }
        let (valid, row) = self._pipe.out().clone();
        self.out_valid.next = valid;
        self.out_data.next = pack(
            if row.is_empty() { vec![0; L] } else { row }
                .into_iter()
                .map(|g| g as i128),
            WORD_BITS,
        );
    }

    fn connect(&mut self) {
        self.out_valid.connect();
        self.out_data.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(L))
    }
}

/// The Verilog body: `d = 2^30 - lb`, the product `d s` (registered twice), `lb + rne(d s, 30)`.
fn verilog(lanes: usize) -> String {
    let mut b = Body::default();
    let mut outs = Vec::new();
    for i in 0..lanes {
        let p = format!("l{i}_");
        b.reg(&format!("{p}x0"), 32, false, &lane("in_x", i, 32));
        b.reg(&format!("{p}y0"), 32, false, &lane("in_y", i, 32));
        b.reg(
            &format!("{p}d1"),
            32,
            false,
            &format!("32'h40000000 - {p}y0"),
        );
        b.reg(
            &format!("{p}om1"),
            32,
            false,
            &format!("32'h40000000 - {p}x0"),
        );
        b.reg(&format!("{p}s1"), 32, false, &format!("{p}x0"));
        let lb = b.delay(&format!("{p}lb"), 32, false, &format!("{p}y0"), 3);
        let om = b.delay(&format!("{p}om"), 32, false, &format!("{p}om1"), 2);
        b.wire(&format!("{p}m"), 64, false, &format!("{p}d1 * {p}s1"));
        b.reg(&format!("{p}pa"), 64, false, &format!("{p}m"));
        b.reg(&format!("{p}p"), 64, false, &format!("{p}pa"));
        b.wire(
            &format!("{p}up"),
            1,
            false,
            &format!("{p}p[29] & ((|{p}p[28:0]) | {p}p[30])"),
        );
        b.reg(
            &format!("{p}out"),
            32,
            false,
            &format!("mode ? {om} : {lb} + {p}p[61:30] + {{31'd0, {p}up}}"),
        );
        outs.push(format!("{p}out"));
    }
    b.unused(
        &(0..lanes)
            .map(|i| format!("l{i}_p[63:62]"))
            .collect::<Vec<_>>(),
    );
    let valid = b.delay("valid", 1, false, "in_valid", GATE_LATENCY);
    b.output("out_valid", &valid);
    b.output("out_data", &concat(&outs));
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_match_the_gate_ops() {
        assert_eq!(
            gate_lane(false, GATE_ONE / 2, GATE_ONE / 4),
            GATE_ONE / 4 * 5 / 2
        );
        assert_eq!(gate_lane(false, GATE_ONE, 1000), GATE_ONE);
        assert_eq!(gate_lane(true, 3, 0), GATE_ONE - 3);
    }

    #[test]
    fn gate_unit_is_synthesizable() {
        crate::vpu::check::lint_and_synth(GateUnit::<4, 128>::new().unwrap(), "vpu_gates4");
        crate::vpu::check::lint_and_synth(GateUnit::<1, 32>::new().unwrap(), "vpu_gates1");
    }
}
