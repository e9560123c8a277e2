//! The vector unit's element datapath (docs/ACCELERATOR.md section 1, VPU): the four element
//! pipelines side by side, the lane selector, then the normalizer and the reduction unit in
//! parallel, and the exponent unit that feeds them their per-vector shifts. Pure wiring: every
//! block is one job, and the decoder's signals choose the path.
//!
//! ```text
//!  x, y, z ─┬─► product ───────────────┐
//!           ├─► alignment ─────────────┤
//!           ├─► gates ─────────────────┼─► lane select ─┬─► normalizer ─► rows out
//!           ├─► sigmoid ─┬─────────────┤                └─► reduction ──► or_bits, sums, argmax
//!           │            └─► (SILU) product                                   │
//!           └─► bypass (ARGMAX) ───────┘     exponent unit ◄──────────────────┘
//! ```

use rust_hdl::prelude::*;

use crate::error::Result;
use crate::vpu::align::AlignUnit;
use crate::vpu::config::{EXP_BITS, SHIFT_BITS, SQUARE_BITS, SUM_SQ_BITS};
use crate::vpu::exponent::{EXP_MODE_BITS, ExpUnit};
use crate::vpu::gates::GateUnit;
use crate::vpu::normalizer::Normalizer;
use crate::vpu::product::{PRODUCT_MODE_BITS, ProductUnit};
use crate::vpu::reduction::{INDEX_BITS, Reduction};
use crate::vpu::select::{FAMILY_BITS, LaneSelect};
use crate::vpu::sigmoid::SigmoidUnit;

/// The element datapath of `L` lanes (widths `DW = 32 L`, `WW = 65 L`, `SW = 63 L`, `CW = 8 L`).
#[derive(LogicBlock)]
pub struct Datapath<
    const L: usize,
    const DW: usize,
    const WW: usize,
    const SW: usize,
    const CW: usize,
> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    // Operand rows.
    /// The operands of a row are valid.
    pub src_valid: Signal<In, Bit>,
    /// First operand (`va` or accumulators).
    pub src_x: Signal<In, Bits<DW>>,
    /// Second operand (`vb`).
    pub src_y: Signal<In, Bits<DW>>,
    /// Third operand (`vd`).
    pub src_z: Signal<In, Bits<DW>>,
    // Decoder.
    /// Lane selector family.
    pub family: Signal<In, Bits<FAMILY_BITS>>,
    /// Product mode.
    pub product_mode: Signal<In, Bits<PRODUCT_MODE_BITS>>,
    /// Exponent mode.
    pub exp_mode: Signal<In, Bits<EXP_MODE_BITS>>,
    /// Product scalar: 0 `rho.m`, 1 `sigma.m`, 2 `c.m`.
    pub scale_sel: Signal<In, Bits<2>>,
    /// Alignment runs MLGRU.
    pub align_mlgru: Signal<In, Bit>,
    /// Gates run ONEMINUS.
    pub gate_oneminus: Signal<In, Bit>,
    /// The product takes the sigmoid's outputs.
    pub silu: Signal<In, Bit>,
    // Pass control.
    /// Clears the lane selector's counter.
    pub pass_start: Signal<In, Bit>,
    /// Clears the reduction unit.
    pub red_start: Signal<In, Bit>,
    /// Vector length.
    pub len: Signal<In, Bits<32>>,
    // Per-vector scalars.
    /// Exponent of `va`.
    pub ea: Signal<In, Bits<EXP_BITS>>,
    /// Exponent of `vb`.
    pub eb: Signal<In, Bits<EXP_BITS>>,
    /// Exponent of `vd`.
    pub ed: Signal<In, Bits<EXP_BITS>>,
    /// `rho`.
    pub rho_m: Signal<In, Bits<32>>,
    /// `rho`'s exponent.
    pub rho_e: Signal<In, Bits<EXP_BITS>>,
    /// `sigma`.
    pub sigma_m: Signal<In, Bits<32>>,
    /// `sigma`'s exponent.
    pub sigma_e: Signal<In, Bits<EXP_BITS>>,
    /// QUANT's `c.m`.
    pub c_m: Signal<In, Bits<32>>,
    /// QUANT's `-c.e`.
    pub c_shift: Signal<In, Bits<SHIFT_BITS>>,
    /// QUANT's `kq`.
    pub q_shift: Signal<In, Bits<SHIFT_BITS>>,
    /// QUANT's all-zero flag.
    pub code_zero: Signal<In, Bit>,
    // Results.
    /// A row left the normalizer.
    pub norm_valid: Signal<Out, Bit>,
    /// Its words (mantissas or gates).
    pub norm_data: Signal<Out, Bits<DW>>,
    /// Its low bytes (codes).
    pub norm_codes: Signal<Out, Bits<CW>>,
    /// A row was absorbed by the reduction.
    pub red_valid: Signal<Out, Bit>,
    /// Exact sum of squares.
    pub sum_sq: Signal<Out, Bits<SUM_SQ_BITS>>,
    /// Largest product magnitude.
    pub umax: Signal<Out, Bits<SQUARE_BITS>>,
    /// First index of the largest value.
    pub arg_index: Signal<Out, Bits<INDEX_BITS>>,
    /// The result exponent.
    pub out_exp: Signal<Out, Bits<EXP_BITS>>,
    product: ProductUnit<L, DW, WW, SW>,
    align: AlignUnit<L, DW, WW>,
    gates: GateUnit<L, DW>,
    sigmoid: SigmoidUnit<L, DW>,
    select: LaneSelect<L, DW, WW, SW>,
    norm: Normalizer<L, WW, DW, CW>,
    red: Reduction<L, WW, SW>,
    expu: ExpUnit,
}

