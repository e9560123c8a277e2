//! The lane selector: picks the element pipeline of the current operation (docs/ACCELERATOR.md
//! section 1, VPU) and masks the lanes beyond the vector's length in the last row, so that the
//! reduction unit never sees them (zero is neutral for the OR, the sum and the maximum; the argmax
//! ignores masked lanes) and the register writes put zeros there.
//!
//! Gates (sigmoid, gate family) are zero-extended into the wide lanes and pass the normalizer with
//! `k = 0`; the bypass (ARGMAX's accumulators) is sign-extended. An element counter, cleared by
//! `start`, gives the row's first index; lane `i` is inside when `len - index > i`. One register
//! stage.

use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::config::{SQUARE_BITS, WIDE_BITS, WORD_BITS};
use crate::vpu::lanes::{lane_s, lane_u, pack};
use crate::vpu::model::{Pipe, check_lanes, check_width};
use crate::vpu::verilog::{Body, concat, lane, lit, sext, zext};

/// Cycles from a family's valid row to `out_valid`.
pub const SELECT_LATENCY: usize = 1;
/// Bits of the family input.
pub const FAMILY_BITS: usize = 3;

/// The element pipelines the selector chooses from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Family {
    /// Product family (also SQ passes).
    Product = 0,
    /// Alignment family.
    Align = 1,
    /// Gate family.
    Gate = 2,
    /// Sigmoid gates.
    Sigmoid = 3,
    /// Accumulators straight from the source (ARGMAX).
    Bypass = 4,
}

/// One row as the selector sees its inputs: the chosen family's lanes as `(wide, square, umag)`.
type Row = Vec<(i128, u128, u128)>;

/// The lane selector (see the module docs).
#[derive(LogicBlock)]
pub struct LaneSelect<const L: usize, const DW: usize, const WW: usize, const SW: usize> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Clears the element counter (before a pass).
    pub start: Signal<In, Bit>,
    /// [`Family`] of the pass.
    pub family: Signal<In, Bits<FAMILY_BITS>>,
    /// Vector length.
    pub len: Signal<In, Bits<32>>,
    /// Product family row.
    pub prod_valid: Signal<In, Bit>,
    /// Product family wide values.
    pub prod_wide: Signal<In, Bits<WW>>,
    /// Product family squares.
    pub prod_square: Signal<In, Bits<SW>>,
    /// Product family magnitudes.
    pub prod_umag: Signal<In, Bits<SW>>,
    /// Alignment family row.
    pub align_valid: Signal<In, Bit>,
    /// Alignment family wide values.
    pub align_wide: Signal<In, Bits<WW>>,
    /// Gate family row.
    pub gate_valid: Signal<In, Bit>,
    /// Gate family gates.
    pub gate_data: Signal<In, Bits<DW>>,
    /// Sigmoid row.
    pub sig_valid: Signal<In, Bit>,
    /// Sigmoid gates.
    pub sig_gate: Signal<In, Bits<DW>>,
    /// Source row (ARGMAX).
    pub byp_valid: Signal<In, Bit>,
    /// Source words (accumulators).
    pub byp_x: Signal<In, Bits<DW>>,
    /// A selected row.
    pub out_valid: Signal<Out, Bit>,
    /// Lanes inside the vector.
    pub out_mask: Signal<Out, Bits<L>>,
    /// Wide values, zero outside the vector.
    pub out_wide: Signal<Out, Bits<WW>>,
    /// Squares, zero outside the vector.
    pub out_square: Signal<Out, Bits<SW>>,
    /// Magnitudes, zero outside the vector.
    pub out_umag: Signal<Out, Bits<SW>>,
    _elems: u32,
    _pipe: Pipe<(bool, u64, Row)>,
}

