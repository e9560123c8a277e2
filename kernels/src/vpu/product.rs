//! The product family of element pipelines: every element-wise operation of `mmfree_spec::ops`
//! that multiplies two 32-bit operands (NUMERICS.md section 5). Two multipliers per lane in series
//! with a rounding step between them cover all of them:
//!
//! | mode | first product `p1` | between | second product `p2` | `out_wide` |
//! |---|---|---|---|---|
//! | `SQ` (NORM, QUANT pass 1) | `x * x` | | `x * y` | `p1`; `out_square = p1`, `out_umag = \|p2\|` |
//! | `NORM` (`rms_norm`) | `y * rho.m` | `c = rne(p1, 31)` | `x * c` | `p2` |
//! | `MUL` (`mul`) | `x * y` | | | `p1` |
//! | `GMUL` (`gate_mul`, SiLU) | `x * y` (`y` a gate) | | | `p1` |
//! | `DEQ` (`dequantize`) | `acc * sigma.m` | | | `p1` |
//! | `QCODE` (`quantize` codes) | `u = x * y` | `x30 = shift_round(u, kq, Rne)` | `x30 * c.m` | `clamp(shift_round(p2, cs, Rhaz), ±127)` (0 if `code_zero`) |
//!
//! Operands are 33-bit two's complement (a 32-bit mantissa sign-extended, a gate or a 31-bit
//! mantissa zero-extended), so each product is exact in 65 bits. DSP mapping: each 33 x 33
//! multiplier has a register on both operands and two behind the product (the DSP48E2's A/B, M and
//! P registers); yosys splits it into four 27 x 18 partial products.
//! Latency [`PRODUCT_LATENCY`] in every mode; `mode` and the scalar inputs are held for a pass.

use mmfree_spec::round::{Round, shift_round, shr_round};
use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::config::{SHIFT_BITS, SQUARE_BITS, WIDE_BITS, WORD_BITS};
use crate::vpu::lanes::{lane_s, lane_u, mask, pack, sign_extend};
use crate::vpu::model::{Pipe, check_lanes, check_width};
use crate::vpu::verilog::{Body, concat, lane, lit, sext, zext};

/// Cycles from `in_valid` to `out_valid`.
pub const PRODUCT_LATENCY: usize = 9;
/// Bits of the mode input.
pub const PRODUCT_MODE_BITS: usize = 3;

/// What the product pipeline computes (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ProductMode {
    /// Squares and product magnitudes for `rms` and `quantize`'s maximum.
    Sq = 0,
    /// `x * rne(y * rho.m, 31)`.
    Norm = 1,
    /// `x * y`, both mantissas.
    Mul = 2,
    /// `x * y`, `y` a gate.
    Gmul = 3,
    /// `x * sigma.m`, `x` an accumulator.
    Deq = 4,
    /// Activation codes.
    Qcode = 5,
}

impl ProductMode {
    /// Every mode.
    pub const ALL: [ProductMode; 6] = [
        ProductMode::Sq,
        ProductMode::Norm,
        ProductMode::Mul,
        ProductMode::Gmul,
        ProductMode::Deq,
        ProductMode::Qcode,
    ];
}

/// The per-vector inputs of a pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProductScalars {
    /// `rho.m` (NORM), `sigma.m` (DEQ) or `c.m` (QCODE): a 31-bit mantissa.
    pub scale_m: u32,
    /// `kq`, the shift that brings QUANT's products to 30 bits.
    pub q_shift: i32,
    /// `-c.e`, the code rounding shift.
    pub c_shift: u32,
    /// All codes are zero (the vector's products are all zero).
    pub code_zero: bool,
}

/// One lane's outputs: `(wide, square, umag)`.
pub fn product_lane(mode: ProductMode, s: ProductScalars, x: i32, y: u32) -> (i128, u128, u128) {
    let (xs, ys, yu, m) = (x as i128, y as i32 as i128, y as i128, s.scale_m as i128);
    let p1 = match mode {
        ProductMode::Sq => xs * xs,
        ProductMode::Norm => ys * m,
        ProductMode::Mul | ProductMode::Qcode => xs * ys,
        ProductMode::Gmul => xs * yu,
        ProductMode::Deq => xs * m,
    };
    let mid = match mode {
        ProductMode::Norm => shr_round(p1, 31, Round::Rne),
        _ => shift_round(p1, s.q_shift, Round::Rne) as i32 as i128,
    };
    let a2 = if mode == ProductMode::Qcode { mid } else { xs };
    let b2 = match mode {
        ProductMode::Sq => ys,
        ProductMode::Norm => mid,
        _ => m,
    };
    let p2 = a2 * b2;
    let wide = match mode {
        ProductMode::Norm => p2,
        ProductMode::Qcode if s.code_zero => 0,
        ProductMode::Qcode => shift_round(p2, s.c_shift as i32, Round::Rhaz).clamp(-127, 127),
        _ => p1,
    };
    (
        wide,
        p1 as u128 & mask(SQUARE_BITS),
        p2.unsigned_abs() & mask(SQUARE_BITS),
    )
}

