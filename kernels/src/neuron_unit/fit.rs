//! `FIT(z, W, mode)` of neuron-models.md section 4.3 into a state register of run-time width
//! `W` of 16, 24 or 32 bits (`mmfree_spec::neuron::fit_state`), registered once.
//!
//! `wrapped` is `z` reduced to `W` bits and sign-extended back, so `z` fits exactly when
//! `wrapped == z`. Then `wrap` is `wrapped`; `wrap_lava` is `wrapped` with `-2^(W-1)` read as
//! `+2^(W-1)` (the reference wraps first, docs/NEURON.md section 8 item 1); `sat` clips to
//! `[-2^(W-1), 2^(W-1) - 1]` by the sign of `z`; `sat_sym` clips like `sat` and then lifts
//! `-2^(W-1)` to `-(2^(W-1) - 1)`. The result is a 33-bit state value (`wrap_lava` may give
//! `+2^31` at `W = 32`). The width and the rule are static while the pipeline runs.

use mmfree_spec::neuron::regs;
use rust_hdl::prelude::*;

use super::STATE_BITS;
use super::bits::to_bits;

/// Register stages from `z` to `q`.
pub const FIT_LATENCY: usize = 1;

/// `q = FIT(z, W, ovf)` of the `z` one enabled cycle earlier.
#[derive(LogicBlock)]
pub struct FitState<const N: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the register loads only when high.
    pub ce: Signal<In, Bit>,
    /// The unnarrowed value, two's complement.
    pub z: Signal<In, Bits<N>>,
    /// Width code of the register (`regs::WIDTH_*`).
    pub w: Signal<In, Bits<2>>,
    /// Overflow code (`regs::OVF_*`).
    pub ovf: Signal<In, Bits<2>>,
    /// The state value, 33-bit two's complement.
    pub q: Signal<Out, Bits<STATE_BITS>>,
    out: DFF<Bits<STATE_BITS>>,
    mask: Signal<Local, Bits<N>>,
    sign_w: Signal<Local, Bits<N>>,
    min: Signal<Local, Bits<STATE_BITS>>,
    max: Signal<Local, Bits<STATE_BITS>>,
    wrapped: Signal<Local, Bits<N>>,
    low: Signal<Local, Bits<STATE_BITS>>,
    clipped: Signal<Local, Bits<STATE_BITS>>,
    result: Signal<Local, Bits<STATE_BITS>>,
    sign_n: Constant<Bits<N>>,
    masks: [Constant<Bits<N>>; 3],
    signs: [Constant<Bits<N>>; 3],
    mins: [Constant<Bits<STATE_BITS>>; 3],
    maxs: [Constant<Bits<STATE_BITS>>; 3],
    wider_codes: [Constant<Bits<2>>; 2],
    wrap_lava: Constant<Bits<2>>,
    sat: Constant<Bits<2>>,
    sat_sym: Constant<Bits<2>>,
    one: Constant<Bits<STATE_BITS>>,
}

impl<const N: usize> Default for FitState<N> {
    fn default() -> Self {
        assert!(
            N > 33 && N <= 127,
            "FitState narrows a value wider than the state"
        );
        let width = |i: usize| 16 + 8 * i as u32;
        let half = |i: usize| 1i128 << (width(i) - 1);
        let code = |c: u64| Constant::new(Bits::<2>::from(c));
        FitState {
            clock: Default::default(),
            ce: Default::default(),
            z: Default::default(),
            w: Default::default(),
            ovf: Default::default(),
            q: Default::default(),
            out: Default::default(),
            mask: Default::default(),
            sign_w: Default::default(),
            min: Default::default(),
            max: Default::default(),
            wrapped: Default::default(),
            low: Default::default(),
            clipped: Default::default(),
            result: Default::default(),
            sign_n: Constant::new(to_bits(1i128 << (N - 1))),
            masks: std::array::from_fn(|i| Constant::new(to_bits(2 * half(i) - 1))),
            signs: std::array::from_fn(|i| Constant::new(to_bits(half(i)))),
            mins: std::array::from_fn(|i| Constant::new(to_bits(-half(i)))),
            maxs: std::array::from_fn(|i| Constant::new(to_bits(half(i) - 1))),
            wider_codes: [regs::WIDTH_24, regs::WIDTH_32].map(code),
            wrap_lava: code(regs::OVF_WRAP_LAVA),
            sat: code(regs::OVF_SAT),
            sat_sym: code(regs::OVF_SAT_SYM),
            one: Constant::new(to_bits(1)),
        }
    }
}

impl<const N: usize> Logic for FitState<N> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, out);
        self.q.next = self.out.q.val();
        // The width's constants: 16 bits unless the code says 24 or 32 (`16 + 8 * code`).
        self.mask.next = self.masks[0].val();
        self.sign_w.next = self.signs[0].val();
        self.min.next = self.mins[0].val();
        self.max.next = self.maxs[0].val();
        for i in 1..3 {
            if self.w.val() == self.wider_codes[i - 1].val() {
                self.mask.next = self.masks[i].val();
                self.sign_w.next = self.signs[i].val();
                self.min.next = self.mins[i].val();
                self.max.next = self.maxs[i].val();
            }
        }
        self.wrapped.next =
            ((self.z.val() & self.mask.val()) ^ self.sign_w.val()) - self.sign_w.val();
        self.low.next = bit_cast::<STATE_BITS, N>(self.wrapped.val());
        self.clipped.next = self.low.val();
        if self.wrapped.val() != self.z.val() {
            self.clipped.next = self.max.val();
            if (self.z.val() & self.sign_n.val()).any() {
                self.clipped.next = self.min.val();
            }
        }
        self.result.next = self.low.val();
        if (self.ovf.val() == self.wrap_lava.val()) & (self.low.val() == self.min.val()) {
            self.result.next = self.one.val() + !self.min.val();
        }
        if self.ovf.val() == self.sat.val() {
            self.result.next = self.clipped.val();
        }
        if self.ovf.val() == self.sat_sym.val() {
            self.result.next = self.clipped.val();
            if self.clipped.val() == self.min.val() {
                self.result.next = self.min.val() + self.one.val();
            }
        }
        if self.ce.val() {
            self.out.d.next = self.result.val();
        }
    }
}
