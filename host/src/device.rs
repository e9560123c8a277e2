//! Devices that run a model token by token, behind one interface (the VTA pattern: one runtime,
//! several backends). `golden` and `ref` are the software models; `iss` is the accelerator's
//! instruction-set simulator and `sim` the Verilated kernel, both behind the generic
//! [`AccelDevice`], and so is `xrt:N`, a real card ([`crate::xrt`]).

use anyhow::{Result, bail};
use mmfree_compiler::Options;
use mmfree_model::Model;
use mmfree_reference::fixed::{Fixed, FixedStep, LayerTrace};
use mmfree_reference::golden::Golden;
use mmfree_reference::{Decoder, Step};
use mmfree_spec::card::Card;
use mmfree_spec::format::Bfp;
use mmfree_spec::hw::HwConfig;

use crate::accel::{AccelDevice, AccelStep};
use crate::xrt::CardFiles;

/// What a device returns for one token.
pub struct DeviceStep {
    /// Next-token logits, as reals.
    pub logits: Vec<f32>,
    /// The greedy choice.
    pub argmax: usize,
    /// The integer outputs, for devices that implement the fixed-point contract.
    pub fixed: Option<FixedStep>,
    /// Per layer, the residual stream and the recurrent state, where the device reports them.
    pub trace: Option<Vec<LayerTrace>>,
}

/// A model running on some device.
pub trait Device {
    /// The device name as given on the command line.
    fn name(&self) -> String;
    /// Feeds one token.
    fn step(&mut self, token: u32) -> Result<DeviceStep>;
    /// Whether the device implements the fixed-point contract (so `--check` applies).
    fn is_contract(&self) -> bool;
    /// Sequences per step: the accelerator configuration's batch, 1 for the software models.
    fn batch(&self) -> usize {
        1
    }
    /// Feeds one token to each of the [`Device::batch`] sequences.
    fn step_batch(&mut self, tokens: &[u32]) -> Result<Vec<DeviceStep>> {
        match tokens {
            [token] => Ok(vec![self.step(*token)?]),
            _ => bail!("{} tokens given to a device of batch 1", tokens.len()),
        }
    }
    /// Starts new sequences: every recurrent state back to zero.
    fn reset(&mut self) -> Result<()>;
    /// Kernel clock cycles of the last token, for devices that count them (benchmarks).
    fn cycles(&self) -> Option<u64> {
        None
    }
    /// The device's activity counters of the last token (name, value), for benchmarks.
    fn counters(&self) -> Vec<(&'static str, u64)> {
        Vec::new()
    }
}

/// The golden f32 model.
pub struct GoldenDevice<'m>(Golden<'m, f32>);

impl Device for GoldenDevice<'_> {
    fn name(&self) -> String {
        "golden".into()
    }
    fn step(&mut self, token: u32) -> Result<DeviceStep> {
        let Step { logits, argmax } = self.0.step(token)?;
        Ok(DeviceStep {
            logits,
            argmax,
            fixed: None,
            trace: None,
        })
    }
    fn is_contract(&self) -> bool {
        false
    }
    fn reset(&mut self) -> Result<()> {
        Decoder::reset(&mut self.0);
        Ok(())
    }
}

/// The fixed-point reference model.
pub struct RefDevice<'m>(Fixed<'m>);

impl Device for RefDevice<'_> {
    fn name(&self) -> String {
        "ref".into()
    }
    fn step(&mut self, token: u32) -> Result<DeviceStep> {
        let s = self.0.step_fixed(token, None)?;
        Ok(DeviceStep {
            logits: s.logits.to_f32(),
            argmax: s.argmax,
            fixed: Some(s),
            trace: None,
        })
    }
    fn is_contract(&self) -> bool {
        true
    }
    fn reset(&mut self) -> Result<()> {
        Decoder::reset(&mut self.0);
        Ok(())
    }
}

impl From<AccelStep> for DeviceStep {
    fn from(s: AccelStep) -> DeviceStep {
        DeviceStep {
            logits: s.fixed.logits.to_f32(),
            argmax: s.fixed.argmax,
            fixed: Some(s.fixed),
            trace: s.trace,
        }
    }
}

impl<C: Card> Device for AccelDevice<C> {
    fn name(&self) -> String {
        self.backend()
    }
    fn step(&mut self, token: u32) -> Result<DeviceStep> {
        if self.layout().batch != 1 {
            bail!(
                "one token was given to an accelerator with batch {}",
                self.layout().batch
            );
        }
        Ok(AccelDevice::step_batch(self, &[token])?.remove(0).into())
    }
    fn is_contract(&self) -> bool {
        true
    }
    fn batch(&self) -> usize {
        self.layout().batch
    }
    fn step_batch(&mut self, tokens: &[u32]) -> Result<Vec<DeviceStep>> {
        let steps = AccelDevice::step_batch(self, tokens)?;
        Ok(steps.into_iter().map(DeviceStep::from).collect())
    }
    fn reset(&mut self) -> Result<()> {
        AccelDevice::reset(self)
    }
    fn cycles(&self) -> Option<u64> {
        self.card().cycles()
    }
    fn counters(&self) -> Vec<(&'static str, u64)> {
        self.card().counters()
    }
}