impl<const L: usize, const DW: usize, const WW: usize, const SW: usize, const CW: usize>
    Datapath<L, DW, WW, SW, CW>
{
    /// The datapath; every block checks the widths.
    pub fn new() -> Result<Self> {
        Ok(Datapath {
            clock: Default::default(),
            src_valid: Default::default(),
            src_x: Default::default(),
            src_y: Default::default(),
            src_z: Default::default(),
            family: Default::default(),
            product_mode: Default::default(),
            exp_mode: Default::default(),
            scale_sel: Default::default(),
            align_mlgru: Default::default(),
            gate_oneminus: Default::default(),
            silu: Default::default(),
            pass_start: Default::default(),
            red_start: Default::default(),
            len: Default::default(),
            ea: Default::default(),
            eb: Default::default(),
            ed: Default::default(),
            rho_m: Default::default(),
            rho_e: Default::default(),
            sigma_m: Default::default(),
            sigma_e: Default::default(),
            c_m: Default::default(),
            c_shift: Default::default(),
            q_shift: Default::default(),
            code_zero: Default::default(),
            norm_valid: Default::default(),
            norm_data: Default::default(),
            norm_codes: Default::default(),
            red_valid: Default::default(),
            sum_sq: Default::default(),
            umax: Default::default(),
            arg_index: Default::default(),
            out_exp: Default::default(),
            product: ProductUnit::new()?,
            align: AlignUnit::new()?,
            gates: GateUnit::new()?,
            sigmoid: SigmoidUnit::new()?,
            select: LaneSelect::new()?,
            norm: Normalizer::new()?,
            red: Reduction::new()?,
            expu: ExpUnit::default(),
        })
    }
}

