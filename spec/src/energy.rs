//! Per-event energies and static power of the UltraScale+ cards: the one table the energy
//! estimate of `mmfree bench` multiplies counted events by (docs/PERFORMANCE.md, "Energy
//! estimate", gives every source). Every figure derived from it is an estimate, never a
//! measurement: the on-chip energies are published 45 nm ASIC figures scaled by the published
//! FPGA-over-ASIC dynamic power ratio, which is coarse for a 16 nm FinFET part.

use serde::Serialize;

use crate::hw::HwConfig;

/// One row of the table: a figure, its unit and where it was published.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// What the figure is.
    pub name: &'static str,
    /// The figure, in `unit`.
    pub value: f64,
    /// `pJ/byte`, `pJ`, `W` or `x`.
    pub unit: &'static str,
    /// The publication (and how the figure follows from it).
    pub source: &'static str,
}

/// FPGA over ASIC dynamic power for the same logic (Kuon and Rose, IEEE TCAD 26(2), 2007:
/// "approximately 14 times" for LUT logic and flip-flops).
pub const FPGA_OVER_ASIC: Entry = Entry {
    name: "FPGA over ASIC dynamic power",
    value: 14.0,
    unit: "x",
    source: "Kuon and Rose, Measuring the Gap Between FPGAs and ASICs, IEEE TCAD 26(2) 2007",
};

/// HBM2 access energy: 3.97 pJ/bit (O'Connor et al., Fine-Grained DRAM, MICRO 2017), 8 bits.
pub const HBM2_BYTE: Entry = Entry {
    name: "HBM2 read, per byte",
    value: 3.97 * 8.0,
    unit: "pJ/byte",
    source: "O'Connor et al., Fine-Grained DRAM, MICRO 2017: HBM2 3.97 pJ/bit",
};

/// DRAM access energy over a DDR interface: 1.3 nJ per 64-bit access, the low end of 1.3 to
/// 2.6 nJ (Horowitz, Computing's Energy Problem, ISSCC 2014), 8 of 64 bits.
pub const DDR4_BYTE: Entry = Entry {
    name: "DDR4 read, per byte",
    value: 1300.0 / 8.0,
    unit: "pJ/byte",
    source: "Horowitz, Computing's Energy Problem, ISSCC 2014: DRAM 1.3-2.6 nJ per 64-bit access (low end)",
};

/// One on-chip buffer read or write: a 64-bit read of an 8 KB SRAM, 10 pJ at 45 nm (Horowitz
/// 2014), before the FPGA factor.
pub const BUFFER_ACCESS_ASIC: Entry = Entry {
    name: "on-chip buffer access (45 nm ASIC)",
    value: 10.0,
    unit: "pJ",
    source: "Horowitz, ISSCC 2014: 8 KB SRAM 64-bit read 10 pJ (45 nm)",
};

/// One ternary add into a 32-bit accumulator: a 32-bit integer add, 0.1 pJ at 45 nm (Horowitz
/// 2014), before the FPGA factor.
pub const TERNARY_ADD_ASIC: Entry = Entry {
    name: "ternary add, 32-bit accumulator (45 nm ASIC)",
    value: 0.1,
    unit: "pJ",
    source: "Horowitz, ISSCC 2014: 32-bit integer add 0.1 pJ (45 nm)",
};

/// One DSP multiply: a 32-bit integer multiply, 3.1 pJ at 45 nm (Horowitz 2014), before the
/// FPGA factor (an upper bound for the DSP48E2's 27 x 18 multiplier).
pub const DSP_MULTIPLY_ASIC: Entry = Entry {
    name: "DSP multiply (45 nm ASIC)",
    value: 3.1,
    unit: "pJ",
    source: "Horowitz, ISSCC 2014: 32-bit integer multiply 3.1 pJ (45 nm)",
};

