//! `mmfree compare --model PATH`: the fixed-point model against the golden model over a token
//! stream the golden model generates greedily (teacher forcing: both see the same tokens). Reports
//! greedy top-1 agreement, the largest and mean absolute logit error, the relative RMS error and the
//! cosine of the logit vectors. `--against f64` compares with the golden arithmetic in double
//! precision instead of the contract's f32, and `--candidate f32` puts the f32 golden model in the
//! fixed model's place, which measures the f32 model's own rounding (NUMERICS.md section 8).

use std::path::PathBuf;

use anyhow::{Result, bail};
use mmfree_model::Model;
use mmfree_reference::Decoder;
use mmfree_reference::compare::{Position, Report, compare};
use mmfree_reference::fixed::Fixed;
use mmfree_reference::golden::Golden;

use crate::cli::ModelArgs;
use crate::commands::{load_model, print_json};
use crate::progress::Progress;
use crate::tokens::{Tokenizer, parse_list};

/// Arguments of `compare`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Prompt token ids (default: the single token 1, `<s>` in the released vocabulary).
    #[arg(long, conflicts_with = "prompt")]
    pub tokens: Option<String>,
    /// Prompt text, through the model's tokenizer.
    #[arg(long)]
    pub prompt: Option<String>,
    /// Tokens the golden model generates after the prompt.
    #[arg(long, default_value_t = 64)]
    pub max_new_tokens: usize,
    /// The reference: f32 (the contract's golden model) or f64 (the same arithmetic in double).
    #[arg(long, default_value = "f32")]
    pub against: String,
    /// The model under comparison: fixed (the contract), f32 or f64.
    #[arg(long, default_value = "fixed")]
    pub candidate: String,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// A tokenizer.json to use instead of the one beside the model.
    #[arg(long)]
    pub tokenizer: Option<PathBuf>,
}

/// Runs both models and prints the report.
pub fn run(a: Args) -> Result<()> {
    let model = load_model(&a.model.model, a.json)?;
    let vocab = model.shape.vocab;
    let prompt = match (&a.tokens, &a.prompt) {
        (Some(list), _) => parse_list(list, vocab)?,
        (None, Some(text)) => Tokenizer::for_model(&a.model.model, vocab, a.tokenizer.as_deref())?
            .encode(text, vocab)?,
        (None, None) => parse_list("1", vocab)?,
    };
    let mut progress = Progress::new("compare", false);
    let mut on_position =
        |p: &Position, total: usize| progress.step("positions", p.index + 1, total);
    if a.against == "fixed" {
        bail!("the reference must be a golden model: --against f32 or f64");
    }
    let mut reference = decoder(&model, &a.against)?;
    let mut candidate = decoder(&model, &a.candidate)?;
    let report = compare(
        reference.as_mut(),
        candidate.as_mut(),
        &prompt,
        a.max_new_tokens,
        &mut on_position,
    )?;
    if a.json {
        let mut v = serde_json::to_value(&report)?;
        v["against"] = a.against.clone().into();
        v["candidate"] = a.candidate.clone().into();
        v["prompt"] = prompt.into();
        print_json(&v);
    } else {
        print_report(&report, &a.candidate, &a.against);
    }
    Ok(())
}

fn decoder<'m>(model: &'m Model, precision: &str) -> Result<Box<dyn Decoder + 'm>> {
    Ok(match precision {
        "fixed" => Box::new(Fixed::new(model)),
        "f32" => Box::new(Golden::<f32>::new(model)),
        "f64" => Box::new(Golden::<f64>::new(model)),
        x => bail!("unknown precision '{x}' (known: fixed, f32, f64)"),
    })
}

fn print_report(r: &Report, candidate: &str, against: &str) {
    let plural = if r.positions == 1 { "" } else { "s" };
    println!(
        "{candidate} against golden {against} over {} position{plural}",
        r.positions
    );
    println!(
        "  greedy top-1 agreement  {}/{} = {:.4}",
        r.agree, r.positions, r.top1_agreement
    );
    println!(
        "  logit cosine            min {:.6}  mean {:.6}",
        r.min_cosine, r.mean_cosine
    );
    println!(
        "  abs logit error         max {:.3e}  mean {:.3e}",
        r.max_abs_err, r.mean_abs_err
    );
    println!("  relative RMS error      max {:.3e}", r.max_rel_rms_err);
    for p in r.detail.iter().filter(|p| p.reference != p.candidate) {
        println!(
            "  position {:>4}: reference {} candidate {} (reference top-2 margin {:.4} x logit RMS, cosine {:.6})",
            p.index, p.reference, p.candidate, p.reference_margin, p.cosine
        );
    }
}
