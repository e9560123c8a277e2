//! Test helper: emits a block, lints it with `verilator -Wall` and elaborates it in yosys
//! (STYLE.md house rule 6, `<block>_is_synthesizable`).

use rust_hdl::prelude::*;

/// Connects, emits, lints and synth-checks `block` as module `name`; panics with the tool's
/// first messages on failure.
pub(crate) fn lint_and_synth<B: Block>(mut block: B, name: &str) {
    block.connect_all();
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = mmfree_hdl::emit_to_dir(&block, name, dir.path()).expect("emit");
    if let Err(e) = mmfree_hdl::lint(&path) {
        panic!("{e}");
    }
    if let Err(e) = mmfree_hdl::synth_check(&path, name) {
        panic!("{e}");
    }
}
