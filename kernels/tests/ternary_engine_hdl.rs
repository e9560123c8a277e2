//! The ternary-accumulate engine as hardware (DESIGN.md sections 3 and 4): its rust-hdl
//! simulation (the models of the blocks that write their own Verilog) against Verilator and the
//! oracle, and `ternary_engine_is_synthesizable`: emitted, `verilator --lint-only -Wall` clean with
//! only the hdl crate's waivers, elaborated by yosys without latches, and mapped by
//! `synth_xilinx -family xcup` with zero DSP48E2.

mod support;

use anyhow::Context;
use mmfree_hdl::{SynthOptions, SynthTarget};
use mmfree_kernels::ternary_engine::EngineConfig;
use mmfree_spec::pack::Packing;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::*;
use support::bench::{Bench, Dut, Pin, Traffic};
use support::job::{Job, JobStyle, random_cols};
use support::{T16P5B2, big_stack};

/// The small configuration simulated by rust-hdl: 16-bit pack5 beats (10 lanes), two sequences.
fn small() -> EngineConfig {
    support::declared_configs()
        .into_iter()
        .find(|c| c.port_bits == 16)
        .expect("the 16-bit configuration is declared")
}

/// `N` bits from little-endian words.
fn from_words<const N: usize>(words: &[u32]) -> Bits<N> {
    let mut b = Bits::<N>::default();
    for i in 0..N {
        b = b.replace_bit(i, (words[i / 32] >> (i % 32)) & 1 == 1);
    }
    b
}

/// Little-endian words of `N` bits.
fn to_words<const N: usize>(b: Bits<N>) -> Vec<u32> {
    let mut words = vec![0u32; N.div_ceil(32)];
    for i in 0..N {
        words[i / 32] |= (b.get_bit(i) as u32) << (i % 32);
    }
    words
}

/// The engine simulated by rust-hdl, driven through the same bench as Verilator.
struct RustHdlDut(Box<T16P5B2>);

impl RustHdlDut {
    fn settle(&mut self) -> anyhow::Result<()> {
        anyhow::ensure!(simulate(&mut *self.0, 10_000), "rust-hdl did not settle");
        Ok(())
    }
}

impl Dut for RustHdlDut {
    fn set(&mut self, pin: Pin, value: u64) -> anyhow::Result<()> {
        let e = &mut self.0;
        match pin {
            Pin::Start => e.start.next = value != 0,
            Pin::Cols => e.cols.next = value.into(),
            Pin::Rows => e.rows.next = value.into(),
            Pin::WValid => e.w_valid.next = value != 0,
            Pin::CbWrite => e.cb_write.next = value != 0,
            Pin::CbSeq => e.cb_seq.next = value.into(),
            Pin::CbAddr => e.cb_addr.next = value.into(),
            Pin::AccReady => e.acc_ready.next = value != 0,
            _ => anyhow::bail!("{} is not a narrow input", pin.name()),
        }
        Ok(())
    }
    fn set_words(&mut self, pin: Pin, words: &[u32]) -> anyhow::Result<()> {
        match pin {
            Pin::WData => self.0.w_data.next = from_words(words),
            Pin::CbData => self.0.cb_data.next = from_words(words),
            _ => anyhow::bail!("{} is not a wide input", pin.name()),
        }
        Ok(())
    }
    fn get(&mut self, pin: Pin) -> anyhow::Result<u64> {
        let e = &self.0;
        Ok(match pin {
            Pin::Busy => e.busy.val(),
            Pin::Done => e.done.val(),
            Pin::WReady => e.w_ready.val(),
            Pin::AccValid => e.acc_valid.val(),
            _ => anyhow::bail!("{} is not a 1-bit output", pin.name()),
        } as u64)
    }
    fn get_words(&mut self, pin: Pin) -> anyhow::Result<Vec<u32>> {
        anyhow::ensure!(pin == Pin::AccData, "{} is not a wide output", pin.name());
        Ok(to_words(self.0.acc_data.val()))
    }
    fn eval(&mut self) -> anyhow::Result<()> {
        self.0.clock.next = Clock::from(false);
        self.settle()
    }
    fn tick(&mut self) -> anyhow::Result<()> {
        for level in [true, false] {
            self.0.clock.next = Clock::from(level);
            self.settle()?;
        }
        Ok(())
    }
}

/// Runs the same jobs, seeds and traffic on both simulators; each checks every sum against the
/// oracle, and their traces (edges of every accepted beat, taken sum and `done`) must agree.
#[test]
fn rust_hdl_simulation_matches_verilator_and_the_oracle() -> anyhow::Result<()> {
    big_stack(|| {
        let cfg = small();
        let mut engine = Box::new(T16P5B2::new(&cfg)?);
        engine.connect_all();
        let mut rust_hdl = Bench::new(cfg, RustHdlDut(engine));
        let mut verilator = support::bench(&cfg)?;
        let seed = 16_005;
        let mut picks = ChaCha8Rng::seed_from_u64(seed);
        let mut rows = 0;
        for job_index in 0..60 {
            let cols = random_cols(&cfg, &mut picks);
            let style = JobStyle {
                p_zero: 0.3,
                p_dirty_padding: 0.5,
                code_mode: job_index % 3,
            };
            let job = Job::random(&cfg, cols, 1 + job_index as usize % 7, style, &mut picks);
            let traffic = Traffic::random(&mut picks);
            let s = seed + job_index as u64;
            let a = rust_hdl
                .run_job(&job, traffic, &mut ChaCha8Rng::seed_from_u64(s))
                .with_context(|| format!("rust-hdl, seed {s}, job {job_index}"))?;
            let b = verilator
                .run_job(&job, traffic, &mut ChaCha8Rng::seed_from_u64(s))
                .with_context(|| format!("Verilator, seed {s}, job {job_index}"))?;
            anyhow::ensure!(
                (&a.accepted, &a.taken, a.done) == (&b.accepted, &b.taken, b.done),
                "seed {s}, job {job_index}: rust-hdl {a:?} vs Verilator {b:?}"
            );
            rows += job.rows.len();
        }
        eprintln!("rust-hdl and Verilator agree on {rows} rows, seed {seed}");
        Ok(())
    })
}

/// Emits, lints (`-Wall`), elaborates and maps an engine for UltraScale+; the ternary path must use
/// no DSP block.
fn synthesizable(cfg: &EngineConfig) -> anyhow::Result<()> {
    let top = support::top_name(cfg);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join(format!("{top}.v"));
    std::fs::write(&path, support::engine_verilog(cfg, &top)?)?;
    mmfree_hdl::lint(&path)?;
    mmfree_hdl::synth_check(&path, &top)?;
    let run =
        mmfree_hdl::synthesize_with(&path, &top, SynthTarget::Xcup, &SynthOptions::default())?;
    let r = &run.resources;
    eprintln!("{top}: {:?} in {:.0} s", r.cells, run.seconds);
    assert_eq!(r.dsps, 0, "{top} maps to DSP blocks: {:?}", r.cells);
    assert!(
        r.occupied_luts() > 0 && r.ffs > 0 && r.carry > 0,
        "{:?}",
        r.cells
    );
    Ok(())
}

/// The small configuration (all blocks, pack5 ROMs, two sequences) in the default tier.
#[test]
fn ternary_engine_is_synthesizable() -> anyhow::Result<()> {
    synthesizable(&small())
}

/// A 64-bit pack5 engine with two sequences: about a minute of yosys, so in the soak tier.
#[test]
#[ignore]
fn ternary_engine_w64_is_synthesizable() -> anyhow::Result<()> {
    synthesizable(&support::test_config(64, Packing::Pack5, 2))
}
