//! A pipelined signed multiplier (neuron-models.md section 4.6: the neuron's few real multiplies go
//! to DSP blocks). rust-hdl 0.46 multiplies only 16 x 16 bits, so the block writes its own
//! Verilog: operand registers and a product register, the shape that yosys and Vivado pack into
//! DSP48E2 slices (wide products are split across several).

use rust_hdl::prelude::*;

use super::bits::{from_bits, to_bits};

/// Register stages from the operands to the product.
pub const MUL_LATENCY: usize = 2;

/// `p = a * b` for two's-complement `a` (`A` bits) and `b` (`B` bits), sign-extended to `P`
/// bits (`P >= A + B`, so the product is exact), two enabled cycles after the operands.
#[derive(LogicBlock)]
pub struct SignedMul<const A: usize, const B: usize, const P: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the pipeline advances only when high.
    pub ce: Signal<In, Bit>,
    /// Multiplicand, two's complement.
    pub a: Signal<In, Bits<A>>,
    /// Multiplier, two's complement.
    pub b: Signal<In, Bits<B>>,
    /// The exact product of the operands two enabled cycles earlier.
    pub p: Signal<Out, Bits<P>>,
    _regs: [i128; 3],
}

impl<const A: usize, const B: usize, const P: usize> Default for SignedMul<A, B, P> {
    fn default() -> Self {
        assert!(P >= A + B && P <= 127, "SignedMul needs A + B <= P <= 127");
        SignedMul {
            clock: Default::default(),
            ce: Default::default(),
            a: Default::default(),
            b: Default::default(),
            p: Default::default(),
            _regs: [0; 3],
        }
    }
}

impl<const A: usize, const B: usize, const P: usize> Logic for SignedMul<A, B, P> {
    fn update(&mut self) {
        if self.clock.pos_edge() && self.ce.val() {
            let [a, b, _] = self._regs;
            self._regs = [from_bits(self.a.val()), from_bits(self.b.val()), a * b];
        }
        self.p.next = to_bits(self._regs[2]);
    }

    fn connect(&mut self) {
        self.p.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(format!(
            "\
reg signed [{am}:0] a_reg;
reg signed [{bm}:0] b_reg;
reg signed [{pm}:0] p_reg;
initial begin
    a_reg = {A}'d0;
    b_reg = {B}'d0;
    p_reg = {P}'d0;
end
always @(posedge clock) begin
    if (ce) begin
        a_reg <= $signed(a);
        b_reg <= $signed(b);
        p_reg <= $signed({{{{({P}-{A}){{a_reg[{am}]}}}}, a_reg}}) * $signed({{{{({P}-{B}){{b_reg[{bm}]}}}}, b_reg}});
    end
end
always @(*) begin
    p = p_reg;
end
",
            am = A - 1,
            bm = B - 1,
            pm = P - 1,
        ))
    }
}
