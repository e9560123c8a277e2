//! Pipelined adder tree (DESIGN.md section 4: the ternary path adds, it never multiplies): the
//! reduction stage of the ternary-accumulate engine, summing `LANES` signed lanes per cycle.
//!
//! Level 0 holds the lanes; level `d` holds `ceil(n_{d-1} / 2)` nodes of `WIDTH + d` bits, each the
//! sum of two neighbours of level `d - 1` (an odd node out passes through, sign-extended). Sums are
//! exact at every level, so the output `WIDTH + ceil(log2 LANES)` bits never overflow. A register
//! closes every `register_every`-th level and always the last one, so the latency is
//! [`adder_tree_latency`]; a valid bit travels alongside the data. The pipeline is free-running
//! (no stall input): put a [`crate::SkidBuffer`] or FIFO behind it when the consumer can stall.
//!
//! The block writes its own Verilog from the same [`Plan`] its simulation follows, so each level is
//! only as wide as it must be; Verilator checks the two against each other in `mmfree-sim`'s tests.

use rust_hdl::core::bits::clog2;
use rust_hdl::prelude::*;

use crate::error::{Error, Result};

/// Output width of a tree over `lanes` lanes of `width` bits: `width + ceil(log2 lanes)`.
pub const fn adder_tree_out_bits(lanes: usize, width: usize) -> usize {
    width + clog2(lanes)
}

/// Cycles from a vector on `in_data` to its sum on `out_sum`: `max(1, ceil(levels / k))`.
pub const fn adder_tree_latency(lanes: usize, register_every: usize) -> usize {
    let levels = clog2(lanes);
    let k = if register_every == 0 {
        1
    } else {
        register_every
    };
    if levels == 0 { 1 } else { levels.div_ceil(k) }
}

/// Declares `type $name = AdderTree<..>` with the input and output widths derived from lanes and width.
#[macro_export]
macro_rules! declare_adder_tree {
    ($name: ident, $lanes: expr, $width: expr) => {
        pub type $name = $crate::AdderTree<
            { $lanes },
            { $width },
            { $lanes * $width },
            { $crate::adder_tree_out_bits($lanes, $width) },
        >;
    };
}

/// A pipelined tree summing `LANES` signed `WIDTH`-bit lanes; declare it with [`declare_adder_tree!`].
#[derive(LogicBlock)]
pub struct AdderTree<
    const LANES: usize,
    const WIDTH: usize,
    const IN_BITS: usize,
    const OUT_BITS: usize,
> {
    /// Pipeline clock; every register of the tree samples on its rising edge.
    pub clock: Signal<In, Clock>,
    /// High when `in_data` holds a vector to sum.
    pub in_valid: Signal<In, Bit>,
    /// The lanes, two's complement, lane `i` in bits `[i*WIDTH, (i+1)*WIDTH)`.
    pub in_data: Signal<In, Bits<IN_BITS>>,
    /// `in_valid` delayed by the latency: high when `out_sum` is a sum.
    pub out_valid: Signal<Out, Bit>,
    /// The exact sum of the lanes that entered `latency` cycles earlier.
    pub out_sum: Signal<Out, Signed<OUT_BITS>>,
    _plan: Plan,
    _state: State,
}

/// The structure shared by simulation and Verilog: node counts and register placement per level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Lane width (level `d` is `width + d` bits wide).
    pub width: usize,
    /// Nodes per level; level 0 holds the lanes, the last level one node.
    pub counts: Vec<usize>,
    /// Whether a register closes each level.
    pub registered: Vec<bool>,
}

impl Plan {
    /// The plan of a tree over `lanes` lanes of `width` bits with a register every `k` levels.
    pub fn new(lanes: usize, width: usize, k: usize) -> Plan {
        let mut counts = vec![lanes];
        while *counts.last().unwrap_or(&1) > 1 {
            counts.push(counts[counts.len() - 1].div_ceil(2));
        }
        let last = counts.len() - 1;
        let registered = (0..=last)
            .map(|d| d == last || d > 0 && d % k == 0)
            .collect();
        Plan {
            width,
            counts,
            registered,
        }
    }

    /// Number of register stages, i.e. the latency in cycles.
    pub fn latency(&self) -> usize {
        self.registered.iter().filter(|r| **r).count()
    }

    /// The next values of every level, given the lanes and the current register contents.
    fn evaluate(&self, lanes: Vec<i64>, regs: &[Vec<i64>]) -> Vec<Vec<i64>> {
        let mut levels = vec![lanes];
        for d in 1..self.counts.len() {
            let src = if self.registered[d - 1] {
                &regs[d - 1]
            } else {
                &levels[d - 1]
            };
            let next = src.chunks(2).map(|pair| pair.iter().sum()).collect();
            levels.push(next);
        }
        levels
    }
}

