//! A delay line with a clock enable: aligns values that skip pipeline stages of the neuron lane
//! with the values computed beside them (neuron-models.md section 4.1: one neuron per cycle).
//!
//! Two forms with the same behaviour and latency: a chain of `L` registers, or (for parts whose
//! logic cells run out before their block RAMs, [`DelayStyle::for_config`]) a circular buffer of
//! `L` words that synthesis maps to block RAM, written at pointer `w` and read at `w + 1`, the
//! word written `L - 1` enabled cycles earlier, into the RAM's output register. The read and the
//! write never meet (`L >= 2`), so the memory carries yosys's `no_rw_check` and no collision
//! logic. The block writes its own Verilog; its simulation below follows both forms.

use std::collections::VecDeque;
use std::fmt::Write;

use mmfree_spec::hw::HwConfig;
use rust_hdl::prelude::*;

/// How the long delay lines of a neuron lane are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DelayStyle {
    /// Chains of flip-flops: no block RAM, one register per bit and stage.
    Registers,
    /// Circular buffers in block RAM: a few LUTs for the pointers per line.
    BlockRam,
}

impl DelayStyle {
    /// The style of `hw`'s neuron unit: block RAM for a one-lane unit (the small parts, such as
    /// the UP5K's, where the lane's registers exceed the logic cells and most block RAMs are
    /// free), registers otherwise (the UltraScale+ parts, whose flip-flops are plentiful and
    /// whose 36 Kbit RAMs would hold a few words each).
    pub fn for_config(hw: &HwConfig) -> Self {
        if hw.neuron_lanes <= 1 {
            DelayStyle::BlockRam
        } else {
            DelayStyle::Registers
        }
    }
}

/// `q` is `d` of `L` enabled cycles earlier (`L >= 1`; block RAM needs `L >= 2`).
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
    _style: DelayStyle,
    _line: VecDeque<D>,
}

impl<D: Synth, const L: usize> Default for Delay<D, L> {
    fn default() -> Self {
        Delay::new(DelayStyle::Registers)
    }
}

impl<D: Synth, const L: usize> Delay<D, L> {
    /// A line of `style`; a one-stage line is always a register.
    pub fn new(style: DelayStyle) -> Self {
        assert!(L >= 1, "a delay line holds at least one stage");
        Delay {
            clock: Default::default(),
            ce: Default::default(),
            d: Default::default(),
            q: Default::default(),
            _style: if L >= 2 { style } else { DelayStyle::Registers },
            _line: std::iter::repeat_n(D::default(), L).collect(),
        }
    }
}

impl<D: Synth, const L: usize> Logic for Delay<D, L> {
    fn update(&mut self) {
        if self.clock.pos_edge() && self.ce.val() {
            self._line.pop_back();
            self._line.push_front(self.d.val());
        }
        self.q.next = self._line[L - 1];
    }

    fn connect(&mut self) {
        self.q.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(match self._style {
            DelayStyle::Registers => registers_verilog(D::BITS, L),
            DelayStyle::BlockRam => block_ram_verilog(D::BITS, L),
        })
    }
}

/// The module body of the register chain: `line0` takes `d`, `line{L-1}` drives `q`.
fn registers_verilog(width: usize, stages: usize) -> String {
    let mut v = String::new();
    for i in 0..stages {
        let _ = writeln!(v, "reg [{}:0] line{i};", width - 1);
        let _ = writeln!(v, "initial line{i} = {width}'d0;");
    }
    let _ = writeln!(v, "always @(posedge clock) begin\n    if (ce) begin");
    let _ = writeln!(v, "        line0 <= d;");
    for i in 1..stages {
        let _ = writeln!(v, "        line{i} <= line{};", i - 1);
    }
    let _ = writeln!(v, "    end\nend");
    let _ = writeln!(v, "always @(*) q = line{};", stages - 1);
    v
}

/// The module body of the circular buffer: `stages` words, write pointer `wp`, read pointer
/// `rp = wp + 1 (mod stages)`, and the RAM's output register `rd`.
fn block_ram_verilog(width: usize, stages: usize) -> String {
    let p = usize::BITS as usize - (stages - 1).leading_zeros() as usize;
    let last = stages - 1;
    let mut v = String::new();
    let _ = writeln!(
        v,
        "(* ram_style = \"block\", no_rw_check *) reg [{}:0] mem [0:{last}];",
        width - 1
    );
    let _ = writeln!(v, "reg [{}:0] wp;\nreg [{}:0] rp;", p - 1, p - 1);
    let _ = writeln!(v, "reg [{}:0] rd;\ninteger i;", width - 1);
    let _ = writeln!(
        v,
        "initial begin\n    wp = {p}'d0;\n    rp = {p}'d1;\n    \
         for (i = 0; i < {stages}; i = i + 1) mem[i] = {width}'d0;\nend"
    );
    let _ = writeln!(
        v,
        "always @(posedge clock) begin\n    if (ce) begin\n        \
         mem[wp] <= d;\n        rd <= mem[rp];\n        \
         wp <= (wp == {p}'d{last}) ? {p}'d0 : wp + {p}'d1;\n        \
         rp <= (rp == {p}'d{last}) ? {p}'d0 : rp + {p}'d1;\n    end\nend"
    );
    let _ = writeln!(v, "always @(*) q = rd;");
    v
}
