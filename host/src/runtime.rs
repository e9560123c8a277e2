//! The streaming runtime (DESIGN.md section 1): one generate loop for every device. The device
//! was opened with its program and weights uploaded once; the runtime then runs the prompts in
//! groups of the device's batch (one after another on a batch-1 device), each group from a fresh
//! state: every prompt token is fed (prefill), then each chosen token is fed back (decode) until
//! every sequence of the group has its tokens. With `check`, a fixed-point reference per sequence
//! runs beside the device and the first output that differs in any bit stops the run.
//!
//! Sequences in one batch may have prompts of different lengths: each takes its own next token
//! every step (a prompt token, or its last choice), and a slot whose sequence is finished, or that
//! no prompt fills, is fed token 0 and its output ignored. Tokens are chosen by
//! [`crate::sampling`], one generator per sequence.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use mmfree_model::Model;
use mmfree_reference::fixed::Fixed;

use crate::device::{self, Device, DeviceStep};
use crate::sampling::{Sampler, Sampling};

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Tokens to generate after each prompt.
    pub max_new_tokens: usize,
    /// How each token is chosen.
    pub sampling: Sampling,
    /// Compare every output with the fixed-point reference, bit for bit.
    pub check: bool,
}

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Per prompt, in order, the generated tokens.
    pub tokens: Vec<Vec<u32>>,
    /// Wall time of the steps in which some sequence chose a token (prefill-only steps excluded).
    pub decode_time: Duration,
    /// Kernel cycles of every step, on devices that count them.
    pub cycles: Vec<u64>,
    /// Sequences run per step: the batch, or fewer when there are fewer prompts.
    pub sequences_per_step: usize,
}

impl Outcome {
    /// Generated tokens over all sequences.
    pub fn generated(&self) -> usize {
        self.tokens.iter().map(Vec::len).sum()
    }
}

/// The logits a token is chosen from: the device's fixed-point logits exactly (`m * 2^e` is exact
/// in f64), else its reals.
pub fn exact_logits(step: &DeviceStep) -> Vec<f64> {
    match &step.fixed {
        Some(f) => (0..f.logits.len()).map(|j| f.logits.value(j)).collect(),
        None => step.logits.iter().map(|&x| f64::from(x)).collect(),
    }
}

/// One sequence of a group: its prompt, what it has chosen, and its chooser and reference.
struct Slot<'p, 'm> {
    index: usize,
    prompt: &'p [u32],
    tokens: Vec<u32>,
    sampler: Sampler,
    reference: Option<Fixed<'m>>,
}

impl Slot<'_, '_> {
    /// Steps this sequence needs: every prompt token, then each chosen token but the last.
    fn steps(&self, max_new: usize) -> usize {
        if max_new == 0 {
            0
        } else {
            self.prompt.len() + max_new - 1
        }
    }

    /// The token this sequence feeds at step `t`.
    fn input(&self, t: usize) -> u32 {
        match self.prompt.get(t) {
            Some(&p) => p,
            None => *self
                .tokens
                .last()
                .expect("a token was chosen after the prompt"),
        }
    }
}

/// Runs every prompt on `dev` (a device opened for `model`) and calls `on_token(prompt index,
/// token)` as each token is chosen.
pub fn generate(
    dev: &mut dyn Device,
    model: &Model,
    prompts: &[Vec<u32>],
    opts: &Options,
    on_token: &mut dyn FnMut(usize, u32),
) -> Result<Outcome> {
    if opts.check && !dev.is_contract() {
        bail!(
            "--check compares a device with the fixed-point reference; '{}' does not implement the contract",
            dev.name()
        );
    }
    let batch = dev.batch().max(1);
    let mut outcome = Outcome {
        tokens: vec![Vec::new(); prompts.len()],
        sequences_per_step: batch.min(prompts.len()),
        ..Outcome::default()
    };
    for (g, group) in prompts.chunks(batch).enumerate() {
        let slots = group
            .iter()
            .enumerate()
            .map(|(i, prompt)| Slot {
                index: g * batch + i,
                prompt,
                tokens: Vec::new(),
                sampler: Sampler::new(opts.sampling),
                reference: opts.check.then(|| Fixed::new(model)),
            })
            .collect();
        run_group(dev, slots, opts, prompts.len() > 1, &mut outcome, on_token)?;
    }
    Ok(outcome)
}

