//! The reduction unit: the whole-vector quantities of `mmfree_spec::ops` (NUMERICS.md section 5),
//! accumulated exactly over the rows of one pass.
//!
//! - `or_bits = bit_len(OR_j |w_j|)`, which equals `bit_len(max_j |w_j|)`: the normalization shift
//!   of `Bfp::from_wide` is `k = or_bits - 30`, so an OR replaces the maximum.
//! - `sum_sq = sum_j x_j^2`, exact in 80 bits (`rms`).
//! - `umax = max_j |y_j g_j|`, exact (`quantize` needs the value, not only its length).
//! - `arg_index`: the index of the largest `w_j` (low 32 bits, signed), the first on ties
//!   (`argmax`); lanes outside `in_mask` never win.
//!
//! Rows enter one per cycle: an input register stage, then one registered level per pair of lanes
//! (a perfect binary tree over `L` lanes, `log2 L` levels; the argmax level keeps the left (lower)
//! lane unless the right one is strictly larger), then the accumulators, then output registers.
//! `start` clears the accumulators before a pass (no row may be in flight then); every output is
//! valid from the cycle `out_valid` of a pass's last row is high until the next `start`.

use mmfree_spec::round::bit_len;
use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::config::{SQUARE_BITS, SUM_SQ_BITS, WIDE_BITS};
use crate::vpu::lanes::{lane_s, lane_u, word};
use crate::vpu::model::{Pipe, check_lanes, check_width};
use crate::vpu::verilog::{Body, lane, lit, zext};

/// Bits of `or_bits` (a bit length of up to 65).
pub const OR_BITS_BITS: usize = 7;
/// Bits of `arg_index`.
pub const INDEX_BITS: usize = 32;

/// Cycles from a row's `in_valid` to its `out_valid`: `log2 L + 3`.
pub const fn reduction_latency(lanes: usize) -> usize {
    lanes.trailing_zeros() as usize + 3
}

/// What the unit has accumulated since `start`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reduced {
    /// `OR` of every `|w|`.
    pub or_mag: u128,
    /// Exact sum of squares.
    pub sum_sq: u128,
    /// Largest `|y g|`.
    pub umax: u128,
    /// Index of the first largest value, and that value.
    pub arg: (u32, i32),
    /// Elements absorbed.
    pub seen: u32,
}

impl Reduced {
    /// The state after `start`.
    pub fn cleared() -> Reduced {
        Reduced {
            arg: (0, i32::MIN),
            ..Reduced::default()
        }
    }

    /// Absorbs one row of `L` lanes: `(wide, square, umag, inside)` per lane.
    pub fn absorb(&mut self, lanes: &[(i128, u128, u128, bool)]) {
        for (i, &(w, sq, um, inside)) in lanes.iter().enumerate() {
            self.or_mag |= w.unsigned_abs();
            self.sum_sq += sq;
            self.umax = self.umax.max(um);
            if inside && (w as i32) > self.arg.1 {
                self.arg = (self.seen + i as u32, w as i32);
            }
        }
        self.seen += lanes.len() as u32;
    }
}

/// Exact whole-vector reductions over `L` lanes per cycle.
#[derive(LogicBlock)]
pub struct Reduction<const L: usize, const WW: usize, const SW: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clears the accumulators (before the first row of a pass).
    pub start: Signal<In, Bit>,
    /// High when the inputs hold a row.
    pub in_valid: Signal<In, Bit>,
    /// Lanes inside the vector (the others never win the argmax).
    pub in_mask: Signal<In, Bits<L>>,
    /// Wide values (65 bits each): OR of magnitudes, and argmax of the low 32 bits.
    pub in_wide: Signal<In, Bits<WW>>,
    /// Squares (63 bits each), summed.
    pub in_square: Signal<In, Bits<SW>>,
    /// Product magnitudes (63 bits each), maximized.
    pub in_umag: Signal<In, Bits<SW>>,
    /// A row has been absorbed ([`reduction_latency`] after its `in_valid`).
    pub out_valid: Signal<Out, Bit>,
    /// `bit_len` of the OR of every `|w|`.
    pub or_bits: Signal<Out, Bits<OR_BITS_BITS>>,
    /// Exact sum of the squares.
    pub sum_sq: Signal<Out, Bits<SUM_SQ_BITS>>,
    /// Largest product magnitude.
    pub umax: Signal<Out, Bits<SQUARE_BITS>>,
    /// Element index of the first largest value.
    pub arg_index: Signal<Out, Bits<INDEX_BITS>>,
    _state: Reduced,
    _pipe: Pipe<(bool, Reduced)>,
}

