//! The neuron unit under Verilator (DESIGN.md section 3, rung 2; contracts.md, `mmfree neuron
//! --engine rtl`): builds the Verilog of `mmfree_kernels::neuron_unit` for a hardware
//! configuration (or reuses the cached build), then runs groups of neurons through it and reads
//! the results back as `mmfree_spec::neuron::StepOutput`s, so that the vector runner prints
//! exactly what the reference prints.
//!
//! A group is one configuration and up to `lanes * depth` neurons (neuron `n` is lane `n % lanes`
//! of index `n / lanes`). The driver loads the configuration registers and the initial states
//! while the unit is idle, then streams the steps timestep by timestep, one beat per index, and
//! keeps the unit's rule that an index does not re-enter before its previous result is out.

mod bus;
mod ports;
mod stalls;

use mmfree_kernels::neuron_unit::{
    self, RECORD_BITS, RECORD_OUT, RECORD_R, RECORD_TH, RECORD_U, RECORD_V, STATE_BITS,
};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::neuron::json::{Case, CaseOutput, StepInput, Trace, VectorsOutput, parse_vectors};
use mmfree_spec::neuron::regs::encode_registers;
use mmfree_spec::neuron::{NeuronConfig, NeuronState, StepOutput};

use crate::error::{Error, Result};
use crate::model::{Options, Verilated};
use bus::Words;
use ports::UnitPorts;
pub use stalls::Stalls;

/// Cycles without any handshake after which the driver reports the unit as stuck.
const WATCHDOG_CYCLES: u64 = 100_000;

/// One neuron of a group: its state before the first step and its inputs.
#[derive(Clone, Copy, Debug)]
pub struct NeuronRun<'a> {
    /// State before the first step.
    pub init: NeuronState,
    /// Inputs of each step.
    pub steps: &'a [StepInput],
}

/// A Verilated neuron unit and its driver.
pub struct NeuronRtl {
    model: Verilated,
    ports: UnitPorts,
    lanes: usize,
    depth: usize,
    image: Option<Vec<u32>>,
    stalls: Stalls,
    cycles: u64,
}

