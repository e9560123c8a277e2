//! The neuron unit (docs/ACCELERATOR.md section 1): `LANES` lanes of the unified neuron, the
//! per-neuron state in one RAM per lane, the configuration registers, and the stream control.
//!
//! **Streams.** A beat of the input stream is one neuron index `a` and, for each lane `i` whose
//! `keep` bit is set, that lane's `x` and `f`: lane `i` updates neuron `a` of its RAM, i.e.
//! neuron `a * LANES + i` of the group. The output stream carries the same index and keep bits
//! and each lane's record (`out`, `v`, `u`, `th`, `r`). Both are valid/ready streams; the output
//! side is a skid buffer, so `out_valid` and `out_data` are flop outputs and `in_ready` depends
//! only on flops.
//!
//! **Pipeline.** The stage-0 registers take a beat when the pipeline advances and the lanes' RAMs
//! read its state at the same edge; the lanes run [`LANE_LATENCY`] stages with one clock enable,
//! `advance = skid not full or last stage empty`, so a stalled output stops every stage at once
//! and nothing is lost. Results leave the last stage into the skid buffer, and at that same edge
//! each kept lane writes its new state back (read-modify-write once per step).
//!
//! **What the unit requires.** (1) A neuron index must not re-enter while its previous beat is in
//! flight: the read would miss the write-back. Within a timestep every neuron is touched once, so
//! this holds when timesteps are separated by a barrier or a group spans at least
//! [`NEURON_UNIT_LATENCY`] beats; the vector runner waits for a neuron's result before sending
//! its next step. (2) Configuration words are accepted only while the unit is idle
//! (`cfg_ready = idle`). (3) A state write (`st_*`, for initial states) goes to the RAM write port
//! when no result is written back in that cycle (`st_ready`); it must not target a neuron in flight.
//! (4) `in_index` and `st_index` address `2^ADDR` neurons per lane.

use mmfree_hdl::SkidBuffer;
use mmfree_spec::neuron::LaneModes;
use mmfree_spec::neuron::regs::REG_WORD_BITS;
use rust_hdl::prelude::*;

use super::config_regs::{CFG_ADDR_BITS, ConfigRegs};
use super::delay::{Delay, DelayStyle};
use super::lane::{LANE_LATENCY, NeuronLane};
use super::place::Place;
use super::{F_BITS, IN_F, IN_LANE_BITS, IN_X, RECORD_BITS, WORD_BITS, X_BITS};

/// Cycles from a beat accepted on the input to its results valid on the output (no stalls).
pub const NEURON_UNIT_LATENCY: usize = LANE_LATENCY + 2;

/// Declares `type $name = NeuronUnit<..>` with `$lanes` lanes and `2^$addr_bits` neurons per
/// lane, deriving the packed port widths.
#[macro_export]
macro_rules! declare_neuron_unit {
    ($name: ident, $lanes: expr, $addr_bits: expr) => {
        /// A neuron unit of the declared lanes and depth, its port widths derived from them.
        pub type $name = $crate::neuron_unit::NeuronUnit<
            { $lanes },
            { $addr_bits },
            { $lanes * $crate::neuron_unit::IN_LANE_BITS },
            { $lanes * $crate::neuron_unit::WORD_BITS },
            { $lanes * $crate::neuron_unit::RECORD_BITS },
            { $addr_bits + $lanes + $lanes * $crate::neuron_unit::RECORD_BITS },
        >;
    };
}

/// `LANES` neuron lanes with `2^ADDR` neurons of state each; declare it with
/// [`declare_neuron_unit!`](crate::declare_neuron_unit).
#[derive(LogicBlock)]
pub struct NeuronUnit<
    const LANES: usize,
    const ADDR: usize,
    const IN_BITS: usize,
    const ST_BITS: usize,
    const OUT_BITS: usize,
    const SKID_BITS: usize,
