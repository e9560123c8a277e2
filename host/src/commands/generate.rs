//! `mmfree generate --model PATH --device DEV [--hw NAME] (--prompt TEXT | --tokens LIST |
//! --prompts-file FILE) --max-new-tokens N [--temperature T] [--top-k K] [--top-p P] [--seed N]
//! [--check] [--json]`: generation on a device through the streaming runtime
//! ([`crate::runtime`]), greedy or sampled ([`crate::sampling`]). With `--check` the fixed-point
//! reference runs beside the device and the first token whose outputs differ in any bit stops the
//! run with a non-zero exit naming the token, the layer (for devices that report per-layer traces)
//! and the value.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use mmfree_spec::hw::HwConfig;
use serde_json::json;

use crate::cli::ModelArgs;
use crate::commands::{load_model, print_json};
use crate::runtime::{self, Options, Outcome};
use crate::sampling::{self, Sampling};
use crate::tokens::{Tokenizer, parse_list};
use crate::{device, progress};

/// Where the prompts come from: exactly one of the three (a missing one names them all).
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct Input {
    /// Prompt text (through the model's tokenizer).
    #[arg(long)]
    pub prompt: Option<String>,
    /// Prompt token ids, comma-separated.
    #[arg(long)]
    pub tokens: Option<String>,
    /// A text file of prompts, one a line (through the tokenizer), run as several sequences.
    #[arg(long, value_name = "FILE")]
    pub prompts_file: Option<PathBuf>,
}

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
    /// Hardware configuration of the accelerator devices: tiny, tiny-b2, small, u280, u55c, u250
    /// or up5k (a batch configuration such as tiny-b2 runs that many prompts per step).
    #[arg(long, default_value = "tiny")]
    pub hw: String,
    #[command(flatten)]
    pub input: Input,
    /// Tokens to generate after each prompt.
    #[arg(long)]
    pub max_new_tokens: usize,
    /// Softmax temperature of sampling; 0 (the default) is greedy.
    #[arg(long, default_value = "0", allow_hyphen_values = true, value_parser = sampling::parse_temperature)]
    pub temperature: f64,
    /// Sample only from the K most likely tokens.
    #[arg(long, value_name = "K", allow_hyphen_values = true, value_parser = sampling::parse_top_k)]
    pub top_k: Option<usize>,
    /// Sample only from the most likely tokens whose probabilities reach P, in (0, 1].
    #[arg(long, value_name = "P", default_value = "1", allow_hyphen_values = true, value_parser = sampling::parse_top_p)]
    pub top_p: f64,
    /// Seed of the sampling generator (each sequence starts from it).
    #[arg(long, value_name = "N", default_value = "0", allow_hyphen_values = true, value_parser = sampling::parse_seed)]
    pub seed: u64,
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

/// Refuses `--check` on a device it cannot apply to, before anything is loaded.
fn check_applies(device: &str) -> Result<()> {
    match device {
        "ref" => bail!(
            "--check compares a device with the fixed-point reference, and --device ref is that \
             reference: it would compare it with itself; check iss, sim or xrt:INDEX"
        ),
        "golden" => bail!(
            "--check compares a device with the fixed-point reference; 'golden' (the f32 model) \
             does not implement the contract"
        ),
        _ => Ok(()),
    }
}

/// The prompts of `--prompts-file`: one a line, each through the tokenizer; an empty line is
/// refused with its number.
fn read_prompts(file: &Path, tokenizer: &Result<Tokenizer>, vocab: usize) -> Result<Vec<Vec<u32>>> {
    let bytes = std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text ({e})", file.display()))?;
    let tokenizer = tokenizer.as_ref().map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let prompts = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let at = || format!("{} line {}", file.display(), i + 1);
            if line.trim().is_empty() {
                bail!("{}: empty prompt (one prompt a line)", at());
            }
            tokenizer.encode(line, vocab).with_context(at)
        })
        .collect::<Result<Vec<_>>>()?;
    if prompts.is_empty() {
        bail!("{}: no prompts (one prompt a line)", file.display());
    }
    Ok(prompts)
}

/// The prompt or prompts the arguments name.
fn prompts(a: &Input, tokenizer: &Result<Tokenizer>, vocab: usize) -> Result<Vec<Vec<u32>>> {
    match (&a.prompt, &a.tokens, &a.prompts_file) {
        (Some(text), _, _) => Ok(vec![
            tokenizer
                .as_ref()
                .map_err(|e| anyhow::anyhow!("{e:#}"))?
                .encode(text, vocab)?,
        ]),
        (_, Some(list), _) => Ok(vec![parse_list(list, vocab)?]),
        (_, _, Some(file)) => read_prompts(file, tokenizer, vocab),
        _ => bail!("give --prompt, --tokens or --prompts-file"),
    }
}

