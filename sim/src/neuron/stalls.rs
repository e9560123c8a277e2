//! Random input gaps and output back-pressure for the neuron-unit driver (STYLE.md house rule 6:
//! random stalls and back-pressure on every stream), from a seeded SplitMix64 sequence so that a
//! failing run replays exactly.

/// How often the driver withholds an input beat or a ready; the default never does.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stalls {
    /// Seed of the sequence.
    pub seed: u64,
    /// Probability that an input beat that could be offered is held back for a cycle.
    pub input_gap: f64,
    /// Probability that `out_ready` is low in a cycle.
    pub output_stall: f64,
}

impl Stalls {
    /// The next uniform draw in `[0, 1)` (SplitMix64).
    fn draw(&mut self) -> f64 {
        self.seed = self.seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether to hold back the input this cycle.
    pub(crate) fn input_gap(&mut self) -> bool {
        self.input_gap > 0.0 && self.draw() < self.input_gap
    }

    /// Whether to lower `out_ready` this cycle.
    pub(crate) fn output_stall(&mut self) -> bool {
        self.output_stall > 0.0 && self.draw() < self.output_stall
    }
}
