//! The top-level Vitis RTL kernel (DESIGN.md section 4, docs/ACCELERATOR.md sections 1-4; the model
//! is arXiv 2406.02528): the control slave, the data-bank masters, one weight streamer and one
//! ternary engine per weight port, the vector unit and the sequencer, for one `HwConfig`.
//!
//! The blocks are rust-hdl designs of `mmfree-hdl` and this crate, emitted under unique module
//! names; the sequencer and the top module are Verilog written for the configuration
//! ([`sequencer`], [`wrapper`]). [`emit_top`] returns one self-contained Verilog text.

pub mod config;
pub mod sequencer;
pub mod vitis;
pub mod wrapper;

pub use config::TopConfig;
pub use sequencer::FAULTS;
pub use wrapper::BlockNames;

use mmfree_hdl::ControlLayout;
use mmfree_spec::hw::HwConfig;
use mmfree_spec::regmap;
use rust_hdl::prelude::Block;

use crate::error::{Error, Result};

/// Bursts each data-bank master keeps in flight.
pub const DATA_BURSTS: usize = 8;
/// Bursts each weight streamer keeps in flight.
pub const WEIGHT_BURSTS: usize = 8;
/// Stack of the thread that elaborates the blocks (large designs are large structs).
const STACK_BYTES: usize = 1 << 30;

/// The emitted kernel.
#[derive(Clone, Debug)]
pub struct TopVerilog {
    /// Name of the top module.
    pub top: String,
    /// Every module, the top last.
    pub text: String,
    /// The configuration it was built from.
    pub config: TopConfig,
}

/// The control slave's offsets from the spec crate's register map.
fn layout() -> ControlLayout {
    ControlLayout {
        control: regmap::CTRL as u64,
        global_interrupt_enable: regmap::GIE as u64,
        interrupt_enable: regmap::IER as u64,
        interrupt_status: regmap::ISR as u64,
        args: regmap::ARGS as u64,
    }
}

fn emit_one<B: Block>(mut block: B, name: &str) -> Result<String> {
    block.connect_all();
    Ok(mmfree_hdl::emit(&block, name)?)
}

/// Declares the block types of one preset and the function that emits them (`$batch`: the
/// sequences each engine serves).
macro_rules! preset_blocks {
    ($module: ident, $w: expr, $packing: expr, $max_cols: expr, $max_rows: expr, $lanes: expr,
     $row_bits: expr, $dw: expr, $data_depth: expr, $weight_depth: expr, $n_args: expr, $ca: expr,
     $batch: expr) => {
        mod $module {
            use super::*;
            use mmfree_spec::pack::Packing;
            mmfree_hdl::declare_axi_lite_control!(Ctrl, $n_args, $ca);
            mmfree_hdl::declare_axi_read_master!(DataRead, $dw, $data_depth);
            mmfree_hdl::declare_axi_write_master!(DataWrite, $dw);
            mmfree_hdl::declare_axi_read_master!(WeightRead, $w, $weight_depth);
            crate::declare_ternary_engine!(Engine, $w, $packing, $batch, $max_cols, $max_rows);
            crate::declare_vpu!(Vector, $lanes, $row_bits);

            /// Emits every block of the preset under the names in `b`.
            pub fn emit(c: &TopConfig, b: &BlockNames) -> Result<Vec<String>> {
                check("n_args", $n_args, c.n_args)?;
                check("ctrl_addr_bits", $ca, c.ctrl_addr_bits)?;
                check("data_bits", $dw, c.data_bits)?;
                check("max_cols", $max_cols, c.engine.max_cols)?;
                check("max_rows", $max_rows, c.engine.max_rows)?;
                check("row_bits", $row_bits, c.vpu.row_bits())?;
                check("batch", $batch, c.batch)?;
                Ok(vec![
                    emit_one(Ctrl::new(layout())?, &b.ctrl)?,
                    emit_one(DataRead::new(DATA_BURSTS)?, &b.data_read)?,
                    emit_one(DataWrite::new(DATA_BURSTS)?, &b.data_write)?,
                    emit_one(WeightRead::new(WEIGHT_BURSTS)?, &b.weight_read)?,
                    emit_one(Engine::new(&c.engine)?, &b.engine)?,
                    emit_one(Vector::new(&c.vpu)?, &b.vpu)?,
                ])
            }
        }
    };
}