> {
    /// The clock of every register and RAM.
    pub clock: Signal<In, Clock>,
    // Configuration registers
    /// A configuration word is offered.
    pub cfg_valid: Signal<In, Bit>,
    /// The unit is idle and takes the word.
    pub cfg_ready: Signal<Out, Bit>,
    /// Word address in the register image.
    pub cfg_addr: Signal<In, Bits<CFG_ADDR_BITS>>,
    /// The word.
    pub cfg_data: Signal<In, Bits<REG_WORD_BITS>>,
    // State writes
    /// A state word per kept lane is offered.
    pub st_valid: Signal<In, Bit>,
    /// The RAM write port is free this cycle.
    pub st_ready: Signal<Out, Bit>,
    /// Neuron index within each lane's RAM.
    pub st_index: Signal<In, Bits<ADDR>>,
    /// Lanes whose state word is written.
    pub st_keep: Signal<In, Bits<LANES>>,
    /// Per lane: `u`, `v`, `th`, `r` (33 bits each, see `WORD_*`).
    pub st_data: Signal<In, Bits<ST_BITS>>,
    // Input stream
    /// A beat is offered.
    pub in_valid: Signal<In, Bit>,
    /// The pipeline takes the beat at the next rising edge.
    pub in_ready: Signal<Out, Bit>,
    /// Neuron index within each lane's RAM.
    pub in_index: Signal<In, Bits<ADDR>>,
    /// Lanes that step their neuron (the others leave their state alone).
    pub in_keep: Signal<In, Bits<LANES>>,
    /// Per lane: `x` (33 bits) and `f` (31 bits, see `IN_*`).
    pub in_data: Signal<In, Bits<IN_BITS>>,
    // Output stream
    /// Results are offered (a flop output).
    pub out_valid: Signal<Out, Bit>,
    /// The consumer takes them at the next rising edge.
    pub out_ready: Signal<In, Bit>,
    /// The beat's neuron index.
    pub out_index: Signal<Out, Bits<ADDR>>,
    /// The beat's kept lanes.
    pub out_keep: Signal<Out, Bits<LANES>>,
    /// Per lane: `out`, `v`, `u`, `th`, `r` (33 bits each, see `RECORD_*`).
    pub out_data: Signal<Out, Bits<OUT_BITS>>,
    /// Nothing is in flight and the output is empty.
    pub idle: Signal<Out, Bit>,
    registers: ConfigRegs,
    lanes: [NeuronLane; LANES],
    rams: [RAM<Bits<WORD_BITS>, ADDR>; LANES],
    skid: SkidBuffer<Bits<SKID_BITS>>,
    s0_valid: DFF<Bit>,
    s0_index: DFF<Bits<ADDR>>,
    s0_keep: DFF<Bits<LANES>>,
    s0_data: DFF<Bits<IN_BITS>>,
    valid_late: Delay<Bit, LANE_LATENCY>,
    index_late: Delay<Bits<ADDR>, LANE_LATENCY>,
    keep_late: Delay<Bits<LANES>, LANE_LATENCY>,
    in_flight: DFF<Bits<8>>,
    advance: Signal<Local, Bit>,
    write_back: Signal<Local, Bit>,
    st_fire: Signal<Local, Bit>,
    idle_now: Signal<Local, Bit>,
    places: [Place<RECORD_BITS, OUT_BITS>; LANES],
    pack: [Signal<Local, Bits<OUT_BITS>>; LANES],
    bus: Signal<Local, Bits<OUT_BITS>>,
    in_at: [Constant<Bits<16>>; LANES],
    f_at: [Constant<Bits<16>>; LANES],
    st_at: [Constant<Bits<16>>; LANES],
    lane_bit: [Constant<Bits<LANES>>; LANES],
    keep_at: Constant<Bits<16>>,
    data_at: Constant<Bits<16>>,
}

impl<
    const LANES: usize,
    const ADDR: usize,
    const IN_BITS: usize,
    const ST_BITS: usize,
    const OUT_BITS: usize,
    const SKID_BITS: usize,
