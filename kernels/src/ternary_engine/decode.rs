//! Decode and select, the engine's multiplier-free "multiply" (DESIGN.md section 4: add, subtract
//! or skip; docs/ACCELERATOR.md section 2 for the beat layouts).
//!
//! S1 (one edge after the beat is accepted, alongside the code buffer's registered read): the
//! beat's `K` trits as pack2 codes (`w + 1`; pack2 beats are registered as they are, pack5 beats go
//! through one `pack5_decode_rom` per byte, whose registered read is this stage), and the lane mask
//! `j < count` that removes every lane beyond `cols` whatever the weights and codes there are.
//!
//! Select, combinational from S1 and the codes: for each sequence `b` and lane `j`, with `q` the
//! lane's int8 code, `lane = +1 ? q : -1 ? !q : 0` and `neg_j = (w_j == -1)`. Since
//! `!q = -q - 1`, the true sum is `sum(lanes) + popcount(neg)`: the negation's `+1` is counted once
//! per lane for all `B` sequences (one shared 1-bit tree) instead of being added in every lane of
//! every sequence. This is exact for every int8 code, `-128` included. Pack2 code 3 (invalid)
//! selects nothing. The select is not registered: it feeds the adder trees' first level, whose
//! register closes the cycle, so synthesis can merge the select into the first adders' LUTs.
//!
//! The block writes its own Verilog (one line per lane); its simulation below follows the same rules.

use std::fmt::Write;

use mmfree_hdl::TableRom;
use mmfree_hdl::table_rom::{PACK5_ROM_ADDR_BITS, PACK5_ROM_DATA_BITS};
use mmfree_spec::pack::Packing;
use rust_hdl::prelude::*;

use super::config::CODE_BITS;
use crate::error::Result;

/// The pack5 decoder ROM type (one packed byte to five pack2 codes).
pub type Pack5Rom = TableRom<PACK5_ROM_DATA_BITS, PACK5_ROM_ADDR_BITS>;

/// Flags that travel with a beat.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BeatFlags {
    /// The stage holds a beat.
    pub valid: bool,
    /// First beat of its row.
    pub first: bool,
    /// Last beat of its row.
    pub last: bool,
}

/// Decode (S1) and select for `W`-bit beats of `K` trits and `BK8 = B * 8K` bits of codes.
#[derive(LogicBlock)]
pub struct TritDecode<const W: usize, const K: usize, const BK8: usize, const KB: usize> {
    /// Clock of both stages.
    pub clock: Signal<In, Clock>,
    // The accepted beat (from the control)
    /// A beat is accepted at this edge.
    pub in_valid: Signal<In, Bit>,
    /// First beat of its row.
    pub in_first: Signal<In, Bit>,
    /// Last beat of its row.
    pub in_last: Signal<In, Bit>,
    /// Lanes of the beat inside `cols`.
    pub in_count: Signal<In, Bits<KB>>,
    /// The packed weight beat.
    pub w_data: Signal<In, Bits<W>>,
    /// The beat's codes for every sequence, one edge later (the code buffer's read).
    pub codes: Signal<In, Bits<BK8>>,
    // Selected lanes (combinational from S1)
    /// S1 holds a beat.
    pub out_valid: Signal<Out, Bit>,
    /// First beat of its row.
    pub out_first: Signal<Out, Bit>,
    /// Last beat of its row.
    pub out_last: Signal<Out, Bit>,
    /// Lane `j` of sequence `b` in bits `[8(bK + j), 8(bK + j) + 8)`: `q`, `!q` or 0.
    pub lanes: Signal<Out, Bits<BK8>>,
    /// Lane `j` holds `!q` (weight -1 inside `cols`): the count that completes the negations.
    pub neg: Signal<Out, Bits<K>>,
    roms: Vec<Pack5Rom>,
    _packing: Packing,
    _s1: S1,
}

/// Simulation state of stage S1 (pack2 codes of a pack2 beat, lane mask, flags).
#[derive(Clone, Debug, Default)]
struct S1 {
    trits: Vec<u8>,
    count: usize,
    flags: BeatFlags,
}

impl<const W: usize, const K: usize, const BK8: usize, const KB: usize> TritDecode<W, K, BK8, KB> {
    /// A decoder for `packing` (pack5 builds one ROM per byte of the beat).
    pub fn new(packing: Packing) -> Result<Self> {
        let roms = match packing {
            Packing::Pack2 => Vec::new(),
            Packing::Pack5 => (0..W / 8)
                .map(|_| mmfree_hdl::pack5_decode_rom())
                .collect::<std::result::Result<_, _>>()?,
        };
        Ok(TritDecode {
            clock: Default::default(),
            in_valid: Default::default(),
            in_first: Default::default(),
            in_last: Default::default(),
            in_count: Default::default(),
            w_data: Default::default(),
            codes: Default::default(),
            out_valid: Default::default(),
            out_first: Default::default(),
            out_last: Default::default(),
            lanes: Default::default(),
            neg: Default::default(),
            roms,
            _packing: packing,
            _s1: S1 {
                trits: vec![1; K],
                ..Default::default()
            },
        })
    }

    /// The S1 pack2 code of lane `j` (from the register for pack2, the ROMs for pack5).
    fn s1_trit(&self, j: usize) -> u8 {
        match self._packing {
            Packing::Pack2 => self._s1.trits[j],
            Packing::Pack5 => {
                let word = self.roms[j / 5].data.val().to_u64();
                ((word >> (2 * (j % 5))) & 3) as u8
            }
        }
    }

