//! A cycle-level AXI4 slave memory (DESIGN.md section 4: the kernel's device memory on HBM or
//! DDR; AMBA AXI4 section A3): a byte-addressed store behind AR/R and AW/W/B with a configurable
//! latency, in-flight caps, a bandwidth budget, seeded random stalls on every channel and the
//! master-side protocol checks (the `checks` module), reported as errors.
//!
//! The model is clocked once per edge with what the master drove ([`Memory::clock`]); what it
//! drives for the next cycle ([`Memory::slave`]) depends only on its state, like a registered
//! slave. Reads are served in order: a burst accepted at edge `e` may hand over its first beat at
//! edge `e + read_latency (+ jitter)`, then one beat per cycle while the budget, the stalls and
//! RREADY allow. Writes are accepted beat by beat into the oldest AW burst (WREADY stays low
//! until an AW burst is waiting for data), and answered `write_latency` cycles after their last
//! beat, in order. Bandwidth is a budget: each cycle adds `bandwidth.beats`, each R or W beat
//! costs `bandwidth.cycles`, and a beat is offered (R) or accepted (W) only while the budget
//! covers it. [`Memory::attach`] binds the model to a Verilated design's `<prefix>_*` ports.

use std::collections::VecDeque;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::axi::checks;
use crate::axi::config::MemoryConfig;
use crate::axi::pins::Pins;
use crate::axi::signals::{MasterSignals, OKAY, Request, SLVERR, SlaveSignals};
use crate::error::{Error, Result};
use crate::model::Verilated;

/// Counters a test reads to assert traffic and bus utilization.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Edges clocked.
    pub cycles: u64,
    /// AR handshakes.
    pub read_bursts: u64,
    /// R handshakes.
    pub read_beats: u64,
    /// Edges at which some accepted read burst still had beats to return.
    pub read_busy_cycles: u64,
    /// Edge of the first and of the last R handshake.
    pub read_beat_span: Option<(u64, u64)>,
    /// Edges at which an R beat was offered and RREADY was low (the master throttled the bus).
    pub read_beats_refused: u64,
    /// AW handshakes.
    pub write_bursts: u64,
    /// W handshakes.
    pub write_beats: u64,
    /// Edges at which some accepted write burst was not yet answered.
    pub write_busy_cycles: u64,
    /// Edge of the first and of the last W handshake.
    pub write_beat_span: Option<(u64, u64)>,
    /// B handshakes.
    pub write_responses: u64,
    /// W beats with some strobe clear.
    pub partial_strobe_beats: u64,
    /// Most read bursts in flight at once.
    pub max_reads_in_flight: usize,
    /// Most write bursts in flight (AW accepted, B not yet taken) at once.
    pub max_writes_in_flight: usize,
}

impl Stats {
    /// R beats per cycle between the first and the last R handshake.
    pub fn read_utilization(&self) -> f64 {
        self.read_beat_span
            .map_or(0.0, |(a, b)| self.read_beats as f64 / (b - a + 1) as f64)
    }

    /// W beats per cycle between the first and the last W handshake.
    pub fn write_utilization(&self) -> f64 {
        self.write_beat_span
            .map_or(0.0, |(a, b)| self.write_beats as f64 / (b - a + 1) as f64)
    }
}

/// One accepted burst, as the test's record of the master's requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Burst {
    /// True for AW, false for AR.
    pub write: bool,
    /// Start address.
    pub addr: u64,
    /// Beats.
    pub beats: u64,
    /// Edge of the handshake.
    pub cycle: u64,
}

/// A read burst being returned.
struct ReadBurst {
    req: Request,
    next_beat: u64,
    ready_at: u64,
    resp: u8,
}

/// A write burst being filled.
struct WriteBurst {
    req: Request,
    beats_in: u64,
    resp: u8,
}

/// A write response waiting to be sent.
struct Response {
    ready_at: u64,
    resp: u8,
}

