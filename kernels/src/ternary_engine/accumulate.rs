//! Row accumulation (NUMERICS.md: wide integer accumulators never saturate inside a reduction):
//! per sequence, the beat's true sum `d = sums[b] - neg_sum` is registered (stage D), then added to
//! the row's accumulator, which restarts on a row's first beat. On a row's last beat the finished
//! sums of all `B` sequences go out together (`out_write`, `out_data` = the accumulators' next
//! values) to the output FIFO.
//!
//! Widths: `ACC` holds `128 * (2^cols_bits - 1)` in magnitude (see `config`), so neither `d` nor
//! the accumulator can wrap for any `cols` the control accepts. The block writes its own Verilog;
//! its simulation follows the same rules.

use std::fmt::Write;

use rust_hdl::prelude::*;

use super::decode::BeatFlags;

/// `B = BACC / ACC` accumulators of `ACC` bits fed by `SUM`-bit beat sums (`BSUM = B * SUM`).
#[derive(LogicBlock)]
pub struct RowAccumulate<
    const SUM: usize,
    const BSUM: usize,
    const NEG: usize,
    const ACC: usize,
    const BACC: usize,
> {
    /// Clock of the difference and accumulator registers.
    pub clock: Signal<In, Clock>,
    // Beat sums (from the trees)
    /// The sums belong to a beat.
    pub in_valid: Signal<In, Bit>,
    /// First beat of its row.
    pub in_first: Signal<In, Bit>,
    /// Last beat of its row.
    pub in_last: Signal<In, Bit>,
    /// Sequence `b`'s lane sum in bits `[b*SUM, (b+1)*SUM)`, two's complement.
    pub sums: Signal<In, Bits<BSUM>>,
    /// Minus the beat's negative-weight count, two's complement.
    pub neg_sum: Signal<In, Bits<NEG>>,
    // Finished rows
    /// A row's sums are on `out_data` (write them to the output FIFO at this edge).
    pub out_write: Signal<Out, Bit>,
    /// Sequence `b`'s row sum in bits `[b*ACC, (b+1)*ACC)`, two's complement.
    pub out_data: Signal<Out, Bits<BACC>>,
    _flags: BeatFlags,
    _diff: Vec<i64>,
    _acc: Vec<i64>,
}

/// Sign-extends the low `bits` bits of `raw`.
fn sext(raw: u64, bits: usize) -> i64 {
    ((raw << (64 - bits)) as i64) >> (64 - bits)
}

impl<const SUM: usize, const BSUM: usize, const NEG: usize, const ACC: usize, const BACC: usize>
    RowAccumulate<SUM, BSUM, NEG, ACC, BACC>
{
    /// Accumulators for `BACC / ACC` sequences, all zero.
    pub fn new() -> Self {
        let batch = BACC / ACC;
        RowAccumulate {
            clock: Default::default(),
            in_valid: Default::default(),
            in_first: Default::default(),
            in_last: Default::default(),
            sums: Default::default(),
            neg_sum: Default::default(),
            out_write: Default::default(),
            out_data: Default::default(),
            _flags: BeatFlags::default(),
            _diff: vec![0; batch],
            _acc: vec![0; batch],
        }
    }

    /// The accumulators after the current beat (what a last beat sends out).
    fn next_acc(&self) -> impl Iterator<Item = i64> + '_ {
        let first = self._flags.first;
        self._acc
            .iter()
            .zip(&self._diff)
            .map(move |(&acc, &d)| if first { 0 } else { acc } + d)
    }

    fn clock_edge(&mut self) {
        if self._flags.valid {
            self._acc = self.next_acc().collect();
        }
        let neg = sext(self.neg_sum.val().to_u64(), NEG);
        let sums = self.sums.val();
        for (b, d) in self._diff.iter_mut().enumerate() {
            *d = sext(sums.get_bits::<SUM>(b * SUM).to_u64(), SUM) - neg;
        }
        self._flags = BeatFlags {
            valid: self.in_valid.val(),
            first: self.in_first.val(),
            last: self.in_last.val(),
        };
    }
}

impl<const SUM: usize, const BSUM: usize, const NEG: usize, const ACC: usize, const BACC: usize>
    Default for RowAccumulate<SUM, BSUM, NEG, ACC, BACC>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<const SUM: usize, const BSUM: usize, const NEG: usize, const ACC: usize, const BACC: usize>
    Logic for RowAccumulate<SUM, BSUM, NEG, ACC, BACC>
{
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.clock_edge();
        }
        let mask = if ACC == 64 { u64::MAX } else { (1 << ACC) - 1 };
        let mut data = Bits::<BACC>::default();
        for (b, v) in self.next_acc().enumerate() {
            data.set_bits::<ACC>(b * ACC, Bits::from(v as u64 & mask));
        }
        self.out_data.next = data;
        self.out_write.next = self._flags.valid && self._flags.last;
    }

    fn connect(&mut self) {
        self.out_write.connect();
        self.out_data.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(self._acc.len(), SUM, NEG, ACC))
    }
}

