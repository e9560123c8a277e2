//! Batched stimulus and response (DESIGN.md section 3: millions of vectors per kernel): the inputs
//! of many cycles and the outputs they produce, in flat word buffers that cross into the model in
//! one call, so per-cycle FFI overhead disappears from long runs.

use crate::error::{Error, Result};
use crate::model::{Port, check_fits, check_words, sign_extend, to_unsigned};

/// Row-major word buffers: per cycle, each listed input's words, then (after the run) each listed
/// output's words. Slots are positions in the port lists given to [`Batch::new`].
pub struct Batch {
    cycles: usize,
    inputs: Vec<Port>,
    outputs: Vec<Port>,
    in_idx: Vec<u32>,
    out_idx: Vec<u32>,
    in_offsets: Vec<usize>,
    out_offsets: Vec<usize>,
    in_stride: usize,
    out_stride: usize,
    in_words: Vec<u32>,
    out_words: Vec<u32>,
}

/// Word offset of each port in a row, and the row length.
fn layout(ports: &[Port]) -> (Vec<usize>, usize) {
    let mut offsets = Vec::with_capacity(ports.len());
    let mut at = 0;
    for p in ports {
        offsets.push(at);
        at += p.words();
    }
    (offsets, at)
}

impl Batch {
    /// A batch of `cycles` cycles driving `inputs` (all zero until set) and recording `outputs`.
    pub fn new(inputs: &[Port], outputs: &[Port], cycles: usize) -> Result<Batch> {
        if let Some(i) = inputs.iter().position(|p| !p.input) {
            return Err(Error::Direction {
                port: format!("input slot {i}"),
                actual: "output",
                wanted: "input",
            });
        }
        let (in_offsets, in_stride) = layout(inputs);
        let (out_offsets, out_stride) = layout(outputs);
        Ok(Batch {
            cycles,
            inputs: inputs.to_vec(),
            outputs: outputs.to_vec(),
            in_idx: inputs.iter().map(|p| p.index).collect(),
            out_idx: outputs.iter().map(|p| p.index).collect(),
            in_offsets,
            out_offsets,
            in_stride,
            out_stride,
            in_words: vec![0; cycles * in_stride],
            out_words: vec![0; cycles * out_stride],
        })
    }

    /// Number of cycles.
    pub fn cycles(&self) -> usize {
        self.cycles
    }

    /// Sets input `slot` of `cycle` (ports up to 64 bits).
    pub fn set(&mut self, cycle: usize, slot: usize, value: u64) -> Result<()> {
        let (at, p) = self.input_at(cycle, slot)?;
        check_fits(&format!("input slot {slot}"), p.width, value)?;
        self.in_words[at] = value as u32;
        if p.words() == 2 {
            self.in_words[at + 1] = (value >> 32) as u32;
        }
        Ok(())
    }

    /// Sets input `slot` of `cycle` to a two's-complement value (ports up to 64 bits).
    pub fn set_signed(&mut self, cycle: usize, slot: usize, value: i64) -> Result<()> {
        let width = self.input_at(cycle, slot)?.1.width;
        self.set(
            cycle,
            slot,
            to_unsigned(&format!("input slot {slot}"), width, value)?,
        )
    }

    /// Sets input `slot` of `cycle` from little-endian words (any width).
    pub fn set_words(&mut self, cycle: usize, slot: usize, words: &[u32]) -> Result<()> {
        let (at, p) = self.input_at(cycle, slot)?;
        check_words(&format!("input slot {slot}"), p.width, words)?;
        self.in_words[at..at + words.len()].copy_from_slice(words);
        Ok(())
    }

    /// Output `slot` after the tick of `cycle` (ports up to 64 bits).
    pub fn get(&self, cycle: usize, slot: usize) -> Result<u64> {
        let (at, p) = self.output_at(cycle, slot)?;
        if p.width > 64 {
            return Err(Error::Width {
                port: format!("output slot {slot}"),
                width: p.width,
                value: "a u64 read".into(),
            });
        }
        let hi = if p.words() == 2 {
            (self.out_words[at + 1] as u64) << 32
        } else {
            0
        };
        Ok(hi | self.out_words[at] as u64)
    }

    /// Output `slot` after the tick of `cycle`, sign-extended (ports up to 64 bits).
    pub fn get_signed(&self, cycle: usize, slot: usize) -> Result<i64> {
        let width = self.output_at(cycle, slot)?.1.width;
        Ok(sign_extend(self.get(cycle, slot)?, width))
    }

    /// Output `slot` after the tick of `cycle` as little-endian words (any width).
    pub fn get_words(&self, cycle: usize, slot: usize) -> Result<&[u32]> {
        let (at, p) = self.output_at(cycle, slot)?;
        Ok(&self.out_words[at..at + p.words()])
    }

    /// Input port indices, output port indices, input words and the output buffer, for the run.
    pub(crate) fn parts(&mut self) -> (&[u32], &[u32], &[u32], &mut [u32]) {
        (
            &self.in_idx,
            &self.out_idx,
            &self.in_words,
            &mut self.out_words,
        )
    }

    fn input_at(&self, cycle: usize, slot: usize) -> Result<(usize, Port)> {
        check_index("cycle", cycle, self.cycles)?;
        check_index("input slot", slot, self.inputs.len())?;
        Ok((
            cycle * self.in_stride + self.in_offsets[slot],
            self.inputs[slot],
        ))
    }

    fn output_at(&self, cycle: usize, slot: usize) -> Result<(usize, Port)> {
        check_index("cycle", cycle, self.cycles)?;
        check_index("output slot", slot, self.outputs.len())?;
        Ok((
            cycle * self.out_stride + self.out_offsets[slot],
            self.outputs[slot],
        ))
    }
}

fn check_index(what: &'static str, index: usize, len: usize) -> Result<()> {
    if index < len {
        Ok(())
    } else {
        Err(Error::BatchIndex { what, index, len })
    }
}
