//! The benchmark report folder of `mmfree bench --report DIR`: `DIR/results.jsonl` holds one JSON
//! object per run (the bench report plus the machine it ran on) and `DIR/index.html` is one
//! self-contained page drawn from every line ([`page`], [`plots`]). Both files are replaced by a
//! rename of a complete temporary, so a reader or a failed run never sees half of one; a corrupt
//! line stops the command before anything is written, naming the file and the line.

pub mod page;
pub mod plots;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::machine;

/// The results file of a report folder.
pub const RESULTS: &str = "results.jsonl";
/// The page of a report folder.
pub const PAGE: &str = "index.html";

/// Reads and checks the runs of `dir/results.jsonl`, in order (none yet is no run).
pub fn read(dir: &Path) -> Result<Vec<Value>> {
    let path = dir.join(RESULTS);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => bail!("{}: {e}", path.display()),
    };
    (text.lines().enumerate())
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| parse_line(&path, i + 1, l))
        .collect()
}

/// Adds `report` with the machine's description to the folder's runs (read again now, so that
/// runs recorded meanwhile are kept) and rewrites the page; returns the page's path.
pub fn append(dir: &Path, report: &Value) -> Result<PathBuf> {
    let mut record = report.clone();
    record["machine"] = machine::describe();
    let mut runs = read(dir)?;
    runs.push(record);
    let mut lines = String::new();
    for r in &runs {
        lines.push_str(&serde_json::to_string(r).expect("JSON values serialize"));
        lines.push('\n');
    }
    let html = page::render(&runs);
    write_atomic(&dir.join(RESULTS), lines.as_bytes())?;
    let page = dir.join(PAGE);
    write_atomic(&page, html.as_bytes())?;
    Ok(page)
}

/// One line of the results file: a JSON object with the keys every run has.
fn parse_line(path: &Path, n: usize, line: &str) -> Result<Value> {
    let v: Value = serde_json::from_str(line)
        .with_context(|| format!("{} line {n}: not JSON", path.display()))?;
    if !(v["device"].is_string() && v["tokens_per_s"].is_object()) {
        bail!(
            "{} line {n}: not a bench result (no \"device\" or \"tokens_per_s\")",
            path.display()
        );
    }
    Ok(v)
}

/// Writes `bytes` to `path` through a temporary in the same folder and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("--report {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("--report {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("{}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("{}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(device: &str) -> Value {
        json!({"device": device, "tokens_per_s": {"value": 5.0, "basis": "measured"}})
    }

    #[test]
    fn appending_keeps_every_run_and_writes_the_page() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("report");
        append(&dir, &run("ref")).unwrap();
        let page = append(&dir, &run("iss")).unwrap();
        assert_eq!(page, dir.join(PAGE));
        let runs = read(&dir).unwrap();
        let devices: Vec<&str> = runs.iter().map(|r| r["device"].as_str().unwrap()).collect();
        assert_eq!(devices, ["ref", "iss"]);
        assert!(runs[1]["machine"]["date"].as_str().unwrap().ends_with('Z'));
        let html = fs::read_to_string(&page).unwrap();
        assert!(html.contains("<table") && html.contains(">iss<"), "{html}");
        // Only the two files: no temporary left behind.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
    }

    #[test]
    fn a_corrupt_line_is_named_and_nothing_is_rewritten() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        let good = serde_json::to_string(&run("ref")).unwrap();
        for (bad, why) in [
            ("{\"device\": \"ref\", \"tok", "line 2: not JSON"),
            ("[1, 2]", "line 2: not a bench result"),
        ] {
            let text = format!("{good}\n{bad}\n{good}\n");
            fs::write(dir.join(RESULTS), &text).unwrap();
            let e = format!("{:#}", read(dir).err().unwrap());
            assert!(e.contains(RESULTS) && e.contains(why), "{e}");
            let e = append(dir, &run("iss")).unwrap_err();
            assert!(format!("{e:#}").contains(why));
            assert_eq!(fs::read_to_string(dir.join(RESULTS)).unwrap(), text);
            assert!(!dir.join(PAGE).exists());
        }
    }
}