preset_blocks!(
    tiny,
    64,
    Packing::Pack2,
    1024,
    4096,
    4,
    8,
    128,
    512,
    1024,
    5,
    6,
    1
);
preset_blocks!(
    tiny_b2,
    64,
    Packing::Pack2,
    1024,
    4096,
    4,
    8,
    128,
    512,
    1024,
    5,
    6,
    2
);
preset_blocks!(
    small,
    128,
    Packing::Pack2,
    4096,
    16384,
    8,
    9,
    256,
    512,
    1024,
    7,
    6,
    1
);

// The `u280` preset: 32 HBM ports of 256 bits (pack5, K = 160), 16 lanes (512-bit data beats),
// registers of 16,384 words (1,024 rows), 32,768 accumulators (1,024 rows per engine), 67 control
// words (9 address bits).
preset_blocks!(
    u280,
    256,
    Packing::Pack5,
    16384,
    1024,
    16,
    10,
    512,
    512,
    1024,
    67,
    9,
    1
);
// The `u250` preset: 4 DDR ports of 512 bits (pack5, K = 320), otherwise the buffers of `u280`
// (8,192 rows per engine), 11 control words.
preset_blocks!(
    u250,
    512,
    Packing::Pack5,
    16384,
    8192,
    16,
    10,
    512,
    512,
    1024,
    11,
    6,
    1
);

fn check(param: &'static str, declared: usize, config: usize) -> Result<()> {
    if declared == config {
        return Ok(());
    }
    Err(Error::TypeMismatch {
        kernel: "top",
        param,
        declared,
        config,
    })
}

/// The module name of the kernel built for `hw` (a preset's `-` becomes `_`).
pub fn top_name(hw: &HwConfig) -> String {
    format!("mmfree_{}", hw.name.replace('-', "_"))
}

/// Emits the whole kernel for `hw` (a preset with declared block types: `tiny`, `tiny-b2`,
/// `small`, `u280`, `u55c`, `u250`).
pub fn emit_top(hw: &HwConfig) -> Result<TopVerilog> {
    emit_top_named(hw, &top_name(hw))
}

/// The presets whose block types are declared, so that their whole kernel can be emitted.
pub const EMITTED_PRESETS: [&str; 6] = ["tiny", "tiny-b2", "small", "u280", "u55c", "u250"];

/// Emits the kernel for `hw` under the top module name `top` (the Vitis package wraps a kernel
/// emitted under another name in a shell that carries [`top_name`]).
pub fn emit_top_named(hw: &HwConfig, top: &str) -> Result<TopVerilog> {
    let c = TopConfig::from_hw(hw)?;
    let top = top.to_string();
    let b = BlockNames::new(&top);
    let preset = HwConfig::preset(&hw.name).ok();
    if preset.as_ref() != Some(hw) {
        return Err(Error::Unsupported {
            kernel: "top",
            why: format!(
                "configuration {} is not one of the presets with declared block types ({})",
                hw.tag(),
                EMITTED_PRESETS.join(", ")
            ),
        });
    }
    let (c2, b2) = (c.clone(), b.clone());
    let name = hw.name.clone();
    let blocks = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || match name.as_str() {
            "tiny" => tiny::emit(&c2, &b2),
            "tiny-b2" => tiny_b2::emit(&c2, &b2),
            "small" => small::emit(&c2, &b2),
            // The U55C's kernel is the U280's (same ports, lanes and buffers; only the device
            // memory differs), so it shares the declared block types.
            "u280" | "u55c" => u280::emit(&c2, &b2),
            "u250" => u250::emit(&c2, &b2),
            other => Err(Error::Unsupported {
                kernel: "top",
                why: format!("no block types are declared for configuration {other}"),
            }),
        })
        .map_err(|e| Error::Elaboration {
            kernel: "top",
            why: e.to_string(),
        })?
        .join()
        .map_err(|_| Error::Elaboration {
            kernel: "top",
            why: "the elaboration thread panicked".into(),
        })??;
    // The engine's output FIFO reads `empty` through a loop Verilator cannot order statically
    // once the engine is elaborated inside the kernel (UNOPTFLAT, a performance note only).
    let mut text = "/* verilator lint_off UNOPTFLAT */\n".to_string() + &blocks.join("\n");
    text += &sequencer::sequencer_verilog(&c, &b.seq);
    text += &wrapper::top_verilog(&c, &top, &b);
    Ok(TopVerilog {
        top,
        text,
        config: c,
    })
}
