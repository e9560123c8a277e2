//! Command-line definitions (contracts.md) and dispatch.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::commands;

/// The mmfree accelerator toolchain: models, devices, bit-exact checks, hardware flows.
#[derive(Parser, Debug)]
#[command(name = "mmfree", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// One subcommand each; flags and JSON follow contracts.md.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Convert a Hugging Face HGRNBit checkpoint into a packed model file.
    Convert(commands::convert::Args),
    /// Write a deterministic random model (HF layout if OUT ends in '/', else a packed file).
    Random(commands::random::Args),
    /// Print the logits of a prompt under the golden or the fixed-point model.
    Logits(commands::logits::Args),
    /// Generate on a device, greedy or sampled, optionally checking every token against the reference.
    Generate(commands::generate::Args),
    /// Compile a model for a hardware configuration (sizes; --dump: symbols and program).
    Compile(commands::compile::Args),
    /// Compare the fixed-point model with the golden model over a token stream.
    Compare(commands::compare::Args),
    /// Run spiking-neuron test vectors through the reference or the neuron RTL.
    Neuron(commands::neuron::Args),
    /// Measure decode throughput on a device against the machine's copy bandwidth.
    Bench(commands::bench::Args),
    /// Bits per byte of a model on a text file (teacher forcing) on a device.
    Eval(commands::eval::Args),
    /// Synthesize a hardware configuration (xcup: resources; ice40: UP5K bitstream and fmax).
    Synth(commands::synth::Args),
    /// List the devices this machine can run: software models, simulators, XRT cards.
    Devices(commands::devices::Args),
    /// Package a card configuration for Vitis (Verilog, kernel.xml, package_xo script, v++ cfg).
    Package(commands::package::Args),
}

/// Options shared by commands that load a model.
#[derive(clap::Args, Debug)]
pub struct ModelArgs {
    /// A Hugging Face checkpoint directory or a packed model file.
    #[arg(long)]
    pub model: PathBuf,
}

/// Parses the command line (usage errors become one line too) and runs the command.
pub fn main() -> Result<()> {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help and --version print to stdout and succeed.
            print!("{e}");
            return Ok(());
        }
        Err(e) => {
            // clap's message is several lines (the error, details, usage): keep the error and, when
            // it ends in a colon, the detail line that completes it.
            let text = e.to_string();
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let first = lines.next().unwrap_or("invalid arguments");
            let first = first.trim_start_matches("error: ");
            match lines.next().filter(|_| first.ends_with(':')) {
                Some(detail) => anyhow::bail!("{first} {detail} (see --help)"),
                None => anyhow::bail!("{first} (see --help)"),
            }
        }
    };
    match cli.command {
        Command::Convert(a) => commands::convert::run(a),
        Command::Random(a) => commands::random::run(a),
        Command::Logits(a) => commands::logits::run(a),
        Command::Generate(a) => commands::generate::run(a),
        Command::Compile(a) => commands::compile::run(a),
        Command::Compare(a) => commands::compare::run(a),
        Command::Neuron(a) => commands::neuron::run(a),
        Command::Bench(a) => commands::bench::run(a),
        Command::Eval(a) => commands::eval::run(a),
        Command::Synth(a) => commands::synth::run(a),
        Command::Package(a) => commands::package::run(a),
        Command::Devices(a) => commands::devices::run(a),
    }
}