impl<const L: usize, const DW: usize, const WW: usize, const SW: usize> LaneSelect<L, DW, WW, SW> {
    /// A lane selector; the widths must be `32 L`, `65 L` and `63 L`.
    pub fn new() -> Result<Self> {
        check_lanes("LaneSelect", L)?;
        check_width("LaneSelect", "DW", DW, WORD_BITS * L)?;
        check_width("LaneSelect", "WW", WW, WIDE_BITS * L)?;
        check_width("LaneSelect", "SW", SW, SQUARE_BITS * L)?;
        Ok(LaneSelect {
            clock: Default::default(),
            start: Default::default(),
            family: Default::default(),
            len: Default::default(),
            prod_valid: Default::default(),
            prod_wide: Default::default(),
            prod_square: Default::default(),
            prod_umag: Default::default(),
            align_valid: Default::default(),
            align_wide: Default::default(),
            gate_valid: Default::default(),
            gate_data: Default::default(),
            sig_valid: Default::default(),
            sig_gate: Default::default(),
            byp_valid: Default::default(),
            byp_x: Default::default(),
            out_valid: Default::default(),
            out_mask: Default::default(),
            out_wide: Default::default(),
            out_square: Default::default(),
            out_umag: Default::default(),
            _elems: 0,
            _pipe: Pipe::new(SELECT_LATENCY),
        })
    }

    /// The chosen family's valid bit and lanes.
    fn chosen(&self) -> (bool, Row) {
        let words = |b: Bits<DW>, signed: bool| -> Row {
            (0..L)
                .map(|i| {
                    (
                        if signed {
                            lane_s(&b, i, 32)
                        } else {
                            lane_u(&b, i, 32) as i128
                        },
                        0,
                        0,
                    )
                })
                .collect()
        };
        match self.family.val().to_u64() {
            0 => {
                let (w, s, u) = (
                    self.prod_wide.val(),
                    self.prod_square.val(),
                    self.prod_umag.val(),
                );
                let row = (0..L)
                    .map(|i| {
                        (
                            lane_s(&w, i, WIDE_BITS),
                            lane_u(&s, i, SQUARE_BITS),
                            lane_u(&u, i, SQUARE_BITS),
                        )
                    })
                    .collect();
                (self.prod_valid.val(), row)
            }
            1 => {
                let w = self.align_wide.val();
                (
                    self.align_valid.val(),
                    (0..L).map(|i| (lane_s(&w, i, WIDE_BITS), 0, 0)).collect(),
                )
            }
            2 => (self.gate_valid.val(), words(self.gate_data.val(), false)),
            3 => (self.sig_valid.val(), words(self.sig_gate.val(), false)),
            _ => (self.byp_valid.val(), words(self.byp_x.val(), true)),
        }
    }
}

impl<const L: usize, const DW: usize, const WW: usize, const SW: usize> Logic
    for LaneSelect<L, DW, WW, SW>
{
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let (valid, mut row) = self.chosen();
            let remaining = (self.len.val().to_u64() as u32).wrapping_sub(self._elems) as u64;
            let mask: u64 = (0..L)
                .filter(|&i| remaining > i as u64)
                .map(|i| 1 << i)
                .sum();
            // Squares and magnitudes only come from the product family.
            let product = self.family.val().to_u64() == 0;
            for (i, lane) in row.iter_mut().enumerate() {
                if mask >> i & 1 == 0 {
                    *lane = (0, 0, 0);
                } else if !product {
                    lane.1 = 0;
                    lane.2 = 0;
                }
            }
            if self.start.val() {
                self._elems = 0;
            } else if valid {
                self._elems = self._elems.wrapping_add(L as u32);
            }
            self._pipe.tick((valid, mask, row));
        }
        let (valid, mask, row) = self._pipe.out().clone();
        let row = if row.is_empty() {
            vec![(0, 0, 0); L]
        } else {
            row
        };
        self.out_valid.next = valid;
        self.out_mask.next = mask.into();
        self.out_wide.next = pack(row.iter().map(|r| r.0), WIDE_BITS);
        self.out_square.next = pack(row.iter().map(|r| r.1 as i128), SQUARE_BITS);
        self.out_umag.next = pack(row.iter().map(|r| r.2 as i128), SQUARE_BITS);
    }

    fn connect(&mut self) {
        self.out_valid.connect();
        self.out_mask.connect();
        self.out_wide.connect();
        self.out_square.connect();
        self.out_umag.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(L))
    }
}

