//! A register for `#[derive(LogicState)]` enums (STYLE.md section 5: state machines match on an
//! enum). rust-hdl's `DFF` writes an enum's power-up value as a 64-bit literal, which
//! `verilator -Wall` reports as a width mismatch; this register is the same flip-flop with the
//! literal sized to the enum, so the sequencer lints clean without a waiver. rust-hdl also declares
//! the enum's variants as `localparam`s in every module holding the enum; the body names them in
//! one `unused_variants` net (Verilator's `*unused*` convention) so `-Wall` does not report them.
//! `dff_setup!` drives it like a `DFF`.

use rust_hdl::prelude::*;

/// A rising-edge register of `T`, zero (the enum's first variant) at power-up.
#[derive(LogicBlock, Default)]
pub struct StateReg<T: Synth> {
    /// Next value.
    pub d: Signal<In, T>,
    /// Current value.
    pub q: Signal<Out, T>,
    /// Clock.
    pub clock: Signal<In, Clock>,
}

impl<T: Synth> Logic for StateReg<T> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.q.next = self.d.val();
        }
    }

    fn connect(&mut self) {
        self.q.connect();
    }

    fn hdl(&self) -> Verilog {
        let variants = match T::descriptor().kind {
            TypeKind::Enum(names) => names.iter().map(|n| n.replace("::", "$")).collect(),
            _ => Vec::new(),
        };
        let unused = if variants.is_empty() {
            String::new()
        } else {
            format!("wire unused_variants = ({}) != 0;\n", variants.join(" + "))
        };
        Verilog::Custom(format!(
            "{unused}initial begin\n   q = {}'d0;\nend\n\nalways @(posedge clock) begin\n   q <= d;\nend\n",
            T::BITS
        ))
    }
}