    /// The selected lanes and negative lanes from S1 and the codes: the rule of the module docs.
    fn select(&self) -> (Bits<BK8>, Bits<K>) {
        let codes = self.codes.val();
        let (mut lanes, mut neg) = (Bits::<BK8>::default(), Bits::<K>::default());
        for j in 0..K.min(self._s1.count) {
            let t = self.s1_trit(j);
            neg = neg.replace_bit(j, t == 0);
            for b in 0..BK8 / (K * CODE_BITS) {
                let at = (b * K + j) * CODE_BITS;
                let q = codes.get_bits::<CODE_BITS>(at);
                let v = match t {
                    2 => q,
                    0 => !q,
                    _ => Bits::default(),
                };
                lanes.set_bits::<CODE_BITS>(at, v);
            }
        }
        (lanes, neg)
    }

    fn clock_edge(&mut self) {
        let w = self.w_data.val();
        self._s1 = S1 {
            trits: (0..K)
                .map(|j| match self._packing {
                    Packing::Pack2 => w.get_bits::<2>(2 * j).index() as u8,
                    Packing::Pack5 => 1,
                })
                .collect(),
            count: self.in_count.val().index(),
            flags: BeatFlags {
                valid: self.in_valid.val(),
                first: self.in_first.val(),
                last: self.in_last.val(),
            },
        };
    }
}

impl<const W: usize, const K: usize, const BK8: usize, const KB: usize> Logic
    for TritDecode<W, K, BK8, KB>
{
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.clock_edge();
        }
        let (clock, w) = (self.clock.val(), self.w_data.val());
        for (i, rom) in self.roms.iter_mut().enumerate() {
            rom.clock.next = clock;
            rom.address.next = w.get_bits::<PACK5_ROM_ADDR_BITS>(8 * i);
        }
        let (lanes, neg) = self.select();
        self.lanes.next = lanes;
        self.neg.next = neg;
        self.out_valid.next = self._s1.flags.valid;
        self.out_first.next = self._s1.flags.first;
        self.out_last.next = self._s1.flags.last;
    }

    fn connect(&mut self) {
        for rom in &mut self.roms {
            rom.clock.connect();
            rom.address.connect();
        }
        self.lanes.connect();
        self.neg.connect();
        self.out_valid.connect();
        self.out_first.connect();
        self.out_last.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(verilog(self.roms.len(), K, BK8 / (K * CODE_BITS), KB))
    }
}

/// The module body for `roms` pack5 ROMs (0 for pack2), `k` lanes, `batch` sequences.
fn verilog(roms: usize, k: usize, batch: usize, kb: usize) -> String {
    let mut v = String::new();
    let k8 = k * CODE_BITS;
    // S1: the beat's pack2 codes.
    if roms == 0 {
        let _ = writeln!(
            v,
            "reg [{}:0] trits;\ninitial trits = {}'d0;",
            2 * k - 1,
            2 * k
        );
        let _ = writeln!(v, "always @(posedge clock) trits <= w_data;");
    } else {
        let _ = writeln!(v, "always @(*) begin");
        for i in 0..roms {
            let _ = writeln!(
                v,
                "    roms${i}$clock = clock;\n    roms${i}$address = w_data[{}:{}];",
                8 * i + 7,
                8 * i
            );
        }
        let _ = writeln!(v, "end");
        let words: Vec<String> = (0..roms).rev().map(|i| format!("roms${i}$data")).collect();
        let _ = writeln!(
            v,
            "wire [{}:0] trits = {{{}}};",
            2 * k - 1,
            words.join(", ")
        );
    }
    // S1: lane mask and flags.
    let _ = writeln!(v, "wire [{}:0] mask_next;", k - 1);
    for j in 0..k {
        let _ = writeln!(v, "assign mask_next[{j}] = in_count > {kb}'d{j};");
    }
    let _ = writeln!(
        v,
        "reg [{km}:0] mask;\nreg valid1, first1, last1;\n\
         initial begin\n    mask = {k}'d0; valid1 = 1'b0; first1 = 1'b0; last1 = 1'b0;\nend\n\
         always @(posedge clock) begin\n    mask <= mask_next;\n    \
         valid1 <= in_valid; first1 <= in_first; last1 <= in_last;\nend",
        km = k - 1
    );
    // Select (combinational).
    let _ = writeln!(v, "wire [{km}:0] pos_w, neg_w;", km = k - 1);
    let _ = writeln!(v, "wire [{}:0] lanes_w;", batch * k8 - 1);
    for j in 0..k {
        let (hi, lo) = (2 * j + 1, 2 * j);
        let _ = writeln!(
            v,
            "assign pos_w[{j}] = mask[{j}] & trits[{hi}] & ~trits[{lo}];\n\
             assign neg_w[{j}] = mask[{j}] & ~trits[{hi}] & ~trits[{lo}];"
        );
        for b in 0..batch {
            let at = b * k8 + j * CODE_BITS;
            let q = format!("codes[{}:{at}]", at + CODE_BITS - 1);
            let _ = writeln!(
                v,
                "assign lanes_w[{}:{at}] = ({{8{{pos_w[{j}]}}}} & {q}) | ({{8{{neg_w[{j}]}}}} & ~{q});",
                at + CODE_BITS - 1
            );
        }
    }
    let _ = writeln!(
        v,
        "always @(*) begin\n    lanes = lanes_w;\n    neg = neg_w;\n    \
         out_valid = valid1; out_first = first1; out_last = last1;\nend"
    );
    v
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