/// The memory model of one AXI4 port.
pub struct Memory {
    config: MemoryConfig,
    store: Vec<u8>,
    rng: ChaCha8Rng,
    cycle: u64,
    out: SlaveSignals,
    prev: MasterSignals,
    prev_out: SlaveSignals,
    reads: VecDeque<ReadBurst>,
    last_ready_at: u64,
    writes: VecDeque<WriteBurst>,
    responses: VecDeque<Response>,
    budget: i64,
    stats: Stats,
    bursts: Vec<Burst>,
    pins: Option<Pins>,
    master: MasterSignals,
}

impl Memory {
    /// A memory filled with zeros, driving nothing valid.
    pub fn new(config: MemoryConfig) -> Result<Memory> {
        config.validate()?;
        let out = SlaveSignals {
            r_data: vec![0; config.beat_bytes],
            ..Default::default()
        };
        Ok(Memory {
            store: vec![0; config.size],
            rng: ChaCha8Rng::seed_from_u64(config.stalls.seed),
            cycle: 0,
            prev_out: out.clone(),
            out,
            prev: MasterSignals::default(),
            reads: VecDeque::new(),
            last_ready_at: 0,
            writes: VecDeque::new(),
            responses: VecDeque::new(),
            budget: 0,
            stats: Stats::default(),
            bursts: Vec::new(),
            pins: None,
            master: MasterSignals::default(),
            config,
        })
        .map(|mut m| {
            m.decide();
            m
        })
    }

    /// The configuration.
    pub fn config(&self) -> &MemoryConfig {
        &self.config
    }

    /// Copies `bytes` into the store at `addr` (test set-up, outside the bus).
    pub fn write(&mut self, addr: u64, bytes: &[u8]) -> Result<()> {
        let at = self.offset(addr, bytes.len() as u64)?;
        self.store[at..at + bytes.len()].copy_from_slice(bytes);
        Ok(())
    }

    /// The `len` bytes of the store at `addr` (test check, outside the bus).
    pub fn read(&self, addr: u64, len: u64) -> Result<&[u8]> {
        let at = self.offset(addr, len)?;
        Ok(&self.store[at..at + len as usize])
    }

    /// Counters so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Every burst accepted since the last call, in handshake order.
    pub fn take_bursts(&mut self) -> Vec<Burst> {
        std::mem::take(&mut self.bursts)
    }

    /// What the memory drives until the next edge.
    pub fn slave(&self) -> &SlaveSignals {
        &self.out
    }

    /// True when no burst is in flight in either direction.
    pub fn quiet(&self) -> bool {
        self.reads.is_empty() && self.writes.is_empty() && self.responses.is_empty()
    }

    /// One rising edge: checks the master's signals against the previous edge, completes this
    /// edge's handshakes and decides the slave's outputs for the next cycle. After a protocol
    /// error the model's state is unspecified: the run should stop.
    pub fn clock(&mut self, m: &MasterSignals) -> Result<()> {
        if let Some(rule) = checks::holds(&self.prev, &self.prev_out, m) {
            return Err(self.violation(rule));
        }
        self.count_busy();
        self.stats.read_beats_refused += (self.out.r_valid && !m.r_ready) as u64;
        if m.r_ready && self.out.r_valid {
            self.r_handshake();
        }
        if m.ar_valid && self.out.ar_ready {
            self.ar_handshake(&m.ar)?;
        }
        if m.b_ready && self.out.b_valid {
            self.responses.pop_front();
            self.stats.write_responses += 1;
        }
        if m.w_valid && self.out.w_ready {
            self.w_handshake(m)?;
        }
        if m.aw_valid && self.out.aw_ready {
            self.aw_handshake(&m.aw)?;
        }
        self.stats.max_reads_in_flight = self.stats.max_reads_in_flight.max(self.reads.len());
        self.stats.max_writes_in_flight = self
            .stats
            .max_writes_in_flight
            .max(self.writes.len() + self.responses.len());
        self.prev.clone_from(m);
        self.prev_out.clone_from(&self.out);
        self.cycle += 1;
        self.stats.cycles = self.cycle;
        self.decide();
        Ok(())
    }

