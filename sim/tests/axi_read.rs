//! `AxiReadMaster` in Verilator against `axi::Memory` (DESIGN.md section 4, ACCELERATOR.md
//! section 1): random commands under random consumer back-pressure against memories with random
//! latency and stalls on every channel (every byte, every `out_last` and every burst compared with
//! an independent expectation), and the steady state: one beat per cycle once enough bursts are
//! in flight. The soak tier streams 10,000,000 beats.

mod axi_common;

use std::collections::VecDeque;

use anyhow::{bail, ensure};
use axi_common::{
    BASE, SIZE, expected_bursts, first_mismatch, random_bytes, random_commands, random_memory,
    seen_bursts, verilate,
};
use mmfree_hdl::declare_axi_read_master;
use mmfree_sim::axi::{Memory, MemoryConfig, Rate, Stalls, Timing};
use mmfree_sim::{Port, Verilated};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

declare_axi_read_master!(Read64, 64, 256);
declare_axi_read_master!(Read512, 512, 1024);

/// Bursts in flight of the 64-bit master (its FIFO holds only one full burst anyway).
const MAX_BURSTS_64: usize = 2;
/// Bursts in flight of the 512-bit master: 16 bursts of 64 beats (a 4 KB page) fill its FIFO.
const MAX_BURSTS_512: usize = 16;

/// The master's own ports.
struct Ports {
    reset: Port,
    cmd_valid: Port,
    cmd_ready: Port,
    cmd_addr: Port,
    cmd_len: Port,
    out_valid: Port,
    out_ready: Port,
    out_data: Port,
    out_last: Port,
}

/// A Verilated read master wired to a memory model.
struct Rig {
    model: Verilated,
    mem: Memory,
    p: Ports,
    beat_bytes: usize,
    words: Vec<u32>,
    cycle: u64,
}

/// What one cycle showed: the command taken, the beat delivered (data, last).
struct Step {
    cmd_fire: bool,
    beat: Option<(Vec<u8>, bool)>,
}

impl Rig {
    fn new(model: Verilated, config: MemoryConfig) -> anyhow::Result<Rig> {
        let beat_bytes = config.beat_bytes;
        let mut mem = Memory::new(config)?;
        mem.attach(&model, "m_axi")?;
        let port = |n: &str| model.port(n);
        let p = Ports {
            reset: port("reset")?,
            cmd_valid: port("cmd_valid")?,
            cmd_ready: port("cmd_ready")?,
            cmd_addr: port("cmd_addr")?,
            cmd_len: port("cmd_len")?,
            out_valid: port("out_valid")?,
            out_ready: port("out_ready")?,
            out_data: port("out_data")?,
            out_last: port("out_last")?,
        };
        let words = vec![0; beat_bytes / 4];
        let mut rig = Rig {
            model,
            mem,
            p,
            beat_bytes,
            words,
            cycle: 0,
        };
        rig.model.set(rig.p.reset, 1)?;
        for _ in 0..3 {
            rig.cycle(None, false)?;
        }
        rig.model.set(rig.p.reset, 0)?;
        Ok(rig)
    }

    fn cycle(&mut self, cmd: Option<(u64, u64)>, out_ready: bool) -> anyhow::Result<Step> {
        let p = &self.p;
        self.mem.drive(&mut self.model)?;
        let (addr, len) = cmd.unwrap_or_default();
        self.model.set(p.cmd_valid, cmd.is_some() as u64)?;
        self.model.set(p.cmd_addr, addr)?;
        self.model.set(p.cmd_len, len)?;
        self.model.set(p.out_ready, out_ready as u64)?;
        self.model.eval();
        let cmd_fire = cmd.is_some() && self.model.get(p.cmd_ready)? != 0;
        let beat = if out_ready && self.model.get(p.out_valid)? != 0 {
            self.model.get_words_into(p.out_data, &mut self.words)?;
            let bytes = self.words.iter().flat_map(|w| w.to_le_bytes()).collect();
            Some((bytes, self.model.get(p.out_last)? != 0))
        } else {
            None
        };
        self.mem.edge(&self.model)?;
        self.model.tick()?;
        self.cycle += 1;
        Ok(Step { cmd_fire, beat })
    }
}

