//! The engine under Verilator (DESIGN.md section 3, rung 2), driven cycle by cycle from Rust like a
//! weight streamer and a consumer would: beats offered with random gaps (an offered beat stays
//! offered until taken, valid never waits for ready), random output back-pressure, every sum
//! compared with the oracle in order, `done` checked once per job, nothing extra afterwards.

use std::time::Instant;

use anyhow::{Context, bail, ensure};
use mmfree_kernels::ternary_engine::EngineConfig;
use mmfree_sim::{Options, Port, Verilated};
use rand::Rng;

use super::job::{Job, field};

/// Producer and consumer behaviour of one job.
#[derive(Clone, Copy, Debug)]
pub struct Traffic {
    /// Probability that an idle producer offers the next beat in a cycle.
    pub p_valid: f64,
    /// Probability that the consumer takes a sum in a cycle.
    pub p_ready: f64,
    /// The consumer takes nothing during the job's first this many edges.
    pub hold_output: u64,
}

impl Traffic {
    /// No gaps, no back-pressure.
    pub const FREE: Traffic = Traffic {
        p_valid: 1.0,
        p_ready: 1.0,
        hold_output: 0,
    };

    /// A random mix of gaps and back-pressure, free flow included.
    pub fn random(rng: &mut impl Rng) -> Traffic {
        Traffic {
            p_valid: [1.0, 1.0, 0.8, 0.5][rng.gen_range(0..4)],
            p_ready: [1.0, 1.0, 0.7, 0.3, 0.05][rng.gen_range(0..5)],
            hold_output: 0,
        }
    }
}

/// What one job did, edge by edge (edge 0 samples `start`).
#[derive(Clone, Debug, Default)]
pub struct JobTrace {
    /// Edges that accepted a beat.
    pub accepted: Vec<u64>,
    /// Edges that took a sum.
    pub taken: Vec<u64>,
    /// The edge after which `done` was high.
    pub done: u64,
    /// Edges of the whole job.
    pub edges: u64,
}

/// The engine's ports, for any simulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pin {
    Start,
    Cols,
    Rows,
    Busy,
    Done,
    WValid,
    WReady,
    WData,
    CbWrite,
    CbSeq,
    CbAddr,
    CbData,
    AccValid,
    AccReady,
    AccData,
}

impl Pin {
    /// Every pin, in the order of [`Pin::name`].
    pub const ALL: [Pin; 15] = [
        Pin::Start,
        Pin::Cols,
        Pin::Rows,
        Pin::Busy,
        Pin::Done,
        Pin::WValid,
        Pin::WReady,
        Pin::WData,
        Pin::CbWrite,
        Pin::CbSeq,
        Pin::CbAddr,
        Pin::CbData,
        Pin::AccValid,
        Pin::AccReady,
        Pin::AccData,
    ];

    /// The engine's port name.
    pub fn name(self) -> &'static str {
        [
            "start",
            "cols",
            "rows",
            "busy",
            "done",
            "w_valid",
            "w_ready",
            "w_data",
            "cb_write",
            "cb_seq",
            "cb_addr",
            "cb_data",
            "acc_valid",
            "acc_ready",
            "acc_data",
        ][self as usize]
    }
}

/// A simulated engine: Verilator here, rust-hdl in the cross-check test.
pub trait Dut {
    /// Sets an input of up to 64 bits.
    fn set(&mut self, pin: Pin, value: u64) -> anyhow::Result<()>;
    /// Sets an input from little-endian words.
    fn set_words(&mut self, pin: Pin, words: &[u32]) -> anyhow::Result<()>;
    /// Reads a 1-bit output.
    fn get(&mut self, pin: Pin) -> anyhow::Result<u64>;
    /// Reads an output as little-endian words.
    fn get_words(&mut self, pin: Pin) -> anyhow::Result<Vec<u32>>;
    /// Settles the logic after inputs changed.
    fn eval(&mut self) -> anyhow::Result<()>;
    /// One clock cycle.
    fn tick(&mut self) -> anyhow::Result<()>;
}

/// The Verilated engine.
pub struct VerilatorDut {
    model: Verilated,
    ports: Vec<Port>,
}

