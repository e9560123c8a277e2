//! The neuron unit under Verilator (DESIGN.md section 3, rung 2; docs/NEURON.md section 7, `mmfree neuron
//! --engine rtl`): builds the Verilog of `mmfree_kernels::neuron_unit` for a hardware
//! configuration (or reuses the cached build) and drives its ports: configuration registers,
//! state writes and the two streams, one clock cycle at a time ([`NeuronRtl::cycle`]). On top of
//! that, [`NeuronRtl::run_group`] runs a group of neurons and [`run_vectors`] a whole vector file,
//! returning `mmfree_spec::neuron::StepOutput`s and traces, so that the runner prints exactly
//! what the reference prints.

mod bus;
mod group;
mod ports;
mod stalls;

use mmfree_kernels::neuron_unit::{
    self, F_BITS, IN_F, IN_LANE_BITS, IN_X, RECORD_BITS, RECORD_OUT, RECORD_R, RECORD_TH, RECORD_U,
    RECORD_V, STATE_BITS, WORD_BITS, WORD_R, WORD_TH, WORD_U, WORD_V, X_BITS,
};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::neuron::json::{
    CaseOutput, StepInput, VectorsOutput, check_expect, parse_vectors,
};
use mmfree_spec::neuron::regs::encode_registers;
use mmfree_spec::neuron::{LaneModes, NeuronConfig, NeuronState, StepOutput};

use crate::error::{Error, Result};
use crate::model::{Options, Port, Verilated};
use bus::Words;
pub use group::NeuronRun;
use ports::UnitPorts;
pub use stalls::Stalls;

/// Cycles without any handshake after which the driver reports the unit as stuck.
const WATCHDOG_CYCLES: u64 = 100_000;

/// One beat of the input stream: a neuron index and, per lane, the step's inputs (`None` leaves
/// the lane's neuron alone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputBeat {
    /// Neuron index within each lane.
    pub index: usize,
    /// One entry per lane.
    pub lanes: Vec<Option<StepInput>>,
}

/// One beat of the output stream: the index and, per lane that stepped, its results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputBeat {
    /// Neuron index within each lane.
    pub index: usize,
    /// One entry per lane; `th`, `r` (`u`) mean something only with `adapt` (`use_u`).
    pub lanes: Vec<Option<StepOutput>>,
}

/// What one clock cycle did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    /// The offered input beat was taken at this edge.
    pub accepted: bool,
    /// The output beat taken at this edge (`out_valid` and `out_ready` both high).
    pub output: Option<OutputBeat>,
}

/// A Verilated neuron unit and its driver.
pub struct NeuronRtl {
    model: Verilated,
    ports: UnitPorts,
    lanes: usize,
    depth: usize,
    modes: LaneModes,
    image: Option<Vec<u32>>,
    stalls: Stalls,
    cycles: u64,
}

impl NeuronRtl {
    /// Emits the unit of `hw`, builds it under Verilator (or loads the cached build) and resets
    /// the driver.
    pub fn build(hw: &HwConfig, options: &Options) -> Result<NeuronRtl> {
        let unit = neuron_unit::build(hw)?;
        let mut model = Verilated::build(&unit.verilog, &unit.module, options)?;
        let ports = UnitPorts::find(&model)?;
        model.eval();
        Ok(NeuronRtl {
            model,
            ports,
            lanes: unit.lanes,
            depth: unit.depth,
            modes: hw.neuron_modes(),
            image: None,
            stalls: Stalls::default(),
            cycles: 0,
        })
    }

    /// Lanes of the unit.
    pub fn lanes(&self) -> usize {
        self.lanes
    }

    /// Neuron indices per lane.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Neurons one group can hold.
    pub fn capacity(&self) -> usize {
        self.lanes * self.depth
    }

    /// Clock cycles simulated so far.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// How the model was obtained (cache hit, build time).
    pub fn build_info(&self) -> &crate::BuildInfo {
        self.model.build_info()
    }

    /// Random input gaps and output back-pressure for [`NeuronRtl::run_group`] from now on
    /// (tests); the default has none.
    pub fn set_stalls(&mut self, stalls: Stalls) {
        self.stalls = stalls;
    }

    /// Whether nothing is in flight (`idle`, which is also `cfg_ready`).
    pub fn idle(&self) -> Result<bool> {
        Ok(self.model.get(self.ports.cfg_ready)? == 1)
    }

    /// Whether the unit takes an input beat in this cycle (`in_ready`, a function of flops).
    pub fn in_ready(&self) -> Result<bool> {
        Ok(self.model.get(self.ports.in_ready)? == 1)
    }

    /// Writes `cfg`'s register image (after validating it and checking that the lanes carry the
    /// modes it needs), unless it is already loaded. The unit takes configuration words only
    /// while idle; a busy unit is an error.
    pub fn load_config(&mut self, cfg: &NeuronConfig) -> Result<()> {
        self.modes.admits(cfg)?;
        let image = encode_registers(cfg)?;
        if self.image.as_ref() == Some(&image) {
            return Ok(());
        }
        if !self.idle()? {
            return Err(Error::StreamProtocol {
                why: "the configuration changes only while the unit is idle".into(),
            });
        }
        let p = self.ports;
        for (addr, word) in image.iter().enumerate() {
            self.model.set(p.cfg_addr, addr as u64)?;
            self.model.set(p.cfg_data, *word as u64)?;
            self.handshake(p.cfg_valid, p.cfg_ready, "loading the configuration")?;
        }
        self.image = Some(image);
        Ok(())
    }