/// The module body: flags, difference and accumulator registers per sequence.
fn verilog(batch: usize, sum: usize, neg: usize, acc: usize) -> String {
    let m = acc - 1;
    let mut v = format!(
        "reg valid_d, first_d, last_d;\n\
         wire signed [{m}:0] neg_x = {{{{{}{{neg_sum[{}]}}}}, neg_sum}};\n",
        acc - neg,
        neg - 1
    );
    let mut init = vec!["valid_d = 1'b0; first_d = 1'b0; last_d = 1'b0;".to_string()];
    let mut seq = vec!["valid_d <= in_valid; first_d <= in_first; last_d <= in_last;".to_string()];
    for b in 0..batch {
        let (hi, lo) = ((b + 1) * sum - 1, b * sum);
        let _ = writeln!(
            v,
            "reg signed [{m}:0] diff{b}, acc{b};\n\
             wire signed [{m}:0] sum{b} = {{{{{}{{sums[{hi}]}}}}, sums[{hi}:{lo}]}};\n\
             wire signed [{m}:0] next{b} = (first_d ? {acc}'sd0 : acc{b}) + diff{b};",
            acc - sum
        );
        init.push(format!("diff{b} = {acc}'sd0; acc{b} = {acc}'sd0;"));
        seq.push(format!(
            "diff{b} <= sum{b} - neg_x;\n    if (valid_d) acc{b} <= next{b};"
        ));
    }
    let parts: Vec<String> = (0..batch).rev().map(|b| format!("next{b}")).collect();
    let _ = writeln!(
        v,
        "initial begin\n    {}\nend\nalways @(posedge clock) begin\n    {}\nend\n\
         always @(*) begin\n    out_write = valid_d & last_d;\n    out_data = {{{}}};\nend",
        init.join("\n    "),
        seq.join("\n    "),
        parts.join(", ")
    );
    v
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::ternary_engine::test_util::{Clocked, edge, lint_and_synth};

    /// Two sequences of 6-bit beat sums, a 3-bit negative count, 12-bit accumulators.
    type Acc = RowAccumulate<6, 12, 3, 12, 24>;

    impl Clocked for Acc {
        fn clock(&mut self) -> &mut Signal<In, Clock> {
            &mut self.clock
        }
    }

    /// Rows of random length with bubbles between beats: each row's `sum(sums - neg_sum)` comes out
    /// once, on the edge after its last beat's difference, and nothing else does.
    #[test]
    fn rows_are_summed_exactly_and_emitted_once() {
        let mut uut = Acc::new();
        uut.connect_all();
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let mut rows = std::collections::VecDeque::new();
        let mut outputs = 0;
        for _ in 0..200 {
            let beats: Vec<([i64; 2], i64)> = (0..rng.gen_range(1..=9))
                .map(|_| {
                    (
                        [rng.gen_range(-32..32), rng.gen_range(-32..32)],
                        rng.gen_range(-4..=0),
                    )
                })
                .collect();
            let want = [0, 1].map(|b| beats.iter().map(|(s, n)| s[b] - n).sum::<i64>());
            rows.push_back(want);
            for (i, (sums, neg)) in beats.iter().enumerate() {
                while rng.gen_bool(0.3) {
                    uut.in_valid.next = false;
                    edge(&mut uut);
                    outputs += check(&mut uut, &mut rows);
                }
                uut.sums.next = ((sums[0] as u64 & 63) | (sums[1] as u64 & 63) << 6).into();
                uut.neg_sum.next = (*neg as u64 & 7).into();
                uut.in_valid.next = true;
                uut.in_first.next = i == 0;
                uut.in_last.next = i == beats.len() - 1;
                edge(&mut uut);
                outputs += check(&mut uut, &mut rows);
            }
        }
        uut.in_valid.next = false;
        for _ in 0..3 {
            edge(&mut uut);
            outputs += check(&mut uut, &mut rows);
        }
        assert_eq!((outputs, rows.len()), (200, 0));
    }

    /// After an edge: a row's sums (the edge after its last beat entered D), compared and counted.
    fn check(uut: &mut Acc, rows: &mut std::collections::VecDeque<[i64; 2]>) -> usize {
        if !uut.out_write.val() {
            return 0;
        }
        let data = uut.out_data.val().to_u64();
        let field = |b: usize| (((data >> (12 * b)) << 52) as i64) >> 52;
        let want = rows
            .pop_front()
            .expect("a row came out that was never completed");
        assert_eq!([field(0), field(1)], want);
        1
    }

    #[test]
    fn row_accumulate_is_synthesizable() {
        let mut uut = Acc::new();
        uut.connect_all();
        lint_and_synth(&uut, "row_accumulate");
    }
}
