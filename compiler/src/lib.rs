//! The mmfree compiler (DESIGN.md section 1): a MatMul-free LM (arXiv 2406.02528) and a hardware
//! configuration in, the accelerator's program and device-memory image out (ACCELERATOR.md
//! sections 2 and 3, docs/ISA.md). A pure, deterministic function of its inputs.

pub mod data;
pub mod error;
pub mod image;
pub mod program;
pub mod symbols;
pub mod weights;

use mmfree_model::Model;
use mmfree_spec::devmem::{Header, tag_hash};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::shape::ModelShape;

pub use error::{Error, Result};
pub use image::Image;
pub use symbols::{Layout, Symbol};

/// Compiler options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Store the residual stream after every layer into the trace regions, so that a mismatch
    /// with the reference can be located by layer.
    pub trace: bool,
}

/// Refuses a model whose vectors exceed the configuration's buffers.
pub fn check_buffers(shape: &ModelShape, cfg: &HwConfig) -> Result<()> {
    let checks = [
        ("hidden size", shape.hidden, "max_hidden", cfg.max_hidden),
        (
            "intermediate size",
            shape.intermediate,
            "max_intermediate",
            cfg.max_intermediate,
        ),
        ("vocabulary", shape.vocab, "max_vocab", cfg.max_vocab),
    ];
    for (what, value, buffer, limit) in checks {
        if value > limit as usize {
            return Err(Error::Buffer {
                what,
                value,
                buffer,
                limit,
                config: cfg.name.clone(),
            });
        }
    }
    Ok(())
}

fn check_sizes(cfg: &HwConfig, data: u64, weight_bank: u64) -> Result<()> {
    let need = data + weight_bank * cfg.weight_ports as u64;
    if need > cfg.device_bytes {
        let mib = |x: u64| x as f64 / (1u64 << 20) as f64;
        return Err(Error::DeviceMemory {
            need,
            need_mib: mib(need),
            have: cfg.device_bytes,
            have_mib: mib(cfg.device_bytes),
            config: cfg.name.clone(),
        });
    }
    for (bank, bytes) in [("the data bank", data), ("each weight bank", weight_bank)] {
        if bytes > u32::MAX as u64 {
            return Err(Error::Addressing {
                bank: bank.into(),
                bytes,
            });
        }
    }
    Ok(())
}

/// Compiles `model` for `cfg`: the program, the data bank, one weight bank per port, the symbol
/// table. Sizes are checked before any weight is packed.
pub fn compile(model: &Model, cfg: &HwConfig, options: &Options) -> Result<Image> {
    cfg.validate()?;
    model.shape.validate()?;
    check_buffers(&model.shape, cfg)?;
    let plan = weights::plan(model, cfg);
    let mut data = data::DataBank::plan(model, cfg, options.trace);
    // The program's length does not depend on addresses: size it first, then check that every
    // address fits before emitting the real one.
    let program_bytes = {
        let probe = program::emit(model, &data, &plan, options.trace)?;
        (probe.instrs.len() * mmfree_spec::isa::INSTR_BYTES) as u64
    };
    check_sizes(
        cfg,
        data.size() + mmfree_spec::devmem::align(program_bytes),
        plan.bank_bytes,
    )?;
    let program = program::emit(model, &data, &plan, options.trace)?;
    let program_at = data.place_program(&program.instrs);
    let io = |name| data.symbol(name).map(|s| s.offset as u32);
    let header = Header {
        tag_hash: tag_hash(&cfg.tag()),
        batch: cfg.batch,
        vocab: model.shape.vocab as u32,
        program: program_at as u32,
        program_len: program.instrs.len() as u32,
        tokens: io(symbols::IO_TOKENS)?,
        outputs: io(symbols::IO_OUTPUTS)?,
        data_bytes: data.size() as u32,
    };
    let bytes = data.bytes(model, &header)?;
    let banks = weights::pack(&plan, cfg)?;
    let mut all = data.symbols().to_vec();
    all.extend(plan.symbols.iter().cloned());
    Ok(Image {
        program: program.instrs,
        labels: program.labels,
        data: bytes,
        weights: banks,
        layout: Layout {
            config_tag: cfg.tag(),
            shape: model.shape,
            batch: cfg.batch as usize,
            trace: options.trace,
            symbols: all,
        },
    })
}
