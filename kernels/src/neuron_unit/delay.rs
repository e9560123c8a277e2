//! A delay line with a clock enable: aligns values that skip pipeline stages of the neuron lane
//! with the values computed beside them (neuron-models.md section 4.1: one neuron per cycle).

use rust_hdl::prelude::*;

/// `q` is `d` of `L` enabled cycles earlier (`L >= 1`).
#[derive(LogicBlock)]
pub struct Delay<D: Synth, const L: usize> {
    /// Pipeline clock.
    pub clock: Signal<In, Clock>,
    /// Clock enable: the line shifts only when high.
    pub ce: Signal<In, Bit>,
    /// Value entering the line.
    pub d: Signal<In, D>,
    /// Value leaving the line.
    pub q: Signal<Out, D>,
    line: [DFF<D>; L],
}

impl<D: Synth, const L: usize> Default for Delay<D, L> {
    fn default() -> Self {
        assert!(L >= 1, "a delay line holds at least one stage");
        Delay {
            clock: Default::default(),
            ce: Default::default(),
            d: Default::default(),
            q: Default::default(),
            line: std::array::from_fn(|_| Default::default()),
        }
    }
}

impl<D: Synth, const L: usize> Logic for Delay<D, L> {
    #[hdl_gen]
    fn update(&mut self) {
        for i in 0..L {
            self.line[i].clock.next = self.clock.val();
            self.line[i].d.next = self.line[i].q.val();
        }
        if self.ce.val() {
            self.line[0].d.next = self.d.val();
            for i in 1..L {
                self.line[i].d.next = self.line[i - 1].q.val();
            }
        }
        for i in (L - 1)..L {
            self.q.next = self.line[i].q.val();
        }
    }
}
