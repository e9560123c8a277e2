//! The per-token program (ACCELERATOR.md section 3, docs/ISA.md section 4): EMBED, then per layer
//! the sequence of the fixed-point model (`reference::fixed`, NUMERICS.md section 6), then the head
//! (NORM, QUANT, GEMV, STOREACC, ARGMAX) and END. Parameters are loaded just before use; `h` is
//! loaded from and stored back to the state region.

use mmfree_model::names::{self, LAYER_PARTS, layer_lower_bound, layer_part};
use mmfree_model::{BitLinear, Model};
use mmfree_spec::isa::{Instr, VecOp, Vreg};

use crate::data::DataBank;
use crate::error::{Error, Result};
use crate::weights::WeightPlan;

// Register allocation (one name per value of the layer's dataflow).
const X: Vreg = 0; // residual stream
const A: Vreg = 1; // normed input of a mixer
const P: Vreg = 2; // the parameter vector in use
const I: Vreg = 3; // candidate i, then SiLU(i)
const F: Vreg = 4; // forget gate f (gates)
const G: Vreg = 5; // output gate g, then its norm
const T: Vreg = 6; // scratch: 1 - f (gates), then SiLU(h)
const H: Vreg = 7; // recurrent state h
const C: Vreg = 8; // c = SiLU(i) (1 - f)
const O: Vreg = 9; // token-mixer output o, then the GLU product p
const M: Vreg = 10; // a BitLinear output added to the residual stream
const S: Vreg = 11; // s = x + m
const GATE: Vreg = 12; // GLU gate half
const UP: Vreg = 13; // GLU up half
const LB: Vreg = 14; // lower bound (gates)

/// A program and, for dumps, where each part of the model starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    /// The instructions.
    pub instrs: Vec<Instr>,
    /// `(instruction index, label)` at the start of each layer and of the head.
    pub labels: Vec<(usize, String)>,
}

struct Emitter<'a> {
    data: &'a DataBank,
    weights: &'a WeightPlan<'a>,
    out: Program,
}