/// `L` lanes of the product family, [`PRODUCT_LATENCY`] cycles deep.
#[derive(LogicBlock)]
pub struct ProductUnit<const L: usize, const DW: usize, const WW: usize, const SW: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// High when `in_x`/`in_y` hold a row.
    pub in_valid: Signal<In, Bit>,
    /// [`ProductMode`] of the pass.
    pub mode: Signal<In, Bits<PRODUCT_MODE_BITS>>,
    /// First operands: mantissas (or accumulators for DEQ).
    pub in_x: Signal<In, Bits<DW>>,
    /// Second operands: mantissas or gates.
    pub in_y: Signal<In, Bits<DW>>,
    /// `rho.m`, `sigma.m` or `c.m` of the pass.
    pub scale_m: Signal<In, Bits<32>>,
    /// `kq` of the pass, two's complement.
    pub q_shift: Signal<In, Bits<SHIFT_BITS>>,
    /// `-c.e` of the pass.
    pub c_shift: Signal<In, Bits<SHIFT_BITS>>,
    /// Forces every code to zero.
    pub code_zero: Signal<In, Bit>,
    /// `in_valid` delayed by [`PRODUCT_LATENCY`].
    pub out_valid: Signal<Out, Bit>,
    /// Exact products, normalized by the normalizer (or codes, sign-extended).
    pub out_wide: Signal<Out, Bits<WW>>,
    /// `p1` (the square in `SQ` mode).
    pub out_square: Signal<Out, Bits<SW>>,
    /// `|p2|` (the product magnitude in `SQ` mode).
    pub out_umag: Signal<Out, Bits<SW>>,
    _pipe: Pipe<(bool, Vec<LaneOut>)>,
}

/// One lane's results in the behavioural model: the wide output, the square, the magnitude.
type LaneOut = (i128, u128, u128);

impl<const L: usize, const DW: usize, const WW: usize, const SW: usize> ProductUnit<L, DW, WW, SW> {
    /// A product unit; the widths must be `32 L`, `65 L` and `63 L`.
    pub fn new() -> Result<Self> {
        check_lanes("ProductUnit", L)?;
        check_width("ProductUnit", "DW", DW, WORD_BITS * L)?;
        check_width("ProductUnit", "WW", WW, WIDE_BITS * L)?;
        check_width("ProductUnit", "SW", SW, SQUARE_BITS * L)?;
        Ok(ProductUnit {
            clock: Default::default(),
            in_valid: Default::default(),
            mode: Default::default(),
            in_x: Default::default(),
            in_y: Default::default(),
            scale_m: Default::default(),
            q_shift: Default::default(),
            c_shift: Default::default(),
            code_zero: Default::default(),
            out_valid: Default::default(),
            out_wide: Default::default(),
            out_square: Default::default(),
            out_umag: Default::default(),
            _pipe: Pipe::new(PRODUCT_LATENCY),
        })
    }

    fn row(&self) -> Vec<(i128, u128, u128)> {
        let mode = ProductMode::ALL
            .get(self.mode.val().to_u64() as usize)
            .copied()
            .unwrap_or(ProductMode::Mul);
        let s = ProductScalars {
            scale_m: self.scale_m.val().to_u64() as u32,
            q_shift: sign_extend(self.q_shift.val().to_u64() as u128, SHIFT_BITS) as i32,
            c_shift: self.c_shift.val().to_u64() as u32,
            code_zero: self.code_zero.val(),
        };
        let (x, y) = (self.in_x.val(), self.in_y.val());
        (0..L)
            .map(|i| product_lane(mode, s, lane_s(&x, i, 32) as i32, lane_u(&y, i, 32) as u32))
            .collect()
    }
}

impl<const L: usize, const DW: usize, const WW: usize, const SW: usize> Logic
    for ProductUnit<L, DW, WW, SW>
{
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let row = self.row();
            self._pipe.tick((self.in_valid.val(), row));
        }
        let (valid, row) = self._pipe.out().clone();
        let row = if row.is_empty() {
            vec![(0, 0, 0); L]
        } else {
            row
        };
        self.out_valid.next = valid;
        self.out_wide.next = pack(row.iter().map(|r| r.0), WIDE_BITS);
        self.out_square.next = pack(row.iter().map(|r| r.1 as i128), SQUARE_BITS);
        self.out_umag.next = pack(row.iter().map(|r| r.2 as i128), SQUARE_BITS);
    }

    fn connect(&mut self) {
        self.out_valid.connect();
        self.out_wide.connect();
        self.out_square.connect();
        self.out_umag.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(L))
    }
}

