//! The neuron-unit RTL under Verilator against the reference (STYLE.md house rule 6: ref = RTL in
//! the top-level `tests/`; neuron-models.md section 4.7 item 2): random legal configurations of
//! every preset, with extreme states and inputs, run in neuron groups through the Verilated unit
//! of the `tiny` hardware configuration (4 lanes) under random input gaps and output
//! back-pressure, compared exactly with `mmfree_spec::neuron` step by step; and the two engines
//! of `mmfree neuron` printing identical JSON.
//!
//! The `up5k` unit (one lane that leaves out the current stage, the adaptive threshold and the
//! gated product of the drive, `HwConfig::neuron_modes`) runs the same comparison on random legal
//! configurations of every preset it carries, and refuses the others by name.
//!
//! Default tier: at least 100,000 random steps per preset on each unit. The `#[ignore]`d soak runs
//! at least 10,000,000 on the `tiny` unit. `MMFREE_SEED=N` replays a seed; a failure prints the seed, the first mismatch and
//! the case.

use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use mmfree_sim::neuron::{NeuronRtl, Stalls};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::neuron::json::{CaseOutput, VectorsOutput, parse_vectors, run_case, run_json};
use mmfree_spec::neuron::{LaneModes, PRESET_NAMES};
use mmfree_tests::neuron_random::{random_group, random_group_for};
use mmfree_tests::{NEURON_VECTORS, first_difference, workspace_root};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

const DEFAULT_SEED: u64 = 0x0072_6e65_7572_6f6e;

fn seed() -> Result<u64> {
    let seed = std::env::var("MMFREE_SEED")
        .ok()
        .map(|s| s.parse::<u64>())
        .transpose()
        .context("MMFREE_SEED")?;
    Ok(seed.unwrap_or(DEFAULT_SEED))
}

fn unit(hw: &str) -> Result<NeuronRtl> {
    let rtl = NeuronRtl::build(&HwConfig::preset(hw)?, &Default::default())?;
    eprintln!(
        "{hw} neuron unit: {} lanes, capacity {}, build {:.1} s (cached: {})",
        rtl.lanes(),
        rtl.capacity(),
        rtl.build_info().seconds,
        rtl.build_info().cached
    );
    Ok(rtl)
}

/// Random groups of preset `name` that a lane carrying `modes` runs, until at least `min_steps`
/// steps: mostly groups that keep the pipeline full, some of one or a few neurons (each step then
/// waits for the previous one).
fn random_cases(
    rng: &mut ChaCha8Rng,
    name: &str,
    min_steps: usize,
    capacity: usize,
    modes: LaneModes,
) -> Value {
    let (mut cases, mut steps) = (Vec::new(), 0);
    while steps < min_steps {
        let neurons = *[1, 2, 7, 24, 64, capacity / 2, capacity]
            .choose(rng)
            .expect("a non-empty list");
        let (group, _) = random_group_for(rng, cases.len(), name, neurons, modes);
        steps += group
            .iter()
            .map(|c| c["steps"].as_array().map_or(0, Vec::len))
            .sum::<usize>();
        cases.extend(group);
    }
    json!({ "cases": cases })
}

/// Runs a vector document through the reference and the unit; returns the steps compared, or
/// fails with the seed, the first mismatch and the case.
fn compare_engines(rtl: &mut NeuronRtl, doc: &Value, seed: u64, what: &str) -> Result<usize> {
    let cases = parse_vectors(&doc.to_string()).with_context(|| format!("seed {seed}, {what}"))?;
    let reference = VectorsOutput {
        cases: cases
            .iter()
            .map(|c| {
                Ok(CaseOutput {
                    name: c.name.clone(),
                    trace: run_case(c)?,
                })
            })
            .collect::<mmfree_spec::Result<_>>()?,
    };
    let traces = rtl
        .run_cases(&cases)
        .with_context(|| format!("seed {seed}, {what}"))?;
    let hardware = VectorsOutput {
        cases: cases
            .iter()
            .zip(traces)
            .map(|(c, trace)| CaseOutput {
                name: c.name.clone(),
                trace,
            })
            .collect(),
    };
    let (ours, theirs) = (
        serde_json::to_value(&reference)?,
        serde_json::to_value(&hardware)?,
    );
    if let Some(diff) = first_difference(&ours, &theirs) {
        let index: usize = diff
            .trim_start_matches("case #")
            .split(' ')
            .next()
            .and_then(|i| i.parse().ok())
            .unwrap_or(0);
        bail!(
            "seed {seed}, {what}: reference and RTL differ: {diff}\ncase: {}",
            doc["cases"].get(index).map_or(Value::Null, Clone::clone)
        );
    }
    Ok(cases.iter().map(|c| c.steps.len()).sum())
}

