//! A small writer for the Verilog bodies of the vector unit's arithmetic blocks (hdl/README.md,
//! "AdderTree": a block may write its own Verilog from the same plan its simulation follows).
//!
//! A body is a list of named nets: combinational wires with their expression, and registers with
//! their next value, all sampled on `clock` in one `always` block, zero at power-up (rust-hdl's
//! convention: no reset, `initial` values). Output ports, which rust-hdl declares `output reg`,
//! are driven from one `always @(*)` block. Every net is declared exactly as wide as its values so
//! that `verilator -Wall` stays quiet without waivers.

use std::fmt::Write;

/// `signed [msb:0] ` (or nothing for an unsigned single bit): the type part of a declaration.
pub(crate) fn range(bits: usize, signed: bool) -> String {
    let s = if signed { "signed " } else { "" };
    if bits == 1 && !signed {
        String::new()
    } else {
        format!("{s}[{}:0] ", bits - 1)
    }
}

/// A sized decimal literal, `N'd<value>`.
pub(crate) fn lit(bits: usize, value: u128) -> String {
    format!("{bits}'d{value}")
}

/// Lane `i` of a packed bus of `bits`-wide lanes: `bus[hi:lo]`.
pub(crate) fn lane(bus: &str, i: usize, bits: usize) -> String {
    if bits == 1 {
        format!("{bus}[{i}]")
    } else {
        format!("{bus}[{}:{}]", i * bits + bits - 1, i * bits)
    }
}

/// `{lane[n-1], ..., lane[0]}`: a packed bus from per-lane net names.
pub(crate) fn concat(names: &[String]) -> String {
    let rev: Vec<&str> = names.iter().rev().map(String::as_str).collect();
    if rev.len() == 1 {
        rev[0].to_string()
    } else {
        format!("{{{}}}", rev.join(", "))
    }
}

/// `name` (`from` bits) zero-extended to `to` bits.
pub(crate) fn zext(name: &str, from: usize, to: usize) -> String {
    if to == from {
        name.to_string()
    } else {
        format!("{{{}'d0, {name}}}", to - from)
    }
}

/// `name` (`from` bits) sign-extended to `to` bits (a bit select of `name` must be legal).
pub(crate) fn sext(name: &str, from: usize, to: usize) -> String {
    if to == from {
        name.to_string()
    } else {
        format!("{{{{{}{{{name}[{}]}}}}, {name}}}", to - from, from - 1)
    }
}

/// The nets of a custom module body (see the module docs).
#[derive(Default)]
pub(crate) struct Body {
    decls: String,
    init: Vec<String>,
    seq: Vec<String>,
    outs: Vec<String>,
    unused: Vec<String>,
}

impl Body {
    /// A combinational net `name = expr`.
    pub fn wire(&mut self, name: &str, bits: usize, signed: bool, expr: &str) {
        let _ = writeln!(self.decls, "wire {}{name} = {expr};", range(bits, signed));
    }

    /// A register that takes `next` on every rising edge of `clock`.
    pub fn reg(&mut self, name: &str, bits: usize, signed: bool, next: &str) {
        let _ = writeln!(self.decls, "reg {}{name};", range(bits, signed));
        self.init.push(format!("{name} = {};", lit(bits, 0)));
        self.seq.push(format!("{name} <= {next};"));
    }

    /// A register assigned by raw statements (a state machine's), zero at power-up.
    pub fn state_reg(&mut self, name: &str, bits: usize, signed: bool) {
        let _ = writeln!(self.decls, "reg {}{name};", range(bits, signed));
        self.init.push(format!("{name} = {};", lit(bits, 0)));
    }

    /// A chain of `stages` registers delaying `input`; returns the last one's name (or `input`
    /// itself for no stages).
    pub fn delay(
        &mut self,
        name: &str,
        bits: usize,
        signed: bool,
        input: &str,
        stages: usize,
    ) -> String {
        let mut prev = input.to_string();
        for s in 1..=stages {
            let n = format!("{name}_d{s}");
            self.reg(&n, bits, signed, &prev);
            prev = n;
        }
        prev
    }

    /// Drives output port `port` with `expr`.
    pub fn output(&mut self, port: &str, expr: &str) {
        self.outs.push(format!("{port} = {expr};"));
    }

    /// Marks bits that are computed but not needed (the high bits of a shifted value whose result
    /// fits by construction). They feed one `unused_bits` net, which Verilator's default
    /// `--unused-regexp` (`*unused*`) leaves unreported and synthesis removes.
    pub fn unused(&mut self, parts: &[String]) {
        if !parts.is_empty() {
            self.unused.extend(parts.iter().cloned());
        }
    }

    /// A raw statement inside the combinational `always @(*)` block (driving a child's input).
    pub fn raw_comb(&mut self, stmt: &str) {
        self.outs.push(stmt.to_string());
    }

    /// A raw statement inside the clocked `always` block.
    pub fn raw_seq(&mut self, stmt: &str) {
        self.seq.push(stmt.to_string());
    }

    /// The module body text.
    pub fn finish(self) -> String {
        let mut v = self.decls;
        if !self.unused.is_empty() {
            let _ = writeln!(
                v,
                "wire unused_bits = &{{1'b0, {}}};",
                self.unused.join(", ")
            );
        }
        if !self.init.is_empty() {
            let _ = writeln!(v, "initial begin\n    {}\nend", self.init.join("\n    "));
        }
        if !self.seq.is_empty() {
            let _ = writeln!(
                v,
                "always @(posedge clock) begin\n    {}\nend",
                self.seq.join("\n    ")
            );
        }
        if !self.outs.is_empty() {
            let _ = writeln!(
                v,
                "always @(*) begin\n    {}\nend",
                self.outs.join("\n    ")
            );
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_declares_and_clocks_every_net() {
        let mut b = Body::default();
        b.wire("s", 9, true, "$signed(a) + $signed(b)");
        let last = b.delay("v", 1, false, "in_valid", 2);
        b.output("out_valid", &last);
        let text = b.finish();
        assert!(text.contains("wire signed [8:0] s = $signed(a) + $signed(b);"));
        assert!(text.contains("reg v_d1;\nreg v_d2;"));
        assert!(text.contains("v_d2 <= v_d1;"));
        assert!(text.contains("out_valid = v_d2;"));
        assert_eq!(lane("x", 2, 32), "x[95:64]");
        assert_eq!(concat(&["a".into(), "b".into()]), "{b, a}");
        assert_eq!(range(1, false), "");
        assert_eq!(zext("a", 4, 6), "{2'd0, a}");
        assert_eq!(sext("a", 4, 6), "{{2{a[3]}}, a}");
        assert_eq!(range(1, true), "signed [0:0] ");
    }
}
