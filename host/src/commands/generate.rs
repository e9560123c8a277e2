//! `mmfree generate --model PATH --device DEV [--hw NAME] (--prompt TEXT | --tokens LIST)
//! --max-new-tokens N [--check] [--json]`: greedy generation on a device. With `--check` the
//! fixed-point reference runs beside the device and the first token whose outputs differ in any
//! bit stops the run with a non-zero exit naming the token, the layer (for devices that report
//! per-layer traces) and the value.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use mmfree_reference::fixed::Fixed;
use mmfree_spec::hw::HwConfig;
use serde_json::json;

use crate::cli::ModelArgs;
use crate::commands::{load_model, print_json};
use crate::device;
use crate::tokens::{Tokenizer, parse_list};

/// Arguments of `generate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub card: crate::xrt::XclbinArgs,
    /// golden, ref, iss, sim or xrt:INDEX.
    #[arg(long)]
    pub device: String,
    /// Hardware configuration of the accelerator devices: tiny, tiny-b2, small, u280, u250 or up5k
    /// (batch-1 ones only: generate decodes one sequence).
    #[arg(long, default_value = "tiny")]
    pub hw: String,
    /// Prompt text (through the model's tokenizer).
    #[arg(long, required_unless_present = "tokens", conflicts_with = "tokens")]
    pub prompt: Option<String>,
    /// Prompt token ids, comma-separated.
    #[arg(long)]
    pub tokens: Option<String>,
    /// Tokens to generate after the prompt.
    #[arg(long)]
    pub max_new_tokens: usize,
    /// Check every token against the fixed-point reference, bit for bit.
    #[arg(long)]
    pub check: bool,
    /// Print a JSON summary as the last line.
    #[arg(long)]
    pub json: bool,
    /// A tokenizer.json to use instead of the one beside the model.
    #[arg(long)]
    pub tokenizer: Option<PathBuf>,
}

/// Generates, checks, prints.
pub fn run(a: Args) -> Result<()> {
    let hw = HwConfig::preset(&a.hw)?;
    device::single_sequence(&a.device, &hw, "generate")?;
    let model = load_model(&a.model.model, a.json)?;
    let vocab = model.shape.vocab;
    let tokenizer = Tokenizer::for_model(&a.model.model, vocab, a.tokenizer.as_deref());
    let prompt = match (&a.prompt, &a.tokens) {
        (Some(text), _) => tokenizer
            .as_ref()
            .map_err(|e| anyhow::anyhow!("{e:#}"))?
            .encode(text, vocab)?,
        (None, Some(list)) => parse_list(list, vocab)?,
        (None, None) => bail!("give --prompt or --tokens"),
    };
    let mut dev = device::open_with(
        &a.device,
        &model,
        &hw,
        a.check,
        a.card.files(&a.model.model),
    )?;
    if a.check && !dev.is_contract() {
        bail!(
            "--check compares a device with the fixed-point reference; '{}' does not implement the contract",
            a.device
        );
    }
    let mut reference = a.check.then(|| Fixed::new(&model));
    let (mut generated, mut device_time) = (Vec::new(), Duration::ZERO);
    let mut cycles: Vec<u64> = Vec::new();
    // Every prompt token is fed; each generated token but the last is fed back.
    let steps = if a.max_new_tokens == 0 {
        0
    } else {
        prompt.len() + a.max_new_tokens - 1
    };
    let mut token = prompt[0];
    for pos in 0..steps {
        if pos < prompt.len() {
            token = prompt[pos];
        }
        let start = Instant::now();
        let out = dev.step(token)?;
        cycles.extend(dev.cycles());
        if pos + 1 >= prompt.len() {
            device_time += start.elapsed();
        }
        if let Some(r) = reference.as_mut() {
            let mut trace = Vec::new();
            let want = r.step_fixed(token, Some(&mut trace))?;
            let Some(got) = out.fixed.as_ref() else {
                bail!("device '{}' returned no integer outputs", a.device);
            };
            let layers = out
                .trace
                .as_deref()
                .and_then(|t| device::first_layer_difference(t, &trace));
            if let Some(what) = layers.or_else(|| device::first_difference(got, &want)) {
                bail!(
                    "token {pos} (input id {token}): device '{}' differs from the reference: {what}",
                    a.device
                );
            }
        }
        if pos + 1 >= prompt.len() {
            token = out.argmax as u32;
            generated.push(token);
            if let (false, Ok(t)) = (a.json, &tokenizer) {
                print!("{}", t.decode(&[token]).unwrap_or_default());
                std::io::stdout().flush().ok();
            }
        }
    }
    let text = tokenizer
        .as_ref()
        .ok()
        .map(|t| t.decode(&generated))
        .transpose()?;
    let tokens_per_s = generated.len() as f64 / device_time.as_secs_f64().max(1e-9);
    // Devices that count kernel cycles (sim): the mean per token and the rate it projects at
    // the configuration's clock.
    let cycles_per_token =
        (!cycles.is_empty()).then(|| cycles.iter().sum::<u64>() as f64 / cycles.len() as f64);
    let projected = cycles_per_token.map(|c| hw.clock_hz as f64 / c.max(1.0));
    if let (Some(c), Some(p)) = (cycles_per_token, projected) {
        eprintln!(
            "{c:.0} cycles per token: {p:.1} tokens/s projected at {} MHz",
            hw.clock_hz / 1_000_000
        );
    }
    if a.json {
        print_json(&json!({
            "tokens": generated, "text": text, "device": a.device,
            "bit_exact": reference.is_some().then_some(true), "tokens_per_s": tokens_per_s,
            "prompt_tokens": prompt, "cycles_per_token": cycles_per_token,
            "projected_tokens_per_s": projected,
        }));
    } else {
        println!();
    }
    // The verdict goes to stderr in both modes, so a JSON run still shows it to a person.
    eprintln!(
        "{} tokens on {} at {tokens_per_s:.2} tokens/s (measured){}",
        generated.len(),
        a.device,
        if a.check {
            ", every token bit-exact against the fixed-point reference"
        } else {
            ""
        }
    );
    Ok(())
}
