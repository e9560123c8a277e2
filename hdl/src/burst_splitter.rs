//! AXI4 burst splitter (DESIGN.md section 4; AMBA AXI4 A3.4.1): turns (address, length in beats)
//! commands into INCR bursts of at most 256 beats that never cross a 4 KB boundary, the part
//! [`crate::AxiReadMaster`] and [`crate::AxiWriteMaster`] share.
//!
//! A burst starting at byte address `a` (aligned down to the beat) has
//! `len = min(remaining, 256, (4096 - a mod 4096) / beat_bytes)` beats ([`crate::burst_sizer`]);
//! the next one starts at `a + len * beat_bytes`. One burst leaves per cycle while `burst_ready` stays high, across
//! command boundaries too: a one-command buffer (`cmd_ready` is "that buffer is empty", a
//! register) holds the next command while the current one is being split. Zero-length commands
//! are accepted and produce nothing. The burst outputs are functions of registers only.

use rust_hdl::prelude::*;

use crate::axi::{AXI_ADDR_BITS, CMD_LEN_BITS, beat_bytes_log2};
use crate::burst_sizer::BurstSizer;
use crate::error::Result;

/// Splits commands into AXI4 INCR bursts; build it with [`BurstSplitter::new`].
#[derive(LogicBlock)]
pub struct BurstSplitter {
    /// Clock of both streams.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset, active high: drops the current and the buffered command.
    pub reset: Signal<In, Bit>,
    // Command stream
    /// A command is offered.
    pub cmd_valid: Signal<In, Bit>,
    /// The command buffer is empty (a register).
    pub cmd_ready: Signal<Out, Bit>,
    /// Byte address of the first beat; the bits below the beat size are ignored.
    pub cmd_addr: Signal<In, Bits<AXI_ADDR_BITS>>,
    /// Number of beats (zero: nothing happens).
    pub cmd_len: Signal<In, Bits<CMD_LEN_BITS>>,
    // Burst stream
    /// A burst is offered.
    pub burst_valid: Signal<Out, Bit>,
    /// The consumer takes the burst at the next rising edge.
    pub burst_ready: Signal<In, Bit>,
    /// Byte address of the burst's first beat (beat aligned).
    pub burst_addr: Signal<Out, Bits<AXI_ADDR_BITS>>,
    /// Beats in the burst, 1..=256 (AXI `AxLEN` is this minus one).
    pub burst_len: Signal<Out, Bits<9>>,
    /// The burst is the last one of its command.
    pub burst_last: Signal<Out, Bit>,
    active: DFF<Bit>,
    addr: DFF<Bits<AXI_ADDR_BITS>>,
    remaining: DFF<Bits<CMD_LEN_BITS>>,
    next_valid: DFF<Bit>,
    next_addr: DFF<Bits<AXI_ADDR_BITS>>,
    next_len: DFF<Bits<CMD_LEN_BITS>>,
    sizer: BurstSizer,
    take: Signal<Local, Bit>,
    free: Signal<Local, Bit>,
    log_beat_bytes: Constant<Bits<8>>,
    beat_mask: Constant<Bits<AXI_ADDR_BITS>>,
}

impl BurstSplitter {
    /// A splitter for beats of `beat_bytes` bytes (a power of two, 8..=64: data widths 64..512).
    pub fn new(beat_bytes: usize) -> Result<Self> {
        let log = beat_bytes_log2("BurstSplitter", beat_bytes)?;
        Ok(BurstSplitter {
            clock: Default::default(),
            reset: Default::default(),
            cmd_valid: Default::default(),
            cmd_ready: Default::default(),
            cmd_addr: Default::default(),
            cmd_len: Default::default(),
            burst_valid: Default::default(),
            burst_ready: Default::default(),
            burst_addr: Default::default(),
            burst_len: Default::default(),
            burst_last: Default::default(),
            active: Default::default(),
            addr: Default::default(),
            remaining: Default::default(),
            next_valid: Default::default(),
            next_addr: Default::default(),
            next_len: Default::default(),
            sizer: BurstSizer::new(log),
            take: Default::default(),
            free: Default::default(),
            log_beat_bytes: Constant::new(Bits::from(log as u64)),
            beat_mask: Constant::new(Bits::from(!((1u64 << log) - 1))),
        })
    }
}

