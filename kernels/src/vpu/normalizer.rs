//! The normalizer: the per-element half of `Bfp::from_wide` (mmfree_spec::format; NUMERICS.md
//! section 2). Every lane's wide value is shifted by the vector's `k` with round-half-to-even,
//! `mant = shift_round(w, k, Rne)`: a right shift when `k > 0`, an exact left shift when `k <= 0`.
//! The vector unit finds `k = bit_len(max |w|) - 30` in a first pass (reduction unit) and runs the
//! elements through here in a second; with `k = 0` the block passes gates and codes unchanged.
//!
//! Two register stages per lane: (1) the arithmetic shift, the round bit (bit `k-1`) and the sticky
//! bit (any bit below), (2) the increment `round & (sticky | lsb)`. Only the low 32 bits of a lane
//! are kept: the result fits by construction (`|w| < 2^(30+k)` for every lane of the vector).

use mmfree_spec::round::{Round, shift_round};
use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::config::{CODE_BITS, SHIFT_BITS, WIDE_BITS, WORD_BITS};
use crate::vpu::lanes::{lane_s, mask, pack, sign_extend};
use crate::vpu::model::{Pipe, check_lanes, check_width};
use crate::vpu::verilog::{Body, concat, lane, lit};

/// Cycles from `in_valid` to `out_valid`.
pub const NORMALIZER_LATENCY: usize = 2;

/// `L` lanes of `shift_round(w, k, Rne)`, two stages deep.
#[derive(LogicBlock)]
pub struct Normalizer<const L: usize, const WW: usize, const DW: usize, const CW: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// High when `in_wide` holds a row.
    pub in_valid: Signal<In, Bit>,
    /// `L` wide values of 65 bits, two's complement.
    pub in_wide: Signal<In, Bits<WW>>,
    /// The vector's `k`, two's complement in `-63..=63` (held for the whole pass).
    pub shift: Signal<In, Bits<SHIFT_BITS>>,
    /// `in_valid` delayed by [`NORMALIZER_LATENCY`].
    pub out_valid: Signal<Out, Bit>,
    /// `L` normalized 32-bit mantissas (or gates, with `k = 0`).
    pub out_data: Signal<Out, Bits<DW>>,
    /// The low byte of every lane: the activation codes when QUANT sends them through with `k = 0`.
    pub out_codes: Signal<Out, Bits<CW>>,
    _pipe: Pipe<(bool, Vec<i128>)>,
}

impl<const L: usize, const WW: usize, const DW: usize, const CW: usize> Normalizer<L, WW, DW, CW> {
    /// A normalizer; the widths must be `65 L`, `32 L` and `8 L`.
    pub fn new() -> Result<Self> {
        check_lanes("Normalizer", L)?;
        check_width("Normalizer", "WW", WW, WIDE_BITS * L)?;
        check_width("Normalizer", "DW", DW, WORD_BITS * L)?;
        check_width("Normalizer", "CW", CW, CODE_BITS * L)?;
        Ok(Normalizer {
            clock: Default::default(),
            in_valid: Default::default(),
            in_wide: Default::default(),
            shift: Default::default(),
            out_valid: Default::default(),
            out_data: Default::default(),
            out_codes: Default::default(),
            _pipe: Pipe::new(NORMALIZER_LATENCY),
        })
    }
}

/// One lane: `shift_round(w, k, Rne)` kept to 32 bits.
pub fn normalize_lane(w: i128, k: i32) -> u32 {
    (shift_round(w, k, Round::Rne) as u128 & mask(WORD_BITS)) as u32
}

impl<const L: usize, const WW: usize, const DW: usize, const CW: usize> Logic
    for Normalizer<L, WW, DW, CW>
{
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let k = sign_extend(self.shift.val().to_u64() as u128, SHIFT_BITS) as i32;
            let wide = self.in_wide.val();
            let out = (0..L)
                .map(|i| normalize_lane(lane_s(&wide, i, WIDE_BITS), k) as i128)
                .collect();
            self._pipe.tick((self.in_valid.val(), out));
        }
        let (valid, out) = self._pipe.out().clone();
        self.out_valid.next = valid;
        let data = if out.is_empty() { vec![0; L] } else { out };
        self.out_data.next = pack(data.iter().copied(), WORD_BITS);
        self.out_codes.next = pack(data.iter().copied(), CODE_BITS);
    }

    fn connect(&mut self) {
        self.out_valid.connect();
        self.out_data.connect();
        self.out_codes.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(L))
    }
}

