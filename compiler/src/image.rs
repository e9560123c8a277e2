//! The compiled image (DESIGN.md section 1: model + configuration -> program + memory image per
//! bank) and its human-readable dump (docs/ISA.md section 5).

use std::fmt::Write;

use mmfree_spec::isa::{INSTR_BYTES, Instr, hex_words};

use crate::symbols::Layout;

/// Everything a card needs for a model: the bytes of every bank and where things are.
#[derive(Clone, Debug)]
pub struct Image {
    /// The per-token program (also encoded in the data bank).
    pub program: Vec<Instr>,
    /// `(instruction index, label)` where each part of the model starts, for dumps.
    pub labels: Vec<(usize, String)>,
    /// The data bank.
    pub data: Vec<u8>,
    /// One weight bank per weight port.
    pub weights: Vec<Vec<u8>>,
    /// The symbol table and what the image was compiled for.
    pub layout: Layout,
}

impl Image {
    /// Bytes of every bank together.
    pub fn total_bytes(&self) -> u64 {
        self.data.len() as u64 + self.weights.iter().map(|w| w.len() as u64).sum::<u64>()
    }

    /// The summary, the symbol table and the disassembled program, one item a line.
    pub fn dump(&self) -> String {
        let mut s = String::new();
        let l = &self.layout;
        let _ = writeln!(
            s,
            "image for {}: d={} L={} V={} I={}, batch {}, trace {}",
            l.config_tag,
            l.shape.hidden,
            l.shape.layers,
            l.shape.vocab,
            l.shape.intermediate,
            l.batch,
            l.trace
        );
        let _ = writeln!(
            s,
            "data bank {} bytes, {} weight banks of {} bytes, {} instructions",
            self.data.len(),
            self.weights.len(),
            self.weights.first().map_or(0, |w| w.len()),
            self.program.len()
        );
        let _ = writeln!(s, "\nsymbols:");
        for sym in &l.symbols {
            let _ = writeln!(
                s,
                "  {:<12} 0x{:09x} {:>11} bytes  stride {:>7}  {:>7} elements  {}",
                sym.bank.to_string(),
                sym.offset,
                sym.bytes,
                sym.stride,
                sym.elements,
                sym.name
            );
        }
        let program = l.symbol(crate::symbols::PROGRAM).map_or(0, |p| p.offset);
        let _ = writeln!(s, "\nprogram:");
        let mut labels = self.labels.iter().peekable();
        for (k, i) in self.program.iter().enumerate() {
            while let Some((_, label)) = labels.next_if(|(at, _)| *at == k) {
                let _ = writeln!(s, "; {label}");
            }
            let _ = writeln!(
                s,
                "{k:5}  0x{:08x}  {}  {i}",
                program + (k * INSTR_BYTES) as u64,
                hex_words(i.words())
            );
        }
        s
    }
}
