//! `AxiWriteMaster` in Verilator against `axi::Memory` (DESIGN.md section 4, ACCELERATOR.md
//! section 2): random commands and a randomly stalling data stream against memories with random
//! latency and stalls on every channel. Every byte of the memory is compared with a shadow copy
//! written in command order, every burst with an independent split, every strobe must be set, and
//! each `done` must come exactly when its command's last B response is in. The steady state is one
//! W beat per cycle; the soak tier writes 10,000,000 beats.

mod axi_common;

use std::collections::VecDeque;

use anyhow::{bail, ensure};
use axi_common::{
    BASE, SIZE, expected_bursts, first_mismatch, random_bytes, random_commands, random_memory,
    seen_bursts, verilate,
};
use mmfree_hdl::declare_axi_write_master;
use mmfree_sim::axi::{Memory, MemoryConfig, Rate, Stalls, Timing};
use mmfree_sim::{Port, Verilated};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

declare_axi_write_master!(Write64, 64);
declare_axi_write_master!(Write512, 512);

/// The master's own ports.
struct Ports {
    reset: Port,
    cmd_valid: Port,
    cmd_ready: Port,
    cmd_addr: Port,
    cmd_len: Port,
    in_valid: Port,
    in_ready: Port,
    in_data: Port,
    done: Port,
    error: Port,
}

/// A Verilated write master wired to a memory model.
struct Rig {
    model: Verilated,
    mem: Memory,
    p: Ports,
    beat_bytes: usize,
    cycle: u64,
}

/// What one cycle showed.
struct Step {
    cmd_fire: bool,
    in_fire: bool,
    done: bool,
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
            in_valid: port("in_valid")?,
            in_ready: port("in_ready")?,
            in_data: port("in_data")?,
            done: port("done")?,
            error: port("error")?,
        };
        let mut rig = Rig {
            model,
            mem,
            p,
            beat_bytes,
            cycle: 0,
        };
        rig.model.set(rig.p.reset, 1)?;
        for _ in 0..3 {
            rig.cycle(None, None)?;
        }
        rig.model.set(rig.p.reset, 0)?;
        Ok(rig)
    }

    fn cycle(&mut self, cmd: Option<(u64, u64)>, beat: Option<&[u8]>) -> anyhow::Result<Step> {
        let p = &self.p;
        self.mem.drive(&mut self.model)?;
        let (addr, len) = cmd.unwrap_or_default();
        self.model.set(p.cmd_valid, cmd.is_some() as u64)?;
        self.model.set(p.cmd_addr, addr)?;
        self.model.set(p.cmd_len, len)?;
        self.model.set(p.in_valid, beat.is_some() as u64)?;
        if let Some(bytes) = beat {
            let words: Vec<u32> = bytes
                .chunks(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            self.model.set_words(p.in_data, &words)?;
        }
        self.model.eval();
        let step = Step {
            cmd_fire: cmd.is_some() && self.model.get(p.cmd_ready)? != 0,
            in_fire: beat.is_some() && self.model.get(p.in_ready)? != 0,
            done: self.model.get(p.done)? != 0,
        };
        self.mem.edge(&self.model)?;
        self.model.tick()?;
        self.cycle += 1;
        Ok(step)
    }
}