/// Refuses an accelerator device `device` whose configuration has more than one sequence for
/// `command` (`eval`), which drives one sequence token by token; `generate` (the runtime),
/// `bench` and the host library's `AccelDevice::step_batch` drive all.
pub fn single_sequence(device: &str, hw: &HwConfig, command: &str) -> Result<()> {
    if hw.batch == 1 || matches!(device, "golden" | "ref") {
        return Ok(());
    }
    bail!(
        "--hw {}: the configuration runs {} sequences per step (batch {}) and {command} drives one; \
         use a batch-1 configuration such as --hw tiny (AccelDevice::step_batch drives every sequence)",
        hw.name,
        hw.batch,
        hw.batch
    )
}

/// Device names accepted by `--device`.
pub const DEVICE_NAMES: &str = "golden, ref, iss, sim, xrt:INDEX";

/// Compiles `model` for `hw` and loads it on `card`; `trace` records every layer's outputs so
/// that a mismatch can be located.
pub fn accelerator<C: Card>(
    card: C,
    model: &Model,
    hw: &HwConfig,
    trace: bool,
) -> Result<AccelDevice<C>> {
    let image = mmfree_compiler::compile(model, hw, &Options { trace })?;
    AccelDevice::load(card, &image)
}

/// Opens the device called `name` for `model`; accelerator devices run configuration `hw`, with
/// per-layer traces when `trace` is set. A card (`xrt:N`) finds its xclbin in the default places.
pub fn open<'m>(
    name: &str,
    model: &'m Model,
    hw: &HwConfig,
    trace: bool,
) -> Result<Box<dyn Device + 'm>> {
    open_with(name, model, hw, trace, CardFiles::default())
}

/// [`open`], with a card's xclbin taken from `files` (`--xclbin`, or the defaults beside the model).
pub fn open_with<'m>(
    name: &str,
    model: &'m Model,
    hw: &HwConfig,
    trace: bool,
    files: CardFiles<'_>,
) -> Result<Box<dyn Device + 'm>> {
    if let Some(index) = crate::xrt::index(name) {
        let card = crate::xrt::open_card(index?, hw, files)?;
        return Ok(Box::new(accelerator(card, model, hw, trace)?));
    }
    match name {
        "golden" => Ok(Box::new(GoldenDevice(Golden::new(model)))),
        "ref" => Ok(Box::new(RefDevice(Fixed::new(model)))),
        "iss" => {
            let card = mmfree_iss::Iss::new(hw.clone())?;
            Ok(Box::new(accelerator(card, model, hw, trace)?))
        }
        "sim" => {
            let card = mmfree_sim::card::SimCard::new(hw.clone())?;
            Ok(Box::new(accelerator(card, model, hw, trace)?))
        }
        _ => bail!("unknown device '{name}' (known: {DEVICE_NAMES})"),
    }
}

/// The first element where two BFP vectors differ, as `mantissa * 2^exponent` on both sides.
fn bfp_difference(what: &str, got: &Bfp, want: &Bfp) -> Option<String> {
    if got == want {
        return None;
    }
    if got.len() != want.len() {
        return Some(format!(
            "{what} has {} elements vs reference {}",
            got.len(),
            want.len()
        ));
    }
    let j = (0..want.len())
        .find(|&j| got.mant[j] != want.mant[j])
        .unwrap_or(0);
    Some(format!(
        "{what} element {j} = {} * 2^{} ({:e}) vs reference {} * 2^{} ({:e})",
        got.mant[j],
        got.exp,
        got.value(j),
        want.mant[j],
        want.exp,
        want.value(j)
    ))
}

/// Compares a device's per-layer trace with the reference's; `None` when every bit agrees. Within
/// a layer the recurrent state is computed before the residual stream, so it is compared first.
pub fn first_layer_difference(device: &[LayerTrace], reference: &[LayerTrace]) -> Option<String> {
    reference.iter().enumerate().find_map(|(l, want)| {
        let Some(got) = device.get(l) else {
            return Some(format!("layer {l}: the device reported no trace"));
        };
        bfp_difference("recurrent state h", &got.h, &want.h)
            .or_else(|| bfp_difference("residual stream x", &got.x, &want.x))
            .map(|what| format!("layer {l}: {what}"))
    })
}

/// Compares a device's integer outputs with the reference's; `None` when every bit agrees.
pub fn first_difference(device: &FixedStep, reference: &FixedStep) -> Option<String> {
    if device.argmax != reference.argmax {
        return Some(format!(
            "head: greedy token {} vs reference {}",
            device.argmax, reference.argmax
        ));
    }
    if let Some(i) = (0..reference.acc.len()).find(|&i| device.acc.get(i) != reference.acc.get(i)) {
        return Some(format!(
            "head: lm_head accumulator {i} = {:?} vs reference {}",
            device.acc.get(i),
            reference.acc[i]
        ));
    }
    if device.logits != reference.logits {
        return bfp_difference(
            "head: dequantized logits",
            &device.logits,
            &reference.logits,
        );
    }
    None
}
