//! Figures of the ternary-accumulate engine for docs/HARDWARE.md: yosys UltraScale+ resources and
//! logic depth, LUTs per ternary MAC, and Verilator cycles per second driven from Rust, for
//! W = 64, 256, 512 and both packings (one sequence, card-sized buffers: 16384 columns).
//!
//! `cargo run --release -p mmfree-kernels --example engine_figures [W ...]` (several minutes of
//! yosys per configuration; two run at a time).

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use mmfree_hdl::{SynthOptions, SynthTarget, Synthesis};
use mmfree_kernels::ternary_engine::EngineConfig;
use mmfree_spec::pack::Packing;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use support::bench::{Dut, Traffic};
use support::job::{Job, JobStyle};

/// The yosys run of every configuration: flattened, with the logic depth.
const OPTIONS: SynthOptions = SynthOptions {
    logic_levels: true,
    netlist: None,
    blocks: Vec::new(),
};

/// One configuration's figures.
struct Figures {
    cfg: EngineConfig,
    synthesis: Synthesis,
    tick_rate: f64,
    bench_rate: f64,
}

/// Cycles per second of the bare model (`tick` only) and of the checking bench at full rate.
fn verilator_rates(cfg: &EngineConfig) -> anyhow::Result<(f64, f64)> {
    let mut bench = support::bench(cfg)?;
    let mut rng = ChaCha8Rng::seed_from_u64(512);
    let cols = 4 * cfg.lanes() + 3;
    let style = JobStyle {
        p_zero: 0.33,
        p_dirty_padding: 0.5,
        code_mode: 0,
    };
    let mut edges = 0;
    for _ in 0..10 {
        let job = Job::random(cfg, cols, cfg.max_rows.min(1000), style, &mut rng);
        edges += bench.run_job(&job, Traffic::FREE, &mut rng)?.edges;
    }
    let bench_rate = edges as f64 / bench.busy_seconds;
    let n = 200_000;
    let t = Instant::now();
    for _ in 0..n {
        bench.dut.tick()?;
    }
    Ok((n as f64 / t.elapsed().as_secs_f64(), bench_rate))
}

fn figures(cfg: EngineConfig) -> anyhow::Result<Figures> {
    let top = support::top_name(&cfg);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(format!("{top}.v"));
    std::fs::write(&path, support::engine_verilog(&cfg, &top)?)?;
    let synthesis = mmfree_hdl::synthesize_with(&path, &top, SynthTarget::Xcup, &OPTIONS)?;
    eprintln!(
        "{top}: {:?}, depth {:?}, in {:.0} s",
        synthesis.resources.cells, synthesis.logic_levels, synthesis.seconds
    );
    let (tick_rate, bench_rate) = verilator_rates(&cfg)?;
    Ok(Figures {
        cfg,
        synthesis,
        tick_rate,
        bench_rate,
    })
}

fn main() -> anyhow::Result<()> {
    let widths: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let widths = if widths.is_empty() {
        vec![64, 256, 512]
    } else {
        widths
    };
    let configs: Vec<EngineConfig> = widths
        .iter()
        .flat_map(|&w| [Packing::Pack2, Packing::Pack5].map(|p| support::card_config(w, p)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Figures> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    while let Some(cfg) =
                        configs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        out.push(figures(*cfg));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    results.sort_by_key(|f| (f.cfg.port_bits, f.cfg.packing == Packing::Pack5));
    println!(
        "yosys script: {}\n",
        mmfree_hdl::script("<engine>.v", "<engine>", SynthTarget::Xcup, &OPTIONS)
    );
    println!(
        "| W | packing | K | LUT logic | LUT memory | FF | CARRY4 | BRAM36 | DSP | depth | LUT/MAC | Verilator cycles/s (tick / checked) | yosys s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for f in &results {
        let s = &f.synthesis.resources;
        let k = f.cfg.lanes();
        println!(
            "| {} | {} | {k} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {:.0} k / {:.0} k | {:.0} |",
            f.cfg.port_bits,
            match f.cfg.packing {
                Packing::Pack2 => "pack2",
                Packing::Pack5 => "pack5",
            },
            s.luts,
            s.memory_luts(),
            s.ffs,
            s.carry,
            s.brams,
            s.dsps,
            f.synthesis.logic_levels.unwrap_or(0),
            s.occupied_luts() as f64 / (k * f.cfg.batch) as f64,
            f.tick_rate / 1e3,
            f.bench_rate / 1e3,
            f.synthesis.seconds
        );
    }
    for f in &results {
        println!(
            "{}: {:?}",
            support::top_name(&f.cfg),
            f.synthesis.resources.cells
        );
    }
    Ok(())
}
