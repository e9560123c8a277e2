//! The directed vectors of neuron-models.md section 4.8 and the lava golden values of section 2.7
//! (`tests/vectors/neuron_section48.json`, expected values beside the inputs) through the reference
//! runner and through the independent Python oracle, compared exactly.

use std::collections::BTreeSet;

use anyhow::{Result, ensure};
use mmfree_spec::neuron::json::{Trace, parse_vectors, run_case, run_vectors};
use mmfree_tests::{
    NEURON_VECTORS, SPIKES_ONLY, compare_expected as compare, first_difference, run_neuron_oracle,
    workspace_root,
};
use serde_json::Value;

/// Vector IDs of section 4.8 and 2.7 that the file must hold (each at least once, by name prefix).
const REQUIRED: [&str; 18] = [
    "T1a",
    "T1b",
    "T1c",
    "lava bias scaling",
    "T2",
    "T3 ",
    "T3b",
    "T4a",
    "T4b",
    "T4c",
    "T5b",
    "T6",
    "T7",
    "T8",
    "T9",
    "T10",
    "T11",
    "T12",
];

fn vectors_text() -> Result<String> {
    Ok(std::fs::read_to_string(
        workspace_root().join(NEURON_VECTORS),
    )?)
}

#[test]
fn reference_reproduces_every_section_48_vector() -> Result<()> {
    let cases = parse_vectors(&vectors_text()?)?;
    let mut compared = 0;
    for case in &cases {
        let want = case
            .expect
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("{}: no expected values", case.name))?;
        ensure!(
            !want.v.is_empty() || case.name == SPIKES_ONLY,
            "{}: expects no v",
            case.name
        );
        compared += compare(&case.name, &run_case(case)?, want)?;
    }
    for id in REQUIRED {
        ensure!(
            cases.iter().any(|c| c.name.starts_with(id)),
            "the vector file has no case {id}"
        );
    }
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    ensure!(names.len() == cases.len(), "case names must be unique");
    println!(
        "section 4.8 vectors: {} cases, {compared} values equal",
        cases.len()
    );
    ensure!(
        cases.len() >= 60 && compared >= 540,
        "too few vectors checked: {} cases, {compared} values",
        cases.len()
    );
    Ok(())
}

#[test]
fn independent_oracle_reproduces_every_section_48_vector_and_the_reference() -> Result<()> {
    let path = workspace_root().join(NEURON_VECTORS);
    let theirs = run_neuron_oracle(&path)?;
    let cases = parse_vectors(&vectors_text()?)?;
    let their_cases = theirs["cases"].as_array().cloned().unwrap_or_default();
    ensure!(
        their_cases.len() == cases.len(),
        "the oracle ran {} cases of {}",
        their_cases.len(),
        cases.len()
    );
    for (case, theirs) in cases.iter().zip(&their_cases) {
        let trace: Trace = serde_json::from_value(strip_name(theirs))?;
        compare(
            &case.name,
            &trace,
            case.expect.as_ref().expect("checked by the reference test"),
        )?;
    }
    let ours = serde_json::to_value(run_vectors(&vectors_text()?)?)?;
    if let Some(diff) = first_difference(&ours, &theirs) {
        anyhow::bail!("reference and oracle differ on the vector file: {diff}");
    }
    Ok(())
}

fn strip_name(case: &Value) -> Value {
    let mut case = case.clone();
    if let Some(obj) = case.as_object_mut() {
        obj.remove("name");
    }
    case
}
