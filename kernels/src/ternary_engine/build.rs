//! The engine of each hardware-configuration preset (docs/ACCELERATOR.md section 1, one engine per
//! weight port): a rust-hdl type is declared per preset, and [`build`] emits the one whose
//! [`EngineConfig::from_hw`] matches, the way `neuron_unit::build` does for the neuron unit.

use mmfree_spec::hw::HwConfig;
use mmfree_spec::pack::Packing;
use rust_hdl::core::prelude::Block;

use super::config::EngineConfig;
use crate::declare_ternary_engine;
use crate::error::{Error, Result};

/// Stack for elaborating an engine: rust-hdl designs are plain structs (toolchain.md section 1).
const ELABORATION_STACK_BYTES: usize = 512 << 20;

/// Declares one engine type per preset and `emit_declared`, which emits the one matching a
/// configuration, and `DECLARED`, the configurations that have a type.
macro_rules! preset_engines {
    ($(($name: ident, $w: expr, $p: expr, $b: expr, $c: expr, $r: expr)),* $(,)?) => {
        /// The declared engine types (private: `build` is the way in).
        mod types {
            use super::*;
            $(declare_ternary_engine!($name, $w, $p, $b, $c, $r);)*
        }

        /// Every engine configuration with a declared type (those of the presets).
        pub const DECLARED: &[EngineConfig] = &[$(EngineConfig {
            port_bits: $w, packing: $p, batch: $b, max_cols: $c, max_rows: $r,
        }),*];

        /// The Verilog of the declared engine for `cfg`, or `None` if no type matches.
        fn emit_declared(cfg: &EngineConfig, module: &str) -> Result<Option<String>> {
            $(if *cfg == (EngineConfig { port_bits: $w, packing: $p, batch: $b, max_cols: $c, max_rows: $r }) {
                let cfg = *cfg;
                return elaborate(module, move || types::$name::new(&cfg)).map(Some);
            })*
            Ok(None)
        }
    };
}

preset_engines!(
    (EngineTiny, 64, Packing::Pack2, 1, 1024, 4096),
    (EngineTinyB2, 64, Packing::Pack2, 2, 1024, 4096),
    (EngineSmall, 128, Packing::Pack2, 1, 4096, 16384),
    (EngineU280, 256, Packing::Pack5, 1, 16384, 1024),
    (EngineU250, 512, Packing::Pack5, 1, 16384, 8192),
    (EngineUp5k, 16, Packing::Pack2, 1, 256, 256),
);

/// The emitted Verilog of one engine and the configuration it was built from.
#[derive(Clone, Debug)]
pub struct EngineBuild {
    /// Verilog text (one file, every module name unique).
    pub verilog: String,
    /// Name of the top module.
    pub module: String,
    /// The engine's parameters.
    pub config: EngineConfig,
}

/// A module name for an engine configuration (`engine_w64_pack2_b1_c1024`).
pub fn module_name(cfg: &EngineConfig) -> String {
    let packing = match cfg.packing {
        Packing::Pack2 => "pack2",
        Packing::Pack5 => "pack5",
    };
    format!(
        "engine_w{}_{packing}_b{}_c{}",
        cfg.port_bits, cfg.batch, cfg.max_cols
    )
}

/// Emits the Verilog of one of the `weight_ports` engines of `hw`.
pub fn build(hw: &HwConfig) -> Result<EngineBuild> {
    let config = EngineConfig::from_hw(hw)?;
    let module = module_name(&config);
    let verilog = emit_declared(&config, &module)?.ok_or_else(|| Error::Unsupported {
        kernel: "ternary engine",
        why: format!(
            "hardware configuration '{}' needs {config:?}, which has no declared engine type \
             (the presets' engines are declared in ternary_engine::build)",
            hw.name
        ),
    })?;
    Ok(EngineBuild {
        verilog,
        module,
        config,
    })
}

/// Builds, connects and emits an engine on a thread with a big stack.
fn elaborate<E, F>(module: &str, make: F) -> Result<String>
where
    E: Block + 'static,
    F: FnOnce() -> Result<E> + Send + 'static,
{
    let module = module.to_string();
    let worker = std::thread::Builder::new()
        .stack_size(ELABORATION_STACK_BYTES)
        .spawn(move || -> Result<String> {
            let mut engine = Box::new(make()?);
            engine.connect_all();
            Ok(mmfree_hdl::emit(engine.as_ref(), &module)?)
        })
        .map_err(|e| Error::Elaboration {
            kernel: "ternary engine",
            why: format!("cannot start a thread: {e}"),
        })?;
    worker.join().unwrap_or_else(|_| {
        Err(Error::Elaboration {
            kernel: "ternary engine",
            why: "rust-hdl panicked".into(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmfree_spec::hw::HW_NAMES;

    #[test]
    fn every_preset_has_a_declared_engine() {
        for name in HW_NAMES {
            let cfg = EngineConfig::from_hw(&HwConfig::preset(name).unwrap()).unwrap();
            assert!(DECLARED.contains(&cfg), "{name}: {cfg:?}");
        }
    }

    #[test]
    fn the_up5k_engine_is_emitted_with_its_widths() {
        let e = build(&HwConfig::preset("up5k").unwrap()).unwrap();
        assert_eq!(e.module, "engine_w16_pack2_b1_c256");
        // K = 8 lanes: 16-bit beats, 64-bit code words, a 17-bit accumulator (9-bit cols + 8).
        for port in [
            "input wire  [15:0] w_data;",
            "input wire  [63:0] cb_data;",
            "output reg  [16:0] acc_data;",
        ] {
            assert!(e.verilog.contains(port), "{port}");
        }
    }
}
