//! `mmfree compare --model PATH`: the fixed-point model against the golden model over a token
//! stream the golden model generates greedily (teacher forcing: both see the same tokens). Reports
//! greedy top-1 agreement, the largest and mean absolute logit error, the relative RMS error and the
//! cosine of the logit vectors; `--against f64` compares with the golden arithmetic in double
//! precision instead of the contract's f32 (NUMERICS.md section 8).

use std::path::PathBuf;

use anyhow::{Result, bail};
use mmfree_reference::compare::{Position, Report, compare};

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
    /// The golden arithmetic to compare with: f32 (the contract's golden model) or f64.
    #[arg(long, default_value = "f32")]
    pub against: String,
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
    let report = match a.against.as_str() {
        "f32" => compare::<f32>(&model, &prompt, a.max_new_tokens, &mut on_position)?,
        "f64" => compare::<f64>(&model, &prompt, a.max_new_tokens, &mut on_position)?,
        x => bail!("unknown golden precision '{x}' (known: f32, f64)"),
    };
    if a.json {
        let mut v = serde_json::to_value(&report)?;
        v["against"] = a.against.clone().into();
        v["prompt"] = prompt.into();
        print_json(&v);
    } else {
        print_report(&report, &a.against);
    }
    Ok(())
}

fn print_report(r: &Report, against: &str) {
    println!(
        "fixed-point against golden {against} over {} positions",
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
    for p in r.detail.iter().filter(|p| p.golden != p.fixed) {
        println!(
            "  position {:>4}: golden {} fixed {} (golden top-2 margin {:.4} x logit RMS, cosine {:.6})",
            p.index, p.golden, p.fixed, p.golden_margin, p.cosine
        );
    }
}