/// One beat of the input stream: timestep, index and kept lanes.
#[derive(Clone, Copy, Debug)]
struct Beat {
    step: usize,
    index: usize,
    keep: u64,
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
            image: None,
            stalls: Stalls::default(),
            cycles: 0,
        })
    }

    /// Lanes of the unit.
    pub fn lanes(&self) -> usize {
        self.lanes
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

    /// Random input gaps and output back-pressure from now on (tests); the default has none.
    pub fn set_stalls(&mut self, stalls: Stalls) {
        self.stalls = stalls;
    }

    /// Runs every case, grouping consecutive cases of one configuration, and returns one trace
    /// per case (the same keys as the reference's).
    pub fn run_cases(&mut self, cases: &[Case]) -> Result<Vec<Trace>> {
        let mut traces = Vec::with_capacity(cases.len());
        let mut start = 0;
        while start < cases.len() {
            let cfg = &cases[start].config;
            let len = cases[start..]
                .iter()
                .take(self.capacity())
                .take_while(|c| c.config == *cfg)
                .count();
            let group = &cases[start..start + len];
            let runs: Vec<NeuronRun> = group
                .iter()
                .map(|c| NeuronRun {
                    init: c.init,
                    steps: &c.steps,
                })
                .collect();
            let outputs = self
                .run_group(cfg, &runs)
                .map_err(|e| at_case(&group[0], e))?;
            traces.extend(outputs.iter().map(|o| Trace::from_outputs(cfg, o)));
            start += len;
        }
        Ok(traces)
    }

    /// Runs one group of neurons with configuration `cfg` and returns each neuron's outputs
    /// after every step. `th` and `r` are meaningful only with `adapt`, `u` only with `use_u`
    /// (the stages that are off pass their state through).
    pub fn run_group(
        &mut self,
        cfg: &NeuronConfig,
        neurons: &[NeuronRun],
    ) -> Result<Vec<Vec<StepOutput>>> {
        if neurons.len() > self.capacity() {
            return Err(Error::NeuronGroup {
                neurons: neurons.len(),
                capacity: self.capacity(),
            });
        }
        let image = encode_registers(cfg)?;
        for n in neurons {
            cfg.check_state(&n.init)?;
            for s in n.steps {
                cfg.check_input(s.x, s.f)?;
            }
        }
        if self.image.as_ref() != Some(&image) {
            self.load_config(&image)?;
            self.image = Some(image);
        }
        self.write_states(neurons)?;
        self.stream(neurons)
    }

    /// Writes the register image, one word per handshake.
    fn load_config(&mut self, image: &[u32]) -> Result<()> {
        let p = self.ports;
        for (addr, word) in image.iter().enumerate() {
            self.model.set(p.cfg_addr, addr as u64)?;
            self.model.set(p.cfg_data, *word as u64)?;
            self.handshake(p.cfg_valid, p.cfg_ready, "loading the configuration")?;
        }
        Ok(())
    }

    /// Writes each neuron's initial state into its lane's RAM.
    fn write_states(&mut self, neurons: &[NeuronRun]) -> Result<()> {
        let p = self.ports;
        for (index, chunk) in neurons.chunks(self.lanes).enumerate() {
            let mut data = Words::zeros(self.lanes * neuron_unit::WORD_BITS);
            let mut keep = 0u64;
            for (lane, n) in chunk.iter().enumerate() {
                let at = lane * neuron_unit::WORD_BITS;
                let s = n.init;
                let unsigned = |x: i64| {
                    if (0..1i64 << STATE_BITS).contains(&x) {
                        x
                    } else {
                        0
                    }
                };
                data.put(at + neuron_unit::WORD_U, STATE_BITS, s.u);
                data.put(at + neuron_unit::WORD_V, STATE_BITS, s.v);
                data.put(at + neuron_unit::WORD_TH, STATE_BITS, unsigned(s.th));
                data.put(at + neuron_unit::WORD_R, STATE_BITS, unsigned(s.r));
                keep |= 1 << lane;
            }
            self.model.set(p.st_index, index as u64)?;
            self.model.set(p.st_keep, keep)?;
            self.model.set_words(p.st_data, &data.0)?;
            self.handshake(p.st_valid, p.st_ready, "writing initial states")?;
        }
        Ok(())
    }

    /// Raises `valid`, ticks until `ready` was high at an edge, lowers `valid`.
    fn handshake(
        &mut self,
        valid: crate::model::Port,
        ready: crate::model::Port,
        what: &str,
    ) -> Result<()> {
        self.model.set(valid, 1)?;
        self.model.eval();
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
        self.model.eval();
        Ok(())
    }

    fn tick(&mut self) -> Result<()> {
        self.cycles += 1;
        self.model.tick()
    }

    /// The beats of a group in timestep order: index `a` of step `t` keeps the lanes whose neuron
    /// has a step `t`.
    fn beats(&self, neurons: &[NeuronRun]) -> Vec<Beat> {
        let steps = neurons.iter().map(|n| n.steps.len()).max().unwrap_or(0);
        let indices = neurons.len().div_ceil(self.lanes);
        let mut beats = Vec::new();
        for step in 0..steps {
            for index in 0..indices {
                let keep = (0..self.lanes)
                    .filter(|l| {
                        neurons
                            .get(index * self.lanes + l)
                            .is_some_and(|n| step < n.steps.len())
                    })
                    .fold(0u64, |k, l| k | 1 << l);
                if keep != 0 {
                    beats.push(Beat { step, index, keep });
                }
            }
        }
        beats
    }

    /// Streams every step through the unit and collects the results.
    fn stream(&mut self, neurons: &[NeuronRun]) -> Result<Vec<Vec<StepOutput>>> {
        let p = self.ports;
        let beats = self.beats(neurons);
        let mut in_flight: Vec<Option<Beat>> = vec![None; self.depth];
        let mut results: Vec<Vec<StepOutput>> = neurons
            .iter()
            .map(|n| Vec::with_capacity(n.steps.len()))
            .collect();
        let (mut next, mut received, mut last_event) = (0, 0, self.cycles);
        while received < beats.len() {
            let offer = beats
                .get(next)
                .filter(|b| in_flight[b.index].is_none() && !self.stalls.input_gap());
            self.model.set(p.in_valid, offer.is_some() as u64)?;
            if let Some(b) = offer {
                self.model.set(p.in_index, b.index as u64)?;
                self.model.set(p.in_keep, b.keep)?;
                self.model
                    .set_words(p.in_data, &self.input_words(neurons, b).0)?;
            }
            let out_ready = !self.stalls.output_stall();
            self.model.set(p.out_ready, out_ready as u64)?;
            // in_ready and the output side are flop outputs: valid before this edge.
            let accepted = offer.is_some() && self.model.get(p.in_ready)? == 1;
            if out_ready && self.model.get(p.out_valid)? == 1 {
                let index = self.model.get(p.out_index)? as usize;
                let beat = in_flight
                    .get_mut(index)
                    .and_then(Option::take)
                    .ok_or_else(|| Error::Protocol {
                        why: format!("a result for index {index}, which is not in flight"),
                    })?;
                self.collect(&beat, &mut results)?;
                received += 1;
                last_event = self.cycles;
            }
            self.tick()?;
            if let (true, Some(b)) = (accepted, offer) {
                in_flight[b.index] = Some(*b);
                next += 1;
                last_event = self.cycles;
            }
            if self.cycles - last_event > WATCHDOG_CYCLES {
                return Err(Error::Stuck {
                    what: format!("streaming ({received} of {} results)", beats.len()),
                    cycles: WATCHDOG_CYCLES,
                });
            }
        }
        self.model.set(p.in_valid, 0)?;
        Ok(results)
    }

    /// The packed `x` and `f` of every kept lane of a beat.
    fn input_words(&self, neurons: &[NeuronRun], beat: &Beat) -> Words {
        let mut data = Words::zeros(self.lanes * neuron_unit::IN_LANE_BITS);
        for lane in (0..self.lanes).filter(|l| beat.keep >> l & 1 == 1) {
            let s = neurons[beat.index * self.lanes + lane].steps[beat.step];
            let at = lane * neuron_unit::IN_LANE_BITS;
            data.put(at + neuron_unit::IN_X, neuron_unit::X_BITS, s.x);
            data.put(at + neuron_unit::IN_F, neuron_unit::F_BITS, s.f);
        }
        data
    }

    /// Reads the output beat of `beat` and appends each kept lane's results.
    fn collect(&mut self, beat: &Beat, results: &mut [Vec<StepOutput>]) -> Result<()> {
        let p = self.ports;
        let keep = self.model.get(p.out_keep)?;
        if keep != beat.keep {
            return Err(Error::Protocol {
                why: format!(
                    "index {} came back with lanes {keep:#x}, sent {:#x}",
                    beat.index, beat.keep
                ),
            });
        }
        let data = Words(self.model.get_words(p.out_data));
        for lane in (0..self.lanes).filter(|l| keep >> l & 1 == 1) {
            let at = lane * RECORD_BITS;
            let field = |pos: usize, signed: bool| data.get(at + pos, STATE_BITS, signed);
            results[beat.index * self.lanes + lane].push(StepOutput {
                out: field(RECORD_OUT, true),
                v: field(RECORD_V, true),
                u: field(RECORD_U, true),
                th: field(RECORD_TH, false),
                r: field(RECORD_R, false),
            });
        }
        Ok(())
    }
}

/// Names the first case of a group in an error about the group.
fn at_case(case: &Case, e: Error) -> Error {
    Error::Neuron {
        at: format!("case '{}'", case.name),
        source: Box::new(e),
    }
}

/// Parses a vector file and runs it through the neuron unit of `hw`.
pub fn run_vectors(text: &str, hw: &HwConfig, options: &Options) -> Result<VectorsOutput> {
    let cases = parse_vectors(text)?;
    let mut rtl = NeuronRtl::build(hw, options)?;
    let traces = rtl.run_cases(&cases)?;
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