/// Runs one group of at most the batch's sequences from a fresh state.
fn run_group(
    dev: &mut dyn Device,
    mut slots: Vec<Slot>,
    opts: &Options,
    name_sequences: bool,
    outcome: &mut Outcome,
    on_token: &mut dyn FnMut(usize, u32),
) -> Result<()> {
    dev.reset()?;
    let n = opts.max_new_tokens;
    let steps = slots.iter().map(|s| s.steps(n)).max().unwrap_or(0);
    let batch = dev.batch().max(1);
    for t in 0..steps {
        let active: Vec<bool> = slots.iter().map(|s| t < s.steps(n)).collect();
        let mut inputs = vec![0u32; batch];
        for (b, s) in slots.iter().enumerate().filter(|&(b, _)| active[b]) {
            inputs[b] = s.input(t);
        }
        let start = Instant::now();
        let outs = dev.step_batch(&inputs)?;
        let elapsed = start.elapsed();
        outcome.cycles.extend(dev.cycles());
        if slots.iter().any(|s| t + 1 >= s.prompt.len()) {
            outcome.decode_time += elapsed;
        }
        for (b, slot) in slots.iter_mut().enumerate().filter(|&(b, _)| active[b]) {
            let out = &outs[b];
            if let Some(r) = slot.reference.as_mut() {
                let at = if name_sequences {
                    format!("sequence {}, token {t}", slot.index)
                } else {
                    format!("token {t}")
                };
                check(r, out, inputs[b], &dev.name())
                    .with_context(|| format!("{at} (input id {})", inputs[b]))?;
            }
            if t + 1 >= slot.prompt.len() {
                let token = slot.sampler.choose(&exact_logits(out), out.argmax) as u32;
                slot.tokens.push(token);
                on_token(slot.index, token);
            }
        }
    }
    for slot in slots {
        outcome.tokens[slot.index] = slot.tokens;
    }
    Ok(())
}

/// Steps the reference with `token` and compares its outputs with the device's.
fn check(reference: &mut Fixed, out: &DeviceStep, token: u32, name: &str) -> Result<()> {
    let mut trace = Vec::new();
    let want = reference.step_fixed(token, Some(&mut trace))?;
    let Some(got) = out.fixed.as_ref() else {
        bail!("device '{name}' returned no integer outputs");
    };
    let layers = out
        .trace
        .as_deref()
        .and_then(|t| device::first_layer_difference(t, &trace));
    if let Some(what) = layers.or_else(|| device::first_difference(got, &want)) {
        bail!("device '{name}' differs from the reference: {what}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmfree_spec::shape::ModelShape;

    /// A device of batch `batch` whose greedy choice is the input plus one; it records what it
    /// was fed and when it was reset.
    struct Counter {
        batch: usize,
        fed: Vec<Vec<u32>>,
        resets: usize,
    }

    impl Device for Counter {
        fn name(&self) -> String {
            "counter".into()
        }
        fn step(&mut self, token: u32) -> Result<DeviceStep> {
            Ok(self.step_batch(&[token])?.remove(0))
        }
        fn is_contract(&self) -> bool {
            false
        }
        fn batch(&self) -> usize {
            self.batch
        }
        fn step_batch(&mut self, tokens: &[u32]) -> Result<Vec<DeviceStep>> {
            assert_eq!(tokens.len(), self.batch);
            self.fed.push(tokens.to_vec());
            Ok(tokens
                .iter()
                .map(|&t| DeviceStep {
                    logits: vec![0.0; 64],
                    argmax: t as usize + 1,
                    fixed: None,
                    trace: None,
                })
                .collect())
        }
        fn reset(&mut self) -> Result<()> {
            self.resets += 1;
            Ok(())
        }
    }

    #[test]
    fn prompts_of_different_lengths_share_batched_steps() {
        let model = mmfree_model::random::model(
            ModelShape::preset("tiny").unwrap(),
            1,
            Default::default(),
            &mut |_, _, _| {},
        )
        .unwrap();
        let mut dev = Counter {
            batch: 2,
            fed: Vec::new(),
            resets: 0,
        };
        let prompts = vec![vec![10, 11, 12], vec![20], vec![30]];
        let opts = Options {
            max_new_tokens: 2,
            sampling: Sampling::default(),
            check: false,
        };
        let mut seen = Vec::new();
        let out = generate(&mut dev, &model, &prompts, &opts, &mut |i, t| {
            seen.push((i, t))
        })
        .unwrap();
        assert_eq!(out.tokens, vec![vec![13, 14], vec![21, 22], vec![31, 32]]);
        // Group 1: the long prompt takes 4 steps, the short one 2 then padding; group 2: the
        // last prompt and an empty slot.
        assert_eq!(
            dev.fed,
            vec![
                vec![10, 20],
                vec![11, 21],
                vec![12, 0],
                vec![13, 0],
                vec![30, 0],
                vec![31, 0],
            ]
        );
        assert_eq!(dev.resets, 2);
        assert_eq!(out.sequences_per_step, 2);
        assert_eq!(seen[..3], [(1, 21), (1, 22), (0, 13)]);
        // No device without the contract is checked.
        let checked = Options {
            check: true,
            ..opts
        };
        let e = generate(&mut dev, &model, &prompts, &checked, &mut |_, _| {}).unwrap_err();
        assert!(
            e.to_string().contains("'counter' does not implement"),
            "{e}"
        );
    }
}