/// At least `min_steps` random steps of every preset the unit of `hw` carries, stalls on every
/// stream.
fn every_preset(hw: &str, min_steps: usize) -> Result<()> {
    let seed = seed()?;
    let modes = HwConfig::preset(hw)?.neuron_modes();
    let presets = modes.presets();
    let mut rtl = unit(hw)?;
    let capacity = rtl.capacity();
    let start = Instant::now();
    let (mut total, cycles0) = (0, rtl.cycles());
    for (i, name) in PRESET_NAMES.iter().enumerate() {
        if !presets.contains(name) {
            continue;
        }
        let preset_seed = seed.wrapping_add(i as u64);
        let mut rng = ChaCha8Rng::seed_from_u64(preset_seed);
        let doc = random_cases(&mut rng, name, min_steps, capacity, modes);
        rtl.set_stalls(Stalls {
            seed: preset_seed,
            input_gap: rng.gen_range(0.0..0.2),
            output_stall: rng.gen_range(0.0..0.3),
        });
        let steps = compare_engines(&mut rtl, &doc, preset_seed, name)?;
        ensure!(steps >= min_steps, "{name}: only {steps} steps");
        total += steps;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{hw} neuron RTL = reference: seed {seed}, {} presets, {total} random steps equal, {} cycles, {secs:.1} s ({:.0} steps/s)",
        presets.len(),
        rtl.cycles() - cycles0,
        total as f64 / secs
    );
    Ok(())
}

#[test]
fn rtl_equals_reference_on_random_configurations_of_every_preset() -> Result<()> {
    every_preset("tiny", 100_000)
}

#[test]
#[ignore = "soak tier: ten million random steps"]
fn rtl_soak_ten_million_random_steps() -> Result<()> {
    every_preset("tiny", 10_000_000usize.div_ceil(PRESET_NAMES.len()))
}

#[test]
fn up5k_lane_equals_reference_on_random_configurations_of_its_presets() -> Result<()> {
    every_preset("up5k", 100_000)
}

#[test]
fn up5k_lane_refuses_the_modes_it_leaves_out_by_name() -> Result<()> {
    let hw = HwConfig::preset("up5k")?;
    let carried = hw.neuron_modes().presets();
    ensure!(carried.len() == 12, "the up5k lane carries {carried:?}");
    let absent: Vec<&str> = PRESET_NAMES
        .into_iter()
        .filter(|p| !carried.contains(p))
        .collect();
    ensure!(
        absent
            == [
                "loihi_cuba",
                "loihi_cuba_wrap",
                "loihi_ternary",
                "adaptive_alif"
            ],
        "{absent:?}"
    );
    let lerp = json!({"cases": [{"name": "lerp", "preset": "mlgru",
        "config": {"g_form": "lerp"}, "steps": [{"x": 1, "f": 2}]}]});
    for (what, doc, key) in [
        (
            "loihi_cuba",
            json!({"cases": [{"name": "cuba", "preset": "loihi_cuba", "steps": [{"x": 1}]}]}),
            "use_u = true",
        ),
        (
            "adaptive_alif without u",
            json!({"cases": [{"name": "alif", "preset": "adaptive_alif",
                "config": {"use_u": false}, "steps": [{"x": 1}]}]}),
            "adapt = true",
        ),
        ("mlgru with lerp", lerp, "g_form = lerp"),
    ] {
        let e = mmfree_sim::neuron::run_json(&doc.to_string(), &hw, &Default::default())
            .err()
            .with_context(|| format!("{what} ran on the up5k lane"))?;
        let text = format!("{e:#}");
        ensure!(
            text.contains(key)
                && text.contains("this neuron lane leaves out the")
                && !text.contains('\n'),
            "{what}: {text}"
        );
        println!("{what}: {text}");
    }
    Ok(())
}

/// A random file mixing every preset, group sizes and lone neurons.
fn random_file(seed: u64, capacity: usize) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cases = Vec::new();
    for i in 0..48 {
        let name = PRESET_NAMES[i % PRESET_NAMES.len()];
        let neurons = *[1, 3, 40, capacity].choose(&mut rng).expect("non-empty");
        cases.extend(random_group(&mut rng, cases.len(), name, neurons).0);
    }
    json!({ "cases": cases })
}

#[test]
fn ref_and_rtl_engines_print_identical_json() -> Result<()> {
    let seed = seed()?;
    let hw = HwConfig::preset("tiny")?;
    let vectors = std::fs::read_to_string(workspace_root().join(NEURON_VECTORS))?;
    let random = random_file(seed, mmfree_kernels_capacity(&hw)).to_string();
    for (what, text) in [
        ("the section 4.8 vectors", vectors),
        ("a random file", random),
    ] {
        let reference = run_json(&text)?;
        let rtl = mmfree_sim::neuron::run_json(&text, &hw, &Default::default())?;
        if reference != rtl {
            let (a, b): (Value, Value) = (
                serde_json::from_str(&reference)?,
                serde_json::from_str(&rtl)?,
            );
            bail!(
                "seed {seed}, {what}: the engines differ: {}",
                first_difference(&a, &b).unwrap_or_else(|| "formatting only".into())
            );
        }
        println!(
            "{what}: ref and rtl print the same {} bytes",
            reference.len()
        );
    }
    Ok(())
}

/// Neurons per group of the unit of `hw`.
fn mmfree_kernels_capacity(hw: &HwConfig) -> usize {
    let (lanes, depth) = mmfree_kernels::neuron_unit::shape(hw);
    lanes * depth
}