impl<const L: usize, const WW: usize, const SW: usize> Reduction<L, WW, SW> {
    /// A reduction unit; the widths must be `65 L` and `63 L`.
    pub fn new() -> Result<Self> {
        check_lanes("Reduction", L)?;
        check_width("Reduction", "WW", WW, WIDE_BITS * L)?;
        check_width("Reduction", "SW", SW, SQUARE_BITS * L)?;
        Ok(Reduction {
            clock: Default::default(),
            start: Default::default(),
            in_valid: Default::default(),
            in_mask: Default::default(),
            in_wide: Default::default(),
            in_square: Default::default(),
            in_umag: Default::default(),
            out_valid: Default::default(),
            or_bits: Default::default(),
            sum_sq: Default::default(),
            umax: Default::default(),
            arg_index: Default::default(),
            _state: Reduced::cleared(),
            _pipe: Pipe::new(reduction_latency(L)),
        })
    }

    fn row(&self) -> Vec<(i128, u128, u128, bool)> {
        let (wide, sq, um) = (self.in_wide.val(), self.in_square.val(), self.in_umag.val());
        let mask = self.in_mask.val();
        (0..L)
            .map(|i| {
                (
                    lane_s(&wide, i, WIDE_BITS),
                    lane_u(&sq, i, SQUARE_BITS),
                    lane_u(&um, i, SQUARE_BITS),
                    mask.get_bit(i),
                )
            })
            .collect()
    }
}

impl<const L: usize, const WW: usize, const SW: usize> Logic for Reduction<L, WW, SW> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            if self.start.val() {
                self._state = Reduced::cleared();
            }
            let valid = self.in_valid.val();
            if valid {
                let row = self.row();
                self._state.absorb(&row);
            }
            self._pipe.tick((valid, self._state.clone()));
        }
        let (valid, r) = self._pipe.out().clone();
        self.out_valid.next = valid;
        self.or_bits.next = (bit_len(r.or_mag) as u64).into();
        self.sum_sq.next = crate::vpu::lanes::pack([r.sum_sq as i128], SUM_SQ_BITS);
        self.umax.next = crate::vpu::lanes::pack([r.umax as i128], SQUARE_BITS);
        self.arg_index.next = word::<INDEX_BITS>(r.arg.0 as i128);
    }

    fn connect(&mut self) {
        self.out_valid.connect();
        self.or_bits.connect();
        self.sum_sq.connect();
        self.umax.connect();
        self.arg_index.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(L))
    }
}

/// One node of the four trees: names of its OR, sum, max, argmax value and argmax index nets.
struct Node {
    or: String,
    sum: String,
    max: String,
    av: String,
    ix: String,
}