> Default for NeuronUnit<LANES, ADDR, IN_BITS, ST_BITS, OUT_BITS, SKID_BITS>
{
    fn default() -> Self {
        assert!(
            LANES >= 1 && (1..=16).contains(&ADDR),
            "1+ lanes, 2..65536 neurons each"
        );
        assert!(
            IN_BITS == LANES * IN_LANE_BITS
                && ST_BITS == LANES * WORD_BITS
                && OUT_BITS == LANES * RECORD_BITS
                && SKID_BITS == ADDR + LANES + OUT_BITS,
            "use declare_neuron_unit! to derive the port widths"
        );
        let at = |x: usize| Constant::new(Bits::<16>::from(x as u64));
        NeuronUnit {
            clock: Default::default(),
            cfg_valid: Default::default(),
            cfg_ready: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            st_valid: Default::default(),
            st_ready: Default::default(),
            st_index: Default::default(),
            st_keep: Default::default(),
            st_data: Default::default(),
            in_valid: Default::default(),
            in_ready: Default::default(),
            in_index: Default::default(),
            in_keep: Default::default(),
            in_data: Default::default(),
            out_valid: Default::default(),
            out_ready: Default::default(),
            out_index: Default::default(),
            out_keep: Default::default(),
            out_data: Default::default(),
            idle: Default::default(),
            registers: Default::default(),
            lanes: std::array::from_fn(|_| Default::default()),
            rams: std::array::from_fn(|_| Default::default()),
            skid: Default::default(),
            s0_valid: Default::default(),
            s0_index: Default::default(),
            s0_keep: Default::default(),
            s0_data: Default::default(),
            valid_late: Default::default(),
            index_late: Default::default(),
            keep_late: Default::default(),
            in_flight: Default::default(),
            advance: Default::default(),
            write_back: Default::default(),
            st_fire: Default::default(),
            idle_now: Default::default(),
            places: std::array::from_fn(|i| Place::at(i * RECORD_BITS)),
            pack: std::array::from_fn(|_| Default::default()),
            bus: Default::default(),
            in_at: std::array::from_fn(|i| at(i * IN_LANE_BITS + IN_X)),
            f_at: std::array::from_fn(|i| at(i * IN_LANE_BITS + IN_F)),
            st_at: std::array::from_fn(|i| at(i * WORD_BITS)),
            lane_bit: std::array::from_fn(|i| {
                Constant::new(Bits::<LANES>::from(1u64) << (i as u64))
            }),
            keep_at: at(ADDR),
            data_at: at(ADDR + LANES),
        }
    }
}

impl<
    const LANES: usize,
    const ADDR: usize,
    const IN_BITS: usize,
    const ST_BITS: usize,
    const OUT_BITS: usize,
    const SKID_BITS: usize,
> NeuronUnit<LANES, ADDR, IN_BITS, ST_BITS, OUT_BITS, SKID_BITS>
{
    /// A unit whose lanes carry `modes` (`HwConfig::neuron_modes`) and store their long delay
    /// lines in `style` (`DelayStyle::for_config`); `default()` carries all, in registers.
    pub fn with_modes(modes: LaneModes, style: DelayStyle) -> Self {
        NeuronUnit {
            lanes: std::array::from_fn(|_| NeuronLane::new(modes, style)),
            index_late: Delay::new(style),
            ..Default::default()
        }
    }
}

impl<
    const LANES: usize,
    const ADDR: usize,
    const IN_BITS: usize,
    const ST_BITS: usize,
    const OUT_BITS: usize,
    const SKID_BITS: usize,
