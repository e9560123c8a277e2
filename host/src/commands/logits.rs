//! `mmfree logits --model PATH --tokens 1,5,9 --precision f32|fixed --json`: next-token logits at
//! every prompt position. `f64` runs the golden arithmetic in double precision (not a contract value;
//! NUMERICS.md section 8 uses it to separate the f32 golden's own rounding from the contract's).

use anyhow::{Result, bail};
use mmfree_reference::Decoder;
use mmfree_reference::fixed::Fixed;
use mmfree_reference::golden::Golden;
use serde_json::json;

use crate::cli::ModelArgs;
use crate::commands::{load_model, print_json};
use crate::tokens::parse_list;

/// Arguments of `logits`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Comma-separated token ids.
    #[arg(long)]
    pub tokens: String,
    /// f32 (golden), fixed (the bit-exact contract) or f64.
    #[arg(long, default_value = "fixed")]
    pub precision: String,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the prompt and prints the logits.
pub fn run(a: Args) -> Result<()> {
    let model = load_model(&a.model.model, a.json)?;
    let tokens = parse_list(&a.tokens, model.shape.vocab)?;
    let mut decoder: Box<dyn Decoder> = match a.precision.as_str() {
        "f32" => Box::new(Golden::<f32>::new(&model)),
        "f64" => Box::new(Golden::<f64>::new(&model)),
        "fixed" => Box::new(Fixed::new(&model)),
        p => bail!("unknown precision '{p}' (known: f32, fixed, f64)"),
    };
    let steps = tokens
        .iter()
        .map(|&t| decoder.step(t))
        .collect::<Result<Vec<_>, _>>()?;
    if a.json {
        let logits: Vec<&Vec<f32>> = steps.iter().map(|s| &s.logits).collect();
        let argmax: Vec<usize> = steps.iter().map(|s| s.argmax).collect();
        print_json(
            &json!({"tokens": tokens, "precision": a.precision, "logits": logits, "argmax": argmax}),
        );
    } else {
        for (t, s) in tokens.iter().zip(&steps) {
            let mut top: Vec<(usize, f32)> = s.logits.iter().copied().enumerate().collect();
            top.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            let shown: Vec<String> = top
                .iter()
                .take(5)
                .map(|(i, v)| format!("{i}:{v:.4}"))
                .collect();
            println!(
                "token {t:>6} -> argmax {:>6}   top-5 {}",
                s.argmax,
                shown.join(" ")
            );
        }
    }
    Ok(())
}
