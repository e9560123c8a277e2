//! Hardware configurations: the one input of kernel generation, compiler, simulators and host
//! (STYLE.md house rule 1). Primitive fields only; everything else is derived by a method, and
//! [`HwConfig::validate`] says why a configuration is refused.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::neuron::LaneModes;
use crate::pack::Packing;

/// Every generator parameter of the accelerator.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HwConfig {
    /// Preset name (`tiny`, `tiny-b2`, `small`, `u280`, `u55c`, `u250`, `up5k`).
    pub name: String,
    /// AXI4 master ports that stream weights (one HBM pseudo-channel or DDR bank each).
    pub weight_ports: u32,
    /// Data bits of one weight-port beat.
    pub port_bits: u32,
    /// Ternary packing of weights in device memory.
    pub packing: Packing,
    /// Elements the vector unit processes per cycle.
    pub vector_lanes: u32,
    /// Neurons the neuron unit updates per cycle.
    pub neuron_lanes: u32,
    /// Whether the neuron lanes carry the CUBA current stage (`use_u`; `LaneModes`).
    #[serde(default = "carried")]
    pub neuron_current: bool,
    /// Whether the neuron lanes carry the adaptive threshold (`adapt`).
    #[serde(default = "carried")]
    pub neuron_adapt: bool,
    /// Whether the neuron lanes carry the gated forms `lerp` and `two_product`.
    #[serde(default = "carried")]
    pub neuron_gate_drive: bool,
    /// Largest hidden size `d` the on-chip buffers hold.
    pub max_hidden: u32,
    /// Largest GLU intermediate size `I` the on-chip buffers hold.
    pub max_intermediate: u32,
    /// Largest vocabulary the lm_head output buffer holds.
    pub max_vocab: u32,
    /// Independent sequences sharing one weight stream.
    pub batch: u32,
    /// Target kernel clock.
    pub clock_hz: u64,
    /// Device memory available to the kernel, in bytes.
    pub device_bytes: u64,
}

/// A neuron mode missing from a configuration file is carried (the full lane).
const fn carried() -> bool {
    true
}

/// Preset names accepted by `--hw`.
pub const HW_NAMES: [&str; 7] = ["tiny", "tiny-b2", "small", "u280", "u55c", "u250", "up5k"];