> Logic for NeuronUnit<LANES, ADDR, IN_BITS, ST_BITS, OUT_BITS, SKID_BITS>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, s0_valid, s0_index, s0_keep, s0_data, in_flight);
        clock!(
            self, clock, registers, skid, valid_late, index_late, keep_late
        );
        // Stream control: one enable for every stage.
        self.advance.next = self.skid.in_ready.val() | !self.valid_late.q.val();
        self.write_back.next = self.valid_late.q.val() & self.advance.val();
        self.st_ready.next = !self.write_back.val();
        self.st_fire.next = self.st_valid.val() & !self.write_back.val();
        self.in_ready.next = self.advance.val();
        self.idle_now.next = (self.in_flight.q.val() == 0u64)
            & !self.skid.out_valid.val()
            & self.skid.in_ready.val();
        self.idle.next = self.idle_now.val();
        self.cfg_ready.next = self.idle_now.val();
        self.registers.write.next = self.cfg_valid.val() & self.idle_now.val();
        self.registers.addr.next = self.cfg_addr.val();
        self.registers.data.next = self.cfg_data.val();
        if self.advance.val() {
            self.s0_valid.d.next = self.in_valid.val();
            self.s0_index.d.next = self.in_index.val();
            self.s0_keep.d.next = self.in_keep.val();
            self.s0_data.d.next = self.in_data.val();
            if self.in_valid.val() & !self.valid_late.q.val() {
                self.in_flight.d.next = self.in_flight.q.val() + 1u64;
            }
            if !self.in_valid.val() & self.valid_late.q.val() {
                self.in_flight.d.next = self.in_flight.q.val() - 1u64;
            }
        }
        self.valid_late.ce.next = self.advance.val();
        self.index_late.ce.next = self.advance.val();
        self.keep_late.ce.next = self.advance.val();
        self.valid_late.d.next = self.s0_valid.q.val();
        self.index_late.d.next = self.s0_index.q.val();
        self.keep_late.d.next = self.s0_keep.q.val();
        // The lanes, their RAMs, and the packed results.
        for i in 0..LANES {
            self.lanes[i].clock.next = self.clock.val();
            self.lanes[i].ce.next = self.advance.val();
            self.lanes[i].regs.next = self.registers.regs.val();
            self.lanes[i].x.next = self
                .s0_data
                .q
                .val()
                .get_bits::<X_BITS>(self.in_at[i].val().index());
            self.lanes[i].f.next = self
                .s0_data
                .q
                .val()
                .get_bits::<F_BITS>(self.f_at[i].val().index());
            self.lanes[i].word.next = self.rams[i].read_data.val();
            self.rams[i].read_clock.next = self.clock.val();
            self.rams[i].write_clock.next = self.clock.val();
            self.rams[i].read_address.next = self.s0_index.q.val();
            if self.advance.val() {
                self.rams[i].read_address.next = self.in_index.val();
            }
            self.rams[i].write_enable.next =
                self.st_fire.val() & (self.st_keep.val() & self.lane_bit[i].val()).any();
            self.rams[i].write_address.next = self.st_index.val();
            self.rams[i].write_data.next = self
                .st_data
                .val()
                .get_bits::<WORD_BITS>(self.st_at[i].val().index());
            if self.write_back.val() {
                self.rams[i].write_enable.next =
                    (self.keep_late.q.val() & self.lane_bit[i].val()).any();
                self.rams[i].write_address.next = self.index_late.q.val();
                self.rams[i].write_data.next = self.lanes[i].word_next.val();
            }
            self.places[i].a.next = self.lanes[i].record.val();
            self.pack[i].next = self.places[i].q.val();
        }
        for i in 1..LANES {
            self.pack[i].next = self.pack[i - 1].val() | self.places[i].q.val();
        }
        for i in (LANES - 1)..LANES {
            self.bus.next = self.pack[i].val();
        }
        // The output skid buffer: index, keep, records.
        self.skid.in_valid.next = self.valid_late.q.val();
        self.skid.in_data.next = bit_cast::<SKID_BITS, ADDR>(self.index_late.q.val())
            | (bit_cast::<SKID_BITS, LANES>(self.keep_late.q.val()) << self.keep_at.val())
            | (bit_cast::<SKID_BITS, OUT_BITS>(self.bus.val()) << self.data_at.val());
        self.skid.out_ready.next = self.out_ready.val();
        self.out_valid.next = self.skid.out_valid.val();
        self.out_index.next = self.skid.out_data.val().get_bits::<ADDR>(0);
        self.out_keep.next = self
            .skid
            .out_data
            .val()
            .get_bits::<LANES>(self.keep_at.val().index());
        self.out_data.next = self
            .skid
            .out_data
            .val()
            .get_bits::<OUT_BITS>(self.data_at.val().index());
    }
}

