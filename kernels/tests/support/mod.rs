//! Shared by the engine's tests and its figures: the engine types the tests declare (a rust-hdl type
//! per configuration), their emitted Verilog, jobs with an independent oracle and the Verilator
//! bench. Resource counts come from `mmfree_hdl::synthesize_with`.

// Each test binary uses part of the support code.
#![allow(dead_code)]

pub mod bench;
pub mod job;

use mmfree_kernels::declare_ternary_engine;
use mmfree_kernels::ternary_engine::EngineConfig;
use mmfree_spec::pack::Packing;
use rust_hdl::prelude::*;

/// Columns of the test configurations' code buffers (a few hundred beats at most).
pub const TEST_MAX_COLS: usize = 2048;
/// Rows of the test configurations' jobs.
pub const TEST_MAX_ROWS: usize = 4096;
/// Columns and rows of the figure configurations (the u280/u250 buffers).
pub const CARD_MAX_COLS: usize = 16384;
/// Rows per engine of the figure configurations (32768 vocabulary rows over 32 ports).
pub const CARD_MAX_ROWS: usize = 1024;

/// Declares one engine type per listed configuration and `engine_verilog`, which emits the one
/// matching a runtime [`EngineConfig`].
macro_rules! engines {
    ($(($name: ident, $w: expr, $p: expr, $b: expr, $c: expr, $r: expr)),* $(,)?) => {
        $(declare_ternary_engine!($name, $w, $p, $b, $c, $r);)*

        /// Every configuration with a declared type.
        pub fn declared_configs() -> Vec<EngineConfig> {
            vec![$(EngineConfig { port_bits: $w, packing: $p, batch: $b, max_cols: $c, max_rows: $r }),*]
        }

        /// The emitted Verilog of the engine for `cfg`, top module `top`.
        pub fn engine_verilog(cfg: &EngineConfig, top: &str) -> anyhow::Result<String> {
            let cfg = *cfg;
            let top = top.to_string();
            big_stack(move || {
                $(if cfg == (EngineConfig { port_bits: $w, packing: $p, batch: $b, max_cols: $c, max_rows: $r }) {
                    let mut engine = $name::new(&cfg)?;
                    engine.connect_all();
                    return Ok(mmfree_hdl::emit(&engine, &top)?);
                })*
                anyhow::bail!("no engine type is declared for {cfg:?}")
            })
        }
    };
}

engines!(
    (T64P2B1, 64, Packing::Pack2, 1, TEST_MAX_COLS, TEST_MAX_ROWS),
    (T64P5B2, 64, Packing::Pack5, 2, TEST_MAX_COLS, TEST_MAX_ROWS),
    (
        T128P2B2,
        128,
        Packing::Pack2,
        2,
        TEST_MAX_COLS,
        TEST_MAX_ROWS
    ),
    (
        T128P5B1,
        128,
        Packing::Pack5,
        1,
        TEST_MAX_COLS,
        TEST_MAX_ROWS
    ),
    (
        T256P2B1,
        256,
        Packing::Pack2,
        1,
        TEST_MAX_COLS,
        TEST_MAX_ROWS
    ),
    (
        T256P5B2,
        256,
        Packing::Pack5,
        2,
        TEST_MAX_COLS,
        TEST_MAX_ROWS
    ),
    (T16P5B2, 16, Packing::Pack5, 2, 64, 64),
    (C64P2, 64, Packing::Pack2, 1, CARD_MAX_COLS, CARD_MAX_ROWS),
    (C64P5, 64, Packing::Pack5, 1, CARD_MAX_COLS, CARD_MAX_ROWS),
    (C256P2, 256, Packing::Pack2, 1, CARD_MAX_COLS, CARD_MAX_ROWS),
    (C256P5, 256, Packing::Pack5, 1, CARD_MAX_COLS, CARD_MAX_ROWS),
    (C512P2, 512, Packing::Pack2, 1, CARD_MAX_COLS, CARD_MAX_ROWS),
    (C512P5, 512, Packing::Pack5, 1, CARD_MAX_COLS, CARD_MAX_ROWS),
);

/// A test configuration.
pub fn test_config(port_bits: usize, packing: Packing, batch: usize) -> EngineConfig {
    EngineConfig {
        port_bits,
        packing,
        batch,
        max_cols: TEST_MAX_COLS,
        max_rows: TEST_MAX_ROWS,
    }
}

/// A figure configuration (card-sized buffers, one sequence).
pub fn card_config(port_bits: usize, packing: Packing) -> EngineConfig {
    EngineConfig {
        port_bits,
        packing,
        batch: 1,
        max_cols: CARD_MAX_COLS,
        max_rows: CARD_MAX_ROWS,
    }
}

/// The six configurations of the random tests: W = 64, 128, 256; pack2 and pack5; B = 1 and 2.
pub fn test_configs() -> Vec<EngineConfig> {
    vec![
        test_config(64, Packing::Pack2, 1),
        test_config(64, Packing::Pack5, 2),
        test_config(128, Packing::Pack2, 2),
        test_config(128, Packing::Pack5, 1),
        test_config(256, Packing::Pack2, 1),
        test_config(256, Packing::Pack5, 2),
    ]
}

/// A module name for `cfg` (`engine_w64_pack5_b2_c2048`).
pub fn top_name(cfg: &EngineConfig) -> String {
    let p = match cfg.packing {
        Packing::Pack2 => "pack2",
        Packing::Pack5 => "pack5",
    };
    format!(
        "engine_w{}_{p}_b{}_c{}",
        cfg.port_bits, cfg.batch, cfg.max_cols
    )
}

/// The Verilator bench of `cfg`'s engine.
pub fn bench(cfg: &EngineConfig) -> anyhow::Result<bench::Bench> {
    let top = top_name(cfg);
    let dut = bench::VerilatorDut::new(&engine_verilog(cfg, &top)?, &top)?;
    Ok(bench::Bench::new(*cfg, dut))
}

/// Runs `f` on a thread with a 512 MiB stack: rust-hdl designs are large structs built on the stack.
pub fn big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(f)
        .expect("spawn a big-stack thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}