/// Writes `commands` with random data through the rig and checks the memory against `shadow`
/// (updated here in command order), the bursts, the strobes and the timing of every `done`.
/// Returns the beats written.
fn stream(
    rig: &mut Rig,
    commands: &[(u64, u64)],
    shadow: &mut [u8],
    p_cmd: f64,
    p_in: f64,
    seed: u64,
) -> anyhow::Result<u64> {
    let bb = rig.beat_bytes as u64;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xda7a);
    let mut beats: VecDeque<Vec<u8>> = VecDeque::new();
    for &(addr, len) in commands {
        let data = random_bytes((len * bb) as usize, &mut rng);
        let at = (addr - BASE) as usize;
        shadow[at..at + data.len()].copy_from_slice(&data);
        beats.extend(data.chunks(bb as usize).map(<[u8]>::to_vec));
    }
    let total = beats.len() as u64;
    // Each non-empty command's last burst, counted from the start of this stream.
    let responses_before = rig.mem.stats().write_responses;
    let bursts = expected_bursts(commands, bb, true);
    let mut done_after: VecDeque<(usize, u64)> = VecDeque::new();
    let mut count = responses_before;
    for (c, &(addr, len)) in commands.iter().enumerate() {
        count += expected_bursts(&[(addr, len)], bb, true).len() as u64;
        if len > 0 {
            done_after.push_back((c, count));
        }
    }
    let (mut sent, mut holding_cmd, mut holding_beat) = (0, false, false);
    let limit = rig.cycle + 200 * total + 100_000;
    while !done_after.is_empty() {
        ensure!(
            rig.cycle < limit,
            "seed {seed}: stuck at cycle {} with {} beats and {} commands to go",
            rig.cycle,
            beats.len(),
            done_after.len()
        );
        holding_cmd |= sent < commands.len() && rng.gen_bool(p_cmd);
        holding_beat |= !beats.is_empty() && rng.gen_bool(p_in);
        let cmd = holding_cmd.then(|| commands[sent]);
        let responses = rig.mem.stats().write_responses;
        let step = rig.cycle(cmd, holding_beat.then(|| beats[0].as_slice()))?;
        if step.cmd_fire {
            sent += 1;
            holding_cmd = false;
        }
        if step.in_fire {
            beats.pop_front();
            holding_beat = false;
        }
        if step.done {
            let Some((c, want)) = done_after.pop_front() else {
                bail!("seed {seed}: a done with no command left");
            };
            ensure!(
                responses == want,
                "seed {seed}: done of command {c} after {} B responses, want {want}",
                responses - responses_before
            );
        }
    }
    for _ in 0..100 {
        ensure!(!rig.cycle(None, None)?.done, "seed {seed}: an extra done");
    }
    ensure!(
        rig.mem.quiet(),
        "seed {seed}: bursts in flight after the last done"
    );
    let image = rig.mem.read(BASE, SIZE as u64)?;
    if let Some(i) = image.iter().zip(shadow.iter()).position(|(a, b)| a != b) {
        bail!(
            "seed {seed}: byte at {:#x}: got {:#04x}, want {:#04x}",
            BASE + i as u64,
            image[i],
            shadow[i]
        );
    }
    if let Some(m) = first_mismatch(&seen_bursts(&rig.mem.take_bursts()), &bursts) {
        bail!("seed {seed}: bursts differ from the 256-beat/4 KB split: {m}");
    }
    let s = rig.mem.stats();
    ensure!(
        s.partial_strobe_beats == 0,
        "seed {seed}: {} beats with strobes clear",
        s.partial_strobe_beats
    );
    ensure!(
        rig.model.get(rig.p.error)? == 0,
        "seed {seed}: error raised"
    );
    Ok(total)
}

/// Random traffic against a random memory.
fn random_run(model: Verilated, beat_bytes: usize, seed: u64, n: usize) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let config = random_memory("m_axi", beat_bytes, seed, &mut rng);
    let timing = config.timing;
    let mut rig = Rig::new(model, config)?;
    let mut shadow = random_bytes(SIZE, &mut rng);
    rig.mem.write(BASE, &shadow)?;
    let commands = random_commands(n, beat_bytes as u64, &mut rng);
    let (p_cmd, p_in) = (rng.gen_range(0.2..1.0), rng.gen_range(0.2..1.0));
    let beats = stream(&mut rig, &commands, &mut shadow, p_cmd, p_in, seed)?;
    let s = rig.mem.stats();
    eprintln!(
        "write {}-bit seed {seed}: {beats} beats, {} bursts, {} cycles, B latency {}, max writes {}, \
         producer valid {p_in:.2}",
        8 * beat_bytes,
        s.write_bursts,
        rig.cycle,
        timing.write_latency,
        timing.max_writes
    );
    Ok(())
}

fn write64() -> anyhow::Result<Verilated> {
    verilate(Write64::new(4)?, "axi_write_master64")
}

fn write512() -> anyhow::Result<Verilated> {
    verilate(Write512::new(16)?, "axi_write_master512")
}

#[test]
fn random_commands_stalls_and_latency_64() -> anyhow::Result<()> {
    for seed in [21, 22, 23] {
        random_run(write64()?, 8, seed, 150)?;
    }
    Ok(())
}

#[test]
fn random_commands_stalls_and_latency_512() -> anyhow::Result<()> {
    for seed in [31, 32, 33] {
        random_run(write512()?, 64, seed, 150)?;
    }
    Ok(())
}

