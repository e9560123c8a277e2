//! The reference neuron (neuron-models.md section 4.3) against the independent Python oracle on
//! random legal configurations of every preset: random state widths among 16/24/32, random
//! rounding and overflow rules, random thresholds, gains and decays within the legal ranges, and
//! inputs and states that include the extremes `±2^(W-1)`, `±(2^(W-1)-1)`, 0 and `±1`.
//!
//! Default tier: at least 100,000 random steps. `MMFREE_SOAK=1` runs ten times more;
//! `MMFREE_SEED=N` replays a seed. A failure prints the seed and the first mismatch.

use std::io::Write;

use anyhow::{Context, Result, ensure};
use mmfree_spec::neuron::PRESET_NAMES;
use mmfree_spec::neuron::json::run_vectors;
use mmfree_tests::neuron_random::random_case;
use mmfree_tests::{first_difference, run_neuron_oracle};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

const DEFAULT_SEED: u64 = 0x6e65_7572_6f6e;

#[test]
fn reference_equals_independent_oracle_on_random_configurations_of_every_preset() -> Result<()> {
    let seed = std::env::var("MMFREE_SEED")
        .ok()
        .map(|s| s.parse::<u64>())
        .transpose()
        .context("MMFREE_SEED")?;
    let seed = seed.unwrap_or(DEFAULT_SEED);
    let n_cases = if std::env::var_os("MMFREE_SOAK").is_some() {
        40_000
    } else {
        4_000
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut cases, mut refused, mut steps) = (Vec::with_capacity(n_cases), 0, 0);
    for i in 0..n_cases {
        let (case, r) = random_case(&mut rng, i, PRESET_NAMES[i % PRESET_NAMES.len()]);
        steps += case["steps"].as_array().map_or(0, Vec::len);
        refused += r;
        cases.push(case);
    }
    let doc = json!({ "cases": cases }).to_string();
    let mut file = tempfile::NamedTempFile::new()?;
    file.write_all(doc.as_bytes())?;
    let ours = serde_json::to_value(run_vectors(&doc).with_context(|| format!("seed {seed}"))?)?;
    let theirs = run_neuron_oracle(file.path()).with_context(|| format!("seed {seed}"))?;
    if let Some(diff) = first_difference(&ours, &theirs) {
        let index: usize = diff
            .trim_start_matches("case #")
            .split(' ')
            .next()
            .and_then(|i| i.parse().ok())
            .unwrap_or(0);
        panic!(
            "seed {seed}: reference and oracle differ: {diff}\ncase: {}",
            cases.get(index).map_or(Value::Null, Clone::clone)
        );
    }
    println!(
        "neuron oracle: seed {seed}, {n_cases} cases, {steps} steps, {refused} refused draws, all equal"
    );
    ensure!(steps >= 100_000, "only {steps} random steps");
    ensure!(
        refused < n_cases,
        "the generator draws too many illegal configurations ({refused})"
    );
    Ok(())
}
