//! External checks of emitted Verilog (STYLE.md house rule 6): Verilator's `-Wall` lint and a yosys
//! elaboration that refuses latches, undriven wires and multiple drivers. Both return the tool's
//! first messages as one line, so a failing test says what is wrong without opening a log.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

/// How many tool messages an error quotes.
const FIRST_MESSAGES: usize = 3;

/// Lints a file whose only top-level module is the design (`verilator --lint-only -Wall`).
pub fn lint(path: &Path) -> Result<()> {
    run_lint(path, None)
}

/// Lints a file holding several designs, naming the top module to elaborate.
pub fn lint_top(path: &Path, top: &str) -> Result<()> {
    run_lint(path, Some(top))
}

fn run_lint(path: &Path, top: Option<&str>) -> Result<()> {
    let mut cmd = Command::new("verilator");
    cmd.args(["--lint-only", "-Wall"]);
    if let Some(top) = top {
        cmd.args(["--top-module", top]);
    }
    let out = cmd
        .arg(path)
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: "verilator",
            source,
        })?;
    let text = String::from_utf8_lossy(&out.stderr);
    let first = first_messages(&text, |l| l.starts_with('%'));
    if out.status.success() && first.is_empty() {
        Ok(())
    } else {
        Err(Error::Lint {
            path: path.into(),
            first,
        })
    }
}

/// Elaborates `top` from `path` in yosys and asserts it has no latch, undriven wire or conflict.
pub fn synth_check(path: &Path, top: &str) -> Result<()> {
    let script = format!(
        "read_verilog {}; hierarchy -check -top {top}; proc; flatten; \
         select -assert-none t:$dlatch t:$adlatch t:$dlatchsr; check -assert",
        path.display()
    );
    let out = Command::new("yosys")
        .args(["-q", "-p", &script])
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: "yosys",
            source,
        })?;
    if out.status.success() {
        return Ok(());
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let first = first_messages(&text, |l| l.contains("ERROR") || l.contains("Warning"));
    Err(Error::Synth {
        module: top.into(),
        first,
    })
}

/// The first few lines that `keep` selects, joined into one line.
fn first_messages(text: &str, keep: impl Fn(&str) -> bool) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| keep(l))
        .take(FIRST_MESSAGES)
        .collect();
    if lines.is_empty() {
        text.lines()
            .take(FIRST_MESSAGES)
            .collect::<Vec<_>>()
            .join(" | ")
    } else {
        lines.join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lint_reports_the_first_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.v");
        std::fs::write(&path, "module bad(a, y);\ninput wire [3:0] a;\noutput wire [7:0] y;\nassign y = a;\nendmodule\n")
            .unwrap();
        let e = lint(&path).unwrap_err().to_string();
        assert!(e.contains("WIDTH"), "{e}");
        assert!(
            e.starts_with(&format!("verilator lint of {}", path.display())),
            "{e}"
        );
    }

    #[test]
    fn synth_check_refuses_a_latch() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latch.v");
        std::fs::write(&path, "module latch(e, d, q);\ninput wire e, d;\noutput reg q;\nalways @(*) if (e) q = d;\nendmodule\n")
            .unwrap();
        let e = synth_check(&path, "latch").unwrap_err();
        assert!(matches!(e, Error::Synth { .. }), "{e}");
        let ok = dir.path().join("ok.v");
        std::fs::write(
            &ok,
            "module ok(e, d, q);\ninput wire e, d;\noutput wire q;\nassign q = e & d;\nendmodule\n",
        )
        .unwrap();
        synth_check(&ok, "ok").unwrap();
    }
}
