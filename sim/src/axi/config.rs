//! What an [`crate::axi::Memory`] models (DESIGN.md section 4: AXI4 masters on HBM pseudo-channels
//! or DDR banks): the bus width, the backing store, the timing of one memory port and the
//! random stalls a test inserts on every channel.

use crate::error::{Error, Result};

/// A rate of `beats` data beats per `cycles` clock cycles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// Beats allowed...
    pub beats: u32,
    /// ...per this many cycles.
    pub cycles: u32,
}

impl Rate {
    /// No cap beyond one beat per channel per cycle.
    pub const FULL: Rate = Rate {
        beats: 2,
        cycles: 1,
    };
}

/// Timing of one memory port (every figure in clock cycles of the kernel).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// Cycles from the AR handshake to the first possible R handshake (at least 1).
    pub read_latency: u32,
    /// Extra latency drawn per burst from `0..=read_jitter`; bursts still return in order.
    pub read_jitter: u32,
    /// Cycles from a burst's last W handshake to the first possible B handshake (at least 1).
    pub write_latency: u32,
    /// Read bursts accepted and not yet fully returned, at most (ARREADY falls at the cap).
    pub max_reads: usize,
    /// Write bursts accepted and not yet answered, at most (AWREADY falls at the cap).
    pub max_writes: usize,
    /// Data beats (R and W together) the port moves, on average, at most.
    pub bandwidth: Rate,
}

impl Timing {
    /// A fast, unconstrained port: every latency one cycle, 256 bursts in flight each way.
    pub fn ideal() -> Timing {
        Timing {
            read_latency: 1,
            read_jitter: 0,
            write_latency: 1,
            max_reads: 256,
            max_writes: 256,
            bandwidth: Rate::FULL,
        }
    }

    /// One HBM pseudo-channel seen from a 300 MHz kernel through the platform's AXI switch:
    /// about 110 cycles to the first read beat with up to 20 cycles of variation, 60 cycles to a
    /// write response, 64 bursts in flight each way, one beat per cycle shared by reads and
    /// writes (a 512-bit port at 300 MHz asks 19.2 GB/s, near a pseudo-channel's peak).
    pub fn hbm() -> Timing {
        Timing {
            read_latency: 110,
            read_jitter: 20,
            write_latency: 60,
            max_reads: 64,
            max_writes: 64,
            bandwidth: Rate {
                beats: 1,
                cycles: 1,
            },
        }
    }
}

/// Probabilities (0..=1) that a channel's ready or valid is withheld on a cycle, drawn from a
/// seeded generator so that a failing run repeats exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stalls {
    /// Seed of the stall generator (also drives the read jitter).
    pub seed: u64,
    /// ARREADY withheld.
    pub ar: f64,
    /// An R beat withheld.
    pub r: f64,
    /// AWREADY withheld.
    pub aw: f64,
    /// WREADY withheld.
    pub w: f64,
    /// A B response withheld.
    pub b: f64,
}

impl Stalls {
    /// The same stall probability `p` on every channel.
    pub fn all(seed: u64, p: f64) -> Stalls {
        Stalls {
            seed,
            ar: p,
            r: p,
            aw: p,
            w: p,
            b: p,
        }
    }
}

/// Everything a memory model needs before it can be attached.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryConfig {
    /// Name used in every error (the master's port prefix, e.g. `m_axi_w0`).
    pub bus: String,
    /// Bytes per data beat: a power of two, 4..=128.
    pub beat_bytes: usize,
    /// Address of the first byte of the backing store.
    pub base: u64,
    /// Bytes in the backing store.
    pub size: usize,
    /// Port timing.
    pub timing: Timing,
    /// Random stalls.
    pub stalls: Stalls,
    /// Bursts touching `[start, end)` are answered SLVERR (reads return zeros, writes are dropped).
    pub error_range: Option<(u64, u64)>,
}

impl MemoryConfig {
    /// A memory of `size` bytes at `base` with `beat_bytes`-byte beats, ideal timing, no stalls.
    pub fn new(bus: &str, beat_bytes: usize, base: u64, size: usize) -> MemoryConfig {
        MemoryConfig {
            bus: bus.into(),
            beat_bytes,
            base,
            size,
            timing: Timing::ideal(),
            stalls: Stalls::default(),
            error_range: None,
        }
    }

    /// Refuses values the model cannot honour, naming the first one.
    pub(crate) fn validate(&self) -> Result<()> {
        let bad = |what: &'static str, value: String, why: &str| {
            Err(Error::Config {
                bus: self.bus.clone(),
                what,
                value,
                why: why.into(),
            })
        };
        let t = &self.timing;
        if !self.beat_bytes.is_power_of_two() || !(4..=128).contains(&self.beat_bytes) {
            return bad(
                "beat_bytes",
                self.beat_bytes.to_string(),
                "a power of two from 4 to 128",
            );
        }
        if self.size == 0 || self.base.checked_add(self.size as u64).is_none() {
            return bad(
                "size",
                self.size.to_string(),
                "at least one byte, ending below 2^64",
            );
        }
        if t.read_latency == 0 || t.write_latency == 0 {
            return bad(
                "latency",
                format!("{}/{}", t.read_latency, t.write_latency),
                "a response comes at least one cycle after its request",
            );
        }
        if t.max_reads == 0 || t.max_writes == 0 {
            return bad(
                "max bursts",
                format!("{}/{}", t.max_reads, t.max_writes),
                "at least one burst in flight each way",
            );
        }
        if t.bandwidth.beats == 0 || t.bandwidth.cycles == 0 {
            return bad(
                "bandwidth",
                format!("{}/{}", t.bandwidth.beats, t.bandwidth.cycles),
                "a positive number of beats per positive number of cycles",
            );
        }
        let s = &self.stalls;
        for (what, p) in [
            ("ar stall", s.ar),
            ("r stall", s.r),
            ("aw stall", s.aw),
            ("w stall", s.w),
            ("b stall", s.b),
        ] {
            if !(0.0..1.0).contains(&p) {
                return bad(what, p.to_string(), "a probability in [0, 1)");
            }
        }
        Ok(())
    }
}