    /// Writes the state of index `index` in every lane given a state (one entry per lane). The
    /// output is held (`out_ready` low) meanwhile, so no result is taken unseen.
    pub fn write_states(&mut self, index: usize, states: &[Option<NeuronState>]) -> Result<()> {
        self.check_beat(index, states.len())?;
        let p = self.ports;
        let mut data = Words::zeros(self.lanes * WORD_BITS);
        let mut keep = 0u64;
        // th and r are unsigned registers; a stage that is off may carry any value there.
        let unsigned = |x: i64| {
            if (0..1i64 << STATE_BITS).contains(&x) {
                x
            } else {
                0
            }
        };
        for (lane, s) in states.iter().enumerate() {
            if let Some(s) = s {
                let at = lane * WORD_BITS;
                data.put(at + WORD_U, STATE_BITS, s.u);
                data.put(at + WORD_V, STATE_BITS, s.v);
                data.put(at + WORD_TH, STATE_BITS, unsigned(s.th));
                data.put(at + WORD_R, STATE_BITS, unsigned(s.r));
                keep |= 1 << lane;
            }
        }
        self.model.set(p.out_ready, 0)?;
        self.model.set(p.st_index, index as u64)?;
        self.model.set(p.st_keep, keep)?;
        self.model.set_words(p.st_data, &data.0)?;
        self.handshake(p.st_valid, p.st_ready, "writing states")
    }

    /// One clock cycle: offers `offer` (or nothing), sets `out_ready`, and reports what the
    /// rising edge took on either stream.
    pub fn cycle(&mut self, offer: Option<&InputBeat>, out_ready: bool) -> Result<Cycle> {
        let p = self.ports;
        self.model.set(p.in_valid, offer.is_some() as u64)?;
        if let Some(beat) = offer {
            self.check_beat(beat.index, beat.lanes.len())?;
            let mut data = Words::zeros(self.lanes * IN_LANE_BITS);
            let mut keep = 0u64;
            for (lane, s) in beat.lanes.iter().enumerate() {
                if let Some(s) = s {
                    data.put(lane * IN_LANE_BITS + IN_X, X_BITS, s.x);
                    data.put(lane * IN_LANE_BITS + IN_F, F_BITS, s.f);
                    keep |= 1 << lane;
                }
            }
            self.model.set(p.in_index, beat.index as u64)?;
            self.model.set(p.in_keep, keep)?;
            self.model.set_words(p.in_data, &data.0)?;
        }
        self.model.set(p.out_ready, out_ready as u64)?;
        // in_ready and the whole output side are flop outputs: valid before this edge.
        let accepted = offer.is_some() && self.in_ready()?;
        let output = if out_ready && self.model.get(p.out_valid)? == 1 {
            Some(self.output_beat()?)
        } else {
            None
        };
        self.tick()?;
        Ok(Cycle { accepted, output })
    }

    /// The output beat on offer.
    fn output_beat(&self) -> Result<OutputBeat> {
        let p = self.ports;
        let keep = self.model.get(p.out_keep)?;
        let data = Words(self.model.get_words(p.out_data));
        let lanes = (0..self.lanes)
            .map(|lane| {
                let at = lane * RECORD_BITS;
                let field = |pos: usize, signed: bool| data.get(at + pos, STATE_BITS, signed);
                (keep >> lane & 1 == 1).then(|| StepOutput {
                    out: field(RECORD_OUT, true),
                    v: field(RECORD_V, true),
                    u: field(RECORD_U, true),
                    th: field(RECORD_TH, false),
                    r: field(RECORD_R, false),
                })
            })
            .collect();
        Ok(OutputBeat {
            index: self.model.get(p.out_index)? as usize,
            lanes,
        })
    }

    fn check_beat(&self, index: usize, lanes: usize) -> Result<()> {
        if index >= self.depth || lanes != self.lanes {
            return Err(Error::StreamProtocol {
                why: format!(
                    "a beat for index {index} with {lanes} lanes; the unit has {} indices of {} lanes",
                    self.depth, self.lanes
                ),
            });
        }
        Ok(())
    }

    /// Raises `valid`, ticks until `ready` was high at an edge, lowers `valid`.
    fn handshake(&mut self, valid: Port, ready: Port, what: &str) -> Result<()> {
        self.model.set(valid, 1)?;
        let start = self.cycles;
        loop {
            let taken = self.model.get(ready)? == 1;
            self.tick()?;
            if taken {
                break;
            }
            if self.cycles - start > WATCHDOG_CYCLES {
                return Err(Error::Stuck {
                    what: what.into(),
                    cycles: WATCHDOG_CYCLES,
                });
            }
        }
        self.model.set(valid, 0)?;
        Ok(())
    }

    fn tick(&mut self) -> Result<()> {
        self.cycles += 1;
        self.model.tick()
    }
}

/// Parses a vector file and runs it through the neuron unit of `hw`.
pub fn run_vectors(text: &str, hw: &HwConfig, options: &Options) -> Result<VectorsOutput> {
    let cases = parse_vectors(text)?;
    let mut rtl = NeuronRtl::build(hw, options)?;
    let traces = rtl.run_cases(&cases)?;
    for (c, trace) in cases.iter().zip(&traces) {
        check_expect(c, trace)?;
    }
    Ok(VectorsOutput {
        cases: cases
            .into_iter()
            .zip(traces)
            .map(|(c, trace)| CaseOutput {
                name: c.name,
                trace,
            })
            .collect(),
    })
}

/// [`run_vectors`] as one line of JSON, the output of `mmfree neuron --engine rtl --json`.
pub fn run_json(text: &str, hw: &HwConfig, options: &Options) -> Result<String> {
    let out = run_vectors(text, hw, options)?;
    Ok(serde_json::to_string(&out).expect("integers and strings always serialize"))
}