    /// Binds the model to the `<prefix>_*` ports of `model` (read side, write side or both).
    pub fn attach(&mut self, model: &Verilated, prefix: &str) -> Result<()> {
        self.pins = Some(Pins::bind(
            model,
            &self.config.bus,
            prefix,
            self.config.beat_bytes,
        )?);
        self.master = MasterSignals {
            w_data: vec![0; self.config.beat_bytes],
            ..Default::default()
        };
        Ok(())
    }

    /// Drives the slave's outputs onto the attached ports (before the model settles).
    pub fn drive(&self, model: &mut Verilated) -> Result<()> {
        self.attached()?.drive(model, &self.out)
    }

    /// Samples the master's outputs from the attached ports (after the model settled) and
    /// clocks the memory: call it just before the model's own clock edge.
    pub fn edge(&mut self, model: &Verilated) -> Result<()> {
        let mut master = std::mem::take(&mut self.master);
        let bus = self.config.bus.clone();
        let pins = self.pins.as_mut().ok_or_else(|| not_attached(bus))?;
        pins.sample(model, &mut master)?;
        let result = self.clock(&master);
        self.master = master;
        result
    }

    fn attached(&self) -> Result<&Pins> {
        self.pins
            .as_ref()
            .ok_or_else(|| not_attached(self.config.bus.clone()))
    }

    fn violation(&self, rule: String) -> Error {
        Error::Protocol {
            bus: self.config.bus.clone(),
            cycle: self.cycle,
            rule,
        }
    }

    /// Index of `addr` in the store if `len` bytes fit there.
    fn offset(&self, addr: u64, len: u64) -> Result<usize> {
        let end = self.config.base + self.config.size as u64;
        if addr < self.config.base || addr.saturating_add(len) > end {
            return Err(Error::Address {
                bus: self.config.bus.clone(),
                addr,
                len,
                base: self.config.base,
                end,
            });
        }
        Ok((addr - self.config.base) as usize)
    }

    /// SLVERR if the burst touches the configured error range.
    fn resp_for(&self, req: &Request) -> u8 {
        let end = req.addr + req.beats() * self.config.beat_bytes as u64;
        match self.config.error_range {
            Some((lo, hi)) if req.addr < hi && lo < end => SLVERR,
            _ => OKAY,
        }
    }

    fn check_request(&self, ch: &str, req: &Request) -> Result<()> {
        let c = &self.config;
        match checks::request(ch, req, c.beat_bytes, c.base, c.size) {
            Some(rule) => Err(self.violation(rule)),
            None => Ok(()),
        }
    }

    fn count_busy(&mut self) {
        self.stats.read_busy_cycles += !self.reads.is_empty() as u64;
        self.stats.write_busy_cycles +=
            !(self.writes.is_empty() && self.responses.is_empty()) as u64;
    }

    fn ar_handshake(&mut self, req: &Request) -> Result<()> {
        self.check_request("AR", req)?;
        let t = &self.config.timing;
        let jitter = if t.read_jitter > 0 {
            self.rng.gen_range(0..=t.read_jitter)
        } else {
            0
        };
        let ready_at = (self.cycle + (t.read_latency + jitter) as u64).max(self.last_ready_at);
        self.last_ready_at = ready_at;
        self.reads.push_back(ReadBurst {
            req: *req,
            next_beat: 0,
            ready_at,
            resp: self.resp_for(req),
        });
        self.record(false, req);
        self.stats.read_bursts += 1;
        Ok(())
    }

    fn r_handshake(&mut self) {
        self.budget -= self.config.timing.bandwidth.cycles as i64;
        self.stats.read_beats += 1;
        let span = self
            .stats
            .read_beat_span
            .get_or_insert((self.cycle, self.cycle));
        span.1 = self.cycle;
        if let Some(head) = self.reads.front_mut() {
            head.next_beat += 1;
            if head.next_beat == head.req.beats() {
                self.reads.pop_front();
            }
        }
    }

    fn aw_handshake(&mut self, req: &Request) -> Result<()> {
        self.check_request("AW", req)?;
        self.writes.push_back(WriteBurst {
            req: *req,
            beats_in: 0,
            resp: self.resp_for(req),
        });
        self.record(true, req);
        self.stats.write_bursts += 1;
        Ok(())
    }