/// Streams `commands` through the rig with the given command and consumer probabilities and
/// checks every beat, every `out_last` and every burst. Returns the beats delivered.
fn stream(
    rig: &mut Rig,
    commands: &[(u64, u64)],
    p_cmd: f64,
    p_ready: f64,
    seed: u64,
) -> anyhow::Result<u64> {
    let bb = rig.beat_bytes as u64;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    // The expected stream: (command, beat, bytes, last).
    let mut want: VecDeque<(usize, u64, Vec<u8>, bool)> = VecDeque::new();
    for (c, &(addr, len)) in commands.iter().enumerate() {
        for beat in 0..len {
            let bytes = rig.mem.read(addr + beat * bb, bb)?.to_vec();
            want.push_back((c, beat, bytes, beat + 1 == len));
        }
    }
    let total = want.len() as u64;
    let (mut sent, mut holding) = (0, false);
    let limit = rig.cycle + 200 * total + 100_000;
    while !want.is_empty() {
        ensure!(
            rig.cycle < limit,
            "seed {seed}: stuck at cycle {} with {} beats left",
            rig.cycle,
            want.len()
        );
        holding |= sent < commands.len() && rng.gen_bool(p_cmd);
        let step = rig.cycle(holding.then(|| commands[sent]), rng.gen_bool(p_ready))?;
        if step.cmd_fire {
            sent += 1;
            holding = false;
        }
        if let Some((bytes, last)) = step.beat {
            let Some((c, beat, expected, want_last)) = want.pop_front() else {
                bail!("seed {seed}: a beat after the last one");
            };
            if let Some(byte) = bytes.iter().zip(&expected).position(|(a, b)| a != b) {
                bail!(
                    "seed {seed}: command {c} ({:#x}, {} beats), beat {beat}, byte {byte}: got {:#04x}, want {:#04x}",
                    commands[c].0,
                    commands[c].1,
                    bytes[byte],
                    expected[byte]
                );
            }
            ensure!(
                last == want_last,
                "seed {seed}: command {c}, beat {beat}: out_last {last}, want {want_last}"
            );
        }
    }
    for _ in 0..200 {
        ensure!(
            rig.cycle(None, true)?.beat.is_none(),
            "seed {seed}: a beat nobody asked for"
        );
    }
    ensure!(
        rig.mem.quiet(),
        "seed {seed}: bursts still in flight after the last beat"
    );
    let bursts = seen_bursts(&rig.mem.take_bursts());
    if let Some(m) = first_mismatch(&bursts, &expected_bursts(commands, bb, false)) {
        bail!("seed {seed}: bursts differ from the 256-beat/4 KB split: {m}");
    }
    Ok(total)
}

/// Random traffic against a random memory; the R channel must never be refused.
fn random_run(model: Verilated, beat_bytes: usize, seed: u64, n: usize) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let config = random_memory("m_axi", beat_bytes, seed, &mut rng);
    let timing = config.timing;
    let mut rig = Rig::new(model, config)?;
    rig.mem.write(BASE, &random_bytes(SIZE, &mut rng))?;
    let commands = random_commands(n, beat_bytes as u64, &mut rng);
    let (p_cmd, p_ready) = (rng.gen_range(0.2..1.0), rng.gen_range(0.2..1.0));
    let beats = stream(&mut rig, &commands, p_cmd, p_ready, seed)?;
    let s = rig.mem.stats();
    ensure!(
        s.read_beats_refused == 0,
        "seed {seed}: the master refused {} R beats",
        s.read_beats_refused
    );
    ensure!(
        s.read_beats == beats,
        "seed {seed}: memory sent {} beats",
        s.read_beats
    );
    eprintln!(
        "read {}-bit seed {seed}: {beats} beats, {} bursts, {} cycles, latency {}+{}, max reads {}, \
         consumer ready {p_ready:.2}",
        8 * beat_bytes,
        s.read_bursts,
        rig.cycle,
        timing.read_latency,
        timing.read_jitter,
        timing.max_reads
    );
    Ok(())
}