/// The Verilog body (see the module docs).
fn verilog(lanes: usize) -> String {
    let w = WIDE_BITS;
    let mut b = Body::default();
    b.wire("left", 1, false, "shift[6]");
    b.wire("kr", 6, false, "left ? 6'd0 : shift[5:0]");
    b.wire("kl", 6, false, "left ? 6'd0 - shift[5:0] : 6'd0");
    // Bits below k, bit k-1 (round) and the bits below it (sticky), shared by the lanes.
    b.wire(
        "below",
        w,
        false,
        &format!("({} << kr) - {}", lit(w, 1), lit(w, 1)),
    );
    b.wire("sticky_mask", w, false, "below >> 1");
    b.wire("round_mask", w, false, "below ^ sticky_mask");
    b.reg("left_r", 1, false, "left");
    let mut outs = Vec::new();
    let mut codes = Vec::new();
    let mut unused = Vec::new();
    for i in 0..lanes {
        let p = format!("l{i}_");
        b.wire(
            &format!("{p}w"),
            w,
            true,
            &format!("$signed({})", lane("in_wide", i, w)),
        );
        b.wire(&format!("{p}q"), w, true, &format!("{p}w >>> kr"));
        b.wire(&format!("{p}l"), w, true, &format!("{p}w <<< kl"));
        b.wire(
            &format!("{p}round"),
            1,
            false,
            &format!("|({p}w & round_mask)"),
        );
        b.wire(
            &format!("{p}sticky"),
            1,
            false,
            &format!("|({p}w & sticky_mask)"),
        );
        b.reg(&format!("{p}q_r"), 32, false, &format!("{p}q[31:0]"));
        b.reg(&format!("{p}l_r"), 32, false, &format!("{p}l[31:0]"));
        b.reg(
            &format!("{p}up_r"),
            1,
            false,
            &format!("{p}round & ({p}sticky | {p}q[0])"),
        );
        b.reg(
            &format!("{p}out"),
            32,
            false,
            &format!("left_r ? {p}l_r : {p}q_r + {{31'd0, {p}up_r}}"),
        );
        outs.push(format!("{p}out"));
        codes.push(format!("{p}out[7:0]"));
        unused.push(format!("{p}q[{}:32]", w - 1));
        unused.push(format!("{p}l[{}:32]", w - 1));
    }
    b.unused(&unused);
    let valid = b.delay("valid", 1, false, "in_valid", NORMALIZER_LATENCY);
    b.output("out_valid", &valid);
    b.output("out_data", &concat(&outs));
    b.output("out_codes", &concat(&codes));
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vpu::lanes::lane_u;

    type Norm4 = Normalizer<4, 260, 128, 32>;

    #[test]
    fn model_rounds_half_to_even_and_shifts_left_exactly() {
        let mut n = Norm4::new().unwrap();
        n.connect_all();
        let rows = [([7i128, 5, -5, 9], 1i32), ([3, -3, 6, 0], -4)];
        let mut got = Vec::new();
        for (wide, k) in rows.iter().chain(std::iter::repeat_n(&rows[0], 2)) {
            n.in_wide.next = pack(wide.iter().copied(), WIDE_BITS);
            n.shift.next = crate::vpu::lanes::word::<SHIFT_BITS>(*k as i128);
            n.in_valid.next = true;
            for level in [true, false] {
                n.clock.next = Clock::from(level);
                assert!(simulate(&mut n, 100));
            }
            let d = n.out_data.val();
            got.push((
                n.out_valid.val(),
                (0..4)
                    .map(|i| lane_u(&d, i, 32) as u32 as i32)
                    .collect::<Vec<_>>(),
            ));
        }
        // 7/2 = 3.5 -> 4, 5/2 = 2.5 -> 2, -2.5 -> -2, 4.5 -> 4; left shifts by 4 are exact.
        assert_eq!(got[1], (true, vec![4, 2, -2, 4]));
        assert_eq!(got[2], (true, vec![48, -48, 96, 0]));
        assert_eq!(normalize_lane(1 << 40, 11), 1 << 29);
        assert_eq!(normalize_lane(-1, 0), u32::MAX);
    }

    #[test]
    fn bad_widths_are_refused() {
        assert!(Normalizer::<4, 256, 128, 32>::new().is_err());
        assert!(Normalizer::<3, 195, 96, 24>::new().is_err());
    }

    #[test]
    fn normalizer_is_synthesizable() {
        crate::vpu::check::lint_and_synth(Norm4::new().unwrap(), "vpu_normalizer4");
        crate::vpu::check::lint_and_synth(
            Normalizer::<1, 65, 32, 8>::new().unwrap(),
            "vpu_normalizer1",
        );
    }
}