#[cfg(test)]
mod tests {
    use mmfree_hdl::{Resources, SynthTarget, UP5K, lint, synth_check, synthesize};
    use mmfree_spec::hw::HwConfig;

    use crate::neuron_unit::build;

    /// Emits the unit of hardware configuration `hw` into `dir`; returns the file and module.
    fn emitted(hw: &HwConfig, dir: &std::path::Path) -> (std::path::PathBuf, String) {
        let unit = build(hw).unwrap();
        let path = dir.join(format!("{}.v", unit.module));
        std::fs::write(&path, &unit.verilog).unwrap();
        (path, unit.module)
    }

    /// `up5k`'s one-lane shape with every mode (the lane the other configurations have).
    fn full_up5k() -> HwConfig {
        HwConfig {
            neuron_current: true,
            neuron_adapt: true,
            neuron_gate_drive: true,
            ..HwConfig::preset("up5k").unwrap()
        }
    }

    #[test]
    fn neuron_unit_is_synthesizable() {
        let dir = tempfile::tempdir().unwrap();
        for hw in ["up5k", "small"] {
            let (path, module) = emitted(&HwConfig::preset(hw).unwrap(), dir.path());
            lint(&path).unwrap_or_else(|e| panic!("{hw}: {e}"));
            synth_check(&path, &module).unwrap_or_else(|e| panic!("{hw}: {e}"));
        }
    }

    fn show(what: &str, r: &Resources) {
        println!(
            "{what}: LUT {} (+{} as memory), FF {}, DSP {}, BRAM {}, carry {}",
            r.luts, r.lut_memories, r.ffs, r.dsps, r.brams, r.carry
        );
    }

    #[test]
    #[ignore = "synthesis tier: yosys runs of several minutes"]
    fn neuron_unit_synthesis_figures() {
        let dir = tempfile::tempdir().unwrap();
        let (one, one_top) = emitted(&full_up5k(), dir.path());
        let (eight, eight_top) = emitted(&HwConfig::preset("small").unwrap(), dir.path());
        let (base, base_top) = emitted(&HwConfig::preset("up5k").unwrap(), dir.path());
        let x1 = synthesize(&one, &one_top, SynthTarget::Xcup).unwrap();
        show("xcup, 1 lane x 64", &x1);
        let x8 = synthesize(&eight, &eight_top, SynthTarget::Xcup).unwrap();
        show("xcup, 8 lanes x 128", &x8);
        let ice = synthesize(&one, &one_top, SynthTarget::Ice40).unwrap();
        show("ice40, 1 lane x 64", &ice);
        println!("fits the {}: {}", UP5K.name, ice.fits(&UP5K));
        let lite = synthesize(&base, &base_top, SynthTarget::Ice40).unwrap();
        show(
            "ice40, 1 lane x 64 without the optional modes (up5k)",
            &lite,
        );
        assert!(
            lite.dsps <= 8 && lite.dsps < ice.dsps && lite.luts < ice.luts,
            "the up5k lane drops the optional modes' multipliers"
        );
        assert!(
            x1.dsps > 0 && ice.dsps > 0,
            "the multipliers map to DSP blocks"
        );
        assert_eq!(x8.dsps, 8 * x1.dsps, "every lane has the same multipliers");
        assert!(
            (6 * x1.luts..10 * x1.luts).contains(&x8.luts),
            "LUTs grow with the lanes: {} and {}",
            x1.luts,
            x8.luts
        );
    }
}
