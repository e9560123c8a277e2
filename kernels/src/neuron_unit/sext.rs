//! Sign extension between datapath widths, as the xor/subtract identity
//! `sext(a) = zext(a ^ S) - S` with `S = 2^(M-1)` (toolchain.md section 1: rust-hdl's
//! `signed_bit_cast` recurses forever on the minimum value; this form has no such case).

use rust_hdl::prelude::*;

use super::bits::to_bits;

/// `q` is the `M`-bit two's-complement `a` sign-extended to `N >= M` bits (combinational).
#[derive(LogicBlock)]
pub struct SignExtend<const M: usize, const N: usize> {
    /// The narrow value.
    pub a: Signal<In, Bits<M>>,
    /// The same value in `N` bits.
    pub q: Signal<Out, Bits<N>>,
    sign_m: Constant<Bits<M>>,
    sign_n: Constant<Bits<N>>,
}

impl<const M: usize, const N: usize> Default for SignExtend<M, N> {
    fn default() -> Self {
        assert!(M >= 1 && N >= M && N <= 127, "SignExtend widens");
        SignExtend {
            a: Default::default(),
            q: Default::default(),
            sign_m: Constant::new(to_bits(1i128 << (M - 1))),
            sign_n: Constant::new(to_bits(1i128 << (M - 1))),
        }
    }
}

impl<const M: usize, const N: usize> Logic for SignExtend<M, N> {
    #[hdl_gen]
    fn update(&mut self) {
        self.q.next = bit_cast::<N, M>(self.a.val() ^ self.sign_m.val()) - self.sign_n.val();
    }
}
