//! The accelerator as a device (DESIGN.md section 1; the VTA pattern of one runtime over several
//! backends): written once against [`Card`], it serves the ISS, the Verilated RTL and a real card.
//! It writes the image once, then per token writes the token slots, starts, waits, and reads the
//! argmax, `sigma` and accumulators, and with the trace option the per-layer residual streams and
//! the recurrent state (ISA.md section 3 names every region it touches).

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use mmfree_compiler::Image;
use mmfree_compiler::symbols::{self, Layout};
use mmfree_reference::fixed::{FixedStep, LayerTrace};
use mmfree_spec::card::{Bank, Card};
use mmfree_spec::devmem::{self, bfp_bytes, bfp_to_bytes};
use mmfree_spec::format::Bfp;
use mmfree_spec::ops;

use crate::progress;

/// Uploads go in pieces of this size, so that a progress bar moves during a large image.
pub const UPLOAD_CHUNK_BYTES: usize = 4 << 20;

/// Writes `bytes` at the start of `bank` in pieces of `chunk` bytes, reporting each piece's size.
pub fn write_chunked<C: Card>(
    card: &mut C,
    bank: Bank,
    bytes: &[u8],
    chunk: usize,
    done: &mut dyn FnMut(u64),
) -> Result<()> {
    for (i, piece) in bytes.chunks(chunk.max(1)).enumerate() {
        card.write(bank, (i * chunk.max(1)) as u64, piece)?;
        done(piece.len() as u64);
    }
    Ok(())
}

/// What the accelerator returns for one sequence and one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccelStep {
    /// The integer outputs (accumulators, dequantized logits, the argmax the device wrote).
    pub fixed: FixedStep,
    /// Per layer, the residual stream and the recurrent state (images compiled with the trace).
    pub trace: Option<Vec<LayerTrace>>,
}

/// A model loaded on an accelerator backend.
pub struct AccelDevice<C: Card> {
    card: C,
    layout: Layout,
    timeout: Duration,
}

impl<C: Card> AccelDevice<C> {
    /// Allocates every bank, writes the image (with a byte bar on stderr when it is large) and
    /// passes the banks' addresses as kernel arguments.
    pub fn load(mut card: C, image: &Image) -> Result<AccelDevice<C>> {
        let tag = card.config().tag();
        ensure!(
            image.layout.config_tag == tag,
            "the image was compiled for {}, the {} backend runs {tag}",
            image.layout.config_tag,
            card.backend()
        );
        let banks: Vec<(Bank, &Vec<u8>)> = std::iter::once((Bank::Data, &image.data))
            .chain((image.weights.iter().enumerate()).map(|(p, w)| (Bank::Weight(p as u32), w)))
            .collect();
        let total = banks.iter().map(|(_, b)| b.len() as u64).sum();
        let bar = progress::bytes_bar(&format!("upload to {}", card.backend()), total);
        for (bank, bytes) in banks {
            let address = card.alloc(bank, bytes.len() as u64)?;
            write_chunked(&mut card, bank, bytes, UPLOAD_CHUNK_BYTES, &mut |n| {
                bar.inc(n)
            })?;
            card.set_bank_arg(bank, address)?;
        }
        bar.finish_and_clear();
        Ok(AccelDevice {
            card,
            layout: image.layout.clone(),
            timeout: Duration::from_secs(600),
        })
    }

    /// The backend's name.
    pub fn backend(&self) -> String {
        self.card.backend()
    }

    /// The backend, for its cycle and activity counters.
    pub fn card(&self) -> &C {
        &self.card
    }

    /// The backend (for tests that inspect or disturb it).
    pub fn card_mut(&mut self) -> &mut C {
        &mut self.card
    }

    /// Where everything lives.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Starts new sequences: every recurrent state back to zero.
    pub fn reset(&mut self) -> Result<()> {
        let zero = bfp_to_bytes(&Bfp::zeros(self.layout.shape.hidden));
        for l in 0..self.layout.shape.layers {
            for b in 0..self.layout.batch {
                let at = self.layout.address(&symbols::state(l), b)?;
                self.card.write(Bank::Data, at, &zero)?;
            }
        }
        Ok(())
    }