/// Tokens as text: through the tokenizer, or as comma-separated ids when the model has none.
fn show(tokenizer: &Result<Tokenizer>, ids: &[u32]) -> String {
    match tokenizer {
        Ok(t) => t.decode(ids).unwrap_or_default(),
        Err(_) => ids.iter().map(u32::to_string).collect::<Vec<_>>().join(","),
    }
}

/// Generates, checks, prints.
pub fn run(a: Args) -> Result<()> {
    let hw = HwConfig::preset(&a.hw)?;
    if a.check {
        check_applies(&a.device)?;
    }
    let sampling = Sampling {
        temperature: a.temperature,
        top_k: a.top_k,
        top_p: a.top_p,
        seed: a.seed,
    };
    sampling.validate().map_err(anyhow::Error::msg)?;
    progress::set_quiet(a.json);
    let model = load_model(&a.model.model, a.json)?;
    let vocab = model.shape.vocab;
    let tokenizer = Tokenizer::for_model(&a.model.model, vocab, a.tokenizer.as_deref());
    let prompts = prompts(&a.input, &tokenizer, vocab)?;
    let mut dev = device::open_with(
        &a.device,
        &model,
        &hw,
        a.check,
        a.card.files(&a.model.model),
    )?;
    let opts = Options {
        max_new_tokens: a.max_new_tokens,
        sampling,
        check: a.check,
    };
    // One prompt streams its tokens as they come; several are printed a line each at the end.
    let stream = !a.json && prompts.len() == 1;
    let mut first = true;
    let result = runtime::generate(dev.as_mut(), &model, &prompts, &opts, &mut |_, token| {
        if stream {
            let sep = if tokenizer.is_err() && !first {
                ","
            } else {
                ""
            };
            print!("{sep}{}", show(&tokenizer, &[token]));
            std::io::stdout().flush().ok();
            first = false;
        }
    });
    if stream {
        // Finish stdout's line before anything more (a summary, an error) goes to stderr.
        println!();
    }
    let outcome = result?;
    if !stream && !a.json {
        outcome
            .tokens
            .iter()
            .for_each(|t| println!("{}", show(&tokenizer, t)));
    }
    report(&a, &hw, &prompts, &tokenizer, &outcome)
}

/// The summary: the cycles line, the JSON line, the verdict.
fn report(
    a: &Args,
    hw: &HwConfig,
    prompts: &[Vec<u32>],
    tokenizer: &Result<Tokenizer>,
    outcome: &Outcome,
) -> Result<()> {
    let generated = outcome.generated();
    let tokens_per_s = generated as f64 / outcome.decode_time.as_secs_f64().max(1e-9);
    // Devices that count kernel cycles (sim): the mean per step, and the rate it projects at the
    // configuration's clock with every sequence of a step counted.
    let cycles = &outcome.cycles;
    let cycles_per_token =
        (!cycles.is_empty()).then(|| cycles.iter().sum::<u64>() as f64 / cycles.len() as f64);
    let projected = cycles_per_token
        .map(|c| outcome.sequences_per_step as f64 * hw.clock_hz as f64 / c.max(1.0));
    if let (Some(c), Some(p)) = (cycles_per_token, projected) {
        eprintln!(
            "{c:.0} cycles per token: {p:.1} tokens/s projected at {} MHz",
            hw.clock_hz / 1_000_000
        );
    }
    if a.json {
        let text = |ids: &[u32]| tokenizer.as_ref().ok().map(|t| t.decode(ids)).transpose();
        let sequences = prompts
            .iter()
            .zip(&outcome.tokens)
            .map(|(p, t)| -> Result<serde_json::Value> {
                Ok(json!({"prompt_tokens": p, "tokens": t, "text": text(t)?}))
            })
            .collect::<Result<Vec<_>>>()?;
        print_json(&json!({
            "tokens": outcome.tokens[0], "text": text(&outcome.tokens[0])?, "device": a.device,
            "bit_exact": a.check.then_some(true), "tokens_per_s": tokens_per_s,
            "prompt_tokens": prompts[0], "cycles_per_token": cycles_per_token,
            "projected_tokens_per_s": projected, "sequences": sequences,
        }));
    }
    // The verdict goes to stderr in both modes, so a JSON run still shows it to a person.
    eprintln!(
        "{generated} tokens{} on {} at {tokens_per_s:.2} tokens/s (measured){}",
        if prompts.len() > 1 {
            format!(" in {} sequences", prompts.len())
        } else {
            String::new()
        },
        a.device,
        if a.check {
            ", every token bit-exact against the fixed-point reference"
        } else {
            ""
        }
    );
    Ok(())
}
