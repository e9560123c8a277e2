//! Devices that run a model token by token, behind one interface (the VTA pattern: one runtime,
//! several backends). `golden` and `ref` are the software models; `iss`, `sim` and `xrt:N` join as
//! the accelerator's simulators and card backends land.

use anyhow::{Result, bail};
use mmfree_model::Model;
use mmfree_reference::fixed::{Fixed, FixedStep};
use mmfree_reference::golden::Golden;
use mmfree_reference::{Decoder, Step};

/// What a device returns for one token.
pub struct DeviceStep {
    /// Next-token logits, as reals.
    pub logits: Vec<f32>,
    /// The greedy choice.
    pub argmax: usize,
    /// The integer outputs, for devices that implement the fixed-point contract.
    pub fixed: Option<FixedStep>,
}

/// A model running on some device.
pub trait Device {
    /// The device name as given on the command line.
    fn name(&self) -> String;
    /// Feeds one token.
    fn step(&mut self, token: u32) -> Result<DeviceStep>;
    /// Whether the device implements the fixed-point contract (so `--check` applies).
    fn is_contract(&self) -> bool;
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
        })
    }
    fn is_contract(&self) -> bool {
        false
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
        })
    }
    fn is_contract(&self) -> bool {
        true
    }
}

/// Device names accepted by `--device`.
pub const DEVICE_NAMES: &str = "golden, ref, iss, sim, xrt:INDEX";

/// Opens the device called `name` for `model`.
pub fn open<'m>(name: &str, model: &'m Model) -> Result<Box<dyn Device + 'm>> {
    match name {
        "golden" => Ok(Box::new(GoldenDevice(Golden::new(model)))),
        "ref" => Ok(Box::new(RefDevice(Fixed::new(model)))),
        "iss" | "sim" => {
            bail!("device '{name}' needs the accelerator, which is not part of this build yet")
        }
        x if x.starts_with("xrt:") => {
            bail!("device '{name}' needs the accelerator, which is not part of this build yet")
        }
        _ => bail!("unknown device '{name}' (known: {DEVICE_NAMES})"),
    }
}

/// Compares a device's integer outputs with the reference's; `None` when every bit agrees.
pub fn first_difference(device: &FixedStep, reference: &FixedStep) -> Option<String> {
    if device.argmax != reference.argmax {
        return Some(format!(
            "greedy token {} vs reference {}",
            device.argmax, reference.argmax
        ));
    }
    if let Some(i) = (0..reference.acc.len()).find(|&i| device.acc.get(i) != reference.acc.get(i)) {
        return Some(format!(
            "lm_head accumulator {i}: {:?} vs reference {}",
            device.acc.get(i),
            reference.acc[i]
        ));
    }
    if device.logits != reference.logits {
        return Some("dequantized logits differ".into());
    }
    None
}
