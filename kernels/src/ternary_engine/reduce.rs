//! Reduction of the engine's selected lanes (DESIGN.md section 4: add only): one `mmfree_hdl`
//! [`AdderTree`] of `K` 8-bit lanes per sequence, one tree of `K` 1-bit lanes for the shared
//! negative-weight count, and a delay line that carries each beat's flags alongside the trees.
//!
//! The count tree reads every `neg` bit as the signed 1-bit value -1, so `neg_sum = -popcount(neg)`
//! and the beat's true sum for sequence `b` is `sums[b] - neg_sum` (formed by the accumulator).
//! Every level of every tree is registered ([`super::config::TREE_REGISTER_EVERY`]); all trees
//! have the same latency, so the outputs of one beat appear together. The block writes its own
//! Verilog (wiring of the trees and the flag delay line); its simulation follows the same rules.

use std::collections::VecDeque;
use std::fmt::Write;

use mmfree_hdl::AdderTree;
use rust_hdl::prelude::*;

use super::config::{CODE_BITS, TREE_REGISTER_EVERY};
use super::decode::BeatFlags;
use crate::error::Result;

/// `B` value trees and one count tree over `K` lanes; `BSUM = B * SUM`.
#[derive(LogicBlock)]
pub struct LaneReduce<
    const K: usize,
    const K8: usize,
    const BK8: usize,
    const SUM: usize,
    const NEG: usize,
    const BSUM: usize,
> {
    /// Clock of every tree and of the flag delay line.
    pub clock: Signal<In, Clock>,
    // Selected lanes (from S1)
    /// The lanes hold a beat.
    pub in_valid: Signal<In, Bit>,
    /// First beat of its row.
    pub in_first: Signal<In, Bit>,
    /// Last beat of its row.
    pub in_last: Signal<In, Bit>,
    /// Lane `j` of sequence `b` in bits `[8(bK + j), 8(bK + j) + 8)`.
    pub lanes: Signal<In, Bits<BK8>>,
    /// The negative-weight lanes.
    pub neg: Signal<In, Bits<K>>,
    // Sums, the tree latency later
    /// The outputs hold a beat.
    pub out_valid: Signal<Out, Bit>,
    /// First beat of its row.
    pub out_first: Signal<Out, Bit>,
    /// Last beat of its row.
    pub out_last: Signal<Out, Bit>,
    /// Sum of sequence `b`'s lanes in bits `[b*SUM, (b+1)*SUM)`, two's complement.
    pub sums: Signal<Out, Bits<BSUM>>,
    /// Minus the number of negative-weight lanes, two's complement.
    pub neg_sum: Signal<Out, Bits<NEG>>,
    trees: Vec<AdderTree<K, CODE_BITS, K8, SUM>>,
    neg_tree: AdderTree<K, 1, K, NEG>,
    _flags: VecDeque<BeatFlags>,
}

impl<
    const K: usize,
    const K8: usize,
    const BK8: usize,
    const SUM: usize,
    const NEG: usize,
    const BSUM: usize,
> LaneReduce<K, K8, BK8, SUM, NEG, BSUM>
{
    /// Trees for `BK8 / K8` sequences.
    pub fn new() -> Result<Self> {
        let trees = (0..BK8 / K8)
            .map(|_| AdderTree::new(TREE_REGISTER_EVERY))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let neg_tree = AdderTree::new(TREE_REGISTER_EVERY)?;
        let latency = neg_tree.plan().latency();
        Ok(LaneReduce {
            clock: Default::default(),
            in_valid: Default::default(),
            in_first: Default::default(),
            in_last: Default::default(),
            lanes: Default::default(),
            neg: Default::default(),
            out_valid: Default::default(),
            out_first: Default::default(),
            out_last: Default::default(),
            sums: Default::default(),
            neg_sum: Default::default(),
            trees,
            neg_tree,
            _flags: VecDeque::from(vec![BeatFlags::default(); latency]),
        })
    }

    /// Cycles from `lanes` to `sums`.
    pub fn latency(&self) -> usize {
        self._flags.len()
    }
}

impl<
    const K: usize,
    const K8: usize,
    const BK8: usize,
    const SUM: usize,
    const NEG: usize,
    const BSUM: usize,
> Logic for LaneReduce<K, K8, BK8, SUM, NEG, BSUM>
{
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self._flags.pop_back();
            self._flags.push_front(BeatFlags {
                valid: self.in_valid.val(),
                first: self.in_first.val(),
                last: self.in_last.val(),
            });
        }
        let (clock, valid, lanes) = (self.clock.val(), self.in_valid.val(), self.lanes.val());
        let mut sums = Bits::<BSUM>::default();
        for (b, tree) in self.trees.iter_mut().enumerate() {
            tree.clock.next = clock;
            tree.in_valid.next = valid;
            tree.in_data.next = lanes.get_bits::<K8>(b * K8);
            sums.set_bits::<SUM>(b * SUM, unsigned_cast(tree.out_sum.val()));
        }
        self.neg_tree.clock.next = clock;
        self.neg_tree.in_valid.next = valid;
        self.neg_tree.in_data.next = self.neg.val();
        self.sums.next = sums;
        self.neg_sum.next = unsigned_cast(self.neg_tree.out_sum.val());
        let out = self._flags.back().copied().unwrap_or_default();
        self.out_valid.next = out.valid;
        self.out_first.next = out.first;
        self.out_last.next = out.last;
    }

    fn connect(&mut self) {
        for tree in &mut self.trees {
            tree.clock.connect();
            tree.in_valid.connect();
            tree.in_data.connect();
        }
        self.neg_tree.clock.connect();
        self.neg_tree.in_valid.connect();
        self.neg_tree.in_data.connect();
        self.sums.connect();
        self.neg_sum.connect();
        self.out_valid.connect();
        self.out_first.connect();
        self.out_last.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(self.trees.len(), K8, self.latency()))
    }
}

