//! Estimates for the devices that simulate the accelerator (`iss`, `sim`): energy per token from
//! counted events times the per-event energies of `mmfree_spec::energy`, plus the card's static
//! power times the projected time; and, for the ISS, which counts no cycles, the cycles a token
//! takes if the weight stream and the vector unit ran one after the other. Always labelled
//! `estimate` (docs/PERFORMANCE.md, "Energy estimate").

use mmfree_spec::energy::CardEnergy;
use mmfree_spec::hw::HwConfig;

/// The events of one token that the estimate prices, as the ISS counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Events {
    /// Bytes streamed from the weight banks (HBM or DDR).
    pub weight_bytes: u64,
    /// Vector elements loaded, stored or computed.
    pub elements: u64,
    /// Ternary multiply-accumulates, each one add.
    pub ternary_macs: u64,
}

impl Events {
    /// The events among a device's counters, if it counts all three.
    pub fn from_counters(counters: &[(&'static str, u64)]) -> Option<Events> {
        let get = |name: &str| counters.iter().find(|c| c.0 == name).map(|c| c.1);
        Some(Events {
            weight_bytes: get("weight_bytes")?,
            elements: get("elements")?,
            ternary_macs: get("ternary_macs")?,
        })
    }

    /// Cycles of one token if the weight beats (all ports in parallel) and the vector unit's
    /// elements (`vector_lanes` a cycle) do not overlap.
    pub fn serial_cycles(&self, hw: &HwConfig) -> u64 {
        let beats_per_cycle = hw.beat_bytes() as u64 * hw.weight_ports as u64;
        self.weight_bytes.div_ceil(beats_per_cycle) + self.elements.div_ceil(hw.vector_lanes as u64)
    }
}

/// The energy of one token, split as the estimate adds it up.
#[derive(Clone, Debug, PartialEq)]
pub struct Energy {
    /// Weight bytes, buffer accesses, ternary adds and multiplies, in joules.
    pub dynamic_j: f64,
    /// Static power times the token's projected time, in joules.
    pub static_j: f64,
    /// How it was estimated, for the report.
    pub basis: String,
}

impl Energy {
    /// Joules per token.
    pub fn total_j(&self) -> f64 {
        self.dynamic_j + self.static_j
    }
}

/// The energy of a token with `events` that takes `seconds` on the card `hw` targets. Every
/// vector element is priced as one buffer access and one DSP multiply (the ISS does not tell
/// loads and stores from arithmetic, so this is an upper bound on that part).
pub fn energy(events: &Events, seconds: f64, hw: &HwConfig) -> Energy {
    let (e, assumed) = CardEnergy::for_config(hw);
    let dynamic_j = events.weight_bytes as f64 * e.weight_byte_j
        + events.ternary_macs as f64 * e.ternary_add_j
        + events.elements as f64 * (e.buffer_access_j + e.dsp_multiply_j);
    let card = if assumed {
        format!("{} as if on a {}", hw.name, e.card)
    } else {
        e.card.to_string()
    };
    Energy {
        dynamic_j,
        static_j: e.static_w * seconds,
        basis: format!(
            "estimate: counted events x per-event energies + {} W static x projected time ({card})",
            e.static_w
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_price_and_time_as_the_table_says() {
        let ev = Events {
            weight_bytes: 1_000_000,
            elements: 10_000,
            ternary_macs: 4_000_000,
        };
        let u280 = HwConfig::preset("u280").unwrap();
        // 32 ports x 32 bytes a beat: 977 cycles of weights; 16 lanes: 625 cycles of elements.
        assert_eq!(ev.serial_cycles(&u280), 977 + 625);
        let e = energy(&ev, 1e-3, &u280);
        // 1e6 x 31.76 pJ + 4e6 x 1.4 pJ + 1e4 x (140 + 43.4) pJ.
        let want = 31.76e-6 + 5.6e-6 + 1.834e-6;
        assert!((e.dynamic_j - want).abs() < 1e-12, "{}", e.dynamic_j);
        assert!((e.static_j - 39.22e-3).abs() < 1e-12);
        assert!((e.total_j() - want - 39.22e-3).abs() < 1e-12);
        assert!(e.basis.starts_with("estimate") && e.basis.contains("(U280)"));
        let tiny = energy(&ev, 0.0, &HwConfig::preset("tiny").unwrap());
        assert!(
            tiny.basis.contains("tiny as if on a U280"),
            "{}",
            tiny.basis
        );
        assert_eq!(tiny.static_j, 0.0);
    }

    #[test]
    fn only_a_device_counting_all_three_events_has_events() {
        let full = [
            ("instructions", 9),
            ("weight_bytes", 1),
            ("elements", 2),
            ("ternary_macs", 3),
        ];
        assert_eq!(
            Events::from_counters(&full),
            Some(Events {
                weight_bytes: 1,
                elements: 2,
                ternary_macs: 3
            })
        );
        assert_eq!(Events::from_counters(&full[..3]), None);
    }
}