/// The Verilog body (see the module docs).
fn verilog(lanes: usize) -> String {
    let (w, sq) = (WIDE_BITS, SQUARE_BITS);
    let mut b = Body::default();
    for (name, f) in [
        ("is_prod", 0),
        ("is_align", 1),
        ("is_gate", 2),
        ("is_sig", 3),
    ] {
        b.wire(
            name,
            1,
            false,
            &format!("family == {}", lit(FAMILY_BITS, f)),
        );
    }
    b.wire(
        "valid",
        1,
        false,
        "is_prod ? prod_valid : is_align ? align_valid : is_gate ? gate_valid : is_sig ? sig_valid : byp_valid",
    );
    b.state_reg("elems", 32, false);
    b.raw_seq(&format!(
        "elems <= start ? 32'd0 : valid ? elems + {} : elems;",
        lit(32, lanes as u128)
    ));
    b.wire("remaining", 32, false, "len - elems");
    let (mut masks, mut wides, mut squares, mut umags) = (vec![], vec![], vec![], vec![]);
    for i in 0..lanes {
        let p = format!("l{i}_");
        b.wire(
            &format!("{p}in"),
            1,
            false,
            &format!("remaining > {}", lit(32, i as u128)),
        );
        let gate = zext(&format!("{p}g"), 32, w);
        b.wire(
            &format!("{p}g"),
            32,
            false,
            &format!(
                "is_gate ? {} : {}",
                lane("gate_data", i, 32),
                lane("sig_gate", i, 32)
            ),
        );
        b.wire(&format!("{p}x"), 32, false, &lane("byp_x", i, 32));
        b.wire(
            &format!("{p}sel"),
            w,
            false,
            &format!(
                "is_prod ? {} : is_align ? {} : (is_gate | is_sig) ? {gate} : {}",
                lane("prod_wide", i, w),
                lane("align_wide", i, w),
                sext(&format!("{p}x"), 32, w)
            ),
        );
        b.reg(
            &format!("{p}wide"),
            w,
            false,
            &format!("{p}in ? {p}sel : {}", lit(w, 0)),
        );
        b.reg(
            &format!("{p}sq"),
            sq,
            false,
            &format!(
                "({p}in & is_prod) ? {} : {}",
                lane("prod_square", i, sq),
                lit(sq, 0)
            ),
        );
        b.reg(
            &format!("{p}um"),
            sq,
            false,
            &format!(
                "({p}in & is_prod) ? {} : {}",
                lane("prod_umag", i, sq),
                lit(sq, 0)
            ),
        );
        b.reg(&format!("{p}mask"), 1, false, &format!("{p}in"));
        masks.push(format!("{p}mask"));
        wides.push(format!("{p}wide"));
        squares.push(format!("{p}sq"));
        umags.push(format!("{p}um"));
    }
    b.reg("valid_r", 1, false, "valid");
    b.output("out_valid", "valid_r");
    b.output("out_mask", &concat(&masks));
    b.output("out_wide", &concat(&wides));
    b.output("out_square", &concat(&squares));
    b.output("out_umag", &concat(&umags));
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_select_is_synthesizable() {
        crate::vpu::check::lint_and_synth(
            LaneSelect::<4, 128, 260, 252>::new().unwrap(),
            "vpu_select4",
        );
        crate::vpu::check::lint_and_synth(
            LaneSelect::<1, 32, 65, 63>::new().unwrap(),
            "vpu_select1",
        );
    }
}
