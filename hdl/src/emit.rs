//! Verilog emitter (DESIGN.md section 4, toolchain.md section 1): turns a rust-hdl design into one
//! self-contained Verilog file whose modules carry unique, legal names, so that several designs can
//! share one Verilator or yosys run.
//!
//! rust-hdl names the top module `top` and every submodule after its path (`top$fifo$ram`). The
//! emitter renames `top` to the requested name and `top$a$b` to `<name>__a__b`, touching only module
//! declarations, instantiations and `endmodule` comments. It also adds the two narrow lint waivers
//! documented in `hdl/README.md`: `WIDTH` around rust-hdl's generated combinational code (it writes
//! every literal as 32 bits) and `UNUSEDSIGNAL` around the stub declarations of child-module ports
//! (a widget's status output that a parent does not read), and it turns `DECLFILENAME` off for the
//! file, which holds a whole module hierarchy by design. The output is a pure function of the
//! design, so it is byte-identical across runs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rust_hdl::core::check_error::check_all;
use rust_hdl::core::prelude::{Block, generate_verilog_unchecked};

use crate::error::{Error, Result};

/// The name rust-hdl gives every top module.
const RUST_HDL_TOP: &str = "top";

/// Verilog keywords a module name must not take.
const KEYWORDS: [&str; 32] = [
    "always",
    "and",
    "assign",
    "begin",
    "case",
    "default",
    "else",
    "end",
    "endcase",
    "endfunction",
    "endmodule",
    "for",
    "function",
    "generate",
    "if",
    "initial",
    "inout",
    "input",
    "integer",
    "localparam",
    "module",
    "nand",
    "negedge",
    "nor",
    "not",
    "or",
    "output",
    "parameter",
    "posedge",
    "reg",
    "wire",
    "xor",
];

/// Emits `block` as Verilog with its top module called `module_name` (see the module docs).
pub fn emit<B: Block>(block: &B, module_name: &str) -> Result<String> {
    check_identifier(module_name)?;
    check_all(block).map_err(|e| Error::Check {
        module: module_name.into(),
        detail: format!("{e:?}"),
    })?;
    let raw = generate_verilog_unchecked(block);
    let renames = rename_map(&raw, module_name)?;
    let mut out = format!(
        "// {module_name}: generated from a rust-hdl design by mmfree-hdl; do not edit.\n\
         /* verilator lint_off DECLFILENAME */\n`default_nettype none\n"
    );
    let mut waivers = Waivers::default();
    for line in raw.lines() {
        waivers.before(line, &mut out);
        out.push_str(&rename_line(line, &renames));
        out.push('\n');
    }
    out.push_str("`default_nettype wire\n");
    Ok(out)
}

/// Emits `block` into `<dir>/<module_name>.v` (creating `dir`) and returns the file's path.
pub fn emit_to_dir<B: Block>(block: &B, module_name: &str, dir: &Path) -> Result<PathBuf> {
    let text = emit(block, module_name)?;
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.into(),
        source,
    })?;
    let path = dir.join(format!("{module_name}.v"));
    std::fs::write(&path, text).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Refuses names that are not plain Verilog identifiers (no `$`, no escapes, no keywords).
fn check_identifier(name: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::ModuleName {
            name: name.into(),
            why: why.into(),
        })
    };
    let mut chars = name.chars();
    match chars.next() {
        None => return bad("empty"),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
            return bad("must start with a letter or '_'");
        }
        _ => {}
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return bad("only ASCII letters, digits and '_' are allowed");
    }
    if KEYWORDS.contains(&name) {
        return bad("is a Verilog keyword");
    }
    Ok(())
}

/// Maps every rust-hdl module name of `raw` to its new name and checks the new names are unique
/// and unused elsewhere in the text.
fn rename_map(raw: &str, module_name: &str) -> Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for old in raw.lines().filter_map(declared_module) {
        let new = if old == RUST_HDL_TOP {
            module_name.to_string()
        } else if let Some(path) = old.strip_prefix("top$") {
            format!("{module_name}__{}", path.replace('$', "__"))
        } else {
            return Err(Error::ModuleName {
                name: old.into(),
                why: "not a rust-hdl module path".into(),
            });
        };
        map.insert(old.to_string(), new);
    }
    let identifiers: BTreeSet<&str> = raw
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .collect();
    let mut seen = BTreeSet::new();
    for new in map.values() {
        if !seen.insert(new.as_str())
            || identifiers.contains(new.as_str()) && !map.contains_key(new)
        {
            return Err(Error::ModuleName {
                name: new.clone(),
                why: "collides with another identifier of the design".into(),
            });
        }
    }
    Ok(map)
}

