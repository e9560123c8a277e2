//! Helpers of the cross-crate tests (STYLE.md house rule 6: ref = ISS = RTL in the top-level
//! `tests/`): locating the workspace's vector files, running the independent Python oracle of
//! neuron-models.md section 4.3 (`tests/independent/neuron_model.py`), and reporting the first
//! difference between two output documents of the `mmfree neuron` contract.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// The workspace root (the parent of this crate), where `tests/vectors` and `tests/independent` live.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the workspace")
        .to_path_buf()
}

/// Path of the independent integer oracle of the neuron.
pub fn neuron_oracle_script() -> PathBuf {
    workspace_root().join("tests/independent/neuron_model.py")
}

/// Runs the independent Python oracle on a vector file and returns its output document.
pub fn run_neuron_oracle(vectors: &Path) -> Result<Value> {
    let script = neuron_oracle_script();
    run_independent(&script, &[vectors.as_os_str()])
}

/// Runs an independent Python program of `tests/independent` and parses the JSON it prints. A
/// missing `python3` is an error, never a skip: the comparison is the point of the test.
pub fn run_independent(script: &Path, args: &[&std::ffi::OsStr]) -> Result<Value> {
    let name = script
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let output = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .with_context(|| format!("python3 is required to run {name}, and could not be started"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("(no message)");
        bail!("{name} failed: {last}");
    }
    serde_json::from_slice(&output.stdout).with_context(|| format!("{name} printed invalid JSON"))
}

/// The first difference between two output documents `{"cases": [{"name", "out", "v", ...}]}`,
/// naming the case, the key and the step; `None` when they are equal.
pub fn first_difference(ours: &Value, theirs: &Value) -> Option<String> {
    let (a, b) = (cases_of(ours), cases_of(theirs));
    if a.len() != b.len() {
        return Some(format!("{} cases against {}", a.len(), b.len()));
    }
    a.iter()
        .zip(b)
        .enumerate()
        .find_map(|(i, (x, y))| case_difference(i, x, y))
}

fn cases_of(doc: &Value) -> &[Value] {
    doc.get("cases")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn case_difference(index: usize, ours: &Value, theirs: &Value) -> Option<String> {
    let name = ours.get("name").and_then(Value::as_str).unwrap_or("?");
    let (Some(a), Some(b)) = (ours.as_object(), theirs.as_object()) else {
        return Some(format!("case #{index} '{name}': not an object"));
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        match (a.get(key), b.get(key)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(Value::Array(x)), Some(Value::Array(y))) => {
                let step = x
                    .iter()
                    .zip(y)
                    .position(|(p, q)| p != q)
                    .unwrap_or(x.len().min(y.len()));
                let show = |v: &Vec<Value>| {
                    v.get(step)
                        .map_or("(missing)".to_string(), Value::to_string)
                };
                return Some(format!(
                    "case #{index} '{name}', key '{key}', step {step}: {} vs {}",
                    show(x),
                    show(y)
                ));
            }
            (x, y) => {
                return Some(format!(
                    "case #{index} '{name}', key '{key}': {x:?} vs {y:?}"
                ));
            }
        }
    }
    None
}