/// Register contents of the simulation model: one vector per level (empty if not registered).
#[derive(Clone, Debug, Default)]
struct State {
    regs: Vec<Vec<i64>>,
    valid: Vec<bool>,
}

impl<const LANES: usize, const WIDTH: usize, const IN_BITS: usize, const OUT_BITS: usize>
    AdderTree<LANES, WIDTH, IN_BITS, OUT_BITS>
{
    /// A tree with a register closing every `register_every`-th level (1 = every level).
    pub fn new(register_every: usize) -> Result<Self> {
        let bad = |param, value: usize, why: &str| {
            Err(Error::InvalidParameter {
                block: "AdderTree",
                param,
                value: value as i128,
                why: why.into(),
            })
        };
        if LANES == 0 {
            return bad("LANES", LANES, "at least one lane");
        }
        if !(1..=63).contains(&WIDTH) {
            return bad("WIDTH", WIDTH, "lanes are 1..=63 bits wide");
        }
        if IN_BITS != LANES * WIDTH {
            return bad(
                "IN_BITS",
                IN_BITS,
                "must be LANES * WIDTH (use declare_adder_tree!)",
            );
        }
        if OUT_BITS != adder_tree_out_bits(LANES, WIDTH) || OUT_BITS > 64 {
            return bad(
                "OUT_BITS",
                OUT_BITS,
                "must be WIDTH + ceil(log2 LANES) <= 64 (use declare_adder_tree!)",
            );
        }
        if register_every == 0 {
            return bad("register_every", register_every, "at least 1");
        }
        let plan = Plan::new(LANES, WIDTH, register_every);
        let state = State {
            regs: plan
                .counts
                .iter()
                .zip(&plan.registered)
                .map(|(&n, &r)| vec![0; if r { n } else { 0 }])
                .collect(),
            valid: vec![false; plan.latency()],
        };
        Ok(AdderTree {
            clock: Default::default(),
            in_valid: Default::default(),
            in_data: Default::default(),
            out_valid: Default::default(),
            out_sum: Default::default(),
            _plan: plan,
            _state: state,
        })
    }

    /// The structure this tree simulates and emits.
    pub fn plan(&self) -> &Plan {
        &self._plan
    }

    /// Lane `i` of the current input, sign-extended.
    fn lane(&self, i: usize) -> i64 {
        let raw = self.in_data.val().get_bits::<WIDTH>(i * WIDTH).to_u64();
        ((raw << (64 - WIDTH)) as i64) >> (64 - WIDTH)
    }

    /// Advances the model by one rising edge.
    fn clock_edge(&mut self) {
        let lanes = (0..LANES).map(|i| self.lane(i)).collect();
        let levels = self._plan.evaluate(lanes, &self._state.regs);
        for (d, level) in levels.into_iter().enumerate() {
            if self._plan.registered[d] {
                self._state.regs[d] = level;
            }
        }
        self._state.valid.rotate_right(1);
        self._state.valid[0] = self.in_valid.val();
    }
}