impl VerilatorDut {
    /// Builds (or loads from the cache) `verilog`, whose top module is `top`.
    pub fn new(verilog: &str, top: &str) -> anyhow::Result<VerilatorDut> {
        let model = Verilated::build(verilog, top, &Options::default())?;
        let ports = Pin::ALL
            .iter()
            .map(|p| model.port(p.name()))
            .collect::<Result<_, _>>()?;
        Ok(VerilatorDut { model, ports })
    }

    /// Seconds the Verilator build took (or the cache lookup).
    pub fn build_seconds(&self) -> f64 {
        self.model.build_info().seconds
    }
}

impl Dut for VerilatorDut {
    fn set(&mut self, pin: Pin, value: u64) -> anyhow::Result<()> {
        Ok(self.model.set(self.ports[pin as usize], value)?)
    }
    fn set_words(&mut self, pin: Pin, words: &[u32]) -> anyhow::Result<()> {
        Ok(self.model.set_words(self.ports[pin as usize], words)?)
    }
    fn get(&mut self, pin: Pin) -> anyhow::Result<u64> {
        Ok(self.model.get(self.ports[pin as usize])?)
    }
    fn get_words(&mut self, pin: Pin) -> anyhow::Result<Vec<u32>> {
        Ok(self.model.get_words(self.ports[pin as usize]))
    }
    fn eval(&mut self) -> anyhow::Result<()> {
        self.model.eval();
        Ok(())
    }
    fn tick(&mut self) -> anyhow::Result<()> {
        Ok(self.model.tick()?)
    }
}

/// A simulated engine and its configuration.
pub struct Bench<D: Dut = VerilatorDut> {
    /// The configuration the engine was built from.
    pub cfg: EngineConfig,
    /// The simulated engine.
    pub dut: D,
    /// Edges simulated so far.
    pub edges: u64,
    /// Seconds spent inside job loops.
    pub busy_seconds: f64,
}

impl<D: Dut> Bench<D> {
    /// A bench around an engine built from `cfg`.
    pub fn new(cfg: EngineConfig, dut: D) -> Bench<D> {
        Bench {
            cfg,
            dut,
            edges: 0,
            busy_seconds: 0.0,
        }
    }

    fn tick(&mut self) -> anyhow::Result<()> {
        self.dut.tick()?;
        self.edges += 1;
        Ok(())
    }

    /// Writes the job's codes into the code buffer, one word per cycle.
    pub fn load_codes(&mut self, job: &Job) -> anyhow::Result<()> {
        for (seq, addr, words) in job.code_words(&self.cfg) {
            self.dut.set(Pin::CbWrite, 1)?;
            self.dut.set(Pin::CbSeq, seq as u64)?;
            self.dut.set(Pin::CbAddr, addr as u64)?;
            self.dut.set_words(Pin::CbData, &words)?;
            self.tick()?;
        }
        self.dut.set(Pin::CbWrite, 0)?;
        Ok(())
    }

    /// Loads the codes, runs the job under `traffic` and checks every sum against the oracle.
    pub fn run_job(
        &mut self,
        job: &Job,
        traffic: Traffic,
        rng: &mut impl Rng,
    ) -> anyhow::Result<JobTrace> {
        self.load_codes(job)?;
        let expected = job.expected(&self.cfg)?;
        let beats = job.beats(&self.cfg)?;
        let t = Instant::now();
        let trace = self.drive(job, &beats, &expected, traffic, rng);
        self.busy_seconds += t.elapsed().as_secs_f64();
        trace.with_context(|| {
            format!(
                "cols {}, {} rows, {} beats, {traffic:?}, {:?}",
                job.cols,
                job.rows.len(),
                beats.len(),
                self.cfg
            )
        })
    }