/// The module body: tree wiring and an `latency`-stage flag delay line.
fn verilog(batch: usize, k8: usize, latency: usize) -> String {
    let mut v = String::from("always @(*) begin\n");
    for b in 0..batch {
        let _ = writeln!(
            v,
            "    trees${b}$clock = clock;\n    trees${b}$in_valid = in_valid;\n    \
             trees${b}$in_data = lanes[{}:{}];",
            (b + 1) * k8 - 1,
            b * k8
        );
    }
    let parts: Vec<String> = (0..batch)
        .rev()
        .map(|b| format!("trees${b}$out_sum"))
        .collect();
    let _ = writeln!(
        v,
        "    neg_tree$clock = clock;\n    neg_tree$in_valid = in_valid;\n    neg_tree$in_data = neg;\n    \
         sums = {{{}}};\n    neg_sum = neg_tree$out_sum;\n    \
         out_valid = valid_{latency}; out_first = first_{latency}; out_last = last_{latency};\nend",
        parts.join(", ")
    );
    let mut init = Vec::new();
    let mut seq = Vec::new();
    for i in 1..=latency {
        let _ = writeln!(v, "reg valid_{i}, first_{i}, last_{i};");
        init.push(format!(
            "valid_{i} = 1'b0; first_{i} = 1'b0; last_{i} = 1'b0;"
        ));
        let (pv, pf, pl) = if i == 1 {
            (
                "in_valid".to_string(),
                "in_first".to_string(),
                "in_last".to_string(),
            )
        } else {
            let p = i - 1;
            (
                format!("valid_{p}"),
                format!("first_{p}"),
                format!("last_{p}"),
            )
        };
        seq.push(format!(
            "valid_{i} <= {pv}; first_{i} <= {pf}; last_{i} <= {pl};"
        ));
    }
    let _ = writeln!(
        v,
        "initial begin\n    {}\nend\nalways @(posedge clock) begin\n    {}\nend",
        init.join("\n    "),
        seq.join("\n    ")
    );
    v
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::ternary_engine::test_util::{Clocked, edge, lint_and_synth};

    /// Five lanes, two sequences: sums of 11 bits, counts of 4.
    type Reduce = LaneReduce<5, 40, 80, 11, 4, 22>;

    impl Clocked for Reduce {
        fn clock(&mut self) -> &mut Signal<In, Clock> {
            &mut self.clock
        }
    }

    /// Random lanes and flags in, every cycle; the plain sums, minus the negative count and the
    /// flags come out exactly `latency` edges later.
    #[test]
    fn sums_counts_and_flags_arrive_together() {
        let mut uut = Reduce::new().unwrap();
        uut.connect_all();
        let latency = uut.latency();
        assert_eq!(latency, 3);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut sent = std::collections::VecDeque::new();
        for cycle in 0..300 {
            let lanes: Vec<i8> = (0..10).map(|_| rng.r#gen()).collect();
            let neg: u8 = rng.gen_range(0..32);
            let flags: (bool, bool, bool) = (rng.r#gen(), rng.r#gen(), rng.r#gen());
            let mut bits = Bits::<80>::default();
            for (i, &v) in lanes.iter().enumerate() {
                bits.set_bits::<8>(8 * i, (v as u8 as u64).into());
            }
            uut.lanes.next = bits;
            uut.neg.next = (neg as u64).into();
            (uut.in_valid.next, uut.in_first.next, uut.in_last.next) = flags;
            edge(&mut uut);
            sent.push_back((lanes, neg, flags));
            if sent.len() < latency {
                continue;
            }
            let (lanes, neg, flags) = sent.pop_front().unwrap();
            let out = (uut.out_valid.val(), uut.out_first.val(), uut.out_last.val());
            assert_eq!(out, flags, "cycle {cycle}");
            for b in 0..2 {
                let want: i64 = lanes[5 * b..5 * b + 5].iter().map(|&v| v as i64).sum();
                let raw = uut.sums.val().get_bits::<11>(11 * b).to_u64();
                assert_eq!(
                    ((raw << 53) as i64) >> 53,
                    want,
                    "cycle {cycle} sequence {b}"
                );
            }
            let raw = uut.neg_sum.val().to_u64();
            assert_eq!(
                ((raw << 60) as i64) >> 60,
                -(neg.count_ones() as i64),
                "cycle {cycle}"
            );
        }
    }

    #[test]
    fn lane_reduce_is_synthesizable() {
        let mut uut = Reduce::new().unwrap();
        uut.connect_all();
        lint_and_synth(&uut, "lane_reduce");
    }
}
