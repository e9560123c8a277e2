//! The vector unit's share of a token against the weight stream (docs/HARDWARE.md, "Top level"):
//! compiles one layer of a released shape for a hardware configuration, sums the vector unit's
//! cycles over the program's VPU instructions (`vpu::cycles`, the formula the Verilator tests
//! assert) and the weight beats of its GEMVs, and scales the layer to the shape's depth.
//!
//! `cargo run --release -p mmfree-tests --example vpu_work -- [SHAPE] [HW] [LANES]` (default
//! `2.7b u280`; LANES counts the VPU's cycles at another lane count, e.g. 64, for comparison).

use anyhow::{Context, Result};
use mmfree_kernels::vpu::cycles::{dequant_cycles, op_cycles};
use mmfree_kernels::vpu::{VpuConfig, VpuOp};
use mmfree_model::{FloatDtype, random};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::isa::Instr;
use mmfree_spec::shape::ModelShape;

/// Work of a run of instructions: VPU elements, VPU cycles, weight beats per port.
#[derive(Default, Clone, Copy, Debug)]
struct Work {
    elements: u64,
    vpu_cycles: u64,
    weight_beats: u64,
}

fn work(instrs: &[Instr], hw: &HwConfig, vpu: &VpuConfig) -> Result<Work> {
    let mut w = Work::default();
    let k = u64::from(hw.weights_per_beat());
    let p = u64::from(hw.weight_ports);
    for i in instrs {
        let (len, cycles) = match *i {
            Instr::Vec { op, len, .. } => {
                let op = VpuOp::from_code(op.opcode()).context("a vector op the VPU runs")?;
                (len, op_cycles(vpu, op, len as usize))
            }
            Instr::Quant { len, .. } => (len, op_cycles(vpu, VpuOp::Quant, len as usize)),
            Instr::Dequant { len, group, .. } => {
                (len, dequant_cycles(vpu, len as usize, group as usize))
            }
            Instr::Argmax { len, .. } => (len, op_cycles(vpu, VpuOp::Argmax, len as usize)),
            Instr::Gemv { cols, rows, .. } => {
                w.weight_beats += u64::from(rows).div_ceil(p) * u64::from(cols).div_ceil(k);
                continue;
            }
            _ => continue,
        };
        w.elements += u64::from(len);
        w.vpu_cycles += cycles;
    }
    Ok(w)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shape_name = args.first().map_or("2.7b", String::as_str);
    let hw = HwConfig::preset(args.get(1).map_or("u280", String::as_str))?;
    let shape = ModelShape::preset(shape_name)?;
    let one_layer = ModelShape { layers: 1, ..shape };
    let model = random::model(one_layer, 1, FloatDtype::Bf16, &mut |_, _, _| {})?;
    let image = mmfree_compiler::compile(&model, &hw, &mmfree_compiler::Options::default())?;
    let vpu = match args.get(2) {
        Some(lanes) => VpuConfig::from_hw(&HwConfig {
            vector_lanes: lanes.parse().context("LANES is a number")?,
            ..hw.clone()
        })?,
        None => VpuConfig::from_hw(&hw)?,
    };
    let at = |name: &str| {
        image
            .labels
            .iter()
            .find(|(_, l)| l.contains(name))
            .map(|(i, _)| *i)
            .with_context(|| format!("no '{name}' label in {:?}", image.labels))
    };
    let (layer_start, head_start) = (at("layer")?, at("head")?);
    let layer = work(&image.program[layer_start..head_start], &hw, &vpu)?;
    let rest = [
        work(&image.program[..layer_start], &hw, &vpu)?,
        work(&image.program[head_start..], &hw, &vpu)?,
    ];
    let n = shape.layers as u64;
    let total = |f: fn(&Work) -> u64| n * f(&layer) + rest.iter().map(f).sum::<u64>();
    let (elements, vpu_cycles, beats) = (
        total(|w| w.elements),
        total(|w| w.vpu_cycles),
        total(|w| w.weight_beats),
    );
    println!(
        "{shape_name} on {} ({} vector lanes, {} weight ports x {} trits per beat):",
        hw.tag(),
        hw.vector_lanes,
        hw.weight_ports,
        hw.weights_per_beat()
    );
    let instrs = n * (head_start - layer_start) as u64
        + (image.program.len() - head_start + layer_start) as u64;
    println!(
        "  per layer: {} VPU elements, {} VPU cycles, {} weight beats per port; {} instructions \
         per token",
        layer.elements, layer.vpu_cycles, layer.weight_beats, instrs
    );
    println!(
        "  per token: {elements} VPU elements ({} cycles at {} lanes without pass overheads), \
         {vpu_cycles} VPU cycles, {beats} weight beats per port (the weight-stream time), \
         VPU / stream = {:.2}",
        elements.div_ceil(vpu.lanes as u64),
        vpu.lanes,
        vpu_cycles as f64 / beats as f64
    );
    Ok(())
}
