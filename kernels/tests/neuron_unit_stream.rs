//! The neuron unit's stream behaviour under Verilator (STYLE.md house rule 6): the latency and
//! the full throughput of one beat per cycle, back-pressure that stops every stage without losing
//! or reordering a beat, lanes left out of a beat keeping their state, and the configuration
//! taken only while idle. Results are checked against `mmfree_spec::neuron::step`.

use anyhow::{Result, ensure};
use mmfree_kernels::neuron_unit::{LANE_LATENCY, NEURON_UNIT_LATENCY};
use mmfree_sim::neuron::{InputBeat, NeuronRtl, OutputBeat};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::neuron::json::StepInput;
use mmfree_spec::neuron::{NeuronConfig, NeuronState, StepOutput, step};

/// Beats the unit holds when its output stalls: stages 0 to `LANE_LATENCY`, and the two
/// registers of the output skid buffer.
const BEATS_HELD: usize = LANE_LATENCY + 1 + 2;

fn unit() -> Result<NeuronRtl> {
    Ok(NeuronRtl::build(
        &HwConfig::preset("tiny")?,
        &Default::default(),
    )?)
}

/// A leaky neuron with a current stage, soft reset, 16-bit state: every stage does something.
fn config() -> NeuronConfig {
    NeuronConfig {
        w_v: 16,
        w_u: 16,
        use_u: true,
        beta_u: 3000,
        beta_v: 3500,
        vth: 2000,
        reset: mmfree_spec::neuron::Reset::Soft,
        ..NeuronConfig::default()
    }
}

/// Index `index`, lane `lane`: its initial state and its input.
fn neuron(index: usize, lane: usize) -> (NeuronState, StepInput) {
    let k = (index * 4 + lane) as i64;
    let init = NeuronState {
        u: 100 * k - 3000,
        v: 37 * k - 1000,
        th: 4096,
        r: 0,
    };
    (
        init,
        StepInput {
            x: 211 * k - 5000,
            f: 0,
        },
    )
}

/// Loads the configuration and the states of indices `0..n`; returns the input beats.
fn prepare(rtl: &mut NeuronRtl, n: usize) -> Result<Vec<InputBeat>> {
    rtl.load_config(&config())?;
    let mut beats = Vec::new();
    for index in 0..n {
        let states = (0..rtl.lanes())
            .map(|l| Some(neuron(index, l).0))
            .collect::<Vec<_>>();
        rtl.write_states(index, &states)?;
        let lanes = (0..rtl.lanes()).map(|l| Some(neuron(index, l).1)).collect();
        beats.push(InputBeat { index, lanes });
    }
    Ok(beats)
}

/// The reference's output beat for one step of index `index` from its prepared state.
fn expected(index: usize, lanes: usize) -> Result<OutputBeat> {
    let lanes = (0..lanes)
        .map(|l| {
            let (mut state, s) = neuron(index, l);
            Ok(Some(step(&config(), &mut state, s.x, s.f)?))
        })
        .collect::<Result<Vec<Option<StepOutput>>>>()?;
    Ok(OutputBeat { index, lanes })
}

#[test]
fn latency_is_the_documented_one_and_throughput_is_one_beat_per_cycle() -> Result<()> {
    let mut rtl = unit()?;
    let depth = rtl.depth();
    let beats = prepare(&mut rtl, depth)?;
    let (mut accepted_at, mut outputs) = (Vec::new(), Vec::new());
    while outputs.len() < beats.len() {
        let now = rtl.cycles();
        let offer = beats.get(accepted_at.len());
        let cycle = rtl.cycle(offer, true)?;
        if cycle.accepted {
            accepted_at.push(now);
        }
        if let Some(out) = cycle.output {
            outputs.push((now, out));
        }
    }
    let first = accepted_at[0];
    ensure!(
        accepted_at
            .iter()
            .enumerate()
            .all(|(i, &c)| c == first + i as u64),
        "in_ready dropped while the output was free: {accepted_at:?}"
    );
    ensure!(
        outputs[0].0 - first == NEURON_UNIT_LATENCY as u64,
        "first result {} cycles after the first beat, documented {NEURON_UNIT_LATENCY}",
        outputs[0].0 - first
    );
    for (i, (at, out)) in outputs.iter().enumerate() {
        ensure!(
            *at == outputs[0].0 + i as u64,
            "results are not back to back"
        );
        ensure!(*out == expected(i, rtl.lanes())?, "index {i}: {out:?}");
    }
    println!(
        "{} beats of {} lanes: latency {NEURON_UNIT_LATENCY} cycles, one beat per cycle",
        beats.len(),
        rtl.lanes()
    );
    Ok(())
}

#[test]
fn back_pressure_stops_the_pipeline_without_losing_a_beat() -> Result<()> {
    let mut rtl = unit()?;
    let depth = rtl.depth();
    let beats = prepare(&mut rtl, depth)?;
    let mut accepted = 0;
    for _ in 0..BEATS_HELD + 50 {
        let cycle = rtl.cycle(beats.get(accepted), false)?;
        ensure!(
            cycle.output.is_none(),
            "a result left while out_ready was low"
        );
        accepted += cycle.accepted as usize;
    }
    ensure!(
        accepted == BEATS_HELD,
        "the stalled unit took {accepted} beats, it holds {BEATS_HELD}"
    );
    ensure!(!rtl.in_ready()? && !rtl.idle()?, "a full unit must be busy");
    ensure!(
        rtl.load_config(&NeuronConfig::default()).is_err(),
        "a configuration was taken while busy"
    );
    let mut outputs = Vec::new();
    let mut ready = false;
    while outputs.len() < beats.len() {
        ready = !ready; // half-rate consumer
        let cycle = rtl.cycle(beats.get(accepted), ready)?;
        accepted += cycle.accepted as usize;
        outputs.extend(cycle.output);
    }
    for (i, out) in outputs.iter().enumerate() {
        ensure!(*out == expected(i, rtl.lanes())?, "result {i}: {out:?}");
    }
    ensure!(rtl.idle()?, "the drained unit is idle");
    Ok(())
}

#[test]
fn lanes_left_out_of_a_beat_keep_their_state() -> Result<()> {
    let mut rtl = unit()?;
    let beats = prepare(&mut rtl, 1)?;
    let lanes = rtl.lanes();
    // First beat: even lanes only. Second beat: every lane.
    let even = InputBeat {
        index: 0,
        lanes: (0..lanes)
            .map(|l| (l % 2 == 0).then(|| beats[0].lanes[l].unwrap()))
            .collect(),
    };
    let mut results = Vec::new();
    for beat in [&even, &beats[0]] {
        while !rtl.cycle(Some(beat), true)?.accepted {}
        loop {
            if let Some(out) = rtl.cycle(None, true)?.output {
                results.push(out);
                break;
            }
        }
    }
    for l in 0..lanes {
        let (mut state, s) = neuron(0, l);
        let cfg = config();
        let first = step(&cfg, &mut state, s.x, s.f)?;
        let got = &results[0].lanes[l];
        if l % 2 == 0 {
            ensure!(*got == Some(first), "lane {l}, first beat: {got:?}");
            let second = step(&cfg, &mut state, s.x, s.f)?;
            ensure!(results[1].lanes[l] == Some(second), "lane {l}, second beat");
        } else {
            ensure!(got.is_none(), "lane {l} was not sent, yet answered");
            ensure!(
                results[1].lanes[l] == Some(first),
                "lane {l} changed while left out"
            );
        }
    }
    Ok(())
}