/// The module name declared by a `module NAME(...)` line.
pub(crate) fn declared_module(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("module ")?;
    rest.split('(').next().map(str::trim)
}

/// Places the lint waivers: `UNUSEDSIGNAL` over rust-hdl's "Stub signals" section, `WIDTH` over
/// its generated "Update code" (never over custom code such as the adder tree's).
#[derive(Default)]
struct Waivers {
    unused_off: bool,
    width_off: bool,
}

impl Waivers {
    /// Writes the markers that must precede `line` into `out`.
    fn before(&mut self, line: &str, out: &mut String) {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let section = body.starts_with("// ") || body.starts_with("endmodule");
        if self.unused_off && section {
            out.push_str(&format!("{indent}/* verilator lint_on UNUSEDSIGNAL */\n"));
            self.unused_off = false;
        }
        if self.width_off && body.starts_with("endmodule") {
            out.push_str(&format!("{indent}/* verilator lint_on WIDTH */\n"));
            self.width_off = false;
        }
        if body == "// Stub signals" {
            out.push_str(&format!("{indent}/* verilator lint_off UNUSEDSIGNAL */\n"));
            self.unused_off = true;
        }
        if body == "// Update code" {
            out.push_str(&format!("{indent}/* verilator lint_off WIDTH */\n"));
            self.width_off = true;
        }
    }
}

/// Renames the module in a declaration, an instantiation or an `endmodule` comment.
fn rename_line(line: &str, renames: &BTreeMap<String, String>) -> String {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    if let Some(old) = declared_module(line) {
        return format!(
            "{indent}module {}{}",
            renames[old],
            &body["module ".len() + old.len()..]
        );
    }
    if let Some(old) = body.strip_prefix("endmodule // ") {
        return format!(
            "{indent}endmodule // {}",
            renames.get(old.trim()).map_or(old, String::as_str)
        );
    }
    let first = body.split(' ').next().unwrap_or("");
    match renames.get(first) {
        Some(new) if body.trim_end().ends_with('(') => {
            format!("{indent}{new}{}", &body[first.len()..])
        }
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_hdl::prelude::*;

    fn fifo() -> SynchronousFIFO<Bits<8>, 2, 3, 1> {
        let mut f: SynchronousFIFO<Bits<8>, 2, 3, 1> = Default::default();
        f.connect_all();
        f
    }

    #[test]
    fn renames_top_and_every_submodule() {
        let v = emit(&fifo(), "fifo8").unwrap();
        assert!(v.contains("module fifo8(clock,"));
        assert!(v.contains("module fifo8__read_logic__read_address(d,q,clock);"));
        assert!(v.contains("fifo8__ram ram(\n"));
        assert!(v.contains("endmodule // fifo8__write_logic"));
        assert!(!v.contains("top$"), "a rust-hdl module name survived");
        assert!(!v.lines().any(|l| l.trim_start().starts_with("module top")));
        assert_eq!(
            v.matches("lint_off WIDTH").count(),
            v.matches("lint_on WIDTH").count()
        );
        assert_eq!(
            v.matches("lint_off UNUSEDSIGNAL").count(),
            v.matches("lint_on UNUSEDSIGNAL").count()
        );
        // 3 modules with generated code (top, read and write logic), 3 with stub sections.
        assert_eq!(v.matches("lint_off WIDTH").count(), 3);
        assert_eq!(v.matches("lint_off UNUSEDSIGNAL").count(), 3);
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(emit(&fifo(), "a").unwrap(), emit(&fifo(), "a").unwrap());
    }

    #[test]
    fn bad_names_are_refused() {
        for name in ["", "1abc", "a$b", "module", "a b"] {
            let e = emit(&fifo(), name).unwrap_err();
            assert!(matches!(e, Error::ModuleName { .. }), "{name}: {e}");
        }
    }

    #[test]
    fn two_designs_share_one_lint_run() {
        let dir = tempfile::tempdir().unwrap();
        let a = emit(&fifo(), "fifo_a").unwrap();
        let b = emit(&fifo(), "fifo_b").unwrap();
        let both = dir.path().join("fifo_a.v");
        std::fs::write(&both, format!("{a}{b}")).unwrap();
        crate::check::lint_top(&both, "fifo_a").unwrap();
    }
}
