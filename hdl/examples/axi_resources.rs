//! Resource counts of the AXI blocks (docs/HARDWARE.md): emits each block with the parameters of
//! the table, synthesizes it out of context with yosys for Xilinx UltraScale+ and prints one
//! markdown row per block.
//!
//! `cargo run --release -p mmfree-hdl --example axi_resources` (needs yosys on PATH).

use std::collections::BTreeMap;
use std::process::Command;

use anyhow::Context;
use mmfree_hdl::{
    BurstSplitter, ControlLayout, declare_axi_lite_control, declare_axi_read_master,
    declare_axi_write_master, emit_to_dir,
};
use rust_hdl::prelude::Block;

declare_axi_read_master!(Read512, 512, 1024);
declare_axi_read_master!(Read64, 64, 256);
declare_axi_write_master!(Write512, 512);
declare_axi_write_master!(Write64, 64);
declare_axi_lite_control!(Control8, 8, 7);

/// The yosys script of every row, writing the cell statistics to `stat`.
fn script(path: &std::path::Path, top: &str, stat: &std::path::Path) -> String {
    format!(
        "read_verilog {}; synth_xilinx -family xcup -top {top} -flatten -noiopad -noclkbuf; \
         tee -q -o {} stat",
        path.display(),
        stat.display()
    )
}

/// Cell counts by type from yosys' `stat` output.
fn cells(stat: &str) -> BTreeMap<String, u64> {
    let mut cells = BTreeMap::new();
    let body = stat.rsplit("Number of cells:").next().unwrap_or("");
    for line in body.lines().skip(1) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some(name), Some(count)) => {
                if let Ok(n) = count.parse() {
                    cells.insert(name.to_string(), n);
                }
            }
            _ => break,
        }
    }
    cells
}

/// Emits and synthesizes one block; returns its cells.
fn synth<B: Block>(
    mut block: B,
    name: &str,
    dir: &std::path::Path,
) -> anyhow::Result<BTreeMap<String, u64>> {
    block.connect_all();
    let path = emit_to_dir(&block, name, dir)?;
    let stat = dir.join(format!("{name}.stat"));
    let t = std::time::Instant::now();
    let out = Command::new("yosys")
        .args(["-q", "-p", &script(&path, name, &stat)])
        .output()
        .context("running yosys")?;
    anyhow::ensure!(
        out.status.success(),
        "yosys failed on {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{name}: {:.1} s", t.elapsed().as_secs_f64());
    Ok(cells(&std::fs::read_to_string(&stat)?))
}

/// The summary columns: LUTs (LUT1..LUT6), flip-flops, carry chains, LUT RAM, block RAM.
fn row(name: &str, params: &str, c: &BTreeMap<String, u64>) -> String {
    let sum =
        |f: &dyn Fn(&str) -> bool| c.iter().filter(|(k, _)| f(k)).map(|(_, v)| v).sum::<u64>();
    let luts = sum(&|k| k.starts_with("LUT"));
    let ffs = sum(&|k| k.starts_with("FD"));
    let carry = sum(&|k| k.starts_with("CARRY"));
    let lutram = sum(&|k| k.starts_with("RAM") && !k.starts_with("RAMB"));
    let bram = sum(&|k| k.starts_with("RAMB"));
    let muxf = sum(&|k| k.starts_with("MUXF"));
    let bram_kinds: Vec<String> = c
        .iter()
        .filter(|(k, _)| k.starts_with("RAMB"))
        .map(|(k, v)| format!("{v} {k}"))
        .collect();
    format!(
        "| {name} | {params} | {luts} | {ffs} | {carry} | {muxf} | {lutram} | {bram}{} |",
        if bram_kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", bram_kinds.join(", "))
        }
    )
}

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let d = dir.path();
    let layout = ControlLayout {
        control: 0x00,
        global_interrupt_enable: 0x04,
        interrupt_enable: 0x08,
        interrupt_status: 0x0c,
        args: 0x10,
    };
    let rows = [
        row(
            "BurstSplitter",
            "512-bit beats",
            &synth(BurstSplitter::new(64)?, "burst_splitter", d)?,
        ),
        row(
            "AxiReadMaster",
            "512-bit, FIFO 1024 beats, 16 bursts",
            &synth(Read512::new(16)?, "axi_read_master512", d)?,
        ),
        row(
            "AxiReadMaster",
            "64-bit, FIFO 256 beats, 2 bursts",
            &synth(Read64::new(2)?, "axi_read_master64", d)?,
        ),
        row(
            "AxiWriteMaster",
            "512-bit, 16 bursts",
            &synth(Write512::new(16)?, "axi_write_master512", d)?,
        ),
        row(
            "AxiWriteMaster",
            "64-bit, 4 bursts",
            &synth(Write64::new(4)?, "axi_write_master64", d)?,
        ),
        row(
            "AxiLiteControl",
            "8 argument words, 7-bit addresses",
            &synth(Control8::new(layout)?, "axi_lite_control8", d)?,
        ),
    ];
    println!("| block | parameters | LUT | FF | CARRY4 | MUXF7/8 | LUT RAM | block RAM |");
    println!("|---|---|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}