/// The Verilog body (see the module docs).
fn verilog(lanes: usize) -> String {
    let (w, sq) = (WIDE_BITS, SQUARE_BITS);
    let levels = lanes.trailing_zeros() as usize;
    let ib = crate::vpu::config::lane_bits(lanes);
    let mut b = Body::default();
    let mut nodes = Vec::new();
    for i in 0..lanes {
        let p = format!("l{i}_");
        b.wire(
            &format!("{p}w"),
            w,
            true,
            &format!("$signed({})", lane("in_wide", i, w)),
        );
        b.reg(
            &format!("{p}or"),
            w,
            false,
            &format!("{p}w[{}] ? -{p}w : {p}w", w - 1),
        );
        b.reg(&format!("{p}sum"), sq, false, &lane("in_square", i, sq));
        b.reg(&format!("{p}max"), sq, false, &lane("in_umag", i, sq));
        let mask = if lanes == 1 {
            "in_mask".to_string()
        } else {
            format!("in_mask[{i}]")
        };
        b.reg(
            &format!("{p}av"),
            32,
            true,
            &format!("{mask} ? {p}w[31:0] : 32'h80000000"),
        );
        b.wire(&format!("{p}ix"), ib, false, &lit(ib, i as u128));
        nodes.push(Node {
            or: format!("{p}or"),
            sum: format!("{p}sum"),
            max: format!("{p}max"),
            av: format!("{p}av"),
            ix: format!("{p}ix"),
        });
    }
    for d in 1..=levels {
        let sum_bits = sq + d;
        nodes = nodes
            .chunks(2)
            .enumerate()
            .map(|(j, pair)| {
                let (l, r) = (&pair[0], &pair[1]);
                let p = format!("t{d}_{j}_");
                b.reg(&format!("{p}or"), w, false, &format!("{} | {}", l.or, r.or));
                b.reg(
                    &format!("{p}sum"),
                    sum_bits,
                    false,
                    &format!("{} + {}", l.sum, r.sum),
                );
                b.reg(
                    &format!("{p}max"),
                    sq,
                    false,
                    &format!("{r} > {l} ? {r} : {l}", l = l.max, r = r.max),
                );
                b.wire(
                    &format!("{p}sel"),
                    1,
                    false,
                    &format!("{} > {}", r.av, l.av),
                );
                b.reg(
                    &format!("{p}av"),
                    32,
                    true,
                    &format!("{p}sel ? {} : {}", r.av, l.av),
                );
                b.reg(
                    &format!("{p}ix"),
                    ib,
                    false,
                    &format!("{p}sel ? {} : {}", r.ix, l.ix),
                );
                Node {
                    or: format!("{p}or"),
                    sum: format!("{p}sum"),
                    max: format!("{p}max"),
                    av: format!("{p}av"),
                    ix: format!("{p}ix"),
                }
            })
            .collect();
    }
    let root = &nodes[0];
    let v = b.delay("valid", 1, false, "in_valid", 1 + levels);
    let take = format!("{v} & ({} > acc_av)", root.av);
    b.reg(
        "acc_or",
        w,
        false,
        &format!(
            "start ? {} : {v} ? acc_or | {} : acc_or",
            lit(w, 0),
            root.or
        ),
    );
    b.reg(
        "acc_ss",
        SUM_SQ_BITS,
        false,
        &format!(
            "start ? {} : {v} ? acc_ss + {} : acc_ss",
            lit(SUM_SQ_BITS, 0),
            zext(&root.sum, sq + levels, SUM_SQ_BITS)
        ),
    );
    b.reg(
        "acc_um",
        sq,
        false,
        &format!(
            "start ? {} : ({v} & ({} > acc_um)) ? {} : acc_um",
            lit(sq, 0),
            root.max,
            root.max
        ),
    );
    b.reg(
        "acc_base",
        INDEX_BITS,
        false,
        &format!(
            "start ? 32'd0 : {v} ? acc_base + {} : acc_base",
            lit(32, lanes as u128)
        ),
    );
    b.reg(
        "acc_av",
        32,
        true,
        &format!("start ? 32'sh80000000 : {take} ? {} : acc_av", root.av),
    );
    b.reg(
        "acc_ix",
        INDEX_BITS,
        false,
        &format!(
            "start ? 32'd0 : {take} ? acc_base + {} : acc_ix",
            zext(&root.ix, ib, INDEX_BITS)
        ),
    );
    let chain: Vec<String> = (0..w)
        .rev()
        .map(|k| format!("acc_or[{k}] ? {} : ", lit(OR_BITS_BITS, k as u128 + 1)))
        .collect();
    b.reg(
        "out_or_bits",
        OR_BITS_BITS,
        false,
        &format!("{}{}", chain.join(""), lit(OR_BITS_BITS, 0)),
    );
    b.reg("out_ss", SUM_SQ_BITS, false, "acc_ss");
    b.reg("out_um", sq, false, "acc_um");
    b.reg("out_ix", INDEX_BITS, false, "acc_ix");
    b.reg("acc_v", 1, false, &v);
    b.reg("out_v", 1, false, "acc_v");
    b.output("out_valid", "out_v");
    b.output("or_bits", "out_or_bits");
    b.output("sum_sq", "out_ss");
    b.output("umax", "out_um");
    b.output("arg_index", "out_ix");
    let mut unused: Vec<String> = (0..lanes)
        .map(|i| format!("l{i}_w[{}:32]", w - 1))
        .collect();
    if lanes == 1 {
        unused.push("l0_ix".into());
    }
    b.unused(&unused);
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorb_keeps_the_first_largest_and_exact_sums() {
        let mut r = Reduced::cleared();
        r.absorb(&[(5, 25, 3, true), (-7, 49, 9, true)]);
        r.absorb(&[(5, 1 << 62, 2, true), (100, 0, 0, false)]);
        assert_eq!(r.arg, (0, 5));
        assert_eq!(r.sum_sq, 74 + (1 << 62));
        assert_eq!((r.umax, r.or_mag, r.seen), (9, 7 | 5 | 100, 4));
        let mut m = Reduced::cleared();
        m.absorb(&[
            (i32::MIN as i128, 0, 0, true),
            (i32::MIN as i128, 0, 0, true),
        ]);
        assert_eq!(m.arg.0, 0, "all equal: the first");
        assert_eq!(reduction_latency(1), 3);
        assert_eq!(reduction_latency(64), 9);
    }

    #[test]
    fn reduction_is_synthesizable() {
        crate::vpu::check::lint_and_synth(
            Reduction::<4, 260, 252>::new().unwrap(),
            "vpu_reduction4",
        );
        crate::vpu::check::lint_and_synth(Reduction::<1, 65, 63>::new().unwrap(), "vpu_reduction1");
    }
}
