//! `mmfree eval --model PATH --device DEV [--hw NAME] --text FILE [--json]`: bits per byte of a
//! model on a text file under teacher forcing, the figure that says whether a device's arithmetic
//! (the fixed-point contract, the accelerator) loses accuracy against the f32 golden model.
//!
//! Every token is fed; the distribution after token `k` scores token `k + 1`. The first token is
//! context only (a byte-level model has no beginning-of-text token), so `tokens` and `bytes` count
//! the scored tokens and the bytes they cover: for a tokenizer that adds a BOS token that is the
//! whole text.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use mmfree_spec::hw::HwConfig;
use serde_json::json;

use crate::cli::ModelArgs;
use crate::commands::{load_model, print_json};
use crate::device;
use crate::progress::Progress;
use crate::tokens::Tokenizer;

/// Arguments of `eval`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub card: crate::xrt::XclbinArgs,
    /// golden, ref, iss or sim.
    #[arg(long)]
    pub device: String,
    /// Hardware configuration of the accelerator devices (batch-1 ones: eval feeds one sequence).
    #[arg(long, default_value = "tiny")]
    pub hw: String,
    /// The text to score (UTF-8).
    #[arg(long)]
    pub text: PathBuf,
    /// Print one JSON object as the last line.
    #[arg(long)]
    pub json: bool,
}

/// The score of a text: what `--json` prints.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Bytes covered by the scored tokens.
    pub bytes: usize,
    /// Scored tokens.
    pub tokens: usize,
    /// Total negative log-likelihood of the scored tokens, in bits.
    pub bits: f64,
}

impl Score {
    /// Bits per byte.
    pub fn bits_per_byte(&self) -> f64 {
        self.bits / self.bytes as f64
    }
    /// Per-token perplexity.
    pub fn perplexity(&self) -> f64 {
        (self.bits / self.tokens as f64).exp2()
    }
}

/// `-log2 softmax(logits)[target]`, computed in f64 so that the score does not depend on the
/// summation's rounding.
pub fn surprisal_bits(logits: &[f32], target: usize) -> f64 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let sum: f64 = logits.iter().map(|&l| (l as f64 - max).exp()).sum();
    let log_p = logits[target] as f64 - max - sum.ln();
    -log_p / std::f64::consts::LN_2
}

/// The text's token ids and the number of bytes the first token covers.
fn tokenize(tokenizer: &Tokenizer, text: &str, vocab: usize) -> Result<(Vec<u32>, usize)> {
    let ids = tokenizer.encode(text, vocab)?;
    let first_bytes = match tokenizer {
        Tokenizer::Bytes => 1,
        Tokenizer::Hf(t) => t
            .encode(text, true)
            .map_err(|e| anyhow::anyhow!("tokenizer: {e}"))?
            .get_offsets()
            .first()
            .map_or(0, |&(_, end)| end),
    };
    Ok((ids, first_bytes))
}

/// Scores the text file on the device.
pub fn run(a: Args) -> Result<()> {
    let hw = HwConfig::preset(&a.hw)?;
    device::single_sequence(&a.device, &hw, "eval")?;
    let raw =
        std::fs::read(&a.text).with_context(|| format!("{}: cannot read", a.text.display()))?;
    let text = String::from_utf8(raw)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text ({e})", a.text.display()))?;
    let model = load_model(&a.model.model, a.json)?;
    let vocab = model.shape.vocab;
    let tokenizer = Tokenizer::for_model(&a.model.model, vocab, None)?;
    let (ids, first_bytes) =
        tokenize(&tokenizer, &text, vocab).with_context(|| format!("{}", a.text.display()))?;
    if ids.len() < 2 {
        bail!(
            "{}: {} token(s); scoring needs at least two (the first is context only)",
            a.text.display(),
            ids.len()
        );
    }
    let mut dev = device::open_with(&a.device, &model, &hw, false, a.card.files(&a.model.model))?;
    let mut progress = Progress::new("eval", a.json);
    let mut bits = 0.0;
    for k in 0..ids.len() - 1 {
        let step = dev.step(ids[k])?;
        bits += surprisal_bits(&step.logits, ids[k + 1] as usize);
        progress.step("tokens", k + 1, ids.len() - 1);
    }
    let score = Score {
        bytes: text.len() - first_bytes,
        tokens: ids.len() - 1,
        bits,
    };
    if a.json {
        print_json(&json!({
            "device": a.device, "bytes": score.bytes, "tokens": score.tokens,
            "bits_per_byte": score.bits_per_byte(), "perplexity": score.perplexity(),
        }));
    } else {
        println!(
            "{}: {:.4} bits per byte, perplexity {:.3} ({} tokens, {} bytes scored)",
            a.device,
            score.bits_per_byte(),
            score.perplexity(),
            score.tokens,
            score.bytes
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surprisal_of_known_distributions() {
        // Uniform over four: two bits whatever the offset.
        assert!((surprisal_bits(&[3.0; 4], 2) - 2.0).abs() < 1e-12);
        // p = e^1 / (e^1 + 1) for the first of two.
        let p = 1f64.exp() / (1f64.exp() + 1.0);
        assert!((surprisal_bits(&[1.0, 0.0], 0) + p.log2()).abs() < 1e-12);
        // Large logits do not overflow.
        assert!((surprisal_bits(&[1000.0, 1000.0], 1) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn score_figures() {
        let s = Score {
            bytes: 4,
            tokens: 2,
            bits: 6.0,
        };
        assert_eq!(s.bits_per_byte(), 1.5);
        assert_eq!(s.perplexity(), 8.0);
    }
}
