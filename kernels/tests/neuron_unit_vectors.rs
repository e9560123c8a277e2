//! Every case of the directed vectors (neuron-models.md sections 4.8 and 2.7,
//! `tests/vectors/neuron_section48.json`) through the neuron-unit RTL under Verilator, compared
//! exactly with the expected values stored beside the inputs: on the 4-lane unit of the `tiny`
//! hardware configuration and on the 1-lane unit of `up5k` (the cases its lane modes carry; the
//! others need a mode that lane leaves out), with random input gaps and output back-pressure.

use anyhow::{Context, Result, ensure};
use mmfree_sim::neuron::{NeuronRtl, Stalls};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::neuron::json::parse_vectors;
use mmfree_tests::{NEURON_VECTORS, compare_expected, workspace_root};

fn every_vector_equals_its_expectation(hw_name: &str, stalls: Stalls) -> Result<()> {
    let text = std::fs::read_to_string(workspace_root().join(NEURON_VECTORS))?;
    let all = parse_vectors(&text)?;
    let hw = HwConfig::preset(hw_name)?;
    let modes = hw.neuron_modes();
    let cases: Vec<_> = (all.iter())
        .filter(|c| modes.admits(&c.config).is_ok())
        .cloned()
        .collect();
    let mut rtl = NeuronRtl::build(&hw, &Default::default())?;
    rtl.set_stalls(stalls);
    let traces = rtl.run_cases(&cases)?;
    let mut compared = 0;
    for (case, trace) in cases.iter().zip(&traces) {
        let want = case
            .expect
            .as_ref()
            .with_context(|| format!("{}: no expected values", case.name))?;
        let n = compare_expected(&case.name, trace, want)
            .with_context(|| format!("{hw_name}, stall seed {}", stalls.seed))?;
        ensure!(n > 0, "{}: no value compared", case.name);
        compared += n;
    }
    println!(
        "{hw_name} ({} lanes): {} of {} section 4.8 cases carried, {compared} values equal the \
         expectations, {} cycles",
        rtl.lanes(),
        cases.len(),
        all.len(),
        rtl.cycles()
    );
    ensure!(all.len() >= 60, "too few cases in the vectors file");
    // A lane with every mode runs every case; a reduced lane still runs most of them.
    let least = if modes.all() {
        all.len()
    } else {
        all.len() / 2
    };
    ensure!(
        cases.len() >= least,
        "too few cases carried: {} of {}",
        cases.len(),
        all.len()
    );
    Ok(())
}

#[test]
fn section_48_vectors_on_the_four_lane_unit() -> Result<()> {
    every_vector_equals_its_expectation("tiny", Stalls::default())?;
    every_vector_equals_its_expectation(
        "tiny",
        Stalls {
            seed: 48,
            input_gap: 0.3,
            output_stall: 0.5,
        },
    )
}

#[test]
fn section_48_vectors_on_the_one_lane_unit() -> Result<()> {
    every_vector_equals_its_expectation(
        "up5k",
        Stalls {
            seed: 5,
            input_gap: 0.2,
            output_stall: 0.3,
        },
    )
}
