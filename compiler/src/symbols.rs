//! The symbol table of an image (docs/ISA.md section 3): every region of every bank by name, so
//! that the host finds the token slots, outputs, state and traces, and a dump can be read.
//!
//! Parameter regions carry the checkpoint's tensor names (mmfree-model.md section 3.1); the run-time
//! regions are named by the functions below.

use mmfree_spec::card::Bank;
use mmfree_spec::devmem::ALIGN;
use mmfree_spec::shape::ModelShape;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The data-bank header.
pub const HEADER: &str = "header";
/// The B input token slots (`u32`).
pub const IO_TOKENS: &str = "io.tokens";
/// The B output tokens (`u32`).
pub const IO_OUTPUTS: &str = "io.outputs";
/// The lm_head outputs: per sequence the scale `sigma` and V accumulators.
pub const OUTPUTS: &str = "outputs";
/// The instruction stream.
pub const PROGRAM: &str = "program";

/// The recurrent state `h` of layer `l`, one BFP vector per sequence.
pub fn state(l: usize) -> String {
    format!("state.layers.{l}")
}

/// The residual stream after layer `l`, one BFP vector per sequence (with the trace option).
pub fn trace(l: usize) -> String {
    format!("trace.layers.{l}")
}

/// One named region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symbol {
    /// Region name.
    pub name: String,
    /// The bank it lives in (weight matrices: the same offset in every weight bank).
    pub bank: Bank,
    /// Byte offset from the bank's base.
    pub offset: u64,
    /// Bytes of the region (weight matrices: per bank).
    pub bytes: u64,
    /// Bytes between the copies of consecutive sequences (0: one copy shared by all).
    pub stride: u64,
    /// Elements of one copy (vector length, rows of a table or a matrix, instructions).
    pub elements: u64,
}

/// Where everything of an image lives, and what the image was compiled for: all the host needs
/// besides the bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// [`mmfree_spec::hw::HwConfig::tag`] of the configuration.
    pub config_tag: String,
    /// The model's dimensions.
    pub shape: ModelShape,
    /// Sequences per run.
    pub batch: usize,
    /// Whether the program stores the residual stream after every layer.
    pub trace: bool,
    /// Every region, in address order per bank.
    pub symbols: Vec<Symbol>,
}

impl Layout {
    /// The region called `name`.
    pub fn symbol(&self, name: &str) -> Result<&Symbol> {
        self.symbols
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::NoSymbol { name: name.into() })
    }

    /// Byte offset of copy `b` of the region called `name`.
    pub fn address(&self, name: &str, b: usize) -> Result<u64> {
        let s = self.symbol(name)?;
        Ok(s.offset + b as u64 * s.stride)
    }
}

/// Places regions one after another in one bank, each aligned to [`ALIGN`].
#[derive(Debug)]
pub struct Allocator {
    bank: Bank,
    next: u64,
    align: u64,
    /// The regions placed so far.
    pub symbols: Vec<Symbol>,
}

impl Allocator {
    /// An empty bank whose regions start at multiples of `max(ALIGN, align)`.
    pub fn new(bank: Bank, align: u64) -> Allocator {
        Allocator {
            bank,
            next: 0,
            align: align.max(ALIGN),
            symbols: Vec::new(),
        }
    }

    /// Places `copies` copies of `bytes` bytes each (the stride is `bytes` rounded up to the
    /// alignment when there are several) and returns the region's offset.
    pub fn place(&mut self, name: &str, bytes: u64, copies: usize, elements: u64) -> u64 {
        let stride = bytes.div_ceil(self.align) * self.align;
        let offset = self.next;
        let total = if copies > 1 {
            stride * copies as u64
        } else {
            bytes
        };
        self.symbols.push(Symbol {
            name: name.into(),
            bank: self.bank,
            offset,
            bytes: total,
            stride: if copies > 1 { stride } else { 0 },
            elements,
        });
        self.next = (offset + total).div_ceil(self.align) * self.align;
        offset
    }

    /// Bytes used so far (aligned).
    pub fn size(&self) -> u64 {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_aligned_and_strided() {
        let mut a = Allocator::new(Bank::Data, 8);
        assert_eq!(a.place("a", 10, 1, 10), 0);
        assert_eq!(a.place("b", 100, 3, 25), 64);
        assert_eq!(a.place("c", 4, 1, 1), 64 + 3 * 128);
        assert_eq!(a.size(), 64 + 3 * 128 + 64);
        let layout = Layout {
            config_tag: "t".into(),
            shape: ModelShape::new(64, 2, 256),
            batch: 3,
            trace: false,
            symbols: a.symbols,
        };
        assert_eq!(layout.address("b", 2).unwrap(), 64 + 256);
        assert_eq!(layout.symbol("b").unwrap().stride, 128);
        assert_eq!(layout.symbol("a").unwrap().stride, 0);
        assert!(
            layout
                .symbol("zz")
                .unwrap_err()
                .to_string()
                .contains("'zz'")
        );
    }
}
