//! A lane's field placed into a packed multi-lane bus: rust-hdl cannot `bit_cast` inside a loop
//! over lanes, so each lane gets one of these and the unit ORs the placed fields together.

use rust_hdl::prelude::*;

/// `q` is the `W`-bit `a` zero-extended to `N` bits and shifted up to bit `at`: one lane's field
/// placed in a packed bus (combinational).
#[derive(LogicBlock)]
pub struct Place<const W: usize, const N: usize> {
    /// The field.
    pub a: Signal<In, Bits<W>>,
    /// The bus with the field at its place and zeros elsewhere.
    pub q: Signal<Out, Bits<N>>,
    at: Constant<Bits<16>>,
}

impl<const W: usize, const N: usize> Place<W, N> {
    /// A field placed at bit `at` (`at + W <= N`).
    pub fn at(at: usize) -> Self {
        assert!(at + W <= N, "the field must fit the bus");
        Place {
            a: Default::default(),
            q: Default::default(),
            at: Constant::new(Bits::<16>::from(at as u64)),
        }
    }
}

impl<const W: usize, const N: usize> Logic for Place<W, N> {
    #[hdl_gen]
    fn update(&mut self) {
        self.q.next = bit_cast::<N, W>(self.a.val()) << self.at.val();
    }
}
