//! The weight banks (ACCELERATOR.md section 2, "Weights"): every matrix row padded with zero weights
//! to whole beats, row `r` in bank `r mod P` at `offset + (r div P) * beats_per_row * W/8`, every
//! bank holding `ceil(rows / P)` rows of every matrix, matrices in program order, so a token's
//! weight stream is one contiguous run per bank.

use mmfree_model::{Component, Model, Ternary};
use mmfree_spec::card::Bank;
use mmfree_spec::hw::HwConfig;
use mmfree_spec::pack::Packing;
use rayon::prelude::*;

use crate::error::Result;
use crate::symbols::{Allocator, Symbol};

/// Beats of one padded row of `cols` weights.
pub fn beats_per_row(cols: usize, cfg: &HwConfig) -> u64 {
    cols.div_ceil(cfg.weights_per_beat() as usize) as u64
}

/// Bytes of one padded row of `cols` weights in a bank.
pub fn row_bytes(cols: usize, cfg: &HwConfig) -> u64 {
    beats_per_row(cols, cfg) * cfg.beat_bytes() as u64
}

/// Rows of a `rows`-row matrix that every bank holds (the last group padded with zero rows).
pub fn rows_per_bank(rows: usize, cfg: &HwConfig) -> u64 {
    rows.div_ceil(cfg.weight_ports as usize) as u64
}

/// One matrix placed in the weight banks.
#[derive(Debug)]
pub struct Placed<'m> {
    /// Its region name (the checkpoint tensor name).
    pub name: String,
    /// The model's packed matrix.
    pub weight: &'m Ternary,
    /// Byte offset in every weight bank.
    pub offset: u64,
}

/// Where every matrix goes, before any byte is written.
#[derive(Debug)]
pub struct WeightPlan<'m> {
    /// The matrices in program order.
    pub matrices: Vec<Placed<'m>>,
    /// Bytes of each weight bank.
    pub bank_bytes: u64,
    /// The regions (bank 0 stands for every weight bank).
    pub symbols: Vec<Symbol>,
}

impl WeightPlan<'_> {
    /// Byte offset of the matrix called `name`.
    pub fn offset(&self, name: &str) -> Option<u64> {
        self.matrices
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.offset)
    }
}

/// Places the BitLinear matrices of `model` in program order (layer by layer i, f, g, o, gate,
/// down, then the lm_head).
pub fn plan<'m>(model: &'m Model, cfg: &HwConfig) -> WeightPlan<'m> {
    let mut alloc = Allocator::new(Bank::Weight(0), cfg.beat_bytes() as u64);
    let mut matrices = Vec::new();
    for (base, c) in model.components() {
        if let Component::Linear(l) = c {
            let w = &l.weight;
            let name = format!("{base}.weight");
            let bytes = rows_per_bank(w.rows, cfg) * row_bytes(w.cols, cfg);
            let offset = alloc.place(&name, bytes, 1, w.rows as u64);
            matrices.push(Placed {
                name,
                weight: w,
                offset,
            });
        }
    }
    WeightPlan {
        matrices,
        bank_bytes: alloc.size(),
        symbols: alloc.symbols,
    }
}

/// The 4 trits of every Pack2 byte (code 3 decodes as 0; the model loader refuses it).
fn pack2_trits() -> &'static [[i8; 4]; 256] {
    static T: std::sync::OnceLock<[[i8; 4]; 256]> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = [[0i8; 4]; 256];
        for (byte, e) in t.iter_mut().enumerate() {
            for (i, w) in e.iter_mut().enumerate() {
                let code = (byte >> (2 * i)) & 3;
                *w = if code == 3 { 0 } else { code as i8 - 1 };
            }
        }
        t
    })
}

/// Unpacks row `r` of the model's Pack2 matrix into `trits` (`cols` long).
fn unpack(w: &Ternary, r: usize, trits: &mut [i8]) {
    let table = pack2_trits();
    for (chunk, &byte) in trits.chunks_mut(4).zip(w.row(r)) {
        chunk.copy_from_slice(&table[byte as usize][..chunk.len()]);
    }
}

/// Writes the bytes of weight bank `p`.
fn pack_bank(plan: &WeightPlan<'_>, cfg: &HwConfig, p: usize, bank: &mut [u8]) -> Result<()> {
    let ports = cfg.weight_ports as usize;
    for m in &plan.matrices {
        let w = m.weight;
        let rb = row_bytes(w.cols, cfg) as usize;
        let n = rows_per_bank(w.rows, cfg) as usize * rb;
        let region = &mut bank[m.offset as usize..m.offset as usize + n];
        region.par_chunks_mut(rb).enumerate().try_for_each_init(
            || vec![0i8; w.cols],
            |trits, (i, out)| {
                let r = i * ports + p;
                if r < w.rows {
                    unpack(w, r, trits);
                    cfg.packing.pack_row(trits, out)
                } else {
                    cfg.packing.pack_row(&[], out)
                }
            },
        )?;
    }
    Ok(())
}

/// The bytes of every weight bank, in port order.
pub fn pack(plan: &WeightPlan<'_>, cfg: &HwConfig) -> Result<Vec<Vec<u8>>> {
    (0..cfg.weight_ports as usize)
        .map(|p| {
            let mut bank = vec![zero_byte(cfg.packing); plan.bank_bytes as usize];
            pack_bank(plan, cfg, p, &mut bank)?;
            Ok(bank)
        })
        .collect()
}

/// The byte that encodes zero weights only (alignment gaps hold it too).
pub fn zero_byte(packing: Packing) -> u8 {
    let mut b = [0u8];
    packing
        .pack_row(&[], &mut b)
        .expect("an empty row packs into any buffer");
    b[0]
}