impl Emitter<'_> {
    fn push(&mut self, i: Instr) {
        self.out.instrs.push(i);
    }

    fn vec(&mut self, op: VecOp, vd: Vreg, va: Vreg, vb: Vreg, len: usize) {
        self.push(Instr::Vec {
            op,
            vd,
            va,
            vb,
            len: len as u32,
        });
    }

    fn load_param(&mut self, vd: Vreg, name: &str, len: usize) -> Result<()> {
        let (addr, _) = self.data.operand(name)?;
        self.push(Instr::LoadV {
            vd,
            len: len as u32,
            addr,
            stride: 0,
        });
        Ok(())
    }

    /// `vd = norm(va, <base>.weight)`.
    fn norm(&mut self, vd: Vreg, va: Vreg, base: &str, len: usize) -> Result<()> {
        self.load_param(P, &format!("{base}.weight"), len)?;
        self.vec(VecOp::Norm, vd, va, P, len);
        Ok(())
    }

    /// QUANT and GEMV of a BitLinear on register `src`; the accumulators then hold its rows.
    fn quant_gemv(&mut self, src: Vreg, base: &str, l: &BitLinear) -> Result<()> {
        let (cols, rows) = (l.weight.cols, l.weight.rows);
        self.load_param(P, &format!("{base}.norm.weight"), cols)?;
        self.push(Instr::Quant {
            va: src,
            vb: P,
            len: cols as u32,
            alpha: l.alpha_fixed,
        });
        let name = format!("{base}.weight");
        let weights = self.weights.offset(&name).ok_or(Error::NoSymbol { name })?;
        self.push(Instr::Gemv {
            cols: cols as u32,
            weights: weights as u32,
            rows: rows as u32,
        });
        Ok(())
    }

    /// `vd = bitlinear(src)` for a BitLinear whose output is one vector.
    fn bitlinear(&mut self, vd: Vreg, src: Vreg, base: &str, l: &BitLinear) -> Result<()> {
        self.quant_gemv(src, base, l)?;
        let rows = l.weight.rows as u32;
        self.push(Instr::Dequant {
            vd,
            len: rows,
            first: 0,
            group: rows,
        });
        Ok(())
    }

    fn layer(&mut self, model: &Model, l: usize) -> Result<()> {
        let layer = &model.layers[l];
        let (d, n) = (model.shape.hidden, model.shape.intermediate);
        let part = |k: usize| layer_part(l, LAYER_PARTS[k].0);
        self.out
            .labels
            .push((self.out.instrs.len(), format!("layer {l}")));
        // Token mixer: a = norm(x); i, f, g = bitlinear(a); f = sigmoid (with lower bound).
        self.norm(A, X, &part(0), d)?;
        self.bitlinear(I, A, &part(1), &layer.i_proj)?;
        self.bitlinear(F, A, &part(2), &layer.f_proj)?;
        self.vec(VecOp::Sigmoid, F, F, 0, d);
        if l > 0 {
            let (addr, _) = self.data.operand(&layer_lower_bound(l))?;
            self.push(Instr::LoadG {
                vd: LB,
                len: d as u32,
                addr,
            });
            self.vec(VecOp::LbMix, F, F, LB, d);
        }
        self.bitlinear(G, A, &part(3), &layer.g_proj)?;
        // c = SiLU(i) (1 - f); h = f h + c.
        self.vec(VecOp::OneMinus, T, F, 0, d);
        self.vec(VecOp::Silu, I, I, 0, d);
        self.vec(VecOp::GMul, C, I, T, d);
        let (state, stride) = self.data.operand(&crate::symbols::state(l))?;
        let len = d as u32;
        self.push(Instr::LoadV {
            vd: H,
            len,
            addr: state,
            stride,
        });
        self.vec(VecOp::Mlgru, H, F, C, d);
        self.push(Instr::StoreV {
            va: H,
            len,
            addr: state,
            stride,
        });
        // o = norm(g) SiLU(h); m = bitlinear(o); s = x + m.
        self.norm(G, G, &part(4), d)?;
        self.vec(VecOp::Silu, T, H, 0, d);
        self.vec(VecOp::Mul, O, G, T, d);
        self.bitlinear(M, O, &part(5), &layer.o_proj)?;
        self.vec(VecOp::Add, S, X, M, d);
        // Channel mixer: gu = bitlinear(norm(s)) as one group of 2I rows; x' = s + down(SiLU(gate) up).
        self.norm(A, S, &part(6), d)?;
        self.quant_gemv(A, &part(7), &layer.gate_proj)?;
        for (vd, first) in [(GATE, 0), (UP, n)] {
            self.push(Instr::Dequant {
                vd,
                len: n as u32,
                first: first as u32,
                group: 2 * n as u32,
            });
        }
        self.vec(VecOp::Silu, GATE, GATE, 0, n);
        self.vec(VecOp::Mul, O, GATE, UP, n);
        self.bitlinear(M, O, &part(8), &layer.down_proj)?;
        self.vec(VecOp::Add, X, S, M, d);
        Ok(())
    }

    fn head(&mut self, model: &Model) -> Result<()> {
        let (d, v) = (model.shape.hidden as u32, model.shape.vocab as u32);
        self.out.labels.push((self.out.instrs.len(), "head".into()));
        self.norm(A, X, names::FINAL_NORM, d as usize)?;
        self.quant_gemv(A, names::LM_HEAD, &model.lm_head)?;
        let (addr, stride) = self.data.operand(crate::symbols::OUTPUTS)?;
        self.push(Instr::StoreAcc {
            len: v,
            addr,
            stride,
        });
        let (addr, _) = self.data.operand(crate::symbols::IO_OUTPUTS)?;
        self.push(Instr::Argmax { len: v, addr });
        self.push(Instr::End);
        Ok(())
    }
}

/// Emits the per-token program; with `trace`, the residual stream is stored after every layer.
pub fn emit(
    model: &Model,
    data: &DataBank,
    weights: &WeightPlan<'_>,
    trace: bool,
) -> Result<Program> {
    let mut e = Emitter {
        data,
        weights,
        out: Program::default(),
    };
    let (table, row_stride) = {
        let s = data.symbol(names::EMBEDDING)?;
        (s.offset as u32, (s.bytes / s.elements.max(1)) as u32)
    };
    e.out.labels.push((0, "embedding".into()));
    e.push(Instr::Embed {
        vd: X,
        len: model.shape.hidden as u32,
        table,
        row_stride,
    });
    for l in 0..model.layers.len() {
        e.layer(model, l)?;
        if trace {
            let (addr, stride) = data.operand(&crate::symbols::trace(l))?;
            e.push(Instr::StoreV {
                va: X,
                len: model.shape.hidden as u32,
                addr,
                stride,
            });
        }
    }
    e.head(model)?;
    Ok(e.out)
}
