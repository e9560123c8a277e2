//! `RND(z, n, mode)` of neuron-models.md section 4.3 in hardware: a right shift by a run-time
//! amount with any of the five rounding modes of `mmfree_spec::round::Round`, pipelined in two
//! register stages.
//!
//! Stage 1 forms the floor quotient `q = z >> n` (arithmetic: `((z ^ S) >> n) - (S >> n)` with
//! `S = 2^(N-1)`), and the three bits every mode decides from: the guard bit `z[n-1]`, the sticky
//! bit (any of `z[n-2:0]`) and the quotient's lowest bit `z[n]`. With `n = 0` all of them are 0.
//! The increment is then, per mode:
//!
//! | mode | `q + 1` when |
//! |---|---|
//! | `floor` | never |
//! | `rtz` | `z < 0` and the remainder is not 0 (`guard` or `sticky`) |
//! | `rhu` | `guard` (remainder `>= 2^(n-1)`) |
//! | `rhaz` | `guard` and (`sticky` or `z >= 0`): above half, or half of a non-negative value |
//! | `rne` | `guard` and (`sticky` or `q` odd) |
//!
//! Stage 2 adds the increment. `q + 1` never overflows: with `n >= 1` the quotient is at most
//! `(2^(N-1) - 1) / 2`. The shift amount must be at most `N - 2` (every use shifts by at most 31
//! bits of a value of at least 33).

use mmfree_spec::neuron::regs;
use rust_hdl::prelude::*;

/// Register stages from `z` to `q`.
pub const ROUND_LATENCY: usize = 2;

/// `q = RND(z, n, mode)` for an `N`-bit two's-complement `z`, two cycles after `z`.
#[derive(LogicBlock)]
pub struct RoundShift<const N: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the pipeline advances only when high.
    pub ce: Signal<In, Bit>,
    /// The value to divide by `2^n`, two's complement.
    pub z: Signal<In, Bits<N>>,
    /// The shift `n` (static while the pipeline runs).
    pub n: Signal<In, Bits<5>>,
    /// The rounding code (`regs::ROUND_*`, static while the pipeline runs).
    pub mode: Signal<In, Bits<3>>,
    /// The rounded quotient of the `z` two enabled cycles earlier.
    pub q: Signal<Out, Bits<N>>,
    floor: DFF<Bits<N>>,
    inc: DFF<Bit>,
    out: DFF<Bits<N>>,
    bit_n: Signal<Local, Bits<N>>,
    half: Signal<Local, Bits<N>>,
    guard: Signal<Local, Bit>,
    sticky: Signal<Local, Bit>,
    odd: Signal<Local, Bit>,
    neg: Signal<Local, Bit>,
    up: Signal<Local, Bit>,
    one: Constant<Bits<N>>,
    sign: Constant<Bits<N>>,
    rtz: Constant<Bits<3>>,
    rhu: Constant<Bits<3>>,
    rhaz: Constant<Bits<3>>,
    rne: Constant<Bits<3>>,
}

impl<const N: usize> Default for RoundShift<N> {
    fn default() -> Self {
        assert!(N >= 33, "RoundShift needs N >= 33 for shifts up to 31");
        let code = |c: u64| Constant::new(Bits::<3>::from(c));
        RoundShift {
            clock: Default::default(),
            ce: Default::default(),
            z: Default::default(),
            n: Default::default(),
            mode: Default::default(),
            q: Default::default(),
            floor: Default::default(),
            inc: Default::default(),
            out: Default::default(),
            bit_n: Default::default(),
            half: Default::default(),
            guard: Default::default(),
            sticky: Default::default(),
            odd: Default::default(),
            neg: Default::default(),
            up: Default::default(),
            one: Constant::new(Bits::<N>::from(1u64)),
            sign: Constant::new(Bits::<N>::from(1u64) << ((N - 1) as u64)),
            rtz: code(regs::ROUND_RTZ),
            rhu: code(regs::ROUND_RHU),
            rhaz: code(regs::ROUND_RHAZ),
            rne: code(regs::ROUND_RNE),
        }
    }
}

impl<const N: usize> Logic for RoundShift<N> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, floor, inc, out);
        self.q.next = self.out.q.val();
        // Masks of bit n and bit n-1 (0 when n = 0); sticky covers the bits below n-1.
        self.bit_n.next = self.one.val() << self.n.val();
        self.half.next = self.bit_n.val() >> 1;
        self.guard.next = (self.z.val() & self.half.val()).any();
        self.sticky.next = (self.z.val()
            & (self.half.val() - self.one.val())
            & (self.bit_n.val() - self.one.val()))
        .any();
        self.odd.next = (self.z.val() & self.bit_n.val()).any();
        self.neg.next = (self.z.val() & self.sign.val()).any();
        self.up.next = false;
        if self.mode.val() == self.rtz.val() {
            self.up.next = self.neg.val() & (self.guard.val() | self.sticky.val());
        }
        if self.mode.val() == self.rhu.val() {
            self.up.next = self.guard.val();
        }
        if self.mode.val() == self.rhaz.val() {
            self.up.next = self.guard.val() & (self.sticky.val() | !self.neg.val());
        }
        if self.mode.val() == self.rne.val() {
            self.up.next = self.guard.val() & (self.sticky.val() | self.odd.val());
        }
        if self.ce.val() {
            self.floor.d.next = ((self.z.val() ^ self.sign.val()) >> self.n.val())
                - (self.sign.val() >> self.n.val());
            self.inc.d.next = self.up.val();
            self.out.d.next = self.floor.q.val() + self.inc.q.val();
        }
    }
}
