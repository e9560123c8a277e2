//! The data bank (ACCELERATOR.md section 2, docs/ISA.md section 3): header, token and output slots,
//! parameters (norm weights as BFP vectors, lower bounds as gates), the embedding table (one BFP
//! vector per row), the recurrent state, the lm_head outputs, the optional per-layer trace, and
//! the program last (its length is known once everything it addresses is placed).

use mmfree_model::{Component, Model};
use mmfree_spec::card::Bank;
use mmfree_spec::devmem::{
    self, HEADER_BYTES, Header, acc_output_bytes, bfp_bytes, bfp_to_bytes, gate_bytes,
    gates_to_bytes,
};
use mmfree_spec::format::Bfp;
use mmfree_spec::hw::HwConfig;
use mmfree_spec::isa::{INSTR_BYTES, Instr};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::symbols::{self, Allocator, Symbol};

/// The planned data bank: regions placed, small contents computed, the embedding filled last.
#[derive(Debug)]
pub struct DataBank {
    alloc: Allocator,
    fills: Vec<(u64, Vec<u8>)>,
}

impl DataBank {
    /// Places every region but the program.
    pub fn plan(model: &Model, cfg: &HwConfig, trace: bool) -> DataBank {
        let (b, d, v) = (cfg.batch as usize, model.shape.hidden, model.shape.vocab);
        let mut bank = DataBank {
            alloc: Allocator::new(Bank::Data, devmem::ALIGN),
            fills: Vec::new(),
        };
        bank.alloc.place(symbols::HEADER, HEADER_BYTES as u64, 1, 1);
        bank.alloc
            .place(symbols::IO_TOKENS, 4 * b as u64, 1, b as u64);
        bank.alloc
            .place(symbols::IO_OUTPUTS, 4 * b as u64, 1, b as u64);
        for (base, c) in model.components() {
            match c {
                Component::Linear(l) => bank.fill(&format!("{base}.norm.weight"), &l.norm.fixed),
                Component::Norm(n) => bank.fill(&format!("{base}.weight"), &n.fixed),
                Component::LowerBound(lb) => {
                    let bytes = gates_to_bytes(&lb.fixed);
                    let at = bank.alloc.place(&base, gate_bytes(d) as u64, 1, d as u64);
                    bank.fills.push((at, bytes));
                }
                Component::Embedding(_) => {
                    let row = bfp_bytes(d) as u64;
                    bank.alloc
                        .place(mmfree_model::names::EMBEDDING, row * v as u64, 1, v as u64);
                }
            }
        }
        let zero = bfp_to_bytes(&Bfp::zeros(d));
        for l in 0..model.shape.layers {
            let at = bank
                .alloc
                .place(&symbols::state(l), zero.len() as u64, b, d as u64);
            for s in 0..b {
                bank.fills
                    .push((at + (s * zero.len()) as u64, zero.clone()));
            }
        }
        bank.alloc
            .place(symbols::OUTPUTS, acc_output_bytes(v) as u64, b, v as u64);
        if trace {
            for l in 0..model.shape.layers {
                bank.alloc
                    .place(&symbols::trace(l), bfp_bytes(d) as u64, b, d as u64);
            }
        }
        bank
    }

    fn fill(&mut self, name: &str, v: &Bfp) {
        let bytes = bfp_to_bytes(v);
        let at = self
            .alloc
            .place(name, bytes.len() as u64, 1, v.len() as u64);
        self.fills.push((at, bytes));
    }

    /// The region called `name`.
    pub fn symbol(&self, name: &str) -> Result<&Symbol> {
        self.alloc
            .symbols
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::NoSymbol { name: name.into() })
    }

    /// The region's offset and stride as instruction operands (the bank is checked to fit 32-bit
    /// addresses before any of them is used).
    pub fn operand(&self, name: &str) -> Result<(u32, u32)> {
        let s = self.symbol(name)?;
        Ok((s.offset as u32, s.stride as u32))
    }

    /// Places the program at the end and returns its offset.
    pub fn place_program(&mut self, program: &[Instr]) -> u64 {
        let bytes: Vec<u8> = program.iter().flat_map(|i| i.encode()).collect();
        let at = self.alloc.place(
            symbols::PROGRAM,
            (program.len() * INSTR_BYTES) as u64,
            1,
            program.len() as u64,
        );
        self.fills.push((at, bytes));
        at
    }

    /// Bytes of the bank.
    pub fn size(&self) -> u64 {
        self.alloc.size()
    }

    /// The regions, in address order.
    pub fn symbols(&self) -> &[Symbol] {
        &self.alloc.symbols
    }

    /// Writes every byte: header, the planned contents, the embedding rows.
    pub fn bytes(&self, model: &Model, header: &Header) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.size() as usize];
        out[..HEADER_BYTES].copy_from_slice(&header.encode());
        for (at, bytes) in &self.fills {
            out[*at as usize..*at as usize + bytes.len()].copy_from_slice(bytes);
        }
        let table = self.symbol(mmfree_model::names::EMBEDDING)?;
        let row = bfp_bytes(model.shape.hidden);
        out[table.offset as usize..(table.offset + table.bytes) as usize]
            .par_chunks_mut(row)
            .enumerate()
            .for_each(|(t, chunk)| {
                devmem::encode_bfp(&Bfp::from_f32(&model.embedding_row(t)), chunk)
            });
        Ok(out)
    }
}