impl Logic for BurstSplitter {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, active, addr, remaining, next_valid, next_addr, next_len
        );
        // The current burst (outputs read registers and the sizer only, never `burst_ready`).
        self.sizer.addr.next = self.addr.q.val();
        self.sizer.remaining.next = self.remaining.q.val();
        self.burst_valid.next = self.active.q.val();
        self.burst_addr.next = self.addr.q.val();
        self.burst_len.next = self.sizer.len.val();
        self.burst_last.next = self.sizer.last.val();
        self.cmd_ready.next = !self.next_valid.q.val();
        // Advance within the command.
        self.take.next = self.active.q.val() & self.burst_ready.val();
        if self.take.val() {
            self.addr.d.next = self.addr.q.val()
                + (bit_cast::<AXI_ADDR_BITS, 9>(self.sizer.len.val()) << self.log_beat_bytes.val());
            self.remaining.d.next =
                self.remaining.q.val() - bit_cast::<CMD_LEN_BITS, 9>(self.sizer.len.val());
        }
        // Load the next command when the current one is done (or there is none).
        self.free.next = !self.active.q.val() | (self.take.val() & self.sizer.last.val());
        if self.free.val() {
            if self.next_valid.q.val() {
                self.active.d.next = self.next_len.q.val().any();
                self.addr.d.next = self.next_addr.q.val();
                self.remaining.d.next = self.next_len.q.val();
                self.next_valid.d.next = false;
            } else {
                self.active.d.next = self.cmd_valid.val() & self.cmd_len.val().any();
                self.addr.d.next = self.cmd_addr.val() & self.beat_mask.val();
                self.remaining.d.next = self.cmd_len.val();
            }
        } else if self.cmd_valid.val() & !self.next_valid.q.val() {
            self.next_valid.d.next = true;
            self.next_addr.d.next = self.cmd_addr.val() & self.beat_mask.val();
            self.next_len.d.next = self.cmd_len.val();
        }
        if self.reset.val() {
            self.active.d.next = false;
            self.next_valid.d.next = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::collections::VecDeque;

    /// The bursts of one command, computed independently of the block: walk the command beat
    /// by beat and cut at 256 beats and at every 4 KB boundary.
    fn expected_bursts(addr: u64, len: u64, beat_bytes: u64) -> Vec<(u64, u64, bool)> {
        let addr = addr / beat_bytes * beat_bytes;
        let mut bursts: Vec<(u64, u64, bool)> = Vec::new();
        for beat in 0..len {
            let a = addr + beat * beat_bytes;
            match bursts.last_mut() {
                Some((start, n, _)) if *n < 256 && a / 4096 == *start / 4096 => *n += 1,
                _ => bursts.push((a, 1, false)),
            }
        }
        if let Some(last) = bursts.last_mut() {
            last.2 = true;
        }
        bursts
    }

    /// Random commands: lengths 0..=700, addresses anywhere, a third of them just below a
    /// 4 KB boundary; every fourth address unaligned.
    fn random_commands(n: usize, beat_bytes: u64, rng: &mut ChaCha8Rng) -> Vec<(u64, u64)> {
        (0..n)
            .map(|i| {
                let len = match i % 5 {
                    0 => 0,
                    1 => rng.gen_range(1..4),
                    _ => rng.gen_range(1..=700),
                };
                let mut addr = if i % 3 == 0 {
                    (rng.gen_range(1u64..1 << 40) << 12) - rng.gen_range(1..8) * beat_bytes
                } else {
                    rng.gen_range(0..1u64 << 48) / beat_bytes * beat_bytes
                };
                if i % 4 == 0 {
                    addr += rng.gen_range(0..beat_bytes);
                }
                (addr, len)
            })
            .collect()
    }

    /// One cycle: apply inputs with the clock low, sample, then a rising edge.
    fn cycle(
        uut: &mut BurstSplitter,
        cmd: Option<(u64, u64)>,
        burst_ready: bool,
    ) -> (bool, Option<(u64, u64, bool)>) {
        uut.cmd_valid.next = cmd.is_some();
        let (addr, len) = cmd.unwrap_or_default();
        uut.cmd_addr.next = addr.into();
        uut.cmd_len.next = len.into();
        uut.burst_ready.next = burst_ready;
        uut.clock.next = Clock::from(false);
        assert!(simulate(uut, 100), "logic did not settle");
        let cmd_fire = cmd.is_some() && uut.cmd_ready.val();
        let burst = (uut.burst_valid.val() && burst_ready).then(|| {
            (
                uut.burst_addr.val().to_u64(),
                uut.burst_len.val().to_u64(),
                uut.burst_last.val(),
            )
        });
        uut.clock.next = Clock::from(true);
        assert!(simulate(uut, 100), "logic did not settle after the edge");
        (cmd_fire, burst)
    }

    fn run(beat_bytes: u64, seed: u64, p_cmd: f64, p_ready: f64) -> usize {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let commands = random_commands(300, beat_bytes, &mut rng);
        let mut want: VecDeque<(u64, u64, bool)> = commands
            .iter()
            .flat_map(|&(a, l)| expected_bursts(a, l, beat_bytes))
            .collect();
        let total = want.len();
        let mut uut = BurstSplitter::new(beat_bytes as usize).unwrap();
        uut.connect_all();
        let (mut sent, mut holding, mut cycles) = (0, false, 0);
        while !want.is_empty() {
            cycles += 1;
            assert!(
                cycles < 100_000,
                "seed {seed}: stuck with {} bursts left",
                want.len()
            );
            holding |= sent < commands.len() && rng.gen_bool(p_cmd);
            let cmd = holding.then(|| commands[sent]);
            let (fired, burst) = cycle(&mut uut, cmd, rng.gen_bool(p_ready));
            if fired {
                sent += 1;
                holding = false;
            }
            if let Some(b) = burst {
                let n = total - want.len();
                assert_eq!(Some(b), want.pop_front(), "seed {seed}: burst {n}");
            }
        }
        for _ in 0..10 {
            assert_eq!(
                cycle(&mut uut, None, true).1,
                None,
                "seed {seed}: extra burst"
            );
        }
        total
    }

    #[test]
    fn bursts_match_an_independent_split_under_stalls() {
        for (seed, beat_bytes, p_cmd, p_ready) in [
            (1, 8, 0.5, 0.5),
            (2, 64, 0.9, 0.3),
            (3, 16, 0.3, 0.9),
            (4, 32, 1.0, 1.0),
        ] {
            assert!(run(beat_bytes, seed, p_cmd, p_ready) > 300);
        }
    }

    #[test]
    fn one_burst_per_cycle_across_commands() {
        // Back-to-back single-burst commands: from the second cycle on, a burst every cycle.
        let mut uut = BurstSplitter::new(64).unwrap();
        uut.connect_all();
        let mut bursts = 0;
        for i in 0..101u64 {
            let (fired, burst) = cycle(&mut uut, Some((i * 4096, 4)), true);
            assert!(fired, "cycle {i}: command refused");
            if i >= 1 {
                assert_eq!(burst, Some(((i - 1) * 4096, 4, true)), "cycle {i}");
            }
            bursts += burst.is_some() as usize;
        }
        assert_eq!(bursts, 100);
    }

    #[test]
    fn reset_drops_the_commands() {
        let mut uut = BurstSplitter::new(8).unwrap();
        uut.connect_all();
        cycle(&mut uut, Some((0, 1000)), false);
        cycle(&mut uut, Some((8192, 1000)), false);
        uut.reset.next = true;
        cycle(&mut uut, None, false);
        uut.reset.next = false;
        for _ in 0..5 {
            assert_eq!(
                cycle(&mut uut, None, true).1,
                None,
                "a burst survived the reset"
            );
        }
    }

    #[test]
    fn bad_beat_sizes_are_refused() {
        for bytes in [0, 4, 24, 128] {
            assert!(BurstSplitter::new(bytes).is_err(), "{bytes}");
        }
    }

    #[test]
    fn burst_splitter_is_synthesizable() {
        crate::stream_test::lint_and_synth(BurstSplitter::new(64).unwrap(), "burst_splitter");
    }
}