#[test]
fn steady_state_is_one_beat_per_cycle() -> anyhow::Result<()> {
    let beats = 8192u64;
    for write_latency in [1, 60, 300] {
        let config = MemoryConfig {
            timing: Timing {
                write_latency,
                max_writes: 64,
                bandwidth: Rate {
                    beats: 1,
                    cycles: 1,
                },
                ..Timing::ideal()
            },
            ..MemoryConfig::new("m_axi", 64, BASE, SIZE)
        };
        let mut rig = Rig::new(write512()?, config)?;
        let data = random_bytes((beats * 64) as usize, &mut ChaCha8Rng::seed_from_u64(5));
        let (mut cmd, mut next, mut cmd_edge, mut done_edge) = (Some((BASE, beats)), 0, 0, None);
        while done_edge.is_none() {
            ensure!(rig.cycle < 100 * beats, "stuck");
            let edge = rig.cycle;
            let beat = (next < beats as usize).then(|| &data[next * 64..next * 64 + 64]);
            let step = rig.cycle(cmd, beat)?;
            if step.cmd_fire {
                cmd = None;
                cmd_edge = edge;
            }
            next += step.in_fire as usize;
            if step.done {
                done_edge = Some(edge);
            }
        }
        ensure!(
            rig.mem.read(BASE, beats * 64)? == data.as_slice(),
            "data differs"
        );
        let s = rig.mem.stats();
        let (first_w, last_w) = s.write_beat_span.unwrap_or_default();
        let first_aw = rig.mem.take_bursts().first().map_or(0, |b| b.cycle);
        let done_after = done_edge.unwrap_or_default() - last_w;
        eprintln!(
            "write 512-bit, B latency {write_latency}: {beats} beats in {} cycles (W utilization \
             {:.4}), command to AW {} cycles, command to first W {} cycles, last W to done {done_after} cycles",
            last_w - first_w + 1,
            s.write_utilization(),
            first_aw - cmd_edge,
            first_w - cmd_edge
        );
        assert_eq!(
            last_w - first_w + 1,
            beats,
            "B latency {write_latency}: W idled"
        );
        assert_eq!(
            done_after,
            write_latency as u64 + 1,
            "B latency {write_latency}"
        );
    }
    Ok(())
}

#[test]
fn slave_errors_raise_the_sticky_error_flag() -> anyhow::Result<()> {
    let config = MemoryConfig {
        error_range: Some((BASE + 0x2000, BASE + 0x2008)),
        ..MemoryConfig::new("m_axi", 8, BASE, SIZE)
    };
    let mut rig = Rig::new(write64()?, config)?;
    let mut shadow = vec![0u8; SIZE];
    stream(&mut rig, &[(BASE, 64)], &mut shadow, 1.0, 1.0, 0)?;
    // The second burst (from the 4 KB boundary on) is answered SLVERR and dropped: the memory
    // keeps zeros there, and the flag rises.
    let e = stream(&mut rig, &[(BASE + 0x1fc0, 16)], &mut shadow, 1.0, 1.0, 0)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    ensure!(e.contains("byte at 0x400002000: got 0x00"), "{e}");
    ensure!(
        rig.model.get(rig.p.error)? == 1,
        "SLVERR did not raise error"
    );
    Ok(())
}

/// Soak tier: 10,000,000 beats of random commands through the 512-bit master.
#[test]
#[ignore]
fn soak_ten_million_beats() -> anyhow::Result<()> {
    let seed = 2406_02529;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let config = MemoryConfig {
        timing: Timing::hbm(),
        stalls: Stalls::all(seed, 0.05),
        ..MemoryConfig::new("m_axi", 64, BASE, SIZE)
    };
    let mut rig = Rig::new(write512()?, config)?;
    let mut shadow = vec![0u8; SIZE];
    let (mut total, t) = (0, std::time::Instant::now());
    while total < 10_000_000 {
        let commands = random_commands(2000, 64, &mut rng);
        total += stream(&mut rig, &commands, &mut shadow, 0.9, 0.9, seed)?;
    }
    eprintln!(
        "write soak: {total} beats in {} cycles ({:.2} s, {:.2} M cycles/s)",
        rig.cycle,
        t.elapsed().as_secs_f64(),
        rig.cycle as f64 / t.elapsed().as_secs_f64() / 1e6
    );
    Ok(())
}