impl<const L: usize, const DW: usize, const WW: usize, const SW: usize, const CW: usize> Logic
    for Datapath<L, DW, WW, SW, CW>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(
            self, clock, product, align, gates, sigmoid, select, norm, red, expu
        );
        // Element pipelines: every one sees the operand rows; SILU feeds the product from the sigmoid.
        self.sigmoid.in_valid.next = self.src_valid.val();
        self.sigmoid.in_x.next = self.src_x.val();
        self.sigmoid.shift.next = self.expu.sig_shift.val();
        self.product.in_valid.next = self.src_valid.val();
        self.product.in_x.next = self.src_x.val();
        self.product.in_y.next = self.src_y.val();
        if self.silu.val() {
            self.product.in_valid.next = self.sigmoid.out_valid.val();
            self.product.in_x.next = self.sigmoid.out_x.val();
            self.product.in_y.next = self.sigmoid.out_gate.val();
        }
        self.product.mode.next = self.product_mode.val();
        self.product.scale_m.next = self.rho_m.val();
        if self.scale_sel.val() == 1 {
            self.product.scale_m.next = self.sigma_m.val();
        }
        if self.scale_sel.val() == 2 {
            self.product.scale_m.next = self.c_m.val();
        }
        self.product.q_shift.next = self.q_shift.val();
        self.product.c_shift.next = self.c_shift.val();
        self.product.code_zero.next = self.code_zero.val();
        self.align.in_valid.next = self.src_valid.val();
        self.align.mode.next = self.align_mlgru.val();
        self.align.in_x.next = self.src_x.val();
        self.align.in_y.next = self.src_y.val();
        self.align.in_z.next = self.src_z.val();
        self.align.shift_a.next = self.expu.shift_a.val();
        self.align.shift_b.next = self.expu.shift_b.val();
        self.gates.in_valid.next = self.src_valid.val();
        self.gates.mode.next = self.gate_oneminus.val();
        self.gates.in_x.next = self.src_x.val();
        self.gates.in_y.next = self.src_y.val();
        // Lane selection, then the normalizer and the reduction side by side.
        self.select.start.next = self.pass_start.val();
        self.select.family.next = self.family.val();
        self.select.len.next = self.len.val();
        self.select.prod_valid.next = self.product.out_valid.val();
        self.select.prod_wide.next = self.product.out_wide.val();
        self.select.prod_square.next = self.product.out_square.val();
        self.select.prod_umag.next = self.product.out_umag.val();
        self.select.align_valid.next = self.align.out_valid.val();
        self.select.align_wide.next = self.align.out_wide.val();
        self.select.gate_valid.next = self.gates.out_valid.val();
        self.select.gate_data.next = self.gates.out_data.val();
        self.select.sig_valid.next = self.sigmoid.out_valid.val();
        self.select.sig_gate.next = self.sigmoid.out_gate.val();
        self.select.byp_valid.next = self.src_valid.val();
        self.select.byp_x.next = self.src_x.val();
        self.norm.in_valid.next = self.select.out_valid.val();
        self.norm.in_wide.next = self.select.out_wide.val();
        self.norm.shift.next = self.expu.norm_shift.val();
        self.red.start.next = self.red_start.val();
        self.red.in_valid.next = self.select.out_valid.val();
        self.red.in_mask.next = self.select.out_mask.val();
        self.red.in_wide.next = self.select.out_wide.val();
        self.red.in_square.next = self.select.out_square.val();
        self.red.in_umag.next = self.select.out_umag.val();
        // Per-vector exponents and shifts.
        self.expu.mode.next = self.exp_mode.val();
        self.expu.ea.next = self.ea.val();
        self.expu.eb.next = self.eb.val();
        self.expu.ed.next = self.ed.val();
        self.expu.rho_e.next = self.rho_e.val();
        self.expu.sigma_e.next = self.sigma_e.val();
        self.expu.or_bits.next = self.red.or_bits.val();
        // Results.
        self.norm_valid.next = self.norm.out_valid.val();
        self.norm_data.next = self.norm.out_data.val();
        self.norm_codes.next = self.norm.out_codes.val();
        self.red_valid.next = self.red.out_valid.val();
        self.sum_sq.next = self.red.sum_sq.val();
        self.umax.next = self.red.umax.val();
        self.arg_index.next = self.red.arg_index.val();
        self.out_exp.next = self.expu.out_exp.val();
    }
}