/// The Verilog body (see the module docs for the stages).
fn verilog(lanes: usize) -> String {
    let w = WIDE_BITS;
    let mut b = Body::default();
    for m in ProductMode::ALL
        .into_iter()
        .filter(|&m| m != ProductMode::Mul)
    {
        let name = format!("{m:?}").to_lowercase();
        b.wire(
            &format!("is_{name}"),
            1,
            false,
            &format!("mode == {}", lit(PRODUCT_MODE_BITS, m as u128)),
        );
    }
    b.wire("scale33", 33, true, "$signed({1'b0, scale_m})");
    // kq: arithmetic right shift with round-half-even, or an exact left shift.
    b.wire("q_left", 1, false, "q_shift[6]");
    b.wire("q_kr", 6, false, "q_left ? 6'd0 : q_shift[5:0]");
    b.wire("q_kl", 6, false, "q_left ? 6'd0 - q_shift[5:0] : 6'd0");
    b.wire(
        "q_below",
        w,
        false,
        &format!("({} << q_kr) - {}", lit(w, 1), lit(w, 1)),
    );
    b.wire("q_sticky_mask", w, false, "q_below >> 1");
    b.wire("q_round_mask", w, false, "q_below ^ q_sticky_mask");
    // cs: rounding half away from zero.
    b.wire(
        "c_half",
        66,
        false,
        &format!(
            "c_shift == 7'd0 ? {} : {} << (c_shift - 7'd1)",
            lit(66, 0),
            lit(66, 1)
        ),
    );
    let (mut wides, mut squares, mut umags, mut unused) = (vec![], vec![], vec![], vec![]);
    for i in 0..lanes {
        let p = format!("l{i}_");
        b.reg(&format!("{p}x0"), 32, true, &lane("in_x", i, 32));
        b.reg(&format!("{p}y0"), 32, false, &lane("in_y", i, 32));
        let xs0 = format!("{p}x0");
        let ys0 = format!("$signed({})", sext(&format!("{p}y0"), 32, 33));
        b.reg(
            &format!("{p}a1"),
            33,
            true,
            &format!("is_norm ? {ys0} : $signed({})", sext(&xs0, 32, 33)),
        );
        b.reg(
            &format!("{p}b1"),
            33,
            true,
            &format!(
                "is_sq ? $signed({}) : (is_norm | is_deq) ? scale33 : is_gmul ? $signed({}) : {ys0}",
                sext(&xs0, 32, 33),
                zext(&format!("{p}y0"), 32, 33)
            ),
        );
        let x3 = b.delay(&format!("{p}x"), 32, true, &xs0, 4);
        let y3 = b.delay(&format!("{p}y"), 32, false, &format!("{p}y0"), 4);
        b.wire(&format!("{p}m1"), w, true, &format!("{p}a1 * {p}b1"));
        b.reg(&format!("{p}p1a"), w, true, &format!("{p}m1"));
        b.reg(&format!("{p}p1"), w, true, &format!("{p}p1a"));
        // Between the products: c = rne(p1, 31) or x30 = shift_round(p1, kq, Rne).
        b.wire(&format!("{p}q31"), w, true, &format!("{p}p1 >>> 31"));
        b.wire(
            &format!("{p}up31"),
            1,
            false,
            &format!("{p}p1[30] & ((|{p}p1[29:0]) | {p}q31[0])"),
        );
        b.wire(
            &format!("{p}c"),
            33,
            true,
            &format!("{p}q31[32:0] + {{32'd0, {p}up31}}"),
        );
        b.wire(&format!("{p}qq"), w, true, &format!("{p}p1 >>> q_kr"));
        b.wire(&format!("{p}ql"), w, true, &format!("{p}p1 <<< q_kl"));
        b.wire(
            &format!("{p}qup"),
            1,
            false,
            &format!("(|({p}p1 & q_round_mask)) & ((|({p}p1 & q_sticky_mask)) | {p}qq[0])"),
        );
        b.wire(
            &format!("{p}x30"),
            32,
            true,
            &format!("q_left ? {p}ql[31:0] : {p}qq[31:0] + {{31'd0, {p}qup}}"),
        );
        b.reg(
            &format!("{p}mid"),
            33,
            true,
            &format!(
                "is_norm ? {p}c : $signed({})",
                sext(&format!("{p}x30"), 32, 33)
            ),
        );
        let p1_4 = b.delay(&format!("{p}p1"), w, true, &format!("{p}p1"), 1);
        b.reg(
            &format!("{p}a2"),
            33,
            true,
            &format!("is_qcode ? {p}mid : $signed({})", sext(&x3, 32, 33)),
        );
        b.reg(
            &format!("{p}b2"),
            33,
            true,
            &format!(
                "is_sq ? $signed({}) : is_norm ? {p}mid : scale33",
                sext(&y3, 32, 33)
            ),
        );
        let p1_7 = b.delay(&format!("{p}p1k"), w, true, &p1_4, 3);
        b.wire(&format!("{p}m2"), w, true, &format!("{p}a2 * {p}b2"));
        b.reg(&format!("{p}p2a"), w, true, &format!("{p}m2"));
        b.reg(&format!("{p}p2"), w, true, &format!("{p}p2a"));
        // After the products: |p2|, and the code.
        b.wire(
            &format!("{p}mag"),
            w,
            false,
            &format!("{p}p2[{}] ? -{p}p2 : {p}p2", w - 1),
        );
        b.wire(
            &format!("{p}csum"),
            66,
            false,
            &format!("{} + c_half", zext(&format!("{p}mag"), w, 66)),
        );
        b.wire(&format!("{p}cq"), 66, false, &format!("{p}csum >> c_shift"));
        b.wire(
            &format!("{p}cmag"),
            8,
            false,
            &format!("{p}cq > 66'd127 ? 8'd127 : {p}cq[7:0]"),
        );
        b.wire(
            &format!("{p}code"),
            8,
            false,
            &format!(
                "code_zero ? 8'd0 : {p}p2[{}] ? 8'd0 - {p}cmag : {p}cmag",
                w - 1
            ),
        );
        b.reg(
            &format!("{p}wide"),
            w,
            false,
            &format!(
                "is_norm ? {p}p2 : is_qcode ? {} : {p1_7}",
                sext(&format!("{p}code"), 8, w)
            ),
        );
        b.reg(
            &format!("{p}sq"),
            SQUARE_BITS,
            false,
            &format!("{p1_7}[{}:0]", SQUARE_BITS - 1),
        );
        b.reg(
            &format!("{p}um"),
            SQUARE_BITS,
            false,
            &format!("{p}mag[{}:0]", SQUARE_BITS - 1),
        );
        wides.push(format!("{p}wide"));
        squares.push(format!("{p}sq"));
        umags.push(format!("{p}um"));
        unused.extend([
            format!("{p}q31[{}:33]", w - 1),
            format!("{p}qq[{}:32]", w - 1),
            format!("{p}ql[{}:32]", w - 1),
            format!("{p}mag[{}:{}]", w - 1, SQUARE_BITS),
            format!("{p}cq[65:8]"),
        ]);
    }
    b.unused(&unused);
    let valid = b.delay("valid", 1, false, "in_valid", PRODUCT_LATENCY);
    b.output("out_valid", &valid);
    b.output("out_wide", &concat(&wides));
    b.output("out_square", &concat(&squares));
    b.output("out_umag", &concat(&umags));
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: ProductScalars = ProductScalars {
        scale_m: 3 << 29,
        q_shift: 2,
        c_shift: 3,
        code_zero: false,
    };

    #[test]
    fn lanes_follow_the_table() {
        assert_eq!(product_lane(ProductMode::Sq, S, -3, 5).1, 9);
        assert_eq!(product_lane(ProductMode::Sq, S, -3, 5).2, 15);
        // c = rne(4 * 3 * 2^29 / 2^31) = 3, 7 * 3 = 21; for y = 1, c = rne(0.75) = 1.
        assert_eq!(product_lane(ProductMode::Norm, S, 7, 4).0, 21);
        assert_eq!(product_lane(ProductMode::Norm, S, 7, 1).0, 7);
        assert_eq!(product_lane(ProductMode::Mul, S, -2, u32::MAX).0, 2);
        assert_eq!(
            product_lane(ProductMode::Gmul, S, -2, u32::MAX).0,
            -2 * u32::MAX as i128
        );
        assert_eq!(product_lane(ProductMode::Deq, S, -1, 0).0, -(3 << 29));
        // u = 10, x30 = rne(10 / 4) = 2, p2 = 2 * 3 * 2^29, code = clamp(...) = 127.
        assert_eq!(product_lane(ProductMode::Qcode, S, 5, 2).0, 127);
        let z = ProductScalars {
            code_zero: true,
            ..S
        };
        assert_eq!(product_lane(ProductMode::Qcode, z, 5, 2).0, 0);
    }

    #[test]
    fn product_unit_is_synthesizable() {
        crate::vpu::check::lint_and_synth(
            ProductUnit::<4, 128, 260, 252>::new().unwrap(),
            "vpu_product4",
        );
        crate::vpu::check::lint_and_synth(
            ProductUnit::<1, 32, 65, 63>::new().unwrap(),
            "vpu_product1",
        );
    }
}