    fn w_handshake(&mut self, m: &MasterSignals) -> Result<()> {
        self.budget -= self.config.timing.bandwidth.cycles as i64;
        self.stats.write_beats += 1;
        let span = self
            .stats
            .write_beat_span
            .get_or_insert((self.cycle, self.cycle));
        span.1 = self.cycle;
        let bytes = self.config.beat_bytes;
        let all = if bytes == 128 {
            u128::MAX
        } else {
            (1u128 << bytes) - 1
        };
        self.stats.partial_strobe_beats += (m.w_strb & all != all) as u64;
        let Some(head) = self.writes.front_mut() else {
            return Ok(()); // WREADY is only raised with a burst waiting
        };
        let (req, beat, resp) = (head.req, head.beats_in, head.resp);
        head.beats_in += 1;
        if let Some(rule) = checks::w_last(beat, req.beats(), m.w_last) {
            return Err(self.violation(rule));
        }
        if resp == OKAY {
            let at = (req.addr - self.config.base) as usize + beat as usize * bytes;
            for (i, b) in m.w_data.iter().enumerate().take(bytes) {
                if m.w_strb >> i & 1 == 1 {
                    self.store[at + i] = *b;
                }
            }
        }
        if beat + 1 == req.beats() {
            self.writes.pop_front();
            let ready_at = self.cycle + self.config.timing.write_latency as u64;
            self.responses.push_back(Response { ready_at, resp });
        }
        Ok(())
    }

    fn record(&mut self, write: bool, req: &Request) {
        self.bursts.push(Burst {
            write,
            addr: req.addr,
            beats: req.beats(),
            cycle: self.cycle,
        });
    }

    /// Whether a channel stalls this cycle (no draw when its probability is zero).
    fn stall(&mut self, p: f64) -> bool {
        p > 0.0 && self.rng.gen_bool(p)
    }

    /// The outputs for the cycle before edge `self.cycle`.
    fn decide(&mut self) {
        let t = self.config.timing;
        let s = self.config.stalls;
        let cost = t.bandwidth.cycles as i64;
        self.budget = (self.budget + t.bandwidth.beats as i64).min(cost + t.bandwidth.beats as i64);
        let held_r = self.prev_out.r_valid && !self.prev.r_ready && self.cycle > 0;
        let held_b = self.prev_out.b_valid && !self.prev.b_ready && self.cycle > 0;
        self.out.ar_ready = self.reads.len() < t.max_reads && !self.stall(s.ar);
        if !held_r {
            let offer = self.reads.front().is_some_and(|h| h.ready_at <= self.cycle)
                && self.budget >= cost
                && !self.stall(s.r);
            self.out.r_valid = offer;
            if offer {
                self.fill_r_beat();
            }
        }
        self.out.aw_ready =
            self.writes.len() + self.responses.len() < t.max_writes && !self.stall(s.aw);
        self.out.w_ready = !self.writes.is_empty() && self.budget >= cost && !self.stall(s.w);
        if !held_b {
            let offer = self
                .responses
                .front()
                .is_some_and(|r| r.ready_at <= self.cycle)
                && !self.stall(s.b);
            self.out.b_valid = offer;
            self.out.b_resp = self.responses.front().map_or(OKAY, |r| r.resp);
        }
    }

    /// Puts the head burst's next beat on R.
    fn fill_r_beat(&mut self) {
        let Some(head) = self.reads.front() else {
            return;
        };
        let bytes = self.config.beat_bytes;
        let beat = head.next_beat;
        self.out.r_last = beat + 1 == head.req.beats();
        self.out.r_resp = head.resp;
        if head.resp == OKAY {
            let at = (head.req.addr - self.config.base) as usize + beat as usize * bytes;
            self.out.r_data.copy_from_slice(&self.store[at..at + bytes]);
        } else {
            self.out.r_data.fill(0);
        }
    }
}

/// The error of driving a memory that was never attached.
fn not_attached(bus: String) -> Error {
    Error::Bind {
        bus,
        top: String::new(),
        why: "no model attached (call Memory::attach first)".into(),
    }
}