impl HwConfig {
    /// A named preset.
    pub fn preset(name: &str) -> Result<HwConfig> {
        let base = |name: &str, ports, bits, packing, lanes, d, i, v, bytes| HwConfig {
            name: name.into(),
            weight_ports: ports,
            port_bits: bits,
            packing,
            vector_lanes: lanes,
            neuron_lanes: lanes,
            neuron_current: true,
            neuron_adapt: true,
            neuron_gate_drive: true,
            max_hidden: d,
            max_intermediate: i,
            max_vocab: v,
            batch: 1,
            clock_hz: 300_000_000,
            device_bytes: bytes,
        };
        let cfg = match name {
            "tiny" => base("tiny", 1, 64, Packing::Pack2, 4, 256, 1024, 4096, 64 << 20),
            // `tiny` with two sequences sharing each weight beat: the batch CI can afford.
            "tiny-b2" => HwConfig {
                batch: 2,
                ..base(
                    "tiny-b2",
                    1,
                    64,
                    Packing::Pack2,
                    4,
                    256,
                    1024,
                    4096,
                    64 << 20,
                )
            },
            "small" => base(
                "small",
                2,
                128,
                Packing::Pack2,
                8,
                1024,
                4096,
                32768,
                1 << 30,
            ),
            // 16 vector lanes and 64 neuron lanes: a data-bank beat of the top level holds one
            // register row, and 16 words (512 bits) is the widest AXI port of `mmfree-hdl`. A
            // 2.7b token's 2.9 M VPU elements are 184 k cycles at 16 lanes against 514 k cycles
            // of weight stream, though the VPU's passes and scalar programs make it 579 k
            // (docs/HARDWARE.md, "Top level"); the standalone neuron unit keeps its 64 lanes.
            "u280" => HwConfig {
                neuron_lanes: 64,
                ..base(
                    "u280",
                    32,
                    256,
                    Packing::Pack5,
                    16,
                    4096,
                    16384,
                    32768,
                    8 << 30,
                )
            },
            // The U55C carries the U280's HBM2 stack (32 pseudo-channels, twice the capacity) and
            // no DDR: the `u280` kernel with 16 GiB of device memory.
            "u55c" => HwConfig {
                neuron_lanes: 64,
                ..base(
                    "u55c",
                    32,
                    256,
                    Packing::Pack5,
                    16,
                    4096,
                    16384,
                    32768,
                    16 << 30,
                )
            },
            "u250" => HwConfig {
                neuron_lanes: 64,
                ..base(
                    "u250",
                    4,
                    512,
                    Packing::Pack5,
                    16,
                    4096,
                    16384,
                    32768,
                    64 << 30,
                )
            },
            // The UP5K's lane leaves out the three modes that need more multipliers than the
            // part's eight SB_MAC16 (docs/HARDWARE.md, "The committed UP5K bitstream"). The clock
            // is 12 MHz: the part's internal HFOSC (48 MHz) divided by 4, the usual system clock
            // of UP5K boards.
            "up5k" => HwConfig {
                clock_hz: 12_000_000,
                neuron_current: false,
                neuron_adapt: false,
                neuron_gate_drive: false,
                ..base("up5k", 1, 16, Packing::Pack2, 1, 64, 256, 256, 1 << 20)
            },
            _ => {
                return Err(Error::UnknownPreset {
                    kind: "hardware configuration",
                    name: name.into(),
                    known: HW_NAMES.join(", "),
                });
            }
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks the rules the generators rely on.
    pub fn validate(&self) -> Result<()> {
        let bad = |why: String| {
            Err(Error::InvalidHwConfig {
                name: self.name.clone(),
                why,
            })
        };
        if self.weight_ports == 0 || !self.weight_ports.is_power_of_two() {
            return bad(format!(
                "weight_ports = {} must be a power of two so rows interleave evenly",
                self.weight_ports
            ));
        }
        if !(16..=1024).contains(&self.port_bits) || !self.port_bits.is_power_of_two() {
            return bad(format!(
                "port_bits = {} must be a power of two in 16..=1024 (AXI data widths)",
                self.port_bits
            ));
        }
        for (what, lanes) in [
            ("vector_lanes", self.vector_lanes),
            ("neuron_lanes", self.neuron_lanes),
        ] {
            if lanes == 0 || !lanes.is_power_of_two() {
                return bad(format!("{what} = {lanes} must be a non-zero power of two"));
            }
        }
        if !self.max_hidden.is_multiple_of(self.vector_lanes)
            || !self.max_intermediate.is_multiple_of(self.vector_lanes)
        {
            return bad(format!(
                "buffer sizes must be multiples of vector_lanes = {}",
                self.vector_lanes
            ));
        }
        if self.batch == 0 {
            return bad("batch must be at least 1".into());
        }
        if self.clock_hz == 0 {
            return bad("clock_hz must be positive".into());
        }
        Ok(())
    }

    /// The optional modes the neuron lanes carry; the others are neither generated nor accepted.
    pub const fn neuron_modes(&self) -> LaneModes {
        LaneModes {
            current: self.neuron_current,
            adapt: self.neuron_adapt,
            gate_drive: self.neuron_gate_drive,
        }
    }

    /// Ternary weights arriving per cycle on one port at full width.
    pub const fn weights_per_beat(&self) -> u32 {
        match self.packing {
            Packing::Pack2 => self.port_bits / 2,
            Packing::Pack5 => self.port_bits / 8 * 5,
        }
    }

    /// Bytes of one weight-port beat.
    pub const fn beat_bytes(&self) -> u32 {
        self.port_bits / 8
    }

    /// Elements of one vector register (and of the code buffer): the longer of the hidden and the
    /// intermediate buffers.
    pub const fn vreg_words(&self) -> u32 {
        if self.max_hidden > self.max_intermediate {
            self.max_hidden
        } else {
            self.max_intermediate
        }
    }

    /// Accumulators per sequence: the lm_head's vocabulary or the GLU's `2I` rows, whichever is
    /// longer.
    pub const fn acc_rows(&self) -> u32 {
        let glu = 2 * self.max_intermediate;
        if self.max_vocab > glu {
            self.max_vocab
        } else {
            glu
        }
    }

    /// Ternary weights arriving per cycle over all ports.
    pub const fn weights_per_cycle(&self) -> u64 {
        self.weights_per_beat() as u64 * self.weight_ports as u64
    }

    /// Peak weight bandwidth in bytes per second at the target clock.
    pub const fn weight_bytes_per_s(&self) -> u64 {
        self.port_bits as u64 / 8 * self.weight_ports as u64 * self.clock_hz
    }

    /// The name that goes on every bitstream, image and report built for this configuration,
    /// e.g. `u280-p32x256-pack5-v16n64-b1-300mhz`. When the neuron lanes leave out some mode it
    /// ends in `-n` and the initials of the modes they carry (`c` current stage, `a` adaptive
    /// threshold, `g` gated product of the drive), or `-nbase` when they carry none: the `up5k`
    /// tag is `up5k-p1x16-pack2-v1n1-b1-12mhz-nbase`.
    pub fn tag(&self) -> String {
        format!(
            "{}-p{}x{}-{}-v{}n{}-b{}-{}mhz{}",
            self.name,
            self.weight_ports,
            self.port_bits,
            match self.packing {
                Packing::Pack2 => "pack2",
                Packing::Pack5 => "pack5",
            },
            self.vector_lanes,
            self.neuron_lanes,
            self.batch,
            self.clock_hz / 1_000_000,
            self.modes_suffix()
        )
    }

    /// The end of [`HwConfig::tag`] that names the lane modes: empty when the lanes carry all.
    fn modes_suffix(&self) -> String {
        let modes = self.neuron_modes();
        if modes.all() {
            return String::new();
        }
        let code: String = [
            ('c', modes.current),
            ('a', modes.adapt),
            ('g', modes.gate_drive),
        ]
        .iter()
        .filter(|(_, carried)| *carried)
        .map(|(c, _)| *c)
        .collect();
        if code.is_empty() {
            "-nbase".into()
        } else {
            format!("-n{code}")
        }
    }
}

/// The memory a card's weight ports stream from: one place for the bandwidth figures of the
/// roofline (`mmfree bench`) and, later, of the simulator's memory model. Each figure carries its
/// published source in docs/PERFORMANCE.md ("Card memory").
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CardMemory {
    /// The card (`U280`, `U55C`, `U250`).
    pub card: &'static str,
    /// The memory technology (`HBM2`, `DDR4-2400`).
    pub kind: &'static str,
    /// The name `v++` gives one channel's memory in `sp=` connectivity (`HBM[i]`, `DDR[i]`).
    #[serde(skip)]
    pub bank: &'static str,
    /// Independent channels: HBM2 pseudo-channels or DDR4 banks.
    pub channels: u32,
    /// Peak bytes per second of one channel.
    pub channel_peak_bytes_per_s: f64,
    /// Fraction of the peak a long sequential read sustains (the weight stream's pattern).
    pub sustained_fraction: f64,
}

/// Alveo U280 (and U55C) HBM2: 32 pseudo-channels of 14.375 GB/s peak (460 GB/s); long sequential
/// reads sustain 92 % (Shuhai measured 425 GB/s, the Vitis `hbm_bandwidth` example 421 GB/s).
pub const U280_HBM2: CardMemory = CardMemory {
    card: "U280",
    kind: "HBM2",
    bank: "HBM",
    channels: 32,
    channel_peak_bytes_per_s: 14.375e9,
    sustained_fraction: 0.92,
};

/// Alveo U55C HBM2: the U280's stack at twice the capacity (16 GB), the same 32 pseudo-channels
/// and bandwidth, and no DDR beside it.
pub const U55C_HBM2: CardMemory = CardMemory {
    card: "U55C",
    ..U280_HBM2
};

/// Alveo U250 DDR4-2400: 4 banks of 19.2 GB/s peak (64 bits x 2400 MT/s), 90 % sustained on long
/// sequential reads.
pub const U250_DDR4: CardMemory = CardMemory {
    card: "U250",
    kind: "DDR4-2400",
    bank: "DDR",
    channels: 4,
    channel_peak_bytes_per_s: 19.2e9,
    sustained_fraction: 0.90,
};

impl CardMemory {
    /// Bytes per second that `channels` of them sustain on a long sequential read.
    pub fn sustained_bytes_per_s(&self, channels: u32) -> f64 {
        channels.min(self.channels) as f64 * self.channel_peak_bytes_per_s * self.sustained_fraction
    }
}

impl HwConfig {
    /// The card memory this configuration's weight ports stream from, for the card presets
    /// (`u280`, `u55c`, `u250`); the others target no card.
    pub fn card_memory(&self) -> Option<CardMemory> {
        match self.name.as_str() {
            "u280" => Some(U280_HBM2),
            "u55c" => Some(U55C_HBM2),
            "u250" => Some(U250_DDR4),
            _ => None,
        }
    }

    /// The weight bandwidth a token can use: the lesser of what the ports carry at the clock and
    /// what the card memory behind them sustains (the ports' width alone without a card).
    pub fn sustained_weight_bytes_per_s(&self) -> f64 {
        let ports = self.weight_bytes_per_s() as f64;
        match self.card_memory() {
            Some(m) => ports.min(m.sustained_bytes_per_s(self.weight_ports)),
            None => ports,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_valid_and_tagged_uniquely() {
        let tags: Vec<String> = HW_NAMES
            .iter()
            .map(|n| HwConfig::preset(n).unwrap().tag())
            .collect();
        for (n, t) in HW_NAMES.iter().zip(&tags) {
            assert!(t.starts_with(n), "{t}");
        }
        let mut sorted = tags.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), tags.len());
        assert_eq!(
            HwConfig::preset("u280").unwrap().tag(),
            "u280-p32x256-pack5-v16n64-b1-300mhz"
        );
    }

    #[test]
    fn tags_name_absent_lane_modes_and_only_then() {
        let tag = |n: &str| HwConfig::preset(n).unwrap().tag();
        // Every configuration with full lanes keeps its tag byte for byte.
        assert_eq!(tag("tiny"), "tiny-p1x64-pack2-v4n4-b1-300mhz");
        assert_eq!(tag("small"), "small-p2x128-pack2-v8n8-b1-300mhz");
        assert_eq!(tag("u250"), "u250-p4x512-pack5-v16n64-b1-300mhz");
        let mut b2 = HwConfig::preset("tiny").unwrap();
        b2.batch = 2;
        assert_eq!(b2.tag(), "tiny-p1x64-pack2-v4n4-b2-300mhz");
        assert_eq!(tag("up5k"), "up5k-p1x16-pack2-v1n1-b1-12mhz-nbase");
        // Configurations that differ only in their lane modes are told apart.
        let full = HwConfig::preset("small").unwrap();
        let with = |current, adapt, gate_drive| HwConfig {
            neuron_current: current,
            neuron_adapt: adapt,
            neuron_gate_drive: gate_drive,
            ..full.clone()
        };
        let mut tags = Vec::new();
        for bits in 0..8u8 {
            tags.push(with(bits & 1 != 0, bits & 2 != 0, bits & 4 != 0).tag());
        }
        assert_eq!(tags[7], tag("small"));
        assert_eq!(tags[0], "small-p2x128-pack2-v8n8-b1-300mhz-nbase");
        assert_eq!(tags[1], "small-p2x128-pack2-v8n8-b1-300mhz-nc");
        assert_eq!(tags[6], "small-p2x128-pack2-v8n8-b1-300mhz-nag");
        assert_eq!(tags[3], "small-p2x128-pack2-v8n8-b1-300mhz-nca");
        let mut unique = tags.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 8);
    }

    #[test]
    fn u280_streams_at_hbm_rate() {
        let c = HwConfig::preset("u280").unwrap();
        // 32 pseudo-channels x 256 bits x 300 MHz = 307 GB/s of the 460 GB/s HBM peak.
        assert_eq!(c.weight_bytes_per_s(), 32 * 32 * 300_000_000);
        assert_eq!(c.weights_per_beat(), 160);
        assert_eq!(
            (c.beat_bytes(), c.vreg_words(), c.acc_rows()),
            (32, 16384, 32768)
        );
        let t = HwConfig::preset("tiny").unwrap();
        assert_eq!((t.vreg_words(), t.acc_rows()), (1024, 4096));
        let b2 = HwConfig::preset("tiny-b2").unwrap();
        assert_eq!(b2.tag(), "tiny-b2-p1x64-pack2-v4n4-b2-300mhz");
        assert_eq!(
            HwConfig {
                name: "tiny".into(),
                batch: 1,
                ..b2
            },
            t
        );
    }

    #[test]
    fn invalid_configs_say_why() {
        let mut c = HwConfig::preset("tiny").unwrap();
        c.weight_ports = 3;
        assert!(
            c.validate()
                .unwrap_err()
                .to_string()
                .contains("power of two")
        );
        assert!(
            HwConfig::preset("vu9p")
                .unwrap_err()
                .to_string()
                .contains("u280")
        );
        let round_trip: HwConfig =
            serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(round_trip, c);
    }

    #[test]
    fn the_up5k_lane_leaves_out_the_costly_modes_and_files_default_to_all() {
        assert!(HwConfig::preset("tiny").unwrap().neuron_modes().all());
        let up5k = HwConfig::preset("up5k").unwrap();
        assert!(up5k.neuron_modes().names().is_empty());
        let mut json = serde_json::to_value(&up5k).unwrap();
        for key in ["neuron_current", "neuron_adapt", "neuron_gate_drive"] {
            json.as_object_mut().unwrap().remove(key);
        }
        let old: HwConfig = serde_json::from_value(json).unwrap();
        assert_eq!(old.neuron_modes(), LaneModes::ALL);
    }

    #[test]
    fn card_memory_sustains_the_published_bandwidths() {
        // 32 x 14.375 GB/s = 460 GB/s peak; 92 % is 423.2 GB/s, between the Vitis example's
        // 421 GB/s and Shuhai's 425 GB/s.
        let hbm = HwConfig::preset("u280").unwrap().card_memory().unwrap();
        assert!((hbm.sustained_bytes_per_s(32) - 423.2e9).abs() < 1e3);
        assert!((hbm.sustained_bytes_per_s(64) - 423.2e9).abs() < 1e3);
        let ddr = HwConfig::preset("u250").unwrap().card_memory().unwrap();
        assert!((ddr.sustained_bytes_per_s(4) - 69.12e9).abs() < 1e3);
        // The u280 kernel's 32 x 256-bit ports at 300 MHz (307.2 GB/s) are the narrower side.
        let u280 = HwConfig::preset("u280").unwrap();
        assert_eq!(u280.sustained_weight_bytes_per_s(), 307.2e9);
        // The u250's 4 x 512-bit ports at 300 MHz (76.8 GB/s) outrun its DDR4 (69.12 GB/s).
        let u250 = HwConfig::preset("u250").unwrap();
        assert!((u250.sustained_weight_bytes_per_s() - 69.12e9).abs() < 1e3);
        let tiny = HwConfig::preset("tiny").unwrap();
        assert_eq!(tiny.card_memory(), None);
        // The U55C is the U280's kernel on the same HBM2 stack with twice the capacity.
        let u55c = HwConfig::preset("u55c").unwrap();
        let hbm55 = u55c.card_memory().unwrap();
        assert_eq!(
            (hbm55.card, hbm55.bank, hbm55.channels),
            ("U55C", "HBM", 32)
        );
        assert_eq!(u55c.sustained_weight_bytes_per_s(), 307.2e9);
        assert_eq!(u55c.device_bytes, 2 * u280.device_bytes);
        assert_eq!(
            HwConfig {
                name: "u280".into(),
                device_bytes: u280.device_bytes,
                ..u55c
            },
            u280
        );
        assert_eq!(ddr.bank, "DDR");
        assert_eq!(tiny.sustained_weight_bytes_per_s(), 2.4e9);
    }
}
