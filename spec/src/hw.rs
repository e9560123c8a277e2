//! Hardware configurations: the one input of kernel generation, compiler, simulators and host
//! (STYLE.md house rule 1). Primitive fields only; everything else is derived by a method, and
//! [`HwConfig::validate`] says why a configuration is refused.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::pack::Packing;

/// Every generator parameter of the accelerator.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HwConfig {
    /// Preset name (`tiny`, `small`, `u280`, `u250`, `up5k`).
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

/// Preset names accepted by `--hw`.
pub const HW_NAMES: [&str; 5] = ["tiny", "small", "u280", "u250", "up5k"];

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
            max_hidden: d,
            max_intermediate: i,
            max_vocab: v,
            batch: 1,
            clock_hz: 300_000_000,
            device_bytes: bytes,
        };
        let cfg = match name {
            "tiny" => base("tiny", 1, 64, Packing::Pack2, 4, 256, 1024, 4096, 64 << 20),
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
            "up5k" => HwConfig {
                clock_hz: 24_000_000,
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
    /// e.g. `u280-p32x256-pack5-v16n64-b1-300mhz`.
    pub fn tag(&self) -> String {
        format!(
            "{}-p{}x{}-{}-v{}n{}-b{}-{}mhz",
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
            self.clock_hz / 1_000_000
        )
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
}
