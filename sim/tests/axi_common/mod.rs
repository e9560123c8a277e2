//! Helpers shared by the AXI master tests: seeded random memory configurations and commands,
//! the independent burst split the masters must reproduce, and the Verilated design of a block.

#![allow(dead_code)] // each test file uses its own subset

use mmfree_sim::axi::{Burst, MemoryConfig, Rate, Stalls, Timing};
use mmfree_sim::{Options, Verilated};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::Block;

/// Base address of every test memory (a nonzero, Vitis-like device address).
pub const BASE: u64 = 0x4_0000_0000;
/// Bytes of every test memory.
pub const SIZE: usize = 1 << 20;

/// Emits `block` as `name` and builds its Verilated model.
pub fn verilate<B: Block>(mut block: B, name: &str) -> anyhow::Result<Verilated> {
    block.connect_all();
    let verilog = mmfree_hdl::emit(&block, name)?;
    Ok(Verilated::build(&verilog, name, &Options::default())?)
}

/// A memory with random timing and stalls on every channel, drawn from `rng`.
pub fn random_memory(
    bus: &str,
    beat_bytes: usize,
    seed: u64,
    rng: &mut ChaCha8Rng,
) -> MemoryConfig {
    let p = |rng: &mut ChaCha8Rng| rng.gen_range(0.0..0.5);
    MemoryConfig {
        timing: Timing {
            read_latency: rng.gen_range(1..=150),
            read_jitter: rng.gen_range(0..=30),
            write_latency: rng.gen_range(1..=80),
            max_reads: rng.gen_range(1..=16),
            max_writes: rng.gen_range(1..=16),
            bandwidth: Rate {
                beats: rng.gen_range(1..=4),
                cycles: 4,
            },
        },
        stalls: Stalls {
            seed,
            ar: p(rng),
            r: p(rng),
            aw: p(rng),
            w: p(rng),
            b: p(rng),
        },
        ..MemoryConfig::new(bus, beat_bytes, BASE, SIZE)
    }
}

/// `n` random commands (address, beats) inside the test memory: a fifth of them empty, a fifth
/// of 1..=3 beats, a fifth starting a few beats below a 4 KB boundary, the rest up to 700 beats.
pub fn random_commands(n: usize, beat_bytes: u64, rng: &mut ChaCha8Rng) -> Vec<(u64, u64)> {
    let beats_in_memory = SIZE as u64 / beat_bytes;
    (0..n)
        .map(|i| {
            let len = match i % 5 {
                0 => 0,
                1 => rng.gen_range(1..=3),
                _ => rng.gen_range(1..=700.min(beats_in_memory / 2)),
            };
            let start = if i % 5 == 2 {
                let page = rng.gen_range(1..SIZE as u64 / 4096 / 2) * 4096;
                page - rng.gen_range(1..=4) * beat_bytes
            } else {
                rng.gen_range(0..beats_in_memory - len) * beat_bytes
            };
            (BASE + start, len)
        })
        .collect()
}

/// The bursts of the commands, computed beat by beat: a new burst at every command, every
/// 256 beats and every 4 KB boundary.
pub fn expected_bursts(
    commands: &[(u64, u64)],
    beat_bytes: u64,
    write: bool,
) -> Vec<(bool, u64, u64)> {
    let mut bursts: Vec<(bool, u64, u64)> = Vec::new();
    for &(addr, len) in commands {
        for beat in 0..len {
            let a = addr + beat * beat_bytes;
            match bursts.last_mut() {
                Some((_, start, n)) if beat > 0 && *n < 256 && a / 4096 == *start / 4096 => *n += 1,
                _ => bursts.push((write, a, 1)),
            }
        }
    }
    bursts
}

/// The recorded bursts as (write, address, beats).
pub fn seen_bursts(bursts: &[Burst]) -> Vec<(bool, u64, u64)> {
    bursts.iter().map(|b| (b.write, b.addr, b.beats)).collect()
}

/// Where two sequences first differ, as text.
pub fn first_mismatch<T: PartialEq + std::fmt::Debug>(got: &[T], want: &[T]) -> Option<String> {
    if let Some(i) = got.iter().zip(want).position(|(a, b)| a != b) {
        return Some(format!("item {i}: got {:?}, want {:?}", got[i], want[i]));
    }
    (got.len() != want.len()).then(|| format!("{} items, want {}", got.len(), want.len()))
}

/// Random bytes for a memory image.
pub fn random_bytes(n: usize, rng: &mut ChaCha8Rng) -> Vec<u8> {
    (0..n).map(|_| rng.r#gen()).collect()
}
