//! `mmfree-fuzz`: fuzzes the parsers of untrusted input (`make fuzz`); exits non-zero when an
//! input panicked, hung or allocated more than the cap.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, bail};
use clap::Parser;
use mmfree_fuzz::{ALL, Options, Target, alloc, fuzz};

/// Bytes in a MiB.
const MIB: usize = 1 << 20;

/// Seeded, structure-aware fuzzing of the packed-model reader, the checkpoint loader (single and
/// sharded), the tokenizer path and the neuron vector JSON.
#[derive(Parser, Debug)]
struct Args {
    /// Targets to fuzz (all when absent).
    #[arg(long, value_enum)]
    target: Vec<Target>,
    /// Inputs per target.
    #[arg(long, default_value_t = 1_000_000)]
    execs: u64,
    /// Seed of the mutation stream (the same seed replays the same inputs).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Time limit of one input, in milliseconds (longer is a hang).
    #[arg(long, default_value_t = 5000)]
    time_limit_ms: u64,
    /// Memory cap of one input, in MiB (the process refuses allocations beyond 4 times this).
    #[arg(long, default_value_t = 256)]
    mem_cap_mib: usize,
    /// Where failing inputs are saved.
    #[arg(long, default_value = "fuzz/findings")]
    findings: PathBuf,
}

fn main() -> Result<()> {
    let a = Args::parse();
    alloc::set_ceiling(a.mem_cap_mib.saturating_mul(4 * MIB));
    let opts = Options {
        seed: a.seed,
        execs: a.execs,
        time_limit: Duration::from_millis(a.time_limit_ms),
        mem_cap: a.mem_cap_mib.saturating_mul(MIB),
        findings: a.findings,
        progress: true,
    };
    let targets = if a.target.is_empty() {
        ALL.to_vec()
    } else {
        a.target
    };
    let mut failed = 0;
    for t in targets {
        let report = fuzz(t, &opts)?;
        println!("{}", report.line());
        failed += report.panics.len() + report.over_memory.len();
    }
    if failed > 0 {
        bail!(
            "{failed} failing inputs saved under {}",
            opts.findings.display()
        );
    }
    Ok(())
}
