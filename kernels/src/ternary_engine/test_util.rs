//! Helpers of the engine blocks' unit tests (STYLE.md house rule 6): a clock edge in the rust-hdl
//! simulation, and the `<block>_is_synthesizable` check (emit, Verilator `-Wall` lint, yosys
//! elaboration without latches).

use rust_hdl::prelude::*;

/// Access to a block's clock, for [`edge`].
pub(crate) trait Clocked: Block {
    fn clock(&mut self) -> &mut Signal<In, Clock>;
}

/// Settles the inputs with the clock low (outputs then show what the next edge will see).
pub(crate) fn settle<B: Clocked>(uut: &mut B) {
    uut.clock().next = Clock::from(false);
    assert!(simulate(uut, 1000), "logic did not settle");
}

/// Settles the inputs with the clock low, then one rising edge.
pub(crate) fn edge<B: Clocked>(uut: &mut B) {
    settle(uut);
    uut.clock().next = Clock::from(true);
    assert!(simulate(uut, 1000), "logic did not settle");
}

/// Emits, lints and elaborates a connected block.
pub(crate) fn lint_and_synth<B: Block>(uut: &B, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = mmfree_hdl::emit_to_dir(uut, name, dir.path()).unwrap();
    mmfree_hdl::lint(&path).unwrap();
    mmfree_hdl::synth_check(&path, name).unwrap();
}