fn read64() -> anyhow::Result<Verilated> {
    verilate(Read64::new(MAX_BURSTS_64)?, "axi_read_master64")
}

fn read512() -> anyhow::Result<Verilated> {
    verilate(Read512::new(MAX_BURSTS_512)?, "axi_read_master512")
}

#[test]
fn random_commands_back_pressure_latency_and_stalls_64() -> anyhow::Result<()> {
    for seed in [1, 2, 3] {
        random_run(read64()?, 8, seed, 150)?;
    }
    Ok(())
}

#[test]
fn random_commands_back_pressure_latency_and_stalls_512() -> anyhow::Result<()> {
    for seed in [11, 12, 13] {
        random_run(read512()?, 64, seed, 150)?;
    }
    Ok(())
}

/// A memory with a fixed latency, one beat per cycle, and no stalls.
fn steady_memory(beat_bytes: usize, latency: u32) -> MemoryConfig {
    MemoryConfig {
        timing: Timing {
            read_latency: latency,
            read_jitter: 0,
            max_reads: 64,
            bandwidth: Rate {
                beats: 1,
                cycles: 1,
            },
            ..Timing::ideal()
        },
        stalls: Stalls::default(),
        ..MemoryConfig::new("m_axi", beat_bytes, BASE, SIZE)
    }
}

/// What a steady-state run measured.
struct Steady {
    /// Cycles from the first to the last beat out.
    span: u64,
    /// R beats per cycle between the first and the last R handshake.
    utilization: f64,
    /// Cycles from the command handshake to the first AR handshake.
    to_ar: u64,
    /// Cycles from the first R handshake to the first beat out.
    r_to_out: u64,
}

/// One long command, consumer always ready.
fn steady(model: Verilated, beat_bytes: usize, latency: u32, beats: u64) -> anyhow::Result<Steady> {
    let mut rig = Rig::new(model, steady_memory(beat_bytes, latency))?;
    rig.mem
        .write(BASE, &random_bytes(SIZE, &mut ChaCha8Rng::seed_from_u64(7)))?;
    let start = rig.cycle;
    let (mut first, mut last, mut n, mut cmd, mut cmd_edge) = (None, 0, 0, Some((BASE, beats)), 0);
    while n < beats {
        ensure!(rig.cycle < start + 100 * beats, "latency {latency}: stuck");
        // The memory counts edges from its creation; the rig's cycle counter matches it.
        let edge = rig.cycle;
        let step = rig.cycle(cmd, true)?;
        if step.cmd_fire {
            cmd = None;
            cmd_edge = edge;
        }
        if step.beat.is_some() {
            first.get_or_insert(edge);
            last = edge;
            n += 1;
        }
    }
    let first = first.unwrap_or(last);
    let s = rig.mem.stats();
    let first_ar = rig.mem.take_bursts().first().map_or(0, |b| b.cycle);
    let first_r = s.read_beat_span.map_or(0, |(a, _)| a);
    Ok(Steady {
        span: last - first + 1,
        utilization: s.read_utilization(),
        to_ar: first_ar - cmd_edge,
        r_to_out: first - first_r,
    })
}