/// Static power of an Alveo U280 with its shell loaded: the lowest of the cards' hwmon readings
/// published by the Paderborn Center for Parallel Computing (39.22 W).
pub const U280_STATIC: Entry = Entry {
    name: "U280 static power (shell loaded)",
    value: 39.22,
    unit: "W",
    source: "Paderborn Center for Parallel Computing, Power Measurements (U280 hwmon power1_input: 39.22, 41.35, 58.28 W)",
};

/// Static power of an Alveo U250: no published idle reading was found, so the U280's is
/// assumed (same UltraScale+ family, both 225 W cards).
pub const U250_STATIC: Entry = Entry {
    name: "U250 static power (assumed equal to the U280's)",
    value: 39.22,
    unit: "W",
    source: "assumption: the U280 figure; AMD DS962 and DS963 give both cards a 225 W maximum",
};

/// Every row, in the order docs/PERFORMANCE.md lists them.
pub const TABLE: [Entry; 8] = [
    HBM2_BYTE,
    DDR4_BYTE,
    BUFFER_ACCESS_ASIC,
    TERNARY_ADD_ASIC,
    DSP_MULTIPLY_ASIC,
    FPGA_OVER_ASIC,
    U280_STATIC,
    U250_STATIC,
];

/// The per-event energies (joules) and static power (watts) of one card.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CardEnergy {
    /// The card whose figures these are (`U280`, `U250`).
    pub card: &'static str,
    /// One byte of weights from device memory.
    pub weight_byte_j: f64,
    /// One on-chip buffer read or write.
    pub buffer_access_j: f64,
    /// One ternary add.
    pub ternary_add_j: f64,
    /// One DSP multiply.
    pub dsp_multiply_j: f64,
    /// The card's static power.
    pub static_w: f64,
}

impl CardEnergy {
    /// The figures of the card `hw` targets; a configuration without a card (`tiny`, `small`,
    /// `up5k`) is estimated as if on a U280, the default card, and `assumed` says so.
    pub fn for_config(hw: &HwConfig) -> (CardEnergy, bool) {
        let pj = 1e-12;
        let on_chip = |e: Entry| e.value * FPGA_OVER_ASIC.value * pj;
        let (card, memory, stat, assumed) = match hw.name.as_str() {
            "u250" => ("U250", DDR4_BYTE, U250_STATIC, false),
            "u280" => ("U280", HBM2_BYTE, U280_STATIC, false),
            // The U55C's static power is not among the published figures; its HBM2 stack and
            // fabric are the U280's, so the U280's figure stands in and `assumed` says so.
            "u55c" => ("U280", HBM2_BYTE, U280_STATIC, true),
            _ => ("U280", HBM2_BYTE, U280_STATIC, true),
        };
        let e = CardEnergy {
            card,
            weight_byte_j: memory.value * pj,
            buffer_access_j: on_chip(BUFFER_ACCESS_ASIC),
            ternary_add_j: on_chip(TERNARY_ADD_ASIC),
            dsp_multiply_j: on_chip(DSP_MULTIPLY_ASIC),
            static_w: stat.value,
        };
        (e, assumed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_figures_follow_the_table() {
        let (u280, assumed) = CardEnergy::for_config(&HwConfig::preset("u280").unwrap());
        assert!(!assumed);
        assert!((u280.weight_byte_j - 31.76e-12).abs() < 1e-18);
        assert!((u280.buffer_access_j - 140e-12).abs() < 1e-18);
        assert!((u280.ternary_add_j - 1.4e-12).abs() < 1e-18);
        assert!((u280.dsp_multiply_j - 43.4e-12).abs() < 1e-18);
        assert_eq!(u280.static_w, 39.22);
        let (u250, _) = CardEnergy::for_config(&HwConfig::preset("u250").unwrap());
        assert!((u250.weight_byte_j - 162.5e-12).abs() < 1e-18);
        let (tiny, assumed) = CardEnergy::for_config(&HwConfig::preset("tiny").unwrap());
        assert!(assumed);
        assert_eq!(tiny, u280);
        assert!(TABLE.iter().all(|e| !e.source.is_empty() && e.value > 0.0));
    }
}
