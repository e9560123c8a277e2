//! The engine's code buffer (docs/ACCELERATOR.md section 1: "code buffer -> P ternary engines"):
//! the `B` int8 code vectors of a GEMV, one bank per sequence, one word per beat, so that the `K`
//! codes a beat multiplies are read in one cycle.
//!
//! Word `a` of bank `b` holds codes `a*K .. a*K + K` of sequence `b`, code `a*K + j` in bits
//! `[8j, 8j + 8)`. The vector unit writes one word per cycle (`write`, `write_seq`, `write_addr`,
//! `write_codes`); the engine reads the same word of every bank at once (`read_addr`), with one
//! cycle of latency (a registered read: the block-RAM shape). A read of a word being written in the
//! same cycle returns the old contents. The block writes its own Verilog; its simulation below
//! follows the same rules.

use std::fmt::Write;

use rust_hdl::prelude::*;

/// `B` banks of `2^AB` words of `K8 = 8K` bits; `read_codes` is the `BK8 = B * K8`-bit concatenation.
#[derive(LogicBlock)]
pub struct CodeBuffer<const K8: usize, const BK8: usize, const AB: usize, const SB: usize> {
    /// Clock of both ports.
    pub clock: Signal<In, Clock>,
    // Write port (vector unit)
    /// Write `write_codes` at the next edge.
    pub write: Signal<In, Bit>,
    /// The sequence (bank) written.
    pub write_seq: Signal<In, Bits<SB>>,
    /// The word written (beat index within a row).
    pub write_addr: Signal<In, Bits<AB>>,
    /// `K` codes, code `j` in bits `[8j, 8j + 8)`.
    pub write_codes: Signal<In, Bits<K8>>,
    // Read port (engine)
    /// The word to read at the next edge.
    pub read_addr: Signal<In, Bits<AB>>,
    /// Word `read_addr` of every bank, bank `b` in bits `[b*K8, (b+1)*K8)` (registered).
    pub read_codes: Signal<Out, Bits<BK8>>,
    _banks: Vec<Vec<Bits<K8>>>,
    _read: Bits<BK8>,
}

impl<const K8: usize, const BK8: usize, const AB: usize, const SB: usize>
    CodeBuffer<K8, BK8, AB, SB>
{
    /// A buffer of `BK8 / K8` banks, all zero.
    pub fn new() -> Self {
        let banks = BK8 / K8.max(1);
        CodeBuffer {
            clock: Default::default(),
            write: Default::default(),
            write_seq: Default::default(),
            write_addr: Default::default(),
            write_codes: Default::default(),
            read_addr: Default::default(),
            read_codes: Default::default(),
            _banks: vec![vec![Bits::default(); 1 << AB]; banks],
            _read: Bits::default(),
        }
    }

    fn clock_edge(&mut self) {
        let addr = self.read_addr.val().index();
        let mut read = Bits::<BK8>::default();
        for (b, bank) in self._banks.iter().enumerate() {
            read.set_bits::<K8>(b * K8, bank[addr]);
        }
        self._read = read;
        let seq = self.write_seq.val().index();
        if self.write.val() && seq < self._banks.len() {
            self._banks[seq][self.write_addr.val().index()] = self.write_codes.val();
        }
    }
}

impl<const K8: usize, const BK8: usize, const AB: usize, const SB: usize> Default
    for CodeBuffer<K8, BK8, AB, SB>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<const K8: usize, const BK8: usize, const AB: usize, const SB: usize> Logic
    for CodeBuffer<K8, BK8, AB, SB>
{
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.clock_edge();
        }
        self.read_codes.next = self._read;
    }

    fn connect(&mut self) {
        self.read_codes.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(self._banks.len(), K8, AB, SB))
    }
}

/// The module body: one memory and one read register per bank.
fn verilog(banks: usize, k8: usize, ab: usize, sb: usize) -> String {
    let mut v = String::new();
    let depth = 1usize << ab;
    for b in 0..banks {
        let _ = writeln!(v, "reg [{}:0] bank{b} [0:{}];", k8 - 1, depth - 1);
        let _ = writeln!(v, "reg [{}:0] read{b};", k8 - 1);
        let _ = writeln!(v, "initial read{b} = {k8}'d0;");
        let _ = writeln!(
            v,
            "always @(posedge clock) begin\n    \
             if (write && write_seq == {sb}'d{b}) bank{b}[write_addr] <= write_codes;\n    \
             read{b} <= bank{b}[read_addr];\nend"
        );
    }
    let parts: Vec<String> = (0..banks).rev().map(|b| format!("read{b}")).collect();
    let _ = writeln!(v, "always @(*) read_codes = {{{}}};", parts.join(", "));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ternary_engine::test_util::{Clocked, edge, lint_and_synth};

    type Buffer = CodeBuffer<16, 48, 2, 2>;

    impl Clocked for Buffer {
        fn clock(&mut self) -> &mut Signal<In, Clock> {
            &mut self.clock
        }
    }

    #[test]
    fn banks_are_written_separately_and_read_together() {
        let mut uut = Buffer::new();
        uut.connect_all();
        for (seq, addr, word) in [
            (0u64, 1u64, 0x1111u64),
            (1, 1, 0x2222),
            (2, 1, 0x3333),
            (1, 3, 0xabcd),
        ] {
            uut.write.next = true;
            uut.write_seq.next = seq.into();
            uut.write_addr.next = addr.into();
            uut.write_codes.next = word.into();
            edge(&mut uut);
        }
        uut.write.next = false;
        uut.read_addr.next = 1u64.into();
        edge(&mut uut);
        assert_eq!(uut.read_codes.val().to_u128(), 0x3333_2222_1111);
        uut.read_addr.next = 3u64.into();
        edge(&mut uut);
        assert_eq!(uut.read_codes.val().to_u128(), 0x0000_abcd_0000);
        // A read of the word being written returns the old contents.
        uut.write.next = true;
        uut.write_seq.next = 1u64.into();
        uut.write_addr.next = 3u64.into();
        uut.write_codes.next = 0x5555u64.into();
        edge(&mut uut);
        assert_eq!(uut.read_codes.val().to_u128(), 0x0000_abcd_0000);
        uut.write.next = false;
        edge(&mut uut);
        assert_eq!(uut.read_codes.val().to_u128(), 0x0000_5555_0000);
    }

    #[test]
    fn code_buffer_is_synthesizable() {
        let mut uut = Buffer::new();
        uut.connect_all();
        lint_and_synth(&uut, "code_buffer");
    }
}