#[test]
fn steady_state_is_one_beat_per_cycle_with_enough_bursts_in_flight() -> anyhow::Result<()> {
    // 512-bit beats: bursts of B = 64 beats (one 4 KB page). The module docs' condition
    // latency + 3 <= min(depth - B, (max_bursts - 1) * B) = 960 holds up to a latency of 957.
    let beats = 8192;
    for latency in [1, 64, 200, 600, 957] {
        let s = steady(read512()?, 64, latency, beats)?;
        eprintln!(
            "read 512-bit, latency {latency}: {beats} beats out in {} cycles, R utilization {:.4}, \
             command to AR {} cycles, R to out {} cycles",
            s.span, s.utilization, s.to_ar, s.r_to_out
        );
        assert_eq!(s.span, beats, "latency {latency}: not one beat per cycle");
        assert_eq!(s.utilization, 1.0, "latency {latency}: the R channel idled");
        assert_eq!(
            (s.to_ar, s.r_to_out),
            (2, 2),
            "latency {latency}: pipeline latency"
        );
    }
    // One cycle more and the requests in flight no longer cover the round trip.
    let s = steady(read512()?, 64, 958, beats)?;
    assert!(
        s.span > beats,
        "latency 958: the bound of the module docs is not tight"
    );
    Ok(())
}

#[test]
fn a_fifo_of_one_burst_cannot_hide_the_round_trip() -> anyhow::Result<()> {
    // The 64-bit master's FIFO holds exactly one 256-beat burst: each burst waits until the
    // previous one is consumed, so the channel idles for a round trip per burst.
    let beats = 4096;
    let s = steady(read64()?, 8, 64, beats)?;
    eprintln!(
        "read 64-bit, FIFO of one burst, latency 64: {beats} beats out in {} cycles ({:.3})",
        s.span, s.utilization
    );
    assert!(
        s.span > beats + 15 * 64,
        "{} cycles: the credit check let bursts overlap",
        s.span
    );
    Ok(())
}

#[test]
fn slave_errors_raise_the_sticky_error_flag() -> anyhow::Result<()> {
    let config = MemoryConfig {
        error_range: Some((BASE + 0x2000, BASE + 0x2040)),
        ..MemoryConfig::new("m_axi", 8, BASE, SIZE)
    };
    let mut rig = Rig::new(read64()?, config)?;
    rig.mem.write(BASE, &[0xa5; 0x4000])?;
    let error = rig.model.port("error")?;
    stream(&mut rig, &[(BASE, 64), (BASE + 0x3000, 8)], 1.0, 1.0, 0)?;
    ensure!(rig.model.get(error)? == 0, "error raised by OKAY responses");
    // The command's second burst (from the 4 KB boundary on) is in the error range: it reads as
    // zeros, and the flag stays up.
    let err = stream(&mut rig, &[(BASE + 0x1fc0, 16)], 1.0, 1.0, 0);
    let e = err.err().map(|e| e.to_string()).unwrap_or_default();
    ensure!(e.contains("beat 8, byte 0: got 0x00, want 0xa5"), "{e}");
    ensure!(rig.model.get(error)? == 1, "SLVERR did not raise error");
    Ok(())
}

/// Soak tier: 10,000,000 beats of random commands through the 512-bit master.
#[test]
#[ignore]
fn soak_ten_million_beats() -> anyhow::Result<()> {
    let seed = 2406_02528;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let config = MemoryConfig {
        timing: Timing::hbm(),
        stalls: Stalls::all(seed, 0.05),
        ..MemoryConfig::new("m_axi", 64, BASE, SIZE)
    };
    let mut rig = Rig::new(read512()?, config)?;
    rig.mem.write(BASE, &random_bytes(SIZE, &mut rng))?;
    let (mut total, t) = (0, std::time::Instant::now());
    while total < 10_000_000 {
        let commands = random_commands(2000, 64, &mut rng);
        total += stream(&mut rig, &commands, 0.9, 0.8, seed)?;
    }
    let s = rig.mem.stats();
    eprintln!(
        "read soak: {total} beats in {} cycles ({:.2} s, {:.2} M cycles/s), {} refused",
        rig.cycle,
        t.elapsed().as_secs_f64(),
        rig.cycle as f64 / t.elapsed().as_secs_f64() / 1e6,
        s.read_beats_refused
    );
    assert_eq!(s.read_beats_refused, 0);
    Ok(())
}