impl<const LANES: usize, const WIDTH: usize, const IN_BITS: usize, const OUT_BITS: usize> Logic
    for AdderTree<LANES, WIDTH, IN_BITS, OUT_BITS>
{
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.clock_edge();
        }
        let last = self._plan.counts.len() - 1;
        let sum = self._state.regs[last][0] as u64;
        let mask = if OUT_BITS == 64 {
            u64::MAX
        } else {
            (1u64 << OUT_BITS) - 1
        };
        self.out_sum.next = signed_cast(Bits::<OUT_BITS>::from(sum & mask));
        self.out_valid.next = self._state.valid[self._state.valid.len() - 1];
    }

    fn connect(&mut self) {
        self.out_sum.connect();
        self.out_valid.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(crate::adder_tree_verilog::body(&self._plan))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    declare_adder_tree!(Tree8x3, 8, 3);

    /// Drives `vectors` through the tree one per cycle and checks every output cycle against a
    /// plain sum delayed by the latency formula.
    fn run<const L: usize, const W: usize, const I: usize, const O: usize>(
        k: usize,
        vectors: &[(bool, Vec<i64>)],
    ) {
        let mut uut = AdderTree::<L, W, I, O>::new(k).unwrap();
        uut.connect_all();
        let latency = adder_tree_latency(L, k);
        assert_eq!(uut.plan().latency(), latency);
        // After the tick that takes vector t in, the output shows vector t - latency + 1.
        let mut expected = std::collections::VecDeque::from(vec![(false, 0i64); latency - 1]);
        for (cycle, (valid, lanes)) in vectors.iter().enumerate() {
            let mut data = Bits::<I>::default();
            for (i, v) in lanes.iter().enumerate() {
                data.set_bits::<W>(i * W, Bits::<W>::from(*v as u64 & ((1u64 << W) - 1)));
            }
            uut.in_data.next = data;
            uut.in_valid.next = *valid;
            uut.clock.next = Clock::from(true);
            assert!(simulate(&mut uut, 100));
            uut.clock.next = Clock::from(false);
            assert!(simulate(&mut uut, 100));
            expected.push_back((*valid, lanes.iter().sum()));
            let (want_valid, want_sum) = expected.pop_front().unwrap();
            let got = uut.out_sum.val().bigint();
            assert_eq!(
                uut.out_valid.val(),
                want_valid,
                "valid at cycle {cycle}, k {k}"
            );
            assert_eq!(
                got,
                want_sum.into(),
                "sum at cycle {cycle}, k {k}, lanes {L}"
            );
        }
    }

    fn random_vectors(lanes: usize, width: usize, n: usize, seed: u64) -> Vec<(bool, Vec<i64>)> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let lo = -(1i64 << (width - 1));
        let hi = (1i64 << (width - 1)) - 1;
        (0..n)
            .map(|i| {
                // Every 16th vector is all-extreme, to hit both output bounds.
                let lanes = match i % 16 {
                    0 => vec![lo; lanes],
                    1 => vec![hi; lanes],
                    _ => (0..lanes).map(|_| rng.gen_range(lo..=hi)).collect(),
                };
                (rng.gen_bool(0.7), lanes)
            })
            .collect()
    }

    #[test]
    fn exhaustive_three_lanes_of_four_bits() {
        // All 16^3 input vectors, for every register spacing.
        let all: Vec<(bool, Vec<i64>)> = (0..4096i64)
            .map(|n| {
                (
                    n % 3 != 0,
                    (0..3)
                        .map(|i| {
                            ((n >> (4 * i)) & 15) - if (n >> (4 * i)) & 8 != 0 { 16 } else { 0 }
                        })
                        .collect(),
                )
            })
            .collect();
        for k in 1..=3 {
            run::<3, 4, 12, 6>(k, &all);
        }
    }

    #[test]
    fn eight_lanes_of_three_bits_random_and_extremes() {
        for k in 1..=4 {
            run::<8, 3, 24, 6>(k, &random_vectors(8, 3, 2000, 7 + k as u64));
        }
    }

    #[test]
    fn one_lane_is_a_register() {
        run::<1, 5, 5, 5>(1, &random_vectors(1, 5, 200, 1));
    }

    #[test]
    fn odd_and_wide_trees_match_the_plain_sum() {
        for k in [1, 2, 4] {
            run::<13, 8, 104, 12>(k, &random_vectors(13, 8, 1000, 100 + k as u64));
            run::<64, 9, 576, 15>(k, &random_vectors(64, 9, 300, 200 + k as u64));
        }
    }

    #[test]
    fn latency_formula() {
        assert_eq!(adder_tree_latency(64, 1), 6);
        assert_eq!(adder_tree_latency(64, 2), 3);
        assert_eq!(adder_tree_latency(64, 4), 2);
        assert_eq!(adder_tree_latency(13, 3), 2);
        assert_eq!(adder_tree_latency(1, 1), 1);
        assert_eq!(adder_tree_out_bits(64, 9), 15);
        assert_eq!(Plan::new(13, 8, 1).counts, vec![13, 7, 4, 2, 1]);
    }

    #[test]
    fn macro_derives_the_widths() {
        let t = Tree8x3::new(1).unwrap();
        assert_eq!((t.in_data.bits(), t.out_sum.bits()), (24, 6));
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert!(matches!(
            Tree8x3::new(0),
            Err(Error::InvalidParameter {
                param: "register_every",
                ..
            })
        ));
        let wrong = AdderTree::<4, 8, 31, 10>::new(1);
        assert!(matches!(
            wrong,
            Err(Error::InvalidParameter {
                param: "IN_BITS",
                ..
            })
        ));
    }

    fn lint_and_synth<const L: usize, const W: usize, const I: usize, const O: usize>(
        k: usize,
        name: &str,
    ) {
        let mut uut = AdderTree::<L, W, I, O>::new(k).unwrap();
        uut.connect_all();
        let dir = tempfile::tempdir().unwrap();
        let path = crate::emit_to_dir(&uut, name, dir.path()).unwrap();
        crate::lint(&path).unwrap();
        crate::synth_check(&path, name).unwrap();
    }

    #[test]
    fn adder_tree_is_synthesizable() {
        lint_and_synth::<3, 4, 12, 6>(1, "tree3x4");
        lint_and_synth::<13, 8, 104, 12>(2, "tree13x8");
        lint_and_synth::<64, 9, 576, 15>(3, "tree64x9");
        lint_and_synth::<1, 5, 5, 5>(1, "tree1x5");
    }
}