    fn drive(
        &mut self,
        job: &Job,
        beats: &[Vec<u32>],
        expected: &[Vec<i64>],
        traffic: Traffic,
        rng: &mut impl Rng,
    ) -> anyhow::Result<JobTrace> {
        let m = &mut self.dut;
        m.set(Pin::Cols, job.cols as u64)?;
        m.set(Pin::Rows, job.rows.len() as u64)?;
        m.set(Pin::Start, 1)?;
        self.tick()?;
        let m = &mut self.dut;
        m.set(Pin::Start, 0)?;
        let mut trace = JobTrace::default();
        let (mut next, mut holding, mut edge) = (0usize, false, 0u64);
        let limit = 64
            + traffic.hold_output
            + (beats.len() as f64 / traffic.p_valid.min(traffic.p_ready) * 8.0) as u64;
        while trace.done == 0 {
            edge += 1;
            ensure!(
                edge < limit,
                "no done after {edge} edges: {} of {} beats in, {} of {} sums out",
                next,
                beats.len(),
                trace.taken.len(),
                expected.len()
            );
            if !holding && next < beats.len() && rng.gen_bool(traffic.p_valid) {
                holding = true;
                m.set_words(Pin::WData, &beats[next])?;
            }
            let ready = edge > traffic.hold_output && rng.gen_bool(traffic.p_ready);
            m.set(Pin::WValid, holding as u64)?;
            m.set(Pin::AccReady, ready as u64)?;
            m.eval()?;
            let w_ready = m.get(Pin::WReady)? == 1;
            let out = (ready && m.get(Pin::AccValid)? == 1)
                .then(|| m.get_words(Pin::AccData))
                .transpose()?;
            ensure!(
                m.get(Pin::Busy)? == 1,
                "busy low during the job at edge {edge}"
            );
            m.tick()?;
            if holding && w_ready {
                holding = false;
                next += 1;
                trace.accepted.push(edge);
            }
            if let Some(words) = out {
                let row = trace.taken.len();
                let Some(want) = expected.get(row) else {
                    bail!("an extra sum came out at edge {edge}: {words:x?}");
                };
                let acc = self.cfg.acc_bits();
                let got: Vec<i64> = (0..self.cfg.batch)
                    .map(|b| field(&words, b * acc, acc))
                    .collect();
                ensure!(
                    &got == want,
                    "row {row} at edge {edge}: engine {got:?}, oracle {want:?}"
                );
                trace.taken.push(edge);
            }
            if m.get(Pin::Done)? == 1 {
                ensure!(
                    trace.taken.len() == expected.len(),
                    "done at edge {edge} after {} of {} sums",
                    trace.taken.len(),
                    expected.len()
                );
                trace.done = edge;
            }
        }
        self.edges += edge;
        self.idle_check(edge)?;
        trace.edges = edge;
        Ok(trace)
    }

    /// The cycle `done` shows and a few after it: `done` high once, then idle (not busy, nothing on
    /// the output, no beat taken although one is offered).
    fn idle_check(&mut self, edge: u64) -> anyhow::Result<()> {
        let m = &mut self.dut;
        m.set(Pin::WValid, 1)?;
        m.set(Pin::AccReady, 1)?;
        for i in 0..8 {
            m.eval()?;
            let state = (
                m.get(Pin::Busy)?,
                m.get(Pin::AccValid)?,
                m.get(Pin::WReady)?,
                m.get(Pin::Done)?,
            );
            let want = (0, 0, 0, (i == 0) as u64);
            ensure!(
                state == want,
                "{i} cycles after done (edge {edge}): busy, acc_valid, w_ready, done = {state:?}, want {want:?}"
            );
            m.tick()?;
        }
        m.set(Pin::WValid, 0)?;
        self.edges += 8;
        Ok(())
    }

    /// Starts an empty job (`cols` or `rows` zero) and returns the edges until `done`.
    pub fn empty_job(&mut self, cols: u64, rows: u64) -> anyhow::Result<u64> {
        let m = &mut self.dut;
        m.set(Pin::Cols, cols)?;
        m.set(Pin::Rows, rows)?;
        m.set(Pin::Start, 1)?;
        m.tick()?;
        m.set(Pin::Start, 0)?;
        for edge in 1..16 {
            m.eval()?;
            if m.get(Pin::Done)? == 1 {
                ensure!(
                    m.get(Pin::Busy)? == 0 && m.get(Pin::AccValid)? == 0,
                    "empty job left state behind"
                );
                self.idle_check(edge)?;
                return Ok(edge);
            }
            m.tick()?;
        }
        bail!("no done for the empty job cols {cols}, rows {rows}")
    }
}