    fn read(&mut self, at: u64, n: usize) -> Result<Vec<u8>> {
        let mut out = vec![0u8; n];
        self.card.read(Bank::Data, at, &mut out)?;
        Ok(out)
    }

    fn read_bfp(&mut self, name: &str, b: usize) -> Result<Bfp> {
        let d = self.layout.shape.hidden;
        let at = self.layout.address(name, b)?;
        let bytes = self.read(at, bfp_bytes(d))?;
        devmem::decode_bfp(&bytes, d).with_context(|| format!("{name}, sequence {b}"))
    }

    /// One token for every sequence (`tokens.len()` is the image's batch).
    pub fn step_batch(&mut self, tokens: &[u32]) -> Result<Vec<AccelStep>> {
        let (batch, vocab) = (self.layout.batch, self.layout.shape.vocab);
        ensure!(
            tokens.len() == batch,
            "{} tokens given for a batch of {batch}",
            tokens.len()
        );
        if let Some(&t) = tokens.iter().find(|&&t| t as usize >= vocab) {
            bail!("token id {t} is out of range (vocabulary size {vocab})");
        }
        let slots: Vec<u8> = tokens.iter().flat_map(|t| t.to_le_bytes()).collect();
        let at = self.layout.address(symbols::IO_TOKENS, 0)?;
        self.card.write(Bank::Data, at, &slots)?;
        self.card.start()?;
        let backend = self.card.backend();
        self.card
            .wait(self.timeout)
            .with_context(|| format!("device '{backend}'"))?;
        let at = self.layout.address(symbols::IO_OUTPUTS, 0)?;
        let argmax = devmem::decode_i32s(&self.read(at, 4 * batch)?, batch)?;
        (0..batch)
            .map(|b| self.sequence(b, argmax[b] as u32 as usize))
            .collect()
    }

    fn sequence(&mut self, b: usize, argmax: usize) -> Result<AccelStep> {
        let v = self.layout.shape.vocab;
        let at = self.layout.address(symbols::OUTPUTS, b)?;
        let bytes = self.read(at, devmem::acc_output_bytes(v))?;
        let sigma = devmem::decode_scale(&bytes).context("lm_head sigma")?;
        let acc = devmem::decode_i32s(&bytes[devmem::SCALE_BYTES..], v)?;
        let logits = ops::dequantize(&acc, sigma);
        let trace = if self.layout.trace {
            let layers = (0..self.layout.shape.layers)
                .map(|l| {
                    Ok(LayerTrace {
                        x: self.read_bfp(&symbols::trace(l), b)?,
                        h: self.read_bfp(&symbols::state(l), b)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Some(layers)
        } else {
            None
        };
        Ok(AccelStep {
            fixed: FixedStep {
                acc,
                logits,
                argmax,
            },
            trace,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmfree_spec::hw::HwConfig;

    #[test]
    fn chunked_writes_land_every_byte_in_place() {
        let mut card = mmfree_iss::Iss::new(HwConfig::preset("tiny").unwrap()).unwrap();
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        card.alloc(Bank::Data, 1024).unwrap();
        let mut pieces = Vec::new();
        write_chunked(&mut card, Bank::Data, &bytes, 64, &mut |n| pieces.push(n)).unwrap();
        // 15 full pieces and one of 1000 - 15 * 64 = 40 bytes.
        assert_eq!(pieces.len(), 16);
        assert_eq!(pieces[15], 40);
        assert_eq!(pieces.iter().sum::<u64>(), 1000);
        let mut back = vec![0u8; 1024];
        card.read(Bank::Data, 0, &mut back).unwrap();
        assert_eq!(&back[..1000], &bytes[..]);
        assert!(back[1000..].iter().all(|&b| b == 0));
    }
}
