//! One rounded product of neuron-models.md section 4.3, `RND(a * b, n, mode)`: the shape of every
//! multiply of the neuron (input gain, decays, gate), a [`SignedMul`] followed by a
//! [`RoundShift`].

use rust_hdl::prelude::*;

use super::round_shift::{ROUND_LATENCY, RoundShift};
use super::signed_mul::{MUL_LATENCY, SignedMul};

/// Register stages from the operands to the rounded product.
pub const MUL_ROUND_LATENCY: usize = MUL_LATENCY + ROUND_LATENCY;

/// `q = RND(a * b, n, mode)` with two's-complement operands and a `P`-bit result (`P >= A + B`).
#[derive(LogicBlock, Default)]
pub struct MulRound<const A: usize, const B: usize, const P: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the pipeline advances only when high.
    pub ce: Signal<In, Bit>,
    /// Multiplicand, two's complement.
    pub a: Signal<In, Bits<A>>,
    /// Multiplier, two's complement.
    pub b: Signal<In, Bits<B>>,
    /// Fraction bits to round away (static while the pipeline runs).
    pub n: Signal<In, Bits<5>>,
    /// Rounding code (`regs::ROUND_*`, static while the pipeline runs).
    pub mode: Signal<In, Bits<3>>,
    /// `RND(a * b, n, mode)` of the operands [`MUL_ROUND_LATENCY`] enabled cycles earlier.
    pub q: Signal<Out, Bits<P>>,
    mul: SignedMul<A, B, P>,
    round: RoundShift<P>,
}

impl<const A: usize, const B: usize, const P: usize> Logic for MulRound<A, B, P> {
    #[hdl_gen]
    fn update(&mut self) {
        self.mul.clock.next = self.clock.val();
        self.mul.ce.next = self.ce.val();
        self.mul.a.next = self.a.val();
        self.mul.b.next = self.b.val();
        self.round.clock.next = self.clock.val();
        self.round.ce.next = self.ce.val();
        self.round.z.next = self.mul.p.val();
        self.round.n.next = self.n.val();
        self.round.mode.next = self.mode.val();
        self.q.next = self.round.q.val();
    }
}
