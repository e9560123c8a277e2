//! Neuron groups through the unit: one configuration, up to `lanes * depth` neurons (neuron `n` is
//! lane `n % lanes` of index `n / lanes`), streamed timestep by timestep under the unit's rule
//! that an index does not re-enter before its previous result is out (`mmfree_kernels::
//! neuron_unit::NeuronUnit`, "What the unit requires").

use mmfree_spec::neuron::json::{Case, StepInput, Trace};
use mmfree_spec::neuron::{NeuronConfig, NeuronState, StepOutput};

use super::{InputBeat, NeuronRtl, WATCHDOG_CYCLES};
use crate::error::{Error, Result};

/// One neuron of a group: its state before the first step and its inputs.
#[derive(Clone, Copy, Debug)]
pub struct NeuronRun<'a> {
    /// State before the first step.
    pub init: NeuronState,
    /// Inputs of each step.
    pub steps: &'a [StepInput],
}

impl NeuronRtl {
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
            let outputs = self.run_group(cfg, &runs).map_err(|e| Error::Neuron {
                at: format!("case '{}'", group[0].name),
                source: Box::new(e),
            })?;
            traces.extend(outputs.iter().map(|o| Trace::from_outputs(cfg, o)));
            start += len;
        }
        Ok(traces)
    }

    /// Runs one group of neurons with configuration `cfg` (every state and input checked by the
    /// spec's rules first) and returns each neuron's outputs after every step.
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
        for n in neurons {
            cfg.check_state(&n.init)?;
            for s in n.steps {
                cfg.check_input(s.x, s.f)?;
            }
        }
        self.wait_idle()?;
        self.load_config(cfg)?;
        for (index, chunk) in neurons.chunks(self.lanes).enumerate() {
            let mut states = vec![None; self.lanes];
            for (lane, n) in chunk.iter().enumerate() {
                states[lane] = Some(n.init);
            }
            self.write_states(index, &states)?;
        }
        self.stream(neurons)
    }

    fn wait_idle(&mut self) -> Result<()> {
        let start = self.cycles;
        while !self.idle()? {
            self.cycle(None, true)?;
            if self.cycles - start > WATCHDOG_CYCLES {
                return Err(Error::Stuck {
                    what: "waiting for idle".into(),
                    cycles: WATCHDOG_CYCLES,
                });
            }
        }
        Ok(())
    }

    /// The beats of a group in timestep order: index `a` of step `t` carries the lanes whose
    /// neuron has a step `t`.
    fn beats(&self, neurons: &[NeuronRun]) -> Vec<InputBeat> {
        let steps = neurons.iter().map(|n| n.steps.len()).max().unwrap_or(0);
        let indices = neurons.len().div_ceil(self.lanes);
        let mut beats = Vec::new();
        for step in 0..steps {
            for index in 0..indices {
                let lanes: Vec<Option<StepInput>> = (0..self.lanes)
                    .map(|l| {
                        neurons
                            .get(index * self.lanes + l)
                            .and_then(|n| n.steps.get(step).copied())
                    })
                    .collect();
                if lanes.iter().any(Option::is_some) {
                    beats.push(InputBeat { index, lanes });
                }
            }
        }
        beats
    }

    /// Streams every step through the unit and collects the results.
    fn stream(&mut self, neurons: &[NeuronRun]) -> Result<Vec<Vec<StepOutput>>> {
        let beats = self.beats(neurons);
        let mut in_flight = vec![None; self.depth];
        let mut results: Vec<Vec<StepOutput>> = neurons
            .iter()
            .map(|n| Vec::with_capacity(n.steps.len()))
            .collect();
        let (mut next, mut received, mut last_event) = (0, 0, self.cycles);
        while received < beats.len() {
            let offer = beats
                .get(next)
                .filter(|b| in_flight[b.index].is_none() && !self.stalls.input_gap());
            let out_ready = !self.stalls.output_stall();
            let cycle = self.cycle(offer, out_ready)?;
            if let Some(out) = cycle.output {
                let sent: &InputBeat = in_flight
                    .get_mut(out.index)
                    .and_then(Option::take)
                    .ok_or_else(|| Error::StreamProtocol {
                        why: format!("a result for index {}, which is not in flight", out.index),
                    })?;
                for (lane, (got, sent)) in out.lanes.iter().zip(&sent.lanes).enumerate() {
                    match (got, sent) {
                        (Some(o), Some(_)) => results[out.index * self.lanes + lane].push(*o),
                        (None, None) => {}
                        _ => {
                            return Err(Error::StreamProtocol {
                                why: format!("index {} lane {lane}: kept lanes differ", out.index),
                            });
                        }
                    }
                }
                received += 1;
                last_event = self.cycles;
            }
            if let (true, Some(b)) = (cycle.accepted, offer) {
                in_flight[b.index] = Some(b);
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
        Ok(results)
    }
}
